//! Result constructors: `pass()`, `fail(message)`, `fail(message, path)`,
//! `skip(reason)`. A check returns one of these, a list of them, or a bool.

use rhai::{Dynamic, Engine, ImmutableString};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerdictKind {
    Pass,
    Fail,
    Skip,
}

/// What a rule says about one resource.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    pub kind: VerdictKind,
    pub message: String,
    /// Property path the failure is about (empty: the whole resource).
    pub path: String,
}

impl Verdict {
    fn new(kind: VerdictKind, message: &str, path: &str) -> Self {
        Verdict { kind, message: message.to_string(), path: path.to_string() }
    }

    /// Interprets a check's return value. `title` is the message of a bare `false`.
    pub fn from_return(value: Dynamic, title: &str) -> Result<Vec<Verdict>, String> {
        if value.is_unit() {
            return Ok(vec![Verdict::new(VerdictKind::Pass, "", "")]);
        }
        if let Some(b) = value.clone().try_cast::<bool>() {
            let kind = if b { VerdictKind::Pass } else { VerdictKind::Fail };
            return Ok(vec![Verdict::new(kind, if b { "" } else { title }, "")]);
        }
        if value.is_array() {
            let items = value.into_array().unwrap_or_default();
            let mut out = Vec::new();
            for item in items {
                out.extend(Verdict::from_return(item, title)?.into_iter().filter(|v| v.kind != VerdictKind::Pass));
            }
            if out.is_empty() {
                out.push(Verdict::new(VerdictKind::Pass, "", ""));
            }
            return Ok(out);
        }
        if value.is_string() {
            let message = value.into_string().unwrap_or_default();
            return Ok(vec![Verdict::new(VerdictKind::Fail, &message, "")]);
        }
        match value.try_cast::<Verdict>() {
            Some(v) => Ok(vec![v]),
            None => Err("check() must return pass(), fail(...), skip(...), a list of failures, a bool or a message string".into()),
        }
    }
}

pub fn register(engine: &mut Engine) {
    engine.register_type_with_name::<Verdict>("Verdict");
    engine.register_fn("pass", || Verdict::new(VerdictKind::Pass, "", ""));
    engine.register_fn("fail", |message: ImmutableString| Verdict::new(VerdictKind::Fail, &message, ""));
    engine.register_fn("fail", |message: ImmutableString, path: ImmutableString| Verdict::new(VerdictKind::Fail, &message, &path));
    engine.register_fn("skip", |reason: ImmutableString| Verdict::new(VerdictKind::Skip, &reason, ""));
    engine.register_get("message", |v: &mut Verdict| ImmutableString::from(v.message.as_str()));
    engine.register_get("path", |v: &mut Verdict| ImmutableString::from(v.path.as_str()));
    engine.register_get("failed", |v: &mut Verdict| v.kind == VerdictKind::Fail);
}
