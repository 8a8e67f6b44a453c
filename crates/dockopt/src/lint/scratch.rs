//! Stages built on `FROM scratch`: an empty filesystem, so no shell and no user database until
//! something is copied in.

use super::invocation::stage_chain;
use super::{Context, Ins};

/// The stages from the `scratch` root up to `stage`, in build order, when `stage` is built on
/// `scratch` (directly or through earlier stages); `None` otherwise.
pub fn scratch_chain(cx: &Context, stage: usize) -> Option<Vec<usize>> {
    let mut chain = stage_chain(cx, stage);
    let root = *chain.last()?;
    if !cx.model.stages.get(root)?.scratch {
        return None;
    }
    chain.reverse();
    Some(chain)
}

/// The instructions of a scratch chain (see [`scratch_chain`]) that come before `ins` in its
/// build, FROM lines excluded.
pub fn before<'a>(cx: &'a Context, chain: &[usize], ins: Ins) -> Vec<Ins<'a>> {
    chain
        .iter()
        .filter_map(|&s| cx.model.stages.get(s))
        .flat_map(|s| s.instructions.iter().copied())
        .take_while(|&i| i != ins.index)
        .map(|i| cx.ins(i))
        .filter(|i| !i.is("FROM"))
        .collect()
}

/// The destination and sources of a COPY or ADD (no heredoc bodies), as written.
pub fn copy_paths(ins: Ins<'_>) -> Option<(&str, &[String])> {
    let m = ins.effective();
    if !matches!(m.keyword.as_ref(), "COPY" | "ADD") {
        return None;
    }
    let (dest, sources) = m.arguments.split_last()?;
    Some((dest.as_str(), sources))
}
