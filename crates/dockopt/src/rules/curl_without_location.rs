//! DO179 curl-without-location: curl without `-L` on a URL that always answers with a redirect.

use crate::lint::invocation::unwrap;
use crate::lint::{Category, Context, Edit, Fix, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO179",
    name: "curl-without-location",
    category: Category::Correctness,
    severity: Severity::Warning,
    upstream: &["tally:curl-should-follow-redirects"],
    summary: "curl needs `-L` to download from URLs that redirect, such as GitHub release assets.",
    docs: r#"## What it does
Finds `curl` commands without `-L` (`--location`) or `--follow` that download from a URL known
to answer with a redirect: GitHub release assets, source archives and raw files
(`github.com/<owner>/<repo>/releases/download/...`, `.../archive/...`, `.../raw/...`), Go's
downloads (`go.dev/dl/`, `golang.org/dl/`) and Kubernetes' (`dl.k8s.io`).

Other URLs are not reported: most download servers answer directly, and without knowing the
server a missing `-L` is not a mistake.

## Why is this bad?
Without `-L`, curl does not follow the redirect: it saves the short redirect response instead
of the file and, even with `-f`, exits with success because a redirect is not an error. The
build fails later, at `tar` or `sha256sum`, or worse, when the body is piped to a shell.

## Example
```dockerfile
RUN curl -fsS -o /tmp/tool.tgz https://github.com/acme/tool/releases/download/v1.2.0/tool.tgz
```

## Use instead
```dockerfile
RUN curl -fsSL -o /tmp/tool.tgz https://github.com/acme/tool/releases/download/v1.2.0/tool.tgz
```

## Fix safety
The fix inserts `-L` after `curl`. It is unsafe: curl then fetches from whatever host the
redirect names, which the Dockerfile did not say before.
"#,
    fix: FixAvailability::Always,
    default_enabled: true,
};

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        for (_, command) in cx.commands(None) {
            let command = unwrap(command);
            if !command.is("curl") || command.has_option(Some('L'), Some("location")) || command.has_option(None, Some("follow")) {
                continue;
            }
            if command.args.iter().any(|w| w.text() == "--location-trusted") {
                continue;
            }
            let Some(url) = command.operands().find(|w| redirects(w.text())) else { continue };
            let message = format!("`{}` answers with a redirect, which curl does not follow without `-L`", url.text());
            let d = out.report(command.range(), message);
            if let Some(name) = command.name.as_ref().filter(|n| cx.text(n.range()).ends_with("curl")) {
                d.set_fix(Fix::unsafe_("Add `-L`", vec![Edit::insert(name.range().end, " -L")]));
            }
        }
    }
}

/// A URL whose server is known to answer with a redirect to the file.
fn redirects(url: &str) -> bool {
    let Some(rest) = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://")) else { return false };
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    match host {
        "github.com" | "www.github.com" => {
            let parts: Vec<&str> = path.split('/').collect();
            parts.len() > 3
                && (matches!(parts[2], "archive" | "raw")
                    || (parts[2] == "releases" && (parts[3] == "download" || (parts[3] == "latest" && parts.get(4) == Some(&"download")))))
        }
        "go.dev" | "golang.org" => path.starts_with("dl/") && path.len() > 3,
        "dl.k8s.io" => !path.is_empty(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, fixed, hits};

    #[test]
    fn fires_on_redirecting_urls() {
        let src = "FROM a\nRUN curl -fsS -o t.tgz https://github.com/o/r/releases/download/v1/t.tgz\n";
        assert_eq!(hits("DO179", src).len(), 1);
        assert_eq!(
            fixed("DO179", src).as_deref(),
            Some("FROM a\nRUN curl -L -fsS -o t.tgz https://github.com/o/r/releases/download/v1/t.tgz\n")
        );
        assert_eq!(hits("DO179", "FROM a\nRUN curl -o go.tgz https://go.dev/dl/go1.22.0.linux-amd64.tar.gz\n").len(), 1);
        assert_eq!(hits("DO179", "FROM a\nRUN curl -sO https://dl.k8s.io/release/v1.30.0/bin/linux/amd64/kubectl\n").len(), 1);
        assert_eq!(hits("DO179", "FROM a\nRUN curl -s https://github.com/o/r/archive/refs/tags/v1.tar.gz | tar xz\n").len(), 1);
        assert_eq!(hits("DO179", "FROM a\nRUN curl -s https://github.com/o/r/releases/latest/download/x\n").len(), 1);
    }

    #[test]
    fn quiet_with_location_or_other_urls() {
        assert_clean("DO179", "FROM a\nRUN curl -fsSL https://github.com/o/r/releases/download/v1/t.tgz\n");
        assert_clean("DO179", "FROM a\nRUN curl --location https://go.dev/dl/go.tgz && curl --follow https://dl.k8s.io/x\n");
        assert_clean("DO179", "FROM a\nRUN curl -sS https://getcomposer.org/installer | php\n");
        assert_clean("DO179", "FROM a\nRUN curl -s https://raw.githubusercontent.com/o/r/main/x.sh\n");
        assert_clean("DO179", "FROM a\nRUN curl -s https://github.com/o/r/releases\nRUN curl -s https://api.github.com/repos/o/r/releases/latest\n");
    }
}
