//! DO160 instruction-before-from: an instruction other than ARG before the first FROM.

use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO160",
    name: "instruction-before-from",
    category: Category::Correctness,
    severity: Severity::Error,
    upstream: &["hadolint:DL3061"],
    summary: "Only ARG may come before the first FROM.",
    docs: r#"## What it does
Finds instructions other than `ARG` above the first `FROM` (comments and parser directives
are fine there).

## Why is this bad?
There is no stage yet for the instruction to act on: BuildKit refuses the file.

## Example
```dockerfile
ENV APP=/app
FROM alpine
```

## Use instead
```dockerfile
FROM alpine
ENV APP=/app
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
        for ins in cx.instructions().take_while(|i| !i.is("FROM")) {
            if !ins.is("ARG") {
                let message = format!("{} comes before the first FROM; move it into a stage", ins.keyword());
                out.report(cx.keyword_range(ins), message);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, hits};

    #[test]
    fn fires_before_from() {
        let src = "# escape=`\n# comment\nARG A=1\nenv X=1\nONBUILD RUN x\nFROM a\nRUN y\n";
        assert_eq!(hits("DO160", src), vec![(4, "env".into()), (5, "ONBUILD".into())]);
        assert_eq!(hits("DO160", "RUN <<EOF\necho\nEOF\nFROM a\n"), vec![(1, "RUN".into())]);
    }

    #[test]
    fn quiet_when_from_comes_first() {
        assert_clean("DO160", "# syntax=docker/dockerfile:1\nARG V=1\nARG B\nFROM a:$V\nENV X=1\n");
        assert_clean("DO160", "");
    }
}
