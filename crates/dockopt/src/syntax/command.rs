//! Splitting a logical instruction line into keyword, builder flags and arguments, and the
//! per-keyword argument rules, as BuildKit's parser applies them.

use std::borrow::Cow;

use super::go::{is_space, is_space_byte, split_re_whitespace, trim_space};
use super::json::{JsonArray, read_array};

/// One parsed instruction line (or the inner instruction of ONBUILD).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Command {
    /// The instruction word as written (`RUN`, `run`, or an unknown word).
    pub keyword: String,
    /// Builder flags as BuildKit extracts them: quotes and escapes removed, `--` dropped.
    pub flags: Vec<String>,
    /// The argument values of BuildKit's node. ENV and LABEL give key/value/separator
    /// triplets; ONBUILD gives none (see `onbuild`).
    pub values: Vec<String>,
    /// The arguments were written as a JSON array (exec form).
    pub json: bool,
    /// The instruction that ONBUILD registers.
    pub onbuild: Option<Box<Command>>,
}

/// The instruction keywords BuildKit knows.
pub(crate) const KEYWORDS: [&str; 18] = [
    "ADD",
    "ARG",
    "CMD",
    "COPY",
    "ENTRYPOINT",
    "ENV",
    "EXPOSE",
    "FROM",
    "HEALTHCHECK",
    "LABEL",
    "MAINTAINER",
    "ONBUILD",
    "RUN",
    "SHELL",
    "STOPSIGNAL",
    "USER",
    "VOLUME",
    "WORKDIR",
];

/// How deeply ONBUILD may nest before the line is rejected. BuildKit has no limit, but no
/// real Dockerfile needs more than one level and a limit keeps the parser's stack bounded.
const MAX_ONBUILD_DEPTH: usize = 32;

/// Parse a logical line into a [`Command`], or BuildKit's error message.
pub fn parse_command(line: &str, escape: char) -> Result<Command, String> {
    parse_nested(line, escape, 0)
}

fn parse_nested(line: &str, escape: char, depth: usize) -> Result<Command, String> {
    let (keyword, flags, args) = split_command(line, escape);
    let mut command = Command { keyword: keyword.to_owned(), flags, ..Command::default() };
    match KEYWORDS.into_iter().find(|k| keyword.eq_ignore_ascii_case(k)) {
        Some("ADD" | "COPY" | "VOLUME") => {
            (command.values, command.json) = maybe_json_list(&args)?;
        }
        Some("CMD" | "ENTRYPOINT" | "RUN" | "SHELL") => {
            (command.values, command.json) = maybe_json(&args)?;
        }
        Some("ARG") => command.values = words(&args, escape).into_iter().map(str::to_owned).collect(),
        Some("ENV" | "LABEL") => command.values = name_values(&args, keyword, escape)?,
        Some("EXPOSE" | "FROM") => command.values = whitespace_list(&args),
        Some("HEALTHCHECK") => (command.values, command.json) = health_config(&args)?,
        Some("MAINTAINER" | "STOPSIGNAL" | "USER" | "WORKDIR") => {
            if !args.is_empty() {
                command.values = vec![args.into_owned()];
            }
        }
        Some("ONBUILD") => {
            if !args.is_empty() {
                if depth >= MAX_ONBUILD_DEPTH {
                    return Err("ONBUILD nested too deeply".into());
                }
                command.onbuild = Some(Box::new(parse_nested(&args, escape, depth + 1)?));
            }
        }
        // Unknown instructions are kept; BuildKit gives them one empty value.
        _ => command.values = vec![String::new()],
    }
    Ok(command)
}

/// Keyword, flags and the remaining argument text of a line.
fn split_command(line: &str, escape: char) -> (&str, Vec<String>, Cow<'_, str>) {
    let mut parts = split_re_whitespace(trim_space(line), Some(2));
    let keyword = parts.next().unwrap_or_default();
    let Some(rest) = parts.next() else { return (keyword, Vec::new(), Cow::Borrowed("")) };
    let (args, flags) = builder_flags(rest, escape);
    let args = match args {
        Cow::Borrowed(args) => Cow::Borrowed(trim_space(args)),
        Cow::Owned(args) => Cow::Owned(trim_space(&args).to_owned()),
    };
    (keyword, flags, args)
}

