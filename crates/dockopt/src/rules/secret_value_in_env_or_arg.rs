//! DO294 secret-value-in-env-or-arg: credentials written into ENV, ARG or LABEL values.

use std::sync::LazyLock;

use regex::Regex;

use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};
use crate::secrets::{credentials, is_secret_name, on_comment_line};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO294",
    name: "secret-value-in-env-or-arg",
    category: Category::Security,
    severity: Severity::Error,
    upstream: &["checkov:CKV_DOCKER_1005"],
    summary: "ENV, ARG and LABEL values must not contain credentials.",
    docs: r#"## What it does
Looks at the values of `ENV`, `ARG` (defaults included) and `LABEL` for things that are
credentials whatever the variable is called: AWS access key ids (`AKIA...`, `ASIA...`),
private key blocks (`-----BEGIN ... PRIVATE KEY-----`), GitHub tokens (`ghp_`, `gho_`, `ghu_`,
`ghs_`, `ghr_`, `github_pat_`), GitLab tokens (`glpat-`), Slack tokens (`xoxb-`, `xoxp-` ...)
and webhooks, npm tokens (`npm_`), PyPI tokens (`pypi-`), Stripe live keys (`sk_live_`),
Google API keys (`AIza...`), JSON Web Tokens, and the password of a URL
(`postgres://admin:s3cr3t@db/app`; not `${DB_PASSWORD}` nor placeholders such as
`password` or `<password>`).

Variables whose *name* suggests a secret are another rule's job (BuildKit's
`SecretsUsedInArgOrEnv`); this one finds the value itself, under any other name. When both
apply (`ENV GITHUB_TOKEN=ghp_...`), that rule reports it once and adds that the value must be
revoked. Messages never repeat the value.

## Why is this bad?
`ENV` values are stored in the image configuration and `ARG` values in the build history:
anyone who can pull the image can read them with `docker inspect` or `docker history`, long
after the file was changed. A credential found this way should be revoked, not just removed.

## Example
```dockerfile
ENV GITHUB_TOKEN=ghp_0123456789abcdefghijklmnopqrstuvwxyz
RUN git clone https://$GITHUB_TOKEN@github.com/org/private.git
```

## Use instead
Pass the secret to the one `RUN` that needs it; it is never stored in the image:
```dockerfile
RUN --mount=type=secret,id=github_token \
    git clone "https://$(cat /run/secrets/github_token)@github.com/org/private.git"
```
built with `docker build --secret id=github_token,env=GITHUB_TOKEN .`.
"#,
    fix: FixAvailability::None,
    default_enabled: true,
};

