//! The parser's guarantees: no panic on any input, bounded nesting, linear time, and a
//! well-formed tree (children inside their parent, in order, on character boundaries).

use proptest::prelude::*;

use super::{MAX_DEPTH, Node, parse};

/// Check the tree's shape and the analysis (`shell::check_invariants`); the node count.
fn check(text: &str) -> usize {
    let count = crate::shell::check_invariants(text);
    assert_eq!(count, parse(text).len());
    count
}

fn depth(node: Node) -> usize {
    let mut deepest = 0;
    let mut stack = vec![(node, 1)];
    while let Some((n, d)) = stack.pop() {
        deepest = deepest.max(d);
        stack.extend(n.children().map(|c| (c, d + 1)));
    }
    deepest
}

#[test]
fn simple_tree() {
    let tree = parse("apt-get install -y curl && rm -rf /var/lib/apt/lists/*");
    assert_eq!(
        tree.root_node().to_sexp(),
        "(program (list (command name: (command_name (word)) argument: (word) argument: (word) argument: (word)) \
         (command name: (command_name (word)) argument: (word) argument: (word))))"
    );
    let list = tree.root_node().named_child(0).unwrap();
    let operator: Vec<&str> = list.children().filter(|c| !c.is_named()).map(|c| c.kind()).collect();
    assert_eq!(operator, ["&&"]);
    assert!(!tree.root_node().has_error());
}

#[test]
fn errors_are_marked_and_parsing_goes_on() {
    for text in ["echo 'unterminated", "echo $(ls", "if true; then echo", "echo \"x", "fi; echo after", "echo ${x"] {
        let tree = parse(text);
        assert!(tree.root_node().has_error(), "{text}: {}", tree.root_node().to_sexp());
        check(text);
    }
    let tree = parse("fi; echo after");
    assert!(tree.root_node().descendants().any(|n| n.kind() == "command" && n.text() == "echo after"));
}

#[test]
fn nesting_is_bounded() {
    for (open, close) in [("$(", ")"), ("(", ")"), ("{ ", "; }"), ("\"$(", ")\""), ("${x:-", "}"), ("$((", "))")] {
        let n = 10_000;
        let text = format!("{}echo x{}", open.repeat(n), close.repeat(n));
        let tree = parse(&text);
        assert!(tree.root_node().has_error(), "{open}");
        assert!(depth(tree.root_node()) < MAX_DEPTH * 4 + 10, "{open}: {}", depth(tree.root_node()));
        check(&text);
    }
    let shallow = "echo $(echo $(echo $(echo x)))";
    assert!(!parse(shallow).root_node().has_error());
}

#[test]
fn time_is_linear() {
    // Inputs that make backtracking parsers quadratic: long lists, many unclosed quotes and
    // substitutions, long words, many heredocs.
    let cases = [
        "a && ".repeat(20_000) + "b",
        "echo \"".repeat(20_000),
        "$(".repeat(20_000),
        "x".repeat(200_000),
        "cat <<E\n".repeat(5_000),
        "[ ".repeat(20_000),
        "case x in ".repeat(5_000),
        "${".repeat(20_000),
        "a=(".repeat(20_000),
        "((".repeat(20_000),
        "<<".repeat(20_000),
        "$((echo a) ".repeat(20_000),
        "$(( (".repeat(20_000),
        "(( (".repeat(20_000),
        "a\\\n".repeat(50_000),
        "cat <<A; ".repeat(5_000) + "\n",
        "export ".to_owned() + &"a[ ".repeat(40_000),
    ];
    let start = std::time::Instant::now();
    for text in &cases {
        check(text);
    }
    assert!(start.elapsed() < std::time::Duration::from_secs(20), "{:?}", start.elapsed());
}

const SEEDS: &[&str] = &[
    "apt-get update && apt-get install -y curl=7.* ; cd /x || exit 1",
    "if [ \"$A\" = 1 ]; then x; elif [[ -n $B ]]; then y; else z; fi",
    "for i in a b; do echo ${i:-x} $((i+1)); done | tee log >&2",
    "case $x in a|b) f() { echo 'q' \"$(date)\"; };; esac",
    "cat <<EOF > /x\nhello $name\nEOF\necho `pwd` <(ls) $'a\\n' arr=(1 2)",
    "while read -r l; do (( n++ )); done < f; for ((i=0;i<3;i++)); do :; done",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let text = String::from_utf8_lossy(&bytes);
        check(&text);
    }

    #[test]
    fn shell_like_text_never_panics(text in "[ -~\\n\\t]{0,120}") {
        check(&text);
    }

    #[test]
    fn mutated_scripts_never_panic(seed in 0..SEEDS.len(), at in any::<usize>(), cut in 0usize..8, insert in "[\\x00-\\x7f]{0,4}") {
        let script = SEEDS[seed];
        let at = at % (script.len() + 1);
        let end = (at + cut).min(script.len());
        let text = format!("{}{}{}", &script[..at], insert, &script[end..]);
        check(&text);
    }
}

/// Every corpus script, cut and spliced at many places, parses without panicking.
#[test]
fn mutated_corpus_scripts_never_panic() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/realworld");
    if !dir.is_dir() {
        println!("SKIPPED: no corpus");
        return;
    }
    let mut n = 0;
    let mut state = 0x2545_f491_u64;
    let mut next = |m: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % m.max(1) as u64) as usize
    };
    let tokens = ["$(", ")", "\"", "'", "`", "${", "}", "<<E\n", "\n", "((", "[[", "]", "|", "&&", ";;", "\\"];
    for entry in walkdir(&dir) {
        let Ok(text) = std::fs::read_to_string(&entry) else { continue };
        for ins in crate::parse(&text).model().instructions {
            if ins.keyword != "RUN" {
                continue;
            }
            let Some(script) = ins.arguments.first() else { continue };
            for _ in 0..4 {
                let mut bytes = script.clone().into_bytes();
                let at = next(bytes.len() + 1);
                let token = tokens[next(tokens.len())];
                bytes.splice(at..(at + next(4)).min(bytes.len()), token.bytes());
                let mutated = String::from_utf8_lossy(&bytes);
                check(&mutated);
                n += 1;
            }
        }
    }
    assert!(n > 1000, "{n}");
}

fn walkdir(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}
