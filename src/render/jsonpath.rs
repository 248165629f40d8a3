//! kubectl's JSONPath templates (`-o jsonpath=`, `-o custom-columns=`, `--sort-by`), as
//! client-go's `util/jsonpath` reads and prints them: text around `{actions}`; paths of
//! `.field`, `['field']`, `[n]`, `[a:b]`, `[*]`, `..field` and `[?(@.path OP value)]` filters;
//! unions with `,`; `{range PATH}...{end}`; quoted text `{"\n"}`. Missing fields print nothing
//! (kubectl's `--allow-missing-template-keys`, true by default). Strings print as they are,
//! anything else as compact JSON; the results of one action are separated by a space. Pure.

use serde_json::Value;

/// A parsed template.
#[derive(Clone, Debug, PartialEq)]
pub struct Template(Vec<Node>);

#[derive(Clone, Debug, PartialEq)]
enum Node {
    Text(String),
    /// One or more paths (a union), printed space-separated.
    Paths(Vec<Path>),
    Range(Path, Vec<Node>),
}

/// A path: steps from the current object.
#[derive(Clone, Debug, PartialEq)]
pub struct Path(Vec<Step>);

#[derive(Clone, Debug, PartialEq)]
enum Step {
    Field(String),
    /// `..field`: the field at any depth.
    Recursive(String),
    Index(i64),
    Slice(Option<i64>, Option<i64>),
    All,
    Filter(Box<Filter>),
}

#[derive(Clone, Debug, PartialEq)]
struct Filter {
    left: Path,
    op: Option<(String, Value)>,
}

impl Template {
    /// Parses a template; the error names what is wrong, as kubectl does.
    pub fn parse(text: &str) -> Result<Template, String> {
        let mut parser = Parser { text, at: 0 };
        let nodes = parser.nodes(false)?;
        Ok(Template(nodes))
    }

    /// A bare path (`.metadata.name`) or a template of one (`{.metadata.name}`), as
    /// `--sort-by` and custom columns take it.
    pub fn parse_path(text: &str) -> Result<Template, String> {
        let text = text.trim();
        if text.starts_with('{') { Template::parse(text) } else { Template::parse(&format!("{{{text}}}")) }
    }

    /// Prints the template for `data`.
    pub fn render(&self, data: &Value) -> String {
        let mut out = String::new();
        render_nodes(&self.0, data, data, &mut out);
        out
    }

    /// The values of the template's first action for `data` (custom columns, sorting).
    pub fn values<'a>(&self, data: &'a Value) -> Vec<&'a Value> {
        for node in &self.0 {
            if let Node::Paths(paths) = node {
                return paths.iter().flat_map(|p| p.eval(data, data)).collect();
            }
        }
        Vec::new()
    }
}

fn render_nodes(nodes: &[Node], root: &Value, current: &Value, out: &mut String) {
    for node in nodes {
        match node {
            Node::Text(text) => out.push_str(text),
            Node::Paths(paths) => {
                let values: Vec<&Value> = paths.iter().flat_map(|p| p.eval(root, current)).collect();
                let printed: Vec<String> = values.into_iter().map(print_value).collect();
                out.push_str(&printed.join(" "));
            }
            Node::Range(path, body) => {
                for value in path.eval(root, current) {
                    match value {
                        Value::Array(items) => items.iter().for_each(|item| render_nodes(body, root, item, out)),
                        other => render_nodes(body, root, other, out),
                    }
                }
            }
        }
    }
}

