//! Package caches: the cache flags of pip, apk and apt, the apt lists removed and yum/dnf/zypper
//! caches cleaned in the layer that creates them, and the non-interactive flags; all through the
//! rules' fixes.

use super::{OptimizeOptions, Step, cache_mounts, rule_fixes};

/// `--no-cache-dir`, `apk --no-cache`, `--no-install-recommends`, `-y`, `rm -rf
/// /var/lib/apt/lists/*`, `yum/dnf/zypper clean`: the fixes of the rules that find them.
/// With `cache_mounts`, BuildKit cache mounts come first and stand in for `--no-cache-dir`.
pub(crate) fn package_caches(text: &str, options: &OptimizeOptions) -> Step {
    let mounted = if options.cache_mounts { cache_mounts::add(text) } else { Step::Unchanged };
    mounted.then(text, |text| rule_fixes(text, "package-caches", FIXED_BY_RULES))
}

/// The rules whose fixes this transform applies.
const FIXED_BY_RULES: &[&str] =
    &["DO343", "DO322", "DO321", "DO123", "DO391", "DO300", "DO340", "DO341", "DO342", "DO145", "DO146", "DO144"];
