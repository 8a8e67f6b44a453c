//! What each instruction adds to its stage's image. Layers only add: a file deleted by a later
//! RUN still ships in the earlier layer, and `chown -R` copies what it touches into a new one.
//! COPY from the context is measured (after `.dockerignore`); package installs are estimated
//! from the tables in [`super::sizes`]; base images come from the caller or the table.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, OnceLock};

use serde::Serialize;

use super::Basis;
use super::scan::Files;
use super::sizes;
use crate::lint::invocation::{env_at, option_values, skipped, stage_chain, unwrap};
use crate::lint::paths::within;
use crate::lint::{Context, Ins, packages, pip};
use crate::model::ImageRef;
use crate::semantics::{BuildContext, bases, manifests, provenance};
use crate::shell::{Command, Word};

/// One stage: its base and what each instruction adds.
#[derive(Debug, Clone, Serialize)]
pub struct StageSize {
    pub index: usize,
    /// The stage's name, or its index.
    pub name: String,
    pub base: String,
    /// The base with build-arg defaults applied, when known.
    pub image: Option<String>,
    pub base_bytes: u64,
    pub base_basis: Basis,
    /// The pull size, when the table has it.
    pub base_compressed_bytes: Option<u64>,
    /// Where the base figure comes from.
    pub base_source: String,
    pub added_bytes: u64,
    pub total_bytes: u64,
    pub basis: Basis,
    pub incomplete: bool,
    pub instructions: Vec<InstructionSize>,
}

/// What one instruction adds.
#[derive(Debug, Clone, Serialize)]
pub struct InstructionSize {
    /// 32 bits, as a text's positions ([`crate::text::Position`]).
    pub line: u32,
    pub keyword: LayerKeyword,
    pub bytes: u64,
    pub basis: Basis,
    pub parts: Box<[Part]>,
}

// The report holds one for every RUN, COPY and ADD.
#[cfg(target_pointer_width = "64")]
const _: () = assert!(std::mem::size_of::<InstructionSize>() <= 32);

/// The instructions that add a layer, written in upper case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum LayerKeyword {
    Run,
    Copy,
    Add,
}

impl LayerKeyword {
    pub fn as_str(self) -> &'static str {
        match self {
            LayerKeyword::Run => "RUN",
            LayerKeyword::Copy => "COPY",
            LayerKeyword::Add => "ADD",
        }
    }
}

impl std::fmt::Display for LayerKeyword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

/// One thing an instruction adds (`pip install: 14 distributions`, `apt lists`).
#[derive(Debug, Clone, Serialize)]
pub struct Part {
    /// Shared with the other parts that say the same (see [`SharedTexts`]).
    pub what: Arc<str>,
    pub bytes: u64,
    pub basis: Basis,
    /// Where in the image it lands (absolute), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<Arc<str>>,
    /// What later steps of the build read from it.
    #[serde(skip)]
    pub made: Made,
}

// The report holds a part for every RUN, COPY and ADD: two parts fall in the allocator's size
// class of 128 bytes (at 88 bytes each they took 192).
#[cfg(target_pointer_width = "64")]
const _: () = assert!(std::mem::size_of::<Part>() <= 64);

/// What a part leaves behind for later steps, besides bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Made {
    #[default]
    Nothing,
    /// Wheels of these distributions (`pip wheel`, `python -m build`), for a later
    /// `pip install <folder>/*` to install. Boxed, as few parts make wheels: this keeps
    /// [`Made`] at 16 bytes.
    #[allow(clippy::box_collection)]
    Wheels(Box<Vec<String>>),
    /// A virtual environment at the part's path.
    Venv,
    /// The part's path is deleted (`rm -rf`, `pip uninstall`): the layer keeps its bytes, but a
    /// `COPY --from` of the stage no longer finds what was there.
    Removal,
}

impl Part {
    fn new(what: impl Into<String>, bytes: u64, basis: Basis, path: Option<String>) -> Self {
        Self { what: what.into().into(), bytes, basis, path: path.map(Arc::from), made: Made::Nothing }
    }

    fn making(mut self, made: Made) -> Self {
        self.made = made;
        self
    }
}

/// One copy of each text that parts repeat: the report keeps a part for every RUN, COPY and
/// ADD, and a file of a thousand alike RUNs says "rm /var/lib/apt/lists" a thousand times.
#[derive(Default)]
struct SharedTexts(HashSet<Arc<str>>);

impl SharedTexts {
    fn share(&mut self, text: &mut Arc<str>) {
        match self.0.get(&**text) {
            Some(kept) => *text = Arc::clone(kept),
            None => {
                self.0.insert(Arc::clone(text));
            }
        }
    }

    fn share_all(&mut self, parts: &mut [Part]) {
        for part in parts {
            self.share(&mut part.what);
            if let Some(path) = &mut part.path {
                self.share(path);
            }
        }
    }
}

/// Size every stage, in order (a stage can only build on or copy from earlier ones).
pub fn stages(
    cx: &Context,
    context: Option<&BuildContext>,
    files: Option<&Files>,
    given: &[(String, u64)],
) -> Vec<StageSize> {
    let mut out: Vec<StageSize> = Vec::new();
    let mut made = MadeBefore::default();
    let mut written = WrittenByStage::default();
    let mut texts = SharedTexts::default();
    for (index, stage) in cx.model.stages.iter().enumerate() {
        let (base_bytes, base_basis, base_compressed_bytes, base_source) = base_figure(cx, index, &out, given);
        let mut sized = StageSize {
            index,
            name: stage.name.clone().unwrap_or_else(|| index.to_string()),
            base: stage.base.clone(),
            image: stage.base_resolved.clone(),
            base_bytes,
            base_basis,
            base_compressed_bytes,
            base_source,
            added_bytes: 0,
            total_bytes: 0,
            basis: Basis::Measured,
            incomplete: base_basis == Basis::Unknown,
            instructions: Vec::new(),
        };
        // Debian packages the stage's apt installs have unpacked so far: a later install of
        // one of them (or of a package sharing its dependencies) does not add it again.
        let mut debs = HashSet::new();
        // Room for every layer at once: a list grown by pushes keeps up to as much again
        // unused, and a huge file's layers are much of its report.
        let layers = stage.instructions.iter().filter(|&&i| matches!(cx.ins(i).keyword(), "RUN" | "COPY" | "ADD"));
        sized.instructions.reserve_exact(layers.count());
        for &i in &stage.instructions {
            let ins = cx.ins(i);
            let (keyword, parts) = match ins.keyword() {
                "RUN" => (LayerKeyword::Run, run_parts(cx, ins, context, files, (&out, &made), &sized, &mut debs)),
                "COPY" => (LayerKeyword::Copy, copy_parts(cx, ins, files, &out, &mut written)),
                "ADD" => (LayerKeyword::Add, copy_parts(cx, ins, files, &out, &mut written)),
                _ => continue,
            };
            let bytes = parts.iter().map(|p| p.bytes).sum();
            let basis = combine(parts.iter().map(|p| p.basis));
            let line = crate::text::narrow(cx.line(ins.syntax.range.start));
            // Kept for the report: boxed without the room a list grown by pushes keeps (four
            // parts; most instructions have one or two).
            let mut parts = parts.into_boxed_slice();
            texts.share_all(&mut parts);
            sized.instructions.push(InstructionSize { line, keyword, bytes, basis, parts });
        }
        sized.added_bytes = sized.instructions.iter().map(|i| i.bytes).sum();
        sized.total_bytes = sized.base_bytes + sized.added_bytes;
        let all = std::iter::once(sized.base_basis).chain(sized.instructions.iter().map(|i| i.basis));
        sized.basis = combine(all);
        sized.incomplete |= sized.instructions.iter().any(|i| i.basis == Basis::Unknown);
        made.add(&sized);
        out.push(sized);
    }
    out
}

