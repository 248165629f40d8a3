//! The read-only API: a pure function from a request to a reply over the loaded objects, so it
//! is tested without sockets and the HTTP layer stays a thin shell.
//!
//! Every served resource is indexed once, at load: the keys of its objects in listing order
//! (ImageStreamTags included, built from their streams), so a page of a list is a slice of that
//! index and a GET is one lookup. A request turns into JSON, cells or metadata only the objects
//! of its answer; [`Api::serialised`] counts them, so tests can pin that.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use jiff::Timestamp;
use serde_json::{Value, json};

use super::discovery::{self, Served};
use super::status::{self, Reply};
use crate::catalog::Catalog;
use crate::listing::{self, Listed};
use crate::model::{Object, ResourceKind};
use crate::render::columns;
use crate::selector::Selector;
use crate::stream_tags;

/// The list `resourceVersion`: recorded objects never change while served.
const LIST_RESOURCE_VERSION: &str = "1";

/// A request as the API layer sees it.
#[derive(Clone, Debug, Default)]
pub(crate) struct Request {
    /// HTTP method.
    pub method: String,
    /// Path without the query.
    pub path: String,
    /// Decoded query parameters.
    pub query: BTreeMap<String, String>,
    /// The `Accept` header.
    pub accept: String,
    /// The `Authorization` header.
    pub authorization: Option<String>,
}

impl Request {
    /// Whether the request lists a collection (its cost grows with the answer), rather than
    /// getting one object or a discovery document.
    pub(crate) fn is_list(&self) -> bool {
        let segments: Vec<&str> = self.path.trim_matches('/').split('/').filter(|s| !s.is_empty()).collect();
        matches!(
            segments.as_slice(),
            ["apis", _, _, _]
                | ["apis", _, _, "namespaces", _, _]
                | ["api", "v1", _]
                | ["api", "v1", "namespaces", _, _]
        ) && !matches!(segments.as_slice(), ["apis", _, _, "namespaces"])
    }
}

/// How the server behaves beyond serving objects.
#[derive(Clone, Debug, Default)]
pub(crate) struct Options {
    /// Resources (plural names, `plural.group`, or `imagestreams/layers`) answered with 403.
    pub deny: BTreeSet<String>,
    /// Namespaced resources answered with 403 when asked across all namespaces only.
    pub deny_all_namespaces: BTreeSet<String>,
    /// When set, requests need `Authorization: Bearer <token>`.
    pub token: Option<String>,
    /// The user named in Forbidden messages.
    pub user: String,
    /// The address clients reach the server at (for `/api`).
    pub address: String,
}

/// One object of a served resource: its namespace (empty for cluster-scoped kinds) and name.
type Key = (String, String);

/// The API over a catalog.
pub(crate) struct Api {
    catalog: Catalog,
    /// Per served kind, the keys of its objects in listing order (namespace, then name).
    keys: HashMap<ResourceKind, Vec<Key>>,
    /// The namespaces that hold any object.
    namespaces: Vec<String>,
    options: Options,
    now: Timestamp,
    serialised: AtomicU64,
    /// Each stored object's JSON, written the first time an answer needs it: recorded objects
    /// never change, so a page of a list is then a concatenation.
    json: HashMap<(ResourceKind, Key), OnceLock<String>>,
}

/// One page of a list, before it becomes JSON or a Table.
struct Page<'a> {
    objects: Vec<Listed<'a>>,
    continue_at: Option<usize>,
    remaining: usize,
}

