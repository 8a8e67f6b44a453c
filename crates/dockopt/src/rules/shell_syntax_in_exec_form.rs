//! DO131 shell-syntax-in-exec-form: `&&`, pipes, redirections or `$VAR` in a JSON command.

use crate::lint::exec::{argv, element_range, entrypoint_for, runs_shell_script};
use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO131",
    name: "shell-syntax-in-exec-form",
    category: Category::Correctness,
    severity: Severity::Warning,
    upstream: &[],
    summary: "Exec-form commands run no shell: operators and `$VARIABLES` in them stay plain text.",
    docs: r#"## What it does
Looks at the JSON (exec) form of `RUN`, `CMD`, `ENTRYPOINT` and `HEALTHCHECK CMD` and finds
elements that only a shell understands: an operator on its own (`&&`, `||`, `|`, `;`, `&`,
`>`, `>>`, `<`, `2>&1`) or a variable reference (`$PORT`, `${HOME}`).

Lists that hand a script to a shell (`["sh", "-c", "..."]`, also after a wrapper such as
`tini --`) are not reported, nor is a `CMD` whose ENTRYPOINT is such a shell (the CMD then
becomes the script). Variables are not reported in a `CMD` that goes to an ENTRYPOINT, which
may expand them itself.

## Why is this bad?
The exec form starts the program directly, without `/bin/sh`. Nothing expands `$PORT`, and
`&&` or `>` reach the program as plain arguments: `["npm", "ci", "&&", "npm", "run", "build"]`
runs `npm ci` with four extra arguments, `["app", "--port", "$PORT"]` gets the text `$PORT`,
and a health check `["curl", "-f", "http://localhost/", "||", "exit", "1"]` hands `||`, `exit`
and `1` to curl as more URLs. The build or the container then fails in ways that are hard to
trace back to the Dockerfile.

## Example
```dockerfile
CMD ["gunicorn", "--bind", "0.0.0.0:$PORT", "app:app"]
HEALTHCHECK CMD ["curl", "-f", "http://localhost/", "||", "exit", "1"]
```

## Use instead
```dockerfile
CMD ["sh", "-c", "exec gunicorn --bind 0.0.0.0:$PORT app:app"]
HEALTHCHECK CMD curl -f http://localhost/ || exit 1
```
"#,
    fix: FixAvailability::None,
    default_enabled: true,
};

const OPERATORS: [&str; 13] = ["&&", "||", "|", ";", "&", ">", ">>", "<", "2>&1", "2>", "1>", ">/dev/null", "2>/dev/null"];

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        static VARIABLE: std::sync::LazyLock<regex::Regex> =
            std::sync::LazyLock::new(|| regex::Regex::new(r"\$(\{[A-Za-z_][A-Za-z0-9_]*|[A-Za-z_][A-Za-z0-9_]*)").expect("valid pattern"));
        for ins in cx.instructions() {
            let Some(list) = argv(ins) else { continue };
            if list.is_empty() || runs_shell_script(list) {
                continue;
            }
            let entrypoint = ins.is("CMD").then(|| entrypoint_for(cx, ins)).flatten();
            if entrypoint.and_then(argv).is_some_and(runs_shell_script_prefix) {
                continue;
            }
            let keyword = ins.effective().keyword.as_ref();
            let operator = list.iter().find(|a| OPERATORS.contains(&a.as_str()));
            let variable = list.iter().find(|a| VARIABLE.is_match(a)).filter(|_| entrypoint.is_none());
            if let Some(op) = operator {
                out.report(
                    element_range(cx, ins, op),
                    format!("`{op}` reaches the program as a plain argument: the JSON form of {keyword} runs no shell"),
                );
            } else if let Some(var) = variable {
                let name = VARIABLE.find(var).map_or(var.as_str(), |m| m.as_str());
                out.report(
                    element_range(cx, ins, var),
                    format!("`{name}` is not expanded: the JSON form of {keyword} runs no shell"),
                );
            }
        }
    }
}

/// An ENTRYPOINT that ends in `sh -c`: the CMD is its script.
fn runs_shell_script_prefix(argv: &[String]) -> bool {
    let mut with_script = argv.to_vec();
    with_script.push(String::new());
    runs_shell_script(&with_script) && argv.last().is_some_and(|a| a.starts_with('-'))
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, hits};

    #[test]
    fn fires_on_operators_and_variables() {
        let src = "FROM a\nRUN [\"npm\", \"ci\", \"&&\", \"npm\", \"run\", \"build\"]\n";
        assert_eq!(hits("DO131", src), vec![(2, "\"&&\"".into())]);
        let health = "FROM a\nHEALTHCHECK CMD [\"curl\", \"-f\", \"http://localhost/\", \"||\", \"exit\", \"1\"]\n";
        assert_eq!(hits("DO131", health), vec![(2, "\"||\"".into())]);
        let var = "FROM a\nCMD [\"gunicorn\", \"--bind\", \"0.0.0.0:${PORT}\"]\n";
        assert_eq!(hits("DO131", var), vec![(2, "\"0.0.0.0:${PORT}\"".into())]);
        assert_eq!(hits("DO131", "FROM a\nENTRYPOINT [\"java\", \"-jar\", \"$JAR\"]\n").len(), 1);
        assert_eq!(hits("DO131", "FROM a\nONBUILD RUN [\"make\", \">\", \"log\"]\n").len(), 1);
    }

    #[test]
    fn quiet_when_a_shell_reads_it() {
        assert_clean("DO131", "FROM a\nCMD [\"sh\", \"-c\", \"exec app --port $PORT && x\"]\n");
        assert_clean("DO131", "FROM a\nENTRYPOINT [\"tini\", \"--\", \"/bin/bash\", \"-lc\", \"$X\"]\n");
        assert_clean("DO131", "FROM a\nENTRYPOINT [\"/bin/sh\", \"-c\"]\nCMD [\"echo $HOME && ls\"]\n");
        assert_clean("DO131", "FROM a\nENTRYPOINT [\"/entry.sh\"]\nCMD [\"--port\", \"$PORT\"]\n");
        assert_clean("DO131", "FROM a\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\nRUN [\"echo\", \"$$\", \"a|b\"]\n");
        assert_clean("DO131", "FROM a\nCMD app && x\nHEALTHCHECK CMD curl -f x || exit 1\n");
    }
}
