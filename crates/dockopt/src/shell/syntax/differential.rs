//! Differential test: our tree against tree-sitter-bash's, on hand-written cases and on the
//! real-world corpus's RUN scripts. Compared: the sequence (preorder) of (kind, byte range)
//! of the named nodes whose kinds the shell module's walkers look at.
//!
//! Tools for working on the parser (run by hand):
//!   SH_DUMP='echo $x' cargo test -p dockopt --lib shell::syntax::differential::dump -- --ignored --nocapture
//!   SH_DIFFS=20 cargo test -p dockopt --lib shell::syntax::differential::corpus -- --nocapture
//!   cargo test --release -p dockopt --lib shell::syntax::differential::speed -- --ignored --nocapture

use std::ops::Range;
use std::path::{Path, PathBuf};

use super::{Node, parse};

/// The kinds compared: those the shell module's walkers (`shell/mod.rs`, `shell/words.rs`,
/// `shell/checks`) ask for.
const COMPARED: [&str; 52] = [
    "program",
    "comment",
    "list",
    "pipeline",
    "subshell",
    "compound_statement",
    "redirected_statement",
    "if_statement",
    "elif_clause",
    "else_clause",
    "for_statement",
    "c_style_for_statement",
    "while_statement",
    "do_group",
    "case_statement",
    "case_item",
    "function_definition",
    "command",
    "command_name",
    "variable_assignment",
    "variable_assignments",
    "declaration_command",
    "unset_command",
    "test_command",
    "word",
    "string",
    "raw_string",
    "ansi_c_string",
    "translated_string",
    "string_content",
    "concatenation",
    "simple_expansion",
    "expansion",
    "command_substitution",
    "process_substitution",
    "arithmetic_expansion",
    "variable_name",
    "file_redirect",
    "heredoc_redirect",
    "herestring_redirect",
    "heredoc_body",
    "file_descriptor",
    "number",
    "array",
    "binary_expression",
    "unary_expression",
    "test_operator",
    "subscript",
    "postfix_expression",
    "negated_command",
    "ERROR",
    "heredoc_end",
];

type Item = (String, Range<usize>);

fn ts_parse(text: &str) -> tree_sitter::Tree {
    let mut parser = tree_sitter::Parser::new();
    parser.set_language(&tree_sitter_bash::LANGUAGE.into()).expect("bash grammar");
    parser.parse(text, None).expect("a tree")
}

// `case` patterns are left out: tree-sitter-bash reads some as `extglob_pattern` and others as
// `word` by rules of its scanner that the walkers do not depend on (they read a pattern's text).

fn theirs(root: tree_sitter::Node) -> Vec<Item> {
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if node.is_named() && COMPARED.contains(&node.kind()) {
            out.push((node.kind().to_owned(), node.byte_range()));
        }
        let mut cursor = node.walk();
        let mut children = Vec::new();
        for (i, child) in node.children(&mut cursor).enumerate() {
            if node.kind() == "case_item" && node.field_name_for_child(i as u32) == Some("value") {
                continue;
            }
            children.push(child);
        }
        stack.extend(children.into_iter().rev());
    }
    out
}

fn ours(root: Node) -> Vec<Item> {
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if node.is_named() && COMPARED.contains(&node.kind()) {
            out.push((node.kind().to_owned(), node.byte_range()));
        }
        let case_item = node.kind() == "case_item";
        stack.extend(node.children().rev().filter(|c| !(case_item && c.field() == Some("value"))));
    }
    out
}

