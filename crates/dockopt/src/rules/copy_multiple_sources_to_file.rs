//! DO140 copy-multiple-sources-to-file: COPY/ADD of several sources to a destination that
//! does not end with `/`.

use crate::lint::{Category, Context, Edit, Fix, FixAvailability, Reporter, RuleMeta, Severity};
use crate::model::Form;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO140",
    name: "copy-multiple-sources-to-file",
    category: Category::Correctness,
    severity: Severity::Error,
    upstream: &["hadolint:DL3021", "trivy:DS-0011"],
    summary: "COPY or ADD with several sources needs a destination folder ending in `/`.",
    docs: r#"## What it does
Finds `COPY` and `ADD` instructions with more than one source whose destination does not end
with `/`. The current folder (`.`) counts as a folder.

## Why is this bad?
The Dockerfile reference requires a folder, written with a trailing slash, when several files
are copied. The classic builder rejects the instruction, and a reader cannot tell whether a
file or a folder was meant.

## Example
```dockerfile
COPY package.json yarn.lock /app
```

## Use instead
```dockerfile
COPY package.json yarn.lock /app/
```

## Fix safety
The fix appends `/` to the destination. It is safe: with several sources the destination
can only be a folder.
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
            let copy = ins.effective();
            if !matches!(copy.keyword.as_ref(), "COPY" | "ADD") || copy.arguments.len() < 3 {
                continue;
            }
            let Some(dest) = copy.arguments.last() else { continue };
            let bare = dest.trim_matches(['"', '\'']);
            if bare.ends_with(['/', '\\']) || matches!(bare, "." | "..") || bare.ends_with("/.") || bare.contains('$')
            {
                continue;
            }
            let Some(word) = cx.word_ranges(ins).pop() else { continue };
            let message = format!("`{bare}` receives several sources; end it with `/` to make it a folder");
            let diagnostic = out.report(word.clone(), message);
            if copy.form == Some(Form::Shell) && cx.text(word.clone()) == dest {
                diagnostic.set_fix(Fix::safe("Append `/` to the destination", vec![Edit::insert(word.end, "/")]));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, check, hits};

    #[test]
    fn fires_on_file_destination() {
        assert_eq!(hits("DO140", "FROM a\nCOPY a b /app\n"), vec![(2, "/app".into())]);
        assert_eq!(hits("DO140", "FROM a\nADD --chown=1 a \\\n  b c\n"), vec![(3, "c".into())]);
        assert_eq!(hits("DO140", "FROM a\nONBUILD COPY a b dest\n"), vec![(2, "dest".into())]);
        assert_eq!(hits("DO140", "# escape=`\nFROM a\nCOPY a `\n  b dest\n"), vec![(4, "dest".into())]);
        assert_eq!(hits("DO140", "FROM a\nCOPY [\"a\", \"b\", \"/x\"]\n"), vec![(2, "\"/x\"]".into())]);
        assert_eq!(hits("DO140", "FROM a\nCOPY <<A <<B /x\na\nA\nb\nB\n"), vec![(2, "/x".into())]);
    }

    #[test]
    fn fix_appends_slash_in_shell_form_only() {
        let d = &check("DO140", "FROM a\nCOPY a b /app\n")[0];
        let fix = d.fix.as_ref().unwrap();
        assert_eq!((fix.edits[0].range.clone(), fix.edits[0].content.as_ref()), (20..20, "/"));
        assert!(check("DO140", "FROM a\nCOPY [\"a\", \"b\", \"/x\"]\n")[0].fix.is_none());
    }

    #[test]
    fn quiet_on_folders_single_sources_and_variables() {
        assert_clean("DO140", "FROM a\nCOPY a b /app/\nCOPY a b .\nCOPY a /app\nCOPY a b $DEST\n");
        assert_clean("DO140", "FROM a\nCOPY [\"a\", \"b\", \"/x/\"]\nADD a b c:\\\\x\\\\\n");
        assert_clean("DO140", "FROM a\nCOPY <<A /x\na\nA\n");
    }
}
