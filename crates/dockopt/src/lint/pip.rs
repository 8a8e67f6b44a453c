//! pip install commands and pip's download cache: which command is a pip install, and whether
//! it leaves the cache in the image layer (shared by the rule that reports it and `analyze`,
//! which counts its bytes).

use super::install::has_cache_mount_ending;
use super::{Context, Ins};
use crate::shell::{Command, Word};

/// Whether pip keeps its download cache in the layer of `ins` when it runs `cmd`: no
/// `--no-cache-dir`, no `PIP_NO_CACHE_DIR` set to a true value (ENV or ARG of the stage chain,
/// an assignment before the command, an `export` in the RUN), no cache or tmpfs mount on it.
pub fn keeps_cache(cx: &Context, ins: Ins, cmd: &Command) -> bool {
    // `export PIP_NO_CACHE_DIR=1` is a declaration, not a command: look at the text.
    let run = ins.effective();
    let exported =
        std::iter::once(run.text.as_ref()).chain(ins.model.heredocs().iter().map(|h| h.content.as_str())).any(|t| {
            t.split(|c: char| c.is_whitespace() || c == ';')
                .any(|w| w.strip_prefix("PIP_NO_CACHE_DIR=").is_some_and(truthy))
        });
    !(has_cache_mount_ending(ins, &[".cache/pip", ".cache"])
        || disabled_by_env(cx, ins)
        || exported
        || cmd.args.iter().any(|w| abbreviates(w.text(), "--no-cache-dir", "--no-cache"))
        || cmd.assignments().iter().any(sets_variable))
}

/// `word` is `option` or an abbreviation of it at least as long as `shortest`: pip's option
/// parser accepts any unambiguous prefix (`--no-cache` for `--no-cache-dir`).
fn abbreviates(word: &str, option: &str, shortest: &str) -> bool {
    word.len() >= shortest.len() && option.starts_with(word)
}

const TRUTHY: [&str; 4] = ["1", "true", "on", "yes"];

fn truthy(value: &str) -> bool {
    TRUTHY.iter().any(|t| value.trim_matches(['"', '\'']).eq_ignore_ascii_case(t))
}

/// The `install` word of a pip install command.
pub fn install_word(cmd: &Command) -> Option<&Word> {
    subcommand_word(cmd).filter(|w| w.text() == "install")
}

/// pip's subcommand (`install`, `wheel`, `uninstall`) of `pip ...` or `python -m pip ...`.
pub fn subcommand_word(cmd: &Command) -> Option<&Word> {
    let program = cmd.program()?;
    if program.starts_with("pip") && !program.starts_with("pipenv") && !program.starts_with("pipx") {
        return cmd.operands().next();
    }
    if program.starts_with("python") {
        let at = cmd.args.windows(2).position(|w| w[0].text() == "-m" && w[1].text() == "pip")?;
        return cmd.args[at + 2..].iter().find(|w| !w.text().starts_with('-'));
    }
    None
}

/// `PIP_NO_CACHE_DIR` is set to a true value in the environment of the RUN.
fn disabled_by_env(cx: &Context, ins: Ins) -> bool {
    let Some(stage) = ins.model.stage() else { return false };
    let mut base = cx.model.stages[stage].base_stage;
    while let Some(b) = base {
        let parent = &cx.model.stages[b];
        if parent.variables.iter().any(|v| v.name == "PIP_NO_CACHE_DIR" && v.value.as_deref().is_some_and(truthy)) {
            return true;
        }
        base = parent.base_stage.filter(|&p| p < b);
    }
    // The last ENV or ARG of the stage before the RUN decides.
    let before = cx.assignments(stage, "PIP_NO_CACHE_DIR").iter().rfind(|a| a.index < ins.index);
    before.is_some_and(|a| a.value.as_deref().is_some_and(truthy))
}

fn sets_variable(word: &Word) -> bool {
    word.text().strip_prefix("PIP_NO_CACHE_DIR=").is_some_and(truthy)
}
