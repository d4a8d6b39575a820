//! The disk reads behind the form's Attachments field: a typed path looked at (is there an
//! attachable file?) and completed from its directory. Both block, so the run loop calls them
//! off the UI thread; `update` only sees their answers.

use std::path::{Path, PathBuf};

/// What a path completes to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Completion {
    /// The typed text extended by the longest prefix every match shares (a lone directory
    /// gets its `/`); the typed text itself when nothing can be added.
    pub text: String,
    /// The names in the directory that start with what was typed, sorted (directories end in `/`).
    pub matches: Vec<String>,
}

/// Where the process finds `~`.
pub fn home() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
}

/// `typed` with a leading `~` or `~/` as `home`, as a shell reads it.
pub fn expand(typed: &str, home: Option<&Path>) -> PathBuf {
    match (typed.strip_prefix('~'), home) {
        (Some(""), Some(home)) => home.to_path_buf(),
        (Some(rest), Some(home)) if rest.starts_with('/') => home.join(rest.trim_start_matches('/')),
        _ => PathBuf::from(typed),
    }
}

/// Looks at the file `typed` names: its absolute path and size when it can be attached, else
/// the reason, in words for the field.
pub fn check(typed: &str, home: Option<&Path>) -> Result<(PathBuf, u64), String> {
    let path = expand(typed.trim(), home);
    let path = std::path::absolute(&path).unwrap_or(path);
    match crate::attachments::inspect(&path) {
        Ok(size) => Ok((path, size)),
        Err(e) => Err(e.reason()),
    }
}

/// Completes `typed` from the entries of its directory. Hidden entries match only when the
/// typed name starts with a dot, as in a shell.
pub fn complete(typed: &str, home: Option<&Path>) -> Completion {
    // `~` alone is the home directory: it completes to `~/`.
    if typed == "~" && home.is_some() {
        return Completion {
            text: "~/".into(),
            matches: vec!["~/".into()],
        };
    }
    let (dir_typed, prefix) = match typed.rfind('/') {
        Some(i) => typed.split_at(i + 1),
        None => ("", typed),
    };
    let dir = if dir_typed.is_empty() {
        PathBuf::from(".")
    } else {
        expand(dir_typed, home)
    };
    let mut matches: Vec<String> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter_map(|entry| {
                    let name = entry.file_name().to_str()?.to_string();
                    let hidden_ok = !name.starts_with('.') || prefix.starts_with('.');
                    (name.starts_with(prefix) && hidden_ok).then(|| {
                        // A link to a directory is followed, as a shell completes it.
                        let is_dir = std::fs::metadata(entry.path()).is_ok_and(|m| m.is_dir());
                        if is_dir { format!("{name}/") } else { name }
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    matches.sort();
    let common = match matches.split_first() {
        Some((first, rest)) => rest.iter().fold(first.as_str(), |acc, m| common_prefix(acc, m)),
        None => prefix,
    };
    Completion {
        text: format!("{dir_typed}{common}"),
        matches,
    }
}

/// The longest start `a` and `b` share, on character boundaries.
fn common_prefix<'a>(a: &'a str, b: &str) -> &'a str {
    let end = a
        .char_indices()
        .zip(b.chars())
        .find(|((_, x), y)| x != y)
        .map_or_else(|| a.len().min(b.len()), |((i, _), _)| i);
    &a[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tilde_is_the_home_directory() {
        let home = Path::new("/home/avery");
        assert_eq!(expand("~", Some(home)), PathBuf::from("/home/avery"));
        assert_eq!(expand("~/a.txt", Some(home)), PathBuf::from("/home/avery/a.txt"));
        assert_eq!(expand("~bob/a.txt", Some(home)), PathBuf::from("~bob/a.txt"));
        assert_eq!(expand("~/a.txt", None), PathBuf::from("~/a.txt"));
    }

    #[test]
    fn completion_extends_to_the_shared_prefix_and_marks_directories() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().display().to_string();
        std::fs::write(dir.path().join("trace-01.txt"), b"a").unwrap();
        std::fs::write(dir.path().join("trace-02.txt"), b"b").unwrap();
        std::fs::write(dir.path().join(".hidden"), b"c").unwrap();
        std::fs::create_dir(dir.path().join("logs")).unwrap();
        let got = complete(&format!("{root}/tr"), None);
        assert_eq!(got.text, format!("{root}/trace-0"));
        assert_eq!(got.matches, ["trace-01.txt", "trace-02.txt"]);
        assert_eq!(complete(&format!("{root}/l"), None).text, format!("{root}/logs/"));
        assert_eq!(
            complete(&format!("{root}/"), None).matches,
            ["logs/", "trace-01.txt", "trace-02.txt"]
        );
        assert_eq!(
            complete(&format!("{root}/.h"), None).text,
            format!("{root}/.hidden")
        );
        let none = complete(&format!("{root}/zz"), None);
        assert_eq!((none.text, none.matches.len()), (format!("{root}/zz"), 0));
        assert_eq!(common_prefix("éa", "éb"), "é");
    }
}
