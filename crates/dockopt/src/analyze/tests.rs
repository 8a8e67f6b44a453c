use super::rebuild::Scenario;
use super::*;
use crate::semantics::context::temp_context;

fn run(text: &str) -> Report {
    analyze(text, &AnalyzeOptions::default())
}

fn with_context(text: &str, dir: &std::path::Path) -> Report {
    analyze(text, &AnalyzeOptions { context: Some(dir.to_path_buf()), ..AnalyzeOptions::default() })
}

fn added(r: &Report, line: usize) -> u64 {
    r.stages.iter().flat_map(|s| &s.instructions).find(|i| i.line as usize == line).map_or(0, |i| i.bytes)
}

fn scenario<'a>(r: &'a Report, change: &str) -> &'a Scenario {
    r.rebuild.scenarios.iter().find(|s| s.change == change).unwrap_or_else(|| panic!("no {change} scenario"))
}

fn rerun_lines(s: &Scenario) -> Vec<usize> {
    s.reruns.iter().map(|r| r.line).collect()
}

#[test]
fn base_sizes_come_from_the_table_or_the_caller() {
    let full = run("FROM python:3.12\n");
    let slim = run("FROM python:3.12-slim\n");
    assert_eq!(full.image.size_basis, Basis::Estimated);
    assert!(slim.image.size_bytes * 3 < full.image.size_bytes, "slim is a fraction of the full image");
    let given = analyze(
        "FROM python:3.12-slim\n",
        &AnalyzeOptions { base_sizes: vec![("python:3.12-slim".into(), 123)], ..AnalyzeOptions::default() },
    );
    assert_eq!((given.image.size_bytes, given.image.size_basis), (123, Basis::Given));
    let unknown = run("FROM example.com/team/base:1\nRUN true\n");
    assert!(unknown.image.incomplete && unknown.image.size_bytes == 0);
    let scratch = run("FROM scratch\nCOPY --from=busybox:1 /bin/busybox /busybox\n");
    assert_eq!(scratch.stages[0].base_bytes, 0);
}

#[test]
fn copies_are_measured_after_dockerignore() {
    let dir = temp_context(
        "an-copy",
        &[("app.py", &"x".repeat(1000)), ("big.bin", &"y".repeat(5000)), (".dockerignore", "*.bin\n")],
    );
    let r = with_context("FROM python:3.12-slim\nCOPY . /app\nCOPY app.py /app/\n", &dir.0);
    let line2 = &r.stages[0].instructions[0];
    assert_eq!(line2.basis, Basis::Measured);
    assert_eq!(line2.bytes, 1000 + "*.bin\n".len() as u64, "big.bin is ignored");
    assert_eq!(added(&r, 3), 1000);
    let no_context = run("FROM python:3.12-slim\nCOPY . /app\n");
    assert!(no_context.image.incomplete, "without the context a COPY is unknown");
}

#[test]
fn package_caches_and_lists_count_until_removed_in_the_same_layer() {
    let kept = run("FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl\n");
    let removed = run(
        "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n",
    );
    let later = run(
        "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl\nRUN rm -rf /var/lib/apt/lists/*\n",
    );
    assert_eq!(added(&kept, 2) - added(&removed, 2), super::sizes::apt().lists);
    assert_eq!(later.image.size_bytes, kept.image.size_bytes, "a later layer's rm frees nothing");
    let recommends = run("FROM debian:bookworm-slim\nRUN apt-get install -y git\n");
    let without = run("FROM debian:bookworm-slim\nRUN apt-get install -y --no-install-recommends git\n");
    assert!(added(&recommends, 2) >= added(&without, 2));
    let cached = run("FROM python:3.12-slim\nRUN pip install flask\n");
    let uncached = run("FROM python:3.12-slim\nRUN pip install --no-cache-dir flask\n");
    let env = run("FROM python:3.12-slim\nENV PIP_NO_CACHE_DIR=1\nRUN pip install flask\n");
    let mount = run("FROM python:3.12-slim\nRUN --mount=type=cache,target=/root/.cache/pip pip install flask\n");
    assert!(added(&cached, 2) > added(&uncached, 2));
    assert_eq!(added(&env, 3), added(&uncached, 2));
    assert_eq!(added(&mount, 2), added(&uncached, 2));
}

