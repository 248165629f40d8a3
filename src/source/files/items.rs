//! Item-level reading of a list file: when a load wants only the workloads that mention some
//! strings, the items of a must-gather's `PodList` that do not mention them need not be parsed.
//! Lists written by `oc get`/`oc adm inspect` (JSON, or YAML whose `items:` entries start at
//! column 0) are cut into their items as text; items that are not wanted are blanked out
//! (replaced by spaces, newlines kept), so the parser sees a shorter list and every position
//! it reports is still the file's own. Anything else (another layout, YAML anchors that could
//! tie items together) is left whole: this only ever saves work, never changes an answer.

/// `text` with the items of its top-level list that `wanted` refuses blanked out, and how many
/// items were kept; `None` when the text is not a list this can cut safely.
pub(super) fn blank_unwanted(text: &str, wanted: &dyn Fn(&str) -> bool) -> Option<(String, usize)> {
    if text.trim_start().starts_with('{') { json(text, wanted) } else { yaml(text, wanted) }
}

/// The items of a YAML list file: the `- ` lines at column 0 after a column-0 `items:`, each up
/// to the next line at column 0.
fn yaml(text: &str, wanted: &dyn Fn(&str) -> bool) -> Option<(String, usize)> {
    // Anchors and aliases may tie one item to another; a second document may start anywhere.
    if (text.contains('&') && text.contains('*')) || text.contains("\n---") || text.contains("\n...") {
        return None;
    }
    let start = if text.starts_with("items:\n") { 0 } else { text.find("\nitems:\n")? + 1 };
    let mut bytes = text.as_bytes().to_vec();
    let mut at = start + "items:\n".len();
    let mut kept = 0;
    while at < text.len() {
        let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
        let line = &text[at..line_end];
        if !line.starts_with("- ") && line != "-\n" {
            // A blank or comment line, or the next top-level key: the list is over at a key.
            if line.starts_with(|c: char| c.is_ascii_alphanumeric()) {
                break;
            }
            at = line_end;
            continue;
        }
        // The item runs to the next line at column 0 that is not blank or a comment.
        let mut end = line_end;
        while end < text.len() {
            let next_end = text[end..].find('\n').map_or(text.len(), |i| end + i + 1);
            let next = &text[end..next_end];
            if next.starts_with(|c: char| !c.is_whitespace() && c != '#') {
                break;
            }
            end = next_end;
        }
        if wanted(&text[at..end]) {
            kept += 1;
        } else {
            blank(&mut bytes[at..end]);
        }
        at = end;
    }
    Some((String::from_utf8(bytes).ok()?, kept))
}

/// The items of a JSON list file: the elements of the top-level object's `items` array.
fn json(text: &str, wanted: &dyn Fn(&str) -> bool) -> Option<(String, usize)> {
    let open = items_array(text)?;
    let elements = array_elements(text, open)?;
    let mut out = text.as_bytes().to_vec();
    let keep: Vec<bool> = elements.iter().map(|(s, e, _)| wanted(&text[*s..*e])).collect();
    // Blank every element not kept and every comma; then put back the comma after each kept
    // element that another kept element follows.
    for ((s, e, comma), kept) in elements.iter().zip(&keep) {
        if !kept {
            blank(&mut out[*s..*e]);
        }
        if let Some(c) = comma {
            out[*c] = b' ';
        }
    }
    let kept_at: Vec<usize> = keep.iter().enumerate().filter(|(_, k)| **k).map(|(i, _)| i).collect();
    for pair in kept_at.windows(2) {
        if let Some(c) = elements[pair[0]].2 {
            out[c] = b',';
        }
    }
    Some((String::from_utf8(out).ok()?, kept_at.len()))
}

/// Where the array of the key `"items"` at depth 1 opens (its `[`), if the text has one.
fn items_array(text: &str) -> Option<usize> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    let mut key_start = None;
    for (i, &b) in text.as_bytes().iter().enumerate() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => {
                    in_string = false;
                    if depth == 1 && key_start.is_some_and(|s| &text[s..=i] == "\"items\"") {
                        let rest = text[i + 1..].trim_start();
                        if let Some(rest) = rest.strip_prefix(':').map(str::trim_start)
                            && rest.starts_with('[')
                        {
                            return Some(text.len() - rest.len());
                        }
                    }
                }
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => {
                in_string = true;
                key_start = Some(i);
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => depth = depth.checked_sub(1)?,
            _ => {}
        }
    }
    None
}

