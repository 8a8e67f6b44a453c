use super::*;

const NAIVE: &str = "\
# A naive Dockerfile
FROM python:3.11
WORKDIR /app
ENV API_TOKEN=changeme
COPY . .
RUN apt-get update && apt-get install -y gcc
RUN pip install -r requirements.txt
EXPOSE 8000
CMD python main.py
";

/// A build context holding `files`, for the transforms that read it (a fresh folder per name,
/// kept until the test process ends: tests pass its path around).
fn context(name: &str, files: &[(&str, &str)]) -> std::path::PathBuf {
    let dir = crate::semantics::context::temp_context(&format!("optimize-{name}"), files);
    let path = dir.0.clone();
    std::mem::forget(dir);
    path
}

const PYTHON_APP: &[(&str, &str)] = &[("requirements.txt", "flask\n"), ("main.py", "print(1)\n")];
const NODE_APP: &[(&str, &str)] = &[("package.json", "{}"), ("package-lock.json", "{}"), ("s.js", "1\n")];

fn in_context(dir: &std::path::Path) -> OptimizeOptions {
    OptimizeOptions { context: Some(dir.to_path_buf()), ..OptimizeOptions::default() }
}

#[test]
fn applies_each_transform_and_explains_it() {
    let dir = context("applies", PYTHON_APP);
    let out = optimize(NAIVE, &in_context(&dir));
    let transforms: Vec<&str> = out.changes.iter().map(|c| c.transform).collect();
    let all = ["base-image", "cache-order", "multi-stage", "package-caches", "secrets", "non-root", "exec-form"];
    for t in all.into_iter().chain(["python-env"]) {
        assert!(transforms.contains(&t), "{t} missing from {transforms:?}\n{}", out.text);
    }
    assert!(out.text.starts_with("# A naive Dockerfile\nFROM python:3.11-slim AS builder\n"), "{}", out.text);
    assert!(!out.text.contains("changeme"));
    let (builder, runner) = out.text.split_once("\n\nFROM python:3.11-slim\n").expect("two stages");
    assert!(
        builder.contains("COPY requirements.txt ./\nRUN pip install -r requirements.txt\nRUN site=")
            && builder.ends_with("else python -m pip uninstall --yes pip setuptools; fi"),
        "{}",
        out.text
    );
    assert!(builder.contains("apt-get install --no-install-recommends -y gcc"), "the compiler stays in the builder");
    assert!(!runner.contains("gcc") && !runner.contains("pip install"), "{runner}");
    assert!(runner.contains("RUN groupadd --system app && useradd --system --gid app --create-home app\n"));
    assert!(
        runner.contains(
            "COPY --from=builder /opt/venv /opt/venv\nENV PATH=\"/opt/venv/bin:$PATH\"\nCOPY --chown=app:app . .\n"
        ),
        "{runner}"
    );
    assert!(out.text.contains("USER app\nCMD [\"python\", \"main.py\"]"), "{}", out.text);
    assert!(out.text.contains("ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1"));
    assert_eq!(out.requirements.len(), 1);
    assert!(crate::parse(&out.text).syntax().errors.is_empty());
    let bare = optimize(NAIVE, &OptimizeOptions::default());
    assert!(bare.skipped.iter().any(|s| s.transform == "dockerignore"), "no context: skipped with a reason");
}

#[test]
fn second_run_changes_nothing() {
    let once = optimize(NAIVE, &OptimizeOptions::default());
    let twice = optimize(&once.text, &OptimizeOptions::default());
    assert_eq!(twice.text, once.text);
    assert!(twice.changes.is_empty(), "{:?}", twice.changes);
}

#[test]
fn transforms_can_be_switched_off() {
    let disabled: Vec<String> = TRANSFORMS.iter().map(|t| (*t).to_owned()).collect();
    let out = optimize(NAIVE, &OptimizeOptions { disabled, ..OptimizeOptions::default() });
    assert_eq!(out.text, NAIVE);
    let out = optimize(NAIVE, &OptimizeOptions { disabled: vec!["non-root".into()], ..OptimizeOptions::default() });
    assert!(!out.text.contains("USER"));
}

