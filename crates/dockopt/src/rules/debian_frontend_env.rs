//! DO531 debian-frontend-env: `ENV DEBIAN_FRONTEND=noninteractive` kept in the image.

use crate::lint::install::ships;
use crate::lint::invocation::{pair_range, pair_value};
use crate::lint::{Category, Context, Edit, Fix, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO531",
    name: "debian-frontend-env",
    category: Category::Maintainability,
    severity: Severity::Info,
    upstream: &[],
    summary: "Set DEBIAN_FRONTEND with ARG or per command, not with ENV.",
    docs: r#"## What it does
Finds `ENV DEBIAN_FRONTEND=...` in stages whose environment ships with the image (the last
stage, stages that others build on, and ONBUILD triggers).

## Why is this bad?
`DEBIAN_FRONTEND=noninteractive` is meant for the build: it stops `apt-get` and `debconf`
from asking questions. Set with `ENV`, it stays in the image's configuration and applies to
every process of every container, where it makes an interactive `apt-get install` or
`dpkg-reconfigure` by a user silently take default answers, and it is inherited by every
image built on this one. Docker's documentation has long advised against setting it with
`ENV`. An `ARG` has the same effect on the build's `RUN` steps without reaching the image.

## Example
```dockerfile
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update && apt-get install -y --no-install-recommends tzdata
```

## Use instead
```dockerfile
ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update && apt-get install -y --no-install-recommends tzdata
```
or, for one command, `RUN DEBIAN_FRONTEND=noninteractive apt-get install -y ...`.

## Fix safety
When the ENV sets only this variable, the fix turns it into `ARG DEBIAN_FRONTEND=<value>`.
It is unsafe: containers of the image no longer see the variable (which is the point), and
stages built `FROM` this stage no longer inherit it, because an ARG ends with its stage.
"#,
    fix: FixAvailability::Sometimes,
    default_enabled: true,
};

const NAME: &str = "DEBIAN_FRONTEND";

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        for ins in cx.instructions() {
            let m = ins.effective();
            if m.keyword != "ENV" || !ships(cx, ins) {
                continue;
            }
            let Some(pair) = m.pairs.iter().find(|p| &*p.key == NAME) else { continue };
            let d = out.report(
                pair_range(cx, ins, NAME),
                "DEBIAN_FRONTEND set with ENV stays in every container of the image; use ARG",
            );
            let value = pair_value(pair).unwrap_or_default();
            let plain = value.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            if m.pairs.len() == 1 && ins.model.onbuild().is_none() && plain && !value.is_empty() {
                let keyword = cx.keyword_range(ins);
                let arguments = cx.arguments_range(ins);
                let arg = ins.model.same_case("ARG");
                let edits = vec![Edit::replace(keyword, arg.clone()), Edit::replace(arguments, format!("{NAME}={value}"))];
                d.set_fix(Fix::unsafe_(format!("Use `{arg} {NAME}={value}`"), edits));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, fixed, hits};

    #[test]
    fn fires_on_env_in_shipped_stages() {
        let src = "FROM debian\nENV DEBIAN_FRONTEND=noninteractive\n";
        assert_eq!(hits("DO531", src), vec![(2, "DEBIAN_FRONTEND=noninteractive".into())]);
        assert_eq!(hits("DO531", "FROM debian\nENV LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive\n").len(), 1);
        assert_eq!(hits("DO531", "FROM debian\nENV DEBIAN_FRONTEND noninteractive\n").len(), 1);
        assert_eq!(hits("DO531", "FROM debian AS base\nENV DEBIAN_FRONTEND=noninteractive\nFROM base\n").len(), 1);
    }

    #[test]
    fn quiet_with_arg_or_in_build_stages() {
        assert_clean("DO531", "FROM debian\nARG DEBIAN_FRONTEND=noninteractive\n");
        assert_clean("DO531", "FROM debian AS build\nENV DEBIAN_FRONTEND=noninteractive\nFROM scratch\nCOPY --from=build /x /x\n");
        assert_clean("DO531", "FROM debian\nRUN DEBIAN_FRONTEND=noninteractive apt-get install -y x\n");
    }

    #[test]
    fn fix_turns_the_env_into_an_arg() {
        let fix = |src: &str| fixed("DO531", src);
        assert_eq!(fix("FROM debian\nENV DEBIAN_FRONTEND noninteractive\n").as_deref(), Some("FROM debian\nARG DEBIAN_FRONTEND=noninteractive\n"));
        assert_eq!(fix("FROM debian\nenv DEBIAN_FRONTEND=\"noninteractive\"\n").as_deref(), Some("FROM debian\narg DEBIAN_FRONTEND=noninteractive\n"));
        assert_eq!(fix("FROM debian\nENV A=1 DEBIAN_FRONTEND=noninteractive\n"), None);
    }
}