impl Api {
    /// Serves `catalog`; `now` dates the AGE/UPDATED cells of Tables.
    pub(crate) fn new(catalog: Catalog, options: Options, now: Timestamp) -> Api {
        let mut keys = HashMap::new();
        for kind in ResourceKind::ALL.into_iter().filter(|k| *k != ResourceKind::ImageStreamLayers) {
            let listed: Vec<Key> = listing::list(&catalog, kind, None)
                .iter()
                .map(|o| (o.meta().namespace().to_owned(), o.meta().name().to_owned()))
                .collect();
            keys.insert(kind, listed);
        }
        let namespaces: BTreeSet<String> = ResourceKind::ALL
            .into_iter()
            .filter(|k| k.info().namespaced)
            .flat_map(|k| catalog.of_kind(k).map(|o| o.meta().namespace().to_owned()).collect::<Vec<_>>())
            .filter(|ns| !ns.is_empty())
            .collect();
        let json = keys
            .iter()
            .filter(|(kind, _)| **kind != ResourceKind::ImageStreamTag)
            .flat_map(|(kind, keys)| keys.iter().map(|key| ((*kind, key.clone()), OnceLock::new())))
            .collect();
        Api {
            catalog,
            keys,
            namespaces: namespaces.into_iter().collect(),
            options,
            now,
            serialised: AtomicU64::new(0),
            json,
        }
    }

    #[cfg(test)]
    /// How many objects requests have turned into JSON, cells or metadata so far: each request
    /// costs its answer, not the whole input.
    pub(crate) fn serialised(&self) -> u64 {
        self.serialised.load(Ordering::Relaxed)
    }

    fn count(&self, n: usize) {
        self.serialised.fetch_add(n as u64, Ordering::Relaxed);
    }

    /// Answers one request.
    pub(crate) fn handle(&self, request: &Request) -> Reply {
        if let Some(token) = &self.options.token
            && !bearer_matches(request.authorization.as_deref(), token)
        {
            return status::unauthorized();
        }
        if request.method != "GET" && request.method != "HEAD" {
            return status::method_not_allowed();
        }
        let segments: Vec<&str> = request.path.trim_matches('/').split('/').filter(|s| !s.is_empty()).collect();
        match segments.as_slice() {
            ["version"] => Reply::ok(discovery::version()),
            ["api"] => Reply::ok(discovery::api_versions(&self.options.address)),
            ["api", version] => discovery::resource_list("", version).map_or_else(status::unknown_path, Reply::ok),
            ["apis"] => Reply::ok(discovery::api_groups()),
            ["apis", group] => discovery::api_group(group).map_or_else(status::unknown_path, Reply::ok),
            ["apis", group, version] => {
                discovery::resource_list(group, version).map_or_else(status::unknown_path, Reply::ok)
            }
            ["api", "v1", "namespaces"] => self.list(Served::Namespaces, "", "v1", "namespaces", None, request),
            ["api", "v1", "namespaces", name] => self.get(Served::Namespaces, "", "namespaces", None, name, request),
            // The core kinds served beside namespaces (Pods, ReplicationControllers).
            ["api", "v1", "namespaces", namespace, plural] => {
                self.route_list("", "v1", plural, Some(namespace), request)
            }
            ["api", "v1", "namespaces", namespace, plural, name] => {
                self.route_get("", "v1", plural, Some(namespace), name, request)
            }
            ["api", "v1", plural] => self.route_list("", "v1", plural, None, request),
            ["api", "v1", plural, name] => self.route_get("", "v1", plural, None, name, request),
            ["apis", group, version, "namespaces", namespace, plural] => {
                self.route_list(group, version, plural, Some(namespace), request)
            }
            ["apis", group, version, "namespaces", namespace, plural, name] => {
                self.route_get(group, version, plural, Some(namespace), name, request)
            }
            ["apis", "image.openshift.io", "v1", "namespaces", namespace, "imagestreams", name, "layers"] => {
                self.layers(namespace, name)
            }
            ["apis", group, version, plural] => self.route_list(group, version, plural, None, request),
            ["apis", group, version, plural, name] => self.route_get(group, version, plural, None, name, request),
            _ => status::unknown_path(),
        }
    }

    fn route_list(
        &self,
        group: &str,
        version: &str,
        plural: &str,
        namespace: Option<&str>,
        request: &Request,
    ) -> Reply {
        match discovery::served(group, version, plural) {
            Some(Served::Kind(kind)) if namespace.is_some() && !kind.info().namespaced => status::unknown_path(),
            Some(served) => self.list(served, group, version, plural, namespace, request),
            None => status::unknown_path(),
        }
    }

