//! The input as it was, for a diff made after a rewrite that takes the text.

use std::hash::{DefaultHasher, Hasher};
use std::path::{Path, PathBuf};

use crate::input::{Failure, read_input};

/// What is kept of an input for its diff while a rewrite (`fix`, `optimize`) takes its text.
pub enum Before {
    /// The text itself: standard input and pipes cannot be read a second time.
    Held(String),
    /// A regular file, read again for the diff, so that a huge file is held once (not twice)
    /// while it is rewritten. Its length and hash tell whether it still reads as it did.
    OnDisk { path: PathBuf, len: usize, hash: u64 },
}

impl Before {
    /// What to keep of `text`, read from `path`, and the text to give the rewrite: the text
    /// itself when the file can be read again, else a copy.
    pub fn keep(path: &Path, text: String) -> (Self, String) {
        let regular = path.as_os_str() != "-" && std::fs::metadata(path).is_ok_and(|m| m.is_file());
        if regular {
            (Self::OnDisk { path: path.to_path_buf(), len: text.len(), hash: hash(&text) }, text)
        } else {
            (Self::Held(text.clone()), text)
        }
    }

    /// [`Before::keep`] when a diff is to be made; otherwise nothing is kept.
    pub fn keep_if(diff: bool, path: &Path, text: String) -> (Option<Self>, String) {
        if !diff {
            return (None, text);
        }
        let (before, text) = Self::keep(path, text);
        (Some(before), text)
    }

    /// The text as it was. A file read again must read as it did: a diff against what someone
    /// wrote meanwhile would show changes that no rewrite made.
    pub fn text(self) -> Result<String, Failure> {
        match self {
            Self::Held(text) => Ok(text),
            Self::OnDisk { path, len, hash: expected } => {
                let (name, text) = read_input(&path)?;
                if text.len() != len || hash(&text) != expected {
                    return Err(Failure(format!("{name}: the file changed while dockopt read it; no diff made"), 2));
                }
                Ok(text)
            }
        }
    }
}

/// A hash of `text` that tells an accidental change apart (not a hostile one: the file is the
/// user's).
fn hash(text: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    hasher.write(text.as_bytes());
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_read_again_as_it_was_and_a_changed_one_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("Dockerfile");
        std::fs::write(&path, "FROM a\nRUN x\n").unwrap();
        let (before, given) = Before::keep(&path, "FROM a\nRUN x\n".to_owned());
        assert!(matches!(before, Before::OnDisk { .. }), "a regular file is not held");
        assert_eq!(given, "FROM a\nRUN x\n");
        assert_eq!(before.text().ok().as_deref(), Some("FROM a\nRUN x\n"));
        let (kept, given) = Before::keep_if(false, &path, "FROM a\nRUN x\n".to_owned());
        assert!(kept.is_none() && given == "FROM a\nRUN x\n", "without a diff nothing is kept");

        for changed in ["FROM a\nRUN y\n", "FROM a\nRUN x\n\n"] {
            let (before, _) = Before::keep(&path, "FROM a\nRUN x\n".to_owned());
            std::fs::write(&path, changed).unwrap();
            let Err(Failure(message, code)) = before.text() else { panic!("{changed:?} was taken for the text") };
            assert!(message.contains("changed while dockopt read it"), "{message}");
            assert_eq!(code, 2);
            std::fs::write(&path, "FROM a\nRUN x\n").unwrap();
        }
    }

    #[test]
    fn standard_input_and_folders_are_held() {
        let dir = tempfile::tempdir().unwrap();
        for path in [Path::new("-"), dir.path()] {
            let (before, given) = Before::keep(path, "FROM a\n".to_owned());
            assert_eq!(given, "FROM a\n");
            assert_eq!(before.text().ok().as_deref(), Some("FROM a\n"), "{}", path.display());
        }
    }
}