/// The weakest basis: one estimated figure makes the sum an estimate.
fn combine(bases: impl Iterator<Item = Basis>) -> Basis {
    let mut out = Basis::Measured;
    for b in bases {
        out = match (out, b) {
            (_, Basis::Estimated) | (Basis::Estimated, _) => Basis::Estimated,
            (Basis::Measured, other) => other,
            (kept, _) => kept,
        };
    }
    out
}

fn base_figure(
    cx: &Context,
    index: usize,
    done: &[StageSize],
    given: &[(String, u64)],
) -> (u64, Basis, Option<u64>, String) {
    let stage = &cx.model.stages[index];
    if let Some(base) = stage.base_stage.and_then(|b| done.get(b)) {
        return (base.total_bytes, base.basis, None, format!("stage {}", base.name));
    }
    if stage.scratch {
        return (0, Basis::Measured, Some(0), "scratch is empty".into());
    }
    let written = stage.base_resolved.as_deref().unwrap_or(&stage.base);
    if let Some((_, bytes)) = given.iter().find(|(name, _)| name == written || name == &stage.base) {
        return (*bytes, Basis::Given, None, "given (--base-size)".into());
    }
    match stage.image.as_ref().and_then(sizes::base_size) {
        Some(s) => {
            (s.uncompressed, Basis::Estimated, Some(s.compressed), format!("{} ({}, {})", s.example, s.source, s.date))
        }
        None => (0, Basis::Unknown, None, "not in the table: pass --base-size or --engine".into()),
    }
}

fn copy_parts(
    cx: &Context,
    ins: Ins,
    files: Option<&Files>,
    done: &[StageSize],
    written: &mut WrittenByStage,
) -> Vec<Part> {
    let m = ins.effective();
    let Some((dest, sources)) = m.arguments.split_last() else { return Vec::new() };
    let dest = crate::lint::paths::resolve(provenance::workdir_at(cx, ins).as_deref().or(Some("/")), dest);
    if !ins.syntax.heredocs().is_empty() {
        let bytes = ins.syntax.heredocs().iter().map(|h| h.body.len() as u64).sum();
        return vec![Part::new("heredoc", bytes, Basis::Measured, dest)];
    }
    if let Some(from) = ins.flag("from").and_then(|f| f.value.as_deref()) {
        return vec![from_stage(cx, from, sources, dest, done, written)];
    }
    let into_folder = provenance::context_copy(cx, ins).is_some_and(|c| c.into_folder);
    sources
        .iter()
        .map(|source| {
            // A file copied into a folder lands at folder/name: where a `COPY --from` finds it.
            let file = BuildContext::normalize(source);
            let dest = match (&dest, files) {
                (Some(d), Some(f)) if into_folder && f.is_file(&file) => {
                    Some(format!("{}/{}", d.trim_end_matches('/'), file.rsplit('/').next().unwrap_or(&file)))
                }
                _ => dest.clone(),
            };
            if source.contains("://") || source.starts_with("git@") {
                return Part::new(format!("{source} (download)"), 0, Basis::Unknown, dest.clone());
            }
            let Some(files) = files else {
                return Part::new(format!("{source} (no build context given)"), 0, Basis::Unknown, dest.clone());
            };
            let (count, bytes) = files.under(&BuildContext::normalize(source));
            let archive =
                ins.is("ADD") && [".tar", ".tgz", ".tar.gz", ".tar.xz", ".tar.bz2"].iter().any(|e| source.ends_with(e));
            if archive {
                // ADD unpacks local archives; compressed tarballs grow about threefold.
                let factor = if source.ends_with(".tar") { 1 } else { 3 };
                return Part::new(format!("{source} unpacked"), bytes * factor, Basis::Estimated, dest.clone());
            }
            Part::new(format!("{source} ({count} files)"), bytes, Basis::Measured, dest.clone())
        })
        .collect()
}

/// `COPY --from=<stage>`: what the instructions of that stage (and the stages it builds on)
/// wrote under the copied paths.
fn from_stage(
    cx: &Context,
    from: &str,
    sources: &[String],
    dest: Option<String>,
    done: &[StageSize],
    written: &mut WrittenByStage,
) -> Part {
    // Only earlier stages are sized yet; a later one is as unknown as an image.
    let Some(stage) = super::stage_index(cx, from).filter(|&i| i < done.len()) else {
        return Part::new(format!("from image {from}"), 0, Basis::Unknown, dest);
    };
    let mut all: Vec<String> = sources.iter().map(|src| crate::lint::paths::clean(&format!("/{src}"))).collect();
    all.sort();
    all.dedup();
    // A source inside another one is already counted by it.
    let folders = all.iter().filter(|f| !all.iter().any(|g| g != *f && within(f, g)));
    let index = written.of(cx, stage, done);
    let tally = folders.map(|f| index.within(f)).fold(Tally::default(), Tally::add);
    let basis = match tally {
        Tally { entries: 0, .. } => Basis::Unknown,
        Tally { estimated: 1.., .. } => Basis::Estimated,
        Tally { unknown: 1.., .. } => Basis::Unknown,
        _ => Basis::Measured,
    };
    Part::new(format!("{} from stage {}", sources.join(" "), done[stage].name), tally.bytes, basis, dest)
}

/// What the parts under some image paths add up to.
#[derive(Debug, Clone, Copy, Default)]
struct Tally {
    bytes: u64,
    entries: usize,
    estimated: usize,
    unknown: usize,
}

impl Tally {
    fn add(self, o: Tally) -> Tally {
        Tally {
            bytes: self.bytes + o.bytes,
            entries: self.entries + o.entries,
            estimated: self.estimated + o.estimated,
            unknown: self.unknown + o.unknown,
        }
    }

