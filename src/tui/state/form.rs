//! The request form's state: its fields, their text, and a submit with an unknown outcome.

use std::path::PathBuf;
use tui_textarea::{TextArea, WrapMode};

use uuid::Uuid;

use crate::domain::Failure;
use crate::domain::{self, FieldError, NewTicket, Service, Severity};
use crate::store::{Draft, DraftFile};
use crate::tui::textbox::{LineBox, plain_cursor};
use crate::tui::theme::PLACEHOLDER;

/// The form's fields in Tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormField {
    /// Title (single line).
    Title,
    /// Description (multi-line).
    Description,
    /// Severity picker.
    Severity,
    /// Topic picker.
    Topic,
    /// Files to attach (for services that take attachments).
    Attachments,
    /// The Submit button.
    Submit,
}

impl FormField {
    /// Tab order (a form skips the fields its service does not have).
    pub const ORDER: [FormField; 6] = [
        FormField::Title,
        FormField::Description,
        FormField::Severity,
        FormField::Topic,
        FormField::Attachments,
        FormField::Submit,
    ];

    /// The field `steps` places on in Tab order among `shown`, wrapping around.
    fn step(self, steps: isize, shown: impl Fn(FormField) -> bool) -> FormField {
        let order: Vec<FormField> = Self::ORDER.into_iter().filter(|f| shown(*f)).collect();
        let len = order.len() as isize;
        let i = order.iter().position(|f| *f == self).unwrap_or(0) as isize;
        order[(i + steps).rem_euclid(len) as usize]
    }

    /// The form field showing a domain field.
    pub fn of(field: domain::Field) -> FormField {
        match field {
            domain::Field::Title => FormField::Title,
            domain::Field::Description => FormField::Description,
            domain::Field::Severity => FormField::Severity,
            domain::Field::Topic => FormField::Topic,
        }
    }

    /// Whether typing goes into this field as text.
    pub fn takes_text(self) -> bool {
        matches!(
            self,
            FormField::Title | FormField::Description | FormField::Topic | FormField::Attachments
        )
    }
}

/// A submit whose outcome is unknown (lost answer, 5xx): resubmitting the same form reuses
/// its MS-RequestId so the service cannot file it twice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsettled {
    /// Local row in the store.
    pub local_id: i64,
    /// The MS-RequestId it was sent with.
    pub request_id: Uuid,
    /// What was sent.
    pub request: NewTicket,
}

/// A file added to the Attachments field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachedPath {
    /// Where it is (absolute).
    pub path: PathBuf,
    /// The name it gets on the ticket.
    pub name: String,
    /// Its size in bytes when it was added.
    pub size: u64,
    /// Bytes uploaded so far while a submit uploads it.
    pub sent: Option<u64>,
}

/// The Attachments field: the path being typed, the files added, and what the field says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attachments {
    /// The path being typed.
    pub path: LineBox,
    /// The files added, in the order they were.
    pub files: Vec<AttachedPath>,
    /// The file the remove key acts on.
    pub selected: usize,
    /// Why the path typed was refused (the path stays in the box).
    pub error: Option<String>,
    /// What a completion found (the matches, or that there are none).
    pub hint: Option<String>,
    /// The text a completion could not extend while several entries matched: a completion of
    /// the same text again lists them.
    pub stuck: Option<String>,
}

impl Attachments {
    /// The files as a draft keeps them.
    pub fn draft(&self) -> Vec<DraftFile> {
        self.files
            .iter()
            .map(|f| DraftFile {
                path: f.path.clone(),
                size: f.size,
            })
            .collect()
    }

    /// The paths to upload.
    pub fn paths(&self) -> Vec<PathBuf> {
        self.files.iter().map(|f| f.path.clone()).collect()
    }
}

/// The request form.
#[derive(Debug, Clone)]
pub struct Form {
    /// The service it files to: its capabilities decide the choices offered.
    pub service: Service,
    /// Title editor (single line).
    pub title: TextArea<'static>,
    /// Description editor.
    pub description: TextArea<'static>,
    /// Severity, once the user picked one.
    pub severity: Option<Severity>,
    /// Chosen topic id.
    pub topic_id: Option<String>,
    /// Focused field.
    pub focus: FormField,
    /// Problems found by the last submit attempt.
    pub errors: Vec<FieldError>,
    /// Why the last submit failed on the server side.
    pub submit_error: Option<Failure>,
    /// A submit with an unknown outcome.
    pub unsettled: Option<Unsettled>,
    /// The severity a new form starts with (`[defaults] severity`).
    pub preset: Option<Severity>,
    /// Files to attach once the ticket is filed.
    pub attachments: Attachments,
}

impl Default for Form {
    fn default() -> Self {
        Form::from_draft(&Draft::default(), Service::default())
    }
}