/// A value as kubectl prints it: strings raw, the rest as compact JSON.
pub fn print_value(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

impl Path {
    fn eval<'a>(&self, root: &'a Value, current: &'a Value) -> Vec<&'a Value> {
        let mut values = vec![current];
        let _ = root;
        for step in &self.0 {
            let mut next = Vec::new();
            for value in values {
                step.apply(value, &mut next);
            }
            values = next;
        }
        values
    }
}

impl Step {
    fn apply<'a>(&self, value: &'a Value, out: &mut Vec<&'a Value>) {
        match self {
            Step::Field(name) => {
                if let Some(found) = value.as_object().and_then(|o| o.get(name)) {
                    out.push(found);
                }
            }
            Step::Recursive(name) => recurse(value, name, out),
            Step::Index(i) => {
                if let Some(items) = value.as_array() {
                    let index = if *i < 0 { items.len() as i64 + i } else { *i };
                    if let Some(found) = usize::try_from(index).ok().and_then(|i| items.get(i)) {
                        out.push(found);
                    }
                }
            }
            Step::Slice(start, end) => {
                if let Some(items) = value.as_array() {
                    let len = items.len() as i64;
                    let clamp = |v: i64| if v < 0 { (len + v).max(0) } else { v.min(len) } as usize;
                    let (a, b) = (clamp(start.unwrap_or(0)), clamp(end.unwrap_or(len)));
                    if a < b {
                        out.extend(items[a..b].iter());
                    }
                }
            }
            Step::All => match value {
                Value::Array(items) => out.extend(items.iter()),
                Value::Object(map) => out.extend(map.values()),
                _ => {}
            },
            Step::Filter(filter) => {
                if let Some(items) = value.as_array() {
                    out.extend(items.iter().filter(|item| filter.matches(item)));
                }
            }
        }
    }
}

fn recurse<'a>(value: &'a Value, name: &str, out: &mut Vec<&'a Value>) {
    match value {
        Value::Object(map) => {
            if let Some(found) = map.get(name) {
                out.push(found);
            }
            map.values().for_each(|v| recurse(v, name, out));
        }
        Value::Array(items) => items.iter().for_each(|v| recurse(v, name, out)),
        _ => {}
    }
}

impl Filter {
    fn matches(&self, item: &Value) -> bool {
        let found = self.left.eval(item, item);
        let Some((op, right)) = &self.op else { return !found.is_empty() };
        found.into_iter().any(|left| compare(left, op, right))
    }
}

fn compare(left: &Value, op: &str, right: &Value) -> bool {
    let ordering = match (left, right) {
        (Value::Number(a), Value::Number(b)) => a.as_f64().partial_cmp(&b.as_f64()),
        (Value::String(a), Value::String(b)) => Some(a.cmp(b)),
        (Value::Bool(a), Value::Bool(b)) => Some(a.cmp(b)),
        _ => None,
    };
    match (op, ordering) {
        ("==", Some(o)) => o.is_eq(),
        ("!=", Some(o)) => o.is_ne(),
        ("!=", None) => true,
        ("<", Some(o)) => o.is_lt(),
        ("<=", Some(o)) => o.is_le(),
        (">", Some(o)) => o.is_gt(),
        (">=", Some(o)) => o.is_ge(),
        _ => false,
    }
}

struct Parser<'a> {
    text: &'a str,
    at: usize,
}

impl Parser<'_> {
    fn rest(&self) -> &str {
        &self.text[self.at..]
    }

    fn error(&self, what: &str) -> String {
        format!("{what} at position {} of {:?}", self.at, self.text)
    }

    /// Text and actions up to the end, or (inside a range) up to `{end}`.
    fn nodes(&mut self, in_range: bool) -> Result<Vec<Node>, String> {
        let mut nodes = Vec::new();
        loop {
            let rest = self.rest();
            if rest.is_empty() {
                return if in_range { Err(self.error("a range without {end}")) } else { Ok(nodes) };
            }
            match rest.find('{') {
                Some(0) => {}
                Some(i) => {
                    nodes.push(Node::Text(rest[..i].to_owned()));
                    self.at += i;
                    continue;
                }
                None => {
                    nodes.push(Node::Text(rest.to_owned()));
                    self.at = self.text.len();
                    continue;
                }
            }
            let close = self.action_end()?;
            let inner = self.text[self.at + 1..close].trim().to_owned();
            self.at = close + 1;
            if inner == "end" {
                return if in_range { Ok(nodes) } else { Err(self.error("{end} without a range")) };
            }
            if let Some(path) = inner.strip_prefix("range ") {
                let path = parse_path(path.trim()).map_err(|e| self.error(&e))?;
                let body = self.nodes(true)?;
                nodes.push(Node::Range(path, body));
            } else if inner.starts_with('"') || inner.starts_with('\'') {
                nodes.push(Node::Text(unquote(&inner).map_err(|e| self.error(&e))?));
            } else {
                let paths = split_union(&inner)
                    .into_iter()
                    .map(|p| parse_path(p.trim()))
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|e| self.error(&e))?;
                nodes.push(Node::Paths(paths));
            }
        }
    }

    /// The index of the `}` that closes the action at `self.at`, skipping quoted text.
    fn action_end(&self) -> Result<usize, String> {
        let mut quote: Option<char> = None;
        let mut escaped = false;
        for (i, c) in self.rest().char_indices().skip(1) {
            match (quote, c) {
                (Some(_), '\\') if !escaped => escaped = true,
                (Some(q), c) if c == q && !escaped => quote = None,
                (Some(_), _) => escaped = false,
                (None, '"' | '\'') => quote = Some(c),
                (None, '}') => return Ok(self.at + i),
                _ => {}
            }
        }
        Err(self.error("an unclosed action"))
    }
}

