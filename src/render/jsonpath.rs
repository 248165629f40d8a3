//! kubectl's JSONPath templates (`-o jsonpath=`, `-o jsonpath-as-json=`, `-o custom-columns=`,
//! `--sort-by`), read and printed as client-go's `util/jsonpath` (parser.go, jsonpath.go) and
//! kubectl's printers do, so a template a user copies from kubectl prints the same bytes:
//!
//! - text around `{actions}`; in an action, `.field` (a `\` escapes the next character, so
//!   `{.metadata.annotations.openshift\.io/x}` works), `.*`, `..`, `[n]`, `[a:b:step]`, `[*]`,
//!   `['key']`, unions `[a,b]`, filters `[?(@.path OP value)]` and `[?(@.path)]`, quoted text
//!   `{"\n"}` with Go's escapes, and `{range PATH}...{end}` over each result of the path;
//! - missing fields print nothing (kubectl's `--allow-missing-template-keys`); an index out of
//!   range, a slice of something that is not a list, or a comparison of different types is an
//!   error, as in kubectl;
//! - strings print raw, numbers and booleans as Go prints them, maps and lists as compact JSON
//!   (HTML characters escaped, as Go's encoder does); results of one action are space-separated;
//! - custom-columns cells print as Go's `fmt.Sprint` (`map[a:1]`, `[x y]`, `<none>`);
//! - paths walk the document by reference, as client-go's reflection does: `{..x}` over a large
//!   input copies nothing;
//! - `--sort-by` compares numbers by value, strings as quantities when both are (`900Mi`
//!   before `10Gi`) and by their bytes otherwise, puts items without the field first, and fails
//!   when no item has it or the values cannot be compared. Pure.

use std::borrow::Cow;
use std::fmt::Write as _;

use serde_json::Value;

use super::go_json::GoNumber;

/// A parsed template.
#[derive(Clone, Debug, PartialEq)]
pub struct Template {
    nodes: Vec<Node>,
    /// As written, for error messages.
    text: String,
}

/// One node of a template, as client-go's parser makes them.
#[derive(Clone, Debug, PartialEq)]
enum Node {
    /// Literal text (outside actions, or quoted inside one).
    Text(String),
    /// An action: its nodes applied one after another.
    List(Vec<Node>),
    /// `.name` (escapes removed); `""` for a bare `.`.
    Field(String),
    /// `.*`: every value of a map.
    Wildcard,
    /// `..`: the value and everything below it.
    Recursive,
    /// `[a:b:step]`, `[n]`, `[*]`.
    Array([Param; 3]),
    /// `[?(left OP right)]`, or `[?(left)]` (op `exists`).
    Filter {
        left: Vec<Node>,
        right: Vec<Node>,
        op: String,
    },
    /// `[a,b]`: each alternative applied to the same values.
    Union(Vec<Vec<Node>>),
    Int(i64),
    Float(f64),
    Bool(bool),
    /// `range` and `end`.
    Range,
    End,
}

/// One bound of an array step: known or not, and (for an index's end) derived from its start.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
struct Param {
    value: i64,
    known: bool,
    derived: bool,
}

impl Template {
    /// Parses a template; the error names what is wrong, as kubectl does.
    pub fn parse(text: &str) -> Result<Template, String> {
        let mut parser = Parser { chars: text.chars().collect(), pos: 0, start: 0 };
        let nodes = parser.parse_text()?;
        Ok(Template { nodes, text: text.to_owned() })
    }