#[test]
fn packages_the_base_has_add_nothing() {
    let r = run("FROM python:3.12\nRUN apt-get install -y --no-install-recommends gcc libpq-dev\n");
    assert_eq!(added(&r, 2), 0, "the full python image has gcc and libpq-dev");
    let slim = run("FROM python:3.12-slim\nRUN apt-get install -y --no-install-recommends gcc libpq-dev\n");
    assert!(added(&slim, 2) > 10_000_000, "{}", added(&slim, 2));
}

#[test]
fn requirements_are_read_through_the_copy() {
    let dir = temp_context("an-req", &[("requirements.txt", "flask==3.0\nrequests\n"), ("app.py", "")]);
    let r = with_context(
        "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n",
        &dir.0,
    );
    let part = &r.stages[0].instructions[1].parts[0];
    assert!(part.what.contains("pip:") && part.bytes > 0, "{part:?}");
    let alone = run("FROM python:3.12-slim\nRUN pip install --no-cache-dir flask requests\n");
    assert_eq!(part.bytes, added(&alone, 2), "the same distributions, read from the file");
}

#[test]
fn copy_from_a_stage_takes_what_was_written_there() {
    let text = "FROM python:3.12 AS builder\nRUN python -m venv /opt/venv\nRUN /opt/venv/bin/pip install --no-cache-dir flask\n\
                FROM python:3.12-slim\nCOPY --from=builder /opt/venv /opt/venv\n";
    let r = run(text);
    assert!(added(&r, 3) > 0 && added(&r, 2) > 10_000_000, "the venv holds pip");
    assert_eq!(added(&r, 5), added(&r, 2) + added(&r, 3), "the venv and its packages, once");
    let without_pip =
        run(&text.replace("flask\n", "flask && /opt/venv/bin/pip uninstall -y pip && rm -rf /opt/venv/share\n"));
    assert_eq!(added(&without_pip, 2), added(&r, 2), "the layer keeps pip");
    assert!(added(&without_pip, 5) + 10_000_000 < added(&r, 5), "what the stage deleted is not copied");
    let nested = run(
        &text.replace("COPY --from=builder /opt/venv /opt/venv", "COPY --from=builder /opt/venv /opt /opt-x /out/")
    );
    assert_eq!(added(&nested, 5), added(&r, 5), "a source inside another counts once");
    let beside = run(&text.replace("COPY --from=builder /opt/venv /opt/venv", "COPY --from=builder /opt/venv-x /out/"));
    assert_eq!(added(&beside, 5), 0, "/opt/venv-x is not below /opt/venv");
    assert_eq!(r.image.stage, "1");
    let go = run(
        "FROM golang:1.22 AS build\nWORKDIR /src\nRUN go build -o /out/server .\nFROM scratch\nCOPY --from=build /out/server /server\n",
    );
    assert!(added(&go, 5) > 1_000_000 && go.image.size_bytes < 50_000_000, "{}", go.image.size_bytes);
}

#[test]
fn recursive_chown_copies_the_folder_again() {
    let dir = temp_context("an-chown", &[("app.py", &"x".repeat(4000))]);
    let r = with_context("FROM python:3.12-slim\nCOPY . /app\nRUN chown -R 1000 /app\n", &dir.0);
    assert_eq!(added(&r, 3), 4000);
    let copy_chown = with_context("FROM python:3.12-slim\nCOPY --chown=1000 . /app\n", &dir.0);
    assert_eq!(copy_chown.image.size_bytes + 4000, r.image.size_bytes);
    let other_stage =
        "FROM python:3.12 AS build\nCOPY . /app\nFROM python:3.12-slim\nCOPY app.py /app/\nRUN chown -R 1000 /app\n";
    let r = with_context(other_stage, &dir.0);
    assert_eq!(added(&r, 5), 4000, "only what this stage's image holds, not the builder's /app");
}

