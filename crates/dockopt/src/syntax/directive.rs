//! Parser directives (`# syntax=`, `# escape=`, `# check=`) at the top of a Dockerfile.

/// A parser directive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    /// Lower-cased name: `syntax`, `escape` or `check`.
    pub name: String,
    pub value: String,
    /// 1-based line.
    pub line: usize,
    /// Byte range of the whole comment line (without the line ending).
    pub range: std::ops::Range<usize>,
}

/// Recognises directives until the first line that is not one.
#[derive(Debug, Default)]
pub struct DirectiveScanner {
    done: bool,
    seen: Vec<String>,
}

impl DirectiveScanner {
    /// Look at one line (comment marker included). `Ok(Some((name, value)))` for a directive,
    /// `Err` for a repeated one, `Ok(None)` otherwise, which also ends the directive block.
    pub fn scan(&mut self, line: &str) -> Result<Option<(String, String)>, String> {
        if self.done {
            return Ok(None);
        }
        let found = line.strip_prefix('#').and_then(|rest| directive(rest.trim_start_matches(char::is_whitespace)));
        let Some((name, value)) = found else {
            self.done = true;
            return Ok(None);
        };
        if self.seen.contains(&name) {
            return Err(format!("only one {name} parser directive can be used"));
        }
        self.seen.push(name.clone());
        Ok(Some((name, value)))
    }
}

/// `^([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$` with a known name.
fn directive(text: &str) -> Option<(String, String)> {
    let is_re_space = |c: char| matches!(c, '\t' | '\n' | '\x0c' | '\r' | ' ');
    let name_len = text.bytes().take_while(u8::is_ascii_alphanumeric).count();
    if name_len == 0 || !text.as_bytes()[0].is_ascii_alphabetic() {
        return None;
    }
    let name = text[..name_len].to_ascii_lowercase();
    let rest = text[name_len..].trim_start_matches(is_re_space).strip_prefix('=')?;
    let value = rest.trim_matches(is_re_space);
    if value.is_empty() || value.contains('\n') || !["syntax", "escape", "check"].contains(&name.as_str()) {
        return None;
    }
    Some((name, value.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_directives_until_first_other_line() {
        let mut s = DirectiveScanner::default();
        assert_eq!(
            s.scan("# Syntax = docker/dockerfile:1 ").unwrap(),
            Some(("syntax".into(), "docker/dockerfile:1".into()))
        );
        assert_eq!(s.scan("#escape=`").unwrap(), Some(("escape".into(), "`".into())));
        assert!(s.scan("# check=skip=all").unwrap().is_some());
        assert!(s.scan("# escape=\\").is_err());
        assert_eq!(s.scan("# hello").unwrap(), None);
        assert_eq!(s.scan("# syntax=x").unwrap(), None);
    }

    #[test]
    fn rejects_non_directives() {
        assert_eq!(directive("escape="), None);
        assert_eq!(directive("1x=y"), None);
        assert_eq!(directive("other=y"), None);
    }
}
