//! DO533 git-clone-unpinned: `git clone` of a repository's default branch, never checked out
//! at a fixed revision.

use crate::lint::install::commands;
use crate::lint::invocation::unwrap;
use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};
use crate::shell::Command;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO533",
    name: "git-clone-unpinned",
    category: Category::Maintainability,
    severity: Severity::Info,
    upstream: &[],
    summary: "Clone git repositories at a tag or commit, not at whatever the branch holds.",
    docs: r#"## What it does
Finds `git clone` of a remote repository in a `RUN` that neither names a revision with
`--branch` / `-b` (other than a usual branch name such as `main`, `master` or `develop`) nor
runs `git checkout`, `git switch`, `git reset --hard` or `git fetch` of a revision afterwards.

## Why is this bad?
The clone takes whatever the default branch holds on the day of the build, so two builds of
the same Dockerfile get different code, and a change upstream can break the image or bring in
unreviewed code without any change here. The layer cache makes it worse: the RUN's text does
not change, so the cached clone stays until the cache is cleared, and nobody can tell which
revision an image has.

## Example
```dockerfile
RUN git clone https://github.com/example/tool.git /opt/tool
```

## Use instead
```dockerfile
RUN git clone --depth 1 --branch v1.4.2 https://github.com/example/tool.git /opt/tool
```
or `ADD https://github.com/example/tool.git#v1.4.2 /opt/tool` (BuildKit's git source, which
also works with the cache).
"#,
    fix: FixAvailability::None,
    default_enabled: false,
};

/// git clone options that take the next word as their value.
const VALUE_OPTIONS: [&str; 12] = [
    "-b",
    "--branch",
    "--depth",
    "-o",
    "--origin",
    "-c",
    "--config",
    "--reference",
    "--separate-git-dir",
    "-j",
    "--jobs",
    "--filter",
];

const BRANCHES: [&str; 7] = ["main", "master", "develop", "dev", "trunk", "HEAD", "latest"];

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        for ins in cx.instructions() {
            let commands = commands(cx, ins);
            for (at, command) in commands.iter().enumerate() {
                let inner = unwrap(command);
                if !is_git(&inner, "clone") {
                    continue;
                }
                let Some(url) = url(&inner) else { continue };
                if pinned_branch(&inner) || commands[at + 1..].iter().any(|c| pins(c)) {
                    continue;
                }
                out.report(
                    command.range(),
                    format!("`{url}` is cloned at whatever its branch holds today; clone a tag (`--branch v1.2.3`) or check out a commit"),
                );
            }
        }
    }
}

/// `git [-C dir] <sub>`.
fn is_git(command: &Command, sub: &str) -> bool {
    if !command.is("git") {
        return false;
    }
    let mut words = command.args.iter().map(|w| w.text());
    while let Some(w) = words.next() {
        if w == "-C" || w == "-c" {
            words.next();
        } else if !w.starts_with('-') {
            return w == sub;
        }
    }
    false
}

/// The repository of a clone, when it is a remote URL.
fn url(command: &Command) -> Option<&str> {
    let mut words = command.args.iter().map(|w| w.text()).skip_while(|w| *w != "clone").skip(1);
    while let Some(w) = words.next() {
        if VALUE_OPTIONS.contains(&w) {
            words.next();
        } else if !w.starts_with('-') {
            let remote = w.contains("://") || w.starts_with("git@") || w.contains(".git");
            return remote.then_some(w);
        }
    }
    None
}

/// `--branch <name>` / `-b <name>` / `--branch=<name>` naming something other than a usual
/// branch (a tag, or a variable holding a version).
fn pinned_branch(command: &Command) -> bool {
    crate::lint::invocation::option_values(command, &["-b", "--branch"]).any(|(_, v)| !BRANCHES.contains(&v.as_str()))
        || command.args.iter().any(|w| w.text() == "--revision" || w.text().starts_with("--revision="))
}

/// `git checkout`, `git switch`, `git reset --hard`, `git fetch ... <rev>`: the RUN picks a
/// revision after the clone.
fn pins(command: &Command) -> bool {
    let inner = unwrap(command);
    ["checkout", "switch", "reset", "fetch"].iter().any(|s| is_git(&inner, s))
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, hits};

    #[test]
    fn fires_on_clones_of_a_branch() {
        let src = "FROM a\nRUN git clone https://github.com/o/r.git /opt/r && make -C /opt/r\n";
        assert_eq!(hits("DO533", src), vec![(2, "git clone https://github.com/o/r.git /opt/r".into())]);
        assert_eq!(hits("DO533", "FROM a\nRUN git clone --depth 1 -b master git@github.com:o/r.git\n").len(), 1);
        assert_eq!(hits("DO533", "FROM a\nRUN git -c http.x=y clone --recursive https://gitlab.com/o/r\n").len(), 1);
    }

    #[test]
    fn quiet_when_a_revision_is_chosen() {
        assert_clean("DO533", "FROM a\nRUN git clone --branch v1.2.3 --depth 1 https://github.com/o/r.git\n");
        assert_clean("DO533", "FROM a\nRUN git clone -b \"$VERSION\" https://github.com/o/r.git\n");
        assert_clean("DO533", "FROM a\nRUN git clone https://github.com/o/r.git && cd r && git checkout 1a2b3c\n");
        assert_clean("DO533", "FROM a\nRUN git clone https://x/r.git /r && git -C /r reset --hard $REV\n");
        assert_clean("DO533", "FROM a\nRUN git clone /src/local /build\n");
    }
}