    /// A path as `--sort-by` and custom columns take it (kubectl's `RelaxedJSONPathExpression`):
    /// `.a.b`, `a.b`, `{.a.b}` or `{a.b}`, one action only; empty is a template of nothing.
    pub fn parse_path(text: &str) -> Result<Template, String> {
        if text.is_empty() {
            return Template::parse("");
        }
        let inner = match text.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
            Some(inner) => inner,
            None => text,
        };
        let inner = inner.strip_prefix('.').unwrap_or(inner);
        if inner.is_empty() || inner.contains(['{', '}']) {
            return Err(format!(
                "unexpected path string {text:?}, expected a 'name1.name2' or '.name1.name2' or '{{name1.name2}}' or '{{.name1.name2}}'"
            ));
        }
        Template::parse(&format!("{{.{inner}}}"))
    }

    /// Prints the template for `data`, as `-o jsonpath=` does.
    pub fn render(&self, data: &Value) -> Result<String, String> {
        let mut out = String::new();
        for results in self.results(data)? {
            let printed: Vec<String> = results.iter().map(|v| print_value(v)).collect();
            out.push_str(&printed.join(" "));
        }
        Ok(out)
    }

    /// The results of each node of the template for `data` (each `range` iteration's nodes
    /// too), as client-go's `FindResults` gives them.
    fn results<'a>(&self, data: &'a Value) -> Result<Vec<Vec<Val<'a>>>, String> {
        let mut out = Vec::new();
        find(&self.nodes, &Cow::Borrowed(data), &mut out, false)
            .map_err(|e| format!("error executing jsonpath {:?}: {e}", self.text))?;
        Ok(out)
    }

    /// The values of the template's first node for `data` (custom columns, sorting).
    fn first_values<'a>(&self, data: &'a Value) -> Result<Vec<Val<'a>>, String> {
        Ok(self.results(data)?.into_iter().next().unwrap_or_default())
    }
}

/// Evaluates `nodes` against `data`, appending each node's results; a `range` runs the nodes
/// after it, up to its `end`, once per result of its path. Returns how many nodes were used.
/// An `end` outside a range is an error, as in client-go.
fn find<'a>(nodes: &[Node], data: &Val<'a>, out: &mut Vec<Vec<Val<'a>>>, in_range: bool) -> Result<usize, String> {
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
type Val<'a> = Cow<'a, Value>;

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
fn go_type(value: &Value) -> &'static str {
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

/// A value as `-o jsonpath` prints it: strings raw, numbers and booleans as Go prints them,
/// maps and lists as Go's JSON encoder writes them.
pub fn print_value(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => go_number(n),
        Value::Object(_) | Value::Array(_) => go_json(value),
        other => other.to_string(),
    }
}

/// Compact JSON as Go's `json.Marshal` writes it (see [`super::go_json`]).
fn go_json(value: &Value) -> String {
    super::go_json::compact(value)
}

/// A number as Go's `fmt` prints it: kubectl's `int64`s as they are, its `float64`s (`60.0`
/// too) in `%v` form (`60`, `1.5`, `1.2345e+06`).
fn go_number(number: &serde_json::Number) -> String {
    match GoNumber::of(number) {
        GoNumber::Int(i) => i.to_string(),
        GoNumber::Float(f) => go_float(f),
    }
}

/// `%v` of a float64: the shortest digits, in `%e` form when the exponent is below -4 or at
/// least 6 (strconv's `'g'` with the shortest precision).
pub(crate) fn go_float(f: f64) -> String {
    let scientific = format!("{f:e}");
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    if !(-4..6).contains(&exponent) {
        let sign = if exponent < 0 { '-' } else { '+' };
        return format!("{mantissa}e{sign}{:02}", exponent.abs());
    }
    f.to_string()
}