/// The elements of the array opening at `open`: each one's span and the comma after it, if
/// any. `None` when the array does not close or has an empty element.
fn array_elements(text: &str, open: usize) -> Option<Vec<(usize, usize, Option<usize>)>> {
    let mut elements = Vec::new();
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    let mut element_start: Option<usize> = None;
    for (i, &b) in text.as_bytes().iter().enumerate().skip(open + 1) {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => {
                in_string = true;
                element_start.get_or_insert(i);
            }
            b'{' | b'[' => {
                depth += 1;
                element_start.get_or_insert(i);
            }
            b'}' | b']' if depth > 0 => depth -= 1,
            b']' => {
                if let Some(s) = element_start.take() {
                    elements.push((s, i, None));
                }
                return Some(elements);
            }
            b',' if depth == 0 => {
                let s = element_start.take()?;
                elements.push((s, i, Some(i)));
            }
            b if b.is_ascii_whitespace() => {}
            _ => {
                element_start.get_or_insert(i);
            }
        }
    }
    None
}

/// Spaces for every byte but newlines (positions after it stay where they were). Blanking
/// whole UTF-8 sequences keeps the text UTF-8.
fn blank(bytes: &mut [u8]) {
    for b in bytes.iter_mut().filter(|b| **b != b'\n') {
        *b = b' ';
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wanted(item: &str) -> bool {
        item.contains("keep")
    }

    #[test]
    fn yaml_lists_lose_the_items_not_wanted_and_keep_positions() {
        let text = "apiVersion: v1\nitems:\n- kind: Pod\n  metadata:\n    name: a\n- kind: Pod\n  metadata:\n    name: keep\n  spec:\n    containers:\n    - name: x\n- kind: Pod\n  metadata: {name: c}\nkind: PodList\nmetadata:\n  resourceVersion: ''\n";
        let (out, kept) = blank_unwanted(text, &wanted).unwrap();
        assert_eq!(kept, 1);
        assert_eq!(out.len(), text.len());
        assert_eq!(out.lines().count(), text.lines().count());
        let decoded = crate::source::decode::decode(&out).unwrap();
        let names: Vec<&str> = decoded.objects.iter().map(|o| o.object.meta().name()).collect();
        assert_eq!(names, ["keep"]);
        assert_eq!(decoded.objects[0].position.line, 6, "the item is where it was");
        assert!(out.contains("    name: keep\n") && !out.contains("name: a"));
        // Anchors might tie items together: left whole.
        assert!(blank_unwanted("items:\n- &a {x: 1}\n- *a\n", &wanted).is_none());
        assert!(blank_unwanted("kind: Pod\nmetadata: {name: a}\n", &wanted).is_none());
    }

    #[test]
    fn json_lists_lose_the_items_not_wanted_and_stay_json() {
        for (text, names) in [
            (
                r#"{"apiVersion":"v1","items":[{"n":"a"},{"n":"keep1","s":"]},"},{"n":"c"},{"n":"keep2"}],"kind":"List"}"#,
                vec!["keep1", "keep2"],
            ),
            (r#"{"items": [ {"n":"keep"} , {"n":"b"} ], "kind": "List"}"#, vec!["keep"]),
            (r#"{"items":[{"n":"a"},{"n":"b"}],"kind":"List"}"#, vec![]),
            (r#"{"kind":"List","metadata":{"items":"x"},"items":[{"n":"a"},{"n":"keep"}]}"#, vec!["keep"]),
        ] {
            let (out, kept) = blank_unwanted(text, &wanted).unwrap();
            assert_eq!(out.len(), text.len());
            let value: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{out}: {e}"));
            let found: Vec<&str> =
                value["items"].as_array().unwrap().iter().map(|i| i["n"].as_str().unwrap()).collect();
            assert_eq!((found, kept), (names.clone(), names.len()), "{text}");
        }
    }
}
