//! Helpers for rules about package-manager commands in RUN (yum, dnf, zypper, gem, pip):
//! which words are the subcommand and the packages, whether a cache is cleaned after the
//! install, whether a stage's layers ship, and where an inserted option goes.

use std::ops::Range;

use super::{Context, Ins};
use crate::shell::{Command, Word};

/// Options of yum and dnf that take the next word as their value (when written without `=`).
pub const RPM_VALUE_OPTIONS: &[&str] = &[
    "-c",
    "--config",
    "-d",
    "--debuglevel",
    "-e",
    "--errorlevel",
    "-x",
    "--exclude",
    "--enablerepo",
    "--disablerepo",
    "--repo",
    "--repoid",
    "--installroot",
    "--releasever",
    "--setopt",
    "--downloaddir",
    "--destdir",
    "--forcearch",
    "--color",
];

/// Options of zypper that take the next word as their value.
pub const ZYPPER_VALUE_OPTIONS: &[&str] = &[
    "-c",
    "--config",
    "-R",
    "--root",
    "-D",
    "--reposd-dir",
    "-C",
    "--cache-dir",
    "--raw-cache-dir",
    "--solv-cache-dir",
    "--pkg-cache-dir",
    "-r",
    "--repo",
    "--from",
    "-t",
    "--type",
];

/// The operands of `cmd` (words that are not options), skipping the value word of an option
/// listed in `value_options`; everything after `--` is an operand.
pub fn operands<'a>(cmd: &'a Command, value_options: &[&str]) -> Vec<&'a Word> {
    let mut out = Vec::new();
    let mut words = cmd.args.iter();
    while let Some(word) = words.next() {
        let text = word.text();
        if text == "--" {
            out.extend(words.by_ref());
            break;
        }
        if text.starts_with('-') && text != "-" {
            if value_options.contains(&text) {
                words.next();
            }
            continue;
        }
        out.push(word);
    }
    out
}

/// Whether `cmd` runs one of `programs` (rpm-based: yum, dnf, microdnf) as `clean ... all`.
pub fn cleans_all(cmd: &Command, programs: &[&str]) -> bool {
    // The program first: operands are collected only for the few commands that can match.
    if !cmd.program().is_some_and(|p| programs.contains(&p)) {
        return false;
    }
    let ops = operands(cmd, RPM_VALUE_OPTIONS);
    ops.first().is_some_and(|w| w.text() == "clean") && ops.iter().any(|w| w.text() == "all")
}

/// Whether `cmd` runs one of `programs` and its first operand is one of `subcommands`.
pub fn runs(cmd: &Command, programs: &[&str], subcommands: &[&str], value_options: &[&str]) -> bool {
    cmd.program().is_some_and(|p| programs.contains(&p))
        && operands(cmd, value_options).first().is_some_and(|w| subcommands.contains(&w.text()))
}

/// Every command a RUN (or ONBUILD RUN) executes, in order.
pub fn commands<'a>(cx: &'a Context, ins: Ins) -> Vec<&'a Command> {
    cx.scripts(ins).iter().flat_map(|s| &s.commands).collect()
}

/// The first command matching `install` that no command matching `clean` follows.
pub fn uncleaned<'a>(
    commands: &[&'a Command],
    install: impl Fn(&Command) -> bool,
    clean: impl Fn(&Command) -> bool,
) -> Option<&'a Command> {
    // Most RUNs install nothing: the cleaning commands are only looked for after an install.
    let first_install = commands.iter().position(|c| install(c))?;
    let last_clean = commands[first_install..].iter().rposition(|c| clean(c)).map(|i| first_install + i);
    commands
        .iter()
        .enumerate()
        .skip(first_install)
        .find(|(i, c)| install(c) && last_clean.is_none_or(|l| l < *i))
        .map(|(_, c)| *c)
}

/// Whether `cmd` is an `rm` that deletes `path` or a folder containing it
/// (`rm -rf /var/cache/yum/*` deletes `/var/cache/yum`).
pub fn removes(cmd: &Command, path: &str) -> bool {
    cmd.is("rm")
        && cmd.operands().any(|w| {
            let target = w.text().trim_end_matches('*').trim_end_matches('/');
            !target.is_empty() && (path == target || path.starts_with(&format!("{target}/")))
        })
}

/// Whether the layers of the stage holding `ins` are likely to ship: its stage is the last
/// one or the base of another stage, or the instruction is an ONBUILD trigger (it runs in
/// whatever image builds on this one).
pub fn ships(cx: &Context, ins: Ins) -> bool {
    if ins.model.onbuild().is_some() {
        return true;
    }
    ins.model.stage().is_none_or(|stage| super::invocation::is_shipped(cx, stage))
}

/// Whether a cache or tmpfs mount of the RUN has a target ending in one of `suffixes`
/// (for caches under a home folder that differs between images, like `.cache/pip`).
pub fn has_cache_mount_ending(ins: Ins, suffixes: &[&str]) -> bool {
    ins.mounts().iter().any(|m| {
        matches!(m.kind.as_str(), "cache" | "tmpfs")
            && m.target.as_deref().is_some_and(|t| {
                let t = t.trim_end_matches('/');
                suffixes.iter().any(|s| t == *s || t.ends_with(&format!("/{s}")))
            })
    })
}

