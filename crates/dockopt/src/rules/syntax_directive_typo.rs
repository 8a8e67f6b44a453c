//! DO171 syntax-directive-typo: a `# syntax=` directive that names a misspelt frontend, or a
//! misspelt `syntax` directive name.

use crate::lint::args::distance;
use crate::lint::{Category, Context, Edit, Fix, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO171",
    name: "syntax-directive-typo",
    category: Category::Correctness,
    severity: Severity::Error,
    upstream: &["tally:syntax-directive-typo"],
    summary: "The `# syntax=` directive should name the Dockerfile frontend without typos.",
    docs: r#"## What it does
Looks at the parser directives at the top of the file and reports:
- a `# syntax=` value whose image is a near miss of Docker's frontends
  (`docker/dockerfile`, `docker/dockerfile-upstream`, with or without `docker.io/`), such as
  `docker/dokcerfile:1`;
- a `# syntax=` value with blanks inside it (`docker/dockerfile: 1`);
- a directive-like comment whose name is a near miss of `syntax` (`# sytnax=docker/dockerfile:1`).

## Why is this bad?
BuildKit pulls the image the directive names and hands the build to it, so a misspelt image
makes every build fail with a pull error that does not point at the typo. A misspelt directive
name is worse: the line is an ordinary comment, the default frontend is used, and features
the file relies on (heredocs, `--mount`, `--chmod`, ...) may be missing on older builders.

## Example
```dockerfile
# syntax=docker/dokcerfile:1.7
FROM alpine:3.20
```

## Use instead
```dockerfile
# syntax=docker/dockerfile:1.7
FROM alpine:3.20
```

## Fix safety
For a misspelt image, the fix replaces it with the frontend it is closest to, keeping the tag.
It is unsafe: the replacement is a guess from the spelling, so check that the tag exists for
that image.
"#,
    fix: FixAvailability::Sometimes,
    default_enabled: true,
};

const FRONTENDS: [&str; 4] =
    ["docker/dockerfile", "docker/dockerfile-upstream", "docker.io/docker/dockerfile", "docker.io/docker/dockerfile-upstream"];

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        for d in cx.syntax.directives.iter().filter(|d| d.name == "syntax") {
            let line = cx.text(d.range.clone());
            let Some(at) = line.rfind(d.value.as_str()) else { continue };
            let range = d.range.start + at..d.range.start + at + d.value.len();
            if d.value.contains(char::is_whitespace) {
                out.report(range, "the `syntax` directive's value has blanks inside it; write the image without them");
                continue;
            }
            let end = d.value.find([':', '@']).unwrap_or(d.value.len());
            let image = &d.value[..end];
            let lower = image.to_ascii_lowercase();
            if FRONTENDS.contains(&lower.as_str()) || !looks_like_docker_frontend(&lower) {
                continue;
            }
            let Some(best) = FRONTENDS.iter().min_by_key(|f| distance(&lower, f)) else { continue };
            let image_range = range.start..range.start + image.len();
            let o = out.report(image_range.clone(), format!("`{image}` looks like a typo of the frontend `{best}`"));
            o.set_fix(Fix::unsafe_(format!("Replace with `{best}`"), vec![Edit::replace(image_range, *best)]));
        }
        // A directive-like comment above the first instruction whose name is close to `syntax`.
        let first = cx.syntax.instructions.first().map_or(cx.src.len(), |i| i.range.start);
        for range in cx.syntax.comments.iter().filter(|r| r.end <= first) {
            let text = cx.text(range.clone());
            let Some(rest) = text.strip_prefix('#') else { continue };
            let Some((name, _)) = rest.split_once('=') else { continue };
            let name = name.trim();
            if !name.is_empty()
                && name.chars().all(|c| c.is_ascii_alphabetic())
                && !name.eq_ignore_ascii_case("syntax")
                && distance(&name.to_ascii_lowercase(), "syntax") <= 2
                && name.len() >= 5
            {
                let message = format!("`{name}` is not a parser directive (the line is a comment); did you mean `syntax`?");
                let at = range.start + 1 + rest.find(name).unwrap_or(0);
                out.report(at..at + name.len(), message);
            }
        }
    }
}

/// A repository close to one of Docker's frontends: the typo cases, not other frontends.
fn looks_like_docker_frontend(image: &str) -> bool {
    FRONTENDS.iter().any(|f| distance(image, f) <= 2)
        || image.strip_prefix("docker/").is_some_and(|rest| distance(rest, "dockerfile") <= 3 && rest.len() >= 7)
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, fixed, hits};

    #[test]
    fn fires_on_misspelt_frontends_and_names() {
        assert_eq!(hits("DO171", "# syntax=docker/dokcerfile:1.7\nFROM a\n"), vec![(1, "docker/dokcerfile".into())]);
        assert_eq!(hits("DO171", "#syntax=docker/dockerfle\nFROM a\n"), vec![(1, "docker/dockerfle".into())]);
        assert_eq!(hits("DO171", "# sytnax=docker/dockerfile:1\nFROM a\n"), vec![(1, "sytnax".into())]);
        assert_eq!(hits("DO171", "# syntax=docker/dockerfile: 1\nFROM a\n").len(), 1);
    }

    #[test]
    fn fix_names_the_closest_frontend() {
        assert_eq!(
            fixed("DO171", "# syntax = docker/dokcerfile:1.7-labs\nFROM a\n").as_deref(),
            Some("# syntax = docker/dockerfile:1.7-labs\nFROM a\n")
        );
        assert_eq!(fixed("DO171", "# syntax=docker/dockerfile-upstrem:master\nFROM a\n").as_deref(), Some("# syntax=docker/dockerfile-upstream:master\nFROM a\n"));
    }

    #[test]
    fn quiet_on_frontends_and_other_images() {
        assert_clean("DO171", "# syntax=docker/dockerfile:1\nFROM a\n");
        assert_clean("DO171", "# syntax=docker.io/docker/dockerfile:1.7@sha256:abc\nFROM a\n");
        assert_clean("DO171", "# syntax = docker/dockerfile:experimental\nFROM a\n");
        assert_clean("DO171", "# syntax=ghcr.io/acme/frontend:2\nFROM a\n");
        assert_clean("DO171", "# syntax=tonistiigi/dockerfile:runmount\nFROM a\n");
        assert_clean("DO171", "# escape=`\n# check=skip=all\nFROM a\n# sytnax=x\n");
        assert_clean("DO171", "# Note: static=true\nFROM a\n");
    }
}