#[test]
fn a_source_change_reruns_from_the_copy_that_takes_it() {
    let dir = temp_context(
        "an-src",
        &[("requirements.txt", "flask\n"), ("app.py", ""), ("notes.log", ""), (".dockerignore", "*.log\n")],
    );
    let ordered = "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nCMD [\"python\", \"app.py\"]\n";
    let r = with_context(ordered, &dir.0);
    let source = scenario(&r, "source");
    assert_eq!(source.files, ["app.py"]);
    assert_eq!(rerun_lines(source), [5, 6]);
    assert!(!source.installs_rerun);
    assert_eq!(source.steps, 6);
    let manifest = scenario(&r, "manifest");
    assert_eq!(manifest.files, ["requirements.txt"]);
    assert_eq!(rerun_lines(manifest), [3, 4, 5, 6]);
    assert!(manifest.installs_rerun);
    assert!(scenario(&r, "nothing").reruns.is_empty());
    let naive =
        with_context("FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n", &dir.0);
    assert!(scenario(&naive, "source").installs_rerun);
    let ignored = analyze(
        ordered,
        &AnalyzeOptions {
            context: Some(dir.0.clone()),
            changed: vec!["notes.log".into()],
            ..AnalyzeOptions::default()
        },
    );
    assert!(scenario(&ignored, "files").reruns.is_empty(), "an ignored file never reaches the builder");
}

#[test]
fn stages_rerun_through_their_dependencies() {
    let dir = temp_context("an-stages", &[("go.mod", "module x\n"), ("go.sum", ""), ("main.go", "package main\n")]);
    let text = "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nRUN go build -o /server .\n\
                FROM debian:bookworm-slim AS unused\nRUN echo unused\n\
                FROM scratch\nCOPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/\n\
                COPY --from=build /server /server\nENTRYPOINT [\"/server\"]\n";
    let r = with_context(text, &dir.0);
    let source = scenario(&r, "source");
    assert_eq!(source.files, ["main.go"]);
    assert_eq!(rerun_lines(source), [5, 6, 11, 12], "the certificates copied from the base are unchanged");
    assert_eq!(source.steps, 6 + 4, "the unused stage is not built");
    assert_eq!(r.rebuild.built, [0, 2]);
    assert_eq!(source.reruns[2].step, 3, "buildah's step number within the stage");
    let on_base = "FROM python:3.12-slim AS base\nCOPY app.py /\nFROM base\nRUN echo hi\n";
    let dir = temp_context("an-stages2", &[("app.py", "")]);
    let r = with_context(on_base, &dir.0);
    assert_eq!(rerun_lines(scenario(&r, "source")), [2, 3, 4], "a stage built on a changed stage re-runs whole");
}

#[test]
fn build_args_and_mounts() {
    let text = "FROM python:3.12-slim\nRUN echo before\nARG VERSION=1\nCOPY x /x\nRUN echo $VERSION\nRUN echo after\n";
    let r = run(text);
    let arg = r.rebuild.scenarios.iter().find(|s| s.change == "build-arg").unwrap();
    assert_eq!(arg.files, ["VERSION"]);
    assert_eq!(rerun_lines(arg), [5, 6], "the first RUN after the ARG, and all after it");
    let many: String = (0..40).map(|i| format!("ARG A{i}=1\nRUN echo {i}\n")).collect();
    let r = run(&format!("FROM python:3.12-slim\n{many}"));
    let args = r.rebuild.scenarios.iter().filter(|s| s.change == "build-arg").count();
    assert_eq!((args, r.rebuild.omitted_build_args), (rebuild::BUILD_ARG_SCENARIOS, 40 - rebuild::BUILD_ARG_SCENARIOS));
    let dir = temp_context("an-mounts", &[("requirements.txt", "flask\n"), ("app.py", "")]);
    let mounted = "FROM python:3.12-slim\nRUN --mount=type=bind,source=requirements.txt,target=/r.txt --mount=type=cache,target=/root/.cache/pip pip install -r /r.txt\nCOPY app.py /\n";
    let r = with_context(mounted, &dir.0);
    assert_eq!(rerun_lines(scenario(&r, "source")), [3]);
    let manifest = analyze(
        mounted,
        &AnalyzeOptions {
            context: Some(dir.0.clone()),
            changed: vec!["requirements.txt".into()],
            ..AnalyzeOptions::default()
        },
    );
    let files = scenario(&manifest, "files");
    assert_eq!(rerun_lines(files), [2, 3]);
    assert!(files.reruns[0].install && files.reruns[0].cache_mount);
}

