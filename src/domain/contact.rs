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

mod data;

use super::Severity;

/// One field of a contact profile, for saying which one is wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ContactField {
    /// [`Contact::first_name`].
    FirstName,
    /// [`Contact::last_name`].
    LastName,
    /// [`Contact::email`].
    Email,
    /// [`Contact::additional_emails`].
    AdditionalEmails,
    /// [`Contact::phone`].
    Phone,
    /// [`Contact::method`].
    Method,
    /// [`Contact::time_zone`].
    TimeZone,
    /// [`Contact::country`].
    Country,
    /// [`Contact::language`].
    Language,
}

impl ContactField {
    /// Every field, in the order a form or config.toml lists them.
    pub const ALL: [ContactField; 9] = [
        ContactField::FirstName,
        ContactField::LastName,
        ContactField::Email,
        ContactField::AdditionalEmails,
        ContactField::Phone,
        ContactField::Method,
        ContactField::TimeZone,
        ContactField::Country,
        ContactField::Language,
    ];

    /// The fields a profile cannot do without (phone only sometimes, see [`Contact::validate`]).
    pub const REQUIRED: [ContactField; 7] = [
        ContactField::FirstName,
        ContactField::LastName,
        ContactField::Email,
        ContactField::Method,
        ContactField::TimeZone,
        ContactField::Country,
        ContactField::Language,
    ];

    /// The stable snake_case name of the field (the config layer keeps its keys equal to it).
    pub fn name(self) -> &'static str {
        match self {
            ContactField::FirstName => "first_name",
            ContactField::LastName => "last_name",
            ContactField::Email => "email",
            ContactField::AdditionalEmails => "additional_emails",
            ContactField::Phone => "phone",
            ContactField::Method => "method",
            ContactField::TimeZone => "time_zone",
            ContactField::Country => "country",
            ContactField::Language => "language",
        }
    }

    /// The field in words, for messages and labels.
    pub fn label(self) -> &'static str {
        match self {
            ContactField::FirstName => "first name",
            ContactField::LastName => "last name",
            ContactField::Email => "e-mail address",
            ContactField::AdditionalEmails => "additional e-mail address",
            ContactField::Phone => "phone number",
            ContactField::Method => "contact method",
            ContactField::TimeZone => "time zone",
            ContactField::Country => "country",
            ContactField::Language => "support language",
        }
    }

    /// The field called `name` (see [`ContactField::name`]).
    pub fn from_name(name: &str) -> Option<ContactField> {
        ContactField::ALL.into_iter().find(|f| f.name() == name)
    }
}

/// One thing wrong with a contact profile: the field, and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ContactError {
    /// The field that is wrong.
    pub field: ContactField,
    /// What is wrong and what to write instead, naming the field in words.
    pub message: String,
}

impl ContactError {
    fn new(field: ContactField, message: String) -> ContactError {
        ContactError { field, message }
    }
}

/// The support languages Azure takes (`preferredSupportLanguage`; the Swagger's description
/// lists exactly these).
pub const SUPPORT_LANGUAGES: &[&str] = &[
    "en-us", "zh-hans", "es-es", "fr-fr", "ja-jp", "ko-kr", "ru-ru", "pt-br", "it-it", "zh-tw", "de-de",
];

impl ContactMethod {
    /// The method called `text` (`email` or `phone`, any case).
    pub fn parse(text: &str) -> Option<ContactMethod> {
        [ContactMethod::Email, ContactMethod::Phone]
            .into_iter()
            .find(|m| m.as_str().eq_ignore_ascii_case(text.trim()))
    }
}