/// Where tree-sitter-bash misreads and we keep the shell's reading:
/// - it takes every word after a file redirect as its destination (`echo >&2 "message"` has
///   no argument); we keep them as the command's arguments;
/// - it ends a word at a `$` right after an expansion (`$A$B.tar` is `$A`, `$` and a new
///   word `B.tar`); we read one word with two expansions.
fn has_redirect_quirk(root: tree_sitter::Node) -> bool {
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if node.kind() == "file_redirect" {
            let mut cursor = node.walk();
            if node.children_by_field_name("destination", &mut cursor).count() > 1 {
                return true;
            }
        }
        if node.kind() == "concatenation"
            && node
                .child(node.child_count().saturating_sub(1))
                .is_some_and(|c| c.kind() == "$" && c.end_byte() == node.end_byte())
        {
            return true;
        }
        let mut cursor = node.walk();
        stack.extend(node.children(&mut cursor));
    }
    false
}

struct Outcome {
    /// Nodes of the `SHAPED` kinds in tree-sitter's tree, and how many of them we have with
    /// the same range and children (tokens and fields included).
    shapes: usize,
    shapes_matched: usize,
    identical: bool,
    quirk: bool,
    their_error: bool,
    our_error: bool,
    matched: usize,
    theirs: usize,
    ours: usize,
}

/// Nodes whose anonymous tokens or fields the walkers read (`then`, `+=`, `[[`, `((`, `&&`,
/// `operator:`, `name:`, `value:`, `body:` ...): their children are compared too.
const SHAPED: [&str; 15] = [
    "if_statement",
    "elif_clause",
    "else_clause",
    "variable_assignment",
    "test_command",
    "compound_statement",
    "list",
    "declaration_command",
    "binary_expression",
    "unary_expression",
    "postfix_expression",
    "for_statement",
    "case_statement",
    "function_definition",
    "command",
];

/// (kind, range, children as `field:kind`), newline tokens and comments left out.
type Shape = (String, Range<usize>, Vec<String>);

fn their_shapes(root: tree_sitter::Node) -> Vec<Shape> {
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        let mut cursor = node.walk();
        let children: Vec<_> = node.children(&mut cursor).collect();
        if SHAPED.contains(&node.kind()) {
            let shape = children
                .iter()
                .enumerate()
                .filter(|(_, c)| !matches!(c.kind(), "\n" | "comment"))
                .map(|(i, c)| format!("{}:{}", node.field_name_for_child(i as u32).unwrap_or(""), c.kind()))
                .collect();
            out.push((node.kind().to_owned(), node.byte_range(), shape));
        }
        stack.extend(children.into_iter().rev());
    }
    out
}

fn our_shapes(root: Node) -> Vec<Shape> {
    root.descendants()
        .filter(|n| SHAPED.contains(&n.kind()))
        .map(|n| {
            let shape = n
                .children()
                .filter(|c| !matches!(c.kind(), "\n" | "comment"))
                .map(|c| format!("{}:{}", c.field().unwrap_or(""), c.kind()))
                .collect();
            (n.kind().to_owned(), n.byte_range(), shape)
        })
        .collect()
}

fn compare(text: &str) -> Outcome {
    let ts = ts_parse(text);
    let their_items = theirs(ts.root_node());
    let tree = parse(text);
    let our_items = ours(tree.root_node());
    let mut pool: std::collections::HashMap<&Item, usize> = std::collections::HashMap::new();
    for item in &their_items {
        *pool.entry(item).or_default() += 1;
    }
    let mut matched = 0;
    for item in &our_items {
        if let Some(n) = pool.get_mut(item).filter(|n| **n > 0) {
            *n -= 1;
            matched += 1;
        }
    }
    let their_shapes = their_shapes(ts.root_node());
    let mut our_shapes: std::collections::HashSet<Shape> = our_shapes(tree.root_node()).into_iter().collect();
    let shapes_matched = their_shapes.iter().filter(|s| our_shapes.remove(*s)).count();
    Outcome {
        shapes: their_shapes.len(),
        shapes_matched,
        identical: their_items == our_items,
        quirk: has_redirect_quirk(ts.root_node()),
        their_error: ts.root_node().has_error(),
        our_error: tree.root_node().has_error(),
        matched,
        theirs: their_items.len(),
        ours: our_items.len(),
    }
}

