//! `parse_json(text)`: JSON embedded in configuration (IAM policy documents
//! in Terraform strings, CloudFormation policy text, annotations) as a
//! read-only value rules can walk like any other resource data.

use super::common::{func, text};
use crate::value::{Arr, Obj};
use rhai::{Dynamic, Engine, ImmutableString};
use serde_json::Value;

/// A JSON value as the read-only views rules see resource data as.
pub fn json_to_dynamic(v: &Value) -> Dynamic {
    match v {
        Value::Null => Dynamic::UNIT,
        Value::Bool(b) => Dynamic::from_bool(*b),
        Value::Number(n) => n.as_i64().map(Dynamic::from_int).unwrap_or_else(|| Dynamic::from_float(n.as_f64().unwrap_or(f64::NAN))),
        Value::String(s) => Dynamic::from(ImmutableString::from(s.as_str())),
        Value::Array(items) => Dynamic::from(Arr::new(items.iter().map(json_to_dynamic).collect())),
        Value::Object(map) => {
            Dynamic::from(Obj::new(map.iter().map(|(k, v)| (ImmutableString::from(k.as_str()), json_to_dynamic(v))).collect()))
        }
    }
}

const DOC: &str = "The JSON in `text` as a read-only map, array or scalar, or `()` when it is\nnot valid JSON (or not a string). Nesting is limited to 128 levels.\n\n```rhai\nlet p = parse_json(`{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"*\"}]}`);\np.Statement[0].Action == \"*\" && parse_json(\"{oops\") == ()\n```";

pub fn register(engine: &mut Engine) {
    func("parse_json", &["value: Dynamic", "Dynamic"], DOC)
        .register_into_engine(engine, |v: Dynamic| -> Dynamic { text(&v).map_or(Dynamic::UNIT, |s| parse(&s)) });
    // The exact string signature, so this wins over Rhai's own `parse_json`
    // (which raises an error on invalid input instead of returning `()`).
    func("parse_json", &["text: &str", "Dynamic"], DOC).register_into_engine(engine, |s: ImmutableString| -> Dynamic { parse(&s) });
}

fn parse(s: &str) -> Dynamic {
    serde_json::from_str::<Value>(s).map_or(Dynamic::UNIT, |j| json_to_dynamic(&j))
}
