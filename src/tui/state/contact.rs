//! The Azure contact profile screen and what the app knows of `[azure]`: plain data that
//! `update::contact` changes and `view::contact` draws. The typed text lives here while the
//! overlay is closed, so Esc never loses it.

use std::path::PathBuf;

use crate::domain::{
    Contact, ContactError, ContactField, ContactMethod, Severity, canonical_country, canonical_time_zone,
    countries, windows_time_zones,
};
use crate::tui::fuzzy::FuzzyList;
use crate::tui::textbox::LineBox;

/// What the TUI knows of `[azure]` in config.toml, and the profile screen's typing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AzureProfile {
    /// config.toml, where a saved profile and the consent answer are written.
    pub config_path: Option<PathBuf>,
    /// The profile as saved: complete and valid, else `None` (then the screen opens on submit).
    pub contact: Option<Contact>,
    /// `[azure] consent`, once known.
    pub consent: Option<bool>,
    /// The screen's typing, kept between openings (`None` until first opened).
    pub screen: Option<ContactScreen>,
    /// `[azure.contact]` as config.toml has it, complete or not: where the screen starts when
    /// it first opens. Built then, not at start: its searchable lists are work the first frame
    /// would wait for.
    pub written: Option<Contact>,
    /// This machine's time zone as a Windows name, preselected on the screen.
    pub local_zone: Option<String>,
    /// `--subscription` / PCSR_SUBSCRIPTION was given: it outranks `[azure] subscription` at
    /// the next start, whatever the picker writes there.
    pub subscription_pinned: bool,
}

impl AzureProfile {
    /// From config.toml: the profile counts only when the service would take it.
    pub fn from_config(config: &crate::config::UserConfig) -> AzureProfile {
        let contact = crate::config::azure_contact(config, None).ok();
        AzureProfile {
            config_path: Some(config.file()),
            screen: None,
            written: config.azure.contact.as_ref().map(|s| s.contact.clone()),
            local_zone: crate::config::default_time_zone(),
            contact,
            consent: config.azure.consent,
            subscription_pinned: false,
        }
    }
}

/// A row of the profile screen, in the order Tab visits them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContactRow {
    /// First name.
    FirstName,
    /// Last name.
    LastName,
    /// Primary e-mail.
    Email,
    /// More addresses, separated by commas.
    AdditionalEmails,
    /// E-mail or phone (Left/Right).
    Method,
    /// Phone number.
    Phone,
    /// Windows time zone, a searchable list.
    TimeZone,
    /// Country, searchable by name.
    Country,
    /// Support language.
    Language,
}

impl ContactRow {
    /// Every row, top to bottom.
    pub const ORDER: [ContactRow; 9] = [
        ContactRow::FirstName,
        ContactRow::LastName,
        ContactRow::Email,
        ContactRow::AdditionalEmails,
        ContactRow::Method,
        ContactRow::Phone,
        ContactRow::TimeZone,
        ContactRow::Country,
        ContactRow::Language,
    ];

    /// The domain's field this row edits.
    pub fn field(self) -> ContactField {
        match self {
            ContactRow::FirstName => ContactField::FirstName,
            ContactRow::LastName => ContactField::LastName,
            ContactRow::Email => ContactField::Email,
            ContactRow::AdditionalEmails => ContactField::AdditionalEmails,
            ContactRow::Method => ContactField::Method,
            ContactRow::Phone => ContactField::Phone,
            ContactRow::TimeZone => ContactField::TimeZone,
            ContactRow::Country => ContactField::Country,
            ContactRow::Language => ContactField::Language,
        }
    }

    /// The label on screen.
    pub fn label(self) -> &'static str {
        match self {
            ContactRow::FirstName => "First name",
            ContactRow::LastName => "Last name",
            ContactRow::Email => "E-mail",
            ContactRow::AdditionalEmails => "More e-mails",
            ContactRow::Method => "Contact by",
            ContactRow::Phone => "Phone",
            ContactRow::TimeZone => "Time zone",
            ContactRow::Country => "Country",
            ContactRow::Language => "Language",
        }
    }

    /// Whether the row takes typing (all but the method).
    pub fn takes_text(self) -> bool {
        self != ContactRow::Method
    }

    /// The row `delta` steps away, wrapping.
    pub fn step(self, delta: isize) -> ContactRow {
        let all = ContactRow::ORDER;
        let i = all.iter().position(|r| *r == self).unwrap_or(0) as isize;
        all[(i + delta).rem_euclid(all.len() as isize) as usize]
    }
}

/// The profile screen's typing and what it found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactScreen {
    /// First name.
    pub first_name: LineBox,
    /// Last name.
    pub last_name: LineBox,
    /// Primary e-mail.
    pub email: LineBox,
    /// More addresses, comma separated.
    pub additional_emails: LineBox,
    /// Preferred method.
    pub method: ContactMethod,
    /// Phone.
    pub phone: LineBox,
    /// The time-zone search.
    pub zone_query: LineBox,
    /// Time zones matching the search (indexes into `windows_time_zones()`).
    pub zones: FuzzyList,
    /// The country search (a code or a name).
    pub country_query: LineBox,
    /// Countries matching the search (indexes into `country_codes`).
    pub countries: FuzzyList,
    /// Country codes, in the order `countries` indexes them.
    pub country_codes: Vec<&'static str>,
    /// Support language.
    pub language: LineBox,
    /// The focused row.
    pub focus: ContactRow,
    /// What the last save found wrong, by field.
    pub errors: Vec<ContactError>,
    /// A submit waits for this profile (it goes on once saved).
    pub then_submit: bool,
    /// The time-zone box holds the machine's zone, not something typed: the first character
    /// typed there starts a new search instead of being appended to that name.
    pub zone_preselected: bool,
}

