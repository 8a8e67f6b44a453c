//! Where a path in the image comes from: which COPY/ADD put it there from the build context
//! (image path <-> context path, with WORKDIR applied), another stage, a RUN, or the base.

use crate::lint::paths::{clean, resolve};
use crate::lint::{Context, Ins};

/// The working directory in effect at `ins` in its stage: the last WORKDIR before it, joined
/// the way the engine joins them, else the base stage's or the base image's (from the table).
/// None when it depends on what the file does not say: a variable, an unknown base image.
pub fn workdir_at(cx: &Context, ins: Ins) -> Option<String> {
    cx.workdirs(|| Workdirs::of(cx)).at(ins.index).map(str::to_owned)
}

/// The working directory of every instruction, as the directory from each stage's first
/// instruction and from each instruction after a WORKDIR on: as long as the file's stages and
/// WORKDIRs, not its instructions.
#[derive(Debug)]
pub(crate) struct Workdirs {
    /// `(first instruction, directory)`, by instruction; a later entry of the same
    /// instruction (the next stage's start after a stage's last WORKDIR) wins.
    from: Vec<(usize, Option<String>)>,
}

impl Workdirs {
    /// One pass: a stage starts in its base stage's last WORKDIR, or the base image's (an image
    /// the table does not know may have set any).
    fn of(cx: &Context) -> Self {
        let mut from = Vec::new();
        let mut at_end: Vec<Option<String>> = Vec::with_capacity(cx.model.stages.len());
        for stage in &cx.model.stages {
            let mut dir: Option<String> = match stage.base_stage {
                Some(base) => at_end.get(base).cloned().flatten(),
                None if stage.scratch => Some("/".into()),
                None => stage.image.as_ref().and_then(super::bases::lookup).map(|b| b.workdir.to_owned()),
            };
            if let Some(&first) = stage.instructions.first() {
                from.push((first, dir.clone()));
            }
            for &i in &stage.instructions {
                let w = cx.ins(i);
                if w.is("WORKDIR") {
                    dir = w.model.arguments.first().and_then(|a| resolve(dir.as_deref(), a));
                    from.push((i + 1, dir.clone()));
                }
            }
            at_end.push(dir);
        }
        Self { from }
    }

    /// The working directory at instruction `index` (None outside the stages).
    fn at(&self, index: usize) -> Option<&str> {
        let after = self.from.partition_point(|(first, _)| *first <= index);
        after.checked_sub(1).and_then(|i| self.from[i].1.as_deref())
    }
}

/// Where one COPY/ADD from the context puts its sources.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextCopy {
    /// Context paths as written, cleaned (`.` for the whole context).
    pub sources: Vec<String>,
    /// The destination in the image, absolute.
    pub dest: String,
    /// Whether the destination is a folder that receives the sources by name.
    pub into_folder: bool,
}

/// The context copy `ins` makes, when it copies from the context and its destination is known.
pub fn context_copy(cx: &Context, ins: Ins) -> Option<ContextCopy> {
    if !(ins.is("COPY") || ins.is("ADD")) || ins.flag("from").is_some() || !ins.syntax.heredocs().is_empty() {
        return None;
    }
    let (dest, sources) = ins.model.arguments.split_last()?;
    if sources.is_empty() || sources.iter().any(|s| s.contains(['$', '*', '?', '[']) || s.contains("://")) {
        return None;
    }
    let dir = workdir_at(cx, ins)?;
    // `.` is the working directory: an existing folder, so files land inside it.
    let into_folder = dest.ends_with('/')
        || dest.as_str() == "."
        || dest.ends_with("/.")
        || sources.len() > 1
        || sources.iter().any(|s| is_folder_source(s));
    let dest = resolve(Some(&dir), dest)?;
    let into_folder = into_folder || STANDARD_FOLDERS.contains(&dest.as_str());
    let sources = sources
        .iter()
        .map(|s| super::context::BuildContext::normalize(s))
        .map(|s| if s.is_empty() { ".".into() } else { s })
        .collect();
    Some(ContextCopy { sources, dest, into_folder })
}

/// Folders every Linux base image has: a file copied to one lands inside it, slash or not
/// (`COPY requirements.txt /tmp`).
const STANDARD_FOLDERS: [&str; 15] = [
    "/tmp",
    "/var/tmp",
    "/etc",
    "/opt",
    "/srv",
    "/root",
    "/home",
    "/var",
    "/usr",
    "/usr/bin",
    "/usr/local",
    "/usr/local/bin",
    "/usr/local/lib",
    "/usr/share",
    "/usr/src",
];

fn is_folder_source(source: &str) -> bool {
    matches!(source, "." | "./" | "/") || source.ends_with('/')
}

/// The context path an image path (absolute) came from, through the copies of the stage
/// before `ins`; the last copy that covers the path wins. None when no context copy put it
/// there (an earlier RUN, another stage or the base image may have).
pub fn context_path(cx: &Context, ins: Ins, image_path: &str) -> Option<String> {
    let stage = &cx.model.stages[ins.model.stage()?];
    let image_path = clean(image_path);
    let mut found = None;
    for &i in stage.instructions.iter().filter(|&&i| i < ins.index) {
        follow(cx, cx.ins(i), &image_path, &mut found);
    }
    found
}

