//! DO172 invalid-json-form: arguments written like a JSON array that is not valid JSON, so
//! BuildKit reads them as a shell command line.

use crate::lint::{Category, Context, Edit, Fix, FixAvailability, Reporter, RuleMeta, Severity};
use crate::model::Form;
use crate::syntax::json::{JsonArray, read_array};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO172",
    name: "invalid-json-form",
    category: Category::Correctness,
    severity: Severity::Error,
    upstream: &["tally:invalid-json-form"],
    summary: "Arguments written as a JSON array must be valid JSON, or they become a shell command line.",
    docs: r#"## What it does
Finds `RUN`, `CMD`, `ENTRYPOINT`, `SHELL`, `COPY`, `ADD`, `VOLUME` and `HEALTHCHECK CMD`
arguments (also after `ONBUILD`) that are meant as the JSON (exec) form, with brackets and
commas, but are not a valid JSON array of strings: unquoted items (`[bash, -c, "x"]`), single
quotes (`['nginx']`), a trailing comma, a missing comma or quote.

A shell test such as `RUN [ -f /etc/os-release ] && ...` is not reported: the rule only looks
at arguments that start with `[` directly followed by an item and end with `]`, or that have
quoted items separated by commas.

## Why is this bad?
BuildKit silently falls back to the shell form when the JSON does not parse. `CMD ['nginx',
'-g', 'daemon off;']` then runs `/bin/sh -c "['nginx', ..."`, which fails when the container
starts; `VOLUME [/data]` creates a volume literally named `[/data]`; `SHELL [/bin/bash, -c]`
is rejected. None of this is visible when the image is built.

## Example
```dockerfile
CMD ['nginx', '-g', 'daemon off;']
VOLUME [/var/lib/app]
```

## Use instead
```dockerfile
CMD ["nginx", "-g", "daemon off;"]
VOLUME ["/var/lib/app"]
```

## Fix safety
When the items can be read unambiguously (split at commas, each optionally in single or double
quotes, no quotes or backslashes inside), the fix writes them as a JSON array of strings. It is
unsafe: it guesses the intended items, and the instruction changes from the shell form BuildKit
uses today to the exec form, so it runs without a shell.
"#,
    fix: FixAvailability::Sometimes,
    default_enabled: true,
};

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        for ins in cx.instructions() {
            let m = ins.effective();
            if !matches!(m.keyword.as_ref(), "RUN" | "CMD" | "ENTRYPOINT" | "SHELL" | "COPY" | "ADD" | "VOLUME" | "HEALTHCHECK")
                || m.form == Some(Form::Exec)
                || !m.heredocs().is_empty()
                // Arguments that do not start with `[` are no JSON: their tokens need not be read.
                || !(m.keyword == "HEALTHCHECK" || m.arguments.first().is_some_and(|a| a.starts_with('[')))
            {
                continue;
            }
            let mut range = cx.arguments_range(ins);
            let mut text = cx.text(range.clone());
            if m.keyword == "HEALTHCHECK" {
                let Some(rest) = text.get(3..).filter(|_| text[..3.min(text.len())].eq_ignore_ascii_case("CMD")) else {
                    continue;
                };
                let trimmed = rest.trim_start();
                range.start += text.len() - trimmed.len();
                text = trimmed;
            }
            if !looks_like_json(text) {
                continue;
            }
            let message = format!(
                "{} arguments look like a JSON array but are not valid JSON, so they run as a shell command line",
                m.keyword
            );
            let d = out.report(range.clone(), message);
            d.set_fix(items(text).map(|items| {
                let json = format!("[{}]", items.iter().map(|i| format!("\"{i}\"")).collect::<Vec<_>>().join(", "));
                Fix::unsafe_("Write the items as a JSON array", vec![Edit::replace(range, json)])
            }));
        }
    }
}

/// Text that is meant as a JSON array (and is not valid one): `[` and `]` around it, and
/// either an item right after `[` (a shell test has a blank there) or quoted items with commas.
pub(crate) fn looks_like_json(text: &str) -> bool {
    let text = text.trim();
    let (Some(inner), false) = (text.strip_prefix('[').and_then(|t| t.strip_suffix(']')), text.starts_with("[["))
    else {
        return false;
    };
    if read_array(text) != JsonArray::Invalid || inner.contains('\n') {
        return false;
    }
    let tight = inner.starts_with(|c: char| !c.is_whitespace());
    let quoted_list = ["\",", "',", ", \"", ", '", ",\"", ",'"].iter().any(|p| inner.contains(p));
    tight || quoted_list
}

/// The items of a bracketed list, when they can be read without guessing about quotes.
fn items(text: &str) -> Option<Vec<String>> {
    let inner = text.trim().strip_prefix('[')?.strip_suffix(']')?;
    if inner.contains(['\\', '\n', '[', ']']) {
        return None;
    }
    let mut out = Vec::new();
    for part in inner.split(',') {
        let part = part.trim();
        let bare = ['"', '\'']
            .iter()
            .find_map(|q| part.strip_prefix(*q).and_then(|p| p.strip_suffix(*q)))
            .unwrap_or(part);
        if bare.is_empty() || bare.contains(['"', '\'']) || (bare == part && bare.contains(char::is_whitespace)) {
            return None;
        }
        out.push(bare.to_owned());
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, fixed, hits};

    #[test]
    fn fires_on_broken_json() {
        let src = "FROM a\nCMD ['nginx', '-g', 'daemon off;']\nVOLUME [/data]\nENTRYPOINT [\"a\", \"b\",]\n";
        assert_eq!(
            hits("DO172", src),
            vec![
                (2, "['nginx', '-g', 'daemon off;']".into()),
                (3, "[/data]".into()),
                (4, "[\"a\", \"b\",]".into())
            ]
        );
        assert_eq!(hits("DO172", "FROM a\nHEALTHCHECK --interval=5s CMD [curl, -f, x]\n"), vec![(2, "[curl, -f, x]".into())]);
        assert_eq!(hits("DO172", "FROM a\nONBUILD RUN [make, install]\n").len(), 1);
        assert_eq!(hits("DO172", "FROM a\nSHELL [ \"/bin/bash\" \"-c\" ]\n").len(), 0, "no comma, blank after [");
        assert_eq!(hits("DO172", "FROM a\nSHELL [\"/bin/bash\" \"-c\"]\n").len(), 1);
    }

    #[test]
    fn fix_writes_json() {
        assert_eq!(
            fixed("DO172", "FROM a\nCMD ['nginx', '-g', 'daemon off;']\n").as_deref(),
            Some("FROM a\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\n")
        );
        assert_eq!(fixed("DO172", "FROM a\nVOLUME [/data]\n").as_deref(), Some("FROM a\nVOLUME [\"/data\"]\n"));
        assert_eq!(fixed("DO172", "FROM a\nCMD [\"a\" \"b\"]\n"), None);
        assert_eq!(fixed("DO172", "FROM a\nCMD [\"it's\", \"b\"]x\n"), None);
    }

    #[test]
    fn quiet_on_valid_json_and_shell_tests() {
        assert_clean("DO172", "FROM a\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\nVOLUME [\"/data\"]\n");
        assert_clean("DO172", "FROM a\nRUN [ -f /etc/os-release ] && cat /etc/os-release\n");
        assert_clean("DO172", "FROM a\nRUN [ -d /x ]\nRUN [[ -n \"$X\" ]]\n");
        assert_clean("DO172", "FROM a\nCMD echo [a, b]\nCMD []\n");
        assert_clean("DO172", "FROM a\nRUN [ \"$X\" = 1 ]\n");
    }
}
