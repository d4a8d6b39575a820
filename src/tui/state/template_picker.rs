//! The template picker: the templates read from disk, a fuzzy filter box (the same matcher as
//! the topic filter) and the highlighted one. Plain data; `update` changes it.

use crate::templates::Template;
use crate::text;
use crate::tui::fuzzy::FuzzyList;
use crate::tui::state::topics::Topics;
use crate::tui::state::{Form, FormField};
use crate::tui::textbox::LineBox;

/// The picker over the form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TemplatePicker {
    /// Still reading the folder.
    pub loading: bool,
    /// Every usable template, by name.
    pub all: Vec<Template>,
    /// The filter as typed.
    pub query: LineBox,
    /// The templates (indexes into `all`) that match, and the highlighted one.
    pub list: FuzzyList,
}

impl TemplatePicker {
    /// A picker waiting for the folder to be read.
    pub fn loading() -> TemplatePicker {
        TemplatePicker {
            loading: true,
            ..TemplatePicker::default()
        }
    }

    /// The templates arrived.
    pub fn set_all(&mut self, all: Vec<Template>) {
        self.loading = false;
        let hay = all
            .iter()
            .map(|t| format!("{} {}", t.name, t.title.as_deref().unwrap_or("")));
        self.list.set_items(hay, self.query.text());
        self.list.highlight = 0;
        self.all = all;
    }

    /// The highlighted template.
    pub fn highlighted(&self) -> Option<&Template> {
        self.list.highlighted().and_then(|i| self.all.get(i))
    }

    /// The query was edited: match names and titles again; the best match is highlighted.
    pub fn refilter(&mut self) {
        self.list.query_changed(self.query.text());
    }
}

/// The question for a template that would replace typed fields.
pub fn question(form: &Form, topics: &Topics, template: &Template) -> String {
    let mut copy = form.clone();
    let (_, conflicts) = fill(&mut copy, template, topics, false);
    let names: Vec<&str> = conflicts.iter().map(|f| field_name(*f)).collect();
    format!(
        "Template {} has its own {}: replace what you typed?",
        text::one_line(&template.name),
        names.join(", ")
    )
}

fn field_name(field: FormField) -> &'static str {
    match field {
        FormField::Title => "Title",
        FormField::Description => "Description",
        FormField::Severity => "Severity",
        FormField::Topic => "Topic",
        FormField::Attachments => "Attachments",
        FormField::Submit => "Submit",
    }
}

/// Fills `form` from `template`: empty fields always, filled ones that differ only when
/// `overwrite`. Returns the fields changed and the filled ones that differ (left alone unless
/// `overwrite`).
pub fn fill(
    form: &mut Form,
    template: &Template,
    topics: &Topics,
    overwrite: bool,
) -> (Vec<FormField>, Vec<FormField>) {
    let mut filled = Vec::new();
    let mut conflicts = Vec::new();
    let mut decide = |field: FormField, empty: bool, differs: bool| -> bool {
        if empty {
            filled.push(field);
            true
        } else if differs {
            conflicts.push(field);
            if overwrite {
                filled.push(field);
            }
            overwrite
        } else {
            false
        }
    };
    if let Some(title) = &template.title {
        let current = form.title_text();
        if decide(FormField::Title, current.trim().is_empty(), current != *title) {
            form.set_title(title);
        }
    }
    if !template.body.is_empty() {
        let current = form.description_text();
        if decide(
            FormField::Description,
            current.trim().is_empty(),
            current != template.body,
        ) {
            form.set_description(&template.body);
        }
    }
    if let Some(severity) = template.severity
        && decide(
            FormField::Severity,
            form.severity.is_none(),
            form.severity != Some(severity),
        )
    {
        form.severity = Some(severity);
    }
    let topic = template.topic.as_deref().and_then(|t| topic_id(topics, t));
    if let Some(id) = topic {
        let current = form.topic_id.clone();
        if decide(
            FormField::Topic,
            current.is_none(),
            current.as_deref() != Some(id.as_str()),
        ) {
            form.topic_id = Some(id);
        }
    }
    (filled, conflicts)
}

/// A template's topic (an id, or a name in any case) as a topic id from the loaded list; an
/// id is kept as written when the list is not loaded yet.
fn topic_id(topics: &Topics, wanted: &str) -> Option<String> {
    let wanted = wanted.trim();
    if let Some(t) = topics.all.iter().find(|t| t.name.eq_ignore_ascii_case(wanted)) {
        return Some(t.id.to_string());
    }
    wanted
        .chars()
        .all(|c| c.is_ascii_digit())
        .then(|| wanted.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template(name: &str, title: &str) -> Template {
        Template {
            name: name.into(),
            title: Some(title.into()),
            severity: None,
            topic: None,
            body: String::new(),
        }
    }

    #[test]
    fn the_filter_matches_names_and_titles() {
        let mut p = TemplatePicker::loading();
        p.set_all(vec![
            template("billing", "Invoice is wrong"),
            template("outage", "Portal down"),
        ]);
        assert_eq!(p.list.matches, [0, 1]);
        p.query.set_text("portl");
        p.refilter();
        assert_eq!(p.highlighted().map(|t| t.name.as_str()), Some("outage"));
        p.query.set_text("zzz");
        p.refilter();
        assert!(p.highlighted().is_none());
    }
}