#[test]
fn context_scan_counts_offenders_and_secret_files() {
    let dir = temp_context(
        "an-scan",
        &[
            ("app.py", "print(1)\n"),
            (".env", "TOKEN=x\n"),
            ("keys/id_rsa", "k"),
            ("keys/id_rsa.pub", "p"),
            (".env.example", "TOKEN=\n"),
            ("venv/pyvenv.cfg", "home = /usr\n"),
            ("venv/lib/site.py", &"s".repeat(3000)),
            (".dockerignore", "venv\nkeys\n"),
        ],
    );
    let r = with_context("FROM python:3.12-slim\nCOPY . /app\n", &dir.0);
    let c = r.context.as_ref().unwrap();
    assert_eq!(c.without_dockerignore.files, 8);
    assert_eq!(c.sent.files, 4, "app.py, .env, .env.example, .dockerignore");
    let venv = c.offenders.iter().find(|o| o.path == "venv").unwrap();
    assert_eq!((venv.kind, venv.files, venv.ignored), ("virtualenv", 2, true));
    let secrets: Vec<(&str, bool, bool)> =
        c.secrets.iter().map(|s| (s.path.as_str(), s.ignored, !s.copied_by.is_empty())).collect();
    assert_eq!(secrets, [(".env", false, true), ("keys/id_rsa", true, false)]);
}

#[test]
fn security_signals_and_no_secret_value_in_the_report() {
    let value = "AKIAIOSFODNN7EXAMPLE";
    let text = format!(
        "FROM python:3.12-slim@sha256:{}\nENV AWS_ACCESS_KEY_ID={value}\nUSER app\nHEALTHCHECK CMD true\nCMD python app.py\n",
        "a".repeat(64)
    );
    let r = run(&text);
    let s = &r.security;
    assert_eq!((s.user.as_str(), s.root, s.user_line), ("app", false, Some(3)));
    assert_eq!(s.healthcheck, Some(4));
    assert_eq!(s.cmd_form, Some("shell"));
    assert_eq!(s.base_images[0].pinning, "digest");
    assert!(!s.secrets.is_empty());
    let json = serde_json::to_string(&r).unwrap();
    assert!(!json.contains(value), "the secret value leaked into the report");
    let card = crate::output::card::human(&r, "Dockerfile") + &crate::output::card::markdown(&r, "Dockerfile");
    assert!(!card.contains(value));
    let pins: Vec<&str> = ["node", "node:20", "node:20.11.1-slim", "node:lts"]
        .iter()
        .map(|b| run(&format!("FROM {b}\n")).security.base_images[0].pinning)
        .collect();
    assert_eq!(pins, ["floating", "partial", "exact", "floating"]);
    let none = run("FROM python:3.12-slim\nHEALTHCHECK NONE\n");
    assert!(none.security.root && none.security.healthcheck.is_none());
}

/// The report holds a part for every RUN, COPY and ADD and a finding for every unpinned
/// install: what they repeat is held once.
#[test]
fn parts_and_findings_that_say_the_same_share_their_text() {
    let step = "RUN apt-get install -y curl && rm -rf /var/lib/apt/lists/*\nCOPY app.py /app/\n";
    let r = run(&format!("FROM debian:12\n{step}{step}"));
    let layers = &r.stages[0].instructions;
    assert_eq!(layers.iter().map(|i| i.keyword.as_str()).collect::<Vec<_>>(), ["RUN", "COPY", "RUN", "COPY"]);
    for (a, b) in [(&layers[0], &layers[2]), (&layers[1], &layers[3])] {
        assert!(!a.parts.is_empty() && a.parts.len() == b.parts.len(), "{a:?} {b:?}");
        for (x, y) in a.parts.iter().zip(&b.parts) {
            assert!(std::sync::Arc::ptr_eq(&x.what, &y.what), "{x:?} {y:?}");
            match (&x.path, &y.path) {
                (Some(p), Some(q)) => assert!(std::sync::Arc::ptr_eq(p, q), "{x:?} {y:?}"),
                (p, q) => assert_eq!(p, q),
            }
        }
    }
    let unpinned = &r.security.unpinned_packages;
    assert_eq!(unpinned.len(), 2, "{unpinned:?}");
    assert_eq!(unpinned[0].message.as_str(), unpinned[1].message.as_str());
    assert_eq!(unpinned[0].message.as_ptr(), unpinned[1].message.as_ptr(), "one message, not two copies");
}

