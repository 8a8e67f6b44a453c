//! The syntax tree: a flat arena of nodes with tree-sitter-bash's node kinds and field names,
//! and a small `Node` handle with the methods the shell module's walkers use.

use std::ops::Range;

/// A node kind. Named kinds carry tree-sitter-bash's names; every anonymous token (`&&`,
/// `then`, `"` ...) is [`Kind::Token`], whose name is its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Kind {
    Program,
    Comment,
    List,
    Pipeline,
    Subshell,
    CompoundStatement,
    RedirectedStatement,
    IfStatement,
    ElifClause,
    ElseClause,
    ForStatement,
    CStyleForStatement,
    WhileStatement,
    DoGroup,
    CaseStatement,
    CaseItem,
    FunctionDefinition,
    NegatedCommand,
    Command,
    CommandName,
    VariableAssignment,
    VariableAssignments,
    DeclarationCommand,
    UnsetCommand,
    TestCommand,
    Word,
    String,
    RawString,
    AnsiCString,
    TranslatedString,
    StringContent,
    Concatenation,
    SimpleExpansion,
    Expansion,
    CommandSubstitution,
    ProcessSubstitution,
    ArithmeticExpansion,
    BraceExpression,
    VariableName,
    SpecialVariableName,
    FileRedirect,
    HeredocRedirect,
    HerestringRedirect,
    HeredocStart,
    HeredocBody,
    HeredocContent,
    HeredocEnd,
    FileDescriptor,
    Number,
    Array,
    BinaryExpression,
    UnaryExpression,
    TernaryExpression,
    PostfixExpression,
    ParenthesizedExpression,
    TestOperator,
    Subscript,
    Regex,
    ExtglobPattern,
    /// Text the parser could not read (tree-sitter's `ERROR`).
    Error,
    /// An anonymous token; its kind name is its text.
    Token,
}

impl Kind {
    /// tree-sitter-bash's name of a named kind (`Token` has none: see [`Node::kind`]).
    pub fn name(self) -> &'static str {
        use Kind::*;
        match self {
            Program => "program",
            Comment => "comment",
            List => "list",
            Pipeline => "pipeline",
            Subshell => "subshell",
            CompoundStatement => "compound_statement",
            RedirectedStatement => "redirected_statement",
            IfStatement => "if_statement",
            ElifClause => "elif_clause",
            ElseClause => "else_clause",
            ForStatement => "for_statement",
            CStyleForStatement => "c_style_for_statement",
            WhileStatement => "while_statement",
            DoGroup => "do_group",
            CaseStatement => "case_statement",
            CaseItem => "case_item",
            FunctionDefinition => "function_definition",
            NegatedCommand => "negated_command",
            Command => "command",
            CommandName => "command_name",
            VariableAssignment => "variable_assignment",
            VariableAssignments => "variable_assignments",
            DeclarationCommand => "declaration_command",
            UnsetCommand => "unset_command",
            TestCommand => "test_command",
            Word => "word",
            String => "string",
            RawString => "raw_string",
            AnsiCString => "ansi_c_string",
            TranslatedString => "translated_string",
            StringContent => "string_content",
            Concatenation => "concatenation",
            SimpleExpansion => "simple_expansion",
            Expansion => "expansion",
            CommandSubstitution => "command_substitution",
            ProcessSubstitution => "process_substitution",
            ArithmeticExpansion => "arithmetic_expansion",
            BraceExpression => "brace_expression",
            VariableName => "variable_name",
            SpecialVariableName => "special_variable_name",
            FileRedirect => "file_redirect",
            HeredocRedirect => "heredoc_redirect",
            HerestringRedirect => "herestring_redirect",
            HeredocStart => "heredoc_start",
            HeredocBody => "heredoc_body",
            HeredocContent => "heredoc_content",
            HeredocEnd => "heredoc_end",
            FileDescriptor => "file_descriptor",
            Number => "number",
            Array => "array",
            BinaryExpression => "binary_expression",
            UnaryExpression => "unary_expression",
            TernaryExpression => "ternary_expression",
            PostfixExpression => "postfix_expression",
            ParenthesizedExpression => "parenthesized_expression",
            TestOperator => "test_operator",
            Subscript => "subscript",
            Regex => "regex",
            ExtglobPattern => "extglob_pattern",
            Error => "ERROR",
            Token => "",
        }
    }

    pub fn is_named(self) -> bool {
        self != Kind::Token
    }
}

