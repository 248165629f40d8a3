//! Decoding one file's text (YAML or JSON, one or many documents, `List`s) into objects.
//!
//! YAML does not let us pick a Rust type before reading a whole mapping (`kind` may come after
//! `items`), and buffering into a generic value would lose line numbers and YAML's lenient
//! scalars. So decoding takes two passes over the text: the first reads only `apiVersion`,
//! `kind`, `metadata.name` and list items (cheap, and it finds every syntax error); the second
//! deserialises exactly the documents and items of known kinds straight into their types, so a
//! wrong field type is reported at its own line and column. Files with nothing of ours skip the
//! second pass. serde-saphyr reads JSON too, including tab-indented JSON that is not YAML.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::fmt;

use serde::Deserialize;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::model::{KindVisitor, Object, ResourceKind};

/// A position in a file, 1-based.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    /// Line.
    pub line: u64,
    /// Column.
    pub column: u64,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// Why a file's text could not be decoded, with where.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{position}: {message}")]
pub struct DecodeError {
    /// Where the problem is.
    pub position: Position,
    /// What the problem is, in the parser's words.
    pub message: String,
}

/// An object of a known kind, with where it starts.
#[derive(Clone, Debug, PartialEq)]
pub struct DecodedObject {
    /// The object.
    pub object: Object,
    /// Line and column of the object in the file.
    pub position: Position,
}

/// An object of a kind isctl does not read.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct SkippedObject {
    /// `apiVersion` as written (may be empty).
    pub(crate) api_version: String,
    /// `kind` as written (may be empty).
    pub kind: String,
    /// `metadata.name` as written (may be empty).
    pub name: String,
}

/// What one file held.
#[derive(Debug, Default, PartialEq)]
pub struct Decoded {
    /// Objects of known kinds, in file order.
    pub objects: Vec<DecodedObject>,
    /// Objects of other kinds.
    pub skipped: Vec<SkippedObject>,
    /// Bytes YAML aliases added to the file's scalars (counted against the load's budget).
    pub alias_expansion: u64,
    /// Objects of isctl's kinds that the selection left out (never deserialised).
    pub(crate) left_out: Vec<ResourceKind>,
}

/// Bounds on what one file may cost beyond its own size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Bytes YAML aliases may add to a file's scalars (`--max-alias-expansion`).
    pub alias_expansion: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { alias_expansion: 64 << 20 }
    }
}

/// Decodes a file's text with the default limits.
pub fn decode(text: &str) -> Result<Decoded, DecodeError> {
    decode_with(text, &Limits::default())
}

/// Decodes a file's text.
pub fn decode_with(text: &str, limits: &Limits) -> Result<Decoded, DecodeError> {
    decode_selected(text, limits, &|_, _, _| true)
}

/// Which objects to deserialise, by kind, namespace and name (as the first pass reads them):
/// a load that knows what a command needs skips the rest at the cost of a glance.
pub type Selection<'a> = &'a (dyn Fn(ResourceKind, &str, &str) -> bool + Sync);

/// Decodes a file's text, deserialising only the objects `keep` selects; the others are listed
/// in [`Decoded::left_out`].
pub(crate) fn decode_selected(text: &str, limits: &Limits, keep: Selection<'_>) -> Result<Decoded, DecodeError> {
    if text.trim_start().starts_with(['{', '[']) {
        // JSON (what `oc get -o json` and the API write) is read by serde_json, several times
        // faster than a YAML parser; text that is not valid JSON falls back to YAML below.
        match decode_json(text, keep) {
            Ok(decoded) => return Ok(decoded),
            Err(JsonFailure::Data(error)) => return Err(error),
            Err(JsonFailure::Syntax) => {}
        }
    }
    // Aliases are the one way a small YAML file can make a huge answer: measure first.
    let mut alias_expansion = 0;
    if text.contains('&') && text.contains('*') {
        alias_expansion = measure(text, limits.alias_expansion)?;
    }
    let untagged;
    let text = if text.contains("!!timestamp") {
        untagged = without_timestamp_tags(text);
        untagged.as_str()
    } else {
        text
    };
    let envelopes: Vec<Option<Envelope>> =
        serde_saphyr::from_multiple_with_options(text, options()).map_err(|e| yaml_error(&e))?;
    let mut decoded = Decoded { alias_expansion, ..Decoded::default() };
    let mut plans = VecDeque::new();
    for envelope in envelopes.into_iter() {
        let Some(envelope) = envelope else {
            plans.push_back(DocPlan::Skip);
            continue;
        };
        plans.push_back(envelope.plan(&mut decoded, keep));
    }
    if plans.iter().all(|p| matches!(p, DocPlan::Skip)) {
        return Ok(decoded);
    }
    let _guard = PlanGuard::install(plans, true);
    let documents: Vec<PlannedDocument> =
        serde_saphyr::from_multiple_with_options(text, options()).map_err(|e| yaml_error(&e))?;
    decoded.objects = documents.into_iter().flat_map(|d| d.0).collect();
    Ok(decoded)
}

