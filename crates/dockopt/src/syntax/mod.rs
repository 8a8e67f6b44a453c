//! Lossless, BuildKit-conformant Dockerfile syntax.
//!
//! BuildKit's parser is line-oriented: it reads parser directives at the top, joins
//! continued lines (skipping comment and empty lines inside them), splits each logical line
//! into keyword, flags and arguments, and reads heredoc bodies after the line that opens
//! them. [`parse`] follows the same steps and, alongside, records a token for every byte of
//! the input and the source position of every character of each logical line, so that the
//! text can be given back exactly and every finding can point at its source.

pub mod command;
pub mod directive;
pub mod go;
pub mod heredoc;
pub mod json;
pub(crate) mod scan;
pub mod tokens;

use std::ops::Range;
use std::sync::Arc;

use crate::text::LineIndex;

pub use command::{Command, CommandRef};
pub use directive::Directive;
use directive::DirectiveScanner;
pub use tokens::{Token, TokenKind, Tokens};
use tokens::{TokenSink, WordState};

/// A heredoc attached to an instruction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heredoc {
    pub name: String,
    pub fd: u64,
    pub expand: bool,
    pub chomp: bool,
    /// Byte range of the body (every line up to the delimiter line, line endings included).
    pub body: Range<usize>,
    /// Byte range of the delimiter line (without its line ending), if the heredoc was closed.
    pub end: Option<Range<usize>>,
}

/// A piece of an instruction's logical line and where it sits in the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    pub logical: usize,
    pub source: usize,
    pub len: usize,
}

/// An instruction's segments, as a slice: its one segment made on request, or its several.
pub struct Segments<'a> {
    one: [Segment; 1],
    several: &'a [Segment],
}

impl std::ops::Deref for Segments<'_> {
    type Target = [Segment];

    fn deref(&self) -> &[Segment] {
        if self.several.is_empty() { &self.one } else { self.several }
    }
}

/// One instruction: its physical extent and BuildKit's reading of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instruction {
    /// Read through [`Instruction::command`].
    command: Command,
    /// The logical line: continued lines joined without their escapes, comment lines and
    /// empty lines inside dropped (BuildKit's `Original`). Shared with the model's `text`,
    /// which is the same line: a lint holds both for every instruction.
    pub logical: Arc<str>,
    /// Where each piece of `logical` comes from, when there are several (read through
    /// [`Instruction::segments`]): an instruction on one line, most of them, keeps none.
    segments: Box<[Segment]>,
    /// Its heredocs, error and empty continuation lines, which few instructions have (read
    /// through [`Instruction::heredocs`], [`Instruction::error`] and
    /// [`Instruction::has_empty_continuation`]): one word for all three.
    rare: Option<Box<Rare>>,
    /// Bytes from the keyword to the end of the last line that belongs to the instruction
    /// (heredoc delimiter included), without the final line ending.
    pub range: Range<usize>,
    /// 1-based first and last line, as BuildKit counts them (32 bits, as in a
    /// [`crate::text::Position`]: past 4 billion lines they saturate).
    pub start_line: u32,
    pub end_line: u32,
}

/// The parts of an [`Instruction`] that most instructions do not have.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Rare {
    heredocs: Box<[Heredoc]>,
    error: Option<Box<str>>,
    has_empty_continuation: bool,
}

// Every instruction of a file is held until a lint ends (a flag more would cost 8 bytes).
#[cfg(target_pointer_width = "64")]
const _: () = assert!(std::mem::size_of::<Instruction>() <= 112);

