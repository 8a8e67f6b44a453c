//! The typed model: what a tool author wants from a Dockerfile, as plain data.
//!
//! Built from the lossless [`Syntax`]: directives, instructions (keyword, flags, form,
//! arguments, heredocs, positions), stages with their base image and platform, and the
//! ARG/ENV values that are knowable before a build (BuildKit's expansion rules). This is
//! what `dockopt parse --format json`, Python's `dockopt.parse()` and JS's `parse()` return.

mod image;
mod scope;

use std::borrow::Cow;
use std::num::NonZeroU32;
use std::sync::Arc;

use serde::Serialize;

pub use image::ImageRef;
pub use scope::Variable;

use crate::syntax::{self, CommandRef, Syntax};
use crate::text::{LineIndex, Position};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Model {
    pub escape: char,
    pub bom: bool,
    pub directives: Vec<Directive>,
    /// ARGs declared before the first FROM.
    pub global_args: Vec<Variable>,
    pub stages: Vec<Stage>,
    pub instructions: Vec<Instruction>,
    pub comments: Vec<Comment>,
    /// What BuildKit rejects the file for (the first one is what `docker build` reports).
    pub errors: Vec<Problem>,
    pub warnings: Vec<Problem>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Span {
    pub start: Position,
    pub end: Position,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Directive {
    pub name: String,
    pub value: String,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comment {
    pub text: String,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    pub message: String,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Flag {
    pub name: Box<str>,
    pub value: Option<Box<str>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Form {
    /// `["executable", "arg"]`
    Exec,
    /// A command line run by the shell.
    Shell,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Heredoc {
    pub name: String,
    pub fd: u64,
    /// Variables in the body are expanded (the delimiter was not quoted).
    pub expand: bool,
    /// `<<-`: leading tabs are removed.
    pub chomp: bool,
    /// The body as written (tabs not yet removed).
    pub content: String,
    pub span: Span,
}

/// A key and value of ENV, LABEL or ARG.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pair {
    pub key: Box<str>,
    /// As written (quotes kept); `None` for an ARG without default.
    pub value: Option<Box<str>>,
    /// With quotes removed and variables expanded, when every variable is known.
    pub resolved: Option<Box<str>>,
}

/// One instruction. Files can have hundreds of thousands, so the lists are boxed slices (a
/// word smaller than a `Vec` each), and the keyword is not copied when it is a known one
/// written in upper case.
#[derive(Debug, Clone, PartialEq)]
pub struct Instruction {
    /// Upper-case instruction name (`RUN`), or the word as written for unknown ones.
    pub keyword: Cow<'static, str>,
    /// The letters of a known keyword written in lower case (bit `i`: letter `i`): the
    /// keyword as written is [`Instruction::written`], kept in 2 bytes rather than 24.
    lower_case: u16,
    /// A known Dockerfile instruction.
    pub known: bool,
    pub flags: Box<[Flag]>,
    /// Exec or shell form, for instructions that have both.
    pub form: Option<Form>,
    /// BuildKit's argument values (exec-form items, the shell command, words ...).
    pub arguments: Box<[String]>,
    /// ENV, LABEL and ARG entries.
    pub pairs: Box<[Pair]>,
    /// What few instructions have (read through [`Instruction::heredocs`],
    /// [`Instruction::onbuild`] and [`Instruction::error`]): one word for all three.
    rare: Option<Box<Rare>>,
    /// Read through [`Instruction::stage`]: the index plus one, in 32 bits with `None` in the
    /// zero (4 billion stages would take a file of more than 20 GiB; as an `Option<u32>`, a
    /// tag of its own made the instruction 8 bytes longer).
    stage_after: Option<NonZeroU32>,
    /// The logical line (continuations joined), as BuildKit reads it: the syntax tree's, shared.
    pub text: Arc<str>,
    pub span: Span,
}

/// The parts of an [`Instruction`] that most instructions do not have.
#[derive(Debug, Clone, PartialEq, Default)]
struct Rare {
    heredocs: Box<[Heredoc]>,
    onbuild: Option<Box<Instruction>>,
    error: Option<Box<str>>,
}

// Every instruction of a file is held until a lint ends.
#[cfg(target_pointer_width = "64")]
const _: () = assert!(std::mem::size_of::<Instruction>() <= 136);

impl Instruction {
    /// Index of the stage it belongs to (`None` before the first FROM).
    pub fn stage(&self) -> Option<usize> {
        self.stage_after.map(|s| s.get() as usize - 1)
    }

    fn set_stage(&mut self, stage: Option<usize>) {
        self.stage_after = stage.and_then(|s| NonZeroU32::new(crate::text::narrow(s).saturating_add(1)));
    }

    /// The heredocs it reads (`RUN <<EOF`).
    pub fn heredocs(&self) -> &[Heredoc] {
        self.rare.as_deref().map_or(&[], |r| &r.heredocs)
    }

    /// The instruction ONBUILD registers.
    pub fn onbuild(&self) -> Option<&Instruction> {
        self.rare.as_deref().and_then(|r| r.onbuild.as_deref())
    }

    /// Why BuildKit rejects the file because of this instruction.
    pub fn error(&self) -> Option<&str> {
        self.rare.as_deref().and_then(|r| r.error.as_deref())
    }

    /// The rare parts, made when the first is set.
    fn rare_mut(&mut self) -> &mut Rare {
        self.rare.get_or_insert_with(Box::default)
    }

    /// The keyword exactly as written (`run`).
    pub fn written(&self) -> Cow<'_, str> {
        if self.lower_case == 0 {
            return Cow::Borrowed(&self.keyword);
        }
        let letter = |(i, c): (usize, char)| if self.lower_case >> i & 1 == 1 { c.to_ascii_lowercase() } else { c };
        Cow::Owned(self.keyword.chars().enumerate().map(letter).collect())
    }

    /// `keyword` in the case this instruction's keyword is written in (`run` -> `copy`), so new
    /// lines follow the file's style.
    pub fn same_case(&self, keyword: &str) -> String {
        if self.written().chars().any(|c| c.is_ascii_lowercase()) { keyword.to_lowercase() } else { keyword.to_owned() }
    }
}

/// The letters of `written` in lower case, as [`Instruction::lower_case`] keeps them: for a
/// known keyword (ASCII, at most 11 letters), which `written` matches but for case.
fn lower_case_letters(written: &str) -> u16 {
    written.bytes().take(16).enumerate().filter(|(_, b)| b.is_ascii_lowercase()).fold(0, |mask, (i, _)| mask | 1 << i)
}

impl Serialize for Instruction {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        // Every field, `written` made from the keyword: a field added stops this from
        // compiling until it is written here too.
        let Instruction {
            keyword,
            lower_case: _,
            known,
            flags,
            form,
            arguments,
            pairs,
            rare: _,
            stage_after: _,
            text,
            span,
        } = self;
        let mut out = serializer.serialize_struct("Instruction", 13)?;
        out.serialize_field("keyword", keyword)?;
        out.serialize_field("written", &self.written())?;
        out.serialize_field("known", known)?;
        out.serialize_field("flags", flags)?;
        out.serialize_field("form", form)?;
        out.serialize_field("arguments", arguments)?;
        out.serialize_field("pairs", pairs)?;
        out.serialize_field("heredocs", self.heredocs())?;
        out.serialize_field("onbuild", &self.onbuild())?;
        out.serialize_field("stage", &self.stage())?;
        out.serialize_field("text", text)?;
        out.serialize_field("span", span)?;
        out.serialize_field("error", &self.error())?;
        out.end()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stage {
    pub index: usize,
    /// The `AS name`.
    pub name: Option<String>,
    /// The base as written.
    pub base: String,
    /// The base with global ARG defaults applied, when every variable is known.
    pub base_resolved: Option<String>,
    /// The resolved base split into its parts (none for `scratch` or earlier stages).
    pub image: Option<ImageRef>,
    /// Index of the earlier stage the base names.
    pub base_stage: Option<usize>,
    pub scratch: bool,
    pub platform: Option<String>,
    /// Indices into `instructions`, FROM included.
    pub instructions: Vec<usize>,
    /// ARG and ENV values in effect at the end of the stage (ENV inherited from a base stage).
    pub variables: Vec<Variable>,
    pub span: Span,
}

/// The instruction keywords BuildKit knows.
pub(crate) use crate::syntax::command::KEYWORDS;

/// Instructions whose arguments may be in exec form.
fn has_form(keyword: &str) -> bool {
    matches!(keyword, "ADD" | "CMD" | "COPY" | "ENTRYPOINT" | "HEALTHCHECK" | "RUN" | "SHELL" | "VOLUME")
}

struct Builder<'a> {
    src: &'a str,
    lines: &'a LineIndex,
}

impl Builder<'_> {
    fn span(&self, range: std::ops::Range<usize>) -> Span {
        Span { start: self.lines.position(self.src, range.start), end: self.lines.position(self.src, range.end) }
    }

    /// The instruction without its `text` (the logical line), which the caller copies or
    /// moves in.
    /// [`Builder::instruction`] of an instruction that is not needed afterwards: its logical
    /// line becomes the model's `text` instead of being copied.
    fn owned_instruction(&self, ins: syntax::Instruction) -> Instruction {
        let out = self.instruction(&ins);
        Instruction { text: ins.logical, ..out }
    }

    fn instruction(&self, ins: &syntax::Instruction) -> Instruction {
        let mut out = command(ins.command());
        out.span = self.span(ins.range.clone());
        if let Some(error) = ins.error() {
            out.rare_mut().error = Some(error.into());
        }
        if !ins.heredocs().is_empty() {
            out.rare_mut().heredocs = ins
                .heredocs()
                .iter()
                .map(|h| Heredoc {
                    name: h.name.clone(),
                    fd: h.fd,
                    expand: h.expand,
                    chomp: h.chomp,
                    content: self.src[h.body.clone()].to_owned(),
                    span: self.span(h.body.start..h.end.as_ref().map_or(h.body.end, |e| e.end)),
                })
                .collect();
        }
        out
    }
}

fn command(c: CommandRef) -> Instruction {
    let written = c.keyword();
    let known = KEYWORDS.into_iter().find(|k| written.eq_ignore_ascii_case(k));
    let keyword = known.map_or_else(|| Cow::Owned(written.to_owned()), Cow::Borrowed);
    // An unknown keyword is kept as written.
    let lower_case = if known.is_some() { lower_case_letters(written) } else { 0 };
    let form = has_form(&keyword).then_some(if c.json() { Form::Exec } else { Form::Shell });
    let mut values = c.values();
    let pairs = match known {
        Some("ENV" | "LABEL") => {
            // Key, value, separator.
            let mut pairs = Vec::with_capacity(values.len().div_ceil(3));
            while let Some(key) = values.next() {
                pairs.push(Pair { key: key.into(), value: values.next().map(Into::into), resolved: None });
                values.next();
            }
            pairs.into()
        }
        Some("ARG") => values
            .map(|w| match w.split_once('=') {
                Some((k, v)) => Pair { key: k.into(), value: Some(v.into()), resolved: None },
                None => Pair { key: w.into(), value: None, resolved: None },
            })
            .collect(),
        _ => Box::default(),
    };
    let flags = c
        .flags()
        .map(|f| {
            let f = f.strip_prefix("--").unwrap_or(f);
            match f.split_once('=') {
                Some((n, v)) => Flag { name: n.into(), value: Some(v.into()) },
                None => Flag { name: f.into(), value: None },
            }
        })
        .collect();
    Instruction {
        keyword,
        lower_case,
        known: known.is_some(),
        flags,
        form,
        arguments: match known {
            Some("ENV" | "LABEL") => Box::default(),
            _ => c.values().map(str::to_owned).collect(),
        },
        pairs,
        rare: c.onbuild().map(|inner| Box::new(Rare { onbuild: Some(Box::new(command(inner))), ..Rare::default() })),
        stage_after: None,
        text: Arc::default(),
        span: Span {
            start: Position { line: 0, column: 0, offset: 0, column_utf16: 0 },
            end: Position { line: 0, column: 0, offset: 0, column_utf16: 0 },
        },
    }
}

/// Build the model of a parsed file, ARG defaults replaced by `build_args` (`NAME`, `VALUE`).
pub fn build(src: &str, syntax: &Syntax, build_args: &[(String, String)]) -> Model {
    let b = Builder { src, lines: &syntax.lines };
    let mut instructions: Vec<Instruction> =
        syntax.instructions.iter().map(|ins| Instruction { text: ins.logical.clone(), ..b.instruction(ins) }).collect();
    let scope = scope::resolve(&mut instructions, syntax.escape, build_args);
    b.finish(syntax, scope, instructions)
}

/// Parse `src` straight into its model: each instruction becomes the model's as soon as it
/// is read, so the syntax tree is never held whole and no tokens are recorded. The same
/// model as `crate::parse(src).model()`, with about half the peak memory.
pub fn parse(src: &str) -> Model {
    let mut instructions = Vec::new();
    let syntax = syntax::parse_each(src, |read, ins| {
        let out = Builder { src, lines: &read.lines }.owned_instruction(ins);
        syntax::push_instruction(&mut instructions, &read.lines, out);
    });
    instructions.shrink_to_fit();
    let scope = scope::resolve(&mut instructions, syntax.escape, &[]);
    Builder { src, lines: &syntax.lines }.finish(&syntax, scope, instructions)
}

/// The model of `src` for serializing: it serializes as [`parse`]'s model does, field for
/// field, but never holds the instructions. It reads the file twice: once for the stages and
/// variables (kept), and again while the instructions are written, each built and resolved
/// as it is read and dropped once written. So writing the model of a huge file needs about
/// the memory of the file, not of its model (several times more).
pub struct Streamed<'a> {
    src: &'a str,
    /// Everything but the instructions, which are left empty.
    rest: Model,
}

/// [`Streamed`]: the first reading of `src`, for all but the instructions.
pub fn streamed(src: &str) -> Streamed<'_> {
    // The escape character is known once the first instruction is read (directives come first).
    let mut resolver = None;
    let syntax = syntax::parse_each(src, |read, ins| {
        let resolver = resolver.get_or_insert_with(|| scope::Resolver::new(read.escape, &[]));
        resolver.next(&mut Builder { src, lines: &read.lines }.instruction(&ins), None);
    });
    let scope = resolver.map_or_else(Default::default, scope::Resolver::finish);
    let rest = Builder { src, lines: &syntax.lines }.finish(&syntax, scope, Vec::new());
    Streamed { src, rest }
}

impl Serialize for Streamed<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        // Every field, in the order of `Model`'s derived serialization: a field added to the
        // model stops this from compiling until it is written here too.
        let Model { escape, bom, directives, global_args, stages, instructions: _, comments, errors, warnings } =
            &self.rest;
        let mut model = serializer.serialize_struct("Model", 9)?;
        model.serialize_field("escape", escape)?;
        model.serialize_field("bom", bom)?;
        model.serialize_field("directives", directives)?;
        model.serialize_field("global_args", global_args)?;
        model.serialize_field("stages", stages)?;
        model.serialize_field("instructions", &StreamedInstructions(self))?;
        model.serialize_field("comments", comments)?;
        model.serialize_field("errors", errors)?;
        model.serialize_field("warnings", warnings)?;
        model.end()
    }
}