    fn sub(self, o: Tally) -> Tally {
        Tally {
            bytes: self.bytes - o.bytes,
            entries: self.entries - o.entries,
            estimated: self.estimated - o.estimated,
            unknown: self.unknown - o.unknown,
        }
    }
}

/// The parts a stage's image holds (its chain's), sorted by image path with running totals:
/// what lies at or below a folder is one contiguous run, summed with two binary searches, so
/// a file of many `COPY --from` stays linear.
#[derive(Debug, Default)]
struct Written {
    paths: Vec<Arc<str>>,
    /// `running[i]`: the tally of the first `i` paths.
    running: Vec<Tally>,
}

impl Written {
    fn new(mut parts: Vec<(Arc<str>, Tally)>) -> Self {
        parts.sort_by(|a, b| a.0.cmp(&b.0));
        let mut running = vec![Tally::default()];
        for (_, t) in &parts {
            running.push(running[running.len() - 1].add(*t));
        }
        Written { paths: parts.into_iter().map(|(p, _)| p).collect(), running }
    }

    /// The tally of the paths in `[from, to)` (in sort order).
    fn range(&self, from: &str, to: &str) -> Tally {
        let a = self.paths.partition_point(|p| &**p < from);
        let b = self.paths.partition_point(|p| &**p < to);
        self.running[b.max(a)].sub(self.running[a])
    }

    /// What lies at `folder` or below it.
    fn within(&self, folder: &str) -> Tally {
        let base = folder.trim_end_matches('/');
        // `folder` itself, then `folder/...` (`/` sorts just before `0`).
        let exact = if base.is_empty() { Tally::default() } else { self.range(folder, &format!("{folder}\0")) };
        exact.add(self.range(&format!("{base}/"), &format!("{base}0")))
    }
}

/// The parts (oldest first) whose path no later removal deletes. Walks backwards with the set of
/// removed paths seen so far, checking each part's path and its folders: linear in the parts
/// times the path depth.
fn still_there<'p>(parts: &[&'p Part]) -> impl Iterator<Item = &'p Part> {
    let mut removed: std::collections::HashSet<&str> = std::collections::HashSet::new();
    let mut kept = Vec::new();
    for p in parts.iter().rev() {
        let Some(path) = p.path.as_deref() else {
            kept.push(*p);
            continue;
        };
        if p.made == Made::Removal {
            removed.insert(path);
            continue;
        }
        let mut folder = path;
        let mut gone = removed.contains(folder);
        while !gone && let Some((parent, _)) = folder.rsplit_once('/') {
            folder = parent;
            gone = removed.contains(if parent.is_empty() { "/" } else { parent });
        }
        if !gone {
            kept.push(*p);
        }
    }
    kept.into_iter().rev()
}

/// [`Written`] of the stages `COPY --from` reads, built the first time one is asked for.
#[derive(Debug, Default)]
struct WrittenByStage(std::collections::HashMap<usize, Written>);

impl WrittenByStage {
    fn of(&mut self, cx: &Context, stage: usize, done: &[StageSize]) -> &Written {
        self.0.entry(stage).or_insert_with(|| {
            // Oldest first (the chain's base stage first), so that a removal hides only what
            // was written before it.
            let chain = stage_chain(cx, stage).into_iter().rev();
            let written: Vec<&Part> = chain.flat_map(|s| done[s].instructions.iter().flat_map(|i| &i.parts)).collect();
            let parts = still_there(&written)
                .filter_map(|p| {
                    let tally = Tally {
                        bytes: p.bytes,
                        entries: 1,
                        estimated: usize::from(p.basis == Basis::Estimated),
                        unknown: usize::from(p.basis == Basis::Unknown),
                    };
                    Some((p.path.clone()?, tally))
                })
                .collect();
            Written::new(parts)
        })
    }
}

fn run_parts(
    cx: &Context,
    ins: Ins,
    context: Option<&BuildContext>,
    files: Option<&Files>,
    (done, made): (&[StageSize], &MadeBefore),
    current: &StageSize,
    debs: &mut HashSet<String>,
) -> Vec<Part> {
    let mut parts = Vec::new();
    if cx.scripts(ins).iter().any(|s| s.too_long) {
        // Not parsed (shell::MAX_SCRIPT_BYTES): what it adds is unknown, not nothing.
        parts.push(Part::new("a script too long to analyse", 0, Basis::Unknown, None));
    }
    // Branches the build args rule out run nothing.
    let mut commands: Vec<Command> = cx
        .scripts(ins)
        .iter()
        .flat_map(|s| &s.commands)
        .filter(|c| !skipped(cx, ins, c))
        .map(|c| unwrap(c).into_owned())
        .collect();
    // `RUN ["npm", "install"]` runs one command without a shell (`["sh", "-c", ...]` has its
    // script above).
    let run = ins.effective();
    if commands.is_empty() && run.form == Some(crate::model::Form::Exec) {
        commands.extend(Command::exec(&run.arguments, ins.syntax.range.clone()).map(|c| unwrap(&c).into_owned()));
    }
    let workdir = provenance::workdir_at(cx, ins);
    let image = base_image(cx, ins);
    for (i, cmd) in commands.iter().enumerate() {
        let later = &commands[i + 1..];
        let program = cmd.program().unwrap_or_default();
        if let Some(words) = packages::installed(cmd) {
            // Packages a local .deb installed earlier in the RUN (`dpkg -i x.deb`, often a dummy
            // standing in for a heavy dependency) are there already.
            let local_debs: Vec<String> = commands[..i].iter().flat_map(local_deb_packages).collect();
            let words: Vec<String> = words.iter().map(|w| w.text().to_owned()).collect();
            parts.push(system_packages(program, cmd, &words, image.as_ref(), &local_debs, debs));
        } else if matches!(program, "apt-get" | "apt") && cmd.subcommand() == Some("update") {
            let removed = later.iter().any(|c| crate::lint::install::removes(c, "/var/lib/apt/lists"));
            if !removed && !ins.has_cache_mount("/var/lib/apt/lists") && !ins.has_cache_mount("/var/lib/apt") {
                parts.push(Part::new(
                    "apt lists (never removed)",
                    sizes::apt().lists,
                    Basis::Estimated,
                    Some("/var/lib/apt/lists".into()),
                ));
            }
        } else if let Some(install) = pip::install_word(cmd) {
            let earlier = Earlier { made, current, now: &parts };
            if let Some((part, wheels)) = pip_install(cx, ins, cmd, install, context, workdir.as_deref(), &earlier) {
                parts.push(part);
                parts.extend(pip_cache(cx, ins, cmd, later, wheels));
            }
        } else if let Some(word) = pip::subcommand_word(cmd).filter(|w| w.text() == "wheel") {
            let earlier = Earlier { made, current, now: &parts };
            let names = pip_names(cx, ins, cmd, word, context, &earlier);
            parts.extend(pip_wheel(cmd, names, workdir.as_deref()));
        } else if pip::subcommand_word(cmd).is_some_and(|w| w.text() == "uninstall") {
            let earlier = Earlier { made, current, now: &parts };
            let target = pip_target(cx, ins, cmd, workdir.as_deref(), &earlier);
            let names = cmd.operands().skip(1).map(Word::text).filter(|n| !n.contains(['$', '/']));
            let removed = names.map(|n| format!("{target}/site-packages/{}", sizes::normalize(n)));
            parts.extend(removed.map(|path| {
                Part::new(format!("pip uninstall: {path}"), 0, Basis::Measured, Some(path)).making(Made::Removal)
            }));
        } else if builds_project_wheel(cmd) {
            let names = local_project(cx, ins, context, ".");
            let dist = format!("{}/dist", workdir.as_deref().unwrap_or("")).replace("//", "/");
            let what = format!("{program} build: the project's wheel ({} requirements)", names.len());
            parts.push(Part::new(what, 0, Basis::Estimated, Some(dist)).making(Made::Wheels(Box::new(names))));
        } else if let Some(dir) = venv_created(cx, ins, cmd, workdir.as_deref()) {
            parts.extend(venv_parts(cx, ins, cmd, dir));
        } else if program == "rm" {
            parts.extend(removals(cmd, workdir.as_deref()));
        } else if matches!(
            (program, cmd.subcommand()),
            ("uv", Some("sync")) | ("poetry" | "pdm", Some("install" | "sync")) | ("pipenv", Some("install" | "sync"))
        ) {
            parts.extend(project_install(cx, ins, cmd, context, workdir.as_deref()));
        } else if matches!(program, "npm" | "yarn" | "pnpm") {
            parts.extend(node_install(cx, ins, cmd, later, context, files, workdir.as_deref()));
        } else if program == "go" {
            parts.extend(go_step(cmd, context, workdir.as_deref()));
        } else if matches!(program, "chown" | "chmod") && cmd.has_option(Some('R'), Some("recursive")) {
            parts.extend(recursive_metadata(cx, cmd, workdir.as_deref(), done, current));
        } else if matches!(program, "curl" | "wget")
            && (cmd.has_option(Some('o'), Some("output")) || cmd.has_option(Some('O'), None) || program == "wget")
        {
            parts.push(Part::new(format!("{program} download"), 0, Basis::Unknown, None));
        }
    }
    parts
}

