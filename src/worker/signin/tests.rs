//! The worker's sign-in against the in-process sandbox authority, with an in-memory keyring.

use super::*;
use crate::api::{Client, ClientConfig, StaticToken};
use crate::auth::{SecretStore, StoreKind};
use crate::sandbox::oauth::{OAuthScript, Outcome, SANDBOX_USER};
use crate::sandbox::{Sandbox, SandboxOptions};
use crate::store::Store;
use crate::worker::{Job, Origin, Reply, WorkerHandle, spawn};

/// Where no server listens: a client pointed here fails until the sign-in replaces it.
const NOWHERE: &str = "http://127.0.0.1:9";

struct Rig {
    sandbox: Sandbox,
    worker: WorkerHandle,
    config_dir: tempfile::TempDir,
}

/// A sandbox following `script` and a worker whose client points at `start_url` (the sandbox
/// when `None`); the sign-in uses the sandbox's authority and `base_url_override`.
async fn rig(script: OAuthScript, start_url: Option<&str>, use_sandbox_api: bool) -> Rig {
    rig_for(Service::PartnerCenter, None, script, start_url, use_sandbox_api).await
}

/// [`rig`] with the worker talking to `service`, under `subscription` for Azure.
async fn rig_for(
    service: Service,
    subscription: Option<&str>,
    script: OAuthScript,
    start_url: Option<&str>,
    use_sandbox_api: bool,
) -> Rig {
    let config_dir = tempfile::tempdir().unwrap();
    let sandbox = Sandbox::start(SandboxOptions {
        db_path: None,
        bind: "127.0.0.1:0".parse().unwrap(),
    })
    .await
    .unwrap();
    sandbox.oauth().set_script(script);
    if use_sandbox_api {
        // Only the token the sign-in issued gets through: proves which token the worker sends.
        sandbox.require_issued_tokens();
    }
    let url = sandbox.base_url();
    let mock = keyring_core::mock::Store::new().unwrap();
    let env = AuthEnv::new(config_dir.path())
        .with_store(SecretStore::with_store(StoreKind::Memory, mock))
        .with_authority(&url);
    let setup = SignInSetup {
        env: Ok(env),
        base_url_override: use_sandbox_api.then(|| url.clone()),
    };
    let start_url = start_url.unwrap_or(&url);
    let token = Arc::new(StaticToken("before-sign-in".into()));
    let client = Backend::connect(
        service,
        start_url,
        "en-US",
        subscription.map(str::to_string),
        token,
    )
    .unwrap();
    let origin = Origin {
        service,
        cloud: "sandbox".into(),
        locale: "en-US".into(),
        base_url: start_url.to_string(),
    };
    let worker = spawn(client, Store::open_in_memory().unwrap(), origin, setup);
    Rig {
        sandbox,
        worker,
        config_dir,
    }
}

impl Rig {
    fn send(&self, command: Job) {
        self.worker.commands.send(command).unwrap();
    }

    fn start(&self, flow: u64) {
        self.send(Job::SignIn {
            flow,
            cloud: Cloud::Global,
            tenant: "organizations".into(),
        });
    }

    async fn next_sign_in(&mut self) -> SignInReply {
        loop {
            let reply = tokio::time::timeout(Duration::from_secs(20), self.worker.replies.recv())
                .await
                .expect("the worker answers")
                .expect("the worker runs");
            if let Reply::SignIn(r) = reply {
                return r;
            }
        }
    }
}

/// Signs in flow 1 and waits for its end.
impl Rig {
    async fn sign_in_to_the_end(&mut self) -> SignInReply {
        self.start(1);
        loop {
            match self.next_sign_in().await {
                SignInReply::Prompt { .. } | SignInReply::Polled { .. } => continue,
                end => return end,
            }
        }
    }

