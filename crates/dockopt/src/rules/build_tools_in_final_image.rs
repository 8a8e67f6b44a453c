//! DO392 build-tools-in-final-image: compilers and -dev packages installed in a single-stage
//! build stay in the shipped image.

use crate::lint::invocation::unwrap;
use crate::lint::packages::{installed, is_build_only, package_name};
use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};
use crate::shell::{Command, Word};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO392",
    name: "build-tools-in-final-image",
    category: Category::Size,
    severity: Severity::Info,
    upstream: &[],
    summary: "Compilers and -dev packages should not be installed in the image that ships.",
    docs: r#"## What it does
In a Dockerfile with a single stage, finds `apt-get install`, `apk add`, `yum`/`dnf`/
`microdnf install` and `zypper install` of build-only packages (compilers such as `gcc`,
`g++`, `clang`, `gfortran`; `make`, `cmake`, `build-essential`, `build-base`, `autoconf`,
`automake`, `libtool`, `pkg-config`; and `-dev`/`-devel` header packages) that the same `RUN`
does not remove again (`apt-get purge`, `apk del` of the package or of its `--virtual`
group, `yum remove` ..., or the official images' `apt-mark auto '.*'` followed by
`apt-get purge --auto-remove`).

Multi-stage builds are left alone: there, build tools belong in the build stages.

## Why is this bad?
Build tools and headers are needed to compile, not to run: they add tens to hundreds of
megabytes, and a compiler in a production image is a gift to an attacker. Removing them in a
later `RUN` does not shrink the image, since the earlier layer still holds them.

## Example
```dockerfile
FROM python:3.12-slim
RUN apt-get update && apt-get install -y gcc libpq-dev && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir psycopg2
```

## Use instead
Build in one stage and copy the result into a clean one:
```dockerfile
FROM python:3.12-slim AS build
RUN apt-get update && apt-get install -y gcc libpq-dev
RUN pip wheel --wheel-dir /wheels psycopg2

FROM python:3.12-slim
RUN apt-get update && apt-get install -y libpq5 && rm -rf /var/lib/apt/lists/*
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*
```
"#,
    fix: FixAvailability::None,
    default_enabled: true,
};

/// Packages (or `--virtual` groups) a command removes.
fn removed(command: &Command) -> Vec<String> {
    let Some(program) = command.program() else { return Vec::new() };
    let verbs: &[&str] = match program {
        "apt-get" | "apt" | "aptitude" => &["purge", "remove", "autoremove"],
        "apk" => &["del"],
        "yum" | "dnf" | "microdnf" | "tdnf" => &["remove", "erase", "autoremove"],
        "zypper" => &["remove", "rm"],
        _ => return Vec::new(),
    };
    let mut operands = command.operands();
    if !operands.next().is_some_and(|v| verbs.contains(&v.text())) {
        return Vec::new();
    }
    operands.map(|w| package_name(w.text()).to_owned()).collect()
}

