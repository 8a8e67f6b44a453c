//! DO101 shell-form-command: CMD and ENTRYPOINT in shell form.

use crate::lint::invocation::stage_chain;
use crate::lint::{Category, Context, Edit, Fix, FixAvailability, Reporter, RuleMeta, Severity};
use crate::model::Form;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO101",
    name: "shell-form-command",
    category: Category::Correctness,
    severity: Severity::Warning,
    upstream: &["hadolint:DL3025", "buildkit:JSONArgsRecommended"],
    summary: "CMD and ENTRYPOINT should use the JSON (exec) form.",
    docs: r#"## What it does
Finds `CMD` and `ENTRYPOINT` written as a plain command line (shell form). Broken JSON such as
`CMD ['python', 'main.py']`, which BuildKit also reads as shell form, is left to DO172.

## Why is this bad?
In shell form the command runs as a child of `/bin/sh -c`, so the shell is PID 1 and
`docker stop`'s SIGTERM never reaches the application: it is killed after the timeout instead
of shutting down cleanly. An ENTRYPOINT in shell form also ignores the arguments of
`docker run` and CMD.

## Example
```dockerfile
CMD python main.py
```

## Use instead
```dockerfile
CMD ["python", "main.py"]
```

## Fix safety
The fix rewrites simple command lines (words without quotes, variables or shell operators) to
the JSON form. It is unsafe: the command no longer runs through a shell, so anything that
relied on the shell environment changes. There is no fix when the first word is a shell
builtin (`exec`, `cd`, ...) or an assignment, for an ENTRYPOINT when a CMD of the stage (or of a
stage built on it) would become its arguments, nor for a CMD that an ENTRYPOINT receives.
"#,
    fix: FixAvailability::Sometimes,
    default_enabled: true,
};

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        for ins in cx.instructions().filter(|i| i.is("CMD") || i.is("ENTRYPOINT")) {
            if ins.model.form != Some(Form::Shell) || ins.model.arguments.is_empty() {
                continue;
            }
            let range = cx.arguments_range(ins);
            if super::invalid_json_form::looks_like_json(cx.text(range.clone())) {
                // Meant as JSON but broken: DO172 says so more precisely.
                continue;
            }
            let message = format!("{} uses the shell form; use the JSON form so signals reach the process", ins.keyword());
            let diagnostic = out.report(range.clone(), message);
            if same_process(cx, ins)
                && let Some(json) = exec_form(cx.text(range.clone()))
            {
                diagnostic.set_fix(Fix::unsafe_("Use the JSON form", vec![Edit::replace(range, json)]));
            }
        }
    }
}

/// Whether the JSON form would start the same process: an ENTRYPOINT in JSON form gets the
/// CMD appended as arguments (the shell form ignores it), and a CMD in shell form reaches an
/// ENTRYPOINT as `/bin/sh -c "..."`, in JSON form as the bare words.
fn same_process(cx: &Context, ins: crate::lint::Ins) -> bool {
    let Some(stage) = ins.model.stage() else { return false };
    let in_chain = |other: usize, of: usize| stage_chain(cx, of).contains(&other);
    cx.instructions().all(|other| {
        let Some(other_stage) = other.model.stage() else { return true };
        if ins.is("ENTRYPOINT") {
            // A CMD of this stage or of a stage built on it would become arguments.
            !(other.is("CMD") && in_chain(stage, other_stage))
        } else {
            // An ENTRYPOINT of this stage or one it is built on receives the CMD.
            !(other.is("ENTRYPOINT") && in_chain(other_stage, stage))
        }
    })
}

/// Shell words that are not programs: the JSON form cannot run them.
const SHELL_ONLY: [&str; 12] = ["exec", "cd", "source", ".", "export", "set", "eval", "trap", "ulimit", "umask", "command", "exit"];

/// `python main.py` -> `["python", "main.py"]` when every word is plain and the first one is
/// a program (not a shell builtin or a `NAME=value` assignment).
fn exec_form(command: &str) -> Option<String> {
    let plain = |w: &str| w.chars().all(|c| c.is_ascii_alphanumeric() || "-_./:=,@%+".contains(c));
    let words: Vec<&str> = command.split_ascii_whitespace().collect();
    if words.is_empty() || !words.iter().all(|w| plain(w)) {
        return None;
    }
    if SHELL_ONLY.contains(&words[0]) || words[0].contains('=') {
        return None;
    }
    Some(format!("[{}]", words.iter().map(|w| format!("\"{w}\"")).collect::<Vec<_>>().join(", ")))
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, check, hits};

    #[test]
    fn fires_on_shell_form() {
        assert_eq!(hits("DO101", "FROM a\nCMD python main.py\n"), vec![(2, "python main.py".into())]);
        assert_eq!(hits("DO101", "FROM a\nentrypoint ./run \\\n  --x\n").len(), 1);
        assert_eq!(hits("DO101", "FROM a\nONBUILD CMD echo hi\n").len(), 0, "ONBUILD is judged when it runs");
    }

    #[test]
    fn quiet_on_exec_form() {
        assert_clean("DO101", "FROM a\nCMD [\"python\", \"main.py\"]\nENTRYPOINT [\"x\"]\n");
        assert_clean("DO101", "FROM a\nCMD\n");
        assert_clean("DO101", "FROM a\nCMD ['python', 'main.py']\n");
    }

    #[test]
    fn fix_converts_simple_commands_only() {
        let d = &check("DO101", "FROM a\nCMD python -m app --port=8000\n")[0];
        assert_eq!(d.fix.as_ref().unwrap().edits[0].content, r#"["python", "-m", "app", "--port=8000"]"#);
        assert!(check("DO101", "FROM a\nCMD echo $HOME && x\n")[0].fix.is_none());
        assert!(check("DO101", "FROM a\nCMD exec python app.py\n")[0].fix.is_none(), "a builtin");
        assert!(check("DO101", "FROM a\nCMD DEBUG=1 python app.py\n")[0].fix.is_none(), "an assignment");
    }

    #[test]
    fn no_fix_where_cmd_and_entrypoint_meet() {
        // The CMD would become the JSON-form ENTRYPOINT's arguments.
        assert!(check("DO101", "FROM a\nENTRYPOINT python app.py\nCMD [\"--debug\"]\n")[0].fix.is_none());
        assert!(check("DO101", "FROM a AS base\nENTRYPOINT python app.py\nFROM base\nCMD [\"x\"]\n")[0].fix.is_none());
        // The ENTRYPOINT would receive the bare words instead of `/bin/sh -c`.
        assert!(check("DO101", "FROM a\nENTRYPOINT [\"tini\", \"--\"]\nCMD python app.py\n")[0].fix.is_none());
        assert!(check("DO101", "FROM a\nENTRYPOINT python app.py\n")[0].fix.is_some());
    }

    #[test]
    fn selectable_by_upstream_names_and_suppressed_by_pragmas() {
        use crate::lint::{LintOptions, lint};
        let src = "FROM a\n# hadolint ignore=DL3025\nCMD a b\nCMD c d\n";
        let opts = LintOptions { select: vec!["JSONArgsRecommended".into()], ..Default::default() };
        assert_eq!(lint(&crate::parse(src), &opts).len(), 1);
        let src = "# check=skip=JSONArgsRecommended\nFROM a\nCMD a b\n";
        assert!(lint(&crate::parse(src), &opts).is_empty());
        let src = "# check=error=true\nFROM a\nCMD a b\n";
        assert_eq!(lint(&crate::parse(src), &opts)[0].severity, crate::lint::Severity::Error);
    }
}
