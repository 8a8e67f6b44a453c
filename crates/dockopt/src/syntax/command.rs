//! Splitting a logical instruction line into keyword, builder flags and arguments, and the
//! per-keyword argument rules, as BuildKit's parser applies them.

use std::borrow::Cow;
use std::ops::Range;

use super::go::{is_space, is_space_byte, split_re_whitespace, trim_space};
use super::json::{JsonArray, read_array};

/// One parsed instruction line (or the inner instruction of ONBUILD), as stored: its words
/// are byte ranges of the line it was read from, except text BuildKit changes while reading
/// (unquoted flags, JSON strings with escapes). Read it with [`Command::read`] and that line;
/// [`super::Instruction::command`] does this for an instruction.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Command {
    keyword: Piece,
    /// The flags, then the values.
    words: Box<[Piece]>,
    /// How many of `words` are flags (a count past 4 billion saturates: a line of 8 GiB).
    flags: u32,
    json: bool,
    onbuild: Option<Box<Trigger>>,
}

/// The instruction ONBUILD registers, with the text it was read from (what follows
/// `ONBUILD` and its flags, which BuildKit may have changed): its ranges refer to that.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Trigger {
    command: Command,
    line: Box<str>,
}

/// A word of a [`Command`]: 16 bytes, as every instruction holds its words until the lint ends.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
enum Piece {
    /// Bytes `start..end` of the line, as written.
    Line(u32, u32),
    /// The `=` BuildKit puts between an ENV or LABEL pair's key and value.
    Equals,
    /// An empty word BuildKit adds: an unknown instruction's value, or the separator of an
    /// old-style `ENV key value` pair. (The default: a rejected line's missing keyword.)
    #[default]
    Empty,
    /// Text BuildKit changed while reading it (rare: boxed again, to keep the piece small).
    Changed(Box<Box<str>>),
}

#[cfg(target_pointer_width = "64")]
const _: () = assert!(std::mem::size_of::<Piece>() <= 16);

// Every instruction holds one until a lint ends.
#[cfg(target_pointer_width = "64")]
const _: () = assert!(std::mem::size_of::<Command>() <= 48);

impl Piece {
    /// `part`, a slice of `line`, as its range (a copy, past 4 GiB).
    fn of(line: &str, part: &str) -> Self {
        let range = range_in(line, part);
        match (u32::try_from(range.start), u32::try_from(range.end)) {
            (Ok(start), Ok(end)) => Piece::Line(start, end),
            _ => Piece::changed(part),
        }
    }

    fn changed(text: &str) -> Self {
        Piece::Changed(Box::new(text.into()))
    }

    fn text<'a>(&'a self, line: &'a str) -> &'a str {
        match self {
            Piece::Line(start, end) => &line[*start as usize..*end as usize],
            Piece::Equals => "=",
            Piece::Empty => "",
            Piece::Changed(text) => text,
        }
    }
}

/// The byte range of `part`, a slice of `whole`, in `whole`.
fn range_in(whole: &str, part: &str) -> Range<usize> {
    let start = (part.as_ptr() as usize).wrapping_sub(whole.as_ptr() as usize);
    debug_assert!(start <= whole.len() && part.len() <= whole.len() - start, "{part:?} is not a slice of {whole:?}");
    start..start + part.len()
}

impl Command {
    /// The command with `line`, the text it was parsed from (an instruction's logical line).
    pub fn read<'a>(&'a self, line: &'a str) -> CommandRef<'a> {
        CommandRef { command: self, line }
    }
}

/// BuildKit's reading of an instruction line: a [`Command`] with its line.
#[derive(Debug, Clone, Copy)]
pub struct CommandRef<'a> {
    command: &'a Command,
    line: &'a str,
}

impl<'a> CommandRef<'a> {
    /// The instruction word as written (`RUN`, `run`, or an unknown word).
    pub fn keyword(&self) -> &'a str {
        self.command.keyword.text(self.line)
    }

    /// Builder flags as BuildKit extracts them: quotes and escapes removed, `--` dropped.
    pub fn flags(&self) -> Words<'a> {
        Words { pieces: self.command.words[..self.command.flags as usize].iter(), line: self.line }
    }

    /// The argument values of BuildKit's node. ENV and LABEL give key/value/separator
    /// triplets; ONBUILD gives none (see `onbuild`).
    pub fn values(&self) -> Words<'a> {
        Words { pieces: self.command.words[self.command.flags as usize..].iter(), line: self.line }
    }

    /// The arguments were written as a JSON array (exec form).
    pub fn json(&self) -> bool {
        self.command.json
    }

    /// The instruction that ONBUILD registers.
    pub fn onbuild(&self) -> Option<CommandRef<'a>> {
        self.command.onbuild.as_deref().map(|trigger| trigger.command.read(&trigger.line))
    }
}

