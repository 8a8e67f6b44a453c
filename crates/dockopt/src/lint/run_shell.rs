//! The shell a RUN's scripts run under and the variables the Dockerfile gives them: what the
//! shellcheck binary is told (a `#!` line and `export` lines) and what dockopt's own ShellCheck
//! checks assume. Both are computed once per stage, so a file of many RUNs stays linear.

use std::collections::HashSet;

use super::context::{Context, Ins};
use super::invocation::stage_chain;

/// Variables Docker predefines as build arguments.
const PREDEFINED: [&str; 8] =
    ["HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY", "ftp_proxy", "NO_PROXY", "no_proxy"];

/// The indices of each stage's SHELL instructions, in file order.
pub(crate) fn shell_instructions(cx: &Context) -> Vec<Vec<usize>> {
    let mut shells = vec![Vec::new(); cx.model.stages.len()];
    for (index, ins) in cx.model.instructions.iter().enumerate() {
        if let (Some(stage), "SHELL") = (ins.stage(), ins.keyword.as_ref())
            && let Some(list) = shells.get_mut(stage)
        {
            list.push(index);
        }
    }
    shells
}

/// The shell program a RUN's scripts run under: its stage's latest SHELL before it, else the
/// latest of the stages it is built on, else `/bin/sh`.
pub fn shell_program(cx: &Context, ins: Ins) -> String {
    let shells = cx.shell_instructions();
    let chain = ins.model.stage().map(|s| stage_chain(cx, s)).unwrap_or_default();
    let found = chain.iter().find_map(|&stage| {
        let list = shells.get(stage)?;
        let before =
            if Some(stage) == ins.model.stage() { list.partition_point(|&i| i < ins.index) } else { list.len() };
        before.checked_sub(1).map(|last| list[last])
    });
    found.and_then(|i| cx.model.instructions[i].arguments.first().cloned()).unwrap_or_else(|| "/bin/sh".to_owned())
}

/// The ARG and ENV names of a stage and the stages it is built on, the global ARGs, and
/// Docker's predefined proxy variables: what a RUN in `stage` may find set.
pub(crate) fn given_variables(cx: &Context, stage: Option<usize>) -> HashSet<String> {
    let mut names: HashSet<String> = PREDEFINED.iter().map(|v| (*v).to_owned()).collect();
    names.extend(cx.model.global_args.iter().map(|v| v.name.clone()));
    for index in stage.map(|s| stage_chain(cx, s)).unwrap_or_default() {
        names.extend(cx.model.stages[index].variables.iter().map(|v| v.name.clone()));
    }
    names.retain(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
    names
}