/// Splits `a,b` at top-level commas (not inside brackets or quotes).
fn split_union(text: &str) -> Vec<&str> {
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

/// Reads a quoted string with Go's escapes.
fn unquote(text: &str) -> Result<String, String> {
    let quote = text.chars().next().ok_or("an empty string")?;
    let inner = text.strip_prefix(quote).and_then(|t| t.strip_suffix(quote)).ok_or("an unterminated string")?;
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some(other) => out.push(other),
            None => return Err("a string ending in \\".into()),
        }
    }
    Ok(out)
}

/// Parses one path (`.a.b[0]`, `$.a`, `@.a`, `..name`, `.a[?(@.b=="c")]`).
fn parse_path(text: &str) -> Result<Path, String> {
    let mut rest = text.strip_prefix('$').or_else(|| text.strip_prefix('@')).unwrap_or(text);
    let mut steps = Vec::new();
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("..") {
            let end = after.find(['.', '[']).unwrap_or(after.len());
            if end == 0 {
                return Err(format!("a name after .. in {text:?}"));
            }
            steps.push(Step::Recursive(after[..end].to_owned()));
            rest = &after[end..];
        } else if let Some(after) = rest.strip_prefix('.') {
            let end = after.find(['.', '[']).unwrap_or(after.len());
            let name = &after[..end];
            if name == "*" {
                steps.push(Step::All);
            } else if !name.is_empty() {
                steps.push(Step::Field(name.to_owned()));
            }
            rest = &after[end..];
        } else if let Some(after) = rest.strip_prefix('[') {
            let end = bracket_end(after).ok_or_else(|| format!("an unclosed [ in {text:?}"))?;
            steps.push(bracket(after[..end].trim())?);
            rest = &after[end + 1..];
        } else {
            let end = rest.find(['.', '[']).unwrap_or(rest.len());
            steps.push(Step::Field(rest[..end].to_owned()));
            rest = &rest[end..];
        }
    }
    Ok(Path(steps))
}

/// The index of the `]` closing a bracket whose content starts `text`.
fn bracket_end(text: &str) -> Option<usize> {
    let (mut depth, mut quote) = (0i32, None::<char>);
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[') => depth += 1,
            (None, ']') if depth == 0 => return Some(i),
            (None, ']') => depth -= 1,
            _ => {}
        }
    }
    None
}

/// What a `[...]` holds.
fn bracket(inner: &str) -> Result<Step, String> {
    if inner == "*" {
        return Ok(Step::All);
    }
    if let Some(filter) = inner.strip_prefix('?') {
        let filter = filter.trim().strip_prefix('(').and_then(|f| f.strip_suffix(')')).unwrap_or(filter).trim();
        return parse_filter(filter).map(|f| Step::Filter(Box::new(f)));
    }
    if inner.starts_with('\'') || inner.starts_with('"') {
        return unquote(inner).map(Step::Field);
    }
    if let Some((a, b)) = inner.split_once(':') {
        let number = |s: &str| -> Result<Option<i64>, String> {
            let s = s.split(':').next().unwrap_or("").trim();
            if s.is_empty() { Ok(None) } else { s.parse().map(Some).map_err(|_| format!("{s:?} is not an index")) }
        };
        return Ok(Step::Slice(number(a)?, number(b)?));
    }
    inner.parse().map(Step::Index).map_err(|_| format!("{inner:?} is not an index, a slice, * or a filter"))
}