    fn route_get(
        &self,
        group: &str,
        version: &str,
        plural: &str,
        namespace: Option<&str>,
        name: &str,
        request: &Request,
    ) -> Reply {
        match discovery::served(group, version, plural) {
            Some(Served::Kind(kind)) if namespace.is_some() != kind.info().namespaced => status::unknown_path(),
            Some(served) => self.get(served, group, plural, namespace, name, request),
            None => status::unknown_path(),
        }
    }

    /// Whether `--deny` names this resource. A bare plural means the group a bare name resolves
    /// to (`images` is image.openshift.io Images; the config ones are `images.config.openshift.io`).
    fn denied(&self, plural: &str, group: &str) -> bool {
        Self::names(&self.options.deny, plural, group)
    }

    /// Whether `list` names this resource, as `--deny` names them.
    fn names(list: &BTreeSet<String>, plural: &str, group: &str) -> bool {
        let qualified = format!("{plural}.{group}");
        list.iter().any(|entry| {
            entry == &qualified
                || (entry == plural && plural.contains('/'))
                || (entry == plural && ResourceKind::from_cli_name(entry).is_none_or(|k| k.info().group == group))
        })
    }

    /// The keys of `kind` in scope: a slice of the index, found by binary search.
    fn keys_in(&self, kind: ResourceKind, namespace: Option<&str>) -> &[Key] {
        let keys = self.keys.get(&kind).map(Vec::as_slice).unwrap_or_default();
        match namespace.filter(|_| kind.info().namespaced) {
            None => keys,
            Some(ns) => {
                let start = keys.partition_point(|(n, _)| n.as_str() < ns);
                let end = start + keys[start..].partition_point(|(n, _)| n.as_str() == ns);
                &keys[start..end]
            }
        }
    }

