//! Renderers: pure functions from data to text. Nothing here writes anywhere or reads a clock.

pub mod age;
pub mod table;
pub mod yaml;

use serde_json::Value;

/// Output formats shared by commands (`-o`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// Columns for people (the default).
    Table,
    /// Columns with extra detail.
    Wide,
    /// YAML, like `kubectl get -o yaml`.
    Yaml,
    /// JSON, like `kubectl get -o json`.
    Json,
    /// `kind.group/name`, one per line.
    Name,
}

/// Wraps several objects as kubectl does: `apiVersion: v1`, `kind: List`, `items`,
/// `metadata.resourceVersion: ""`; a single object stays itself.
pub fn list_or_single(mut items: Vec<Value>, force_list: bool) -> Value {
    if items.len() == 1 && !force_list {
        return items.pop().expect("one item");
    }
    serde_json::json!({
        "apiVersion": "v1",
        "items": items,
        "kind": "List",
        "metadata": {"resourceVersion": ""},
    })
}

/// JSON as kubectl prints it: 4-space indentation and a final newline.
pub fn json(value: &Value) -> String {
    let mut out = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, formatter);
    serde::Serialize::serialize(value, &mut serializer).expect("JSON values serialise");
    let mut text = String::from_utf8(out).expect("serde_json writes UTF-8");
    text.push('\n');
    text
}
