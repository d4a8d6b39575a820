//! The sign-in screen: the cloud/tenant form, then the code to enter in a browser.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::{Role, style, textbox};
use crate::text;
use crate::tui::focus::{TextTarget, focused_text};
use crate::tui::keys::{KeyCommand, KeyScope};
use crate::tui::state::signin::{Phase, PollState, Prompt, mm_ss, seconds_left};
use crate::tui::state::{State, Theme};

/// Draws the sign-in screen.
pub fn draw(frame: &mut Frame, area: Rect, state: &State) {
    let t = state.theme;
    let s = &state.signin;
    let mut lines = vec![
        Line::from(vec![
            Span::styled(format!("{:<10}", "Cloud"), style(t, Role::Label)),
            Span::styled(
                format!(
                    "{} {} {}",
                    state
                        .keys
                        .first_label(KeyCommand::PrevCloud, KeyScope::SignInForm),
                    s.cloud.as_str(),
                    state
                        .keys
                        .first_label(KeyCommand::NextCloud, KeyScope::SignInForm)
                ),
                cloud_role(t, s.editing()),
            ),
            Span::styled(
                format!("  {}", s.cloud.name_for(state.header.service)),
                style(t, Role::Dim),
            ),
        ]),
        // The tenant box itself is drawn over the end of this line, below.
        Line::from(Span::styled(format!("{:<10}", "Tenant"), style(t, Role::Label))),
        Line::default(),
    ];
    match &s.phase {
        Phase::Form => lines.extend(form_help(t, state)),
        Phase::Starting => lines.push(Line::from(Span::styled(
            format!(
                "Asking {} for a sign-in code… ({} cancels)",
                s.cloud.name_for(state.header.service),
                state.keys.label(KeyCommand::CancelSignIn, KeyScope::SignInPrompt)
            ),
            style(t, Role::Focus),
        ))),
        Phase::Waiting(prompt) => lines.extend(prompt_lines(t, prompt, state)),
    }
    if let Some(error) = &s.error {
        lines.push(Line::default());
        lines.push(Line::from(Span::styled(
            text::one_line(error),
            style(t, Role::Error),
        )));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(style(t, Role::Focus))
        .title(Span::styled(
            format!(" Sign in to {} ", state.header.service.label()),
            style(t, Role::Focus),
        ));
    let inner = block.inner(area);
    frame.render_widget(
        Paragraph::new(lines).block(block).wrap(Wrap { trim: false }),
        area,
    );
    let tenant = Rect {
        x: inner.x.saturating_add(10),
        y: inner.y.saturating_add(1),
        width: inner.width.saturating_sub(10),
        height: inner.height.min(2).saturating_sub(1),
    };
    let typing = focused_text(state) == Some(TextTarget::Tenant);
    textbox::draw_line(frame, tenant, &s.tenant, typing, None);
}

fn cloud_role(t: Theme, editing: bool) -> ratatui::style::Style {
    style(t, if editing { Role::Focus } else { Role::Plain })
}

fn form_help(t: Theme, state: &State) -> Vec<Line<'static>> {
    [
        format!(
            "{}/{} picks the cloud; type the tenant (an id, a domain, or organizations).",
            state.keys.label(KeyCommand::PrevCloud, KeyScope::SignInForm),
            state.keys.label(KeyCommand::NextCloud, KeyScope::SignInForm)
        ),
        format!(
            "{} asks for a code to enter in a browser, on this or any other device.",
            state.keys.label(KeyCommand::StartSignIn, KeyScope::SignInForm)
        ),
        "The refresh token goes to the OS keyring (PCSR_KEYRING); nothing secret is written to disk."
            .to_string(),
    ]
    .into_iter()
    .map(|l| Line::from(Span::styled(l, style(t, Role::Dim))))
    .collect()
}

fn prompt_lines(t: Theme, prompt: &Prompt, state: &State) -> Vec<Line<'static>> {
    let left = seconds_left(prompt.deadline, state.now);
    let poll = match prompt.poll {
        PollState::NotYet => "waiting for you to finish in the browser".to_string(),
        PollState::Pending => "not approved yet: finish in the browser".to_string(),
        PollState::SlowDown(secs) => format!("the service asked to check less often (every {secs} s)"),
    };
    vec![
        Line::from("Open this page in a browser:"),
        Line::from(vec![
            Span::raw("    "),
            Span::styled(text::one_line(&prompt.verification_uri), style(t, Role::Good)),
        ]),
        Line::from("and enter the code:"),
        Line::from(vec![
            Span::raw("    "),
            Span::styled(
                format!(" {} ", text::one_line(&prompt.user_code)),
                style(t, Role::Badge),
            ),
        ]),
        Line::default(),
        Line::from(vec![
            Span::styled(format!("Code expires in {}", mm_ss(left)), style(t, Role::Focus)),
            Span::styled(" · ", style(t, Role::Dim)),
            Span::raw(poll),
        ]),
        Line::from(Span::styled(
            format!(
                "{} copies the code · {} opens the page in your browser · {} cancels (the request form and draft are kept)",
                state.keys.label(KeyCommand::CopyCode, KeyScope::SignInPrompt),
                state.keys.label(KeyCommand::OpenBrowser, KeyScope::SignInPrompt),
                state.keys.label(KeyCommand::CancelSignIn, KeyScope::SignInPrompt)
            ),
            style(t, Role::Dim),
        )),
    ]
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::crossterm::event::KeyCode;

    use crate::tui::action::Action;
    use crate::tui::update::tests::{press, state};
    use crate::tui::update::update;
    use crate::worker::{Reply, SignInReply};

    #[test]
    fn sign_in_prompt() {
        let mut s = state();
        press(&mut s, KeyCode::F(2));
        press(&mut s, KeyCode::Enter);
        let flow = s.signin.flow;
        update(
            &mut s,
            Action::from(Reply::SignIn(SignInReply::Prompt {
                flow,
                user_code: "SBXAB12CD34".into(),
                verification_uri: "https://microsoft.com/devicelogin".into(),
                expires_in: Duration::from_secs(900),
            })),
        );
        update(
            &mut s,
            Action::from(Reply::SignIn(SignInReply::Polled {
                flow,
                slow_down: None,
            })),
        );
        // 61.5 s later: the countdown rounds up.
        s.now += Duration::from_millis(61_500);
        let mut terminal = Terminal::new(TestBackend::new(100, 24)).expect("test backend");
        terminal
            .draw(|frame| {
                crate::tui::view::draw(frame, &s);
            })
            .expect("draw");
        insta::assert_snapshot!(terminal.backend().to_string());
    }

    #[test]
    fn the_form_names_the_service_it_signs_in_to() {
        let mut s = state();
        s.header.service = crate::domain::Service::Azure;
        press(&mut s, KeyCode::F(2));
        let mut terminal = Terminal::new(TestBackend::new(100, 24)).expect("test backend");
        terminal
            .draw(|frame| {
                crate::tui::view::draw(frame, &s);
            })
            .expect("draw");
        let screen = terminal.backend().to_string();
        assert!(screen.contains("Sign in to Azure"), "{screen}");
        assert!(!screen.contains("Partner Center"), "{screen}");
    }
}
