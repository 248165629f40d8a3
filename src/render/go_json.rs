//! JSON written as Go's `encoding/json` writes what kubectl decoded: kubectl holds a number as
//! an `int64` when its value is a whole number in range (`60.0` too: measured with kubectl
//! 1.32, whose filters and `--sort-by` then treat it as an integer) and as a `float64`
//! otherwise, so `60.0` prints as `60`,
//! `18446744073709551615` as `18446744073709552000` and `1e-7` as `1e-7`; and `<`, `>`, `&`,
//! U+2028, U+2029 in strings are escaped. Used by `-o json`, the JSON inside `-o jsonpath`,
//! and (for numbers) `-o yaml`, so each prints kubectl's bytes; [`fmt_float`] is the other
//! form Go prints a float in (`%v`), for template results and YAML. Pure.

use std::io;

use serde::Serialize;
use serde_json::ser::{CompactFormatter, Formatter, PrettyFormatter};
use serde_json::{Number, Value};

/// A number as kubectl holds it after reading JSON.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum GoNumber {
    /// An `int64`: a whole number in range (`60` and `60.0`).
    Int(i64),
    /// A `float64`: anything else (a fraction, an integer beyond `int64`).
    Float(f64),
}

impl GoNumber {
    /// How kubectl holds `number`.
    pub(crate) fn of(number: &Number) -> GoNumber {
        if let Some(i) = number.as_i64() {
            return GoNumber::Int(i);
        }
        let f = number.as_f64().unwrap_or(0.0);
        // Below 2^63 (exactly representable), a whole float converts without loss.
        if f.fract() == 0.0 && (-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&f) {
            return GoNumber::Int(f as i64);
        }
        GoNumber::Float(f)
    }
}

/// A `float64` as `encoding/json` writes it: plain digits from 1e-6 to below 1e21, else the
/// shortest exponent form (`1e-7`, `1e+21`).
pub(crate) fn float_text(f: f64) -> String {
    let abs = f.abs();
    if abs == 0.0 || (1e-6..1e21).contains(&abs) {
        return format!("{f}");
    }
    let scientific = format!("{f:e}");
    match scientific.split_once('e') {
        Some((mantissa, exponent)) if !exponent.starts_with('-') => format!("{mantissa}e+{exponent}"),
        _ => scientific,
    }
}

/// A `float64` as Go's `fmt` prints it with `%v` (template results, YAML): the shortest digits, in `%e` form when the exponent is below -4 or at
/// least 6 (strconv's `'g'` with the shortest precision).
pub(crate) fn fmt_float(f: f64) -> String {
    let scientific = format!("{f:e}");
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    if !(-4..6).contains(&exponent) {
        let sign = if exponent < 0 { '-' } else { '+' };
        return format!("{mantissa}e{sign}{:02}", exponent.abs());
    }
    f.to_string()
}

/// A serde_json formatter that writes numbers as Go does, around another formatter's layout.
struct GoNumbers<F>(F);

impl<F: Formatter> Formatter for GoNumbers<F> {
    fn write_u64<W: ?Sized + io::Write>(&mut self, writer: &mut W, value: u64) -> io::Result<()> {
        match i64::try_from(value) {
            Ok(i) => self.0.write_i64(writer, i),
            Err(_) => writer.write_all(float_text(value as f64).as_bytes()),
        }
    }

    fn write_f64<W: ?Sized + io::Write>(&mut self, writer: &mut W, value: f64) -> io::Result<()> {
        writer.write_all(float_text(value).as_bytes())
    }

    fn begin_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_array(writer)
    }

    fn end_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_array(writer)
    }

    fn begin_array_value<W: ?Sized + io::Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_array_value(writer, first)
    }

    fn end_array_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_array_value(writer)
    }

    fn begin_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_object(writer)
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object(writer)
    }

    fn begin_object_key<W: ?Sized + io::Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_object_key(writer, first)
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_object_value(writer)
    }

    fn end_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object_value(writer)
    }
}

fn write<T: Serialize + ?Sized, F: Formatter>(value: &T, formatter: F) -> String {
    let mut out = Vec::new();
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, GoNumbers(formatter));
    value.serialize(&mut serializer).expect("JSON-shaped values serialise");
    escape_html(&String::from_utf8(out).expect("serde_json writes UTF-8"))
}

/// Indented JSON (`indent` per level), as kubectl's printers write it; no final newline.
pub(crate) fn pretty<T: Serialize + ?Sized>(value: &T, indent: &[u8]) -> String {
    write(value, PrettyFormatter::with_indent(indent))
}

/// Compact JSON, as `json.Marshal` writes it.
pub(crate) fn compact<T: Serialize + ?Sized>(value: &T) -> String {
    write(value, CompactFormatter)
}

/// JSON text with `<`, `>`, `&`, U+2028 and U+2029 escaped as Go's encoder escapes them (they
/// can only appear inside strings, so replacing them in the text is safe).
pub(crate) fn escape_html(json: &str) -> String {
    if !json.contains(['<', '>', '&', '\u{2028}', '\u{2029}']) {
        return json.to_owned();
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// Numbers rewritten as kubectl's YAML holds them: it writes JSON as Go does and reads that back
/// as YAML, so a whole `float64` below 1e21 becomes an integer when it fits one (`60.0` is `60`),
/// and an integer beyond `int64` is a `float64` first.
pub(crate) fn yaml_numbers(value: &mut Value) {
    match value {
        Value::Number(number) => match GoNumber::of(number) {
            GoNumber::Int(i) => *number = Number::from(i),
            GoNumber::Float(f) => {
                // YAML reads Go's JSON text back: digits that fit a uint64 are one.
                if let Ok(u) = float_text(f).parse::<u64>() {
                    *number = Number::from(u);
                } else if let Some(f) = Number::from_f64(f) {
                    *number = f;
                }
            }
        },
        Value::Array(items) => items.iter_mut().for_each(yaml_numbers),
        Value::Object(map) => map.values_mut().for_each(yaml_numbers),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_as_kubectl_prints_them() {
        let value: Value = serde_json::from_str(
            r#"{"f": 60.0, "big": 18446744073709552000, "maxu": 18446744073709551615, "over": 9223372036854775808,
                "i": -12, "half": 0.5, "tiny": 1e-7, "huge": 1e21, "exp": 1e3, "s": "<a&b>"}"#,
        )
        .unwrap();
        assert_eq!(
            compact(&value),
            r#"{"big":18446744073709552000,"exp":1000,"f":60,"half":0.5,"huge":1e+21,"i":-12,"maxu":18446744073709552000,"over":9223372036854776000,"s":"\u003ca\u0026b\u003e","tiny":1e-7}"#
        );
        assert_eq!(pretty(&serde_json::json!([1.5]), b"  "), "[\n  1.5\n]");
        let mut yaml = value.clone();
        yaml_numbers(&mut yaml);
        assert_eq!((yaml["f"].as_i64(), yaml["over"].as_u64()), (Some(60), Some(9223372036854776000)));
        assert!(yaml["maxu"].is_f64() && yaml["half"].is_f64());
    }
}