#[test]
fn build_time_secrets_need_buildkit() {
    let src = "FROM python:3.11-slim\nARG PIP_TOKEN\nRUN pip install --index-url https://x:$PIP_TOKEN@host/simple app\nUSER 1000\nCMD [\"app\"]\n";
    let plain = optimize(src, &OptimizeOptions::default());
    assert!(plain.skipped.iter().any(|s| s.transform == "secrets" && s.reason.contains("BuildKit")));
    assert!(plain.text.contains("ARG PIP_TOKEN"));
    let bk = optimize(src, &OptimizeOptions { buildkit: true, ..OptimizeOptions::default() });
    assert!(bk.text.contains("RUN --mount=type=secret,id=pip_token,env=PIP_TOKEN pip install"), "{}", bk.text);
    assert!(!bk.text.contains("ARG PIP_TOKEN"));
}

/// Found by fuzzing (`fuzz/fuzz_targets/rewrite.rs`): a key declared twice in one ARG lost
/// only its first value, and a second run removed the other.
#[test]
fn a_secret_declared_twice_in_one_instruction_goes_at_once() {
    let src =
        "FROM python:3.12-slim\nARG NV FTP_USER=app \\\n    FTP_PASSWORD=one \\\n  on \\\n    FTP_PASSWORD=two x\n";
    let once = optimize(src, &OptimizeOptions::default());
    assert!(!once.text.contains("FTP_PASSWORD="), "{}", once.text);
    assert!(once.text.contains("ARG NV FTP_USER=app"), "{}", once.text);
    assert_eq!(optimize(&once.text, &OptimizeOptions::default()).text, once.text);
}

/// Found by fuzzing (`fuzz/fuzz_targets/rewrite.rs`): two secret pairs side by side in an
/// instruction that keeps another pair were deleted with the blank between them twice, and
/// the overlapping edits panicked.
#[test]
fn neighbouring_secret_pairs_go_as_one_deletion() {
    let cases = [
        ("FROM a\nARG api_key AWS_ACCESS_KEY_ID=x y\n", "FROM a\nARG y\n"),
        ("FROM a\nARG y api_key \\\n    AWS_ACCESS_KEY_ID=x\nRUN echo $y\n", "FROM a\nARG y\nRUN echo $y\n"),
        ("FROM a\nENV A=1 DB_PASSWORD=p API_TOKEN=t B=2\n", "FROM a\nENV A=1 B=2\n"),
    ];
    for (src, want) in cases {
        let once = optimize(src, &OptimizeOptions::default());
        assert_eq!(once.text, want, "{src:?}");
        assert_eq!(once.changes.iter().filter(|c| c.transform == "secrets").count(), 2, "{src:?}");
        assert_eq!(optimize(&once.text, &OptimizeOptions::default()).text, once.text);
    }
}

#[test]
fn unknown_bases_are_skipped_not_guessed() {
    let out = optimize("FROM mycorp/base:1\nCMD [\"x\"]\n", &OptimizeOptions::default());
    assert!(out.skipped.iter().any(|s| s.transform == "non-root" && s.reason.contains("unknown")));
    let node = "FROM node:20-slim\nWORKDIR /app\nCOPY . .\nCOPY run.sh /usr/local/bin/\nEXPOSE 3000\nCMD [\"node\", \"s.js\"]\n";
    let node = optimize(node, &OptimizeOptions::default());
    assert!(node.text.contains("COPY --chown=node:node . .") && node.text.contains("USER node\nCMD"), "{}", node.text);
    // System paths stay root's: the app must not be able to rewrite its own tools.
    assert!(node.text.contains("\nCOPY run.sh /usr/local/bin/\n"), "{}", node.text);
    let tool =
        optimize("FROM alpine:3.20\nCOPY .zshrc /root/.zshrc\nENTRYPOINT [\"zsh\"]\n", &OptimizeOptions::default());
    assert!(tool.skipped.iter().any(|s| s.transform == "non-root" && s.reason.contains("/root")), "{:?}", tool.skipped);
    let script = "FROM python:3.12\nENTRYPOINT [\"docker-entrypoint.sh\"]\nCMD [\"x\"]\n";
    let out = optimize(script, &OptimizeOptions::default());
    assert!(out.skipped.iter().any(|s| s.transform == "non-root" && s.reason.contains("privileges")));
    let alpine = optimize("FROM python:3.12-alpine\nEXPOSE 8000\nCMD [\"x\"]\n", &OptimizeOptions::default());
    assert!(alpine.text.contains("RUN addgroup -S app && adduser -S -G app app"), "{}", alpine.text);
}