/// Leading `--flag` words. BuildKit scans these byte by byte (so bytes 0x85 and 0xA0 act as
/// spaces and other non-ASCII bytes are read as Latin-1); this does the same to agree on
/// every input.
fn builder_flags(line: &str, escape: char) -> (Cow<'_, str>, Vec<String>) {
    #[derive(PartialEq)]
    enum Phase {
        Spaces,
        Word,
        Quote(u8),
    }
    let bytes = line.as_bytes();
    let escape = escape as u8;
    // The rest starts at a character boundary except after a Latin-1 "space" byte inside a
    // multi-byte character, where BuildKit cuts the character (and Go's JSON output shows
    // U+FFFD).
    let rest = |pos: usize| match line.get(pos..) {
        Some(rest) => Cow::Borrowed(rest),
        None => String::from_utf8_lossy(&bytes[pos..]).into_owned().into(),
    };
    let mut flags = Vec::new();
    let mut word = String::new();
    let mut blank_ok = false;
    let mut phase = Phase::Spaces;
    let mut pos = 0;
    while pos <= bytes.len() {
        let at_end = pos == bytes.len();
        let b = if at_end { 0 } else { bytes[pos] };
        if phase == Phase::Spaces {
            if at_end {
                break;
            }
            if is_space_byte(b) {
                pos += 1;
                continue;
            }
            if b != b'-' || bytes.get(pos + 1) != Some(&b'-') {
                return (rest(pos), flags);
            }
            phase = Phase::Word;
        }
        if at_end {
            if word != "--" && (blank_ok || !word.is_empty()) {
                flags.push(word);
            }
            break;
        }
        match phase {
            Phase::Word => {
                if is_space_byte(b) {
                    if word == "--" {
                        return (rest(pos), flags);
                    }
                    if blank_ok || !word.is_empty() {
                        flags.push(std::mem::take(&mut word));
                    }
                    word.clear();
                    blank_ok = false;
                    phase = Phase::Spaces;
                } else if b == b'\'' || b == b'"' {
                    phase = Phase::Quote(b);
                    blank_ok = true;
                } else if b == escape {
                    // An escape at the very end is dropped; otherwise it takes the next byte.
                    if pos + 1 < bytes.len() {
                        pos += 1;
                        word.push(char::from(bytes[pos]));
                    }
                } else {
                    word.push(char::from(b));
                }
            }
            Phase::Quote(q) => {
                if b == q {
                    phase = Phase::Word;
                } else if b == escape {
                    if pos + 1 == bytes.len() {
                        phase = Phase::Word;
                    } else {
                        pos += 1;
                        word.push(char::from(bytes[pos]));
                    }
                } else {
                    word.push(char::from(b));
                }
            }
            Phase::Spaces => unreachable!("handled above"),
        }
        pos += 1;
    }
    (Cow::Borrowed(""), flags)
}

/// Words separated by whitespace; quotes and escapes are kept in the words, but quoted
/// whitespace does not split. Each word is a slice of `rest`; an escape that ends `rest` is
/// dropped.
pub fn words(rest: &str, escape: char) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    let mut quote: Option<char> = None;
    let mut dropped_escape = false;
    let mut chars = rest.char_indices();
    while let Some((i, c)) = chars.next() {
        match quote {
            None if is_space(c) => {
                if let Some(s) = start.take() {
                    out.push(&rest[s..i]);
                }
            }
            None => {
                start.get_or_insert(i);
                if c == '\'' || c == '"' {
                    quote = Some(c);
                } else if c == escape {
                    // Outside quotes the escape and the next character are both kept.
                    dropped_escape = chars.next().is_none();
                }
            }
            Some(q) => {
                if c == q {
                    quote = None;
                } else if c == escape && q != '\'' {
                    // Single quotes cannot escape anything.
                    dropped_escape = chars.next().is_none();
                }
            }
        }
    }
    if let Some(s) = start {
        let end = rest.len() - if dropped_escape { escape.len_utf8() } else { 0 };
        // A word that was only the dropped escape is no word.
        if s < end {
            out.push(&rest[s..end]);
        }
    }
    out
}

/// ENV and LABEL: `key=value ...` pairs, or the legacy `key value` form.
fn name_values(rest: &str, keyword: &str, escape: char) -> Result<Vec<String>, String> {
    let ws = words(rest, escape);
    let Some(first) = ws.first() else { return Ok(Vec::new()) };
    if !first.contains('=') {
        let mut parts = split_re_whitespace(rest, Some(2));
        let (Some(key), Some(value)) = (parts.next(), parts.next()) else {
            return Err(format!("{} must have two arguments", keyword.to_ascii_uppercase()));
        };
        return Ok(vec![key.to_owned(), value.to_owned(), String::new()]);
    }
    let mut out = Vec::with_capacity(ws.len() * 3);
    for word in ws {
        let Some((key, value)) = word.split_once('=') else {
            return Err(format!(
                "Syntax error - can't find = in {}. Must be of the form: name=value",
                super::go::quote(word)
            ));
        };
        out.extend([key.to_owned(), value.to_owned(), "=".to_owned()]);
    }
    Ok(out)
}

