//! What a dependency install reads from the build context: its manifests and everything they
//! reference (`-r`/`-c` includes, lockfiles, registry configuration), or why it needs more
//! than manifests (the project itself, local paths, install scripts that run project code).
//! Without the context nothing can be told, and the answer is that it cannot move.

use serde_json::Value;

use super::context::BuildContext;
use crate::shell::Command;

/// Maps a path as the command names it (relative to its working directory, or absolute) to the
/// context path it was copied from.
pub type PathMap<'a> = &'a dyn Fn(&str) -> Option<String>;

/// The context paths (a folder ends with `/`) an install command reads: `Ok(None)` when the
/// command installs nothing from a manifest, `Err(reason)` when it needs more than manifests.
pub fn install_reads(
    cmd: &Command,
    context: Option<&BuildContext>,
    map: PathMap,
) -> Result<Option<Vec<String>>, String> {
    let program = cmd.program().unwrap_or_default();
    let words: Vec<&str> = cmd.args.iter().map(|w| w.text()).collect();
    let sub = cmd.subcommand();
    let pip = matches!(program, "pip" | "pip3")
        || (program.starts_with("python") && words.windows(2).any(|w| w == ["-m", "pip"]));
    let tool = match (program, sub) {
        _ if pip => {
            if !words.contains(&"install") {
                return Ok(None);
            }
            pip_needs_source(&words)?;
            Tool::Pip
        }
        ("npm", Some("ci" | "install" | "i")) => Tool::Npm,
        ("yarn", None | Some("install")) => Tool::Yarn,
        ("pnpm", None | Some("install" | "i")) => Tool::Pnpm,
        ("uv", Some("sync")) => Tool::Uv,
        ("poetry", Some("install")) => Tool::Poetry,
        ("pipenv", Some("install" | "sync")) => Tool::Pipenv,
        ("pdm", Some("install" | "sync")) => Tool::Pdm,
        ("cargo", Some("fetch")) => Tool::Cargo,
        ("mvn" | "mvnw", _) if words.iter().any(|w| w.starts_with("dependency:")) => Tool::Maven,
        ("gradle" | "gradlew", _) if cmd.operands().any(|w| w.text() == "dependencies") => {
            Tool::Gradle { wrapper: program == "gradlew" }
        }
        ("go", Some("mod")) if words.contains(&"download") => Tool::Go,
        ("bundle", Some("install") | None) => Tool::Bundler,
        ("composer", Some("install")) => Tool::Composer,
        _ => return Ok(None),
    };
    let Some(context) = context else {
        return Err("no build context to read the manifests from (--context DIR)".into());
    };
    let reader = Reader { context, map, words: &words };
    reader.reads(tool, cmd).map(Some)
}

#[derive(Clone, Copy)]
enum Tool {
    Pip,
    Npm,
    Yarn,
    Pnpm,
    Uv,
    Poetry,
    Pipenv,
    Pdm,
    Cargo,
    Maven,
    Gradle { wrapper: bool },
    Go,
    Bundler,
    Composer,
}

struct Reader<'a> {
    context: &'a BuildContext,
    map: PathMap<'a>,
    words: &'a [&'a str],
}

