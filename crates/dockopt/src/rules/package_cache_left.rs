//! DO391 package-cache-left: npm, uv, poetry, conda, composer and bun leave their download
//! cache in the layer.

use crate::lint::invocation::{env_at, is_shipped, is_true, unwrap};
use crate::lint::{Category, Context, Edit, Fix, FixAvailability, Ins, Reporter, RuleMeta, Severity};
use crate::shell::Command;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO391",
    name: "package-cache-left",
    category: Category::Size,
    severity: Severity::Info,
    upstream: &[],
    summary: "Package installs should not leave the package manager's download cache in the image.",
    docs: r#"## What it does
Finds installs in shipped stages (the last stage and those it is built from) by package
managers that keep a download cache in the home directory, when the same `RUN` neither
avoids nor removes it:

| tool | install | keep the cache out |
| --- | --- | --- |
| npm | `npm install`, `npm ci` | `npm cache clean --force` afterwards |
| uv | `uv sync`, `uv pip install`, `uv add`, `uv tool install` | `--no-cache`, `UV_NO_CACHE=1`, `uv cache clean` |
| poetry | `poetry install`, `poetry add`, `poetry sync` | `--no-cache`, `poetry cache clear --all` |
| conda, mamba, micromamba | `install`, `create`, `update`, `env create` | `conda clean --all` |
| composer | `composer install`, `require`, `update` | `--no-cache`, `composer clear-cache` |
| bun | `bun install`, `bun add` | `bun pm cache rm` |

A `RUN --mount=type=cache` (or `tmpfs`) on the cache directory is accepted too, and so is
`rm -rf` of the cache directory after the install. The other package managers have their own
rules: apt (DO300), pip (`--no-cache-dir`), apk (`--no-cache`), yarn, yum, dnf and zypper.

## Why is this bad?
The cache holds a second copy of every downloaded package, often as large as what was
installed. It is useless at run time but ships in the layer; deleting it in a later `RUN`
does not make the image smaller.

## Example
```dockerfile
RUN npm ci --omit=dev
RUN uv sync --frozen
```

## Use instead
```dockerfile
RUN npm ci --omit=dev && npm cache clean --force
RUN --mount=type=cache,target=/root/.cache/uv uv sync --frozen
```

## Fix safety
For uv, poetry and composer the fix adds `--no-cache` after the subcommand. It is safe:
the same packages are installed, only downloaded again on the next build.
"#,
    fix: FixAvailability::Sometimes,
    default_enabled: true,
};

struct Tool {
    programs: &'static [&'static str],
    /// Subcommands (first operands, joined by a space) that install packages.
    installs: &'static [&'static str],
    /// Subcommands that empty the cache.
    cleans: &'static [&'static str],
    /// Option that stops the cache from being written, if any.
    no_cache: Option<&'static str>,
    /// Pieces of paths that name the cache, for `rm -rf` and cache mounts.
    dirs: &'static [&'static str],
    /// Environment variable that turns the cache off.
    env: Option<&'static str>,
    /// Command to suggest.
    advice: &'static str,
}

