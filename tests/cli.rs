//! End-to-end tests of the `dockopt` binary.

use std::io::Write;
use std::process::{Child, Command, Output, Stdio};

/// The binary with `args`, its three standard streams piped.
fn spawn(args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_dockopt"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn dockopt(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = spawn(args);
    // A usage error exits before reading its input: a closed pipe is expected then.
    if let Err(e) = child.stdin.take().unwrap().write_all(stdin) {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
    }
    child.wait_with_output().unwrap()
}

fn json(out: &Output) -> serde_json::Value {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn buildkit_json_has_buildkit_fields() {
    let out = dockopt(&["parse", "--format", "buildkit-json", "-"], b"FROM a AS b\nCOPY --from=b <<X /y\nhi\nX\n");
    let nodes = json(&out);
    assert_eq!(nodes[0]["value"], serde_json::json!(["a", "AS", "b"]));
    assert_eq!(nodes[1]["flags"], serde_json::json!(["--from=b"]));
    assert_eq!(nodes[1]["heredocs"][0]["content"], "hi\n");
    assert_eq!((nodes[1]["start_line"].as_u64(), nodes[1]["end_line"].as_u64()), (Some(2), Some(4)));
}

#[test]
fn buildkit_rejections_exit_1_with_buildkit_message() {
    for (src, message) in [
        (&b""[..], "file with no instructions"),
        (b"# just a comment\n", "file with no instructions"),
        (b"FROM a\nENV x\n", "ENV must have two arguments"),
        (b"FROM a\nRUN <<EOF\nnever closed\n", "unterminated heredoc"),
    ] {
        let out = dockopt(&["parse", "--format", "buildkit-json", "-"], src);
        assert_eq!(out.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&out.stderr).contains(message), "{message}");
    }
}

#[test]
fn invalid_utf8_names_the_offset() {
    let out = dockopt(&["parse", "-"], b"FROM a\nRUN echo \xff\n");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("offset 16"), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn lint_of_a_file_it_cannot_read_prints_only_the_error() {
    let dir = scratch("lint-unreadable");
    std::fs::write(dir.join("Dockerfile"), b"FROM a\nRUN echo \xff\n").unwrap();
    let out = dockopt(&["lint", "--no-config", dir.join("Dockerfile").to_str().unwrap()], b"");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "", "no `No problems found in 0 files`");
    assert!(String::from_utf8_lossy(&out.stderr).contains("offset 16"));
}

#[test]
fn missing_file_is_a_usage_error() {
    let out = dockopt(&["parse", "/nonexistent/Dockerfile"], b"");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/Dockerfile"));
}

#[test]
fn tokens_cover_the_input() {
    let src = "\u{feff}# escape=`\r\nFROM a\r\nRUN x `\r\n  # c\r\n  y\r\nRUN <<EOF\r\nz\r\nEOF";
    let tokens = json(&dockopt(&["parse", "-f", "tokens", "-"], src.as_bytes()));
    let text: String = tokens.as_array().unwrap().iter().map(|t| t["text"].as_str().unwrap()).collect();
    assert_eq!(text, src);
}

#[test]
fn model_json_is_the_default() {
    let m = json(&dockopt(&["parse", "-"], b"ARG V=3.11\nFROM python:${V}-slim\n"));
    assert_eq!(m["stages"][0]["base_resolved"], "python:3.11-slim");
    assert_eq!(m["stages"][0]["image"]["tag"], "3.11-slim");
}

#[test]
fn nul_bytes_and_binary_looking_text_parse() {
    let m = json(&dockopt(&["parse", "-"], b"FROM a\x00b\nRUN \x01\x02\x00\n"));
    assert_eq!(m["instructions"].as_array().unwrap().len(), 2);
}