/// The field a node fills in its parent, as tree-sitter-bash names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Field {
    None,
    Body,
    Name,
    Value,
    Operator,
    Left,
    Right,
    Variable,
    Condition,
    Argument,
    Redirect,
    Descriptor,
    Destination,
    Index,
}

impl Field {
    pub fn name(self) -> Option<&'static str> {
        Some(match self {
            Field::None => return None,
            Field::Body => "body",
            Field::Name => "name",
            Field::Value => "value",
            Field::Operator => "operator",
            Field::Left => "left",
            Field::Right => "right",
            Field::Variable => "variable",
            Field::Condition => "condition",
            Field::Argument => "argument",
            Field::Redirect => "redirect",
            Field::Descriptor => "descriptor",
            Field::Destination => "destination",
            Field::Index => "index",
        })
    }

    fn of_name(name: &str) -> Option<Field> {
        Some(match name {
            "body" => Field::Body,
            "name" => Field::Name,
            "value" => Field::Value,
            "operator" => Field::Operator,
            "left" => Field::Left,
            "right" => Field::Right,
            "variable" => Field::Variable,
            "condition" => Field::Condition,
            "argument" => Field::Argument,
            "redirect" => Field::Redirect,
            "descriptor" => Field::Descriptor,
            "destination" => Field::Destination,
            "index" => Field::Index,
            _ => return None,
        })
    }
}

const NONE: u32 = u32::MAX;

#[derive(Debug, Clone, Copy)]
pub(super) struct NodeData {
    pub kind: Kind,
    pub field: Field,
    /// The node is an error or contains one.
    pub error: bool,
    pub start: u32,
    pub end: u32,
    pub parent: u32,
    /// The node's children are `kids[first..first + count]`.
    pub first: u32,
    pub count: u32,
}

impl NodeData {
    /// A node with no field and no parent yet; its children are `kids[first..first + count]`.
    fn new(kind: Kind, error: bool, (start, end): (u32, u32), first: u32, count: usize) -> NodeData {
        NodeData { kind, field: Field::None, error, start, end, parent: NONE, first, count: count as u32 }
    }
}

/// A parsed script. Nodes are stored children before parents; the root is the last node.
#[derive(Debug, Clone)]
pub struct Tree<'s> {
    source: &'s str,
    nodes: Vec<NodeData>,
    kids: Vec<u32>,
    /// Nesting reached [`MAX_DEPTH`](super::MAX_DEPTH): the rest of the script is an error node.
    too_deep: bool,
}

impl<'s> Tree<'s> {
    /// Nesting reached [`MAX_DEPTH`](super::MAX_DEPTH) and the rest was not parsed.
    pub fn too_deep(&self) -> bool {
        self.too_deep
    }

    pub fn root_node(&self) -> Node<'_> {
        Node { tree: self, id: (self.nodes.len() - 1) as u32 }
    }

    /// Number of nodes (named and anonymous).
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.nodes.len()
    }
}

/// A node of a [`Tree`]: a cheap copyable handle.
#[derive(Clone, Copy)]
pub struct Node<'t> {
    tree: &'t Tree<'t>,
    id: u32,
}

impl PartialEq for Node<'_> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.tree, other.tree) && self.id == other.id
    }
}

impl Eq for Node<'_> {}

impl std::fmt::Debug for Node<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {:?}", self.kind(), self.byte_range())
    }
}