/// The image the stage of `ins` starts from (through `FROM <stage>`).
fn base_image(cx: &Context, ins: Ins) -> Option<ImageRef> {
    let chain = stage_chain(cx, ins.model.stage()?);
    cx.model.stages[*chain.last()?].image.clone()
}

/// The packages `dpkg -i NAME.deb` / `NAME_VERSION_ARCH.deb` installs, by file name.
fn local_deb_packages(cmd: &Command) -> Vec<String> {
    if !cmd.is("dpkg") || !cmd.has_option(Some('i'), Some("install")) {
        return Vec::new();
    }
    let files = cmd.operands().filter_map(|w| w.value()?.strip_suffix(".deb"));
    files.map(|f| f.rsplit('/').next().unwrap_or(f).split('_').next().unwrap_or(f).to_owned()).collect()
}

fn system_packages(
    program: &str,
    cmd: &Command,
    words: &[String],
    image: Option<&ImageRef>,
    installed: &[String],
    debs: &mut HashSet<String>,
) -> Part {
    let facts = image.and_then(bases::lookup);
    let table = sizes::apt();
    let recommends =
        matches!(program, "apt-get" | "apt") && !cmd.args.iter().any(|w| w.text() == "--no-install-recommends");
    let mut names = Vec::new();
    for word in words {
        let name = packages::package_name(word);
        if name.is_empty() || name.starts_with('$') || facts.as_ref().is_some_and(|f| f.has_package(name)) {
            continue;
        }
        names.push(name.to_owned());
    }
    let bytes = if matches!(program, "apt-get" | "apt") {
        apt_union(&names, recommends, facts, installed, debs)
    } else {
        // Alpine's (and other distributions') names are not Debian's: each package's Debian
        // figure, the largest in full and the others by half (they share dependencies), and
        // about half again for apk (musl, docs split out).
        let figures: Vec<u64> = names.iter().map(|n| table.get(n).map_or(table.typical(), |p| p.installed)).collect();
        let biggest = figures.iter().copied().max().unwrap_or(0);
        let bytes = biggest + (figures.iter().sum::<u64>() - biggest) / 2;
        if program == "apk" { bytes / 2 } else { bytes }
    };
    let label = if names.is_empty() {
        format!("{program}: nothing the base lacks")
    } else {
        format!("{program}: {}", names.join(" "))
    };
    Part::new(label, bytes, Basis::Estimated, Some("/usr".into()))
}

/// What one `apt-get install` of `names` unpacks: the union of their closures (shared
/// dependencies once) minus what the base image holds (its listed packages and their
/// closures), what is `installed` already and the `debs` earlier installs of the stage
/// unpacked, from the Debian table; a package without a closure counts its own figure, or the
/// table's median when the table lacks it. What it unpacks joins `debs`.
fn apt_union(
    names: &[String],
    recommends: bool,
    base: Option<&'static bases::BaseFacts>,
    installed: &[String],
    debs: &mut HashSet<String>,
) -> u64 {
    let table = sizes::apt();
    // A local .deb's dependencies are not this install's to unpack: a dummy package (the usual
    // reason for one) stands in for them, a real one had them installed with it.
    let mut local: HashSet<&str> = HashSet::new();
    for p in installed {
        local.insert(p);
        local.extend(table.closure(p, false).into_iter().flatten());
    }
    let base = base.map(base_packages);
    let present = |n: &str| local.contains(n) || base.is_some_and(|b| b.contains(n)) || debs.contains(n);
    let mut unpacked: std::collections::BTreeSet<&str> = std::collections::BTreeSet::new();
    let mut alone = 0;
    let mut alone_names = Vec::new();
    for name in names {
        match table.closure(name, recommends) {
            Some(closure) => unpacked.extend(closure.filter(|n| !present(n))),
            None if present(name) => {}
            None => {
                let figure = table
                    .get(name)
                    .map(|p| if recommends { p.installed_recommends.unwrap_or(p.installed) } else { p.installed });
                alone += figure.unwrap_or(table.typical());
                alone_names.push(name);
            }
        }
    }
    let bytes = unpacked.iter().map(|n| table.unpacked(n)).sum::<u64>() + alone;
    debs.extend(unpacked.into_iter().chain(alone_names.iter().map(|n| n.as_str())).map(str::to_owned));
    bytes
}

