//! The read-only API: a pure function from a request to a reply over the loaded objects, so it
//! is tested without sockets and the HTTP layer stays a thin shell.

use std::collections::{BTreeMap, BTreeSet};

use jiff::Timestamp;
use serde_json::{Value, json};

use super::discovery::{self, Served};
use super::status::{self, Reply};
use crate::catalog::Catalog;
use crate::model::{Object, ResourceKind};
use crate::render::columns::{self, Row};
use crate::selector::Selector;
use crate::stream_tags;

/// The list `resourceVersion`: recorded objects never change while served.
const LIST_RESOURCE_VERSION: &str = "1";

/// A request as the API layer sees it.
#[derive(Clone, Debug, Default)]
pub struct Request {
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

/// How the server behaves beyond serving objects.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Resources (plural names, `plural.group`, or `imagestreams/layers`) answered with 403.
    pub deny: BTreeSet<String>,
    /// When set, requests need `Authorization: Bearer <token>`.
    pub token: Option<String>,
    /// The user named in Forbidden messages.
    pub user: String,
    /// The address clients reach the server at (for `/api`).
    pub address: String,
}

/// The API over a catalog.
pub struct Api {
    catalog: Catalog,
    options: Options,
    now: Timestamp,
}

impl Api {
    /// Serves `catalog`; `now` dates the AGE/UPDATED cells of Tables.
    pub fn new(catalog: Catalog, options: Options, now: Timestamp) -> Api {
        Api { catalog, options, now }
    }

    /// Answers one request.
    pub fn handle(&self, request: &Request) -> Reply {
        if let Some(token) = &self.options.token
            && request.authorization.as_deref() != Some(&format!("Bearer {token}"))
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
        let qualified = format!("{plural}.{group}");
        self.options.deny.iter().any(|entry| {
            entry == &qualified
                || (entry == plural && plural.contains('/'))
                || (entry == plural && ResourceKind::from_cli_name(entry).is_none_or(|k| k.info().group == group))
        })
    }

