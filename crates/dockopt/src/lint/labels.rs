//! Label formats (hadolint's `label-schema`) and their validators, and the labels whose
//! format a published specification fixes (OCI image annotations, label-schema.org).

use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

use super::pairs::pair_spans;
use super::{Context, Ins};

/// What a label's value must look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelFormat {
    /// Any text.
    Text,
    /// An absolute URI (`https://...`).
    Url,
    /// An RFC 3339 date-time (`2024-05-01T12:00:00Z`).
    Rfc3339,
    /// An SPDX license expression (`MIT OR Apache-2.0`).
    Spdx,
    /// A git commit hash (hex).
    GitHash,
    /// A semantic version (`1.2.3-rc.1`).
    SemVer,
    /// An e-mail address (RFC 5322 addr-spec).
    Email,
}

impl LabelFormat {
    /// hadolint's names: `text`, `url`, `rfc3339`, `spdx`, `hash`, `semver`, `email`.
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name.to_ascii_lowercase().as_str() {
            "text" => Self::Text,
            "url" => Self::Url,
            "rfc3339" => Self::Rfc3339,
            "spdx" => Self::Spdx,
            "hash" | "githash" => Self::GitHash,
            "semver" => Self::SemVer,
            "email" => Self::Email,
            _ => return None,
        })
    }

    pub fn accepts(self, value: &str) -> bool {
        match self {
            Self::Text => true,
            Self::Url => is_url(value),
            Self::Rfc3339 => is_rfc3339(value),
            Self::Spdx => is_spdx_expression(value),
            Self::GitHash => is_git_hash(value),
            Self::SemVer => is_semver(value),
            Self::Email => is_email(value),
        }
    }
}

/// Labels whose format a specification fixes, whatever the configuration says.
const WELL_KNOWN: [(&str, LabelFormat); 9] = [
    ("org.opencontainers.image.created", LabelFormat::Rfc3339),
    ("org.opencontainers.image.url", LabelFormat::Url),
    ("org.opencontainers.image.source", LabelFormat::Url),
    ("org.opencontainers.image.documentation", LabelFormat::Url),
    ("org.opencontainers.image.licenses", LabelFormat::Spdx),
    ("org.label-schema.build-date", LabelFormat::Rfc3339),
    ("org.label-schema.url", LabelFormat::Url),
    ("org.label-schema.vcs-url", LabelFormat::Url),
    ("org.label-schema.usage", LabelFormat::Url),
];

/// The format `key` must have: the configured schema first, then the specifications.
pub fn format_of(cx: &Context, key: &str) -> Option<LabelFormat> {
    let configured = cx.options.label_schema.iter().find(|(k, _)| k == key).map(|(_, f)| *f);
    configured.or_else(|| WELL_KNOWN.iter().find(|(k, _)| *k == key).map(|(_, f)| *f))
}

/// Whether the configuration names `key` (label schema or required labels).
pub fn configured(cx: &Context, key: &str) -> bool {
    cx.options.label_schema.iter().any(|(k, _)| k == key) || cx.options.required_labels.iter().any(|k| k == key)
}

/// One label as written.
pub struct Label<'a> {
    pub ins: Ins<'a>,
    /// Key with quotes removed.
    pub key: String,
    /// The value with quotes removed and variables expanded; `None` when it depends on a
    /// value only known at build time.
    pub value: Option<&'a str>,
    pub key_range: Range<usize>,
    pub value_range: Range<usize>,
}

/// Every LABEL entry of the file (ONBUILD LABEL included).
pub fn labels<'a>(cx: &Context<'a>) -> Vec<Label<'a>> {
    let mut out = Vec::new();
    for ins in cx.instructions().filter(|i| i.effective().keyword == "LABEL") {
        for span in pair_spans(cx, ins) {
            // ONBUILD values are not resolved by the model: take them when they are literal.
            let literal = || span.pair.value.as_deref().filter(|v| !v.contains('$')).map(unquote);
            out.push(Label {
                ins,
                key: unquote(&span.pair.key).to_owned(),
                value: span.pair.resolved.as_deref().or_else(|| ins.model.onbuild().and_then(|_| literal())),
                key_range: span.key,
                value_range: span.value,
            });
        }
    }
    out
}