/// A scratch directory under the target dir, emptied first.
fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn lint_json_findings_carry_positions_and_fix_availability() {
    let out =
        dockopt(&["lint", "-f", "json", "-"], b"FROM a\nRUN apt-get update \\\n && apt-get install -y x\nCMD run it\n");
    assert_eq!(out.status.code(), Some(1));
    let findings: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let codes: Vec<&str> = findings.as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap()).collect();
    assert!(codes.contains(&"DO300") && codes.contains(&"DO101"), "{codes:?}");
    let apt = findings.as_array().unwrap().iter().find(|f| f["code"] == "DO300").unwrap();
    assert_eq!(apt["start"], serde_json::json!({"line": 2, "column": 5, "offset": 11, "column_utf16": 5}));
    assert_eq!(apt["upstream"], serde_json::json!(["hadolint:DL3009"]));
    assert_eq!(apt["fix"]["available"], true);
    assert_eq!(apt["fix"]["applicability"], "safe");
    assert_eq!(
        apt["fix"]["edits"],
        serde_json::json!([{"content": " \\\n && rm -rf /var/lib/apt/lists/*", "range": {"start": 52, "end": 52}}])
    );
    let untagged = findings.as_array().unwrap().iter().find(|f| f["code"] == "DO521").unwrap();
    assert_eq!(untagged["fix"], serde_json::json!({"available": false}));
}

#[test]
fn lint_exit_codes_and_selection() {
    let clean = dockopt(&["lint", "-"], b"FROM a:1\nUSER 10001\nCMD [\"x\"]\n");
    assert_eq!(clean.status.code(), Some(0), "{}", String::from_utf8_lossy(&clean.stdout));
    let ignored = dockopt(&["lint", "--ignore", "DL3025", "-"], b"FROM a:1\nUSER 10001\nCMD x\n");
    assert_eq!(ignored.status.code(), Some(0));
    let below = dockopt(&["lint", "--fail-level", "error", "-"], b"FROM a:1\nUSER 10001\nCMD x\n");
    assert_eq!(below.status.code(), Some(0));
    let usage = dockopt(&["lint", "--select", "NOPE", "-"], b"FROM a\n");
    assert_eq!(usage.status.code(), Some(2));
}

#[test]
fn lint_walks_directories_and_reads_config() {
    let dir = scratch("lint-walk");
    std::fs::create_dir_all(dir.join("svc/.git")).unwrap();
    std::fs::write(dir.join("svc/Dockerfile"), "FROM a\nCMD x\n").unwrap();
    std::fs::write(dir.join("svc/api.Dockerfile"), "FROM a\nMAINTAINER me\n").unwrap();
    std::fs::write(dir.join("svc/notes.txt"), "CMD x\n").unwrap();
    let out = dockopt(&["lint", "-f", "json", dir.to_str().unwrap()], b"");
    let findings: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let files: std::collections::BTreeSet<&str> =
        findings.as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap().rsplit('/').next().unwrap()).collect();
    assert_eq!(files.into_iter().collect::<Vec<_>>(), vec!["Dockerfile", "api.Dockerfile"]);

    std::fs::write(
        dir.join("dockopt.toml"),
        "select = [\"DO101\", \"maintainer-deprecated\"]\nignore = [\"DO101\", \"DL4000\"]\n",
    )
    .unwrap();
    let out = dockopt(&["lint", dir.to_str().unwrap()], b"");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));

    std::fs::write(dir.join("dockopt.toml"), "ignroe = []\n").unwrap();
    let out = dockopt(&["lint", dir.to_str().unwrap()], b"");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("ignroe"));
}

