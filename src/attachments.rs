//! Files to attach to a ticket, for the CLI and the TUI alike: looked at (size and name, never
//! read whole) when chosen, read and checked again before anything is sent, and the words for
//! a file that could not be uploaded once the ticket was filed.
//!
//! Everything here touches the disk and blocks: callers on an async runtime run it with
//! `spawn_blocking`.

use std::path::{Path, PathBuf};

use crate::domain::{AttachmentError, check_attachment};

/// Why a file cannot be attached.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The file could not be looked at or read.
    #[error("cannot attach {}: {source}", path.display())]
    Io {
        /// The path as given.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// The path is a directory or another thing that is not a file.
    #[error("cannot attach {}: it is not a file", path.display())]
    NotAFile {
        /// The path as given.
        path: PathBuf,
    },
    /// The file breaks a rule of the service (size, name, type).
    #[error("cannot attach {}: {source}", path.display())]
    Refused {
        /// The path as given.
        path: PathBuf,
        /// The rule.
        source: AttachmentError,
    },
}

impl ReadError {
    /// The file it is about.
    pub fn path(&self) -> &Path {
        match self {
            ReadError::Io { path, .. } | ReadError::NotAFile { path } | ReadError::Refused { path, .. } => {
                path
            }
        }
    }

    /// The reason alone, without "cannot attach PATH" (a form shows it beside the path).
    pub fn reason(&self) -> String {
        match self {
            ReadError::Io { source, .. } => source.to_string(),
            ReadError::NotAFile { .. } => "it is not a file".into(),
            ReadError::Refused { source, .. } => source.to_string(),
        }
    }
}

/// The name a file gets on the ticket: its own name, without the directory.
pub fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Checks the file at `path` by its name and size, without reading it; its size in bytes.
pub fn inspect(path: &Path) -> Result<u64, ReadError> {
    let meta = std::fs::metadata(path).map_err(|source| ReadError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    if !meta.is_file() {
        return Err(ReadError::NotAFile {
            path: path.to_path_buf(),
        });
    }
    check_attachment(&file_name(path), meta.len()).map_err(|source| ReadError::Refused {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(meta.len())
}

/// A file to upload, read and checked whole before anything is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// Where it was read from.
    pub path: PathBuf,
    /// The name it gets on the ticket.
    pub name: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

impl Attachment {
    /// Reads the file at `path`: its size is checked first, so a 2 GB file is refused without
    /// being read, then again on the bytes read (the file may have changed in between).
    pub fn read(path: &Path) -> Result<Attachment, ReadError> {
        inspect(path)?;
        let bytes = std::fs::read(path).map_err(|source| ReadError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let name = file_name(path);
        check_attachment(&name, bytes.len() as u64).map_err(|source| ReadError::Refused {
            path: path.to_path_buf(),
            source,
        })?;
        Ok(Attachment {
            path: path.to_path_buf(),
            name,
            bytes,
        })
    }
}

/// Every file at `paths` read ([`Attachment::read`]) on a blocking thread, in order; the first
/// that cannot be stops it.
pub async fn read_all(paths: Vec<PathBuf>) -> Result<Vec<Attachment>, ReadError> {
    let first = paths.first().cloned().unwrap_or_default();
    tokio::task::spawn_blocking(move || paths.iter().map(|p| Attachment::read(p)).collect())
        .await
        .unwrap_or_else(|e| {
            Err(ReadError::Io {
                path: first,
                source: std::io::Error::other(e),
            })
        })
}

/// The command that uploads `file` to ticket `ticket` later (`FILE` when no path is known).
pub fn retry_command(ticket: &str, file: Option<&Path>) -> String {
    let file = file.map_or_else(|| "FILE".to_string(), |p| shell_word(&p.display().to_string()));
    format!(
        "pcsr-tui attach --backend azure {} {file}",
        shell_word(&crate::text::one_line(ticket))
    )
}

/// `word` as a POSIX shell reads it back: bare when it holds only safe characters, else in
/// single quotes (so a path with spaces can be pasted as it is).
fn shell_word(word: &str) -> String {
    let safe = !word.is_empty()
        && word.chars().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, '/' | '.' | '_' | '-' | '~' | '+' | ':' | '@' | ',')
        });
    if safe && !word.starts_with('~') {
        word.to_string()
    } else {
        format!("'{}'", crate::text::one_line(word).replace('\'', r"'\''"))
    }
}

/// A file that was not uploaded to a ticket that is filed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadFailure {
    /// The file's name on the ticket.
    pub name: String,
    /// Where it was read from.
    pub path: PathBuf,
    /// Why it was not uploaded.
    pub reason: String,
    /// The command that uploads it.
    pub command: String,
}

impl UploadFailure {
    /// The failure of `path`'s upload to `ticket`, for `reason`.
    pub fn new(ticket: &str, path: &Path, reason: String) -> UploadFailure {
        UploadFailure {
            name: file_name(path),
            path: path.to_path_buf(),
            reason,
            command: retry_command(ticket, Some(path)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_looked_at_then_read_and_refusals_name_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("trace.txt");
        std::fs::write(&file, b"hello").unwrap();
        assert_eq!(inspect(&file).unwrap(), 5);
        let read = Attachment::read(&file).unwrap();
        assert_eq!(
            (read.name.as_str(), read.bytes.as_slice()),
            ("trace.txt", &b"hello"[..])
        );

        let empty = dir.path().join("empty.log");
        std::fs::write(&empty, b"").unwrap();
        let e = inspect(&empty).unwrap_err();
        assert_eq!(
            e.reason(),
            "empty.log is empty; an attachment holds at least 1 byte"
        );
        assert!(e.to_string().starts_with("cannot attach "), "{e}");

        assert_eq!(inspect(dir.path()).unwrap_err().reason(), "it is not a file");
        assert!(matches!(
            inspect(&dir.path().join("missing.txt")),
            Err(ReadError::Io { .. })
        ));
    }

    #[test]
    fn the_retry_command_can_be_pasted_into_a_shell() {
        assert_eq!(
            retry_command("abc-1", Some(Path::new("/tmp/trace.txt"))),
            "pcsr-tui attach --backend azure abc-1 /tmp/trace.txt"
        );
        assert_eq!(
            retry_command("abc-1", Some(Path::new("/tmp/my trace's.txt"))),
            r"pcsr-tui attach --backend azure abc-1 '/tmp/my trace'\''s.txt'"
        );
        assert_eq!(
            retry_command("abc-1", None),
            "pcsr-tui attach --backend azure abc-1 FILE"
        );
    }
}
