//! The user's settings in config.toml, beside the sign-in profiles: `[defaults]`, `[ui]`,
//! `[keys]` and `[azure]` (with its `[azure.contact]` profile). Checked whole at start, so a typo is an error naming the file and the line rather
//! than a setting silently ignored.

mod azure;
mod parse;
mod time_zone;

use std::path::{Path, PathBuf};

use crate::auth::Cloud;
use crate::auth::profiles::{CONFIG_FILE, default_config_dir};
use crate::domain::{Contact, ContactField, Service, Severity};

pub use azure::{azure_contact, write_consent, write_contact, write_subscription};

pub use parse::parse;
pub use time_zone::{default_time_zone, time_zone_from};

/// How often the TUI re-reads open requests when config.toml does not say.
pub const DEFAULT_REFRESH_MINUTES: u32 = 5;

/// `[defaults]`: what applies when neither a flag nor the environment says otherwise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Defaults {
    /// `cloud`: the Partner Center cloud.
    pub cloud: Option<Cloud>,
    /// `locale`: the agent locale.
    pub locale: Option<String>,
    /// `severity`: preselected in a new form.
    pub severity: Option<Severity>,
    /// `customer`: a tenant id (GUID) for the requests list; `None` = the partner's own.
    pub customer: Option<String>,
    /// `refresh_minutes`: how often the TUI re-reads open requests; 0 = never.
    pub refresh_minutes: u32,
    /// `quiet`: no sandbox notice on stderr, like `--quiet`.
    pub quiet: bool,
    /// `backend`: the service spoken when neither `--backend` nor PCSR_BACKEND says.
    pub backend: Option<Service>,
}

impl Default for Defaults {
    fn default() -> Self {
        Defaults {
            cloud: None,
            locale: None,
            severity: None,
            customer: None,
            refresh_minutes: DEFAULT_REFRESH_MINUTES,
            quiet: false,
            backend: None,
        }
    }
}

/// The theme chosen with `[ui] theme` (the TUI turns it into colours).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Palette {
    /// Cyan focus, red errors, a yellow SANDBOX badge; secondary text dimmed, not grey.
    #[default]
    Default,
    /// Bright colours and bold, nothing dimmed (for dark backgrounds).
    HighContrast,
    /// No colours at all: bold, underline and reverse video only.
    Mono,
}

impl Palette {
    /// Every theme, in the order README lists them.
    pub const ALL: [Palette; 3] = [Palette::Default, Palette::HighContrast, Palette::Mono];

    /// The name used in config.toml.
    pub fn name(self) -> &'static str {
        match self {
            Palette::Default => "default",
            Palette::HighContrast => "high-contrast",
            Palette::Mono => "mono",
        }
    }

    /// The theme named `name` in config.toml.
    pub fn from_name(name: &str) -> Option<Palette> {
        Palette::ALL.into_iter().find(|p| p.name() == name)
    }
}

/// One line of `[keys]` as written: a command name and the keys asked for it. The TUI builds
/// its key table from these (and says which line clashes); config only reads them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyEntry {
    /// The command's name as written, e.g. `submit`.
    pub command: String,
    /// The key names as written, e.g. `ctrl+g`.
    pub keys: Vec<String>,
    /// The line in config.toml (1-based).
    pub line: usize,
}

/// Everything config.toml says besides the profiles.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserConfig {
    /// The file it was read from (`None`: no file, the defaults).
    pub path: Option<PathBuf>,
    /// `[defaults]`.
    pub defaults: Defaults,
    /// `[ui] theme`.
    pub theme: Palette,
    /// `[keys]`, in the file's order.
    pub keys: Vec<KeyEntry>,
    /// `[azure]`.
    pub azure: AzureSettings,
}

/// `[azure]`: what Azure support tickets use when no flag says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AzureSettings {
    /// `subscription`: the subscription id (GUID, lower case) tickets are filed under; `None` =
    /// tenant-level tickets.
    pub subscription: Option<String>,
    /// `consent`: advancedDiagnosticConsent when `--consent` is not given (`"yes"` = true).
    pub consent: Option<bool>,
    /// `[azure.contact]` as written, `None` when the file has none.
    pub contact: Option<ContactSection>,
}

/// `[azure.contact]` as written: the fields it has (the others left empty) and their lines.
/// Checked field by field at start; whether it is complete is asked only when filing on Azure
/// ([`azure_contact`]), since Partner Center users never need it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactSection {
    /// The line of the section's header (1-based).
    pub line: usize,
    /// The profile; fields not written are empty (method: email).
    pub contact: Contact,
    /// The line of each key written, in the file's order.
    pub lines: Vec<(ContactField, usize)>,
}

impl ContactSection {
    /// The line where `field` is written.
    pub fn line_of(&self, field: ContactField) -> Option<usize> {
        self.lines.iter().find(|(f, _)| *f == field).map(|(_, l)| *l)
    }

    /// The fields every ticket needs that the section does not have.
    pub fn missing(&self) -> Vec<ContactField> {
        ContactField::REQUIRED
            .into_iter()
            .filter(|f| self.line_of(*f).is_none())
            .collect()
    }
}

impl UserConfig {
    /// The file this came from, else where it would be (for "add this to ..." messages).
    pub fn file(&self) -> PathBuf {
        self.path
            .clone()
            .or_else(|| default_config_dir().map(|d| d.join(CONFIG_FILE)))
            .unwrap_or_else(|| PathBuf::from(CONFIG_FILE))
    }

    /// A problem at `line` of this file (a `[keys]` entry the TUI's key table refuses).
    pub fn error_at(&self, line: usize, message: String) -> ConfigError {
        ConfigError {
            path: self.path.clone().unwrap_or_else(|| PathBuf::from(CONFIG_FILE)),
            line: Some(line),
            message,
        }
    }
}

/// config.toml cannot be used; the message names the line and what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{}: {message}", path.display(), line.map(|l| format!(", line {l}")).unwrap_or_default())]
pub struct ConfigError {
    /// The file.
    pub path: PathBuf,
    /// The line (1-based), when the problem has one.
    pub line: Option<usize>,
    /// What is wrong and what to do.
    pub message: String,
}

/// Reads `{dir}/config.toml`; a missing file (or no config directory at all) is the defaults.
pub fn load(dir: Option<&Path>) -> Result<UserConfig, ConfigError> {
    let Some(dir) = dir else {
        return Ok(UserConfig::default());
    };
    let path = dir.join(CONFIG_FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) => parse(&text, &path),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(UserConfig::default()),
        Err(e) => Err(ConfigError {
            path,
            line: None,
            message: format!("cannot read it ({e}); check its permissions or set PCSR_CONFIG_DIR"),
        }),
    }
}

/// [`load`] from PCSR_CONFIG_DIR or the platform's config directory.
pub fn load_default() -> Result<UserConfig, ConfigError> {
    load(default_config_dir().as_deref())
}

#[cfg(test)]
mod tests;
