//! The build context as the builder receives it: every file, with and without `.dockerignore`,
//! the usual heavy folders (`.git`, virtualenvs, `node_modules`, build outputs) and files that
//! look like secrets, with whether a COPY/ADD puts them in an image. Sizes are the files'
//! byte lengths (what `find -type f -printf %s` sums); symbolic links count as links, not
//! followed, as the builder sends them.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::lint::Context;
use crate::semantics::{BuildContext, provenance};

/// At most this many entries are visited, so a huge context (a home folder) stays bounded.
const WALK_LIMIT: usize = 1_000_000;

/// At most this many unreadable entries are listed.
const UNREADABLE_LIMIT: usize = 100;

/// Every file of the context, with its size and whether `.dockerignore` leaves it out.
#[derive(Debug, Clone, Default)]
pub struct Files {
    entries: Vec<Entry>,
    /// The walk stopped at [`WALK_LIMIT`].
    pub truncated: bool,
    /// Entries the builder would send but that cannot be read (the first
    /// [`UNREADABLE_LIMIT`]): Docker's client fails the build on them.
    pub unreadable: Vec<Unreadable>,
}

/// A context file or folder that cannot be read.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Unreadable {
    /// Relative to the context; a folder ends with `/`.
    pub path: String,
    /// The system's reason, e.g. `Permission denied (os error 13)`.
    pub error: String,
}

#[derive(Debug, Clone)]
struct Entry {
    path: String,
    bytes: u64,
    ignored: bool,
}

impl Files {
    /// Walk the context (symbolic links are not followed), noting what cannot be read.
    pub fn walk(context: &BuildContext) -> Self {
        let mut files = Files::default();
        let mut stack = vec![(String::new(), false)];
        let mut seen = 0usize;
        while let Some((dir, dir_ignored)) = stack.pop() {
            let read = match std::fs::read_dir(context.root().join(&dir)) {
                Ok(read) => read,
                Err(e) => {
                    if !dir_ignored {
                        files.note_unreadable(if dir.is_empty() { "./".into() } else { format!("{dir}/") }, &e);
                    }
                    continue;
                }
            };
            let mut entries: Vec<_> = read.flatten().collect();
            entries.sort_by_key(|e| e.file_name());
            for e in entries {
                seen += 1;
                if seen > WALK_LIMIT {
                    files.truncated = true;
                    return files;
                }
                let Some(name) = e.file_name().to_str().map(str::to_owned) else { continue };
                let rel = if dir.is_empty() { name } else { format!("{dir}/{name}") };
                let Ok(meta) = std::fs::symlink_metadata(e.path()) else { continue };
                if meta.is_dir() {
                    let ignored = dir_ignored || context.prunes(&rel);
                    stack.push((rel, ignored));
                } else {
                    let ignored = dir_ignored || context.ignores(&rel);
                    if !ignored
                        && meta.is_file()
                        && !readable_by_all(&meta)
                        && let Err(e) = std::fs::File::open(e.path())
                    {
                        files.note_unreadable(rel.clone(), &e);
                    }
                    files.entries.push(Entry { path: rel, bytes: meta.len(), ignored });
                }
            }
        }
        files.entries.sort_by(|a, b| a.path.cmp(&b.path));
        files.unreadable.sort_by(|a, b| a.path.cmp(&b.path));
        files
    }

    fn note_unreadable(&mut self, path: String, error: &std::io::Error) {
        if self.unreadable.len() < UNREADABLE_LIMIT {
            self.unreadable.push(Unreadable { path, error: error.to_string() });
        }
    }

    /// Files and bytes the builder receives under a context path as COPY names it (cleaned;
    /// `*` and `?` match within one component).
    pub fn under(&self, source: &str) -> (usize, u64) {
        let mut count = 0;
        let mut bytes = 0;
        for e in self.entries.iter().filter(|e| !e.ignored && covers(source, &e.path)) {
            count += 1;
            bytes += e.bytes;
        }
        (count, bytes)
    }

    /// Bytes of the JavaScript and TypeScript sources the builder receives (outside
    /// node_modules and earlier build outputs): about what a front-end or `tsc` build emits.
    pub fn script_bytes(&self) -> u64 {
        const EXTENSIONS: [&str; 9] = ["ts", "tsx", "mts", "js", "jsx", "mjs", "cjs", "vue", "svelte"];
        const OUTPUTS: [&str; 5] = ["node_modules", "dist", "build", ".next", "out"];
        let script = |e: &&Entry| {
            let extension = e.path.rsplit_once('.').map(|(_, x)| x);
            extension.is_some_and(|x| EXTENSIONS.contains(&x))
                && !e.path.split('/').any(|part| OUTPUTS.contains(&part))
                && !e.path.ends_with(".d.ts")
        };
        self.entries.iter().filter(|e| !e.ignored).filter(script).map(|e| e.bytes).sum()
    }