/// The Debian official images' idiom: `apt-mark auto '.*'` (or `apt-mark showmanual | xargs
/// apt-mark auto`), then `apt-get purge --auto-remove` / `apt-get autoremove`, removes every
/// package installed since, without naming them.
fn auto_removed(later: &[std::borrow::Cow<'_, Command>]) -> bool {
    let marks = later.iter().position(|c| {
        let words: Vec<&str> = c.operands().map(|w| w.text()).collect();
        (c.is("apt-mark") && words.first() == Some(&"auto"))
            || (c.is("xargs") && words.windows(2).any(|w| w == ["apt-mark", "auto"]))
    });
    marks.is_some_and(|at| {
        later[at..].iter().any(|c| {
            (c.is("apt-get") || c.is("apt"))
                && match c.subcommand() {
                    Some("autoremove") => true,
                    Some("purge" | "remove") => c.has_option(None, Some("auto-remove")),
                    _ => false,
                }
        })
    })
}

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        if cx.model.stages.len() != 1 {
            return;
        }
        for ins in cx.instructions().filter(|i| i.effective().keyword == "RUN") {
            let commands: Vec<_> = cx.scripts(ins).iter().flat_map(|s| &s.commands).map(|c| unwrap(c)).collect();
            for (at, command) in commands.iter().enumerate() {
                let Some(packages) = installed(command) else { continue };
                let later = &commands[at + 1..];
                if auto_removed(later) {
                    continue;
                }
                let later_removed: Vec<String> = later.iter().flat_map(|c| removed(c)).collect();
                let group = command
                    .args
                    .iter()
                    .position(|w| w.text() == "--virtual" || w.text() == "-t")
                    .and_then(|i| command.args.get(i + 1))
                    .map(|w| w.text().to_owned());
                if group.is_some_and(|g| later_removed.contains(&g)) {
                    continue;
                }
                let offending: Vec<&Word> = packages
                    .into_iter()
                    .filter(|w| {
                        let name = package_name(w.text());
                        is_build_only(name) && !later_removed.iter().any(|r| r == name)
                    })
                    .collect();
                let Some(first) = offending.first() else { continue };
                let names: Vec<&str> = offending.iter().take(3).map(|w| package_name(w.text())).collect();
                let more = if offending.len() > 3 { format!(" and {} more", offending.len() - 3) } else { String::new() };
                out.report(
                    first.range(),
                    format!(
                        "build-only packages ({}{more}) stay in the image; build in a separate stage or remove them in this RUN",
                        names.join(", ")
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
    fn fires_on_build_tools_in_single_stage() {
        let src = "FROM python:3.12-slim\nRUN apt-get update && \\\n    apt-get install -y --no-install-recommends curl gcc=4:12 libpq-dev\n";
        assert_eq!(hits("DO392", src), vec![(3, "gcc=4:12".into())]);
        assert!(check("DO392", src)[0].message.contains("gcc, libpq-dev"));
        assert_eq!(hits("DO392", "FROM alpine\nRUN apk add --no-cache build-base openssl-dev\n"), vec![(2, "build-base".into())]);
        assert_eq!(hits("DO392", "FROM fedora\nRUN sudo dnf install -y gcc-c++ python3-devel\n").len(), 1);
        assert_eq!(hits("DO392", "FROM a\nRUN apt-get install -y gcc\nRUN apt-get purge -y gcc\n").len(), 1, "later layer");
    }

    #[test]
    fn heredoc_onbuild_and_escape() {
        assert_eq!(hits("DO392", "FROM a\nRUN <<EOF\napt-get install -y make\nEOF\n"), vec![(3, "make".into())]);
        assert_eq!(hits("DO392", "FROM a\nONBUILD RUN apk add gcc\n").len(), 1);
        assert_eq!(hits("DO392", "# escape=`\nFROM a\nRUN apk add curl `\n  musl-dev\n"), vec![(4, "musl-dev".into())]);
    }

    #[test]
    fn quiet_when_removed_multi_stage_or_runtime_only() {
        assert_clean("DO392", "FROM a\nRUN apt-get install -y gcc libc6-dev && make && apt-get purge -y --auto-remove gcc libc6-dev\n");
        assert_clean("DO392", "FROM a\nRUN apk add --virtual .build-deps gcc musl-dev && pip install x && apk del .build-deps\n");
        assert_clean("DO392", "FROM a AS build\nRUN apt-get install -y gcc\nFROM a\nCOPY --from=build /x /x\n");
        let marked = "FROM a\nRUN apt-get install -y gcc make; apt-mark auto '.*' > /dev/null; \\\n    apt-get purge -y --auto-remove\n";
        assert_clean("DO392", marked);
        let xargs = "FROM a\nRUN apt-get install -y dpkg-dev && apt-mark showmanual | xargs apt-mark auto && apt-get autoremove -y\n";
        assert_clean("DO392", xargs);
        assert_clean("DO392", "FROM a\nRUN apt-get install -y libpq5 curl makedev ca-certificates && echo gcc\n");
    }
}
