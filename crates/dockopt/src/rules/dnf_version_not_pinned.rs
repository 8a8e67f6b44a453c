//! DO546 dnf-version-not-pinned: `dnf install` of packages without a version.

use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO546",
    name: "dnf-version-not-pinned",
    category: Category::Maintainability,
    severity: Severity::Warning,
    upstream: &["hadolint:DL3041"],
    summary: "Packages installed with dnf should name a version.",
    docs: r#"## What it does
Finds package arguments of `dnf install` / `microdnf install` without a version (`httpd`
instead of `httpd-2.4.62`) and modules of `dnf module install` without a stream (`nodejs`
instead of `nodejs:20`). A version is what follows the first `-` when it looks like one
(letters, digits, `.~^_:+*`, with a part starting with a digit); `.rpm` files carry theirs.
Arguments with variables, file paths and capabilities (`/usr/bin/python3`,
`dnf-command(config-manager)`) are not judged, option values are not taken for packages,
and groups (`dnf group install`) have no versions.

## Why is this bad?
Without a version each build installs whatever the repository has that day, so two builds of
the same Dockerfile can differ and break for reasons unrelated to any change.

## Example
```dockerfile
RUN dnf install -y httpd && dnf clean all
```

## Use instead
```dockerfile
RUN dnf install -y httpd-2.4.62 && dnf clean all
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
        crate::lint::install::report_unpinned_rpm(cx, out, &["dnf", "microdnf"]);
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, hits};

    #[test]
    fn fires_on_unversioned_packages() {
        let src = "FROM f\nRUN dnf install -y --setopt install_weak_deps=False httpd-2.4 \\\n    vim && dnf module install -y nodejs\n";
        assert_eq!(hits("DO546", src), vec![(3, "vim".into()), (3, "nodejs".into())]);
        assert_eq!(hits("DO546", "FROM f\nRUN <<EOF\nmicrodnf install -y tar\nEOF\n"), vec![(3, "tar".into())]);
        assert_eq!(hits("DO546", "FROM f\nONBUILD RUN dnf install -y a\n").len(), 1);
        assert_eq!(hits("DO546", "# escape=`\nFROM f\nRUN dnf install -y `\n  a\n"), vec![(4, "a".into())]);
    }

    #[test]
    fn quiet_on_versions_files_groups_and_unknowns() {
        let src = "FROM f\nRUN dnf install -y a-1.2 b-1.2-3.fc40 x.rpm $PKG 'dnf-command(config-manager)' /usr/bin/gcc && dnf module install -y n:20\n";
        assert_clean("DO546", src);
        assert_clean("DO546", "FROM f\nRUN dnf group install -y 'Dev Tools' && dnf upgrade -y && yum install -y x\n");
    }
}