fn show(text: &str) -> String {
    let ts = ts_parse(text);
    let tree = parse(text);
    let fmt = |items: &[Item]| {
        items.iter().map(|(k, r)| format!("  {k} {r:?} {:?}", &text[r.clone()])).collect::<Vec<_>>().join("\n")
    };
    format!(
        "script: {text:?}\ntree-sitter: {}\nours:        {}\n-- tree-sitter items:\n{}\n-- our items:\n{}",
        ts.root_node().to_sexp(),
        tree.root_node().to_sexp(),
        fmt(&theirs(ts.root_node())),
        fmt(&ours(tree.root_node()))
    )
}

/// Every construct, each where our tree must equal tree-sitter-bash's.
const SAME: &[&str] = &[
    "echo hello world",
    "apt-get update && apt-get install -y curl=7.* ; cd /x || exit 1",
    "a | b | c",
    "a && b || c && d",
    "a | b && c | d",
    "(cd /a && make)",
    "{ echo a; echo b; }",
    "echo $(wget -qO- y) `pwd`",
    "diff <(ls a) <(ls b)",
    "if [ \"$A\" = 1 ]; then x; elif [ -n \"$B\" ]; then y; else z; fi",
    "for i in a b c; do echo $i; done",
    "for ((i = 0; i < 10; i++)); do echo $i; done",
    "while read -r line; do echo \"$line\"; done",
    "until false; do :; done",
    "case \"$1\" in a) echo a;; b|c) echo bc;; *) echo other;; esac",
    "f() { echo f; }",
    "function g { echo g; }",
    "A=1 B=2 cmd arg",
    "A=1",
    "A=1 B=2",
    "export A=1 B",
    "local x=$(cmd)",
    "declare -a arr=(a b c)",
    "unset A B",
    "readonly X=1",
    "[[ $x == y ]] && echo yes",
    "[ -f /etc/x ] || exit 1",
    "test -f x",
    "echo 'raw' \"dq $x ${y:-z} $(c)\" $'ansi\\n' $\"tr\"",
    "echo ${#x} ${x%%.*} ${x#*/} ${x/a/b} ${x:0:1} ${!x} ${x[@]}",
    "echo $((1 + 2 * x)) $[3]",
    "(( i++ ))",
    "((x += 1))",
    "echo a > f 2>&1",
    "cmd >> log 2> err < in",
    "cmd &> /dev/null",
    "cat <<< \"$x\"",
    "cat <<EOF\nhello $name\nEOF\n",
    "cat <<'EOF' > /x\nraw $x\nEOF\n",
    "cat <<-EOF\n\tindented\n\tEOF\n",
    "echo a; echo b & echo c",
    "# comment\necho a # trailing\n",
    "echo --prefix=$HOME/x \"a\"'b'c",
    "echo {1..3} a{b,c}",
    "! grep -q x file",
    "arr[1]=x",
    "x+=y",
    "echo \"multi\nline\"",
    "curl -fsSL https://x | sh -",
    "VERSION=1.2.3; echo $VERSION",
    "echo 123 -1 0x1F 1.2",
    "[ \"$a\" -eq 1 -a \"$b\" -eq 2 ]",
    "[[ -n $x && -z $y ]]",
    "x=$(( a + b ))",
    "echo ${x:+y} ${x:-$(date)}",
    "cd /x && ./configure --prefix=/usr && make -j$(nproc) && make install",
    "while read -r l; do echo \"$l\"; done < /etc/list",
    "(cd /x; make) > log 2>&1",
    "a > f | b",
    "a && b > f && c",
    "cat <<EOF | sh\necho hi\nEOF\n",
    "cat <<EOF && echo done\nbody\nEOF\n",
    "grep x <<< \"$y\" | wc -l",
    "! [ -f x ] && touch x",
    "arr=(one \"two three\" $four)",
    "echo $[1+2] $((a ? b : c)) $((x << 2))",
    "select x in a b; do echo $x; break; done",
    "case $1 in a) x;& b) y;;& *) z;; esac",
    "function h() { :; }",
    "echo \"$(echo \"$(date)\")\"",
    "[[ $x =~ ^v[0-9]+$ ]]",
    "echo a; # comment ; not code\necho b",
    "unset -f fn; unset -v var",
    "declare -A map; local -r ro=1; typeset -i n=2; export -p",
    "echo \\$HOME a\\ b \\\"q\\\"",
    "if true; then :; fi > /dev/null",
    "for f in *.txt; do mv \"$f\" \"${f%.txt}.md\"; done",
    "x=${y:-${z:-default}}",
    "echo ${#arr[@]} ${arr[0]} ${!prefix*}",
    "time make",
    "exec 3>&1 4>&2",
    "cmd 2>&1 | tee log",
    "echo $'a\\'b' \"\\$x\"",
    "FOO=bar; export FOO",
    "trap 'rm -f $tmp' EXIT",
    "find . -name '*.o' -exec rm {} \\;",
    "( ( nested ) )",
    "{ a; b; } | c",
    "until [ -f /ready ]; do sleep 1; done",
];

