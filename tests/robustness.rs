//! Round trip and no-panic guarantees on generated and hostile input.

use proptest::prelude::*;

/// Parse `src` and check every invariant that must hold for any input.
fn check(src: &str) {
    let df = dockopt::parse(src);
    assert_eq!(df.to_string(), src);
    let syntax = df.syntax();
    let tokens = dockopt::syntax::tokens(src);
    let mut at = 0;
    for t in &tokens {
        assert!(t.start == at && t.end > t.start, "token {t:?} does not continue at {at} in {src:?}");
        assert!(src.is_char_boundary(t.start) && src.is_char_boundary(t.end));
        at = t.end;
    }
    assert_eq!(at, src.len(), "tokens stop early in {src:?}");
    for ins in &syntax.instructions {
        assert!(ins.range.start <= ins.range.end && ins.range.end <= src.len());
        assert!(ins.start_line <= ins.end_line);
        let alone: Vec<_> = dockopt::syntax::instruction_tokens(src, syntax.escape, ins.range.clone()).collect();
        assert_eq!(alone, tokens.starting_in(ins.range.clone()).collect::<Vec<_>>(), "{src:?} {:?}", ins.range);
        for seg in ins.segments().iter() {
            assert_eq!(&ins.logical[seg.logical..seg.logical + seg.len], &src[seg.source..seg.source + seg.len]);
        }
    }
    let model = df.model();
    assert_eq!(dockopt::model::parse(src), model, "the model parsed straight differs for {src:?}");
    assert_streamed_as(src, &model, &format!("{src:?}"));
    let _ = df.buildkit_nodes();
    check_lint(&df);
}

/// The model written instruction by instruction (`model::streamed`, what `dockopt parse`
/// prints) is the JSON of the model built whole.
fn assert_streamed_as(src: &str, model: &dockopt::model::Model, what: &str) {
    let streamed = serde_json::to_string(&dockopt::model::streamed(src)).unwrap();
    assert!(streamed == serde_json::to_string(model).unwrap(), "the streamed model differs for {what}");
}

/// Every rule runs without panicking and reports ranges (and fix edits) inside the text.
fn check_lint(df: &dockopt::Dockerfile) {
    let src = df.source();
    let options = dockopt::lint::LintOptions { select: vec!["ALL".into()], ..Default::default() };
    let result = dockopt::lint::run(df, &options);
    for d in &result.diagnostics {
        assert!(
            d.range.start <= d.range.end && d.range.end <= src.len(),
            "{} range {:?} in {src:?}",
            d.rule.code,
            d.range
        );
        assert!(src.is_char_boundary(d.range.start) && src.is_char_boundary(d.range.end), "{} in {src:?}", d.rule.code);
        if let Some(fix) = &d.fix {
            let mut end = 0;
            for e in &fix.edits {
                assert!(
                    e.range.start >= end && e.range.end <= src.len(),
                    "{} fix edits overlap in {src:?}",
                    d.rule.code
                );
                assert!(src.is_char_boundary(e.range.start) && src.is_char_boundary(e.range.end));
                end = e.range.end;
            }
        }
    }
    for r in &result.secrets {
        assert!(r.end <= src.len() && src.is_char_boundary(r.start) && src.is_char_boundary(r.end));
    }
}

/// Pieces that exercise every branch of the parser when shuffled together.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("FROM ".to_owned()),
        Just("RUN ".to_owned()),
        Just("COPY ".to_owned()),
        Just("ONBUILD ".to_owned()),
        Just("ENV ".to_owned()),
        Just("ARG ".to_owned()),
        Just("HEALTHCHECK ".to_owned()),
        Just("run ".to_owned()),
        Just("--from=a ".to_owned()),
        Just("\\\n".to_owned()),
        Just("`\n".to_owned()),
        Just("\n".to_owned()),
        Just("\r\n".to_owned()),
        Just("# escape=`\n".to_owned()),
        Just("# syntax=x\n".to_owned()),
        Just("#".to_owned()),
        Just("<<EOF".to_owned()),
        Just("<<-'EOF'".to_owned()),
        Just("EOF".to_owned()),
        Just("\tEOF\n".to_owned()),
        Just("[\"a\", \"b\"]".to_owned()),
        Just("[1]".to_owned()),
        Just("\"".to_owned()),
        Just("'".to_owned()),
        Just("${A:-b}".to_owned()),
        Just("apt-get install ".to_owned()),
        Just("pip install ".to_owned()),
        Just("&& ".to_owned()),
        Just("| ".to_owned()),
        Just("(cd x; ".to_owned()),
        Just("USER ".to_owned()),
        Just("EXPOSE ".to_owned()),
        Just("WORKDIR ".to_owned()),
        Just("LABEL ".to_owned()),
        Just(" AS ".to_owned()),
        Just("$".to_owned()),
        Just("=".to_owned()),
        Just(" ".to_owned()),
        Just("\t".to_owned()),
        Just("\u{feff}".to_owned()),
        Just("\u{a0}".to_owned()),
        Just("é".to_owned()),
        Just("\0".to_owned()),
        "[a-z]{1,4}".prop_map(|s| s),
        any::<char>().prop_map(|c| c.to_string()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn round_trip_and_no_panic_on_dockerfile_like_text(pieces in prop::collection::vec(piece(), 0..60)) {
        check(&pieces.concat());
    }

    #[test]
    fn round_trip_and_no_panic_on_any_text(src in any::<String>()) {
        check(&src);
    }
}