const TOOLS: &[Tool] = &[
    Tool {
        programs: &["npm"],
        installs: &["install", "i", "ci", "add", "update"],
        cleans: &["cache clean"],
        no_cache: None,
        dirs: &["/.npm"],
        env: None,
        advice: "add `&& npm cache clean --force`",
    },
    Tool {
        programs: &["uv"],
        installs: &["sync", "add", "pip install", "pip sync", "tool install"],
        cleans: &["cache clean", "cache prune"],
        no_cache: Some("--no-cache"),
        dirs: &["/.cache/uv", "UV_CACHE_DIR", "/.cache"],
        env: Some("UV_NO_CACHE"),
        advice: "add `--no-cache`",
    },
    Tool {
        programs: &["poetry"],
        installs: &["install", "add", "sync", "update"],
        cleans: &["cache clear"],
        no_cache: Some("--no-cache"),
        dirs: &["pypoetry", "POETRY_CACHE_DIR", "/.cache"],
        env: None,
        advice: "add `--no-cache`",
    },
    Tool {
        programs: &["conda", "mamba", "micromamba"],
        installs: &["install", "create", "update", "env create", "env update"],
        cleans: &["clean"],
        no_cache: None,
        dirs: &["/pkgs"],
        env: None,
        advice: "add `&& conda clean --all --yes`",
    },
    Tool {
        programs: &["composer"],
        installs: &["install", "require", "update"],
        cleans: &["clear-cache", "clearcache", "cc"],
        no_cache: Some("--no-cache"),
        dirs: &["composer/cache", "/.composer", "COMPOSER_CACHE_DIR", "/tmp/cache"],
        env: None,
        advice: "add `--no-cache`",
    },
    Tool {
        programs: &["bun"],
        installs: &["install", "i", "add"],
        cleans: &["pm cache rm"],
        no_cache: None,
        dirs: &["/.bun/install/cache", "BUN_INSTALL_CACHE_DIR"],
        env: None,
        advice: "add `&& bun pm cache rm`",
    },
];

/// The first operands of a command, joined: `uv pip install x` -> `pip install x`.
fn operands(command: &Command) -> String {
    command.operands().map(|w| w.text()).collect::<Vec<_>>().join(" ")
}

fn starts_with_any(text: &str, prefixes: &[&str]) -> bool {
    prefixes.iter().any(|p| text == *p || text.starts_with(&format!("{p} ")))
}

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        for ins in cx.instructions() {
            if ins.effective().keyword != "RUN" || !ins.model.stage().is_some_and(|s| is_shipped(cx, s)) {
                continue;
            }
            let commands: Vec<_> = cx.scripts(ins).iter().flat_map(|s| &s.commands).collect();
            for (at, original) in commands.iter().enumerate() {
                let command = unwrap(original);
                let Some(program) = command.program() else { continue };
                let Some(tool) = TOOLS.iter().find(|t| t.programs.contains(&program)) else { continue };
                let subcommand = operands(&command);
                let Some(install) = tool.installs.iter().find(|p| starts_with_any(&subcommand, &[p])) else {
                    continue;
                };
                // uv also takes pip's spelling, `--no-cache-dir`.
                if tool.no_cache.is_some_and(|flag| command.args.iter().any(|w| w.text() == flag))
                    || command.has_option(None, Some("no-cache"))
                    || command.has_option(None, Some("no-cache-dir"))
                {
                    continue;
                }
                let env_off = tool.env.is_some_and(|name| {
                    let assigned = command.assignments().iter().find_map(|w| {
                        w.text().strip_prefix(name).and_then(|r| r.strip_prefix('=')).map(str::to_owned)
                    });
                    assigned.or_else(|| env_at(cx, ins, name)).is_some_and(|v| is_true(&v))
                });
                if env_off || cache_mounted(ins, tool) || cleaned_after(&commands[at + 1..], tool) {
                    continue;
                }
                let d = out.report(
                    original.range(),
                    format!("{program} leaves its download cache in the layer; {}", tool.advice),
                );
                // After the subcommand words (`uv pip install`), before the packages.
                let subcommand_end = command.operands().nth(install.split(' ').count() - 1).map(|w| w.range().end);
                if let (Some(flag), Some(end)) = (tool.no_cache, subcommand_end) {
                    d.set_fix(Fix::safe(format!("Add `{flag}`"), vec![Edit::insert(end, format!(" {flag}"))]));
                }
            }
        }
    }
}

fn cache_mounted(ins: Ins, tool: &Tool) -> bool {
    ins.mounts().iter().any(|m| {
        matches!(m.kind.as_str(), "cache" | "tmpfs")
            && m.target.as_deref().is_some_and(|t| {
                let t = t.trim_end_matches('/');
                tool.dirs.iter().any(|d| t.ends_with(d.trim_end_matches('/')) || t.contains(d))
            })
    })
}