#[test]
fn lint_never_prints_secret_values() {
    // One of each kind: a secret name, a key format, a password in a URL, one on a command
    // line, a random-looking value.
    let src = b"FROM a\nENV DB_PASSWORD=hunter2 KEY_ID=AKIAABCDEFGHIJKLMNOP\n\
        ENV DATABASE_URL=postgres://admin:pgpass77@db/app\nRUN curl -u admin:Curl0pass https://x\n\
        LABEL sig=Vb7Yq2Lm9Xc4Rt8Kp1Zw6Hn3Jd5Gs0Fa\nCMD run $DB_PASSWORD\n";
    let values = ["hunter2", "AKIAABCDEFGHIJKLMNOP", "pgpass77", "Curl0pass", "Vb7Yq2Lm9Xc4Rt8Kp1Zw6Hn3Jd5Gs0Fa"];
    for format in ["human", "json", "sarif", "github", "checkstyle", "gitlab", "junit"] {
        let out = dockopt(&["lint", "--select", "ALL", "-f", format, "--color", "never", "-"], src);
        let text = String::from_utf8_lossy(&out.stdout);
        for value in values {
            assert!(!text.contains(value), "{format} shows {value}: {text}");
        }
        if format == "json" {
            let codes: Vec<String> = serde_json::from_str::<Vec<serde_json::Value>>(&text)
                .unwrap()
                .iter()
                .map(|f| f["code"].to_string())
                .collect();
            for code in ["DO260", "DO294", "DO298", "DO299"] {
                assert!(codes.iter().any(|c| c.contains(code)), "{code} in {codes:?}");
            }
        }
    }
    // optimize's table and requirements name the variables, never the values.
    let out = dockopt(&["optimize", "--buildkit", "-"], src);
    let printed = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    for value in ["hunter2", "AKIAABCDEFGHIJKLMNOP", "pgpass77"] {
        assert!(!printed.contains(value), "optimize shows {value}: {printed}");
    }
}

