//! DO370 chmod-after-copy: `COPY file /dest` followed by a RUN that only runs `chmod` on it.

use crate::lint::paths::resolve;
use crate::lint::{Category, Context, Edit, Fix, FixAvailability, Ins, Reporter, RuleMeta, Severity};
use crate::model::Form;
use crate::semantics::provenance::workdir_at;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO370",
    name: "chmod-after-copy",
    category: Category::Size,
    severity: Severity::Info,
    upstream: &["tally:prefer-copy-chmod"],
    summary: "Set the mode with `COPY --chmod` instead of a `RUN chmod` on the copied file, which stores it twice.",
    docs: r#"## What it does
Finds a `COPY` (or `ADD`) of one file, without `--chmod`, directly followed by a `RUN` whose
only command is `chmod` on that file (the copy's destination, with `WORKDIR` applied).

## Why is this bad?
Changing a file's mode in a later layer stores the whole file again in that layer: a 50 MB
binary copied and then made executable costs 100 MB in the image. The extra `RUN` also starts
a container for one system call. `COPY --chmod` sets the mode as the file is written, in one
layer.

## Example
```dockerfile
COPY entrypoint.sh /usr/local/bin/entrypoint.sh
RUN chmod 755 /usr/local/bin/entrypoint.sh
```

## Use instead
```dockerfile
COPY --chmod=755 entrypoint.sh /usr/local/bin/entrypoint.sh
```

## Fix safety
For an octal mode and no `chmod` options, the fix adds `--chmod=<mode>` to the COPY and deletes
the RUN. It is unsafe: `--chmod` needs BuildKit (the legacy builder rejects it for Linux
images). Symbolic modes (`+x`) get no fix, since the final mode depends on the file's mode in
the build context, and `--chmod` accepts symbolic modes only with recent Dockerfile frontends.
"#,
    fix: FixAvailability::Sometimes,
    default_enabled: true,
};

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        for copy in cx.instructions().filter(|i| i.is("COPY") || i.is("ADD")) {
            let Some(dest) = copied_file(cx, copy) else { continue };
            let Some(run) = cx.get(copy.index + 1).filter(|r| r.is("RUN") && r.model.stage() == copy.model.stage())
            else {
                continue;
            };
            let Some((mode, plain)) = lone_chmod(cx, run, &dest) else { continue };
            let octal = mode.len() <= 4 && mode.chars().all(|c| ('0'..='7').contains(&c));
            let instead = if octal { format!("`COPY --chmod={mode}`") } else { "`COPY --chmod=<octal mode>`".to_owned() };
            let message = format!("`chmod {mode}` in its own layer stores `{dest}` a second time; use {instead}");
            let d = out.report(cx.keyword_range(run).start..cx.arguments_range(run).end, message);
            if plain && octal {
                let keyword = cx.keyword_range(copy);
                let rest = &cx.src[run.syntax.range.end..];
                let newline = if rest.starts_with("\r\n") { 2 } else { usize::from(rest.starts_with('\n')) };
                let at_line_start = cx.src[..run.syntax.range.start].ends_with('\n');
                if at_line_start {
                    d.set_fix(Fix::unsafe_(
                        format!("Use `--chmod={mode}` and remove the RUN"),
                        vec![
                            Edit::insert(keyword.end, format!(" --chmod={mode}")),
                            Edit::delete(run.syntax.range.start..run.syntax.range.end + newline),
                        ],
                    ));
                }
            }
        }
    }
}

/// The image path of the one file a COPY/ADD writes, when it copies a single plain source
/// (no `--chmod`, glob, URL, heredoc or variable).
fn copied_file(cx: &Context, ins: Ins) -> Option<String> {
    let m = ins.model;
    if m.flags.iter().any(|f| &*f.name == "chmod") || !m.heredocs().is_empty() {
        return None;
    }
    let [source, dest] = m.arguments.as_ref() else { return None };
    if source.contains(['*', '?', '[', '$']) || source.contains("://") || matches!(source.as_str(), "." | "./") {
        return None;
    }
    let name = source.trim_end_matches('/').rsplit('/').next()?;
    let target = if dest.ends_with('/') { format!("{dest}{name}") } else { dest.clone() };
    resolve(workdir_at(cx, ins).as_deref(), &target)
}

/// The mode of a RUN whose whole script is `chmod [opts] MODE <dest>`, and whether it has no
/// options.
fn lone_chmod(cx: &Context, run: Ins, dest: &str) -> Option<(String, bool)> {
    if run.model.form != Some(Form::Shell) || !run.model.heredocs().is_empty() || !run.mounts().is_empty() {
        return None;
    }
    let [script] = cx.scripts(run) else { return None };
    let [command] = &*script.commands else { return None };
    if !command.is("chmod") || !command.assignments().is_empty() {
        return None;
    }
    let operands: Vec<&str> = command.operands().map(|w| w.text()).collect();
    let [mode, path] = operands.as_slice() else { return None };
    let path = resolve(workdir_at(cx, run).as_deref(), path)?;
    let plain = command.args.len() == 2;
    (path == dest).then(|| ((*mode).to_owned(), plain))
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, fixed, hits};

    #[test]
    fn fires_on_chmod_of_the_copied_file() {
        let src = "FROM a\nCOPY run.sh /run.sh\nRUN chmod +x /run.sh\n";
        assert_eq!(hits("DO370", src), vec![(3, "RUN chmod +x /run.sh".into())]);
        let src = "FROM a\nWORKDIR /app\nCOPY bin/tool ./\nRUN chmod 0755 tool\n";
        assert_eq!(hits("DO370", src).len(), 1);
    }

    #[test]
    fn fix_moves_an_octal_mode_to_copy() {
        let src = "FROM a\nCOPY app /usr/local/bin/app\nRUN chmod 755 /usr/local/bin/app\nCMD [\"app\"]\n";
        assert_eq!(fixed("DO370", src).as_deref(), Some("FROM a\nCOPY --chmod=755 app /usr/local/bin/app\nCMD [\"app\"]\n"));
        assert_eq!(fixed("DO370", "FROM a\nCOPY run.sh /run.sh\nRUN chmod +x /run.sh\n"), None);
    }

    #[test]
    fn quiet_on_other_patterns() {
        assert_clean("DO370", "FROM a\nCOPY run.sh /run.sh\nRUN chmod +x /run.sh && /run.sh\n");
        assert_clean("DO370", "FROM a\nCOPY run.sh /run.sh\nRUN chmod +x /other.sh\n");
        assert_clean("DO370", "FROM a\nCOPY --chmod=755 run.sh /run.sh\nRUN chmod 700 /run.sh\n");
        assert_clean("DO370", "FROM a\nCOPY . /app\nRUN chmod -R 755 /app\n");
        assert_clean("DO370", "FROM a\nCOPY a b /x/\nRUN chmod 755 /x/a\n");
        assert_clean("DO370", "FROM a\nCOPY run.sh /run.sh\nENV A=1\nRUN chmod 755 /run.sh\n");
    }
}
