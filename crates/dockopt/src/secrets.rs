//! What looks like a secret, in one place for the rules, the redaction of every output and
//! `optimize`'s secrets transform: variable names that say secret, credentials recognisable by
//! their format (tokens, keys, passwords in URLs), credentials on command lines, and random
//! looking values.

use std::ops::Range;
use std::sync::LazyLock;

use regex::{Regex, RegexSet};

/// A credential found in a text: where, and what kind (for messages; never the value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credential {
    pub range: Range<usize>,
    /// `a GitHub token`, `a password in a URL` ...
    pub kind: &'static str,
}

// --- names --------------------------------------------------------------------------------

const SECRET_WORDS: [&str; 12] = [
    "password",
    "passwd",
    "pass",
    "pword",
    "secret",
    "token",
    "key",
    "apikey",
    "auth",
    "credential",
    "credentials",
    "pwd",
];
const SECRET_SUFFIXES: [&str; 4] = ["password", "secret", "token", "apikey"];
const HARMLESS_WORDS: [&str; 12] =
    ["public", "file", "path", "dir", "version", "url", "uri", "host", "port", "endpoint", "type", "method"];

/// `AWS_SECRET_ACCESS_KEY` -> `aws secret access key`; `apiKey` -> `api key`.
fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if matches!(c, '_' | '-' | '.') {
            out.push(std::mem::take(&mut current));
            prev_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && prev_lower {
            out.push(std::mem::take(&mut current));
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        current.push(c.to_ascii_lowercase());
    }
    out.push(current);
    out.retain(|w| !w.is_empty());
    out
}

/// Whether a variable name says it holds a secret: a word of it is `password`, `token`,
/// `key`, `secret`, `auth` ... (or ends so: `CLIENTSECRET`), and no word says it is only about
/// the secret (`PASSWORD_FILE`, `AUTH_URL`, `PUBLIC_KEY`). `PWD` alone is the shell's working
/// directory, and a GPG/PGP key is a public key's fingerprint unless the name says private.
pub fn is_secret_name(name: &str) -> bool {
    if name == "PWD" {
        return false;
    }
    let words = words(name);
    let secret = words.iter().any(|w| {
        SECRET_WORDS.contains(&w.as_str()) || SECRET_SUFFIXES.iter().any(|s| w.len() > s.len() && w.ends_with(s))
    });
    secret && !words.iter().any(|w| HARMLESS_WORDS.contains(&w.as_str())) && !public_gpg_key(&words)
}

/// `GPG_KEY`, `PGP_KEY_ID`: the fingerprint of the public key a download is verified with
/// (the official python images set one), unless the name also says private or secret.
fn public_gpg_key(words: &[String]) -> bool {
    let has = |set: &[&str]| words.iter().any(|w| set.contains(&w.as_str()));
    has(&["gpg", "pgp", "gnupg"]) && !has(&["private", "secret", "password", "passphrase", "token"])
}

/// Names of values that are random by design but public: checksums, digests, fingerprints,
/// commit ids, versions.
fn names_public_random(name: &str) -> bool {
    const WORDS: [&str; 16] = [
        "sha",
        "sha1",
        "sha256",
        "sha512",
        "md5",
        "checksum",
        "hash",
        "digest",
        "fingerprint",
        "gpg",
        "pgp",
        "commit",
        "revision",
        "rev",
        "ref",
        "version",
    ];
    words(name).iter().any(|w| WORDS.contains(&w.as_str()) || w.starts_with("sha"))
}

// --- values -------------------------------------------------------------------------------

