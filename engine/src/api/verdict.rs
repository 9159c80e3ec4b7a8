//! Result constructors: `pass()`, `fail(message)`, `fail(message, path)`,
//! `skip(reason)`. A check returns one of these, a list of them, or a bool.

use super::common::func;
use rhai::{Dynamic, Engine, FuncRegistration, ImmutableString};

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
        // `as_bool` inspects in place: a returned array of failures is not copied.
        if let Ok(b) = value.as_bool() {
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
    func(
        "pass",
        &["Verdict"],
        "The resource passes (as do `true`, `()` and an empty array returned from `check`).\n\
         ```rhai\n\
         !pass().failed\n\
         ```",
    )
    .register_into_engine(engine, || Verdict::new(VerdictKind::Pass, "", ""));
    func(
        "fail",
        &["message: &str", "Verdict"],
        "One failure with `message` about the whole resource.\n\
         ```rhai\n\
         fail(\"bucket is public\").failed\n\
         ```",
    )
    .register_into_engine(engine, |message: ImmutableString| Verdict::new(VerdictKind::Fail, &message, ""));
    func(
        "fail",
        &["message: &str", "path: &str", "Verdict"],
        "One failure with `message`, pointing at the property `path` (the report shows its line;\n\
         a path that does not exist resolves to its nearest existing parent).\n\
         ```rhai\n\
         let v = fail(\"runs privileged\", \"spec.containers[0].securityContext.privileged\");\n\
         v.failed && v.path == \"spec.containers[0].securityContext.privileged\"\n\
         ```",
    )
    .register_into_engine(engine, |message: ImmutableString, path: ImmutableString| Verdict::new(VerdictKind::Fail, &message, &path));
    func(
        "skip",
        &["reason: &str", "Verdict"],
        "The rule does not apply to this resource (not assessed), and why.\n\
         ```rhai\n\
         let v = skip(\"no pod template\");\n\
         !v.failed && v.message == \"no pod template\"\n\
         ```",
    )
    .register_into_engine(engine, |reason: ImmutableString| Verdict::new(VerdictKind::Skip, &reason, ""));
    FuncRegistration::new_getter("message")
        .with_params_info(["v: &mut Verdict", "ImmutableString"])
        .with_comments(["/// The message of a failure, or the reason of a skip."])
        .register_into_engine(engine, |v: &mut Verdict| ImmutableString::from(v.message.as_str()));
    FuncRegistration::new_getter("path")
        .with_params_info(["v: &mut Verdict", "ImmutableString"])
        .with_comments(["/// The property path a failure points at (empty: the whole resource)."])
        .register_into_engine(engine, |v: &mut Verdict| ImmutableString::from(v.path.as_str()));
    FuncRegistration::new_getter("failed")
        .with_params_info(["v: &mut Verdict", "bool"])
        .with_comments(["/// Whether this is a failure."])
        .register_into_engine(engine, |v: &mut Verdict| v.kind == VerdictKind::Fail);
}
