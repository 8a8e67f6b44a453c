//! DO344 useradd-without-no-log-init: `useradd` with a large UID and without `-l`.

use crate::lint::install::{commands, exact};
use crate::lint::{Category, Context, Edit, Fix, FixAvailability, Reporter, RuleMeta, Severity};
use crate::shell::Command;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO344",
    name: "useradd-without-no-log-init",
    category: Category::Size,
    severity: Severity::Warning,
    upstream: &["hadolint:DL3046"],
    summary: "`useradd` with a UID of 100000 or more needs `-l` (`--no-log-init`).",
    docs: r#"## What it does
Finds `useradd -u <uid>` (`-u<uid>`, `--uid <uid>`, `--uid=<uid>`) with a literal UID of
100000 or more and without `-l` / `--no-log-init`. A UID given by a variable is not judged
(hadolint judges the length of the variable's name).

## Why is this bad?
useradd reserves a record for the user in `/var/log/lastlog` and `/var/log/faillog` at an
offset proportional to the UID. The files are sparse on disk, but a layer stores them in
full: a UID of 100000 adds tens of megabytes of zeros to the image.

## Example
```dockerfile
RUN useradd -u 123456 app
```

## Use instead
```dockerfile
RUN useradd -l -u 123456 app
```

## Fix safety
The fix adds `-l` after `useradd`. It is safe: only the login records are skipped, which a
container does not use.
"#,
    fix: FixAvailability::Sometimes,
    default_enabled: true,
};

fn uid(cmd: &Command) -> Option<u64> {
    let mut words = cmd.args.iter().map(|w| w.text());
    while let Some(word) = words.next() {
        let value = match word {
            "--uid" => words.next(),
            // `-u`, or combined short options ending in `u` (`-mu 123456`).
            _ if word.starts_with('-') && !word.starts_with("--") && word.ends_with('u') => words.next(),
            _ => word.strip_prefix("--uid=").or_else(|| word.strip_prefix("-u")).filter(|v| !v.is_empty()),
        };
        if let Some(value) = value {
            return value.parse().ok();
        }
    }
    None
}

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        for ins in cx.instructions() {
            for cmd in commands(cx, ins) {
                if !cmd.is("useradd")
                    || cmd.has_option(Some('l'), Some("no-log-init"))
                    || uid(cmd).is_none_or(|u| u < 100_000)
                {
                    continue;
                }
                let d = out.report(cmd.range(), "a large UID makes useradd write huge log files into the layer; add `-l`");
                if let Some(name) = cmd.name.as_ref().and_then(exact) {
                    d.set_fix(Fix::safe("Add `-l`", vec![Edit::insert(name.end, " -l")]));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, check, hits};

    #[test]
    fn fires_on_large_uids_without_l() {
        let src = "FROM d\nRUN groupadd g && \\\n    useradd -g g -u 123456 app\n";
        assert_eq!(hits("DO344", src), vec![(3, "useradd -g g -u 123456 app".into())]);
        let found = check("DO344", src);
        let edit = &found[0].fix.as_ref().unwrap().edits[0];
        assert_eq!((&src[edit.range.start - 7..edit.range.end], edit.content.as_ref()), ("useradd", " -l"));
        assert_eq!(hits("DO344", "FROM d\nRUN <<EOF\nuseradd --uid=1000000 a\nEOF\n").len(), 1);
        assert_eq!(hits("DO344", "FROM d\nONBUILD RUN useradd -u200000 a\n").len(), 1);
        assert_eq!(hits("DO344", "FROM d\nRUN useradd -mu 200000 a\n").len(), 1);
        assert_eq!(hits("DO344", "# escape=`\nFROM d\nRUN true && `\n  useradd --uid 100000 a\n"), vec![(4, "useradd --uid 100000 a".into())]);
    }

    #[test]
    fn quiet_with_l_small_or_unknown_uids() {
        assert_clean("DO344", "FROM d\nRUN useradd -l -u 123456 a && useradd --no-log-init -u 123456 b && useradd -lmu 123456 c\n");
        assert_clean("DO344", "FROM d\nRUN useradd -u 1000 a && useradd -u $APP_UID_LONG b && useradd c\n");
    }
}
