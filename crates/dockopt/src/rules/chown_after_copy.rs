//! DO330 chown-after-copy: `RUN chown` over files that a COPY or ADD of the stage put there.

use std::collections::HashSet;
use std::ops::Range;

use crate::lint::install::commands;
use crate::lint::invocation::unwrap;
use crate::lint::paths::{resolve, within};
use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};
use crate::semantics::provenance::workdir_at;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO330",
    name: "chown-after-copy",
    category: Category::Size,
    severity: Severity::Warning,
    upstream: &[],
    summary: "Set the owner with `COPY --chown` instead of a later `RUN chown`.",
    docs: r#"## What it does
Finds `chown` commands in `RUN` instructions whose paths hold files that an earlier `COPY`
or `ADD` of the same stage put into the image without `--chown`: the path is the copy's
destination, a folder that contains it, or a path inside it. Relative paths are resolved
against the working directory when the Dockerfile says what it is.

## Why is this bad?
Changing the owner of a file changes its metadata, and a layer stores every file whose
metadata changed in full. `RUN chown -R app /app` after `COPY . /app` therefore stores the
whole application a second time: the image grows by the size of everything copied, and every
rebuild after a code change uploads and downloads it twice. `COPY --chown` (and
`ADD --chown`) writes the files with the right owner in the first place.

## Example
```dockerfile
COPY . /app
RUN chown -R app:app /app
```

## Use instead
```dockerfile
COPY --chown=app:app . /app
```
A user name given to `--chown` must exist in the image's `/etc/passwd` at that point; numeric
ids (`--chown=1000:1000`) always work.
"#,
    fix: FixAvailability::None,
    default_enabled: true,
};

/// Options of chown that take the next word as their value.
const VALUE_OPTIONS: [&str; 2] = ["--from", "--reference"];

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        for stage in &cx.model.stages {
            // (destination in the image, line of the first COPY there), and the destinations
            // listed: a later copy to the same place is never the one reported, and a file
            // of many copies to one folder would otherwise list (and search) every one.
            let mut copied: Vec<(String, usize)> = Vec::new();
            let mut listed: HashSet<String> = HashSet::new();
            for ins in stage.instructions.iter().map(|&i| cx.ins(i)) {
                if (ins.is("COPY") || ins.is("ADD")) && ins.flag("chown").is_none() {
                    let Some(dest) = ins.model.arguments.last().filter(|_| ins.model.arguments.len() >= 2) else {
                        continue;
                    };
                    let dir = if dest.starts_with('/') { None } else { workdir_at(cx, ins) };
                    if let Some(dest) = resolve(dir.as_deref(), dest).filter(|d| d != "/" && !listed.contains(d)) {
                        listed.insert(dest.clone());
                        copied.push((dest, cx.line(ins.syntax.range.start)));
                    }
                    continue;
                }
                if !ins.is("RUN") || copied.is_empty() {
                    continue;
                }
                let dir = workdir_at(cx, ins);
                for command in commands(cx, ins) {
                    let inner = unwrap(command);
                    if !inner.is("chown") {
                        continue;
                    }
                    if let Some(line) = paths(&inner).into_iter().find_map(|path| {
                        let path = resolve(dir.as_deref(), &path)?;
                        copied.iter().find(|(dest, _)| within(dest, &path) || within(&path, dest)).map(|c| c.1)
                    }) {
                        report(out, command.range(), line);
                    }
                }
            }
        }
    }
}

fn report(out: &mut Reporter, range: Range<usize>, line: usize) {
    out.report(
        range,
        format!("changing the owner stores the files copied on line {line} a second time; use `COPY --chown` there"),
    );
}

/// The paths a chown changes: its operands after the owner (which `--reference` replaces).
fn paths(command: &crate::shell::Command) -> Vec<String> {
    let mut operands = Vec::new();
    let mut reference = false;
    let mut words = command.args.iter();
    while let Some(w) = words.next() {
        let t = w.text();
        if VALUE_OPTIONS.contains(&t) {
            reference |= t == "--reference";
            words.next();
        } else if t.starts_with("--reference=") {
            reference = true;
        } else if !t.starts_with('-') && w.value().is_some() {
            operands.push(t.to_owned());
        } else if !t.starts_with('-') {
            // An expansion: it takes a place, but its value is unknown.
            operands.push(String::new());
        }
    }
    let skip = usize::from(!reference);
    operands.into_iter().skip(skip).filter(|p| !p.is_empty()).collect()
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, hits};

    #[test]
    fn fires_on_chown_of_copied_files() {
        let src = "FROM node:22\nCOPY . /app\nRUN chown -R node:node /app\n";
        assert_eq!(hits("DO330", src), vec![(3, "chown -R node:node /app".into())]);
        let inside = "FROM a\nWORKDIR /srv\nCOPY dist/ ./web/\nRUN mkdir -p /data && chown -R app web/static /data\n";
        assert_eq!(hits("DO330", inside).len(), 1);
        let parent = "FROM a\nCOPY entry.sh /usr/local/bin/entry.sh\nRUN chown app /usr/local/bin/entry.sh\n";
        assert_eq!(hits("DO330", parent).len(), 1);
        let from = "FROM a AS b\nFROM a\nCOPY --from=b /out /opt/out\nRUN sudo chown -R 1000 /opt\n";
        assert_eq!(hits("DO330", from).len(), 1);
    }

    #[test]
    fn quiet_without_an_earlier_copy_there() {
        assert_clean("DO330", "FROM a\nCOPY --chown=app . /app\nRUN chown -R app /app\n");
        assert_clean("DO330", "FROM a\nRUN chown -R app /app\nCOPY . /app\n");
        assert_clean("DO330", "FROM a\nCOPY . /app\nRUN mkdir /data && chown app /data\n");
        assert_clean("DO330", "FROM a\nCOPY rootfs/ /\nRUN chown -R app /home/app\n");
        assert_clean("DO330", "FROM a AS x\nCOPY . /app\nFROM a\nRUN chown -R app /app\n");
        // The owner word is not a path.
        assert_clean("DO330", "FROM a\nWORKDIR /\nCOPY x app\nRUN chown app /srv\n");
    }
}
