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

mod eval;
mod format;
mod parse;
mod sort;

use std::borrow::Cow;

use serde_json::Value;

use eval::{Val, find};
pub(crate) use format::{go_sprint, print_value};
use parse::Parser;
pub use sort::sort_order;

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
    pub(crate) fn apply(&self, data: &Value, no_headers: bool) -> Result<String, String> {
        match self.apply_partial(data, no_headers) {
            (text, None) => Ok(text),
            (_, Some(error)) => Err(error),
        }
    }

    /// `apply`, and on an error also what kubectl prints before it: custom columns
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
pub(crate) fn parse_columns(spec: &str) -> Result<Vec<(String, Template)>, String> {
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
pub(crate) fn column_cell(template: &Template, item: &Value) -> Result<String, String> {
    let values = template.first_values(item)?;
    if values.is_empty() {
        return Ok("<none>".to_owned());
    }
    Ok(values.iter().map(|v| go_sprint(v)).collect::<Vec<_>>().join(","))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::go_json::fmt_float;

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
            (fmt_float(1234567.5), fmt_float(123456.5), fmt_float(0.00001)),
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