    /// Whether the context sends a file at exactly this (cleaned) path.
    pub fn is_file(&self, path: &str) -> bool {
        self.entries.binary_search_by(|e| e.path.as_str().cmp(path)).is_ok_and(|i| !self.entries[i].ignored)
    }

    /// The paths the builder receives.
    pub fn sent_paths(&self) -> Vec<String> {
        self.entries.iter().filter(|e| !e.ignored).map(|e| e.path.clone()).collect()
    }

    fn totals(&self, sent_only: bool) -> Totals {
        let mut t = Totals::default();
        for e in self.entries.iter().filter(|e| !(sent_only && e.ignored)) {
            t.files += 1;
            t.bytes += e.bytes;
        }
        t
    }
}

/// Whether the permission bits let everyone read the file: then it is not opened to check
/// (opening every file of a large context would cost a system call each).
#[cfg(unix)]
fn readable_by_all(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o444 == 0o444
}

/// Elsewhere files are not checked.
#[cfg(not(unix))]
fn readable_by_all(_: &std::fs::Metadata) -> bool {
    true
}

/// Whether the COPY source `source` (a clean context path, `""` or `.` for all) takes `path`.
pub fn covers(source: &str, path: &str) -> bool {
    let source = source.trim_matches('/');
    if source.is_empty() || source == "." {
        return true;
    }
    let pattern: Vec<&str> = source.split('/').collect();
    let parts: Vec<&str> = path.split('/').collect();
    parts.len() >= pattern.len() && pattern.iter().zip(&parts).all(|(p, c)| glob(p.as_bytes(), c.as_bytes()))
}

/// `*` and `?` within one path component, as Go's `filepath.Match` (character classes are
/// taken literally: they are rare in COPY sources).
fn glob(pattern: &[u8], text: &[u8]) -> bool {
    match (pattern.first(), text.first()) {
        (None, None) => true,
        (Some(b'*'), _) => glob(&pattern[1..], text) || (!text.is_empty() && glob(pattern, &text[1..])),
        (Some(b'?'), Some(_)) => glob(&pattern[1..], &text[1..]),
        (Some(p), Some(t)) if p == t => glob(&pattern[1..], &text[1..]),
        _ => false,
    }
}

#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct Totals {
    pub files: usize,
    pub bytes: u64,
}

