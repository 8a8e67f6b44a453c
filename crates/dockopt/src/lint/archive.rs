//! What a path or URL names: tar archives that `ADD` unpacks, remote sources.

/// Extensions of files that may be (compressed) tar archives, which `ADD` unpacks when
/// they are local: a plain `.gz` or `.xz` may hold a tarball too.
const COMPRESSED: [&str; 18] = [
    ".tar", ".gz", ".tgz", ".bz2", ".tbz", ".tbz2", ".tb2", ".xz", ".txz", ".lz", ".lzma", ".tlz", ".Z", ".tZ", ".tpz",
    ".zst", ".tzst", ".tzstd",
];

/// Names that are tarballs by their extension (`app.tar.gz`, `app.tgz`).
const TARBALL: [&str; 12] =
    [".tar", ".tgz", ".tbz", ".tbz2", ".tb2", ".txz", ".tlz", ".tzst", ".tar.gz", ".tar.bz2", ".tar.xz", ".tar.zst"];

fn unquote(path: &str) -> &str {
    path.trim_matches(['"', '\''])
}

/// The last path component (`/tmp/app.tgz` -> `app.tgz`).
pub fn basename(path: &str) -> &str {
    let path = unquote(path);
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// Whether `path` may be a tar archive that `ADD` would unpack.
pub fn may_be_archive(path: &str) -> bool {
    let path = unquote(path);
    COMPRESSED.iter().any(|ext| path.ends_with(ext))
}

/// Whether `path` is named like a tarball.
pub fn is_tarball(path: &str) -> bool {
    let path = unquote(path).to_ascii_lowercase();
    TARBALL.iter().any(|ext| path.ends_with(ext))
}

/// Whether `source` is something `ADD` fetches: an http(s) URL or a Git repository.
pub fn is_remote(source: &str) -> bool {
    let source = unquote(source);
    ["http://", "https://", "git://", "git@", "ssh://"].iter().any(|p| source.starts_with(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_paths() {
        assert!(may_be_archive("app.tar.gz") && may_be_archive("'x.xz'") && !may_be_archive("app.zip"));
        assert!(is_tarball("/tmp/App.TGZ") && is_tarball("a.tar.xz") && !is_tarball("a.gz"));
        assert!(is_remote("https://x/y") && is_remote("git@github.com:o/r.git") && !is_remote("./https"));
        assert_eq!(basename("\"/tmp/a.tgz\""), "a.tgz");
    }
}
