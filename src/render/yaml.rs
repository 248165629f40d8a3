//! The one place that writes YAML. serde-saphyr quotes every string that YAML 1.1 readers
//! (go-yaml, hence kubectl) would take for another type (`"yes"`, `"on"`, `"0755"`,
//! timestamps), so isctl's YAML reads back through kubectl unchanged (README, "Dependencies"). Keys come
//! out sorted, as kubectl prints them, because values pass through `serde_json::Value`.

use serde::Serialize;

/// Serialises a value as a YAML document.
pub fn to_yaml<T: Serialize>(value: &T) -> String {
    // Never fold long strings into `>-` blocks: digests and pull specs stay on one line.
    let options = serde_saphyr::ser_options! { folded_wrap_chars: usize::MAX };
    serde_saphyr::to_string_with_options(value, options).expect("JSON-shaped values serialise to YAML")
}

/// An object kubectl would print with `-o yaml`: as [`to_yaml`], with numbers as kubectl's YAML
/// holds them (`60.0` is `60`; see [`super::go_json::yaml_numbers`]).
pub fn kubectl_yaml(value: &serde_json::Value) -> String {
    fn has_float(value: &serde_json::Value) -> bool {
        match value {
            serde_json::Value::Number(n) => n.as_i64().is_none(),
            serde_json::Value::Array(items) => items.iter().any(has_float),
            serde_json::Value::Object(map) => map.values().any(has_float),
            _ => false,
        }
    }
    if !has_float(value) {
        return to_yaml(value);
    }
    let mut value = value.clone();
    super::go_json::yaml_numbers(&mut value);
    to_yaml(&value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_what_kubectl_would_misread() {
        let value = serde_json::json!({
            "a": "yes", "b": "on", "c": "0755", "d": "2026-01-02T03:04:05Z", "e": "", "f": "1",
            "g": "quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "h": null, "i": [], "j": {},
        });
        let text = to_yaml(&value);
        for line in [
            "a: \"yes\"",
            "b: \"on\"",
            "c: \"0755\"",
            "d: \"2026-01-02T03:04:05Z\"",
            "e: \"\"",
            "f: \"1\"",
            "g: quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "h: null",
            "i: []",
            "j: {}",
        ] {
            assert!(text.lines().any(|l| l == line), "missing {line:?} in\n{text}");
        }
    }
}
