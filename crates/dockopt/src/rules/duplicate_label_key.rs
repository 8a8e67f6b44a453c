//! DO571 duplicate-label-key: the same LABEL key set twice in one stage.

use std::collections::HashMap;

use crate::lint::labels::labels;
use crate::lint::{Category, Context, Edit, Fix, FixAvailability, Ins, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO571",
    name: "duplicate-label-key",
    category: Category::Maintainability,
    severity: Severity::Warning,
    upstream: &["tally:labels/no-duplicate-keys"],
    summary: "Set each LABEL key once per stage; the earlier value is silently replaced.",
    docs: r#"## What it does
Finds a `LABEL` key that a later `LABEL` of the same stage sets again, and reports the earlier
one. Keys with variables, and labels under `ONBUILD`, are not compared; nor are labels of
different stages (each stage describes its own image).

## Why is this bad?
Labels are a map: the image keeps the last value. The earlier line does nothing but reads as
if it did, and when the two values differ, someone editing the first one will wonder why the
image does not change.

## Example
```dockerfile
LABEL org.opencontainers.image.version="1.2.0"
COPY . /app
LABEL org.opencontainers.image.version="1.3.0"
```

## Use instead
```dockerfile
COPY . /app
LABEL org.opencontainers.image.version="1.3.0"
```

## Fix safety
When the earlier key is the only one of its `LABEL` instruction, the fix deletes that
instruction. It is safe: labels do not affect the build, and the image keeps the later value
it had anyway. Otherwise there is no fix.
"#,
    fix: FixAvailability::Sometimes,
    default_enabled: true,
};

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        let all = labels(cx);
        // The last entry of each (stage, key), to tell earlier ones they are overridden.
        let mut last: HashMap<(usize, &str), usize> = HashMap::new();
        for (i, label) in all.iter().enumerate() {
            let Some(stage) = label.ins.model.stage().filter(|_| label.ins.model.onbuild().is_none()) else { continue };
            if !label.key.contains('$') {
                last.insert((stage, label.key.as_str()), i);
            }
        }
        for (i, label) in all.iter().enumerate() {
            let Some(stage) = label.ins.model.stage().filter(|_| label.ins.model.onbuild().is_none()) else { continue };
            let Some(&later) = last.get(&(stage, label.key.as_str())).filter(|&&l| l != i) else { continue };
            let line = cx.line(all[later].key_range.start);
            let message = format!("label `{}` is set again on line {line}, which replaces this value", label.key);
            let d = out.report(label.key_range.clone(), message);
            d.set_fix(deletion(cx, label.ins).map(|edit| Fix::safe("Remove the overridden LABEL", vec![edit])));
        }
    }
}

/// Delete a LABEL with one key, whole lines, when nothing else is on them.
fn deletion(cx: &Context, ins: Ins) -> Option<Edit> {
    if ins.model.pairs.len() != 1 {
        return None;
    }
    let range = ins.syntax.range.clone();
    let at_line_start = range.start == 0 || cx.src[..range.start].ends_with('\n');
    let rest = &cx.src[range.end..];
    let newline = if rest.starts_with("\r\n") { 2 } else { usize::from(rest.starts_with('\n')) };
    at_line_start.then(|| Edit::delete(range.start..range.end + newline))
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, fixed, hits};

    #[test]
    fn fires_on_the_overridden_key() {
        let src = "FROM a\nLABEL version=1 maintainer=x\nRUN true\nLABEL \"version\"=2\n";
        assert_eq!(hits("DO571", src), vec![(2, "version".into())]);
        let src = "FROM a\nLABEL a=1 a=2\n";
        assert_eq!(hits("DO571", src).len(), 1);
    }

    #[test]
    fn fix_deletes_a_single_key_label() {
        let src = "FROM a\nLABEL version=1\nRUN true\nLABEL version=2\n";
        assert_eq!(fixed("DO571", src).as_deref(), Some("FROM a\nRUN true\nLABEL version=2\n"));
        assert_eq!(fixed("DO571", "FROM a\nLABEL v=1 w=2\nLABEL v=3\n"), None);
    }

    #[test]
    fn quiet_across_stages_onbuild_and_variables() {
        assert_clean("DO571", "FROM a AS b\nLABEL v=1\nFROM b\nLABEL v=2\n");
        assert_clean("DO571", "FROM a\nLABEL v=1\nONBUILD LABEL v=2\n");
        assert_clean("DO571", "FROM a\nLABEL $K=1\nLABEL $K=2\nLABEL v=1 w=2\n");
    }
}
