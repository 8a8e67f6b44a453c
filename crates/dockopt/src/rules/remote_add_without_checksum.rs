//! DO297 remote-add-without-checksum: `ADD https://...` with nothing to check the download.

use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO297",
    name: "remote-add-without-checksum",
    category: Category::Security,
    severity: Severity::Warning,
    upstream: &[],
    summary: "ADD of a remote URL should pin the file with --checksum.",
    docs: r#"## What it does
Finds `ADD` instructions that download an `http://` or `https://` URL without
`--checksum=sha256:...`. Git sources (`https://host/repo.git#ref`, `https://host/repo.git?ref=v1`, `git@host:repo`) are left
alone: pin those to a commit instead.

## Why is this bad?
Whatever the server returns goes into the image: a re-tagged release, a compromised mirror or
a hijacked domain changes the image without any change to the Dockerfile. With `--checksum`
the build fails instead of shipping a file nobody reviewed.

## Example
```dockerfile
ADD https://example.com/tool-1.2.3.tar.gz /tmp/
```

## Use instead
```dockerfile
ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d \
    https://example.com/tool-1.2.3.tar.gz /tmp/
```
(`--checksum` needs the Dockerfile 1.6 syntax or later.)
"#,
    fix: FixAvailability::None,
    default_enabled: true,
};

fn is_git(url: &str) -> bool {
    let path = url.split(['#', '?']).next().unwrap_or(url);
    url.starts_with("git@") || path.ends_with(".git") || path.ends_with(".git/")
}

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        for ins in cx.instructions().filter(|i| i.effective().keyword == "ADD") {
            if ins.flag("checksum").is_some() {
                continue;
            }
            let arguments = &ins.effective().arguments;
            let Some((_, sources)) = arguments.split_last() else { continue };
            let args = cx.arguments_range(ins);
            let text = cx.text(args.clone());
            let mut from = 0;
            for url in sources {
                let lower = url.to_ascii_lowercase();
                if !(lower.starts_with("http://") || lower.starts_with("https://")) || is_git(url) {
                    continue;
                }
                let range = match text[from..].find(url.as_str()) {
                    Some(at) => {
                        from += at + url.len();
                        args.start + from - url.len()..args.start + from
                    }
                    None => args.clone(),
                };
                out.report(range, "remote file is added without `--checksum`; pin its sha256");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, hits};

    #[test]
    fn fires_on_unpinned_urls() {
        assert_eq!(
            hits("DO297", "FROM a\nADD https://x/t.tgz /tmp/\n"),
            vec![(2, "https://x/t.tgz".into())]
        );
        assert_eq!(
            hits("DO297", "FROM a\nADD [\"http://x/a\", \"/a\"]\nADD --chown=1 HTTPS://x/b \\\n  https://x/c /d/\n"),
            vec![(2, "http://x/a".into()), (3, "HTTPS://x/b".into()), (4, "https://x/c".into())]
        );
        assert_eq!(hits("DO297", "FROM a\nONBUILD ADD https://x/t /t\n").len(), 1);
        assert_eq!(hits("DO297", "# escape=`\nFROM a\nADD `\n  https://x/t /t\n"), vec![(4, "https://x/t".into())]);
    }

    #[test]
    fn quiet_with_checksum_git_or_local() {
        assert_clean("DO297", "FROM a\nADD --checksum=sha256:abc https://x/t /t\n");
        assert_clean("DO297", "FROM a\nADD https://github.com/o/r.git#v1 /src\nADD git@github.com:o/r /r\n");
        assert_clean("DO297", "FROM a\nADD https://github.com/o/r.git?ref=v1&keep-git-dir=1 /src\n");
        assert_clean("DO297", "FROM a\nADD app.tgz /app/\nCOPY https-notes.txt /n\nADD <<EOF /x\nhttps://x\nEOF\n");
    }
}