/// The Debian packages a base image holds: its listed packages and their closures. Computed
/// once per base and process (a file may install packages thousands of times), so the memo
/// holds at most one set per entry of the base table.
fn base_packages(base: &'static bases::BaseFacts) -> &'static HashSet<&'static str> {
    static MEMO: OnceLock<Mutex<HashMap<&'static str, &'static HashSet<&'static str>>>> = OnceLock::new();
    let mut memo = MEMO.get_or_init(Mutex::default).lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    memo.entry(base.name).or_insert_with(|| {
        let table = sizes::apt();
        let mut present = HashSet::new();
        for &p in &base.packages {
            present.insert(p);
            present.extend(table.closure(p, false).into_iter().flatten());
        }
        Box::leak(Box::new(present))
    })
}

/// What was written before the step being sized: what earlier stages made, this stage's
/// earlier instructions, and this instruction's earlier commands.
struct Earlier<'a> {
    made: &'a MadeBefore,
    current: &'a StageSize,
    now: &'a [Part],
}

impl Earlier<'_> {
    /// The parts of the stage so far and of this RUN (the finished stages are in `made`).
    fn parts(&self) -> impl Iterator<Item = &Part> {
        self.current.instructions.iter().flat_map(|i| &i.parts).chain(self.now)
    }

    /// Distributions whose wheels earlier steps built (`pip wheel`, `python -m build`).
    fn wheels(&self) -> Option<Vec<String>> {
        let mut names: Vec<String> = self.made.wheels.clone();
        let mut any = self.made.any_wheels;
        for p in self.parts() {
            if let Made::Wheels(n) = &p.made {
                any = true;
                names.extend(n.iter().cloned());
            }
        }
        any.then_some(names)
    }

    fn is_venv(&self, dir: &str) -> bool {
        self.made.venvs.contains(dir) || self.parts().any(|p| p.made == Made::Venv && p.path.as_deref() == Some(dir))
    }
}

/// What the steps of the finished stages made, gathered as each stage is finished: pip
/// installs ask for it, and reading every part of every earlier stage each time made
/// files of many stages quadratic.
#[derive(Default)]
struct MadeBefore {
    /// The distributions of the wheels built, each once, in order: they only feed closures,
    /// which take each once anyway.
    wheels: Vec<String>,
    wheel_set: HashSet<String>,
    /// Some step built wheels (possibly of no named distribution).
    any_wheels: bool,
    /// Where virtual environments were made.
    venvs: HashSet<String>,
}

impl MadeBefore {
    fn add(&mut self, stage: &StageSize) {
        for part in stage.instructions.iter().flat_map(|i| &i.parts) {
            match &part.made {
                Made::Wheels(names) => {
                    self.any_wheels = true;
                    let new = names.iter().filter(|n| self.wheel_set.insert((*n).clone()));
                    self.wheels.extend(new.cloned());
                }
                Made::Venv => self.venvs.extend(part.path.as_deref().map(str::to_owned)),
                _ => {}
            }
        }
    }
}

/// Distributions a pip install names (operands and `-r` files), through the PyPI table.
fn pip_install(
    cx: &Context,
    ins: Ins,
    cmd: &Command,
    install: &Word,
    context: Option<&BuildContext>,
    workdir: Option<&str>,
    earlier: &Earlier,
) -> Option<(Part, u64)> {
    let names = pip_names(cx, ins, cmd, install, context, earlier);
    if names.is_empty() {
        return None;
    }
    let target = pip_target(cx, ins, cmd, workdir, earlier);
    Some(distributions("pip", &names, target))
}

/// What a pip install or `pip wheel` names: operands, `-r` files read through the copies, a
/// local project's declared dependencies, and the wheels an earlier step built when it
/// installs wheel files (`/wheels/*`, `$(find dist -name *.whl)`). pip, setuptools and wheel
/// are left out: the Python images have them.
fn pip_names(
    cx: &Context,
    ins: Ins,
    cmd: &Command,
    subcommand: &Word,
    context: Option<&BuildContext>,
    earlier: &Earlier,
) -> Vec<String> {
    let Some(at) = cmd.args.iter().position(|w| w.range() == subcommand.range()) else { return Vec::new() };
    let mut names = Vec::new();
    let mut skip = false;
    for w in cmd.args[at + 1..].iter().map(Word::text) {
        if skip {
            skip = false;
            continue;
        }
        if w.starts_with('-') {
            skip = matches!(
                w,
                "-r" | "--requirement"
                    | "-c"
                    | "--constraint"
                    | "-t"
                    | "--target"
                    | "--prefix"
                    | "-i"
                    | "--index-url"
                    | "--extra-index-url"
                    | "-f"
                    | "--find-links"
                    | "--root"
                    | "-w"
                    | "--wheel-dir"
            );
            continue;
        }
        let wheel_files = w.ends_with(".whl") || w.contains(['*', '$']);
        // Only asked for wheel files: it copies the names of every wheel built before.
        if let Some(built) = wheel_files.then(|| earlier.wheels()).flatten() {
            names.extend(built);
        } else if w.contains('/') || w.starts_with('.') || wheel_files {
            // The project itself (`.`, `./pkg`, a wheel built from it): what it declares.
            let dir = if wheel_files { "." } else { w };
            names.extend(local_project(cx, ins, context, dir));
        } else {
            let end = w.find(|c: char| !(c.is_ascii_alphanumeric() || "-_.".contains(c))).unwrap_or(w.len());
            names.push(w[..end].to_owned());
        }
    }
    if let Some(context) = context {
        let map = |p: &str| provenance::named_context_path(cx, ins, p);
        let requirement_files: Vec<String> = if subcommand.text() == "wheel" {
            // What `install_reads` answers for an install (it judges cache order, which a
            // wheel build does not decide): the `-r` files.
            option_values(cmd, &["-r", "--requirement"]).filter_map(|(_, f)| map(&f)).collect()
        } else {
            let files = manifests::install_reads(cmd, Some(context), &map).ok().flatten().unwrap_or_default();
            files.into_iter().filter(|f| !f.ends_with('/')).collect()
        };
        names.extend(manifests::requirement_names(context, &requirement_files).into_iter().map(|(n, _)| n));
    }
    names.retain(|n| !matches!(sizes::normalize(n).as_str(), "pip" | "setuptools" | "wheel"));
    names
}