impl Form {
    /// A form for `service` filled from a saved draft.
    pub fn from_draft(draft: &Draft, service: Service) -> Form {
        let mut title = TextArea::new(vec![draft.title.replace(['\n', '\r'], " ")]);
        title.set_placeholder_text("What is the problem, in one line?");
        title.set_placeholder_style(PLACEHOLDER);
        title.move_cursor(tui_textarea::CursorMove::End);
        let lines: Vec<String> = draft.description.split('\n').map(str::to_string).collect();
        let mut description = TextArea::new(lines);
        description.set_placeholder_text("What happened, what you expected, steps, ids…");
        description.set_placeholder_style(PLACEHOLDER);
        description.set_wrap_mode(WrapMode::WordOrGlyph);
        description.move_cursor(tui_textarea::CursorMove::Bottom);
        description.move_cursor(tui_textarea::CursorMove::End);
        plain_cursor(&mut title);
        plain_cursor(&mut description);
        Form {
            service,
            title,
            description,
            severity: draft
                .severity
                .filter(|s| service.capabilities().severities.contains(s)),
            topic_id: draft.topic_id.clone(),
            focus: FormField::Title,
            errors: Vec::new(),
            submit_error: None,
            unsettled: None,
            preset: None,
            attachments: Attachments {
                // A draft from another service's form keeps no files this one cannot send.
                files: if service.capabilities().attachments {
                    draft
                        .attachments
                        .iter()
                        .map(|f| AttachedPath {
                            name: crate::attachments::file_name(&f.path),
                            path: f.path.clone(),
                            size: f.size,
                            sent: None,
                        })
                        .collect()
                } else {
                    Vec::new()
                },
                ..Attachments::default()
            },
        }
    }

    /// An empty form with `preset` chosen as its severity.
    pub fn new(service: Service, preset: Option<Severity>) -> Form {
        Form::from_draft(&Draft::default(), service).with_preset(preset)
    }

    /// Remembers `preset` and chooses it when no severity was picked.
    pub fn with_preset(mut self, preset: Option<Severity>) -> Form {
        self.preset = preset.filter(|s| self.severities().contains(s));
        if self.severity.is_none() {
            self.severity = self.preset;
        }
        self
    }

    /// The severities this form's service offers.
    pub fn severities(&self) -> &'static [Severity] {
        self.service.capabilities().severities
    }

    /// Every problem the service would refuse the form for.
    pub fn validate(&self) -> Vec<FieldError> {
        self.request().validate(&self.service.capabilities())
    }

    /// The title as typed.
    pub fn title_text(&self) -> String {
        self.title.lines().join(" ")
    }

    /// The description as typed.
    pub fn description_text(&self) -> String {
        self.description.lines().join("\n")
    }

    /// What would be submitted.
    pub fn request(&self) -> NewTicket {
        NewTicket {
            title: self.title_text(),
            description: self.description_text(),
            severity: self.severity,
            topic_id: self.topic_id.clone().unwrap_or_default(),
            ..Default::default()
        }
    }

    /// The form as a draft to save.
    pub fn draft(&self) -> Draft {
        Draft {
            title: self.title_text(),
            description: self.description_text(),
            severity: self.severity,
            topic_id: self.topic_id.clone(),
            attachments: self.attachments.draft(),
        }
    }

    /// True when nothing was typed or picked (the preset severity counts as not picked).
    pub fn is_empty(&self) -> bool {
        let blank = Draft {
            severity: self.preset,
            ..Draft::default()
        };
        self.draft() == blank || self.draft() == Draft::default()
    }

    /// Replaces the title (a template); undo brings the old one back.
    pub fn set_title(&mut self, title: &str) {
        self.title.move_cursor(tui_textarea::CursorMove::Head);
        self.title.delete_line_by_end();
        self.title.insert_str(title.replace(['\n', '\r'], " "));
    }

    /// Replaces the description (after the external editor).
    pub fn set_description(&mut self, text: &str) {
        let mut description = TextArea::new(text.split('\n').map(str::to_string).collect());
        description.set_placeholder_text(self.description.placeholder_text().to_string());
        description.set_placeholder_style(PLACEHOLDER);
        description.set_wrap_mode(WrapMode::WordOrGlyph);
        description.move_cursor(tui_textarea::CursorMove::Bottom);
        description.move_cursor(tui_textarea::CursorMove::End);
        plain_cursor(&mut description);
        self.description = description;
    }

    /// Whether the form has `field` (Attachments only where the service takes files).
    pub fn shows(&self, field: FormField) -> bool {
        field != FormField::Attachments || self.service.capabilities().attachments
    }

    /// The field after the focused one in Tab order, wrapping around.
    pub fn next_field(&self) -> FormField {
        self.focus.step(1, |f| self.shows(f))
    }

    /// The field before the focused one in Tab order, wrapping around.
    pub fn prev_field(&self) -> FormField {
        self.focus.step(-1, |f| self.shows(f))
    }

    /// The first error for `field`.
    pub fn error_for(&self, field: FormField) -> Option<&FieldError> {
        self.errors.iter().find(|e| FormField::of(e.field) == field)
    }

    /// Moves the focus (the terminal cursor follows it when the field takes text).
    pub fn set_focus(&mut self, field: FormField) {
        self.focus = field;
    }
}