#[test]
fn dockerignore_is_written_from_the_context() {
    let dir = std::env::temp_dir().join(format!("dockopt-ignore-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join(".git")).unwrap();
    std::fs::create_dir_all(dir.join("pkg/__pycache__")).unwrap();
    std::fs::write(dir.join(".env"), "X=1").unwrap();
    std::fs::write(dir.join(".dockerignore"), "secrets/").unwrap();
    let out = optimize(NAIVE, &OptimizeOptions { context: Some(dir.clone()), ..OptimizeOptions::default() });
    assert_eq!(out.dockerignore.as_deref(), Some("secrets/\n.git\n**/__pycache__\n.env\n"));
    // A version read from git (setuptools_scm) needs .git; an app that loads .env needs it.
    std::fs::write(dir.join("pyproject.toml"), "[build-system]\nrequires = [\"setuptools_scm\"]\n").unwrap();
    std::fs::write(dir.join("pkg/settings.py"), "from dotenv import load_dotenv\n").unwrap();
    let out = optimize(NAIVE, &OptimizeOptions { context: Some(dir.clone()), ..OptimizeOptions::default() });
    assert_eq!(out.dockerignore.as_deref(), Some("secrets/\n**/__pycache__\n"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_dockerignore_that_cannot_be_read_as_text_is_left_alone() {
    let dir = std::env::temp_dir().join(format!("dockopt-ignore-bytes-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join(".git")).unwrap();
    std::fs::write(dir.join(".dockerignore"), b"caf\xe9.txt\n").unwrap();
    let out = optimize(NAIVE, &OptimizeOptions { context: Some(dir.clone()), ..OptimizeOptions::default() });
    assert_eq!(out.dockerignore, None);
    let skipped = out.skipped.iter().find(|s| s.transform == "dockerignore").expect("skipped");
    assert!(skipped.reason.contains("not UTF-8 (byte 3)"), "{}", skipped.reason);
    // A folder where the file should be cannot be read either.
    std::fs::remove_file(dir.join(".dockerignore")).unwrap();
    std::fs::create_dir(dir.join(".dockerignore")).unwrap();
    let out = optimize(NAIVE, &OptimizeOptions { context: Some(dir.clone()), ..OptimizeOptions::default() });
    assert_eq!(out.dockerignore, None);
    assert!(out.skipped.iter().any(|s| s.transform == "dockerignore" && s.reason.contains("cannot read")));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn cache_order_moves_only_what_provably_needs_only_manifests() {
    let node = "FROM node:20-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD [\"node\", \"s.js\"]\n";
    let dir = context("order-node", NODE_APP);
    let out = optimize(node, &OptimizeOptions { disabled: vec!["non-root".into()], ..in_context(&dir) });
    assert!(
        out.text.contains("COPY package.json package-lock.json ./\nRUN npm ci --omit=dev\nCOPY . .\n"),
        "{}",
        out.text
    );
    // Without the context, nothing tells what the install reads: skipped, not guessed.
    let out = optimize(node, &OptimizeOptions::default());
    assert!(out.skipped.iter().any(|s| s.transform == "cache-order" && s.reason.contains("no build context")));
    // Files a requirements file includes are copied too, each to its own folder.
    let py = "FROM python:3.12-slim\nCOPY . /app\nRUN pip install -r /app/requirements.txt\nCMD [\"python\", \"/app/m.py\"]\n";
    let dir = context("order-py", &[("requirements.txt", "-r req/base.txt\n"), ("req/base.txt", "flask\n")]);
    let out = optimize(py, &OptimizeOptions { disabled: vec!["multi-stage".into()], ..in_context(&dir) });
    assert!(
        out.text.contains("COPY requirements.txt /app/\nCOPY req/base.txt /app/req/\nRUN pip install"),
        "{}",
        out.text
    );
    let build = "FROM node:20-slim\nCOPY . .\nRUN npm ci && npm run build\n";
    let out = optimize(build, &OptimizeOptions::default());
    assert!(out.skipped.iter().any(|s| s.transform == "cache-order"), "{:?}", out.skipped);
    // Every install after the copy moves in one pass: a second run finds nothing to move.
    let both = "FROM node:20-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nRUN npm ci\nCMD [\"node\", \"s.js\"]\n";
    let dir = context("order-both", &[PYTHON_APP, NODE_APP].concat());
    let only = OptimizeOptions {
        disabled: TRANSFORMS.iter().filter(|t| **t != "cache-order").map(|t| (*t).into()).collect(),
        ..in_context(&dir)
    };
    let out = optimize(both, &only);
    assert_eq!(
        out.text,
        "FROM node:20-slim\nWORKDIR /app\nCOPY requirements.txt ./\nRUN pip install -r requirements.txt\n\
         COPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\nCMD [\"node\", \"s.js\"]\n"
    );
    assert_eq!(optimize(&out.text, &only).text, out.text);
    let editable = "FROM python:3.12-slim\nCOPY . .\nRUN pip install -e .\n";
    let out = optimize(editable, &OptimizeOptions::default());
    assert!(out.skipped.iter().any(|s| s.transform == "cache-order" && s.reason.contains("project itself")));
}

#[test]
fn go_builds_split_into_a_static_binary_on_scratch() {
    let go = "FROM golang:1.22\nWORKDIR /app\nENV PORT=8080\nCOPY . .\nRUN go build -o server .\nEXPOSE 8080\nCMD ./server\n";
    let server = "package main\nimport \"net/http\"\nfunc main() { http.ListenAndServe(\":8080\", nil) }\n";
    let dir = context("go", &[("go.mod", "module x\n\ngo 1.22\n"), ("main.go", server)]);
    let out = optimize(go, &in_context(&dir));
    assert_eq!(
        out.text,
        "FROM golang:1.22 AS build\nWORKDIR /app\nENV PORT=8080\nCOPY go.* ./\nRUN go mod download\nCOPY . .\n\
         RUN CGO_ENABLED=0 go build -o server .\n\
         \nFROM scratch\nCOPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/\n\
         COPY --from=build /app/server /server\nWORKDIR /app\nENV PORT=8080\nEXPOSE 8080\nUSER 65532:65532\nCMD [\"/server\"]\n"
    );
    let again = optimize(&out.text, &in_context(&dir));
    assert_eq!(again.text, out.text);
    // Files the program reads by path come along, in the same working directory.
    let templates =
        "package main\nimport \"html/template\"\nvar t = template.Must(template.ParseGlob(\"templates/*\"))\n";
    let dir = context("go-templates", &[("go.mod", "module x\n"), ("main.go", templates)]);
    let out = optimize(go, &OptimizeOptions { disabled: vec!["cache-order".into()], ..in_context(&dir) });
    assert!(out.text.contains("WORKDIR /app\nCOPY --from=build /app /app\n"), "{}", out.text);
    // An existing stage name is kept.
    let named = go.replace("FROM golang:1.22\n", "FROM golang:1.22 as go\n");
    let out = optimize(&named, &OptimizeOptions { disabled: vec!["cache-order".into()], ..in_context(&dir) });
    assert!(
        out.text.starts_with("FROM golang:1.22 as go\n") && out.text.contains("COPY --from=go /app/server /server"),
        "{}",
        out.text
    );
    // Programs it runs are not in scratch.
    let exec = "package main\nimport \"os/exec\"\nfunc main() { exec.Command(\"git\").Run() }\n";
    let dir = context("go-exec", &[("go.mod", "module x\n"), ("main.go", exec)]);
    let out = optimize(go, &in_context(&dir));
    assert!(
        out.skipped.iter().any(|s| s.transform == "multi-stage" && s.reason.contains("other programs")),
        "{:?}",
        out.skipped
    );
    let cgo =
        "FROM golang:1.22\nWORKDIR /app\nCOPY . .\nRUN apt-get install -y libfoo && go build -o s .\nCMD [\"./s\"]\n";
    let out = optimize(cgo, &OptimizeOptions::default());
    assert!(
        out.skipped.iter().any(|s| s.transform == "multi-stage" && s.reason.contains("apt-get")),
        "{:?}",
        out.skipped
    );
}

#[test]
fn healthcheck_uses_the_image_runtime_and_the_given_or_found_path() {
    let src = "FROM python:3.12-slim\nEXPOSE 8000\nUSER 1000\nCMD [\"python\", \"app.py\"]\n";
    let given = OptimizeOptions { healthcheck_path: Some("/health".into()), ..OptimizeOptions::default() };
    let out = optimize(src, &given);
    assert!(
        out.text.contains("HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD [\"python\", \"-c\""),
        "{}",
        out.text
    );
    assert!(out.text.contains("http://127.0.0.1:8000/health") && out.text.contains("\nCMD [\"python\", \"app.py\"]"));
    let none = optimize(src, &OptimizeOptions::default());
    assert!(none.skipped.iter().any(|s| s.transform == "healthcheck"));
    let dir = std::env::temp_dir().join(format!("dockopt-health-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("server.js"), "if (req.url === '/healthz') {}").unwrap();
    let node = "FROM node:20-slim\nEXPOSE 3000\nCMD [\"node\", \"server.js\"]\n";
    let found = optimize(node, &OptimizeOptions { context: Some(dir.clone()), ..OptimizeOptions::default() });
    assert!(found.text.contains("require('http').get('http://127.0.0.1:3000/healthz'"), "{}", found.text);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn node_images_install_production_dependencies_only() {
    let src = "FROM node:20-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD [\"node\", \"s.js\"]\n";
    let dir = context("node-prod", NODE_APP);
    let out = optimize(src, &in_context(&dir));
    assert!(out.text.contains("RUN npm ci --omit=dev\n"), "{}", out.text);
    assert_eq!(optimize(&out.text, &OptimizeOptions::default()).text, out.text);
    // A build needs the dev dependencies: it runs in a builder that prunes them afterwards.
    let build =
        "FROM node:20-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci\nRUN npm run build\nCMD [\"node\", \"dist/s.js\"]\n";
    let out = optimize(build, &in_context(&dir));
    assert!(
        out.text.contains("COPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\nRUN npm prune --omit=dev\n\nFROM node:20-slim\n"),
        "{}",
        out.text
    );
    assert!(
        out.text.ends_with(
            "COPY --from=builder /app /app\nRUN for d in /app; do [ -e \"$d\" ] || mkdir -p \"$d\"; chown node:node \"$d\"; done\nUSER node\nCMD [\"node\", \"dist/s.js\"]\n"
        ),
        "{}",
        out.text
    );
    assert_eq!(optimize(&out.text, &OptimizeOptions::default()).text, out.text);
    let no_workdir = "FROM node:20-slim\nCOPY . .\nRUN npm ci && npm run build\nCMD [\"node\", \"dist/s.js\"]\n";
    let out = optimize(no_workdir, &in_context(&dir));
    assert!(
        out.skipped.iter().any(|s| s.transform == "multi-stage" && s.reason.contains("WORKDIR")),
        "{:?}",
        out.skipped
    );
    let system =
        "FROM node:20-slim\nWORKDIR /app\nRUN apt-get install -y ffmpeg\nCOPY . .\nRUN npm ci && npm run build\n";
    let out = optimize(system, &in_context(&dir));
    assert!(
        out.skipped.iter().any(|s| s.transform == "multi-stage" && s.reason.contains("apt-get")),
        "{:?}",
        out.skipped
    );
    // A dev dependency the server loads at run time must stay.
    let dev = context(
        "node-dev",
        &[("package.json", r#"{"devDependencies":{"body-parser":"1"}}"#), ("s.js", "require('body-parser')\n")],
    );
    let out = optimize(src, &in_context(&dev));
    assert!(!out.text.contains("--omit=dev"), "{}", out.text);
    assert!(out.skipped.iter().any(|s| s.reason.contains("`body-parser`, a dev dependency")), "{:?}", out.skipped);
}

#[test]
fn python_split_keeps_runtime_libraries_and_skips_what_it_cannot_follow() {
    let src = "FROM python:3.12-slim\nWORKDIR /app\nRUN apt-get update && apt-get install -y \\\n    gcc \\\n    libpq-dev \\\n    libxml2-dev \\\n    make\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nCMD [\"python\", \"app.py\"]\n";
    let only_split: Vec<String> = TRANSFORMS.iter().filter(|t| **t != "multi-stage").map(|t| (*t).to_owned()).collect();
    let out = optimize(src, &OptimizeOptions { disabled: only_split.clone(), ..OptimizeOptions::default() });
    let (builder, runner) = out.text.split_once("\n\nFROM python:3.12-slim\n").expect("two stages");
    assert!(builder.contains("    gcc \\\n    libpq-dev \\\n    libxml2-dev \\\n    make\n"), "{builder}");
    // gcc and make stay behind; libpq-dev becomes its runtime library; an unknown header package is kept.
    assert!(runner.contains("apt-get install -y \\\n    libpq5 \\\n    libxml2-dev\n"), "{runner}");
    assert_eq!(out.changes[0].rules, ["DO392"]);
    assert!(crate::parse(&out.text).syntax().errors.is_empty());
    let skipped = |src: &str| {
        let out = optimize(src, &OptimizeOptions { disabled: only_split.clone(), ..OptimizeOptions::default() });
        assert_eq!(out.text, src, "a skipped split changes nothing");
        out.skipped.into_iter().find(|s| s.transform == "multi-stage").map(|s| s.reason)
    };
    let reason = skipped("FROM python:2.7\nRUN pip install x\n").unwrap();
    assert!(reason.contains("Python 2"), "{reason}");
    let reason = skipped("FROM python:3.12\nUSER app\nRUN pip install x\n").unwrap();
    assert!(reason.contains("USER"), "{reason}");
    let reason = skipped("FROM python:3.12\nRUN pip install --user x\n").unwrap();
    assert!(reason.contains("--user"), "{reason}");
    let reason = skipped("FROM python:3.12\nRUN apt-get install -y libpq5 && pip install x\n").unwrap();
    assert!(reason.contains("apt-get"), "{reason}");
    let reason = skipped("FROM python:3.12\nCOPY . .\nRUN pip install -e .\n").unwrap();
    assert!(reason.contains("whole context"), "{reason}");
    let reason = skipped("FROM python:3.12\nCOPY . .\nRUN pip install poetry && poetry install\n").unwrap();
    assert!(reason.contains("poetry"), "{reason}");
    assert_eq!(skipped("FROM python:3.12\nCMD [\"python\", \"-V\"]\n"), None, "nothing to split: no reason needed");
}

#[test]
fn new_lines_follow_the_file_s_keyword_case() {
    let lower = NAIVE.lines().map(|l| match l.split_once(' ') {
        Some((k, rest)) if !l.starts_with('#') => format!("{} {rest}\n", k.to_lowercase()),
        _ => format!("{l}\n"),
    });
    let lower: String = lower.collect();
    let dir = context("case", PYTHON_APP);
    let given = OptimizeOptions { healthcheck_path: Some("/health".into()), ..in_context(&dir) };
    let out = optimize(&lower, &given);
    let file = crate::parse(&out.text);
    let model = file.model();
    assert!(model.instructions.len() > 15, "{}", out.text);
    for ins in &model.instructions {
        assert_eq!(ins.written(), ins.written().to_lowercase(), "{}", out.text);
    }
    let upper = optimize(NAIVE, &given);
    for ins in &crate::parse(&upper.text).model().instructions {
        assert_eq!(ins.written(), ins.keyword, "{}", upper.text);
    }
}

#[test]
fn crlf_files_stay_crlf() {
    let crlf = NAIVE.replace('\n', "\r\n");
    let given = OptimizeOptions { healthcheck_path: Some("/health".into()), ..OptimizeOptions::default() };
    let out = optimize(&crlf, &given);
    assert!(out.changes.len() > 5);
    assert_eq!(out.text.matches('\n').count(), out.text.matches("\r\n").count(), "{:?}", out.text);
    assert_eq!(optimize(&out.text, &given).text, out.text);
    let fixed = crate::fix::fix(&crlf, &crate::fix::FixOptions { unsafe_fixes: true, ..Default::default() });
    assert!(fixed.applied.len() > 2);
    assert_eq!(fixed.text.matches('\n').count(), fixed.text.matches("\r\n").count(), "{:?}", fixed.text);
}

#[test]
fn a_stage_with_a_script_not_analysed_keeps_its_base_and_user() {
    // What the long script runs is unknown: it may call gcc or git, which slim lacks, or create
    // a folder the app writes, which another user could not. A script that does not parse is as
    // unknown. The same stage with a short script moves to slim and gets a USER.
    let dir = context("unanalysed", PYTHON_APP);
    let long = "echo x && ".repeat(crate::shell::MAX_SCRIPT_BYTES / 10 + 1);
    for (script, kept) in [(long.as_str(), true), ("echo 'x", true), ("echo x && ", false)] {
        let src = format!(
            "FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN {script}pip install -r requirements.txt\nCMD [\"python\", \"main.py\"]\n"
        );
        let out = optimize(&src, &in_context(&dir));
        let first = out.text.lines().next().unwrap_or_default();
        assert_eq!(first == "FROM python:3.12", kept, "{}", &out.text[..out.text.len().min(300)]);
        for transform in ["base-image", "non-root"] {
            let reason = out.skipped.iter().any(|s| {
                s.transform == transform && s.reason.contains("line 4: the RUN's script could not be analysed")
            });
            assert_eq!(reason, kept, "{transform}: {:?}", out.skipped);
        }
        assert_eq!(out.text.contains("\nUSER "), !kept, "{}", &out.text[..out.text.len().min(300)]);
    }
}

#[test]
fn a_start_script_that_does_not_parse_keeps_the_user() {
    // The script may run something that needs root; it cannot be read for it.
    let src = "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD [\"./start.sh\"]\n";
    for (script, kept) in
        [("#!/bin/sh\nif true; then\nexec python main.py\n", true), ("#!/bin/sh\nexec python main.py\n", false)]
    {
        let dir = context(
            if kept { "start-broken" } else { "start-fine" },
            &[("start.sh", script), ("main.py", "print(1)\n")],
        );
        let out = optimize(src, &in_context(&dir));
        let reason = out
            .skipped
            .iter()
            .any(|s| s.transform == "non-root" && s.reason.contains("`./start.sh` could not be analysed"));
        assert_eq!((reason, out.text.contains("\nUSER ")), (kept, !kept), "{:?}\n{}", out.skipped, out.text);
    }
}

#[test]
fn a_text_given_away_is_optimized_as_a_copied_one_and_says_whether_it_changed() {
    let dir =
        context("given-away", &[("requirements.txt", "flask\n"), ("main.py", "print(1)\n"), (".git/HEAD", "x\n")]);
    for naive in [NAIVE.to_owned(), NAIVE.replace('\n', "\r\n")] {
        let copied = optimize(naive.as_str(), &in_context(&dir));
        let given = optimize(naive, &in_context(&dir));
        assert_eq!(
            (&given.text, &given.changes, &given.dockerignore),
            (&copied.text, &copied.changes, &copied.dockerignore)
        );
        assert!(given.changed && copied.changed);
    }
    // Optimized already, it only needs the .dockerignore (not written by `optimize`): the
    // change is reported, the text is not changed.
    let once = optimize(NAIVE, &in_context(&dir));
    let twice = optimize(once.text.clone(), &in_context(&dir));
    assert_eq!(twice.text, once.text);
    assert!(!twice.changed && twice.changes.iter().any(|c| c.transform == "dockerignore"), "{:?}", twice.changes);
}
