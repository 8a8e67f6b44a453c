//! ShellCheck on the scripts RUN executes, through the `shellcheck` binary: every script of a
//! Dockerfile goes to one process, and every comment comes back as a finding at the exact
//! place in the Dockerfile (continuation lines, escape character and heredocs accounted for).
//!
//! Each script is checked as the stage's shell runs it (`SHELL`, else `/bin/sh`; nothing for
//! PowerShell, cmd or zsh), after `export NAME=1` lines for the ARG and ENV names in scope and
//! the proxy variables Docker predefines, so using them is not "referenced but not assigned".
//! As in hadolint, SC2187 (ash is checked as dash) and SC1090 (cannot follow a non-constant
//! `source`) are left out; so is SC1091 (cannot follow a sourced file): the files are the
//! image's, not on this machine.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{LazyLock, Mutex};

use serde::Deserialize;

use super::context::{Ins, ShellText, shell_texts};
use super::run_shell;
use super::{Category, Context, Diagnostic, FixAvailability, RuleMeta, Severity};

/// Whether and which `shellcheck` runs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Shellcheck {
    /// Not run.
    #[default]
    Off,
    /// The `shellcheck` found on PATH, if there is one.
    Auto,
    /// This binary.
    Binary(PathBuf),
}

impl Shellcheck {
    /// `auto`, `off`, or the path of a binary.
    pub fn parse(value: &str) -> Self {
        match value {
            "auto" => Self::Auto,
            "off" | "false" | "no" => Self::Off,
            path => Self::Binary(resolve(Path::new(path))),
        }
    }

    /// The binary to run, if any.
    pub fn binary(&self) -> Option<PathBuf> {
        match self {
            Self::Off => None,
            Self::Binary(path) => Some(path.clone()),
            Self::Auto => on_path(),
        }
    }
}

/// Where a binary given by the user is: a bare name (`shellcheck-0.10`) is looked up on PATH
/// like a shell would; a relative path is taken from the current folder, because the binary
/// runs in each Dockerfile's folder.
fn resolve(path: &Path) -> PathBuf {
    if path.components().count() == 1 && path.is_relative() {
        let found = std::env::var_os("PATH")
            .and_then(|dirs| std::env::split_paths(&dirs).map(|dir| dir.join(path)).find(|p| p.is_file()));
        if let Some(found) = found {
            return found;
        }
    }
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// `shellcheck` on PATH (looked up once per process).
pub fn on_path() -> Option<PathBuf> {
    static FOUND: LazyLock<Option<PathBuf>> = LazyLock::new(|| {
        let path = std::env::var_os("PATH")?;
        std::env::split_paths(&path).map(|dir| dir.join("shellcheck")).find(|p| p.is_file())
    });
    FOUND.clone()
}

/// What ShellCheck checks never make sense for a Dockerfile (see the module's documentation).
const EXCLUDED: &str = "SC1090,SC1091,SC2187";

/// The rule of ShellCheck's check `code` (`SC2086`): created on first use, kept for the process
/// (there are a few hundred codes at most). Selected, ignored, suppressed and given a severity
/// like any rule, by its code or by the name `shellcheck` (all of them).
pub fn rule(code: u32, severity: Severity) -> &'static RuleMeta {
    // By code and severity: ShellCheck gives each code one level, but a wrong guess must never
    // change the severity of another finding.
    static RULES: LazyLock<Mutex<HashMap<(u32, Severity), &'static RuleMeta>>> = LazyLock::new(Default::default);
    let mut rules = RULES.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    rules.entry((code, severity)).or_insert_with(|| {
        let code_text: &'static str = Box::leak(format!("SC{code}").into_boxed_str());
        let upstream: &'static [&'static str] =
            Box::leak(vec![&*Box::leak(format!("hadolint:SC{code}").into_boxed_str())].into_boxed_slice());
        let docs: &'static str = Box::leak(
            format!(
                "## What it does\nShellCheck's check {code_text}, run on the scripts of `RUN` by the `shellcheck` \
                 binary. ShellCheck's documentation: https://www.shellcheck.net/wiki/{code_text}\n"
            )
            .into_boxed_str(),
        );
        Box::leak(Box::new(RuleMeta {
            code: code_text,
            name: "shellcheck",
            category: if severity >= Severity::Warning { Category::Correctness } else { Category::Style },
            severity,
            upstream,
            summary: "A ShellCheck finding in a RUN script.",
            docs,
            fix: FixAvailability::None,
            default_enabled: true,
        }))
    })
}

