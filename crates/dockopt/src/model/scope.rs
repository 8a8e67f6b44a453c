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

/// Resolve every instruction of a file (see [`Resolver`]).
pub(super) fn resolve(
    instructions: &mut [Instruction],
    escape: char,
    build_args: &[(String, String)],
) -> (Vec<super::Variable>, Vec<Stage>) {
    let count = instructions.len();
    let froms: Vec<usize> = (0..count).filter(|&i| instructions[i].keyword == "FROM").collect();
    let mut resolver = Resolver::new(escape, build_args);
    for (index, ins) in instructions.iter_mut().enumerate() {
        // A stage runs to the next FROM: its list is sized once (regrowing a list of a
        // million instructions copies it, and the old copies' pages stay for a while).
        let next_from = froms.get(resolver.stages.len() + 1).copied().unwrap_or(count);
        resolver.next(ins, Some(next_from - index));
    }
    resolver.finish()
}

/// Reads a file's instructions in order and fills in what depends on the ones above: the
/// stage of each, and the resolved values of ARG, ENV and LABEL pairs. It keeps the stages
/// and the variables in scope, not the instructions.
pub(super) struct Resolver<'a> {
    /// `--build-arg NAME=VALUE`: each replaces the default of every ARG of that name (global
    /// or in a stage), as BuildKit does; an undeclared one changes nothing.
    build_args: &'a [(String, String)],
    lexer: Lexer,
    globals: Vars,
    stages: Vec<Stage>,
    stage_vars: Vec<Vars>,
    stage_names: HashMap<String, usize>,
    /// Instructions read so far.
    read: usize,
}

impl<'a> Resolver<'a> {
    pub(super) fn new(escape: char, build_args: &'a [(String, String)]) -> Self {
        Self {
            build_args,
            lexer: Lexer::new(escape),
            globals: Vars::default(),
            stages: Vec::new(),
            stage_vars: Vec::new(),
            stage_names: HashMap::new(),
            read: 0,
        }
    }

    /// Resolve the next instruction. When it is a FROM, `stage_len` (its stage's number of
    /// instructions, if known) sizes the stage's list.
    pub(super) fn next(&mut self, ins: &mut Instruction, stage_len: Option<usize>) {
        let index = self.read;
        self.read += 1;
        if ins.keyword == "FROM" {
            if let (Some(stage), Some(vars)) = (self.stages.last_mut(), self.stage_vars.last_mut()) {
                end_stage(stage, vars);
            }
            let mut stage = new_stage(ins, self.stages.len(), &self.stage_names, &self.globals, &self.lexer);
            stage.instructions.reserve_exact(stage_len.unwrap_or(0));
            let inherited = stage
                .base_stage
                .map(|s| self.stage_vars[s].list.iter().filter(|v| v.kind == "env").cloned().collect::<Vec<_>>());
            self.stage_vars.push(Vars::from_list(inherited.unwrap_or_default()));
            if let Some(name) = &stage.name {
                self.stage_names.entry(name.to_lowercase()).or_insert(stage.index);
            }
            self.stages.push(stage);
        }
        let current = self.stages.len().checked_sub(1);
        ins.set_stage(current);
        if let Some(s) = current {
            self.stages[s].instructions.push(index);
            self.stages[s].span.end = ins.span.end;
        }
        let kind = match ins.keyword.as_ref() {
            "ARG" => "arg",
            "ENV" => "env",
            "LABEL" => "label",
            _ => return,
        };
        let given = |name: &str| self.build_args.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.clone());
        for pair in &mut ins.pairs {
            let given = if kind == "arg" { given(&pair.key) } else { None };
            pair.resolved = match (given, &pair.value, current) {
                (Some(given), _, _) => Some(given.into()),
                (None, Some(v), Some(s)) => expand(&self.lexer, v, &self.stage_vars[s]).map(Into::into),
                (None, Some(v), None) => expand(&self.lexer, v, &self.globals).map(Into::into),
                // `ARG NAME` in a stage takes the global default.
                (None, None, Some(_)) if kind == "arg" => self.globals.get(&pair.key).map(Into::into),
                (None, None, _) => None,
            };
            let vars = match current {
                Some(s) => &mut self.stage_vars[s],
                None => &mut self.globals,
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

    /// The global ARGs and the stages, with the variables in effect at the end of each.
    pub(super) fn finish(mut self) -> (Vec<super::Variable>, Vec<Stage>) {
        for (stage, vars) in self.stages.iter_mut().zip(self.stage_vars) {
            stage.variables = vars.list;
        }
        (self.globals.list, self.stages)
    }
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
