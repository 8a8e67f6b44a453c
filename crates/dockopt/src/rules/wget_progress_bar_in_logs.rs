//! DO640 wget-progress-bar-in-logs: wget printing its progress bar into the build log.

use crate::lint::install::{commands, exact};
use crate::lint::{Category, Context, Edit, Fix, FixAvailability, Reporter, RuleMeta, Severity};
use crate::shell::Command;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO640",
    name: "wget-progress-bar-in-logs",
    category: Category::Style,
    severity: Severity::Info,
    upstream: &["hadolint:DL3047"],
    summary: "wget in a RUN should set `--progress`, be quiet, or log to a file.",
    docs: r#"## What it does
Finds `wget` without any of `--progress=...`, `-q` / `--quiet`, `-nv` / `--no-verbose`,
`-o` / `--output-file` or `-a` / `--append-output`.

## Why is this bad?
Without a terminal wget falls back to printing a dot for every few kilobytes; a large
download fills the build log with thousands of lines that hide the output that matters.

## Example
```dockerfile
RUN wget https://example.com/big.tar.gz
```

## Use instead
```dockerfile
RUN wget --progress=dot:giga https://example.com/big.tar.gz
```

## Fix safety
The fix adds `--progress=dot:giga` after `wget`. It is unsafe: BusyBox wget (Alpine and
other small images) does not know this option and fails; use `-q` there.
"#,
    fix: FixAvailability::Sometimes,
    default_enabled: true,
};

/// Short options taking a value: the rest of a combined word is that value.
const VALUE_LETTERS: &str = "oaiBtOTwQPUeDRAIXl";

fn quiet_enough(cmd: &Command) -> bool {
    let long = ["progress", "quiet", "no-verbose", "output-file", "append-output"];
    if long.iter().any(|l| cmd.has_option(None, Some(l))) {
        return true;
    }
    cmd.args.iter().take_while(|w| w.text() != "--").any(|w| {
        let t = w.text();
        let Some(flags) = t.strip_prefix('-').filter(|f| !f.starts_with('-')) else { return false };
        if flags == "nv" {
            return true;
        }
        if flags.starts_with('n') {
            return false;
        }
        for c in flags.chars() {
            if matches!(c, 'q' | 'o' | 'a') {
                return true;
            }
            if VALUE_LETTERS.contains(c) {
                break;
            }
        }
        false
    })
}

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        for ins in cx.instructions() {
            for cmd in commands(cx, ins) {
                if !cmd.is("wget") || quiet_enough(cmd) {
                    continue;
                }
                let d = out.report(cmd.range(), "wget will fill the build log with progress dots; add `--progress=dot:giga` or `-q`");
                if let Some(name) = cmd.name.as_ref().and_then(exact) {
                    d.set_fix(Fix::unsafe_("Add `--progress=dot:giga`", vec![Edit::insert(name.end, " --progress=dot:giga")]));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, check, hits};

    #[test]
    fn fires_on_chatty_wget() {
        let src = "FROM d\nRUN cd /tmp && \\\n    wget -O x.tgz https://h/x.tgz\n";
        assert_eq!(hits("DO640", src), vec![(3, "wget -O x.tgz https://h/x.tgz".into())]);
        let found = check("DO640", src);
        let fix = found[0].fix.as_ref().unwrap();
        assert_eq!(fix.applicability, crate::lint::Applicability::Unsafe);
        assert_eq!(&src[fix.edits[0].range.start - 4..fix.edits[0].range.end], "wget");
        assert_eq!(hits("DO640", "FROM d\nRUN <<EOF\nwget -Oq https://h\nEOF\n").len(), 1, "q is the file name here");
        assert_eq!(hits("DO640", "FROM d\nONBUILD RUN wget https://h\n").len(), 1);
        assert_eq!(hits("DO640", "# escape=`\nFROM d\nRUN true && `\n  wget https://h\n"), vec![(4, "wget https://h".into())]);
    }

    #[test]
    fn quiet_with_progress_or_quiet_options() {
        let src = "FROM d\nRUN wget -q a && wget -qO- b && wget -nv c && wget --progress=dot:giga d && wget -o log e \
                   && wget --quiet f && wget -a log g && curl -sSL h\n";
        assert_clean("DO640", src);
    }
}
