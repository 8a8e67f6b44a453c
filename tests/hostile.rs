//! The hostile-input table (tests/hostile/cases.json) run through the `dockopt` binary: each
//! case's files are generated, each command runs in a child process whose wall time and peak
//! memory (wait4's ru_maxrss, and /proc while it runs, to stop it at its limit) are measured,
//! and its outcome, output and files are checked. The Python and Node runners read the same
//! table (python/tests/hostile_runner.py, js/test/hostile.test.mjs).
//!
//! Environment: DOCKOPT_HOSTILE_BIN (a binary to test instead of the one cargo built; `heavy`
//! cases need a release build, see tests/hostile/README.md), DOCKOPT_HOSTILE_ONLY (comma-separated
//! case names, or `heavy`), DOCKOPT_HOSTILE_STOP_AT (stop children at this multiple of their
//! limits instead of at the limits: to measure how far off a known failure is).

// wait4 (the child's own peak memory) is a libc call.
#![allow(unsafe_code)]

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

const KEEP_OUTPUT: usize = 4 << 20;

fn table() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/hostile/cases.json");
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

// --- generators -------------------------------------------------------------------------

/// The bytes of a list of pieces (the table's `generators` section).
fn generate(pieces: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    let list = match pieces {
        Value::Array(list) => list.as_slice(),
        single => std::slice::from_ref(single),
    };
    for piece in list {
        match piece {
            Value::String(text) => out.extend_from_slice(text.as_bytes()),
            Value::Object(o) if o.contains_key("hex") => {
                let hex: String = o["hex"].as_str().unwrap().split_whitespace().collect();
                out.extend((0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap()));
            }
            Value::Object(o) if o.contains_key("repeat") => {
                let unit = generate(&o["repeat"]);
                out.extend(unit.repeat(o["times"].as_u64().unwrap() as usize));
            }
            Value::Object(o) if o.contains_key("random") => {
                let size = o["random"].as_u64().unwrap() as usize;
                let mask = if o.get("ascii").and_then(Value::as_bool).unwrap_or(false) { 0x7f } else { 0xff };
                let mut x = o["seed"].as_u64().unwrap() as u32;
                let mut bytes = Vec::with_capacity(size + 4);
                while bytes.len() < size {
                    x ^= x << 13;
                    x ^= x >> 17;
                    x ^= x << 5;
                    bytes.extend(x.to_le_bytes().map(|b| b & mask));
                }
                bytes.truncate(size);
                out.extend(bytes);
            }
            other => panic!("unknown piece {other}"),
        }
    }
    out
}

/// Write the case's Dockerfile and context into `dir`; the number of bytes written and
/// whether the files listed as unreadable really are (not as root).
fn materialize(case: &Value, dir: &Path) -> (usize, bool) {
    use std::os::unix::fs::PermissionsExt;
    let mut bytes = 0;
    let mut write = |path: &Path, data: Vec<u8>| {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        bytes += data.len();
        std::fs::write(path, data).unwrap();
    };
    write(&dir.join("Dockerfile"), generate(&case["input"]));
    let context = &case["context"];
    for (path, pieces) in context["files"].as_object().into_iter().flatten() {
        write(&dir.join(path), generate(pieces));
    }
    for (path, target) in context["symlinks"].as_object().into_iter().flatten() {
        let link = dir.join(path);
        std::fs::create_dir_all(link.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(target.as_str().unwrap(), link).unwrap();
    }
    let mut unreadable = true;
    for path in context["unreadable"].as_array().into_iter().flatten() {
        let path = dir.join(path.as_str().unwrap().trim_end_matches('/'));
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
        let readable =
            if path.is_dir() { std::fs::read_dir(&path).is_ok() } else { std::fs::File::open(&path).is_ok() };
        unreadable &= !readable;
    }
    (bytes, unreadable)
}

/// Make everything under `dir` readable and writable again, so that it can be removed.
fn unlock(dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let Ok(kind) = e.file_type() else { continue };
        if kind.is_symlink() {
            continue;
        }
        let mode = if kind.is_dir() { 0o755 } else { 0o644 };
        let _ = std::fs::set_permissions(e.path(), std::fs::Permissions::from_mode(mode));
        if kind.is_dir() {
            unlock(&e.path());
        }
    }
}

