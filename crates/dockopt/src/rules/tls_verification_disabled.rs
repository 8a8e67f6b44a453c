//! DO290 tls-verification-disabled: downloads with certificate checks turned off.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::lint::invocation::{is_false, is_pip, option_values, pair_range, pair_value, python_module, unwrap};
use crate::lint::{Category, Context, Edit, Fix, FixAvailability, Reporter, RuleMeta, Severity};
use crate::text::captures_after;
use crate::shell::{Command, Word};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO290",
    name: "tls-verification-disabled",
    category: Category::Security,
    severity: Severity::Warning,
    upstream: &[
        "checkov:CKV2_DOCKER_2",
        "checkov:CKV2_DOCKER_3",
        "checkov:CKV2_DOCKER_4",
        "checkov:CKV2_DOCKER_5",
        "checkov:CKV2_DOCKER_6",
        "checkov:CKV2_DOCKER_12",
        "checkov:CKV2_DOCKER_13",
        "checkov:CKV2_DOCKER_14",
        "checkov:CKV2_DOCKER_15",
        "checkov:CKV2_DOCKER_16",
        "checkov:CKV2_DOCKER_18",
    ],
    summary: "Downloads and package installs must not turn off TLS certificate verification.",
    docs: r#"## What it does
Finds options and settings that make a tool accept any TLS certificate:

- `curl -k` / `--insecure` (and `--proxy-insecure`, `--doh-insecure`), `wget --no-check-certificate`;
- `pip --trusted-host`, `pip config set global.trusted-host`, `uv --allow-insecure-host`;
- `npm`/`pnpm`/`yarn config set strict-ssl false` (and `--strict-ssl=false`, yarn's
  `enableStrictSsl false`), `composer config disable-tls true` / `secure-http false`;
- `git -c http.sslVerify=false`, `git config http.sslVerify false`;
- `apt-get -o Acquire::https::Verify-Peer=false` (or `Verify-Host`), yum/dnf
  `--setopt=sslverify=0`;
- environment variables, in `ENV`, `ARG` defaults or set inside `RUN`:
  `NODE_TLS_REJECT_UNAUTHORIZED=0`, `PYTHONHTTPSVERIFY=0`, `GIT_SSL_NO_VERIFY`,
  `NPM_CONFIG_STRICT_SSL=false`, `YARN_ENABLE_STRICT_SSL=false`, `PIP_TRUSTED_HOST`,
  `UV_INSECURE_HOST`, `GOINSECURE` and `GOFLAGS=-insecure`.

Unlike a text search, commands are read with a shell parser, so a flag that belongs to another
command of the same line (`curl ... && tar -xk`) is not mistaken for curl's.

## Why is this bad?
Without certificate checks anyone on the network path (a proxy, a compromised mirror, a
hostile Wi-Fi) can hand the build a different file, and it ends up in the image. Variables set
with `ENV` stay in the image, so the running application skips the checks too.

## Example
```dockerfile
RUN curl -fsSLk https://example.com/tool.tar.gz | tar -xz
ENV NODE_TLS_REJECT_UNAUTHORIZED=0
```

## Use instead
Install the CA certificate the server needs (for example a company proxy's) and keep checks on:
```dockerfile
COPY corp-ca.crt /usr/local/share/ca-certificates/
RUN update-ca-certificates && curl -fsSL https://example.com/tool.tar.gz | tar -xz
```

## Fix safety
When the finding is a stand-alone option word (`-k`, `--insecure`, `--no-check-certificate`),
the fix removes it. It is unsafe: a download that only worked without checks fails until the
right CA certificate is installed.
"#,
    fix: FixAvailability::Sometimes,
    default_enabled: true,
};

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        for ins in cx.instructions() {
            let effective = ins.effective();
            match effective.keyword.as_ref() {
                "ENV" | "ARG" => {
                    for pair in &effective.pairs {
                        let value = pair_value(pair);
                        // `ARG NAME` without a default sets nothing by itself.
                        if effective.keyword == "ARG" && pair.value.is_none() {
                            continue;
                        }
                        if let Some(why) = insecure_env(&pair.key, value.as_deref().unwrap_or("")) {
                            let range = pair_range(cx, ins, &pair.key);
                            out.report(range, format!("setting {} {why}; remove it", pair.key));
                        }
                    }
                }
                "RUN" => {
                    for script in cx.scripts(ins) {
                        for command in &script.commands {
                            check_command(cx, command, out);
                        }
                    }
                    check_run_assignments(cx, ins.syntax.range.clone(), out);
                }
                _ => {}
            }
        }
    }
}

