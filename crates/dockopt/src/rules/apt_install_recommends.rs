//! DO321 apt-install-recommends: `apt-get install` that pulls in recommended packages.

use crate::lint::packages::{apt_simulates, exact, subcommand_operands};
use crate::lint::{Category, Context, Edit, Fix, FixAvailability, Reporter, RuleMeta, Severity};
use crate::shell::Command;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO321",
    name: "apt-install-recommends",
    category: Category::Size,
    severity: Severity::Info,
    upstream: &["hadolint:DL3015", "trivy:DS-0029"],
    summary: "`apt-get install` should use `--no-install-recommends`.",
    docs: r#"## What it does
Finds `apt-get install` (and `apt install`) commands without `--no-install-recommends`
or `-o APT::Install-Recommends=false`. An earlier instruction that writes
`APT::Install-Recommends` into apt's configuration also counts. Simulated installs (`-s`,
`--dry-run`) install nothing and are not reported (hadolint reports them).

## Why is this bad?
By default apt installs every package the requested ones *recommend*. In an image these are
rarely used and often add tens or hundreds of megabytes (documentation, X11 libraries, extra
tools).

## Example
```dockerfile
RUN apt-get update && apt-get install -y python3
```

## Use instead
```dockerfile
RUN apt-get update && apt-get install -y --no-install-recommends python3
```

## Fix safety
The fix adds `--no-install-recommends` after `install`. It is unsafe: software that relied on a
recommended package (certificates, locales, helpers) may stop working, so test the image.
"#,
    fix: FixAvailability::Sometimes,
    default_enabled: true,
};

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        // The first instruction that sets `APT::Install-Recommends` in apt's configuration:
        // found once, so a file of many RUNs stays linear.
        let configured_at = cx.model.instructions.iter().position(|i| i.text.contains("APT::Install-Recommends"));
        for (ins, command) in cx.commands(None) {
            let configured = configured_at.is_some_and(|at| at < ins.index);
            if !(command.is("apt-get") || command.is("apt")) || skips_recommends(command) || configured || apt_simulates(command) {
                continue;
            }
            let Some((install, _)) = subcommand_operands(command, &["install"], &["o", "t", "c"]) else { continue };
            let d = out.report(command.range(), "apt also installs recommended packages; add `--no-install-recommends`");
            if exact(cx, install) {
                let edit = Edit::insert(install.range().end, " --no-install-recommends");
                d.set_fix(Fix::unsafe_("Add `--no-install-recommends`", vec![edit]));
            }
        }
    }
}

fn skips_recommends(command: &Command) -> bool {
    command.has_option(None, Some("no-install-recommends"))
        || command.args.iter().any(|w| {
            let t = w.text().trim_start_matches("-o").to_ascii_lowercase();
            t == "apt::install-recommends=false" || t == "apt::install-recommends=0"
        })
}

#[cfg(test)]
mod tests {
    use crate::lint::Applicability;
    use crate::lint::testing::{assert_clean, check, hits};

    #[test]
    fn fires_without_the_option() {
        let src = "FROM debian\nRUN apt-get update \\\n && apt-get install -y curl \\\n && rm -rf /var/lib/apt/lists/*\n";
        assert_eq!(hits("DO321", src), vec![(3, "apt-get install -y curl".into())]);
        let heredoc = "FROM debian\nRUN <<EOF\nset -e\napt-get install -y curl\nEOF\n";
        assert_eq!(hits("DO321", heredoc), vec![(4, "apt-get install -y curl".into())]);
        assert_eq!(hits("DO321", "FROM debian\nONBUILD RUN apt-get install -y curl\n").len(), 1);
        let escape = "# escape=`\nFROM debian\nRUN apt-get update `\n && apt-get install -y x\n";
        assert_eq!(hits("DO321", escape), vec![(4, "apt-get install -y x".into())]);
    }

    #[test]
    fn quiet_when_recommends_are_off() {
        assert_clean("DO321", "FROM debian\nRUN apt-get install -y --no-install-recommends curl\n");
        assert_clean("DO321", "FROM debian\nRUN apt-get install -y -o APT::Install-Recommends=false curl\n");
        assert_clean("DO321", "FROM debian\nRUN apt-get update && apt-get autoremove -y\n");
        assert_clean("DO321", "FROM debian\nRUN apt-get install -s -y curl\n");
        let configured = "FROM debian\nRUN echo 'APT::Install-Recommends \"0\";' > /etc/apt/apt.conf.d/01norec\nRUN apt-get install -y curl\n";
        assert_clean("DO321", configured);
    }

    #[test]
    fn fix_is_unsafe_and_after_install() {
        let src = "FROM debian\nRUN apt-get install -y curl\n";
        let fix = check("DO321", src)[0].fix.clone().unwrap();
        assert_eq!(fix.applicability, Applicability::Unsafe);
        assert_eq!(fix.edits[0].range.start, src.find(" -y").unwrap());
    }
}
