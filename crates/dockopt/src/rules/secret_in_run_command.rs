//! DO298 secret-in-run-command: credentials written into a RUN command.

use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};
use crate::secrets::on_comment_line;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO298",
    name: "secret-in-run-command",
    category: Category::Security,
    severity: Severity::Error,
    upstream: &[],
    summary: "RUN commands must not contain credentials.",
    docs: r#"## What it does
Looks at `RUN` commands (shell form, exec form and heredoc scripts, also under `ONBUILD`) for
credentials written out: tokens and keys recognisable by their format (the same list as
`secret-value-in-env-or-arg`), the password of a `scheme://user:password@host` URL
(`git clone https://user:pass@...`, `pip install --index-url https://u:p@...`), and passwords
given as options: `curl -u user:password`, `--password=...`, `sshpass -p ...`,
`mysql -p...`, an npm `_authToken=` written into `.npmrc`. Variables (`$TOKEN`,
`${NPM_TOKEN}`) and placeholders (`password`, `<token>`, `xxx`) are not credentials. Messages
never repeat the value.

## Why is this bad?
Every `RUN` command line is stored in the image history (`docker history --no-trunc`), and in
the Dockerfile itself, which usually lives in version control. Anyone who can pull the image
or read the repository can use the credential. A credential found this way should be revoked,
not just removed.

## Example
```dockerfile
RUN git clone https://deploy:s3cr3t@git.example.com/org/app.git
```

## Use instead
```dockerfile
RUN --mount=type=secret,id=git_password \
    git clone "https://deploy:$(cat /run/secrets/git_password)@git.example.com/org/app.git"
```
built with `docker build --secret id=git_password,env=GIT_PASSWORD .`.
"#,
    fix: FixAvailability::None,
    default_enabled: true,
};

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        for ins in cx.instructions().filter(|i| i.effective().keyword == "RUN") {
            // Most RUNs hold none: their tokens need not be read.
            if cx.credentials().within(ins.syntax.range.clone()).is_empty() {
                continue;
            }
            let args = cx.arguments_range(ins);
            let text = cx.text(args.start..ins.syntax.range.end);
            for credential in cx.credentials().within(args.start..ins.syntax.range.end) {
                // Comment lines are told apart within the command (its first line may be one).
                if on_comment_line(text, credential.range.start - args.start) {
                    continue;
                }
                let message = format!(
                    "RUN writes out {}: it stays in the image history; pass it with `RUN --mount=type=secret` and revoke it",
                    credential.kind
                );
                out.report(credential.range.clone(), message);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, check, hits};

    #[test]
    fn fires_on_credentials_in_commands() {
        let src = "FROM a\nRUN git clone https://deploy:s3cr3t@git.example.com/app.git \\\n && curl -u admin:Passw0rd9 https://x\nRUN <<EOF\necho '//registry.npmjs.org/:_authToken=npm_0123456789abcdefghijklmnopqrstuvwxyz' > ~/.npmrc\nEOF\n";
        let found = hits("DO298", src);
        assert_eq!(
            found,
            vec![
                (2, "s3cr3t".into()),
                (3, "Passw0rd9".into()),
                (5, "npm_0123456789abcdefghijklmnopqrstuvwxyz".into()),
            ]
        );
        for d in check("DO298", src) {
            assert!(!d.message.contains("s3cr3t") && !d.message.contains("Passw0rd9"), "{}", d.message);
        }
        assert_eq!(hits("DO298", "FROM a\nONBUILD RUN curl --user u:Secretive1 https://x\n").len(), 1);
        assert_eq!(hits("DO298", "FROM a\nRUN [\"sh\", \"-c\", \"mysql -uroot -pRootPass1 db\"]\n").len(), 1);
        // The file is searched as a whole: a command's first word is read after the blank
        // before it, as every later word is.
        assert_eq!(hits("DO298", "FROM a\nRUN _authToken=abc123def && npm ci\n"), vec![(2, "abc123def".into())]);
        assert_eq!(hits("DO298", "FROM a\nRUN -u admin:Passw0rd9\n"), vec![(2, "Passw0rd9".into())]);
    }

    #[test]
    fn quiet_on_variables_placeholders_and_comments() {
        assert_clean(
            "DO298",
            "FROM a\nRUN git clone https://$GIT_USER:${GIT_TOKEN}@git.example.com/app.git\nRUN curl -u \"$USER:$PASS\" https://x\n\
             RUN echo \"//registry.npmjs.org/:_authToken=${NPM_TOKEN}\" > ~/.npmrc\n\
             RUN pip install --index-url https://user:password@pypi.example.com/simple x\n\
             # RUN curl -u admin:s3cr3tpass https://x\nRUN curl -fsSL https://example.com | sh\n",
        );
    }
}
