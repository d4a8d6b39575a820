//! The sign-in screen's part of `update`: its keys and the worker's sign-in replies.

use crate::text;
use crate::tui::Account;
use crate::tui::action::Effect;
use crate::tui::keys::{KeyCommand, KeyScope};
use crate::tui::state::message::Cause;
use crate::tui::state::signin::{Phase, PollState, Prompt};
use crate::tui::state::topics::TopicsLoad;
use crate::tui::state::{NoticeKind, Screen, State};
use crate::worker::{Job, SignInReply};

/// Runs a sign-in command from the key table.
pub(super) fn run(state: &mut State, command: KeyCommand, fx: &mut Vec<Effect>) {
    let service = state.header.service;
    let s = &mut state.signin;
    match command {
        KeyCommand::SignIn => {
            // A cloud the service does not run in (Partner Center's Germany, carried over a
            // service switch) would only fail after the code is asked for.
            if !s.cloud.supports(service) {
                s.cloud = crate::auth::Cloud::Global;
            }
            super::show(state, Screen::SignIn)
        }
        KeyCommand::PrevCloud => s.cycle_cloud(service, -1),
        KeyCommand::NextCloud => s.cycle_cloud(service, 1),
        KeyCommand::StartSignIn => start(state, fx),
        KeyCommand::CopyCode => {
            if let Phase::Waiting(prompt) = &s.phase {
                let code = text::one_line(&prompt.user_code);
                state.info(format!("Copying the code {code}…"));
                fx.push(Effect::Copy {
                    what: format!("the code {code}"),
                    text: code,
                });
            }
        }
        KeyCommand::OpenBrowser => {
            if let Phase::Waiting(prompt) = &s.phase {
                let url = prompt.verification_uri.clone();
                state.info("Opening the sign-in page in your browser…");
                fx.push(Effect::OpenUrl(url));
            }
        }
        KeyCommand::CancelSignIn if s.in_flight() => {
            fx.push(Effect::Worker(Job::CancelSignIn(s.flow)));
            s.phase = Phase::Form;
            let text = format!(
                "Sign-in cancelled; {} starts a new one, {} goes back to the request form",
                state.keys.label(KeyCommand::StartSignIn, KeyScope::SignInForm),
                state.keys.label(KeyCommand::Back, KeyScope::Anywhere)
            );
            state.info(text);
        }
        _ => {}
    }
}

fn start(state: &mut State, fx: &mut Vec<Effect>) {
    let s = &mut state.signin;
    let tenant = s.tenant.text().trim().to_string();
    if tenant.is_empty() {
        s.error = Some(
            "Type a tenant first: organizations, a tenant id (GUID) or a domain like contoso.com".into(),
        );
        return;
    }
    s.flow += 1;
    s.phase = Phase::Starting;
    s.error = None;
    fx.push(Effect::Worker(Job::SignIn {
        flow: s.flow,
        cloud: s.cloud,
        tenant,
    }));
}

