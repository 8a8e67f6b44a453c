//! DO175 named-user-without-passwd: a user or group name (USER, `--chown`) in a stage built on
//! `scratch` that has no /etc/passwd or /etc/group to look it up in.

use crate::lint::scratch::{before, copy_paths, scratch_chain};
use crate::lint::{Category, Context, FixAvailability, Ins, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO175",
    name: "named-user-without-passwd",
    category: Category::Correctness,
    severity: Severity::Error,
    upstream: &["tally:named-identity-in-passwdless-stage"],
    summary: "User and group names need /etc/passwd and /etc/group, which a `scratch` stage lacks; use numeric IDs.",
    docs: r#"## What it does
Finds `USER name`, `USER name:group` and `COPY`/`ADD --chown=name[:group]` with a name rather
than a number, in a stage that is `FROM scratch` (directly or through earlier stages), when
nothing before it copies `/etc/passwd` or `/etc/group` (or the whole `/etc`, or a root
filesystem to `/`) into the stage.

## Why is this bad?
Names are turned into IDs by reading `/etc/passwd` and `/etc/group` inside the image. Without
them, `COPY --chown=app` fails the build ("unable to find user"), and `USER app` builds fine
but the container fails to start. Numbers need no lookup.

## Example
```dockerfile
FROM scratch
COPY --from=build --chown=app:app /out/server /server
USER app
ENTRYPOINT ["/server"]
```

## Use instead
```dockerfile
FROM scratch
COPY --from=build --chown=10001:10001 /out/server /server
USER 10001:10001
ENTRYPOINT ["/server"]
```
or copy the user database from the build stage first:
`COPY --from=build /etc/passwd /etc/group /etc/`.
"#,
    fix: FixAvailability::None,
    default_enabled: true,
};

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        for ins in cx.instructions() {
            let (spec, range) = if ins.is("USER") {
                let Some(spec) = ins.model.arguments.first() else { continue };
                (spec.as_str(), cx.arguments_range(ins))
            } else if ins.is("COPY") || ins.is("ADD") {
                let Some(spec) = ins.flag("chown").and_then(|f| f.value.as_deref()) else { continue };
                (spec, cx.flag_range(ins, "chown").unwrap_or_else(|| cx.keyword_range(ins)))
            } else {
                continue;
            };
            let Some(name) = named(spec) else { continue };
            let Some(chain) = ins.model.stage().and_then(|s| scratch_chain(cx, s)) else { continue };
            if before(cx, &chain, ins).into_iter().any(may_bring_user_database) {
                continue;
            }
            let message = format!(
                "`{name}` is a name, but this stage is built on `scratch` and has no /etc/passwd or /etc/group; use a numeric ID"
            );
            out.report(range, message);
        }
    }
}

/// The first non-numeric part of `user[:group]`, unless a variable makes it unknown.
fn named(spec: &str) -> Option<&str> {
    if spec.contains('$') {
        return None;
    }
    spec.split(':').map(str::trim).find(|p| !p.is_empty() && !p.chars().all(|c| c.is_ascii_digit()))
}

/// A COPY/ADD that may put the user database into the stage, a RUN that may create it, or a
/// SHELL (the stage has been given tools of its own).
fn may_bring_user_database(ins: Ins) -> bool {
    if ins.is("SHELL") || ins.is("RUN") {
        return true;
    }
    let Some((dest, sources)) = copy_paths(ins) else { return false };
    let dest = dest.trim_end_matches(['/', '.']);
    let names_db = |p: &str| matches!(p.trim_end_matches('/').rsplit('/').next(), Some("passwd" | "group"));
    matches!(dest, "" | "/etc") || names_db(dest) || dest.contains('$') || sources.iter().any(|s| names_db(s) || s.trim_end_matches('/') == "/etc")
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, hits};

    #[test]
    fn fires_on_names_in_scratch() {
        let src = "FROM scratch\nCOPY --from=build --chown=app:app /out /srv\nUSER app\n";
        assert_eq!(hits("DO175", src), vec![(2, "--chown=app:app".into()), (3, "app".into())]);
        assert_eq!(hits("DO175", "FROM scratch AS a\nFROM a\nUSER 1000:staff\n"), vec![(3, "1000:staff".into())]);
        assert_eq!(hits("DO175", "FROM scratch\nUSER root\n").len(), 1);
    }

    #[test]
    fn quiet_with_numbers_databases_or_other_bases() {
        assert_clean("DO175", "FROM scratch\nCOPY --chown=10001:10001 app /app\nUSER 10001:10001\n");
        assert_clean("DO175", "FROM scratch\nCOPY --from=build /etc/passwd /etc/passwd\nUSER app\n");
        assert_clean("DO175", "FROM scratch\nCOPY --from=build /etc/passwd /etc/group /etc/\nUSER app:app\n");
        assert_clean("DO175", "FROM scratch\nADD rootfs.tar.xz /\nUSER app\n");
        assert_clean("DO175", "FROM scratch\nCOPY --from=build /etc /etc\nUSER app\n");
        assert_clean("DO175", "FROM gcr.io/distroless/static\nUSER nonroot:nonroot\n");
        assert_clean("DO175", "FROM scratch\nUSER ${UID}\n");
    }
}