#[test]
fn never_panics_on_odd_input() {
    for text in [
        "",
        "FROM",
        "COPY --from= / /\n",
        "FROM a AS b\nFROM b\nCOPY --from=b\n",
        "RUN chown -R\n",
        "FROM x\nRUN npm install -g\n",
        "FROM $X\nARG\n",
    ] {
        let r = run(text);
        let _ = crate::output::card::human(&r, "x");
    }
}

#[test]
fn build_args_choose_the_base_and_the_branches_a_run_takes() {
    let text = "ARG FLAVOR=alpine\nFROM python:3.12-${FLAVOR}\nARG MINIMAL\nARG GPU\n\
        RUN if [ \"$MINIMAL\" != \"true\" ]; then pip install torch; else pip install flask; fi\n\
        RUN [ -n \"$GPU\" ] && pip install numpy || true\n";
    let with = |args: &[(&str, &str)]| {
        let build_args = args.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        analyze(text, &AnalyzeOptions { build_args, ..AnalyzeOptions::default() })
    };
    let default = with(&[]);
    let minimal = with(&[("FLAVOR", "slim"), ("MINIMAL", "true")]);
    assert_eq!(default.stages[0].image.as_deref(), Some("python:3.12-alpine"));
    assert_eq!(minimal.stages[0].image.as_deref(), Some("python:3.12-slim"));
    let what = |r: &Report, line: usize| -> String {
        let ins = r.stages[0].instructions.iter().find(|i| i.line as usize == line).unwrap();
        ins.parts.iter().map(|p| p.what.clone()).collect::<Vec<_>>().join("; ")
    };
    // MINIMAL unset: the torch branch runs; its `else` does not.
    assert!(default.stages[0].instructions.iter().find(|i| i.line == 5).unwrap().bytes > 500_000_000);
    assert_eq!(what(&default, 5).matches("pip:").count(), 1, "{}", what(&default, 5));
    assert!(added(&minimal, 5) < 50_000_000, "only flask: {}", what(&minimal, 5));
    // GPU unset: `[ -n "" ] && pip install numpy` installs nothing.
    assert_eq!(added(&default, 6), 0, "{}", what(&default, 6));
    assert!(added(&with(&[("GPU", "1")]), 6) > 10_000_000);
}

#[test]
fn wheels_built_in_one_stage_are_what_another_installs() {
    let dir = temp_context("an-wheels", &[("requirements.txt", "flask\nrequests\n"), ("app.py", "")]);
    let text = "FROM python:3.12-slim AS builder\nCOPY requirements.txt /tmp/\n\
        RUN pip wheel --no-cache-dir --wheel-dir /wheels -r /tmp/requirements.txt\n\
        FROM python:3.12-slim\nCOPY --from=builder /wheels /wheels\nRUN pip install --no-cache /wheels/*\n\
        COPY --from=builder /tmp/requirements.txt .\n";
    let r = with_context(text, &dir.0);
    let direct = with_context(
        "FROM python:3.12-slim\nCOPY requirements.txt /tmp/\nRUN pip install --no-cache-dir -r /tmp/requirements.txt\n",
        &dir.0,
    );
    assert!(added(&r, 3) > 0 && added(&r, 5) == added(&r, 3), "the wheels are copied");
    assert_eq!(added(&r, 6), added(&direct, 3), "`--no-cache` keeps no cache; the same distributions");
    let copied = r.stages[1].instructions.iter().find(|i| i.line == 7).unwrap();
    assert_eq!(
        (copied.bytes, copied.basis),
        ("flask\nrequests\n".len() as u64, Basis::Measured),
        "a file copied into /tmp"
    );
}

