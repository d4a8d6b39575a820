//! Request templates: `templates/*.md` beside config.toml. Optional front matter between `---`
//! lines (`title`, `severity`, `topic`, as in gh's issue templates), then the description body.

use std::path::{Path, PathBuf};

use crate::domain::Severity;

/// The templates folder's name inside the config directory.
pub const TEMPLATES_DIR: &str = "templates";

/// One template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    /// The file's name without `.md`, shown in the picker.
    pub name: String,
    /// The title to fill in.
    pub title: Option<String>,
    /// The severity to pick.
    pub severity: Option<Severity>,
    /// The topic: its id, or its name.
    pub topic: Option<String>,
    /// The description (the text after the front matter).
    pub body: String,
}

/// A template file that cannot be used, naming the file and the line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file} line {line}: {message}")]
pub struct TemplateError {
    /// The file, as `templates/NAME.md`.
    pub file: String,
    /// The 1-based line.
    pub line: usize,
    /// What is wrong and how to fix it.
    pub message: String,
}

/// Parses a template's text; `name` is its file name without `.md`.
pub fn parse(name: &str, text: &str) -> Result<Template, TemplateError> {
    let mut template = Template {
        name: name.to_string(),
        title: None,
        severity: None,
        topic: None,
        body: String::new(),
    };
    let fail = |line: usize, message: String| TemplateError {
        file: format!("{TEMPLATES_DIR}/{name}.md"),
        line,
        message,
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = text.lines().collect();
    if lines.first().map(|l| l.trim_end()) != Some("---") {
        template.body = text.trim_end().to_string();
        return Ok(template);
    }
    let Some(end) = lines
        .iter()
        .skip(1)
        .position(|l| l.trim_end() == "---")
        .map(|i| i + 1)
    else {
        return Err(fail(
            1,
            "the front matter that starts here has no closing `---` line".into(),
        ));
    };
    for (i, raw) in lines.iter().enumerate().take(end).skip(1) {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((key, value)) = line.split_once(':') else {
            return Err(fail(i + 1, format!("expected `key: value`, found `{line}`")));
        };
        let value = unquote(value.trim());
        let value = (!value.is_empty()).then(|| value.to_string());
        match key.trim() {
            "title" => template.title = value,
            "topic" => template.topic = value,
            "severity" => {
                template.severity = match value {
                    None => None,
                    Some(v) => match Severity::parse(&v).filter(|s| {
                        crate::domain::Service::PartnerCenter
                            .capabilities()
                            .severities
                            .contains(s)
                    }) {
                        Some(s) => Some(s),
                        None => {
                            return Err(fail(
                                i + 1,
                                format!("severity `{v}` is not one of critical, moderate, minimal"),
                            ));
                        }
                    },
                }
            }
            other => {
                return Err(fail(
                    i + 1,
                    format!("unknown key `{other}` (the keys are title, severity, topic)"),
                ));
            }
        }
    }
    template.body = lines[end + 1..].join("\n").trim_end().to_string();
    Ok(template)
}

/// A value without the quotes around it, if it has matching ones.
fn unquote(value: &str) -> &str {
    for q in ['"', '\''] {
        if let Some(inner) = value.strip_prefix(q).and_then(|v| v.strip_suffix(q)) {
            return inner;
        }
    }
    value
}

/// The templates folder for a config directory.
pub fn dir(config_dir: &Path) -> PathBuf {
    config_dir.join(TEMPLATES_DIR)
}

/// Reads every `*.md` in `dir`, sorted by name: the good ones, and why the others cannot be
/// used. A missing folder is no templates. Blocking: reads files.
pub fn load(dir: &Path) -> (Vec<Template>, Vec<TemplateError>) {
    let mut good = Vec::new();
    let mut bad = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return (good, bad);
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    paths.sort();
    for path in paths {
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        match std::fs::read_to_string(&path) {
            Ok(text) => match parse(&name, &text) {
                Ok(t) => good.push(t),
                Err(e) => bad.push(e),
            },
            Err(e) => bad.push(TemplateError {
                file: format!("{TEMPLATES_DIR}/{name}.md"),
                line: 1,
                message: format!("cannot be read ({e})"),
            }),
        }
    }
    (good, bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_fills_title_severity_and_topic() {
        let t = parse(
            "billing",
            "---\ntitle: \"Invoice is wrong\"\nseverity: moderate\n# a comment\ntopic: 32444672\n---\nWhat I expected:\n\nWhat I got:\n",
        )
        .expect("parses");
        assert_eq!(t.name, "billing");
        assert_eq!(t.title.as_deref(), Some("Invoice is wrong"));
        assert_eq!(t.severity, Some(Severity::Moderate));
        assert_eq!(t.topic.as_deref(), Some("32444672"));
        assert_eq!(t.body, "What I expected:\n\nWhat I got:");
    }

    #[test]
    fn without_front_matter_the_whole_file_is_the_body() {
        let t = parse("plain", "Steps:\n1.\n2.\n").expect("parses");
        assert_eq!((t.title, t.severity, t.topic), (None, None, None));
        assert_eq!(t.body, "Steps:\n1.\n2.");
    }

    #[test]
    fn bad_front_matter_names_the_file_and_the_line() {
        let unknown = parse("x", "---\ntitle: a\ncolour: red\n---\nbody").unwrap_err();
        assert_eq!(
            unknown.to_string(),
            "templates/x.md line 3: unknown key `colour` (the keys are title, severity, topic)"
        );
        let severity = parse("x", "---\nseverity: urgent\n---\n").unwrap_err();
        assert_eq!(severity.line, 2);
        assert!(severity.message.contains("urgent"), "{severity}");
        let open = parse("x", "---\ntitle: a\nbody").unwrap_err();
        assert_eq!(open.line, 1);
        assert!(open.message.contains("closing `---`"), "{open}");
        let no_colon = parse("x", "---\njust words\n---\n").unwrap_err();
        assert_eq!(no_colon.line, 2);
    }

    #[test]
    fn a_folder_is_read_sorted_with_the_bad_files_reported() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("b.md"), "---\ntitle: B\n---\nbody b").expect("write");
        std::fs::write(dir.path().join("a.md"), "body a").expect("write");
        std::fs::write(dir.path().join("bad.md"), "---\nnope: 1\n---\n").expect("write");
        std::fs::write(dir.path().join("notes.txt"), "ignored").expect("write");
        let (good, bad) = load(dir.path());
        let names: Vec<&str> = good.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["a", "b"]);
        assert_eq!(bad.len(), 1);
        assert!(bad[0].to_string().starts_with("templates/bad.md line 2"));
        assert_eq!(load(&dir.path().join("missing")), (vec![], vec![]));
    }
}