#[test]
fn hostile_inputs() {
    let cases: Vec<(&str, String)> = vec![
        ("empty", String::new()),
        ("only BOM", "\u{feff}".into()),
        ("only newlines", "\n\r\n\r\r\n".into()),
        ("NUL bytes", "FROM a\0b\nRUN \0\n\0".into()),
        ("1 MB single line", format!("RUN {}\n", "echo hi && ".repeat(100_000))),
        ("1 MB single line without newline", "x".repeat(1 << 20)),
        ("250k continuation lines", format!("RUN {}\n", "a \\\n".repeat(250_000))),
        ("100k heredocs on one line", format!("RUN {}\n{}", "<<A ".repeat(100_000), "A\n".repeat(100_000))),
        ("unterminated heredoc", "FROM a\nRUN <<EOF\nbody\n".into()),
        ("deep ONBUILD", format!("FROM a\n{}RUN x\n", "ONBUILD ".repeat(100_000))),
        (
            "long ENV chain",
            format!("FROM a\n{}", (0..50_000).map(|i| format!("ENV V{i}=$V{}x\n", i + 1)).collect::<String>()),
        ),
        // A chain of stages each built on the previous one; some rules walk base chains.
        ("many stages", (0..10_000).map(|i| format!("FROM s{i} AS s{}\n", i + 1)).collect()),
        // A RUN whose logical line starts with a blank (after a leading continuation): command
        // ranges once lost a byte and split the `é`.
        ("leading blank in a continued RUN", "FROM a\n\\\n run apt-get install \u{e9}\n".into()),
    ];
    for (name, src) in &cases {
        check(src);
        eprintln!("ok: {name} ({} bytes)", src.len());
    }
}

/// Every readable file under `sub` of the corpus (DOCKOPT_CORPUS or ../shared/corpus), or
/// `None` after saying that the corpus is missing.
fn corpus_files(sub: &str) -> Option<Vec<(std::path::PathBuf, String)>> {
    let root = std::env::var_os("DOCKOPT_CORPUS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"));
    let dir = root.join(sub);
    if !dir.is_dir() {
        eprintln!("SKIPPED: corpus not found at {}", dir.display());
        return None;
    }
    let mut files = Vec::new();
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(text) = std::fs::read_to_string(&path) {
                files.push((path, text));
            }
        }
    }
    Some(files)
}

/// The real-world Dockerfiles of the corpus (its manifest left out).
fn realworld_dockerfiles() -> Option<Vec<(std::path::PathBuf, String)>> {
    let files = corpus_files("realworld")?;
    Some(files.into_iter().filter(|(p, _)| p.file_name().is_none_or(|n| n != "MANIFEST.tsv")).collect())
}

#[test]
fn lint_on_every_corpus_file() {
    let Some(files) = corpus_files("") else { return };
    for (path, text) in &files {
        let (df, what) = (dockopt::parse(text), path.display().to_string());
        let model = df.model();
        assert_eq!(dockopt::model::parse(text), model, "the model parsed straight differs for {what}");
        assert_streamed_as(text, &model, &what);
        check_lint(&df);
    }
    assert!(files.len() > 690, "only {} files", files.len());
}

#[test]
fn fifty_megabytes() {
    let unit = "FROM python:3.11 AS build\nRUN apt-get update && \\\n    apt-get install -y gcc \\\n    # comment\n    && rm -rf /var/lib/apt/lists/*\nCOPY <<EOF /x\nbody\nEOF\nENV A=1 B=\"two words\"\n";
    let src = unit.repeat(50_000_000 / unit.len());
    let df = dockopt::parse(&src);
    assert_eq!(df.syntax().instructions.len(), 4 * (50_000_000 / unit.len()));
    assert!(df.syntax().errors.is_empty());
    assert_eq!(df.model().stages.len(), 50_000_000 / unit.len());
}

