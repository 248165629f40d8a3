//! The one place that writes YAML. serde-saphyr quotes every string that YAML 1.1 readers
//! (go-yaml, hence kubectl) would take for another type (`"yes"`, `"on"`, `"0755"`,
//! timestamps), so isctl's YAML reads back through kubectl unchanged (README, "Dependencies"). Keys come
//! out sorted, as kubectl prints them, because values pass through `serde_json::Value`.

use serde::Serialize;
use serde_json::Value;

/// Serialises a value as a YAML document.
pub(crate) fn to_yaml<T: Serialize>(value: &T) -> String {
    // Never fold long strings into `>-` blocks: digests and pull specs stay on one line.
    let options = serde_saphyr::ser_options! { folded_wrap_chars: usize::MAX };
    serde_saphyr::to_string_with_options(value, options).expect("JSON-shaped values serialise to YAML")
}

/// An object kubectl would print with `-o yaml`: as [`to_yaml`], with numbers as kubectl's YAML
/// holds them (`60.0` is `60`; see [`super::go_json::yaml_numbers`]) and floats written as Go
/// writes them (`1e+21`, `1e-07`, `1.2345675e+06`, where serde-saphyr writes `1.0e+21`...).
pub(crate) fn kubectl_yaml(value: &Value) -> String {
    fn has_float(value: &Value) -> bool {
        match value {
            Value::Number(n) => n.as_i64().is_none(),
            Value::Array(items) => items.iter().any(has_float),
            Value::Object(map) => map.values().any(has_float),
            _ => false,
        }
    }
    if !has_float(value) {
        return to_yaml(value);
    }
    let mut value = value.clone();
    super::go_json::yaml_numbers(&mut value);
    let mut text = to_yaml(&value);
    // serde-saphyr has no float format of Go's: its scalars are rewritten, which is safe as
    // long as no string holds the same text (a string that looks like a number is quoted).
    let mut floats = Vec::new();
    collect(&value, &mut floats, &mut Vec::new());
    let mut strings = Vec::new();
    collect(&value, &mut Vec::new(), &mut strings);
    for f in floats {
        let (ours, go) = (to_yaml(&f).trim_end().to_owned(), super::go_json::fmt_float(f));
        if ours == go || strings.iter().any(|s| s.contains(&ours)) {
            continue;
        }
        for lead in [": ", "- "] {
            text = text.replace(&format!("{lead}{ours}\n"), &format!("{lead}{go}\n"));
        }
    }
    text
}

/// The floats and the strings (keys too) of a document.
fn collect<'a>(value: &'a Value, floats: &mut Vec<f64>, strings: &mut Vec<&'a str>) {
    match value {
        Value::Number(n) if n.is_f64() => floats.extend(n.as_f64()),
        Value::String(s) => strings.push(s),
        Value::Array(items) => items.iter().for_each(|v| collect(v, floats, strings)),
        Value::Object(map) => {
            for (key, item) in map {
                strings.push(key);
                collect(item, floats, strings);
            }
        }
        _ => {}
    }
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

    #[test]
    fn kubectl_yaml_writes_numbers_as_go() {
        let value = serde_json::json!({"a": 1e21, "b": [1e-7, 1.5], "c": 60.0, "d": 1234567.5, "s": "1.0e+2"});
        let text = kubectl_yaml(&value);
        assert_eq!(text, "a: 1e+21\nb:\n- 1e-07\n- 1.5\nc: 60\nd: 1.2345675e+06\ns: \"1.0e+2\"\n");
        // A string holding the same text as a float keeps that float in serde-saphyr's form:
        // never a changed string.
        let value = serde_json::json!({"a": 1e21, "s": "x: 1.0e+21\n"});
        assert_eq!(kubectl_yaml(&value), "a: 1.0e+21\ns: |\n  x: 1.0e+21\n");
    }
}