    /// The page a list request asks for: offset and limit over the keys in scope, after the
    /// selectors. Without selectors only the page's objects are looked up.
    fn page(&self, kind: ResourceKind, namespace: Option<&str>, request: &Request) -> Result<Page<'_>, Reply> {
        let selector = match request.query.get("labelSelector").map(|s| Selector::parse(s)) {
            Some(Ok(selector)) => selector,
            Some(Err(error)) => return Err(status::bad_request(error.to_string())),
            None => Selector::default(),
        };
        let fields = parse_field_selector(request.query.get("fieldSelector").map(String::as_str).unwrap_or(""))
            .map_err(status::bad_request)?;
        let keys: Vec<&Key> = self
            .keys_in(kind, namespace)
            .iter()
            .filter(|(ns, name)| {
                fields.iter().all(|(field, value, negated)| {
                    let actual = if field == "metadata.name" { name } else { ns };
                    (actual == value) != *negated
                })
            })
            .collect();
        let find = |(ns, name): &Key| listing::find(&self.catalog, kind, ns, name);
        let labelled: Option<Vec<Listed<'_>>> = (!selector.0.is_empty()).then(|| {
            keys.iter().filter_map(|k| find(k)).filter(|o| selector.matches(o.meta().labels.as_ref())).collect()
        });
        let total = labelled.as_ref().map_or(keys.len(), Vec::len);
        let offset = continue_offset(request, total)?;
        let limit = request.query.get("limit").and_then(|l| l.parse::<usize>().ok()).filter(|l| *l > 0);
        let end = limit.map_or(total, |l| offset.saturating_add(l).min(total));
        let objects = match labelled {
            Some(mut all) => all.drain(offset..end).collect(),
            None => keys[offset..end].iter().filter_map(|k| find(k)).collect(),
        };
        Ok(Page { objects, continue_at: (end < total).then_some(end), remaining: total - end })
    }

    fn list(
        &self,
        served: Served,
        group: &str,
        version: &str,
        plural: &str,
        namespace: Option<&str>,
        request: &Request,
    ) -> Reply {
        let across = namespace.is_none() && Self::names(&self.options.deny_all_namespaces, plural, group);
        if across || self.denied(plural, group) {
            return status::forbidden(&self.options.user, "list", plural, group, namespace, None);
        }
        if request.query.get("watch").is_some_and(|w| w == "true" || w == "1") {
            // Recorded objects never change: there is nothing to watch.
            return status::method_not_allowed();
        }
        let kind = match served {
            Served::Namespaces => return self.list_namespaces(request),
            Served::Kind(ResourceKind::ImageStreamImage) => return status::method_not_allowed(),
            Served::Kind(kind) => kind,
        };
        let page = match self.page(kind, namespace, request) {
            Ok(page) => page,
            Err(reply) => return reply,
        };
        let mut metadata = json!({"resourceVersion": LIST_RESOURCE_VERSION});
        if let Some(end) = page.continue_at {
            metadata["continue"] = format!("isctl-{end}-{}", fingerprint(request)).into();
            metadata["remainingItemCount"] = page.remaining.into();
        }
        self.count(page.objects.len());
        if wants_table(&request.accept) {
            let rows = page.objects.iter().map(|o| self.row(o, request)).collect();
            return Reply::ok(table(Served::Kind(kind), rows, metadata));
        }
        let api_version = if group.is_empty() { version.to_owned() } else { format!("{group}/{version}") };
        let items: Vec<String> = page.objects.iter().map(|o| self.object_json(o)).collect();
        let mut text = String::with_capacity(items.iter().map(|i| i.len() + 1).sum::<usize>() + 256);
        text.push_str(r#"{"apiVersion":"#);
        text.push_str(&Value::from(api_version).to_string());
        text.push_str(r#","items":["#);
        text.push_str(&items.join(","));
        text.push_str(r#"],"kind":"#);
        text.push_str(&Value::from(format!("{}List", kind.info().kind)).to_string());
        text.push_str(r#","metadata":"#);
        text.push_str(&metadata.to_string());
        text.push('}');
        Reply::ok_raw(text)
    }

    /// An object's JSON: a stored object's from the cache (written on first use), a built one's
    /// (ImageStreamTags, ImageStreamImages) fresh.
    fn object_json(&self, object: &Listed<'_>) -> String {
        match object {
            Listed::Stored(stored) => {
                let key = (stored.kind(), (stored.meta().namespace().to_owned(), stored.meta().name().to_owned()));
                match self.json.get(&key) {
                    Some(cached) => cached.get_or_init(|| stored.to_json_text()).clone(),
                    None => stored.to_json_text(),
                }
            }
            Listed::Built(built) => built.to_json_text(),
            Listed::Tag(_) => object.to_json().to_string(),
        }
    }

    /// The namespaces that hold objects, as core Namespaces.
    fn list_namespaces(&self, request: &Request) -> Reply {
        let all: Vec<Value> = self.namespaces.iter().map(|n| namespace_object(n)).collect();
        let selector = request.query.get("labelSelector").map(|s| Selector::parse(s));
        let items: Vec<Value> = match selector {
            Some(Err(error)) => return status::bad_request(error.to_string()),
            Some(Ok(selector)) => all.into_iter().filter(|n| selector.matches(Some(&namespace_labels(n)))).collect(),
            None => all,
        };
        let metadata = json!({"resourceVersion": LIST_RESOURCE_VERSION});
        if wants_table(&request.accept) {
            let rows = items
                .iter()
                .map(|n| (vec![n["metadata"]["name"].clone(), "Active".into()], n["metadata"].clone()))
                .collect();
            return Reply::ok(table(Served::Namespaces, rows, metadata));
        }
        Reply::ok(json!({"apiVersion": "v1", "items": items, "kind": "NamespaceList", "metadata": metadata}))
    }

    fn get(
        &self,
        served: Served,
        group: &str,
        plural: &str,
        namespace: Option<&str>,
        name: &str,
        request: &Request,
    ) -> Reply {
        if self.denied(plural, group) {
            return status::forbidden(&self.options.user, "get", plural, group, namespace, Some(name));
        }
        let ns = namespace.unwrap_or_default();
        let kind = match served {
            Served::Namespaces => {
                return match self.namespaces.binary_search_by(|n| n.as_str().cmp(name)) {
                    Ok(_) if wants_table(&request.accept) => {
                        let object = namespace_object(name);
                        let rows = vec![(vec![json!(name), json!("Active")], object["metadata"].clone())];
                        Reply::ok(table(served, rows, json!({"resourceVersion": LIST_RESOURCE_VERSION})))
                    }
                    Ok(_) => Reply::ok(namespace_object(name)),
                    Err(_) => status::not_found("namespaces", "", name),
                };
            }
            Served::Kind(kind) => kind,
        };
        if kind == ResourceKind::ImageStreamTag && name.split_once(':').is_none() {
            return status::bad_request(format!(
                "\"{name}\" is not a valid image stream tag name: must be <stream>:<tag>"
            ));
        }
        let found = if kind == ResourceKind::ImageStreamImage {
            let Some((stream, id)) = name.split_once('@') else {
                return status::bad_request(format!(
                    "\"{name}\" is not a valid image stream image name: must be <stream>@<id>"
                ));
            };
            self.catalog
                .stream(ns, stream)
                .and_then(|s| stream_tags::stream_image(s, id, &self.catalog))
                .map(|i| Listed::Built(Box::new(Object::ImageStreamImage(Box::new(i)))))
                .or_else(|| listing::find(&self.catalog, kind, ns, name))
        } else {
            listing::find(&self.catalog, kind, ns, name)
        };
        let Some(found) = found else {
            return status::not_found(plural, group, name);
        };
        self.count(1);
        if wants_table(&request.accept) {
            let rows = vec![self.row(&found, request)];
            return Reply::ok(table(served, rows, json!({"resourceVersion": LIST_RESOURCE_VERSION})));
        }
        Reply::ok_raw(self.object_json(&found))
    }

    /// One Table row: oc's cells and the object, as `includeObject` asks: its metadata
    /// (`Metadata`, the default), the whole object (`Object`, what `kubectl --sort-by` asks for,
    /// to sort on any field) or nothing (`None`).
    fn row(&self, object: &Listed<'_>, request: &Request) -> (Vec<Value>, Value) {
        let (cells, wide) = columns::cells(object, self.now);
        let embedded = match request.query.get("includeObject").map(String::as_str) {
            Some("Object") => serde_json::from_str(&self.object_json(object)).unwrap_or(Value::Null),
            Some("None") => Value::Null,
            _ => {
                let metadata = serde_json::to_value(object.meta()).unwrap_or_else(|_| json!({}));
                json!({"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": metadata})
            }
        };
        (cells.into_iter().chain(wide).map(Value::String).collect(), embedded)
    }

    fn layers(&self, namespace: &str, name: &str) -> Reply {
        if self.denied("imagestreams/layers", "image.openshift.io") {
            return status::forbidden(
                &self.options.user,
                "get",
                "imagestreams/layers",
                "image.openshift.io",
                Some(namespace),
                Some(name),
            );
        }
        match self.catalog.stream(namespace, name) {
            Some(stream) => {
                self.count(1);
                Reply::ok(serde_json::to_value(stream_tags::layers(stream, &self.catalog)).unwrap_or(Value::Null))
            }
            None => status::not_found("imagestreams", "image.openshift.io", name),
        }
    }
}

/// `Authorization: Bearer TOKEN`, the scheme in any case and exactly one space, as the API
/// server reads it; the token compared in time that does not depend on where it differs.
fn bearer_matches(header: Option<&str>, token: &str) -> bool {
    let Some((scheme, given)) = header.and_then(|h| h.split_once(' ')) else { return false };
    scheme.eq_ignore_ascii_case("bearer") && !given.is_empty() && constant_time_eq(given.as_bytes(), token.as_bytes())
}

/// Equality whose running time depends only on the longer length, never on the first
/// difference.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    let mut difference = u8::from(a.len() != b.len());
    for i in 0..a.len().max(b.len()) {
        difference |= a.get(i).copied().unwrap_or(0) ^ b.get(i).copied().unwrap_or(0);
    }
    std::hint::black_box(difference) == 0
}

/// The offset a `continue` token points at; 410 for a token that is not this list's.
fn continue_offset(request: &Request, total: usize) -> Result<usize, Reply> {
    let Some(token) = request.query.get("continue").filter(|c| !c.is_empty()) else { return Ok(0) };
    token
        .strip_prefix("isctl-")
        .and_then(|t| t.split_once('-'))
        .filter(|(_, print)| *print == fingerprint(request))
        .and_then(|(o, _)| o.parse::<usize>().ok())
        .filter(|offset| *offset <= total)
        .ok_or_else(status::expired)
}

fn namespace_object(name: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name,
        "labels": {"kubernetes.io/metadata.name": name}}, "spec": {"finalizers": ["kubernetes"]},
        "status": {"phase": "Active"}})
}

