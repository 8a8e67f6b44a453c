//! Package caches: the cache flags of pip, apk and apt, the apt lists removed and yum/dnf/zypper
//! caches cleaned in the layer that creates them, and the non-interactive flags; all through the
//! rules' fixes.

use super::{OptimizeOptions, Step, cache_mounts, rule_fixes};
use crate::lint::Context;
use crate::lint::invocation::unwrap;

/// `--no-cache-dir`, `apk --no-cache`, `--no-install-recommends`, `-y`, `rm -rf
/// /var/lib/apt/lists/*`, `yum/dnf/zypper clean`: the fixes of the rules that find them.
/// With `cache_mounts`, BuildKit cache mounts come first and stand in for `--no-cache-dir`.
pub(crate) fn package_caches(text: &str, options: &OptimizeOptions) -> Step {
    let mounted = if options.cache_mounts { cache_mounts::add(text) } else { Step::Unchanged };
    mounted.then(text, |text| {
        let rules: Vec<&str> =
            FIXED_BY_RULES.iter().copied().filter(|r| *r != "DO321" || !needs_recommends(text)).collect();
        rule_fixes(text, "package-caches", &rules)
    })
}

/// The rules whose fixes this transform applies.
const FIXED_BY_RULES: &[&str] =
    &["DO343", "DO322", "DO321", "DO123", "DO391", "DO300", "DO340", "DO341", "DO342", "DO145", "DO146", "DO144"];

/// Debian packages whose recommended packages the installed program uses: `curl`, `wget` and
/// `git` reach HTTPS servers with `ca-certificates` (a recommendation), `python3-pip` compiles
/// with `build-essential` and `python3-dev`, browsers and office suites render with their
/// recommended fonts. Without the recommendations they install but fail at run time.
const RECOMMENDS_USED: &[&str] = &[
    "curl",
    "wget",
    "git",
    "python3-pip",
    "python-pip",
    "npm",
    "nodejs",
    "gnupg",
    "gnupg2",
    "chromium",
    "chromium-driver",
    "firefox-esr",
    "libreoffice",
    "imagemagick",
    "ffmpeg",
    "texlive",
    "pandoc",
    "wkhtmltopdf",
    "openjdk-17-jre",
    "default-jre",
];

/// Whether an apt install of the file installs a package whose recommendations matter, without
/// `ca-certificates` among the packages it names itself.
fn needs_recommends(text: &str) -> bool {
    Context::read(text, |cx| {
        cx.commands(None).any(|(_, cmd)| {
            let cmd = unwrap(cmd);
            if !((cmd.is("apt-get") || cmd.is("apt")) && cmd.subcommand() == Some("install")) {
                return false;
            }
            let packages: Vec<&str> =
                cmd.operands().skip(1).map(|w| w.text().split('=').next().unwrap_or_default()).collect();
            let certificates = packages.contains(&"ca-certificates");
            packages.iter().any(|p| {
                RECOMMENDS_USED.iter().any(|r| p == r || p.starts_with(&format!("{r}-")))
                    && !(certificates && matches!(*p, "curl" | "wget" | "git"))
            })
        })
    })
}

#[cfg(test)]
mod tests {
    use super::needs_recommends;

    #[test]
    fn recommendations_that_programs_use() {
        assert!(needs_recommends("FROM debian\nRUN apt-get install -y curl\n"));
        assert!(!needs_recommends("FROM debian\nRUN apt-get install -y curl ca-certificates\n"));
        assert!(needs_recommends("FROM debian\nRUN apt-get install -y python3-pip\n"));
        assert!(!needs_recommends("FROM debian\nRUN apt-get install -y libpq5 tini\n"));
    }
}
