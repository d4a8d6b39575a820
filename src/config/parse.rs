//! config.toml read with the position of every key, so each complaint names its line.

use std::borrow::Cow;
use std::path::Path;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::{AzureSettings, ConfigError, ContactSection, Defaults, KeyEntry, Palette, UserConfig};
use crate::auth::Cloud;
use crate::domain::{ContactField, ContactMethod, Service};

/// The keys a sign-in profile may have (written by `pcsr-tui login`).
const PROFILE_KEYS: &[&str] = &[
    "service",
    "cloud",
    "tenant",
    "user",
    "locale",
    "base_url",
    "client_id",
    "secret_store",
];
const DEFAULTS_KEYS: &[&str] = &[
    "cloud",
    "locale",
    "severity",
    "customer",
    "refresh_minutes",
    "quiet",
    "backend",
];
const AZURE_KEYS: &[&str] = &["subscription", "consent", "contact"];

type Key<'i> = Spanned<Cow<'i, str>>;
type Value<'i> = Spanned<DeValue<'i>>;

/// Reads config.toml's text; `path` is only for messages.
pub fn parse(text: &str, path: &Path) -> Result<UserConfig, ConfigError> {
    let at = |span: std::ops::Range<usize>, message: String| ConfigError {
        path: path.to_path_buf(),
        line: Some(line_of(text, span.start)),
        message,
    };
    let doc = DeTable::parse(text).map_err(|e| ConfigError {
        path: path.to_path_buf(),
        line: e.span().map(|s| line_of(text, s.start)),
        message: format!(
            "it is not valid TOML ({}); fix the line or remove the file",
            e.message().trim()
        ),
    })?;
    let mut config = UserConfig {
        path: Some(path.to_path_buf()),
        ..UserConfig::default()
    };
    for (key, value) in ordered(doc.get_ref()) {
        let fail = |m: String| at(key.span(), m);
        match key.get_ref().as_ref() {
            "active" => {
                string(value).map_err(|what| fail(format!("`active` must be a profile name, not {what}")))?;
            }
            "profiles" => profiles(value).map_err(|(span, m)| at(span, m))?,
            "defaults" => config.defaults = defaults(value).map_err(|(span, m)| at(span, m))?,
            "ui" => config.theme = ui(value).map_err(|(span, m)| at(span, m))?,
            "keys" => config.keys = keys(value, text).map_err(|(span, m)| at(span, m))?,
            "azure" => config.azure = azure(value, text).map_err(|(span, m)| at(span, m))?,
            other => {
                return Err(fail(format!(
                    "unknown setting `{other}`; config.toml has [defaults], [ui], [keys], [azure], [profiles.NAME] \
                     and `active` (see README, \"Config file\"): fix the name or remove it"
                )));
            }
        }
    }
    Ok(config)
}

/// A table's entries in the file's order (the parser keeps them sorted by name), so the first
/// problem in the file is the one reported.
fn ordered<'a, 'i>(table: &'a DeTable<'i>) -> Vec<(&'a Key<'i>, &'a Value<'i>)> {
    let mut entries: Vec<_> = table.iter().collect();
    entries.sort_by_key(|(k, _)| k.span().start);
    entries
}

/// A complaint about one spot of the file.
type Fail = (std::ops::Range<usize>, String);

/// The 1-based line holding byte `offset`.
pub(super) fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset).unwrap_or(text).matches('\n').count() + 1
}

/// What a value is, for messages.
fn kind(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "a number",
        DeValue::Float(_) => "a number",
        DeValue::Boolean(_) => "true/false",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "a list",
        DeValue::Table(_) => "a table",
    }
}

fn string<'a>(value: &'a Value<'_>) -> Result<&'a str, &'static str> {
    match value.get_ref() {
        DeValue::String(s) => Ok(s.as_ref()),
        other => Err(kind(other)),
    }
}

/// The entries of a section, or a complaint that it is not a table.
fn section<'a, 'i>(value: &'a Value<'i>, name: &str) -> Result<&'a DeTable<'i>, Fail> {
    match value.get_ref() {
        DeValue::Table(t) => Ok(t),
        other => Err((
            value.span(),
            format!("`{name}` must be a section ([{name}]), not {}", kind(other)),
        )),
    }
}

fn unknown(key: &Key<'_>, section: &str, known: &[&str]) -> Fail {
    (
        key.span(),
        format!(
            "unknown key `{}` in [{section}]; the keys there are {}: fix the name or remove the line",
            key.get_ref(),
            known.join(", ")
        ),
    )
}