impl Instruction {
    /// Keyword, flags and values as BuildKit's parser produces them. When the line is
    /// rejected (`error`), only the keyword is filled in.
    pub fn command(&self) -> CommandRef<'_> {
        self.command.read(&self.logical)
    }

    /// Where the arguments end in `logical`: its length without trailing whitespace (BuildKit
    /// trims it). Only the end is trimmed: leading whitespace keeps its offsets.
    pub fn logical_end(&self) -> usize {
        self.logical.trim_end_matches(go::is_space).len()
    }

    /// The heredocs it reads (`RUN <<EOF`).
    pub fn heredocs(&self) -> &[Heredoc] {
        self.rare.as_deref().map_or(&[], |r| &r.heredocs)
    }

    /// Empty lines inside the continuation (BuildKit warns about these).
    pub fn has_empty_continuation(&self) -> bool {
        self.rare.as_deref().is_some_and(|r| r.has_empty_continuation)
    }

    /// Why BuildKit rejects the file because of this instruction.
    pub fn error(&self) -> Option<&str> {
        self.rare.as_deref().and_then(|r| r.error.as_deref())
    }

    /// Reject the file because of this instruction (the first reason stays).
    fn reject(&mut self, message: &str) {
        self.rare_mut().error.get_or_insert_with(|| message.into());
    }

    /// The rare parts, made when the first is set.
    fn rare_mut(&mut self) -> &mut Rare {
        self.rare.get_or_insert_with(Box::default)
    }

    /// Where each piece of `logical` comes from, in order.
    pub fn segments(&self) -> Segments<'_> {
        let one = Segment { logical: 0, source: self.range.start, len: self.logical.len() };
        Segments { one: [one], several: &self.segments }
    }

    /// The source offset of a byte offset in `logical` (the end maps to the end of its piece).
    pub fn source_offset(&self, logical: usize) -> usize {
        if self.segments.is_empty() {
            return self.range.start + logical.min(self.logical.len());
        }
        let seg = match self.segments.binary_search_by(|s| s.logical.cmp(&logical)) {
            Ok(i) => self.segments[i],
            Err(0) => return self.range.start,
            Err(i) => self.segments[i - 1],
        };
        seg.source + (logical - seg.logical).min(seg.len)
    }
}

/// A problem that makes BuildKit reject the whole file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// BuildKit's message.
    pub message: String,
    /// 1-based lines.
    pub start_line: usize,
    pub end_line: usize,
    pub range: Range<usize>,
}

/// Something BuildKit accepts but warns about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub message: String,
    /// 1-based line BuildKit reports (the instruction's last line).
    pub line: usize,
    pub range: Range<usize>,
    pub url: &'static str,
}

/// The parsed file.
#[derive(Debug, Clone)]
pub struct Syntax {
    pub bom: bool,
    pub escape: char,
    pub directives: Vec<Directive>,
    pub instructions: Vec<Instruction>,
    /// Top-level comment lines (not directives) and comment lines inside continuations,
    /// as byte ranges of the comment text.
    pub comments: Vec<Range<usize>>,
    /// In source order; BuildKit reports the first one.
    pub errors: Vec<SyntaxError>,
    pub warnings: Vec<Warning>,
    /// Where lines start, for turning offsets into lines and columns.
    pub lines: LineIndex,
}

#[derive(Debug, Clone, Copy)]
struct Line {
    start: usize,
    /// End of the text without trailing `\r`/`\n`.
    content_end: usize,
    /// Start of the next line.
    end: usize,
}

/// Strip a line continuation: the escape character followed only by spaces and tabs, not
/// itself escaped. Returns the kept length and whether the line continues.
fn strip_continuation(text: &str, escape: char) -> (usize, bool) {
    // The escape is `\` or `` ` `` (the directive accepts nothing else): one byte.
    let escape = u8::try_from(escape).expect("the escape character is ASCII");
    let bytes = text.as_bytes();
    let blanks = bytes.iter().rev().take_while(|&&b| b == b' ' || b == b'\t').count();
    match bytes[..bytes.len() - blanks] {
        [.., before, last] if last == escape && before == escape => (text.len(), false),
        [.., last] if last == escape => (bytes.len() - blanks - 1, true),
        _ => (text.len(), false),
    }
}

const EMPTY_CONTINUATION_URL: &str = "https://docs.docker.com/go/dockerfile/rule/no-empty-continuation/";

/// Parse a Dockerfile. Never fails: what BuildKit would reject is in [`Syntax::errors`].
///
/// The tree has no tokens: a file has about one every five bytes, and what needs them asks
/// for the file's ([`tokens`]) or an instruction's ([`instruction_tokens`]).
pub fn parse(src: &str) -> Syntax {
    let mut instructions = Vec::new();
    let (mut syntax, _) =
        Parser::new(src, false, |read: &Syntax, ins| push_instruction(&mut instructions, &read.lines, ins)).run();
    instructions.shrink_to_fit();
    syntax.instructions = instructions;
    syntax
}

/// Every token of `src`, in order: together they cover it exactly.
pub fn tokens(src: &str) -> Tokens {
    Parser::tokens_only(src).run().1
}

