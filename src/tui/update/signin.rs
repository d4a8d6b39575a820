//! The sign-in screen's part of `update`: its keys and the worker's sign-in replies.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::text;
use crate::tui::Account;
use crate::tui::action::Effect;
use crate::tui::keys::Command;
use crate::tui::signin::{Phase, PollState, Prompt};
use crate::tui::state::{Screen, State};
use crate::tui::topics::TopicsLoad;
use crate::worker::{Command as Work, SignInReply};

/// Runs a sign-in command from the key table.
pub(super) fn run(state: &mut State, command: Command, fx: &mut Vec<Effect>) {
    let s = &mut state.signin;
    match command {
        Command::SignIn => {
            state.help = false;
            state.screen = Screen::SignIn;
        }
        Command::PrevCloud => s.cycle_cloud(-1),
        Command::NextCloud => s.cycle_cloud(1),
        Command::ClearTenant => s.tenant.clear(),
        Command::StartSignIn => start(state, fx),
        Command::CopyCode => {
            if let Phase::Waiting(prompt) = &s.phase {
                let code = prompt.user_code.clone();
                state.info(format!("Copied the code {code} to the clipboard (OSC 52)"));
                fx.push(Effect::Copy(code));
            }
        }
        Command::CancelSignIn => {
            if s.in_flight() {
                fx.push(Effect::Worker(Work::CancelSignIn(s.flow)));
                s.phase = Phase::Form;
                state.info("Sign-in cancelled; Enter starts a new one, Esc goes back to the request form");
            }
        }
        _ => {}
    }
}

fn start(state: &mut State, fx: &mut Vec<Effect>) {
    let s = &mut state.signin;
    let tenant = s.tenant.trim().to_string();
    if tenant.is_empty() {
        s.error = Some(
            "Type a tenant first: organizations, a tenant id (GUID) or a domain like contoso.com".into(),
        );
        return;
    }
    s.flow += 1;
    s.phase = Phase::Starting;
    s.error = None;
    fx.push(Effect::Worker(Work::SignIn {
        flow: s.flow,
        cloud: s.cloud,
        tenant,
    }));
}

/// Typing and Backspace edit the tenant while the form shows.
pub(super) fn type_into_tenant(state: &mut State, key: KeyEvent) {
    match key.code {
        KeyCode::Backspace => {
            state.signin.tenant.pop();
        }
        KeyCode::Char(c)
            if !key
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
        {
            state.signin.tenant.push(c)
        }
        _ => {}
    }
}

/// Pasted text goes into the tenant, on one line.
pub(super) fn paste_into_tenant(state: &mut State, pasted: &str) {
    state.signin.tenant.push_str(text::one_line(pasted).trim());
}

/// Applies a sign-in reply; answers about an older or cancelled flow are dropped.
pub(super) fn on_reply(state: &mut State, reply: SignInReply, fx: &mut Vec<Effect>) {
    let s = &mut state.signin;
    match reply {
        SignInReply::Prompt {
            flow,
            user_code,
            verification_uri,
            expires_in,
        } if flow == s.flow && s.phase == Phase::Starting => {
            s.phase = Phase::Waiting(Prompt {
                user_code,
                verification_uri,
                deadline: state.now + expires_in,
                poll: PollState::NotYet,
            });
        }
        SignInReply::Polled { flow, slow_down } if flow == s.flow => {
            if let Phase::Waiting(prompt) = &mut s.phase {
                prompt.poll = match slow_down {
                    Some(interval) => PollState::SlowDown(interval.as_secs()),
                    None => PollState::Pending,
                };
            }
        }
        // Accepted even after Esc: the worker only finishes a flow it could no longer cancel,
        // and it already uses the new account.
        SignInReply::Done {
            flow,
            user,
            cloud,
            kept,
        } if flow == s.flow => {
            s.phase = Phase::Form;
            s.error = None;
            state.header.account = Account::User(user.clone());
            state.header.cloud = cloud;
            if matches!(state.screen, Screen::SignIn) {
                state.screen = Screen::Form;
            }
            state.info(format!(
                "Signed in as {} ({}); {kept}",
                text::one_line(&user),
                cloud.as_str()
            ));
            // The new account may see other topics; the list shown stays until they arrive.
            state.topics.load = TopicsLoad::Refreshing;
            fx.push(Effect::Worker(Work::LoadTopics));
        }
        SignInReply::Failed { flow, message } if flow == s.flow && s.in_flight() => {
            s.phase = Phase::Form;
            s.error = Some(message);
            state.error("Sign-in failed: the sign-in screen (F2) says why and what to do next");
        }
        _ => {}
    }
}