fn profiles(value: &Value<'_>) -> Result<(), Fail> {
    for (name, profile) in ordered(section(value, "profiles")?) {
        let table = section(profile, &format!("profiles.{}", name.get_ref()))?;
        for (key, _) in ordered(table) {
            if !PROFILE_KEYS.contains(&key.get_ref().as_ref()) {
                return Err(unknown(
                    key,
                    &format!("profiles.{}", name.get_ref()),
                    PROFILE_KEYS,
                ));
            }
        }
    }
    Ok(())
}

fn defaults(value: &Value<'_>) -> Result<Defaults, Fail> {
    let mut out = Defaults::default();
    for (key, v) in ordered(section(value, "defaults")?) {
        let bad = |what: String| (v.span(), what);
        let text = || string(v).map_err(|k| bad(format!("`{}` must be a string, not {k}", key.get_ref())));
        match key.get_ref().as_ref() {
            "cloud" => {
                let cloud = text()?.parse::<Cloud>().map_err(|e| bad(e.to_string()))?;
                out.cloud = Some(cloud);
            }
            "locale" => {
                let locale = text()?.trim();
                if !crate::api::model::is_agent_locale(locale) {
                    return Err(bad(format!(
                        "`{locale}` is not a locale like en-US or sr-Latn-RS"
                    )));
                }
                out.locale = Some(locale.to_string());
            }
            "severity" => {
                let name = text()?.trim();
                let found = crate::domain::Service::PartnerCenter
                    .capabilities()
                    .severities
                    .iter()
                    .copied()
                    .find(|s| s.as_str().eq_ignore_ascii_case(name));
                out.severity = Some(found.ok_or_else(|| {
                    bad(format!(
                        "`{name}` is not a severity: use critical, moderate or minimal"
                    ))
                })?);
            }
            "customer" => {
                let tenant = text()?.trim();
                out.customer = if tenant.is_empty() {
                    None
                } else {
                    let id = uuid::Uuid::parse_str(tenant).map_err(|_| {
                        bad(format!(
                            "`{tenant}` is not a tenant id: write the customer's GUID \
                             (e.g. 0b5c2e8d-1f3a-4c6e-9a7b-2d4f6e8a0c1e), or \"\" for your own requests"
                        ))
                    })?;
                    Some(id.hyphenated().to_string())
                };
            }
            "refresh_minutes" => {
                out.refresh_minutes = match v.get_ref() {
                    DeValue::Integer(i) => u32::from_str_radix(&i.as_str().replace('_', ""), i.radix()).ok(),
                    _ => None,
                }
                .ok_or_else(|| {
                    bad("`refresh_minutes` must be a whole number of minutes, 0 (never) or more".into())
                })?;
            }
            "quiet" => {
                out.quiet = match v.get_ref() {
                    DeValue::Boolean(b) => *b,
                    other => return Err(bad(format!("`quiet` must be true or false, not {}", kind(other)))),
                };
            }
            "backend" => {
                let name = text()?.trim();
                out.backend =
                    Some(Service::parse(name).ok_or_else(|| {
                        bad(format!("`{name}` is not a backend: use partner-center or azure"))
                    })?);
            }
            _ => return Err(unknown(key, "defaults", DEFAULTS_KEYS)),
        }
    }
    Ok(out)
}

fn ui(value: &Value<'_>) -> Result<Palette, Fail> {
    let mut theme = Palette::default();
    for (key, v) in ordered(section(value, "ui")?) {
        if key.get_ref() != "theme" {
            return Err(unknown(key, "ui", &["theme"]));
        }
        let names: Vec<&str> = Palette::ALL.iter().map(|p| p.name()).collect();
        let name = string(v).map_err(|k| (v.span(), format!("`theme` must be a string, not {k}")))?;
        theme = Palette::from_name(name.trim()).ok_or_else(|| {
            (
                v.span(),
                format!("`{name}` is not a theme: use {}", names.join(", ")),
            )
        })?;
    }
    Ok(theme)
}

fn keys(value: &Value<'_>, text: &str) -> Result<Vec<KeyEntry>, Fail> {
    let mut out = Vec::new();
    for (key, v) in ordered(section(value, "keys")?) {
        let not_a_key = |span, k: &str| {
            (
                span,
                format!(
                    "`{}` must be a key (\"ctrl+g\") or a list of keys ([\"ctrl+g\", \"f5\"]), not {k}",
                    key.get_ref()
                ),
            )
        };
        let names = match v.get_ref() {
            DeValue::String(s) => vec![s.to_string()],
            DeValue::Array(items) => items
                .iter()
                .map(|item| {
                    string(item)
                        .map(str::to_string)
                        .map_err(|k| not_a_key(item.span(), k))
                })
                .collect::<Result<_, _>>()?,
            other => return Err(not_a_key(v.span(), kind(other))),
        };
        out.push(KeyEntry {
            command: key.get_ref().to_string(),
            keys: names,
            line: line_of(text, key.span().start),
        });
    }
    Ok(out)
}

