//! DO342 dnf-cache-not-cleaned: dnf package downloads left in the layer.

use crate::lint::install::{
    RPM_VALUE_OPTIONS, cleans_all, commands, has_cache_mount_ending, removes, runs, ships, uncleaned,
};
use crate::lint::append::append_command;
use crate::lint::{Category, Context, Fix, FixAvailability, Reporter, RuleMeta, Severity};
use crate::shell::Command;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO342",
    name: "dnf-cache-not-cleaned",
    category: Category::Size,
    severity: Severity::Warning,
    upstream: &["hadolint:DL3040", "trivy:DS-0019", "trivy:DS-0027"],
    summary: "A RUN that installs with dnf should run `dnf clean all` afterwards.",
    docs: r#"## What it does
Finds `dnf` or `microdnf` installing or upgrading packages (`install`, `in`, `upgrade`, `up`,
`upgrade-minimal`, `reinstall`, `groupinstall`, `localinstall`, `update`, ...) not followed,
in the same RUN, by `dnf clean all` / `microdnf clean all` or by removing the cache folder
(`/var/cache/dnf` for dnf 4, `/var/cache/libdnf5` for dnf 5, and for `microdnf` also
`/var/cache/yum`, where the microdnf of RHEL 8/9 and UBI minimal images keeps its metadata). A
BuildKit cache or tmpfs mount on the cache folder is accepted instead.

Unlike hadolint, removing `/var/cache/yum` does not count for `dnf`, whose cache is
`/var/cache/dnf`. Only stages whose layers ship are checked: the last
stage, stages other stages are built on, and ONBUILD triggers.

## Why is this bad?
dnf keeps repository metadata and downloaded packages in its cache: often more than a
hundred megabytes that ship in the layer and are stale by the next build.

## Example
```dockerfile
RUN dnf install -y httpd-2.4.62
```

## Use instead
```dockerfile
RUN dnf install -y httpd-2.4.62 && dnf clean all
```
or
```dockerfile
RUN --mount=type=cache,target=/var/cache/libdnf5 dnf install -y httpd-2.4.62
```

## Fix safety
The fix appends ` && dnf clean all` to the end of the RUN, on its last line. It is safe: it runs
after every command of the RUN, and the next install downloads what it needs again.
`microdnf` gets `microdnf clean all`.
There is no fix for exec form, heredoc scripts, a non-POSIX `SHELL`, or a command line whose
end is not the end of the script (a trailing comment, `;` or `&`).
"#,
    fix: FixAvailability::Sometimes,
    default_enabled: true,
};

const DOWNLOADS: [&str; 12] = [
    "install",
    "in",
    "upgrade",
    "up",
    "upgrade-minimal",
    "up-min",
    "reinstall",
    "rei",
    "groupinstall",
    "localinstall",
    "update",
    "distro-sync",
];
const CACHES: [&str; 2] = ["/var/cache/dnf", "/var/cache/libdnf5"];
/// microdnf (libdnf, RHEL 8/9) keeps its metadata under /var/cache/yum; on Fedora 39+ it is dnf 5.
const MICRODNF_CACHES: [&str; 3] = ["/var/cache/dnf", "/var/cache/libdnf5", "/var/cache/yum"];
const PROGRAMS: [&str; 2] = ["dnf", "microdnf"];

