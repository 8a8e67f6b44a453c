//! DO231 apt-key-used: `apt-key add` / `apt-key adv` trusts a key for every repository.

use crate::lint::install::commands;
use crate::lint::invocation::unwrap;
use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO231",
    name: "apt-key-used",
    category: Category::Security,
    severity: Severity::Warning,
    upstream: &[],
    summary: "Add apt repository keys with `signed-by`, not with the deprecated `apt-key`.",
    docs: r#"## What it does
Finds `apt-key add`, `apt-key adv` (usually with `--recv-keys` from a key server) and
`apt-key net-update` in `RUN` instructions.

## Why is this bad?
`apt-key` puts the key into apt's global keyring, where it is trusted for *every* configured
repository: whoever holds that key can sign packages that replace those of the distribution.
`apt-key` has been deprecated since apt 2.1 (2020), prints a warning in Debian 11-12 and
Ubuntu 22.04-24.04, and is no longer shipped with apt in Debian 13, so the step fails on
newer base images. Key-server lookups with `apt-key adv --recv-keys` also depend on a
server that may be down or return a different key.

## Example
```dockerfile
RUN curl -fsSL https://download.docker.com/linux/debian/gpg | apt-key add - \
 && echo "deb https://download.docker.com/linux/debian bookworm stable" > /etc/apt/sources.list.d/docker.list
```

## Use instead
Store the key in its own file and name it in the repository entry:
```dockerfile
RUN curl -fsSL https://download.docker.com/linux/debian/gpg -o /etc/apt/keyrings/docker.asc \
 && echo "deb [signed-by=/etc/apt/keyrings/docker.asc] https://download.docker.com/linux/debian bookworm stable" \
      > /etc/apt/sources.list.d/docker.list
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
            for command in commands(cx, ins) {
                let inner = unwrap(command);
                if !inner.is("apt-key") {
                    continue;
                }
                // `apt-key --keyring /x.gpg add -` writes its own keyring file: still apt-key.
                let sub = inner.operands().map(|w| w.text()).find(|t| matches!(*t, "add" | "adv" | "net-update"));
                if let Some(sub) = sub {
                    out.report(
                        command.range(),
                        format!("`apt-key {sub}` trusts the key for every repository and is gone from newer apt; use a keyring file with `signed-by`"),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, hits};

    #[test]
    fn fires_on_apt_key() {
        let src = "FROM debian\nRUN curl -fsSL https://x/gpg | apt-key add - && apt-get update\n";
        assert_eq!(hits("DO231", src), vec![(2, "apt-key add -".into())]);
        let adv = "FROM debian\nRUN apt-key adv --keyserver keyserver.ubuntu.com --recv-keys ABC\n";
        assert_eq!(hits("DO231", adv).len(), 1);
        assert_eq!(hits("DO231", "FROM debian\nRUN sudo apt-key --keyring /k.gpg add /tmp/k\n").len(), 1);
    }

    #[test]
    fn quiet_on_listing_and_keyrings() {
        assert_clean("DO231", "FROM debian\nRUN apt-key list\n");
        assert_clean("DO231", "FROM debian\nRUN curl -fsSL https://x/gpg | gpg --dearmor -o /etc/apt/keyrings/x.gpg\n");
        assert_clean("DO231", "FROM debian\nRUN echo apt-key add\n");
    }
}