/// Every file under `dir` (links not followed): its content, or the link's target.
fn snapshot(dir: &Path) -> BTreeMap<String, Option<Vec<u8>>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(dir.join(&rel)) else { continue };
        for e in entries.flatten() {
            let rel = rel.join(e.file_name());
            let kind = e.file_type().unwrap();
            if kind.is_dir() {
                stack.push(rel);
            } else if kind.is_symlink() {
                let target = std::fs::read_link(e.path()).unwrap();
                out.insert(rel.display().to_string(), Some(target.into_os_string().into_encoded_bytes()));
            } else {
                out.insert(rel.display().to_string(), std::fs::read(e.path()).ok());
            }
        }
    }
    out
}

/// What a writing command did to the files that it must not do.
fn damage(before: &BTreeMap<String, Option<Vec<u8>>>, dir: &Path, failed: bool) -> Option<String> {
    let after = snapshot(dir);
    for (path, old) in before {
        let Some(new) = after.get(path) else { return Some(format!("{path} was removed")) };
        let may_change = !failed && (path == "Dockerfile" || path == ".dockerignore");
        if old != new && !may_change {
            return Some(format!(
                "{path} changed although {}",
                if failed { "the command failed" } else { "it must not" }
            ));
        }
        if let (".dockerignore", false, Some(old), Some(new)) = (path.as_str(), failed, old, new)
            && !new.starts_with(old)
        {
            return Some("the user's .dockerignore lines are gone".into());
        }
    }
    let added: Vec<&String> =
        after.keys().filter(|p| !before.contains_key(*p) && (failed || *p != ".dockerignore")).collect();
    (!added.is_empty()).then(|| format!("files left behind: {added:?}"))
}

// --- running one command ------------------------------------------------------------------

struct Run {
    /// `ok`, `error`, `crash`, `timeout`, `memory`.
    status: &'static str,
    detail: String,
    output: String,
    seconds: f64,
    peak_mb: f64,
}

fn rss_mb(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Keep the first KEEP_OUTPUT bytes of a pipe and drain the rest.
fn drain(mut pipe: impl Read + Send + 'static) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut kept = Vec::new();
        let mut buf = vec![0; 1 << 16];
        while let Ok(n) = pipe.read(&mut buf) {
            if n == 0 {
                break;
            }
            if kept.len() < KEEP_OUTPUT {
                kept.extend_from_slice(&buf[..n.min(KEEP_OUTPUT - kept.len())]);
            }
        }
        kept
    })
}

