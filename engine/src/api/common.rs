//! Plumbing shared by the helper families: documented registration, reading
//! strings out of `Dynamic` values, and output budgets that keep a helper
//! within the sandbox's size limits while it builds its result.

use rhai::{Dynamic, EvalAltResult, FuncRegistration, ImmutableString, NativeCallContext, Position};

/// Every helper a rule can call, for "did you mean" hints on misspelt
/// calls ([`crate::suggest::hint_for_runtime_error`]). The API tests check
/// that each is registered and documented.
#[rustfmt::skip]
pub const HELPER_NAMES: &[&str] = &[
    // results and paths
    "pass", "fail", "skip", "get_path", "has_path", "exists", "missing", "blank", "find_keys",
    // strings
    "eq_ignore_case", "starts_with_any", "ends_with_any", "contains_any", "split_words", "trim_quotes",
    // regex and glob
    "matches", "capture", "captures_all", "glob_match", "parse_json",
    // units
    "parse_duration", "parse_size", "parse_cpu",
    // net and ports
    "is_valid_ip", "is_valid_cidr", "is_any_cidr", "cidr_contains", "is_private", "port_in_range", "parse_port_range",
    // versions
    "version_cmp", "version_lt", "version_le", "version_gt", "version_ge",
    // dates
    "parse_date", "scan_time", "days_since", "days_between", "is_before", "is_after",
];

/// A registration for helper `name`. `params` are `"name: type"` strings
/// followed by the return type (Rhai's convention); `doc` is Markdown, one
/// doc-comment line per line, ending in a ```` ```rhai ```` example whose
/// last expression is `true` (the API tests run every example).
pub fn func(name: &str, params: &[&str], doc: &str) -> FuncRegistration {
    let comments = doc.lines().map(|line| if line.is_empty() { "///".to_string() } else { format!("/// {line}") });
    FuncRegistration::new(name).with_params_info(params).with_comments(comments)
}

/// `v` as a string, if it is a string or a character.
pub fn text(v: &Dynamic) -> Option<ImmutableString> {
    if let Some(s) = v.read_lock::<ImmutableString>() {
        return Some(s.clone());
    }
    v.as_char().ok().map(|c| c.to_string().into())
}

/// How much a helper may put into one result: the sandbox's array and
/// string limits, so a helper fails before allocating what Rhai would
/// reject after the call anyway.
pub struct Budget {
    items: usize,
    bytes: usize,
}

impl Budget {
    pub fn new(ctx: &NativeCallContext) -> Self {
        let unlimited = |n: usize| if n == 0 { usize::MAX } else { n };
        Budget { items: unlimited(ctx.engine().max_array_size()), bytes: unlimited(ctx.engine().max_string_size()) }
    }

    /// Accounts for one more array item holding `bytes` bytes of text.
    pub fn take(&mut self, bytes: usize) -> Result<(), Box<EvalAltResult>> {
        if self.items == 0 {
            return Err(EvalAltResult::ErrorDataTooLarge("Size of array".into(), Position::NONE).into());
        }
        self.items -= 1;
        self.bytes =
            self.bytes.checked_sub(bytes).ok_or_else(|| EvalAltResult::ErrorDataTooLarge("Length of string".into(), Position::NONE))?;
        Ok(())
    }
}

/// Runs `f` on the items of `v` if it is an array: a Rhai array or a
/// read-only resource array ([`crate::value::Arr`]).
pub fn with_items<R>(v: &Dynamic, f: impl FnOnce(&[Dynamic]) -> R) -> Option<R> {
    if let Some(a) = v.read_lock::<crate::value::Arr>() {
        return Some(f(a.items()));
    }
    v.read_lock::<rhai::Array>().map(|a| f(&a))
}

/// Property `key` of `v` if it is a map: a Rhai map or a read-only resource
/// object ([`crate::value::Obj`]).
pub fn field(v: &Dynamic, key: &str) -> Option<Dynamic> {
    if let Some(o) = v.read_lock::<crate::value::Obj>() {
        return o.get(key).cloned();
    }
    v.read_lock::<rhai::Map>()?.get(key).cloned()
}