#[test]
fn a_venv_named_through_variables_is_where_pip_installs() {
    let text = "FROM python:3.12-slim AS build\nENV VIRTUAL_ENV=/app/.venv\nRUN python -m venv $VIRTUAL_ENV\n\
        ENV PATH=$VIRTUAL_ENV/bin:$PATH\nRUN pip install --no-cache-dir flask\n\
        FROM python:3.12-slim\nCOPY --from=build /app/.venv /app/.venv\n";
    let r = run(text);
    let install = r.stages[0].instructions.iter().find(|i| i.line == 5).unwrap();
    assert_eq!(install.parts[0].path.as_deref(), Some("/app/.venv"));
    assert_eq!(added(&r, 7), added(&r, 3) + added(&r, 5));
}

#[test]
fn node_installs_follow_npm_to_the_project_and_builds_emit_about_their_sources() {
    let lock =
        r#"{"lockfileVersion":3,"packages":{"":{},"node_modules/express":{},"node_modules/typescript":{"dev":true}}}"#;
    let dir = temp_context(
        "an-node",
        &[("package.json", "{}"), ("package-lock.json", lock), ("src/main.ts", &"x".repeat(4000))],
    );
    let packages = |r: &Report, line: usize| -> String {
        let ins = r.stages[0].instructions.iter().find(|i| i.line as usize == line).unwrap();
        ins.parts
            .iter()
            .map(|p| format!("{} @{}", p.what, p.path.clone().unwrap_or_default()))
            .collect::<Vec<_>>()
            .join("; ")
    };
    // Copied into /, installed from /app: npm finds /package.json and installs into /node_modules.
    let r = with_context("FROM node:20\nCOPY . .\nWORKDIR /app\nRUN npm install\n", &dir.0);
    assert!(packages(&r, 4).contains("npm: 2 packages @/node_modules"), "{}", packages(&r, 4));
    let exec = with_context("FROM node:20\nCOPY . .\nWORKDIR /app\nRUN [\"npm\", \"install\"]\n", &dir.0);
    assert_eq!(packages(&exec, 4), packages(&r, 4), "exec form runs the same install");
    let text =
        "FROM node:20\nENV NODE_ENV=production\nWORKDIR /app\nCOPY . .\nRUN npm ci --include=dev\nRUN npm run build\n";
    let r = with_context(text, &dir.0);
    assert!(packages(&r, 5).contains("npm: 2 packages"), "--include=dev wins over NODE_ENV: {}", packages(&r, 5));
    let production = with_context(&text.replace(" --include=dev", ""), &dir.0);
    assert!(packages(&production, 5).contains("npm: 1 packages"), "{}", packages(&production, 5));
    assert_eq!(added(&r, 6), 4000, "the build emits about its TypeScript sources");
}

#[test]
fn apt_installs_count_shared_dependencies_once_and_skip_what_is_there() {
    let one = |packages: &str| {
        added(
            &run(&format!("FROM debian:bookworm-slim\nRUN apt-get install -y --no-install-recommends {packages}\n")),
            2,
        )
    };
    let (chromium, driver, both) = (one("chromium"), one("chromium-driver"), one("chromium chromium-driver"));
    assert!(chromium > 100_000_000 && driver > 100_000_000, "{chromium} {driver}");
    assert!(both < chromium + driver / 10, "the driver shares chromium's closure: {both} vs {chromium} + {driver}");
    let dummy = added(
        &run(
            "FROM debian:bookworm-slim\nRUN dpkg -i /libgl1-mesa-dri.deb && apt-get install -y --no-install-recommends chromium\n",
        ),
        2,
    );
    assert!(dummy + 10_000_000 < chromium, "a dummy .deb stands in for the mesa drivers: {dummy} vs {chromium}");
    // The full python image holds gcc and its closure; the slim one does not.
    let full = added(&run("FROM python:3.11\nRUN apt-get install -y --no-install-recommends gcc\n"), 2);
    let slim = added(&run("FROM python:3.11-slim\nRUN apt-get install -y --no-install-recommends gcc\n"), 2);
    assert!(full == 0 && slim > 20_000_000, "{full} {slim}");
}