/// Run `command` on `dir`/Dockerfile; stop it past `seconds` or `mb` (times the stop factor);
/// as `uid` when given (root testing unreadable files).
fn run(bin: &Path, command: &str, dir: &Path, seconds: f64, mb: f64, uid: Option<u32>) -> Run {
    use std::os::unix::process::CommandExt;
    let file = dir.join("Dockerfile");
    let args: Vec<&str> = match command {
        "parse" => vec!["parse"],
        "lint" => vec!["lint", "--no-config", "--shellcheck", "off", "--color", "never"],
        "fix" => vec!["fix", "--write"],
        "optimize" => vec!["optimize", "--write"],
        "analyze" => vec!["analyze", "--format", "json"],
        "diff" => vec!["fix", "--diff", "--unsafe"],
        other => panic!("unknown command {other}"),
    };
    let stop = std::env::var("DOCKOPT_HOSTILE_STOP_AT").ok().and_then(|f| f.parse::<f64>().ok()).unwrap_or(1.0);
    let start = Instant::now();
    let mut cmd = Command::new(bin);
    cmd.args(args).arg(&file).current_dir(dir).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    if let Some(uid) = uid {
        cmd.uid(uid).gid(uid);
    }
    let mut child = match cmd.spawn() {
        Ok(child) => child,
        Err(e) => {
            return Run { status: "spawn", detail: e.to_string(), output: String::new(), seconds: 0.0, peak_mb: 0.0 };
        }
    };
    let pid = child.id();
    let (out, err) = (drain(child.stdout.take().unwrap()), drain(child.stderr.take().unwrap()));
    let mut stopped = None;
    let mut status = 0;
    // SAFETY: rusage is plain data that wait4 fills in; zeroed is a valid value of it.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `pid` is our own child, not yet reaped (only this loop reaps it).
        let done = unsafe { libc::wait4(pid as libc::pid_t, &mut status, libc::WNOHANG, &mut usage) };
        assert!(done >= 0, "wait4: {}", std::io::Error::last_os_error());
        if done > 0 {
            break;
        }
        let now_mb = rss_mb(pid).unwrap_or(0.0);
        if stopped.is_none() && now_mb > mb * stop {
            stopped = Some(("memory", format!("stopped at {now_mb:.0} MB (limit {mb:.0} MB)")));
        } else if stopped.is_none() && start.elapsed().as_secs_f64() > seconds * stop {
            stopped = Some(("timeout", format!("stopped after {:.1} s (limit {seconds:.1} s)", seconds * stop)));
        }
        if stopped.is_some() {
            let _ = child.kill();
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let seconds = start.elapsed().as_secs_f64();
    let peak_mb = usage.ru_maxrss as f64 / 1024.0;
    let output = String::from_utf8_lossy(&out.join().unwrap()).into_owned();
    let stderr = String::from_utf8_lossy(&err.join().unwrap()).into_owned();
    let output = format!("{output}\n{stderr}");
    if let Some((status, detail)) = stopped {
        return Run { status, detail, output, seconds, peak_mb };
    }
    let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    let (status, detail) = if let Some(line) = stderr.lines().find(|l| l.contains("panicked at")) {
        ("crash", format!("panic: {line}"))
    } else if !libc::WIFEXITED(status) {
        ("crash", format!("killed by signal {}", libc::WTERMSIG(status)))
    } else if stderr.contains("dockopt: error:") && matches!(code, Some(1 | 2)) {
        ("error", stderr.lines().find(|l| l.contains("dockopt: error:")).unwrap_or_default().to_owned())
    } else if code == Some(0) || (code == Some(1) && command == "lint") {
        ("ok", String::new())
    } else {
        ("crash", format!("exit {code:?} without an error message: {}", stderr.trim()))
    };
    Run { status, detail, output, seconds, peak_mb }
}

// --- the table ----------------------------------------------------------------------------

/// The expectation for `command`: (`ok` or `error`, substrings).
fn expectation(case: &Value, command: &str) -> (String, Vec<String>) {
    let mut e = &case["expect"];
    if let Some(map) = e.as_object().filter(|m| !m.contains_key("ok") && !m.contains_key("error")) {
        let keys = [format!("cli:{command}"), command.to_owned(), "cli:*".to_owned(), "*".to_owned()];
        e = keys.iter().find_map(|k| map.get(k.as_str())).expect("an expectation for every command");
    }
    if let Some(kind) = e.as_str() {
        return (kind.to_owned(), Vec::new());
    }
    let (kind, subs) = e.as_object().unwrap().iter().next().unwrap();
    (kind.clone(), subs.as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_owned()).collect())
}

fn known_failure(case: &Value, command: &str, runner: &str) -> Option<String> {
    let k = &case["known_failure"];
    if let Some(reason) = k.as_str() {
        return Some(reason.to_owned());
    }
    let keys = [format!("{runner}:{command}"), command.to_owned(), format!("{runner}:*"), "*".to_owned()];
    keys.iter().find_map(|key| k.get(key.as_str()).and_then(Value::as_str).map(str::to_owned))
}