impl<'t> Node<'t> {
    fn data(&self) -> &'t NodeData {
        &self.tree.nodes[self.id as usize]
    }

    fn at(&self, id: u32) -> Node<'t> {
        Node { tree: self.tree, id }
    }

    /// The kind's name: tree-sitter-bash's name for named nodes, the text for tokens.
    pub fn kind(&self) -> &'t str {
        let data = self.data();
        match data.kind {
            Kind::Token => &self.tree.source[data.start as usize..data.end as usize],
            kind => kind.name(),
        }
    }

    pub fn kind_id(&self) -> Kind {
        self.data().kind
    }

    pub fn is_named(&self) -> bool {
        self.data().kind.is_named()
    }

    pub fn is_error(&self) -> bool {
        self.data().kind == Kind::Error
    }

    /// The node is an error or contains one.
    pub fn has_error(&self) -> bool {
        self.data().error
    }

    pub fn start_byte(&self) -> usize {
        self.data().start as usize
    }

    pub fn end_byte(&self) -> usize {
        self.data().end as usize
    }

    pub fn byte_range(&self) -> Range<usize> {
        self.start_byte()..self.end_byte()
    }

    /// The source text of the node.
    pub fn text(&self) -> &'t str {
        &self.tree.source[self.byte_range()]
    }

    pub fn field(&self) -> Option<&'static str> {
        self.data().field.name()
    }

    pub fn parent(&self) -> Option<Node<'t>> {
        let parent = self.data().parent;
        (parent != NONE).then(|| self.at(parent))
    }

    pub fn child_count(&self) -> usize {
        self.data().count as usize
    }

    pub fn children(&self) -> impl DoubleEndedIterator<Item = Node<'t>> + ExactSizeIterator + 't {
        let data = self.data();
        let tree = self.tree;
        tree.kids[data.first as usize..(data.first + data.count) as usize].iter().map(move |&id| Node { tree, id })
    }

    pub fn named_children(&self) -> impl DoubleEndedIterator<Item = Node<'t>> + 't {
        self.children().filter(Node::is_named)
    }

    pub fn child(&self, index: usize) -> Option<Node<'t>> {
        self.children().nth(index)
    }

    pub fn named_child(&self, index: usize) -> Option<Node<'t>> {
        self.named_children().nth(index)
    }

    pub fn named_child_count(&self) -> usize {
        self.named_children().count()
    }

    pub fn child_by_field_name(&self, name: &str) -> Option<Node<'t>> {
        self.children_by_field_name(name).next()
    }

    pub fn children_by_field_name(&self, name: &str) -> impl Iterator<Item = Node<'t>> + 't {
        let field = Field::of_name(name);
        self.children().filter(move |c| field.is_some_and(|f| c.data().field == f))
    }

    /// This node and every node inside it, parents before children.
    pub fn descendants(&self) -> impl Iterator<Item = Node<'t>> + 't {
        let mut stack = vec![*self];
        std::iter::from_fn(move || {
            let node = stack.pop()?;
            stack.extend(node.children().rev());
            Some(node)
        })
    }

    /// An S-expression of the named nodes, like tree-sitter's `to_sexp` (for tests).
    pub fn to_sexp(self) -> String {
        let mut out = String::new();
        self.write_sexp(&mut out);
        out
    }

    fn write_sexp(&self, out: &mut String) {
        out.push('(');
        out.push_str(self.kind());
        for child in self.named_children() {
            out.push(' ');
            if let Some(field) = child.field() {
                out.push_str(field);
                out.push_str(": ");
            }
            child.write_sexp(out);
        }
        out.push(')');
    }
}

/// Builds a [`Tree`] bottom-up: finished nodes wait on a stack until their parent is finished
/// around them (`mark` before the first child, `finish` after the last).
pub(super) struct Builder {
    nodes: Vec<NodeData>,
    kids: Vec<u32>,
    stack: Vec<u32>,
}

impl Builder {
    pub fn new(capacity: usize) -> Builder {
        Builder { nodes: Vec::with_capacity(capacity), kids: Vec::with_capacity(capacity), stack: Vec::new() }
    }

    /// A leaf node over `range`.
    pub fn leaf(&mut self, kind: Kind, start: usize, end: usize) -> u32 {
        let id = self.nodes.len() as u32;
        self.nodes.push(NodeData::new(kind, kind == Kind::Error, (start as u32, end as u32), 0, 0));
        self.stack.push(id);
        id
    }

    pub fn mark(&self) -> usize {
        self.stack.len()
    }

    /// Set the field of the last finished node.
    pub fn field(&mut self, field: Field) {
        if let Some(&id) = self.stack.last() {
            self.nodes[id as usize].field = field;
        }
    }