/// Why setting `name` to `value` turns verification off, if it does.
fn insecure_env(name: &str, value: &str) -> Option<&'static str> {
    let set = !value.is_empty();
    match name {
        "NODE_TLS_REJECT_UNAUTHORIZED" if value.trim() == "0" => Some("to 0 makes Node.js accept any certificate"),
        "PYTHONHTTPSVERIFY" if value.trim() == "0" => Some("to 0 makes Python's urllib skip certificate checks"),
        // git turns checks off when the variable exists at all, whatever its value.
        "GIT_SSL_NO_VERIFY" => Some("makes git skip certificate checks"),
        "YARN_ENABLE_STRICT_SSL" if is_false(value) => Some("to false makes yarn accept any certificate"),
        "PIP_TRUSTED_HOST" if set => Some("makes pip skip certificate checks for its hosts"),
        "UV_INSECURE_HOST" if set => Some("makes uv skip certificate checks for its hosts"),
        "GOINSECURE" if set => Some("makes go fetch modules without certificate checks"),
        "GOFLAGS" if value.split_whitespace().any(|f| f == "-insecure") => {
            Some("with -insecure makes go skip certificate checks")
        }
        _ if name.eq_ignore_ascii_case("NPM_CONFIG_STRICT_SSL") && is_false(value) => {
            Some("to false makes npm accept any certificate")
        }
        _ => None,
    }
}

/// `NAME=value` assignments inside a RUN (`export X=1`, `X=1 cmd`, `env X=1 cmd`), found in
/// the instruction's text so that `export` and plain assignments count too. Comment lines are
/// skipped.
fn check_run_assignments(cx: &Context, range: Range<usize>, out: &mut Reporter) {
    static ASSIGN: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r#"((?i:npm_config_strict_ssl)|NODE_TLS_REJECT_UNAUTHORIZED|PYTHONHTTPSVERIFY|GIT_SSL_NO_VERIFY|YARN_ENABLE_STRICT_SSL|PIP_TRUSTED_HOST|UV_INSECURE_HOST|GOINSECURE|GOFLAGS)=("[^"]*"|'[^']*'|[^\s;&|)"']*)"#,
        )
        .expect("valid regex")
    });
    let text = cx.text(range.clone());
    // A name starts the text or follows a blank, an operator or a quote.
    let after = |c: Option<char>| c.is_none_or(|c| c.is_whitespace() || matches!(c, ';' | '&' | '|' | '(' | '"' | '\''));
    for caps in captures_after(&ASSIGN, text, after) {
        let (Some(name), Some(value)) = (caps.get(1), caps.get(2)) else { continue };
        let line_start = text[..name.start()].rfind('\n').map_or(0, |i| i + 1);
        if text[line_start..name.start()].trim_start().starts_with('#') {
            continue;
        }
        let unquoted = value.as_str().trim_matches(['"', '\'']);
        if let Some(why) = insecure_env(name.as_str(), unquoted) {
            let at = range.start + name.start()..range.start + value.end();
            out.report(at, format!("setting {} {why}; remove it", name.as_str()));
        }
    }
}

