//! The message line's notices go when their cause goes, and every message can be read in full.

use ratatui::crossterm::event::KeyCode;

use super::tests::{ctrl, press, state, type_text};
use crate::tui::action::Action;
use crate::tui::state::Screen;
use crate::tui::update::update;
use crate::worker::{Reply, SignInReply};

fn notice(s: &crate::tui::state::State) -> String {
    s.notice.as_ref().map(|n| n.text.clone()).unwrap_or_default()
}

#[test]
fn the_fields_count_follows_the_fixes_and_goes_with_the_last() {
    let mut s = state();
    ctrl(&mut s, 's');
    assert!(
        notice(&s).starts_with("4 fields need attention"),
        "{}",
        notice(&s)
    );
    type_text(&mut s, "A title");
    assert!(
        notice(&s).starts_with("3 fields need attention"),
        "{}",
        notice(&s)
    );
    press(&mut s, KeyCode::Tab);
    type_text(&mut s, "A description");
    assert!(
        notice(&s).starts_with("2 fields need attention"),
        "{}",
        notice(&s)
    );
    press(&mut s, KeyCode::Tab);
    press(&mut s, KeyCode::Right);
    assert!(
        notice(&s).starts_with("1 field needs attention"),
        "{}",
        notice(&s)
    );
    press(&mut s, KeyCode::Tab);
    press(&mut s, KeyCode::Down);
    assert_eq!(s.notice, None, "all fixed: the count is gone");
}

#[test]
fn the_fields_count_does_not_replace_another_message() {
    let mut s = state();
    ctrl(&mut s, 's');
    s.info("Description updated from the editor");
    type_text(&mut s, "A title");
    assert_eq!(notice(&s), "Description updated from the editor");
}

fn fail_sign_in(s: &mut crate::tui::state::State) {
    press(s, KeyCode::F(2));
    press(s, KeyCode::Enter);
    let flow = s.signin.flow;
    update(
        s,
        Action::from(Reply::SignIn(SignInReply::Prompt {
            flow,
            user_code: "ABC".into(),
            verification_uri: "https://microsoft.com/devicelogin".into(),
            expires_in: std::time::Duration::from_secs(900),
        })),
    );
}

fn failed(s: &mut crate::tui::state::State) {
    let flow = s.signin.flow;
    update(
        s,
        Action::from(Reply::SignIn(SignInReply::Failed {
            flow,
            failure: crate::domain::Failure::local(
                "the sign-in code expired before it was used",
                crate::domain::Remedy::NewSignInCode,
            ),
        })),
    );
}

#[test]
fn a_failed_sign_in_is_not_pointed_at_while_its_screen_shows() {
    let mut s = state();
    fail_sign_in(&mut s);
    failed(&mut s);
    assert!(matches!(s.screen, Screen::SignIn));
    assert!(!notice(&s).contains("Sign-in failed"), "{}", notice(&s));
    assert!(s.signin.error.is_some(), "the screen says why");

    let mut elsewhere = state();
    fail_sign_in(&mut elsewhere);
    ctrl(&mut elsewhere, 'n');
    failed(&mut elsewhere);
    assert!(notice(&elsewhere).starts_with("Sign-in failed: the sign-in screen (F2)"));
    press(&mut elsewhere, KeyCode::F(2));
    assert_eq!(
        elsewhere.notice, None,
        "on the screen that says why, the pointer goes"
    );
}

#[test]
fn f3_lists_recent_messages_in_full() {
    let mut s = state();
    let long = format!(
        "could not reach the service: {}connection refused",
        "detail ".repeat(30)
    );
    s.error(long.clone());
    s.info("Request 616 created");
    ctrl(&mut s, 'r');
    press(&mut s, KeyCode::F(3));
    assert_eq!(crate::tui::mode::mode(&s), crate::tui::mode::Mode::Messages);
    assert!(!s.in_text_field());
    let lines: Vec<String> = crate::tui::view::messages::lines(&s, 60)
        .iter()
        .map(|l| l.spans.iter().map(|sp| sp.content.as_ref()).collect())
        .collect();
    let joined = lines.join(" ");
    let words: Vec<&str> = joined.split_whitespace().collect();
    assert!(
        words
            .join(" ")
            .contains(&long.split_whitespace().collect::<Vec<_>>().join(" "))
    );
    let newest = lines.iter().position(|l| l.contains("Request 616 created"));
    let older = lines.iter().position(|l| l.contains("could not reach"));
    assert!(newest < older, "newest first: {lines:?}");
    press(&mut s, KeyCode::Esc);
    assert!(s.overlays.is_empty());
    assert!(matches!(s.screen, Screen::History), "Esc closed only the overlay");
}
