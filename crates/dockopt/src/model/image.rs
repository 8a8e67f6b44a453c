//! Image references (`registry/repository:tag@digest`) as written in FROM.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImageRef {
    /// Registry host (with port) when one is written, e.g. `ghcr.io` or `localhost:5000`.
    pub registry: Option<String>,
    /// Path on the registry, e.g. `library/python` or `python`.
    pub repository: String,
    pub tag: Option<String>,
    /// `sha256:...`
    pub digest: Option<String>,
}

impl ImageRef {
    /// Split a reference the way Docker's reference grammar does: the first path component is
    /// a registry only if it has a `.` or `:` or is `localhost`; a tag follows the last `:`
    /// after the last `/`; a digest follows `@`. Returns `None` for an empty name.
    pub fn parse(text: &str) -> Option<Self> {
        let (name, digest) = match text.split_once('@') {
            Some((n, d)) => (n, Some(d.to_owned())),
            None => (text, None),
        };
        let last_slash = name.rfind('/').map_or(0, |i| i + 1);
        let (name, tag) = match name[last_slash..].rfind(':') {
            Some(i) => (&name[..last_slash + i], Some(name[last_slash + i + 1..].to_owned())),
            None => (name, None),
        };
        let (registry, repository) = match name.split_once('/') {
            Some((first, rest)) if first.contains(['.', ':']) || first == "localhost" => (Some(first.to_owned()), rest),
            _ => (None, name),
        };
        if repository.is_empty() {
            return None;
        }
        Some(Self { registry, repository: repository.to_owned(), tag, digest })
    }

    /// The repository as Docker Hub names it (`python` -> `library/python`), when the image
    /// comes from Docker Hub.
    pub fn hub_repository(&self) -> Option<String> {
        match self.registry.as_deref() {
            None | Some("docker.io" | "index.docker.io" | "registry-1.docker.io") => {
                Some(if self.repository.contains('/') {
                    self.repository.clone()
                } else {
                    format!("library/{}", self.repository)
                })
            }
            Some(_) => None,
        }
    }

    /// The major version a versioned tag starts with: `2` for `2`, `2.7`, `2-alpine` and
    /// `2.7-slim`, `20` for `20-bookworm-slim`; None for `latest`, `slim` and the like.
    pub fn major_version(&self) -> Option<u32> {
        self.tag.as_deref()?.split(['.', '-']).next()?.parse().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(s: &str) -> (Option<String>, String, Option<String>, Option<String>) {
        let r = ImageRef::parse(s).unwrap();
        (r.registry, r.repository, r.tag, r.digest)
    }

    #[test]
    fn splits_references() {
        assert_eq!(parts("python:3.11-slim"), (None, "python".into(), Some("3.11-slim".into()), None));
        assert_eq!(
            parts("localhost:5000/team/app:1@sha256:abc"),
            (Some("localhost:5000".into()), "team/app".into(), Some("1".into()), Some("sha256:abc".into()))
        );
        assert_eq!(parts("ghcr.io/o/r"), (Some("ghcr.io".into()), "o/r".into(), None, None));
        assert_eq!(parts("team/app"), (None, "team/app".into(), None, None));
        assert_eq!(ImageRef::parse("python").unwrap().hub_repository().as_deref(), Some("library/python"));
        assert!(ImageRef::parse("").is_none());
        let major = |s: &str| ImageRef::parse(s).unwrap().major_version();
        assert_eq!(
            (major("python:2"), major("python:2.7-slim"), major("node:20-bookworm-slim")),
            (Some(2), Some(2), Some(20))
        );
        assert_eq!((major("python:latest"), major("node:slim"), major("python")), (None, None, None));
    }
}