static NAME: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"([A-Za-z_][A-Za-z0-9_.-]*)=").expect("valid regex"));

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        for ins in cx.instructions() {
            let effective = ins.effective();
            let keyword = effective.keyword.as_ref();
            if !matches!(keyword, "ENV" | "ARG" | "LABEL") || effective.pairs.is_empty() {
                continue;
            }
            let args = cx.arguments_range(ins);
            let text = cx.text(args.start..ins.syntax.range.end);
            for credential in credentials(text) {
                if on_comment_line(text, credential.range.start) {
                    continue;
                }
                // The variable is the last `NAME=` before the value, or the only key of the
                // legacy `ENV NAME value` form.
                let name = NAME
                    .captures_iter(&text[..credential.range.start])
                    .last()
                    .and_then(|c| c.get(1))
                    .map(|n| n.as_str().to_owned())
                    .unwrap_or_else(|| effective.pairs[0].key.to_string());
                // A variable whose name says secret is DO260's finding, not a second one here.
                if keyword != "LABEL" && is_secret_name(&name) {
                    continue;
                }
                let message = format!(
                    "{keyword} `{name}` holds what looks like {}; pass it as a build secret and revoke it",
                    credential.kind
                );
                out.report(args.start + credential.range.start..args.start + credential.range.end, message);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, check, hits};

    const GH: &str = "ghp_0123456789abcdefghijklmnopqrstuvwxyz";

    #[test]
    fn one_finding_when_the_name_says_secret_too() {
        let src = format!("FROM a\nENV GITHUB_TOKEN={GH}\n");
        assert!(hits("DO294", &src).is_empty(), "DO260 reports it");
        let both = crate::lint::testing::check("DO260", &src);
        assert_eq!(both.len(), 1);
        assert!(both[0].message.contains("revoke it") && !both[0].message.contains(GH), "{}", both[0].message);
    }

    #[test]
    fn fires_on_credentials_under_any_name() {
        let src = format!("FROM a\nENV A=1 CONFIG=\"{GH}\"\n");
        assert_eq!(hits("DO294", &src), vec![(2, GH.to_owned())]);
        let aws = "FROM a\nARG K1=AKIAIOSFODNN7EXAMPLE\nENV SLACK_BOT xoxb-1234567890-abcdef\n";
        assert_eq!(
            hits("DO294", aws),
            vec![(2, "AKIAIOSFODNN7EXAMPLE".into()), (3, "xoxb-1234567890-abcdef".into())]
        );
        let key = "FROM a\nENV DEPLOY=\"-----BEGIN OPENSSH PRIVATE KEY-----\\nb3BlbnNzaC1rZXk=\"\n";
        assert_eq!(hits("DO294", key), vec![(2, "-----BEGIN OPENSSH PRIVATE KEY-----".into())]);
        let jwt = "FROM a\nENV CLAIMS=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U\n";
        assert_eq!(hits("DO294", jwt).len(), 1);
    }

    #[test]
    fn names_the_variable_never_the_value() {
        let src = format!("FROM a\nENV A=1 \\\n    CONFIG={GH}\n");
        let d = &check("DO294", &src)[0];
        assert!(d.message.contains("`CONFIG`") && d.message.contains("GitHub token"), "{}", d.message);
        assert!(!d.message.contains(GH));
        let legacy = format!("FROM a\nENV GH_CONFIG {GH}\n");
        assert!(check("DO294", &legacy)[0].message.contains("`GH_CONFIG`"));
    }

    #[test]
    fn onbuild_and_escape() {
        assert_eq!(hits("DO294", &format!("FROM a\nONBUILD ENV T={GH}\n")).len(), 1);
        let escape = format!("# escape=`\nFROM a\nENV A=1 `\n  T={GH}\n");
        assert_eq!(hits("DO294", &escape), vec![(4, GH.to_owned())]);
    }

    #[test]
    fn quiet_on_ordinary_values() {
        assert_clean("DO294", "FROM a\nENV PATH=/usr/local/bin:$PATH GITHUB_TOKEN=\"\"\nARG AWS_ACCESS_KEY_ID\n");
        assert_clean("DO294", "FROM a\nENV KEY_FILE=/run/secrets/key ID=AKIA_NOT_A_KEY\n");
        // Secrets in RUN lines are DO298's business.
        assert_clean("DO294", &format!("FROM a\nRUN echo {GH}\n"));
        assert_clean("DO294", "FROM a\nENV DATABASE_URL=postgres://app:${DB_PASSWORD}@db/app PROXY=http://user:password@proxy:3128\n");
    }

    #[test]
    fn passwords_in_urls_and_label_values() {
        let src = "FROM a\nENV DATABASE_URL=postgres://admin:hunter2@db:5432/app\nLABEL deploy.token=glpat-0123456789abcdefghij\n";
        assert_eq!(hits("DO294", src), vec![(2, "hunter2".into()), (3, "glpat-0123456789abcdefghij".into())]);
        let d = &check("DO294", src)[0];
        assert!(d.message.contains("`DATABASE_URL`") && d.message.contains("a password in a URL"), "{}", d.message);
        assert!(!d.message.contains("hunter2"));
    }
}
