//! The Azure contact profile between config.toml and a ticket: complete and valid before an
//! Azure create is recorded, and written back (the TUI's contact screen) keeping the user's
//! comments and everything else in the file.

use std::io::Write;
use std::path::Path;

use super::{ConfigError, UserConfig};
use crate::domain::{Contact, ContactField, Severity, canonical_country, canonical_time_zone};

/// An example line for `field`, for "add this" messages, laid out as README.md's `[azure.contact]` block.
fn example_line(field: ContactField, time_zone: &str) -> String {
    let (value, comment) = match field {
        ContactField::FirstName => ("\"Avery\"".to_string(), ""),
        ContactField::LastName => ("\"Sandbox\"".to_string(), ""),
        ContactField::Email => ("\"avery@contoso.example\"".to_string(), ""),
        ContactField::AdditionalEmails => ("[]".to_string(), ""),
        ContactField::Phone => (
            "\"+1 425 555 0100\"".to_string(),
            "needed for phone contact and critical tickets",
        ),
        ContactField::Method => ("\"email\"".to_string(), "email | phone"),
        ContactField::TimeZone => (format!("\"{time_zone}\""), "a Windows time-zone name"),
        ContactField::Country => ("\"USA\"".to_string(), "ISO 3166-1 alpha-3"),
        ContactField::Language => ("\"en-us\"".to_string(), ""),
    };
    let line = format!("{} = {value}", field.name());
    if comment.is_empty() {
        line
    } else {
        format!("{line:<36} # {comment}")
    }
}

fn example_time_zone() -> String {
    super::default_time_zone().unwrap_or_else(|| "Pacific Standard Time".to_string())
}

/// The contact profile for an Azure ticket of `severity`, from `[azure.contact]`: complete and
/// valid, or the first problem with its line and what to write. Call it before an Azure create
/// is recorded, so a bad profile costs nothing.
pub fn azure_contact(config: &UserConfig, severity: Option<Severity>) -> Result<Contact, ConfigError> {
    let file = config.file();
    let Some(section) = &config.azure.contact else {
        let zone = example_time_zone();
        let block: Vec<String> = [
            ContactField::FirstName,
            ContactField::LastName,
            ContactField::Email,
            ContactField::Phone,
            ContactField::Method,
            ContactField::TimeZone,
            ContactField::Country,
            ContactField::Language,
        ]
        .into_iter()
        .map(|f| example_line(f, &zone))
        .collect();
        return Err(ConfigError {
            path: file,
            line: None,
            message: format!(
                "there is no [azure.contact] section, and Azure needs a contact profile on every \
                 ticket: add one to this file, e.g.\n\n[azure.contact]\n{}\n",
                block.join("\n")
            ),
        });
    };
    let missing = section.missing();
    if !missing.is_empty() {
        let zone = example_time_zone();
        let names: Vec<&str> = missing.iter().map(|f| f.name()).collect();
        let lines: Vec<String> = missing.iter().map(|f| example_line(*f, &zone)).collect();
        return Err(ConfigError {
            path: file,
            line: Some(section.line),
            message: format!(
                "[azure.contact] lacks {}, which Azure needs on every ticket: add to the section, e.g.\n\n{}\n",
                names.join(", "),
                lines.join("\n")
            ),
        });
    }
    if let Some(problem) = section.contact.validate(severity).into_iter().next() {
        // A missing phone for a critical ticket is about the section, not a line of it.
        let line = section
            .line_of(problem.field)
            .or_else(|| section.line_of(ContactField::Method))
            .unwrap_or(section.line);
        return Err(ConfigError {
            path: file,
            line: Some(line),
            message: format!(
                "`{}` in [azure.contact]: {}",
                problem.field.name(),
                problem.message
            ),
        });
    }
    let mut contact = section.contact.clone();
    // Sent as the service spells them: "usa" → "USA", "utc" → "UTC".
    if let Some(code) = canonical_country(&contact.country) {
        contact.country = code.to_string();
    }
    if let Some(zone) = canonical_time_zone(&contact.time_zone) {
        contact.time_zone = zone.to_string();
    }
    contact.language = contact.language.replace('_', "-");
    Ok(contact)
}

