//! Build arguments as FROM sees them (the ARGs before the first FROM and BuildKit's
//! predefined platform arguments), name suggestions for misspelt variables, and Docker's image
//! reference grammar. Shared by the rules that judge FROM lines and variable use.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use super::Context;
use crate::words::{Env, Expansion, Lexer};

/// Arguments BuildKit defines for FROM lines; their values depend on the builder.
pub const PLATFORM_ARGS: [&str; 11] = [
    "BUILDPLATFORM",
    "BUILDOS",
    "BUILDOSVERSION",
    "BUILDARCH",
    "BUILDVARIANT",
    "TARGETPLATFORM",
    "TARGETOS",
    "TARGETOSVERSION",
    "TARGETARCH",
    "TARGETVARIANT",
    "TARGETSTAGE",
];

/// What a global ARG holds when no `--build-arg` is given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArgValue {
    /// Declared without a default: unset.
    Unset,
    Known(String),
    /// Depends on the builder (platform arguments) or on something unknowable.
    Unknown,
}

/// The ARGs declared before the first FROM, with their default values resolved in order.
#[derive(Debug, Default)]
pub struct GlobalArgs {
    /// Declared names, in order (predefined platform arguments not included).
    pub declared: Vec<String>,
    values: HashMap<String, ArgValue>,
}

impl Env for GlobalArgs {
    fn get(&self, name: &str) -> Option<&str> {
        match self.values.get(name) {
            Some(ArgValue::Known(v)) => Some(v),
            _ => None,
        }
    }
}

impl GlobalArgs {
    pub fn collect(cx: &Context) -> Self {
        let mut args = Self::default();
        for name in PLATFORM_ARGS {
            args.values.insert(name.to_owned(), ArgValue::Unknown);
        }
        let lexer = Lexer::new(cx.model.escape);
        for ins in cx.instructions().take_while(|i| i.model.stage().is_none()).filter(|i| i.is("ARG")) {
            for pair in &ins.model.pairs {
                let value = match &pair.value {
                    None => ArgValue::Unset,
                    Some(raw) => match args.expand(&lexer, raw) {
                        Some(v) => ArgValue::Known(v),
                        None => ArgValue::Unknown,
                    },
                };
                if !args.declared.iter().any(|d| *d == *pair.key) {
                    args.declared.push(pair.key.to_string());
                }
                args.values.insert(pair.key.to_string(), value);
            }
        }
        args
    }

    /// Whether FROM may use this name.
    pub fn is_declared(&self, name: &str) -> bool {
        self.values.contains_key(name)
    }

    pub fn value(&self, name: &str) -> Option<&ArgValue> {
        self.values.get(name)
    }

    /// The lexer's expansion of `text` against the defaults.
    pub fn process(&self, lexer: &Lexer, text: &str) -> Option<Expansion> {
        lexer.process(text, self).ok()
    }

    /// `text` expanded with the default values, or `None` when it uses a value that is not
    /// knowable (undeclared names count as unset, as BuildKit treats them).
    pub fn expand(&self, lexer: &Lexer, text: &str) -> Option<String> {
        let e = self.process(lexer, text)?;
        let knowable = e.unmatched.iter().all(|n| !matches!(self.values.get(n), Some(ArgValue::Unknown)));
        knowable.then_some(e.word)
    }
}

/// Levenshtein distance between two strings, by characters.
pub fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// The closest option within two edits, as a "did you mean" hint.
pub fn suggest<'a>(name: &str, options: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let mut best: Option<(usize, &str)> = None;
    for option in options {
        if option == name {
            return None;
        }
        let d = distance(name, option);
        if d < 3 && best.is_none_or(|(b, _)| d < b) {
            best = Some((d, option));
        }
    }
    best.map(|(_, o)| o)
}

static REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
    let component = r"[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*";
    let domain_component = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    let host = format!(r"(?:{domain_component}(?:\.{domain_component})*|\[[a-fA-F0-9:]+\])");
    let name = format!(r"(?:{host}(?::[0-9]+)?/)?{component}(?:/{component})*");
    let tag = r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}";
    let digest = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
    Regex::new(&format!("^({name})(?::({tag}))?(?:@({digest}))?$")).expect("valid reference regex")
});

