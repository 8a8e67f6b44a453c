//! DO524 pip-package-unpinned: `pip install` of a package without a version.

use crate::lint::packages::subcommand_operands;
use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};
use crate::shell::Command;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO524",
    name: "pip-package-unpinned",
    category: Category::Maintainability,
    severity: Severity::Warning,
    upstream: &["hadolint:DL3013"],
    summary: "Packages installed with pip should have a pinned version.",
    docs: r#"## What it does
Finds packages named in `pip install` (also `pip3`, `pip3.12`, `python -m pip`) or `pipx install`
that carry no version specifier (`==`, `>=`, `~=`, `<`, `!=` ...). Installs from a requirements file
(`-r`), with constraints (`-c`), of the current project (`.`), of local paths, wheels and
sdists, and of VCS URLs pinned with `@ref` are fine. Words only known at build time are not
judged, nor is `pipx install --spec <requirement> <app>` (the version is in the spec).

## Why is this bad?
An unpinned package resolves to the newest release on every build: images stop being
reproducible, and a new major version can break the application with no change to the
Dockerfile.

## Example
```dockerfile
RUN pip install --no-cache-dir flask
```

## Use instead
```dockerfile
RUN pip install --no-cache-dir flask==3.0.3
```
or pin everything in a requirements file:
```dockerfile
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
```
"#,
    fix: FixAvailability::None,
    default_enabled: true,
};

/// pip options that take a value.
const VALUE_OPTIONS: [&str; 26] = [
    "abi",
    "b",
    "build",
    "e",
    "editable",
    "extra-index-url",
    "f",
    "find-links",
    "i",
    "index-url",
    "implementation",
    "no-binary",
    "only-binary",
    "platform",
    "prefix",
    "progress-bar",
    "proxy",
    "python",
    "python-version",
    "root",
    "root-user-action",
    "src",
    "t",
    "target",
    "trusted-host",
    "upgrade-strategy",
];

/// `pipx install` options that take a value.
const PIPX_VALUE_OPTIONS: [&str; 7] = ["python", "pip-args", "i", "index-url", "suffix", "spec", "preinstall"];

const VCS: [&str; 4] = ["git+", "hg+", "svn+", "bzr+"];

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        for (_, command) in cx.commands(None) {
            let pipx = is_pipx(command);
            if !(pipx || is_pip(command)) || has_requirements(command) || (pipx && command.has_option(None, Some("spec")))
            {
                continue;
            }
            let value_options: &[&str] = if pipx { &PIPX_VALUE_OPTIONS } else { &VALUE_OPTIONS };
            let Some((_, packages)) = subcommand_operands(command, &["install"], value_options) else { continue };
            for package in packages {
                if !pinned(package.value()) {
                    let name = package.text();
                    out.report(package.range(), format!("pin the version of `{name}`: `{name}==<version>`"));
                }
            }
        }
    }
}

/// `pip`, `pip3`, `pip3.12`, or `python[3] -m pip`.
fn is_pip(command: &Command) -> bool {
    let Some(program) = command.program() else { return false };
    let plain = program.strip_prefix("pip").is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'));
    let module = program.starts_with("python")
        && command.args.windows(2).any(|w| w[0].text() == "-m" && w[1].text() == "pip");
    plain || module
}

/// `pipx`, or `python[3] -m pipx`.
fn is_pipx(command: &Command) -> bool {
    let Some(program) = command.program() else { return false };
    program == "pipx"
        || (program.starts_with("python") && command.args.windows(2).any(|w| w[0].text() == "-m" && w[1].text() == "pipx"))
}

fn has_requirements(command: &Command) -> bool {
    command.has_option(Some('r'), Some("requirement"))
        || command.has_option(Some('c'), Some("constraint"))
        || command.operands().any(|w| w.text() == ".")
}

/// Whether a package word names a version, a file or a pinned VCS ref. `value` is `None` when
/// the word is only known at build time (`"$PKG"`, `flask==$V`): not judged.
fn pinned(value: Option<&str>) -> bool {
    let Some(name) = value else { return true };
    let vcs = VCS.iter().any(|p| name.starts_with(p));
    ["==", ">=", "<=", ">", "<", "!=", "~=", "==="].iter().any(|s| name.contains(s))
        || (vcs && name.rsplit('/').next().is_some_and(|last| last.contains('@')))
        || name.ends_with(".whl")
        || name.ends_with(".tar.gz")
        || name.ends_with(".zip")
        || (!vcs && (name.contains('/') || name.starts_with('.')))
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, hits};

    #[test]
    fn fires_per_unpinned_package() {
        let src = "FROM python:3.12\nRUN pip install --no-cache-dir \\\n    flask==3.0 \\\n    requests\n";
        assert_eq!(hits("DO524", src), vec![(4, "requests".into())]);
        let heredoc = "FROM python:3.12\nRUN <<EOF\npython3 -m pip install -i https://x/simple 'uvicorn[standard]'\nEOF\n";
        assert_eq!(hits("DO524", heredoc), vec![(3, "'uvicorn[standard]'".into())]);
        assert_eq!(hits("DO524", "FROM python:3.12\nONBUILD RUN pip3 install gunicorn\n").len(), 1);
        let escape = "# escape=`\nFROM python:3.12\nRUN pip install `\n  git+https://github.com/o/r.git\n";
        assert_eq!(hits("DO524", escape), vec![(4, "git+https://github.com/o/r.git".into())]);
    }

    #[test]
    fn pipx_install_is_checked_like_pip() {
        assert_eq!(hits("DO524", "FROM python:3.12
RUN pipx install black
"), vec![(2, "black".into())]);
        let python = "FROM python:3.12
RUN pipx install --python \"$(which python)\" poetry ruff==0.6.9
";
        assert_eq!(hits("DO524", python), vec![(2, "poetry".into())]);
        assert_eq!(hits("DO524", "FROM python:3.12
RUN python3 -m pipx install --pip-args '--no-cache-dir' tox
").len(), 1);
        assert_clean("DO524", "FROM python:3.12
RUN pipx install 'black==24.8.0' ./tool git+https://h/o/r.git@v1
");
        assert_clean("DO524", "FROM python:3.12
RUN pipx install --spec black==22.1 black && pipx run cowsay hi
");
    }

    #[test]
    fn quiet_on_pins_files_and_requirements() {
        assert_clean("DO524", "FROM python:3.12\nRUN pip install 'a>=1,<2' b~=1.4 c!=2 ./pkg dist/x.whl git+https://h/o/r.git@v1 \"$PKG\"\n");
        assert_clean("DO524", "FROM python:3.12\nRUN pip install -r requirements.txt\n");
        assert_clean("DO524", "FROM python:3.12\nRUN pip install --constraint c.txt flask\n");
        assert_clean("DO524", "FROM python:3.12\nRUN pip install -e . && pipenv install flask\n");
        assert_clean("DO524", "FROM python:3.12\nRUN pip download flask && python -m venv /v\n");
    }
}
