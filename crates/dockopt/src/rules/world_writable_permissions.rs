//! DO270 world-writable-permissions: `chmod 777`, `chmod o+w`, `mkdir -m 777`, `--chmod=777`.

use crate::lint::invocation::unwrap;
use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};
use crate::shell::Command;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO270",
    name: "world-writable-permissions",
    category: Category::Security,
    severity: Severity::Warning,
    upstream: &["tally:world-writable-state-path-workaround"],
    summary: "Do not make files or folders writable by every user; give them to the user that needs them.",
    docs: r#"## What it does
Finds modes that let every user write: `chmod` with an octal mode whose last digit has the
write bit (`777`, `0666`, `-R 777`) or a symbolic mode that adds write for others (`o+w`,
`a+rwx`, `ugo=rwx`), `mkdir -m 777`, and `COPY`/`ADD --chmod=777`.

Modes with the sticky bit (`1777`) are not reported: that is the standard mode of shared
temporary folders, where users cannot remove each other's files. Nor are `/tmp`, `/var/tmp`
and `/dev/shm` themselves.

## Why is this bad?
`chmod 777` is usually a workaround for an ownership problem: files copied as root, an app
that runs as another user. It works, but any process in the container, including a
compromised one running as an unrelated user, can then replace the program, its
configuration or its data.

## Example
```dockerfile
COPY . /app
RUN chmod -R 777 /app
USER app
```

## Use instead
```dockerfile
COPY --chown=app:app . /app
USER app
```
or `chown` the folders the app writes to and keep modes such as `755` / `644`.
"#,
    fix: FixAvailability::None,
    default_enabled: true,
};

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        for (_, command) in cx.commands(None) {
            let command = unwrap(command);
            if let Some(mode) = world_writable_mode(&command) {
                let message = format!("mode `{mode}` makes the path writable by every user; change its owner instead");
                out.report(command.range(), message);
            }
        }
        for ins in cx.instructions().filter(|i| matches!(i.effective().keyword.as_ref(), "COPY" | "ADD")) {
            let Some(mode) = ins.flag("chmod").and_then(|f| f.value.as_deref()) else { continue };
            if octal_world_writable(mode) || symbolic_world_writable(mode) {
                let range = cx.flag_range(ins, "chmod").unwrap_or_else(|| cx.keyword_range(ins));
                out.report(range, format!("`--chmod={mode}` makes the files writable by every user; use `--chown` instead"));
            }
        }
    }
}

const SHARED_TMP: [&str; 3] = ["/tmp", "/var/tmp", "/dev/shm"];

/// The world-writable mode a `chmod` or `mkdir -m` sets, if any.
fn world_writable_mode(command: &Command) -> Option<String> {
    let operands: Vec<&str> = command.operands().map(|w| w.text()).collect();
    if command.is("chmod") {
        let (mode, paths) = operands.split_first()?;
        let writable = octal_world_writable(mode) || symbolic_world_writable(mode);
        let only_tmp = !paths.is_empty() && paths.iter().all(|p| SHARED_TMP.contains(&p.trim_end_matches('/')));
        (writable && !only_tmp).then(|| (*mode).to_owned())
    } else if command.is("mkdir") {
        let word = command.option(Some('m'), Some("mode"))?;
        let text = word.text();
        let mode = if let Some(v) = text.strip_prefix("--mode=") {
            v.to_owned()
        } else if text.len() > 2 && !text.starts_with("--") {
            text[2..].to_owned()
        } else {
            let at = command.args.iter().position(|w| w == word)?;
            command.args.get(at + 1)?.text().to_owned()
        };
        let paths: Vec<&str> = operands.iter().copied().filter(|o| *o != mode).collect();
        let only_tmp = !paths.is_empty() && paths.iter().all(|p| SHARED_TMP.contains(&p.trim_end_matches('/')));
        ((octal_world_writable(&mode) || symbolic_world_writable(&mode)) && !only_tmp).then_some(mode)
    } else {
        None
    }
}

/// `777`, `0666`, `2777`: write for others, without the sticky bit.
fn octal_world_writable(mode: &str) -> bool {
    if mode.is_empty() || mode.len() > 4 || !mode.chars().all(|c| ('0'..='7').contains(&c)) {
        return false;
    }
    let digits: Vec<u32> = mode.chars().filter_map(|c| c.to_digit(8)).collect();
    let others = digits[digits.len() - 1];
    let special = if digits.len() == 4 { digits[0] } else { 0 };
    digits.len() >= 3 && others & 2 != 0 && special & 1 == 0
}

/// `o+w`, `a+rwx`, `ugo=rw` without a sticky bit (`+t`); `+w` is not (it follows the umask).
fn symbolic_world_writable(mode: &str) -> bool {
    let sticky = mode.split(',').any(|c| c.find(['+', '=']).is_some_and(|op| c[op + 1..].contains('t')));
    !sticky && mode.split(',').any(|clause| {
        let Some(op) = clause.find(['+', '=']) else { return false };
        let (who, perms) = clause.split_at(op);
        !who.is_empty()
            && who.chars().all(|c| "ugoa".contains(c))
            && (who.contains('o') || who.contains('a'))
            && perms[1..].contains('w')
    })
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, hits};

    #[test]
    fn fires_on_world_writable_modes() {
        let src = "FROM a\nRUN chmod -R 777 /app && chmod o+w /data && mkdir -m 0777 /cache\nCOPY --chmod=666 x /x\n";
        assert_eq!(
            hits("DO270", src),
            vec![
                (2, "chmod -R 777 /app".into()),
                (2, "chmod o+w /data".into()),
                (2, "mkdir -m 0777 /cache".into()),
                (3, "--chmod=666".into())
            ]
        );
        assert_eq!(hits("DO270", "FROM a\nRUN chmod a+rwx /srv\nRUN sudo chmod 0777 /x\nRUN mkdir --mode=777 /y\n").len(), 3);
    }

    #[test]
    fn quiet_on_safe_modes_and_shared_tmp() {
        assert_clean("DO270", "FROM a\nRUN chmod 1777 /tmp/x && chmod -R 1777 /scratch && chmod 755 /app && chmod +x /bin/a\n");
        assert_clean("DO270", "FROM a\nRUN chmod 777 /tmp && chmod +w f && chmod u+w,g+w f && chmod a+rx f && mkdir -m 755 d\n");
        assert_clean("DO270", "FROM a\nCOPY --chmod=755 x /x\nRUN echo chmod 777 /x\n");
        assert_clean("DO270", "FROM a\nRUN chmod o+t,a+w /shared\n");
    }
}