impl Reader<'_> {
    fn has(&self, option: &str) -> bool {
        self.words.contains(&option)
    }

    /// The context path of a file the command names, which must be in the context.
    fn file(&self, written: &str) -> Result<String, String> {
        let path = (self.map)(written).ok_or_else(|| format!("`{written}` does not come from the build context"))?;
        if !self.context.is_file(&path) {
            return Err(format!("`{path}` is not in the build context"));
        }
        Ok(path)
    }

    /// The context path of an optional file next to the manifest, if the context has it.
    fn optional(&self, written: &str) -> Option<String> {
        (self.map)(written).filter(|p| self.context.is_file(p))
    }

    fn reads(&self, tool: Tool, cmd: &Command) -> Result<Vec<String>, String> {
        match tool {
            Tool::Pip => self.pip(),
            Tool::Npm => {
                if cmd.operands().count() > 1 {
                    return Err("npm install names packages; not a lockfile install".into());
                }
                self.node("package-lock.json", &[".npmrc", "npm-shrinkwrap.json"])
            }
            Tool::Yarn => {
                if self.optional(".yarnrc.yml").is_some() {
                    return Err("Yarn 2+ (.yarnrc.yml) reads its .yarn folder and plugins".into());
                }
                self.node("yarn.lock", &[".yarnrc", ".npmrc"])
            }
            Tool::Pnpm => {
                if self.optional("pnpm-workspace.yaml").is_some() {
                    return Err("a pnpm workspace: its packages' manifests are needed too".into());
                }
                self.node("pnpm-lock.yaml", &[".npmrc", ".pnpmfile.cjs"])
            }
            Tool::Uv => self.pyproject(&["uv.lock", ".python-version", "uv.toml"], |table| {
                // No [build-system]: uv treats the project as virtual and installs only its dependencies.
                if table.contains_key("build-system") && !self.has("--no-install-project") {
                    return Err("`uv sync` would also install the project itself (its source is not copied yet)".into());
                }
                if table.get("tool").and_then(|t| t.get("uv")).and_then(|u| u.get("workspace")).is_some() {
                    return Err("a uv workspace: its members' manifests are needed too".into());
                }
                Ok(())
            }),
            Tool::Poetry => {
                if !self.has("--no-root") {
                    return Err("`poetry install` without --no-root also installs the project itself".into());
                }
                self.pyproject(&["poetry.lock", "poetry.toml"], |_| Ok(()))
            }
            Tool::Pipenv => {
                let pipfile = self.file("Pipfile")?;
                let text = self.context.read(&pipfile).unwrap_or_default();
                if text.contains("path =") || text.contains("path=") || text.contains("editable") {
                    return Err("the Pipfile installs a local path".into());
                }
                let mut files = vec![pipfile];
                files.extend(self.optional("Pipfile.lock"));
                Ok(files)
            }
            Tool::Pdm => {
                if !self.has("--no-self") {
                    return Err("`pdm install` without --no-self also installs the project itself".into());
                }
                self.pyproject(&["pdm.lock", ".pdm-python", "pdm.toml"], |_| Ok(()))
            }
            Tool::Cargo => {
                let manifest = self.file("Cargo.toml")?;
                let table = self.toml(&manifest)?;
                if table.contains_key("workspace") {
                    return Err("a Cargo workspace: its members' manifests are needed too".into());
                }
                if self.context.read(&manifest).unwrap_or_default().contains("path =") {
                    return Err("Cargo.toml has path dependencies".into());
                }
                // `cargo fetch` needs a target to exist: a manifest with no src/ fails.
                Err("`cargo fetch` needs the crate's targets (src/main.rs or src/lib.rs)".into())
            }
            Tool::Maven => {
                let pom = self.file("pom.xml")?;
                if self.context.read(&pom).unwrap_or_default().contains("<modules>") {
                    return Err("a multi-module Maven build: the modules' poms are needed too".into());
                }
                Ok(vec![pom])
            }
            Tool::Gradle { wrapper } => self.gradle(wrapper),
            Tool::Go => {
                let go_mod = self.file("go.mod")?;
                if go_replaces_locally(&self.context.read(&go_mod).unwrap_or_default()) {
                    return Err("go.mod replaces a module with a local folder".into());
                }
                if self.optional("go.work").is_some() {
                    return Err("a Go workspace (go.work): its modules are needed too".into());
                }
                let mut files = vec![go_mod];
                files.extend(self.optional("go.sum"));
                Ok(files)
            }
            Tool::Bundler => {
                let gemfile = self.file("Gemfile")?;
                let text = self.context.read(&gemfile).unwrap_or_default();
                if text.lines().any(|l| {
                    let l = l.trim_start();
                    l.starts_with("gemspec")
                        || l.contains("path:")
                        || l.contains(":path")
                        || l.starts_with("eval_gemfile")
                }) {
                    return Err("the Gemfile reads the project's gemspec or local paths".into());
                }
                let mut files = vec![gemfile];
                files.extend(["Gemfile.lock", ".ruby-version"].iter().filter_map(|f| self.optional(f)));
                Ok(files)
            }
            Tool::Composer => {
                let json = self.file("composer.json")?;
                let manifest: Value = self.json(&json)?;
                let scripts = manifest.get("scripts").and_then(Value::as_object).is_some_and(|s| !s.is_empty());
                if scripts && !self.has("--no-scripts") {
                    return Err("composer.json has scripts that run project code after the install".into());
                }
                if manifest.get("autoload").is_some() && !self.has("--no-autoloader") {
                    return Err("composer's autoloader scans the project's source folders".into());
                }
                let mut files = vec![json];
                files.extend(self.optional("composer.lock"));
                Ok(files)
            }
        }
    }

    fn toml(&self, path: &str) -> Result<toml::Table, String> {
        let text = self.context.read(path).unwrap_or_default();
        text.parse::<toml::Table>().map_err(|_| format!("`{path}` is not valid TOML"))
    }

    fn json(&self, path: &str) -> Result<Value, String> {
        let text = self.context.read(path).unwrap_or_default();
        serde_json::from_str(&text).map_err(|_| format!("`{path}` is not valid JSON"))
    }

    /// pyproject.toml, the tool's own files next to it (`extras`, when present) and the README it
    /// declares, after the tool's own checks of the table and the common ones (no path or
    /// workspace sources).
    fn pyproject(
        &self,
        extras: &[&str],
        check: impl Fn(&toml::Table) -> Result<(), String>,
    ) -> Result<Vec<String>, String> {
        let pyproject = self.file("pyproject.toml")?;
        let table = self.toml(&pyproject)?;
        check(&table)?;
        self.python_sources(&table)?;
        let mut files = vec![pyproject];
        files.extend(extras.iter().filter_map(|f| self.optional(f)));
        files.extend(self.readme(&table));
        Ok(files)
    }

    /// The README a pyproject declares (`[project] readme`, `[tool.poetry] readme`): some tools
    /// check that it exists even when they do not install the project.
    fn readme(&self, table: &toml::Table) -> Option<String> {
        let declared = table
            .get("project")
            .and_then(|p| p.get("readme"))
            .or_else(|| table.get("tool").and_then(|t| t.get("poetry")).and_then(|p| p.get("readme")))?;
        let path = declared.as_str().or_else(|| declared.get("file").and_then(|f| f.as_str()))?;
        self.optional(path)
    }

    /// `[tool.uv.sources]` / poetry path dependencies point into the project.
    fn python_sources(&self, table: &toml::Table) -> Result<(), String> {
        let text = toml::to_string(table).unwrap_or_default();
        if text.contains("path =") || text.contains("workspace = true") {
            return Err("pyproject.toml has path or workspace dependencies".into());
        }
        Ok(())
    }

    /// package.json and its lockfile; install scripts of the project itself and local
    /// dependencies need the source.
    fn node(&self, lockfile: &str, extras: &[&str]) -> Result<Vec<String>, String> {
        let package = self.file("package.json")?;
        let manifest: Value = self.json(&package)?;
        if manifest.get("workspaces").is_some() {
            return Err("package.json declares workspaces: their manifests are needed too".into());
        }
        let lifecycle = ["preinstall", "install", "postinstall", "prepublish", "preprepare", "prepare", "postprepare"];
        let scripts = manifest.get("scripts").and_then(Value::as_object);
        if let Some(script) = lifecycle.iter().find(|s| scripts.is_some_and(|m| m.contains_key(**s)))
            && !self.has("--ignore-scripts")
        {
            return Err(format!("package.json's `{script}` script runs during the install and may need the source"));
        }
        for section in ["dependencies", "devDependencies", "optionalDependencies"] {
            let local = manifest.get(section).and_then(Value::as_object).and_then(|deps| {
                deps.iter().find(|(_, v)| {
                    v.as_str().is_some_and(|v| {
                        ["file:", "link:", "portal:", "workspace:", "./", "../"].iter().any(|p| v.starts_with(p))
                    })
                })
            });
            if let Some((name, _)) = local {
                return Err(format!("the dependency `{name}` is a local folder"));
            }
        }
        let mut files = vec![package];
        files.extend(self.optional(lockfile));
        files.extend(extras.iter().filter_map(|f| self.optional(f)));
        Ok(files)
    }

    /// The requirement files pip reads, following `-r`/`-c` includes (relative to the file
    /// that names them, as pip resolves them).
    fn pip(&self) -> Result<Vec<String>, String> {
        let mut files = Vec::new();
        let mut words = self.words.iter().skip_while(|w| **w != "install").skip(1);
        while let Some(w) = words.next() {
            let file = match *w {
                "-r" | "--requirement" | "-c" | "--constraint" => words.next().copied(),
                w if w.starts_with("--requirement=") || w.starts_with("--constraint=") => {
                    w.split_once('=').map(|(_, f)| f)
                }
                w if w.starts_with("-r") && w.len() > 2 => Some(&w[2..]),
                _ => None,
            };
            if let Some(file) = file {
                let path = self.file(file)?;
                requirements(self.context, &path, &mut files, 0)?;
            }
        }
        if files.is_empty() {
            // Named packages only: nothing from the context.
            return Ok(Vec::new());
        }
        Ok(files)
    }

    fn gradle(&self, wrapper: bool) -> Result<Vec<String>, String> {
        let first = |names: [&str; 2]| names.into_iter().find_map(|n| self.optional(n));
        let Some(build) = first(["build.gradle.kts", "build.gradle"]) else {
            return Err("no build.gradle(.kts) in the build context".into());
        };
        let settings = first(["settings.gradle.kts", "settings.gradle"]);
        let multi_project = settings
            .as_ref()
            .and_then(|s| self.context.read(s))
            .is_some_and(|text| text.lines().any(|l| l.trim_start().starts_with("include")));
        if multi_project {
            return Err("a multi-project Gradle build: the subprojects' build files are needed too".into());
        }
        let wrapper_folder = format!("{}/", parent(&build).map_or("gradle".to_owned(), |p| format!("{p}/gradle")));
        let mut files = vec![build];
        files.extend(settings);
        files.extend(self.optional("gradle.properties"));
        if wrapper {
            let Some(gradlew) = self.optional("gradlew") else {
                return Err("`gradlew` is not in the build context".into());
            };
            let folder = (self.map)("gradle/wrapper").filter(|p| self.context.is_dir(p));
            if folder.is_none() {
                return Err("`gradlew` without its gradle/wrapper folder in the context".into());
            }
            files.push(gradlew);
            files.push(wrapper_folder);
        }
        Ok(files)
    }
}