/// What `dockopt rule SC2086` prints.
pub fn describe(code: &str) -> String {
    let code = code.trim().to_ascii_uppercase();
    format!(
        "# {code} shellcheck\n\nShellCheck's check {code} on the scripts of RUN, when the shellcheck binary runs \
         (`--shellcheck`, or `shellcheck` on PATH).\n\nSeverity: as ShellCheck reports it. Select, ignore or \
         suppress it as {code}, or all of ShellCheck's checks as `shellcheck`.\n\n\
         ShellCheck's documentation: https://www.shellcheck.net/wiki/{code}\n"
    )
}

/// Whether `selector` names ShellCheck's rules: `shellcheck` (all), or a code such as `SC2086`.
pub fn is_selector(selector: &str) -> bool {
    let s = selector.trim();
    s.eq_ignore_ascii_case("shellcheck")
        || s.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("sc"))
            && s.len() == 6
            && s[2..].chars().all(|c| c.is_ascii_digit())
}

/// One script for the binary: its file text, and how to map positions back.
struct Prepared<'a> {
    ins: Ins<'a>,
    text: ShellText<'a>,
    /// Lines before the script in the file (the `#!` line and the exports).
    prefix_lines: usize,
    file: String,
}

/// `#!/bin/bash` for a stage whose SHELL is bash; None when the shell is not one ShellCheck
/// reads (PowerShell, cmd, zsh).
fn shebang(cx: &Context, ins: Ins) -> Option<String> {
    let shell = run_shell::shell_program(cx, ins);
    crate::shell::checks::Dialect::of_program(&shell).map(|_| format!("#!{shell}"))
}

/// `export NAME=1` for each variable the RUN is given, sorted.
fn exports(cx: &Context, ins: Ins) -> String {
    let mut names: Vec<&String> = cx.given_variables(ins.model.stage()).iter().collect();
    names.sort();
    names.iter().map(|v| format!("export {v}=1\n")).collect()
}

#[derive(Deserialize)]
struct Output {
    comments: Vec<Comment>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Comment {
    file: String,
    line: usize,
    end_line: usize,
    column: usize,
    end_column: usize,
    level: String,
    code: u32,
    message: String,
}

/// The byte offset in `text` of 1-based `line` and character `column` (ShellCheck's json1
/// columns count characters, a tab as one); clamped to the text.
fn offset(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
    let Some(rest) = text.get(start..).filter(|r| !r.is_empty()) else { return text.len() };
    let line_len = rest.find('\n').unwrap_or(rest.len());
    start + rest[..line_len].char_indices().nth(column.saturating_sub(1)).map_or(line_len, |(i, _)| i)
}

/// Scripts per shellcheck process.
const BATCH: usize = 1000;

/// How long one shellcheck process may take before it is stopped: a lint never hangs.
const TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

/// Run the binary on `files` of `dir` and read its comments.
fn run(binary: &Path, dir: &Path, files: &[&str]) -> Result<Vec<Comment>, String> {
    use std::io::Read;
    let name = binary.display();
    let mut child = std::process::Command::new(binary)
        .current_dir(dir)
        .args(["--format=json1", "--norc", "--severity=style", "--exclude", EXCLUDED])
        .args(files)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("shellcheck ({name}): {e}"))?;
    // Read both pipes on threads, so a large output cannot block the process while it is timed.
    let mut stdout = child.stdout.take().ok_or("shellcheck: no output pipe")?;
    let mut stderr = child.stderr.take().ok_or("shellcheck: no error pipe")?;
    let out = std::thread::spawn(move || {
        let mut buf = Vec::new();
        stdout.read_to_end(&mut buf).map(|_| buf)
    });
    let err = std::thread::spawn(move || {
        let mut buf = String::new();
        let _ = stderr.read_to_string(&mut buf);
        buf
    });
    let started = std::time::Instant::now();
    let status = loop {
        match child.try_wait().map_err(|e| format!("shellcheck ({name}): {e}"))? {
            Some(status) => break status,
            None if started.elapsed() > TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("shellcheck ({name}) took more than {} s and was stopped", TIMEOUT.as_secs()));
            }
            None => std::thread::sleep(std::time::Duration::from_millis(2)),
        }
    };
    let stdout = out.join().ok().and_then(Result::ok).unwrap_or_default();
    let stderr = err.join().unwrap_or_default();
    // Exit status 0: no comments, 1: comments; anything else is a failure.
    if !matches!(status.code(), Some(0 | 1)) {
        return Err(format!("shellcheck ({name}) failed: {}", stderr.trim()));
    }
    let parsed: Output =
        serde_json::from_slice(&stdout).map_err(|e| format!("shellcheck ({name}): unreadable output: {e}"))?;
    Ok(parsed.comments)
}

