//! DO232 passwordless-sudo: a RUN that grants `NOPASSWD` sudo rights.

use crate::lint::install::commands;
use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO232",
    name: "passwordless-sudo",
    category: Category::Security,
    severity: Severity::Warning,
    upstream: &[],
    summary: "The image should not grant password-less sudo rights.",
    docs: r#"## What it does
Finds `RUN` commands that write a sudoers rule with `NOPASSWD` (usually
`echo "app ALL=(ALL) NOPASSWD: ALL" >> /etc/sudoers`, or into `/etc/sudoers.d/`).

## Why is this bad?
A user with password-less sudo is root in all but name: running the container as that user
gives no protection, because anything that gets code execution in the container, a
compromised dependency included, can become root with one command. Running as a non-root
`USER` is only worth it when that user cannot simply switch back. Build steps that need root
should run before `USER` switches to the application's user.

## Example
```dockerfile
RUN useradd -m app && echo "app ALL=(ALL) NOPASSWD:ALL" > /etc/sudoers.d/app
USER app
```

## Use instead
```dockerfile
RUN useradd -m app
# root work here, before switching
USER app
```
For development images that need it, keep the sudoers rule out of the image that ships
(a separate stage or target).
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
            let mut reported = false;
            for command in commands(cx, ins) {
                if reported || !command.args.iter().any(|w| grants(command.is("sed"), w.raw())) {
                    continue;
                }
                let all = command.args.iter().any(|w| NOPASSWD_ALL.is_match(w.raw()));
                let message = if all {
                    "grants password-less sudo: any process of this user can become root"
                } else {
                    "grants password-less sudo for some commands: any process of this user can run them as root"
                };
                out.report(command.range(), message);
                reported = true;
            }
        }
    }
}

/// `NOPASSWD: ALL`: every command.
static NOPASSWD_ALL: std::sync::LazyLock<regex::Regex> =
    std::sync::LazyLock::new(|| regex::Regex::new(r"NOPASSWD\s*:\s*ALL\b").expect("valid pattern"));

/// Whether a word writes a `NOPASSWD` rule; for sed, a `/...NOPASSWD.../d` expression deletes
/// such rules instead.
fn grants(sed: bool, word: &str) -> bool {
    static DELETE: std::sync::LazyLock<regex::Regex> =
        std::sync::LazyLock::new(|| regex::Regex::new(r"/[^/]*NOPASSWD[^/]*/\s*d").expect("valid pattern"));
    let word = if sed { DELETE.replace_all(word, "") } else { std::borrow::Cow::Borrowed(word) };
    word.contains("NOPASSWD")
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, hits};

    #[test]
    fn fires_on_nopasswd_rules() {
        let src = "FROM debian\nRUN useradd app \\\n && echo 'app ALL=(ALL) NOPASSWD: ALL' >> /etc/sudoers\n";
        assert_eq!(hits("DO232", src), vec![(3, "echo 'app ALL=(ALL) NOPASSWD: ALL'".into())]);
        let tee = "FROM debian\nRUN echo \"%wheel ALL=(ALL) NOPASSWD:ALL\" | tee /etc/sudoers.d/w\n";
        assert_eq!(hits("DO232", tee).len(), 1);
        let sed = "FROM centos\nRUN sed -i 's/^# %wheel.*NOPASSWD.*/%wheel ALL=(ALL) NOPASSWD: ALL/' /etc/sudoers\n";
        assert_eq!(hits("DO232", sed).len(), 1);
        let some = "FROM debian\nRUN echo \"mpd ALL=NOPASSWD: /usr/bin/mount\" >> /etc/sudoers\n";
        let found = crate::lint::testing::check("DO232", some);
        assert!(found[0].message.contains("some commands"), "{}", found[0].message);
    }

    #[test]
    fn quiet_without_nopasswd() {
        assert_clean("DO232", "FROM debian\nRUN echo 'app ALL=(ALL) ALL' >> /etc/sudoers\n");
        assert_clean("DO232", "FROM debian\nCOPY sudoers /etc/sudoers.d/app\n");
        assert_clean("DO232", "FROM debian\nRUN sed -i '/NOPASSWD/d' /etc/sudoers\n");
    }
}