/// Whether a go.mod replaces a module with a local folder (which the build then reads).
pub fn go_replaces_locally(go_mod: &str) -> bool {
    go_mod.lines().filter_map(|l| l.split_once("=>")).any(|(_, to)| {
        let to = to.trim_start();
        to.starts_with("./") || to.starts_with("../") || to.starts_with('/')
    })
}

/// Why a pip command line itself needs the source: the project installed (`-e .`, `.`),
/// local paths or a local package folder.
fn pip_needs_source(words: &[&str]) -> Result<(), String> {
    let mut iter = words.iter().skip_while(|w| **w != "install").skip(1);
    while let Some(w) = iter.next() {
        match *w {
            "-r" | "--requirement" | "-c" | "--constraint" => {
                iter.next();
            }
            "-e" | "--editable" => return Err("pip installs the project itself, which needs its source".into()),
            "-f" | "--find-links" if iter.clone().next().is_some_and(|d| !d.contains("://")) => {
                return Err("pip reads packages from a local folder (--find-links)".into());
            }
            w if is_local(w) => return Err(format!("pip installs the local path `{w}`")),
            _ => {}
        }
    }
    Ok(())
}

/// A requirement that is a path on disk rather than a package name.
fn is_local(requirement: &str) -> bool {
    requirement.starts_with("./")
        || requirement.starts_with("../")
        || requirement.starts_with('/')
        || requirement == "."
        || requirement.starts_with("file:")
        || requirement.contains("@ file:")
        || requirement.ends_with(".whl")
        || requirement.ends_with(".tar.gz")
}

