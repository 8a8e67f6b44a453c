//! Property tests: on generated single-stage Dockerfiles (built from the patterns real files
//! combine: separate apt update/install RUNs, compilers, git and curl, manifests and installs,
//! health checks, shell-form starts), `optimize` with a build context keeps what the build
//! semantics say the image needs:
//! - every stage still has each command, compiler and library its original base provided and
//!   it uses (no slim/Alpine base that lacks them);
//! - no RUN reads apt's lists after a RUN of the same stage chain removed them;
//! - the shipped stage starts the same program with the same arguments, in the same working
//!   directory, with the same ENV keys and EXPOSEd ports;
//! - the output parses and a second run changes nothing.

use proptest::prelude::*;

use super::{OptimizeOptions, command_words, optimize};
use crate::lint::Context;
use crate::lint::invocation::stage_chain;
use crate::semantics::BuildContext;
use crate::semantics::bases::lookup;
use crate::semantics::needs::missing_on;
use crate::semantics::provenance::workdir_at;

const BASES: [&str; 5] = ["python:3.11", "python:3.11-slim", "node:20", "node:20-slim", "debian:bookworm"];

const BODY: [&str; 25] = [
    "COPY . /app",
    "RUN pip install -r /app/requirements.txt",
    "WORKDIR /srv",
    "RUN npm run build",
    "RUN npm install -g pm2",
    "VOLUME /data",
    "RUN apt-get update && apt-get install -y python3-pip",
    "RUN pip install git+https://example.com/x.git",
    "WORKDIR /app",
    "RUN apt-get update",
    "RUN apt-get install -y curl",
    "RUN apt-get update && apt-get install -y gcc libpq-dev",
    "RUN apt-get install -y git",
    "RUN git clone https://example.com/x.git /x",
    "RUN curl -fsSL https://example.com/x -o /x",
    "RUN make -C /x",
    "COPY . .",
    "COPY requirements.txt .",
    "RUN pip install -r requirements.txt",
    "RUN pip install psycopg2==2.9.9",
    "RUN npm ci",
    "ENV PORT=8000",
    "EXPOSE 8000",
    "HEALTHCHECK CMD curl -f http://localhost:8000/",
    "RUN mkdir -p /app/data",
];

const STARTS: [&str; 6] = [
    "CMD python app.py",
    "CMD [\"node\", \"s.js\"]",
    "CMD ./run.sh --port 8000",
    "ENTRYPOINT python app.py",
    "ENTRYPOINT [\"./run.sh\"]\nCMD [\"--port\", \"8000\"]",
    "CMD pm2-runtime s.js",
];

/// A context holding what the generated files name.
fn context() -> &'static std::path::Path {
    static DIR: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("dockopt-properties-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        for (path, text) in [
            ("requirements.txt", "flask\n"),
            ("package.json", "{\"dependencies\":{\"express\":\"4\"}}"),
            ("package-lock.json", "{\"lockfileVersion\":3,\"packages\":{}}"),
            ("app.py", "print(1)\n"),
            ("s.js", "require('express')\n"),
            ("run.sh", "#!/bin/sh\nexec python app.py \"$@\"\n"),
        ] {
            std::fs::write(dir.join(path), text).unwrap();
        }
        dir
    })
}

/// What the shipped stage presents at run time: start words (program by file name), working
/// directory, ENV keys, ports.
fn runtime(text: &str) -> (Vec<String>, Option<String>, Vec<String>, Vec<String>) {
    Context::read(text, |cx| {
        let stage = cx.model.stages.last().unwrap();
        let ins: Vec<_> = stage.instructions.iter().map(|&i| cx.ins(i)).collect();
        let start: Vec<String> = ins
            .iter()
            .filter(|i| i.is("CMD") || i.is("ENTRYPOINT"))
            .flat_map(|i| command_words(i.model).into_iter().map(|w| w.rsplit('/').next().unwrap_or(w).to_owned()))
            .collect();
        let workdir = ins.last().and_then(|last| {
            let at = workdir_at(cx, *last);
            if last.is("WORKDIR") { crate::lint::paths::resolve(at.as_deref(), &last.model.arguments[0]) } else { at }
        });
        let mut env: Vec<String> = ins
            .iter()
            .filter(|i| i.is("ENV"))
            .flat_map(|i| i.model.pairs.iter().map(|p| p.key.to_string()))
            .filter(|k| !k.starts_with("PYTHON") && k != "PATH")
            .collect();
        env.sort();
        env.dedup();
        let mut ports: Vec<String> =
            ins.iter().filter(|i| i.is("EXPOSE")).flat_map(|i| i.model.arguments.clone()).collect();
        ports.sort();
        (start, workdir, env, ports)
    })
}