#[test]
fn lint_machine_formats_are_well_formed() {
    let src = b"FROM a:1\nUSER 10001\nCMD x <&\"'>\n";
    let sarif: serde_json::Value = serde_json::from_slice(&dockopt(&["lint", "-f", "sarif", "-"], src).stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert_eq!(sarif["runs"][0]["results"][0]["ruleId"], "DO101");
    let gitlab: serde_json::Value =
        serde_json::from_slice(&dockopt(&["lint", "-f", "gitlab", "-"], src).stdout).unwrap();
    assert_eq!(gitlab[0]["location"]["lines"]["begin"], 3);
    let github = String::from_utf8(dockopt(&["lint", "-f", "github", "-"], src).stdout).unwrap();
    assert!(github.starts_with("::warning file=<stdin>,line=3,col=5"), "{github}");
    let checkstyle = String::from_utf8(dockopt(&["lint", "-f", "checkstyle", "-"], src).stdout).unwrap();
    assert!(checkstyle.contains("source=\"dockopt.DO101.shell-form-command\"") && !checkstyle.contains("<&"));
    let junit = String::from_utf8(dockopt(&["lint", "-f", "junit", "-"], src).stdout).unwrap();
    assert!(junit.contains("failures=\"1\"") && junit.contains("name=\"&lt;stdin&gt;:3:5 DO101\""), "{junit}");
}

#[test]
fn rules_and_rule_docs() {
    let out = dockopt(&["rules", "-f", "json"], b"");
    let rules: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(rules.as_array().unwrap().iter().any(|r| r["code"] == "DO101"));
    let doc = String::from_utf8(dockopt(&["rule", "JSONArgsRecommended"], b"").stdout).unwrap();
    assert!(doc.starts_with("# DO101 shell-form-command") && doc.contains("## Why is this bad?"));
    assert_eq!(dockopt(&["rule", "NOPE"], b"").status.code(), Some(2));
}

#[test]
fn fix_prints_diffs_and_writes_atomically_keeping_the_rest() {
    let dir = scratch("fix");
    let path = dir.join("Dockerfile");
    let src = "# comment\nFROM alpine:3.20\nRUN apk add curl=8\nCMD python app.py\n";
    std::fs::write(&path, src).unwrap();
    let p = path.to_str().unwrap();

    let out = dockopt(&["fix", "-"], src.as_bytes());
    assert_eq!(String::from_utf8(out.stdout).unwrap(), src.replace("apk add", "apk add --no-cache"));
    let out = dockopt(&["fix", "--unsafe", "-"], src.as_bytes());
    assert!(String::from_utf8(out.stdout).unwrap().ends_with("CMD [\"python\", \"app.py\"]\n"));
    // A last line without its line break gets one (missing-final-newline), the rest is kept.
    let unterminated = dockopt(&["fix", "-"], src.trim_end().as_bytes());
    assert_eq!(String::from_utf8(unterminated.stdout).unwrap(), src.replace("apk add", "apk add --no-cache"));

    let diff = String::from_utf8(dockopt(&["fix", "--diff", p], b"").stdout).unwrap();
    assert!(diff.contains("-RUN apk add curl=8\n+RUN apk add --no-cache curl=8"), "{diff}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), src, "--diff leaves the file alone");

    let out = dockopt(&["fix", "--write", "--unsafe", p], b"");
    assert!(out.status.success());
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "# comment\nFROM alpine:3.20\nRUN apk add --no-cache curl=8\nCMD [\"python\", \"app.py\"]\n"
    );
    let leftovers: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(leftovers.len(), 1, "no temporary files left: {leftovers:?}");
    assert_eq!(dockopt(&["fix", p, p], b"").status.code(), Some(2), "several files need --diff or --write");
}

const NAIVE: &str = "FROM python:3.11\nWORKDIR /app\nENV API_TOKEN=changeme\nCOPY . .\nRUN apt-get update && apt-get install -y gcc\nRUN pip install -r requirements.txt\nEXPOSE 8000\nCMD python main.py\n";

/// The naive Dockerfile in a build context with its app (the transforms that read the context
/// need one; from standard input, the Dockerfile's folder is not known).
fn naive_app(name: &str, dockerfile: &str) -> String {
    let dir = scratch(name);
    std::fs::write(dir.join("requirements.txt"), "flask\n").unwrap();
    std::fs::write(dir.join("main.py"), "print('hi')\n").unwrap();
    std::fs::write(dir.join("Dockerfile"), dockerfile).unwrap();
    dir.join("Dockerfile").to_str().unwrap().to_owned()
}

#[test]
fn optimize_prints_the_file_then_explains_on_stderr() {
    let naive = naive_app("optimize-print", NAIVE);
    let out = dockopt(&["optimize", &naive], b"");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let table = String::from_utf8(out.stderr).unwrap();
    assert!(text.starts_with("FROM python:3.11-slim AS builder\n") && text.contains("USER app\n"), "{text}");
    assert!(!text.contains("changeme") && !table.contains("changeme"), "the secret value is never printed");
    for transform in ["base-image", "cache-order", "multi-stage", "secrets", "non-root", "exec-form"] {
        assert!(table.contains(transform), "{transform} missing from\n{table}");
    }
    assert!(table.contains("docker run -e API_TOKEN"), "{table}");

    let switched_off = dockopt(&["optimize", "--no-non-root", "--no-multi-stage", &naive], b"");
    let text = String::from_utf8(switched_off.stdout).unwrap();
    assert!(!text.contains("USER") && !text.contains("AS builder"), "{text}");

    let plain = naive_app("optimize-alpine", &NAIVE.replace("RUN apt-get update && apt-get install -y gcc\n", ""));
    let cached = dockopt(&["optimize", "--cache-mounts", "--alpine", "--no-multi-stage", &plain], b"");
    let text = String::from_utf8(cached.stdout).unwrap();
    assert!(text.starts_with("FROM python:3.11-alpine\n"), "{text}");
    assert!(text.contains("RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt"), "{text}");
}

#[test]
fn optimize_json_and_diff() {
    let naive = naive_app("optimize-json", NAIVE);
    let out = json(&dockopt(&["optimize", "--format", "json", &naive], b""));
    assert!(out["text"].as_str().unwrap().contains("COPY --from=builder /opt/venv /opt/venv"));
    let change = &out["changes"].as_array().unwrap()[0];
    for key in ["transform", "rules", "title", "why"] {
        assert!(change.get(key).is_some(), "{key} missing: {change}");
    }
    assert!(out["skipped"].as_array().unwrap().iter().any(|s| s["transform"] == "healthcheck"));
    assert_eq!(out["requirements"].as_array().unwrap().len(), 1);
    let diff = String::from_utf8(dockopt(&["optimize", "--diff", &naive], b"").stdout).unwrap();
    assert!(diff.contains("-FROM python:3.11\n") && diff.contains("+FROM python:3.11-slim AS builder\n"), "{diff}");
}

#[test]
fn optimize_write_replaces_the_file_and_writes_dockerignore() {
    let dir = scratch("optimize");
    std::fs::create_dir_all(dir.join("pkg/__pycache__")).unwrap();
    std::fs::write(dir.join(".env"), "API_TOKEN=x\n").unwrap();
    std::fs::write(dir.join("main.py"), "@app.get('/health')\n").unwrap();
    let path = dir.join("Dockerfile");
    std::fs::write(&path, NAIVE).unwrap();
    let out = dockopt(&["optimize", "--write", path.to_str().unwrap()], b"");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stdout.is_empty());
    let written = std::fs::read_to_string(&path).unwrap();
    assert!(written.contains("HEALTHCHECK") && written.contains("http://127.0.0.1:8000/health"), "{written}");
    let ignore = std::fs::read_to_string(dir.join(".dockerignore")).unwrap();
    assert!(ignore.contains("**/__pycache__") && ignore.contains(".env"), "{ignore}");
    let again = dockopt(&["optimize", "--write", path.to_str().unwrap()], b"");
    assert!(again.status.success());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), written, "a second run changes nothing");
    assert_eq!(dockopt(&["optimize", "--write", "-"], NAIVE.as_bytes()).status.code(), Some(2));
}

