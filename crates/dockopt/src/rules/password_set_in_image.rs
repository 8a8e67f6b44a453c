//! DO293 password-set-in-image: `chpasswd` and friends give an account a fixed password.

use crate::lint::invocation::unwrap;
use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO293",
    name: "password-set-in-image",
    category: Category::Security,
    severity: Severity::Warning,
    upstream: &["checkov:CKV2_DOCKER_17"],
    summary: "Account passwords should not be set while building the image.",
    docs: r#"## What it does
Finds `RUN` commands that set an account password: `chpasswd`, `passwd --stdin`, and
`useradd`/`usermod` with `-p`/`--password` (unless the value is generated while building,
`--password "$(head -c32 /dev/urandom | base64)"`, which nobody knows).

## Why is this bad?
Every container started from the image shares that password, and anyone who can pull the
image can read it: in the layer (`/etc/shadow`), and usually in plain text in the build
history (`echo 'root:secret' | chpasswd`). A password also only matters for logins the
container should not offer in the first place (SSH, `su`).

## Example
```dockerfile
RUN echo 'root:changeme' | chpasswd
```

## Use instead
Run as an unprivileged user and leave the account without a password:
```dockerfile
RUN useradd --create-home --shell /usr/sbin/nologin app
USER app
```
If a login is really needed, set its credentials when the container starts, from a secret.
"#,
    fix: FixAvailability::None,
    default_enabled: true,
};

/// `-p`/`--password` with a value that is not generated during the build (`$(openssl rand ...)`).
fn fixed_password(command: &crate::shell::Command) -> bool {
    let Some(at) = command.args.iter().position(|w| {
        let t = w.text();
        t == "-p" || t == "--password" || t.starts_with("--password=")
    }) else {
        return false;
    };
    let word = &command.args[at];
    let value = if word.text().contains('=') { Some(word) } else { command.args.get(at + 1) };
    !value.is_some_and(|v| v.value().is_none() && (v.raw().contains("$(") || v.raw().contains('`')))
}

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        for (_, original) in cx.commands(None) {
            let command = unwrap(original);
            let message = match command.program() {
                Some("chpasswd") => "chpasswd bakes a password into the image",
                Some("passwd") if command.has_option(None, Some("stdin")) => "passwd --stdin bakes a password into the image",
                Some("useradd" | "usermod" | "adduser") if fixed_password(&command) => {
                    "a password set here is baked into the image"
                }
                _ => continue,
            };
            out.report(original.range(), format!("{message}; do not give accounts a fixed password"));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, hits};

    #[test]
    fn fires_on_password_commands() {
        assert_eq!(hits("DO293", "FROM a\nRUN echo 'root:pw' | chpasswd\n"), vec![(2, "chpasswd".into())]);
        assert_eq!(
            hits("DO293", "FROM a\nRUN useradd -m app && \\\n    usermod -p \"$HASH\" app\n"),
            vec![(3, "usermod -p \"$HASH\" app".into())]
        );
        assert_eq!(hits("DO293", "FROM a\nRUN echo pw | passwd --stdin root\n").len(), 1);
        assert_eq!(hits("DO293", "FROM a\nRUN <<EOF\nset -e\necho 'a:b' | sudo chpasswd -e\nEOF\n").len(), 1);
        assert_eq!(hits("DO293", "FROM a\nONBUILD RUN echo a:b | chpasswd\n").len(), 1);
        assert_eq!(hits("DO293", "# escape=`\nFROM a\nRUN echo a:b `\n  | chpasswd\n"), vec![(4, "chpasswd".into())]);
    }

    #[test]
    fn quiet_without_passwords() {
        assert_clean("DO293", "FROM a\nRUN useradd -m -s /bin/sh app && passwd -d app && echo chpasswd\n");
        assert_clean("DO293", "FROM a\nRUN adduser --disabled-password app\n");
        assert_clean("DO293", "FROM a\nRUN useradd -m --password \"$(head -c32 /dev/urandom | base64)\" app\n");
    }
}