/// A value as Go's `fmt.Sprint` prints it (custom-columns cells): `map[k:v]` with sorted
/// keys, `[a b]`, `<nil>`.
pub fn go_sprint(value: &Value) -> String {
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

/// The parser: client-go's state machine over the template's characters.
struct Parser {
    chars: Vec<char>,
    pos: usize,
    start: usize,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek();
        self.pos += 1;
        c
    }

    fn backup(&mut self) {
        self.pos -= 1;
    }

    fn starts_with(&self, prefix: &str) -> bool {
        let mut at = self.pos;
        prefix.chars().all(|c| {
            let found = self.chars.get(at) == Some(&c);
            at += 1;
            found
        })
    }

    fn consume(&mut self) -> String {
        let end = self.pos.min(self.chars.len());
        let text: String = self.chars[self.start.min(end)..end].iter().collect();
        self.start = self.pos;
        text
    }

    /// Text and actions to the end of the template.
    fn parse_text(&mut self) -> Result<Vec<Node>, String> {
        let mut nodes = Vec::new();
        loop {
            if self.starts_with("{") {
                if self.pos > self.start {
                    nodes.push(Node::Text(self.consume()));
                }
                self.pos += 1;
                self.consume();
                let mut action = Vec::new();
                self.inside_action(&mut action)?;
                nodes.push(Node::List(action));
                continue;
            }
            if self.next().is_none() {
                self.pos = self.chars.len();
                break;
            }
        }
        if self.pos > self.start {
            nodes.push(Node::Text(self.consume()));
        }
        Ok(nodes)
    }

    /// The rest of an action, up to its `}`.
    fn inside_action(&mut self, current: &mut Vec<Node>) -> Result<(), String> {
        loop {
            if self.starts_with("}") {
                self.pos += 1;
                self.consume();
                return Ok(());
            }
            if self.starts_with("[?(") {
                self.parse_filter(current)?;
                continue;
            }
            if self.starts_with("..") {
                self.pos += 2;
                self.consume();
                current.push(Node::Recursive);
                if self.peek().is_some_and(is_alphanumeric) {
                    self.parse_field(current);
                }
                continue;
            }
            match self.next() {
                None | Some('\n') | Some('\r') => return Err("unclosed action".into()),
                Some(' ') | Some('@') | Some('$') => {
                    self.consume();
                }
                Some('[') => self.parse_array(current)?,
                Some(quote @ ('"' | '\'')) => self.parse_quote(current, quote)?,
                Some('.') => self.parse_field(current),
                Some(c) if c == '+' || c == '-' || c.is_ascii_digit() => {
                    self.backup();
                    self.parse_number(current)?;
                }
                Some(c) if is_alphanumeric(c) => {
                    self.backup();
                    self.parse_identifier(current)?;
                }
                Some(c) => return Err(format!("unrecognized character in action: U+{:04X} {c:?}", c as u32)),
            }
        }
    }

    /// `.name`: up to a terminator, a `\` escaping the next character.
    fn parse_field(&mut self, current: &mut Vec<Node>) {
        self.consume();
        while let Some(c) = self.next() {
            if c == '\\' {
                self.next();
            } else if is_terminator(c) {
                self.backup();
                break;
            }
        }
        self.pos = self.pos.min(self.chars.len());
        let name = self.consume();
        current.push(if name == "*" { Node::Wildcard } else { Node::Field(name.replace('\\', "")) });
    }

    fn parse_identifier(&mut self, current: &mut Vec<Node>) -> Result<(), String> {
        while self.peek().is_some_and(is_alphanumeric) {
            self.pos += 1;
        }
        let word = self.consume();
        current.push(match word.as_str() {
            "range" => Node::Range,
            "end" => Node::End,
            "true" => Node::Bool(true),
            "false" => Node::Bool(false),
            _ => return Err(format!("unrecognized identifier {word}")),
        });
        Ok(())
    }

    /// A number, up to a terminator: `.` is one, so kubectl reads `1.5` as 1 and a field `5`.
    fn parse_number(&mut self, current: &mut Vec<Node>) -> Result<(), String> {
        if matches!(self.peek(), Some('+' | '-')) {
            self.pos += 1;
        }
        while self.peek().is_some_and(|c| !is_terminator(c)) {
            self.pos += 1;
        }
        let text = self.consume();
        let digits = text.strip_prefix('+').unwrap_or(&text);
        if let Ok(n) = digits.parse::<i64>() {
            current.push(Node::Int(n));
        } else if let Ok(f) = digits.parse::<f64>() {
            current.push(Node::Float(f));
        } else {
            return Err(format!("cannot parse number {text}"));
        }
        Ok(())
    }

    fn parse_quote(&mut self, current: &mut Vec<Node>, quote: char) -> Result<(), String> {
        loop {
            match self.next() {
                None | Some('\n') => return Err("unterminated quoted string".into()),
                Some('\\') if self.next().is_none() => return Err("unterminated quoted string".into()),
                Some(c) if c == quote => break,
                _ => {}
            }
        }
        let text = self.consume();
        let unquoted = unquote(&text).map_err(|e| format!("unquote string {text} error {e}"))?;
        current.push(Node::Text(unquoted));
        Ok(())
    }

    /// `[...]`: a union, a quoted key, or an index or slice.
    fn parse_array(&mut self, current: &mut Vec<Node>) -> Result<(), String> {
        loop {
            match self.next() {
                None | Some('\n') => return Err("unterminated array".into()),
                Some(']') => break,
                _ => {}
            }
        }
        let text = self.consume();
        let mut inner = &text[1..text.len() - 1];
        if inner == "*" {
            inner = ":";
        }
        let parts: Vec<&str> = inner.split(',').collect();
        if parts.len() > 1 {
            let mut alternatives = Vec::new();
            for part in parts {
                let mut nodes = Vec::new();
                Parser::action(&format!("[{}]", part.trim_matches(' ')), &mut nodes)?;
                alternatives.push(nodes);
            }
            current.push(Node::Union(alternatives));
            return Ok(());
        }
        if let Some(key) = inner.strip_prefix('\'').and_then(|k| k.strip_suffix('\'')).filter(|k| !k.contains('\'')) {
            // kubectl reads ['a.b'] as .a.b.
            return Parser::action(&format!(".{key}"), current);
        }
        current.push(Node::Array(slice_params(inner)?));
        Ok(())
    }

    /// `[?(...)]`: `left OP right`, or a path that must exist.
    fn parse_filter(&mut self, current: &mut Vec<Node>) -> Result<(), String> {
        self.pos += 3;
        self.consume();
        let mut quote: Option<char> = None;
        loop {
            match self.next() {
                None | Some('\n') => return Err("unterminated filter".into()),
                Some(c @ ('"' | '\'')) => match quote {
                    None => quote = Some(c),
                    Some(q) if q == c => quote = None,
                    Some(_) => {}
                },
                Some(')') if quote.is_none() => break,
                _ => {}
            }
        }
        if self.next() != Some(']') {
            return Err("unclosed array expect ]".into());
        }
        let text = self.consume();
        let text: String = text.chars().take(text.chars().count() - 2).collect();
        // `^([^!<>=]+)([!<>=]+)(.+?)$`
        let op_start = text.find(['!', '<', '>', '=']);
        match op_start.filter(|at| *at > 0) {
            Some(at) => {
                let op_len = text[at..].find(|c| !matches!(c, '!' | '<' | '>' | '=')).unwrap_or(text.len() - at);
                let (left, op, right) = (&text[..at], &text[at..at + op_len], &text[at + op_len..]);
                if right.is_empty() {
                    return Err(format!("unrecognized filter {text}"));
                }
                let (mut l, mut r) = (Vec::new(), Vec::new());
                Parser::action(left, &mut l)?;
                Parser::action(right, &mut r)?;
                current.push(Node::Filter { left: l, right: r, op: op.to_owned() });
            }
            None => {
                let mut l = Vec::new();
                Parser::action(&text, &mut l)?;
                current.push(Node::Filter { left: l, right: Vec::new(), op: "exists".into() });
            }
        }
        Ok(())
    }

    /// Parses `text` as the inside of an action (client-go's `parseAction`), appending its nodes.
    fn action(text: &str, current: &mut Vec<Node>) -> Result<(), String> {
        let mut parser = Parser { chars: format!("{{{text}}}").chars().collect(), pos: 0, start: 0 };
        let nodes = parser.parse_text()?;
        for node in nodes {
            match node {
                Node::List(inner) => current.extend(inner),
                other => current.push(other),
            }
        }
        Ok(())
    }
}