    /// Rows of a served resource in scope, with cells for Tables.
    fn rows(&self, served: Served, namespace: Option<&str>) -> Vec<Row> {
        match served {
            Served::Namespaces => {
                let names: BTreeSet<String> = ResourceKind::ALL
                    .into_iter()
                    .filter(|k| k.info().namespaced)
                    .flat_map(|k| self.catalog.of_kind(k).map(|o| o.meta().namespace().to_owned()).collect::<Vec<_>>())
                    .filter(|ns| !ns.is_empty())
                    .collect();
                names
                    .into_iter()
                    .map(|name| Row {
                        namespace: String::new(),
                        name: name.clone(),
                        labels: Some([("kubernetes.io/metadata.name".to_owned(), name.clone())].into()),
                        json: json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name,
                            "labels": {"kubernetes.io/metadata.name": name}}, "spec": {"finalizers": ["kubernetes"]},
                            "status": {"phase": "Active"}}),
                        cells: vec![name, "Active".into()],
                        wide: Vec::new(),
                    })
                    .collect()
            }
            Served::Kind(kind) => columns::rows(kind, &self.catalog, namespace, self.now, true),
        }
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
        if self.denied(plural, group) {
            return status::forbidden(&self.options.user, "list", plural, group, namespace, None);
        }
        if request.query.get("watch").is_some_and(|w| w == "true" || w == "1") {
            // Recorded objects never change: there is nothing to watch.
            return status::method_not_allowed();
        }
        if served == Served::Kind(ResourceKind::ImageStreamImage) {
            return status::method_not_allowed();
        }
        let selector = match request.query.get("labelSelector").map(|s| Selector::parse(s)) {
            Some(Ok(selector)) => selector,
            Some(Err(error)) => return status::bad_request(error.to_string()),
            None => Selector::default(),
        };
        let fields = match parse_field_selector(request.query.get("fieldSelector").map(String::as_str).unwrap_or("")) {
            Ok(fields) => fields,
            Err(message) => return status::bad_request(message),
        };
        let rows: Vec<Row> = self
            .rows(served, namespace)
            .into_iter()
            .filter(|r| selector.matches(r.labels.as_ref()))
            .filter(|r| {
                fields.iter().all(|(field, value, negated)| {
                    let actual = if field == "metadata.name" { &r.name } else { &r.namespace };
                    (actual == value) != *negated
                })
            })
            .collect();
        let offset = match request.query.get("continue").filter(|c| !c.is_empty()) {
            Some(token) => match token
                .strip_prefix("isctl-")
                .and_then(|t| t.split_once('-'))
                .filter(|(_, print)| *print == fingerprint(request))
                .and_then(|(o, _)| o.parse::<usize>().ok())
            {
                Some(offset) if offset <= rows.len() => offset,
                _ => return status::expired(),
            },
            None => 0,
        };
        let limit = request.query.get("limit").and_then(|l| l.parse::<usize>().ok()).filter(|l| *l > 0);
        let end = limit.map_or(rows.len(), |l| offset.saturating_add(l).min(rows.len()));
        let page = &rows[offset..end];
        let mut metadata = json!({"resourceVersion": LIST_RESOURCE_VERSION});
        if end < rows.len() {
            metadata["continue"] = format!("isctl-{end}-{}", fingerprint(request)).into();
            metadata["remainingItemCount"] = (rows.len() - end).into();
        }
        let kind = match served {
            Served::Namespaces => "Namespace",
            Served::Kind(kind) => kind.info().kind,
        };
        if wants_table(&request.accept) {
            return Reply::ok(self.table(served, page, metadata));
        }
        let api_version = if group.is_empty() { version.to_owned() } else { format!("{group}/{version}") };
        Reply::ok(json!({
            "apiVersion": api_version,
            "items": page.iter().map(|r| r.json.clone()).collect::<Vec<_>>(),
            "kind": format!("{kind}List"),
            "metadata": metadata,
        }))
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
        let found = match served {
            Served::Kind(ResourceKind::ImageStreamTag) => {
                let Some((stream, tag)) = name.split_once(':') else {
                    return status::bad_request(format!(
                        "\"{name}\" is not a valid image stream tag name: must be <stream>:<tag>"
                    ));
                };
                let ns = namespace.unwrap_or_default();
                self.catalog
                    .stream(ns, stream)
                    .and_then(|s| stream_tags::synthesize(s, tag, &self.catalog))
                    .or_else(|| {
                        self.catalog
                            .stream_tags()
                            .find(|t| t.metadata.namespace() == ns && t.metadata.name() == name)
                            .cloned()
                    })
                    .map(|t| {
                        row_of(served, &t.metadata, serde_json::to_value(&t).expect("model types serialise"), self)
                    })
            }
            Served::Kind(ResourceKind::ImageStreamImage) => {
                let Some((stream, id)) = name.split_once('@') else {
                    return status::bad_request(format!(
                        "\"{name}\" is not a valid image stream image name: must be <stream>@<id>"
                    ));
                };
                let ns = namespace.unwrap_or_default();
                self.catalog
                    .stream(ns, stream)
                    .and_then(|s| stream_tags::stream_image(s, id, &self.catalog))
                    .or_else(|| {
                        self.catalog.of_kind(ResourceKind::ImageStreamImage).find_map(|o| match o {
                            Object::ImageStreamImage(i)
                                if i.metadata.namespace() == ns && i.metadata.name() == name =>
                            {
                                Some((**i).clone())
                            }
                            _ => None,
                        })
                    })
                    .map(|i| {
                        row_of(served, &i.metadata, serde_json::to_value(&i).expect("model types serialise"), self)
                    })
            }
            _ => self.rows(served, namespace).into_iter().find(|r| r.name == name),
        };
        let Some(row) = found else {
            return status::not_found(plural, group, name);
        };
        if wants_table(&request.accept) {
            return Reply::ok(self.table(
                served,
                std::slice::from_ref(&row),
                json!({"resourceVersion": LIST_RESOURCE_VERSION}),
            ));
        }
        Reply::ok(row.json)
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
            Some(stream) => Reply::ok(
                serde_json::to_value(stream_tags::layers(stream, &self.catalog)).expect("model types serialise"),
            ),
            None => status::not_found("imagestreams", "image.openshift.io", name),
        }
    }

    /// A `meta.k8s.io/v1` Table with oc's columns (wide-only ones at priority 1).
    fn table(&self, served: Served, rows: &[Row], metadata: Value) -> Value {
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
            .iter()
            .map(|r| {
                let cells: Vec<&String> = r.cells.iter().chain(r.wide.iter()).collect();
                json!({"cells": cells, "object": {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1",
                       "metadata": r.json.get("metadata").cloned().unwrap_or_else(|| json!({}))}})
            })
            .collect();
        json!({"kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": metadata, "columnDefinitions": definitions, "rows": table_rows})
    }
}