/// Flags or values of a [`CommandRef`], in order.
#[derive(Debug, Clone)]
pub struct Words<'a> {
    pieces: std::slice::Iter<'a, Piece>,
    line: &'a str,
}

impl<'a> Iterator for Words<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        self.pieces.next().map(|p| p.text(self.line))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.pieces.size_hint()
    }
}

impl DoubleEndedIterator for Words<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.pieces.next_back().map(|p| p.text(self.line))
    }
}

impl ExactSizeIterator for Words<'_> {}

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

/// Parse a logical line into a [`Command`] (read it back with the same line), or BuildKit's
/// error message.
pub fn parse_command(line: &str, escape: char) -> Result<Command, String> {
    parse_nested(line, escape, 0)
}

fn parse_nested(line: &str, escape: char, depth: usize) -> Result<Command, String> {
    let (keyword, flags, args) = split_command(line, escape);
    let mut onbuild = None;
    // Words of the arguments are ranges of the line, unless reading the flags cut a
    // character in two and the arguments are new text.
    let in_line = matches!(args, Cow::Borrowed(_));
    let arg = |word: &str| if in_line { Piece::of(line, word) } else { Piece::changed(word) };
    let (values, json) = match KEYWORDS.into_iter().find(|k| keyword.eq_ignore_ascii_case(k)) {
        Some("ADD" | "COPY" | "VOLUME") => maybe_json_list(&args, arg)?,
        Some("CMD" | "ENTRYPOINT" | "RUN" | "SHELL") => maybe_json(&args, arg)?,
        Some("ARG") => (words(&args, escape).into_iter().map(arg).collect(), false),
        Some("ENV" | "LABEL") => (name_values(&args, keyword, escape, arg)?, false),
        Some("EXPOSE" | "FROM") => (whitespace_list(&args, arg), false),
        Some("HEALTHCHECK") => health_config(&args, arg)?,
        Some("MAINTAINER" | "STOPSIGNAL" | "USER" | "WORKDIR") if !args.is_empty() => (vec![arg(&args)], false),
        Some("MAINTAINER" | "STOPSIGNAL" | "USER" | "WORKDIR") => (Vec::new(), false),
        Some("ONBUILD") => {
            if !args.is_empty() {
                if depth >= MAX_ONBUILD_DEPTH {
                    return Err("ONBUILD nested too deeply".into());
                }
                let command = parse_nested(&args, escape, depth + 1)?;
                onbuild = Some(Box::new(Trigger { command, line: args.into() }));
            }
            (Vec::new(), false)
        }
        // Unknown instructions are kept; BuildKit gives them one empty value.
        _ => (vec![Piece::Empty], false),
    };
    let flag_count = flags.len();
    // Lists were grown a word at a time; huge files keep many of them, each sized exactly.
    let words = match flag_count {
        0 => values.into_boxed_slice(),
        _ => flags.into_iter().chain(values).collect(),
    };
    Ok(Command { keyword: Piece::of(line, keyword), words, flags: crate::text::narrow(flag_count), json, onbuild })
}

/// A line BuildKit rejects: only its keyword (the first word) is kept.
pub(super) fn keyword_only(line: &str) -> Command {
    let trimmed = trim_space(line);
    let keyword = split_re_whitespace(trimmed, Some(2)).next().unwrap_or(&trimmed[..0]);
    Command { keyword: Piece::of(line, keyword), ..Command::default() }
}

/// Keyword, flags and the remaining argument text of a line.
fn split_command(line: &str, escape: char) -> (&str, Vec<Piece>, Cow<'_, str>) {
    let trimmed = trim_space(line);
    let mut parts = split_re_whitespace(trimmed, Some(2));
    let keyword = parts.next().unwrap_or(&trimmed[..0]);
    let Some(rest) = parts.next() else { return (keyword, Vec::new(), Cow::Borrowed("")) };
    let (args, flags) = builder_flags(rest, escape, |flag| Piece::of(line, flag));
    let args = match args {
        Cow::Borrowed(args) => Cow::Borrowed(trim_space(args)),
        Cow::Owned(args) => Cow::Owned(trim_space(&args).to_owned()),
    };
    (keyword, flags, args)
}

