//! Reading package-manager command lines (`apt-get install`, `apk add`, `pip install`, ...):
//! which subcommand runs and which words name packages.

use crate::shell::{Command, Word};

use super::Context;

/// The subcommand word (the first operand that is one of `subcommands`) and the operands after
/// it, leaving out the values of options that take one (`value_options`: single letters for
/// short options, longer names for `--long` options).
///
/// `apt-get -t bookworm install -y curl=7.*` with `install` and `["t"]` gives
/// (`install`, [`curl=7.*`]).
pub fn subcommand_operands<'a>(
    command: &'a Command,
    subcommands: &[&str],
    value_options: &[&str],
) -> Option<(&'a Word, Vec<&'a Word>)> {
    let mut sub = None;
    let mut operands = Vec::new();
    let mut skip_value = false;
    let mut only_operands = false;
    for word in &command.args {
        let text = word.text();
        if skip_value {
            skip_value = false;
            continue;
        }
        if !only_operands && text == "--" {
            only_operands = true;
            continue;
        }
        let is_option = !only_operands && text.starts_with('-') && text != "-";
        if is_option {
            if let Some(long) = text.strip_prefix("--") {
                skip_value = !long.contains('=') && value_options.contains(&long);
            } else {
                // `-t value`, `-yt value`: the value follows when the option letter ends the word.
                let letters = &text[1..];
                let first = letters.char_indices().find(|(_, c)| {
                    let mut buf = [0; 4];
                    value_options.contains(&&*c.encode_utf8(&mut buf))
                });
                skip_value = first.is_some_and(|(i, c)| i + c.len_utf8() == letters.len());
            }
            continue;
        }
        match sub {
            None if subcommands.contains(&text) => sub = Some(word),
            None => {}
            Some(_) => operands.push(word),
        }
    }
    sub.map(|s| (s, operands))
}

/// `apt-get`/`apt` run as a simulation (`-s`, `--simulate`, `--dry-run`, ...): nothing is
/// installed and nothing is asked.
pub fn apt_simulates(command: &Command) -> bool {
    command.has_option(Some('s'), Some("simulate"))
        || ["just-print", "dry-run", "recon", "no-act"].iter().any(|o| command.has_option(None, Some(o)))
}

/// Whether `word`'s range holds the word as written, so an edit next to it lands in the right
/// place (not so for `RUN ["sh", "-c", "..."]`, whose commands are located at the instruction).
pub fn exact(cx: &Context, word: &Word) -> bool {
    cx.src.get(word.range()) == Some(word.raw())
}

/// Compilers and build tools: needed to build, never to run.
const BUILD_TOOLS: [&str; 18] = [
    "gcc",
    "g++",
    "gcc-c++",
    "clang",
    "gfortran",
    "make",
    "cmake",
    "build-essential",
    "build-base",
    "autoconf",
    "automake",
    "libtool",
    "pkg-config",
    "pkgconf",
    "pkgconfig",
    "musl-dev",
    "linux-headers",
    "kernel-devel",
];

/// The package name of an install operand: `gcc=4:12.2.0-3` -> `gcc`, `libpq-dev:amd64` -> `libpq-dev`.
pub fn package_name(operand: &str) -> &str {
    let end = operand.find(['=', '~', '>', '<', ':']).unwrap_or(operand.len());
    &operand[..end]
}

/// Build tools and `-dev`/`-devel` header packages.
pub fn is_build_only(name: &str) -> bool {
    is_build_tool(name) || ((name.ends_with("-dev") || name.ends_with("-devel")) && name.len() > 6)
}

/// Compilers and build tools (not header packages).
pub fn is_build_tool(name: &str) -> bool {
    BUILD_TOOLS.contains(&name)
        || name.strip_prefix("gcc-").is_some_and(|v| v.chars().all(|c| c.is_ascii_digit()))
        || name.strip_prefix("clang-").is_some_and(|v| v.chars().all(|c| c.is_ascii_digit()))
}

/// The package words of a system package install (`apt-get install`, `apk add`, `yum install`,
/// ...), or None when `command` is not one.
pub fn installed(command: &Command) -> Option<Vec<&Word>> {
    let program = command.program()?;
    let verbs: &[&str] = match program {
        "apt-get" | "apt" | "aptitude" => &["install"],
        "apk" => &["add"],
        "yum" | "dnf" | "microdnf" | "tdnf" => &["install"],
        "zypper" => &["install", "in"],
        _ => return None,
    };
    let mut operands = command.operands();
    let verb = operands.next()?;
    if !verbs.contains(&verb.text()) {
        return None;
    }
    // `apk add --virtual .name pkgs`: the name is not a package.
    let virtual_name = command
        .args
        .iter()
        .position(|w| w.text() == "--virtual" || w.text() == "-t")
        .and_then(|i| command.args.get(i + 1))
        .map(|w| w.text());
    Some(operands.filter(|w| Some(w.text()) != virtual_name && !w.text().contains('/')).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::analyze;

    fn packages(script: &str, subs: &[&str], values: &[&str]) -> Option<(String, Vec<String>)> {
        let s = analyze(script, &|o| o);
        let (sub, ops) = subcommand_operands(&s.commands[0], subs, values)?;
        Some((sub.text().to_owned(), ops.iter().map(|w| w.text().to_owned()).collect()))
    }

    #[test]
    fn skips_option_values() {
        let found = packages("apt-get -t bookworm install -y -o a=b curl 'vim=2' -- -x", &["install"], &["t", "o"]);
        assert_eq!(found, Some(("install".into(), vec!["curl".into(), "vim=2".into(), "-x".into()])));
        let found = packages("apk add --virtual .deps -qt build gcc --repository=x musl", &["add"], &["t", "virtual"]);
        assert_eq!(found, Some(("add".into(), vec!["gcc".into(), "musl".into()])));
        assert_eq!(packages("apt-get update", &["install"], &[]), None);
    }
}