fn check_command(cx: &Context, original: &Command, out: &mut Reporter) {
    let command = unwrap(original);
    let Some(program) = command.program() else { return };
    let mut found: Vec<(&Word, String, bool)> = Vec::new();
    match program {
        "curl" => {
            if let Some(w) = command.option(Some('k'), Some("insecure")) {
                found.push((w, "curl accepts any certificate with this option".into(), true));
            }
            for long in ["proxy-insecure", "doh-insecure"] {
                if let Some(w) = command.option(None, Some(long)) {
                    found.push((w, format!("curl --{long} accepts any certificate"), true));
                }
            }
        }
        "wget" => {
            if let Some(w) = command.option(None, Some("no-check-certificate")) {
                found.push((w, "wget accepts any certificate with --no-check-certificate".into(), true));
            }
        }
        "git" => git(&command, &mut found),
        "npm" | "pnpm" | "yarn" => package_manager_config(&command, program, &mut found),
        "composer" => composer(&command, &mut found),
        "uv" => {
            for long in ["allow-insecure-host", "trusted-host"] {
                if let Some(w) = command.option(None, Some(long)) {
                    found.push((w, format!("uv --{long} skips certificate checks"), false));
                }
            }
        }
        "apt-get" | "apt" => {
            for (w, value) in option_values(&command, &["-o", "--option"]) {
                let (key, val) = value.split_once('=').unwrap_or((&value, ""));
                let key = key.to_ascii_lowercase();
                if key.starts_with("acquire::https")
                    && (key.ends_with("verify-peer") || key.ends_with("verify-host"))
                    && is_false(val)
                {
                    found.push((w, format!("{program} skips certificate checks with this option"), false));
                }
            }
        }
        "yum" | "dnf" | "microdnf" | "tdnf" | "yum-config-manager" => {
            for (w, value) in option_values(&command, &["--setopt"]) {
                let (key, val) = value.split_once('=').unwrap_or((&value, ""));
                if key.to_ascii_lowercase().ends_with("sslverify") && is_false(val) {
                    found.push((w, format!("{program} skips certificate checks with sslverify off"), false));
                }
            }
        }
        _ => {}
    }
    let pip_args = if is_pip(program) { Some(&*command.args) } else { python_module(&command, "pip") };
    if let Some(args) = pip_args {
        if let Some(w) = args.iter().take_while(|w| w.text() != "--").find(|w| {
            let t = w.text();
            t == "--trusted-host" || t.starts_with("--trusted-host=")
        }) {
            found.push((w, "pip skips certificate checks for --trusted-host hosts".into(), false));
        }
        let operands: Vec<&str> = args.iter().map(Word::text).filter(|t| !t.starts_with('-')).collect();
        if let ["config", "set", key, ..] = operands.as_slice()
            && key.ends_with("trusted-host")
        {
            let word = args.iter().find(|w| w.text() == *key).expect("operand comes from args");
            found.push((word, "pip skips certificate checks for trusted hosts".into(), false));
        }
    }
    for (word, message, removable) in found {
        let d = out.report(word.range(), format!("{message}; keep verification on"));
        if removable && word.value().is_some() && cx.text(word.range()) == word.text() {
            let flag_only = matches!(word.text(), "-k" | "--insecure" | "--no-check-certificate")
                || word.text().starts_with("--proxy-insecure")
                || word.text().starts_with("--doh-insecure");
            if flag_only {
                let start = leading_blank_start(cx.src, word.range().start);
                d.set_fix(Fix::unsafe_(
                    format!("Remove `{}`", word.text()),
                    vec![Edit::delete(start..word.range().end)],
                ));
            }
        }
    }
}

/// Where the blanks before `at` on the same line start.
fn leading_blank_start(src: &str, at: usize) -> usize {
    at - (src[..at].len() - src[..at].trim_end_matches([' ', '\t']).len())
}

/// `git -c http.sslVerify=false ...` and `git config [--global] http.sslVerify false`.
fn git<'a>(command: &'a Command, found: &mut Vec<(&'a Word, String, bool)>) {
    let insecure_key = |key: &str| {
        let key = key.to_ascii_lowercase();
        key.starts_with("http.") && key.ends_with(".sslverify")
    };
    for (w, value) in option_values(command, &["-c"]) {
        if let Some((key, val)) = value.split_once('=')
            && insecure_key(key)
            && is_false(val)
        {
            found.push((w, "git skips certificate checks with http.sslVerify off".into(), false));
        }
    }
    let args = &command.args;
    if let Some(at) = args.iter().position(|w| w.text() == "config") {
        let rest: Vec<&Word> = args[at + 1..].iter().filter(|w| !w.text().starts_with('-')).collect();
        if let [key, value, ..] = rest.as_slice()
            && insecure_key(key.text())
            && is_false(value.text())
        {
            found.push((key, "git skips certificate checks with http.sslVerify off".into(), false));
        }
    }
}

