//! End-to-end tests of the `dockopt` binary.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn dockopt(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dockopt"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
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
