//! DO162 overridden-cmd: A CMD that a later CMD in the same stage replaces.

use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO162",
    name: "overridden-cmd",
    category: Category::Correctness,
    severity: Severity::Warning,
    upstream: &["hadolint:DL4003", "buildkit:MultipleInstructionsDisallowed", "trivy:DS-0016"],
    summary: "A CMD that a later CMD in the same stage replaces.",
    docs: r#"## What it does
Finds a `CMD` followed by another `CMD` in the same stage and reports the earlier one,
the one that has no effect (as BuildKit does; hadolint reports the later one). `ONBUILD CMD`
is not counted: it applies to images built from this one.

## Why is this bad?
An image has one default command: only the last `CMD` of the stage counts. The earlier one
is dead code that readers take for the real command.

## Example
```dockerfile
FROM nginx
CMD ["nginx"]
CMD ["nginx", "-g", "daemon off;"]
```

## Use instead
```dockerfile
FROM nginx
CMD ["nginx", "-g", "daemon off;"]
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
        crate::lint::overridden::report_overridden(cx, out, "CMD");
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, check, fixed, hits};

    #[test]
    fn fires_on_the_overridden_one() {
        let src = "FROM a\nCMD [\"x\"]\ncmd y \\\n  z\nRUN true\nCMD [\"w\"]\nFROM b\nCMD [\"v\"]\n";
        assert_eq!(hits("DO162", src), vec![(2, "CMD [\"x\"]".into()), (3, "cmd y \\\n  z".into())]);
        let heredoc = "FROM a\nCMD <<EOF\nx\nEOF\nCMD [\"y\"]\n";
        assert_eq!(hits("DO162", heredoc).len(), 1);
        let escape = "# escape=`\nFROM a\nCMD x `\n  y\nCMD z\n";
        assert_eq!(hits("DO162", escape), vec![(3, "CMD x `\n  y".into())]);
    }

    #[test]
    fn fix_removes_the_lines() {
        let src = "FROM a\nCMD x \\\n  y\nCMD z\n";
        let fix = check("DO162", src)[0].fix.clone().unwrap();
        assert_eq!(fix.edits[0].range, 7..src.len() - "CMD z\n".len());
        let commented = "FROM a\n# default\nCMD [\"x\"]\nONBUILD CMD o\n\n# real\nCMD [\"y\"]\n";
        assert_eq!(fixed("DO162", commented).as_deref(), Some("FROM a\n# default\nONBUILD CMD o\n\n# real\nCMD [\"y\"]\n"));
    }

    #[test]
    fn quiet_once_per_stage() {
        assert_clean("DO162", "FROM a\nCMD x\nFROM b\nCMD y\n");
        assert_clean("DO162", "FROM a\nONBUILD CMD x\nCMD y\nHEALTHCHECK CMD true\n");
    }
}
