//! The Azure contact profile screen over the form (each field with its error beside it, the
//! time-zone and country lists under their boxes while focused), and the consent question.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::{Role, style, textbox};
use crate::domain::{ContactMethod, countries, windows_time_zones};
use crate::text;
use crate::tui::keys::{KeyCommand, KeyScope};
use crate::tui::state::State;
use crate::tui::state::contact::{ContactRow, ContactScreen};

const LABEL: u16 = 14;

fn popup(area: Rect, width: u16, height: u16) -> Rect {
    let [row] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [popup] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(row);
    popup
}

/// Draws the profile screen centred over `area`.
pub fn draw(frame: &mut Frame, area: Rect, state: &State) {
    let Some(screen) = &state.azure.screen else { return };
    let t = state.theme;
    let popup = popup(area, area.width.saturating_sub(4).min(96), area.height);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(style(t, Role::Focus))
        .title(Span::styled(" Azure contact profile ", style(t, Role::Focus)))
        .title_bottom(Span::styled(
            format!(
                " {} saves to config.toml · {} next · {} closes, keeping what you typed ",
                state.keys.label(KeyCommand::SaveContact, KeyScope::ContactForm),
                state.keys.label(KeyCommand::NextField, KeyScope::ContactForm),
                state.keys.label(KeyCommand::Back, KeyScope::Anywhere)
            ),
            style(t, Role::Dim),
        ));
    let inner = block.inner(popup);
    frame.render_widget(Clear, popup);
    frame.render_widget(block, popup);
    let bottom = inner.y + inner.height;
    let mut y = inner.y;
    // The rows take a line each, the errors what they wrap to; the open list gets what is left.
    let error_width = inner.width.saturating_sub(LABEL) as usize;
    let errors = ContactRow::ORDER
        .into_iter()
        .filter_map(|r| screen.error_for(r))
        .map(|e| wrap(&text::one_line(&e.message), error_width).len() as u16)
        .sum::<u16>();
    let spare = inner
        .height
        .saturating_sub(ContactRow::ORDER.len() as u16 + errors);
    for row in ContactRow::ORDER {
        if y >= bottom {
            break;
        }
        let focused = screen.focus == row;
        let line = Rect::new(inner.x, y, inner.width, 1);
        draw_row(frame, line, state, screen, row, focused);
        y += 1;
        if let Some(error) = screen.error_for(row) {
            // Wrapped under the value, never cut at the popup's edge: the end of a message
            // often says what to type.
            for part in wrap(&text::one_line(&error.message), error_width) {
                if y >= bottom {
                    break;
                }
                frame.render_widget(
                    Paragraph::new(Span::styled(part, style(t, Role::Error))),
                    Rect::new(inner.x + LABEL, y, inner.width.saturating_sub(LABEL), 1),
                );
                y += 1;
            }
        }
        if focused && matches!(row, ContactRow::TimeZone | ContactRow::Country) {
            let height = spare.min(8).min(bottom.saturating_sub(y));
            draw_list(
                frame,
                Rect::new(inner.x + LABEL, y, inner.width.saturating_sub(LABEL), height),
                state,
                screen,
                row,
            );
            y += height;
        }
    }
}