/// Whether Docker accepts `text` as an image reference (`reference.ParseNormalizedNamed`):
/// lower-case repository, valid registry, tag and digest.
pub fn is_valid_reference(text: &str) -> bool {
    if text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return false;
    }
    // The first component is a registry only if it looks like a host.
    let remainder = match text.split_once('/') {
        Some((first, rest)) if first.contains(['.', ':']) || first == "localhost" || first.to_lowercase() != first => {
            rest
        }
        _ => text,
    };
    let name_part = remainder.split(['@']).next().unwrap_or("");
    let repo = match name_part.rfind(':') {
        Some(i) if !name_part[i..].contains('/') => &name_part[..i],
        _ => name_part,
    };
    if repo.to_lowercase() != repo {
        return false;
    }
    let Some(caps) = REFERENCE.captures(text) else { return false };
    if caps.get(1).is_some_and(|m| m.as_str().len() > 255) {
        return false;
    }
    match caps.get(3).map(|m| m.as_str()) {
        Some(d) => match d.split_once(':') {
            Some(("sha256", hex)) => hex.len() == 64,
            Some(("sha384", hex)) => hex.len() == 96,
            Some(("sha512", hex)) => hex.len() == 128,
            _ => false,
        },
        None => true,
    }
}

/// `os[/arch[/variant]]` as containerd reads it: normalized OS and architecture, `None` for
/// text that is not a platform. A lone OS gives no architecture (it would be the builder's).
pub fn parse_platform(text: &str) -> Option<(String, Option<String>)> {
    let parts: Vec<&str> = text.split('/').collect();
    let valid = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b));
    if parts.len() > 3 || text.contains('*') {
        return None;
    }
    let os_part = parts[0].split('(').next().unwrap_or("");
    if !valid(os_part) || !parts[1..].iter().all(|p| valid(p)) {
        return None;
    }
    let os = match os_part.to_ascii_lowercase().as_str() {
        "macos" => "darwin".to_owned(),
        other => other.to_owned(),
    };
    let arch = |a: &str| match a.to_ascii_lowercase().as_str() {
        "i386" => "386".to_owned(),
        "x86_64" | "x86-64" | "amd64" => "amd64".to_owned(),
        "aarch64" | "arm64" => "arm64".to_owned(),
        "armhf" | "armel" | "arm" => "arm".to_owned(),
        other => other.to_owned(),
    };
    const KNOWN_OS: [&str; 15] = [
        "aix",
        "android",
        "darwin",
        "dragonfly",
        "freebsd",
        "hurd",
        "illumos",
        "ios",
        "js",
        "linux",
        "nacl",
        "netbsd",
        "openbsd",
        "plan9",
        "solaris",
    ];
    const KNOWN_ARCH: [&str; 12] = [
        "386", "amd64", "arm", "arm64", "loong64", "mips", "mips64", "mips64le", "mipsle", "ppc64", "ppc64le",
        "riscv64",
    ];
    match parts.len() {
        1 if KNOWN_OS.contains(&os.as_str()) || os == "windows" => Some((os, None)),
        1 => {
            let a = arch(parts[0]);
            (KNOWN_ARCH.contains(&a.as_str()) || a == "s390x" || a == "wasm").then(|| ("linux".to_owned(), Some(a)))
        }
        _ => Some((os, Some(arch(parts[1])))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references() {
        for ok in [
            "alpine",
            "alpine:3.19",
            "library/alpine",
            "ghcr.io/o/r:1.0",
            "localhost:5000/x",
            "Registry.Example.com/a/b",
            "python:3.12-slim@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "scratch",
        ] {
            assert!(is_valid_reference(ok), "{ok}");
        }
        for bad in ["", ":3.19", "alpine:", "Alpine", "team/App", "a//b", "alpine@sha256:abc", "-x", "a:b:c"] {
            assert!(!is_valid_reference(bad), "{bad}");
        }
    }

    #[test]
    fn suggestions_and_platforms() {
        assert_eq!(suggest("VERISON", ["VERSION", "OTHER"]), Some("VERSION"));
        assert_eq!(suggest("X", ["VERSION"]), None);
        assert_eq!(parse_platform("linux/x86_64"), Some(("linux".into(), Some("amd64".into()))));
        assert_eq!(parse_platform("Linux/ARM64/v8"), Some(("linux".into(), Some("arm64".into()))));
        assert_eq!(parse_platform("windows"), Some(("windows".into(), None)));
        assert_eq!(parse_platform("aarch64"), Some(("linux".into(), Some("arm64".into()))));
        assert_eq!(parse_platform("banana"), None);
        assert_eq!(parse_platform("linux/*"), None);
    }
}
