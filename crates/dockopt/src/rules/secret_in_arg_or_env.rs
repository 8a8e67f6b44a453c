//! DO260 secret-in-arg-or-env: an ARG or ENV whose name says it holds a secret.

use crate::lint::pairs::pair_spans;
use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};
use crate::secrets::{credentials, is_secret_name};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO260",
    name: "secret-in-arg-or-env",
    category: Category::Security,
    severity: Severity::Warning,
    upstream: &["hadolint:DL3064", "buildkit:SecretsUsedInArgOrEnv", "trivy:DS-0031"],
    summary: "Secrets must not be passed through ARG or ENV.",
    docs: r#"## What it does
Finds `ARG` and `ENV` (also under `ONBUILD`) whose name says it holds a secret. The name is
split into words at `_`, `-`, `.` and lower-to-upper case changes; it is reported when a word
is `password`, `passwd`, `pword`, `secret`, `token`, `key`, `apikey`, `auth`, `credential(s)`
or ends in `password`, `secret`, `token` or `apikey` (`CLIENTSECRET`), unless another word
says it is not the secret itself: `public`, `file`, `path`, `dir`, `version`, `url`, `uri`,
`host`, `port`, `endpoint`, `type`, `method`. (`AWS_ACCESS_KEY_ID` is reported: an access key id is half of a credential pair.)
A GPG key (`GPG_KEY`, `PGP_KEY_ID`) is the fingerprint of a public key used to verify a
download, and is not reported unless the name also says `private` or `secret`.

This follows BuildKit's word matching rather than hadolint's substring matching, which
reports names such as `TOKENIZERS_PARALLELISM`, `PRIVATE_REGISTRY` or `DOCKER_USERNAME`;
names like `PASSWORD_FILE` or `AUTH_URL` are not secrets. In turn it reports names with the
word `key` that hadolint's list misses (`LICENSE_KEY`, `SSH_KEY`). The value is never shown.

## Why is this bad?
Build arguments and environment variables are stored in the image: anyone who can pull it
reads them with `docker history` or `docker inspect`.

## Example
```dockerfile
ARG NPM_TOKEN
RUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > ~/.npmrc && npm ci
```

## Use instead
```dockerfile
RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN \
    echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > ~/.npmrc && npm ci && rm ~/.npmrc
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
            let keyword = ins.effective().keyword.as_ref();
            if !matches!(keyword, "ARG" | "ENV") {
                continue;
            }
            for span in pair_spans(cx, ins) {
                if is_secret_name(&span.pair.key) {
                    // A real-looking credential as the value (DO294's finding, reported here once).
                    let leaked = span.pair.value.as_deref().is_some_and(|v| !credentials(v).is_empty());
                    let revoke = if leaked { "; its value looks like a real credential: revoke it" } else { "" };
                    let message = format!(
                        "`{}` looks like a secret and {keyword} keeps it in the image; use `RUN --mount=type=secret`{revoke}",
                        span.pair.key
                    );
                    out.report(span.key, message);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::secrets::is_secret_name as looks_secret;
    use crate::lint::testing::{assert_clean, check, hits};

    #[test]
    fn fires_on_secret_names() {
        let src = "FROM a\nARG NPM_TOKEN\nENV DB_HOST=db \\\n    DB_PASSWORD=hunter2\nONBUILD ARG apiKey\n";
        assert_eq!(hits("DO260", src), vec![(2, "NPM_TOKEN".into()), (4, "DB_PASSWORD".into()), (5, "apiKey".into())]);
        assert!(check("DO260", src).iter().all(|d| !d.message.contains("hunter2")), "never print the value");
        assert_eq!(hits("DO260", "ARG GITHUB_TOKEN=x\nFROM a\n").len(), 1);
        assert_eq!(hits("DO260", "# escape=`\nFROM a\nENV A=1 `\n  AWS_SECRET_ACCESS_KEY=x\n").len(), 1);
    }

    #[test]
    fn word_matching() {
        for name in ["AWS_ACCESS_KEY_ID", "OKTA_OAUTH2_CLIENTSECRET", "private-key", "Auth", "X_CREDENTIALS", "GH_TOKEN", "LICENSE_KEY", "GPG_PRIVATE_KEY"] {
            assert!(looks_secret(name), "{name}");
        }
        for name in ["GPG_KEY", "PGP_KEY_ID", "GPG_KEYS", "TOKENIZERS_PARALLELISM", "PASSWORD_FILE", "PUBLIC_KEY", "KEYRING", "MONKEY", "AUTH_URL", "USERNAME"] {
            assert!(!looks_secret(name), "{name}");
        }
    }

    #[test]
    fn quiet_on_ordinary_names() {
        assert_clean("DO260", "FROM a\nARG VERSION=1\nENV PATH=/x:$PATH NODE_ENV=production\nLABEL token=x\n");
    }
}