/// The instructions of a [`Streamed`] model, built and resolved again as they are written.
struct StreamedInstructions<'a>(&'a Streamed<'a>);

impl Serialize for StreamedInstructions<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut list = serializer.serialize_seq(None)?;
        let mut failed = None;
        self.0.for_each_instruction(|ins| {
            failed = list.serialize_element(ins).err();
            failed.is_none()
        });
        match failed {
            Some(e) => Err(e),
            None => list.end(),
        }
    }
}

impl Streamed<'_> {
    /// The model with an empty list of instructions: what [`Streamed::for_each_instruction`]
    /// gives goes there.
    pub fn without_instructions(&self) -> &Model {
        &self.rest
    }

    /// Build and resolve each instruction in turn, hand it to `each` and drop it; `each`
    /// returns false to be given no more.
    pub fn for_each_instruction(&self, mut each: impl FnMut(&Instruction) -> bool) {
        let (src, mut resolver) = (self.src, scope::Resolver::new(self.rest.escape, &[]));
        let mut going = true;
        syntax::parse_each(src, |read, ins| {
            if going {
                let mut out = Builder { src, lines: &read.lines }.owned_instruction(ins);
                resolver.next(&mut out, None);
                going = each(&out);
            }
        });
    }
}

/// [`build`] from a syntax tree that is not needed afterwards: each instruction's logical line
/// becomes the model's `text` instead of being copied.
pub fn build_from(src: &str, mut syntax: Syntax, build_args: &[(String, String)]) -> Model {
    let b = Builder { src, lines: &syntax.lines };
    let mut instructions: Vec<Instruction> =
        std::mem::take(&mut syntax.instructions).into_iter().map(|ins| b.owned_instruction(ins)).collect();
    let scope = scope::resolve(&mut instructions, syntax.escape, build_args);
    b.finish(&syntax, scope, instructions)
}