/// Deliberate differences, with the reason: our tree is the shell's reading.
const DIFFERENT: &[(&str, &str)] = &[
    ("echo >&2 \"error: x\"", "tree-sitter-bash takes the message as a second redirect destination"),
    ("cmd 2>/dev/null arg", "tree-sitter-bash takes `arg` as a second redirect destination"),
    ("tar czf /o/$A$B.tar.gz", "tree-sitter-bash ends the word at the second `$`"),
];

#[test]
fn hand_written_cases_agree_with_tree_sitter() {
    let mut failures = Vec::new();
    for text in SAME {
        let outcome = compare(text);
        if !outcome.identical {
            failures.push(show(text));
        } else if outcome.shapes_matched < outcome.shapes {
            let ts = ts_parse(text);
            let ours: std::collections::HashSet<Shape> = our_shapes(parse(text).root_node()).into_iter().collect();
            let theirs: Vec<Shape> = their_shapes(ts.root_node()).into_iter().filter(|s| !ours.contains(s)).collect();
            let mine: Vec<&Shape> = ours.iter().filter(|o| theirs.iter().any(|t| t.0 == o.0 && t.1 == o.1)).collect();
            failures.push(format!("script: {text:?}\ntree-sitter children: {theirs:?}\nours: {mine:?}"));
        }
    }
    assert!(failures.is_empty(), "{} of {} differ:\n{}", failures.len(), SAME.len(), failures.join("\n\n"));
}

#[test]
fn deliberate_differences() {
    for (text, why) in DIFFERENT {
        let outcome = compare(text);
        assert!(outcome.quirk && !outcome.identical, "{why}: expected a difference\n{}", show(text));
        // The words after the redirect are the command's arguments.
        let tree = parse(text);
        let command = tree.root_node().descendants().find(|n| n.kind() == "command").expect("a command");
        let last = command.named_children().last().expect("children");
        assert_eq!(last.end_byte(), text.len(), "{}", tree.root_node().to_sexp());
    }
}

/// Development aid: print both trees of `SH_DUMP`.
#[test]
#[ignore]
fn dump() {
    let text = std::env::var("SH_DUMP").unwrap_or_default();
    println!("{}", show(&text));
}

fn corpus_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("DOCKOPT_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"))
        .join("realworld");
    dir.is_dir().then_some(dir)
}

