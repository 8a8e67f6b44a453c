//! DO122 duplicate-healthcheck: more than one HEALTHCHECK in a stage.

use crate::lint::overridden::removal;
use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO122",
    name: "duplicate-healthcheck",
    category: Category::Correctness,
    severity: Severity::Warning,
    upstream: &["hadolint:DL3012", "buildkit:MultipleInstructionsDisallowed", "trivy:DS-0023"],
    summary: "A stage should have at most one HEALTHCHECK: only the last one counts.",
    docs: r#"## What it does
Finds HEALTHCHECK instructions that a later HEALTHCHECK in the same stage replaces
(`HEALTHCHECK NONE` included). Like BuildKit, it reports the replaced instruction, since that
is the one with no effect; hadolint reports the later one.

## Why is this bad?
An image has one health check. Every HEALTHCHECK but the last is silently ignored, so the
check that runs may not be the one the reader sees first.

## Example
```dockerfile
HEALTHCHECK CMD curl -f http://localhost:8000/ || exit 1
HEALTHCHECK --interval=10s CMD curl -f http://localhost:8000/health || exit 1
```

## Use instead
```dockerfile
HEALTHCHECK --interval=10s CMD curl -f http://localhost:8000/health || exit 1
```

## Fix safety
The fix deletes the replaced HEALTHCHECK (all its lines; comments above it stay). It is safe:
the image configuration is the same with or without it.
"#,
    fix: FixAvailability::Always,
    default_enabled: true,
};

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        for stage in &cx.model.stages {
            let checks: Vec<_> = stage.instructions.iter().map(|&i| cx.ins(i)).filter(|i| i.is("HEALTHCHECK")).collect();
            for replaced in checks.iter().rev().skip(1) {
                let message = "a later HEALTHCHECK in this stage replaces this one; keep only one";
                out.report(cx.keyword_range(*replaced), message).set_fix(removal(cx, *replaced, "HEALTHCHECK"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, fixed, hits};

    #[test]
    fn fix_deletes_the_replaced_check_and_keeps_comments() {
        let src = "FROM a\n# probe\nHEALTHCHECK --interval=5s \\\n  CMD a\nHEALTHCHECK CMD b\n";
        assert_eq!(fixed("DO122", src).as_deref(), Some("FROM a\n# probe\nHEALTHCHECK CMD b\n"));
        let onbuild = "FROM a\nONBUILD HEALTHCHECK CMD x\nHEALTHCHECK NONE\nHEALTHCHECK CMD b";
        assert_eq!(fixed("DO122", onbuild).as_deref(), Some("FROM a\nONBUILD HEALTHCHECK CMD x\nHEALTHCHECK CMD b"));
    }

    #[test]
    fn reports_the_replaced_checks() {
        let src = "FROM a\nHEALTHCHECK CMD a\nCOPY <<EOF /x\nhi\nEOF\nhealthcheck NONE\nHEALTHCHECK \\\n  CMD b\n";
        assert_eq!(hits("DO122", src), vec![(2, "HEALTHCHECK".into()), (6, "healthcheck".into())]);
        let escape = "# escape=`\nFROM a\nHEALTHCHECK `\n  CMD a\nHEALTHCHECK CMD b\n";
        assert_eq!(hits("DO122", escape), vec![(3, "HEALTHCHECK".into())]);
    }

    #[test]
    fn one_per_stage_is_fine() {
        assert_clean("DO122", "FROM a AS one\nHEALTHCHECK CMD a\nFROM one\nHEALTHCHECK CMD b\n");
        assert_clean("DO122", "FROM a\nHEALTHCHECK CMD a\nONBUILD HEALTHCHECK CMD b\nCMD [\"x\"]\n");
    }
}
