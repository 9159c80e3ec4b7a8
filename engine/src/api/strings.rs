//! String helpers beyond Rhai's own (`to_lower`, `to_upper`, `trim`,
//! `starts_with`, `contains`, `split`, … are built in).
//!
//! Configuration values are often missing (`()`) or of another type, so every
//! helper here answers `false` (or `()`, `[]`) for a non-string instead of
//! raising an error.

use super::common::{func, text, with_items, Budget};
use rhai::{Array, Dynamic, Engine, EvalAltResult, ImmutableString, NativeCallContext};

/// Whether `a` and `b` are equal after Unicode lower-casing.
pub fn eq_ignore_case(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b) || a.chars().flat_map(char::to_lowercase).eq(b.chars().flat_map(char::to_lowercase))
}

/// Whether `test` holds for any string in `needles` (an array of strings, or
/// one string). Non-string items are ignored.
fn any_needle(needles: &Dynamic, test: impl Fn(&str) -> bool) -> bool {
    if let Some(found) = with_items(needles, |items| items.iter().filter_map(text).any(|n| test(&n))) {
        return found;
    }
    text(needles).is_some_and(|n| test(&n))
}

/// `s` split at whitespace and commas, without empty parts.
fn split_words(ctx: NativeCallContext, s: Dynamic) -> Result<Array, Box<EvalAltResult>> {
    let Some(s) = text(&s) else { return Ok(Array::new()) };
    let mut budget = Budget::new(&ctx);
    let mut out = Array::new();
    for word in s.split(|c: char| c.is_whitespace() || c == ',').filter(|w| !w.is_empty()) {
        budget.take(word.len())?;
        out.push(Dynamic::from(word.to_string()));
    }
    Ok(out)
}

/// `s` trimmed, without one pair of matching surrounding quotes.
pub fn trim_quotes(s: &str) -> &str {
    let s = s.trim();
    for q in ['"', '\'', '`'] {
        if let Some(inner) = s.strip_prefix(q).and_then(|rest| rest.strip_suffix(q)) {
            return inner;
        }
    }
    s
}

pub fn register(engine: &mut Engine) {
    func(
        "eq_ignore_case",
        &["a: &str", "b: &str", "bool"],
        "Whether `a` and `b` are equal ignoring case (Unicode lower-casing).\n\
         `false` if either is not a string.\n\
         ```rhai\n\
         eq_ignore_case(\"Enabled\", \"ENABLED\") && !eq_ignore_case((), \"\")\n\
         ```",
    )
    .register_into_engine(engine, |a: Dynamic, b: Dynamic| match (text(&a), text(&b)) {
        (Some(a), Some(b)) => eq_ignore_case(&a, &b),
        _ => false,
    });
    func(
        "starts_with_any",
        &["s: &str", "prefixes: Array", "bool"],
        "Whether `s` starts with any of `prefixes` (an array of strings, or one string).\n\
         `false` if `s` is not a string.\n\
         ```rhai\n\
         starts_with_any(\"docker.io/library/nginx\", [\"docker.io/\", \"index.docker.io/\"])\n\
         ```",
    )
    .register_into_engine(engine, |s: Dynamic, prefixes: Dynamic| text(&s).is_some_and(|s| any_needle(&prefixes, |p| s.starts_with(p))));
    func(
        "ends_with_any",
        &["s: &str", "suffixes: Array", "bool"],
        "Whether `s` ends with any of `suffixes` (an array of strings, or one string).\n\
         `false` if `s` is not a string.\n\
         ```rhai\n\
         ends_with_any(\"id_rsa.pem\", [\".pem\", \".key\"]) && !ends_with_any(\"a.txt\", [])\n\
         ```",
    )
    .register_into_engine(engine, |s: Dynamic, suffixes: Dynamic| text(&s).is_some_and(|s| any_needle(&suffixes, |p| s.ends_with(p))));
    func(
        "contains_any",
        &["s: &str", "parts: Array", "bool"],
        "Whether `s` contains any of `parts` (an array of strings, or one string) as a substring.\n\
         `false` if `s` is not a string.\n\
         ```rhai\n\
         contains_any(\"aes128-cbc,aes256-ctr\", [\"-cbc\", \"arcfour\"])\n\
         ```",
    )
    .register_into_engine(engine, |s: Dynamic, parts: Dynamic| text(&s).is_some_and(|s| any_needle(&parts, |p| s.contains(p))));
    func(
        "split_words",
        &["s: &str", "Array"],
        "The words of `s`: split at whitespace and commas, empty parts dropped.\n\
         `[]` if `s` is not a string.\n\
         ```rhai\n\
         split_words(\" aes128-ctr, aes256-ctr  chacha20 \") == [\"aes128-ctr\", \"aes256-ctr\", \"chacha20\"]\n\
         ```",
    )
    .register_into_engine(engine, split_words);
    func(
        "trim_quotes",
        &["s: &str", "ImmutableString"],
        "`s` with surrounding whitespace and one pair of matching `\"`, `'` or `` ` `` quotes removed.\n\
         `()` if `s` is not a string.\n\
         ```rhai\n\
         trim_quotes(\" \\\"no\\\" \") == \"no\" && trim_quotes(\"'it's'\") == \"it's\" && trim_quotes(\"\\\"x\") == \"\\\"x\"\n\
         ```",
    )
    .register_into_engine(engine, |s: Dynamic| match text(&s) {
        Some(s) => Dynamic::from(ImmutableString::from(trim_quotes(&s))),
        None => Dynamic::UNIT,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_and_case() {
        assert_eq!(trim_quotes("'a'"), "a");
        assert_eq!(trim_quotes("'"), "'");
        assert_eq!(trim_quotes("\"a'"), "\"a'");
        assert!(eq_ignore_case("ÄBC", "äbc"));
        assert!(!eq_ignore_case("abc", "abd"));
    }
}
