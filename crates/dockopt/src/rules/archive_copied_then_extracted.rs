//! DO320 archive-copied-then-extracted: COPY of a tarball that a later RUN unpacks.

use std::ops::Range;

use crate::lint::archive::{basename, is_tarball};
use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};
use crate::model::Form;
use crate::shell::Command;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO320",
    name: "archive-copied-then-extracted",
    category: Category::Size,
    severity: Severity::Info,
    upstream: &["hadolint:DL3010"],
    summary: "A tarball copied into the image and unpacked by a later RUN stays in a layer.",
    docs: r#"## What it does
Finds COPY of a local tarball (`.tar`, `.tar.gz`, `.tgz`, `.tar.xz`, ...) that a later RUN in
the same stage unpacks with `tar -x` (or `tar xf`).

Unlike hadolint, only tarballs count: `ADD` does not unpack `.zip` files or a plain
compressed file, so suggesting it for `unzip` or `gunzip` would be wrong.

## Why is this bad?
The COPY layer keeps the compressed archive for good, even if the RUN deletes it afterwards:
the image carries the archive and its unpacked content. ADD unpacks a local tarball in one
step, and a bind mount lets RUN read it without it ever becoming part of a layer.

## Example
```dockerfile
COPY app.tar.gz /tmp/
RUN tar -xzf /tmp/app.tar.gz -C /opt && rm /tmp/app.tar.gz
```

## Use instead
```dockerfile
ADD app.tar.gz /opt/
```
or
```dockerfile
RUN --mount=type=bind,source=app.tar.gz,target=/tmp/app.tar.gz tar -xzf /tmp/app.tar.gz -C /opt
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
        for stage in &cx.model.stages {
            // (archive basename, range of the COPY word naming it)
            let mut copied: Vec<(String, Range<usize>)> = Vec::new();
            for ins in stage.instructions.iter().map(|&i| cx.ins(i)) {
                if ins.is("COPY") {
                    let local = ins.flag("from").is_none() && ins.model.heredocs().is_empty();
                    if !local || ins.model.form == Some(Form::Exec) {
                        continue;
                    }
                    let words = cx.word_ranges(ins);
                    let Some((target, sources)) = words.split_last() else { continue };
                    let target_name = cx.text(target.clone());
                    if is_tarball(target_name) {
                        copied.push((basename(target_name).to_owned(), target.clone()));
                    } else {
                        let archives = sources.iter().filter(|r| is_tarball(cx.text((*r).clone())));
                        copied.extend(archives.map(|r| (basename(cx.text(r.clone())).to_owned(), r.clone())));
                    }
                } else if ins.is("RUN") && !copied.is_empty() {
                    for tar in cx.scripts(ins).iter().flat_map(|s| &s.commands).filter(|c| extracts(c)) {
                        let names: Vec<&str> = tar
                            .args
                            .iter()
                            .map(|w| basename(w.text().strip_prefix("--file=").unwrap_or(w.text())))
                            .collect();
                        copied.retain(|(name, range)| {
                            let used = names.contains(&name.as_str());
                            if used {
                                let message = format!("`{name}` stays in the COPY layer after it is unpacked; use ADD or a bind mount");
                                out.report(range.clone(), message);
                            }
                            !used
                        });
                    }
                }
            }
        }
    }
}

/// `tar -x...`, `tar --extract`, `tar --get`, or the old style `tar xzf`.
fn extracts(command: &Command) -> bool {
    if !(command.is("tar") || command.is("bsdtar")) {
        return false;
    }
    let old_style = command.args.first().is_some_and(|w| {
        let t = w.text();
        !t.starts_with('-') && t.contains('x') && t.chars().all(|c| c.is_ascii_alphabetic())
    });
    old_style || command.has_option(Some('x'), Some("extract")) || command.has_option(None, Some("get"))
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, hits};

    #[test]
    fn fires_on_copied_then_extracted_tarballs() {
        let src = "FROM a\nCOPY app.tar.gz notes.txt /tmp/\nRUN mkdir /opt/app \\\n && tar -xzf /tmp/app.tar.gz -C /opt/app\n";
        assert_eq!(hits("DO320", src), vec![(2, "app.tar.gz".into())]);
        let renamed = "FROM a\nCOPY dist/build.bin /tmp/app.tgz\nRUN tar xzf /tmp/app.tgz\n";
        assert_eq!(hits("DO320", renamed), vec![(2, "/tmp/app.tgz".into())]);
        let heredoc = "FROM a\nCOPY x.tar /x.tar\nRUN <<EOF\ntar --extract --file=/x.tar\nEOF\n";
        assert_eq!(hits("DO320", heredoc), vec![(2, "/x.tar".into())]);
        let escape = "# escape=`\nFROM a\nCOPY `\n  x.tar.xz /\nRUN tar -xJf /x.tar.xz\n";
        assert_eq!(hits("DO320", escape), vec![(4, "x.tar.xz".into())]);
    }

    #[test]
    fn quiet_when_not_extracted_or_not_a_tarball() {
        assert_clean("DO320", "FROM a\nCOPY app.tar.gz /srv/\nRUN tar -czf other.tgz /etc\n");
        assert_clean("DO320", "FROM a\nCOPY app.zip /tmp/\nRUN unzip /tmp/app.zip\n");
        assert_clean("DO320", "FROM a\nCOPY --from=build /app.tgz /tmp/\nRUN tar xzf /tmp/app.tgz\n");
        assert_clean("DO320", "FROM a\nCOPY app.tgz /tmp/\nFROM b\nRUN tar xzf /tmp/app.tgz\n");
        assert_clean("DO320", "FROM a\nRUN tar xzf /tmp/app.tgz\nCOPY app.tgz /tmp/\n");
    }
}