/// `"x"` or `'x'` -> `x`.
fn unquote(s: &str) -> &str {
    for q in ['"', '\''] {
        if let Some(inner) = s.strip_prefix(q).and_then(|r| r.strip_suffix(q)) {
            return inner;
        }
    }
    s
}

/// Report every label with format `format` whose value does not match it.
pub fn check_format(cx: &Context, out: &mut super::Reporter, format: LabelFormat, what: &str) {
    for label in labels(cx) {
        let Some(value) = label.value else { continue };
        if format_of(cx, &label.key) == Some(format) && !format.accepts(value) {
            out.report(label.value_range, format!("label `{}` is not {what}", label.key));
        }
    }
}

fn regex(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("valid pattern"))
}

/// An absolute URI: a scheme, `:`, and no blanks; `http(s)` needs `//host`.
pub fn is_url(value: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = regex(&RE, r"^([A-Za-z][A-Za-z0-9+.\-]*):([^\s<>\x22{}|\\^`]+)$");
    let Some(c) = re.captures(value) else { return false };
    let scheme = c[1].to_ascii_lowercase();
    if matches!(scheme.as_str(), "http" | "https" | "ftp" | "git" | "ssh") {
        return c[2].strip_prefix("//").is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/'));
    }
    true
}

/// RFC 3339 `date-time`, with field ranges checked.
pub fn is_rfc3339(value: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = regex(&RE, r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$");
    let Some(c) = re.captures(value) else { return false };
    let n = |i: usize| c.get(i).map_or(0, |m| m.as_str().parse::<u32>().unwrap_or(99));
    let (year, month, day) = (n(1), n(2), n(3));
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day) && n(4) < 24 && n(5) < 60 && n(6) <= 60 && n(9) < 24 && n(10) < 60
}

/// Lower-case hex of a short (7 to 40 digits) SHA-1 or a full SHA-256 commit id.
pub fn is_git_hash(value: &str) -> bool {
    value.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        && ((7..=40).contains(&value.len()) || value.len() == 64)
}

/// Semantic Versioning 2.0.0.
pub fn is_semver(value: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    let num = r"(0|[1-9]\d*)";
    let pre = r"(0|[1-9]\d*|\d*[A-Za-z\-][0-9A-Za-z\-]*)";
    let pattern = format!(r"^{num}\.{num}\.{num}(-{pre}(\.{pre})*)?(\+[0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*)?$");
    regex(&RE, &pattern).is_match(value)
}

/// RFC 5322 addr-spec: dot-atom or quoted local part, `@`, dot-atom or literal domain.
pub fn is_email(value: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    let atom = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~\-]+";
    let pattern = format!(
        r#"^(?:{atom}(?:\.{atom})*|"(?:[^"\\\r\n]|\\.)*")@(?:[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)*|\[[^\[\]\\\s]*\])$"#
    );
    regex(&RE, &pattern).is_match(value)
}

/// SPDX license expression syntax (SPDX 2.3 annex D): license ids (optionally `+`),
/// `LicenseRef-`/`DocumentRef-` references, `WITH` exceptions, `AND`/`OR`, parentheses.
/// Ids are checked for form, not against the SPDX list.
pub fn is_spdx_expression(value: &str) -> bool {
    let mut tokens = Vec::new();
    let mut rest = value.trim();
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix(['(', ')']) {
            tokens.push(&rest[..1]);
            rest = r;
        } else {
            let end = rest.find(|c: char| c.is_whitespace() || c == '(' || c == ')').unwrap_or(rest.len());
            tokens.push(&rest[..end]);
            rest = &rest[end..];
        }
        rest = rest.trim_start();
    }
    let mut pos = 0;
    spdx_or(&tokens, &mut pos) && pos == tokens.len()
}