/// The tokens of the instruction at `range` in `src`, a file whose escape character is
/// `escape`: the tokens of [`tokens`] that start inside `range`. Its text is read again on
/// its own; an instruction's tokens do not depend on what comes before it but the escape.
pub fn instruction_tokens(src: &str, escape: char, range: Range<usize>) -> std::vec::IntoIter<Token> {
    let mut parser = Parser::tokens_only(&src[range.clone()]);
    // Not the file's start: a byte-order mark here is part of the keyword.
    (parser.out.bom, parser.out.escape) = (false, escape);
    let shift = |t: Token| Token { start: t.start + range.start, end: t.end + range.start, ..t };
    parser.run().1.iter().map(shift).collect::<Vec<_>>().into_iter()
}

/// Push `item`, made of the next instruction of the file `lines` indexes, having first made
/// room for one per line. Each instruction starts a line, so the list never regrows, which
/// would copy it (and jemalloc keeps a freed copy's pages for a while). Room never used is
/// never touched: it costs address space, not memory, and for a large list `shrink_to_fit`
/// hands it back in place (a small one is copied, which costs little).
pub(crate) fn push_instruction<T>(list: &mut Vec<T>, lines: &LineIndex, item: T) {
    if list.capacity() == 0 {
        list.reserve_exact(lines.line_count());
    }
    list.push(item);
}

/// [`parse`] for a caller that turns each instruction into something else as soon as it is
/// read (the model): `take` gets them in order, with the syntax read so far (the file's line
/// index is whole; the escape character is known), and the [`Syntax`] returned has no
/// instructions. The whole tree is never held at once.
pub fn parse_each(src: &str, take: impl FnMut(&Syntax, Instruction)) -> Syntax {
    Parser::new(src, false, take).run().0
}

/// What BuildKit rejects `src` for, found without keeping the tree or its tokens: for
/// checking that an edit leaves a file as parseable as it was.
pub fn errors(src: &str) -> Vec<SyntaxError> {
    parse_each(src, |_, _| {}).errors
}

/// Reads the lines in one pass, without holding a list of them, and hands each instruction
/// to `take`.
struct Parser<'a, F> {
    src: &'a str,
    take: F,
    /// Instructions read so far.
    instructions: usize,
    /// Start of the next line to read.
    at: usize,
    /// Lines read so far (the number of the last one).
    lines_read: usize,
    out: Syntax,
    sink: TokenSink,
    directives: DirectiveScanner,
    /// The segments of the logical line being read; each instruction gets an exact-size copy
    /// of them and of their text.
    segments: Vec<Segment>,
    /// Only the tokens are wanted: an instruction's command is read only when it may open
    /// heredocs, whose bodies are tokens too.
    tokens_only: bool,
}

type Ignore = fn(&Syntax, Instruction);

impl<'a> Parser<'a, Ignore> {
    /// A parser for the tokens alone: it reads an instruction's command only when the
    /// instruction may open heredocs, and keeps no instruction.
    fn tokens_only(src: &'a str) -> Self {
        let ignore: Ignore = |_, _| {};
        Self { tokens_only: true, ..Self::new(src, true, ignore) }
    }
}

impl<'a, F: FnMut(&Syntax, Instruction)> Parser<'a, F> {
    /// A parser of `src` that records its tokens when `tokens` is set.
    fn new(src: &'a str, tokens: bool, take: F) -> Self {
        // One pass (SIMD) finds the blanks, for splitting words, and the lines, read one by one.
        let (blanks, lines) = scan::scan(src);
        let out = Syntax {
            bom: src.starts_with('\u{feff}'),
            escape: '\\',
            directives: Vec::new(),
            instructions: Vec::new(),
            comments: Vec::new(),
            errors: Vec::new(),
            warnings: Vec::new(),
            lines,
        };
        Self {
            src,
            take,
            instructions: 0,
            at: 0,
            lines_read: 0,
            out,
            sink: TokenSink::new(src.len(), blanks, tokens),
            directives: DirectiveScanner::default(),
            segments: Vec::with_capacity(16),
            tokens_only: false,
        }
    }

    /// The syntax, and the tokens when they are recorded.
    fn run(mut self) -> (Syntax, Tokens) {
        if self.out.bom {
            self.sink.push(TokenKind::Bom, 0, 3);
        }
        while let Some(line) = self.next_line() {
            self.top_level_line(line);
        }
        if self.instructions == 0 {
            let n = self.lines_read;
            self.error("file with no instructions".into(), n, n, self.src.len()..self.src.len());
        }
        (self.out, self.sink.finish())
    }