fn row_of(served: Served, meta: &crate::model::ObjectMeta, json: Value, api: &Api) -> Row {
    // Cells for a single virtual object come from the same builders as lists (without building
    // every row's JSON: only the cells are wanted here).
    let rows = match served {
        Served::Kind(kind) => columns::rows(kind, &api.catalog, Some(meta.namespace()), api.now, false),
        Served::Namespaces => Vec::new(),
    };
    let cells = rows.into_iter().find(|r| r.name == meta.name()).map(|r| (r.cells, r.wide)).unwrap_or_else(|| {
        let age =
            crate::render::age::kube_age(crate::model::meta::parse_time(meta.creation_timestamp.as_deref()), api.now);
        (vec![meta.name().to_owned(), age], Vec::new())
    });
    Row {
        namespace: meta.namespace().to_owned(),
        name: meta.name().to_owned(),
        labels: meta.labels.clone(),
        json,
        cells: cells.0,
        wide: cells.1,
    }
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
    use crate::catalog::Origin;
    use crate::source::decode::decode;

    fn api(options: Options) -> Api {
        let mut catalog = Catalog::new();
        let text = (0..5)
            .map(|i| {
                format!(
                    "---\napiVersion: image.openshift.io/v1\nkind: ImageStream\nmetadata:\n  name: s{i}\n  namespace: ns\n  labels:\n    tier: \"{}\"\n",
                    i % 2
                )
            })
            .collect::<String>();
        for object in decode(&text).unwrap().objects {
            catalog.insert(object.object, Origin("t".into()));
        }
        Api::new(catalog, Options { user: "u".into(), ..options }, Timestamp::UNIX_EPOCH)
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
        reply.body["items"]
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
        assert_eq!(first.body["kind"], "ImageStreamList");
        assert_eq!(first.body["metadata"]["remainingItemCount"], 3);
        let token = first.body["metadata"]["continue"].as_str().unwrap().to_owned();
        let second = get(&api, STREAMS, &[("limit", "2"), ("continue", &token)]);
        assert_eq!(names(&second), ["s2", "s3"]);
        assert_eq!(second.body["metadata"]["resourceVersion"], first.body["metadata"]["resourceVersion"]);
        let expired = get(&api, STREAMS, &[("limit", "2"), ("continue", "bogus")]);
        assert_eq!((expired.code, expired.body["reason"].as_str()), (410, Some("Expired")));
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
        assert_eq!(missing.body["message"], "imagestreams.image.openshift.io \"nope\" not found");
        assert_eq!(get(&api, "/apis/nothing.example.com/v1/things", &[]).body["reason"], "NotFound");
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
            reply.body["message"],
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
        assert_eq!(table.body["kind"], "Table");
        assert_eq!(table.body["columnDefinitions"][1]["name"], "Image Repository");
        assert_eq!(table.body["rows"].as_array().unwrap().len(), 5);
        let resources = get(&api, "/apis/image.openshift.io/v1", &[]);
        let streams = resources.body["resources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"] == "imagestreams")
            .unwrap()
            .clone();
        assert_eq!(streams["shortNames"], serde_json::json!(["is"]));
        assert_eq!(streams["namespaced"], true);
        assert_eq!(get(&api, "/api/v1/namespaces", &[]).body["items"][0]["metadata"]["name"], "ns");
    }
}
