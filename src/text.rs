//! Making untrusted text (from the server, from files) safe to draw in a terminal.

/// Removes control characters and terminal escape sequences, keeping newlines and tabs when
/// `multiline` is set (tabs become spaces so columns stay predictable).
pub fn sanitize(input: &str, multiline: bool) -> String {
    let mut out = String::with_capacity(input.len());
    let mut chars = input.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => skip_escape(&mut chars),
            // C1 CSI / OSC / DCS introducers start sequences too.
            '\u{9b}' => skip_until_final(&mut chars),
            '\u{9d}' | '\u{90}' | '\u{9e}' | '\u{9f}' => skip_string(&mut chars),
            '\n' if multiline => out.push('\n'),
            '\r' if multiline => {
                if chars.peek() != Some(&'\n') {
                    out.push('\n');
                }
            }
            '\t' => out.push_str(if multiline { "    " } else { " " }),
            '\n' | '\r' => out.push(' '),
            c if c.is_control() => {}
            // Bidi overrides can make text display differently from what it is.
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Single-line form of [`sanitize`], for titles and names.
pub fn one_line(input: &str) -> String {
    sanitize(input, false)
}

fn skip_escape(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    match chars.peek().copied() {
        Some('[') => {
            chars.next();
            skip_until_final(chars);
        }
        Some(']') | Some('P') | Some('X') | Some('^') | Some('_') => {
            chars.next();
            skip_string(chars);
        }
        Some(_) => {
            chars.next();
        }
        None => {}
    }
}

/// CSI: parameters and intermediates up to a final byte in @..~.
fn skip_until_final(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    for c in chars.by_ref() {
        if ('@'..='~').contains(&c) {
            break;
        }
    }
}

/// OSC/DCS/...: up to BEL or ST (ESC \).
fn skip_string(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while let Some(c) = chars.next() {
        if c == '\u{7}' || c == '\u{9c}' {
            break;
        }
        if c == '\u{1b}' {
            if chars.peek() == Some(&'\\') {
                chars.next();
            }
            break;
        }
    }
}

/// The OSC 52 sequence that asks the terminal to set the clipboard to `text`; inside tmux it is
/// wrapped for passthrough (tmux drops it unless `allow-passthrough` is on).
pub fn osc52(text: &str, tmux: bool) -> String {
    let encoded = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, text);
    let seq = format!("\u{1b}]52;c;{encoded}\u{7}");
    if tmux {
        format!("\u{1b}Ptmux;{}\u{1b}\\", seq.replace('\u{1b}', "\u{1b}\u{1b}"))
    } else {
        seq
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_escape_sequences_and_controls() {
        let evil = "Title\u{1b}[2J\u{1b}]0;pwned\u{7}ok\u{0}\u{8}!";
        assert_eq!(one_line(evil), "Titleok!");
    }

    #[test]
    fn keeps_newlines_only_when_multiline() {
        assert_eq!(sanitize("a\r\nb\rc\td", true), "a\nb\nc    d");
        assert_eq!(one_line("a\nb"), "a b");
    }

    #[test]
    fn keeps_unicode_text() {
        assert_eq!(one_line("Grüße – 東京"), "Grüße – 東京");
    }
}
