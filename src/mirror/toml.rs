//! `registries.conf` as the machine-config operator writes it for these rules, to diff against
//! a node's `/etc/containers/registries.conf` or a MachineConfig. Entries and keys keep the
//! operator's order; the base file's `unqualified-search-registries` comes first.

use super::config::RegistriesConfig;

/// Renders the configuration as TOML.
pub fn render(config: &RegistriesConfig) -> String {
    let mut out = String::from(
        "unqualified-search-registries = [\"registry.access.redhat.com\", \"docker.io\"]\nshort-name-mode = \"\"\n",
    );
    for entry in &config.registries {
        out.push_str("\n[[registry]]\n");
        out.push_str(&format!("  prefix = {}\n", quote(&entry.prefix)));
        if !entry.location.is_empty() {
            out.push_str(&format!("  location = {}\n", quote(&entry.location)));
        }
        if entry.insecure {
            out.push_str("  insecure = true\n");
        }
        if entry.blocked {
            out.push_str("  blocked = true\n");
        }
        for mirror in &entry.mirrors {
            out.push_str("\n  [[registry.mirror]]\n");
            out.push_str(&format!("    location = {}\n", quote(&mirror.location)));
            if mirror.insecure {
                out.push_str("    insecure = true\n");
            }
            out.push_str(&format!("    pull-from-mirror = {}\n", quote(mirror.pull_from.as_str())));
        }
    }
    out
}

/// A TOML basic string.
fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
