//! The file as BuildKit's parser reports it: one node per instruction with exactly the
//! fields of BuildKit's `parser.Node` (as the `buildkit-json` output and the conformance
//! tests use them), and BuildKit's `Dump()` text.

use serde::Serialize;

use crate::syntax::{CommandRef, Instruction, Syntax, go};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Node {
    pub cmd: String,
    pub sub_cmd: Option<String>,
    pub json: bool,
    pub original: String,
    pub start_line: usize,
    pub end_line: usize,
    pub flags: Vec<String>,
    pub value: Vec<String>,
    pub heredocs: Vec<NodeHeredoc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NodeHeredoc {
    pub name: String,
    pub file_descriptor: u64,
    pub content: String,
    pub expand: bool,
    pub chomp: bool,
}

/// BuildKit's rejection of a file: its message and 1-based lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    pub message: String,
    pub start_line: usize,
    pub end_line: usize,
}

/// The nodes BuildKit's parser gives for `src`, or the error it stops with.
pub fn nodes(src: &str, syntax: &Syntax) -> Result<Vec<Node>, Rejection> {
    iter_nodes(src, syntax).map(Iterator::collect)
}

/// [`nodes`] one at a time, so that a huge file's nodes can be written out without holding
/// them all.
pub fn iter_nodes<'a>(src: &'a str, syntax: &'a Syntax) -> Result<impl Iterator<Item = Node> + 'a, Rejection> {
    if let Some(e) = syntax.errors.first() {
        return Err(Rejection { message: e.message.clone(), start_line: e.start_line, end_line: e.end_line });
    }
    Ok(syntax.instructions.iter().map(move |ins| node(src, ins)))
}

fn node(src: &str, ins: &Instruction) -> Node {
    let c = ins.command();
    let owned = |words: crate::syntax::command::Words| words.map(str::to_owned).collect();
    let (sub_cmd, json, value) = match c.onbuild() {
        // A nested ONBUILD's only value is the empty node that holds its own instruction.
        Some(inner) if inner.onbuild().is_some() => {
            (Some(inner.keyword().to_owned()), inner.json(), vec![String::new()])
        }
        Some(inner) => (Some(inner.keyword().to_owned()), inner.json(), owned(inner.values())),
        None => (None, c.json(), owned(c.values())),
    };
    // BuildKit's reported `original` appends each heredoc: its body, then its name.
    let mut original = ins.logical.to_string();
    if !ins.heredocs().is_empty() {
        original.push('\n');
        for h in ins.heredocs() {
            original.push_str(&src[h.body.clone()]);
            original.push_str(&h.name);
            original.push('\n');
        }
    }
    Node {
        cmd: c.keyword().to_owned(),
        sub_cmd,
        json,
        original,
        start_line: ins.start_line as usize,
        end_line: ins.end_line as usize,
        flags: owned(c.flags()),
        value,
        heredocs: ins
            .heredocs()
            .iter()
            .map(|h| NodeHeredoc {
                name: h.name.clone(),
                file_descriptor: h.fd,
                content: src[h.body.clone()].to_owned(),
                expand: h.expand,
                chomp: h.chomp,
            })
            .collect(),
    }
}

/// BuildKit's `Node.Dump()` of one instruction, e.g. `(copy ["--from=a"] "x" "y")` without
/// the parentheses.
pub fn dump(ins: &Instruction) -> String {
    fn command(c: CommandRef) -> String {
        let mut out = c.keyword().to_lowercase();
        if c.flags().len() > 0 {
            let flags: Vec<String> = c.flags().map(go::quote).collect();
            out.push_str(&format!(" [{}]", flags.join(" ")));
        }
        if let Some(inner) = c.onbuild() {
            out.push_str(&format!(" ({})", command(inner)));
        }
        for v in c.values() {
            out.push(' ');
            out.push_str(&go::quote(v));
        }
        go::trim_space(&out).to_owned()
    }
    command(ins.command())
}

/// BuildKit's dump of the whole file, as in its parser test `result` files.
pub fn dump_file(syntax: &Syntax) -> String {
    syntax.instructions.iter().map(|ins| format!("({})\n", dump(ins))).collect()
}