    /// The next line, now counted as read.
    fn next_line(&mut self) -> Option<Line> {
        let start = self.at;
        if start >= self.src.len() {
            return None;
        }
        self.lines_read += 1;
        let end = self.out.lines.line_start(self.lines_read).unwrap_or(self.src.len());
        self.at = end;
        // The line's one `\n` is its last byte (the last line may have none); `\r`s before it
        // are part of the line ending too.
        let bytes = self.src.as_bytes();
        let mut content_end = end - usize::from(bytes[end - 1] == b'\n');
        while content_end > start && bytes[content_end - 1] == b'\r' {
            content_end -= 1;
        }
        Some(Line { start, content_end, end })
    }

    fn error(&mut self, message: String, start_line: usize, end_line: usize, range: Range<usize>) {
        self.out.errors.push(SyntaxError { message, start_line, end_line, range });
    }

    fn newline(&mut self, line: Line) {
        self.sink.push(TokenKind::Newline, line.content_end, line.end);
    }

    /// A line outside any instruction: directive, comment, blank, or an instruction start.
    fn top_level_line(&mut self, line: Line) {
        let start = if line.start == 0 && self.out.bom { 3 } else { line.start };
        // Leading whitespace is Go's `unicode.IsSpace`, the blanks of the token sink.
        let body_start = start + self.sink.blank_run(start, line.content_end);
        let body = &self.src[body_start..line.content_end];
        let number = self.lines_read;
        self.sink.push(TokenKind::Whitespace, start, body_start);

        match self.directives.scan(body) {
            Ok(Some((name, value))) => {
                if name == "escape" {
                    match value.as_str() {
                        "\\" | "`" => self.out.escape = value.chars().next().unwrap_or('\\'),
                        _ => self.error(
                            format!("invalid escape token '{value}' does not match ` or \\"),
                            number,
                            number,
                            body_start..line.content_end,
                        ),
                    }
                }
                let range = body_start..line.content_end;
                self.out.directives.push(Directive { name, value, line: number, range });
                self.sink.push(TokenKind::Directive, body_start, line.content_end);
                self.newline(line);
                return;
            }
            Err(message) => self.error(message, number, number, body_start..line.content_end),
            Ok(None) => {}
        }
        if body.starts_with('#') {
            self.comment_line(body_start, line);
            return;
        }
        let (kept, continued) = strip_continuation(body, self.out.escape);
        if kept == 0 && !continued {
            self.newline(line);
            return;
        }
        self.instruction(line, body_start, kept, continued);
    }

    fn comment_line(&mut self, body_start: usize, line: Line) {
        self.out.comments.push(body_start..line.content_end);
        self.sink.push(TokenKind::Comment, body_start, line.content_end);
        self.newline(line);
    }

    /// One piece of a logical line: tokens for its words and continuation, and its segment.
    fn logical_piece(&mut self, words: &mut WordState, start: usize, kept: usize, line: Line) {
        let logical = self.segments.last().map_or(0, |s| s.logical + s.len);
        self.segments.push(Segment { logical, source: start, len: kept });
        self.sink.words(self.src, start, start + kept, words);
        self.sink.push(TokenKind::LineContinuation, start + kept, line.content_end);
        self.newline(line);
    }

    /// The logical line of the segments read: one copy of their text, sized exactly.
    fn logical_line(&self) -> Arc<str> {
        let len = self.segments.last().map_or(0, |s| s.logical + s.len);
        let mut logical = String::with_capacity(len);
        for s in &self.segments {
            logical.push_str(&self.src[s.source..s.source + s.len]);
        }
        logical.into()
    }

