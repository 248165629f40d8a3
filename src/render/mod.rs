//! Renderers: pure functions from data to text. Nothing here writes anywhere or reads a clock.

pub(crate) mod age;
pub(crate) mod check_report;
pub(crate) mod columns;
pub(crate) mod consumers;
pub mod describe;
pub mod fit;
pub(crate) mod go_json;
pub(crate) mod go_sort;
pub mod jsonpath;
pub(crate) mod list_writer;
pub(crate) mod prune;
pub(crate) mod pull_plan;
pub mod resolution;
pub(crate) mod table;
pub(crate) mod what_if;
pub(crate) mod workload_cells;
pub(crate) mod yaml;

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

impl OutputFormat {
    /// YAML or JSON: a document, not rows.
    pub(crate) fn is_document(self) -> bool {
        matches!(self, OutputFormat::Yaml | OutputFormat::Json)
    }

    /// Whether a list can be written item by item (a table needs every row for its widths).
    pub(crate) fn is_streamable(self) -> bool {
        matches!(self, OutputFormat::Yaml | OutputFormat::Json | OutputFormat::Name)
    }
}

/// Output formats of `resolve`: everything `get` has but names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ResolveFormat {
    /// One row per history item (the default).
    Table,
    /// The table with the pull spec and every pull source.
    Wide,
    /// YAML (kind: ImageStreamResolution).
    Yaml,
    /// JSON (kind: ImageStreamResolution).
    Json,
}

/// Output formats of reports (`mirrors`, `check`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// For people (the default).
    Table,
    /// YAML, the documented schema.
    Yaml,
    /// JSON, the documented schema.
    Json,
}

impl From<ResolveFormat> for OutputFormat {
    fn from(format: ResolveFormat) -> OutputFormat {
        match format {
            ResolveFormat::Table => OutputFormat::Table,
            ResolveFormat::Wide => OutputFormat::Wide,
            ResolveFormat::Yaml => OutputFormat::Yaml,
            ResolveFormat::Json => OutputFormat::Json,
        }
    }
}

impl From<ReportFormat> for OutputFormat {
    fn from(format: ReportFormat) -> OutputFormat {
        match format {
            ReportFormat::Table => OutputFormat::Table,
            ReportFormat::Yaml => OutputFormat::Yaml,
            ReportFormat::Json => OutputFormat::Json,
        }
    }
}

/// Wraps several objects as kubectl does: `apiVersion: v1`, `kind: List`, `items`,
/// `metadata.resourceVersion: ""`; a single object stays itself.
pub(crate) fn list_or_single(mut items: Vec<Value>, force_list: bool) -> Value {
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

/// A `kind: List` of isctl's own documents, fields in declaration order.
#[derive(serde::Serialize)]
struct ListDocument<T> {
    #[serde(rename = "apiVersion")]
    api_version: &'static str,
    items: Vec<T>,
    kind: &'static str,
    metadata: serde_json::Value,
}

/// isctl's own documents (PullPlan, ImageStreamResolution) as YAML or JSON: one stays itself
/// unless `force_list`, several become a `kind: List`. Fields keep their documented order.
pub fn document<T: serde::Serialize>(mut items: Vec<T>, yaml: bool, force_list: bool) -> String {
    if items.len() == 1 && !force_list {
        let item = items.pop().expect("one item");
        return if yaml { yaml::to_yaml(&item) } else { json_ordered(&item) };
    }
    let list =
        ListDocument { api_version: "v1", items, kind: "List", metadata: serde_json::json!({"resourceVersion": ""}) };
    if yaml { yaml::to_yaml(&list) } else { json_ordered(&list) }
}

/// isctl's own documents through a kubectl template (`-o jsonpath=`, `custom-columns=`): the
/// same data [`document`] prints as JSON.
pub(crate) fn templated_document<T: serde::Serialize>(
    mut items: Vec<T>,
    force_list: bool,
    template: &jsonpath::OutputTemplate,
    no_headers: bool,
) -> anyhow::Result<String> {
    let value = if items.len() == 1 && !force_list {
        serde_json::to_value(items.pop().expect("one item"))
    } else {
        let list = ListDocument {
            api_version: "v1",
            items,
            kind: "List",
            metadata: serde_json::json!({"resourceVersion": ""}),
        };
        serde_json::to_value(list)
    };
    template.apply(&value.expect("documents serialise"), no_headers).map_err(anyhow::Error::msg)
}

/// `-o` of commands that print isctl's documents: a format, or a kubectl template over the JSON
/// the format `json` prints.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct TemplatedOutput<F> {
    /// The format (`json` for a template).
    pub format: F,
    /// The template, when one was given.
    pub template: Option<jsonpath::OutputTemplate>,
}

/// Reads `-o` for a command whose formats are `F`'s values, or a template.
pub(crate) fn parse_templated_output<F: clap::ValueEnum + Clone>(
    text: &str,
    json: F,
) -> Result<TemplatedOutput<F>, String> {
    if let Some(template) = jsonpath::OutputTemplate::parse(text)? {
        return Ok(TemplatedOutput { format: json, template: Some(template) });
    }
    let format = F::from_str(text, false).map_err(|_| {
        let names: Vec<String> = F::value_variants()
            .iter()
            .filter_map(|v| v.to_possible_value().map(|p| p.get_name().to_owned()))
            .collect();
        format!(
            "unable to match a printer suitable for the output format {text:?}, allowed formats are: {},jsonpath=,jsonpath-as-json=,custom-columns=",
            names.join(",")
        )
    })?;
    Ok(TemplatedOutput { format, template: None })
}

/// [`parse_templated_output`] for reports (`mirrors`, `check`, `diff`).
pub(crate) fn parse_report_output(text: &str) -> Result<TemplatedOutput<ReportFormat>, String> {
    parse_templated_output(text, ReportFormat::Json)
}

/// [`parse_templated_output`] for `resolve`.
pub(crate) fn parse_resolve_output(text: &str) -> Result<TemplatedOutput<ResolveFormat>, String> {
    parse_templated_output(text, ResolveFormat::Json)
}

/// Pretty JSON of a serialisable value, keeping field order (unlike a `serde_json::Value`).
fn json_ordered<T: serde::Serialize>(value: &T) -> String {
    let mut out = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, formatter);
    value.serialize(&mut serializer).expect("documents serialise");
    let mut text = String::from_utf8(out).expect("serde_json writes UTF-8");
    text.push('\n');
    text
}

/// A count with its noun, in English: `1 object`, `2 objects`.
pub(crate) fn plural(count: usize, noun: &str) -> String {
    if count == 1 { format!("1 {noun}") } else { format!("{count} {noun}s") }
}

/// JSON as kubectl prints it: 4-space indentation, a final newline, and `<`, `>`, `&`,
/// U+2028, U+2029 escaped in strings as Go's encoder does.
pub fn json(value: &Value) -> String {
    let mut text = go_json::pretty(value, b"    ");
    text.push('\n');
    text
}
