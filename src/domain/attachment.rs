//! Attachments: the check a file passes before anything is recorded or sent (design.md:
//! "Attachments: a file of 1 byte to 5 MiB, name of at most 110 characters"), and what an
//! upload left in the service.
//!
//! The limits are those `az support` enforces before it uploads (azure-cli-extensions,
//! `src/support/azext_support/_validators.py`: `validate_file_size` 1 to 5,242,880 bytes,
//! `validate_file_name` 110 characters, `validate_file_extension` the list below). The Swagger
//! (Microsoft.Support 2024-04-01, `FileDetailsProperties`) agrees on size: "The file size must
//! not exceed 5 MB". It documents no pattern for a file's name (only the workspace's name has
//! one, `^[0-9a-zA-Z_\-. ]+$`), so the name check keeps to what a name in a URL path needs: no
//! control characters, no path separators, not `.` or `..`.

/// Smallest file accepted, in bytes.
pub const ATTACHMENT_MIN_BYTES: u64 = 1;

/// Largest file accepted, in bytes (5 MiB).
pub const ATTACHMENT_MAX_BYTES: u64 = 5 * 1024 * 1024;

/// Longest file name accepted, in characters.
pub const ATTACHMENT_NAME_MAX_CHARS: usize = 110;

/// Extensions the service does not take (compared without case), as `az support` lists them.
pub const BLOCKED_EXTENSIONS: &[&str] = &[
    "bat", "bin", "cmd", "com", "cpl", "exe", "htm", "html", "inf", "ins", "isu", "job", "js", "jse", "lnk",
    "msi", "msp", "paf", "pif", "ps1", "reg", "rgs", "scr", "sct", "svg", "vb", "vbe", "vbs", "ws", "wsf",
    "wsh",
];

/// Why a file cannot be attached.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AttachmentError {
    /// The file has no bytes.
    #[error("{name} is empty; an attachment holds at least 1 byte")]
    Empty {
        /// The file's name.
        name: String,
    },
    /// The file is over [`ATTACHMENT_MAX_BYTES`].
    #[error(
        "{name} is {size} bytes ({}); the largest attachment is {limit} bytes ({})",
        human(*size),
        human(*limit)
    )]
    TooLarge {
        /// The file's name.
        name: String,
        /// Its size in bytes.
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// The name is empty.
    #[error("an attachment needs a file name")]
    NoName,
    /// The name is over [`ATTACHMENT_NAME_MAX_CHARS`].
    #[error("the file name {name} has {chars} characters; the longest allowed has {limit}")]
    NameTooLong {
        /// The name.
        name: String,
        /// How many characters it has.
        chars: usize,
        /// The limit.
        limit: usize,
    },
    /// The name holds a character a file name in a URL path cannot carry.
    #[error("the file name {name} contains {}, which a file name cannot contain", describe(*character))]
    NameCharacter {
        /// The name, with control characters shown escaped.
        name: String,
        /// The character.
        character: char,
    },
    /// The name is `.` or `..`.
    #[error("{name} is not a file name")]
    NotAName {
        /// The name.
        name: String,
    },
    /// The type is one the service refuses.
    #[error("{name} is a .{extension} file, a type that cannot be attached")]
    BlockedType {
        /// The name.
        name: String,
        /// Its extension, lowercase.
        extension: String,
    },
}

fn human(n: u64) -> String {
    super::human_bytes(usize::try_from(n).unwrap_or(usize::MAX))
}

fn describe(c: char) -> String {
    if c.is_control() {
        format!("the control character {}", c.escape_unicode())
    } else {
        format!("'{c}'")
    }
}

