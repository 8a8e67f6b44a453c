//! DO291 unsigned-packages-allowed: package managers told to skip signature checks.

use crate::lint::invocation::{is_false, is_true, option_values, unwrap};
use crate::lint::{Category, Context, Edit, Fix, FixAvailability, Reporter, RuleMeta, Severity};
use crate::shell::{Command, Word};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO291",
    name: "unsigned-packages-allowed",
    category: Category::Security,
    severity: Severity::Warning,
    upstream: &[
        "checkov:CKV2_DOCKER_7",
        "checkov:CKV2_DOCKER_8",
        "checkov:CKV2_DOCKER_9",
        "checkov:CKV2_DOCKER_10",
        "checkov:CKV2_DOCKER_11",
    ],
    summary: "Package managers must not install packages without checking their signatures.",
    docs: r#"## What it does
Finds package installs that skip signature or digest checks:

- apt: `--allow-unauthenticated`, `--allow-insecure-repositories`, `--force-yes`,
  `-o APT::Get::AllowUnauthenticated=true`, and `[trusted=yes]` in a sources line (except
  for a local `file:` repository built in the same step, as the postgres images do);
- apk: `--allow-untrusted`;
- yum, dnf, microdnf, tdnf, zypper: `--nogpgcheck`, `--no-gpg-checks`, `--setopt=gpgcheck=0`;
- rpm: `--nosignature`, `--nodigest`, `--noverify`, `--nofiledigest`.

## Why is this bad?
Signatures are what proves a package comes from the distribution or vendor. Without them a
mirror, proxy or attacker on the network can substitute any package, and it runs as root
during the build.

## Example
```dockerfile
RUN apt-get update && apt-get install -y --allow-unauthenticated tool
RUN apk add --allow-untrusted /tmp/tool.apk
```

## Use instead
Import the repository's signing key and keep the checks:
```dockerfile
RUN curl -fsSL https://example.com/key.asc -o /etc/apt/keyrings/example.asc \
    && echo "deb [signed-by=/etc/apt/keyrings/example.asc] https://example.com/apt stable main" \
       > /etc/apt/sources.list.d/example.list \
    && apt-get update && apt-get install -y tool
```

## Fix safety
When the option is a stand-alone word, the fix removes it. It is unsafe: the install fails
until the signing key is available.
"#,
    fix: FixAvailability::Sometimes,
    default_enabled: true,
};

/// Options that turn signature checks off, per package manager.
const FLAGS: &[(&[&str], &[&str])] = &[
    (&["apt-get", "apt", "aptitude"], &["allow-unauthenticated", "allow-insecure-repositories", "force-yes"]),
    (&["apk"], &["allow-untrusted"]),
    (&["yum", "dnf", "microdnf", "tdnf", "yum-config-manager"], &["nogpgcheck"]),
    (&["zypper"], &["no-gpg-checks", "no-gpg-check"]),
    (&["rpm"], &["nosignature", "nodigest", "noverify", "nofiledigest"]),
];

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        for (_, command) in cx.commands(None) {
            let command = unwrap(command);
            let Some(program) = command.program() else { continue };
            let mut found: Vec<(&Word, String)> = Vec::new();
            for (programs, flags) in FLAGS {
                if !programs.contains(&program) {
                    continue;
                }
                for flag in *flags {
                    if let Some(w) = command.option(None, Some(flag)) {
                        found.push((w, format!("{program} --{flag} installs packages without checking signatures")));
                    }
                }
            }
            settings(&command, program, &mut found);
            trusted_source(&command, &mut found);
            for (word, message) in found {
                let d = out.report(word.range(), format!("{message}; import the signing key instead"));
                let t = word.text();
                let standalone = t.starts_with("--") && !t.contains('=') && cx.text(word.range()) == t;
                if standalone {
                    let before = cx.src[..word.range().start].trim_end_matches([' ', '\t']).len();
                    d.set_fix(Fix::unsafe_(format!("Remove `{t}`"), vec![Edit::delete(before..word.range().end)]));
                }
            }
        }
    }
}

/// `-o APT::Get::AllowUnauthenticated=true`, `--setopt=gpgcheck=0`.
fn settings<'a>(command: &'a Command, program: &str, found: &mut Vec<(&'a Word, String)>) {
    match program {
        "apt-get" | "apt" => {
            for (w, value) in option_values(command, &["-o", "--option"]) {
                let (key, val) = value.split_once('=').unwrap_or((&value, ""));
                let key = key.to_ascii_lowercase();
                if (key.ends_with("allowunauthenticated") || key.ends_with("allowinsecurerepositories")) && is_true(val) {
                    found.push((w, format!("{program} installs unsigned packages with this option")));
                }
            }
        }
        "yum" | "dnf" | "microdnf" | "tdnf" | "yum-config-manager" => {
            for (w, value) in option_values(command, &["--setopt"]) {
                let (key, val) = value.split_once('=').unwrap_or((&value, ""));
                let key = key.to_ascii_lowercase();
                if (key.ends_with("gpgcheck") || key.ends_with("localpkg_gpgcheck")) && is_false(val) {
                    found.push((w, format!("{program} installs unsigned packages with gpgcheck off")));
                }
            }
        }
        _ => {}
    }
}