impl Builder<'_> {
    /// The model: the instructions, their stages and variables (`scope`), and everything
    /// besides.
    fn finish(&self, syntax: &Syntax, scope: (Vec<Variable>, Vec<Stage>), instructions: Vec<Instruction>) -> Model {
        let (global_args, stages) = scope;
        Model {
            escape: syntax.escape,
            bom: syntax.bom,
            directives: syntax
                .directives
                .iter()
                .map(|d| Directive { name: d.name.clone(), value: d.value.clone(), span: self.span(d.range.clone()) })
                .collect(),
            global_args,
            stages,
            instructions,
            comments: syntax
                .comments
                .iter()
                .map(|r| Comment { text: self.src[r.clone()].to_owned(), span: self.span(r.clone()) })
                .collect(),
            errors: syntax
                .errors
                .iter()
                .map(|e| Problem { message: e.message.clone(), span: self.span(e.range.clone()) })
                .collect(),
            warnings: syntax
                .warnings
                .iter()
                .map(|w| Problem { message: w.message.clone(), span: self.span(w.range.clone()) })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::parse;

    const SRC: &str = "\
# syntax=docker/dockerfile:1
ARG BASE=python
ARG TAG
FROM ${BASE}:3.11-slim AS build
ARG TAG
ENV APP=/app \\
    BIN=${APP}/bin
RUN --mount=type=cache,target=/root/.cache pip install x
FROM --platform=linux/amd64 build
COPY --from=build <<EOF /x
hi
EOF
CMD [\"python\", \"-m\", \"app\"]
";

    #[test]
    fn the_keyword_as_written_is_kept_in_any_case() {
        let model = parse("fRoM a\nrun x\nFoo bar\nONBUILD cOpY a b\nHEALTHCHECK NONE\nstopsignal 9\n").model();
        let written: Vec<String> = model.instructions.iter().map(|i| i.written().into_owned()).collect();
        assert_eq!(written, ["fRoM", "run", "Foo", "ONBUILD", "HEALTHCHECK", "stopsignal"]);
        let trigger = model.instructions[3].onbuild().expect("a trigger");
        assert_eq!((&*trigger.keyword, &*trigger.written()), ("COPY", "cOpY"));
        assert_eq!((&*model.instructions[2].keyword, model.instructions[2].known), ("Foo", false));
        let json = serde_json::to_value(&model.instructions[1]).expect("serializes");
        assert_eq!((&json["keyword"], &json["written"]), (&serde_json::json!("RUN"), &serde_json::json!("run")));
        assert_eq!(model.instructions[1].same_case("COPY"), "copy");
        assert_eq!(model.instructions[2].same_case("COPY"), "copy");
        assert_eq!(model.instructions[4].same_case("COPY"), "COPY");
    }

    #[test]
    fn streamed_model_serializes_as_the_whole_model() {
        // Stages, variables resolved across instructions, the escape directive (known only
        // once the directives are read), errors, comments, and a file with no instructions.
        let escaped = "# escape=`\nARG V=1\nFROM a:${V} AS one\nENV P=`$V Q=${V}x\nFROM one\nRUN x `\n  y\n";
        let broken = "# c\nFROM a\nONBUILD ONBUILD RUN x\nCMD [\"a\"\n";
        for src in [SRC, escaped, broken, "", "# only a comment\n"] {
            let whole = serde_json::to_string_pretty(&parse(src).model()).unwrap();
            let streamed = serde_json::to_string_pretty(&super::streamed(src)).unwrap();
            assert_eq!(streamed, whole, "{src:?}");
        }
        let model = parse(escaped).model();
        assert_eq!(model.instructions[2].pairs[0].resolved.as_deref(), Some("$V"), "the escape is `");
    }

    #[test]
    fn stages_images_and_variables() {
        let m = parse(SRC).model();
        assert_eq!(m.directives[0].name, "syntax");
        assert_eq!(m.global_args.len(), 2);
        let build = &m.stages[0];
        assert_eq!(build.name.as_deref(), Some("build"));
        assert_eq!(build.base_resolved.as_deref(), Some("python:3.11-slim"));
        let image = build.image.as_ref().unwrap();
        assert_eq!((image.repository.as_str(), image.tag.as_deref()), ("python", Some("3.11-slim")));
        let vars: Vec<(&str, Option<&str>)> =
            build.variables.iter().map(|v| (v.name.as_str(), v.value.as_deref())).collect();
        assert_eq!(vars, vec![("TAG", None), ("APP", Some("/app")), ("BIN", Some("/app/bin"))]);
        let runner = &m.stages[1];
        assert_eq!(runner.base_stage, Some(0));
        assert_eq!(runner.platform.as_deref(), Some("linux/amd64"));
        assert_eq!(runner.variables.len(), 2, "ENV is inherited from the base stage, ARG is not");
        assert_eq!(runner.instructions, vec![6, 7, 8]);
    }

    #[test]
    fn instructions_have_forms_flags_heredocs_and_spans() {
        let m = parse(SRC).model();
        let run = &m.instructions[5];
        assert_eq!(run.keyword, "RUN");
        assert_eq!(run.form, Some(super::Form::Shell));
        assert_eq!(&*run.flags[0].name, "mount");
        assert_eq!(run.flags[0].value.as_deref(), Some("type=cache,target=/root/.cache"));
        let copy = &m.instructions[7];
        assert_eq!(copy.heredocs()[0].content, "hi\n");
        assert_eq!((copy.span.start.line, copy.span.end.line), (10, 12));
        let cmd = &m.instructions[8];
        assert_eq!(cmd.form, Some(super::Form::Exec));
        assert_eq!(*cmd.arguments, ["python", "-m", "app"]);
        let env = &m.instructions[4];
        assert_eq!(env.pairs[1].value.as_deref(), Some("${APP}/bin"));
        assert_eq!(env.span.start.column, 1);
        assert_eq!(env.stage(), Some(0));
    }

    #[test]
    fn onbuild_and_unknown_instructions() {
        let m = parse("FROM a\nONBUILD RUN [\"x\"]\nfrobnicate now\n").model();
        let inner = m.instructions[1].onbuild().unwrap();
        assert_eq!((&*inner.keyword, inner.form), ("RUN", Some(super::Form::Exec)));
        assert!(!m.instructions[2].known);
        assert_eq!(m.instructions[2].keyword, "frobnicate");
    }

    #[test]
    fn into_model_equals_model() {
        for src in [SRC, "FROM a\nONBUILD RUN [\"x\"]\nfrobnicate now\n", "# c\nFROM a\nENV x\n", ""] {
            let file = parse(src);
            assert_eq!(file.clone().into_model(), file.model());
        }
    }

    #[test]
    fn parsed_straight_into_the_model_equals_model() {
        let samples = [
            SRC,
            "FROM a\nONBUILD RUN [\"x\"]\nfrobnicate now\n",
            "# c\nFROM a\nENV x\n",
            "",
            "\u{feff}RUN <<A\nx\nA\n",
        ];
        for src in samples {
            assert_eq!(super::parse(src), parse(src).model(), "{src:?}");
        }
    }

    #[test]
    fn errors_carry_positions() {
        let m = parse("FROM a\nENV x\n").model();
        assert_eq!(m.errors[0].message, "ENV must have two arguments");
        assert_eq!(m.errors[0].span.start.line, 2);
    }
}