#[test]
fn fix_on_every_corpus_file_is_stable_and_keeps_the_file_parseable() {
    let Some(corpus) = realworld_dockerfiles() else { return };
    let options = dockopt::fix::FixOptions { unsafe_fixes: true, ..Default::default() };
    let (mut changed, mut fixes) = (0, 0);
    let mut unstable = Vec::new();
    for (path, text) in &corpus {
        let before = dockopt::parse(text).syntax().errors.len();
        let first = dockopt::fix::fix(text, &options);
        assert!(
            dockopt::parse(&first.text).syntax().errors.len() <= before,
            "{}: fix added parse errors",
            path.display()
        );
        if first.text != *text {
            changed += 1;
            fixes += first.applied.len();
        }
        let second = dockopt::fix::fix(&first.text, &options);
        if second.text != first.text {
            let codes: Vec<&str> = second.applied.iter().map(|a| a.code).collect();
            unstable.push(format!("{}: {codes:?}", path.display()));
        }
    }
    assert!(unstable.is_empty(), "a second fix run changed {} files:\n{}", unstable.len(), unstable.join("\n"));
    eprintln!("fix --unsafe: {} files, {changed} changed, {fixes} fixes applied", corpus.len());
}

#[test]
fn optimize_on_every_corpus_file_is_stable_and_keeps_the_file_parseable() {
    let Some(corpus) = realworld_dockerfiles() else { return };
    let options = dockopt::optimize::OptimizeOptions { buildkit: true, ..Default::default() };
    let mut per_transform: std::collections::BTreeMap<&str, usize> = Default::default();
    let mut unstable = Vec::new();
    for (path, text) in &corpus {
        let before = dockopt::parse(text).syntax().errors.len();
        let once = dockopt::optimize::optimize(text, &options);
        assert!(dockopt::parse(&once.text).syntax().errors.len() <= before, "{}: new parse errors", path.display());
        let transforms: std::collections::BTreeSet<&str> = once.changes.iter().map(|c| c.transform).collect();
        for t in transforms {
            *per_transform.entry(t).or_default() += 1;
        }
        let twice = dockopt::optimize::optimize(&once.text, &options);
        if twice.text != once.text {
            let names: Vec<&str> = twice.changes.iter().map(|c| c.transform).collect();
            unstable.push(format!("{}: {names:?}", path.display()));
        }
    }
    assert!(unstable.is_empty(), "a second optimize run changed {} files:\n{}", unstable.len(), unstable.join("\n"));
    eprintln!("optimize: {} files; files changed per transform: {per_transform:?}", corpus.len());
}

/// Found by fuzzing (rewrite target): a fix appended `&& yarn cache clean` after the last
/// command of a script with an unterminated quote, inside the quote, so every run appended it
/// again. Fixes that edit a script which does not parse are now withheld; the findings stay.
#[test]
fn fixes_are_stable_when_a_script_does_not_parse() {
    let options = dockopt::fix::FixOptions { unsafe_fixes: true, ..Default::default() };
    for src in [
        "FROM node:20\nRUN yarn install --x\"]\n",
        "FROM debian:12\nRUN apt-get update && apt-get install curl 'x\n",
        "FROM python:3.12\nRUN pip install flask $(\n",
    ] {
        let first = dockopt::fix::fix(src, &options);
        let second = dockopt::fix::fix(&first.text, &options);
        assert_eq!(second.text, first.text, "fix is not stable on {src:?}");
        let findings = dockopt::lint::lint(&dockopt::parse(src), &dockopt::lint::LintOptions::default());
        assert!(!findings.is_empty(), "the findings stay when their fixes are withheld: {src:?}");
        let optimize = dockopt::optimize::OptimizeOptions { buildkit: true, ..Default::default() };
        let once = dockopt::optimize::optimize(src, &optimize);
        assert_eq!(
            dockopt::optimize::optimize(&once.text, &optimize).text,
            once.text,
            "optimize is not stable on {src:?}"
        );
    }
}