/// Named patterns searched for together: one pass over the text tells which of them occur,
/// and only those are then searched for their positions (most texts hold none). Word
/// boundaries are ASCII ones (`(?-u:\b)`): with Unicode ones the fast engines give up on any
/// text with a non-ASCII character and the slow one runs (a 10 MB file: 1.1 s in this search).
struct Patterns {
    any: RegexSet,
    each: Vec<(&'static str, Regex)>,
}

impl Patterns {
    fn new(patterns: &[(&'static str, &str)]) -> Self {
        Patterns {
            any: RegexSet::new(patterns.iter().map(|(_, re)| re)).expect("valid regexes"),
            each: patterns.iter().map(|&(kind, re)| (kind, Regex::new(re).expect("valid regex"))).collect(),
        }
    }

    /// The patterns that occur in `text`, with their names.
    fn occurring<'p>(&'p self, text: &str) -> impl Iterator<Item = &'p (&'static str, Regex)> + 'p {
        self.any.matches(text).into_iter().map(|i| &self.each[i])
    }
}

static FORMATS: LazyLock<Patterns> = LazyLock::new(|| {
    Patterns::new(&[
        ("an AWS access key id", r"(?-u:\b)(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?-u:\b)"),
        ("a private key", r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"),
        ("a GitHub token", r"(?-u:\b)(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,})(?-u:\b)"),
        ("a GitLab token", r"(?-u:\b)glpat-[A-Za-z0-9_-]{20,}"),
        ("a Slack token", r"(?-u:\b)xox[abposr]-[A-Za-z0-9-]{10,}"),
        ("a Slack webhook", r"https://hooks\.slack\.com/services/[A-Za-z0-9/]{20,}"),
        ("an npm token", r"(?-u:\b)npm_[A-Za-z0-9]{36}(?-u:\b)"),
        ("a PyPI token", r"(?-u:\b)pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}"),
        ("a Stripe secret key", r"(?-u:\b)[sr]k_live_[A-Za-z0-9]{20,}"),
        ("a Google API key", r"(?-u:\b)AIza[A-Za-z0-9_-]{35}"),
        ("a JSON Web Token", r"(?-u:\b)eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"),
    ])
});

/// `scheme://user:password@`: the password is group 1.
static URL_PASSWORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?-u:\b)[A-Za-z][A-Za-z0-9+.-]*://[^\s:/@'"`]+:([^\s/@'"`]+)@"#).expect("valid regex")
});

/// A literal value, not a variable or command to be filled in at build or run time, nor a
/// placeholder in an example (`password`, `xxx`, `<token>`, `${TOKEN}`, `%s`).
fn literal(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    const PLACEHOLDERS: [&str; 9] =
        ["password", "pass", "passwd", "pwd", "secret", "token", "changeme", "user", "username"];
    let placeholder = value.is_empty()
        || value.contains(['$', '%'])
        || (value.starts_with('<') && value.ends_with('>'))
        || (value.starts_with('{') && value.ends_with('}'))
        || PLACEHOLDERS.contains(&lower.as_str())
        || value.chars().all(|c| matches!(c, 'x' | 'X' | '*' | '.'));
    !placeholder
}

/// Credentials recognisable wherever they appear: tokens and keys by their format, and the
/// password of a `scheme://user:password@host` URL. Sorted by position.
pub fn credentials(text: &str) -> Vec<Credential> {
    let mut out: Vec<Credential> = FORMATS
        .occurring(text)
        .flat_map(|(kind, re)| re.find_iter(text).map(|m| Credential { range: m.range(), kind }))
        .collect();
    for captures in URL_PASSWORD.captures_iter(text) {
        if let Some(password) = captures.get(1).filter(|p| literal(p.as_str())) {
            out.push(Credential { range: password.range(), kind: "a password in a URL" });
        }
    }
    out.sort_by_key(|c| (c.range.start, c.range.end));
    out.dedup_by(|b, a| b.range.start < a.range.end);
    out
}