/// Writes `contact` as `[azure.contact]` into the config.toml at `path` (created if missing),
/// keeping every other line, comment and key as it was; atomically (temp file, then rename).
pub fn write_contact(path: &Path, contact: &Contact) -> Result<(), ConfigError> {
    let fail = |line: Option<usize>, message: String| ConfigError {
        path: path.to_path_buf(),
        line,
        message,
    };
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => {
            return Err(fail(
                None,
                format!("cannot read it ({e}); check its permissions or set PCSR_CONFIG_DIR"),
            ));
        }
    };
    let mut doc: toml_edit::DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| {
        fail(
            e.span().map(|s| super::parse::line_of(&text, s.start)),
            format!(
                "it is not valid TOML ({}); fix the line or remove the file",
                e.message().trim()
            ),
        )
    })?;
    let not_a_section = |what: &str| {
        fail(
            None,
            format!("`{what}` must be a section ([{what}]); fix it first"),
        )
    };
    let azure = doc
        .entry("azure")
        .or_insert_with(|| {
            let mut t = toml_edit::Table::new();
            // No bare [azure] header when the file has nothing else under it.
            t.set_implicit(true);
            toml_edit::Item::Table(t)
        })
        .as_table_mut()
        .ok_or_else(|| not_a_section("azure"))?;
    let section = azure
        .entry("contact")
        .or_insert_with(|| toml_edit::Item::Table(toml_edit::Table::new()))
        .as_table_mut()
        .ok_or_else(|| not_a_section("azure.contact"))?;
    let strings = [
        (ContactField::FirstName, contact.first_name.as_str()),
        (ContactField::LastName, contact.last_name.as_str()),
        (ContactField::Email, contact.email.as_str()),
        (ContactField::Phone, contact.phone.as_str()),
        (ContactField::Method, contact.method.as_str()),
        (ContactField::TimeZone, contact.time_zone.as_str()),
        (ContactField::Country, contact.country.as_str()),
        (ContactField::Language, contact.language.as_str()),
    ];
    for (field, value) in strings {
        set(section, field.name(), toml_edit::Value::from(value));
    }
    let emails = ContactField::AdditionalEmails.name();
    if !contact.additional_emails.is_empty() || section.contains_key(emails) {
        let list: toml_edit::Array = contact.additional_emails.iter().map(String::as_str).collect();
        set(section, emails, toml_edit::Value::Array(list));
    }
    write_atomically(path, doc.to_string().as_bytes()).map_err(|e| {
        fail(
            None,
            format!("cannot write it ({e}); check the directory's permissions or set PCSR_CONFIG_DIR"),
        )
    })
}

/// Writes `consent = "yes"` or `"no"` under `[azure]` in the config.toml at `path` (created if
/// missing), keeping every other line and comment; atomically, as [`write_contact`].
pub fn write_consent(path: &Path, consent: bool) -> Result<(), ConfigError> {
    edit(path, |doc, not_a_section| {
        let azure = doc
            .entry("azure")
            .or_insert_with(|| toml_edit::Item::Table(toml_edit::Table::new()))
            .as_table_mut()
            .ok_or_else(|| not_a_section("azure"))?;
        // A table written implicitly (only [azure.contact] so far) needs its own header now.
        azure.set_implicit(false);
        set(
            azure,
            "consent",
            toml_edit::Value::from(if consent { "yes" } else { "no" }),
        );
        Ok(())
    })
}

/// Writes `subscription = "ID"` under `[azure]` in the config.toml at `path` (created if
/// missing), `""` for tenant level (a start then files at tenant level unless
/// `--subscription` / PCSR_SUBSCRIPTION says otherwise); keeps every other line and comment,
/// atomically, as [`write_contact`].
pub fn write_subscription(path: &Path, subscription: Option<&str>) -> Result<(), ConfigError> {
    edit(path, |doc, not_a_section| {
        let azure = doc
            .entry("azure")
            .or_insert_with(|| toml_edit::Item::Table(toml_edit::Table::new()))
            .as_table_mut()
            .ok_or_else(|| not_a_section("azure"))?;
        azure.set_implicit(false);
        set(
            azure,
            "subscription",
            toml_edit::Value::from(subscription.unwrap_or("")),
        );
        Ok(())
    })
}

/// Reads the config.toml at `path` (empty if missing), lets `change` edit it, and writes it back
/// atomically; `change` gets a maker of "must be a section" errors.
fn edit(
    path: &Path,
    change: impl FnOnce(&mut toml_edit::DocumentMut, &dyn Fn(&str) -> ConfigError) -> Result<(), ConfigError>,
) -> Result<(), ConfigError> {
    let fail = |line: Option<usize>, message: String| ConfigError {
        path: path.to_path_buf(),
        line,
        message,
    };
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => {
            return Err(fail(
                None,
                format!("cannot read it ({e}); check its permissions or set PCSR_CONFIG_DIR"),
            ));
        }
    };
    let mut doc: toml_edit::DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| {
        fail(
            e.span().map(|s| super::parse::line_of(&text, s.start)),
            format!(
                "it is not valid TOML ({}); fix the line or remove the file",
                e.message().trim()
            ),
        )
    })?;
    let not_a_section = |what: &str| {
        fail(
            None,
            format!("`{what}` must be a section ([{what}]); fix it first"),
        )
    };
    change(&mut doc, &not_a_section)?;
    write_atomically(path, doc.to_string().as_bytes()).map_err(|e| {
        fail(
            None,
            format!("cannot write it ({e}); check the directory's permissions or set PCSR_CONFIG_DIR"),
        )
    })
}

/// Sets `key` to `value`, keeping the comment after an existing value (`phone = "" # why`).
fn set(table: &mut toml_edit::Table, key: &str, mut value: toml_edit::Value) {
    match table.get_mut(key).and_then(toml_edit::Item::as_value_mut) {
        Some(old) => {
            *value.decor_mut() = old.decor().clone();
            *old = value;
        }
        None => {
            table.insert(key, toml_edit::Item::Value(value));
        }
    }
}

fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("config.toml");
    let tmp = dir.join(format!(".{name}.{}.tmp", uuid::Uuid::new_v4().simple()));
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        // The file also holds sign-in profiles: keep whatever permissions the user gave it.
        if let Ok(meta) = std::fs::metadata(path) {
            file.set_permissions(meta.permissions())?;
        }
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
