//! DO296 download-piped-to-shell: `curl ... | sh` runs whatever the server sends.

use crate::lint::invocation::unwrap;
use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};
use crate::shell::Command;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO296",
    name: "download-piped-to-shell",
    category: Category::Security,
    severity: Severity::Warning,
    upstream: &[],
    summary: "Downloaded scripts should be verified before they run, not piped into a shell.",
    docs: r#"## What it does
Finds `RUN` commands that download a script and run it without keeping it: `curl ... | sh`,
`wget -qO- ... | sudo bash -s --`, `curl ... | python3 -`, `sh -c "$(curl ...)"`,
`bash <(curl ...)` and `eval "$(wget ...)"`.

## Why is this bad?
Whatever the server (or anything between it and the build) returns runs as root in the
image, and nothing records what it was: the next build may run something else. A connection
cut in the middle can also run half a script.

## Example
```dockerfile
RUN curl -fsSL https://example.com/install.sh | sh
```

## Use instead
Download a pinned version, check it against a known checksum, then run it:
```dockerfile
ARG INSTALL_SHA256=0123abcd...
RUN curl -fsSLo /tmp/install.sh https://example.com/v1.2.3/install.sh \
    && echo "${INSTALL_SHA256}  /tmp/install.sh" | sha256sum -c - \
    && sh /tmp/install.sh && rm /tmp/install.sh
```
or use `ADD --checksum=sha256:... https://... /tmp/install.sh`.
"#,
    fix: FixAvailability::None,
    default_enabled: true,
};

const SHELLS: [&str; 7] = ["sh", "bash", "ash", "dash", "zsh", "ksh", "fish"];
const INTERPRETERS: [&str; 6] = ["python", "python3", "perl", "ruby", "node", "php"];

fn is_fetch(command: &Command) -> bool {
    matches!(unwrap(command).program(), Some("curl" | "wget" | "fetch"))
}

/// The shell or interpreter reads its program from standard input.
fn runs_stdin(command: &Command) -> Option<String> {
    let command = unwrap(command);
    let program = command.program()?;
    let is_shell = SHELLS.contains(&program);
    if !is_shell && !INTERPRETERS.contains(&program) {
        return None;
    }
    if is_shell && command.has_option(Some('c'), None) {
        return None;
    }
    let first_operand = command.args.iter().find(|w| !w.text().starts_with('-') || w.text() == "-");
    let stdin = match first_operand {
        None => true,
        Some(w) if w.text() == "-" || w.text() == "/dev/stdin" => true,
        // `sh -s -- args`: the arguments belong to the script read from stdin.
        Some(_) => is_shell && command.has_option(Some('s'), None),
    };
    stdin.then(|| program.to_owned())
}

/// `sh -c "$(curl ...)"`, `bash <(curl ...)`, `eval "$(wget ...)"`.
fn runs_substitution(command: &Command) -> Option<String> {
    let command = unwrap(command);
    let program = command.program()?;
    if !SHELLS.contains(&program) && !INTERPRETERS.contains(&program) && program != "eval" && program != "source" {
        return None;
    }
    let fetched = command.args.iter().any(|w| {
        ["$(", "<(", "`"].iter().any(|open| {
            w.raw().split(open).skip(1).any(|after| {
                let after = after.trim_start().trim_start_matches("sudo ");
                after.starts_with("curl ") || after.starts_with("wget ") || after.starts_with("fetch ")
            })
        })
    });
    fetched.then(|| program.to_owned())
}

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        for ins in cx.instructions() {
            for script in cx.scripts(ins) {
                for command in &script.commands {
                    if let Some(program) = runs_substitution(command) {
                        out.report(
                            command.range(),
                            format!("`{program}` runs a script straight from a download; save it, verify its checksum, then run it"),
                        );
                    }
                    let Some(pipeline) = command.pipeline() else { continue };
                    if command.pipeline_position == 0 {
                        continue;
                    }
                    let Some(program) = runs_stdin(command) else { continue };
                    let fetch = script.commands.iter().find(|c| {
                        c.pipeline() == Some(pipeline) && c.pipeline_position < command.pipeline_position && is_fetch(c)
                    });
                    if let Some(fetch) = fetch {
                        out.report(
                            fetch.range().start..command.range().end.max(fetch.range().end),
                            format!("a download is piped into `{program}`; save it, verify its checksum, then run it"),
                        );
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, hits};

    #[test]
    fn fires_on_pipes_into_shells() {
        assert_eq!(
            hits("DO296", "FROM a\nRUN curl -fsSL https://x/i.sh | sh\n"),
            vec![(2, "curl -fsSL https://x/i.sh | sh".into())]
        );
        let multi = "FROM a\nRUN apt-get update && \\\n    wget -qO- https://x | sudo -E bash -s -- --yes\n";
        assert_eq!(hits("DO296", multi), vec![(3, "wget -qO- https://x | sudo -E bash -s -- --yes".into())]);
        assert_eq!(hits("DO296", "FROM a\nRUN curl -sSL https://x | python3 -\n").len(), 1);
        assert_eq!(hits("DO296", "FROM a\nRUN curl -sSL https://x | tee /tmp/i | bash\n").len(), 1);
    }

    #[test]
    fn fires_on_substitutions() {
        let src = "FROM a\nRUN sh -c \"$(curl -fsSL https://x/install.sh)\"\n";
        assert_eq!(hits("DO296", src), vec![(2, "sh -c \"$(curl -fsSL https://x/install.sh)\"".into())]);
        assert_eq!(hits("DO296", "FROM a\nRUN bash <(curl -s https://x)\n").len(), 1);
        assert_eq!(hits("DO296", "FROM a\nRUN eval \"$(wget -qO- https://x)\"\n").len(), 1);
    }

    #[test]
    fn heredoc_onbuild_and_escape() {
        assert_eq!(hits("DO296", "FROM a\nRUN <<EOF\nset -e\ncurl -fsSL https://x | sh\nEOF\n").len(), 1);
        assert_eq!(hits("DO296", "FROM a\nONBUILD RUN curl https://x | bash\n").len(), 1);
        let escape = "# escape=`\nFROM a\nRUN curl -fsSL https://x `\n  | sh\n";
        assert_eq!(hits("DO296", escape), vec![(3, "curl -fsSL https://x `\n  | sh".into())]);
    }

    #[test]
    fn quiet_on_verified_or_non_script_downloads() {
        assert_clean("DO296", "FROM a\nRUN curl -fsSLo /tmp/i.sh https://x && sha256sum -c s && sh /tmp/i.sh\n");
        assert_clean("DO296", "FROM a\nRUN curl -fsSL https://x | tar -xz && echo hi | sh\n");
        assert_clean("DO296", "FROM a\nRUN curl -fsSL https://x | gpg --import && bash ./install.sh\n");
        assert_eq!(hits("DO296", "FROM a\nRUN curl -fsSL https://x | bash /dev/stdin\n").len(), 1);
        assert_clean("DO296", "FROM a\nRUN sh -c \"echo $(date)\"\n");
    }
}