/// `text` with every `!!timestamp` tag on a scalar blanked out (spaces, so positions stay):
/// go-yaml and PyYAML write timestamps that way, and isctl keeps them as the strings they are.
/// Only tag tokens the parser reports are touched, never text inside a string.
fn without_timestamp_tags(text: &str) -> String {
    use serde_saphyr::granit_parser::{Event, Parser};
    const TAG: &str = "!!timestamp";
    let mut bytes = text.as_bytes().to_vec();
    for (event, span) in Parser::new_from_str(text).flatten() {
        let Event::Scalar(_, _, _, Some(tag)) = &event else { continue };
        if tag.suffix() != "timestamp" {
            continue;
        }
        let at = span.tag_start.as_ref().and_then(|m| m.byte_offset());
        if let Some(at) = at.filter(|at| text.get(*at..).is_some_and(|rest| rest.starts_with(TAG))) {
            bytes[at..at + TAG.len()].fill(b' ');
        }
    }
    String::from_utf8(bytes).unwrap_or_else(|_| text.to_owned())
}

thread_local! {
    /// Scalar bytes seen by [`measure`] so far, the most it may see, and the expansion allowed.
    static MEASURED: std::cell::Cell<(u64, u64, u64)> = const { std::cell::Cell::new((0, 0, 0)) };
}

/// Walks every document, aliases expanded, adding up scalar bytes; fails once they exceed the
/// file's size by more than `expansion`. Nothing is kept, so an alias bomb costs a bounded amount
/// of counting. Returns the bytes the aliases added.
fn measure(text: &str, expansion: u64) -> Result<u64, DecodeError> {
    MEASURED.with(|m| m.set((0, (text.len() as u64).saturating_add(expansion), expansion)));
    let result = serde_saphyr::from_multiple_with_options::<Measure>(text, options());
    match result {
        Ok(_) => Ok(MEASURED.with(|m| m.get().0).saturating_sub(text.len() as u64)),
        Err(error) => Err(yaml_error(&error)),
    }
}

/// Any YAML node, measured and dropped.
struct Measure;

impl<'de> Deserialize<'de> for Measure {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(MeasureVisitor)
    }
}

struct MeasureVisitor;

impl MeasureVisitor {
    fn add<E: serde::de::Error>(bytes: usize) -> Result<Measure, E> {
        MEASURED.with(|m| {
            let (seen, limit, expansion) = m.get();
            let seen = seen.saturating_add(bytes as u64 + 1);
            m.set((seen, limit, expansion));
            if seen > limit {
                return Err(E::custom(format!(
                    "YAML aliases expand the input by more than {} (raise --max-alias-expansion to read it)",
                    crate::quantity::format_bytes(expansion)
                )));
            }
            Ok(Measure)
        })
    }
}