fn parent(path: &str) -> Option<&str> {
    path.rsplit_once('/').map(|(p, _)| p)
}

/// Add the requirements file `path` (a context path) and every file it includes.
fn requirements(context: &BuildContext, path: &str, files: &mut Vec<String>, depth: usize) -> Result<(), String> {
    if files.iter().any(|f| f == path) {
        return Ok(());
    }
    if depth > 16 {
        return Err(format!("`{path}`: requirement files include each other too deeply"));
    }
    let text = context.read(path).ok_or_else(|| format!("`{path}` is not in the build context"))?;
    files.push(path.to_owned());
    let here = parent(path);
    // Continuation lines join before options are read.
    let joined = text.replace("\\\r\n", " ").replace("\\\n", " ");
    for line in joined.lines() {
        let line = line.split(" #").next().unwrap_or_default().trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut parts = line.split_whitespace();
        let first = parts.next().unwrap_or_default();
        let include = match first {
            "-r" | "--requirement" | "-c" | "--constraint" => parts.next(),
            w if w.starts_with("--requirement=") || w.starts_with("--constraint=") => w.split_once('=').map(|(_, f)| f),
            w if (w.starts_with("-r") || w.starts_with("-c")) && w.len() > 2 && !w.starts_with("--") => Some(&w[2..]),
            "-e" | "--editable" => {
                let target = parts.next().unwrap_or_default();
                if is_local(target) || !target.contains("://") {
                    return Err(format!("`{path}` installs the local project `{target}` (-e), which needs its source"));
                }
                None
            }
            "-f" | "--find-links" if parts.clone().next().is_some_and(|d| !d.contains("://")) => {
                return Err(format!("`{path}` reads packages from a local folder (--find-links)"));
            }
            w if is_local(w) => return Err(format!("`{path}` installs the local path `{w}`")),
            _ => None,
        };
        if let Some(include) = include {
            if include.contains("://") {
                return Err(format!("`{path}` includes a remote requirements file"));
            }
            let joined = match here {
                Some(dir) if !include.starts_with('/') => format!("{dir}/{include}"),
                _ => include.to_owned(),
            };
            requirements(context, &BuildContext::normalize(&joined), files, depth + 1)?;
        }
    }
    Ok(())
}