/// `npm config set strict-ssl false`, `npm set strict-ssl=false`, `--strict-ssl=false`,
/// `yarn config set enableStrictSsl false`.
fn package_manager_config<'a>(command: &'a Command, program: &str, found: &mut Vec<(&'a Word, String, bool)>) {
    let message = || format!("{program} accepts any certificate with strict-ssl off");
    for w in &command.args {
        let t = w.text();
        if t == "--no-strict-ssl" || t.strip_prefix("--strict-ssl=").is_some_and(is_false) {
            found.push((w, message(), false));
        }
    }
    let operands: Vec<&Word> = command.args.iter().filter(|w| !w.text().starts_with('-')).collect();
    let Some(at) = operands.iter().position(|w| w.text() == "set") else { return };
    let before_ok = at == 0 || (at == 1 && matches!(operands[0].text(), "config" | "c"));
    if !before_ok {
        return;
    }
    let Some(key_word) = operands.get(at + 1) else { return };
    let (key, value) = match key_word.text().split_once('=') {
        Some((k, v)) => (k.to_owned(), Some(v.to_owned())),
        None => (key_word.text().to_owned(), operands.get(at + 2).map(|w| w.text().to_owned())),
    };
    let key = key.to_ascii_lowercase();
    if matches!(key.as_str(), "strict-ssl" | "strict_ssl" | "enablestrictssl") && value.as_deref().is_some_and(is_false)
    {
        found.push((key_word, message(), false));
    }
}