fn namespace_labels(namespace: &Value) -> BTreeMap<String, String> {
    let name = namespace["metadata"]["name"].as_str().unwrap_or_default();
    [("kubernetes.io/metadata.name".to_owned(), name.to_owned())].into()
}

/// A `meta.k8s.io/v1` Table with oc's columns (wide-only ones at priority 1).
fn table(served: Served, rows: Vec<(Vec<Value>, Value)>, metadata: Value) -> Value {
    let (normal, wide): (Vec<&str>, Vec<&str>) = match served {
        Served::Namespaces => (vec!["NAME", "STATUS"], vec![]),
        Served::Kind(kind) => {
            let (normal, wide) = columns::columns(kind);
            (normal.to_vec(), wide.to_vec())
        }
    };
    let definitions: Vec<Value> = normal
        .iter()
        .map(|c| (c, 0))
        .chain(wide.iter().map(|c| (c, 1)))
        .map(|(name, priority)| {
            json!({"name": title_case(name), "type": "string", "format": if *name == "NAME" { "name" } else { "" },
                   "description": "", "priority": priority})
        })
        .collect();
    let table_rows: Vec<Value> = rows
        .into_iter()
        .map(|(cells, object)| match object {
            Value::Null => json!({"cells": cells}),
            object => json!({"cells": cells, "object": object}),
        })
        .collect();
    json!({"kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": metadata, "columnDefinitions": definitions, "rows": table_rows})
}