/// A later command of the same RUN empties the cache.
fn cleaned_after(later: &[&Command], tool: &Tool) -> bool {
    later.iter().any(|c| {
        let c = unwrap(c);
        match c.program() {
            Some(p) if tool.programs.contains(&p) => starts_with_any(&operands(&c), tool.cleans),
            Some("rm") => c.operands().any(|w| tool.dirs.iter().any(|d| w.raw().contains(d))),
            _ => false,
        }
    })
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, check, hits};

    #[test]
    fn fires_on_installs_that_keep_the_cache() {
        assert_eq!(hits("DO391", "FROM node:20\nRUN npm ci --omit=dev\n"), vec![(2, "npm ci --omit=dev".into())]);
        let multi = "FROM python:3.12-slim\nRUN pip install uv && \\\n    uv pip install --system -r req.txt\n";
        assert_eq!(hits("DO391", multi), vec![(3, "uv pip install --system -r req.txt".into())]);
        assert_eq!(hits("DO391", "FROM a\nRUN poetry install --no-root\n").len(), 1);
        assert_eq!(hits("DO391", "FROM a\nRUN conda install -y numpy\n").len(), 1);
        assert_eq!(hits("DO391", "FROM a\nRUN composer install --no-dev\n").len(), 1);
        assert_eq!(hits("DO391", "FROM a\nRUN npm cache clean --force && npm ci\n").len(), 1, "cleaned before");
    }

    #[test]
    fn heredoc_onbuild_and_escape() {
        assert_eq!(hits("DO391", "FROM a\nRUN <<EOF\nset -e\nuv sync --frozen\nEOF\n"), vec![(4, "uv sync --frozen".into())]);
        assert_eq!(hits("DO391", "FROM a\nONBUILD RUN npm install\n").len(), 1);
        assert_eq!(hits("DO391", "# escape=`\nFROM a\nRUN cd /app && `\n  npm ci\n"), vec![(4, "npm ci".into())]);
    }

    #[test]
    fn quiet_when_avoided_removed_or_not_shipped() {
        assert_clean("DO391", "FROM a\nRUN npm ci && npm cache clean --force\n");
        assert_clean("DO391", "FROM a\nRUN npm ci && rm -rf /root/.npm\n");
        assert_clean("DO391", "FROM a\nRUN uv sync --no-cache && UV_NO_CACHE=1 uv pip install x\n");
        assert_clean("DO391", "FROM a\nENV UV_NO_CACHE=1\nRUN uv sync\n");
        assert_clean("DO391", "FROM a\nRUN uv pip install --system -r r.txt --no-cache-dir\n");
        assert_clean("DO391", "FROM a\nRUN --mount=type=cache,target=/root/.cache/uv uv sync\n");
        assert_clean("DO391", "FROM a\nRUN --mount=type=cache,target=/root/.npm npm ci\n");
        assert_clean("DO391", "FROM a\nRUN conda install -y x && conda clean -afy\n");
        assert_clean("DO391", "FROM node AS build\nRUN npm ci && npm run build\nFROM nginx\nCOPY --from=build /app/dist /usr/share/nginx/html\n");
        assert_clean("DO391", "FROM a\nRUN npm run build && uv run app && poetry config virtualenvs.create false\n");
    }

    #[test]
    fn fix_adds_no_cache() {
        let src = "FROM a\nRUN uv pip install -r r.txt && poetry install --no-root\n";
        let found = check("DO391", src);
        let edits: Vec<_> = found.iter().map(|d| d.fix.as_ref().unwrap().edits[0].clone()).collect();
        let mut fixed = src.to_owned();
        for e in edits.iter().rev() {
            fixed.replace_range(e.range.clone(), &e.content);
        }
        assert_eq!(fixed, "FROM a\nRUN uv pip install --no-cache -r r.txt && poetry install --no-cache --no-root\n");
        assert!(check("DO391", "FROM a\nRUN npm ci\n")[0].fix.is_none());
        let tool = &check("DO391", "FROM a\nRUN uv tool install ruff\n")[0];
        let edit = &tool.fix.as_ref().unwrap().edits[0];
        assert_eq!(edit.range.start, "FROM a\nRUN uv tool install".len());
    }
}
