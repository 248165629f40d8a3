//! Printing values as kubectl prints template results: Go's `fmt` and `encoding/json` forms.

use std::fmt::Write as _;

use serde_json::Value;

use crate::render::go_json::{GoNumber, fmt_float};

/// A value as `-o jsonpath` prints it: strings raw, numbers and booleans as Go prints them,
/// maps and lists as Go's JSON encoder writes them.
pub(crate) fn print_value(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => go_number(n),
        Value::Object(_) | Value::Array(_) => go_json(value),
        other => other.to_string(),
    }
}

/// Compact JSON as Go's `json.Marshal` writes it (see `render::go_json`).
fn go_json(value: &Value) -> String {
    crate::render::go_json::compact(value)
}

/// A number as Go's `fmt` prints it: kubectl's `int64`s as they are, its `float64`s (`60.0`
/// too) in `%v` form (`60`, `1.5`, `1.2345e+06`).
fn go_number(number: &serde_json::Number) -> String {
    match GoNumber::of(number) {
        GoNumber::Int(i) => i.to_string(),
        GoNumber::Float(f) => fmt_float(f),
    }
}

/// A value as Go's `fmt.Sprint` prints it (custom-columns cells): `map[k:v]` with sorted
/// keys, `[a b]`, `<nil>`.
pub(crate) fn go_sprint(value: &Value) -> String {
    let mut out = String::new();
    sprint_into(value, &mut out);
    out
}

fn sprint_into(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("<nil>"),
        Value::String(s) => out.push_str(s),
        Value::Number(n) => out.push_str(&go_number(n)),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                sprint_into(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push_str("map[");
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                let _ = write!(out, "{key}:");
                sprint_into(item, out);
            }
            out.push(']');
        }
    }
}
