//! `kind: Status` error bodies worded as the Kubernetes API server words them
//! (k8s.io/apimachinery `api/errors`, docs/semantics.md §10).

use serde_json::{Value, json};

/// An HTTP status code with a JSON body.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Reply {
    /// HTTP status code.
    pub code: u16,
    /// The JSON body.
    pub body: Value,
    /// The body already as JSON text (a list assembled from cached objects); `body` is then null.
    pub raw: Option<String>,
}

impl Reply {
    /// 200 with a body.
    pub(crate) fn ok(body: Value) -> Reply {
        Reply { code: 200, body, raw: None }
    }

    /// 200 with a body already written as JSON.
    pub(crate) fn ok_raw(text: String) -> Reply {
        Reply { code: 200, body: Value::Null, raw: Some(text) }
    }

    /// The body as JSON text.
    pub(crate) fn text(&self) -> String {
        self.raw.clone().unwrap_or_else(|| serde_json::to_string(&self.body).unwrap_or_default())
    }

    #[cfg(test)]
    /// The body as a JSON value (tests read replies this way).
    pub(crate) fn json(&self) -> Value {
        match &self.raw {
            Some(text) => serde_json::from_str(text).unwrap_or(Value::Null),
            None => self.body.clone(),
        }
    }
}

fn status(code: u16, reason: &str, message: String, details: Value) -> Reply {
    let mut body = json!({
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": message,
        "reason": reason,
        "code": code,
    });
    if !details.is_null() {
        body["details"] = details;
    }
    Reply { code, body, raw: None }
}

/// `group` for messages: `plural.group`, or just `plural` for the core group.
fn qualified(plural: &str, group: &str) -> String {
    if group.is_empty() { plural.to_owned() } else { format!("{plural}.{group}") }
}

/// 404 for a named object.
pub(crate) fn not_found(plural: &str, group: &str, name: &str) -> Reply {
    status(
        404,
        "NotFound",
        format!("{} \"{name}\" not found", qualified(plural, group)),
        json!({"name": name, "group": group, "kind": plural}),
    )
}

/// 404 for a path the server does not serve.
pub(crate) fn unknown_path() -> Reply {
    status(404, "NotFound", "the server could not find the requested resource".into(), json!({}))
}

/// 405 for any write verb: the server is read-only.
pub(crate) fn method_not_allowed() -> Reply {
    status(405, "MethodNotAllowed", "the server does not allow this method on the requested resource".into(), json!({}))
}

/// 403 as RBAC denies: `User "u" cannot list resource "images" in API group "..." at the cluster
/// scope`. For a subresource (`imagestreams/layers`) the object is named by its resource and the
/// subresource appears only in the resource words, as the API server writes it.
pub(crate) fn forbidden(
    user: &str,
    verb: &str,
    plural: &str,
    group: &str,
    namespace: Option<&str>,
    name: Option<&str>,
) -> Reply {
    let scope = match namespace {
        Some(ns) => format!("in the namespace \"{ns}\""),
        None => "at the cluster scope".into(),
    };
    let resource = plural.split('/').next().unwrap_or(plural);
    let object = match name {
        Some(name) => format!("{} \"{name}\"", qualified(resource, group)),
        None => qualified(resource, group),
    };
    status(
        403,
        "Forbidden",
        format!(
            "{object} is forbidden: User \"{user}\" cannot {verb} resource \"{plural}\" in API group \"{group}\" {scope}"
        ),
        json!({"name": name.unwrap_or_default(), "group": group, "kind": resource}),
    )
}

/// 401 without a valid bearer token.
pub(crate) fn unauthorized() -> Reply {
    status(401, "Unauthorized", "Unauthorized".into(), Value::Null)
}

/// 410 for a continue token that is unknown or expired.
pub(crate) fn expired() -> Reply {
    status(
        410,
        "Expired",
        "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.".into(),
        Value::Null,
    )
}

/// 400 for a request the server cannot honour.
pub(crate) fn bad_request(message: String) -> Reply {
    status(400, "BadRequest", message, Value::Null)
}