/// `composer config [-g] disable-tls true` / `secure-http false`.
fn composer<'a>(command: &'a Command, found: &mut Vec<(&'a Word, String, bool)>) {
    let operands: Vec<&Word> = command.args.iter().filter(|w| !w.text().starts_with('-')).collect();
    if let [config, key, value, ..] = operands.as_slice()
        && config.text() == "config"
    {
        let insecure = match key.text() {
            "disable-tls" => crate::lint::invocation::is_true(value.text()),
            "secure-http" => is_false(value.text()),
            _ => false,
        };
        if insecure {
            found.push((key, format!("composer allows unverified downloads with {}", key.text()), false));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, check, hits};

    #[test]
    fn fires_on_insecure_download_options() {
        let src = "FROM a\nRUN apt-get update && \\\n    curl -fsSLk https://x | tar -xz && wget --no-check-certificate y\n";
        assert_eq!(hits("DO290", src), vec![(3, "-fsSLk".into()), (3, "--no-check-certificate".into())]);
        assert_eq!(hits("DO290", "FROM a\nRUN sudo curl --insecure -o f https://x\n"), vec![(2, "--insecure".into())]);
        assert_eq!(
            hits("DO290", "FROM a\nRUN pip install --trusted-host pypi.org x && python3 -m pip install --trusted-host=h y\n"),
            vec![(2, "--trusted-host".into()), (2, "--trusted-host=h".into())]
        );
        assert_eq!(hits("DO290", "FROM a\nRUN pip config set global.trusted-host h\n"), vec![(2, "global.trusted-host".into())]);
        assert_eq!(hits("DO290", "FROM a\nRUN uv pip install --allow-insecure-host h x\n").len(), 1);
    }

    #[test]
    fn fires_on_package_manager_and_git_settings() {
        assert_eq!(hits("DO290", "FROM a\nRUN npm config set strict-ssl false\n"), vec![(2, "strict-ssl".into())]);
        assert_eq!(hits("DO290", "FROM a\nRUN npm set strict-ssl=false && yarn config set enableStrictSsl false\n").len(), 2);
        assert_eq!(hits("DO290", "FROM a\nRUN npm install --strict-ssl=false\n"), vec![(2, "--strict-ssl=false".into())]);
        assert_eq!(
            hits("DO290", "FROM a\nRUN git -c http.sslVerify=false clone https://x\n"),
            vec![(2, "http.sslVerify=false".into())]
        );
        assert_eq!(hits("DO290", "FROM a\nRUN git config --global http.sslverify false\n"), vec![(2, "http.sslverify".into())]);
        assert_eq!(
            hits("DO290", "FROM a\nRUN apt-get -o Acquire::https::Verify-Peer=false update\n"),
            vec![(2, "Acquire::https::Verify-Peer=false".into())]
        );
        assert_eq!(
            hits("DO290", "FROM a\nRUN dnf install --setopt=sslverify=0 -y x\n"),
            vec![(2, "--setopt=sslverify=0".into())]
        );
        assert_eq!(hits("DO290", "FROM a\nRUN composer config -g disable-tls true\n"), vec![(2, "disable-tls".into())]);
    }

    #[test]
    fn fires_on_environment_variables() {
        let src = "FROM a\nENV NODE_TLS_REJECT_UNAUTHORIZED=0 OK=1\nARG GIT_SSL_NO_VERIFY=true\nENV npm_config_strict_ssl false\n";
        assert_eq!(
            hits("DO290", src),
            vec![
                (2, "NODE_TLS_REJECT_UNAUTHORIZED=0".into()),
                (3, "GIT_SSL_NO_VERIFY=true".into()),
                (4, "npm_config_strict_ssl".into())
            ]
        );
        let run = "FROM a\nRUN export PYTHONHTTPSVERIFY=0 && \\\n  GIT_SSL_NO_VERIFY=1 git clone x\n";
        assert_eq!(hits("DO290", run), vec![(2, "PYTHONHTTPSVERIFY=0".into()), (3, "GIT_SSL_NO_VERIFY=1".into())]);
        assert_eq!(hits("DO290", "FROM a\nENV GOFLAGS=\"-mod=mod -insecure\"\n").len(), 1);
        let message = &check("DO290", "FROM a\nENV NODE_TLS_REJECT_UNAUTHORIZED=0\n")[0].message;
        assert!(message.contains("NODE_TLS_REJECT_UNAUTHORIZED"), "{message}");
    }

    #[test]
    fn heredoc_onbuild_and_escape() {
        let heredoc = "FROM a\nRUN <<EOF\nset -e\ncurl -k https://x -o y\nEOF\n";
        assert_eq!(hits("DO290", heredoc), vec![(4, "-k".into())]);
        assert_eq!(hits("DO290", "FROM a\nONBUILD RUN wget --no-check-certificate x\n").len(), 1);
        assert_eq!(hits("DO290", "FROM a\nONBUILD ENV NODE_TLS_REJECT_UNAUTHORIZED=0\n").len(), 1);
        let escape = "# escape=`\nFROM a\nRUN curl -fsSL https://x `\n  --insecure -o y\n";
        assert_eq!(hits("DO290", escape), vec![(4, "--insecure".into())]);
    }

    #[test]
    fn quiet_on_verified_downloads_and_other_commands() {
        assert_clean("DO290", "FROM a\nRUN curl -fsSL https://x | tar -xk && wget -q y\n");
        assert_clean("DO290", "FROM a\nRUN pip install --index-url https://h/simple x\n");
        assert_clean("DO290", "FROM a\nENV NODE_TLS_REJECT_UNAUTHORIZED=1 PYTHONHTTPSVERIFY=1\nARG GIT_SSL_NO_VERIFY\n");
        assert_clean("DO290", "FROM a\nRUN npm config set strict-ssl true && git config --global http.sslVerify true\n");
        assert_clean("DO290", "FROM a\nRUN <<EOF\n# GIT_SSL_NO_VERIFY=1 was needed once\ngit clone x\nEOF\n");
        assert_clean("DO290", "FROM a\nRUN echo -k\n");
    }

    #[test]
    fn fix_removes_standalone_flags_only() {
        let src = "FROM a\nRUN curl -k -o f https://x\n";
        let fix = check("DO290", src)[0].fix.clone().unwrap();
        assert_eq!(fix.applicability, crate::lint::Applicability::Unsafe);
        assert_eq!(&src[fix.edits[0].range.clone()], " -k");
        assert!(check("DO290", "FROM a\nRUN curl -fsSLk https://x\n")[0].fix.is_none());
    }
}