/// Found by fuzzing (rewrite target): DO591 read the stage's variables, where an ARG after
/// an ENV of the same name takes its place, so `ENV PYTHONUNBUFFERED=1` looked unset; its fix
/// added the line after FROM, the ARG still came last, and each pass added it again (ten
/// lines, then ten more on the next run). An ENV that empties the variable later in the stage
/// did the same. The rule now reads the image's ENV, and offers no fix that a later ENV undoes.
#[test]
fn an_env_fix_is_added_once_when_an_arg_or_a_later_env_shadows_it() {
    let options = dockopt::optimize::OptimizeOptions { buildkit: true, ..Default::default() };
    let fix_options = dockopt::fix::FixOptions { unsafe_fixes: true, ..Default::default() };
    for src in [
        "FROM python:3.12-slim\nENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1\nARG PYTHONUNBUFFERED=1\nCMD [\"python\", \"main.py\"]\n",
        "FROM python:3.12-slim\nENV PYTHONUNBUFFERED=\"\"\nCMD [\"python\", \"main.py\"]\n",
    ] {
        let once = dockopt::optimize::optimize(src, &options);
        let env_lines = |text: &str| text.lines().filter(|l| l.starts_with("ENV ")).count();
        assert!(env_lines(&once.text) <= env_lines(src) + 1, "{src:?} became {:?}", once.text);
        assert_eq!(
            dockopt::optimize::optimize(&once.text, &options).text,
            once.text,
            "optimize is not stable on {src:?}"
        );
        let fixed = dockopt::fix::fix(src, &fix_options);
        assert_eq!(dockopt::fix::fix(&fixed.text, &fix_options).text, fixed.text, "fix is not stable on {src:?}");
    }
}

#[test]
fn a_script_over_the_size_bound_is_noted_and_left_alone() {
    // apt-get without -y (DO123, hadolint's DL3014) inside a script too long to parse: not found, no fix built on
    // guessed command ranges; the RUN line is named in a note instead.
    let long = "echo x && ".repeat(dockopt::shell::MAX_SCRIPT_BYTES / 10 + 1);
    let src = format!("FROM debian:12\nRUN {long}apt-get install curl\nRUN apt-get install curl\n");
    let result = dockopt::lint::run(&dockopt::parse(&src), &dockopt::lint::LintOptions::default());
    let long_run = src.find("RUN echo").unwrap()..src.find("\nRUN apt").unwrap();
    let in_long_run = |d: &&dockopt::lint::Diagnostic| d.range.start < long_run.end && long_run.start < d.range.end;
    assert!(result.diagnostics.iter().filter(in_long_run).all(|d| d.fix.is_none()));
    let without_yes = |d: &&dockopt::lint::Diagnostic| d.rule.code == "DO123";
    assert_eq!(result.diagnostics.iter().filter(without_yes).count(), 1, "the short RUN is still analysed");
    let note = format!(
        "line 2: the RUN's script is longer than {} KiB and was not analysed",
        dockopt::shell::MAX_SCRIPT_BYTES >> 10
    );
    assert!(result.notes.contains(&note), "{:?}", result.notes);
    let fixed = dockopt::fix::fix(&src, &dockopt::fix::FixOptions { unsafe_fixes: true, ..Default::default() });
    assert!(fixed.text.contains(&format!("RUN {long}apt-get install curl\n")), "the long RUN is kept as written");
}

#[test]
fn a_script_nested_past_the_parser_bound_is_noted_and_left_alone() {
    // Subshells nested deeper than the shell parser reads: the rest of the script is a parse
    // error, so the apt-get inside is not guessed at and no fix is built on the RUN.
    let depth = dockopt::shell::MAX_NESTING_DEPTH + 10;
    let deep = format!("{}apt-get install curl{}", "(".repeat(depth), ")".repeat(depth));
    let src = format!("FROM debian:12\nRUN {deep}\nRUN apt-get install curl\n");
    let result = dockopt::lint::run(&dockopt::parse(&src), &dockopt::lint::LintOptions::default());
    let without_yes: Vec<_> = result.diagnostics.iter().filter(|d| d.rule.code == "DO123").collect();
    assert_eq!(without_yes.len(), 1, "only the short RUN is analysed: {without_yes:?}");
    assert!(without_yes[0].range.start > src.find("\nRUN apt").unwrap());
    assert!(
        result.notes.iter().any(|n| n.starts_with("line 2: the RUN's script nests too deeply")),
        "{:?}",
        result.notes
    );
    let fixed = dockopt::fix::fix(&src, &dockopt::fix::FixOptions { unsafe_fixes: true, ..Default::default() });
    assert!(fixed.text.contains(&format!("RUN {deep}\n")), "the deep RUN is kept as written");
}
