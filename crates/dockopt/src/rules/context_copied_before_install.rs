//! DO490 context-copied-before-install: `COPY . .` before installing dependencies, so every
//! source change reinstalls them.

use crate::lint::invocation::{context_source_range, copies_context, is_pip, python_module, unwrap};
use crate::lint::{Category, Context, FixAvailability, Ins, Reporter, RuleMeta, Severity};
use crate::shell::Command;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO490",
    name: "context-copied-before-install",
    category: Category::Cache,
    severity: Severity::Info,
    upstream: &[],
    summary: "Copy dependency manifests and install dependencies before copying the whole build context.",
    docs: r#"## What it does
Finds a `COPY` or `ADD` of the whole build context (`.`, `./`, `*`) that comes before a
dependency install from a manifest in the same stage: `npm ci`/`npm install`, `yarn`,
`pnpm install`, `bun install`, `pip install -r`, `pipenv install`, `poetry install`,
`uv sync`, `uv pip install -r`, `bundle install`, `composer install`, `go mod download`,
`cargo fetch`, `mix deps.get`, `dotnet restore`, `mvn dependency:go-offline`.

It stays quiet when the same tool already installed dependencies earlier in the stage (the
usual "manifests first, then `poetry install --only-root`" pattern), and when the install
`RUN` has a `--mount=type=cache`, which keeps the downloads between builds.

## Why is this bad?
A layer is rebuilt when anything it copies changes. After `COPY . .`, editing any source
file invalidates the cache for every instruction that follows, so all dependencies are
downloaded and installed again on each build, although the manifest did not change.

## Example
```dockerfile
WORKDIR /app
COPY . .
RUN npm ci
```

## Use instead
```dockerfile
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
```
"#,
    fix: FixAvailability::None,
    default_enabled: true,
};