/// The corpus's shell-form RUN scripts (heredoc markers blanked, as the linter does) and the
/// bodies of RUN heredocs.
fn corpus_scripts(dir: &Path) -> (Vec<String>, Vec<String>) {
    let marker = regex::Regex::new(r#"[0-9]*<<-?[ \t]*("[^"]*"|'[^']*'|[^\s<>|&;()]+)"#).expect("pattern");
    let mut files: Vec<PathBuf> = walk(dir);
    files.sort();
    let (mut lines, mut bodies) = (Vec::new(), Vec::new());
    for path in files {
        let Ok(bytes) = std::fs::read(&path) else { continue };
        let text = String::from_utf8_lossy(&bytes);
        let dockerfile = crate::parse(&text);
        for ins in &dockerfile.model().instructions {
            if ins.keyword == "RUN"
                && ins.form == Some(crate::model::Form::Shell)
                && let Some(body) = ins.arguments.first()
            {
                let masked = marker.replace_all(body, |c: &regex::Captures| " ".repeat(c[0].len()));
                lines.push(masked.into_owned());
            }
        }
        for ins in &dockerfile.syntax().instructions {
            if ins.command().keyword().eq_ignore_ascii_case("RUN") {
                for doc in ins.heredocs() {
                    bodies.push(text[doc.body.clone()].to_owned());
                }
            }
        }
    }
    (lines, bodies)
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.file_name().is_some_and(|n| n != "MANIFEST.tsv") {
                out.push(path);
            }
        }
    }
    out
}

#[derive(Default, Debug)]
struct Tally {
    scripts: usize,
    identical: usize,
    quirk: usize,
    their_errors: usize,
    our_errors: usize,
    matched: usize,
    theirs: usize,
    ours: usize,
    shapes: usize,
    shapes_matched: usize,
    /// Scripts where one parser sees an error and the other does not.
    errors_disagree: usize,
}

