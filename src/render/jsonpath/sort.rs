//! `--sort-by` as kubectl sorts: its comparison over JSON values, run by Go's `sort.Sort`.

use serde_json::Value;

use super::Template;
use super::eval::{Val, go_type};
use crate::render::go_json::GoNumber;

/// A Kubernetes resource quantity (`100m`, `10Gi`, `1e3`) as a number, for `--sort-by`.
fn quantity(text: &str) -> Option<f64> {
    const SUFFIXES: [(&str, f64); 15] = [
        ("Ki", 1024.0),
        ("Mi", 1048576.0),
        ("Gi", 1073741824.0),
        ("Ti", 1099511627776.0),
        ("Pi", 1125899906842624.0),
        ("Ei", 1152921504606846976.0),
        ("n", 1e-9),
        ("u", 1e-6),
        ("m", 1e-3),
        ("k", 1e3),
        ("M", 1e6),
        ("G", 1e9),
        ("T", 1e12),
        ("P", 1e15),
        ("E", 1e18),
    ];
    let (number, factor) = SUFFIXES
        .iter()
        .find_map(|(suffix, factor)| text.strip_suffix(suffix).map(|n| (n, *factor)))
        .unwrap_or((text, 1.0));
    let digits = number.strip_prefix(['+', '-']).unwrap_or(number);
    let mantissa = digits.split(['e', 'E']).next().unwrap_or(digits);
    let plain = !mantissa.is_empty()
        && mantissa.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && mantissa.bytes().filter(|b| *b == b'.').count() <= 1
        && mantissa != ".";
    if !plain || (factor != 1.0 && digits.contains(['e', 'E'])) {
        return None;
    }
    number.parse::<f64>().ok().map(|n| n * factor)
}

/// Whether `a` sorts before `b` (kubectl's `isLess` over JSON values).
fn less(a: &Value, b: &Value) -> Result<bool, String> {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (GoNumber::of(x), GoNumber::of(y)) {
            (GoNumber::Int(x), GoNumber::Int(y)) => Ok(x < y),
            (GoNumber::Float(x), GoNumber::Float(y)) => Ok(x < y),
            _ => Err(format!("unsortable type: {}", go_type(a))),
        },
        (Value::String(x), Value::String(y)) => Ok(match (quantity(x), quantity(y)) {
            (Some(p), Some(q)) => p < q,
            // kubectl 1.32 compares other strings by their bytes (`web-10` before `web-9`).
            _ => x < y,
        }),
        (Value::Null, Value::Null) => Ok(false),
        (Value::Null, _) => Ok(true),
        (_, Value::Null) => Ok(false),
        _ => Err(format!("unsortable type: {}", go_type(a))),
    }
}

/// The order of `items` sorted by the first value of `key` in each, as `kubectl --sort-by`
/// sorts: Go's `sort.Sort` (see `render::go_sort`) with kubectl's comparison, in which an
/// item without the field is less than any other (so a short list puts those first, last seen
/// first), then numbers by value, quantities by amount, other strings by their bytes. The
/// comparison is not a total order, which is why Go's algorithm, not Rust's sort, runs it.
/// An error when no item has the field, or when two compared values cannot be compared.
pub fn sort_order(items: &[Value], key: &Template) -> Result<Vec<usize>, String> {
    let keys: Vec<Option<Val<'_>>> =
        items.iter().map(|item| Ok(key.first_values(item)?.into_iter().next())).collect::<Result<_, String>>()?;
    if !items.is_empty() && keys.iter().all(Option::is_none) {
        return Err(format!("couldn't find any field with path {:?} in the list of objects", key.text));
    }
    let mut problem = None;
    let order = crate::render::go_sort::sort_sort(items.len(), |i, j| match (&keys[i], &keys[j]) {
        (None, _) => true,
        (_, None) => false,
        (Some(x), Some(y)) => less(x, y).unwrap_or_else(|e| {
            problem.get_or_insert(e);
            false
        }),
    });
    match problem {
        Some(problem) => Err(format!("field {:?} is an unsortable type: {problem}", key.text)),
        None => Ok(order),
    }
}