/// `pip wheel`: the wheels of what it names and their requirements, in its wheel folder
/// (`-w`, else the working directory), for a later install of `<folder>/*`.
fn pip_wheel(cmd: &Command, names: Vec<String>, workdir: Option<&str>) -> Option<Part> {
    if names.is_empty() {
        return None;
    }
    let (_, wheels, known, unknown) = sizes::pypi().closure(&names);
    let folder = option_values(cmd, &["-w", "--wheel-dir"]).next();
    let folder = folder.and_then(|(_, v)| crate::lint::paths::resolve(workdir.or(Some("/")), &v));
    let what = format!("pip wheel: {} wheels ({} not in the table)", known.len() + unknown.len(), unknown.len());
    Some(
        Part::new(what, wheels, Basis::Estimated, folder.or(workdir.map(str::to_owned)))
            .making(Made::Wheels(Box::new(names))),
    )
}

/// `python -m build`, `uv build`, `poetry build`, `pdm build`, `hatch build`: the project's
/// wheel in `dist/`.
fn builds_project_wheel(cmd: &Command) -> bool {
    let program = cmd.program().unwrap_or_default();
    let module =
        program.starts_with("python") && cmd.args.windows(2).any(|w| w[0].text() == "-m" && w[1].text() == "build");
    module || (matches!(program, "uv" | "poetry" | "pdm" | "hatch") && cmd.subcommand() == Some("build"))
}

/// The folder `python -m venv DIR`, `virtualenv DIR` or `uv venv [DIR]` creates.
fn venv_created(cx: &Context, ins: Ins, cmd: &Command, workdir: Option<&str>) -> Option<String> {
    let program = cmd.program()?;
    let words: Vec<&str> = cmd.args.iter().map(Word::text).collect();
    let operand = |from: usize| cmd.args[from..].iter().find(|w| !w.text().starts_with('-'));
    let dir = if program.starts_with("python") {
        let at = words.windows(2).position(|w| w == ["-m", "venv"] || w == ["-m", "virtualenv"])?;
        operand(at + 2)?.raw().to_string()
    } else if program == "virtualenv" {
        operand(0)?.raw().to_string()
    } else if program == "uv" && cmd.subcommand() == Some("venv") {
        cmd.operands().nth(1).map_or_else(|| ".venv".to_owned(), |w| w.raw().to_string())
    } else {
        return None;
    };
    let dir = expand_env(cx, ins, dir.trim_matches(['"', '\'']))?;
    crate::lint::paths::resolve(workdir.or(Some("/")), &dir)
}

/// A new virtual environment: the folder, with pip seeded in it (and setuptools by
/// `virtualenv`, or by `venv` before Python 3.12), from the PyPI table.
fn venv_parts(cx: &Context, ins: Ins, cmd: &Command, dir: String) -> Vec<Part> {
    let program = cmd.program().unwrap_or_default();
    let mut parts =
        vec![Part::new(format!("venv {dir}"), 30_000, Basis::Estimated, Some(dir.clone())).making(Made::Venv)];
    if program == "uv" || cmd.has_option(None, Some("without-pip")) {
        return parts;
    }
    let python = base_image(cx, ins).and_then(|i| i.tag).and_then(|t| python_minor(&t));
    let mut seeded = vec!["pip"];
    if program == "virtualenv" || python.is_some_and(|m| m < 12) {
        seeded.push("setuptools");
    }
    for name in seeded {
        let bytes = sizes::pypi().closure(&[name.to_owned()]).0;
        parts.push(Part::new(
            format!("{name} in the venv"),
            bytes,
            Basis::Estimated,
            Some(format!("{dir}/site-packages/{name}")),
        ));
    }
    parts
}

/// `3.11-slim` -> 11: Python 3's minor version in an image tag.
fn python_minor(tag: &str) -> Option<u32> {
    let rest = tag.strip_prefix("3.")?;
    rest[..rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len())].parse().ok()
}

/// `rm -r PATH...`: what it deletes (a trailing `/*` deletes the folder's contents).
fn removals(cmd: &Command, workdir: Option<&str>) -> Vec<Part> {
    cmd.operands()
        .filter_map(|w| {
            let path = w.value()?.trim_end_matches("/*");
            if path.contains(['*', '?', '[']) {
                return None;
            }
            crate::lint::paths::resolve(workdir.or(Some("/")), path)
        })
        .filter(|p| p != "/")
        .map(|p| Part::new(format!("rm {p}"), 0, Basis::Measured, Some(p)).making(Made::Removal))
        .collect()
}

/// `text` with `$NAME` and `${NAME}` replaced by the ENV values in effect at `ins`; `None`
/// when one is not known (or is itself unexpanded).
fn expand_env(cx: &Context, ins: Ins, text: &str) -> Option<String> {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let (name, tail) = match after.strip_prefix('{') {
            Some(inner) => {
                let end = inner.find('}')?;
                (&inner[..end], &inner[end + 1..])
            }
            None => {
                let end = after.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(after.len());
                (&after[..end], &after[end..])
            }
        };
        let value = env_at(cx, ins, name).filter(|v| !name.is_empty() && !v.contains('$'))?;
        out.push_str(&value);
        rest = tail;
    }
    out.push_str(rest);
    Some(out)
}

/// What installing `names` and their requirements adds, from the PyPI table, and the bytes
/// of their wheels (what pip's cache keeps).
fn distributions(tool: &str, names: &[String], target: String) -> (Part, u64) {
    let (bytes, wheels, known, unknown) = sizes::pypi().closure(names);
    let what = format!("{tool}: {} distributions ({} not in the table)", known.len() + unknown.len(), unknown.len());
    (Part::new(what, bytes, Basis::Estimated, Some(target)), wheels)
}

/// The dependencies the project at `dir` (as the RUN names it) declares in its pyproject.toml,
/// read from the context through the copies; the context root's when the copies do not say.
fn local_project(cx: &Context, ins: Ins, context: Option<&BuildContext>, dir: &str) -> Vec<String> {
    let Some(context) = context else { return Vec::new() };
    let file = format!("{}/pyproject.toml", dir.trim_end_matches('/'));
    let path = provenance::named_context_path(cx, ins, &file).unwrap_or_else(|| "pyproject.toml".into());
    context.read(&path).map(|t| manifests::project_dependencies(&t)).unwrap_or_default()
}

/// `uv sync`, `poetry install`, `pdm install`, `pipenv install`: the project's dependencies.
fn project_install(
    cx: &Context,
    ins: Ins,
    cmd: &Command,
    context: Option<&BuildContext>,
    workdir: Option<&str>,
) -> Option<Part> {
    let tool = cmd.program()?;
    let manifest = if tool == "pipenv" { "Pipfile" } else { "pyproject.toml" };
    let path = provenance::named_context_path(cx, ins, manifest)?;
    let names = manifests::project_dependencies(&context?.read(&path)?);
    if names.is_empty() {
        return None;
    }
    let target = match tool {
        "uv" | "pdm" => format!("{}/.venv", workdir.unwrap_or("")),
        _ => "/usr/local/lib".into(),
    };
    Some(distributions(tool, &names, target).0)
}

