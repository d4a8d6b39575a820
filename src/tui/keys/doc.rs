//! README's key table, written from the default key map; a test keeps README in step with it.

use super::{KeyScope, Keymap};

/// Where README's generated key table starts and ends.
pub const README_MARKERS: (&str, &str) = (
    "<!-- keys:begin (generated from src/tui/keys/table.rs; see keys::doc) -->",
    "<!-- keys:end -->",
);

/// The key table as Markdown: key, where, what it does, and the command name for `[keys]`.
pub fn markdown_table(map: &Keymap) -> String {
    let mut out = String::from("| key | where | does | `[keys]` name |\n|---|---|---|---|\n");
    for b in map.bindings().iter().filter(|b| !b.keys.is_empty()) {
        let place = match b.scope {
            // The help overlay says "anywhere"; README can afford the whole truth.
            KeyScope::OutsideText => "anywhere, outside text fields",
            other => other.label(),
        };
        let cell = |s: &str| s.replace('|', "\\|");
        out.push_str(&format!(
            "| {} | {} | {} | `{}` |\n",
            cell(&b.keys_label()),
            cell(place),
            cell(b.help),
            b.command.name()
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// README's table must be the default map's. To refresh it after changing the key table:
    /// `PCSR_WRITE_README=1 cargo test --release --lib readme_key_table`, then run it again
    /// without: a run that rewrites README still fails, so it never passes on a stale README.
    #[test]
    fn readme_key_table_matches_the_default_map() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
        let readme = std::fs::read_to_string(path).expect("README.md");
        let (begin, end) = README_MARKERS;
        let start = readme.find(begin).expect("README has the keys:begin marker") + begin.len();
        let stop = readme[start..].find(end).expect("README has the keys:end marker") + start;
        let want = format!("\n{}", markdown_table(&Keymap::default()));
        if readme[start..stop] != want && std::env::var_os("PCSR_WRITE_README").is_some() {
            let updated = format!("{}{want}{}", &readme[..start], &readme[stop..]);
            std::fs::write(path, updated).expect("write README.md");
            panic!("README's key table was out of date and is rewritten now; review it and rerun");
        }
        assert_eq!(
            readme[start..stop],
            want,
            "README's key table differs from the key map; rerun with PCSR_WRITE_README=1"
        );
    }
}