/// Files and bytes `find` and `du` count under `dir` with the given extra find tests.
fn find_totals(dir: &std::path::Path, tests: &[&str]) -> (u64, u64) {
    let mut args = vec![".", "(", "-type", "f", "-o", "-type", "l", ")"];
    args.extend_from_slice(tests);
    args.push("-print0");
    let found = Command::new("find").args(&args).current_dir(dir).output().unwrap();
    let files: Vec<&[u8]> = found.stdout.split(|b| *b == 0).filter(|f| !f.is_empty()).collect();
    let mut du = Command::new("du")
        .args(["-cb", "--apparent-size", "--files0-from=-"])
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    du.stdin.take().unwrap().write_all(&found.stdout).unwrap();
    let out = String::from_utf8(du.wait_with_output().unwrap().stdout).unwrap();
    let total = out.lines().last().unwrap().split_whitespace().next().unwrap().parse().unwrap();
    (files.len() as u64, total)
}

#[test]
fn analyze_context_scan_matches_find_and_du() {
    let dir = std::env::temp_dir().join(format!("dockopt-scan-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let files: [(&str, usize); 13] = [
        ("app.py", 300),
        ("src/main.py", 1200),
        ("src/build/gen.py", 50),
        ("build/out.bin", 4000),
        (".git/HEAD", 23),
        (".git/objects/ab/cdef", 9000),
        ("debug.log", 700),
        ("src/deep/trace.log", 80),
        ("docs/guide.md", 500),
        ("docs/keep.md", 60),
        ("node_modules/x/index.js", 3000),
        ("sub/node_modules/y.js", 10),
        (".env", 12),
    ];
    for (path, size) in files {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, "x".repeat(size)).unwrap();
    }
    std::os::unix::fs::symlink("app.py", dir.join("link.py")).unwrap();
    // `!` exception, `**`, a leading `/`, trailing spaces, a comment.
    let ignore = "# tricky\n.git\n**/*.log   \n/build\ndocs/**\n!docs/keep.md\nnode_modules\n";
    std::fs::write(dir.join(".dockerignore"), ignore).unwrap();
    std::fs::write(dir.join("Dockerfile"), "FROM python:3.12-slim\nCOPY . /app\n").unwrap();
    let out = dockopt(
        &["analyze", "--format", "json", "--context", dir.to_str().unwrap(), dir.join("Dockerfile").to_str().unwrap()],
        b"",
    );
    let report = json(&out);
    let context = &report["context"];
    let all = find_totals(&dir, &[]);
    let sent = find_totals(
        &dir,
        &[
            "!",
            "-path",
            "./.git/*",
            "!",
            "-name",
            "*.log",
            "!",
            "-path",
            "./build/*",
            "!",
            "-path",
            "./node_modules/*",
            "!",
            "(",
            "-path",
            "./docs/*",
            "!",
            "-path",
            "./docs/keep.md",
            ")",
        ],
    );
    assert_eq!(
        (
            context["without_dockerignore"]["files"].as_u64().unwrap(),
            context["without_dockerignore"]["bytes"].as_u64().unwrap()
        ),
        all
    );
    assert_eq!((context["sent"]["files"].as_u64().unwrap(), context["sent"]["bytes"].as_u64().unwrap()), sent);
    assert_eq!(
        sent.0, 9,
        "app.py link.py src/main.py src/build/gen.py docs/keep.md sub/node_modules/y.js .env .dockerignore Dockerfile"
    );
    let secrets = context["secrets"].as_array().unwrap();
    assert_eq!(secrets.len(), 1);
    assert_eq!(secrets[0]["path"], ".env");
    assert_eq!(secrets[0]["copied_by"], serde_json::json!([2]));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn analyze_formats_and_errors() {
    let text = b"FROM python:3.12\nRUN pip install flask\nCMD python app.py\n";
    let human = dockopt(&["analyze", "-"], text);
    let card = String::from_utf8(human.stdout).unwrap();
    assert!(card.contains("Image size") && card.contains("estimated") && card.contains("runs as root"), "{card}");
    let markdown = String::from_utf8(dockopt(&["analyze", "--format", "markdown", "-"], text).stdout).unwrap();
    assert!(markdown.starts_with("### dockopt analyze") && markdown.contains("| Image size |"), "{markdown}");
    let report = json(&dockopt(&["analyze", "--format", "json", "--base-size", "python:3.12=500MB", "-"], text));
    assert_eq!(report["stages"][0]["base_bytes"], 500_000_000);
    let bad = dockopt(&["analyze", "--base-size", "python", "-"], text);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("IMAGE=SIZE"));
    for empty in [&b""[..], b"# only a comment\n", b"ARG A=1\n"] {
        let out = dockopt(&["analyze", "-"], empty);
        assert_eq!(out.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&out.stderr).contains("no FROM"), "{}", String::from_utf8_lossy(&out.stderr));
        let optimized = String::from_utf8(dockopt(&["optimize", "-"], empty).stderr).unwrap();
        assert!(!optimized.contains("Before and after"), "{optimized}");
    }
    let unknown = dockopt(&["analyze", "--target", "nosuch", "-"], text);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("--target nosuch"));
    let binary = dockopt(&["analyze", "-"], b"FROM a\n\xff\n");
    assert_eq!(binary.status.code(), Some(1));
    let optimized = String::from_utf8(dockopt(&["optimize", "-"], text).stderr).unwrap();
    assert!(optimized.contains("Before and after") && optimized.contains("after:"), "{optimized}");
}