/// What a command installs from a manifest: (tool, manifests to copy first).
fn dependency_install(command: &Command) -> Option<(&'static str, &'static str)> {
    let program = command.program()?;
    let operands: Vec<&str> = command.operands().map(|w| w.text()).collect();
    let sub = operands.first().copied().unwrap_or("");
    let has_r = || command.args.iter().any(|w| w.text() == "-r" || w.text().starts_with("--requirement"));
    Some(match program {
        "npm" if sub == "ci" || (matches!(sub, "install" | "i") && operands.len() == 1) => {
            ("npm", "package.json and package-lock.json")
        }
        "yarn" if operands.is_empty() || (sub == "install" && operands.len() == 1) => ("yarn", "package.json and yarn.lock"),
        "pnpm" if matches!(sub, "install" | "i") && operands.len() == 1 => ("pnpm", "package.json and pnpm-lock.yaml"),
        "bun" if matches!(sub, "install" | "i") && operands.len() == 1 => ("bun", "package.json and bun.lock"),
        p if is_pip(p) && sub == "install" && has_r() => ("pip", "the requirements file"),
        "pipenv" if matches!(sub, "install" | "sync") && operands.len() == 1 => ("pipenv", "Pipfile and Pipfile.lock"),
        "poetry" if matches!(sub, "install" | "sync") => ("poetry", "pyproject.toml and poetry.lock"),
        "uv" if sub == "sync" => ("uv", "pyproject.toml and uv.lock"),
        "uv" if sub == "pip" && matches!(operands.get(1), Some(&"install" | &"sync")) && (has_r() || operands[1] == "sync") => {
            ("uv", "the requirements file")
        }
        "bundle" if sub == "install" || operands.is_empty() => ("bundle", "Gemfile and Gemfile.lock"),
        "composer" if sub == "install" => ("composer", "composer.json and composer.lock"),
        "go" if sub == "mod" && operands.get(1) == Some(&"download") => ("go", "go.mod and go.sum"),
        "cargo" if sub == "fetch" => ("cargo", "Cargo.toml and Cargo.lock"),
        "mix" if sub == "deps.get" => ("mix", "mix.exs and mix.lock"),
        "dotnet" if sub == "restore" => ("dotnet", "the project files"),
        "mvn" | "mvnw" | "./mvnw"
            if operands.iter().any(|o| o.starts_with("dependency:go-offline") || o.starts_with("dependency:resolve")) =>
        {
            ("mvn", "pom.xml")
        }
        _ => {
            let args = python_module(command, "pip")?;
            let install = args.first().is_some_and(|w| w.text() == "install");
            let r = args.iter().any(|w| w.text() == "-r" || w.text().starts_with("--requirement"));
            if install && r { ("pip", "the requirements file") } else { return None }
        }
    })
}

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        for stage in &cx.model.stages {
            let list = &stage.instructions;
            for (at, copy) in list.iter().map(|&i| cx.ins(i)).enumerate() {
                if !copies_context(copy) {
                    continue;
                }
                let onbuild = copy.model.onbuild().is_some();
                let installs_in = |ins: Ins| -> Vec<(&'static str, &'static str)> {
                    if ins.effective().keyword != "RUN" || (ins.model.onbuild().is_some() != onbuild) {
                        return Vec::new();
                    }
                    let commands = cx.scripts(ins).iter().flat_map(|s| &s.commands);
                    commands.filter_map(|c| dependency_install(&unwrap(c))).collect()
                };
                let ins_at = |&i: &usize| cx.ins(i);
                let before: Vec<&str> =
                    list[..at].iter().map(ins_at).flat_map(installs_in).map(|(tool, _)| tool).collect();
                let later = list[at + 1..].iter().map(ins_at).find_map(|ins| {
                    let mounted = ins.mounts().iter().any(|m| m.kind == "cache");
                    let found = installs_in(ins).into_iter().find(|(tool, _)| !before.contains(tool));
                    found.filter(|_| !mounted).map(|f| (ins.model.span.start.line, f))
                });
                let Some((line, (tool, manifests))) = later else { continue };
                let range = context_source_range(cx, copy);
                out.report(
                    range,
                    format!(
                        "the whole context is copied before the {tool} install on line {line}; copy {manifests} and install first"
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, check, hits};

    #[test]
    fn fires_when_install_follows_context_copy() {
        let src = "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\n";
        assert_eq!(hits("DO490", src), vec![(3, ".".into())]);
        assert!(check("DO490", src)[0].message.contains("npm install on line 4"));
        let py = "FROM python\nCOPY ./ /app\nRUN apt-get update && \\\n    pip install --no-cache-dir -r /app/requirements.txt\n";
        assert_eq!(hits("DO490", py), vec![(2, "./".into())]);
        assert_eq!(hits("DO490", "FROM golang\nCOPY [\".\", \"/src\"]\nRUN go mod download\n"), vec![(2, ".".into())]);
        assert_eq!(hits("DO490", "FROM a\nADD . /app\nRUN python3 -m pip install -r requirements.txt\n").len(), 1);
    }

    #[test]
    fn heredoc_onbuild_and_escape() {
        assert_eq!(hits("DO490", "FROM a\nCOPY . .\nRUN <<EOF\nset -e\nuv sync --frozen\nEOF\n").len(), 1);
        assert_eq!(hits("DO490", "FROM a\nONBUILD COPY . /app\nONBUILD RUN bundle install\n").len(), 1);
        assert_eq!(hits("DO490", "# escape=`\nFROM a\nCOPY . `\n  /app\nRUN composer install\n"), vec![(3, ".".into())]);
    }

    #[test]
    fn quiet_when_manifests_come_first_or_cached() {
        let good = "FROM node\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\n";
        assert_clean("DO490", good);
        let poetry = "FROM python\nCOPY pyproject.toml poetry.lock ./\nRUN poetry install --no-root\nCOPY . .\nRUN poetry install --only-root\n";
        assert_clean("DO490", poetry);
        assert_clean("DO490", "FROM node\nCOPY . .\nRUN --mount=type=cache,target=/root/.npm npm ci\n");
        assert_clean("DO490", "FROM a AS build\nCOPY . .\nFROM a\nRUN npm ci\n");
        assert_clean("DO490", "FROM a\nCOPY --from=build . .\nRUN npm ci\nCOPY src/ .\nRUN npm install left-pad\n");
    }
}
