//! DO182 undefined-variable: an instruction uses a variable that is not defined in its stage.

use std::collections::HashSet;
use std::ops::Range;

use crate::lint::args::{PLATFORM_ARGS, suggest};
use crate::lint::{Category, Context, FixAvailability, Ins, Reporter, RuleMeta, Severity};
use crate::model::Form;
use crate::words::{Env, Lexer};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO182",
    name: "undefined-variable",
    category: Category::Correctness,
    severity: Severity::Warning,
    upstream: &["buildkit:UndefinedVar"],
    summary: "Instructions should only use variables defined in their stage.",
    docs: r#"## What it does
Finds `$NAME` and `${NAME...}` in the instructions that BuildKit expands (ENV, ARG, LABEL,
COPY and ADD paths, flags and heredocs, WORKDIR, USER, VOLUME, STOPSIGNAL and
`RUN --mount` options) where `NAME` is not defined at that point of the stage: not declared by
an ARG or ENV above it in the stage or in the stage it is built on.

The base image's own ENV is not visible to a linter that does not pull images. So for stages
built on an image dockopt reports the mistakes the file itself proves:
- a global ARG (declared before the first FROM) or a platform argument (`TARGETARCH`, ...)
  used in a stage without `ARG NAME` in that stage;
- a variable used above the ARG that declares it;
- an ARG declared only in another stage.

For stages built from `scratch` (directly or through other stages) everything is known, and
every undefined name is reported, with a suggestion when a defined name is close.

`RUN`, `CMD` and `ENTRYPOINT` are not judged: their variables are expanded by the shell at run
time, where the image environment applies.

## Why is this bad?
An undefined variable expands to an empty string without any error, so `COPY app-$VERSION.jar`
becomes `COPY app-.jar` and `WORKDIR $APP_HOME` becomes `WORKDIR /`. The classic case is a
global ARG: it is only visible to FROM lines until the stage declares it again.

## Example
```dockerfile
ARG VERSION=1.4.2
FROM eclipse-temurin:21
COPY target/app-${VERSION}.jar /app.jar
```

## Use instead
```dockerfile
ARG VERSION=1.4.2
FROM eclipse-temurin:21
ARG VERSION
COPY target/app-${VERSION}.jar /app.jar
```
"#,
    fix: FixAvailability::None,
    default_enabled: true,
};

/// BuildKit arguments that never become variables.
const NON_ENV_ARGS: [&str; 2] = ["BUILDKIT_SBOM_SCAN_CONTEXT", "BUILDKIT_SBOM_SCAN_STAGE"];

struct Defined<'a>(&'a HashSet<String>);

impl Env for Defined<'_> {
    fn get(&self, name: &str) -> Option<&str> {
        // The value does not matter, only that there is one.
        self.0.contains(name).then_some("x")
    }
}

/// Whether `c` continues a variable name.
fn name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The first `$NAME` or `${NAME...` in `text` (at `offset` in the source).
fn reference(text: &str, offset: usize, name: &str) -> Option<Range<usize>> {
    let mut from = 0;
    while let Some(i) = text[from..].find('$').map(|i| from + i) {
        let rest = &text[i + 1..];
        if let Some(r) = rest.strip_prefix('{').and_then(|r| r.strip_prefix(name))
            && r.starts_with(['}', ':', '-', '+', '?', '#', '%', '/'])
        {
            let end = r.find('}').map_or(text.len(), |e| i + 1 + 1 + name.len() + e + 1);
            return Some(offset + i..offset + end.min(text.len()));
        }
        if let Some(r) = rest.strip_prefix(name)
            && !r.starts_with(name_char)
        {
            return Some(offset + i..offset + i + 1 + name.len());
        }
        from = i + 1;
    }
    None
}