/// ShellCheck's findings on the RUN scripts of `cx`, or why it could not run.
pub fn check(cx: &Context, binary: &Path) -> Result<Vec<Diagnostic>, String> {
    let mut prepared = Vec::new();
    for ins in cx.instructions().filter(|i| i.effective().keyword == "RUN") {
        let Some(shebang) = shebang(cx, ins) else { continue };
        let exports = exports(cx, ins);
        for text in shell_texts(cx.src, ins) {
            if text.text.trim().is_empty() || matches!(text.at, super::context::Offsets::Instruction) {
                continue;
            }
            let file = format!("{}.sh", prepared.len());
            let prefix_lines = 1 + exports.lines().count();
            prepared.push((Prepared { ins, text, prefix_lines, file }, format!("{shebang}\n{exports}")));
        }
    }
    if prepared.is_empty() {
        return Ok(Vec::new());
    }
    let dir = tempfile::tempdir().map_err(|e| format!("shellcheck: temporary folder: {e}"))?;
    for (script, prefix) in &prepared {
        let mut file = std::fs::File::create(dir.path().join(&script.file))
            .map_err(|e| format!("shellcheck: temporary file: {e}"))?;
        file.write_all(prefix.as_bytes())
            .and_then(|()| file.write_all(script.text.text.as_bytes()))
            .map_err(|e| format!("shellcheck: temporary file: {e}"))?;
    }
    let names: Vec<&str> = prepared.iter().map(|(p, _)| p.file.as_str()).collect();
    let mut comments = Vec::new();
    // One process per Dockerfile; a file with thousands of RUNs is split so that no command
    // line grows past the system's limit.
    for batch in names.chunks(BATCH) {
        comments.extend(run(binary, dir.path(), batch)?);
    }
    let by_file: HashMap<&str, &Prepared> = prepared.iter().map(|(p, _)| (p.file.as_str(), p)).collect();
    let mut found = Vec::new();
    for comment in comments {
        let Some(script) = by_file.get(comment.file.as_str()) else { continue };
        // A comment on the exports (never expected) has no place in the Dockerfile.
        if comment.line <= script.prefix_lines {
            continue;
        }
        let text = &script.text.text;
        let start = offset(text, comment.line - script.prefix_lines, comment.column);
        let end = offset(text, comment.end_line.max(comment.line) - script.prefix_lines, comment.end_column).max(start);
        let severity = match comment.level.as_str() {
            "error" => Severity::Error,
            "warning" => Severity::Warning,
            "info" => Severity::Info,
            _ => Severity::Style,
        };
        found.push(Diagnostic {
            rule: rule(comment.code, severity),
            severity,
            message: comment.message.into(),
            range: script.text.source_offset(script.ins, start)..script.text.source_offset(script.ins, end),
            fix: None,
        });
    }
    found.sort_by_key(|d| (d.range.start, d.rule.code));
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::LintOptions;

    /// The binary the tests use: $DOCKOPT_SHELLCHECK, else `shellcheck` on PATH. Tests that
    /// need it say so and pass when it is absent (scripts/test installs it).
    fn binary() -> Option<PathBuf> {
        let found = std::env::var_os("DOCKOPT_SHELLCHECK").map(PathBuf::from).or_else(on_path);
        if found.is_none() {
            eprintln!("shellcheck not found (PATH or DOCKOPT_SHELLCHECK): this test checked nothing");
        }
        found
    }

    /// (line, column, code, text under the finding) of each finding.
    fn findings(src: &str) -> Vec<(usize, usize, String, String)> {
        let Some(binary) = binary() else { return Vec::new() };
        let file = crate::parse(src);
        let model = file.model();
        let options = LintOptions::default();
        let cx = Context::new(src, file.syntax(), &model, &options);
        let index = crate::text::LineIndex::new(src);
        check(&cx, &binary)
            .unwrap()
            .into_iter()
            .map(|d| {
                let p = index.position(src, d.range.start);
                (p.line as usize, p.column as usize, d.rule.code.to_owned(), src[d.range].to_owned())
            })
            .collect()
    }

    #[test]
    fn a_relative_binary_path_is_taken_from_the_current_folder() {
        let Shellcheck::Binary(path) = Shellcheck::parse("tools/shellcheck") else { panic!("not a binary") };
        assert_eq!(path, std::env::current_dir().unwrap().join("tools/shellcheck"));
        let Shellcheck::Binary(path) = Shellcheck::parse("/opt/sc") else { panic!("not a binary") };
        assert_eq!(path, PathBuf::from("/opt/sc"));
    }

    #[test]
    fn offsets_count_characters() {
        let text = "ab\n\tcé $x\n";
        assert_eq!(offset(text, 2, 1), 3);
        assert_eq!(&text[offset(text, 2, 5)..offset(text, 2, 7)], "$x");
        assert_eq!(offset(text, 9, 1), text.len());
    }

    #[test]
    fn maps_findings_to_continuation_lines_and_heredocs() {
        let src = "FROM debian:12\nRUN apt-get update && \\\n    cd /tmp ; echo $foo \\\n  | grep x\n\
                   RUN <<EOF\ncd /opt\necho $bar\nEOF\n";
        let Some(_) = binary() else { return };
        let got = findings(src);
        assert!(got.contains(&(3, 5, "SC2164".into(), "cd /tmp".into())), "{got:?}");
        assert!(got.contains(&(3, 20, "SC2086".into(), "$foo".into())), "{got:?}");
        assert!(got.contains(&(6, 1, "SC2164".into(), "cd /opt".into())), "{got:?}");
        assert!(got.contains(&(7, 6, "SC2086".into(), "$bar".into())), "{got:?}");
    }

    #[test]
    fn escape_character_and_shells() {
        let Some(_) = binary() else { return };
        let backtick = "# escape=`\nFROM debian:12\nRUN echo a && `\n    echo $X\n";
        assert_eq!(findings(backtick), vec![(4, 10, "SC2086".into(), "$X".into())]);
        // bash-only syntax is fine under SHELL bash, reported under the default sh.
        let bash = "FROM debian:12\nSHELL [\"/bin/bash\", \"-c\"]\nRUN [[ -f /x ]] && echo yes\n";
        assert!(findings(bash).is_empty(), "{:?}", findings(bash));
        let sh = "FROM debian:12\nRUN [[ -f /x ]] && echo yes\n";
        assert!(findings(sh).iter().any(|f| f.2 == "SC3010"), "{:?}", findings(sh));
        // Not for PowerShell, nor for a heredoc in another language.
        let pwsh = "FROM mcr.microsoft.com/powershell\nSHELL [\"pwsh\", \"-Command\"]\nRUN echo $x\n";
        assert!(findings(pwsh).is_empty());
        let python = "FROM python:3.12\nRUN <<EOF\n#!/usr/bin/env python3\nprint($x)\nEOF\n";
        assert!(findings(python).is_empty());
    }

    #[test]
    fn many_runs_go_to_several_processes_and_all_come_back() {
        let Some(_) = binary() else { return };
        let mut src = String::from("FROM debian:12\n");
        for _ in 0..BATCH {
            src.push_str("RUN true\n");
        }
        src.push_str("RUN echo $X\n");
        assert_eq!(findings(&src), vec![(BATCH + 2, 10, "SC2086".into(), "$X".into())]);
    }

    #[test]
    fn a_binary_that_fails_is_a_reason_not_a_panic() {
        let src = "FROM debian:12\nRUN echo $X\n";
        let file = crate::parse(src);
        let model = file.model();
        let options = LintOptions::default();
        let cx = Context::new(src, file.syntax(), &model, &options);
        // sh refuses shellcheck's options: exit status 2, a message on stderr.
        let why = check(&cx, Path::new("/bin/sh")).unwrap_err();
        assert!(why.starts_with("shellcheck (/bin/sh) failed: ") && why.len() > 30, "{why}");
        let why = check(&cx, Path::new("/bin/true")).unwrap_err();
        assert!(why.contains("unreadable output"), "{why}");
        let why = check(&cx, Path::new("/no/such/shellcheck")).unwrap_err();
        assert!(why.contains("No such file"), "{why}");
    }

    #[test]
    fn build_args_and_env_are_assigned() {
        let Some(_) = binary() else { return };
        let src = "ARG version=1\nFROM debian:12\nARG user\nENV home=/h\nRUN echo \"$version $user $home $http_proxy $missing\"\n";
        let got = findings(src);
        assert_eq!(got.iter().filter(|f| f.2 == "SC2154").map(|f| f.3.as_str()).collect::<Vec<_>>(), ["$missing"]);
    }
}
