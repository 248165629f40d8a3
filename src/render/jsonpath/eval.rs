//! Evaluating a parsed template against a document, as client-go's `jsonpath.go` walks it: by
//! reference, so `{..x}` over a large input copies nothing.

use std::borrow::Cow;

use serde_json::Value;

use super::format::go_sprint;
use super::{Node, Param};
use crate::render::go_json::GoNumber;

/// Evaluates `nodes` against `data`, appending each node's results; a `range` runs the nodes
/// after it, up to its `end`, once per result of its path. Returns how many nodes were used.
/// An `end` outside a range is an error, as in client-go.
pub(super) fn find<'a>(
    nodes: &[Node],
    data: &Val<'a>,
    out: &mut Vec<Vec<Val<'a>>>,
    in_range: bool,
) -> Result<usize, String> {
    let mut i = 0;
    while i < nodes.len() {
        let node = &nodes[i];
        if let Node::List(steps) = node {
            match steps.first() {
                Some(Node::End) if in_range => return Ok(i + 1),
                Some(Node::End) => return Err("not in range, nothing to end".into()),
                Some(Node::Range) => {
                    let values = walk(&steps[1..], vec![data.clone()])?;
                    let body = &nodes[i + 1..];
                    // Nothing to range over: the body is only skipped, to its end.
                    let mut used = body_length(body);
                    for value in &values {
                        used = find(body, value, out, true)?;
                    }
                    i += 1 + used;
                    continue;
                }
                _ => {}
            }
        }
        out.push(walk(std::slice::from_ref(node), vec![data.clone()])?);
        i += 1;
    }
    Ok(i)
}

/// How many nodes a range's body takes, its `{end}` included (all that is left without one).
fn body_length(nodes: &[Node]) -> usize {
    let mut depth = 0;
    for (i, node) in nodes.iter().enumerate() {
        match node {
            Node::List(steps) if steps.first() == Some(&Node::Range) => depth += 1,
            Node::List(steps) if steps.first() == Some(&Node::End) && depth == 0 => return i + 1,
            Node::List(steps) if steps.first() == Some(&Node::End) => depth -= 1,
            _ => {}
        }
    }
    nodes.len()
}

/// Applies nodes one after another to `values`.
fn walk<'a>(nodes: &[Node], mut values: Vec<Val<'a>>) -> Result<Vec<Val<'a>>, String> {
    for node in nodes {
        values = step(node, values)?;
    }
    Ok(values)
}

fn step<'a>(node: &Node, input: Vec<Val<'a>>) -> Result<Vec<Val<'a>>, String> {
    Ok(match node {
        Node::Text(text) => vec![Cow::Owned(Value::String(text.clone()))],
        Node::List(nodes) => walk(nodes, input)?,
        Node::Field(name) => input
            .iter()
            .flat_map(|v| below(v, |v| v.as_object().and_then(|m| m.get(name)).into_iter().collect()))
            .collect(),
        // `.*` is over maps only; `[*]` is the slice of a list.
        Node::Wildcard => input
            .iter()
            .flat_map(|v| below(v, |v| v.as_object().map_or_else(Vec::new, |m| m.values().collect())))
            .collect(),
        Node::Recursive => {
            let mut out = Vec::new();
            recursive(&input, &mut out);
            out
        }
        Node::Array(params) => array(&input, params)?,
        Node::Filter { left, right, op } => filter(&input, left, right, op)?,
        Node::Union(alternatives) => {
            let mut out = Vec::new();
            for nodes in alternatives {
                out.extend(walk(nodes, input.clone())?);
            }
            out
        }
        Node::Int(n) => vec![Cow::Owned(Value::from(*n))],
        Node::Float(f) => vec![Cow::Owned(serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number))],
        Node::Bool(b) => vec![Cow::Owned(Value::Bool(*b))],
        Node::Range | Node::End => input,
    })
}

/// A value held while walking: borrowed from the document (no copy, however large), or made
/// by the template (quoted text, literals).
pub(super) type Val<'a> = Cow<'a, Value>;

/// The values `pick` finds in `value`, borrowed from the document when `value` is.
fn below<'a>(value: &Val<'a>, pick: impl for<'b> Fn(&'b Value) -> Vec<&'b Value>) -> Vec<Val<'a>> {
    match value {
        Cow::Borrowed(value) => pick(value).into_iter().map(Cow::Borrowed).collect(),
        Cow::Owned(value) => pick(value).into_iter().map(|v| Cow::Owned(v.clone())).collect(),
    }
}

/// Each value followed by everything below it, for those that have anything below.
fn recursive<'a>(input: &[Val<'a>], out: &mut Vec<Val<'a>>) {
    for value in input {
        let children = below(value, |v| match v {
            Value::Object(map) => map.values().collect(),
            Value::Array(items) => items.iter().collect(),
            _ => Vec::new(),
        });
        if !children.is_empty() {
            out.push(value.clone());
            recursive(&children, out);
        }
    }
}

