//! A failure as the TUI words it: the facts the worker reported, and its remedy with the keys
//! of this app's key table (the CLI words the same remedy as a command to run).

use crate::domain::{Failure, Remedy};
use crate::tui::keys::{KeyCommand, KeyScope, Keymap};

/// What to do next, in the TUI's words.
pub fn remedy_text(remedy: &Remedy, keys: &Keymap) -> String {
    let sign_in = keys.label(KeyCommand::SignIn, KeyScope::Anywhere);
    match remedy {
        Remedy::SignIn => format!("Press {sign_in} to sign in again."),
        Remedy::SignInThenResend => format!(
            "Press {sign_in} to sign in; it is kept in the outbox and resent with the same MS-RequestId after, never filed twice."
        ),
        Remedy::ResendOutbox => "It may have gone through: it is kept in the outbox and resent with the same \
             MS-RequestId (never applied twice); do not send it again."
            .into(),
        Remedy::FixInput => "Correct the field named above and send it again.".into(),
        Remedy::AcceptedUnread => {
            "The service accepted it but its answer could not be read; it is read back with the same MS-RequestId."
                .into()
        }
        Remedy::Retry {
            after_seconds: Some(s),
        } => format!("Rate limited: try again in {s} s."),
        Remedy::Retry { after_seconds: None } => "The service did not answer in time; try again.".into(),
        Remedy::RetryLater => "The service failed; try again later and quote the ids above to support.".into(),
        Remedy::CheckNetwork => "Check your network and the base URL (PCSR_BASE_URL), then try again.".into(),
        Remedy::CheckBaseUrl => "The endpoint does not look like the service; check the base URL.".into(),
        Remedy::UseHttps => {
            "Use an https:// URL (plain http:// is allowed only for 127.0.0.1, ::1 or localhost).".into()
        }
        Remedy::NeedsPermission => "This account may not do that; service requests need App+User (delegated) \
             credentials of a partner admin or helpdesk agent."
            .into(),
        Remedy::CheckId => format!(
            "Check the id; {} lists the requests you can see.",
            keys.label(KeyCommand::History, KeyScope::Anywhere)
        ),
        Remedy::Reread => format!(
            "It changed on the server; press {} to re-read it and try again.",
            keys.label(KeyCommand::Refresh, KeyScope::Details)
        ),
        Remedy::SignInServiceDown => {
            "Your sign-in is kept; the sign-in service is unreachable or busy: try again in a minute.".into()
        }
        Remedy::NewSignInCode => format!(
            "Press {} to get a new code, and approve it in time.",
            keys.label(KeyCommand::StartSignIn, KeyScope::SignInForm)
        ),
        Remedy::CheckAuthority => format!(
            "Check your network and the cloud chosen here, then press {} to try again.",
            keys.label(KeyCommand::StartSignIn, KeyScope::SignInForm)
        ),
        Remedy::ChooseKeyring => "Start pcsr-tui with PCSR_KEYRING=none for a sign-in that lasts until you quit, \
             or with PCSR_TOKEN set."
            .into(),
        Remedy::FixSetting => "Fix the setting named above, then restart pcsr-tui.".into(),
        Remedy::ChooseCloud { clouds } => format!("Choose one of its clouds: {}.", clouds.join(", ")),
        Remedy::QuoteIds => "Quote the ids above if you contact support.".into(),
        Remedy::CheckDataDir => {
            "Check that the data directory (PCSR_DATA_DIR / --data-dir) is writable, then try again.".into()
        }
    }
}