/// The context report.
#[derive(Debug, Clone, Serialize)]
pub struct ContextScan {
    /// Whether the context has a `.dockerignore` that Docker accepts.
    pub dockerignore: bool,
    /// Why its `.dockerignore` cannot be used (unreadable, or a pattern Docker refuses): the
    /// build fails, and the totals below are as if there were none.
    pub dockerignore_error: Option<String>,
    /// What the builder receives.
    pub sent: Totals,
    /// What it would receive without `.dockerignore`.
    pub without_dockerignore: Totals,
    pub truncated: bool,
    /// Files and folders the builder would need but cannot read (the build fails).
    pub unreadable: Vec<Unreadable>,
    /// Heavy folders and large files, biggest first.
    pub offenders: Vec<Offender>,
    /// Files that look like credentials (names only; contents are never read or shown).
    pub secrets: Vec<SecretFile>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Offender {
    pub path: String,
    pub kind: &'static str,
    pub files: usize,
    pub bytes: u64,
    /// `.dockerignore` leaves all of it out.
    pub ignored: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct SecretFile {
    pub path: String,
    pub kind: &'static str,
    pub ignored: bool,
    /// Lines of the COPY/ADD instructions that put it in an image.
    pub copied_by: Vec<usize>,
}

/// Scan the context for the report.
pub fn scan(cx: &Context, context: &BuildContext, files: &Files) -> ContextScan {
    // Read only for a secret file in the context, which few have (a huge file copies often).
    let mut copies = None;
    let mut offenders = offenders(files);
    offenders.sort_by(|a, b| b.bytes.cmp(&a.bytes).then(a.path.cmp(&b.path)));
    offenders.truncate(10);
    let secrets = files
        .entries
        .iter()
        .filter_map(|e| {
            let kind = secret_kind(&e.path)?;
            let copied_by = if e.ignored {
                Vec::new()
            } else {
                let copies = copies.get_or_insert_with(|| context_copies(cx));
                copies.iter().filter(|(_, s)| covers(s, &e.path)).map(|(l, _)| *l).collect()
            };
            Some(SecretFile { path: e.path.clone(), kind, ignored: e.ignored, copied_by })
        })
        .collect();
    ContextScan {
        dockerignore: context.has_dockerignore(),
        dockerignore_error: context.ignore_file().problem(),
        sent: files.totals(true),
        without_dockerignore: files.totals(false),
        truncated: files.truncated,
        unreadable: files.unreadable.clone(),
        offenders,
        secrets,
    }
}

/// (line, clean source) of every COPY/ADD from the context.
fn context_copies(cx: &Context) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for ins in cx.instructions().filter(|i| (i.is("COPY") || i.is("ADD")) && i.flag("from").is_none()) {
        let line = cx.line(ins.syntax.range.start);
        if let Some(copy) = provenance::context_copy(cx, ins) {
            out.extend(copy.sources.into_iter().map(|s| (line, s)));
        } else if let Some((_, sources)) = ins.effective().arguments.split_last() {
            out.extend(sources.iter().filter(|s| !s.contains("://")).map(|s| (line, BuildContext::normalize(s))));
        }
    }
    out
}

/// Folders known to be heavy and rarely needed in an image, and files over 10 MB. Read from
/// the walk alone: a virtualenv is a folder holding `pyvenv.cfg` or `bin/activate`.
fn offenders(files: &Files) -> Vec<Offender> {
    let venvs: HashSet<&str> = files
        .entries
        .iter()
        .filter_map(|e| e.path.strip_suffix("/pyvenv.cfg").or_else(|| e.path.strip_suffix("/bin/activate")))
        .collect();
    let mut out: Vec<Offender> = Vec::new();
    let mut at: HashMap<String, usize> = HashMap::new();
    for e in &files.entries {
        let folder = e.path.match_indices('/').find_map(|(end, _)| {
            let folder = &e.path[..end];
            let name = folder.rsplit('/').next().unwrap_or(folder);
            folder_kind(name, venvs.contains(folder)).map(|kind| (folder.to_owned(), kind))
        });
        let (path, kind) = match folder {
            Some(found) => found,
            None if e.bytes > 10_000_000 => (e.path.clone(), "large file"),
            None => continue,
        };
        match at.get(&path) {
            Some(&k) => {
                let o = &mut out[k];
                o.files += 1;
                o.bytes += e.bytes;
                o.ignored &= e.ignored;
            }
            None => {
                at.insert(path.clone(), out.len());
                out.push(Offender { path, kind, files: 1, bytes: e.bytes, ignored: e.ignored });
            }
        }
    }
    out
}

fn folder_kind(name: &str, venv: bool) -> Option<&'static str> {
    Some(match name {
        ".git" | ".hg" | ".svn" => "version control",
        "node_modules" => "node_modules",
        "__pycache__" | ".pytest_cache" | ".mypy_cache" | ".ruff_cache" | ".tox" | ".nox" => "python cache",
        ".venv" => "virtualenv",
        "dist" | "build" | "target" | ".next" | "out" | "coverage" | ".nuxt" | ".parcel-cache" => "build output",
        ".idea" | ".vscode" => "editor settings",
        _ if venv => "virtualenv",
        _ => return None,
    })
}

/// What a file name says it holds, when it looks like a credential.
pub fn secret_kind(path: &str) -> Option<&'static str> {
    let name = path.rsplit('/').next().unwrap_or(path);
    let lower = name.to_ascii_lowercase();
    let example =
        ["example", "sample", "template", "dist", "defaults"].iter().any(|w| lower.ends_with(&format!(".{w}")));
    Some(match lower.as_str() {
        ".env" => "environment file",
        _ if lower.starts_with(".env.") && !example => "environment file",
        "id_rsa" | "id_dsa" | "id_ecdsa" | "id_ed25519" => "SSH private key",
        "credentials.json" | "client_secret.json" | ".git-credentials" | ".netrc" | ".pypirc" => "credentials",
        "credentials" if path.contains(".aws/") => "AWS credentials",
        "config.json" if path.contains(".docker/") => "registry credentials",
        _ if lower.starts_with("service-account") && lower.ends_with(".json") => "cloud service account key",
        _ if lower.ends_with(".tfstate") => "Terraform state",
        _ if [".pem", ".key", ".p12", ".pfx", ".jks", ".keystore"].iter().any(|e| lower.ends_with(e)) => {
            "private key or certificate"
        }
        _ => return None,
    })
}
