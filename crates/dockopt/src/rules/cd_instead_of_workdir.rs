//! DO520 cd-instead-of-workdir: `cd` in a RUN where WORKDIR would say it.

use crate::lint::{Category, Context, FixAvailability, Ins, Reporter, RuleMeta, Severity};
use crate::shell::Command;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO520",
    name: "cd-instead-of-workdir",
    category: Category::Maintainability,
    severity: Severity::Warning,
    upstream: &["hadolint:DL3003", "trivy:DS-0013"],
    summary: "Use WORKDIR to set the directory instead of `cd` in RUN.",
    docs: r#"## What it does
Finds the first `cd` of a RUN that changes into a lasting directory of the image (one finding
per RUN, like hadolint).

Unlike hadolint, it does not report the patterns where `cd` is the right tool
(hadolint issue #422):
- `cd` inside a subshell, `(cd src && make)` or `$(cd dir && pwd)`: it cannot leak;
- `cd` into a scratch directory: `/tmp` or below it, or a directory the same RUN deletes
  with `rm` (download, build, install, clean up in one layer), and any `cd` after it in that
  RUN that only leaves it again (to `/`, `..`, home, or back to the WORKDIR). WORKDIR would
  create that directory in the image and leave it as the working directory. A later `cd` into
  another lasting directory is still reported.

## Why is this bad?
`cd` lasts only for its RUN, so each later RUN needs it again, and readers must follow every
command line to know where things happen. WORKDIR sets the directory once, for every later
RUN, COPY, CMD and ENTRYPOINT, and creates it if needed.

## Example
```dockerfile
RUN cd /app && npm ci
RUN cd /app && npm run build
```

## Use instead
```dockerfile
WORKDIR /app
RUN npm ci
RUN npm run build
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
        for ins in cx.instructions() {
            // After a `cd` into a scratch directory, a `cd` that only leaves it again (to `/`,
            // `..`, back to the WORKDIR, ...) is part of the same pattern.
            let mut in_scratch = false;
            for command in cx.scripts(ins).iter().flat_map(|s| &s.commands).filter(|c| c.is("cd") && !c.subshell) {
                if scratch(cx, ins, command) {
                    in_scratch = true;
                    continue;
                }
                if in_scratch && leaves(cx, ins, command) {
                    continue;
                }
                out.report(command.range(), "`cd` lasts only for this RUN; set the directory with WORKDIR");
                // One finding per RUN: later `cd`s are the same habit.
                break;
            }
        }
    }
}

/// A `cd` that goes back rather than somewhere new: home, `/`, `-`, a relative path (inside
/// or above the scratch directory), or the working directory the stage set with WORKDIR.
fn leaves(cx: &Context, ins: Ins, cd: &Command) -> bool {
    let Some(dir) = cd.operands().next() else { return true };
    let raw = dir.raw();
    if matches!(raw, "~" | "$HOME" | "${HOME}" | "\"$HOME\"" | "\"${HOME}\"") {
        return true;
    }
    let Some(dir) = dir.value() else { return false };
    let dir = dir.trim_end_matches('/');
    if dir.is_empty() || dir == "-" || !dir.starts_with('/') {
        return true;
    }
    let workdir = cx
        .instructions()
        .take_while(|i| i.index < ins.index)
        .filter(|i| i.model.stage() == ins.model.stage() && i.is("WORKDIR"))
        .last()
        .and_then(|i| i.model.arguments.first().cloned());
    workdir.is_some_and(|w| w.trim_end_matches('/') == dir)
}

/// `cd` into /tmp or a directory the same RUN removes.
fn scratch(cx: &Context, ins: Ins, cd: &Command) -> bool {
    let Some(dir) = cd.operands().next().and_then(|w| w.value()) else { return false };
    let dir = dir.trim_end_matches('/');
    if dir == "/tmp" || dir.starts_with("/tmp/") || dir == "-" {
        return true;
    }
    cx.scripts(ins).iter().flat_map(|s| &s.commands).filter(|c| c.is("rm")).any(|rm| {
        rm.operands().filter_map(|w| w.value()).any(|removed| {
            let removed = removed.trim_end_matches(['/', '*']);
            !removed.is_empty() && (dir == removed || dir.starts_with(&format!("{removed}/")))
        })
    })
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, hits};

    #[test]
    fn fires_on_lasting_directories() {
        let src = "FROM node:22\nRUN npm --version \\\n && cd /app && npm ci && cd build && make\n";
        assert_eq!(hits("DO520", src), vec![(3, "cd /app".into())]);
        let heredoc = "FROM node:22\nRUN <<EOF\ncd /srv/app\nmake\nEOF\n";
        assert_eq!(hits("DO520", heredoc), vec![(3, "cd /srv/app".into())]);
        assert_eq!(hits("DO520", "FROM node:22\nONBUILD RUN cd /app && make\n").len(), 1);
        let escape = "# escape=`\nFROM node:22\nRUN true `\n && cd /app\n";
        assert_eq!(hits("DO520", escape), vec![(4, "cd /app".into())]);
    }

    #[test]
    fn quiet_on_subshells_and_scratch_directories() {
        assert_clean("DO520", "FROM debian\nRUN git clone x /src/jo && (cd /src/jo && make install)\n");
        assert_clean("DO520", "FROM debian\nRUN echo $(cd /opt && pwd)\n");
        assert_clean("DO520", "FROM debian\nRUN git clone x /tmp/jo && cd /tmp/jo && make install && cd / && rm -rf /tmp/jo\n");
        assert_clean("DO520", "FROM debian\nRUN cd /usr/src/app/build && make && rm -rf /usr/src/app\n");
        assert_clean("DO520", "FROM debian\nWORKDIR /app\nRUN make\n");
        assert_eq!(hits("DO520", "FROM debian\nRUN cd / && cd /tmp\n"), vec![(2, "cd /".into())]);
    }

    #[test]
    fn leaving_scratch_only_excuses_going_back() {
        // Back to `/`, up, home or to the WORKDIR: still the scratch pattern.
        assert_clean("DO520", "FROM debian\nRUN cd /tmp/x && make && cd .. && cd ~ && cd /\n");
        assert_clean("DO520", "FROM debian\nWORKDIR /app\nRUN cd /tmp/x && make && cd /app/ && make install\n");
        // A new lasting directory after the scratch one is reported on its own.
        let src = "FROM php:8\nRUN cd /tmp/icu && make && cd / \\\n && cd /usr/src/php/ext/amqp && make\n";
        assert_eq!(hits("DO520", src), vec![(3, "cd /usr/src/php/ext/amqp".into())]);
    }
}
