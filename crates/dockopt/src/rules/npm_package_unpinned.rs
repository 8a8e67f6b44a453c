//! DO525 npm-package-unpinned: `npm install` of a package without a version.

use crate::lint::packages::subcommand_operands;
use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO525",
    name: "npm-package-unpinned",
    category: Category::Maintainability,
    severity: Severity::Warning,
    upstream: &["hadolint:DL3016"],
    summary: "Packages installed with `npm install <name>` should have a pinned version.",
    docs: r#"## What it does
Finds packages named in `npm install` (or its aliases `npm i` and `npm add`) without a
version or tag (`express@4.19.2`, `@scope/pkg@1`). Git URLs need a `#commit` or
`#semver:` ref; tarballs and local folders are fine. `npm install` with no package names
installs from `package.json`/the lock file and is not reported.

Unlike hadolint, `name@latest` counts as unpinned: `latest` is exactly the moving target that
pinning avoids.

## Why is this bad?
An unpinned package is the newest release at build time: rebuilds are not reproducible and a
new major version can break the image without any change to the Dockerfile.

## Example
```dockerfile
RUN npm install -g pm2
```

## Use instead
```dockerfile
RUN npm install -g pm2@5.4.2
```
"#,
    fix: FixAvailability::None,
    default_enabled: true,
};

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        for (_, command) in cx.commands(None).filter(|(_, c)| c.is("npm")) {
            // The subcommand must be the first operand (`npm run install` is a script).
            let first = subcommand_operands(command, &["install", "i", "add"], &["loglevel", "registry", "prefix"])
                .filter(|(sub, _)| command.operands().next().is_some_and(|w| w.range() == sub.range()));
            let Some((_, packages)) = first else { continue };
            for package in packages {
                let Some(name) = package.value() else { continue };
                if !pinned(name) {
                    out.report(package.range(), format!("pin the version of `{name}`: `{name}@<version>`"));
                }
            }
        }
    }
}

fn pinned(package: &str) -> bool {
    if ["git://", "git+ssh://", "git+http://", "git+https://", "github:"].iter().any(|p| package.starts_with(p)) {
        return package.contains('#');
    }
    if [".tar", ".tar.gz", ".tgz"].iter().any(|s| package.ends_with(s))
        || ["/", "./", "../", "~/", "file:", "http://", "https://"].iter().any(|p| package.starts_with(p))
    {
        return true;
    }
    // `@scope/name@version`: the version follows the second `@`.
    let unscoped = match package.strip_prefix('@') {
        Some(rest) => rest.split_once('/').map_or("", |(_, name)| name),
        None => package,
    };
    unscoped.split_once('@').is_some_and(|(_, version)| !version.is_empty() && version != "latest")
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, hits};

    #[test]
    fn fires_per_unpinned_package() {
        let src = "FROM node:22\nRUN npm install -g \\\n    pm2@5 \\\n    @nestjs/cli typescript@latest\n";
        assert_eq!(hits("DO525", src), vec![(4, "@nestjs/cli".into()), (4, "typescript@latest".into())]);
        let heredoc = "FROM node:22\nRUN <<EOF\nnpm i --loglevel warn express\nEOF\n";
        assert_eq!(hits("DO525", heredoc), vec![(3, "express".into())]);
        assert_eq!(hits("DO525", "FROM node:22\nONBUILD RUN npm add git+https://h/o/r.git\n").len(), 1);
        let escape = "# escape=`\nFROM node:22\nRUN npm install `\n  left-pad\n";
        assert_eq!(hits("DO525", escape), vec![(4, "left-pad".into())]);
    }

    #[test]
    fn quiet_on_pins_lockfile_installs_and_scripts() {
        assert_clean("DO525", "FROM node:22\nRUN npm install && npm ci && npm install --production\n");
        assert_clean("DO525", "FROM node:22\nRUN npm install a@1 @s/b@^2 ./local x.tgz git+https://h/o/r.git#v1 \"$P\"\n");
        assert_clean("DO525", "FROM node:22\nRUN npm run install foo\n");
    }
}
