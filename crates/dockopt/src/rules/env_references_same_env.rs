//! DO148 env-references-same-env: an ENV value using a variable the same ENV sets.

use std::collections::HashSet;

use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO148",
    name: "env-references-same-env",
    category: Category::Correctness,
    severity: Severity::Error,
    upstream: &["hadolint:DL3044"],
    summary: "An ENV value should not use a variable that the same ENV sets.",
    docs: r#"## What it does
Finds `ENV A=1 B=$A`: a value referring (`$A`, `${A}`, `${A:-x}`) to another key of the same
instruction, when that variable was not set before in the stage (by ARG or ENV in the stage,
or ENV of a stage it is built on). A variable referring to itself (`PATH=/x:$PATH`) is fine.
Values in single quotes are not expanded and are not checked.

Unlike hadolint, which remembers every ARG and ENV seen anywhere above, this rule follows
BuildKit's scoping: a global ARG or a variable of an unrelated stage is not visible inside
the stage, so referring to it still gives an empty value.

## Why is this bad?
All values of one ENV are expanded before any of them is set, so `B` gets the value `A` had
*before* the instruction, usually an empty string.

## Example
```dockerfile
ENV APP_HOME=/app APP_BIN=$APP_HOME/bin
```

## Use instead
```dockerfile
ENV APP_HOME=/app
ENV APP_BIN=$APP_HOME/bin
```
"#,
    fix: FixAvailability::None,
    default_enabled: true,
};

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        let escape = cx.model.escape;
        for stage in &cx.model.stages {
            let mut known: HashSet<&str> = HashSet::new();
            let mut base = stage.base_stage;
            while let Some(b) = base {
                let parent = &cx.model.stages[b];
                known.extend(parent.variables.iter().filter(|v| v.kind == "env").map(|v| v.name.as_str()));
                base = parent.base_stage.filter(|&p| p < b);
            }
            for &index in &stage.instructions {
                let ins = cx.ins(index);
                let keys: Vec<&str> = ins.model.pairs.iter().map(|p| p.key.as_ref()).collect();
                if ins.is("ENV") {
                    for (j, pair) in ins.model.pairs.iter().enumerate() {
                        let Some(value) = pair.value.as_deref() else { continue };
                        // Every pair sees the variables as they were before this ENV: a name
                        // another pair sets gets its old value, and a pair that sets its own
                        // name again (`PATH=/a:$PATH PATH=/b:$PATH`) drops the earlier pair.
                        let used = keys.iter().enumerate().find(|&(i, k)| {
                            let again = i < j && *k == &*pair.key;
                            (again || (i != j && *k != &*pair.key && !known.contains(k))) && references(value, k, escape)
                        });
                        if let Some((_, name)) = used {
                            let words = cx.word_ranges(ins);
                            // The word of this pair: the n-th that sets its key, when earlier
                            // pairs set the same key.
                            let nth = keys[..j].iter().filter(|k| **k == &*pair.key).count();
                            let start = words
                                .iter()
                                .enumerate()
                                .filter(|(_, w)| cx.text((*w).clone()).starts_with(&format!("{}=", pair.key)))
                                .nth(nth)
                                .map_or(0, |(i, _)| i);
                            let range = words[start..]
                                .iter()
                                .find(|w| references(cx.text((*w).clone()), name, escape))
                                .cloned()
                                .unwrap_or_else(|| cx.arguments_range(ins));
                            out.report(
                                range,
                                format!("`{name}` is set by this same ENV, so `{}` gets its old value; set `{name}` in an earlier ENV", pair.key),
                            );
                        }
                    }
                }
                if ins.is("ENV") || ins.is("ARG") {
                    known.extend(keys);
                }
            }
        }
    }
}

/// Whether `text` expands the variable `name` (outside single quotes, not escaped).
fn references(text: &str, name: &str, escape: char) -> bool {
    let mut chars = text.char_indices().peekable();
    let mut quoted = false;
    while let Some((i, c)) = chars.next() {
        if c == escape && !quoted {
            chars.next();
        } else if c == '\'' {
            quoted = !quoted;
        } else if c == '$' && !quoted {
            let rest = &text[i + 1..];
            let rest = rest.strip_prefix('{').unwrap_or(rest);
            let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(rest.len());
            if &rest[..end] == name {
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, hits};

    #[test]
    fn fires_on_references_to_keys_of_the_same_env() {
        let src = "FROM a\nENV A=/app B=$A/bin\n";
        assert_eq!(hits("DO148", src), vec![(2, "B=$A/bin".into())]);
        let src = "FROM a\nENV A=1 \\\n    B=\"x ${A:-y}\" C=2\n";
        assert_eq!(hits("DO148", src), vec![(3, "${A:-y}\"".into())]);
        let src = "ARG A=1\nFROM a\nENV A=2 B=${A}\n";
        assert_eq!(hits("DO148", src).len(), 1, "a global ARG is not visible in the stage");
        let src = "# escape=`\nFROM a\nENV A=1 `\n  B=$A\n";
        assert_eq!(hits("DO148", src), vec![(4, "B=$A".into())]);
    }

    #[test]
    fn fires_when_a_pair_sets_its_own_name_again() {
        // hadolint's rule test: the first PATH addition is lost.
        assert_eq!(hits("DO148", "FROM a\nENV PATH=/bla:${PATH} PATH=/blubb:${PATH}\n"), vec![(2, "PATH=/blubb:${PATH}".into())]);
        assert_eq!(hits("DO148", "FROM a\nENV PATH=/a\nENV PATH=/b:$PATH PATH=/c:$PATH\n").len(), 1);
        assert_clean("DO148", "FROM a\nENV PATH=/bla:${PATH}\nENV PATH=/blubb:${PATH}\n");
    }

    #[test]
    fn quiet_when_defined_before_self_or_unexpanded() {
        assert_clean("DO148", "FROM a\nENV PATH=/x:$PATH A=1\nENV B=$A\n");
        assert_clean("DO148", "FROM a\nARG A\nENV A=1 B=$A\n");
        assert_clean("DO148", "FROM a AS base\nENV A=0\nFROM base\nENV A=1 B=$A\n");
        assert_clean("DO148", "FROM a\nENV A=1 B='$A' C=\\$A D=$AB\n");
        assert_clean("DO148", "FROM a\nENV A 1 $A\n");
    }
}
