//! DO132 exec-form-command-in-one-string: `CMD ["npm start"]`, a whole command line as the
//! program name.

use crate::lint::exec::{argv, element_range, entrypoint_for};
use crate::lint::{Category, Context, Edit, Fix, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO132",
    name: "exec-form-command-in-one-string",
    category: Category::Correctness,
    severity: Severity::Error,
    upstream: &[],
    summary: "In the JSON form, the program and each argument must be separate strings.",
    docs: r#"## What it does
Finds JSON-form `RUN`, `CMD`, `ENTRYPOINT` and `HEALTHCHECK CMD` whose first element holds
blanks, such as `CMD ["npm start"]` or `ENTRYPOINT ["python app.py", "--debug"]`. A `CMD`
that goes to an ENTRYPOINT is not reported: its first element is an argument, not a program.

## Why is this bad?
The JSON form runs no shell, so nothing splits the string into words: the runtime looks for
a program literally named `npm start` and the container (or build step) fails with
"executable file not found". The build itself often succeeds, so the mistake shows only when
the container starts.

## Example
```dockerfile
CMD ["npm start"]
```

## Use instead
```dockerfile
CMD ["npm", "start"]
```

## Fix safety
When the list has this one element and it is made of plain words (letters, digits and
`-_./:=,@%+`), the fix splits it into one string per word. It is unsafe because it changes
what runs: a command that could not start will start.
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
            let Some(argv) = argv(ins) else { continue };
            let Some(program) = argv.first() else { continue };
            let trimmed = program.trim();
            if !trimmed.contains(char::is_whitespace) || (ins.is("CMD") && entrypoint_for(cx, ins).is_some()) {
                continue;
            }
            let range = element_range(cx, ins, program);
            let exact = cx.text(range.clone()) == format!("\"{program}\"");
            let d = out.report(
                range.clone(),
                format!("no program is named `{trimmed}`: the JSON form does not split words; write one string per word"),
            );
            let plain = |w: &str| w.chars().all(|c| c.is_ascii_alphanumeric() || "-_./:=,@%+".contains(c));
            let words: Vec<&str> = trimmed.split_ascii_whitespace().collect();
            if exact && argv.len() == 1 && words.iter().all(|w| plain(w)) {
                let split = words.iter().map(|w| format!("\"{w}\"")).collect::<Vec<_>>().join(", ");
                d.set_fix(Fix::unsafe_("Write one string per word", vec![Edit::replace(range, split)]));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, fixed, hits};

    #[test]
    fn fires_on_a_command_line_in_one_string() {
        assert_eq!(hits("DO132", "FROM a\nCMD [\"npm start\"]\n"), vec![(2, "\"npm start\"".into())]);
        assert_eq!(hits("DO132", "FROM a\nENTRYPOINT [\"python app.py\", \"--debug\"]\n").len(), 1);
        assert_eq!(hits("DO132", "FROM a\nHEALTHCHECK CMD [\"curl -f http://x/\"]\n").len(), 1);
        assert_eq!(hits("DO132", "FROM a\nRUN [\"/bin/sh -c\", \"make\"]\n").len(), 1);
    }

    #[test]
    fn quiet_on_split_lists_and_cmd_arguments() {
        assert_clean("DO132", "FROM a\nCMD [\"npm\", \"start\"]\nRUN [\"sh\", \"-c\", \"a b\"]\n");
        assert_clean("DO132", "FROM a\nENTRYPOINT [\"/entry.sh\"]\nCMD [\"run server\"]\n");
        assert_clean("DO132", "FROM a\nCMD npm start\n");
    }

    #[test]
    fn fix_splits_plain_words() {
        assert_eq!(fixed("DO132", "FROM a\nCMD [\"npm run start\"]\n").as_deref(), Some("FROM a\nCMD [\"npm\", \"run\", \"start\"]\n"));
        assert_eq!(fixed("DO132", "FROM a\nCMD [\"npm start\", \"x\"]\n"), None);
        assert_eq!(fixed("DO132", "FROM a\nCMD [\"echo $HOME\"]\n"), None);
    }
}