/// Whether a RUN reads apt's lists after an earlier RUN of its stage chain removed them (with no
/// update of its own before the read).
fn reads_removed_lists(text: &str) -> Option<usize> {
    Context::read(text, |cx| {
        let mut removed: Vec<usize> = Vec::new(); // stages whose lists are gone
        for ins in cx.instructions().filter(|i| i.is("RUN")) {
            let stage = ins.model.stage()?;
            let chain = stage_chain(cx, stage);
            let mut fresh = false;
            for c in cx.scripts(ins).iter().flat_map(|s| &s.commands) {
                let apt = c.is("apt-get") || c.is("apt");
                if apt && c.subcommand() == Some("update") {
                    fresh = true;
                } else if apt
                    && c.subcommand() == Some("install")
                    && !fresh
                    && chain.iter().any(|s| removed.contains(s))
                {
                    return Some(ins.model.span.start.line as usize);
                } else if c.is("rm") && c.args.iter().any(|w| w.text().starts_with("/var/lib/apt/lists")) {
                    removed.push(stage);
                }
            }
        }
        None
    })
}

fn check(original: &str) {
    let options = OptimizeOptions { context: Some(context().to_path_buf()), ..OptimizeOptions::default() };
    let out = optimize(original, &options);
    let text = &out.text;
    assert!(crate::parse(text).syntax().errors.is_empty(), "does not parse:\n{text}");
    assert_eq!(&optimize(text, &options).text, text, "a second run changed:\n{text}");
    // Every stage keeps what the original base gave the commands it runs.
    let original_base = Context::read(original, |cx| cx.model.stages[0].image.clone()).and_then(|i| lookup(&i));
    if let Some(before) = original_base {
        let context = BuildContext::new(context());
        Context::read(text, |cx| {
            for stage in &cx.model.stages {
                let Some(after) = stage.image.as_ref().and_then(lookup) else { continue };
                let missing = missing_on(cx, stage.index, Some(&context), before, after);
                assert!(missing.is_empty(), "{missing:?}\n--- original\n{original}--- optimized\n{text}");
            }
        });
    }
    assert_eq!(reads_removed_lists(text), None, "apt lists removed before a later install:\n{text}");
    let (start, workdir, env, ports) = runtime(original);
    let (start2, workdir2, env2, ports2) = runtime(text);
    assert_eq!(start, start2, "start command\n--- original\n{original}--- optimized\n{text}");
    assert_eq!(workdir, workdir2, "working directory\n--- original\n{original}--- optimized\n{text}");
    assert!(env.iter().all(|k| env2.contains(k)), "ENV {env:?} -> {env2:?}\n{text}");
    assert_eq!(ports, ports2, "EXPOSE\n{text}");
}

fn dockerfile() -> impl Strategy<Value = String> {
    (
        prop::sample::select(BASES.to_vec()),
        prop::collection::vec(prop::sample::select(BODY.to_vec()), 0..9),
        prop::sample::select(STARTS.to_vec()),
    )
        .prop_map(|(base, body, start)| {
            let mut text = format!("FROM {base}\n");
            for line in body {
                text.push_str(line);
                text.push('\n');
            }
            text.push_str(start);
            text.push('\n');
            text
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn optimize_keeps_what_the_build_and_the_app_use(text in dockerfile()) {
        check(&text);
    }
}

#[test]
fn known_breakages_stay_fixed() {
    // The cases: an update in its own RUN, a compiler on a full image, curl in a probe.
    check(
        "FROM python:3.11\nRUN apt-get update\nRUN apt-get install -y libpq-dev\nCOPY . .\nRUN pip install -r requirements.txt\nCMD python app.py\n",
    );
    check("FROM python:3.11\nWORKDIR /app\nCOPY . .\nRUN make -C /x\nCMD python app.py\n");
    check(
        "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\nHEALTHCHECK CMD curl -f http://localhost:8000/\nCMD [\"node\", \"s.js\"]\n",
    );
    // Found by the property test in a CI run: pip installs before the copy kept npm's install
    // after it in the first run; once they moved to the builder, the second run reordered npm.
    check(
        "FROM python:3.11\nRUN pip install -r requirements.txt\nRUN apt-get update && apt-get install -y gcc libpq-dev\nRUN pip install git+https://example.com/x.git\nCOPY . .\nRUN npm ci\nCMD python app.py\n",
    );
}