fn spdx_or(t: &[&str], pos: &mut usize) -> bool {
    if !spdx_and(t, pos) {
        return false;
    }
    while t.get(*pos) == Some(&"OR") {
        *pos += 1;
        if !spdx_and(t, pos) {
            return false;
        }
    }
    true
}

fn spdx_and(t: &[&str], pos: &mut usize) -> bool {
    if !spdx_with(t, pos) {
        return false;
    }
    while t.get(*pos) == Some(&"AND") {
        *pos += 1;
        if !spdx_with(t, pos) {
            return false;
        }
    }
    true
}

fn spdx_with(t: &[&str], pos: &mut usize) -> bool {
    let ok = match t.get(*pos) {
        Some(&"(") => {
            *pos += 1;
            let inner = spdx_or(t, pos);
            let closed = t.get(*pos) == Some(&")");
            *pos += 1;
            return inner && closed;
        }
        Some(id) => spdx_license(id),
        None => false,
    };
    *pos += 1;
    if ok && t.get(*pos) == Some(&"WITH") {
        *pos += 1;
        let exception = t.get(*pos).is_some_and(|e| spdx_id(e));
        *pos += 1;
        return exception;
    }
    ok
}

fn spdx_id(s: &str) -> bool {
    !s.is_empty()
        && !matches!(s, "AND" | "OR" | "WITH")
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
        && s.starts_with(|c: char| c.is_ascii_alphanumeric())
}

fn spdx_license(s: &str) -> bool {
    if let Some((doc, license)) = s.split_once(':') {
        return doc.strip_prefix("DocumentRef-").is_some_and(spdx_id)
            && license.strip_prefix("LicenseRef-").is_some_and(spdx_id);
    }
    spdx_id(s.strip_suffix('+').unwrap_or(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validators() {
        assert!(is_url("https://example.com/x?y=1") && is_url("mailto:a@b.c") && is_url("git+ssh://h/x"));
        assert!(!is_url("example.com") && !is_url("https://") && !is_url("http:/x") && !is_url("a b:c"));
        assert!(is_rfc3339("2024-02-29T23:59:60Z") && is_rfc3339("2024-01-01T00:00:00.5+02:00"));
        assert!(
            !is_rfc3339("2023-02-29T00:00:00Z") && !is_rfc3339("2024-01-01") && !is_rfc3339("2024-13-01T00:00:00Z")
        );
        assert!(is_git_hash("0123abc") && is_git_hash(&"a".repeat(40)) && is_git_hash(&"b".repeat(64)));
        assert!(!is_git_hash("0123ABC") && !is_git_hash("abc") && !is_git_hash(&"a".repeat(41)));
        assert!(is_semver("1.2.3") && is_semver("1.0.0-rc.1+build.5") && is_semver("0.0.0-alpha-1"));
        assert!(!is_semver("v1.2.3") && !is_semver("1.2") && !is_semver("01.2.3") && !is_semver("1.2.3-01"));
        assert!(is_email("a.b+c@example.com") && is_email("\"x y\"@h") && is_email("a@[127.0.0.1]"));
        assert!(!is_email("a@") && !is_email("a b@c.d") && !is_email("a..b@c") && !is_email("Name <a@b.c>"));
        assert!(is_spdx_expression("MIT") && is_spdx_expression("(MIT OR Apache-2.0) AND GPL-2.0+"));
        assert!(is_spdx_expression("GPL-2.0-only WITH Classpath-exception-2.0"));
        assert!(is_spdx_expression("DocumentRef-x:LicenseRef-y"));
        assert!(!is_spdx_expression("Apache 2.0") && !is_spdx_expression("MIT OR") && !is_spdx_expression("(MIT"));
        assert!(!is_spdx_expression("") && !is_spdx_expression("MIT/X11") && !is_spdx_expression("MIT WITH"));
    }

    #[test]
    fn formats_parse_by_hadolint_names() {
        assert_eq!(LabelFormat::parse("hash"), Some(LabelFormat::GitHash));
        assert_eq!(LabelFormat::parse("RFC3339"), Some(LabelFormat::Rfc3339));
        assert_eq!(LabelFormat::parse("date"), None);
    }
}
