//! DO500 maintainer-deprecated: MAINTAINER instead of a label.

use crate::lint::{Category, Context, Edit, Fix, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO500",
    name: "maintainer-deprecated",
    category: Category::Maintainability,
    severity: Severity::Warning,
    upstream: &["hadolint:DL4000", "buildkit:MaintainerDeprecated", "trivy:DS-0022", "checkov:CKV_DOCKER_6"],
    summary: "MAINTAINER is deprecated; set the org.opencontainers.image.authors label.",
    docs: r#"## What it does
Finds `MAINTAINER` instructions.

## Why is this bad?
`MAINTAINER` has been deprecated since Docker 1.13. Labels carry the same information in the
place tools look for it.

## Example
```dockerfile
MAINTAINER Jane Doe <jane@example.com>
```

## Use instead
```dockerfile
LABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"
```

## Fix safety
The fix replaces the instruction with the label. It is unsafe: the image's `Author` field is no
longer set, which tools that read it will notice.
"#,
    fix: FixAvailability::Always,
    default_enabled: true,
};

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        for ins in cx.all("MAINTAINER") {
            let keyword = cx.keyword_range(ins);
            let line_end = ins.syntax.segments().first().map_or(ins.syntax.range.end, |s| s.source + s.len);
            let author = ins.model.arguments.first().map(String::as_str).unwrap_or_default();
            let escaped = author.replace('\\', "\\\\").replace('"', "\\\"");
            let label = ins.model.same_case("LABEL");
            let fix = (ins.syntax.segments().len() == 1).then(|| {
                let content = format!("{label} org.opencontainers.image.authors=\"{escaped}\"");
                Fix::unsafe_("Replace with the authors label", vec![Edit::replace(keyword.start..line_end, content)])
            });
            out.report(keyword, "MAINTAINER is deprecated; use `LABEL org.opencontainers.image.authors=...`").set_fix(fix);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, check, hits};

    #[test]
    fn fires_with_a_label_fix() {
        let src = "FROM a\nMAINTAINER Jane \"J\" Doe\n";
        assert_eq!(hits("DO500", src), vec![(2, "MAINTAINER".into())]);
        let found = check("DO500", src);
        let edit = &found[0].fix.as_ref().unwrap().edits[0];
        assert_eq!(edit.content, r#"LABEL org.opencontainers.image.authors="Jane \"J\" Doe""#);
        assert_eq!(&src[edit.range.clone()], "MAINTAINER Jane \"J\" Doe");
        assert_eq!(check("DO500", "FROM a\nmaintainer x\n")[0].fix.as_ref().unwrap().edits[0].content[..5], *"label");
    }

    #[test]
    fn quiet_without_maintainer() {
        assert_clean("DO500", "FROM a\nLABEL org.opencontainers.image.authors=x\n");
    }
}
