//! DO133 curl-without-fail: curl saving or piping a download without `--fail`.

use crate::lint::invocation::unwrap;
use crate::lint::{Category, Context, Edit, Fix, FixAvailability, Reporter, RuleMeta, Severity};
use crate::shell::Command;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO133",
    name: "curl-without-fail",
    category: Category::Correctness,
    severity: Severity::Warning,
    upstream: &[],
    summary: "curl should use `--fail` when its download is saved or piped on.",
    docs: r#"## What it does
Finds `curl` commands in `RUN` instructions without `-f` / `--fail` / `--fail-with-body`
that either save the response (`-o`, `-O`, `--output`, `--remote-name`, or a `>`
redirection) or pipe it into a program that runs or stores it unchecked: a shell, `python`,
`php`, `perl`, `ruby`, `node`, `tee`.

Downloads piped into `tar`, `gpg` or `apt-key` are not reported, nor saved files in a RUN that
checks a checksum or signature, unpacks an archive or installs a package (`tar`, `unzip`,
`dpkg`, `rpm`, `apt-get` ...): an error page makes those steps fail anyway.

## Why is this bad?
Without `--fail`, curl exits with success on HTTP errors: a 404 or 500 page is saved as the
file, or handed to `tar`, `sh` or `gpg`, and the build goes on. The failure then shows up
later and elsewhere: a corrupt archive, a script that runs an HTML page, a binary that will
not start, or, with a missing checksum check, an image that ships the error page.

## Example
```dockerfile
RUN curl -sSL -o /usr/local/bin/tool https://example.com/tool-1.2.3 && chmod +x /usr/local/bin/tool
```

## Use instead
```dockerfile
RUN curl -fsSL -o /usr/local/bin/tool https://example.com/tool-1.2.3 && chmod +x /usr/local/bin/tool
```

## Fix safety
The fix adds `-f` right after `curl`. It is unsafe: the build now stops where it used to go
on with an error page, which is the point, but changes what the build does.
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
            for (script, command) in cx.scripts(ins).iter().flat_map(|s| s.commands.iter().map(move |c| (s, c))) {
                let inner = unwrap(command);
                if !inner.is("curl") || fails(&inner) {
                    continue;
                }
                // The next command of its pipeline, when it runs what it reads.
                let piped = command.pipeline().is_some()
                    && script.commands.iter().any(|c| {
                        c.pipeline() == command.pipeline()
                            && c.pipeline_position == command.pipeline_position + 1
                            && runs_input(&unwrap(c))
                    });
                let saved = (saves(&inner) || redirected(cx.src, command)) && !verifies(cx, ins);
                if !piped && !saved {
                    continue;
                }
                let how = if saved { "saves" } else { "pipes on" };
                let d = out.report(
                    command.range(),
                    format!("curl {how} an HTTP error page as if it were the download; add `-f` (`--fail`)"),
                );
                d.set_fix(inner.name.as_ref().filter(|n| !n.range().is_empty() && cx.src.get(n.range()) == Some(n.raw())).map(|n| {
                    Fix::unsafe_("Add `-f`", vec![Edit::insert(n.range().end, " -f")])
                }));
            }
        }
    }
}

