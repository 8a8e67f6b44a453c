//! DO340 yum-cache-not-cleaned: yum package downloads left in the layer.

use crate::lint::install::{RPM_VALUE_OPTIONS, cleans_all, commands, removes, runs, ships};
use crate::lint::append::append_command;
use crate::lint::{Category, Context, Fix, FixAvailability, Reporter, RuleMeta, Severity};
use crate::shell::Command;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO340",
    name: "yum-cache-not-cleaned",
    category: Category::Size,
    severity: Severity::Warning,
    upstream: &["hadolint:DL3032", "trivy:DS-0015"],
    summary: "A RUN that installs with yum should run `yum clean all` afterwards.",
    docs: r#"## What it does
Finds `yum install` (and `groupinstall`, `localinstall`, `reinstall`, `update`, `upgrade`)
not followed, in the same RUN, by `yum clean all` or by removing `/var/cache/yum` (or
`/var/cache/dnf`, where yum is dnf). A BuildKit cache or tmpfs mount on one of those folders
is accepted instead. Only stages whose layers ship are checked: the last stage, stages other
stages are built on, and ONBUILD triggers; hadolint also reports build-only stages.

## Why is this bad?
yum keeps repository metadata and downloaded packages in its cache: tens to hundreds of
megabytes that ship in the layer and are stale by the next build.

## Example
```dockerfile
RUN yum install -y httpd-2.4.6
```

## Use instead
```dockerfile
RUN yum install -y httpd-2.4.6 && yum clean all
```
or
```dockerfile
RUN --mount=type=cache,target=/var/cache/yum yum install -y httpd-2.4.6
```

## Fix safety
The fix appends ` && yum clean all` to the end of the RUN, on its last line. It is safe: it runs
after every command of the RUN, and the next install downloads what it needs again.
There is no fix for exec form, heredoc scripts, a non-POSIX `SHELL`, or a command line whose
end is not the end of the script (a trailing comment, `;` or `&`).
"#,
    fix: FixAvailability::Sometimes,
    default_enabled: true,
};

const DOWNLOADS: [&str; 6] = ["install", "groupinstall", "localinstall", "reinstall", "update", "upgrade"];
const CACHES: [&str; 2] = ["/var/cache/yum", "/var/cache/dnf"];

fn clean(c: &Command) -> bool {
    cleans_all(c, &["yum"]) || CACHES.iter().any(|p| removes(c, p))
}

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        for ins in cx.instructions() {
            if !ships(cx, ins) || CACHES.iter().any(|p| ins.has_cache_mount(p)) {
                continue;
            }
            let cmds = commands(cx, ins);
            let install = |c: &Command| runs(c, &["yum"], &DOWNLOADS, RPM_VALUE_OPTIONS);
            if let Some(cmd) = crate::lint::install::uncleaned(&cmds, install, clean) {
                let d = out.report(cmd.range(), "yum's cache stays in the layer; run `yum clean all` after it in this RUN");
                d.set_fix(append_command(cx, ins, "yum clean all").map(|edit| Fix::safe("Add `yum clean all`", vec![edit])));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, fixed, hits};

    #[test]
    fn fix_cleans_at_the_end_of_the_run() {
        let src = "FROM centos\nRUN yum install -y a \\\n && yum clean all && yum -y install b\n";
        let expected = "FROM centos\nRUN yum install -y a \\\n && yum clean all && yum -y install b \\\n && yum clean all\n";
        assert_eq!(fixed("DO340", src).as_deref(), Some(expected));
        let escape = "# escape=`\nFROM c\nRUN true `\n  && yum install -y a\n";
        assert_eq!(fixed("DO340", escape).as_deref(), Some("# escape=`\nFROM c\nRUN true `\n  && yum install -y a `\n  && yum clean all\n"));
        assert_eq!(fixed("DO340", "FROM c\nRUN <<EOF\nyum install -y a\nEOF\n"), None);
        assert_eq!(fixed("DO340", "FROM c\nRUN [\"sh\", \"-c\", \"yum install -y a\"]\n"), None);
        assert_eq!(fixed("DO340", "FROM c\nRUN yum install -y a; # done\n"), None);
    }

    #[test]
    fn fires_without_clean() {
        let src = "FROM centos\nRUN yum install -y a \\\n && yum clean all && yum -y install b\n";
        assert_eq!(hits("DO340", src), vec![(3, "yum -y install b".into())]);
        assert_eq!(hits("DO340", "FROM c\nRUN <<EOF\nyum update -y\nEOF\n"), vec![(3, "yum update -y".into())]);
        assert_eq!(hits("DO340", "FROM c AS b\nFROM x\nONBUILD RUN yum install -y a\n").len(), 1);
        assert_eq!(hits("DO340", "# escape=`\nFROM c\nRUN true `\n  && yum install -y a\n"), vec![(4, "yum install -y a".into())]);
    }

    #[test]
    fn quiet_when_cleaned_cached_or_not_shipped() {
        assert_clean("DO340", "FROM c\nRUN yum install -y a && yum clean all\n");
        assert_clean("DO340", "FROM c\nRUN yum install -y a && rm -rf /var/cache/yum/*\n");
        assert_clean("DO340", "FROM c\nRUN --mount=type=cache,target=/var/cache/yum yum install -y a\n");
        assert_clean("DO340", "FROM c AS build\nRUN yum install -y gcc\nFROM scratch\nCOPY --from=build /x /x\n");
        assert_clean("DO340", "FROM c\nRUN yum clean metadata && yum remove -y x\n");
    }
}
