//! base-image: the shipped stages move to the slim variant of their official image (the fix of
//! DO390), and with `--alpine` on to Alpine. Precondition: the new base still has everything
//! the stage uses (commands its RUNs, HEALTHCHECK, CMD/ENTRYPOINT and entrypoint scripts run,
//! compilers its dependency installs need, libraries its dependencies load); otherwise the
//! transform is skipped with what would be missing.

use super::{OptimizeOptions, Step, alpine, rule_fixes};
use crate::lint::Context;
use crate::lint::invocation::is_shipped;
use crate::model::ImageRef;
use crate::semantics::BuildContext;
use crate::semantics::bases::{BaseFacts, Variant, lookup};
use crate::semantics::needs::missing_on;

/// At most this many missing things are named in a skip reason.
const NAMED: usize = 3;

/// What the shipped stages of `text` would miss on the `variant` of their base image.
fn missing_on_variant(text: &str, context: Option<&BuildContext>, variant: Variant) -> Vec<String> {
    // Only the moves the transform makes: full -> slim, slim -> Alpine.
    let (from, tag) = match variant {
        Variant::Slim => (Variant::Full, "slim"),
        Variant::Alpine => (Variant::Slim, "alpine"),
        Variant::Full => return Vec::new(),
    };
    Context::read(text, |cx| {
        let mut reasons = Vec::new();
        for stage in cx.model.stages.iter().filter(|s| is_shipped(cx, s.index)) {
            let Some(image) = &stage.image else { continue };
            if Variant::of_tag(image.tag.as_deref()) != Some(from) {
                continue;
            }
            let Some(current) = lookup(image) else { continue };
            let Some(target) = lookup(&ImageRef { tag: Some(tag.into()), ..image.clone() }) else { continue };
            if target.name == current.name {
                continue;
            }
            reasons.extend(missing_on(cx, stage.index, context, current, target));
            reasons.extend(artifacts_from_other_bases(cx, stage, target));
        }
        reasons
    })
}

/// Stages this one copies from that install dependencies on another base image: what they
/// compile links against that image's libraries, which `target` may lack.
fn artifacts_from_other_bases(cx: &Context, stage: &crate::model::Stage, target: &BaseFacts) -> Vec<String> {
    let mut reasons = Vec::new();
    for ins in stage.instructions.iter().map(|&i| cx.ins(i)).filter(|i| i.is("COPY")) {
        let Some(from) = ins.flag("from").and_then(|f| f.value.as_deref()) else { continue };
        let Some(source) =
            cx.model.stages.iter().find(|s| s.name.as_deref().is_some_and(|n| n.eq_ignore_ascii_case(from)))
        else {
            continue;
        };
        let same_base = source.image.as_ref().and_then(lookup).is_some_and(|b| b.name == target.name);
        let installs = cx.commands(Some(source.index)).any(|(_, c)| {
            let c = crate::lint::invocation::unwrap(c);
            let program = c.program().unwrap_or_default();
            crate::lint::invocation::is_pip(program)
                || (program.starts_with("python") && c.args.iter().any(|w| w.text() == "pip"))
                || matches!(program, "npm" | "yarn" | "pnpm" | "bundle" | "gem" | "uv" | "poetry")
        });
        if installs && !same_base {
            reasons.push(format!(
                "line {}: stage `{from}` installs dependencies on another base; what it compiles may need libraries `{}` lacks",
                ins.model.span.start.line, target.name
            ));
        }
    }
    reasons
}

fn skip(reasons: &[String], target: &str) -> Step {
    let more = reasons.len().saturating_sub(NAMED);
    let mut reason = format!(
        "the {target} image would miss what the stage uses: {}",
        reasons[..reasons.len().min(NAMED)].join("; ")
    );
    if more > 0 {
        reason.push_str(&format!(" (and {more} more)"));
    }
    Step::Skipped(reason)
}

/// The slim variant (the fix of DO390), then Alpine when asked for; each only when the stage
/// keeps everything it uses.
pub(crate) fn base_image(text: &str, options: &OptimizeOptions, context: Option<&BuildContext>) -> Step {
    let missing = missing_on_variant(text, context, Variant::Slim);
    let slim = if missing.is_empty() { rule_fixes(text, "base-image", &["DO390"]) } else { skip(&missing, "slim") };
    if !options.alpine {
        return slim;
    }
    slim.then(text, |text| {
        let missing = missing_on_variant(text, context, Variant::Alpine);
        if missing.is_empty() { alpine::to_alpine(text) } else { skip(&missing, "Alpine") }
    })
}
