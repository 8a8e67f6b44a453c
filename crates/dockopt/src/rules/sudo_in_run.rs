//! DO221 sudo-in-run: `sudo` in a RUN.

use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO221",
    name: "sudo-in-run",
    category: Category::Security,
    severity: Severity::Error,
    upstream: &["hadolint:DL3004"],
    summary: "Do not use `sudo` in RUN; switch users with USER instead.",
    docs: r#"## What it does
Finds `sudo` commands in RUN instructions (shell form, heredocs, `sh -c` strings, ONBUILD).

## Why is this bad?
Build steps run as the current `USER`, with no terminal and no password to give. `sudo`
either is not installed, prompts and fails, or works only because the image grants
password-less root, which stays available to anything that later runs in the container.
Its handling of environment and TTYs also differs between distributions.

## Example
```dockerfile
USER app
RUN sudo apt-get install -y curl
```

## Use instead
```dockerfile
USER root
RUN apt-get install -y curl
USER app
```
To drop privileges when the container starts, use a tool made for it such as `gosu` or
`su-exec` in the entrypoint.
"#,
    fix: FixAvailability::None,
    default_enabled: true,
};

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        for (_, command) in cx.commands(None).filter(|(_, c)| c.is("sudo")) {
            out.report(command.range.clone(), "`sudo` in a build step; set `USER root` for the step instead");
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, hits};

    #[test]
    fn fires_on_sudo() {
        let src = "FROM debian\nRUN echo start \\\n && sudo make install\n";
        assert_eq!(hits("DO221", src), vec![(3, "sudo make install".into())]);
        let heredoc = "FROM debian\nRUN <<EOF\nset -e\nsudo -u app id\nEOF\n";
        assert_eq!(hits("DO221", heredoc), vec![(4, "sudo -u app id".into())]);
        assert_eq!(hits("DO221", "FROM debian\nONBUILD RUN sudo true\n").len(), 1);
        let escape = "# escape=`\nFROM debian\nRUN true `\n && sudo id\n";
        assert_eq!(hits("DO221", escape), vec![(4, "sudo id".into())]);
        assert_eq!(hits("DO221", "FROM debian\nRUN [\"sh\", \"-c\", \"sudo id\"]\n").len(), 1);
    }

    #[test]
    fn quiet_without_sudo() {
        assert_clean("DO221", "FROM debian\nRUN apt-get install -y sudo && echo sudo\n");
        assert_clean("DO221", "FROM debian\nCMD sudo id\n");
    }
}
