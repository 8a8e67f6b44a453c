//! Stages and the ARG/ENV values knowable before a build, following BuildKit: FROM sees only
//! the ARGs declared before the first FROM; inside a stage, ARG and ENV values are expanded
//! with what is declared above them; a stage built on an earlier one inherits its ENV.

use std::collections::HashMap;

use serde::Serialize;

use super::{ImageRef, Instruction, Span, Stage};
use crate::words::{Env, Lexer};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Variable {
    pub name: String,
    /// `arg` or `env`.
    pub kind: &'static str,
    /// `None` when the value is only known at build time.
    pub value: Option<String>,
}

/// Variables in declaration order, with a name index so large files stay linear.
#[derive(Debug, Clone, Default)]
struct Vars {
    list: Vec<Variable>,
    index: HashMap<String, usize>,
}

impl Vars {
    fn from_list(list: Vec<Variable>) -> Self {
        let index = list.iter().enumerate().map(|(i, v)| (v.name.clone(), i)).collect();
        Self { list, index }
    }

    /// A redeclaration replaces the value and keeps the first position.
    fn declare(&mut self, var: Variable) {
        match self.index.get(&var.name) {
            Some(&i) => self.list[i] = var,
            None => {
                self.index.insert(var.name.clone(), self.list.len());
                self.list.push(var);
            }
        }
    }
}

/// A declared variable with an unknown value resolves to nothing, so anything that uses it
/// stays unresolved.
impl Env for Vars {
    fn get(&self, name: &str) -> Option<&str> {
        self.index.get(name).and_then(|&i| self.list[i].value.as_deref())
    }
}

/// Expand `text`, or `None` if it uses a variable whose value is unknown or is malformed.
fn expand(lexer: &Lexer, text: &str, vars: &Vars) -> Option<String> {
    // Most values have no variable, quote or escape: they stay as they are.
    if !text.contains(['$', '\'', '"', lexer.escape]) && !text.starts_with('\u{feff}') {
        return Some(text.to_owned());
    }
    let e = lexer.process(text, vars).ok()?;
    e.unmatched.is_empty().then_some(e.word)
}

/// `build_args` are `--build-arg NAME=VALUE`: each replaces the default of every ARG of that
/// name (global or in a stage), as BuildKit does; an undeclared one changes nothing.
pub(super) fn resolve(
    instructions: &mut [Instruction],
    escape: char,
    build_args: &[(String, String)],
) -> (Vec<super::Variable>, Vec<Stage>) {
    let given = |name: &str| build_args.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    let lexer = Lexer::new(escape);
    let mut globals = Vars::default();
    let mut stages: Vec<Stage> = Vec::new();
    let mut stage_vars: Vec<Vars> = Vec::new();
    let mut stage_names: HashMap<String, usize> = HashMap::new();
    let count = instructions.len();
    let froms: Vec<usize> = (0..count).filter(|&i| instructions[i].keyword == "FROM").collect();
    for (index, ins) in instructions.iter_mut().enumerate() {
        if ins.keyword == "FROM" {
            if let (Some(stage), Some(vars)) = (stages.last_mut(), stage_vars.last_mut()) {
                end_stage(stage, vars);
            }
            let mut stage = new_stage(ins, stages.len(), &stage_names, &globals, &lexer);
            // The stage runs to the next FROM: its list is sized once (regrowing a list of a
            // million instructions copies it, and the old copies' pages stay for a while).
            let end = froms.get(stages.len() + 1).copied().unwrap_or(count);
            stage.instructions.reserve_exact(end - index);
            let inherited = stage
                .base_stage
                .map(|s| stage_vars[s].list.iter().filter(|v| v.kind == "env").cloned().collect::<Vec<_>>());
            stage_vars.push(Vars::from_list(inherited.unwrap_or_default()));
            if let Some(name) = &stage.name {
                stage_names.entry(name.to_lowercase()).or_insert(stage.index);
            }
            stages.push(stage);
        }
        let current = stages.len().checked_sub(1);
        ins.stage = current;
        if let Some(s) = current {
            stages[s].instructions.push(index);
            stages[s].span.end = ins.span.end;
        }
        let kind = match ins.keyword.as_ref() {
            "ARG" => "arg",
            "ENV" => "env",
            "LABEL" => "label",
            _ => continue,
        };
        for pair in &mut ins.pairs {
            let given = if kind == "arg" { given(&pair.key) } else { None };
            pair.resolved = match (given, &pair.value, current) {
                (Some(given), _, _) => Some(given.into()),
                (None, Some(v), Some(s)) => expand(&lexer, v, &stage_vars[s]).map(Into::into),
                (None, Some(v), None) => expand(&lexer, v, &globals).map(Into::into),
                // `ARG NAME` in a stage takes the global default.
                (None, None, Some(_)) if kind == "arg" => globals.get(&pair.key).map(Into::into),
                (None, None, _) => None,
            };
            let vars = match current {
                Some(s) => &mut stage_vars[s],
                None => &mut globals,
            };
            if kind != "label" {
                vars.declare(Variable {
                    name: pair.key.to_string(),
                    kind,
                    value: pair.resolved.as_deref().map(str::to_owned),
                });
            }
        }
    }
    for (stage, vars) in stages.iter_mut().zip(stage_vars) {
        stage.variables = vars.list;
    }
    (globals.list, stages)
}

/// A stage is complete: only its variable list is read again (by stages built on it), and
/// lists are trimmed to their length, which matters in files of many small stages.
fn end_stage(stage: &mut Stage, vars: &mut Vars) {
    stage.instructions.shrink_to_fit();
    vars.list.shrink_to_fit();
    vars.index = HashMap::new();
}

fn new_stage(ins: &Instruction, index: usize, names: &HashMap<String, usize>, globals: &Vars, lexer: &Lexer) -> Stage {
    let args = &ins.arguments;
    let base = args.first().cloned().unwrap_or_default();
    let name = match args.as_ref() {
        [_, as_word, name] if as_word.eq_ignore_ascii_case("as") => Some(name.clone()),
        _ => None,
    };
    let base_resolved = expand(lexer, &base, globals);
    let base_stage = base_resolved.as_deref().and_then(|r| names.get(&r.to_lowercase()).copied());
    let scratch = base_resolved.as_deref().is_some_and(|r| r.eq_ignore_ascii_case("scratch"));
    let image = match (&base_resolved, base_stage, scratch) {
        (Some(r), None, false) => ImageRef::parse(r),
        _ => None,
    };
    let platform =
        ins.flags.iter().find(|f| &*f.name == "platform").and_then(|f| f.value.as_deref()).map(str::to_owned);
    Stage {
        index,
        name,
        base,
        base_resolved,
        image,
        base_stage,
        scratch,
        platform,
        instructions: Vec::new(),
        variables: Vec::new(),
        span: Span { start: ins.span.start, end: ins.span.end },
    }
}