fn limits(table: &Value, case: &Value, command: &str, input_mb: f64, debug: bool) -> (f64, f64) {
    let base = &table["limits"][command];
    let num = |v: &Value, key: &str| v.get(key).and_then(Value::as_f64);
    let mut seconds = num(base, "seconds").unwrap() + num(base, "seconds_per_mb").unwrap() * input_mb;
    let mut mb = num(base, "mb").unwrap() + num(base, "mb_per_mb").unwrap() * input_mb;
    let own = &case["limits"];
    for over in [own, &own[command]] {
        seconds = num(over, "seconds").unwrap_or(seconds);
        mb = num(over, "mb").unwrap_or(mb);
    }
    let factor = if debug { table["debug_time_factor"].as_f64().unwrap() } else { 1.0 };
    (seconds * factor, mb)
}

/// The binary to test, whether it is a debug build, and the release binary for heavy cases.
fn binaries() -> (PathBuf, bool, Option<PathBuf>, String) {
    if let Some(bin) = std::env::var_os("DOCKOPT_HOSTILE_BIN") {
        let bin = PathBuf::from(bin);
        let debug = bin.components().any(|c| c.as_os_str() == "debug");
        let heavy = (!debug).then(|| bin.clone());
        let why = if debug { "DOCKOPT_HOSTILE_BIN is a debug build".into() } else { String::new() };
        return (bin, debug, heavy, why);
    }
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_dockopt"));
    if !cfg!(debug_assertions) {
        return (bin.clone(), false, Some(bin), String::new());
    }
    // target/[triple/]debug/dockopt -> target/[triple/]release/dockopt, if built since.
    let release = bin.parent().unwrap().with_file_name("release").join(bin.file_name().unwrap());
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let (heavy, why) = match (modified(&release), modified(&bin)) {
        (Some(r), Some(d)) if r >= d => (Some(release), String::new()),
        (Some(_), _) => (None, format!("{} is older than the debug build: rebuild it", release.display())),
        _ => (None, format!("no release binary at {}", release.display())),
    };
    (bin, true, heavy, why)
}

/// A line of the report, written past the test harness's capture: the table (and its known
/// failures) shows in every run, also when the test passes.
fn say(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// The uid that runs the unreadable-files cases: ours, or nobody's when we are root (root
/// reads chmod 000 files).
fn unprivileged() -> Option<u32> {
    // SAFETY: geteuid has no preconditions and cannot fail.
    (unsafe { libc::geteuid() } == 0).then_some(65534)
}

#[test]
fn generators_give_the_tables_bytes() {
    for check in table()["generator_check"].as_array().unwrap().iter().filter(|c| c.is_object()) {
        let hex: String = generate(&check["input"]).iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, check["hex"].as_str().unwrap(), "{}", check["input"]);
    }
}

