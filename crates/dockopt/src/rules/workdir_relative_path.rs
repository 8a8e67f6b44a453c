//! DO102 relative-workdir: a relative WORKDIR before any absolute one in the stage.

use crate::lint::paths::resolve;
use crate::lint::{Category, Context, Edit, Fix, FixAvailability, Ins, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO102",
    name: "relative-workdir",
    category: Category::Correctness,
    severity: Severity::Warning,
    upstream: &["hadolint:DL3000", "buildkit:WorkdirRelativePath", "trivy:DS-0009", "checkov:CKV_DOCKER_10"],
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

## Fix safety
The fix writes the absolute path the relative one resolves to. It is safe when the working
directory before it is known from the file: `/` after `FROM scratch`, or the directory an
earlier stage this one is built on ends with (`FROM base` after `WORKDIR /srv` in `base`
makes `WORKDIR app` `/srv/app`). Otherwise the base image decides (many set a `WORKDIR`), so
for the first WORKDIR of such a stage the fix puts the path under `/` as an unsafe fix; later
ones are left until the first is absolute. Paths with variables or backslashes, and
arguments of more than one word, get no fix.
"#,
    fix: FixAvailability::Sometimes,
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
        let stage_ends = working_dirs_at_stage_ends(cx);
        let mut walk = Walk { stage: None, dir: None, workdirs: 0 };
        let mut absolute_in_stage: Option<Option<usize>> = None;
        for ins in cx.all("WORKDIR") {
            let Some(path) = ins.model.arguments.first() else { continue };
            let path = path.trim_matches(['"', '\'']);
            let (before, first) = walk.step(cx, ins, path, &stage_ends);
            if path.starts_with('$') {
                continue;
            }
            if is_absolute(path) {
                absolute_in_stage = Some(ins.model.stage());
            } else if absolute_in_stage != Some(ins.model.stage()) {
                let d = out.report(cx.arguments_range(ins), format!("WORKDIR `{path}` is relative; use an absolute path"));
                d.set_fix(fix(cx, ins, path, before.as_deref(), first));
            }
        }
    }
}

/// Safe when the directory before is known; unsafe under `/` for the first WORKDIR of a stage
/// whose base image decides; none otherwise.
fn fix(cx: &Context, ins: Ins, path: &str, before: Option<&str>, first: bool) -> Option<Fix> {
    match before {
        Some(dir) => Some(Fix::safe("Use the absolute path", vec![replacement(cx, ins, &resolve(Some(dir), path)?)?])),
        None if first => {
            Some(Fix::unsafe_("Put the path under `/`", vec![replacement(cx, ins, &resolve(Some("/"), path)?)?]))
        }
        None => None,
    }
}

/// The working directory through the WORKDIRs of a stage, as far as the file decides it.
struct Walk {
    stage: Option<usize>,
    dir: Option<String>,
    workdirs: usize,
}

impl Walk {
    /// Go through `WORKDIR path` (`ins`): the directory before it, and whether it is the
    /// first WORKDIR of its stage.
    fn step(&mut self, cx: &Context, ins: Ins, path: &str, ends: &[Option<String>]) -> (Option<String>, bool) {
        if self.workdirs == 0 || self.stage != ins.model.stage() {
            let dir = ins.model.stage().and_then(|s| working_dir_at_start(cx, s, ends));
            *self = Walk { stage: ins.model.stage(), dir, workdirs: 0 };
        }
        let before = self.dir.take();
        self.dir = resolve(before.as_deref(), path);
        self.workdirs += 1;
        (before, self.workdirs == 1)
    }
}

/// The working directory each stage ends with, when the file alone decides it.
fn working_dirs_at_stage_ends(cx: &Context) -> Vec<Option<String>> {
    let mut ends: Vec<Option<String>> = Vec::with_capacity(cx.model.stages.len());
    for stage in &cx.model.stages {
        let mut dir = working_dir_at_start(cx, stage.index, &ends);
        for ins in stage.instructions.iter().map(|&i| cx.ins(i)).filter(|i| i.is("WORKDIR")) {
            let path = ins.model.arguments.first().map_or("", |p| p.trim_matches(['"', '\'']));
            dir = resolve(dir.as_deref(), path);
        }
        ends.push(dir);
    }
    ends
}

/// `/` for `FROM scratch`, the end of an earlier stage it is built on, else unknown.
fn working_dir_at_start(cx: &Context, stage: usize, ends: &[Option<String>]) -> Option<String> {
    let stage = cx.model.stages.get(stage)?;
    if stage.scratch {
        return Some("/".to_owned());
    }
    stage.base_stage.and_then(|b| ends.get(b).cloned().flatten())
}

/// The edit writing `absolute` in place of the single argument word (inside its quotes).
fn replacement(cx: &Context, ins: Ins, absolute: &str) -> Option<Edit> {
    let [word] = &cx.word_ranges(ins)[..] else { return None };
    let text = cx.text(word.clone());
    let quote = text.chars().next().filter(|c| *c == '"' || *c == '\'').filter(|&q| text.len() > 1 && text.ends_with(q));
    let inner = quote.map_or(word.clone(), |q| word.start + q.len_utf8()..word.end - q.len_utf8());
    Some(Edit::replace(inner, absolute.to_owned()))
}

#[cfg(test)]
mod tests {
    use crate::lint::Applicability;
    use crate::lint::testing::{assert_clean, check, fixed, hits};

    fn applicability(src: &str) -> Option<Applicability> {
        check("DO102", src).into_iter().next()?.fix.map(|f| f.applicability)
    }

    #[test]
    fn safe_fix_when_the_directory_before_is_known() {
        let scratch = "FROM scratch\nWORKDIR app/./bin/\n";
        assert_eq!(fixed("DO102", scratch).as_deref(), Some("FROM scratch\nWORKDIR /app/bin\n"));
        assert_eq!(applicability(scratch), Some(Applicability::Safe));
        let staged = "FROM x AS base\nWORKDIR /srv\nWORKDIR ../opt\nFROM base\n# here\nWORKDIR \"app\"\n";
        assert_eq!(fixed("DO102", staged).as_deref(), Some("FROM x AS base\nWORKDIR /srv\nWORKDIR ../opt\nFROM base\n# here\nWORKDIR \"/opt/app\"\n"));
        assert_eq!(applicability(staged), Some(Applicability::Safe));
        let chained = "FROM scratch\nWORKDIR a\nWORKDIR b\n";
        let fixes: Vec<_> = check("DO102", chained).into_iter().map(|d| d.fix.unwrap().edits[0].content.clone()).collect();
        assert_eq!(fixes, ["/a", "/a/b"]);
    }

    #[test]
    fn unsafe_fix_under_root_when_the_base_image_decides() {
        let src = "# escape=`\nFROM python:3.12-slim\nWORKDIR `\n  app\n";
        assert_eq!(fixed("DO102", src).as_deref(), Some("# escape=`\nFROM python:3.12-slim\nWORKDIR `\n  /app\n"));
        assert_eq!(applicability(src), Some(Applicability::Unsafe));
        let second = "FROM python\nWORKDIR a\nWORKDIR b\n";
        assert!(check("DO102", second)[1].fix.is_none(), "left until the first is absolute");
        assert_eq!(applicability("FROM python\nWORKDIR $HOME\nWORKDIR b\n"), None);
        assert_eq!(applicability("FROM python\nWORKDIR my app\n"), None);
        assert_eq!(applicability("FROM scratch\nWORKDIR app/$V\n"), None);
        assert_eq!(applicability("FROM x AS base\nFROM base\nWORKDIR a\n"), Some(Applicability::Unsafe));
    }

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
