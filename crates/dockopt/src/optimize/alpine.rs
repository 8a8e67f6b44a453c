//! `--alpine`: the shipped stage's slim python or node image becomes the Alpine variant (musl,
//! apk). Only on request: C extensions and glibc-only binaries may not work there, and apt
//! commands would need apk package names, so stages that run apt are skipped.

use super::{Change, Step};
use crate::fix::apply_edits;
use crate::lint::{Context, Edit};

/// The Alpine tag for a slim tag of python or node: `3.12-slim-bookworm` and `20-bookworm-slim`
/// -> `3.12-alpine`, `20-alpine`; `slim` -> `alpine`.
fn alpine_tag(repository: &str, tag: &str) -> Option<String> {
    if !matches!(repository, "library/python" | "library/node") {
        return None;
    }
    let version: Vec<&str> = tag.split('-').take_while(|part| !part.contains("slim") && !is_codename(part)).collect();
    let slim = tag.split('-').any(|p| p == "slim");
    match (slim, version.is_empty()) {
        (false, _) => None,
        (true, true) => Some("alpine".into()),
        (true, false) => Some(format!("{}-alpine", version.join("-"))),
    }
}

fn is_codename(part: &str) -> bool {
    ["bookworm", "bullseye", "buster", "trixie"].contains(&part)
}

pub(crate) fn to_alpine(text: &str) -> Step {
    let syntax = crate::syntax::parse(text);
    let model = crate::model::build(text, &syntax, &[]);
    let cx = Context::reading(text, &syntax, &model);
    let Some(stage) = model.stages.last() else { return Step::Unchanged };
    let Some(image) = &stage.image else { return Step::Unchanged };
    let (Some(repository), Some(tag)) = (image.hub_repository(), image.tag.as_deref()) else { return Step::Unchanged };
    let Some(alpine) = alpine_tag(&repository, tag) else { return Step::Unchanged };
    let apt = stage.instructions.iter().map(|&i| cx.ins(i)).find_map(|ins| {
        let c = cx.scripts(ins).iter().flat_map(|s| &s.commands).find(|c| c.is("apt-get") || c.is("apt"))?;
        Some((ins.model.span.start.line, c.program().unwrap_or_default().to_owned()))
    });
    if let Some((line, program)) = apt {
        return Step::Skipped(format!("line {line}: `{program}` would need apk package names on Alpine"));
    }
    let from = cx.ins(stage.instructions[0]);
    // The tag as written: only a literal one is rewritten.
    let Some(word) = cx.word_ranges(from).into_iter().find(|r| text[r.clone()].ends_with(&format!(":{tag}"))) else {
        return Step::Skipped("the base image's tag is not written literally".into());
    };
    let at = word.end - tag.len()..word.end;
    let edit = Edit::replace(at, alpine.clone());
    Step::Changed {
        text: apply_edits(text, &[&edit]),
        changes: vec![Change {
            transform: "base-image",
            rules: vec!["DO390"],
            title: format!("Use the Alpine variant `{}:{alpine}` (--alpine)", image.repository).into(),
            why: "Alpine images are several times smaller than slim ones; asked for explicitly, since musl can break \
                  C extensions and glibc-only binaries"
                .into(),
        }],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alpine_tags_follow_each_image_s_naming() {
        assert_eq!(alpine_tag("library/python", "3.12-slim-bookworm").as_deref(), Some("3.12-alpine"));
        assert_eq!(alpine_tag("library/python", "3.12-slim").as_deref(), Some("3.12-alpine"));
        assert_eq!(alpine_tag("library/node", "20-bookworm-slim").as_deref(), Some("20-alpine"));
        assert_eq!(alpine_tag("library/node", "slim").as_deref(), Some("alpine"));
        assert_eq!(alpine_tag("library/node", "20"), None, "only slim images move");
        assert_eq!(alpine_tag("library/ruby", "3.3-slim"), None);
    }
}