fn title_case(column: &str) -> String {
    column
        .split(' ')
        .map(|w| {
            let lower = w.to_ascii_lowercase();
            let mut chars = lower.chars();
            chars.next().map(|c| c.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Ties a continue token to the list it continues (path and selectors), so a token reused on
/// another list is refused with 410 rather than answered with the wrong page (FNV-1a).
fn fingerprint(request: &Request) -> String {
    let mut hash: u32 = 0x811c_9dc5;
    let parts = [
        request.path.as_str(),
        request.query.get("labelSelector").map_or("", String::as_str),
        request.query.get("fieldSelector").map_or("", String::as_str),
    ];
    for byte in parts.join("\u{0}").bytes() {
        hash = (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193);
    }
    format!("{hash:08x}")
}

/// Whether the client negotiates a server-side Table (`as=Table;g=meta.k8s.io`).
fn wants_table(accept: &str) -> bool {
    accept.split(',').any(|part| part.contains("as=Table") && part.contains("g=meta.k8s.io"))
}

/// `metadata.name=x,metadata.namespace!=y` (also `==`): (field, value, negated); other fields are
/// refused like the server.
fn parse_field_selector(text: &str) -> Result<Vec<(String, String, bool)>, String> {
    text.split(',')
        .filter(|p| !p.trim().is_empty())
        .map(|part| {
            let (field, value, negated) = if let Some((f, v)) = part.split_once("!=") {
                (f, v, true)
            } else {
                let (f, v) = part
                    .split_once("==")
                    .or_else(|| part.split_once('='))
                    .ok_or_else(|| format!("invalid selector: {part:?}"))?;
                (f, v, false)
            };
            let field = field.trim();
            if field != "metadata.name" && field != "metadata.namespace" {
                return Err(format!("field label not supported: {field}"));
            }
            Ok((field.to_owned(), value.trim().to_owned(), negated))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_told_from_gets_and_discovery() {
        let request = |path: &str| Request { path: path.into(), ..Request::default() };
        assert!(request(STREAMS).is_list());
        assert!(request("/apis/image.openshift.io/v1/images").is_list());
        assert!(!request(&format!("{STREAMS}/s1")).is_list());
        assert!(!request("/apis/image.openshift.io/v1").is_list());
        assert!(!request("/version").is_list());
    }

    #[test]
    fn bearer_tokens_like_the_api_server() {
        assert!(bearer_matches(Some("Bearer t0k"), "t0k"));
        assert!(bearer_matches(Some("bearer t0k"), "t0k"));
        assert!(bearer_matches(Some("BEARER t0k"), "t0k"));
        assert!(!bearer_matches(Some("Bearer  t0k"), "t0k"), "exactly one space");
        assert!(!bearer_matches(Some("Bearer t0"), "t0k"));
        assert!(!bearer_matches(Some("Bearer t0kk"), "t0k"));
        assert!(!bearer_matches(Some("Basic t0k"), "t0k"));
        assert!(!bearer_matches(None, "t0k"));
        assert!(constant_time_eq(b"", b""));
    }

    #[test]
    fn a_page_and_a_get_touch_only_their_answer() {
        let api = api(Options::default());
        let before = api.serialised();
        let page = get(&api, STREAMS, &[("limit", "2")]);
        assert_eq!(names(&page).len(), 2);
        assert_eq!(api.serialised() - before, 2, "a page of 2 serialises 2 objects");
        let one = get(&api, &format!("{STREAMS}/s3"), &[]);
        assert_eq!(one.code, 200);
        assert_eq!(api.serialised() - before, 3, "a GET serialises 1 object");
        let missing = get(&api, &format!("{STREAMS}/nope"), &[]);
        assert_eq!(missing.code, 404);
        assert_eq!(api.serialised() - before, 3);
    }

    fn api(options: Options) -> Api {
        let text = (0..5)
            .map(|i| {
                format!(
                    "---\napiVersion: image.openshift.io/v1\nkind: ImageStream\nmetadata:\n  name: s{i}\n  namespace: ns\n  labels:\n    tier: \"{}\"\n",
                    i % 2
                )
            })
            .collect::<String>();
        Api::new(Catalog::from_yaml(&text), Options { user: "u".into(), ..options }, Timestamp::UNIX_EPOCH)
    }

    fn get(api: &Api, path: &str, query: &[(&str, &str)]) -> Reply {
        api.handle(&Request {
            method: "GET".into(),
            path: path.into(),
            query: query.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            ..Request::default()
        })
    }

    fn names(reply: &Reply) -> Vec<String> {
        reply.json()["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["metadata"]["name"].as_str().unwrap().to_owned())
            .collect()
    }

    const STREAMS: &str = "/apis/image.openshift.io/v1/namespaces/ns/imagestreams";

    #[test]
    fn pages_with_limit_and_continue() {
        let api = api(Options::default());
        let first = get(&api, STREAMS, &[("limit", "2")]);
        assert_eq!(names(&first), ["s0", "s1"]);
        assert_eq!(first.json()["kind"], "ImageStreamList");
        assert_eq!(first.json()["metadata"]["remainingItemCount"], 3);
        let token = first.json()["metadata"]["continue"].as_str().unwrap().to_owned();
        let second = get(&api, STREAMS, &[("limit", "2"), ("continue", &token)]);
        assert_eq!(names(&second), ["s2", "s3"]);
        assert_eq!(second.json()["metadata"]["resourceVersion"], first.json()["metadata"]["resourceVersion"]);
        let expired = get(&api, STREAMS, &[("limit", "2"), ("continue", "bogus")]);
        assert_eq!((expired.code, expired.json()["reason"].as_str()), (410, Some("Expired")));
        // A token is only good for the list it came from.
        let elsewhere = get(&api, "/apis/image.openshift.io/v1/imagestreams", &[("limit", "2"), ("continue", &token)]);
        assert_eq!(elsewhere.code, 410);
        // Huge limits do not overflow; watches are refused.
        assert_eq!(names(&get(&api, STREAMS, &[("limit", "18446744073709551615"), ("continue", &token)])).len(), 3);
        assert_eq!(get(&api, STREAMS, &[("watch", "true")]).code, 405);
    }

    #[test]
    fn selectors() {
        let api = api(Options::default());
        assert_eq!(names(&get(&api, STREAMS, &[("labelSelector", "tier=1")])), ["s1", "s3"]);
        assert_eq!(
            names(&get(&api, "/apis/image.openshift.io/v1/imagestreams", &[("fieldSelector", "metadata.name=s4")])),
            ["s4"]
        );
        assert_eq!(get(&api, STREAMS, &[("fieldSelector", "spec.x=1")]).code, 400);
        assert_eq!(names(&get(&api, STREAMS, &[("fieldSelector", "metadata.name!=s0")])).len(), 4);
    }

    #[test]
    fn errors_are_status_objects() {
        let api = api(Options::default());
        let missing = get(&api, &format!("{STREAMS}/nope"), &[]);
        assert_eq!(missing.code, 404);
        assert_eq!(missing.json()["message"], "imagestreams.image.openshift.io \"nope\" not found");
        assert_eq!(get(&api, "/apis/nothing.example.com/v1/things", &[]).json()["reason"], "NotFound");
        let write =
            api.handle(&Request { method: "DELETE".into(), path: format!("{STREAMS}/s1"), ..Request::default() });
        assert_eq!(write.code, 405);
        // Cluster-scoped resources have no namespaced path.
        assert_eq!(get(&api, "/apis/image.openshift.io/v1/namespaces/ns/images", &[]).code, 404);
    }

    #[test]
    fn denial_and_tokens() {
        let denied = api(Options { deny: ["imagestreams".to_owned()].into(), ..Options::default() });
        let reply = get(&denied, STREAMS, &[]);
        assert_eq!(reply.code, 403);
        assert_eq!(
            reply.json()["message"],
            "imagestreams.image.openshift.io is forbidden: User \"u\" cannot list resource \"imagestreams\" in API group \"image.openshift.io\" in the namespace \"ns\""
        );
        let guarded = api(Options { token: Some("t".into()), ..Options::default() });
        assert_eq!(get(&guarded, STREAMS, &[]).code, 401);
        let ok = guarded.handle(&Request {
            method: "GET".into(),
            path: STREAMS.into(),
            authorization: Some("Bearer t".into()),
            ..Request::default()
        });
        assert_eq!(ok.code, 200);
    }

    #[test]
    fn tables_and_discovery() {
        let api = api(Options::default());
        let table = api.handle(&Request {
            method: "GET".into(),
            path: STREAMS.into(),
            accept: "application/json;as=Table;v=v1;g=meta.k8s.io,application/json".into(),
            ..Request::default()
        });
        assert_eq!(table.json()["kind"], "Table");
        assert_eq!(table.json()["columnDefinitions"][1]["name"], "Image Repository");
        assert_eq!(table.json()["rows"].as_array().unwrap().len(), 5);
        let resources = get(&api, "/apis/image.openshift.io/v1", &[]);
        let streams = resources.json()["resources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"] == "imagestreams")
            .unwrap()
            .clone();
        assert_eq!(streams["shortNames"], serde_json::json!(["is"]));
        assert_eq!(streams["namespaced"], true);
        assert_eq!(get(&api, "/api/v1/namespaces", &[]).json()["items"][0]["metadata"]["name"], "ns");
    }
}
