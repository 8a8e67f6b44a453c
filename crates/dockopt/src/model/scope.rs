//! Stages and the ARG/ENV values knowable before a build, following BuildKit: FROM sees only
//! the ARGs declared before the first FROM; inside a stage, ARG and ENV values are expanded
//! with what is declared above them; a stage built on an earlier one inherits its ENV.

use serde::Serialize;

use super::{ImageRef, Instruction, Stage};
use crate::words::{Env, Lexer};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Variable {
    pub name: String,
    /// `arg` or `env`.
    pub kind: &'static str,
    /// `None` when the value is only known at build time.
    pub value: Option<String>,
}

/// Variables in scope; a declared variable with an unknown value hides nothing and resolves
/// to nothing, so anything that uses it stays unresolved.
struct Scope<'a>(&'a [Variable]);

impl Env for Scope<'_> {
    fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().rev().find(|v| v.name == name).and_then(|v| v.value.as_deref())
    }
}

/// Expand `text`, or `None` if it uses a variable whose value is unknown or is malformed.
fn expand(lexer: &Lexer, text: &str, vars: &[Variable]) -> Option<String> {
    let e = lexer.process(text, &Scope(vars)).ok()?;
    e.unmatched.is_empty().then_some(e.word)
}

fn declare(vars: &mut Vec<Variable>, var: Variable) {
    vars.retain(|v| v.name != var.name);
    vars.push(var);
}

pub(super) fn resolve(instructions: &mut [Instruction], escape: char) -> (Vec<Variable>, Vec<Stage>) {
    let lexer = Lexer::new(escape);
    let mut globals: Vec<Variable> = Vec::new();
    let mut stages: Vec<Stage> = Vec::new();
    for (index, ins) in instructions.iter_mut().enumerate() {
        if ins.keyword == "FROM" {
            let stage = new_stage(ins, &stages, &globals, &lexer);
            stages.push(stage);
        }
        let current = stages.len().checked_sub(1);
        ins.stage = current;
        if let Some(s) = current {
            stages[s].instructions.push(index);
            stages[s].span.end = ins.span.end;
        }
        let kind = match ins.keyword.as_str() {
            "ARG" => "arg",
            "ENV" => "env",
            "LABEL" => "label",
            _ => continue,
        };
        for pair in &mut ins.pairs {
            // `ARG NAME` in a stage takes the global default.
            let inherited = Scope(&globals).get(&pair.key).map(str::to_owned);
            let vars = match current {
                Some(s) => &mut stages[s].variables,
                None => &mut globals,
            };
            pair.resolved = match (&pair.value, kind, current) {
                (Some(v), _, _) => expand(&lexer, v, vars),
                (None, "arg", Some(_)) => inherited,
                (None, _, _) => None,
            };
            if kind != "label" {
                declare(vars, Variable { name: pair.key.clone(), kind, value: pair.resolved.clone() });
            }
        }
    }
    (globals, stages)
}

fn new_stage(ins: &Instruction, stages: &[Stage], globals: &[Variable], lexer: &Lexer) -> Stage {
    let args = &ins.arguments;
    let base = args.first().cloned().unwrap_or_default();
    let name = match args.as_slice() {
        [_, as_word, name] if as_word.eq_ignore_ascii_case("as") => Some(name.clone()),
        _ => None,
    };
    let base_resolved = expand(lexer, &base, globals);
    let base_stage = base_resolved
        .as_deref()
        .and_then(|r| stages.iter().position(|s| s.name.as_deref().is_some_and(|n| n.eq_ignore_ascii_case(r))));
    let scratch = base_resolved.as_deref().is_some_and(|r| r.eq_ignore_ascii_case("scratch"));
    let image = match (&base_resolved, base_stage, scratch) {
        (Some(r), None, false) => ImageRef::parse(r),
        _ => None,
    };
    let platform = ins.flags.iter().find(|f| f.name == "platform").and_then(|f| f.value.clone());
    let variables = base_stage
        .map(|s| stages[s].variables.iter().filter(|v| v.kind == "env").cloned().collect())
        .unwrap_or_default();
    Stage {
        index: stages.len(),
        name,
        base,
        base_resolved,
        image,
        base_stage,
        scratch,
        platform,
        instructions: Vec::new(),
        variables,
        span: super::Span { start: ins.span.start, end: ins.span.end },
    }
}
