//! "Did you mean …?" suggestions for misspelt names.

/// The candidate closest to `word` by edit distance, if it is close enough
/// to be a plausible typo (at most a third of the word's length).
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(1);
    candidates.into_iter().map(|c| (distance(word, c), c)).filter(|(d, _)| *d <= limit).min_by_key(|(d, c)| (*d, *c)).map(|(_, c)| c)
}

/// Levenshtein distance over characters.
pub fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb { prev } else { 1 + prev.min(row[j]).min(cur) };
            prev = cur;
        }
    }
    row[b.len()]
}

/// A "did you mean" hint for calls to helpers that do not exist, and an
/// explanation for attempts to modify the resource.
pub fn hint_for_runtime_error(err: &rhai::EvalAltResult) -> String {
    let text = err.to_string();
    if text.contains("No writable property") || text.contains("No writable indexer") {
        return " (resources are read-only; copy with `to_map()` or `to_array()` to build a modified value)".into();
    }
    const HELPERS: &[&str] = crate::api::common::HELPER_NAMES;
    if let rhai::EvalAltResult::ErrorFunctionNotFound(sig, ..) = err {
        let name = sig.split(['(', ' ']).next().unwrap_or(sig);
        if let Some(s) = closest(name, HELPERS.iter().copied()) {
            return format!(" (did you mean `{s}`?)");
        }
    }
    String::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_only_near_misses() {
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(closest("severty", ["severity", "title"]), Some("severity"));
        assert_eq!(closest("zzz", ["severity", "title"]), None);
    }
}
