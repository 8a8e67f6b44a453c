//! STOPSIGNAL values and what the final image runs as PID 1: shared by the rules on stop
//! signals.

use super::invocation::stage_chain;
use super::{Context, Ins};
use crate::model::Form;

/// Linux signal numbers Docker accepts in STOPSIGNAL, with their names (without `SIG`).
const NUMBERS: [(u32, &str); 31] = [
    (1, "HUP"),
    (2, "INT"),
    (3, "QUIT"),
    (4, "ILL"),
    (5, "TRAP"),
    (6, "ABRT"),
    (7, "BUS"),
    (8, "FPE"),
    (9, "KILL"),
    (10, "USR1"),
    (11, "SEGV"),
    (12, "USR2"),
    (13, "PIPE"),
    (14, "ALRM"),
    (15, "TERM"),
    (16, "STKFLT"),
    (17, "CHLD"),
    (18, "CONT"),
    (19, "STOP"),
    (20, "TSTP"),
    (21, "TTIN"),
    (22, "TTOU"),
    (23, "URG"),
    (24, "XCPU"),
    (25, "XFSZ"),
    (26, "VTALRM"),
    (27, "PROF"),
    (28, "WINCH"),
    (29, "IO"),
    (30, "PWR"),
    (31, "SYS"),
];

/// Docker's real-time signals start at 34 (`RTMIN`) and end at 64 (`RTMAX`).
const RTMIN: u32 = 34;
const RTMAX: u32 = 64;

/// The canonical spelling of a STOPSIGNAL value (`SIGTERM`, `SIGRTMIN+3`): numbers, names
/// without `SIG`, any case and quotes accepted. `None` when unknown or a variable.
pub fn canonical(value: &str) -> Option<String> {
    let v = value.trim().trim_matches(['"', '\'']).to_ascii_uppercase();
    if v.is_empty() || v.contains('$') {
        return None;
    }
    if let Ok(n) = v.parse::<u32>() {
        return match n {
            RTMIN..=RTMAX => Some(realtime(n)),
            _ => NUMBERS.iter().find(|(k, _)| *k == n).map(|(_, name)| format!("SIG{name}")),
        };
    }
    let name = v.strip_prefix("SIG").unwrap_or(&v);
    if let Some(rest) = name.strip_prefix("RTMIN") {
        let offset = if rest.is_empty() { 0 } else { rest.strip_prefix('+')?.parse::<u32>().ok()? };
        return (RTMIN + offset <= RTMAX).then(|| realtime(RTMIN + offset));
    }
    if let Some(rest) = name.strip_prefix("RTMAX") {
        let offset = if rest.is_empty() { 0 } else { rest.strip_prefix('-')?.parse::<u32>().ok()? };
        return (offset <= RTMAX - RTMIN).then(|| realtime(RTMAX - offset));
    }
    match name {
        "IOT" => Some("SIGABRT".into()),
        "POLL" => Some("SIGIO".into()),
        "CLD" => Some("SIGCHLD".into()),
        _ => NUMBERS.iter().any(|(_, n)| *n == name).then(|| format!("SIG{name}")),
    }
}

fn realtime(n: u32) -> String {
    match n - RTMIN {
        0 => "SIGRTMIN".into(),
        k => format!("SIGRTMIN+{k}"),
    }
}

/// What the final image of the file runs: the last stage's STOPSIGNAL (its own or from an
/// earlier stage it is built on) and the program that is PID 1, from an exec-form ENTRYPOINT,
/// else an exec-form CMD. `None` when the file has no stage or PID 1 is not known (shell form,
/// no ENTRYPOINT or CMD in the file).
pub struct Runtime<'a> {
    pub stopsignal: Option<Ins<'a>>,
    /// PID 1's program without its folder (`nginx`), and the whole word (`/usr/sbin/nginx`).
    pub program: String,
    pub path: String,
    /// The instruction that names the program.
    pub command: Ins<'a>,
    /// The stage the chain starts from (its base is an image, not a stage).
    pub root: usize,
}

pub fn final_runtime<'a>(cx: &Context<'a>) -> Option<Runtime<'a>> {
    let last = cx.model.stages.len().checked_sub(1)?;
    let chain = stage_chain(cx, last);
    // The image's instructions from the last one back, through the stages it builds on.
    let latest = |keyword: &str| {
        chain
            .iter()
            .flat_map(|&s| cx.model.stages[s].instructions.iter().rev())
            .map(|&i| cx.ins(i))
            .find(|i| i.is(keyword))
    };
    let stopsignal = latest("STOPSIGNAL");
    let command = match latest("ENTRYPOINT") {
        Some(e) => e,
        None => latest("CMD")?,
    };
    if command.model.form != Some(Form::Exec) {
        return None;
    }
    let path = command.model.arguments.first()?.clone();
    let program = path.rsplit('/').next().unwrap_or(&path).to_owned();
    Some(Runtime { stopsignal, program, path, command, root: *chain.last()? })
}

#[cfg(test)]
mod tests {
    use super::canonical;

    #[test]
    fn canonical_names() {
        assert_eq!(canonical("9").as_deref(), Some("SIGKILL"));
        assert_eq!(canonical("\"sigterm\"").as_deref(), Some("SIGTERM"));
        assert_eq!(canonical("QUIT").as_deref(), Some("SIGQUIT"));
        assert_eq!(canonical("RTMIN+3").as_deref(), Some("SIGRTMIN+3"));
        assert_eq!(canonical("37").as_deref(), Some("SIGRTMIN+3"));
        assert_eq!(canonical("SIGRTMAX-30").as_deref(), Some("SIGRTMIN"));
        assert_eq!(canonical("$SIG"), None);
        assert_eq!(canonical("SIGFOO"), None);
    }
}
