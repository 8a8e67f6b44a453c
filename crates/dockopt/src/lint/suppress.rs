//! Inline suppressions: `# dockopt ignore=CODE[,CODE] [reason]` (next instruction),
//! `# dockopt stage ignore=...`, `# dockopt global ignore=...`, hadolint's `# hadolint
//! ignore=...` and `# hadolint global ignore=...`, and BuildKit's `# check=skip=...`
//! directive (with `error=true`, BuildKit checks become errors).

use std::collections::HashMap;

use super::{Diagnostic, RuleMeta, Severity};
use crate::model::Model;
use crate::syntax::Syntax;

#[derive(Debug, Default)]
pub(crate) struct Suppressions {
    global: Vec<String>,
    instruction: HashMap<usize, Vec<String>>,
    stage: HashMap<usize, Vec<String>>,
    /// BuildKit check names from `# check=skip=`; `all` skips every BuildKit check.
    buildkit_skip: Vec<String>,
    buildkit_error: bool,
}

enum Scope {
    Next,
    Stage,
    Global,
}

/// `dockopt ignore=A,B reason` -> (scope, [A, B]).
fn pragma(comment: &str) -> Option<(Scope, Vec<String>)> {
    let text = comment.trim_start_matches('#').trim();
    let mut words = text.split_whitespace();
    let tool = words.next()?;
    if !tool.eq_ignore_ascii_case("dockopt") && !tool.eq_ignore_ascii_case("hadolint") {
        return None;
    }
    let rest = text[tool.len()..].trim_start();
    let (scope, rest) = if let Some(r) = strip_word(rest, "global") {
        (Scope::Global, r)
    } else if let Some(r) = strip_word(rest, "stage").filter(|_| tool.eq_ignore_ascii_case("dockopt")) {
        (Scope::Stage, r)
    } else {
        (Scope::Next, rest)
    };
    let list = rest.strip_prefix("ignore")?.trim_start().strip_prefix('=')?.trim_start();
    // Codes are separated by commas (spaces after commas are allowed); the reason follows.
    let mut codes = Vec::new();
    let mut tail = list;
    loop {
        let end = tail.find([',', ' ', '\t']).unwrap_or(tail.len());
        let code = &tail[..end];
        if !code.is_empty() {
            codes.push(code.to_owned());
        }
        let after = tail[end..].trim_start();
        match after.strip_prefix(',') {
            Some(next) => tail = next.trim_start(),
            None => break,
        }
    }
    (!codes.is_empty()).then_some((scope, codes))
}

/// Whether `comment` is an ignore pragma for the next instruction only (not `stage` or
/// `global`), of dockopt or hadolint.
pub(crate) fn is_inline_ignore(comment: &str) -> bool {
    matches!(pragma(comment), Some((Scope::Next, _)))
}

fn strip_word<'a>(text: &'a str, word: &str) -> Option<&'a str> {
    let rest = text.get(..word.len()).filter(|w| w.eq_ignore_ascii_case(word)).map(|_| &text[word.len()..])?;
    rest.starts_with(char::is_whitespace).then(|| rest.trim_start())
}

impl Suppressions {
    pub(crate) fn collect(syntax: &Syntax, model: &Model) -> Self {
        let mut out = Self::default();
        for comment in &model.comments {
            let Some((scope, codes)) = pragma(&comment.text) else { continue };
            let line = comment.span.start.line as usize;
            let next = syntax.instructions.iter().position(|i| i.end_line as usize >= line);
            match scope {
                Scope::Global => out.global.extend(codes),
                Scope::Next => {
                    if let Some(i) = next {
                        out.instruction.entry(i).or_default().extend(codes);
                    }
                }
                Scope::Stage => {
                    if let Some(stage) = next.and_then(|i| model.instructions[i].stage()) {
                        out.stage.entry(stage).or_default().extend(codes);
                    }
                }
            }
        }
        for directive in model.directives.iter().filter(|d| d.name == "check") {
            for part in directive.value.split(';') {
                let Some((key, value)) = part.split_once('=') else { continue };
                match key.trim() {
                    "skip" => out.buildkit_skip.extend(value.split(',').map(|s| s.trim().to_owned())),
                    "error" => out.buildkit_error = value.trim().eq_ignore_ascii_case("true"),
                    _ => {}
                }
            }
        }
        out
    }

    /// Whether `rule` is off for the instruction `index` (in `stage`), or everywhere when
    /// `index` is `None`.
    pub(crate) fn suppressed(&self, rule: &RuleMeta, index: Option<usize>, stage: Option<usize>) -> bool {
        let hit = |codes: &Vec<String>| codes.iter().any(|c| rule.matches(c));
        hit(&self.global)
            || index.and_then(|i| self.instruction.get(&i)).is_some_and(hit)
            || stage.and_then(|s| self.stage.get(&s)).is_some_and(hit)
            || rule.upstream_id("buildkit").is_some_and(|name| {
                self.buildkit_skip.iter().any(|s| s.eq_ignore_ascii_case("all") || s.eq_ignore_ascii_case(name))
            })
    }

    /// `# check=error=true` makes BuildKit checks errors.
    pub(crate) fn adjust(&self, diagnostic: &mut Diagnostic) {
        if self.buildkit_error && diagnostic.rule.upstream_id("buildkit").is_some() {
            diagnostic.severity = Severity::Error;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(comment: &str) -> Option<Vec<String>> {
        pragma(comment).map(|(_, c)| c)
    }

    #[test]
    fn reads_pragmas() {
        assert_eq!(codes("# dockopt ignore=DO301,DL3008 because reasons"), Some(vec!["DO301".into(), "DL3008".into()]));
        assert_eq!(codes("# hadolint ignore=DL3003, DL3006"), Some(vec!["DL3003".into(), "DL3006".into()]));
        assert!(matches!(pragma("#hadolint global ignore=DL3059"), Some((Scope::Global, _))));
        assert!(matches!(pragma("# dockopt stage ignore=x"), Some((Scope::Stage, _))));
        assert_eq!(codes("# just a comment about dockopt"), None);
        assert_eq!(codes("# dockopt ignore="), None);
    }
}
