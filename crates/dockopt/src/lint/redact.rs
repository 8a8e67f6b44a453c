//! Where secret values sit in the source, so that no output ever shows them: values of
//! ENV/ARG entries whose name says secret, random-looking ENV/ARG/LABEL values, credentials
//! wherever they appear, and passwords on command lines (all as crate::secrets finds them).

use std::ops::Range;

use super::Context;
use crate::secrets::{is_secret_name, looks_random};

/// Every range of `cx.src` that must be hidden.
pub fn secret_ranges(cx: &Context) -> Vec<Range<usize>> {
    let written = cx.credentials();
    let mut out: Vec<Range<usize>> =
        written.by_format.iter().chain(&written.on_command_lines).map(|c| c.range.clone()).collect();
    for ins in cx.instructions().filter(|i| matches!(i.effective().keyword.as_ref(), "ENV" | "ARG" | "LABEL")) {
        for span in super::pairs::pair_spans(cx, ins) {
            let value = span.pair.resolved.as_deref().or(span.pair.value.as_deref()).unwrap_or_default();
            if looks_random(&span.pair.key, value) {
                out.push(span.value);
            }
        }
    }
    for ins in cx.instructions().filter(|i| i.is("ENV") || i.is("ARG")) {
        let words: Vec<Range<usize>> = cx.word_ranges(ins);
        let legacy = ins.is("ENV") && words.first().is_some_and(|w| !cx.text(w.clone()).contains('='));
        if legacy {
            if is_secret_name(cx.text(words[0].clone())) && words.len() > 1 {
                out.push(words[1].start..words[words.len() - 1].end);
            }
            continue;
        }
        for w in words {
            let text = cx.text(w.clone());
            if let Some(eq) = text.find('=')
                && is_secret_name(&text[..eq])
                && eq + 1 < text.len()
            {
                out.push(w.start + eq + 1..w.end);
            }
        }
    }
    out.sort_by_key(|r| r.start);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::LintOptions;

    #[test]
    fn finds_secret_values() {
        let src = "FROM a\nENV DB_PASSWORD=hunter2 USER=app\nARG API_TOKEN\nENV SECRET_KEY s3cr3t v\nRUN echo AKIAABCDEFGHIJKLMNOP\n";
        let file = crate::parse(src);
        let model = file.model();
        let options = LintOptions::default();
        let cx = Context::new(src, file.syntax(), &model, &options);
        let hidden: Vec<&str> = secret_ranges(&cx).into_iter().map(|r| &src[r]).collect();
        assert_eq!(hidden, vec!["hunter2", "s3cr3t v", "AKIAABCDEFGHIJKLMNOP"]);
        let url = "FROM a\nENV DATABASE_URL=postgres://admin:hunter2@db:5432/app\nRUN curl -u u:Passw0rd9 x\nLABEL sig=q8Zr3Kx0Lm2Vw9Tb7Yp4Nc6Hd1Gf5Js0\n";
        let file = crate::parse(url);
        let model = file.model();
        let cx = Context::new(url, file.syntax(), &model, &options);
        let hidden: Vec<&str> = secret_ranges(&cx).into_iter().map(|r| &url[r]).collect();
        assert_eq!(hidden, vec!["hunter2", "Passw0rd9", "q8Zr3Kx0Lm2Vw9Tb7Yp4Nc6Hd1Gf5Js0"]);
    }
}
