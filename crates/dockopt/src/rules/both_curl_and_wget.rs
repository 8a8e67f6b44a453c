//! DO362 both-curl-and-wget: a stage uses both curl and wget.

use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO362",
    name: "both-curl-and-wget",
    category: Category::Size,
    severity: Severity::Warning,
    upstream: &["hadolint:DL4001", "trivy:DS-0014"],
    summary: "Use either curl or wget in a stage, not both.",
    docs: r#"## What it does
Finds stages whose `RUN`s call both `curl` and `wget`, and reports the uses of the one that
appears second. `ONBUILD RUN`s are counted separately from the stage's own `RUN`s, since
they run in another image.

## Why is this bad?
Two tools that do the same job both have to be installed, take space and need security
updates.

## Example
```dockerfile
RUN curl -fsSLo /tmp/a.tgz https://example.com/a.tgz
RUN wget -q https://example.com/b.tgz
```

## Use instead
```dockerfile
RUN curl -fsSLo /tmp/a.tgz https://example.com/a.tgz
RUN curl -fsSLO https://example.com/b.tgz
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
        for stage in 0..cx.model.stages.len() {
            for onbuild in [false, true] {
                let uses: Vec<_> = cx
                    .commands(Some(stage))
                    .filter(|(i, c)| i.model.onbuild().is_some() == onbuild && (c.is("curl") || c.is("wget")))
                    .collect();
                let Some((_, first)) = uses.first() else { continue };
                let first_tool = first.program().unwrap_or_default();
                let other = if first_tool == "curl" { "wget" } else { "curl" };
                for (_, command) in uses.iter().filter(|(_, c)| c.is(other)) {
                    let line = cx.line(first.range().start);
                    let message = format!("`{other}` is used here and `{first_tool}` on line {line}; use one of them");
                    out.report(command.name.as_ref().map_or(command.range(), |n| n.range()), message);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, hits};

    #[test]
    fn fires_on_the_second_tool() {
        let src = "FROM a\nRUN curl -o x https://x\nRUN <<EOF\nwget https://y\nEOF\nRUN wget z && curl w\n";
        assert_eq!(hits("DO362", src), vec![(4, "wget".into()), (6, "wget".into())]);
        let escape = "# escape=`\nFROM a\nRUN wget x && `\n  curl y\n";
        assert_eq!(hits("DO362", escape), vec![(4, "curl".into())]);
        assert_eq!(hits("DO362", "FROM a\nONBUILD RUN wget x\nONBUILD RUN curl y\n").len(), 1);
    }

    #[test]
    fn quiet_per_stage_and_per_onbuild() {
        assert_clean("DO362", "FROM a\nRUN curl x\nFROM b\nRUN wget y\n");
        assert_clean("DO362", "FROM a\nRUN curl x\nONBUILD RUN wget y\n");
        assert_clean("DO362", "FROM a\nRUN apt-get install -y curl wget\n");
    }
}