/// What to do after a severity change was refused: the same remedies, in a change's terms
/// (`service` holds the ticket; its sign-in is made with its own command).
pub fn severity_next_step(remedy: &Remedy, keys: &Keymap, service: crate::domain::Service) -> String {
    let note = keys.label(KeyCommand::AddNote, KeyScope::Details);
    let send = keys.label(KeyCommand::ChooseSeverity, KeyScope::SeverityPicker);
    match remedy {
        // The service said no to this change (an engineer works the ticket, a phone number is
        // missing): its words above say why; support can still be asked.
        Remedy::FixInput => format!(
            "Ask support for the change in a note ({note} on the details), or pick another severity and press {send}."
        ),
        // The sign-in key of the app signs in to the default service; a session's own sign-in
        // is made by the command for its service.
        Remedy::SignIn | Remedy::SignInThenResend => format!(
            "Sign in again: quit, run `pcsr-tui login --backend {}`, and start again (or set PCSR_TOKEN).",
            service.as_str()
        ),
        // No outbox here: setting a severity twice sets it once, so sending again is safe.
        Remedy::ResendOutbox | Remedy::AcceptedUnread => format!(
            "It may have changed all the same: press {} on the details to see, or {send} to send it again.",
            keys.label(KeyCommand::Refresh, KeyScope::Details)
        ),
        other => remedy_text(other, keys),
    }
}

/// A failure as one or two sentences, for a line of text: what happened, then what to do.
pub fn sentence(failure: &Failure, keys: &Keymap) -> String {
    let mut summary = failure.summary.clone();
    if let Some(first) = summary.chars().next() {
        summary.replace_range(..first.len_utf8(), &first.to_uppercase().to_string());
    }
    format!(
        "{}. {}",
        summary.trim_end_matches('.'),
        remedy_text(&failure.remedy, keys)
    )
}

/// The rows of an error panel: the failure's facts, then what to do.
pub fn rows(failure: &Failure, keys: &Keymap) -> Vec<(&'static str, String)> {
    let mut rows = failure.rows();
    rows.push(("What to do", remedy_text(&failure.remedy, keys)));
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::ApiError;
    use crate::api::error::{HttpFailure, RequestIds};

    #[test]
    fn a_refusal_keeps_status_code_ids_and_the_way_forward() {
        let ids = RequestIds::new();
        let body =
            br#"{"code": 3000, "description": "Title is required", "data": [], "source": "PartnerFD"}"#;
        let e = ApiError::Http(Box::new(HttpFailure::from_response(400, body, None, ids)));
        let f = e.failure();
        assert_eq!(f.summary, "HTTP 400 Bad Request");
        assert_eq!(f.code.as_deref(), Some("3000"));
        assert_eq!(f.description.as_deref(), Some("Title is required"));
        assert_eq!(f.request_id, Some(ids.request_id));
        assert_eq!(f.remedy, Remedy::FixInput);
        assert!(!f.needs_sign_in());
    }

    #[test]
    fn unauthorized_points_at_the_sign_in_key_not_at_a_command() {
        let e = ApiError::Http(Box::new(HttpFailure::from_response(
            401,
            b"",
            None,
            RequestIds::new(),
        )));
        let f = e.failure();
        assert!(f.needs_sign_in());
        let keys = Keymap::default();
        let text = remedy_text(&f.remedy, &keys);
        assert!(
            text.contains(&keys.label(KeyCommand::SignIn, KeyScope::Anywhere)),
            "{text}"
        );
        assert!(!text.contains("pcsr-tui"), "{text}");
    }

    #[test]
    fn no_remedy_tells_the_tui_user_to_run_a_command() {
        let keys = Keymap::default();
        let all = [
            Remedy::SignIn,
            Remedy::SignInThenResend,
            Remedy::ResendOutbox,
            Remedy::FixInput,
            Remedy::AcceptedUnread,
            Remedy::Retry {
                after_seconds: Some(5),
            },
            Remedy::Retry { after_seconds: None },
            Remedy::RetryLater,
            Remedy::CheckNetwork,
            Remedy::CheckBaseUrl,
            Remedy::UseHttps,
            Remedy::NeedsPermission,
            Remedy::CheckId,
            Remedy::Reread,
            Remedy::SignInServiceDown,
            Remedy::QuoteIds,
            Remedy::CheckDataDir,
        ];
        for r in &all {
            let text = remedy_text(r, &keys);
            assert!(!text.contains("pcsr-tui "), "{r:?}: {text}");
            assert!(!text.is_empty());
        }
    }

    #[test]
    fn a_transport_summary_leaves_the_ids_to_their_own_lines() {
        let e = ApiError::Transport {
            message: "connection refused".into(),
            timeout: false,
            ids: RequestIds::new(),
        };
        assert_eq!(
            e.failure().summary,
            "could not reach the service: connection refused"
        );
    }
}