impl Contact {
    /// Everything wrong with this profile for a ticket of `severity` (`None`: not known yet, so
    /// only what any ticket needs), in field order; empty when the service will take it.
    pub fn validate(&self, severity: Option<Severity>) -> Vec<ContactError> {
        use ContactField as F;
        let mut out = Vec::new();
        let mut required = |field: ContactField, value: &str| {
            let blank = value.trim().is_empty();
            if blank {
                out.push(ContactError::new(
                    field,
                    format!(
                        "the {} is empty; the service needs one on every ticket",
                        field.label()
                    ),
                ));
            }
            !blank
        };
        required(F::FirstName, &self.first_name);
        required(F::LastName, &self.last_name);
        let email = required(F::Email, &self.email);
        let zone = required(F::TimeZone, &self.time_zone);
        let country = required(F::Country, &self.country);
        let language = required(F::Language, &self.language);
        if email && let Some(e) = email_problem(F::Email, &self.email) {
            out.push(e);
        }
        for extra in &self.additional_emails {
            if let Some(e) = email_problem(F::AdditionalEmails, extra) {
                out.push(e);
            }
        }
        if self.phone.trim().is_empty() {
            if self.method == ContactMethod::Phone {
                out.push(ContactError::new(
                    F::Phone,
                    "the phone number is empty, but the contact method is phone: give a number \
                     (with its country code, e.g. +1 425 555 0100) or choose e-mail"
                        .into(),
                ));
            } else if let Some(s) = severity.filter(|s| s.needs_phone()) {
                out.push(ContactError::new(
                    F::Phone,
                    format!(
                        "the phone number is empty; the service refuses {} tickets without one: \
                         give a number (with its country code, e.g. +1 425 555 0100) or choose a \
                         lower severity",
                        s.label().to_lowercase()
                    ),
                ));
            }
        } else if let Some(e) = phone_problem(&self.phone) {
            out.push(e);
        }
        if zone && canonical_time_zone(&self.time_zone).is_none() {
            out.push(time_zone_problem(&self.time_zone));
        }
        if country && canonical_country(&self.country).is_none() {
            out.push(country_problem(&self.country));
        }
        if language && canonical_language(&self.language).is_none() {
            out.push(language_problem(&self.language));
        }
        out.sort_by_key(|e| e.field);
        out
    }
}

/// A sane e-mail check: one `@`, something before it, a dotted domain after it, no spaces.
/// The service is the judge of the rest.
fn email_problem(field: ContactField, address: &str) -> Option<ContactError> {
    let address = address.trim();
    let bad = |why: &str| {
        Some(ContactError::new(
            field,
            format!(
                "the {} `{address}` {why}; write it as name@example.com",
                field.label()
            ),
        ))
    };
    if address.is_empty() {
        return bad("is empty");
    }
    if address.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return bad("has a space in it");
    }
    let Some((local, domain)) = address.rsplit_once('@') else {
        return bad("has no @");
    };
    if local.is_empty() || local.contains('@') {
        return bad("needs exactly one @ with a name before it");
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2
        || labels
            .iter()
            .any(|l| l.is_empty() || l.starts_with('-') || l.ends_with('-'))
    {
        return bad("has no domain like example.com after the @");
    }
    None
}

fn phone_problem(phone: &str) -> Option<ContactError> {
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    let allowed = |c: char| c.is_ascii_digit() || " +-().".contains(c) || c == 'x' || c == 'X';
    if digits < 6 || !phone.trim().chars().all(allowed) {
        return Some(ContactError::new(
            ContactField::Phone,
            format!(
                "the phone number `{}` is not a phone number: write digits with its country code, \
                 e.g. +1 425 555 0100",
                phone.trim()
            ),
        ));
    }
    None
}

/// The Windows time-zone name `name` stands for (any case), as Windows spells it.
pub fn canonical_time_zone(name: &str) -> Option<&'static str> {
    let name = name.trim();
    data::WINDOWS_ZONES
        .iter()
        .copied()
        .find(|z| z.eq_ignore_ascii_case(name))
}

/// Every Windows time-zone name, sorted (for a picker).
pub fn windows_time_zones() -> &'static [&'static str] {
    data::WINDOWS_ZONES
}

/// The Windows time-zone name for the IANA zone `iana` ("Europe/Berlin" → "W. Europe Standard
/// Time"), by CLDR's mapping.
pub fn windows_zone_for_iana(iana: &str) -> Option<&'static str> {
    let iana = iana.trim();
    data::IANA_TO_WINDOWS
        .binary_search_by(|(k, _)| (*k).cmp(iana))
        .ok()
        .map(|i| data::IANA_TO_WINDOWS[i].1)
}