fn azure(value: &Value<'_>, text: &str) -> Result<AzureSettings, Fail> {
    let mut out = AzureSettings::default();
    for (key, v) in ordered(section(value, "azure")?) {
        let bad = |what: String| (v.span(), what);
        match key.get_ref().as_ref() {
            "subscription" => {
                let id = string(v)
                    .map_err(|k| bad(format!("`subscription` must be a string, not {k}")))?
                    .trim();
                out.subscription = if id.is_empty() {
                    None
                } else {
                    let id = uuid::Uuid::parse_str(id).map_err(|_| {
                        bad(format!(
                            "`{id}` is not a subscription id: write the subscription's GUID \
                             (e.g. 0b5c2e8d-1f3a-4c6e-9a7b-2d4f6e8a0c1e), or \"\" for tenant-level tickets"
                        ))
                    })?;
                    Some(id.hyphenated().to_string())
                };
            }
            "consent" => {
                let yes_no = "`consent` must be \"yes\" or \"no\" (may support collect diagnostic \
                              information from your Azure resources?)";
                out.consent = Some(match v.get_ref() {
                    DeValue::String(s) if s.trim().eq_ignore_ascii_case("yes") => true,
                    DeValue::String(s) if s.trim().eq_ignore_ascii_case("no") => false,
                    DeValue::Boolean(b) => *b,
                    _ => return Err(bad(yes_no.to_string())),
                });
            }
            "contact" => {
                let mut contact = contact(v, text)?;
                contact.line = line_of(text, key.span().start);
                out.contact = Some(contact);
            }
            _ => return Err(unknown(key, "azure", AZURE_KEYS)),
        }
    }
    Ok(out)
}

/// `[azure.contact]`: each key's type and value; a field not written is not an error here.
fn contact(value: &Value<'_>, text: &str) -> Result<ContactSection, Fail> {
    let names: Vec<&str> = ContactField::ALL.iter().map(|f| f.name()).collect();
    let mut out = ContactSection::default();
    let mut spans = Vec::new();
    for (key, v) in ordered(section(value, "azure.contact")?) {
        let Some(field) = ContactField::from_name(key.get_ref()) else {
            return Err(unknown(key, "azure.contact", &names));
        };
        let name = field.name();
        let text_value = || {
            string(v)
                .map(|s| s.trim().to_string())
                .map_err(|k| (v.span(), format!("`{name}` must be a string, not {k}")))
        };
        let c = &mut out.contact;
        match field {
            ContactField::FirstName => c.first_name = text_value()?,
            ContactField::LastName => c.last_name = text_value()?,
            ContactField::Email => c.email = text_value()?,
            ContactField::Phone => c.phone = text_value()?,
            ContactField::TimeZone => c.time_zone = text_value()?,
            ContactField::Country => c.country = text_value()?,
            ContactField::Language => c.language = text_value()?,
            ContactField::Method => {
                let word = text_value()?;
                c.method = ContactMethod::parse(&word).ok_or_else(|| {
                    (
                        v.span(),
                        format!("`{word}` is not a contact method: use email or phone"),
                    )
                })?;
            }
            ContactField::AdditionalEmails => {
                let not_a_list = |span, k: &str| {
                    (
                        span,
                        format!(
                            "`additional_emails` must be a list of addresses \
                             ([\"a@contoso.example\"]), not {k}"
                        ),
                    )
                };
                c.additional_emails = match v.get_ref() {
                    DeValue::Array(items) => items
                        .iter()
                        .map(|item| {
                            string(item)
                                .map(|s| s.trim().to_string())
                                .map_err(|k| not_a_list(item.span(), k))
                        })
                        .collect::<Result<_, _>>()?,
                    other => return Err(not_a_list(v.span(), kind(other))),
                };
            }
        }
        out.lines.push((field, line_of(text, key.span().start)));
        spans.push((field, v.span()));
    }
    // What is written must be right now; what is missing waits until an Azure ticket needs it.
    let missing = out.missing();
    if let Some(problem) = out
        .contact
        .validate(None)
        .into_iter()
        .find(|p| !missing.contains(&p.field))
    {
        let span = spans
            .iter()
            .find(|(f, _)| *f == problem.field)
            .or_else(|| spans.iter().find(|(f, _)| *f == ContactField::Method))
            .map(|(_, s)| s.clone())
            .unwrap_or_else(|| value.span());
        return Err((
            span,
            format!(
                "`{}` in [azure.contact]: {}",
                problem.field.name(),
                problem.message
            ),
        ));
    }
    Ok(out)
}
