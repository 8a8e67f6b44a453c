//! DO543 yum-version-not-pinned: `yum install` of packages without a version.

use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO543",
    name: "yum-version-not-pinned",
    category: Category::Maintainability,
    severity: Severity::Warning,
    upstream: &["hadolint:DL3033"],
    summary: "Packages installed with yum should name a version.",
    docs: r#"## What it does
Finds package arguments of `yum install` without a version (`httpd` instead of
`httpd-2.4.6`) and modules of `yum module install` without a stream (`nodejs` instead of
`nodejs:20`). A version is what follows the first `-` when it looks like one (letters,
digits, `.~^_:+*`, with a part starting with a digit); `.rpm` files carry theirs. Arguments
with variables, file paths and capabilities (`/usr/bin/python3`, `dnf-command(x)`) are not
judged, and option values (`--enablerepo epel`) are not taken for packages.

## Why is this bad?
Without a version each build installs whatever the repository has that day, so two builds of
the same Dockerfile can differ and break for reasons unrelated to any change.

## Example
```dockerfile
RUN yum install -y httpd && yum clean all
```

## Use instead
```dockerfile
RUN yum install -y httpd-2.4.6 && yum clean all
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
        crate::lint::install::report_unpinned_rpm(cx, out, &["yum"]);
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, hits};

    #[test]
    fn fires_on_unversioned_packages() {
        let src = "FROM c\nRUN yum install -y --enablerepo epel httpd-2.4 \\\n    epel-release && yum module install -y nodejs\n";
        assert_eq!(hits("DO543", src), vec![(3, "epel-release".into()), (3, "nodejs".into())]);
        assert_eq!(hits("DO543", "FROM c\nRUN <<EOF\nyum install -y 'vim'\nEOF\n"), vec![(3, "'vim'".into())]);
        assert_eq!(hits("DO543", "FROM c\nONBUILD RUN yum install -y a\n").len(), 1);
        assert_eq!(hits("DO543", "# escape=`\nFROM c\nRUN yum install -y `\n  a\n"), vec![(4, "a".into())]);
    }

    #[test]
    fn quiet_on_versions_files_and_unknowns() {
        let src = "FROM c\nRUN yum install -y a-1.2 b-1.2-3.el8 /tmp/x.rpm https://h/y.rpm $PKG c-${V} 'd(x)' && yum module install -y n:20\n";
        assert_clean("DO543", src);
        assert_clean("DO543", "FROM c\nRUN yum update -y && yum remove -y x && yum groupinstall -y 'Dev Tools'\n");
    }
}