fn array<'a>(input: &[Val<'a>], params: &[Param; 3]) -> Result<Vec<Val<'a>>, String> {
    let mut out = Vec::new();
    for value in input {
        if value.is_null() {
            continue;
        }
        let Some(items) = value.as_array() else {
            return Err(format!("{} is not array or slice", go_type(value)));
        };
        let len = items.len() as i64;
        let mut start = if params[0].known { params[0].value } else { 0 };
        if start < 0 {
            start += len;
        }
        let mut end = if params[1].known { params[1].value } else { len };
        if end < 0 || (end == 0 && params[1].derived) {
            end += len;
        }
        if start == end {
            // Zero items asked for: allowed, and the answer so far is the answer.
            return Ok(out);
        }
        if start >= len || start < 0 {
            return Err(format!("array index out of bounds: index {start}, length {len}"));
        }
        if end > len || end < 0 {
            return Err(format!("array index out of bounds: index {}, length {len}", end - 1));
        }
        if start > end {
            return Err(format!("starting index {start} is greater than ending index {end}"));
        }
        let step = match params[2] {
            Param { known: true, value, .. } if value <= 0 => return Err("step must be > 0".into()),
            Param { known: true, value, .. } => value as usize,
            _ => 1,
        };
        let (start, end) = (start as usize, end as usize);
        out.extend(below(value, |v| {
            v.as_array().map_or_else(Vec::new, |items| items[start..end].iter().step_by(step).collect())
        }));
    }
    Ok(out)
}

fn filter<'a>(input: &[Val<'a>], left: &[Node], right: &[Node], op: &str) -> Result<Vec<Val<'a>>, String> {
    let mut out = Vec::new();
    for value in input {
        if !value.is_array() {
            return Err(format!("{} is not array or slice and cannot be filtered", go_sprint(value)));
        }
        for item in below(value, |v| v.as_array().map_or_else(Vec::new, |items| items.iter().collect())) {
            let lefts = walk(left, vec![item.clone()]);
            if op == "exists" {
                if lefts.is_ok_and(|l| !l.is_empty()) {
                    out.push(item);
                }
                continue;
            }
            let lefts = lefts?;
            let left = match lefts.as_slice() {
                [] => continue,
                [one] => one,
                _ => return Err("can only compare one element at a time".into()),
            };
            let rights = walk(right, vec![item.clone()])?;
            let right = match rights.as_slice() {
                [] => continue,
                [one] => one,
                _ => return Err("can only compare one element at a time".into()),
            };
            if compare(left, right, op)? {
                out.push(item);
            }
        }
    }
    Ok(out)
}

/// A filter's comparison, as Go's text/template compares: the same basic kind, or an error.
fn compare(left: &Value, right: &Value, op: &str) -> Result<bool, String> {
    let ordering = match (left, right) {
        (Value::Number(a), Value::Number(b)) => match (GoNumber::of(a), GoNumber::of(b)) {
            (GoNumber::Int(x), GoNumber::Int(y)) => Some(x.cmp(&y)),
            (GoNumber::Float(x), GoNumber::Float(y)) => x.partial_cmp(&y),
            _ => return Err("incompatible types for comparison".into()),
        },
        (Value::String(a), Value::String(b)) => Some(a.cmp(b)),
        (Value::Bool(a), Value::Bool(b)) if matches!(op, "==" | "!=") => Some(a.cmp(b)),
        (Value::Bool(_), Value::Bool(_)) => return Err("invalid type for comparison".into()),
        (a, b) if std::mem::discriminant(a) != std::mem::discriminant(b) => {
            return Err("incompatible types for comparison".into());
        }
        _ => return Err("invalid type for comparison".into()),
    };
    let Some(ordering) = ordering else { return Ok(false) };
    Ok(match op {
        "==" => ordering.is_eq(),
        "!=" => ordering.is_ne(),
        "<" => ordering.is_lt(),
        "<=" => ordering.is_le(),
        ">" => ordering.is_gt(),
        ">=" => ordering.is_ge(),
        other => return Err(format!("unrecognized filter operator {other}")),
    })
}

/// Go's name for a JSON value's type, for messages.
pub(super) fn go_type(value: &Value) -> &'static str {
    match value {
        Value::Object(_) => "map[string]interface {}",
        Value::Array(_) => "[]interface {}",
        Value::String(_) => "string",
        Value::Number(n) if matches!(GoNumber::of(n), GoNumber::Float(_)) => "float64",
        Value::Number(_) => "int64",
        Value::Bool(_) => "bool",
        Value::Null => "interface {}",
    }
}