/// The texts of an instruction that BuildKit expands, in order, and whether each is a
/// heredoc body (expanded without quote processing). ARG values are handled separately.
fn expanded_texts<'a>(cx: &Context<'a>, ins: Ins<'a>) -> Vec<(String, bool)> {
    let m = ins.model;
    let flag = |name: &'static str| m.flags.iter().filter(move |f| *f.name == *name).filter_map(|f| f.value.as_deref().map(str::to_owned));
    let mut texts: Vec<(String, bool)> = Vec::new();
    match m.keyword.as_ref() {
        "ENV" | "LABEL" => texts.extend(m.pairs.iter().filter_map(|p| p.value.as_deref().map(str::to_owned)).map(|v| (v, false))),
        "WORKDIR" | "USER" | "STOPSIGNAL" | "VOLUME" => texts.extend(m.arguments.iter().map(|a| (a.clone(), false))),
        "RUN" => texts.extend(flag("mount").map(|v| (v, false))),
        "COPY" | "ADD" => {
            for name in ["chown", "chmod", "checksum"] {
                texts.extend(flag(name).map(|v| (v, false)));
            }
            let heredoc_sources = m.form == Some(Form::Shell) && !m.heredocs().is_empty();
            texts.extend(
                m.arguments.iter().filter(|a| !(heredoc_sources && a.starts_with("<<"))).map(|a| (a.clone(), false)),
            );
            for (doc, syntax) in m.heredocs().iter().zip(ins.syntax.heredocs()) {
                if doc.expand {
                    texts.push((cx.text(syntax.body.clone()).to_owned(), true));
                }
            }
        }
        _ => {}
    }
    texts
}

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        let globals = cx.global_args();
        let lexer = Lexer::new(cx.model.escape);
        let heredoc_lexer = Lexer { skip_process_quotes: true, ..Lexer::new('\\') };
        // Every ARG in a stage: (stage, instruction index, name).
        let stage_args: Vec<(usize, usize, &str)> = cx
            .instructions()
            .filter(|i| i.is("ARG"))
            .filter_map(|i| i.model.stage().map(|s| (s, i)))
            .flat_map(|(s, i)| i.model.pairs.iter().map(move |p| (s, i.index, p.key.as_ref())))
            .collect();
        // Names defined at the end of each stage, and whether the stage's chain starts at scratch.
        let mut at_end: Vec<HashSet<String>> = Vec::new();
        let mut from_scratch: Vec<bool> = Vec::new();
        for stage in &cx.model.stages {
            let mut defined: HashSet<String> = stage.base_stage.map(|b| at_end[b].clone()).unwrap_or_default();
            defined.insert("PATH".to_owned());
            let scratch = stage.scratch || stage.base_stage.is_some_and(|b| from_scratch[b]);
            for &index in &stage.instructions {
                let ins = cx.ins(index);
                let mut used: Vec<(String, bool)> = Vec::new();
                let mut look = |text: &str, heredoc: bool, defined: &HashSet<String>| {
                    let lx = if heredoc { &heredoc_lexer } else { &lexer };
                    if let Ok(e) = lx.process(text, &Defined(defined)) {
                        for name in e.unmatched {
                            if !used.iter().any(|(n, _)| *n == name) {
                                used.push((name, heredoc));
                            }
                        }
                    }
                };
                if ins.is("ARG") {
                    // ARG values see the keys declared before them in the same instruction.
                    for pair in &ins.model.pairs {
                        if let Some(v) = &pair.value {
                            look(v, false, &defined);
                        }
                        defined.insert(pair.key.to_string());
                    }
                } else if !ins.is("FROM") {
                    for (text, heredoc) in expanded_texts(cx, ins) {
                        look(&text, heredoc, &defined);
                    }
                    if ins.is("ENV") {
                        defined.extend(ins.model.pairs.iter().map(|p| p.key.to_string()));
                    }
                }
                for (name, heredoc) in used {
                    if NON_ENV_ARGS.contains(&name.as_str()) {
                        continue;
                    }
                    let later = stage_args.iter().any(|&(s, i, n)| s == stage.index && i > index && n == name);
                    let elsewhere = stage_args.iter().any(|&(s, _, n)| s != stage.index && n == name);
                    let message = if globals.declared.contains(&name) || PLATFORM_ARGS.contains(&name.as_str()) {
                        format!("`{name}` is a global ARG and is empty in this stage; add `ARG {name}` after FROM")
                    } else if later {
                        format!("`{name}` is used before the ARG that declares it")
                    } else if elsewhere {
                        format!("`{name}` is only declared in another stage; declare it in this one")
                    } else if scratch {
                        let hint = suggest(&name, defined.iter().map(String::as_str))
                            .map(|s| format!(" (did you mean `{s}`?)"))
                            .unwrap_or_default();
                        format!("`{name}` is not defined here and expands to nothing{hint}")
                    } else {
                        continue;
                    };
                    // Point at the reference itself: in the heredoc body or in the instruction line.
                    let region = if heredoc {
                        ins.syntax.heredocs().first().map_or(ins.syntax.range.clone(), |h| h.body.start..ins.syntax.range.end)
                    } else {
                        ins.syntax.range.start..ins.syntax.heredocs().first().map_or(ins.syntax.range.end, |h| h.body.start)
                    };
                    let range = reference(cx.text(region.clone()), region.start, &name)
                        .unwrap_or_else(|| cx.arguments_range(ins));
                    out.report(range, message);
                }
            }
            at_end.push(defined);
            from_scratch.push(scratch);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, check, hits};

    #[test]
    fn fires_on_global_args_not_redeclared() {
        let src = "ARG VERSION=1\nFROM temurin\nCOPY app-${VERSION}.jar /app.jar\n";
        assert_eq!(hits("DO182", src), vec![(3, "${VERSION}".into())]);
        let src = "FROM alpine\nRUN --mount=type=cache,id=$TARGETARCH,target=/c true\n";
        assert_eq!(hits("DO182", src), vec![(2, "$TARGETARCH".into())]);
    }

    #[test]
    fn fires_on_use_before_declaration_and_other_stages() {
        let src = "FROM alpine\nWORKDIR /src/$APP\nARG APP=x\n";
        assert_eq!(hits("DO182", src), vec![(2, "$APP".into())]);
        let src = "FROM alpine AS a\nARG NAME=x\nFROM alpine\nLABEL name=$NAME\n";
        assert_eq!(hits("DO182", src), vec![(4, "$NAME".into())]);
        assert_clean("DO182", "FROM alpine AS a\nARG NAME=x\nFROM a\nLABEL name=$NAME\n");
    }

    #[test]
    fn judges_everything_in_scratch_stages() {
        let src = "FROM scratch\nENV APP_HOME=/app\nWORKDIR $APP_HOEM\nUSER ${UID:-1000}\n";
        assert_eq!(hits("DO182", src), vec![(3, "$APP_HOEM".into()), (4, "${UID:-1000}".into())]);
        assert!(check("DO182", src)[0].message.contains("did you mean `APP_HOME`"));
        // ENV values see the variables defined before the instruction only.
        assert_eq!(hits("DO182", "FROM scratch\nENV A=1 B=$A\n"), vec![(2, "$A".into())]);
        assert_clean("DO182", "FROM scratch\nARG A=1 B=$A\nENV PATH=/x:$PATH\n");
    }

    #[test]
    fn heredocs_onbuild_and_escape() {
        let src = "ARG V=1\nFROM alpine\nCOPY <<EOF /etc/conf\nversion=$V\nEOF\nCOPY <<'EOF' /x\n$V\nEOF\nRUN <<EOF\necho $V\nEOF\n";
        assert_eq!(hits("DO182", src), vec![(4, "$V".into())]);
        assert_clean("DO182", "ARG V=1\nFROM alpine\nONBUILD COPY $V /x\nCMD echo $V\n");
        let src = "# escape=`\nARG V=1\nFROM alpine\nWORKDIR `\n  /x/$V\n";
        assert_eq!(hits("DO182", src), vec![(5, "$V".into())]);
    }

    #[test]
    fn quiet_when_defined_or_unknowable() {
        let src = "ARG V=1\nFROM alpine\nARG V\nCOPY a-$V /b\nENV HOME=/h\nWORKDIR $HOME/$JAVA_HOME\n";
        assert_clean("DO182", src);
        assert_clean("DO182", "FROM scratch\nLABEL scan=$BUILDKIT_SBOM_SCAN_STAGE\n");
        assert_clean("DO182", "FROM scratch AS base\nARG A\nENV B=1\nFROM base\nCOPY $A $B /\n");
    }
}