/// What people write for a time zone that is not a Windows name: abbreviations and the old
/// POSIX-style IANA names (checked before the IANA table, where "EST" is a fixed offset that
/// CLDR puts in South America).
const ZONE_ABBREVIATIONS: &[(&str, &str)] = &[
    ("PST", "Pacific Standard Time"),
    ("PDT", "Pacific Standard Time"),
    ("PT", "Pacific Standard Time"),
    ("PST8PDT", "Pacific Standard Time"),
    ("MST", "Mountain Standard Time"),
    ("MDT", "Mountain Standard Time"),
    ("MT", "Mountain Standard Time"),
    ("MST7MDT", "Mountain Standard Time"),
    ("CST", "Central Standard Time"),
    ("CDT", "Central Standard Time"),
    ("CT", "Central Standard Time"),
    ("CST6CDT", "Central Standard Time"),
    ("EST", "Eastern Standard Time"),
    ("EDT", "Eastern Standard Time"),
    ("ET", "Eastern Standard Time"),
    ("EST5EDT", "Eastern Standard Time"),
    ("AKST", "Alaskan Standard Time"),
    ("HST", "Hawaiian Standard Time"),
    ("GMT", "GMT Standard Time"),
    ("BST", "GMT Standard Time"),
    ("Z", "UTC"),
    ("CET", "W. Europe Standard Time"),
    ("CEST", "W. Europe Standard Time"),
    ("EET", "E. Europe Standard Time"),
    ("IST", "India Standard Time"),
    ("JST", "Tokyo Standard Time"),
    ("AEST", "AUS Eastern Standard Time"),
];

fn time_zone_problem(name: &str) -> ContactError {
    let name = name.trim();
    let guess = ZONE_ABBREVIATIONS
        .iter()
        .find(|(a, _)| a.eq_ignore_ascii_case(name))
        .map(|(_, w)| *w)
        .or_else(|| windows_zone_for_iana(name));
    let hint = match guess {
        Some(w) => format!("did you mean \"{w}\"?"),
        None => "write one such as \"Pacific Standard Time\", \"W. Europe Standard Time\" or \"UTC\"".into(),
    };
    ContactError::new(
        ContactField::TimeZone,
        format!("the time zone `{name}` is not a Windows time-zone name; {hint}"),
    )
}

/// Every ISO 3166-1 country as (alpha-3 code, its names in lower case), by code (for a picker
/// searched by name).
pub fn countries() -> impl Iterator<Item = (&'static str, &'static [&'static str])> {
    data::COUNTRIES.iter().map(|(a3, _, names)| (*a3, *names))
}

/// The ISO 3166-1 alpha-3 code `code` stands for (any case), in capitals.
pub fn canonical_country(code: &str) -> Option<&'static str> {
    let code = code.trim();
    data::COUNTRIES
        .iter()
        .map(|(a3, _, _)| *a3)
        .find(|a3| a3.eq_ignore_ascii_case(code))
}

fn country_problem(text: &str) -> ContactError {
    let text = text.trim();
    let lower = text.to_lowercase();
    // "UK" is not ISO's code for the United Kingdom (GB is), but it is what people write.
    let alpha2 = if lower == "uk" { "gb" } else { lower.as_str() };
    let guess = data::COUNTRIES
        .iter()
        .find(|(_, a2, _)| a2.eq_ignore_ascii_case(alpha2))
        .or_else(|| {
            data::COUNTRIES
                .iter()
                .find(|(_, _, names)| names.contains(&lower.as_str()))
        })
        .or_else(|| {
            // "Germany" matches "germany"; "Korea" should find "korea, republic of" too.
            (lower.len() >= 4).then(|| {
                data::COUNTRIES
                    .iter()
                    .find(|(_, _, names)| names.iter().any(|n| n.starts_with(&lower)))
            })?
        });
    let hint = match guess {
        Some((a3, _, _)) => format!("did you mean {a3}?"),
        None => "write the three-letter code, e.g. USA, DEU or JPN".into(),
    };
    ContactError::new(
        ContactField::Country,
        format!("the country `{text}` is not an ISO 3166-1 alpha-3 code; {hint}"),
    )
}

/// The support language `tag` stands for (any case), as the service lists it.
pub fn canonical_language(tag: &str) -> Option<&'static str> {
    let tag = tag.trim().replace('_', "-");
    SUPPORT_LANGUAGES
        .iter()
        .copied()
        .find(|l| l.eq_ignore_ascii_case(&tag))
}

fn language_problem(tag: &str) -> ContactError {
    let tag = tag.trim();
    let primary = tag.split(['-', '_']).next().unwrap_or(tag).to_lowercase();
    let close: Vec<&str> = SUPPORT_LANGUAGES
        .iter()
        .copied()
        .filter(|l| l.split('-').next() == Some(primary.as_str()))
        .collect();
    let hint = if close.is_empty() {
        format!(
            "support is given in {} only; choose one of them",
            SUPPORT_LANGUAGES.join(", ")
        )
    } else {
        format!("did you mean {}?", close.join(" or "))
    };
    ContactError::new(
        ContactField::Language,
        format!("the support language `{tag}` is not one the service takes; {hint}"),
    )
}

#[cfg(test)]
mod tests;