#[test]
fn packages_an_earlier_run_of_the_stage_unpacked_are_not_added_again() {
    let install = |packages: &str| format!("RUN apt-get install -y --no-install-recommends {packages}\n");
    let gcc = added(&run(&format!("FROM debian:bookworm-slim\n{}", install("gcc"))), 2);
    let gpp = added(&run(&format!("FROM debian:bookworm-slim\n{}", install("g++"))), 2);
    let r = run(&format!("FROM debian:bookworm-slim\n{}{}{}", install("gcc"), install("g++"), install("gcc")));
    assert_eq!(added(&r, 2), gcc);
    assert!(added(&r, 3) > 0 && added(&r, 3) + gcc / 2 < gpp, "g++ shares gcc's closure: {} vs {gpp}", added(&r, 3));
    assert_eq!(added(&r, 4), 0, "gcc is there already");
    // The same install in another stage counts again: each stage starts from its own base.
    let two = run(&format!(
        "FROM debian:bookworm-slim AS a\n{}FROM debian:bookworm-slim\n{}",
        install("gcc"),
        install("gcc")
    ));
    assert_eq!((added(&two, 2), added(&two, 4)), (gcc, gcc));
}

#[test]
fn a_dockerignore_docker_refuses_is_named_not_taken_for_none() {
    let dir = temp_context("an-bad-ignore", &[("app.py", "x"), (".dockerignore", "node_modules\n[abc\n")]);
    let r = with_context("FROM python:3.12-slim\nCOPY . /app\n", &dir.0);
    let c = r.context.as_ref().unwrap();
    assert!(!c.dockerignore);
    let error = c.dockerignore_error.as_deref().unwrap();
    assert!(error.ends_with(".dockerignore: line 2: `[abc`: syntax error in pattern"), "{error}");
    let card = crate::output::card::human(&r, "Dockerfile");
    assert!(card.contains("`[abc`") && !card.contains("no .dockerignore"), "{card}");
    // A folder named .dockerignore cannot be read, even by root.
    let dir = temp_context("an-dir-ignore", &[("app.py", "x"), (".dockerignore/x", "")]);
    let c = with_context("FROM python:3.12-slim\nCOPY . /app\n", &dir.0).context.unwrap();
    assert!(c.dockerignore_error.as_deref().is_some_and(|e| e.contains(".dockerignore: Is a directory")), "{c:?}");
}

#[test]
fn unreadable_context_entries_are_listed() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_context(
        "an-unreadable",
        &[("a.py", "x"), ("private/key.pem", "k"), ("skip/x", "x"), ("b.py", "y"), (".dockerignore", "skip\n")],
    );
    for path in ["a.py", "private", "skip"] {
        std::fs::set_permissions(dir.0.join(path), std::fs::Permissions::from_mode(0o000)).unwrap();
    }
    let root = std::fs::File::open(dir.0.join("a.py")).is_ok();
    let c = with_context("FROM python:3.12-slim\nCOPY . /app\n", &dir.0).context.unwrap();
    for path in ["private", "skip"] {
        std::fs::set_permissions(dir.0.join(path), std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    if root {
        // Permissions do not stop root: nothing to see.
        assert!(c.unreadable.is_empty());
        return;
    }
    let listed: Vec<&str> = c.unreadable.iter().map(|u| u.path.as_str()).collect();
    assert_eq!(listed, ["a.py", "private/"], "an ignored folder is not read by the builder either");
    assert!(c.unreadable[0].error.contains("Permission denied"));
}

#[test]
fn a_script_too_long_to_analyse_leaves_the_size_incomplete() {
    let short = run("FROM python:3.12-slim\nRUN echo x && true\n");
    assert!(!short.image.incomplete);
    let long = "echo x && ".repeat(crate::shell::MAX_SCRIPT_BYTES / 10 + 1);
    let r = run(&format!("FROM python:3.12-slim\nRUN {long}apt-get install -y gcc\n"));
    assert!(r.image.incomplete, "what the RUN adds is unknown, not nothing");
    let run_2 = r.stages[0].instructions.iter().find(|i| i.line == 2).expect("the RUN is sized");
    assert_eq!((run_2.basis, &*run_2.parts[0].what), (Basis::Unknown, "a script too long to analyse"));
}