/// Credentials passed on a command line: `curl -u user:password`, `--password=...`,
/// `sshpass -p ...`, `mysql -p...`, an npm `_authToken=` / `_password=` written out; only
/// literal values (not `$VAR`). Credentials by format ([`credentials`]) are not repeated.
pub fn command_line_credentials(text: &str) -> Vec<Credential> {
    static OPTIONS: LazyLock<Vec<OptionPattern>> = LazyLock::new(|| {
        // What may come before a match: `None` is the start of the text.
        let blank_or_start: fn(Option<char>) -> bool = |c| c.is_none_or(char::is_whitespace);
        let blank_or_colon: fn(Option<char>) -> bool = |c| c.is_some_and(|c| c == ':' || c.is_whitespace());
        vec![
            OptionPattern::new(
                "a password given to curl",
                Some(blank_or_start),
                r#"(?:-u\s*|--user[=\s]+)["']?[^\s:"']+:([^\s"'@]+)"#,
            ),
            OptionPattern::new("a password option", Some(blank_or_start), r#"--password[=\s]+["']?([^\s"';&|]+)"#),
            OptionPattern::new("a password given to sshpass", None, r#"(?-u:\b)sshpass\s+-p\s*["']?([^\s"';&|]+)"#),
            OptionPattern::new(
                "a password given to mysql",
                None,
                r#"(?-u:\b)mysql(?:dump|admin)?(?-u:\b)[^;&|\n]*?\s-p([^\s"';&|]+)"#,
            ),
            OptionPattern::new(
                "an npm auth token",
                Some(blank_or_colon),
                r#"_(?:authToken|auth|password)\s*=\s*["']?([^\s"';&|]+)"#,
            ),
        ]
    });
    let mut out = Vec::new();
    for option in OPTIONS.iter() {
        for value in option.values(text).filter(|v| literal(v.as_str())) {
            out.push(Credential { range: value.range(), kind: option.kind });
        }
    }
    out.sort_by_key(|c| (c.range.start, c.range.end));
    out.dedup_by(|b, a| b.range.start < a.range.end);
    out
}

/// A command-line pattern, and what its match must follow when the pattern does not say it
/// (see [`crate::text::captures_after`]: written into the pattern, that context made this
/// search 8% of the instructions of a lint).
struct OptionPattern {
    kind: &'static str,
    /// A blank, say, or the start of the text (`None`).
    after: Option<fn(Option<char>) -> bool>,
    /// Group 1 is the value.
    re: Regex,
}

impl OptionPattern {
    fn new(kind: &'static str, after: Option<fn(Option<char>) -> bool>, re: &str) -> Self {
        OptionPattern { kind, after, re: Regex::new(re).expect("valid regex") }
    }

    /// The values of the matches, left to right.
    fn values<'s, 't: 's>(&'s self, text: &'t str) -> impl Iterator<Item = regex::Match<'t>> + 's {
        let found: Box<dyn Iterator<Item = regex::Captures<'t>>> = match self.after {
            Some(after) => Box::new(crate::text::captures_after(&self.re, text, after)),
            None => Box::new(self.re.captures_iter(text)),
        };
        found.filter_map(|captures| captures.get(1))
    }
}

/// Whether offset `at` of `text` is on a comment line (`# ...`), where a value is no secret of
/// the build (it may be an example).
pub fn on_comment_line(text: &str, at: usize) -> bool {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    text[line_start..at].trim_start().starts_with('#')
}

/// Bits of entropy per character of `s`.
fn entropy(s: &str) -> f64 {
    let mut counts = std::collections::HashMap::new();
    for c in s.chars() {
        *counts.entry(c).or_insert(0usize) += 1;
    }
    let n = s.chars().count() as f64;
    counts.values().map(|&k| k as f64 / n).map(|p| -p * p.log2()).sum()
}

