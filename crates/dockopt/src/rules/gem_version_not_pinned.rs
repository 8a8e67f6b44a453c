//! DO541 gem-version-not-pinned: `gem install` without versions.

use crate::lint::install::{commands, operands, unjudgeable};
use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO541",
    name: "gem-version-not-pinned",
    category: Category::Maintainability,
    severity: Severity::Warning,
    upstream: &["hadolint:DL3028"],
    summary: "Gems installed with `gem install` should name a version.",
    docs: r#"## What it does
Finds gems in `gem install` (`gem i`) without a version (`rails` instead of `rails:7.1.3`),
unless the command gives one with `-v` / `--version`. Local `.gem` files carry their version;
arguments with variables are not judged. Values of options such as `--install-dir DIR` or
`--source URL` are not taken for gems (hadolint drops the word after every option, so it
misses `rails` in `gem install -N rails`).

## Why is this bad?
Without a version each build installs the newest release of the day, so two builds of the
same Dockerfile can differ and break for reasons unrelated to any change.

## Example
```dockerfile
RUN gem install bundler
```

## Use instead
```dockerfile
RUN gem install bundler:2.5.6
```
"#,
    fix: FixAvailability::None,
    default_enabled: true,
};

/// `gem install` options that take the next word as value.
const VALUE_OPTIONS: [&str; 14] = [
    "-v",
    "--version",
    "-i",
    "--install-dir",
    "-n",
    "--bindir",
    "-s",
    "--source",
    "--platform",
    "-g",
    "--file",
    "--build-root",
    "-P",
    "--trust-policy",
];

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        for ins in cx.instructions() {
            for cmd in commands(cx, ins).into_iter().filter(|c| c.is("gem")) {
                let ops = operands(cmd, &VALUE_OPTIONS);
                let [sub, gems @ ..] = ops.as_slice() else { continue };
                if !matches!(sub.text(), "install" | "i") || cmd.has_option(Some('v'), Some("version")) {
                    continue;
                }
                // After `--` come the options of the gems' native build, not gems.
                let build_options = cmd.args.iter().find(|w| w.raw() == "--").map_or(usize::MAX, |w| w.range().start);
                for word in gems.iter().filter(|w| w.range().start < build_options && !unjudgeable(w)) {
                    let name = word.text();
                    if !name.contains(':') && !name.ends_with(".gem") {
                        out.report(word.range(), format!("`{name}` has no version; write `{name}:<version>`"));
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, hits};

    #[test]
    fn fires_on_unversioned_gems() {
        let src = "FROM ruby\nRUN gem install -N --install-dir /g rails:7.1 \\\n    bundler\n";
        assert_eq!(hits("DO541", src), vec![(3, "bundler".into())]);
        assert_eq!(hits("DO541", "FROM r\nRUN <<EOF\ngem i rake\nEOF\n"), vec![(3, "rake".into())]);
        assert_eq!(hits("DO541", "FROM r\nONBUILD RUN gem install x\n").len(), 1);
        assert_eq!(hits("DO541", "# escape=`\nFROM r\nRUN gem install `\n  x\n"), vec![(4, "x".into())]);
    }

    #[test]
    fn quiet_on_versions() {
        assert_clean("DO541", "FROM r\nRUN gem install a:1 ./b-1.0.gem $G && gem install c -v 2.0 && gem install --version=3 d\n");
        assert_clean("DO541", "FROM r\nRUN gem update --system && gem list && bundle install\n");
        // hadolint's cases: options after `--` go to the native build.
        assert_clean("DO541", "FROM r\nRUN gem install bundler:2.0.1 -- --use-system-libraries true\n");
        assert_clean("DO541", "FROM r\nRUN gem install bundler:2.0.1 -- --use-system-libraries=true\n");
        assert_eq!(hits("DO541", "FROM r\nRUN gem i bunlder:1 nokogiri -- --x y\n"), vec![(2, "nokogiri".into())]);
    }
}
