//! DO120 pointless-command-in-container: interactive or system-management commands in RUN.

use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO120",
    name: "pointless-command-in-container",
    category: Category::Correctness,
    severity: Severity::Info,
    upstream: &["hadolint:DL3001"],
    summary: "Interactive and system-management commands do nothing useful in a build step.",
    docs: r#"## What it does
Finds RUN commands that manage a running system or need a person at a terminal: `ssh`,
`vim`, `shutdown`, `service`, `ps`, `free`, `top`, `kill` and `mount`.

## Why is this bad?
A RUN step executes once, with no terminal, and its processes end with the step. A service
started there is not running in the container later, `top` or `vim` wait for input that
never comes, and `mount`/`shutdown` need privileges a build does not have. The line usually
means something else was intended (an ENTRYPOINT script, a package install, a healthcheck).

## Example
```dockerfile
RUN service nginx start
```

## Use instead
Start the process when the container starts:
```dockerfile
CMD ["nginx", "-g", "daemon off;"]
```
"#,
    fix: FixAvailability::None,
    default_enabled: true,
};

const POINTLESS: [&str; 9] = ["free", "kill", "mount", "ps", "service", "shutdown", "ssh", "top", "vim"];

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        for (_, command) in cx.commands(None) {
            if let Some(program) = command.program().filter(|p| POINTLESS.contains(p)) {
                out.report(command.range(), format!("`{program}` has no lasting effect in a build step; remove it"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, hits};

    #[test]
    fn fires_on_system_commands() {
        let src = "FROM debian\nRUN apt-get install -y nginx \\\n && service nginx start\n";
        assert_eq!(hits("DO120", src), vec![(3, "service nginx start".into())]);
        let heredoc = "FROM debian\nRUN <<EOF\nps aux\n/usr/bin/vim x\nEOF\n";
        assert_eq!(hits("DO120", heredoc), vec![(3, "ps aux".into()), (4, "/usr/bin/vim x".into())]);
        assert_eq!(hits("DO120", "FROM debian\nONBUILD RUN top -b\n").len(), 1);
        let escape = "# escape=`\nFROM debian\nRUN true `\n && kill 1\n";
        assert_eq!(hits("DO120", escape), vec![(4, "kill 1".into())]);
    }

    #[test]
    fn quiet_on_other_commands_and_words() {
        assert_clean("DO120", "FROM debian\nRUN apt-get install -y openssh-client procps && echo top\n");
        assert_clean("DO120", "FROM debian\nCMD service nginx start\n");
    }
}
