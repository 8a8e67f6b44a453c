//! Where secret values sit in the source, so that no output ever shows them: values of
//! ENV/ARG entries whose name says secret, and values that look like credentials wherever
//! they appear.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::Context;

/// Names that announce a secret (`DB_PASSWORD`, `API_TOKEN`, `AWS_SECRET_ACCESS_KEY` ...).
pub fn is_secret_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    const WORDS: [&str; 10] = [
        "password",
        "passwd",
        "secret",
        "token",
        "apikey",
        "api_key",
        "access_key",
        "private_key",
        "credential",
        "auth_key",
    ];
    WORDS.iter().any(|w| n.contains(w)) || n.ends_with("_pass") || n.ends_with("_pwd")
}

static CREDENTIAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}", // AWS access key id
        r"|-----BEGIN [A-Z ]*PRIVATE KEY-----",             // PEM private key
        r"|gh[pousr]_[A-Za-z0-9]{36,}",                     // GitHub token
        r"|github_pat_[A-Za-z0-9_]{40,}",                   // GitHub fine-grained token
        r"|glpat-[A-Za-z0-9_\-]{20,}",                      // GitLab token
        r"|xox[abprs]-[A-Za-z0-9-]{10,}",                   // Slack token
        r"|sk_live_[A-Za-z0-9]{20,}",                       // Stripe key
        r"|eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}", // JWT
    ))
    .expect("valid pattern")
});

/// Byte ranges of credential-looking values in `text`.
pub fn credential_ranges(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    CREDENTIAL.find_iter(text).map(|m| m.range())
}

/// Every range of `cx.src` that must be hidden.
pub fn secret_ranges(cx: &Context) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = credential_ranges(cx.src).collect();
    for ins in cx.instructions().filter(|i| i.is("ENV") || i.is("ARG")) {
        let words: Vec<Range<usize>> = cx.word_ranges(ins);
        let legacy = ins.is("ENV") && words.first().is_some_and(|w| !cx.text(w.clone()).contains('='));
        if legacy {
            if is_secret_name(cx.text(words[0].clone())) && words.len() > 1 {
                out.push(words[1].start..words[words.len() - 1].end);
            }
            continue;
        }
        for w in words {
            let text = cx.text(w.clone());
            if let Some(eq) = text.find('=')
                && is_secret_name(&text[..eq])
                && eq + 1 < text.len()
            {
                out.push(w.start + eq + 1..w.end);
            }
        }
    }
    out.sort_by_key(|r| r.start);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::LintOptions;

    #[test]
    fn finds_secret_values() {
        let src = "FROM a\nENV DB_PASSWORD=hunter2 USER=app\nARG API_TOKEN\nENV SECRET_KEY s3cr3t v\nRUN echo AKIAABCDEFGHIJKLMNOP\n";
        let file = crate::parse(src);
        let model = file.model();
        let options = LintOptions::default();
        let cx = Context::new(src, file.syntax(), &model, &options);
        let hidden: Vec<&str> = secret_ranges(&cx).into_iter().map(|r| &src[r]).collect();
        assert_eq!(hidden, vec!["hunter2", "s3cr3t v", "AKIAABCDEFGHIJKLMNOP"]);
        assert!(!is_secret_name("PWD") && !is_secret_name("AUTHOR") && is_secret_name("gh_token"));
    }
}
