//! Byte sizes as Kubernetes users write them (`512Mi`, `2Gi`, `100M`, `65536`), for the input
//! limits, and back into words for messages. Pure.

/// Why a size does not parse.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("not a size: expected a number of bytes with an optional suffix such as 512Mi, 2Gi or 100M")]
pub struct SizeError;

/// Parses `text`: a whole number with an optional binary (`Ki` `Mi` `Gi` `Ti`) or decimal (`k`
/// `K` `M` `G` `T`) suffix.
pub(crate) fn parse_bytes(text: &str) -> Result<u64, SizeError> {
    let text = text.trim();
    let split = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (number, suffix) = text.split_at(split);
    let number: u64 = number.parse().map_err(|_| SizeError)?;
    let factor: u64 = match suffix {
        "" => 1,
        "Ki" => 1 << 10,
        "Mi" => 1 << 20,
        "Gi" => 1 << 30,
        "Ti" => 1 << 40,
        "k" | "K" => 1_000,
        "M" => 1_000_000,
        "G" => 1_000_000_000,
        "T" => 1_000_000_000_000,
        _ => return Err(SizeError),
    };
    number.checked_mul(factor).ok_or(SizeError)
}

/// `bytes` in the largest binary unit that divides it (`1Gi`, `64Mi`), else in bytes.
pub(crate) fn format_bytes(bytes: u64) -> String {
    for (unit, size) in [("Ti", 1u64 << 40), ("Gi", 1 << 30), ("Mi", 1 << 20), ("Ki", 1 << 10)] {
        if bytes >= size && bytes.is_multiple_of(size) {
            return format!("{}{unit}", bytes / size);
        }
    }
    format!("{bytes} bytes")
}

/// `bytes` for a person: `56 MB`, `1.2 GB` (decimal units, as file sizes are usually shown).
pub(crate) fn format_size(bytes: u64) -> String {
    match bytes {
        b if b >= 1_000_000_000 => format!("{:.1} GB", b as f64 / 1e9),
        b if b >= 1_000_000 => format!("{} MB", b / 1_000_000),
        b if b >= 1_000 => format!("{} kB", b / 1_000),
        b => format!("{b} bytes"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_and_print() {
        assert_eq!(parse_bytes("512Mi"), Ok(512 << 20));
        assert_eq!(parse_bytes("2Gi"), Ok(2 << 30));
        assert_eq!(parse_bytes("100M"), Ok(100_000_000));
        assert_eq!(parse_bytes("65536"), Ok(65536));
        assert_eq!(parse_bytes("lots"), Err(SizeError));
        assert_eq!(parse_bytes("1Pi"), Err(SizeError));
        assert_eq!(parse_bytes("99999999999999Ti"), Err(SizeError));
        assert_eq!(format_bytes(1 << 30), "1Gi");
        assert_eq!(format_bytes(64 << 20), "64Mi");
        assert_eq!(format_bytes(1000), "1000 bytes");
        assert_eq!(format_size(56_000_000), "56 MB");
        assert_eq!(format_size(1_234_000_000), "1.2 GB");
    }
}