/// The names of the runtime dependencies a Python project declares: `[project]
/// dependencies` (PEP 508 strings), `[tool.poetry.dependencies]` (minus `python`), or a
/// Pipfile's `[packages]`.
pub fn project_dependencies(text: &str) -> Vec<String> {
    let Ok(table) = text.parse::<toml::Table>() else { return Vec::new() };
    let pep508 = |s: &str| {
        let end = s.find(|c: char| !(c.is_ascii_alphanumeric() || "-_.".contains(c))).unwrap_or(s.len());
        s[..end].to_ascii_lowercase()
    };
    let mut out: Vec<String> = table
        .get("project")
        .and_then(|p| p.get("dependencies"))
        .and_then(|d| d.as_array())
        .map(|a| a.iter().filter_map(|v| v.as_str()).map(pep508).collect())
        .unwrap_or_default();
    let poetry = table.get("tool").and_then(|t| t.get("poetry")).and_then(|p| p.get("dependencies"));
    let pipfile = table.get("packages");
    for deps in [poetry, pipfile].into_iter().flatten().filter_map(|d| d.as_table()) {
        out.extend(deps.keys().filter(|k| k.as_str() != "python").map(|k| k.to_ascii_lowercase()));
    }
    out.retain(|n| !n.is_empty());
    out
}