fn whitespace_list(rest: &str) -> Vec<String> {
    if rest.is_empty() {
        return Vec::new();
    }
    split_re_whitespace(rest, None).map(str::to_owned).collect()
}

const NOT_STRING_ARRAY: &str = "when using JSON array syntax, arrays must be comprised of strings only";

/// `Ok(Some(values))` for a JSON array of strings, `Ok(None)` when the text is not a JSON
/// array at all (shell form), and an error for a JSON array holding non-strings.
fn json_array(rest: &str) -> Result<Option<Vec<String>>, String> {
    let rest = rest.trim_start_matches(is_space);
    if !rest.starts_with('[') {
        return Ok(None);
    }
    match read_array(rest) {
        JsonArray::Strings(values) => Ok(Some(values)),
        JsonArray::NotStrings => Err(NOT_STRING_ARRAY.to_owned()),
        JsonArray::Invalid => Ok(None),
    }
}

/// RUN, CMD, ENTRYPOINT, SHELL: a JSON array, or the whole text as one value.
fn maybe_json(rest: &str) -> Result<(Vec<String>, bool), String> {
    if rest.is_empty() {
        return Ok((Vec::new(), false));
    }
    Ok(match json_array(rest)? {
        Some(values) => (values, true),
        None => (vec![rest.to_owned()], false),
    })
}

/// ADD, COPY, VOLUME: a JSON array, or whitespace-separated values.
fn maybe_json_list(rest: &str) -> Result<(Vec<String>, bool), String> {
    Ok(match json_array(rest)? {
        Some(values) => (values, true),
        None => (whitespace_list(rest), false),
    })
}

/// HEALTHCHECK: a type word (`CMD`, `NONE`), then the command like RUN's.
fn health_config(rest: &str) -> Result<(Vec<String>, bool), String> {
    let bytes = rest.as_bytes();
    let sep = bytes.iter().position(|&b| is_space_byte(b)).unwrap_or(bytes.len());
    if sep == 0 {
        return Ok((Vec::new(), false));
    }
    let next = bytes[sep..].iter().position(|&b| !is_space_byte(b)).map_or(bytes.len(), |p| sep + p);
    let (mut values, json) = maybe_json(&String::from_utf8_lossy(&bytes[next..]))?;
    values.insert(0, String::from_utf8_lossy(&bytes[..sep]).into_owned());
    Ok((values, json))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_stop_at_first_argument() {
        let c = parse_command("COPY --from=build --chown=\"a b\" src dst", '\\').unwrap();
        assert_eq!(c.flags, vec!["--from=build", "--chown=a b"]);
        assert_eq!(c.values, vec!["src", "dst"]);
    }

    #[test]
    fn double_dash_ends_flags() {
        let c = parse_command("COPY --a -- --b c", '\\').unwrap();
        assert_eq!(c.flags, vec!["--a"]);
        assert_eq!(c.values, vec!["--b", "c"]);
    }

    #[test]
    fn json_and_shell_forms() {
        let c = parse_command(r#"CMD ["a", "b c"]"#, '\\').unwrap();
        assert!(c.json);
        assert_eq!(c.values, vec!["a", "b c"]);
        let c = parse_command(r#"CMD ["a", "b c""#, '\\').unwrap();
        assert!(!c.json);
        assert_eq!(c.values, vec![r#"["a", "b c""#]);
        assert_eq!(parse_command(r#"CMD ["a", 1]"#, '\\').unwrap_err(), NOT_STRING_ARRAY);
    }

    #[test]
    fn env_forms() {
        let c = parse_command("ENV a=1 b=\"x y\"", '\\').unwrap();
        assert_eq!(c.values, vec!["a", "1", "=", "b", "\"x y\"", "="]);
        let c = parse_command("ENV a  x y", '\\').unwrap();
        assert_eq!(c.values, vec!["a", "x y", ""]);
        assert_eq!(parse_command("ENV a", '\\').unwrap_err(), "ENV must have two arguments");
        assert!(parse_command("ENV a=1 b", '\\').unwrap_err().contains("can't find = in \"b\""));
    }

    #[test]
    fn onbuild_wraps_an_instruction() {
        let c = parse_command("ONBUILD RUN [\"x\"]", '\\').unwrap();
        let inner = c.onbuild.unwrap();
        assert_eq!(inner.keyword, "RUN");
        assert!(inner.json);
        let deep = "ONBUILD ".repeat(100) + "RUN x";
        assert!(parse_command(&deep, '\\').is_err());
    }
}