/// Leading `--flag` words. BuildKit scans these byte by byte (so bytes 0x85 and 0xA0 act as
/// spaces and other non-ASCII bytes are read as Latin-1); this does the same to agree on
/// every input.
/// Flags that BuildKit reads unchanged are stored with `verbatim`.
fn builder_flags(line: &str, escape: char, verbatim: impl Fn(&str) -> Piece) -> (Cow<'_, str>, Vec<Piece>) {
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
    // The flag as BuildKit reads it, where it starts, and whether it differs from the text.
    let mut word = String::new();
    let mut start = 0;
    let mut changed = false;
    let flag = |word: &str, range: Range<usize>, changed: bool| match changed {
        true => Piece::changed(word),
        false => verbatim(&line[range]),
    };
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
            (start, changed) = (pos, false);
        }
        if at_end {
            if word != "--" && (blank_ok || !word.is_empty()) {
                flags.push(flag(&word, start..pos, changed));
            }
            break;
        }
        // Quotes and escapes are removed, and other bytes than ASCII are read as Latin-1.
        changed |= b == b'\'' || b == b'"' || b == escape || !b.is_ascii();
        match phase {
            Phase::Word => {
                if is_space_byte(b) {
                    if word == "--" {
                        return (rest(pos), flags);
                    }
                    if blank_ok || !word.is_empty() {
                        flags.push(flag(&word, start..pos, changed));
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
fn name_values(rest: &str, keyword: &str, escape: char, arg: impl Fn(&str) -> Piece) -> Result<Vec<Piece>, String> {
    let ws = words(rest, escape);
    let Some(first) = ws.first() else { return Ok(Vec::new()) };
    if !first.contains('=') {
        let mut parts = split_re_whitespace(rest, Some(2));
        let (Some(key), Some(value)) = (parts.next(), parts.next()) else {
            return Err(format!("{} must have two arguments", keyword.to_ascii_uppercase()));
        };
        return Ok(vec![arg(key), arg(value), Piece::Empty]);
    }
    let mut out = Vec::with_capacity(ws.len() * 3);
    for word in ws {
        let Some((key, value)) = word.split_once('=') else {
            return Err(format!(
                "Syntax error - can't find = in {}. Must be of the form: name=value",
                super::go::quote(word)
            ));
        };
        out.extend([arg(key), arg(value), Piece::Equals]);
    }
    Ok(out)
}

fn whitespace_list(rest: &str, arg: impl Fn(&str) -> Piece) -> Vec<Piece> {
    if rest.is_empty() {
        return Vec::new();
    }
    split_re_whitespace(rest, None).map(arg).collect()
}

const NOT_STRING_ARRAY: &str = "when using JSON array syntax, arrays must be comprised of strings only";

/// `Ok(Some(values))` for a JSON array of strings, `Ok(None)` when the text is not a JSON
/// array at all (shell form), and an error for a JSON array holding non-strings.
fn json_array(rest: &str, arg: impl Fn(&str) -> Piece) -> Result<Option<Vec<Piece>>, String> {
    let rest = rest.trim_start_matches(is_space);
    if !rest.starts_with('[') {
        return Ok(None);
    }
    match read_array(rest) {
        JsonArray::Strings(values) => Ok(Some(
            values
                .into_iter()
                .map(|v| match v {
                    Cow::Borrowed(v) => arg(v),
                    Cow::Owned(v) => Piece::changed(&v),
                })
                .collect(),
        )),
        JsonArray::NotStrings => Err(NOT_STRING_ARRAY.to_owned()),
        JsonArray::Invalid => Ok(None),
    }
}

/// RUN, CMD, ENTRYPOINT, SHELL: a JSON array, or the whole text as one value.
fn maybe_json(rest: &str, arg: impl Fn(&str) -> Piece) -> Result<(Vec<Piece>, bool), String> {
    if rest.is_empty() {
        return Ok((Vec::new(), false));
    }
    Ok(match json_array(rest, &arg)? {
        Some(values) => (values, true),
        None => (vec![arg(rest)], false),
    })
}

/// ADD, COPY, VOLUME: a JSON array, or whitespace-separated values.
fn maybe_json_list(rest: &str, arg: impl Fn(&str) -> Piece) -> Result<(Vec<Piece>, bool), String> {
    Ok(match json_array(rest, &arg)? {
        Some(values) => (values, true),
        None => (whitespace_list(rest, arg), false),
    })
}

/// HEALTHCHECK: a type word (`CMD`, `NONE`), then the command like RUN's. BuildKit splits
/// the bytes, so a Latin-1 "space" byte can cut a character (Go shows U+FFFD for the halves).
fn health_config(rest: &str, arg: impl Fn(&str) -> Piece) -> Result<(Vec<Piece>, bool), String> {
    let bytes = rest.as_bytes();
    let sep = bytes.iter().position(|&b| is_space_byte(b)).unwrap_or(bytes.len());
    if sep == 0 {
        return Ok((Vec::new(), false));
    }
    let next = bytes[sep..].iter().position(|&b| !is_space_byte(b)).map_or(bytes.len(), |p| sep + p);
    let changed = Piece::changed;
    let (mut values, json) = match String::from_utf8_lossy(&bytes[next..]) {
        Cow::Borrowed(command) => maybe_json(command, &arg)?,
        Cow::Owned(command) => maybe_json(&command, changed)?,
    };
    let kind = match String::from_utf8_lossy(&bytes[..sep]) {
        Cow::Borrowed(kind) => arg(kind),
        Cow::Owned(kind) => changed(&kind),
    };
    values.insert(0, kind);
    Ok((values, json))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Keyword, flags and values as BuildKit reads them.
    fn read(line: &str) -> (String, Vec<String>, Vec<String>, bool) {
        let c = parse_command(line, '\\').unwrap();
        let c = c.read(line);
        let all = |w: Words| w.map(str::to_owned).collect();
        (c.keyword().to_owned(), all(c.flags()), all(c.values()), c.json())
    }

    #[test]
    fn flags_stop_at_first_argument() {
        let (_, flags, values, _) = read("COPY --from=build --chown=\"a b\" src dst");
        assert_eq!(flags, vec!["--from=build", "--chown=a b"]);
        assert_eq!(values, vec!["src", "dst"]);
        let (_, flags, _, _) = read("COPY --a=\\x --b=\u{e9}\\");
        assert_eq!(flags, vec!["--a=x", "--b=\u{c3}\u{a9}"], "escapes removed, Latin-1, last escape dropped");
    }

    #[test]
    fn double_dash_ends_flags() {
        let (_, flags, values, _) = read("COPY --a -- --b c");
        assert_eq!(flags, vec!["--a"]);
        assert_eq!(values, vec!["--b", "c"]);
    }

    #[test]
    fn json_and_shell_forms() {
        let (_, _, values, json) = read(r#"CMD ["a", "b c", "d\"e"]"#);
        assert!(json);
        assert_eq!(values, vec!["a", "b c", "d\"e"]);
        let (_, _, values, json) = read(r#"CMD ["a", "b c""#);
        assert!(!json);
        assert_eq!(values, vec![r#"["a", "b c""#]);
        assert_eq!(parse_command(r#"CMD ["a", 1]"#, '\\').unwrap_err(), NOT_STRING_ARRAY);
    }

    #[test]
    fn env_forms() {
        assert_eq!(read("ENV a=1 b=\"x y\"").2, vec!["a", "1", "=", "b", "\"x y\"", "="]);
        assert_eq!(read("ENV a  x y").2, vec!["a", "x y", ""]);
        assert_eq!(parse_command("ENV a", '\\').unwrap_err(), "ENV must have two arguments");
        assert!(parse_command("ENV a=1 b", '\\').unwrap_err().contains("can't find = in \"b\""));
    }

    #[test]
    fn onbuild_wraps_an_instruction() {
        let line = "ONBUILD RUN [\"x\"]";
        let c = parse_command(line, '\\').unwrap();
        let inner = c.read(line).onbuild().unwrap();
        assert_eq!(inner.keyword(), "RUN");
        assert!(inner.json());
        assert_eq!(inner.values().collect::<Vec<_>>(), vec!["x"]);
        let deep = "ONBUILD ".repeat(100) + "RUN x";
        assert!(parse_command(&deep, '\\').is_err());
    }

    #[test]
    fn arguments_after_a_cut_character_are_new_text() {
        // Byte A0 (a space to BuildKit's flag scanner) ends the flag inside U+0800 (E0 A0 80):
        // the arguments start mid-character.
        let line = "ONBUILD --x=\u{800}RUN a b";
        let c = parse_command(line, '\\').unwrap();
        assert_eq!(c.read(line).onbuild().unwrap().keyword(), "\u{fffd}RUN");
        assert_eq!(read("USER --x=\u{800}me").2, vec!["\u{fffd}me"]);
        assert_eq!(read("HEALTHCHECK CMD\u{e0}x").2, vec!["CMD\u{fffd}", "x"]);
    }
}
