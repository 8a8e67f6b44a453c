//! DO164 copy-entire-filesystem: `COPY --from=stage / /`.

use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO164",
    name: "copy-entire-filesystem",
    category: Category::Correctness,
    severity: Severity::Warning,
    upstream: &["hadolint:DL3067"],
    summary: "Do not copy the whole filesystem of another stage or image onto `/`.",
    docs: r#"## What it does
Finds `COPY --from=...` whose source list includes `/` and whose destination is `/`.

## Why is this bad?
Everything of the other stage lands over this one: its package database, `/etc/passwd`,
shell and libraries replace those of the current base, leaving a mix of two distributions
that breaks in ways that are hard to trace. It also makes the layer as big as the whole
other image.

## Example
```dockerfile
FROM builder AS build
FROM debian:bookworm-slim
COPY --from=build / /
```

## Use instead
```dockerfile
COPY --from=build /app/bin/server /usr/local/bin/server
```
"#,
    fix: FixAvailability::None,
    default_enabled: true,
};

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        for ins in cx.instructions().filter(|i| i.effective().keyword == "COPY") {
            let Some(from) = ins.flag("from").and_then(|f| f.value.as_deref()) else { continue };
            let is_root = |s: &String| s.trim_matches(['"', '\'']) == "/";
            let args = &ins.effective().arguments;
            let Some((dest, sources)) = args.split_last() else { continue };
            if is_root(dest) && sources.iter().any(is_root) {
                let message = format!("copies all of `{from}` over `/`; copy only the paths you need");
                out.report(cx.arguments_range(ins), message);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, hits};

    #[test]
    fn fires_on_root_to_root() {
        assert_eq!(hits("DO164", "FROM a AS b\nFROM c\nCOPY --from=b / /\n"), vec![(3, "/ /".into())]);
        assert_eq!(hits("DO164", "FROM c\nCOPY --link --from=img:1 [\"/\", \"/\"]\n").len(), 1);
        assert_eq!(hits("DO164", "FROM c\nONBUILD COPY --from=b \"/\" /\n").len(), 1);
        let escape = "# escape=`\nFROM c\nCOPY --from=b / `\n  /\n";
        assert_eq!(hits("DO164", escape), vec![(3, "/ `\n  /".into())]);
    }

    #[test]
    fn quiet_on_paths_or_context() {
        assert_clean("DO164", "FROM c\nCOPY / /\nCOPY --from=b /app /\nCOPY --from=b / /rootfs\n");
    }
}