/// The opener answered: say which browser opener ran, or show the page to open by hand.
pub(super) fn browser_opened(state: &mut State, url: &str, result: Result<String, String>) {
    let url = text::one_line(url);
    match result {
        Ok(opener) => state.info(format!("Opened {url} with {opener}; enter the code there")),
        Err(why) => state.error(format!(
            "Open {url} by hand: no browser could be started ({})",
            text::one_line(&why)
        )),
    }
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
            subscription,
        } if flow == s.flow => {
            s.phase = Phase::Form;
            s.error = None;
            state.header.account = Account::User(user.clone());
            state.header.cloud = cloud;
            let pick = match (state.header.service, &subscription) {
                (crate::domain::Service::Azure, None) => format!(
                    "; tickets go in at tenant level until {} picks a subscription",
                    state.keys.label(KeyCommand::PickSubscription, KeyScope::Anywhere)
                ),
                _ => String::new(),
            };
            state.header.subscription = subscription;
            if matches!(state.screen, Screen::SignIn) {
                super::show(state, Screen::Form);
            }
            state.info(format!(
                "Signed in as {} ({}); {kept}{pick}",
                text::one_line(&user),
                cloud.as_str()
            ));
            // The new account may see other topics; the list shown stays until they arrive.
            state.topics.load = TopicsLoad::Refreshing;
            fx.push(Effect::Worker(Job::LoadTopics));
        }
        SignInReply::Failed { flow, failure } if flow == s.flow && s.in_flight() => {
            s.phase = Phase::Form;
            s.error = Some(crate::tui::error_view::sentence(&failure, &state.keys));
            // On the sign-in screen the reason is in full view; elsewhere point to it.
            if !matches!(state.screen, Screen::SignIn) {
                let text = format!(
                    "Sign-in failed: the sign-in screen ({}) says why and what to do next",
                    state.keys.label(KeyCommand::SignIn, KeyScope::Anywhere)
                );
                state.notify(text, NoticeKind::Error, Some(Cause::SignInFailed));
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use ratatui::crossterm::event::KeyCode;

    use super::super::tests::{ctrl, fill, press, state, type_text};
    use super::*;
    use crate::auth::Cloud;
    use crate::tui::action::Action;
    use crate::tui::keys::{KeyScope as Scope, active_scopes};
    use crate::tui::state::FormField;
    use crate::tui::update::update;

    fn reply(s: &mut State, reply: SignInReply) -> Vec<Effect> {
        update(s, Action::from(crate::worker::Reply::SignIn(reply)))
    }

    fn started(fx: &[Effect]) -> Option<(u64, Cloud, String)> {
        fx.iter().find_map(|e| match e {
            Effect::Worker(Job::SignIn { flow, cloud, tenant }) => Some((*flow, *cloud, tenant.clone())),
            _ => None,
        })
    }

    pub(crate) fn prompt(flow: u64) -> SignInReply {
        SignInReply::Prompt {
            flow,
            user_code: "SBXAB12CD34".into(),
            verification_uri: "https://microsoft.com/devicelogin".into(),
            expires_in: Duration::from_secs(900),
        }
    }

    /// F2, then Enter: the flow the worker was asked to run.
    fn open_and_start(s: &mut State) -> u64 {
        press(s, KeyCode::F(2));
        let fx = press(s, KeyCode::Enter);
        started(&fx).expect("Enter starts a sign-in").0
    }

    #[test]
    fn on_azure_the_form_offers_azure_clouds_and_signs_in_to_the_one_picked() {
        let mut s = state();
        s.header.service = crate::domain::Service::Azure;
        s.signin.cloud = Cloud::Germany;
        press(&mut s, KeyCode::F(2));
        assert_eq!(s.signin.cloud, Cloud::Global, "Azure has no Germany cloud");
        press(&mut s, KeyCode::Up);
        assert_eq!(s.signin.cloud, Cloud::China);
        let fx = press(&mut s, KeyCode::Enter);
        assert_eq!(started(&fx), Some((1, Cloud::China, "organizations".into())));
    }

    #[test]
    fn f2_opens_a_form_with_cloud_and_tenant_that_takes_typing() {
        let mut s = state();
        press(&mut s, KeyCode::F(2));
        assert!(matches!(s.screen, Screen::SignIn));
        assert_eq!(s.signin.tenant, "organizations");
        assert!(active_scopes(&s).contains(&Scope::SignInForm));
        press(&mut s, KeyCode::Down);
        assert_eq!(s.signin.cloud, Cloud::Germany);
        press(&mut s, KeyCode::Up);
        press(&mut s, KeyCode::Up);
        assert_eq!(s.signin.cloud, Cloud::Usgov);
        ctrl(&mut s, 'u');
        let fx = type_text(&mut s, "contoso.com?q");
        press(&mut s, KeyCode::Backspace);
        assert!(
            fx.is_empty() && s.overlays.is_empty(),
            "q and ? type into the tenant"
        );
        assert_eq!(s.signin.tenant, "contoso.com?");
        press(&mut s, KeyCode::Backspace);
        let fx = press(&mut s, KeyCode::Enter);
        assert_eq!(started(&fx), Some((1, Cloud::Usgov, "contoso.com".into())));
        assert_eq!(s.signin.phase, Phase::Starting);
    }

    #[test]
    fn the_prompt_shows_code_and_polling_and_y_copies_the_code() {
        let mut s = state();
        let flow = open_and_start(&mut s);
        reply(&mut s, prompt(flow));
        let Phase::Waiting(p) = &s.signin.phase else {
            panic!("the prompt shows: {:?}", s.signin.phase)
        };
        assert_eq!(p.user_code, "SBXAB12CD34");
        assert_eq!(p.deadline, s.now + Duration::from_secs(900));
        assert!(active_scopes(&s).contains(&Scope::SignInPrompt));
        reply(
            &mut s,
            SignInReply::Polled {
                flow,
                slow_down: Some(Duration::from_secs(6)),
            },
        );
        assert!(matches!(&s.signin.phase, Phase::Waiting(p) if p.poll == PollState::SlowDown(6)));
        let fx = press(&mut s, KeyCode::Char('y'));
        assert!(
            fx.iter()
                .any(|e| matches!(e, Effect::Copy { text, .. } if text == "SBXAB12CD34")),
            "{fx:?}"
        );
        let fx = press(&mut s, KeyCode::Char('o'));
        assert_eq!(
            fx,
            vec![Effect::OpenUrl("https://microsoft.com/devicelogin".into())]
        );
        update(
            &mut s,
            Action::BrowserOpened {
                url: "https://microsoft.com/devicelogin".into(),
                result: Err("no graphical session to start a browser in".into()),
            },
        );
        let notice = s.notice.as_ref().map(|n| n.text.clone()).unwrap_or_default();
        assert!(
            notice.starts_with("Open https://microsoft.com/devicelogin by hand"),
            "the address comes first: {notice}"
        );
    }

    #[test]
    fn success_switches_the_account_and_reloads_topics() {
        let mut s = state();
        assert_eq!(s.header.account, Account::Sandbox);
        press(&mut s, KeyCode::F(2));
        press(&mut s, KeyCode::Down);
        let fx = press(&mut s, KeyCode::Enter);
        let (flow, ..) = started(&fx).unwrap();
        reply(&mut s, prompt(flow));
        let fx = reply(
            &mut s,
            SignInReply::Done {
                flow,
                user: "admin@contoso.example".into(),
                cloud: Cloud::Germany,
                kept: "the refresh token is kept in the kernel keyutils keyring".into(),
                subscription: None,
            },
        );
        assert_eq!(s.header.account, Account::User("admin@contoso.example".into()));
        assert_eq!(s.header.cloud, Cloud::Germany);
        assert!(matches!(s.screen, Screen::Form), "back to the request form");
        assert!(fx.contains(&Effect::Worker(Job::LoadTopics)));
        let notice = s.notice.as_ref().map(|n| n.text.clone()).unwrap_or_default();
        assert!(notice.contains("Signed in as admin@contoso.example"), "{notice}");
    }

    #[test]
    fn failure_shows_what_to_do_and_keeps_both_forms_and_the_draft() {
        let mut s = state();
        fill(&mut s);
        let request = s.form.request();
        let draft = s.draft;
        press(&mut s, KeyCode::F(2));
        ctrl(&mut s, 'u');
        type_text(&mut s, "contoso.com");
        press(&mut s, KeyCode::Down);
        let fx = press(&mut s, KeyCode::Enter);
        let (flow, ..) = started(&fx).unwrap();
        reply(&mut s, prompt(flow));
        reply(
            &mut s,
            SignInReply::Failed {
                flow,
                failure: crate::domain::Failure::local(
                    "sign-in was declined on the verification page",
                    crate::domain::Remedy::NewSignInCode,
                ),
            },
        );
        assert_eq!(s.signin.phase, Phase::Form);
        let error = s.signin.error.as_deref().unwrap();
        assert!(
            error.starts_with("Sign-in was declined") && error.contains("Press Enter to get a new code"),
            "{error}"
        );
        assert_eq!(s.signin.tenant, "contoso.com");
        assert_eq!(s.signin.cloud, Cloud::Germany);
        assert_eq!(s.header.account, Account::Sandbox, "still the sandbox");
        assert!(matches!(s.screen, Screen::SignIn), "the message stays on screen");
        assert_eq!(s.form.request(), request, "the request form is untouched");
        assert_eq!(s.form.focus, FormField::Submit);
        assert_eq!(s.draft, draft);
        let fx = press(&mut s, KeyCode::Enter);
        assert_eq!(started(&fx).map(|f| f.0), Some(flow + 1), "Enter tries again");
    }

    #[test]
    fn esc_cancels_the_flow_and_late_answers_are_dropped() {
        let mut s = state();
        let flow = open_and_start(&mut s);
        reply(&mut s, prompt(flow));
        let fx = press(&mut s, KeyCode::Esc);
        assert_eq!(fx, vec![Effect::Worker(Job::CancelSignIn(flow))]);
        assert_eq!(s.signin.phase, Phase::Form);
        assert!(matches!(s.screen, Screen::SignIn), "back on the sign-in form");
        reply(&mut s, prompt(flow));
        reply(
            &mut s,
            SignInReply::Failed {
                flow,
                failure: crate::domain::Failure::local(
                    "the sign-in code expired before it was used",
                    crate::domain::Remedy::NewSignInCode,
                ),
            },
        );
        assert_eq!(s.signin.phase, Phase::Form);
        assert_eq!(s.signin.error, None, "a cancelled flow reports nothing");
        press(&mut s, KeyCode::Esc);
        assert!(matches!(s.screen, Screen::Form), "a second Esc leaves the screen");
    }

    #[test]
    fn without_credentials_the_app_opens_on_the_sign_in_form() {
        let header = crate::tui::state::Header {
            cloud: Cloud::Usgov,
            account: Account::SignedOut,
            locale: "en-US".into(),
            service: crate::domain::Service::PartnerCenter,
            subscription: None,
            customer: None,
        };
        let theme = crate::tui::state::Theme::MONO;
        let s = State::new(header, theme, (100, 30), std::time::Instant::now());
        assert!(matches!(s.screen, Screen::SignIn));
        assert_eq!(
            s.signin.cloud,
            Cloud::Usgov,
            "the form starts on the session's cloud"
        );
        assert!(s.in_text_field(), "typing goes into the tenant");
    }

    #[test]
    fn answers_about_an_older_flow_change_nothing() {
        let mut s = state();
        let first = open_and_start(&mut s);
        press(&mut s, KeyCode::Esc);
        let second = press(&mut s, KeyCode::Enter);
        let (second, ..) = started(&second).unwrap();
        assert_ne!(first, second);
        reply(&mut s, prompt(first));
        assert_eq!(s.signin.phase, Phase::Starting);
        reply(
            &mut s,
            SignInReply::Done {
                flow: first,
                user: "old@contoso.example".into(),
                cloud: Cloud::Global,
                kept: String::new(),
                subscription: None,
            },
        );
        assert_eq!(s.header.account, Account::Sandbox);
    }
}