/// Where pip puts what it installs: `--target`/`--prefix`, `--user`, a venv's pip (by path,
/// or first on `ENV PATH`), or the interpreter's site-packages.
fn pip_target(cx: &Context, ins: Ins, cmd: &Command, workdir: Option<&str>, earlier: &Earlier) -> String {
    let target = option_values(cmd, &["-t", "--target", "--prefix"]).next();
    if let Some(p) = target.and_then(|(_, v)| crate::lint::paths::resolve(workdir.or(Some("/")), &v)) {
        return p;
    }
    if cmd.has_option(None, Some("user")) {
        return "/root/.local".into();
    }
    // The command as written, path included (`program()` drops it).
    let program = cmd.name.as_ref().and_then(|w| w.value()).unwrap_or_default();
    if let Some(venv) = program
        .strip_suffix("/bin/pip")
        .or_else(|| program.strip_suffix("/bin/pip3"))
        .or_else(|| program.strip_suffix("/bin/python"))
        .or_else(|| program.strip_suffix("/bin/python3"))
    {
        return venv.to_owned();
    }
    // `ENV PATH=/opt/venv/bin:$PATH`: a bare `pip` is the first venv's on the PATH.
    let path = env_at(cx, ins, "PATH").unwrap_or_default();
    let folders = path.split(':').filter_map(|entry| expand_env(cx, ins, entry));
    let venv = folders.filter_map(|d| d.strip_suffix("/bin").map(str::to_owned)).find(|d| {
        // The name first: `is_venv` reads every part of the stage so far.
        d.rsplit('/').next().is_some_and(|last| last.contains("venv") || last == ".venv") || earlier.is_venv(d)
    });
    venv.unwrap_or_else(|| "/usr/local/lib".to_owned())
}

/// pip's download cache, kept unless [`pip::keeps_cache`] says it is off or a later `rm` of
/// `/root/.cache/pip` in the same RUN deletes it.
fn pip_cache(cx: &Context, ins: Ins, cmd: &Command, later: &[Command], wheels: u64) -> Option<Part> {
    let off =
        !pip::keeps_cache(cx, ins, cmd) || later.iter().any(|c| crate::lint::install::removes(c, "/root/.cache/pip"));
    if off {
        return None;
    }
    Some(Part::new("pip cache (/root/.cache/pip)", wheels, Basis::Estimated, Some("/root/.cache/pip".into())))
}

fn node_install(
    cx: &Context,
    ins: Ins,
    cmd: &Command,
    later: &[Command],
    context: Option<&BuildContext>,
    files: Option<&Files>,
    workdir: Option<&str>,
) -> Vec<Part> {
    let program = cmd.program().unwrap_or_default();
    let sub = cmd.subcommand();
    let words: Vec<&str> = cmd.args.iter().map(|w| w.text()).collect();
    let global = words.iter().any(|w| matches!(*w, "-g" | "--global")) || (program == "yarn" && sub == Some("global"));
    let installs = matches!(
        (program, sub),
        ("npm", Some("ci" | "install" | "i" | "add"))
            | ("yarn", None | Some("install" | "add" | "global"))
            | ("pnpm", Some("install" | "i" | "add"))
    );
    let builds = matches!(sub, Some("run" | "build")) && words.iter().any(|w| w.contains("build"));
    let dir = workdir.unwrap_or("/");
    if builds {
        let output = Some(format!("{dir}/dist").replace("//", "/"));
        return vec![match files {
            // Compilers and bundlers emit about as much as they read (minified bundles less,
            // source maps more).
            Some(files) => Part::new(
                format!("{program} build output (~ the JS/TS sources)"),
                files.script_bytes(),
                Basis::Estimated,
                output,
            ),
            None => Part::new(format!("{program} build output (unknown)"), 0, Basis::Unknown, output),
        }];
    }
    if !installs {
        return Vec::new();
    }
    let table = sizes::npm();
    let named: Vec<&str> = cmd.operands().skip(1).map(|w| w.text()).filter(|w| !w.starts_with('-')).collect();
    let include_dev = words.iter().any(|w| matches!(*w, "--include=dev" | "--production=false" | "--prod=false"));
    let omit_dev = !include_dev
        && (words
            .iter()
            .any(|w| matches!(*w, "--omit=dev" | "--production" | "--only=production" | "--only=prod" | "--prod"))
            || env_at(cx, ins, "NODE_ENV").as_deref() == Some("production"));
    // npm, yarn and pnpm work in the nearest folder up from the working directory that holds
    // a package.json (`COPY . .` into / and `WORKDIR /app` installs into /node_modules).
    let dir = project_folder(cx, ins, context, dir);
    let dir = dir.as_str();
    let (bytes, count, basis) = if !named.is_empty() || global {
        let bytes = named.iter().map(|n| package_figure(strip_version(n))).sum();
        (bytes, named.len(), Basis::Estimated)
    } else {
        match context.and_then(|c| lockfile_packages(cx, ins, c, dir, omit_dev)) {
            Some(list) => (list.iter().map(|n| own_figure(n)).sum(), list.len(), Basis::Estimated),
            None => (0, 0, Basis::Unknown),
        }
    };
    let target = if global {
        "/usr/local/lib/node_modules".to_owned()
    } else {
        format!("{dir}/node_modules").replace("//", "/")
    };
    let mut parts = vec![Part::new(format!("{program}: {count} packages"), bytes, basis, Some(target))];
    let cleaned =
        later.iter().any(|c| c.args.iter().any(|w| w.text() == "clean") && c.args.iter().any(|w| w.text() == "cache"))
            || later.iter().any(|c| {
                crate::lint::install::removes(c, "/root/.npm")
                    || crate::lint::install::removes(c, "/usr/local/share/.cache/yarn")
            });
    let mounted = ins.has_cache_mount("/root/.npm")
        || ins.has_cache_mount("/usr/local/share/.cache/yarn")
        || ins.has_cache_mount("/root/.cache");
    if !cleaned && !mounted && program != "pnpm" && bytes > 0 {
        let cache = (bytes as f64 * table.cache_ratio) as u64;
        parts.push(Part::new(format!("{program} cache"), cache, Basis::Estimated, Some("/root/.npm".into())));
    }
    parts
}

/// The folder a Node package manager works in at `ins`: the working directory, or the nearest
/// folder above it that a copy gave a package.json.
fn project_folder(cx: &Context, ins: Ins, context: Option<&BuildContext>, workdir: &str) -> String {
    let Some(context) = context else { return workdir.to_owned() };
    let mut dir = workdir.trim_end_matches('/').to_owned();
    loop {
        let manifest = provenance::named_context_path(cx, ins, &format!("{dir}/package.json"));
        if manifest.is_some_and(|p| context.is_file(&p)) {
            return if dir.is_empty() { "/".into() } else { dir };
        }
        match dir.rsplit_once('/') {
            Some((parent, _)) => dir = parent.to_owned(),
            None => return workdir.to_owned(),
        }
    }
}

