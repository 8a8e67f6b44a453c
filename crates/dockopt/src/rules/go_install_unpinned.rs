//! DO569 go-install-unpinned: `go install`/`go get`/`go run` of a package without a version.

use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};
use crate::shell::Word;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO569",
    name: "go-install-unpinned",
    category: Category::Maintainability,
    severity: Severity::Warning,
    upstream: &["hadolint:DL3062"],
    summary: "Pin Go packages installed in RUN to a version (`pkg@v1.2.3`).",
    docs: r#"## What it does
Finds `go install`, `go get` and `go run` of remote packages that carry no version, or a
floating one (`@latest`, `@upgrade`, `@patch`, `@master`, `@main`, `@HEAD`).

Local packages (`.`, `./...`, absolute paths, `.go` files) are fine. Unlike hadolint, the
values of flags that take one (`-tags netgo`, `-ldflags "-s -w"`, `-o out`) are not taken for
packages, `@none` (which removes a module) is not reported, and a package given only through a
variable (`go install $PKG`) is not judged.

## Why is this bad?
Without a version the build installs whatever is newest that day: rebuilding the same
Dockerfile gives different binaries, and a breaking or compromised release goes in unnoticed.

## Example
```dockerfile
RUN go install golang.org/x/tools/gopls@latest
```

## Use instead
```dockerfile
RUN go install golang.org/x/tools/gopls@v0.16.2
```
"#,
    fix: FixAvailability::None,
    default_enabled: true,
};

/// Build flags whose value may be the next word.
const VALUE_FLAGS: [&str; 20] = [
    "C", "o", "p", "tags", "ldflags", "gcflags", "asmflags", "gccgoflags", "mod", "modfile", "pkgdir", "buildmode",
    "compiler", "exec", "overlay", "pgo", "toolexec", "coverpkg", "covermode", "buildvcs",
];

const FLOATING: [&str; 6] = ["latest", "upgrade", "patch", "master", "main", "HEAD"];

fn local(package: &str) -> bool {
    package == "." || package.starts_with(['.', '/']) || package.ends_with(".go")
}

fn unpinned(word: &Word) -> bool {
    let text = word.text();
    if local(text) {
        return false;
    }
    match text.rsplit_once('@') {
        Some((_, version)) => FLOATING.contains(&version),
        None => word.value().is_some(),
    }
}

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        for (_, command) in cx.commands(None) {
            if !command.is("go") {
                continue;
            }
            let mut words = command.args.iter();
            let Some(sub) = words.by_ref().find(|w| !w.text().starts_with('-')).map(Word::text) else { continue };
            if !matches!(sub, "install" | "get" | "run") {
                continue;
            }
            let mut packages = Vec::new();
            let mut skip_value = false;
            for word in words {
                let text = word.text();
                if skip_value {
                    skip_value = false;
                } else if text == "--" {
                    continue;
                } else if let Some(flag) = text.strip_prefix('-') {
                    let name = flag.trim_start_matches('-');
                    skip_value = !name.contains('=') && VALUE_FLAGS.contains(&name);
                } else {
                    packages.push(word);
                    if sub == "run" {
                        break; // the rest are the program's arguments
                    }
                }
            }
            for package in packages.into_iter().filter(|w| unpinned(w)) {
                let message = format!("`go {sub}` of `{}` without a fixed version; add `@<version>`", package.text());
                out.report(package.range(), message);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, hits};

    #[test]
    fn fires_on_unpinned_packages() {
        let src = "FROM golang\nRUN go install -tags netgo -ldflags \"-s -w\" \\\n  golang.org/x/tools/gopls@latest example.com/a\n";
        assert_eq!(
            hits("DO569", src),
            vec![(3, "golang.org/x/tools/gopls@latest".into()), (3, "example.com/a".into())]
        );
        assert_eq!(hits("DO569", "FROM golang\nRUN go get -u github.com/x/y@upgrade\n").len(), 1);
        assert_eq!(hits("DO569", "FROM golang\nRUN <<EOF\ngo run example.com/cmd/gen ./out\nEOF\n"), vec![(3, "example.com/cmd/gen".into())]);
        assert_eq!(hits("DO569", "FROM golang\nONBUILD RUN go install example.com/x\n").len(), 1);
        assert_eq!(hits("DO569", "# escape=`\nFROM golang\nRUN go install `\n  example.com/x\n").len(), 1);
    }

    #[test]
    fn quiet_on_pinned_local_or_unknown() {
        assert_clean("DO569", "FROM golang\nRUN go install example.com/x@v1.2.3 ./cmd/... . && go get example.com/y@none\n");
        assert_clean("DO569", "FROM golang\nRUN go run main.go example.com/not-a-package && go install $PKG && go build example.com/z\n");
        assert_clean("DO569", "FROM golang\nRUN go install example.com/x@${VERSION} && go get\n");
    }
}
