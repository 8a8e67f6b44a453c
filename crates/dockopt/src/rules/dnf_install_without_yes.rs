//! DO146 dnf-install-without-yes: `dnf install` / `microdnf install` without `-y`.

use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO146",
    name: "dnf-install-without-yes",
    category: Category::Correctness,
    severity: Severity::Warning,
    upstream: &["hadolint:DL3038"],
    summary: "`dnf install` in a RUN needs `-y`.",
    docs: r#"## What it does
Finds `dnf` and `microdnf` running `install`, `groupinstall` or `localinstall` without `-y`
(`--assumeyes`).

## Why is this bad?
A build has no terminal to answer the confirmation prompt: dnf reads end of input, answers
"no" and the build fails.

## Example
```dockerfile
RUN dnf install httpd-2.4.62 && dnf clean all
```

## Use instead
```dockerfile
RUN dnf install -y httpd-2.4.62 && dnf clean all
```

## Fix safety
The fix adds `-y` after the subcommand. It is safe: it only answers the prompt the build
cannot answer.
"#,
    fix: FixAvailability::Sometimes,
    default_enabled: true,
};

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        crate::lint::install::report_rpm_install_without_yes(cx, out, &["dnf", "microdnf"]);
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, check, hits};

    #[test]
    fn fires_without_yes() {
        let src = "FROM fedora\nRUN dnf --setopt install_weak_deps=0 install \\\n    httpd\n";
        assert_eq!(hits("DO146", src), vec![(2, "dnf --setopt install_weak_deps=0 install \\\n    httpd".into())]);
        let found = check("DO146", src);
        let edit = &found[0].fix.as_ref().unwrap().edits[0];
        assert_eq!(&src[edit.range.start - 7..edit.range.end], "install");
        assert_eq!(hits("DO146", "FROM f\nRUN <<EOF\nmicrodnf install x\nEOF\n"), vec![(3, "microdnf install x".into())]);
        assert_eq!(hits("DO146", "FROM f\nONBUILD RUN dnf install x\n").len(), 1);
        assert_eq!(hits("DO146", "# escape=`\nFROM f\nRUN true && `\n  dnf install x\n"), vec![(4, "dnf install x".into())]);
    }

    #[test]
    fn quiet_with_yes_or_other_subcommands() {
        assert_clean("DO146", "FROM f\nRUN dnf install -y x && dnf -y install y && microdnf install --assumeyes z\n");
        assert_clean("DO146", "FROM f\nRUN dnf clean all && dnf remove x && yum install x\n");
    }
}
