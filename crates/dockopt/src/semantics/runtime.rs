//! What the running app needs that a rewrite could take away, read from its source in the
//! build context: Node modules it loads that are only dev dependencies, and what a Go program
//! expects of the filesystem around it (files it reads, a temp folder, programs, users, zones).

use regex::Regex;
use serde_json::Value;
use std::sync::OnceLock;

use super::context::BuildContext;

/// Source files that only run at build or test time.
fn build_or_test_file(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    path.contains("node_modules/")
        || path.split('/').any(|p| matches!(p, "test" | "tests" | "__tests__" | "spec" | "e2e" | "cypress" | "scripts"))
        || name.contains(".test.")
        || name.contains(".spec.")
        || (name.contains(".config.") && !name.starts_with("next.config."))
        || name.starts_with(".eslintrc")
}

/// The package a module specifier names (`@scope/pkg/sub` -> `@scope/pkg`, `pkg/sub` -> `pkg`).
fn package_of(specifier: &str) -> &str {
    let mut parts = specifier.splitn(3, '/');
    let first = parts.next().unwrap_or_default();
    if first.starts_with('@') {
        let second = parts.next().unwrap_or_default();
        &specifier[..(first.len() + 1 + second.len()).min(specifier.len())]
    } else {
        first
    }
}

