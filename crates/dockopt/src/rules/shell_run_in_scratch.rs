//! DO174 shell-run-in-scratch: a shell-form RUN in a stage built on `scratch`, which has no
//! shell.

use crate::lint::scratch::{before, copy_paths, scratch_chain};
use crate::lint::{Category, Context, FixAvailability, Ins, Reporter, RuleMeta, Severity};
use crate::model::Form;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO174",
    name: "shell-run-in-scratch",
    category: Category::Correctness,
    severity: Severity::Error,
    upstream: &["tally:shell-run-in-scratch"],
    summary: "A shell-form RUN needs a shell, which a stage built on `scratch` does not have.",
    docs: r#"## What it does
Finds `RUN` instructions in shell form (also heredoc scripts) in a stage that is `FROM scratch`,
directly or through earlier stages, when nothing before it can have put a shell there: no
`SHELL` instruction, no `COPY`/`ADD` to `/` or to a whole system folder (`/bin`, `/usr`, ...),
and no copied file named like a shell or `busybox`.

## Why is this bad?
Shell form runs `/bin/sh -c "<command>"`, and `scratch` is an empty filesystem. The step fails
with "no such file or directory", usually after `FROM alpine` was changed to `FROM scratch` to
make the image smaller.

## Example
```dockerfile
FROM scratch
COPY --from=build /out/app /app
RUN chmod +x /app
```

## Use instead
Do the work in the build stage and copy the result:
```dockerfile
FROM scratch
COPY --from=build --chmod=755 /out/app /app
```
or run a copied program in exec form: `RUN ["/app", "--self-test"]`.
"#,
    fix: FixAvailability::None,
    default_enabled: true,
};

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        for ins in cx.all("RUN") {
            if ins.model.form != Some(Form::Shell) {
                continue;
            }
            let Some(chain) = ins.model.stage().and_then(|s| scratch_chain(cx, s)) else { continue };
            if before(cx, &chain, ins).into_iter().any(may_bring_a_shell) {
                continue;
            }
            out.report(cx.keyword_range(ins), "shell-form RUN in a stage built on `scratch`, which has no `/bin/sh`");
        }
    }
}

const SHELLS: [&str; 7] = ["sh", "bash", "ash", "dash", "busybox", "zsh", "ksh"];
const SYSTEM: [&str; 7] = ["/", "/bin", "/usr", "/usr/bin", "/sbin", "/usr/sbin", "/usr/local"];

/// A SHELL, or a COPY/ADD that may put a shell into the image: to `/` or a system folder, or
/// of a file named like a shell.
fn may_bring_a_shell(ins: Ins) -> bool {
    if ins.is("SHELL") {
        return true;
    }
    let Some((dest, sources)) = copy_paths(ins) else { return false };
    let folder = |p: &str| {
        let p = p.trim_end_matches(['/', '.']);
        SYSTEM.contains(&if p.is_empty() { "/" } else { p })
    };
    let shell_named = |p: &str| SHELLS.contains(&p.trim_end_matches('/').rsplit('/').next().unwrap_or(p));
    folder(dest) || shell_named(dest) || sources.iter().any(|s| folder(s) || shell_named(s)) || dest.contains('$')
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, hits};

    #[test]
    fn fires_on_shell_form_in_scratch() {
        let src = "FROM scratch\nCOPY --from=build /out/app /app\nRUN chmod +x /app\n";
        assert_eq!(hits("DO174", src), vec![(3, "RUN".into())]);
        let src = "FROM scratch AS base\nENV A=1\nFROM base\nrun <<EOF\necho hi\nEOF\n";
        assert_eq!(hits("DO174", src), vec![(4, "run".into())]);
    }

    #[test]
    fn quiet_when_a_shell_may_be_there() {
        assert_clean("DO174", "FROM scratch\nADD alpine-minirootfs.tar.gz /\nRUN apk add curl\n");
        assert_clean("DO174", "FROM scratch\nCOPY --from=busybox:1 /bin/busybox /bin/busybox\nRUN echo\n");
        assert_clean("DO174", "FROM scratch\nCOPY --from=build /bin /bin\nRUN echo\n");
        assert_clean("DO174", "FROM scratch\nSHELL [\"/busybox\", \"sh\", \"-c\"]\nRUN echo\n");
        assert_clean("DO174", "FROM scratch\nCOPY app /app\nRUN [\"/app\", \"--check\"]\n");
        assert_clean("DO174", "FROM alpine\nRUN echo\nFROM scratch AS x\nCOPY . /\nRUN echo\n");
    }
}