fn strip_version(spec: &str) -> &str {
    // `@scope/name@1.2` and `name@1.2`: the version follows the last `@` after the first byte.
    match spec[1..].rfind('@') {
        Some(i) => &spec[..i + 1],
        None => spec,
    }
}

/// An npm package with its dependencies: the table's closure, else its own size.
fn package_figure(name: &str) -> u64 {
    let table = sizes::npm();
    table.get(name).map_or(table.average_package * 20, |p| p.closure.unwrap_or(p.installed))
}

fn own_figure(name: &str) -> u64 {
    let table = sizes::npm();
    table.get(name).map_or(table.average_package, |p| p.installed)
}

/// The package names a lockfile next to the install lists (package-lock.json v1-v3,
/// yarn.lock, pnpm-lock.yaml), without dev dependencies when they are left out.
fn lockfile_packages(cx: &Context, ins: Ins, context: &BuildContext, dir: &str, omit_dev: bool) -> Option<Vec<String>> {
    let read = |name: &str| {
        let path = format!("{}/{name}", dir.trim_end_matches('/'));
        provenance::named_context_path(cx, ins, &path).and_then(|p| context.read(&p))
    };
    if let Some(text) = read("package-lock.json").or_else(|| read("npm-shrinkwrap.json")) {
        let lock: serde_json::Value = serde_json::from_str(&text).ok()?;
        if let Some(map) = lock.get("packages").and_then(|p| p.as_object()) {
            let names = map
                .iter()
                .filter(|(k, v)| !(k.is_empty() || (omit_dev && is_dev(v))))
                .filter_map(|(k, _)| k.rsplit("node_modules/").next().map(str::to_owned))
                .collect();
            return Some(names);
        }
        let mut names = Vec::new();
        let mut stack = vec![lock.get("dependencies")?.clone()];
        while let Some(deps) = stack.pop() {
            for (name, v) in deps.as_object()?.iter() {
                if omit_dev && is_dev(v) {
                    continue;
                }
                names.push(name.clone());
                if let Some(nested) = v.get("dependencies") {
                    stack.push(nested.clone());
                }
            }
        }
        return Some(names);
    }
    if let Some(text) = read("yarn.lock") {
        // Entries start at column 0 and end with `:`; a line may name several ranges.
        let names = text
            .lines()
            .filter(|l| !l.starts_with([' ', '#']) && l.ends_with(':') && !l.starts_with("__metadata"))
            .map(|l| {
                strip_version(l.trim_matches(['"', ':']).split(", ").next().unwrap_or_default().trim_matches('"'))
                    .to_owned()
            })
            .collect();
        return Some(names);
    }
    if let Some(text) = read("pnpm-lock.yaml") {
        let in_packages = text.split("\npackages:").nth(1)?;
        let block = in_packages.split("\n\n").next().unwrap_or(in_packages);
        let names = block
            .lines()
            .filter(|l| l.starts_with("  ") && !l.starts_with("   ") && l.trim_end().ends_with(':'))
            .map(|l| strip_version(l.trim().trim_matches(['\'', ':', '/'])).to_owned())
            .collect();
        return Some(names);
    }
    None
}

fn is_dev(entry: &serde_json::Value) -> bool {
    entry.get("dev").and_then(|d| d.as_bool()) == Some(true)
}

/// `go mod download` (the module cache) and `go build`/`go install` (the binary and the
/// build cache).
fn go_step(cmd: &Command, context: Option<&BuildContext>, workdir: Option<&str>) -> Vec<Part> {
    let dir = workdir.unwrap_or("/go");
    let modules = context
        .and_then(|c| c.read("go.sum"))
        .map_or(0, |s| s.lines().filter(|l| !l.contains("/go.mod ")).count()) as u64;
    match cmd.subcommand() {
        Some("mod") if cmd.args.iter().any(|w| w.text() == "download") => {
            // About 1.5 MB of source per module, measured on common web services' go.sum.
            vec![Part::new(
                format!("go module cache ({modules} modules)"),
                modules * 1_500_000,
                Basis::Estimated,
                Some("/go/pkg/mod".into()),
            )]
        }
        Some("build" | "install") => {
            let output = option_values(cmd, &["-o"]).next().map(|(_, v)| v);
            let path = match (&output, cmd.subcommand()) {
                (Some(o), _) => crate::lint::paths::resolve(Some(dir), o),
                (None, Some("install")) => Some("/go/bin".into()),
                (None, _) => Some(dir.to_owned()),
            };
            let stripped = cmd.args.iter().any(|w| w.text().contains("-s -w") || w.text().contains("-w -s"));
            // A web service links net/http and friends: ~7 MB, ~5 MB stripped; each module
            // it requires adds about half a megabyte.
            let binary = if stripped { 5_000_000 } else { 7_000_000 } + modules * 500_000;
            vec![
                Part::new("go binary", binary, Basis::Estimated, path),
                Part::new(
                    "go build cache (/root/.cache/go-build)",
                    binary * 4,
                    Basis::Estimated,
                    Some("/root/.cache/go-build".into()),
                ),
            ]
        }
        _ => Vec::new(),
    }
}

/// `chown -R`/`chmod -R` writes every file it touches into a new layer: the bytes earlier
/// layers put under those paths count again.
fn recursive_metadata(
    cx: &Context,
    cmd: &Command,
    workdir: Option<&str>,
    done: &[StageSize],
    current: &StageSize,
) -> Vec<Part> {
    let mut out = Vec::new();
    let program = cmd.program().unwrap_or_default();
    // The stage's image holds what its own steps and the stages it is built on wrote.
    let chain = stage_chain(cx, current.index);
    for operand in cmd.operands().skip(1) {
        let Some(path) = crate::lint::paths::resolve(workdir.or(Some("/")), operand.text()) else { continue };
        // `done` is in stage order: the chain's stages are looked up, not searched for.
        let bases = chain.iter().filter(|&&s| s != current.index).filter_map(|&s| done.get(s));
        let earlier = bases.chain([current]);
        let bytes: u64 = earlier
            .flat_map(|s| s.instructions.iter().flat_map(|i| &i.parts))
            .filter(|p| p.path.as_deref().is_some_and(|q| within(q, &path)))
            .map(|p| p.bytes)
            .sum();
        if bytes > 0 {
            out.push(Part::new(
                format!("{program} -R {path} copies it into a new layer"),
                bytes,
                Basis::Estimated,
                None,
            ));
        }
    }
    out
}