fn parse_filter(text: &str) -> Result<Filter, String> {
    for op in ["==", "!=", "<=", ">=", "<", ">"] {
        if let Some((left, right)) = text.split_once(op) {
            let right = right.trim();
            let value = if right.starts_with('"') || right.starts_with('\'') {
                Value::String(unquote(right)?)
            } else {
                serde_json::from_str(right).map_err(|_| format!("{right:?} is not a value to compare with"))?
            };
            return Ok(Filter { left: parse_path(left.trim())?, op: Some((op.to_owned(), value)) });
        }
    }
    Ok(Filter { left: parse_path(text)?, op: None })
}

/// The order of `items` sorted by the first value of `key` in each, as `kubectl --sort-by`
/// sorts: numbers by value, other values by their text, items without the field first; stable.
pub fn sort_order(items: &[Value], key: &Template) -> Vec<usize> {
    let keys: Vec<Option<&Value>> = items.iter().map(|item| key.values(item).into_iter().next()).collect();
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|a, b| match (keys[*a], keys[*b]) {
        (Some(Value::Number(x)), Some(Value::Number(y))) => {
            x.as_f64().partial_cmp(&y.as_f64()).unwrap_or(std::cmp::Ordering::Equal)
        }
        (Some(x), Some(y)) => print_value(x).cmp(&print_value(y)),
        (None, Some(_)) => std::cmp::Ordering::Less,
        (Some(_), None) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    order
}

/// kubectl's template outputs (`-o jsonpath=`, `-o jsonpath-as-json=`, `-o custom-columns=`),
/// over the JSON `-o json` prints.
#[derive(Clone, Debug, PartialEq)]
pub enum OutputTemplate {
    /// `-o jsonpath=TEMPLATE`.
    JsonPath(Template),
    /// `-o jsonpath-as-json=TEMPLATE`: the values as a JSON array.
    JsonPathAsJson(Template),
    /// `-o custom-columns=HEADER:PATH,...`.
    Columns(Vec<(String, Template)>),
}

impl OutputTemplate {
    /// Reads `-o NAME=ARGUMENT` when NAME is a template output; `Ok(None)` for other names.
    pub fn parse(text: &str) -> Result<Option<OutputTemplate>, String> {
        let (name, argument) = text.split_once('=').map_or((text, None), |(n, a)| (n, Some(a)));
        let parsed =
            |r: Result<OutputTemplate, String>| r.map(Some).map_err(|e| format!("error parsing -o {text:?}: {e}"));
        match (name, argument) {
            ("jsonpath", Some(t)) => parsed(Template::parse(t).map(OutputTemplate::JsonPath)),
            ("jsonpath-as-json", Some(t)) => parsed(Template::parse(t).map(OutputTemplate::JsonPathAsJson)),
            ("custom-columns", Some(spec)) => parsed(parse_columns(spec).map(OutputTemplate::Columns)),
            ("jsonpath" | "jsonpath-as-json" | "custom-columns", None) => {
                Err(format!("-o {name} needs a template: -o {name}=..."))
            }
            _ => Ok(None),
        }
    }

    /// Prints `data` (one document, or a `List` of them): custom columns get a row per item of
    /// a list, or one row.
    pub fn apply(&self, data: &Value, no_headers: bool) -> String {
        match self {
            OutputTemplate::Columns(columns) => {
                let header: Vec<&str> = columns.iter().map(|(h, _)| h.as_str()).collect();
                let items: Vec<&Value> = match data.get("items").and_then(Value::as_array) {
                    Some(items) if data.get("kind").and_then(Value::as_str) == Some("List") => items.iter().collect(),
                    _ => vec![data],
                };
                let rows: Vec<Vec<String>> =
                    items.iter().map(|v| columns.iter().map(|(_, path)| column_cell(path, v)).collect()).collect();
                super::table::render((!no_headers).then_some(header.as_slice()), &rows)
            }
            OutputTemplate::JsonPath(template) => template.render(data),
            OutputTemplate::JsonPathAsJson(template) => {
                let found: Vec<&Value> = template.values(data);
                // kubectl indents with four spaces here.
                let mut out = Vec::new();
                let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
                let mut serializer = serde_json::Serializer::with_formatter(&mut out, formatter);
                serde::Serialize::serialize(&found, &mut serializer).expect("JSON values serialise");
                let mut text = String::from_utf8(out).expect("JSON is UTF-8");
                text.push('\n');
                text
            }
        }
    }
}

/// `-o custom-columns=HEADER:PATH,...`: the columns, each with its path.
pub fn parse_columns(spec: &str) -> Result<Vec<(String, Template)>, String> {
    split_union(spec)
        .into_iter()
        .map(|column| {
            let (header, path) = column.split_once(':').ok_or_else(|| {
                format!("unexpected custom-columns spec: {column:?}, expected <header>:<json-path-expr>")
            })?;
            Ok((header.to_owned(), Template::parse_path(path)?))
        })
        .collect()
}

/// A custom column's cell: its values joined with `,`, or `<none>`.
pub fn column_cell(template: &Template, item: &Value) -> String {
    let values = template.values(item);
    if values.is_empty() {
        return "<none>".to_owned();
    }
    values.into_iter().map(print_value).collect::<Vec<_>>().join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(template: &str, data: &Value) -> String {
        Template::parse(template).unwrap().render(data)
    }

    #[test]
    fn templates_print_as_kubectl_prints_them() {
        let data = serde_json::json!({
            "kind": "List",
            "items": [
                {"metadata": {"name": "a", "labels": {"x": "1"}}, "spec": {"tags": [{"name": "v1"}, {"name": "v2"}]}, "n": 3},
                {"metadata": {"name": "b"}, "spec": {"tags": []}, "n": 1}
            ]
        });
        assert_eq!(run("{.items[*].metadata.name}", &data), "a b");
        assert_eq!(run("{range .items[*]}{.metadata.name}{\"\\t\"}{.n}{\"\\n\"}{end}", &data), "a\t3\nb\t1\n");
        assert_eq!(run("{.items[0].metadata.labels}", &data), "{\"x\":\"1\"}");
        assert_eq!(run("{.items[?(@.n>2)].metadata.name}", &data), "a");
        assert_eq!(run("{.items[?(@.metadata.name==\"b\")].n}", &data), "1");
        assert_eq!(run("{..name}", &data), "a v1 v2 b");
        assert_eq!(run("{.items[-1:].metadata.name}", &data), "b");
        assert_eq!(run("{.items[*].missing}", &data), "");
        assert_eq!(run("names: {.items[0].metadata.name},{.items[1].metadata.name}", &data), "names: a,b");
        assert_eq!(run("{.items[0].metadata.name,.kind}", &data), "a List");
        assert_eq!(run("{.items[0].metadata['name']}", &data), "a");
        assert!(Template::parse("{.items[0]").is_err());
        assert!(Template::parse("{range .items[*]}{.x}").is_err());
        let columns = parse_columns("NAME:.metadata.name,TAGS:.spec.tags[*].name").unwrap();
        let item = &data["items"][0];
        assert_eq!(column_cell(&columns[1].1, item), "v1,v2");
        assert_eq!(column_cell(&columns[1].1, &data["items"][1]), "<none>");
        let items = data["items"].as_array().unwrap();
        assert_eq!(sort_order(items, &Template::parse_path(".n").unwrap()), [1, 0]);
        assert_eq!(sort_order(items, &Template::parse_path("{.metadata.name}").unwrap()), [0, 1]);
    }
}