/// A command that runs or stores what it reads without checking it: a shell or interpreter
/// (`| sh`, `| php`, `| python3 -`), or `tee`.
fn runs_input(command: &Command) -> bool {
    let Some(program) = command.program() else { return false };
    let interpreter = ["python", "php", "perl", "ruby", "node"]
        .iter()
        .any(|p| program.strip_prefix(p).is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.')));
    interpreter || matches!(program, "sh" | "bash" | "ash" | "dash" | "zsh" | "ksh" | "tee")
}

/// Whether the RUN checks or unpacks what it downloaded: a checksum tool, a signature check, an
/// archive tool or a package installer, which all fail on an error page.
fn verifies(cx: &Context, ins: crate::lint::Ins) -> bool {
    const CHECKING: [&str; 19] = [
        "sha1sum", "sha256sum", "sha512sum", "md5sum", "shasum", "b2sum", "gpgv", "tar", "bsdtar", "unzip", "gunzip",
        "bunzip2", "xz", "7z", "dpkg", "rpm", "gdebi", "apt-get", "apt",
    ];
    cx.scripts(ins).iter().flat_map(|s| &s.commands).any(|c| {
        let c = unwrap(c);
        c.program().is_some_and(|p| CHECKING.contains(&p))
            || (matches!(c.program(), Some("gpg" | "gpg2" | "cosign" | "minisign")) && c.args.iter().any(|w| w.text().contains("verify") || w.text() == "-V"))
    })
}

/// `-f` (alone or among short options), `--fail`, `--fail-with-body`.
fn fails(command: &Command) -> bool {
    command.has_option(Some('f'), Some("fail")) || command.has_option(None, Some("fail-with-body"))
}

/// `-o file`, `-O`, `--output`, `--remote-name(-all)`, `-J`.
fn saves(command: &Command) -> bool {
    command.has_option(Some('o'), Some("output"))
        || command.has_option(Some('O'), Some("remote-name"))
        || command.has_option(None, Some("remote-name-all"))
        || command.has_option(None, Some("output-dir"))
}

/// A `>` or `>>` redirection of the command's output right after it (`curl ... > file`).
fn redirected(src: &str, command: &Command) -> bool {
    let rest = src.get(command.range().end..).unwrap_or("");
    let rest = rest.trim_start_matches([' ', '\t']);
    (rest.starts_with('>') || rest.starts_with("1>")) && !rest.starts_with(">&")
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, fixed, hits};

    #[test]
    fn fires_on_saved_or_piped_downloads() {
        let src = "FROM a\nRUN curl -sSL -o /x https://e/x && chmod +x /x\n";
        assert_eq!(hits("DO133", "FROM a\nRUN curl -sSL -o /x.tgz https://e/x.tgz && tar -xzf /x.tgz\n").len(), 0);
        assert_eq!(hits("DO133", src), vec![(2, "curl -sSL -o /x https://e/x".into())]);
        assert_eq!(hits("DO133", "FROM a\nRUN curl -sL https://e/setup | bash -\n").len(), 1);
        assert_eq!(hits("DO133", "FROM a\nRUN curl -sS https://e/installer | php -- --filename=composer\n").len(), 1);
        assert_eq!(hits("DO133", "FROM a\nRUN curl -O https://e/x.tgz\n").len(), 1);
        assert_eq!(hits("DO133", "FROM a\nRUN curl https://e/x > /x\n").len(), 1);
        assert_eq!(hits("DO133", "FROM a\nRUN <<EOF\ncurl -L --output x https://e/x\nEOF\n").len(), 1);
    }

    #[test]
    fn quiet_with_fail_or_nowhere_to_go() {
        assert_clean("DO133", "FROM a\nRUN curl -fsSL https://e/x | sh\nRUN curl --fail -o x https://e/x\n");
        assert_clean("DO133", "FROM a\nRUN curl -sSLf -o x https://e/x && curl --fail-with-body -O https://e/y\n");
        assert_clean("DO133", "FROM a\nRUN curl -X POST https://e/hook\nRUN echo x | curl -T - https://e/\n");
        assert_clean("DO133", "FROM a\nRUN curl -s https://e/x 2>&1\n");
        assert_clean("DO133", "FROM a\nRUN curl -sL https://e/x.tgz | tar -xz\n");
        assert_clean("DO133", "FROM a\nRUN curl -sSL -o x.tgz https://e/x.tgz && echo \"$SUM x.tgz\" | sha256sum -c -\n");
        assert_clean("DO133", "FROM a\nRUN curl -sSLO https://e/x.tgz https://e/x.tgz.asc && gpg --batch --verify x.tgz.asc\n");
    }

    #[test]
    fn fix_adds_fail() {
        assert_eq!(fixed("DO133", "FROM a\nRUN curl -sL https://e | sh\n").as_deref(), Some("FROM a\nRUN curl -f -sL https://e | sh\n"));
        assert_eq!(fixed("DO133", "FROM a\nRUN [\"sh\", \"-c\", \"curl -o x https://e\"]\n"), None);
    }
}