impl Default for ContactScreen {
    fn default() -> Self {
        ContactScreen::from_contact(&Contact::default(), None)
    }
}

impl ContactScreen {
    /// A screen filled from `contact` (what config.toml has, maybe partial); an empty time zone
    /// starts on `local_zone`, the machine's own.
    pub fn from_contact(contact: &Contact, local_zone: Option<&str>) -> ContactScreen {
        let zone_preselected = contact.time_zone.trim().is_empty() && local_zone.is_some();
        let zone = if contact.time_zone.trim().is_empty() {
            local_zone.unwrap_or("")
        } else {
            contact.time_zone.as_str()
        };
        let language = if contact.language.trim().is_empty() {
            "en-us"
        } else {
            contact.language.as_str()
        };
        let codes: Vec<(&'static str, &'static [&'static str])> = countries().collect();
        let mut screen = ContactScreen {
            first_name: LineBox::new(&contact.first_name),
            last_name: LineBox::new(&contact.last_name),
            email: LineBox::new(&contact.email),
            additional_emails: LineBox::new(&contact.additional_emails.join(", ")),
            method: contact.method,
            phone: LineBox::new(&contact.phone),
            zone_query: LineBox::new(zone),
            zones: FuzzyList::default(),
            country_query: LineBox::new(&contact.country),
            countries: FuzzyList::default(),
            country_codes: codes.iter().map(|(c, _)| *c).collect(),
            language: LineBox::new(language),
            focus: ContactRow::FirstName,
            errors: Vec::new(),
            then_submit: false,
            zone_preselected,
        };
        screen.zones.set_items(
            windows_time_zones().iter().map(|z| z.to_string()),
            screen.zone_query.text(),
        );
        // Searched by code and every name ("deu germany federal republic of germany").
        screen.countries.set_items(
            codes
                .iter()
                .map(|(code, names)| format!("{code} {}", names.join(" "))),
            screen.country_query.text(),
        );
        screen.zones.highlight = 0;
        screen.countries.highlight = 0;
        screen
    }

    /// The box of a text row.
    pub fn text_box_mut(&mut self, row: ContactRow) -> Option<&mut LineBox> {
        Some(match row {
            ContactRow::FirstName => &mut self.first_name,
            ContactRow::LastName => &mut self.last_name,
            ContactRow::Email => &mut self.email,
            ContactRow::AdditionalEmails => &mut self.additional_emails,
            ContactRow::Method => return None,
            ContactRow::Phone => &mut self.phone,
            ContactRow::TimeZone => &mut self.zone_query,
            ContactRow::Country => &mut self.country_query,
            ContactRow::Language => &mut self.language,
        })
    }

    /// The box of a text row, to draw.
    pub fn text_box(&self, row: ContactRow) -> Option<&LineBox> {
        Some(match row {
            ContactRow::FirstName => &self.first_name,
            ContactRow::LastName => &self.last_name,
            ContactRow::Email => &self.email,
            ContactRow::AdditionalEmails => &self.additional_emails,
            ContactRow::Method => return None,
            ContactRow::Phone => &self.phone,
            ContactRow::TimeZone => &self.zone_query,
            ContactRow::Country => &self.country_query,
            ContactRow::Language => &self.language,
        })
    }

    /// The time zone chosen: the name as typed when it is one, else the best match.
    pub fn chosen_zone(&self) -> Option<&'static str> {
        if self.zone_query.text().trim().is_empty() {
            return None;
        }
        canonical_time_zone(self.zone_query.text()).or_else(|| {
            self.zones
                .highlighted()
                .and_then(|i| windows_time_zones().get(i).copied())
        })
    }

    /// The country chosen: the code as typed when it is one, else the best match by name.
    pub fn chosen_country(&self) -> Option<&'static str> {
        if self.country_query.text().trim().is_empty() {
            return None;
        }
        canonical_country(self.country_query.text()).or_else(|| {
            self.countries
                .highlighted()
                .and_then(|i| self.country_codes.get(i).copied())
        })
    }

    /// The profile as typed (the lists' choices for zone and country).
    pub fn contact(&self) -> Contact {
        let typed_or = |chosen: Option<&str>, typed: &LineBox| {
            if typed.text().trim().is_empty() {
                String::new()
            } else {
                chosen.unwrap_or(typed.text()).to_string()
            }
        };
        Contact {
            first_name: self.first_name.text().trim().to_string(),
            last_name: self.last_name.text().trim().to_string(),
            email: self.email.text().trim().to_string(),
            additional_emails: self
                .additional_emails
                .text()
                .split([',', ';', ' '])
                .map(str::trim)
                .filter(|e| !e.is_empty())
                .map(str::to_string)
                .collect(),
            phone: self.phone.text().trim().to_string(),
            method: self.method,
            time_zone: typed_or(self.chosen_zone(), &self.zone_query),
            country: typed_or(self.chosen_country(), &self.country_query),
            language: self.language.text().trim().replace('_', "-"),
        }
    }

    /// Everything the service would refuse in the profile as typed, for a ticket of `severity`.
    pub fn validate(&self, severity: Option<Severity>) -> Vec<ContactError> {
        self.contact().validate(severity)
    }

    /// The first error for `row`.
    pub fn error_for(&self, row: ContactRow) -> Option<&ContactError> {
        self.errors.iter().find(|e| e.field == row.field())
    }
}
