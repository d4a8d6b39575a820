//! The filer's contact profile: who the service calls back, and how. Azure requires one on every
//! create (`contactDetails`); it is kept in config.toml's `[azure.contact]` so nobody retypes it.

use serde::{Deserialize, Serialize};

/// How the filer wants to be reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ContactMethod {
    /// By e-mail.
    #[default]
    Email,
    /// By phone (then a phone number is required).
    Phone,
}

impl ContactMethod {
    /// The word in config.toml and on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            ContactMethod::Email => "email",
            ContactMethod::Phone => "phone",
        }
    }
}

/// A contact profile as the user keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Contact {
    /// Given name.
    pub first_name: String,
    /// Family name.
    pub last_name: String,
    /// Primary e-mail address.
    pub email: String,
    /// Further addresses copied on every message.
    #[serde(default)]
    pub additional_emails: Vec<String>,
    /// Phone number, empty when none is given.
    #[serde(default)]
    pub phone: String,
    /// Preferred way to be reached.
    pub method: ContactMethod,
    /// A Windows time-zone name ("Pacific Standard Time").
    pub time_zone: String,
    /// ISO 3166-1 alpha-3 country code ("USA").
    pub country: String,
    /// Preferred support language, a language tag ("en-US").
    pub language: String,
}
