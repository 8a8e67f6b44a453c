//! DO102 relative-workdir: a relative WORKDIR before any absolute one in the stage.

use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO102",
    name: "relative-workdir",
    category: Category::Correctness,
    severity: Severity::Warning,
    upstream: &["hadolint:DL3000", "buildkit:WorkdirRelativePath"],
    summary: "WORKDIR should be an absolute path unless an absolute WORKDIR was set earlier in the stage.",
    docs: r#"## What it does
Finds a `WORKDIR` with a relative path in a stage that has not set an absolute `WORKDIR` yet.

## Why is this bad?
A relative `WORKDIR` is resolved against the working directory of the base image, which is
whatever its authors chose and may change with the next tag. The result is a path nobody wrote
down.

hadolint flags every relative `WORKDIR`; like BuildKit, dockopt accepts one that follows an
absolute `WORKDIR` in the same stage, because its result is then fully determined by the file.
Paths that start with a variable are not judged.

## Example
```dockerfile
FROM python:3.12-slim
WORKDIR app
```

## Use instead
```dockerfile
FROM python:3.12-slim
WORKDIR /app
```
"#,
    fix: FixAvailability::None,
    default_enabled: true,
};

/// `/x`, `C:\x`, `C:/x`, `\x`.
fn is_absolute(path: &str) -> bool {
    let b = path.as_bytes();
    path.starts_with('/')
        || path.starts_with('\\')
        || (b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && (b[2] == b'\\' || b[2] == b'/'))
}

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        let mut absolute_in_stage: Option<Option<usize>> = None;
        for ins in cx.all("WORKDIR") {
            let Some(path) = ins.model.arguments.first() else { continue };
            let path = path.trim_matches(['"', '\'']);
            if path.starts_with('$') {
                continue;
            }
            if is_absolute(path) {
                absolute_in_stage = Some(ins.model.stage);
            } else if absolute_in_stage != Some(ins.model.stage) {
                out.report(cx.arguments_range(ins), format!("WORKDIR `{path}` is relative; use an absolute path"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, hits};

    #[test]
    fn fires_on_relative_paths_without_an_absolute_base() {
        assert_eq!(hits("DO102", "FROM a\nWORKDIR app\n"), vec![(2, "app".into())]);
        assert_eq!(hits("DO102", "FROM a\nWORKDIR /x\nFROM b\nWORKDIR y\n"), vec![(4, "y".into())]);
        assert_eq!(hits("DO102", "# escape=`\nFROM a\nWORKDIR `\n  app\n").len(), 1);
    }

    #[test]
    fn quiet_on_absolute_variable_or_anchored_paths() {
        assert_clean("DO102", "FROM a\nWORKDIR /app\nWORKDIR src\n");
        assert_clean("DO102", "FROM a\nWORKDIR $HOME/app\nWORKDIR \"/quoted\"\n");
        assert_clean("DO102", "FROM mcr.microsoft.com/windows\nWORKDIR C:\\app\n");
    }
}
