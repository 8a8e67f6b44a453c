//! DO130 system-directory-target: WORKDIR, COPY or ADD into /proc, /sys or /dev.

use crate::lint::paths::{resolve, within};
use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};
use crate::semantics::provenance::workdir_at;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO130",
    name: "system-directory-target",
    category: Category::Correctness,
    severity: Severity::Warning,
    upstream: &["trivy:DS-0030"],
    summary: "WORKDIR, COPY and ADD should not target /proc, /sys, /dev or /boot.",
    docs: r#"## What it does
Finds `WORKDIR` paths and `COPY` / `ADD` destinations inside `/proc`, `/sys` or `/dev`, and
`WORKDIR` paths inside `/boot`, `/initrd` or `/lost+found`. Relative paths are resolved
against the working directory when the Dockerfile says what it is.

## Why is this bad?
When a container starts, the runtime mounts its own `proc`, `sysfs` and `/dev` file systems
(and a `tmpfs` on `/dev/shm`) over these folders. Whatever the build put there is hidden: the
application finds an empty or different folder, and files written there at run time go to
kernel interfaces instead of the disk. `/boot`, `/initrd` and `/lost+found` belong to the host
system's boot and file system repair, and a working directory there points to a mistake.

## Example
```dockerfile
WORKDIR /dev/app
COPY config.yml /proc/app/
```

## Use instead
```dockerfile
WORKDIR /srv/app
COPY config.yml /etc/app/
```
"#,
    fix: FixAvailability::None,
    default_enabled: true,
};

/// Mounted over by the container runtime.
const MOUNTED: [&str; 3] = ["/proc", "/sys", "/dev"];
/// No place for a working directory: the mounted folders and those of the host's boot and repair tools.
const WORKDIR_FORBIDDEN: [&str; 6] = ["/proc", "/sys", "/dev", "/boot", "/initrd", "/lost+found"];

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        for ins in cx.instructions() {
            let m = ins.effective();
            let (path, range, folders): (&str, _, &[&str]) = match m.keyword.as_ref() {
                "WORKDIR" => {
                    let Some(path) = m.arguments.first() else { continue };
                    (path, cx.arguments_range(ins), &WORKDIR_FORBIDDEN)
                }
                "COPY" | "ADD" if m.arguments.len() >= 2 => {
                    let Some(dest) = m.arguments.last() else { continue };
                    let range = cx.word_ranges(ins).last().cloned().unwrap_or_else(|| cx.arguments_range(ins));
                    (dest, range, &MOUNTED)
                }
                _ => continue,
            };
            let path = path.trim_matches(['"', '\'']);
            let dir = if path.starts_with('/') { None } else { workdir_at(cx, ins) };
            let Some(resolved) = resolve(dir.as_deref(), path) else { continue };
            if let Some(folder) = folders.iter().find(|f| within(&resolved, f)) {
                let why = if MOUNTED.contains(folder) {
                    "the container runtime mounts over it and hides what the build put there"
                } else {
                    "it belongs to the host's boot and file system tools"
                };
                out.report(range, format!("`{resolved}` is inside `{folder}`: {why}"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, hits};

    #[test]
    fn fires_inside_system_folders() {
        assert_eq!(hits("DO130", "FROM a\nWORKDIR /proc/app\n"), vec![(2, "/proc/app".into())]);
        assert_eq!(hits("DO130", "FROM a\nWORKDIR /boot\n").len(), 1);
        assert_eq!(hits("DO130", "FROM a\nCOPY a b /dev/app/\n"), vec![(2, "/dev/app/".into())]);
        assert_eq!(hits("DO130", "FROM a\nWORKDIR /sys\nCOPY x conf/\n").len(), 2);
        assert_eq!(hits("DO130", "FROM a\nONBUILD ADD x /sys/x\n").len(), 1);
    }

    #[test]
    fn quiet_elsewhere() {
        assert_clean("DO130", "FROM a\nWORKDIR /srv/proc\nCOPY x /device/\nCOPY y /dev2\n");
        assert_clean("DO130", "FROM a\nCOPY x /boot/\nWORKDIR $DIR\n");
        assert_clean("DO130", "FROM a\nCOPY x conf/\n");
    }
}
