//! Editing the description in `$VISUAL` / `$EDITOR`. The caller suspends the terminal and
//! pauses the input task around [`edit`], so the editor gets every key.

use std::path::PathBuf;
use std::process::Command;

/// The editor command: `$VISUAL`, else `$EDITOR`, else `vi`, split into program and arguments.
pub fn command_line(visual: Option<String>, editor: Option<String>) -> Vec<String> {
    let chosen = [visual, editor]
        .into_iter()
        .flatten()
        .find(|v| !v.trim().is_empty())
        .unwrap_or_else(|| "vi".to_string());
    chosen.split_whitespace().map(str::to_string).collect()
}

fn temp_path() -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    std::env::temp_dir().join(format!("pcsr-tui-description-{}-{nanos}.md", std::process::id()))
}

/// Runs the editor on `text` and returns what the user saved. Blocks until the editor exits.
pub fn edit(text: &str) -> Result<String, String> {
    let argv = command_line(std::env::var("VISUAL").ok(), std::env::var("EDITOR").ok());
    let Some((program, args)) = argv.split_first() else {
        return Err("no editor configured: set $VISUAL or $EDITOR".into());
    };
    let path = temp_path();
    let write = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()));
    if let Err(e) = write {
        return Err(format!(
            "could not write the temporary file {} ({e}); check $TMPDIR",
            path.display()
        ));
    }
    let status = Command::new(program).args(args).arg(&path).status();
    let result = match status {
        Err(e) => Err(format!(
            "could not start the editor `{program}` ({e}); set $VISUAL or $EDITOR to your editor's command"
        )),
        Ok(s) if !s.success() => Err(format!(
            "the editor `{program}` exited with {s}; the description was left unchanged"
        )),
        Ok(_) => std::fs::read_to_string(&path).map_err(|e| {
            format!(
                "could not read the edited text back from {} ({e})",
                path.display()
            )
        }),
    };
    // Best effort: a leftover temp file is harmless, and the text is already read.
    let _ = std::fs::remove_file(&path);
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visual_wins_over_editor_and_arguments_are_kept() {
        assert_eq!(
            command_line(Some("code -w".into()), Some("nano".into())),
            ["code", "-w"]
        );
        assert_eq!(command_line(Some(" ".into()), Some("nano".into())), ["nano"]);
        assert_eq!(command_line(None, None), ["vi"]);
    }
}