/// `^(-?\d*)(:-?\d*)?(:-?\d*)?$` into the three bounds.
fn slice_params(text: &str) -> Result<[Param; 3], String> {
    let parts: Vec<&str> = text.split(':').collect();
    let number = |s: &str| s.strip_prefix('-').unwrap_or(s).bytes().all(|b| b.is_ascii_digit());
    if parts.len() > 3 || !parts.iter().all(|p| number(p)) {
        return Err(format!("invalid array index {text}"));
    }
    let mut params = [Param::default(); 3];
    for i in 0..3 {
        match parts.get(i) {
            Some(part) if !part.is_empty() => {
                let value = part.parse().map_err(|_| format!("array index {part} is not a number"))?;
                params[i] = Param { value, known: true, derived: false };
            }
            // `[a:]`: the end is not known.
            Some(_) => {}
            // `[a]`: one item, the end derived from the start.
            None if i == 1 => params[1] = Param { value: params[0].value + 1, known: true, derived: true },
            None => {}
        }
    }
    Ok(params)
}

fn is_alphanumeric(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

fn is_terminator(c: char) -> bool {
    c.is_whitespace() || matches!(c, '.' | ',' | '[' | ']' | '$' | '@' | '{' | '}')
}

/// A quoted string with Go's escapes (`strconv.Unquote`, single quotes allowed too).
fn unquote(text: &str) -> Result<String, String> {
    let invalid = || "invalid syntax".to_owned();
    let quote = text.chars().next().ok_or_else(invalid)?;
    if text.chars().count() < 2 || !text.ends_with(quote) || !matches!(quote, '"' | '\'') {
        return Err(invalid());
    }
    let inner: Vec<char> = text[1..text.len() - 1].chars().collect();
    let mut out = String::new();
    let mut i = 0;
    let hex = |digits: &[char]| -> Result<u32, String> {
        let s: String = digits.iter().collect();
        if digits.iter().all(|c| c.is_ascii_hexdigit()) {
            u32::from_str_radix(&s, 16).map_err(|_| invalid())
        } else {
            Err(invalid())
        }
    };
    while i < inner.len() {
        let c = inner[i];
        if c == quote {
            return Err(invalid());
        }
        if c != '\\' {
            out.push(c);
            i += 1;
            continue;
        }
        let escape = *inner.get(i + 1).ok_or_else(invalid)?;
        i += 2;
        let simple = match escape {
            'a' => Some('\u{7}'),
            'b' => Some('\u{8}'),
            'f' => Some('\u{c}'),
            'n' => Some('\n'),
            'r' => Some('\r'),
            't' => Some('\t'),
            'v' => Some('\u{b}'),
            '\\' => Some('\\'),
            '\'' | '"' if escape == quote => Some(escape),
            _ => None,
        };
        if let Some(simple) = simple {
            out.push(simple);
            continue;
        }
        let (digits, radix_len) = match escape {
            'x' => (2, 16),
            'u' => (4, 16),
            'U' => (8, 16),
            '0'..='7' => (3, 8),
            _ => return Err(invalid()),
        };
        let code = if radix_len == 8 {
            let run: Vec<char> = inner.get(i - 1..i + 2).ok_or_else(invalid)?.to_vec();
            i += 2;
            let s: String = run.iter().collect();
            if !run.iter().all(|c| ('0'..='7').contains(c)) {
                return Err(invalid());
            }
            u32::from_str_radix(&s, 8).map_err(|_| invalid())?
        } else {
            let run = inner.get(i..i + digits).ok_or_else(invalid)?;
            i += digits;
            hex(run)?
        };
        if escape == 'x' || radix_len == 8 {
            // A byte: kubectl's output is bytes, ours is text; bytes above 0x7f become U+FFFD.
            out.push(char::from_u32(code).filter(|_| code < 0x80).unwrap_or('\u{fffd}'));
        } else {
            out.push(char::from_u32(code).ok_or_else(invalid)?);
        }
    }
    Ok(out)
}

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
    let order = super::go_sort::sort_sort(items.len(), |i, j| match (&keys[i], &keys[j]) {
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

/// kubectl's template outputs (`-o jsonpath=`, `-o jsonpath-as-json=`, `-o custom-columns=`),
/// over the JSON `-o json` prints.
#[derive(Clone, Debug, PartialEq)]
pub enum OutputTemplate {
    /// `-o jsonpath=TEMPLATE`.
    JsonPath(Template),
    /// `-o jsonpath-as-json=TEMPLATE`: each node's values as an indented JSON array.
    JsonPathAsJson(Template),
    /// `-o custom-columns=HEADER:PATH,...`.
    Columns(Vec<(String, Template)>),
}

impl OutputTemplate {
    /// Reads `-o NAME=ARGUMENT` when NAME is a template output; `Ok(None)` for other names.
    pub fn parse(text: &str) -> Result<Option<OutputTemplate>, String> {
        let (name, argument) = text.split_once('=').map_or((text, None), |(n, a)| (n, Some(a)));
        // Worded as kubectl words them: `error parsing jsonpath TEMPLATE, WHY`.
        let parsed = |r: Result<OutputTemplate, String>| {
            r.map(Some).map_err(|e| match argument {
                Some(t) if name != "custom-columns" => format!("error parsing jsonpath {t}, {e}"),
                _ => e,
            })
        };
        match (name, argument) {
            ("jsonpath" | "jsonpath-as-json" | "custom-columns", None | Some("")) => {
                Err(format!("-o {name}: template format specified but no template given (-o {name}=...)"))
            }
            ("jsonpath", Some(t)) => parsed(Template::parse(t).map(OutputTemplate::JsonPath)),
            ("jsonpath-as-json", Some(t)) => parsed(Template::parse(t).map(OutputTemplate::JsonPathAsJson)),
            ("custom-columns", Some(spec)) => parsed(parse_columns(spec).map(OutputTemplate::Columns)),
            _ => Ok(None),
        }
    }

    /// Prints `data` (one document, or a `List` of them): custom columns get a row per item of
    /// a list, or one row. An error is one line, as kubectl's `error executing jsonpath`.
    pub fn apply(&self, data: &Value, no_headers: bool) -> Result<String, String> {
        match self.apply_partial(data, no_headers) {
            (text, None) => Ok(text),
            (_, Some(error)) => Err(error),
        }
    }

    /// [`Self::apply`], and on an error also what kubectl prints before it: custom columns
    /// print the header and the rows before the failing one; JSONPath prints nothing.
    pub fn apply_partial(&self, data: &Value, no_headers: bool) -> (String, Option<String>) {
        let OutputTemplate::Columns(columns) = self else {
            return match self.apply_whole(data) {
                Ok(text) => (text, None),
                Err(error) => (String::new(), Some(error)),
            };
        };
        let header: Vec<&str> = columns.iter().map(|(h, _)| h.as_str()).collect();
        let items: Vec<&Value> = match data.get("items").and_then(Value::as_array) {
            Some(items) if data.get("kind").and_then(Value::as_str) == Some("List") => items.iter().collect(),
            _ => vec![data],
        };
        let mut rows: Vec<Vec<String>> = Vec::with_capacity(items.len());
        let mut problem = None;
        for item in items {
            match columns.iter().map(|(_, path)| column_cell(path, item)).collect::<Result<Vec<_>, String>>() {
                Ok(row) => rows.push(row),
                Err(error) => {
                    problem = Some(error);
                    break;
                }
            }
        }
        (super::table::kubectl_columns((!no_headers).then_some(header.as_slice()), &rows), problem)
    }

    /// The JSONPath outputs, which print all or nothing.
    fn apply_whole(&self, data: &Value) -> Result<String, String> {
        match self {
            OutputTemplate::Columns(_) => Err("custom columns print row by row".into()),
            OutputTemplate::JsonPath(template) => template.render(data),
            OutputTemplate::JsonPathAsJson(template) => {
                let mut text = String::new();
                for results in template.results(data)? {
                    // kubectl indents with four spaces here.
                    text.push_str(&super::go_json::pretty(&results, b"    "));
                    text.push('\n');
                }
                Ok(text)
            }
        }
    }
}

/// `-o custom-columns=HEADER:PATH,...`: the columns, each with its path. Commas inside brackets
/// do not split columns (kubectl splits at every comma; this reads more specs, never fewer).
pub fn parse_columns(spec: &str) -> Result<Vec<(String, Template)>, String> {
    split_columns(spec)
        .into_iter()
        .map(|column| {
            let (header, path) = column.split_once(':').ok_or_else(|| {
                format!("unexpected custom-columns spec: {column}, expected <header>:<json-path-expr>")
            })?;
            Ok((header.to_owned(), Template::parse_path(path)?))
        })
        .collect()
}

/// Splits a custom-columns spec at commas outside brackets and quotes.
fn split_columns(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut quote, mut start) = (0i32, None::<char>, 0);
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[' | '(') => depth += 1,
            (None, ']' | ')') => depth -= 1,
            (None, ',') if depth == 0 => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

/// A custom column's cell: its values as Go's `fmt.Sprint` prints them, joined with `,`, or
/// `<none>`.
pub fn column_cell(template: &Template, item: &Value) -> Result<String, String> {
    let values = template.first_values(item)?;
    if values.is_empty() {
        return Ok("<none>".to_owned());
    }
    Ok(values.iter().map(|v| go_sprint(v)).collect::<Vec<_>>().join(","))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(template: &str, data: &Value) -> String {
        Template::parse(template).unwrap().render(data).unwrap()
    }

    fn error(template: &str, data: &Value) -> String {
        match Template::parse(template) {
            Ok(parsed) => parsed.render(data).unwrap_err(),
            Err(e) => e,
        }
    }

    fn data() -> Value {
        serde_json::json!({
            "kind": "List",
            "items": [
                {"metadata": {"name": "a", "labels": {"x": "1"}, "annotations": {"openshift.io/image.check": "t"}},
                 "spec": {"tags": [{"name": "v1"}, {"name": "v2"}, {"name": "v3"}], "nested": [[1, 2], [3]]}, "n": 3},
                {"metadata": {"name": "b"}, "spec": {"tags": []}, "n": 1}
            ]
        })
    }

    #[test]
    fn templates_print_as_kubectl_prints_them() {
        let data = data();
        assert_eq!(run("{.items[*].metadata.name}", &data), "a b");
        assert_eq!(run("{range .items[*]}{.metadata.name}{\"\\t\"}{.n}{\"\\n\"}{end}", &data), "a\t3\nb\t1\n");
        assert_eq!(run("{.items[0].metadata.labels}", &data), "{\"x\":\"1\"}");
        assert_eq!(run("{.items[?(@.n>2)].metadata.name}", &data), "a");
        assert_eq!(run("{.items[?(@.metadata.name==\"b\")].n}", &data), "1");
        assert_eq!(run("{.items[?(@.metadata.labels)].metadata.name}", &data), "a");
        assert_eq!(run("{.items[-1:].metadata.name}", &data), "b");
        assert_eq!(run("{.items[*].missing}", &data), "");
        assert_eq!(run("names: {.items[0].metadata.name},{.items[1].metadata.name}", &data), "names: a,b");
        assert_eq!(run("{.items[0].metadata['name']}", &data), "a");
        assert_eq!(run(r"{.items[0].metadata.annotations.openshift\.io/image\.check}", &data), "t");
        assert_eq!(run("{.items[0].spec.tags[0:3:2].name}", &data), "v1 v3");
        assert_eq!(run("{.items[0].spec.tags[::2].name}", &data), "v1 v3");
        assert_eq!(run("{.items[0].spec.tags[0,2].name}", &data), "v1 v3");
        assert_eq!(run("{.items[0].spec.tags[0]['name','missing']}", &data), "v1");
        assert_eq!(run("{range .items[0].spec.nested[*]}[{@}]{end}", &data), "[[1,2]][[3]]");
        assert_eq!(run("{range .items[0].spec.tags}[{.name}]{end}", &data), "[]");
        assert_eq!(run(r#"{"\x41\101\u0041"}"#, &data), "AAA");
        assert_eq!(run("{.}", &data), "", "a field named \"\"");
        assert_eq!(run("{.items[0].metadata .name}", &data), "a", "spaces are skipped");
        assert_eq!(run("{range .items[*]}{.n}", &data), "31", "a range may run to the end");
        assert_eq!(run("{.items[1].spec.tags[0:0]}", &data), "");
        assert!(Template::parse("{.items[0]").is_err());
        assert!(Template::parse("{metadata.name}").is_err(), "kubectl: unrecognized identifier");
        assert!(Template::parse("{.items[0].name,.kind}").is_err(), "a comma outside brackets");
        assert_eq!(
            error("{.items[0].n}{end}", &data),
            "error executing jsonpath \"{.items[0].n}{end}\": not in range, nothing to end"
        );
        assert!(error("{range .items[*]}{.n}{end}{end}", &data).contains("not in range"));
        assert_eq!(run("{range .items[*]}{range .spec.tags[*]}{.name}{end};{end}", &data), "v1v2v3;;");
    }

    #[test]
    fn kubectl_errors_are_errors() {
        let data = data();
        assert!(error("{.items[5].metadata.name}", &data).contains("array index out of bounds: index 5, length 2"));
        assert!(error("{.items[0:10]}", &data).contains("array index out of bounds"));
        assert!(error("{.items[0].spec.tags[2:1]}", &data).contains("starting index 2 is greater than ending index 1"));
        assert!(error("{.items[0:2:0]}", &data).contains("step must be > 0"));
        assert!(error("{.items[0].metadata[0]}", &data).contains("is not array or slice"));
        assert!(error("{.items[?(@.n==\"3\")]}", &data).contains("incompatible types for comparison"));
    }

    #[test]
    fn columns_print_as_go_prints_values() {
        let data = data();
        let columns = parse_columns("NAME:.metadata.name,TAGS:.spec.tags[*].name,L:metadata.labels,E:").unwrap();
        let item = &data["items"][0];
        let cells: Vec<String> = columns.iter().map(|(_, t)| column_cell(t, item).unwrap()).collect();
        assert_eq!(cells, ["a", "v1,v2,v3", "map[x:1]", "<none>"]);
        assert_eq!(column_cell(&columns[1].1, &data["items"][1]).unwrap(), "<none>");
        assert_eq!(go_sprint(&serde_json::json!([1, "two", [3, 4], {"k": null}])), "[1 two [3 4] map[k:<nil>]]");
        assert!(parse_columns("X:{.a}{.b}").is_err());
        assert_eq!(print_value(&serde_json::json!({"a": "<b&c>"})), r#"{"a":"\u003cb\u0026c\u003e"}"#);
        assert_eq!(
            (go_float(1234567.5), go_float(123456.5), go_float(0.00001)),
            ("1.2345675e+06".into(), "123456.5".into(), "1e-05".into())
        );
    }

    #[test]
    fn sorting_random_mixed_values_never_panics() {
        // Quantities, strings that are not, numbers and missing fields: kubectl's comparison is
        // no total order over them, and sorting must still end with every item, or one error.
        let pool = [
            serde_json::json!("9"),
            serde_json::json!("10"),
            serde_json::json!("1a"),
            serde_json::json!("100m"),
            serde_json::json!("1Gi"),
            serde_json::json!("a10"),
            serde_json::json!(""),
            serde_json::json!(null),
        ];
        let numbers = [serde_json::json!(3), serde_json::json!(-1), serde_json::json!(2.5)];
        let mut seed: u64 = 5;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let key = Template::parse_path(".k").unwrap();
        for round in 0..300 {
            let len = (next() % 80) as usize;
            let items: Vec<Value> = (0..len)
                .map(|_| match next() % 10 {
                    0 => serde_json::json!({}),
                    9 if round % 3 == 0 => serde_json::json!({"k": numbers[(next() % 3) as usize]}),
                    _ => serde_json::json!({"k": pool[(next() % pool.len() as u64) as usize]}),
                })
                .collect();
            match sort_order(&items, &key) {
                Ok(order) => {
                    let mut seen = order.clone();
                    seen.sort_unstable();
                    assert_eq!(seen, (0..len).collect::<Vec<_>>());
                }
                Err(e) => assert!(e.contains("unsortable") || e.contains("couldn't find"), "{e}"),
            }
        }
    }

    #[test]
    fn paths_walk_the_document_by_reference() {
        // Item 5: `{..x}` over a large document copied every subtree it passed; every result
        // is now the document's own value, not a copy.
        let data = serde_json::json!({"a": [{"x": "big".repeat(1000)}, {"b": {"x": [1, 2]}}], "x": {"y": 1}});
        let template = Template::parse("{..x}{.a[*].b.x[0]}{.a[?(@.x)].x}").unwrap();
        let results = template.results(&data).unwrap();
        let found: Vec<&Val<'_>> = results.iter().flatten().collect();
        assert_eq!(found.len(), 5, "{found:?}");
        for value in found {
            let Cow::Borrowed(inside) = value else { panic!("copied: {value:?}") };
            let mut stack = vec![&data];
            let mut seen = false;
            while let Some(node) = stack.pop() {
                seen |= std::ptr::eq(node, *inside);
                match node {
                    Value::Object(map) => stack.extend(map.values()),
                    Value::Array(items) => stack.extend(items.iter()),
                    _ => {}
                }
            }
            assert!(seen, "{inside:?} is not in the document");
        }
    }

    #[test]
    fn sorting_is_kubectls() {
        let items: Vec<Value> =
            ["web-10", "web-9", "web-100"].iter().map(|n| serde_json::json!({"metadata": {"name": n}})).collect();
        let by_name = Template::parse_path(".metadata.name").unwrap();
        assert_eq!(sort_order(&items, &by_name).unwrap(), [0, 2, 1], "by bytes, as kubectl 1.32 sorts");
        let sizes: Vec<Value> = ["10Gi", "900Mi", "1", "10", "9"].iter().map(|q| serde_json::json!({"q": q})).collect();
        assert_eq!(sort_order(&sizes, &Template::parse_path("q").unwrap()).unwrap(), [2, 4, 3, 1, 0], "quantities");
        let numbers: Vec<Value> = [3, 1].iter().map(|n| serde_json::json!({"n": n})).collect();
        assert_eq!(sort_order(&numbers, &Template::parse_path("{.n}").unwrap()).unwrap(), [1, 0]);
        let missing = Template::parse_path(".nope").unwrap();
        assert!(sort_order(&numbers, &missing).unwrap_err().contains("couldn't find any field"));
        let mixed = vec![serde_json::json!({"n": 1}), serde_json::json!({"n": "x"})];
        assert!(sort_order(&mixed, &Template::parse_path(".n").unwrap()).unwrap_err().contains("unsortable"));
    }
}