#[test]
fn hostile_inputs() {
    use std::os::unix::fs::PermissionsExt;
    let table = table();
    let (bin, debug, heavy_bin, heavy_why) = binaries();
    let main_debug = debug;
    let only = std::env::var("DOCKOPT_HOSTILE_ONLY").unwrap_or_default();
    let only: Vec<&str> = only.split(',').filter(|s| !s.is_empty()).collect();
    let mut failures = Vec::new();
    let mut known = Vec::new();
    say(&format!(
        "\nhostile inputs (tests/hostile/cases.json) through {} ({})",
        bin.display(),
        if debug {
            format!("a debug build: time limits x{}", table["debug_time_factor"])
        } else {
            "a release build".into()
        }
    ));
    say(&format!("{:<30} {:<9} {:<7} {:>14} {:>14}  note", "case", "command", "result", "s (limit)", "MB (limit)"));
    for case in table["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let heavy = case["heavy"].as_bool().unwrap_or(false);
        let selected = only.is_empty() || only.contains(&name) || (heavy && only.contains(&"heavy"));
        if !selected {
            continue;
        }
        let (bin, debug) = match (&heavy_bin, heavy) {
            (Some(release), true) => (release.clone(), false),
            (None, true) => {
                say(&format!(
                    "{name:<30} {:<9} SKIPPED heavy case, needs a release build: {heavy_why} \
                     (cargo build --release -p dockopt-cli, or set DOCKOPT_HOSTILE_BIN)",
                    "*"
                ));
                continue;
            }
            _ => (bin.clone(), debug),
        };
        for command in case["commands"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()) {
            let dir = tempfile::tempdir().unwrap();
            let (bytes, unreadable) = materialize(case, dir.path());
            let mut uid = None;
            let mut as_nobody = "";
            if !unreadable {
                uid = unprivileged();
                if uid.is_none() {
                    say(&format!(
                        "{name:<30} {command:<9} SKIPPED chmod 000 does not stop this user from reading: not run"
                    ));
                    unlock(dir.path());
                    continue;
                }
                // The child writes its temporary files (optimize --write) into the folder.
                std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
                as_nobody = " (run as uid 65534: we are root, who reads chmod 000 files)";
            }
            let input_mb = bytes as f64 / 1e6;
            let (max_s, max_mb) = limits(&table, case, command, input_mb, debug);
            let writes = matches!(command, "fix" | "optimize");
            let before = writes.then(|| snapshot(dir.path()));
            let r = run(&bin, command, dir.path(), max_s, max_mb, uid);
            if r.status == "spawn" {
                say(&format!("{name:<30} {command:<9} SKIPPED could not start the binary as uid 65534: {}", r.detail));
                unlock(dir.path());
                continue;
            }
            let (want, subs) = expectation(case, command);
            let mut problems = Vec::new();
            match r.status {
                "ok" | "error" if r.status != want => {
                    problems.push(format!("expected {want}, got {}: {}", r.status, r.detail))
                }
                "ok" | "error" => {}
                _ => problems.push(format!("{}: {}", r.status, r.detail)),
            }
            if r.status == want {
                let missing: Vec<&String> = subs.iter().filter(|s| !r.output.contains(s.as_str())).collect();
                if !missing.is_empty() {
                    problems.push(format!("output lacks {missing:?}"));
                }
            }
            if r.seconds > max_s && r.status != "timeout" {
                problems.push(format!("took {:.2} s > {max_s:.1} s", r.seconds));
            }
            if r.peak_mb > max_mb && r.status != "memory" {
                problems.push(format!("peak {:.0} MB > {max_mb:.0} MB", r.peak_mb));
            }
            if let Some(d) = before.as_ref().and_then(|b| damage(b, dir.path(), r.status != "ok")) {
                problems.push(format!("files: {d}"));
            }
            unlock(dir.path());
            let k = known_failure(case, command, "cli");
            let result = match (problems.is_empty(), &k) {
                (true, None) => "ok",
                (true, Some(_)) => "FIXED?",
                (false, Some(_)) => "KNOWN",
                (false, None) => "FAIL",
            };
            let mut note = problems.join("; ");
            if let Some(reason) = &k {
                note = if problems.is_empty() {
                    format!("known failure passes now: remove it from the table ({reason})")
                } else {
                    format!("{note} [known failure: {reason}]")
                };
            }
            let build = if heavy && !debug && main_debug { " (release build)" } else { "" };
            say(&format!(
                "{name:<30} {command:<9} {result:<7} {:>14} {:>14}  {note}{build}{as_nobody}",
                format!("{:.2} ({max_s:.1})", r.seconds),
                format!("{:.0} ({max_mb:.0})", r.peak_mb),
            ));
            match result {
                "FAIL" => failures.push(format!("{name} {command}: {note}")),
                "KNOWN" | "FIXED?" => known.push(format!("{name} {command}: {note}")),
                _ => {}
            }
        }
    }
    if !known.is_empty() {
        say(&format!("\nKNOWN FAILURES ({}), to fix in dockopt:\n  {}", known.len(), known.join("\n  ")));
    }
    assert!(failures.is_empty(), "{} hostile cases failed:\n{}", failures.len(), failures.join("\n"));
}
