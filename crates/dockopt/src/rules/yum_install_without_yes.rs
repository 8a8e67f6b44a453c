//! DO144 yum-install-without-yes: `yum install` without `-y`.

use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO144",
    name: "yum-install-without-yes",
    category: Category::Correctness,
    severity: Severity::Warning,
    upstream: &["hadolint:DL3030"],
    summary: "`yum install` in a RUN needs `-y`.",
    docs: r#"## What it does
Finds `yum install`, `yum groupinstall` and `yum localinstall` without `-y` (`--assumeyes`).

## Why is this bad?
A build has no terminal to answer yum's confirmation prompt: yum reads end of input, answers
"no" and the build fails.

## Example
```dockerfile
RUN yum install httpd-2.4.6 && yum clean all
```

## Use instead
```dockerfile
RUN yum install -y httpd-2.4.6 && yum clean all
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
        crate::lint::install::report_rpm_install_without_yes(cx, out, &["yum"]);
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, check, hits};

    #[test]
    fn fires_without_yes() {
        let src = "FROM centos\nRUN yum update -y && \\\n    yum install httpd\n";
        assert_eq!(hits("DO144", src), vec![(3, "yum install httpd".into())]);
        let d = &check("DO144", src)[0];
        let edit = &d.fix.as_ref().unwrap().edits[0];
        assert_eq!((&src[..edit.range.start], edit.content.as_ref()), ("FROM centos\nRUN yum update -y && \\\n    yum install", " -y"));
        assert_eq!(hits("DO144", "FROM c\nRUN <<EOF\nyum groupinstall x\nEOF\n"), vec![(3, "yum groupinstall x".into())]);
        assert_eq!(hits("DO144", "FROM c\nONBUILD RUN yum localinstall x.rpm\n").len(), 1);
        assert_eq!(hits("DO144", "# escape=`\nFROM c\nRUN true && `\n  yum install x\n"), vec![(4, "yum install x".into())]);
        assert!(check("DO144", "FROM c\nRUN [\"sh\", \"-c\", \"yum install x\"]\n")[0].fix.is_none());
    }

    #[test]
    fn quiet_with_yes_or_other_subcommands() {
        assert_clean("DO144", "FROM c\nRUN yum install -y x && yum -y install y && yum install --assumeyes z\n");
        assert_clean("DO144", "FROM c\nRUN yum -qy install x && yum clean all && yum remove x && dnf install x\n");
    }
}
