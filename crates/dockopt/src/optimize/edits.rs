//! Package caches: the cache flags of pip, apk, apt (via the rules' fixes) and the apt lists
//! removed in the layer that creates them.

use super::{Step, rule_fixes};

/// `--no-cache-dir`, `apk --no-cache`, `--no-install-recommends`, `-y`, and
/// `rm -rf /var/lib/apt/lists/*` after apt installs: the fixes of the rules that find them.
pub(crate) fn package_caches(text: &str) -> Step {
    rule_fixes(text, "package-caches", &["DO343", "DO322", "DO321", "DO123", "DO391", "DO300"])
}
