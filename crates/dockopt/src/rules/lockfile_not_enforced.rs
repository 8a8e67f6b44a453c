//! DO532 lockfile-not-enforced: `npm install`, `yarn install` or `pnpm install` of a project's
//! dependencies that may ignore or rewrite its lockfile.

use crate::lint::install::commands;
use crate::lint::invocation::unwrap;
use crate::lint::{Category, Context, Edit, Fix, FixAvailability, Reporter, RuleMeta, Severity};
use crate::shell::{Command, Word};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO532",
    name: "lockfile-not-enforced",
    category: Category::Maintainability,
    severity: Severity::Info,
    upstream: &[],
    summary: "Install a project's JavaScript dependencies from its lockfile: `npm ci`, `--frozen-lockfile`.",
    docs: r#"## What it does
Finds installs of a project's dependencies (no package names given) that do not insist on
the lockfile: `npm install` / `npm i` instead of `npm ci`, `yarn install` (or plain `yarn`)
without `--frozen-lockfile` or `--immutable`, and `pnpm install` without `--frozen-lockfile`.
Global installs (`-g`) and installs of named packages are left to `npm-package-unpinned`
(DO525).

## Why is this bad?
`npm install` resolves the version ranges of `package.json` again whenever the lockfile does
not match them, and may update the lockfile inside the image; yarn and pnpm do the same
without their frozen option. The image then contains dependency versions that nobody tested
and that differ from build to build. `npm ci` and the frozen options install exactly what the
lockfile says and stop with an error when it is out of date.

## Example
```dockerfile
COPY package.json package-lock.json ./
RUN npm install
```

## Use instead
```dockerfile
COPY package.json package-lock.json ./
RUN npm ci
```
(`yarn install --frozen-lockfile`, `yarn install --immutable` for Yarn 2+,
`pnpm install --frozen-lockfile`.)

## Fix safety
For npm, the fix replaces `install` (or `i`) by `ci`. It is unsafe: `npm ci` needs a
`package-lock.json` (or `npm-shrinkwrap.json`) in the folder, fails when it is out of date,
and removes an existing `node_modules` first. There is no fix for yarn and pnpm, whose option
depends on their version.
"#,
    fix: FixAvailability::Sometimes,
    default_enabled: true,
};

/// npm options that take the next word as their value.
const NPM_VALUE_OPTIONS: [&str; 12] = [
    "--prefix",
    "--registry",
    "--cache",
    "--omit",
    "--include",
    "--only",
    "--loglevel",
    "-w",
    "--workspace",
    "--userconfig",
    "--install-strategy",
    "--tag",
];

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        for ins in cx.instructions() {
            for command in commands(cx, ins) {
                let inner = unwrap(command);
                match inner.program() {
                    Some("npm") => {
                        let ops = operands(&inner);
                        let Some(sub) = ops.first().filter(|w| matches!(w.text(), "install" | "i" | "isntall" | "add")) else {
                            continue;
                        };
                        if ops.len() > 1 || inner.has_option(Some('g'), Some("global")) {
                            continue;
                        }
                        let d = out.report(command.range(), "`npm install` may resolve new versions and rewrite the lockfile; use `npm ci`");
                        if !sub.range().is_empty() && cx.src.get(sub.range()) == Some(sub.raw()) {
                            d.set_fix(Fix::unsafe_("Use `npm ci`", vec![Edit::replace(sub.range(), "ci")]));
                        }
                    }
                    Some(tool @ ("yarn" | "pnpm")) => {
                        let ops = operands(&inner);
                        let installs = match ops.first().map(|w| w.text()) {
                            // Plain `yarn` installs, unless it only prints its version or help.
                            None => {
                                tool == "yarn"
                                    && !inner.args.iter().any(|w| matches!(w.text(), "--version" | "-v" | "-V" | "--help" | "-h"))
                            }
                            Some(sub) => matches!(sub, "install" | "i") && ops.len() == 1,
                        };
                        let frozen = ["frozen-lockfile", "immutable"]
                            .iter()
                            .any(|o| inner.has_option(None, Some(o)));
                        if installs && !frozen && !inner.has_option(Some('g'), Some("global")) {
                            let option = if tool == "yarn" { "--frozen-lockfile` (`--immutable` for Yarn 2+)" } else { "--frozen-lockfile`" };
                            out.report(
                                command.range(),
                                format!("`{tool} install` may resolve new versions and rewrite the lockfile; add `{option}"),
                            );
                        }
                    }
                    _ => {}
                }
            }
        }
    }
}

/// The words of `command` that are not options or option values.
fn operands(command: &Command) -> Vec<&Word> {
    let mut out = Vec::new();
    let mut words = command.args.iter();
    while let Some(w) = words.next() {
        let t = w.text();
        if NPM_VALUE_OPTIONS.contains(&t) {
            words.next();
        } else if !t.starts_with('-') {
            out.push(w);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, fixed, hits};

    #[test]
    fn fires_on_installs_that_may_rewrite_the_lockfile() {
        assert_eq!(hits("DO532", "FROM node\nRUN npm install\n"), vec![(2, "npm install".into())]);
        assert_eq!(hits("DO532", "FROM node\nRUN npm i --omit dev --no-audit\n").len(), 1);
        assert_eq!(hits("DO532", "FROM node\nRUN yarn install --production\n").len(), 1);
        assert_eq!(hits("DO532", "FROM node\nRUN yarn --production\n").len(), 1);
        assert_eq!(hits("DO532", "FROM node\nRUN pnpm install\n").len(), 1);
    }

    #[test]
    fn quiet_with_frozen_lockfiles_named_packages_and_globals() {
        assert_clean("DO532", "FROM node\nRUN npm ci && npm install -g pm2 && npm install left-pad@1.3.0\n");
        assert_clean("DO532", "FROM node\nRUN yarn install --frozen-lockfile && yarn build\n");
        assert_clean("DO532", "FROM node\nRUN yarn install --immutable && pnpm install --frozen-lockfile\n");
        assert_clean("DO532", "FROM node\nRUN yarn add express && yarn global add x\n");
        assert_clean("DO532", "FROM node\nRUN yarn --version && npm --version\n");
    }

    #[test]
    fn fix_uses_npm_ci() {
        assert_eq!(fixed("DO532", "FROM node\nRUN npm install --omit=dev\n").as_deref(), Some("FROM node\nRUN npm ci --omit=dev\n"));
        assert_eq!(fixed("DO532", "FROM node\nRUN yarn install\n"), None);
    }
}
