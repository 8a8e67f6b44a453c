//! DO163 overridden-entrypoint: An ENTRYPOINT that a later ENTRYPOINT in the same stage replaces.

use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO163",
    name: "overridden-entrypoint",
    category: Category::Correctness,
    severity: Severity::Error,
    upstream: &["hadolint:DL4004", "buildkit:MultipleInstructionsDisallowed", "trivy:DS-0007"],
    summary: "An ENTRYPOINT that a later ENTRYPOINT in the same stage replaces.",
    docs: r#"## What it does
Finds a `ENTRYPOINT` followed by another `ENTRYPOINT` in the same stage and reports the earlier one,
the one that has no effect (as BuildKit does; hadolint reports the later one). `ONBUILD ENTRYPOINT`
is not counted: it applies to images built from this one.

## Why is this bad?
An image has one entrypoint: only the last `ENTRYPOINT` of the stage counts. The earlier one
is dead code that readers take for the real entrypoint.

## Example
```dockerfile
FROM nginx
ENTRYPOINT ["/init"]
ENTRYPOINT ["/app"]
```

## Use instead
```dockerfile
FROM nginx
ENTRYPOINT ["/app"]
```

## Fix safety
The fix deletes the overridden instruction. It is safe: the image configuration is the same
with or without it.
"#,
    fix: FixAvailability::Always,
    default_enabled: true,
};

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        crate::lint::overridden::report_overridden(cx, out, "ENTRYPOINT");
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, check, hits};

    #[test]
    fn fires_on_the_overridden_one() {
        let src = "FROM a\nENTRYPOINT [\"x\"]\nentrypoint y \\\n  z\nRUN true\nENTRYPOINT [\"w\"]\nFROM b\nENTRYPOINT [\"v\"]\n";
        assert_eq!(hits("DO163", src), vec![(2, "ENTRYPOINT [\"x\"]".into()), (3, "entrypoint y \\\n  z".into())]);
        let heredoc = "FROM a\nENTRYPOINT <<EOF\nx\nEOF\nENTRYPOINT [\"y\"]\n";
        assert_eq!(hits("DO163", heredoc).len(), 1);
        let escape = "# escape=`\nFROM a\nENTRYPOINT x `\n  y\nENTRYPOINT z\n";
        assert_eq!(hits("DO163", escape), vec![(3, "ENTRYPOINT x `\n  y".into())]);
    }

    #[test]
    fn fix_removes_the_lines() {
        let src = "FROM a\nENTRYPOINT x \\\n  y\nENTRYPOINT z\n";
        let fix = check("DO163", src)[0].fix.clone().unwrap();
        assert_eq!(fix.edits[0].range, 7..src.len() - "ENTRYPOINT z\n".len());
    }

    #[test]
    fn quiet_once_per_stage() {
        assert_clean("DO163", "FROM a\nENTRYPOINT x\nFROM b\nENTRYPOINT y\n");
        assert_clean("DO163", "FROM a\nONBUILD ENTRYPOINT x\nENTRYPOINT y\nHEALTHCHECK CMD true\n");
    }
}