/// `text` in lines of at most `width` columns, broken between words (a word longer than a line
/// is broken inside).
fn wrap(text: &str, width: usize) -> Vec<String> {
    use unicode_width::UnicodeWidthStr;
    let width = width.max(1);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let sep = usize::from(!line.is_empty());
        if !line.is_empty() && line.width() + sep + word.width() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        for c in word.chars() {
            let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
            if !line.is_empty() && line.width() + w > width {
                lines.push(std::mem::take(&mut line));
            }
            line.push(c);
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

fn draw_row(
    frame: &mut Frame,
    line: Rect,
    state: &State,
    screen: &ContactScreen,
    row: ContactRow,
    focused: bool,
) {
    let t = state.theme;
    let [label, value, chosen] = Layout::horizontal([
        Constraint::Length(LABEL),
        Constraint::Fill(1),
        Constraint::Length(if matches!(row, ContactRow::TimeZone | ContactRow::Country) {
            34
        } else {
            0
        }),
    ])
    .areas(line);
    let role = if focused { Role::Focus } else { Role::Label };
    let required = match row {
        ContactRow::AdditionalEmails => false,
        ContactRow::Phone => screen.method == ContactMethod::Phone,
        _ => true,
    };
    let mark = if required { "*" } else { " " };
    frame.render_widget(
        Span::styled(format!("{}{mark}", row.label()), style(t, role)),
        label,
    );
    match screen.text_box(row) {
        Some(b) => {
            let hint = match row {
                ContactRow::AdditionalEmails => Some("optional, separated by commas"),
                ContactRow::Phone => Some("with the country code, e.g. +1 425 555 0100"),
                ContactRow::TimeZone => Some("type to search Windows time zones"),
                ContactRow::Country => Some("a name or the three-letter code"),
                ContactRow::Language => Some("e.g. en-us, de-de, ja-jp"),
                _ => None,
            };
            textbox::draw_line(
                frame,
                value,
                b,
                focused,
                hint.map(|h| Span::styled(h, style(t, Role::Dim))),
            );
        }
        None => {
            let choice = |m: ContactMethod, name: &str| {
                let on = screen.method == m;
                let text = if on {
                    format!("(•) {name}")
                } else {
                    format!("( ) {name}")
                };
                Span::styled(
                    text,
                    style(
                        t,
                        if on && focused {
                            Role::Selected
                        } else {
                            Role::Plain
                        },
                    ),
                )
            };
            let mut spans = vec![
                choice(ContactMethod::Email, "e-mail"),
                Span::raw("   "),
                choice(ContactMethod::Phone, "phone"),
            ];
            if focused {
                spans.push(Span::styled(
                    format!(
                        "   {} changes",
                        state.keys.label(KeyCommand::Left, KeyScope::ContactMethod)
                    ),
                    style(t, Role::Dim),
                ));
            }
            frame.render_widget(Line::from(spans), value);
        }
    }
    let picked = match row {
        ContactRow::TimeZone => screen.chosen_zone().map(str::to_string),
        ContactRow::Country => screen
            .chosen_country()
            .map(|code| format!("{code} {}", country_name(code))),
        _ => None,
    };
    if let Some(picked) = picked.filter(|_| chosen.width > 0) {
        frame.render_widget(
            Span::styled(format!(" → {}", text::one_line(&picked)), style(t, Role::Good)),
            chosen,
        );
    }
}

fn country_name(code: &str) -> String {
    countries()
        .find(|(c, _)| *c == code)
        .and_then(|(_, names)| names.first())
        .map(|n| title_case(n))
        .unwrap_or_default()
}

/// "united kingdom of great britain" → "United Kingdom Of Great Britain": the data keeps names
/// in lower case for matching.
fn title_case(name: &str) -> String {
    name.split(' ')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn draw_list(frame: &mut Frame, area: Rect, state: &State, screen: &ContactScreen, row: ContactRow) {
    if area.height == 0 {
        return;
    }
    let t = state.theme;
    let list = if row == ContactRow::TimeZone {
        &screen.zones
    } else {
        &screen.countries
    };
    let first = list.first_visible(area.height as usize);
    let lines: Vec<Line> = list
        .matches
        .iter()
        .enumerate()
        .skip(first)
        .take(area.height as usize)
        .map(|(pos, &i)| {
            let text = if row == ContactRow::TimeZone {
                windows_time_zones()
                    .get(i)
                    .map(|z| z.to_string())
                    .unwrap_or_default()
            } else {
                screen
                    .country_codes
                    .get(i)
                    .map(|c| format!("{c}  {}", country_name(c)))
                    .unwrap_or_default()
            };
            if pos == list.highlight {
                Line::from(Span::styled(format!("› {text}"), style(t, Role::Selected)))
            } else {
                Line::from(Span::raw(format!("  {text}")))
            }
        })
        .collect();
    let lines = if lines.is_empty() {
        vec![Line::from(Span::styled("  no match", style(t, Role::Dim)))]
    } else {
        lines
    };
    frame.render_widget(Paragraph::new(lines), area);
}

/// Draws the consent question centred over `area`.
pub fn draw_consent(frame: &mut Frame, area: Rect, state: &State) {
    let t = state.theme;
    let popup = popup(area, area.width.saturating_sub(4).min(72), 8);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(style(t, Role::Focus))
        .title(Span::styled(
            " Advanced diagnostic information ",
            style(t, Role::Focus),
        ));
    let inner = block.inner(popup);
    frame.render_widget(Clear, popup);
    frame.render_widget(block, popup);
    let lines = vec![
        Line::from(
            "May Azure support collect advanced diagnostic information from the resources this \
             ticket is about? The answer is saved as `consent` under [azure] in config.toml and \
             used for every Azure ticket.",
        ),
        Line::from(""),
        Line::from(vec![
            Span::styled(
                state.keys.label(KeyCommand::ConfirmYes, KeyScope::Confirm),
                style(t, Role::Focus),
            ),
            Span::raw(" yes    "),
            Span::styled(
                state.keys.label(KeyCommand::ConfirmNo, KeyScope::Confirm),
                style(t, Role::Focus),
            ),
            Span::raw(" no"),
        ]),
    ];
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), inner);
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn a_long_error_wraps_between_words_and_loses_nothing() {
        let text = "phone: required when the contact method is phone; type it with the country code";
        let lines = wrap(text, 30);
        assert!(lines.len() > 1, "{lines:?}");
        assert!(lines.iter().all(|l| l.chars().count() <= 30), "{lines:?}");
        assert_eq!(lines.join(" "), text);
        assert_eq!(wrap("abcdefgh", 3), ["abc", "def", "gh"]);
        assert_eq!(wrap("", 10), [""]);
    }
}