/// The range of a word when it points at the exact source text (words of an exec-form
/// `sh -c` string all sit at the instruction start, so no edit can be made there).
pub fn exact(word: &Word) -> Option<Range<usize>> {
    (!word.range().is_empty()).then(|| word.range())
}

/// An RPM package argument pins a version: `name-version[-release]` (the part after the
/// first `-` looks like a version: letters, digits, `.~^_:+*`, at least one part starting
/// with a digit) or a `.rpm` file.
pub fn rpm_pinned(package: &str) -> bool {
    if package.ends_with(".rpm") {
        return true;
    }
    let parts: Vec<&str> = package.split('-').skip(1).collect();
    !parts.is_empty()
        && parts.iter().all(|p| p.chars().all(|c| c.is_ascii_alphanumeric() || ".~^_:+*".contains(c)))
        && parts.iter().any(|p| p.starts_with(|c: char| c.is_ascii_digit()))
}

/// Package arguments that no version can be judged for: expansions, file paths and
/// capability names like `dnf-command(config-manager)` or `/usr/bin/python3`.
pub fn unjudgeable(word: &Word) -> bool {
    word.value().is_none() || word.text().starts_with('/') || word.text().contains(['(', '$'])
}

/// `install` (and `module install`) of yum-family `programs` without a version (or a module
/// without a stream): one finding per package word. Shared by the yum and dnf rules.
pub fn report_unpinned_rpm(cx: &Context, out: &mut super::Reporter, programs: &[&str]) {
    for ins in cx.instructions() {
        for cmd in commands(cx, ins).into_iter().filter(|c| programs.iter().any(|p| c.is(p))) {
            let ops = operands(cmd, RPM_VALUE_OPTIONS);
            let (module, packages) = match ops.as_slice() {
                [sub, rest @ ..] if sub.text() == "install" => (false, rest),
                [sub, action, rest @ ..] if sub.text() == "module" && action.text() == "install" => (true, rest),
                _ => continue,
            };
            for word in packages.iter().filter(|w| !unjudgeable(w)) {
                let name = word.text();
                if module && !name.contains(':') {
                    out.report(word.range(), format!("module `{name}` has no stream; write `{name}:<stream>`"));
                } else if !module && !rpm_pinned(name) {
                    out.report(word.range(), format!("`{name}` has no version; write `{name}-<version>`"));
                }
            }
        }
    }
}

/// Installs by yum-family `programs` without `-y`, with a fix that adds it after the
/// subcommand. Shared by the yum and dnf rules.
pub fn report_rpm_install_without_yes(cx: &Context, out: &mut super::Reporter, programs: &[&str]) {
    for ins in cx.instructions() {
        for cmd in commands(cx, ins) {
            if !runs(cmd, programs, &["install", "groupinstall", "localinstall"], RPM_VALUE_OPTIONS)
                || cmd.has_option(Some('y'), Some("assumeyes"))
            {
                continue;
            }
            let program = cmd.program().unwrap_or(programs[0]);
            let d = out.report(cmd.range(), format!("`{program}` will wait for a confirmation; add `-y`"));
            if let Some(sub) = operands(cmd, RPM_VALUE_OPTIONS).first().and_then(|w| exact(w)) {
                d.set_fix(super::Fix::safe("Add `-y`", vec![super::Edit::insert(sub.end, " -y")]));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::analyze;

    #[test]
    fn operands_skip_option_values() {
        let s = analyze("yum --enablerepo epel -y install a -- -b", &|o| o);
        let words: Vec<_> = operands(&s.commands[0], RPM_VALUE_OPTIONS).iter().map(|w| w.text()).collect();
        assert_eq!(words, vec!["install", "a", "-b"]);
        assert!(runs(&s.commands[0], &["yum"], &["install"], RPM_VALUE_OPTIONS));
        assert!(!runs(&s.commands[0], &["dnf"], &["install"], RPM_VALUE_OPTIONS));
    }

    #[test]
    fn cleaning_order_and_removal() {
        let s = analyze("yum install a && yum clean all && yum install b; rm -rf /var/cache/yum/*", &|o| o);
        let cmds: Vec<&Command> = s.commands.iter().collect();
        let install = |c: &Command| c.is("yum") && c.subcommand() == Some("install");
        assert!(uncleaned(&cmds, install, |c| removes(c, "/var/cache/yum")).is_none());
        let found = uncleaned(&cmds, install, |c| c.is("yum") && c.subcommand() == Some("clean")).unwrap();
        assert_eq!(found.args.last().unwrap().text(), "b");
        assert!(!removes(cmds[3], "/var/cache/dnf"));
    }

    #[test]
    fn rpm_versions() {
        for pinned in ["foo-1.2", "python3-3.6.8", "foo-1.2-3.el8", "nodejs-16.*", "x.rpm", "a-b-1:2.0"] {
            assert!(rpm_pinned(pinned), "{pinned}");
        }
        for loose in ["foo", "epel-release", "python3-devel", "foo-1/2"] {
            assert!(!rpm_pinned(loose), "{loose}");
        }
    }
}