/// Dev dependencies of the package.json at `package_json` (a context path) that the app's own
/// source loads at run time (`require`, `import`, `import()`; type-only imports and `@types/`
/// excluded), with the file that loads each.
pub fn node_dev_dependencies_used(context: &BuildContext, package_json: &str) -> Vec<(String, String)> {
    static IMPORT: OnceLock<Regex> = OnceLock::new();
    let import = IMPORT.get_or_init(|| {
        Regex::new(r#"(?m)(?:require\s*\(\s*|import\s*\(\s*|^\s*import\s+(?:[^'";]*?\s+from\s+)?|^\s*export\s+[^'";]*?\s+from\s+)['"]([^'"./][^'"]*)['"]"#)
            .expect("valid regex")
    });
    let Some(manifest) = context.read(package_json).and_then(|t| serde_json::from_str::<Value>(&t).ok()) else {
        return Vec::new();
    };
    let names = |section: &str| -> Vec<String> {
        manifest.get(section).and_then(Value::as_object).map(|m| m.keys().cloned().collect()).unwrap_or_default()
    };
    let production = [names("dependencies"), names("optionalDependencies"), names("peerDependencies")].concat();
    let dev: Vec<String> =
        names("devDependencies").into_iter().filter(|d| !production.contains(d) && !d.starts_with("@types/")).collect();
    if dev.is_empty() {
        return Vec::new();
    }
    let root = package_json.rsplit_once('/').map_or(String::new(), |(dir, _)| format!("{dir}/"));
    let mut used = Vec::new();
    for file in context.files() {
        let source = [".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".jsx", ".tsx"].iter().any(|e| file.ends_with(e));
        if !source || !file.starts_with(&root) || build_or_test_file(&file) || file.ends_with(".d.ts") {
            continue;
        }
        let Some(text) = context.read(&file) else { continue };
        for m in import.captures_iter(&text) {
            let whole = m.get(0).map_or("", |g| g.as_str());
            if whole.trim_start().starts_with("import type") || whole.trim_start().starts_with("export type") {
                continue;
            }
            let package = package_of(&m[1]);
            if dev.iter().any(|d| d == package) && !used.iter().any(|(p, _)| p == package) {
                used.push((package.to_owned(), file.clone()));
            }
        }
    }
    used
}

/// Top-level folders that belong to the system: the app does not create folders there.
const SYSTEM_DIRS: [&str; 11] = ["usr", "etc", "bin", "sbin", "lib", "lib64", "proc", "sys", "dev", "run", "boot"];

/// Absolute folders outside the system ones that the app's source opens, creates or joins
/// paths under (`Path("/data/x").mkdir()`, `os.getenv("DIR", "/data")`, `fs.mkdirSync('/out')`):
/// where it may write at run time. A path with a file extension gives its folder.
pub fn folders_written(context: &BuildContext) -> Vec<String> {
    static CALL: OnceLock<Regex> = OnceLock::new();
    let call = CALL.get_or_init(|| {
        Regex::new(
            r#"(?:\bopen|\bPath|mkdir|makedirs|path\.join|getenv|environ\.get|writeFile\w*|appendFile\w*|createWriteStream|mkdirSync|existsSync|connect|FileHandler|basicConfig|resolve|MkdirAll|Create|OpenFile|WriteFile)\s*\(\s*(?:["'][^"']*["']\s*,\s*|[^,()'"]*,\s*)?(?:filename\s*=\s*)?["'](/[A-Za-z0-9_.\-/]+)["']"#,
        )
        .expect("valid regex")
    });
    let mut out: Vec<String> = Vec::new();
    for file in context.files() {
        let source = [".py", ".js", ".mjs", ".cjs", ".ts", ".go", ".rb"].iter().any(|e| file.ends_with(e));
        if !source || build_or_test_file(&file) {
            continue;
        }
        let Some(text) = context.read(&file) else { continue };
        for m in call.captures_iter(&text) {
            if let Some(folder) = app_folder(&m[1]) {
                out.push(folder);
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The folder an absolute path names for writing, unless it is a system path.
pub fn app_folder(path: &str) -> Option<String> {
    let clean = crate::lint::paths::clean(path);
    let first = clean.trim_start_matches('/').split('/').next().unwrap_or_default();
    if first.is_empty()
        || SYSTEM_DIRS.contains(&first)
        || clean.starts_with("/var/lib/apt")
        || clean.starts_with("/tmp")
    {
        return None;
    }
    let last = clean.rsplit('/').next().unwrap_or_default();
    let folder =
        if last.contains('.') { clean.rsplit_once('/').map(|(d, _)| d.to_owned()).unwrap_or_default() } else { clean };
    (folder.len() > 1).then_some(folder)
}

/// Whether the app's configuration or source sets a port below 1024 (`bind = "0.0.0.0:80"`,
/// `PORT=80`, `listen 443`), for images that say nothing of their port.
pub fn privileged_port(context: &BuildContext) -> Option<(u16, String)> {
    static PORT: OnceLock<Regex> = OnceLock::new();
    let port = PORT.get_or_init(|| {
        Regex::new(r#"(?i)(?:port|bind|listen)[^\n]{0,40}?[^0-9.:](?:[0-9.]*:)?(80|443|8|21|25)\b"#)
            .expect("valid regex")
    });
    for file in context.files() {
        let config = [".py", ".js", ".ts", ".sh", ".conf", ".toml", ".yaml", ".yml", ".ini", ".env", ".go", ".rb"]
            .iter()
            .any(|e| file.ends_with(e));
        if !config || build_or_test_file(&file) {
            continue;
        }
        let Some(text) = context.read(&file) else { continue };
        if let Some(m) = port.captures(&text) {
            return Some((m[1].parse().unwrap_or(80), file));
        }
    }
    None
}

/// What a Go program's source asks of the filesystem around it at run time.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct GoRuntime {
    /// It opens files by path (templates, static folders, config): it must run next to them.
    pub reads_files: Option<String>,
    /// Something a scratch image cannot give it: a temp folder, other programs, a user
    /// database, time zone data, C libraries. The reason, if any.
    pub needs_os: Option<String>,
}

/// Read the program's Go files (vendor/ excluded) for what it needs at run time.
pub fn go_runtime(context: &BuildContext) -> GoRuntime {
    const READS: [&str; 16] = [
        "template.ParseFiles(",
        "template.ParseGlob(",
        "http.Dir(",
        "os.Open(",
        "os.OpenFile(",
        "os.ReadFile(",
        "ioutil.ReadFile(",
        "os.ReadDir(",
        "ioutil.ReadDir(",
        "LoadHTMLGlob(",
        "LoadHTMLFiles(",
        ".Static(",
        ".StaticFile(",
        "godotenv.Load(",
        "ReadInConfig(",
        "filepath.Walk",
    ];
    const OS: [(&str, &str); 11] = [
        ("os.TempDir(", "a temp folder"),
        ("os.CreateTemp(", "a temp folder"),
        ("os.MkdirTemp(", "a temp folder"),
        ("ioutil.TempFile(", "a temp folder"),
        ("ioutil.TempDir(", "a temp folder"),
        ("ParseMultipartForm(", "a temp folder for uploads"),
        ("exec.Command(", "other programs"),
        ("exec.LookPath(", "other programs"),
        ("\"os/user\"", "a user database (/etc/passwd)"),
        ("import \"C\"", "C libraries (cgo)"),
        ("\"github.com/mattn/go-sqlite3\"", "C libraries (cgo)"),
    ];
    let mut out = GoRuntime::default();
    for file in context.files() {
        if !file.ends_with(".go") || file.ends_with("_test.go") || file.starts_with("vendor/") {
            continue;
        }
        let Some(text) = context.read(&file) else { continue };
        if out.reads_files.is_none()
            && let Some(call) = READS.iter().find(|r| text.contains(*r))
        {
            out.reads_files = Some(format!("{file} calls `{}`", call.trim_end_matches('(')));
        }
        if out.needs_os.is_none() {
            if let Some((call, what)) = OS.iter().find(|(c, _)| text.contains(c)) {
                out.needs_os =
                    Some(format!("{file} needs {what} (`{}`)", call.trim_end_matches('(').trim_matches('"')));
            } else if text.contains("time.LoadLocation(") && !text.contains("\"time/tzdata\"") {
                out.needs_os = Some(format!("{file} loads time zones, which scratch has no data for"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context(name: &str, files: &[(&str, &str)]) -> (crate::semantics::context::TempContext, BuildContext) {
        crate::semantics::context::temp_build_context(&format!("runtime-{name}"), files)
    }

    #[test]
    fn dev_dependencies_loaded_at_run_time() {
        let package = r#"{"dependencies":{"express":"4"},"devDependencies":{"body-parser":"1","jest":"29","@types/node":"20","ts-types":"1"}}"#;
        let (_dir, cx) = context(
            "node",
            &[
                ("package.json", package),
                ("server.js", "const express = require('express');\nconst bp = require(\"body-parser/json\");\n"),
                ("src/t.ts", "import type { X } from 'ts-types';\n"),
                ("test/a.test.js", "const jest = require('jest');\n"),
            ],
        );
        assert_eq!(node_dev_dependencies_used(&cx, "package.json"), vec![("body-parser".into(), "server.js".into())]);
        assert_eq!(package_of("@scope/pkg/sub"), "@scope/pkg");
    }

    #[test]
    fn folders_the_app_writes_and_ports_it_sets() {
        let (_dir, cx) = context(
            "writes",
            &[
                (
                    "app.py",
                    "DATA = Path(\"/data/images\")\nDATA.mkdir(parents=True)\nopen(\"/var/log/app/x.log\", \"a\")\nopen(\"/etc/hosts\")\n",
                ),
                ("gunicorn_conf.py", "bind = os.getenv(\"BIND\", \"0.0.0.0:80\")\n"),
                ("video.py", "ROOT = Path(os.getenv(\"STORAGE_ROOT\", \"/srv/store\"))\n"),
            ],
        );
        assert_eq!(folders_written(&cx), vec!["/data/images", "/srv/store", "/var/log/app"]);
        assert_eq!(privileged_port(&cx), Some((80, "gunicorn_conf.py".into())));
        let (_dir, cx) = context("high", &[("app.py", "app.run(host=\"0.0.0.0\", port=8080)\n")]);
        assert_eq!(privileged_port(&cx), None);
    }

    #[test]
    fn go_programs_that_need_their_surroundings() {
        let (_dir, cx) = context(
            "go",
            &[(
                "main.go",
                "package main\nimport \"html/template\"\nvar t = template.Must(template.ParseGlob(\"templates/*\"))\n",
            )],
        );
        let found = go_runtime(&cx);
        assert!(found.reads_files.is_some() && found.needs_os.is_none(), "{found:?}");
        let (_dir, cx) =
            context("go2", &[("main.go", "package main\nimport \"os/exec\"\nfunc f() { exec.Command(\"git\") }\n")]);
        assert!(go_runtime(&cx).needs_os.unwrap().contains("other programs"));
        let (_dir, cx) = context("go3", &[("main.go", "package main\nimport _ \"embed\"\n")]);
        assert_eq!(go_runtime(&cx), GoRuntime::default());
    }
}