/// `echo "deb [trusted=yes] http://..." > /etc/apt/sources.list.d/x.list`.
fn trusted_source<'a>(command: &'a Command, found: &mut Vec<(&'a Word, String)>) {
    if !matches!(command.program(), Some("echo" | "printf" | "tee")) {
        return;
    }
    for w in &command.args {
        let t = w.text();
        let Some(open) = t.find('[') else { continue };
        let options = &t[open + 1..t[open..].find(']').map_or(t.len(), |c| open + c)];
        // A local repository (`file:`, `copy:`) built in the same step is not downloaded.
        let uri = t[open..].split_once(']').map_or("", |(_, rest)| rest.trim_start());
        let local = uri.starts_with("file:") || uri.starts_with("copy:") || uri.starts_with("cdrom:");
        if !local && options.split([' ', ',']).any(|o| o.eq_ignore_ascii_case("trusted=yes")) {
            found.push((w, "an apt source with [trusted=yes] installs packages without checking signatures".into()));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, check, hits};

    #[test]
    fn fires_on_each_package_manager() {
        let src = "FROM a\nRUN apt-get update \\\n && apt-get install -y --allow-unauthenticated x\n";
        assert_eq!(hits("DO291", src), vec![(3, "--allow-unauthenticated".into())]);
        assert_eq!(hits("DO291", "FROM a\nRUN apt-get install --force-yes x\n"), vec![(2, "--force-yes".into())]);
        assert_eq!(hits("DO291", "FROM a\nRUN apk add --allow-untrusted /tmp/x.apk\n"), vec![(2, "--allow-untrusted".into())]);
        assert_eq!(hits("DO291", "FROM a\nRUN dnf -y --nogpgcheck install x\n"), vec![(2, "--nogpgcheck".into())]);
        assert_eq!(hits("DO291", "FROM a\nRUN sudo yum install --setopt=gpgcheck=0 x\n"), vec![(2, "--setopt=gpgcheck=0".into())]);
        assert_eq!(hits("DO291", "FROM a\nRUN rpm -i --nosignature x.rpm\n"), vec![(2, "--nosignature".into())]);
        assert_eq!(hits("DO291", "FROM a\nRUN zypper --no-gpg-checks in x\n").len(), 1);
        assert_eq!(
            hits("DO291", "FROM a\nRUN apt-get -o APT::Get::AllowUnauthenticated=true install x\n"),
            vec![(2, "APT::Get::AllowUnauthenticated=true".into())]
        );
        let source = "FROM a\nRUN echo \"deb [arch=amd64 trusted=yes] http://r/ ./\" > /etc/apt/sources.list.d/r.list\n";
        assert_eq!(hits("DO291", source), vec![(2, "\"deb [arch=amd64 trusted=yes] http://r/ ./\"".into())]);
    }

    #[test]
    fn heredoc_onbuild_and_escape() {
        assert_eq!(hits("DO291", "FROM a\nRUN <<EOF\napk add --allow-untrusted x\nEOF\n"), vec![(3, "--allow-untrusted".into())]);
        assert_eq!(hits("DO291", "FROM a\nONBUILD RUN rpm -i --nodigest x.rpm\n").len(), 1);
        let escape = "# escape=`\nFROM a\nRUN yum install -y `\n  --nogpgcheck x\n";
        assert_eq!(hits("DO291", escape), vec![(4, "--nogpgcheck".into())]);
    }

    #[test]
    fn quiet_on_checked_installs() {
        assert_clean("DO291", "FROM a\nRUN apt-get install -y --no-install-recommends x && apk add --no-cache y\n");
        assert_clean("DO291", "FROM a\nRUN yum install --setopt=gpgcheck=1 -y x && rpm -i x.rpm\n");
        assert_clean("DO291", "FROM a\nRUN echo \"deb [signed-by=/k.asc] https://r/ ./\" > /etc/apt/sources.list.d/r.list\n");
        assert_clean("DO291", "FROM a\nRUN echo --allow-untrusted && tar --nogpgcheck\n");
        assert_clean("DO291", "FROM a\nRUN echo \"deb [ trusted=yes ] file://$tempDir ./\" > /etc/apt/sources.list.d/temp.list\n");
    }

    #[test]
    fn fix_removes_the_flag() {
        let src = "FROM a\nRUN apk add --allow-untrusted x\n";
        let fix = check("DO291", src)[0].fix.clone().unwrap();
        assert_eq!(&src[fix.edits[0].range.clone()], " --allow-untrusted");
        assert!(check("DO291", "FROM a\nRUN yum install --setopt=gpgcheck=0 x\n")[0].fix.is_none());
    }
}