impl<'de> Visitor<'de> for MeasureVisitor {
    type Value = Measure;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML node")
    }
    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<Measure, E> {
        Self::add(1)
    }
    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<Measure, E> {
        Self::add(8)
    }
    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<Measure, E> {
        Self::add(8)
    }
    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<Measure, E> {
        Self::add(8)
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Measure, E> {
        Self::add(v.len())
    }
    fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<Measure, E> {
        Self::add(v.len())
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<Measure, E> {
        Self::add(0)
    }
    fn visit_none<E: serde::de::Error>(self) -> Result<Measure, E> {
        Self::add(0)
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Measure, D::Error> {
        Measure::deserialize(deserializer)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Measure, A::Error> {
        while seq.next_element::<Measure>()?.is_some() {}
        Ok(Measure)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Measure, A::Error> {
        while map.next_entry::<Measure, Measure>()?.is_some() {}
        Ok(Measure)
    }
}

/// Why the JSON fast path gave up.
enum JsonFailure {
    /// Not JSON: try YAML.
    Syntax,
    /// Valid JSON whose data does not fit the model: a real error.
    Data(DecodeError),
}

/// The same two passes as for YAML, with serde_json on one JSON document or a stream of them
/// (`{...}{...}`, one per line, as exporters write them).
fn decode_json(text: &str, keep: Selection<'_>) -> Result<Decoded, JsonFailure> {
    let json_error = |e: serde_json::Error| {
        if e.is_syntax() || e.is_eof() {
            return JsonFailure::Syntax;
        }
        let message = e.to_string();
        let message = message.rfind(" at line ").map_or(message.as_str(), |i| &message[..i]).to_owned();
        JsonFailure::Data(DecodeError {
            position: Position { line: e.line() as u64, column: e.column() as u64 },
            message,
        })
    };
    let mut decoded = Decoded::default();
    let mut plans = VecDeque::new();
    for envelope in serde_json::Deserializer::from_str(text).into_iter::<Option<Envelope>>() {
        plans.push_back(match envelope.map_err(json_error)? {
            Some(envelope) => envelope.plan(&mut decoded, keep),
            None => DocPlan::Skip,
        });
    }
    if plans.iter().all(|p| matches!(p, DocPlan::Skip)) {
        return Ok(decoded);
    }
    let _guard = PlanGuard::install(plans, false);
    for document in serde_json::Deserializer::from_str(text).into_iter::<PlannedDocument>() {
        decoded.objects.extend(document.map_err(json_error)?.0);
    }
    Ok(decoded)
}

/// Parser options: duplicate keys are errors (as for kubectl), and the default budgets are raised
/// so that a cluster-sized list file (100k Images) loads, while alias bombs stay bounded.
fn options() -> serde_saphyr::Options {
    let mut options = serde_saphyr::Options::default();
    let mut budget = serde_saphyr::Budget::default();
    budget.max_reader_input_bytes = None;
    budget.max_events = usize::MAX;
    budget.max_nodes = usize::MAX;
    budget.max_documents = usize::MAX;
    budget.max_total_scalar_bytes = usize::MAX;
    budget.max_depth = 256;
    options.budget = Some(budget);
    options
}

/// A YAML parser error in isctl's words: its position apart, its message without the parser's
/// own position notes, library advice or jargon. The one place parser errors are worded (input
/// files here; kubeconfig files redact the message further).
pub(crate) fn yaml_error(error: &serde_saphyr::Error) -> DecodeError {
    let position = error.location().map(|l| Position { line: l.line(), column: l.column() }).unwrap_or_default();
    let rendered = error.without_snippet().to_string();
    let first = rendered.lines().next().unwrap_or_default();
    let message = first.strip_prefix("error: ").unwrap_or(first);
    // Drop the "line L column C: " the parser puts in front: the caller prints the position.
    let message = match message.split_once(": ") {
        Some((head, rest)) if head.starts_with("line ") && head.contains(" column ") => rest,
        _ => message,
    };
    // Library advice is not for our users.
    let mut message = message.split(", set DuplicateKeyPolicy").next().unwrap_or(message);
    message = message.split("; use Option<").next().unwrap_or(message);
    // The positions some messages end with (" at line L, column C", "(defined at line L, column
    // C)", "(used at line L, column C)"): the caller prints the position once.
    while let Some(cut) = trailing_position(message) {
        message = message[..cut].trim_end();
    }
    // The parser's budget breaches, in words.
    let breach;
    if let Some(what) = message.strip_prefix("budget breached: ") {
        let name = what.split([' ', '{']).next().unwrap_or(what);
        breach = if ["Alias", "Anchor", "Replay"].iter().any(|a| name.contains(a)) {
            format!("YAML aliases make this file too large to read (the parser's limit on {name})")
        } else {
            format!("the file is beyond the YAML parser's limit on {name}")
        };
        message = &breach;
    }
    // Parser words for what users call mappings and lists.
    let message = match message {
        "expected mapping start" => "expected a mapping (key: value)",
        "expected sequence start" => "expected a list",
        other => other,
    };
    DecodeError { position, message: message.to_owned() }
}

/// Where a trailing position note starts (`(used at line L, column C)`, `(defined at line L,
/// column C)` or ` at line L, column C`), if the message ends with one.
fn trailing_position(message: &str) -> Option<usize> {
    let trimmed = message.trim_end();
    let numbers = |tail: &str| {
        let tail = tail.strip_suffix(')').unwrap_or(tail);
        tail.split_once(", column ").is_some_and(|(l, c)| {
            !l.is_empty()
                && l.bytes().all(|b| b.is_ascii_digit())
                && !c.is_empty()
                && c.bytes().all(|b| b.is_ascii_digit())
        })
    };
    for marker in ["(used at line ", "(defined at line ", " at line "] {
        if let Some(i) = trimmed.rfind(marker)
            && numbers(&trimmed[i + marker.len()..])
            && (marker.starts_with(' ') || trimmed.ends_with(')'))
        {
            return Some(i);
        }
    }
    None
}

/// The first pass: just enough of a document to know what it is.
#[derive(Deserialize)]
struct Envelope {
    #[serde(rename = "apiVersion", default)]
    api_version: Option<String>,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    metadata: Option<EnvelopeMeta>,
    #[serde(default)]
    items: Option<Vec<Option<Envelope>>>,
}

#[derive(Deserialize)]
struct EnvelopeMeta {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    namespace: Option<String>,
}

impl Envelope {
    /// A `*List`, or a document that is nothing but `items:` (an `oc get` dump saved without
    /// its `kind`): each item says what it is.
    fn is_list(&self) -> bool {
        self.items.is_some() && self.kind.as_deref().is_none_or(|k| k.ends_with("List"))
    }

    fn plan(self, decoded: &mut Decoded, keep: Selection<'_>) -> DocPlan {
        if !self.is_list() {
            return match self.selected(None, decoded, keep) {
                Some(kind) => DocPlan::Object(kind),
                None => DocPlan::Skip,
            };
        }
        // Items of a typed list (`ImageStreamList`) may omit apiVersion and kind.
        let list_kind = self.kind.as_deref().and_then(|k| k.strip_suffix("List")).filter(|k| !k.is_empty());
        let list_type = (self.api_version.as_deref().unwrap_or(""), list_kind);
        let items = self
            .items
            .unwrap_or_default()
            .into_iter()
            .map(|item| item?.selected(Some(list_type), decoded, keep))
            .collect::<Vec<_>>();
        if items.iter().all(Option::is_none) { DocPlan::Skip } else { DocPlan::List(items) }
    }

    /// The kind to deserialise this object as, or `None` when it is not one of isctl's kinds
    /// (recorded as skipped) or the selection leaves it out (recorded as left out).
    fn selected(
        &self,
        list_type: Option<(&str, Option<&str>)>,
        decoded: &mut Decoded,
        keep: Selection<'_>,
    ) -> Option<ResourceKind> {
        let Some(kind) = self.resource_kind(list_type) else {
            decoded.skipped.push(self.skipped());
            return None;
        };
        let meta = self.metadata.as_ref();
        let name = meta.and_then(|m| m.name.as_deref()).unwrap_or_default();
        let namespace = meta.and_then(|m| m.namespace.as_deref()).unwrap_or_default();
        if keep(kind, namespace, name) {
            Some(kind)
        } else {
            decoded.left_out.push(kind);
            None
        }
    }

    fn resource_kind(&self, list_type: Option<(&str, Option<&str>)>) -> Option<ResourceKind> {
        let (list_api, list_kind) = list_type.unwrap_or(("", None));
        let kind = self.kind.as_deref().or(list_kind)?;
        let api_version = self.api_version.as_deref().unwrap_or(if self.kind.is_some() { "" } else { list_api });
        ResourceKind::from_type(api_version, kind)
    }

    fn skipped(&self) -> SkippedObject {
        SkippedObject {
            api_version: self.api_version.clone().unwrap_or_default(),
            kind: self.kind.clone().unwrap_or_default(),
            name: self.metadata.as_ref().and_then(|m| m.name.clone()).unwrap_or_default(),
        }
    }
}

/// What the second pass does with one document.
enum DocPlan {
    Skip,
    Object(ResourceKind),
    List(Vec<Option<ResourceKind>>),
}

thread_local! {
    /// The plans of the documents being decoded on this thread, consumed in document order.
    /// serde-saphyr's multi-document API takes a type, not a seed, so this is how the second
    /// pass learns what the first found.
    static PLANS: RefCell<VecDeque<DocPlan>> = const { RefCell::new(VecDeque::new()) };
    /// Whether the deserializer is serde-saphyr's, which can report each object's position.
    static SPANNED: std::cell::Cell<bool> = const { std::cell::Cell::new(true) };
}

/// Installs plans for one decode and clears them afterwards, even on error.
struct PlanGuard;

impl PlanGuard {
    fn install(plans: VecDeque<DocPlan>, spanned: bool) -> PlanGuard {
        PLANS.with(|p| *p.borrow_mut() = plans);
        SPANNED.with(|s| s.set(spanned));
        PlanGuard
    }
}

impl Drop for PlanGuard {
    fn drop(&mut self) {
        PLANS.with(|p| p.borrow_mut().clear());
    }
}

/// The objects of one document after the second pass.
struct PlannedDocument(Vec<DecodedObject>);

impl<'de> Deserialize<'de> for PlannedDocument {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let plan = PLANS.with(|p| p.borrow_mut().pop_front()).unwrap_or(DocPlan::Skip);
        match plan {
            DocPlan::Skip => IgnoredAny::deserialize(deserializer).map(|_| PlannedDocument(vec![])),
            DocPlan::Object(kind) => ObjectSeed(kind).deserialize(deserializer).map(|o| PlannedDocument(vec![o])),
            DocPlan::List(items) => deserializer.deserialize_map(ListVisitor(items)).map(PlannedDocument),
        }
    }
}

/// Deserialises one object of a known kind, with its position.
struct ObjectSeed(ResourceKind);

impl<'de> DeserializeSeed<'de> for ObjectSeed {
    type Value = DecodedObject;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        /// Reads the object into the kind's model type, with its position when spans are kept.
        struct Typed<'de, D>(D, std::marker::PhantomData<&'de ()>);
        impl<'de, D: Deserializer<'de>> KindVisitor for Typed<'de, D> {
            type Output = Result<DecodedObject, D::Error>;
            fn visit<T: serde::de::DeserializeOwned + 'static>(self, wrap: fn(Box<T>) -> Object) -> Self::Output {
                if !SPANNED.with(|s| s.get()) {
                    let value = T::deserialize(self.0)?;
                    return Ok(DecodedObject { object: wrap(Box::new(value)), position: Position::default() });
                }
                let spanned = serde_saphyr::Spanned::<T>::deserialize(self.0)?;
                let position = Position { line: spanned.referenced.line(), column: spanned.referenced.column() };
                Ok(DecodedObject { object: wrap(Box::new(spanned.value)), position })
            }
        }
        self.0.visit(Typed(deserializer, std::marker::PhantomData))
    }
}

