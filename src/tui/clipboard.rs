//! Copying with OSC 52: the terminal puts the text on the clipboard, which also works over SSH.

use std::io::Write;

use base64::Engine;

/// The OSC 52 sequence that sets the clipboard to `text`.
pub fn osc52(text: &str) -> String {
    let encoded = base64::engine::general_purpose::STANDARD.encode(text);
    format!("\u{1b}]52;c;{encoded}\u{7}")
}

/// Writes the sequence to the terminal.
pub fn copy(text: &str) -> Result<String, String> {
    let mut out = std::io::stdout();
    out.write_all(osc52(text).as_bytes())
        .and_then(|()| out.flush())
        .map(|()| text.to_string())
        .map_err(|e| format!("could not copy to the clipboard ({e}); select the id with Shift+drag instead"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osc52_carries_the_text_base64_encoded() {
        assert_eq!(osc52("616122292874576"), "\u{1b}]52;c;NjE2MTIyMjkyODc0NTc2\u{7}");
    }
}
