//! A kubectl `kind: List` written item by item, byte for byte what rendering the whole List at
//! once gives (`render::list_or_single` then YAML or JSON), so `get` can print each page as it
//! arrives and drop it: memory stays at one page however long the list.

use std::io::{self, Write};

use serde_json::Value;

/// YAML or JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Format {
    /// kubectl's `-o yaml`.
    Yaml,
    /// kubectl's `-o json` (4-space indentation).
    Json,
}

/// Writes `apiVersion: v1`, `items: [...]`, `kind: List`, `metadata: {resourceVersion: ""}`
/// (the keys in that sorted order) to `out`, one item at a time.
pub(crate) struct ListWriter<W: Write> {
    out: W,
    format: Format,
    items: usize,
}

impl<W: Write> ListWriter<W> {
    /// A writer that has written nothing yet.
    pub(crate) fn new(out: W, format: Format) -> ListWriter<W> {
        ListWriter { out, format, items: 0 }
    }

    /// Writes one item.
    pub(crate) fn item(&mut self, value: &Value) -> io::Result<()> {
        let first = self.items == 0;
        self.items += 1;
        match self.format {
            Format::Yaml => {
                if first {
                    self.out.write_all(b"apiVersion: v1\nitems:\n")?;
                }
                let text = super::yaml::kubectl_yaml(value);
                let mut block = String::with_capacity(text.len() + text.len() / 8);
                for (i, line) in text.lines().enumerate() {
                    block.push_str(if i == 0 {
                        "- "
                    } else if line.is_empty() {
                        ""
                    } else {
                        "  "
                    });
                    block.push_str(line);
                    block.push('\n');
                }
                self.out.write_all(block.as_bytes())
            }
            Format::Json => {
                self.out.write_all(if first {
                    b"{\n    \"apiVersion\": \"v1\",\n    \"items\": [\n"
                } else {
                    b",\n"
                })?;
                let text = super::json(value);
                let mut block = String::with_capacity(text.len() + text.len() / 4);
                for (i, line) in text.trim_end_matches('\n').lines().enumerate() {
                    if i > 0 {
                        block.push('\n');
                    }
                    block.push_str("        ");
                    block.push_str(line);
                }
                self.out.write_all(block.as_bytes())
            }
        }
    }

    /// What has been written so far (a caller may take it and pass it on piece by piece).
    pub(crate) fn output(&mut self) -> &mut W {
        &mut self.out
    }

    /// Ends the List and flushes.
    pub(crate) fn finish(mut self) -> io::Result<W> {
        let tail: &[u8] = match (self.format, self.items) {
            (Format::Yaml, 0) => b"apiVersion: v1\nitems: []\nkind: List\nmetadata:\n  resourceVersion: \"\"\n",
            (Format::Yaml, _) => b"kind: List\nmetadata:\n  resourceVersion: \"\"\n",
            (Format::Json, 0) => {
                b"{\n    \"apiVersion\": \"v1\",\n    \"items\": [],\n    \"kind\": \"List\",\n    \"metadata\": {\n        \"resourceVersion\": \"\"\n    }\n}\n"
            }
            (Format::Json, _) => b"\n    ],\n    \"kind\": \"List\",\n    \"metadata\": {\n        \"resourceVersion\": \"\"\n    }\n}\n",
        };
        self.out.write_all(tail)?;
        self.out.flush()?;
        Ok(self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn whole(items: Vec<Value>, format: Format) -> String {
        let value = crate::render::list_or_single(items, true);
        match format {
            Format::Yaml => crate::render::yaml::to_yaml(&value),
            Format::Json => crate::render::json(&value),
        }
    }

    fn streamed(items: &[Value], format: Format) -> String {
        let mut writer = ListWriter::new(Vec::new(), format);
        for item in items {
            writer.item(item).unwrap();
        }
        String::from_utf8(writer.finish().unwrap()).unwrap()
    }

    #[test]
    fn item_by_item_is_byte_for_byte_the_whole_list() {
        let items = [
            json!({"apiVersion": "image.openshift.io/v1", "kind": "Image", "metadata": {"name": "sha256:1", "annotations": {"a": "yes", "multi": "line one\nline two\n\nafter a blank\n"}},
                   "dockerImageLayers": [{"name": "l1", "size": 1}, {"name": "l2", "size": 2}], "empty": {}, "none": [], "nothing": null,
                   "nested": {"list": [[1, 2], {"x": "0755"}], "text": "  leading spaces"}}),
            json!({"apiVersion": "image.openshift.io/v1", "kind": "Image", "metadata": {"name": "sha256:2"}, "dockerImageManifest": "{\n  \"a\": 1\n}"}),
        ];
        for format in [Format::Yaml, Format::Json] {
            for n in [0, 1, 2] {
                assert_eq!(
                    streamed(&items[..n], format),
                    whole(items[..n].to_vec(), format),
                    "{format:?} with {n} items"
                );
            }
        }
    }
}