/// Whether the value of variable `name` looks like a randomly generated secret: at least 20
/// characters without blanks, upper- and lower-case letters and digits mixed, 4 bits of
/// entropy per character or more; not a path, URL, hex checksum or commit id, nor the value
/// of a variable named for one (`NODE_SHA256`, `GPG_KEY`, `APP_VERSION`).
pub fn looks_random(name: &str, value: &str) -> bool {
    let value = value.trim_matches(|c| c == '"' || c == '\'');
    value.len() >= 20
        && literal(value)
        && !value.contains(|c: char| c.is_whitespace() || matches!(c, '/' | ':' | ','))
        && !value.chars().all(|c| c.is_ascii_hexdigit())
        && value.chars().any(|c| c.is_ascii_uppercase())
        && value.chars().any(|c| c.is_ascii_lowercase())
        && value.chars().any(|c| c.is_ascii_digit())
        && entropy(value) >= 4.0
        && !names_public_random(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(found: &[Credential], text: &str) -> Vec<(String, &'static str)> {
        found.iter().map(|c| (text[c.range.clone()].to_owned(), c.kind)).collect()
    }

    #[test]
    fn secret_names() {
        for name in [
            "AWS_ACCESS_KEY_ID",
            "OKTA_OAUTH2_CLIENTSECRET",
            "private-key",
            "Auth",
            "X_CREDENTIALS",
            "GH_TOKEN",
            "LICENSE_KEY",
            "GPG_PRIVATE_KEY",
            "DB_PASSWORD",
            "apiKey",
            "DB_PASS",
        ] {
            assert!(is_secret_name(name), "{name}");
        }
        for name in [
            "GPG_KEY",
            "PGP_KEY_ID",
            "GPG_KEYS",
            "TOKENIZERS_PARALLELISM",
            "PASSWORD_FILE",
            "PUBLIC_KEY",
            "KEYRING",
            "MONKEY",
            "AUTH_URL",
            "USERNAME",
            "PWD",
            "AUTHOR",
            "BYPASS_CACHE",
        ] {
            assert!(!is_secret_name(name), "{name}");
        }
    }

    #[test]
    fn credentials_by_format_and_in_urls() {
        let text = "DATABASE_URL=postgres://admin:hunter2@db:5432/app K=AKIAIOSFODNN7EXAMPLE T=pypi-AgEIcHlwaS5vcmcCJDEyMzQ1Njc4LTEyMzQtMTIzNC0xMjM0LTEyMzQ1Njc4OTAxMgACKlsz";
        assert_eq!(
            kinds(&credentials(text), text),
            [
                ("hunter2".to_owned(), "a password in a URL"),
                ("AKIAIOSFODNN7EXAMPLE".to_owned(), "an AWS access key id"),
                (text[text.find("pypi-").unwrap()..].to_owned(), "a PyPI token"),
            ]
        );
        let token_user = "https://x-access-token:ghs_0123456789abcdefghijklmnopqrstuvwxyzAB@github.com/o/r.git";
        assert_eq!(credentials(token_user).len(), 1, "the token is found once");
        for quiet in [
            "postgres://user:${DB_PASSWORD}@db/app",
            "https://user:password@example.com",
            "mysql://root:<password>@localhost",
            "http://$USER:$PASS@proxy:3128",
            "https://registry.npmjs.org/",
            "git@github.com:org/repo.git",
            "ftp://anonymous@ftp.example.org",
        ] {
            assert!(credentials(quiet).is_empty(), "{quiet}");
        }
    }

    #[test]
    fn command_line_credentials_are_literal_values() {
        let text = r#"curl -u admin:s3cr3tpass https://x && docker login --password=Hunter22 && sshpass -p 'pw1234' ssh h && mysql -uroot -pRootPass1 db && echo "//registry.npmjs.org/:_authToken=abc123def456" > ~/.npmrc"#;
        let found: Vec<String> =
            command_line_credentials(text).iter().map(|c| text[c.range.clone()].to_owned()).collect();
        assert_eq!(found, ["s3cr3tpass", "Hunter22", "pw1234", "RootPass1", "abc123def456"]);
        let quiet = r#"curl -u "$USER:$TOKEN" https://x && echo "//r/:_authToken=${NPM_TOKEN}" > .npmrc && pip --password-file x && curl -fsSL https://x"#;
        assert!(command_line_credentials(quiet).is_empty(), "{:?}", command_line_credentials(quiet));
    }

    /// The patterns as they were written with their leading context, `captures_iter` over the
    /// text: what [`command_line_credentials`] must find.
    fn command_line_credentials_oracle(text: &str) -> Vec<Credential> {
        let patterns = [
            ("a password given to curl", r#"(?:^|\s)(?:-u\s*|--user[=\s]+)["']?[^\s:"']+:([^\s"'@]+)"#),
            ("a password option", r#"(?:^|\s)--password[=\s]+["']?([^\s"';&|]+)"#),
            ("a password given to sshpass", r#"(?-u:\b)sshpass\s+-p\s*["']?([^\s"';&|]+)"#),
            ("a password given to mysql", r#"(?-u:\b)mysql(?:dump|admin)?(?-u:\b)[^;&|\n]*?\s-p([^\s"';&|]+)"#),
            ("an npm auth token", r#"[:\s]_(?:authToken|auth|password)\s*=\s*["']?([^\s"';&|]+)"#),
        ];
        let mut out = Vec::new();
        for (kind, re) in patterns {
            for captures in Regex::new(re).unwrap().captures_iter(text) {
                if let Some(value) = captures.get(1).filter(|v| literal(v.as_str())) {
                    out.push(Credential { range: value.range(), kind });
                }
            }
        }
        out.sort_by_key(|c| (c.range.start, c.range.end));
        out.dedup_by(|b, a| b.range.start < a.range.end);
        out
    }

    proptest::proptest! {
        #[test]
        fn command_line_patterns_read_their_context_as_written(
            pieces in proptest::collection::vec(proptest::sample::select(&[
                " ", "\t", "\n", "\u{a0}", ":", "=", "'", "\"", ";", "@", "-", "x", "pw1", "é",
                "-u", "--user", "--password", "sshpass", "-p", "mysql", "mysqldump", "_auth",
                "_authToken", "_password", "$T",
            ][..]), 0..24)
        ) {
            let text = pieces.concat();
            proptest::prop_assert_eq!(command_line_credentials(&text), command_line_credentials_oracle(&text));
        }
    }

    #[test]
    fn command_line_patterns_agree_with_their_oracle_on_examples() {
        for text in [
            "curl -u a:b -u c:d --user=e:f\t--user g:h x-u i:j",
            "--password=p1 a--password=p2 --password  p3",
            "x:_authToken=t1 y_auth=t2 :_password = 't3' \n_auth=t4",
            "mysql -uroot -pRootPass1 && mysqldump x -pP2; sshpass -p 'pw' ssh",
            "\u{a0}-u a:b é--password=x",
            "_auth=t0 -u a:b",
            "-u a:b --password=p",
        ] {
            assert_eq!(command_line_credentials(text), command_line_credentials_oracle(text), "{text}");
        }
    }

    #[test]
    fn random_values() {
        assert!(looks_random("API_SIGNING", "q8Zr3Kx0Lm2Vw9Tb7Yp4Nc6Hd1Gf5Js0"));
        assert!(!looks_random("NODE_SHA256", "q8Zr3Kx0Lm2Vw9Tb7Yp4Nc6Hd1Gf5Js0"), "named a checksum");
        for (name, value) in [
            ("PYTHON_SHA256", "a3b2c1d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f0a1b2"),
            ("GIT_COMMIT", "0123456789abcdef0123456789abcdef01234567"),
            ("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin"),
            ("JAVA_OPTS", "-Xmx512m -XX:+UseG1GC -Dfile.encoding=UTF8"),
            ("NODE_ENV", "production"),
            ("CLASSNAME", "OrgApacheCatalinaStartupBootstrap2"),
            ("X", "${SOME_VERY_LONG_VARIABLE_NAME_123}"),
        ] {
            assert!(!looks_random(name, value), "{name}={value}");
        }
    }
}