/// The first place where the two item lists part, with a little context.
fn first_difference(text: &str) -> String {
    let ts = ts_parse(text);
    let (a, b) = (theirs(ts.root_node()), ours(parse(text).root_node()));
    let at = a.iter().zip(&b).position(|(x, y)| x != y).unwrap_or(a.len().min(b.len()));
    let fmt = |items: &[Item]| {
        let from = at.saturating_sub(2);
        items[from.min(items.len())..(at + 4).min(items.len())]
            .iter()
            .map(|(k, r)| format!("    {k} {r:?} {:?}", &text[r.clone()]))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let around = |items: &[Item]| items.get(at).map_or(0..0, |(_, r)| r.clone());
    let r = around(&a).start.min(around(&b).start);
    let context =
        &text[text.floor_char_boundary(r.saturating_sub(60))..text.ceil_char_boundary((r + 80).min(text.len()))];
    format!("near {context:?}\n  tree-sitter:\n{}\n  ours:\n{}", fmt(&a), fmt(&b))
}

fn tally(scripts: &[String], show_diffs: usize) -> Tally {
    let mut t = Tally::default();
    let mut shown = 0;
    let mut seen = std::collections::HashSet::new();
    for text in scripts {
        let o = compare(text);
        t.scripts += 1;
        t.identical += usize::from(o.identical);
        t.quirk += usize::from(!o.identical && o.quirk);
        t.their_errors += usize::from(o.their_error);
        t.our_errors += usize::from(o.our_error);
        t.matched += o.matched;
        t.theirs += o.theirs;
        t.ours += o.ours;
        t.shapes += o.shapes;
        t.errors_disagree += usize::from(o.their_error != o.our_error);
        t.shapes_matched += o.shapes_matched;
        if o.their_error && !o.our_error && shown < show_diffs && seen.insert(text.clone()) {
            shown += 1;
            println!("---- only tree-sitter sees an error {shown}\n{text:?}\n");
        }
        if o.our_error && !o.their_error && shown < show_diffs && seen.insert(text.clone()) {
            shown += 1;
            println!("---- only we see an error {shown}\n{}\n", show(text));
        }
        if !o.quirk && !o.their_error && o.shapes_matched < o.shapes && shown < show_diffs && seen.insert(text.clone())
        {
            shown += 1;
            let ts = ts_parse(text);
            let ours: std::collections::HashSet<Shape> = our_shapes(parse(text).root_node()).into_iter().collect();
            let first = their_shapes(ts.root_node()).into_iter().find(|s| !ours.contains(s));
            let mine = first.as_ref().and_then(|f| ours.iter().find(|o| o.0 == f.0 && o.1 == f.1));
            println!("---- shape {shown}\n  {text:?}\n  tree-sitter: {first:?}\n  ours:        {mine:?}\n");
        }
        if !o.identical && !o.quirk && !o.their_error && shown < show_diffs && seen.insert(text.clone()) {
            shown += 1;
            println!("---- difference {shown}\n{}\n", first_difference(text));
        }
    }
    t
}

#[test]
fn corpus() {
    let Some(dir) = corpus_dir() else {
        println!("SKIPPED: no corpus at ../shared/corpus/realworld (set DOCKOPT_CORPUS)");
        return;
    };
    let (lines, bodies) = corpus_scripts(&dir);
    let show_diffs = std::env::var("SH_DIFFS").ok().and_then(|v| v.parse().ok()).unwrap_or(0);
    let lines = tally(&lines, show_diffs);
    let bodies = tally(&bodies, show_diffs);
    for (what, t) in [("RUN lines", &lines), ("RUN heredoc bodies", &bodies)] {
        println!(
            "{what}: {} scripts, {} identical, {} differ only where tree-sitter misreads (redirect destinations, `$A$B`), {} with tree-sitter errors, {} with our errors ({} disagree); nodes: {} of tree-sitter's {} matched (ours: {}); children with tokens and fields of {} of tree-sitter's {} inspected nodes identical",
            t.scripts,
            t.identical,
            t.quirk,
            t.their_errors,
            t.our_errors,
            t.errors_disagree,
            t.matched,
            t.theirs,
            t.ours,
            t.shapes_matched,
            t.shapes
        );
    }
    // Floors against regressions; raise them as the parser improves.
    assert!(lines.identical * 100 >= lines.scripts * 97, "{lines:?}");
    assert!(lines.errors_disagree + bodies.errors_disagree <= 2, "{lines:?} {bodies:?}");
}

/// Throughput on the corpus's RUN lines (not a timed test: it prints MB/s).
#[test]
#[ignore]
fn speed() {
    let Some(dir) = corpus_dir() else {
        println!("SKIPPED: no corpus");
        return;
    };
    let (lines, _) = corpus_scripts(&dir);
    let bytes: usize = lines.iter().map(String::len).sum();
    let rounds = 11;
    let mut ts_parser = tree_sitter::Parser::new();
    ts_parser.set_language(&tree_sitter_bash::LANGUAGE.into()).expect("grammar");
    let mut ours_ms = Vec::new();
    let mut theirs_ms = Vec::new();
    let mut nodes = 0;
    for _ in 0..rounds {
        let start = std::time::Instant::now();
        for text in &lines {
            nodes += parse(text).len();
        }
        ours_ms.push(start.elapsed().as_secs_f64() * 1e3);
        let start = std::time::Instant::now();
        for text in &lines {
            nodes += usize::from(ts_parser.parse(text, None).is_some());
        }
        theirs_ms.push(start.elapsed().as_secs_f64() * 1e3);
    }
    ours_ms.sort_by(f64::total_cmp);
    theirs_ms.sort_by(f64::total_cmp);
    // Wall time on a shared machine: the median of the rounds.
    let (o, t) = (ours_ms[rounds / 2], theirs_ms[rounds / 2]);
    let mb = bytes as f64 / 1e6;
    println!(
        "{} scripts, {bytes} bytes: ours {o:.1} ms ({:.0} MB/s), tree-sitter {t:.1} ms ({:.1} MB/s); {:.1}x ({nodes})",
        lines.len(),
        mb / (o / 1e3),
        mb / (t / 1e3),
        t / o
    );
}