/// The cache folders of `program`.
fn caches(program: &str) -> &'static [&'static str] {
    if program == "microdnf" { &MICRODNF_CACHES } else { &CACHES }
}

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        for ins in cx.instructions() {
            if !ships(cx, ins) || has_cache_mount_ending(ins, &[".cache/libdnf5"]) {
                continue;
            }
            let cmds = commands(cx, ins);
            let first = PROGRAMS
                .iter()
                .filter(|program| !caches(program).iter().any(|p| ins.has_cache_mount(p)))
                .filter_map(|&program| {
                    let install = |c: &Command| runs(c, &[program], &DOWNLOADS, RPM_VALUE_OPTIONS);
                    let clean = |c: &Command| cleans_all(c, &PROGRAMS) || caches(program).iter().any(|p| removes(c, p));
                    uncleaned(&cmds, install, clean)
                })
                .min_by_key(|c| c.range().start);
            if let Some(cmd) = first {
                let program = cmd.program().unwrap_or("dnf");
                let d = out.report(
                    cmd.range(),
                    format!("{program}'s cache stays in the layer; run `{program} clean all` after it in this RUN"),
                );
                let clean = format!("{program} clean all");
                d.set_fix(append_command(cx, ins, &clean).map(|edit| Fix::safe(format!("Add `{clean}`"), vec![edit])));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, fixed, hits};

    #[test]
    fn fix_cleans_with_the_same_program_at_the_end_of_the_run() {
        let src = "FROM fedora\nRUN dnf clean all && \\\n    dnf install -y a\n";
        let expected = "FROM fedora\nRUN dnf clean all && \\\n    dnf install -y a && \\\n    dnf clean all\n";
        assert_eq!(fixed("DO342", src).as_deref(), Some(expected));
        let micro = "FROM ubi\nRUN microdnf install -y a\n";
        assert_eq!(fixed("DO342", micro).as_deref(), Some("FROM ubi\nRUN microdnf install -y a && microdnf clean all\n"));
        assert_eq!(fixed("DO342", "FROM f\nRUN <<EOF\nmicrodnf upgrade -y\nEOF\n"), None);
        assert_eq!(fixed("DO342", "FROM f\nRUN dnf install -y a &\n"), None);
    }

    #[test]
    fn fires_without_clean() {
        let src = "FROM fedora\nRUN dnf clean all && \\\n    dnf install -y a\n";
        assert_eq!(hits("DO342", src), vec![(3, "dnf install -y a".into())]);
        assert_eq!(hits("DO342", "FROM f\nRUN <<EOF\nmicrodnf upgrade -y\nEOF\n"), vec![(3, "microdnf upgrade -y".into())]);
        assert_eq!(hits("DO342", "FROM f\nONBUILD RUN dnf in -y a\n").len(), 1);
        assert_eq!(hits("DO342", "# escape=`\nFROM f\nRUN true `\n  && dnf install -y a\n"), vec![(4, "dnf install -y a".into())]);
    }

    #[test]
    fn quiet_when_cleaned_cached_or_not_shipped() {
        assert_clean("DO342", "FROM f\nRUN dnf install -y a && dnf clean all\nRUN microdnf install -y b && microdnf clean all\n");
        assert_clean("DO342", "FROM f\nRUN dnf install -y a && rm -rf /var/cache/libdnf5* /var/cache/dnf\n");
        assert_clean("DO342", "FROM f\nRUN dnf install -y a && rm -rf /var/cache/dnf/*\n");
        assert_clean("DO342", "FROM f\nRUN --mount=type=cache,target=/var/cache/libdnf5 dnf install -y a\n");
        assert_clean("DO342", "FROM f\nRUN --mount=type=cache,target=/root/.cache/libdnf5 dnf install -y a\n");
        assert_clean("DO342", "FROM f AS build\nRUN dnf install -y gcc\nFROM scratch\n");
    }

    #[test]
    fn microdnf_cache_is_under_var_cache_yum() {
        assert_clean("DO342", "FROM ubi\nRUN microdnf install -y a && rm -rf /var/cache/yum/*\n");
        assert_clean("DO342", "FROM ubi\nRUN --mount=type=cache,target=/var/cache/yum microdnf install -y a\n");
        assert_eq!(hits("DO342", "FROM f\nRUN dnf install -y a && rm -rf /var/cache/yum/*\n").len(), 1);
        let both = "FROM f\nRUN microdnf install -y a && dnf install -y b && rm -rf /var/cache/yum\n";
        assert_eq!(hits("DO342", both), vec![(2, "dnf install -y b".into())]);
    }
}
