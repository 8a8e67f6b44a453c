//! Finding the heredocs an instruction opens (`<<EOF`, `<<-EOF`, `<<"EOF"`, `3<<EOF`).

use crate::words::{Lexer, NoEnv};

/// A heredoc opened on an instruction line; the body is read from the lines that follow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeredocStart {
    /// The delimiter word with quotes removed.
    pub name: String,
    /// The file descriptor before `<<` (0 when absent).
    pub fd: u64,
    /// Variables in the body are expanded (the delimiter was not quoted).
    pub expand: bool,
    /// `<<-`: leading tabs are stripped from the body and the delimiter line.
    pub chomp: bool,
}

/// Instructions whose arguments may open heredocs.
pub fn allows_heredocs(keyword: &str) -> bool {
    ["add", "copy", "run"].iter().any(|k| keyword.eq_ignore_ascii_case(k))
}

/// The heredocs opened on `line`, in order. BuildKit splits the line into words keeping
/// quotes and escapes; a line it cannot split opens no heredocs.
pub fn heredocs_in_line(line: &str) -> Result<Vec<HeredocStart>, String> {
    let lexer = Lexer { raw_quotes: true, raw_escapes: true, skip_unset_env: true, ..Lexer::default() };
    let Ok(words) = lexer.process_words(line, &NoEnv) else { return Ok(Vec::new()) };
    let mut out = Vec::new();
    for word in &words {
        if let Some(heredoc) = heredoc_word(word)? {
            out.push(heredoc);
        }
    }
    Ok(out)
}

/// Matches `^(\d*)<<(-?)\s*([^<]*)$` and reads the delimiter.
fn heredoc_word(word: &str) -> Result<Option<HeredocStart>, String> {
    let digits = word.bytes().take_while(u8::is_ascii_digit).count();
    let Some(after) = word[digits..].strip_prefix("<<") else { return Ok(None) };
    let (chomp, after) = match after.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, after),
    };
    // `\s` in Go's regexp is [\t\n\f\r ].
    let rest = after.trim_start_matches(['\t', '\n', '\x0c', '\r', ' ']);
    if rest.contains('<') {
        // `[^<]*` can give the `\s*` part back, but whitespace is never `<`: no match.
        return Ok(None);
    }
    if rest.is_empty() {
        return Ok(None);
    }
    // An fd too large for the type saturates, as Go's ParseUint reports it.
    let fd = match &word[..digits] {
        "" => 0,
        d => d.parse::<u64>().unwrap_or(u64::MAX),
    };
    let plain = Lexer { skip_unset_env: true, ..Lexer::default() };
    let words = plain.process_words(rest, &NoEnv).map_err(|e| e.to_string())?;
    let [name] = words.as_slice() else { return Ok(None) };
    let raw = Lexer { raw_quotes: true, ..plain };
    let raw_words = raw.process_words(rest, &NoEnv).map_err(|e| e.to_string())?;
    if raw_words.len() != 1 {
        return Err(format!("internal lexing of heredoc produced inconsistent results: {rest}"));
    }
    let quotes = |s: &str| s.matches(['\'', '"']).count();
    Ok(Some(HeredocStart { name: name.clone(), fd, expand: quotes(name) == quotes(&raw_words[0]), chomp }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_heredoc_forms() {
        let docs = heredocs_in_line("COPY <<-\"A\" 3<<B <<  C /dst").unwrap();
        let names: Vec<_> = docs.iter().map(|d| (d.name.as_str(), d.fd, d.expand, d.chomp)).collect();
        assert_eq!(names, vec![("A", 0, false, true), ("B", 3, true, false), ("C", 0, true, false)]);
    }

    #[test]
    fn quoted_or_broken_lines_open_nothing() {
        assert!(heredocs_in_line("RUN \"<<EOF\"").unwrap().is_empty());
        assert!(heredocs_in_line("RUN <<EOF 'unterminated").unwrap().is_empty());
        assert!(heredocs_in_line("RUN <<").unwrap().is_empty());
    }
}