    /// An instruction starting on `first` (already read) at `body_start`.
    fn instruction(&mut self, first: Line, body_start: usize, kept: usize, mut continued: bool) {
        let escape = self.out.escape;
        let start_line = self.lines_read;
        let mut range = body_start..first.content_end;
        let mut has_empty_continuation = false;
        self.segments.clear();
        let mut words = WordState::Keyword;
        self.logical_piece(&mut words, body_start, kept, first);

        while continued && let Some(line) = self.next_line() {
            let text = &self.src[line.start..line.content_end];
            let lead = self.sink.blank_run(line.start, line.content_end);
            range.end = line.content_end;
            if text[lead..].starts_with('#') {
                self.sink.push(TokenKind::Whitespace, line.start, line.start + lead);
                self.comment_line(line.start + lead, line);
                continue;
            }
            if lead == text.len() {
                has_empty_continuation = true;
                self.sink.push(TokenKind::Whitespace, line.start, line.content_end);
                self.newline(line);
                continue;
            }
            let (kept, more) = strip_continuation(text, escape);
            self.logical_piece(&mut words, line.start, kept, line);
            continued = more;
        }
        let logical = self.logical_line();
        // Only heredoc bodies make tokens after this point.
        if self.tokens_only && !logical.contains("<<") {
            return;
        }
        let mut ins = Instruction {
            command: Command::default(),
            logical,
            // One piece starts at the instruction and is the whole line: nothing to keep.
            segments: if self.segments.len() > 1 { self.segments.as_slice().into() } else { Box::default() },
            rare: None,
            range,
            start_line: crate::text::narrow(start_line),
            end_line: crate::text::narrow(self.lines_read),
        };
        if has_empty_continuation {
            ins.rare_mut().has_empty_continuation = true;
            self.out.warnings.push(Warning {
                message: format!("Empty continuation line found in: {}", ins.logical),
                line: ins.end_line as usize,
                range: ins.range.clone(),
                url: EMPTY_CONTINUATION_URL,
            });
        }

        match command::parse_command(&ins.logical, escape) {
            Ok(command) => ins.command = command,
            Err(message) => {
                ins.command = command::keyword_only(&ins.logical);
                ins.reject(&message);
            }
        }
        if ins.error().is_none() && opens_heredocs(ins.command()) && ins.logical.contains("<<") {
            match heredoc::heredocs_in_line(&ins.logical) {
                Ok(starts) => {
                    let mut heredocs = Vec::with_capacity(starts.len());
                    for start in starts {
                        heredocs.push(self.heredoc_body(start, &mut ins));
                    }
                    if !heredocs.is_empty() {
                        ins.rare_mut().heredocs = heredocs.into();
                    }
                }
                Err(message) => ins.reject(&message),
            }
        }
        if let Some(message) = ins.error() {
            self.error(message.to_owned(), ins.start_line as usize, ins.end_line as usize, ins.range.clone());
        }
        self.instructions += 1;
        (self.take)(&self.out, ins);
    }

    /// Read a heredoc body up to its delimiter line.
    fn heredoc_body(&mut self, start: heredoc::HeredocStart, ins: &mut Instruction) -> Heredoc {
        let mut doc = Heredoc {
            name: start.name,
            fd: start.fd,
            expand: start.expand,
            chomp: start.chomp,
            body: self.at..self.src.len(),
            end: None,
        };
        let mut last = None;
        while let Some(line) = self.next_line() {
            last = Some(line);
            let text = &self.src[line.start..line.content_end];
            let candidate = if doc.chomp { text.trim_start_matches('\t') } else { text };
            if candidate == doc.name {
                doc.body.end = line.start;
                doc.end = Some(line.start..line.content_end);
                break;
            }
        }
        self.sink.push(TokenKind::HeredocBody, doc.body.start, doc.body.end);
        ins.end_line = crate::text::narrow(self.lines_read);
        match (&doc.end, last) {
            (Some(end), Some(line)) => {
                ins.range.end = end.end;
                self.sink.push(TokenKind::HeredocEnd, end.start, end.end);
                self.newline(line);
            }
            _ => {
                ins.range.end = self.src.len();
                ins.reject("unterminated heredoc");
            }
        }
        doc
    }
}