    /// Set the field of the node at stack position `at`.
    pub fn field_at(&mut self, at: usize, field: Field) {
        if let Some(&id) = self.stack.get(at) {
            self.nodes[id as usize].field = field;
        }
    }

    /// Set the field of the nodes from stack position `from` on (comments keep none).
    pub fn field_from(&mut self, from: usize, field: Field) {
        for &id in self.stack.get(from..).unwrap_or_default() {
            let data = &mut self.nodes[id as usize];
            if data.kind != Kind::Comment {
                data.field = field;
            }
        }
    }

    /// Change the kind of the node at stack position `at`.
    pub fn kind_to(&mut self, at: usize, kind: Kind) {
        if let Some(&id) = self.stack.get(at) {
            self.nodes[id as usize].kind = kind;
        }
    }

    /// Set the byte range of the last finished node.
    pub fn span(&mut self, start: usize, end: usize) {
        if let Some(&id) = self.stack.last() {
            let data = &mut self.nodes[id as usize];
            (data.start, data.end) = (start as u32, end as u32);
        }
    }

    /// Mark the last finished node as an error.
    pub fn flag_error(&mut self) {
        if let Some(&id) = self.stack.last() {
            self.nodes[id as usize].error = true;
        }
    }

    /// Make the nodes since `mark` the children of a new node of `kind`. Comments at either
    /// end stay outside (in the parent), as tree-sitter leaves extras out of a reduced node.
    pub fn finish(&mut self, mark: usize, kind: Kind) {
        self.finish_range(mark, self.stack.len(), kind);
    }

    /// Make the nodes from stack position `from` to `to` the children of a new node.
    pub fn finish_range(&mut self, from: usize, to: usize, kind: Kind) {
        let is_comment = |b: &Builder, at: usize| b.nodes[b.stack[at] as usize].kind == Kind::Comment;
        let mut start = from.min(self.stack.len());
        let mut end = to.min(self.stack.len()).max(start);
        while start < end && is_comment(self, start) {
            start += 1;
        }
        while end > start && is_comment(self, end - 1) {
            end -= 1;
        }
        let id = self.nodes.len() as u32;
        let first = self.kids.len() as u32;
        let (child_error, mut lo, mut hi) = self.adopt(start, end);
        let error = child_error || kind == Kind::Error;
        if lo == u32::MAX {
            // An empty node sits where its children would have been.
            let at = self.stack.get(start.wrapping_sub(1)).map_or(0, |&p| self.nodes[p as usize].end);
            (lo, hi) = (at, at);
        }
        self.nodes.push(NodeData::new(kind, error, (lo, hi), first, end - start));
        self.stack.splice(start..end, [id]);
    }

    /// Make the nodes at stack positions `from..to` children of the node about to be pushed:
    /// whether any has an error, and the lowest start and highest end (`u32::MAX, 0` if none).
    fn adopt(&mut self, from: usize, to: usize) -> (bool, u32, u32) {
        let parent = self.nodes.len() as u32;
        let (mut error, mut lo, mut hi) = (false, u32::MAX, 0);
        for &child in &self.stack[from..to] {
            let data = &mut self.nodes[child as usize];
            data.parent = parent;
            error |= data.error;
            lo = lo.min(data.start);
            hi = hi.max(data.end);
            self.kids.push(child);
        }
        (error, lo, hi)
    }

    /// The root over everything left on the stack, spanning the whole source; `too_deep`:
    /// parsing stopped at the nesting bound.
    pub fn root(mut self, source: &str, kind: Kind, too_deep: bool) -> Tree<'_> {
        let first = self.kids.len() as u32;
        let (error, mut lo, mut hi) = self.adopt(0, self.stack.len());
        if lo == u32::MAX {
            lo = source.len() as u32;
        }
        // Like tree-sitter, the root ends at the end of the text (trailing blanks included).
        hi = hi.max(source.len() as u32);
        self.nodes.push(NodeData::new(kind, error, (lo, hi), first, self.stack.len()));
        Tree { source, nodes: self.nodes, kids: self.kids, too_deep }
    }
}
