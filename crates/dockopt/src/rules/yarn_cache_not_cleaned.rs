//! DO361 yarn-cache-not-cleaned: `yarn install` leaves its cache in the layer.

use crate::lint::install::ships;
use crate::lint::{Category, Context, Edit, Fix, FixAvailability, Reporter, RuleMeta, Severity};
use crate::model::Form;
use crate::shell::Command;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO361",
    name: "yarn-cache-not-cleaned",
    category: Category::Size,
    severity: Severity::Info,
    upstream: &["hadolint:DL3060"],
    summary: "Run `yarn cache clean` in the RUN that runs `yarn install`.",
    docs: r#"## What it does
Finds `RUN`s that run `yarn install` (or plain `yarn`, which installs too; not
`yarn --version` or `yarn --help`) without
`yarn cache clean` after it in the same instruction, in the final stage, a stage another
stage is built on, or an `ONBUILD RUN` (it runs in whatever image builds on this one). A BuildKit cache or tmpfs mount on yarn's cache folder (a target
containing `yarn`) and removing the cache folder with `rm` count as cleaning.

## Why is this bad?
yarn keeps a copy of every downloaded package in its cache. Left in the layer it roughly
doubles the space the dependencies take in the image.

## Example
```dockerfile
RUN yarn install --frozen-lockfile
```

## Use instead
```dockerfile
RUN yarn install --frozen-lockfile && yarn cache clean
```
or
```dockerfile
RUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install --frozen-lockfile
```

## Fix safety
The fix adds ` && yarn cache clean` after the install command. It is unsafe: with Yarn 2+
Plug'n'Play "zero installs" the project cache is where the dependencies live.
"#,
    fix: FixAvailability::Sometimes,
    default_enabled: true,
};

fn installs(c: &Command) -> bool {
    let info = c.has_option(Some('v'), Some("version")) || c.has_option(Some('h'), Some("help"));
    c.is("yarn") && match c.subcommand() {
        Some(sub) => sub == "install",
        None => !info,
    }
}

fn cleans(c: &Command) -> bool {
    if c.is("yarn") {
        let mut ops = c.operands().map(|w| w.text());
        return ops.next() == Some("cache") && ops.next() == Some("clean");
    }
    c.is("rm") && c.operands().any(|o| ["cache/yarn", "yarn/cache", "yarn-cache"].iter().any(|p| o.text().contains(p)))
}

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        for ins in cx.instructions().filter(|i| i.effective().keyword == "RUN") {
            let shipped = ships(cx, ins);
            let cache_mount = ins.mounts().iter().any(|m| {
                matches!(m.kind.as_str(), "cache" | "tmpfs") && m.target.as_deref().is_some_and(|t| t.contains("yarn"))
            });
            if !shipped || cache_mount {
                continue;
            }
            let commands: Vec<&Command> = cx.scripts(ins).iter().flat_map(|s| &s.commands).collect();
            let Some(at) = commands.iter().position(|c| installs(c)) else { continue };
            if commands[at..].iter().any(|c| cleans(c)) {
                continue;
            }
            let install = commands[at];
            let diagnostic = out.report(install.range(), "yarn's cache stays in the layer; add `&& yarn cache clean`");
            if ins.effective().form == Some(Form::Shell) && install.pipeline().is_none() {
                let edit = Edit::insert(install.range().end, " && yarn cache clean");
                diagnostic.set_fix(Fix::unsafe_("Add `yarn cache clean`", vec![edit]));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, check, hits};

    #[test]
    fn fires_without_cleaning() {
        let src = "FROM node\nRUN yarn config set x y && \\\n  yarn install --frozen-lockfile\n";
        assert_eq!(hits("DO361", src), vec![(3, "yarn install --frozen-lockfile".into())]);
        let fix = check("DO361", src)[0].fix.clone().unwrap();
        assert_eq!(fix.edits[0].range.start, src.len() - 1);
        assert_eq!(hits("DO361", "FROM node\nRUN yarn cache clean && yarn\n"), vec![(2, "yarn".into())]);
        assert_eq!(hits("DO361", "FROM node\nRUN yarn --frozen-lockfile\n").len(), 1);
        assert_eq!(hits("DO361", "FROM node\nRUN <<EOF\nyarn install\nEOF\n"), vec![(3, "yarn install".into())]);
        assert_eq!(hits("DO361", "FROM node\nONBUILD RUN yarn install\n").len(), 1);
        assert_eq!(hits("DO361", "# escape=`\nFROM node\nRUN cd /app && `\n  yarn install\n").len(), 1);
        assert!(check("DO361", "FROM node\nRUN [\"sh\", \"-c\", \"yarn install\"]\n")[0].fix.is_none());
    }

    #[test]
    fn quiet_when_cleaned_cached_or_not_shipped() {
        assert_clean("DO361", "FROM node\nRUN yarn install && yarn cache clean --all\n");
        assert_clean("DO361", "FROM node\nRUN yarn && rm -rf /usr/local/share/.cache/yarn\n");
        assert_clean("DO361", "FROM node\nRUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install\n");
        assert_clean("DO361", "FROM node AS build\nRUN yarn install\nFROM nginx\nCOPY --from=build /app/dist /srv\n");
        assert_clean("DO361", "FROM node\nRUN yarn build && yarn add x --dev=false || true\n");
        assert_clean("DO361", "FROM node\nRUN tar -xzf yarn.tgz && yarn --version && yarn -h\n");
    }

    #[test]
    fn onbuild_trigger_of_a_builder_stage_ships() {
        let src = "FROM node AS tmpl\nONBUILD RUN yarn install\nFROM scratch\n";
        assert_eq!(hits("DO361", src), vec![(2, "yarn install".into())]);
    }
}
