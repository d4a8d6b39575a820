//! Sign-in against the sandbox's OAuth endpoints: the device-code flow's every ending, token
//! refresh (near expiry and after a 401), the keyring entry's life, and no token leaking.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use pcsr_tui::api::{ApiError, Client, ClientConfig};
use pcsr_tui::auth::{
    AuthEnv, AuthError, Clock, Config, DeviceCodeFlow, KeyringChoice, LoginOptions, OAuthEndpoint,
    PollStatus, SecretKey, SecretStore, StoreKind, VirtualClock,
};
use pcsr_tui::domain::Service;
use pcsr_tui::sandbox::oauth::{self, OAuthScript, OAuthState, Outcome, SANDBOX_USER};

/// Serves `router` on 127.0.0.1:0 for the rest of the test; returns its base URL.
pub(crate) async fn serve(router: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await });
    format!("http://{addr}")
}

/// The sandbox's sign-in routes on a port of their own, a virtual clock, an in-memory keyring
/// and a private config directory.
pub(crate) struct Rig {
    pub(crate) state: OAuthState,
    pub(crate) url: String,
    pub(crate) clock: Arc<VirtualClock>,
    pub(crate) store: SecretStore,
    pub(crate) dir: tempfile::TempDir,
}

impl Rig {
    pub(crate) async fn new(script: OAuthScript) -> Rig {
        let state = OAuthState::new(script);
        let url = serve(oauth::router(state.clone())).await;
        Rig {
            state,
            url,
            clock: Arc::new(VirtualClock::new()),
            store: SecretStore::with_store(StoreKind::Memory, keyring_core::mock::Store::new().unwrap()),
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub(crate) fn env(&self) -> AuthEnv {
        AuthEnv::new(self.dir.path())
            .with_authority(self.url.clone())
            .with_clock(self.clock.clone())
            .with_store(self.store.clone())
    }

    fn flow(&self) -> DeviceCodeFlow {
        let authority =
            pcsr_tui::auth::endpoint::resolve_authority(Default::default(), Some(&self.url)).unwrap();
        DeviceCodeFlow::new(OAuthEndpoint::new(authority, "organizations", "").unwrap())
            .with_clock(self.clock.clone())
    }

    pub(crate) fn key(&self) -> SecretKey {
        SecretKey::new(Default::default(), "organizations", SANDBOX_USER)
    }

    pub(crate) async fn login(&self) -> pcsr_tui::auth::LoginOutcome {
        let mut out = Vec::new();
        pcsr_tui::auth::login(
            &self.env(),
            Service::PartnerCenter,
            &LoginOptions::default(),
            &mut out,
            false,
        )
        .await
        .unwrap()
    }
}

fn script(f: impl FnOnce(&mut OAuthScript)) -> OAuthScript {
    let mut s = OAuthScript::default();
    f(&mut s);
    s
}

#[tokio::test]
async fn device_code_flow_waits_out_pending_polls_then_signs_in() {
    let rig = Rig::new(script(|s| s.pending_polls = 2)).await;
    let flow = rig.flow();
    let prompt = flow.start().await.unwrap();
    assert!(prompt.user_code.starts_with("SBX"), "{prompt:?}");
    assert!(prompt.verification_uri.ends_with("/devicelogin"));
    assert_eq!(prompt.interval, Duration::from_secs(1));
    let mut seen = Vec::new();
    let tokens = flow.poll_until_done(&prompt, |s| seen.push(s)).await.unwrap();
    assert_eq!(tokens.user().as_deref(), Some(SANDBOX_USER));
    assert_eq!(tokens.display_name().as_deref(), Some(oauth::SANDBOX_USER_NAME));
    assert!(tokens.refresh_token.is_some());
    assert_eq!(seen.iter().filter(|s| **s == PollStatus::Pending).count(), 2);
    assert_eq!(rig.state.poll_count(), 3);
    // One interval before each of the three polls.
    assert_eq!(rig.clock.sleeps(), vec![Duration::from_secs(1); 3]);
    match seen[0] {
        PollStatus::Waiting { remaining, .. } => {
            assert!(remaining > Duration::from_secs(890), "{remaining:?}")
        }
        other => panic!("first tick should be the countdown, got {other:?}"),
    }
}

#[tokio::test]
async fn slow_down_adds_five_seconds_to_the_interval() {
    let rig = Rig::new(script(|s| {
        s.slow_down_once = true;
        s.pending_polls = 0;
    }))
    .await;
    let flow = rig.flow();
    let prompt = flow.start().await.unwrap();
    let mut seen = Vec::new();
    flow.poll_until_done(&prompt, |s| seen.push(s)).await.unwrap();
    assert!(
        seen.contains(&PollStatus::SlowDown {
            interval: Duration::from_secs(6)
        }),
        "{seen:?}"
    );
    let waited: Duration = rig.clock.sleeps().iter().sum();
    assert_eq!(waited, Duration::from_secs(1 + 6));
}

#[tokio::test]
async fn expired_code_ends_the_flow_with_a_retry_hint() {
    let rig = Rig::new(script(|s| s.outcome = Outcome::Expire)).await;
    let flow = rig.flow();
    let prompt = flow.start().await.unwrap();
    let err = flow.poll_until_done(&prompt, |_| {}).await.unwrap_err();
    assert!(matches!(err, AuthError::CodeExpired), "{err:?}");
    assert_eq!(err.remedy(), pcsr_tui::domain::Remedy::NewSignInCode);
    assert!(
        !err.to_string().contains("pcsr-tui"),
        "the UI words the remedy: {err}"
    );
}

#[tokio::test]
async fn the_countdown_gives_up_when_the_code_runs_out_locally() {
    let rig = Rig::new(script(|s| {
        s.pending_polls = u32::MAX;
        s.code_lifetime_secs = 5;
    }))
    .await;
    let flow = rig.flow();
    let prompt = flow.start().await.unwrap();
    let err = flow.poll_until_done(&prompt, |_| {}).await.unwrap_err();
    assert!(matches!(err, AuthError::CodeExpired), "{err:?}");
    assert!(rig.state.poll_count() <= 5);
}

#[tokio::test]
async fn declined_sign_in_is_reported_as_such() {
    let rig = Rig::new(script(|s| s.outcome = Outcome::Deny)).await;
    let flow = rig.flow();
    let prompt = flow.start().await.unwrap();
    let err = flow.poll_until_done(&prompt, |_| {}).await.unwrap_err();
    assert!(matches!(err, AuthError::Declined), "{err:?}");
    assert!(err.to_string().contains("declined"), "{err}");
}

#[tokio::test]
async fn login_saves_only_the_refresh_token_and_the_profile() {
    let rig = Rig::new(script(|s| s.numbers_as_strings = true)).await;
    let outcome = rig.login().await;
    assert_eq!(outcome.user, SANDBOX_USER);
    assert_eq!(outcome.stored_in, Some(StoreKind::Memory));
    let lifetime = outcome.expires_at - rig.clock.now();
    assert!(
        lifetime > time::Duration::seconds(3500),
        "string expires_in was read: {lifetime}"
    );
    let saved = rig
        .store
        .get(&rig.key())
        .unwrap()
        .expect("refresh token in the keyring");
    assert!(saved.starts_with("sandbox-rt-"));
    let config = Config::load(rig.dir.path()).unwrap();
    let profile = config.active_profile().unwrap();
    assert_eq!(profile.user.as_deref(), Some(SANDBOX_USER));
    assert_eq!(profile.secret_store, Some(StoreKind::Memory));
    let status = pcsr_tui::auth::status(
        &rig.env(),
        Service::PartnerCenter,
        None,
        None,
        Some(&outcome.provider),
    )
    .await
    .unwrap();
    assert_eq!(status.secret_present, Some(true));
    assert!(status.access_token_expires_at.is_some());
    let shown = status.to_string();
    assert!(
        shown.contains(SANDBOX_USER) && shown.contains("holds the refresh token"),
        "{shown}"
    );
}

#[tokio::test]
async fn provider_refreshes_within_thirty_seconds_of_expiry_and_stores_the_rotated_token() {
    let rig = Rig::new(OAuthScript::default()).await;
    let outcome = rig.login().await;
    let provider = outcome.token_provider();
    let first = provider.token(false).await.unwrap();
    assert_eq!(
        provider.token(false).await.unwrap(),
        first,
        "a fresh token is reused"
    );
    assert_eq!(rig.state.refresh_count(), 0);
    let before = rig.store.get(&rig.key()).unwrap().unwrap();
    // 3600 s lifetime: at 3571 s the token is within the 30 s margin.
    rig.clock.advance(Duration::from_secs(3571));
    let second = provider.token(false).await.unwrap();
    assert_ne!(second, first);
    assert_eq!(rig.state.refresh_count(), 1);
    assert!(rig.state.accepts(&second));
    let after = rig.store.get(&rig.key()).unwrap().unwrap();
    assert_ne!(after, before, "the rotated refresh token replaced the old one");
    // The sandbox revoked the old one on rotation, so only the stored one can refresh again.
    assert!(provider.token(true).await.is_ok());
}

/// A one-route API that accepts only tokens the sandbox authority issued and still honours.
fn api(state: OAuthState) -> axum::Router {
    use axum::http::{HeaderMap, StatusCode};
    axum::Router::new().route(
        "/v1/servicerequests/supporttopics",
        axum::routing::get(move |headers: HeaderMap| {
            let state = state.clone();
            async move {
                let token = headers
                    .get("authorization")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.strip_prefix("Bearer "))
                    .unwrap_or("");
                if state.accepts(token) {
                    (
                        StatusCode::OK,
                        r#"{"totalCount":0,"items":[],"attributes":{"objectType":"Collection"}}"#,
                    )
                } else {
                    (
                        StatusCode::UNAUTHORIZED,
                        r#"{"code":800001,"description":"Partner token missing"}"#,
                    )
                }
            }
        }),
    )
}

#[tokio::test]
async fn a_401_refreshes_the_token_once_and_the_call_succeeds() {
    let rig = Rig::new(OAuthScript::default()).await;
    let outcome = rig.login().await;
    let base = serve(api(rig.state.clone())).await;
    let client = Client::new(ClientConfig::new(&base).unwrap(), outcome.token_provider()).unwrap();
    client.topics().await.unwrap();
    assert_eq!(rig.state.refresh_count(), 0);
    rig.state.expire_access_tokens();
    client.topics().await.expect("the forced refresh cured the 401");
    assert_eq!(rig.state.refresh_count(), 1);
}

#[tokio::test]
async fn a_refused_refresh_asks_to_sign_in_again_with_exit_code_3() {
    let rig = Rig::new(OAuthScript::default()).await;
    let outcome = rig.login().await;
    let base = serve(api(rig.state.clone())).await;
    let client = Client::new(ClientConfig::new(&base).unwrap(), outcome.token_provider()).unwrap();
    rig.state.revoke_refresh_tokens();
    rig.state.expire_access_tokens();
    let err = client.topics().await.unwrap_err();
    assert!(matches!(err, ApiError::SignIn(_)), "{err:?}");
    assert_eq!(err.exit_code(), 3);
    let shown = err.to_string();
    assert!(
        err.remedy() == pcsr_tui::domain::Remedy::SignIn && shown.contains("invalid_grant"),
        "{shown}"
    );
    let direct = outcome.provider.access_token(true).await.unwrap_err();
    assert!(
        direct.needs_sign_in() && direct.remedy() == pcsr_tui::domain::Remedy::SignIn,
        "{direct}"
    );
}

// What a later process has of a sign-in is what was saved: the profile in config.toml and the
// refresh token in the keyring (a second process cannot share this test's in-memory keyring;
// `login_e2e` does that with keyutils where the kernel allows). So: drop the first session,
// rebuild the provider from those two alone, and check it holds nothing of the first session.
#[tokio::test]
async fn a_provider_rebuilt_from_the_saved_state_refreshes_and_the_first_sessions_tokens_are_refused() {
    let rig = Rig::new(OAuthScript::default()).await;
    let outcome = rig.login().await;
    let first_access = outcome.token_provider().token(false).await.unwrap();
    let first_refresh = rig
        .store
        .get(&rig.key())
        .unwrap()
        .expect("the refresh token is saved");
    drop(outcome);
    let refreshes = rig.state.refresh_count();

    let fresh = pcsr_tui::auth::signed_in_provider(&rig.env(), Service::PartnerCenter, None, None)
        .unwrap()
        .expect("signed in");
    assert_eq!(fresh.profile.user.as_deref(), Some(SANDBOX_USER));
    assert!(
        fresh.provider.access_expires_at().is_none(),
        "no access token carried over"
    );
    let token = fresh.token_provider().token(false).await.unwrap();
    assert_ne!(token, first_access, "a new access token, not the first session's");
    assert!(rig.state.accepts(&token));
    assert_eq!(
        rig.state.refresh_count(),
        refreshes + 1,
        "got it with the saved refresh token"
    );
    let rotated = rig.store.get(&rig.key()).unwrap().expect("still signed in");
    assert_ne!(rotated, first_refresh, "the rotated refresh token is saved");

    // The first session's tokens no longer work: its access token once expired, its refresh
    // token after the rotation. A provider given that stale refresh token is refused.
    rig.state.expire_access_tokens();
    assert!(!rig.state.accepts(&first_access));
    rig.store.set(&rig.key(), &first_refresh).unwrap();
    let stale = pcsr_tui::auth::signed_in_provider(&rig.env(), Service::PartnerCenter, None, None)
        .unwrap()
        .unwrap();
    let err = stale.provider.access_token(false).await.unwrap_err();
    assert!(
        err.needs_sign_in() && err.to_string().contains("invalid_grant"),
        "{err}"
    );

    // A secret gone from the keyring asks to sign in again.
    rig.store.delete(&rig.key()).unwrap();
    let again = pcsr_tui::auth::signed_in_provider(&rig.env(), Service::PartnerCenter, None, None)
        .unwrap()
        .unwrap();
    let err = again.provider.access_token(false).await.unwrap_err();
    assert!(
        err.to_string().contains("no longer in the") && err.remedy() == pcsr_tui::domain::Remedy::SignIn,
        "{err}"
    );
}

#[tokio::test]
async fn logout_removes_the_secret_and_the_signed_in_user() {
    let rig = Rig::new(OAuthScript::default()).await;
    rig.login().await;
    let report = pcsr_tui::auth::logout(&rig.env(), Service::PartnerCenter, None, None)
        .await
        .unwrap();
    assert_eq!(report.removed_from, Some(StoreKind::Memory));
    assert!(
        report.to_string().contains("removed the refresh token"),
        "{report}"
    );
    assert_eq!(rig.store.get(&rig.key()).unwrap(), None);
    let profile = Config::load(rig.dir.path()).unwrap().active_profile().unwrap();
    assert_eq!((profile.user, profile.secret_store), (None, None));
    assert!(
        pcsr_tui::auth::signed_in_provider(&rig.env(), Service::PartnerCenter, None, None)
            .unwrap()
            .is_none()
    );
    let again = pcsr_tui::auth::logout(&rig.env(), Service::PartnerCenter, None, None)
        .await
        .unwrap();
    assert!(again.to_string().starts_with("Nothing to remove"), "{again}");
}

#[tokio::test]
async fn keyring_none_signs_in_for_the_session_only() {
    let rig = Rig::new(OAuthScript::default()).await;
    let mut env = rig.env();
    env.keyring = KeyringChoice::None;
    let mut out = Vec::new();
    let outcome = pcsr_tui::auth::login(
        &env,
        Service::PartnerCenter,
        &LoginOptions::default(),
        &mut out,
        false,
    )
    .await
    .unwrap();
    assert_eq!(outcome.stored_in, None);
    assert!(outcome.to_string().contains("PCSR_KEYRING=none"), "{outcome}");
    assert!(outcome.token_provider().token(false).await.is_ok());
    assert_eq!(rig.store.get(&rig.key()).unwrap(), None, "nothing in the keyring");
    assert!(
        pcsr_tui::auth::signed_in_provider(&env, Service::PartnerCenter, None, None)
            .unwrap()
            .is_none()
    );
    assert!(
        !Config::path(rig.dir.path()).exists(),
        "a session-only sign-in writes no config"
    );
}

#[tokio::test]
async fn the_sandbox_refuses_unknown_tenants_and_grants_like_aad() {
    let rig = Rig::new(OAuthScript::default()).await;
    pcsr_tui::tls::install_provider();
    let http = reqwest::Client::new();
    let resp = http
        .post(format!("{}/not_a_tenant/oauth2/v2.0/devicecode", rig.url))
        .form(&[("client_id", "x"), ("scope", "y")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["error"], "invalid_request");
    let resp = http
        .post(format!("{}/common/oauth2/v2.0/token", rig.url))
        .form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", "sandbox-rt-unknown"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["error"], "invalid_grant");
}

/// Shared buffer for captured tracing output.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn no_token_appears_in_config_files_output_or_logs() {
    let logs = Capture::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    // Process-wide, not per thread: a thread-local subscriber misses what runs on other
    // threads, and call sites that other tests (with no subscriber) cached as unwatched, so the
    // capture came out empty now and then. This is the only test that sets one; other tests'
    // lines land here too, which only adds to what is searched for leaked tokens.
    tracing::subscriber::set_global_default(subscriber)
        .expect("no other test sets the process-wide subscriber");

    let rig = Rig::new(script(|s| s.access_lifetime_secs = 10)).await;
    let env = rig.env();
    let mut out = Vec::new();
    let outcome = pcsr_tui::auth::login(
        &env,
        Service::PartnerCenter,
        &LoginOptions::default(),
        &mut out,
        true,
    )
    .await
    .unwrap();
    // Short-lived token: this refreshes (and rotates) right away, a second refresh after a 401.
    outcome.provider.access_token(false).await.unwrap();
    outcome.provider.access_token(true).await.unwrap();
    writeln!(out, "{outcome} {outcome:?} {:?}", outcome.provider).unwrap();
    let status = pcsr_tui::auth::status(&env, Service::PartnerCenter, None, None, Some(&outcome.provider))
        .await
        .unwrap();
    writeln!(out, "{status}\n{}", serde_json::to_string(&status).unwrap()).unwrap();
    rig.state.revoke_refresh_tokens();
    let err = outcome.provider.access_token(true).await.unwrap_err();
    writeln!(out, "{err} {err:?}").unwrap();
    writeln!(
        out,
        "{}",
        pcsr_tui::auth::logout(&env, Service::PartnerCenter, None, None)
            .await
            .unwrap()
    )
    .unwrap();

    let captured_logs = String::from_utf8_lossy(&logs.0.lock().unwrap()).into_owned();
    // The log capture itself must have seen the sign-in traffic, or "no token in the logs"
    // proves nothing.
    assert!(
        captured_logs.contains("sign-in request") && captured_logs.contains("sign-in answer"),
        "the log capture works: {captured_logs}"
    );
    let mut haystack = String::from_utf8_lossy(&out).into_owned();
    haystack.push_str(&captured_logs);
    for entry in std::fs::read_dir(rig.dir.path()).unwrap() {
        haystack.push_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap());
    }
    assert!(haystack.contains(SANDBOX_USER), "the capture works: {haystack}");
    assert!(haystack.contains("\x1b]52;c;"), "a terminal gets the OSC 52 copy");
    let issued = rig.state.issued_tokens();
    assert!(
        issued.len() >= 6,
        "login + two refreshes issued tokens: {issued:?}"
    );
    for token in issued {
        assert!(!haystack.contains(&token), "token leaked: {token}");
    }
    assert!(!haystack.contains("sandbox-dc-"), "the device code leaked");
}