/// What `ins` does to where `image_path` came from: a context copy may put it there (or
/// replace it with something not from the context); any other copy may overwrite it.
fn follow(cx: &Context, ins: Ins, image_path: &str, found: &mut Option<String>) {
    if let Some(copy) = context_copy(cx, ins) {
        if let Some(path) = through(&copy, image_path) {
            *found = Some(path);
        } else if writes(&copy, image_path) {
            *found = None;
        }
    } else if ins.is("COPY") || ins.is("ADD") {
        // A copy from another stage or with an unknown destination may overwrite it.
        *found = None;
    }
}

/// The context path of a path as `ins` names it (relative to its working directory, or
/// absolute), through the copies before `ins`.
pub fn named_context_path(cx: &Context, ins: Ins, written: &str) -> Option<String> {
    let image_path = resolve(workdir_at(cx, ins).as_deref(), written)?;
    context_path(cx, ins, &image_path)
}

/// The context path of a file `ins` names that the stage copies in anywhere, also after `ins`
/// (a CMD's start script may be copied by a later instruction): the latest instruction of the
/// stage that sees a context copy of it answers.
pub fn stage_context_path(cx: &Context, ins: Ins, written: &str) -> Option<String> {
    let image_path = clean(&resolve(workdir_at(cx, ins).as_deref(), written)?);
    let stage = &cx.model.stages[ins.model.stage()?];
    // One pass: the answer before each instruction, the latest one found kept.
    let (mut found, mut latest) = (None, None);
    for &i in &stage.instructions {
        if found.is_some() {
            latest.clone_from(&found);
        }
        follow(cx, cx.ins(i), &image_path, &mut found);
    }
    latest
}

/// The context path `copy` maps `image_path` from, if it does. A folder source's content
/// lands in the destination; a file lands at the destination, or in it by name when the
/// destination is a folder. Without the context at hand, a source whose last part has no `.`
/// is taken for a folder.
fn through(copy: &ContextCopy, image_path: &str) -> Option<String> {
    let under = |root: &str| -> Option<String> {
        if image_path == root {
            Some(String::new())
        } else {
            image_path.strip_prefix(&format!("{}/", root.trim_end_matches('/'))).map(str::to_owned)
        }
    };
    for source in &copy.sources {
        let name = source.rsplit('/').next().unwrap_or(source);
        let folder = is_folder_source(source) || !name.contains('.');
        if folder {
            if let Some(rest) = under(&copy.dest) {
                return Some(match (source.as_str(), rest.is_empty()) {
                    (".", _) => rest,
                    (_, true) => source.clone(),
                    _ => format!("{}/{rest}", source.trim_end_matches('/')),
                });
            }
        } else {
            let landed = if copy.into_folder {
                format!("{}/{name}", copy.dest.trim_end_matches('/'))
            } else {
                copy.dest.clone()
            };
            if image_path == landed {
                return Some(source.clone());
            }
        }
    }
    None
}

/// Whether `copy` may write `image_path` in a way [`through`] does not map (a folder source
/// whose content is unknown lands below the destination).
fn writes(copy: &ContextCopy, image_path: &str) -> bool {
    crate::lint::paths::within(image_path, &copy.dest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workdir_and_whole_context_copies() {
        let src = "FROM python\nWORKDIR /app\nCOPY . .\nWORKDIR src\nRUN pip install -r ../requirements.txt\n";
        Context::read(src, |cx| {
            let run = cx.ins(4);
            assert_eq!(workdir_at(cx, run).as_deref(), Some("/app/src"));
            assert_eq!(context_path(cx, run, "/app/requirements.txt").as_deref(), Some("requirements.txt"));
            assert_eq!(context_path(cx, run, "/app/req/base.txt").as_deref(), Some("req/base.txt"));
            assert_eq!(context_path(cx, run, "/etc/passwd"), None);
        });
    }

    #[test]
    fn workdir_of_every_instruction_across_stages() {
        let src = "ARG V=1\nFROM scratch AS a\nWORKDIR /a\nFROM a\nRUN x\nWORKDIR b\nRUN y\nFROM nosuchimage\nRUN z\nFROM a\nWORKDIR $V\n";
        Context::read(src, |cx| {
            let all: Vec<Option<String>> = cx.instructions().map(|i| workdir_at(cx, i)).collect();
            let want = [
                None,
                Some("/"),
                Some("/"),
                Some("/a"),
                Some("/a"),
                Some("/a"),
                Some("/a/b"),
                None,
                None,
                Some("/a"),
                Some("/a"),
            ];
            assert_eq!(all, want.map(|w| w.map(str::to_owned)));
        });
    }

    #[test]
    fn file_and_folder_copies() {
        let src = "FROM python\nCOPY requirements.txt /app/\nCOPY src/ /app/code\nCOPY app.py /srv/main.py\nRUN x\n";
        Context::read(src, |cx| {
            let run = cx.ins(4);
            assert_eq!(context_path(cx, run, "/app/requirements.txt").as_deref(), Some("requirements.txt"));
            assert_eq!(context_path(cx, run, "/app/code/x/y.py").as_deref(), Some("src/x/y.py"));
            assert_eq!(context_path(cx, run, "/srv/main.py").as_deref(), Some("app.py"));
        });
        let overwritten = "FROM a\nCOPY . /app\nCOPY --from=b /out /app\nRUN x\n";
        Context::read(overwritten, |cx| assert_eq!(context_path(cx, cx.ins(3), "/app/x"), None));
        Context::read("FROM a\nWORKDIR $HOME\nCOPY . .\nRUN x\n", |cx| {
            assert_eq!(context_path(cx, cx.ins(3), "/x"), None)
        });
    }
}
