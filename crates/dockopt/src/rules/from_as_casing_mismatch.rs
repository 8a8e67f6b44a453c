//! DO681 from-as-casing-mismatch: `FROM x as y` / `from x AS y`.

use crate::lint::{Category, Context, Edit, Fix, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO681",
    name: "from-as-casing-mismatch",
    category: Category::Style,
    severity: Severity::Style,
    upstream: &["buildkit:FromAsCasing"],
    summary: "The `AS` of a FROM should be written in the same case as `FROM`.",
    docs: r#"## What it does
Finds `FROM image AS name` where `FROM` is all upper case and `AS` is not, or `from` is all
lower case and `as` is not. A `FROM` keyword in mixed case is left to
`inconsistent-instruction-casing`.

## Why is this bad?
Keywords are case-insensitive, but mixing cases within one line reads as a mistake and makes
the file harder to scan and to search.

## Example
```dockerfile
FROM node:20 as build
```

## Use instead
```dockerfile
FROM node:20 AS build
```

## Fix safety
The fix changes the case of `AS`. It is safe: the keyword is case-insensitive.
"#,
    fix: FixAvailability::Always,
    default_enabled: true,
};

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        for ins in cx.all("FROM") {
            let [_, as_word, _] = ins.model.arguments.as_ref() else { continue };
            if !as_word.eq_ignore_ascii_case("as") {
                continue;
            }
            let from = &ins.model.written();
            let wanted = if *from == from.to_uppercase() {
                "AS"
            } else if *from == from.to_lowercase() {
                "as"
            } else {
                continue;
            };
            if as_word == wanted {
                continue;
            }
            let words = cx.word_ranges(ins);
            let Some(range) = words.get(1).filter(|r| cx.text((*r).clone()) == as_word).cloned() else {
                continue;
            };
            let message = format!("`{as_word}` does not match the case of `{from}`; write `{wanted}`");
            let fix = Fix::safe(format!("Write `{wanted}`"), vec![Edit::replace(range.clone(), wanted)]);
            out.report(range, message).set_fix(fix);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, check, hits};

    #[test]
    fn fires_when_cases_differ() {
        assert_eq!(hits("DO681", "FROM alpine as build\n"), vec![(1, "as".into())]);
        assert_eq!(hits("DO681", "from alpine AS build\n"), vec![(1, "AS".into())]);
        assert_eq!(hits("DO681", "FROM alpine \\\n  As build\n"), vec![(2, "As".into())]);
        assert_eq!(hits("DO681", "# escape=`\nFROM alpine `\n  as build\n"), vec![(3, "as".into())]);
        let d = &check("DO681", "from alpine AS build\n")[0];
        assert_eq!(d.fix.as_ref().unwrap().edits[0].content, "as");
    }

    #[test]
    fn quiet_when_consistent_or_from_is_mixed() {
        assert_clean("DO681", "FROM alpine AS build\nfrom alpine as b2\nFrom alpine as b3\nFROM alpine\n");
    }
}
