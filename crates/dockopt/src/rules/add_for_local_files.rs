//! DO527 add-for-local-files: ADD where COPY does the same.

use std::ops::Range;

use crate::lint::archive::{is_remote, may_be_archive};
use crate::lint::{Category, Context, Edit, Fix, FixAvailability, Ins, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO527",
    name: "add-for-local-files",
    category: Category::Maintainability,
    severity: Severity::Warning,
    upstream: &["hadolint:DL3020", "trivy:DS-0005", "checkov:CKV_DOCKER_4"],
    summary: "Use COPY, not ADD, for local files and folders.",
    docs: r#"## What it does
Finds ADD (also under ONBUILD) whose sources are all local files, folders or heredocs: no
URL, no Git repository and nothing that may be a tar archive (which ADD unpacks). Sources
only known at build time are not judged.

## Why is this bad?
ADD does more than copy: it downloads URLs, clones Git repositories and unpacks local tar
archives. Using it for plain files hides which of those the author meant, and a file that
later becomes an archive changes behaviour silently. COPY says exactly what happens.

## Example
```dockerfile
ADD requirements.txt /app/
```

## Use instead
```dockerfile
COPY requirements.txt /app/
```

## Fix safety
The fix replaces the keyword with COPY, keeping its case. It is safe: for local files that
are not archives both instructions do the same. It is not offered when ADD has options COPY
does not take (`--checksum`, `--keep-git-dir`, `--unpack`).
"#,
    fix: FixAvailability::Sometimes,
    default_enabled: true,
};

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        for ins in cx.instructions().filter(|i| i.effective().keyword == "ADD") {
            let add = ins.effective();
            let Some((_, sources)) = add.arguments.split_last() else { continue };
            if sources.is_empty() || sources.iter().any(|s| s.contains('$') || is_remote(s) || may_be_archive(s)) {
                continue;
            }
            let keyword = add_keyword(cx, ins);
            let d = out.report(keyword.clone(), "ADD only copies local files here; use COPY");
            let copy_flags = ["chown", "chmod", "link", "exclude", "parents", "from"];
            if add.flags.iter().all(|f| copy_flags.contains(&f.name.as_ref())) {
                let written = cx.text(keyword.clone());
                let copy = if written.chars().all(|c| c.is_ascii_lowercase()) { "copy" } else { "COPY" };
                d.set_fix(Fix::safe("Use COPY", vec![Edit::replace(keyword, copy)]));
            }
        }
    }
}

/// The `ADD` keyword, also after ONBUILD.
fn add_keyword(cx: &Context, ins: Ins) -> Range<usize> {
    let first = cx.keyword_range(ins);
    if ins.model.onbuild().is_none() {
        return first;
    }
    let rest = &cx.src[first.end..ins.syntax.range.end];
    let start = first.end + (rest.len() - rest.trim_start().len());
    let inner = start..start + 3;
    match cx.src.get(inner.clone()) {
        Some(word) if word.eq_ignore_ascii_case("add") => inner,
        _ => first,
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, check, hits};

    #[test]
    fn fires_on_local_sources() {
        assert_eq!(hits("DO527", "FROM a\nADD --chown=1 a.txt dir/ /app/\n"), vec![(2, "ADD".into())]);
        assert_eq!(hits("DO527", "FROM a\nadd <<EOF /x\nhi\nEOF\n"), vec![(2, "add".into())]);
        assert_eq!(hits("DO527", "FROM a\nONBUILD add app.zip /app/\n"), vec![(2, "add".into())]);
        assert_eq!(hits("DO527", "# escape=`\nFROM a\nADD `\n  a.txt /app/\n"), vec![(3, "ADD".into())]);
        assert_eq!(hits("DO527", "FROM a\nADD [\"a b.txt\", \"/app/\"]\n").len(), 1);
    }

    #[test]
    fn quiet_on_urls_git_archives_and_unknowns() {
        assert_clean("DO527", "FROM a\nADD https://x/y.txt /y\nADD git@github.com:o/r.git /src\n");
        assert_clean("DO527", "FROM a\nADD rootfs.tar.xz /\nADD \"data.tgz\" /d\nADD $SRC /x\n");
        assert_clean("DO527", "FROM a\nCOPY a /b\n");
    }

    #[test]
    fn fix_keeps_case_and_skips_add_only_options() {
        let d = &check("DO527", "FROM a\nonbuild add a /b\n")[0];
        let edit = &d.fix.as_ref().unwrap().edits[0];
        assert_eq!((edit.range.clone(), edit.content.as_ref()), (15..18, "copy"));
        assert!(check("DO527", "FROM a\nADD --keep-git-dir=true a /b\n")[0].fix.is_none());
    }
}
