//! DO123 apt-install-without-yes: `apt-get install` that would stop to ask for confirmation.

use crate::lint::packages::{apt_simulates, exact, subcommand_operands};
use crate::lint::{Category, Context, Edit, Fix, FixAvailability, Reporter, RuleMeta, Severity};
use crate::shell::Command;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO123",
    name: "apt-install-without-yes",
    category: Category::Correctness,
    severity: Severity::Warning,
    upstream: &["hadolint:DL3014", "trivy:DS-0021"],
    summary: "`apt-get install` in a RUN needs `-y` to run without a prompt.",
    docs: r#"## What it does
Finds `apt-get install` (and `apt install`) commands that do not answer apt's confirmation
question in advance: no `-y`/`--yes`/`--assume-yes`, no `-qq` (which implies yes), no
`-o APT::Get::Assume-Yes=true`. Simulated installs (`-s`, `--dry-run`) ask nothing and are not
reported (hadolint reports them, e.g. the `apt-get install -s` probe of the official postgres
images).

## Why is this bad?
A build has no terminal. When apt asks "Do you want to continue?", it reads end of input,
takes it as "no" and aborts, so the build fails as soon as the package needs anything extra.

## Example
```dockerfile
RUN apt-get update && apt-get install curl
```

## Use instead
```dockerfile
RUN apt-get update && apt-get install -y curl
```

## Fix safety
The fix adds `-y` after `install`. It is safe: it only answers the question the build cannot
answer.
"#,
    fix: FixAvailability::Sometimes,
    default_enabled: true,
};

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        for (_, command) in cx.commands(None) {
            if !(command.is("apt-get") || command.is("apt")) || answers_yes(command) || apt_simulates(command) {
                continue;
            }
            let Some((install, _)) = subcommand_operands(command, &["install"], &["o", "t", "c"]) else { continue };
            let d = out.report(command.range(), "apt-get install may prompt and abort the build; add `-y`");
            if exact(cx, install) {
                d.set_fix(Fix::safe("Add `-y`", vec![Edit::insert(install.range().end, " -y")]));
            }
        }
    }
}

/// `-y`, `--yes`, `--assume-yes`, `-qq` (quiet level 2 implies yes), `-o APT::Get::Assume-Yes=true`.
fn answers_yes(command: &Command) -> bool {
    if command.has_option(Some('y'), Some("yes"))
        || command.has_option(None, Some("assume-yes"))
        || command.has_option(None, Some("force-yes"))
    {
        return true;
    }
    let mut quiet = 0;
    let mut previous = "";
    for word in &command.args {
        let text = word.text();
        if previous == "-o" || text.starts_with("-o") {
            let setting = text.trim_start_matches("-o").to_ascii_lowercase();
            if setting.starts_with("apt::get::assume-yes=") && !setting.ends_with("=false") && !setting.ends_with("=0") {
                return true;
            }
        }
        if let Some(level) = text.strip_prefix("-q=").or_else(|| text.strip_prefix("--quiet=")) {
            quiet += level.parse::<usize>().unwrap_or(0);
        } else if text == "--quiet" {
            quiet += 1;
        } else if let Some(letters) = text.strip_prefix('-').filter(|l| l.chars().all(|c| c.is_ascii_alphanumeric())) {
            quiet += letters.matches('q').count();
        }
        previous = text;
    }
    quiet >= 2
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, check, hits};

    #[test]
    fn fires_without_yes() {
        let src = "FROM debian\nRUN apt-get update && \\\n    apt-get install --no-install-recommends curl\n";
        assert_eq!(hits("DO123", src), vec![(3, "apt-get install --no-install-recommends curl".into())]);
        let heredoc = "FROM debian\nRUN <<EOF\napt-get update\napt install curl\nEOF\n";
        assert_eq!(hits("DO123", heredoc), vec![(4, "apt install curl".into())]);
        assert_eq!(hits("DO123", "FROM debian\nONBUILD RUN apt-get install curl\n").len(), 1);
        let escape = "# escape=`\nFROM debian\nRUN apt-get update `\n && apt-get -q install x\n";
        assert_eq!(hits("DO123", escape), vec![(4, "apt-get -q install x".into())]);
        // The logical line starts with a blank: the command's range still covers it exactly.
        let leading = "FROM debian\n\\\n run apt-get install \u{e9}\n";
        assert_eq!(hits("DO123", leading), vec![(3, "apt-get install \u{e9}".into())]);
    }

    #[test]
    fn quiet_when_answered() {
        for yes in ["-y", "--yes", "-qy", "--assume-yes", "-qq", "-q -q", "-q=2", "-o APT::Get::Assume-Yes=true"] {
            assert_clean("DO123", &format!("FROM debian\nRUN apt-get install {yes} curl\n"));
        }
        assert_clean("DO123", "FROM debian\nRUN apt-get update && apt-get upgrade -y\n");
        assert_clean("DO123", "FROM debian\nRUN apt-get install -s x && apt-get --dry-run install y\n");
        assert_eq!(hits("DO123", "FROM debian\nRUN apt-get install -o APT::Get::Assume-Yes=false x\n").len(), 1);
    }

    #[test]
    fn fix_adds_yes_after_install() {
        let src = "FROM debian\nRUN apt-get -t bookworm install curl\n";
        let fix = check("DO123", src)[0].fix.clone().unwrap();
        assert_eq!(fix.edits[0].range.start, src.find("install").unwrap() + "install".len());
        assert_eq!(fix.edits[0].content, " -y");
        let exec = "FROM debian\nRUN [\"sh\", \"-c\", \"apt-get install curl\"]\n";
        assert!(check("DO123", exec)[0].fix.is_none(), "no exact position inside JSON");
    }
}