/// A `List` document: only `items` matters, each item by its own plan.
struct ListVisitor(Vec<Option<ResourceKind>>);

impl<'de> Visitor<'de> for ListVisitor {
    type Value = Vec<DecodedObject>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a List object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut objects = Vec::new();
        let mut plans = Some(self.0);
        while let Some(key) = map.next_key::<String>()? {
            match (key.as_str(), plans.take()) {
                ("items", Some(items)) => objects = map.next_value_seed(ItemsSeed(items))?,
                (_, taken) => {
                    plans = plans.or(taken);
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(objects)
    }
}

struct ItemsSeed(Vec<Option<ResourceKind>>);

impl<'de> DeserializeSeed<'de> for ItemsSeed {
    type Value = Vec<DecodedObject>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for ItemsSeed {
    type Value = Vec<DecodedObject>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of objects")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut objects = Vec::new();
        for plan in self.0 {
            match plan {
                Some(kind) => match seq.next_element_seed(ObjectSeed(kind))? {
                    Some(object) => objects.push(object),
                    None => break,
                },
                None => {
                    if seq.next_element::<IgnoredAny>()?.is_none() {
                        break;
                    }
                }
            }
        }
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(objects)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(decoded: &Decoded) -> Vec<(ResourceKind, String, u64)> {
        decoded.objects.iter().map(|o| (o.object.kind(), o.object.meta().name().to_owned(), o.position.line)).collect()
    }

    #[test]
    fn multi_document_with_other_kinds() {
        let text = "# leading comment\n---\napiVersion: image.openshift.io/v1\nkind: ImageStream\nmetadata:\n  name: cli\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: openshift\n---\n";
        let decoded = decode(text).unwrap();
        assert_eq!(kinds(&decoded), vec![(ResourceKind::ImageStream, "cli".into(), 3)]);
        assert_eq!(decoded.skipped.len(), 1);
        assert_eq!(decoded.skipped[0].kind, "Namespace");
    }

    #[test]
    fn typed_lists_lend_their_kind_to_items() {
        let text = "apiVersion: image.openshift.io/v1\nitems:\n- metadata:\n    name: a\n- metadata:\n    name: b\nkind: ImageStreamList\nmetadata:\n  resourceVersion: \"1\"\n";
        let decoded = decode(text).unwrap();
        assert_eq!(
            kinds(&decoded),
            vec![(ResourceKind::ImageStream, "a".into(), 3), (ResourceKind::ImageStream, "b".into(), 5)]
        );
    }

    #[test]
    fn mixed_list_keeps_known_and_counts_the_rest() {
        let text = r#"{"kind": "List", "apiVersion": "v1", "items": [
            {"kind": "Secret", "apiVersion": "v1", "metadata": {"name": "p"}},
            {"kind": "ImageContentSourcePolicy", "apiVersion": "operator.openshift.io/v1alpha1", "metadata": {"name": "r"}},
            {"kind": "Image", "apiVersion": "config.openshift.io/v1", "metadata": {"name": "cluster"}}]}"#;
        let decoded = decode(text).unwrap();
        assert_eq!(
            kinds(&decoded),
            vec![
                // JSON goes through serde_json, which does not tell where each object starts.
                (ResourceKind::ImageContentSourcePolicy, "r".into(), 0),
                (ResourceKind::ClusterImageConfig, "cluster".into(), 0)
            ]
        );
        assert_eq!(decoded.skipped[0].name, "p");
    }

    #[test]
    fn json_errors_are_located_too() {
        let text = "{\n  \"apiVersion\": \"image.openshift.io/v1\",\n  \"kind\": \"ImageStream\",\n  \"spec\": {\"tags\": \"oops\"}\n}\n";
        let err = decode(text).unwrap_err();
        assert_eq!(err.position.line, 4);
        assert!(err.message.starts_with("invalid type"), "{}", err.message);
        // Not JSON after all: the YAML reader takes over (flow YAML with a comment).
        let yaml_flow = "{kind: ImageStream, apiVersion: image.openshift.io/v1, metadata: {name: x}} # flow\n";
        assert_eq!(decode(yaml_flow).unwrap().objects.len(), 1);
    }

    #[test]
    fn tab_indented_json_is_read() {
        let text = "{\n\t\"kind\": \"ImageStream\",\n\t\"apiVersion\": \"image.openshift.io/v1\",\n\t\"metadata\": {\n\t\t\"name\": \"nodejs\"\n\t}\n}\n";
        assert_eq!(kinds(&decode(text).unwrap()), vec![(ResourceKind::ImageStream, "nodejs".into(), 0)]);
    }

    #[test]
    fn wrong_field_type_is_located() {
        let text =
            "apiVersion: image.openshift.io/v1\nkind: ImageStream\nmetadata:\n  name: x\nspec:\n  tags: \"oops\"\n";
        let err = decode(text).unwrap_err();
        assert_eq!(err.position, Position { line: 6, column: 9 });
        assert!(!err.message.contains("line"), "{}", err.message);
    }

    #[test]
    fn duplicate_keys_and_truncation_are_errors() {
        let err = decode("kind: ImageStream\nkind: Image\n").unwrap_err();
        assert_eq!(err.position.line, 2);
        assert!(err.message.contains("duplicate"), "{}", err.message);
        let err = decode("{\"kind\": \"ImageStream\", \"metadata\": {\"name\": ").unwrap_err();
        assert_eq!(err.position.line, 1);
    }

    /// Mangled inputs give errors, never panics: bytes flipped, deleted and duplicated at
    /// deterministic random places in a YAML and a JSON document of every kind of ours.
    #[test]
    fn mangled_inputs_never_panic() {
        let yaml = include_str!("../../fixtures/check/rules.yaml");
        let json = r#"{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"image.openshift.io/v1","kind":"ImageStream","metadata":{"name":"a","namespace":"n"},"spec":{"tags":[{"name":"t","from":{"kind":"DockerImage","name":"q/x:1"}}]},"status":{"tags":[{"tag":"t","items":[{"image":"sha256:1","dockerImageReference":"q/x@sha256:1"}]}]}},{"apiVersion":"config.openshift.io/v1","kind":"ImageDigestMirrorSet","metadata":{"name":"d"},"spec":{"imageDigestMirrors":[{"source":"q","mirrors":["m"]}]}}]}"#;
        let mut state: u64 = 42;
        let mut next = |n: usize| {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((state >> 33) as usize) % n.max(1)
        };
        let alphabet = b"{}[]:,\"' -\n\t#&*!|>%@`0aZ";
        for text in [yaml, json] {
            for _ in 0..600 {
                let mut bytes = text.as_bytes().to_vec();
                for _ in 0..(1 + next(4)) {
                    let at = next(bytes.len());
                    match next(3) {
                        0 => bytes[at] = alphabet[next(alphabet.len())],
                        1 => {
                            bytes.remove(at);
                        }
                        _ => {
                            let end = (at + next(40)).min(bytes.len());
                            let copy = bytes[at..end].to_vec();
                            bytes.splice(at..at, copy);
                        }
                    }
                }
                if let Ok(text) = std::str::from_utf8(&bytes) {
                    let _ = decode(text);
                }
            }
        }
    }

    #[test]
    fn positions_are_cut_from_messages_whole() {
        let message = "too big (defined at line 8, column 9) (used at line 9, column 30)";
        let mut m = message;
        while let Some(cut) = trailing_position(m) {
            m = m[..cut].trim_end();
        }
        assert_eq!(m, "too big");
        assert_eq!(trailing_position("bad value at line 3, column 4"), Some(9));
        assert_eq!(trailing_position("a line of text"), None);
    }

    #[test]
    fn alias_bombs_stop_at_the_expansion_limit() {
        let mut text =
            "apiVersion: image.openshift.io/v1\nkind: ImageStream\nmetadata: {name: b}\na0: &a0 'xxxxxxxxxx'\n"
                .to_owned();
        for i in 1..9 {
            let refs = vec![format!("*a{}", i - 1); 10].join(",");
            text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
        }
        let error = decode_with(&text, &Limits { alias_expansion: 1 << 20 }).unwrap_err();
        assert_eq!(
            error.message,
            "YAML aliases expand the input by more than 1Mi (raise --max-alias-expansion to read it)"
        );
        // A few honest aliases are fine.
        let honest = "apiVersion: image.openshift.io/v1\nkind: ImageStream\nmetadata: {name: a, labels: &l {x: y}}\nspec: {tags: [{name: t, annotations: *l}]}\n";
        assert_eq!(decode(honest).unwrap().objects.len(), 1);
    }

    #[test]
    fn timestamp_tags_and_string_tags_are_read_as_strings() {
        let text = "apiVersion: image.openshift.io/v1\nkind: ImageStream\nmetadata:\n  name: !!str cli\n  creationTimestamp: !!timestamp 2026-01-01T00:00:00Z\n  annotations: {note: \"!!timestamp stays\"}\n";
        let decoded = decode(text).unwrap();
        let meta = decoded.objects[0].object.meta();
        assert_eq!(meta.creation_timestamp.as_deref(), Some("2026-01-01T00:00:00Z"));
        assert_eq!(meta.annotations.as_ref().unwrap()["note"], "!!timestamp stays");
    }

    #[test]
    fn bare_items_lists_and_json_streams_load() {
        let bare = "items:\n- apiVersion: operator.openshift.io/v1alpha1\n  kind: ImageContentSourcePolicy\n  metadata: {name: a}\n";
        assert_eq!(kinds(&decode(bare).unwrap()), vec![(ResourceKind::ImageContentSourcePolicy, "a".into(), 2)]);
        let stream = "{\"apiVersion\":\"image.openshift.io/v1\",\"kind\":\"ImageStream\",\"metadata\":{\"name\":\"a\"}}\n{\"apiVersion\":\"image.openshift.io/v1\",\"kind\":\"ImageStream\",\"metadata\":{\"name\":\"b\"}}\n";
        assert_eq!(decode(stream).unwrap().objects.len(), 2);
    }

    #[test]
    fn empty_and_comment_only_files_hold_nothing() {
        assert_eq!(decode("").unwrap(), Decoded::default());
        assert_eq!(decode("# nothing\n---\n").unwrap(), Decoded::default());
    }
}
