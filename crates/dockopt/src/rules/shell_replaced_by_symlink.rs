//! DO166 shell-replaced-by-symlink: `ln ... /bin/sh` to change the default shell.

use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO166",
    name: "shell-replaced-by-symlink",
    category: Category::Correctness,
    severity: Severity::Warning,
    upstream: &["hadolint:DL4005"],
    summary: "Use SHELL, not a symlink over /bin/sh, to change the shell RUN uses.",
    docs: r#"## What it does
Finds `ln` commands in `RUN` that create `/bin/sh`, such as `ln -sf /bin/bash /bin/sh`.
Unlike hadolint, which reports any `ln` that mentions `/bin/sh`, a link that merely points
to `/bin/sh` (`ln -s /bin/sh /usr/local/bin/sh`) is fine.

## Why is this bad?
Replacing `/bin/sh` changes the shell of every program in the image, including the
distribution's own maintainer scripts, which are written for the original `sh`. The
`SHELL` instruction changes only what the Dockerfile's `RUN`s use.

## Example
```dockerfile
RUN ln -sf /bin/bash /bin/sh
```

## Use instead
```dockerfile
SHELL ["/bin/bash", "-c"]
```
"#,
    fix: FixAvailability::None,
    default_enabled: true,
};

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        for (_, command) in cx.commands(None) {
            let operands: Vec<&str> = command.operands().map(|w| w.text()).collect();
            if command.is("ln") && operands.len() >= 2 && operands.last() == Some(&"/bin/sh") {
                out.report(command.range(), "replaces /bin/sh for the whole image; use the SHELL instruction");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, hits};

    #[test]
    fn fires_on_links_over_bin_sh() {
        let src = "FROM a\nRUN apt-get install -y bash \\\n && ln -sf /bin/bash /bin/sh\n";
        assert_eq!(hits("DO166", src), vec![(3, "ln -sf /bin/bash /bin/sh".into())]);
        assert_eq!(hits("DO166", "FROM a\nRUN <<EOF\nln -s bash '/bin/sh'\nEOF\n").len(), 1);
        assert_eq!(hits("DO166", "FROM a\nONBUILD RUN ln -sf /bin/bash /bin/sh\n").len(), 1);
        assert_eq!(hits("DO166", "# escape=`\nFROM a\nRUN true && `\n  ln -sf /bin/bash /bin/sh\n").len(), 1);
    }

    #[test]
    fn quiet_on_other_links() {
        assert_clean("DO166", "FROM a\nRUN ln -s /bin/sh /usr/local/bin/sh2x && echo /bin/sh\n");
    }
}
