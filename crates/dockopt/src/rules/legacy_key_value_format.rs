//! DO580 legacy-key-value-format: `ENV key value` / `LABEL key value`.

use crate::lint::{Category, Context, Edit, Fix, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO580",
    name: "legacy-key-value-format",
    category: Category::Maintainability,
    severity: Severity::Warning,
    upstream: &["buildkit:LegacyKeyValueFormat"],
    summary: "ENV and LABEL should use `key=value`, not the legacy `key value` form.",
    docs: r#"## What it does
Finds `ENV` and `LABEL` written in the old whitespace-separated form, `ENV key value`.

## Why is this bad?
In the legacy form everything after the key is one value, spaces included, so
`ENV PATH /opt/bin PYTHONUNBUFFERED 1` sets `PATH` to `/opt/bin PYTHONUNBUFFERED 1`
instead of setting two variables. The form allows one variable per instruction, cannot be
mixed with `key=value`, and is deprecated by Docker.

## Example
```dockerfile
ENV APP_HOME /srv/app
LABEL maintainer "team@example.com"
```

## Use instead
```dockerfile
ENV APP_HOME=/srv/app
LABEL maintainer="team@example.com"
```

## Fix safety
The fix rewrites one-line instructions whose value has no quotes or escape characters to
`key=value`, quoting the value when it contains spaces. It is safe: the key and value stay
the same.
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
            let command = ins.syntax.command();
            let command = command.onbuild().unwrap_or(command);
            let keyword = command.keyword().to_ascii_uppercase();
            if !matches!(keyword.as_str(), "ENV" | "LABEL") {
                continue;
            }
            let values: Vec<&str> = command.values().collect();
            let [key, value, separator] = values[..] else { continue };
            if !separator.is_empty() {
                continue;
            }
            let range = cx.arguments_range(ins);
            let message = format!("use `{keyword} {key}=...` instead of the legacy `{keyword} {key} ...` form");
            let diagnostic = out.report(range, message);
            let words = cx.word_ranges(ins);
            let (Some(k), Some(v), Some(last)) = (words.first(), words.get(1), words.last()) else { continue };
            let single_line = ins.syntax.segments().len() == 1;
            let plain = !value.contains(['"', '\'', cx.model.escape]);
            if single_line && plain && cx.text(k.clone()) == key && cx.text(v.start..last.end) == value {
                let edits = if value.contains(char::is_whitespace) {
                    vec![Edit::replace(k.end..v.start, "=\""), Edit::insert(last.end, "\"")]
                } else {
                    vec![Edit::replace(k.end..v.start, "=")]
                };
                diagnostic.set_fix(Fix::safe("Use key=value", edits));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, check, hits};

    fn fixed(src: &str) -> Option<String> {
        let d = check("DO580", src).into_iter().next()?;
        let mut out = src.to_owned();
        for e in d.fix?.edits.iter().rev() {
            out.replace_range(e.range.clone(), &e.content);
        }
        Some(out)
    }

    #[test]
    fn fires_on_legacy_pairs() {
        assert_eq!(hits("DO580", "FROM a\nENV PATH /opt/bin:$PATH\n"), vec![(2, "PATH /opt/bin:$PATH".into())]);
        assert_eq!(hits("DO580", "FROM a\nlabel maintainer me\n"), vec![(2, "maintainer me".into())]);
        assert_eq!(hits("DO580", "FROM a\nONBUILD ENV A b\n"), vec![(2, "A b".into())]);
        assert_eq!(hits("DO580", "# escape=`\nFROM a\nENV A `\n  b c\n").len(), 1);
    }

    #[test]
    fn fixes_simple_values_only() {
        assert_eq!(fixed("FROM a\nENV A /x\n").as_deref(), Some("FROM a\nENV A=/x\n"));
        assert_eq!(fixed("FROM a\nENV A x  y\n").as_deref(), Some("FROM a\nENV A=\"x  y\"\n"));
        assert_eq!(fixed("FROM a\nENV A \"x y\"\n"), None);
        assert_eq!(fixed("FROM a\nENV A x \\\n y\n"), None);
    }

    #[test]
    fn quiet_on_key_value_pairs() {
        assert_clean("DO580", "FROM a\nENV A=1 B=\"x y\"\nLABEL a=b\nONBUILD ENV A=b\nRUN echo ENV a b\n");
    }
}