/// Whether BuildKit looks for heredocs in this instruction (ONBUILD looks at its inner one).
fn opens_heredocs(command: CommandRef) -> bool {
    let target = command.onbuild().unwrap_or(command);
    heredoc::allows_heredocs(target.keyword()) && !target.json()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn covered(src: &str) -> String {
        let tokens = tokens(src);
        let mut at = 0;
        for t in &tokens {
            assert_eq!(t.start, at, "gap or overlap before {t:?} in {src:?}");
            at = t.end;
        }
        assert_eq!(at, src.len(), "tokens stop early in {src:?}");
        tokens.iter().map(|t| &src[t.start..t.end]).collect()
    }

    #[test]
    fn a_one_line_instruction_keeps_no_segment_but_gives_its_one() {
        let src = "FROM a\n  RUN echo hi  \nRUN a \\\n  # note\n  b\n";
        let file = parse(src);
        let [_, one, two] = &file.instructions[..] else { panic!("three instructions") };
        assert!(one.segments.is_empty() && two.segments.len() == 2, "only the continued one keeps its list");
        for ins in [one, two] {
            let segments = ins.segments();
            let joined: String = segments.iter().map(|s| &src[s.source..s.source + s.len]).collect();
            assert_eq!(joined, *ins.logical);
            for (i, _) in ins.logical.char_indices().chain([(ins.logical.len(), ' ')]) {
                let piece = segments.iter().rev().find(|s| s.logical <= i).expect("a piece");
                assert_eq!(ins.source_offset(i), piece.source + (i - piece.logical).min(piece.len), "{i}");
            }
        }
        assert_eq!(&src[one.source_offset(4)..one.source_offset(11)], "echo hi");
    }

    #[test]
    fn tokens_cover_everything() {
        for src in [
            "",
            "\u{feff}FROM a\r\n",
            "# escape=`\nFROM a\nRUN x `\n  # c\n\n  y\n",
            "RUN <<EOF\nbody\nEOF\nRUN <<-A <<B\n\tx\n\tA\ny\nB",
            "RUN <<EOF\nunterminated",
            "  \t\nONBUILD --x RUN --mount=a b\\",
        ] {
            assert_eq!(covered(src), src);
        }
    }

    #[test]
    fn an_instructions_tokens_read_alone_are_the_files() {
        for src in [
            "\u{feff}FROM a\r\nRUN b \\\r\n  c\r\n",
            "# escape=`\nFROM a\nRUN x `\n  # c\n\n  y\n",
            "RUN <<EOF\nbody\nEOF\nRUN <<-A <<B\n\tx\n\tA\ny\nB",
            "RUN <<EOF\nunterminated",
            "  \t\nONBUILD --x RUN --mount=a b\\",
            // A second byte-order mark is part of the keyword, not a file's start.
            "\u{feff}\u{feff}FROM a\nCOPY --from=b x y\n",
        ] {
            let syntax = parse(src);
            let all = tokens(src);
            for ins in &syntax.instructions {
                let alone: Vec<Token> = instruction_tokens(src, syntax.escape, ins.range.clone()).collect();
                assert_eq!(alone, all.starting_in(ins.range.clone()).collect::<Vec<_>>(), "{src:?} {:?}", ins.range);
            }
        }
    }

    #[test]
    fn line_index_is_the_texts() {
        for src in ["", "\n", "a", "a\r\nb\r\n", "\u{feff}FROM a\nRUN <<EOF\nx\nEOF\n\n# c\nRUN a \\\n b", "x\r\r\n\ry"]
        {
            let lines = &parse(src).lines;
            let expected = LineIndex::new(src);
            for offset in (0..=src.len()).filter(|&o| src.is_char_boundary(o)) {
                assert_eq!(lines.position(src, offset), expected.position(src, offset), "{src:?} at {offset}");
            }
        }
    }

    #[test]
    fn joins_continuations_like_buildkit() {
        let s = parse("RUN a \\\n# comment\n\n  b \\  \n c\nFROM x");
        let ins = &s.instructions[0];
        assert_eq!(&*ins.logical, "RUN a   b  c");
        assert_eq!((ins.start_line, ins.end_line), (1, 5));
        assert!(ins.has_empty_continuation());
        assert_eq!(s.warnings.len(), 1);
        assert_eq!(ins.source_offset(6), "RUN a \\\n# comment\n\n".len());
    }

    #[test]
    fn escaped_escape_does_not_continue() {
        assert_eq!(strip_continuation("a \\\\", '\\'), (4, false));
        assert_eq!(strip_continuation("a \\ \t", '\\'), (2, true));
        assert_eq!(strip_continuation("\\", '\\'), (0, true));
        assert_eq!(strip_continuation("a `", '`'), (2, true));
    }

    #[test]
    fn reads_heredocs() {
        let s = parse("RUN <<-EOF\n\techo hi\n\tEOF\nFROM x\n");
        let doc = &s.instructions[0].heredocs()[0];
        assert_eq!(doc.name, "EOF");
        assert!(doc.chomp);
        assert_eq!(s.instructions[0].end_line, 3);
        assert_eq!(s.instructions[1].start_line, 4);
    }

    #[test]
    fn rejections_are_recorded() {
        assert_eq!(parse("").errors[0].message, "file with no instructions");
        assert_eq!(parse("# only\n").errors[0].message, "file with no instructions");
        assert_eq!(parse("FROM a\nENV x\n").errors[0].message, "ENV must have two arguments");
        assert_eq!(parse("RUN <<EOF\nx\n").errors[0].message, "unterminated heredoc");
        assert!(parse("# escape=x\nFROM a").errors[0].message.starts_with("invalid escape token"));
    }
}