    async fn next_page(&mut self) -> Result<crate::worker::ServicePage, Failure> {
        self.send(Job::ServicePage {
            seq: 9,
            customer: None,
            uri: None,
        });
        loop {
            match tokio::time::timeout(Duration::from_secs(20), self.worker.replies.recv()).await {
                Ok(Some(Reply::ServicePage { seq: 9, outcome })) => return outcome,
                Ok(Some(_)) => continue,
                other => panic!("no page answer: {other:?}"),
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn signing_in_while_on_azure_signs_in_to_azure_and_keeps_the_subscription() {
    const UNKNOWN: &str = "00000000-0000-0000-0000-0000000000ff";
    let mut rig = rig_for(
        Service::Azure,
        Some(UNKNOWN),
        OAuthScript::default(),
        Some(NOWHERE),
        true,
    )
    .await;
    let SignInReply::Done {
        user, subscription, ..
    } = rig.sign_in_to_the_end().await
    else {
        panic!("the sandbox approves the sign-in")
    };
    assert_eq!(user, SANDBOX_USER);
    assert_eq!(
        subscription.as_deref(),
        Some(UNKNOWN),
        "the user's own subscription is kept"
    );

    // The sandbox takes only the token this sign-in issued, and answers 404 for a subscription it
    // lacks: this answer shows the new client is Azure's, with its token, under the subscription.
    let refused = rig
        .next_page()
        .await
        .expect_err("the subscription the worker had is kept");
    let said = format!("{refused:?}");
    assert!(
        said.contains("SubscriptionNotFound") && said.contains(UNKNOWN),
        "{said}"
    );
    rig.send(Job::UseSubscription(Some(
        crate::sandbox::azure::subscriptions::PAID_SUBSCRIPTION.into(),
    )));
    assert!(
        rig.next_page().await.is_ok(),
        "the Azure sandbox takes the issued token"
    );

    let config = std::fs::read_to_string(rig.config_dir.path().join("config.toml")).unwrap();
    let saved = crate::auth::Config::load(rig.config_dir.path()).unwrap();
    let azure = saved.profile_for(Service::Azure, Some(Cloud::Global));
    assert!(azure.is_some(), "Azure's profile is the one saved:\n{config}");
    assert!(
        saved.profile_for(Service::PartnerCenter, None).is_none(),
        "Partner Center's sign-in is left alone:\n{config}"
    );
    rig.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn leaving_the_sandbox_for_another_endpoint_drops_the_sandboxs_own_subscription() {
    use crate::sandbox::azure::PAID_SUBSCRIPTION;
    // A first run files under the sandbox's subscription; signing in points at another URL.
    let mut rig = rig_for(
        Service::Azure,
        Some(PAID_SUBSCRIPTION),
        OAuthScript::default(),
        Some(NOWHERE),
        true,
    )
    .await;
    let SignInReply::Done { subscription, .. } = rig.sign_in_to_the_end().await else {
        panic!("the sandbox approves the sign-in")
    };
    assert_eq!(
        subscription, None,
        "no real service holds the sandbox's subscription"
    );
    // Tenant level: the sandbox lists tickets there without a 404.
    assert!(rig.next_page().await.is_ok());
    rig.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_worker_signs_in_against_the_sandbox_and_then_uses_the_new_account() {
    let mut rig = rig(OAuthScript::default(), Some(NOWHERE), true).await;
    rig.start(7);
    let SignInReply::Prompt {
        flow: 7, user_code, ..
    } = rig.next_sign_in().await
    else {
        panic!("the prompt comes first")
    };
    assert!(user_code.starts_with("SBX"));
    assert_eq!(
        rig.next_sign_in().await,
        SignInReply::Polled {
            flow: 7,
            slow_down: None
        }
    );
    let SignInReply::Done {
        flow: 7, user, kept, ..
    } = rig.next_sign_in().await
    else {
        panic!("the sandbox approves after one pending poll")
    };
    assert_eq!(user, SANDBOX_USER);
    assert!(kept.contains("in-memory test store"), "{kept}");

    rig.send(Job::LoadTopics);
    let topics = loop {
        match tokio::time::timeout(Duration::from_secs(20), rig.worker.replies.recv()).await {
            Ok(Some(Reply::Topics { topics, .. })) => break Ok(topics),
            Ok(Some(Reply::TopicsFailed(e))) => break Err(e),
            Ok(Some(_)) => continue,
            other => panic!("no topics answer: {other:?}"),
        }
    };
    assert!(topics.expect("the new client reaches the sandbox").len() > 3);
    assert_eq!(
        rig.sandbox.oauth().issued_tokens().len(),
        2,
        "one sign-in, and its access token is used without a refresh"
    );
    assert!(
        rig.config_dir.path().join("config.toml").exists(),
        "the profile is saved"
    );
    rig.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_cancelled_sign_in_stops_polling_and_reports_nothing_more() {
    let mut rig = rig(OAuthScript::default(), None, false).await;
    rig.start(3);
    assert!(matches!(
        rig.next_sign_in().await,
        SignInReply::Prompt { flow: 3, .. }
    ));
    rig.send(Job::CancelSignIn(3));
    let polls = rig.sandbox.oauth().poll_count();
    let late = tokio::time::timeout(Duration::from_millis(2500), rig.next_sign_in()).await;
    assert!(late.is_err(), "nothing after a cancel: {late:?}");
    assert_eq!(rig.sandbox.oauth().poll_count(), polls, "polling stopped");
    assert!(rig.sandbox.oauth().issued_tokens().is_empty());
    rig.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_declined_sign_in_says_so_and_saves_nothing() {
    let script = OAuthScript {
        pending_polls: 0,
        outcome: Outcome::Deny,
        ..Default::default()
    };
    let mut rig = rig(script, None, false).await;
    rig.start(1);
    assert!(matches!(rig.next_sign_in().await, SignInReply::Prompt { .. }));
    let SignInReply::Failed { flow: 1, failure } = rig.next_sign_in().await else {
        panic!("declined")
    };
    assert!(failure.summary.contains("declined"), "{failure:?}");
    assert_eq!(failure.remedy, Remedy::NewSignInCode);
    assert!(
        !rig.config_dir.path().join("config.toml").exists(),
        "nothing was saved"
    );
    rig.sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_tenant_is_reported_before_any_code_is_asked_for() {
    let mut rig = rig(OAuthScript::default(), None, false).await;
    rig.send(Job::SignIn {
        flow: 2,
        cloud: Cloud::Global,
        tenant: "not a tenant".into(),
    });
    let SignInReply::Failed { flow: 2, failure } = rig.next_sign_in().await else {
        panic!("the tenant is refused")
    };
    assert!(failure.summary.contains("is not a tenant"), "{failure:?}");
    assert_eq!(failure.remedy, Remedy::FixInput);
    assert_eq!(rig.sandbox.oauth().poll_count(), 0);
    rig.sandbox.shutdown().await;
}

#[test]
fn failures_carry_the_next_step_as_data_and_no_command() {
    assert_eq!(failure(&AuthError::Declined).remedy, Remedy::NewSignInCode);
    assert_eq!(failure(&AuthError::CodeExpired).remedy, Remedy::NewSignInCode);
    let keyring = failure(&AuthError::NoKeyring {
        tried: "kernel keyutils: denied".into(),
    });
    assert_eq!(keyring.remedy, Remedy::ChooseKeyring);
    assert!(keyring.summary.contains("kernel keyutils: denied"), "{keyring:?}");
    let tenant = failure(&AuthError::Tenant("x y".into()));
    assert!(tenant.summary.contains("organizations"), "{tenant:?}");
    for f in [
        keyring,
        tenant,
        failure(&AuthError::SignInNeeded("signed out".into())),
    ] {
        assert!(!f.summary.contains("pcsr-tui login"), "{f:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_usable_environment_sign_in_explains_itself() {
    let token = Arc::new(StaticToken("t".into()));
    let client = Client::new(ClientConfig::new(NOWHERE).unwrap(), token).unwrap();
    let origin = Origin {
        service: crate::domain::Service::PartnerCenter,
        cloud: "sandbox".into(),
        locale: "en-US".into(),
        base_url: NOWHERE.into(),
    };
    let mut worker = spawn(
        crate::backend::Backend::PartnerCenter(client),
        Store::open_in_memory().unwrap(),
        origin,
        SignInSetup::unavailable(),
    );
    worker
        .commands
        .send(Job::SignIn {
            flow: 1,
            cloud: Cloud::Global,
            tenant: "organizations".into(),
        })
        .unwrap();
    let reply = tokio::time::timeout(Duration::from_secs(5), worker.replies.recv()).await;
    let Ok(Some(Reply::SignIn(SignInReply::Failed { failure, .. }))) = reply else {
        panic!("a failure is reported: {reply:?}")
    };
    assert!(
        failure.summary.starts_with("sign-in is not available"),
        "{failure:?}"
    );
    assert_eq!(failure.remedy, Remedy::FixSetting);
}