/// Requirement names (lower case, `_` as `-`) with the version spec as written, from the
/// requirement files a pip install reads.
pub fn requirement_names(context: &BuildContext, files: &[String]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for file in files {
        let Some(text) = context.read(file) else { continue };
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or_default().trim();
            if line.is_empty() || line.starts_with('-') {
                continue;
            }
            let line = line.split(';').next().unwrap_or_default().trim();
            let end = line.find(|c: char| !(c.is_ascii_alphanumeric() || "-_.".contains(c))).unwrap_or(line.len());
            let (name, spec) = line.split_at(end);
            let name = name.split('[').next().unwrap_or_default().to_ascii_lowercase().replace(['_', '.'], "-");
            if !name.is_empty() {
                out.push((name, spec.trim().to_owned()));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::analyze;

    fn context(name: &str, files: &[(&str, &str)]) -> (crate::semantics::context::TempContext, BuildContext) {
        crate::semantics::context::temp_build_context(&format!("manifests-{name}"), files)
    }

    fn reads(line: &str, cx: Option<&BuildContext>) -> Result<Option<Vec<String>>, String> {
        let script = analyze(line, &|o| o);
        install_reads(&script.commands[0], cx, &|p: &str| Some(BuildContext::normalize(p)))
    }

    #[test]
    fn pip_follows_includes_relative_to_the_including_file() {
        let (_d, cx) = context(
            "pip",
            &[
                ("requirements.txt", "-r requirements/prod.txt\nflask==3.0\n"),
                ("requirements/prod.txt", "-r base.txt\n-c ../constraints.txt\ngunicorn\n"),
                ("requirements/base.txt", "requests\n"),
                ("constraints.txt", "urllib3<3\n"),
            ],
        );
        let files = reads("pip install -r requirements.txt", Some(&cx)).unwrap().unwrap();
        assert_eq!(files, ["requirements.txt", "requirements/prod.txt", "requirements/base.txt", "constraints.txt"]);
        let names = requirement_names(&cx, &files);
        assert!(
            names.contains(&("flask".into(), "==3.0".into())) && names.contains(&("gunicorn".into(), String::new()))
        );
    }

    #[test]
    fn pip_needs_the_source_for_local_projects() {
        let (_d, cx) = context("piplocal", &[("requirements.txt", "flask\n-e .\n"), ("r2.txt", "./libs/x\n")]);
        assert!(reads("pip install -r requirements.txt", Some(&cx)).unwrap_err().contains("-e"));
        assert!(reads("pip install -r r2.txt", Some(&cx)).unwrap_err().contains("local path"));
        assert!(reads("pip install -r missing.txt", Some(&cx)).unwrap_err().contains("not in the build context"));
        assert!(reads("pip install -r requirements.txt", None).unwrap_err().contains("no build context"));
        assert_eq!(reads("pip install flask", Some(&cx)).unwrap(), Some(vec![]));
        assert_eq!(reads("apt-get install -y gcc", Some(&cx)).unwrap(), None);
    }

    #[test]
    fn node_install_scripts_and_local_dependencies() {
        let (_d, cx) = context(
            "npm",
            &[("package.json", r#"{"scripts":{"start":"node ."}}"#), ("package-lock.json", "{}"), (".npmrc", "x")],
        );
        assert_eq!(reads("npm ci", Some(&cx)).unwrap().unwrap(), ["package.json", "package-lock.json", ".npmrc"]);
        let (_d2, cx2) = context("npm2", &[("package.json", r#"{"scripts":{"postinstall":"node build.js"}}"#)]);
        assert!(reads("npm ci", Some(&cx2)).unwrap_err().contains("postinstall"));
        assert!(reads("npm ci --ignore-scripts", Some(&cx2)).is_ok());
        let (_d3, cx3) = context("npm3", &[("package.json", r#"{"dependencies":{"lib":"file:./lib"}}"#)]);
        assert!(reads("npm install", Some(&cx3)).unwrap_err().contains("local folder"));
    }

    #[test]
    fn poetry_takes_its_lock_config_and_readme() {
        let pyproject = "[tool.poetry]\nname = \"x\"\nreadme = \"README.md\"\n";
        let (_d, cx) = context("poetry", &[("pyproject.toml", pyproject), ("poetry.lock", ""), ("README.md", "# x\n")]);
        let files = reads("poetry install --no-root", Some(&cx)).unwrap().unwrap();
        assert_eq!(files, ["pyproject.toml", "poetry.lock", "README.md"]);
        assert!(reads("poetry install", Some(&cx)).unwrap_err().contains("--no-root"));
    }

    #[test]
    fn go_bundler_composer() {
        let (_d, cx) = context(
            "go",
            &[
                ("go.mod", "module x\nreplace y => ./y\n"),
                ("Gemfile", "gemspec\n"),
                ("composer.json", r#"{"scripts":{"post-install-cmd":["x"]}}"#),
            ],
        );
        assert!(reads("go mod download", Some(&cx)).unwrap_err().contains("local folder"));
        assert!(reads("bundle install", Some(&cx)).unwrap_err().contains("gemspec"));
        assert!(reads("composer install", Some(&cx)).unwrap_err().contains("scripts"));
    }
}
