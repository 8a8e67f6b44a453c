//! Container paths: joining a path to the working directory the way the engine does, as far as
//! the Dockerfile alone decides it.

/// The working directory `path` leads to from `dir`; `None` when it depends on something the
/// file does not say (an unknown `dir`, variables, Windows paths).
pub fn resolve(dir: Option<&str>, path: &str) -> Option<String> {
    if path.is_empty() || path.contains(['$', '\\', ':']) || path.contains(char::is_whitespace) {
        return None;
    }
    let joined = if path.starts_with('/') { path.to_owned() } else { format!("{}/{path}", dir?) };
    Some(clean(&joined))
}

/// Whether the image path `path` is `folder` or lies below it (every path lies below `/`).
pub fn within(path: &str, folder: &str) -> bool {
    path == folder || path.strip_prefix(folder.trim_end_matches('/')).is_some_and(|rest| rest.starts_with('/'))
}

/// An absolute path with `.`, `..` and repeated slashes resolved, as Go's `path.Clean` does.
pub fn clean(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            _ => parts.push(part),
        }
    }
    format!("/{}", parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_and_cleans_like_go_path_clean() {
        assert_eq!(resolve(Some("/app"), "./bin/../server").as_deref(), Some("/app/server"));
        assert_eq!(resolve(None, "/srv//x/").as_deref(), Some("/srv/x"));
        assert_eq!(resolve(None, "rel"), None, "relative to an unknown directory");
        assert_eq!(resolve(Some("/app"), "$OUT"), None, "a variable");
    }
}