/// The name as it can be shown: control characters escaped, so an error never writes them to
/// a terminal.
fn shown(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Checks a file to attach: its name (the file's own name, without a directory) and its size
/// in bytes. Callers check before reading a file whole, so a 5 GiB file is refused by its size.
pub fn check_attachment(name: &str, size: u64) -> Result<(), AttachmentError> {
    if name.is_empty() {
        return Err(AttachmentError::NoName);
    }
    if let Some(character) = name.chars().find(|c| c.is_control() || *c == '/' || *c == '\\') {
        return Err(AttachmentError::NameCharacter {
            name: shown(name),
            character,
        });
    }
    let chars = name.chars().count();
    if chars > ATTACHMENT_NAME_MAX_CHARS {
        return Err(AttachmentError::NameTooLong {
            name: name.to_string(),
            chars,
            limit: ATTACHMENT_NAME_MAX_CHARS,
        });
    }
    if name == "." || name == ".." {
        return Err(AttachmentError::NotAName {
            name: name.to_string(),
        });
    }
    if let Some((_, ext)) = name.rsplit_once('.') {
        let extension = ext.to_lowercase();
        if BLOCKED_EXTENSIONS.contains(&extension.as_str()) {
            return Err(AttachmentError::BlockedType {
                name: name.to_string(),
                extension,
            });
        }
    }
    if size < ATTACHMENT_MIN_BYTES {
        return Err(AttachmentError::Empty {
            name: name.to_string(),
        });
    }
    if size > ATTACHMENT_MAX_BYTES {
        return Err(AttachmentError::TooLarge {
            name: name.to_string(),
            size,
            limit: ATTACHMENT_MAX_BYTES,
        });
    }
    Ok(())
}

/// A file the service holds for a ticket, as its file workspace lists it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AttachedFile {
    /// The file workspace it is in.
    pub workspace: String,
    /// The file's name.
    pub name: String,
    /// Its size in bytes.
    pub size: u64,
    /// Bytes per chunk it was (or is to be) uploaded in.
    pub chunk_size: u64,
    /// How many chunks.
    pub chunks: u64,
    /// When the service created it (ISO 8601, UTC), when it says.
    pub created: Option<String>,
}

/// A file workspace: where a ticket's attachments are kept.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FileWorkspace {
    /// Its name.
    pub name: String,
    /// When the service created it (ISO 8601, UTC).
    pub created: Option<String>,
    /// When the service will drop it (ISO 8601, UTC).
    pub expires: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_from_one_byte_to_five_mib_pass() {
        assert_eq!(check_attachment("a.txt", 1), Ok(()));
        assert_eq!(check_attachment("a.txt", ATTACHMENT_MAX_BYTES), Ok(()));
        let empty = check_attachment("a.txt", 0).unwrap_err();
        assert_eq!(
            empty.to_string(),
            "a.txt is empty; an attachment holds at least 1 byte"
        );
        let big = check_attachment("dump.log", ATTACHMENT_MAX_BYTES + 1).unwrap_err();
        assert_eq!(
            big.to_string(),
            "dump.log is 5242881 bytes (5.0 MiB); the largest attachment is 5242880 bytes (5.0 MiB)"
        );
    }

    #[test]
    fn names_are_checked_for_length_characters_and_type() {
        let long = format!("{}.txt", "n".repeat(107));
        assert_eq!(long.chars().count(), 111);
        assert!(matches!(
            check_attachment(&long, 10),
            Err(AttachmentError::NameTooLong {
                chars: 111,
                limit: 110,
                ..
            })
        ));
        assert_eq!(check_attachment(&long[1..], 10), Ok(()), "110 characters pass");
        // Characters, not bytes: 110 accented letters are 220 bytes.
        assert_eq!(check_attachment(&"é".repeat(110), 10), Ok(()));
        assert!(matches!(
            check_attachment("a/b.txt", 10),
            Err(AttachmentError::NameCharacter { character: '/', .. })
        ));
        let bell = check_attachment("a\u{7}.txt", 10).unwrap_err();
        assert!(!bell.to_string().contains('\u{7}'), "{bell}");
        assert_eq!(check_attachment("", 10), Err(AttachmentError::NoName));
        assert!(matches!(
            check_attachment("..", 10),
            Err(AttachmentError::NotAName { .. })
        ));
        assert_eq!(
            check_attachment("Setup.EXE", 10).unwrap_err().to_string(),
            "Setup.EXE is a .exe file, a type that cannot be attached"
        );
        assert_eq!(check_attachment("notes.exe.txt", 10), Ok(()));
    }
}
