//! DO261 non-numeric-user: USER given by name instead of numeric id.

use crate::lint::{Category, Context, Edit, Fix, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO261",
    name: "non-numeric-user",
    category: Category::Security,
    severity: Severity::Info,
    upstream: &["hadolint:DL3066"],
    summary: "USER should name the user by numeric id.",
    docs: r#"## What it does
Finds `USER` instructions whose user part (before `:`) is a name rather than a number.
Values built from variables (`USER $APP_UID`) are not judged: hadolint skips only ARGs.

## Why is this bad?
The name is resolved inside the container from its `/etc/passwd`. Kubernetes'
`runAsNonRoot` and other host-side policies cannot tell whether a name is root, so they
reject the pod or cannot enforce the policy; a numeric id means the same everywhere.

## Example
```dockerfile
USER app:app
```

## Use instead
```dockerfile
USER 10001:10001
```

## Fix safety
`root` is replaced by `0` (user and group); this is safe, `root` is id 0 on every Linux
system. Other names have no fix: their ids depend on the image.
"#,
    fix: FixAvailability::Sometimes,
    default_enabled: true,
};

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        for ins in cx.instructions().filter(|i| i.effective().keyword == "USER") {
            let Some(value) = ins.effective().arguments.first() else { continue };
            let user = value.split(':').next().unwrap_or_default();
            if user.is_empty() || user.contains('$') || user.bytes().all(|b| b.is_ascii_digit()) {
                continue;
            }
            let Some(word) = cx.word_ranges(ins).first().cloned() else { continue };
            if !cx.text(word.clone()).starts_with(user) {
                continue;
            }
            let range = word.start..word.start + user.len();
            let diagnostic = out.report(range, format!("user `{user}` is a name; use its numeric id"));
            let group = value.split_once(':').map(|(_, g)| g);
            if user == "root" && group.is_none_or(|g| g == "root" || g.bytes().all(|b| b.is_ascii_digit())) {
                let mut edits = vec![Edit::replace(word.start..word.start + 4, "0")];
                if group == Some("root") {
                    edits.push(Edit::replace(word.start + 5..word.start + 9, "0"));
                }
                diagnostic.set_fix(Fix::safe("Use id 0 for root", edits));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, check, hits};

    #[test]
    fn fires_on_names() {
        let src = "FROM a\nUSER app:app\nONBUILD USER node\nuser root:root\n";
        assert_eq!(hits("DO261", src), vec![(2, "app".into()), (3, "node".into()), (4, "root".into())]);
        let fixes = check("DO261", src);
        assert!(fixes[0].fix.is_none());
        let edits = &fixes[2].fix.as_ref().unwrap().edits;
        assert_eq!(edits.iter().map(|e| &src[e.range.clone()]).collect::<Vec<_>>(), vec!["root", "root"]);
        assert_eq!(hits("DO261", "# escape=`\nFROM a\nUSER nobody\n").len(), 1);
    }

    #[test]
    fn quiet_on_ids_and_variables() {
        assert_clean("DO261", "FROM a\nARG UID=1000\nUSER 1000:1000\nUSER $UID\nUSER ${APP}:0\nUSER 0\n");
    }
}
