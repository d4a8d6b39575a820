//! Where things go on screen. Shared by the views (to draw) and `update` (to hit-test mouse
//! clicks and to know how many history rows fit), so both always agree without importing
//! each other.

use ratatui::layout::{Constraint, Layout, Rect};

use super::state::Form;

/// The frame: status bar, main area, message line, key hints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Root {
    /// Top line.
    pub status: Rect,
    /// The screen's own area.
    pub main: Rect,
    /// Notice / progress line.
    pub message: Rect,
    /// Key hints.
    pub hints: Rect,
}

/// Splits the whole terminal; the message line takes `message_lines` rows (a long message
/// wraps to two rather than being cut).
pub fn root(area: Rect, message_lines: u16) -> Root {
    let [status, main, message, hints] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(message_lines.max(1)),
        Constraint::Length(1),
    ])
    .areas(area);
    Root {
        status,
        main,
        message,
        hints,
    }
}

/// The form's fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormLayout {
    /// Title box.
    pub title: Rect,
    /// Description box.
    pub description: Rect,
    /// Severity box.
    pub severity: Rect,
    /// Topic box.
    pub topic: Rect,
    /// Attachments box, for services that take files.
    pub attachments: Option<Rect>,
    /// Submit button line.
    pub submit: Rect,
    /// Server error panel, when there is one.
    pub error: Option<Rect>,
}

/// The height the form's server-error panel wants: one row per error field (0 = no panel).
pub fn form_error_lines(form: &Form) -> u16 {
    form.submit_error
        .as_ref()
        // The facts, and the "What to do" line the view adds.
        .map_or(0, |e| u16::try_from(e.rows().len() + 1).unwrap_or(u16::MAX))
}

/// Most attached files the Attachments box shows at once (the selected one is kept in view).
pub const ATTACHMENT_ROWS: u16 = 3;

/// The height the Attachments box wants: the path line, a hint line when there is one, and a
/// row per file up to [`ATTACHMENT_ROWS`]; 0 where the form has no such field.
pub fn attachments_height(form: &Form) -> u16 {
    if !form.shows(super::state::FormField::Attachments) {
        return 0;
    }
    let field = &form.attachments;
    let files = u16::try_from(field.files.len())
        .unwrap_or(u16::MAX)
        .min(ATTACHMENT_ROWS);
    2 + 1 + u16::from(field.hint.is_some()) + files
}

/// Lays out `form` in `main`: the one call the view and the mouse both make.
pub fn form_for(main: Rect, form: &Form) -> FormLayout {
    self::form(
        main,
        form_error_lines(form),
        attachments_height(form),
        form.focus == super::state::FormField::Topic,
    )
}

/// Lays out the form in `main`; `error_lines` is the height the error panel wants (0 = none),
/// `attachments` the Attachments box's (0 = no box). On a narrow terminal the Description and
/// Topic boxes share one column; `topic_focused` gives the Topic box two thirds of it while it
/// is being picked from, so an 80x24 terminal still lists several topics beside an Azure
/// form's Attachments box.
pub fn form(main: Rect, error_lines: u16, attachments: u16, topic_focused: bool) -> FormLayout {
    let error_h = if error_lines == 0 {
        0
    } else {
        (error_lines + 2).min(main.height / 3)
    };
    let [body, error] = Layout::vertical([Constraint::Fill(1), Constraint::Length(error_h)]).areas(main);
    let wide = main.width >= 100;
    let (title, description, severity, topic, files, submit) = if wide {
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(body);
        let [title, description, severity, files, submit] = Layout::vertical([
            Constraint::Length(3),
            Constraint::Fill(1),
            Constraint::Length(3),
            Constraint::Length(attachments),
            Constraint::Length(1),
        ])
        .areas(left);
        (title, description, severity, right, files, submit)
    } else {
        let topic_share = if topic_focused { 2 } else { 1 };
        let [title, description, severity, topic, files, submit] = Layout::vertical([
            Constraint::Length(3),
            Constraint::Fill(1),
            Constraint::Length(3),
            Constraint::Fill(topic_share),
            Constraint::Length(attachments),
            Constraint::Length(1),
        ])
        .areas(body);
        (title, description, severity, topic, files, submit)
    };
    FormLayout {
        title,
        description,
        severity,
        topic,
        attachments: (attachments > 0).then_some(files),
        submit,
        error: (error_h > 0).then_some(error),
    }
}

/// The topic box's inside: filter line, list, and the selection's description.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TopicLayout {
    /// The filter line.
    pub filter: Rect,
    /// The list.
    pub list: Rect,
    /// What the highlighted topic covers.
    pub detail: Rect,
}

/// Splits the inside of the topic box.
pub fn topic(inner: Rect) -> TopicLayout {
    let detail_h = match inner.height {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    };
    let [filter, list, detail] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(detail_h),
    ])
    .areas(inner);
    TopicLayout { filter, list, detail }
}

/// The history pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HistoryLayout {
    /// The filter line.
    pub filter: Rect,
    /// Column headings.
    pub header: Rect,
    /// The rows.
    pub list: Rect,
}

/// Splits the history pane (inside its border).
pub fn history(main: Rect) -> HistoryLayout {
    let inner = inset(main);
    let [filter, header, list] =
        Layout::vertical([Constraint::Length(1), Constraint::Length(1), Constraint::Fill(1)]).areas(inner);
    HistoryLayout { filter, header, list }
}

/// The inside of a plain border.
pub fn inset(area: Rect) -> Rect {
    Rect {
        x: area.x.saturating_add(1),
        y: area.y.saturating_add(1),
        width: area.width.saturating_sub(2),
        height: area.height.saturating_sub(2),
    }
}

/// Whether a cell is inside an area.
pub fn hit(area: Rect, column: u16, row: u16) -> bool {
    area.contains(ratatui::layout::Position { x: column, y: row })
}