#[test]
#[ignore = "needs a kernel that grants keyutils keys (many containers refuse); run with --ignored where it does"]
fn the_real_keyutils_store_keeps_a_throwaway_secret_where_the_kernel_allows() {
    let store = SecretStore::open_kind(StoreKind::Keyutils).expect("keyutils store");
    let key = SecretKey::new(
        Default::default(),
        "pcsr-tui-test",
        &format!("{}@test.invalid", uuid::Uuid::new_v4()),
    );
    store
        .set(&key, "throwaway-value")
        .expect("the kernel grants a keyutils key");
    assert_eq!(store.get(&key).unwrap().as_deref(), Some("throwaway-value"));
    assert!(store.delete(&key).unwrap());
    assert_eq!(store.get(&key).unwrap(), None);
}

// A TUI left open holds a refresh token; a CLI command beside it refreshes, the service rotates
// the token and revokes the old one. The TUI's next refresh must use the saved one, not ask to
// sign in again.
#[tokio::test]
async fn a_refresh_token_rotated_by_another_process_is_read_back_before_refreshing() {
    let rig = Rig::new(OAuthScript::default()).await;
    let tui = rig.login().await.token_provider();
    tui.token(false).await.unwrap();
    let before = rig.store.get(&rig.key()).unwrap().unwrap();

    let cli = pcsr_tui::auth::signed_in_provider(&rig.env(), Service::PartnerCenter, None, None)
        .unwrap()
        .expect("signed in");
    cli.token_provider().token(true).await.unwrap();
    let rotated = rig.store.get(&rig.key()).unwrap().unwrap();
    assert_ne!(
        rotated, before,
        "the other process's refresh rotated the saved token"
    );

    let token = tui
        .token(true)
        .await
        .expect("the saved (rotated) refresh token is used, no sign-in asked for");
    assert!(rig.state.accepts(&token));
    assert_eq!(rig.state.refresh_count(), 2);
}
