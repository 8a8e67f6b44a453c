//! Source ranges of the key/value pairs of ENV, LABEL and ARG (also under ONBUILD).

use std::ops::Range;

use super::{Context, Ins};
use crate::model::Pair;

/// One pair of an instruction with where its key and value are written.
#[derive(Debug, Clone)]
pub struct PairSpan<'a> {
    pub pair: &'a Pair,
    /// The key as written.
    pub key: Range<usize>,
    /// The value as written (quotes included), when it is on one line; otherwise the key.
    pub value: Range<usize>,
}

/// The pairs of `ins` (or the instruction ONBUILD registers) with their source ranges.
/// Pairs whose key cannot be found (never for well-formed input) point at the arguments.
pub fn pair_spans<'a>(cx: &Context<'a>, ins: Ins<'a>) -> Vec<PairSpan<'a>> {
    let args = cx.arguments_range(ins);
    let mut cursor = args.start;
    let mut out = Vec::new();
    for pair in &ins.effective().pairs {
        let rest = &cx.src[cursor..args.end];
        let Some(at) = (!pair.key.is_empty()).then(|| rest.find(&*pair.key)).flatten() else {
            out.push(PairSpan { pair, key: args.clone(), value: args.clone() });
            continue;
        };
        let key = cursor + at..cursor + at + pair.key.len();
        cursor = key.end;
        let mut value = key.clone();
        if let Some(written) = pair.value.as_deref() {
            let after = &cx.src[key.end..args.end];
            let start = match after.strip_prefix('=') {
                Some(_) => key.end + 1,
                None => key.end + (after.len() - after.trim_start_matches([' ', '\t']).len()),
            };
            if cx.src[start..args.end].starts_with(written) {
                value = start..start + written.len();
                cursor = value.end;
            }
        }
        out.push(PairSpan { pair, key, value });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::LintOptions;

    fn spans(src: &str, index: usize) -> Vec<(String, String)> {
        let file = crate::parse(src);
        let model = file.model();
        let options = LintOptions::default();
        let cx = Context::new(file.source(), file.syntax(), &model, &options);
        pair_spans(&cx, cx.ins(index))
            .iter()
            .map(|p| (src[p.key.clone()].to_owned(), src[p.value.clone()].to_owned()))
            .collect()
    }

    #[test]
    fn finds_keys_and_values() {
        let src = "FROM a\nLABEL a=1 \"b\"=\"x y\" \\\n  c=3\nENV K v w\nARG X Y=2\nONBUILD ENV Q=1\n";
        let pairs = |v: &[(&str, &str)]| v.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect::<Vec<_>>();
        assert_eq!(spans(src, 1), pairs(&[("a", "1"), ("\"b\"", "\"x y\""), ("c", "3")]));
        assert_eq!(spans(src, 2), pairs(&[("K", "v w")]));
        assert_eq!(spans(src, 3), pairs(&[("X", "X"), ("Y", "2")]));
        assert_eq!(spans(src, 4), pairs(&[("Q", "1")]));
    }
}
