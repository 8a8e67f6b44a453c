//! The value of a shell test (`[ "$MODE" = full ]`, `test -n "$X"`, `[[ $A != b ]]`) when the
//! variables it reads are known: what decides which branch of a RUN a build takes. Only the
//! string tests Dockerfiles branch on are understood; anything else is `None` (unknown).

/// Evaluate `test` as written; `value` gives a variable's value (`Some("")` for an unset
/// one) or `None` when it is not known before the build.
pub fn evaluate(test: &str, value: &dyn Fn(&str) -> Option<String>) -> Option<bool> {
    let test = test.trim();
    let inner = if let Some(rest) = test.strip_prefix("[[") {
        rest.strip_suffix("]]")?
    } else if let Some(rest) = test.strip_prefix('[') {
        rest.strip_suffix(']')?
    } else {
        test.strip_prefix("test ")?
    };
    let mut words = split(inner, value)?;
    let negated = words.first().is_some_and(|w| w.literal && w.text == "!");
    if negated {
        words.remove(0);
    }
    let texts: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
    let operator = |i: usize| words.get(i).filter(|w| w.literal).map(|w| w.text.as_str());
    let result = match texts.len() {
        1 => !texts[0].is_empty(),
        2 => match operator(0)? {
            "-n" => !texts[1].is_empty(),
            "-z" => texts[1].is_empty(),
            _ => return None,
        },
        3 => match operator(1)? {
            "=" | "==" => texts[0] == texts[2],
            "!=" => texts[0] != texts[2],
            _ => return None,
        },
        _ => return None,
    };
    Some(result != negated)
}

/// One word after quote removal and expansion; `literal` when it was written without quotes
/// or expansions (only such a word can be an operator).
struct TestWord {
    text: String,
    literal: bool,
}

/// Split into words, removing quotes and expanding `$NAME` / `${NAME}`; `None` on anything
/// else (`$(...)`, `${X:-y}`, globs, an unterminated quote) or an unknown variable.
fn split(text: &str, value: &dyn Fn(&str) -> Option<String>) -> Option<Vec<TestWord>> {
    let mut words = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        if chars.peek().is_none() {
            return Some(words);
        }
        let mut word = TestWord { text: String::new(), literal: true };
        let mut quote: Option<char> = None;
        while let Some(&c) = chars.peek() {
            if quote.is_none() && c.is_whitespace() {
                break;
            }
            chars.next();
            match (quote, c) {
                (None, '\'' | '"') => {
                    quote = Some(c);
                    word.literal = false;
                }
                (Some(q), c) if c == q => quote = None,
                (Some('\''), c) => word.text.push(c),
                (_, '$') => {
                    word.literal = false;
                    let name = variable(&mut chars)?;
                    word.text.push_str(&value(&name)?);
                }
                (_, '\\' | '`' | '*' | '?') => return None,
                (_, c) => word.text.push(c),
            }
        }
        if quote.is_some() {
            return None;
        }
        words.push(word);
    }
}

/// The name after a `$`: `NAME` or `{NAME}`; `None` for any other expansion.
fn variable(chars: &mut std::iter::Peekable<std::str::Chars>) -> Option<String> {
    let braced = chars.next_if_eq(&'{').is_some();
    let mut name = String::new();
    while let Some(c) = chars.next_if(|c| c.is_ascii_alphanumeric() || *c == '_') {
        name.push(c);
    }
    if braced && chars.next() != Some('}') {
        return None;
    }
    (!name.is_empty() && !name.starts_with(|c: char| c.is_ascii_digit())).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(test: &str) -> Option<bool> {
        let value = |name: &str| match name {
            "MODE" => Some("full".to_owned()),
            "EMPTY" => Some(String::new()),
            _ => None,
        };
        evaluate(test, &value)
    }

    #[test]
    fn string_tests_with_known_variables() {
        assert_eq!(eval(r#"[ "$MODE" = "full" ]"#), Some(true));
        assert_eq!(eval(r#"[ "$MODE" != "full" ]"#), Some(false));
        assert_eq!(eval(r#"[[ ${MODE} == full ]]"#), Some(true));
        assert_eq!(eval(r#"test -n "$EMPTY""#), Some(false));
        assert_eq!(eval(r#"[ -z "$EMPTY" ]"#), Some(true));
        assert_eq!(eval(r#"[ ! -z "$MODE" ]"#), Some(true));
        assert_eq!(eval(r#"[ "$MODE" ]"#), Some(true));
        assert_eq!(eval(r#"[ "x$EMPTY" = "x" ]"#), Some(true));
        // An operator quoted is an operand: `[ "=" ]` is a non-empty string.
        assert_eq!(eval(r#"[ "-n" ]"#), Some(true));
    }

    #[test]
    fn unknown_when_a_value_or_the_form_is() {
        assert_eq!(eval(r#"[ "$OTHER" = "x" ]"#), None);
        assert_eq!(eval(r#"[ "${MODE:-x}" = "x" ]"#), None);
        assert_eq!(eval(r#"[ "$(uname -m)" = "x86_64" ]"#), None);
        assert_eq!(eval(r#"[ -f /etc/os-release ]"#), None);
        assert_eq!(eval(r#"[ "$MODE" = full -a -n "$MODE" ]"#), None);
        assert_eq!(eval(r#"grep -q x file"#), None);
        assert_eq!(eval(r#"[ "$MODE = full ]"#), None);
    }
}