/// The shellcheck binary on PATH (scripts/test installs one), or None: then the test says so.
fn shellcheck_binary() -> Option<String> {
    let path = std::env::var_os("PATH")?;
    let found = std::env::split_paths(&path).map(|d| d.join("shellcheck")).find(|p| p.is_file());
    if found.is_none() {
        eprintln!("shellcheck not on PATH: the ShellCheck CLI test checked only the note");
    }
    found.map(|p| p.display().to_string())
}

#[test]
fn lint_runs_shellcheck_and_maps_its_findings_into_the_dockerfile() {
    let src = b"FROM debian:12\nRUN apt-get update && \\\n    cd /tmp ; echo $FOO \\\n  | grep x\n";
    // Findings make the exit status 1: read the JSON whatever it is.
    let findings = |out: &Output| -> Vec<serde_json::Value> { serde_json::from_slice(&out.stdout).unwrap() };
    // Asked for a binary that is not there: a note, and the rest of the lint as usual.
    let out = dockopt(&["lint", "--no-config", "--shellcheck", "/no/such/shellcheck", "-f", "json", "-"], src);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("note: <stdin>: shellcheck (/no/such/shellcheck)"), "{stderr}");
    let shellcheck_findings = |out: &Output| -> Vec<(String, u64, u64)> {
        findings(out)
            .iter()
            .filter(|f| f["code"].as_str().unwrap().starts_with("SC"))
            .map(|f| {
                (
                    f["code"].as_str().unwrap().to_owned(),
                    f["start"]["line"].as_u64().unwrap(),
                    f["start"]["column"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    // SC2086 is one of the checks dockopt does itself: it is there with or without the binary.
    let native = [("SC2086".to_owned(), 3, 20)];
    assert_eq!(shellcheck_findings(&out), native);
    let Some(binary) = shellcheck_binary() else { return };
    let out = dockopt(&["lint", "--no-config", "--shellcheck", &binary, "-f", "json", "-"], src);
    assert_eq!(shellcheck_findings(&out), [("SC2164".to_owned(), 3, 5), ("SC2086".to_owned(), 3, 20)]);
    // Selected and ignored like any rule: by code, or all of them by the name `shellcheck`.
    for ignore in ["SC2164,SC2086", "shellcheck"] {
        let out =
            dockopt(&["lint", "--no-config", "--shellcheck", &binary, "--ignore", ignore, "-f", "json", "-"], src);
        assert!(findings(&out).iter().all(|f| !f["code"].as_str().unwrap().starts_with("SC")), "{ignore}");
    }
    let pragma = b"FROM debian:12\n# hadolint ignore=SC2164\nRUN cd /tmp ; echo hi\n";
    let out = dockopt(&["lint", "--no-config", "--shellcheck", &binary, "-f", "json", "-"], pragma);
    assert!(findings(&out).iter().all(|f| f["code"] != "SC2164"));
    let off = dockopt(&["lint", "--no-config", "--shellcheck", "off", "-f", "json", "-"], src);
    assert_eq!(shellcheck_findings(&off), native);
    assert!(!String::from_utf8_lossy(&off.stderr).contains("shellcheck"));
}

#[test]
fn lint_of_many_files_prints_every_file_once_in_order() {
    // More files than the CLI lints in one chunk, so several chunks print in turn.
    let dir = tempfile::tempdir().unwrap();
    let names: Vec<String> = (0..300).map(|i| format!("{i:03}.Dockerfile")).collect();
    for (i, name) in names.iter().enumerate() {
        // Every third file is clean; the others have one shell-form CMD each.
        let text = if i % 3 == 0 { "FROM a:1\nUSER 10001\nCMD [\"x\"]\n" } else { "FROM a:1\nUSER 10001\nCMD x\n" };
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let paths: Vec<String> = names.iter().map(|n| dir.path().join(n).display().to_string()).collect();
    let mut args = vec!["lint", "--no-config", "--shellcheck", "off", "--select", "DO101", "-f", "json"];
    args.extend(paths.iter().map(String::as_str));
    let out = dockopt(&args, b"");
    let findings: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let printed: Vec<&str> = findings.iter().map(|f| f["path"].as_str().unwrap()).collect();
    let expected: Vec<&str> = paths.iter().enumerate().filter(|(i, _)| i % 3 != 0).map(|(_, p)| p.as_str()).collect();
    assert_eq!(printed, expected);
    args[7] = "human";
    let human = String::from_utf8(dockopt(&args, b"").stdout).unwrap();
    assert!(human.ends_with("Found 200 problems in 300 files (0 error, 200 warning, 0 info, 0 style).\n"), "{human}");
}

/// `dockopt lint x 2>&1 | head -3`: the reader may close the pipe before the last line. Every
/// command then ends as it would have with the pipe open, not with a panic (status 101).
#[test]
fn closed_output_pipes_change_no_exit_status() {
    let dir = scratch("closed-pipes");
    let file = dir.join("Dockerfile");
    std::fs::write(&file, "FROM debian\nRUN apt-get install -y curl\nCMD python app.py\n").unwrap();
    let file = file.to_str().unwrap();
    let missing = dir.join("missing");
    let missing = missing.to_str().unwrap();
    for args in [
        &["lint", "--no-config", file, missing][..],
        &["fix", file],
        &["optimize", file],
        &["analyze", file],
        &["parse", missing],
    ] {
        let open = dockopt(args, b"").status.code();
        assert!(matches!(open, Some(0..=2)), "{args:?}: {open:?}");
        let mut closed = spawn(args);
        // The only read ends: the child's first write fails with EPIPE.
        drop((closed.stdin.take(), closed.stdout.take(), closed.stderr.take()));
        assert_eq!(closed.wait().unwrap().code(), open, "{args:?}");
    }
}
