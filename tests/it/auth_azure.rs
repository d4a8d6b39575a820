//! Azure sign-in against the sandbox's OAuth endpoints: one saved sign-in per service and
//! cloud beside Partner Center's, the ARM scope of each cloud on the wire, the clouds a
//! service does not run in refused before anything is sent, an old config.toml still signed
//! in, and CSP tokens from a customer's tenant.

use pcsr_tui::auth::cloud::{ARM_SCOPE_CHINA, ARM_SCOPE_GLOBAL, ARM_SCOPE_USGOV, PARTNER_CENTER_SCOPE};
use pcsr_tui::auth::{AuthError, Cloud, Config, LoginOptions, LoginOutcome, SecretKey};
use pcsr_tui::domain::{Remedy, Service};
use pcsr_tui::sandbox::oauth::{Grant, OAuthScript, SANDBOX_USER, TokenRequest};

use crate::auth::Rig;

async fn login(
    rig: &Rig,
    service: Service,
    cloud: Option<Cloud>,
    tenant: Option<&str>,
) -> Result<LoginOutcome, AuthError> {
    let opts = LoginOptions {
        cloud,
        tenant: tenant.map(str::to_string),
        ..LoginOptions::default()
    };
    let mut out = Vec::new();
    pcsr_tui::auth::login(&rig.env(), service, &opts, &mut out, false).await
}

fn grant(rig: &Rig, access_token: &str) -> Grant {
    rig.state
        .grant(access_token)
        .expect("the sandbox issued this token")
}

#[tokio::test]
async fn an_azure_sign_in_is_saved_beside_partner_centers_and_both_work_afterwards() {
    let rig = Rig::new(OAuthScript::default()).await;
    let pc = rig.login().await;
    let azure = login(&rig, Service::Azure, None, Some("contoso.onmicrosoft.com"))
        .await
        .unwrap();
    assert_eq!(azure.profile.name, "azure");
    assert!(
        azure
            .to_string()
            .contains("Signed in as admin@contoso-sandbox.example (Sandbox Admin) to Azure (global)"),
        "{azure}"
    );

    // config.toml: Partner Center's profile is still there and still the active one.
    let config = Config::load(rig.dir.path()).unwrap();
    assert_eq!(config.active_name(), "default");
    let pc_profile = config.profile("default").unwrap();
    assert_eq!(
        (pc_profile.service, pc_profile.is_signed_in()),
        (Service::PartnerCenter, true)
    );
    let azure_profile = config.profile("azure").unwrap();
    assert_eq!(
        (
            azure_profile.service,
            azure_profile.cloud,
            azure_profile.tenant.as_str(),
            azure_profile.is_signed_in()
        ),
        (Service::Azure, Cloud::Global, "contoso.onmicrosoft.com", true)
    );
    // Two keyring entries; Partner Center's under the key it always had.
    let azure_key = SecretKey::for_service(
        Service::Azure,
        Cloud::Global,
        "contoso.onmicrosoft.com",
        SANDBOX_USER,
    );
    assert_eq!(
        azure_key.as_str(),
        "azure/global/contoso.onmicrosoft.com/admin@contoso-sandbox.example"
    );
    let pc_secret = rig
        .store
        .get(&rig.key())
        .unwrap()
        .expect("Partner Center's refresh token");
    let azure_secret = rig.store.get(&azure_key).unwrap().expect("Azure's refresh token");
    assert_ne!(pc_secret, azure_secret);
    drop((pc, azure));

    // A later process finds each service's sign-in and each gets tokens for its own resource.
    let env = rig.env();
    let pc = pcsr_tui::auth::signed_in_provider(&env, Service::PartnerCenter, None, None)
        .unwrap()
        .expect("Partner Center signed in");
    let azure = pcsr_tui::auth::signed_in_provider(&env, Service::Azure, None, None)
        .unwrap()
        .expect("Azure signed in");
    assert_eq!(
        (pc.profile.name.as_str(), azure.profile.name.as_str()),
        ("default", "azure")
    );
    let pc_token = pc.token_provider().token(false).await.unwrap();
    let azure_token = azure.token_provider().token(false).await.unwrap();
    assert!(rig.state.accepts(&pc_token) && rig.state.accepts(&azure_token));
    assert_eq!(grant(&rig, &pc_token).scope, PARTNER_CENTER_SCOPE);
    assert_eq!(
        grant(&rig, &azure_token),
        Grant {
            tenant: "contoso.onmicrosoft.com".into(),
            scope: ARM_SCOPE_GLOBAL.into()
        }
    );

    // status lists both; logging out of Azure leaves Partner Center signed in.
    let all = pcsr_tui::auth::status_all(&env).await.unwrap();
    let lines: Vec<String> = all.iter().map(|r| r.summary_line()).collect();
    assert_eq!(
        lines,
        [
            "Partner Center in global: admin@contoso-sandbox.example (profile default)",
            "Azure in global: admin@contoso-sandbox.example (profile azure)"
        ]
    );
    assert!(all.iter().all(|r| r.secret_present == Some(true)), "{all:?}");
    let status = pcsr_tui::auth::status(&env, Service::Azure, None, None, None)
        .await
        .unwrap();
    assert!(
        status.to_string().contains("Service:  Azure") && !status.active,
        "{status}"
    );
    let report = pcsr_tui::auth::logout(&env, Service::Azure, None, None)
        .await
        .unwrap();
    assert_eq!(report.profile, "azure");
    assert_eq!(rig.store.get(&azure_key).unwrap(), None);
    assert!(
        rig.store.get(&rig.key()).unwrap().is_some(),
        "Partner Center's entry stays"
    );
    assert!(
        pcsr_tui::auth::signed_in_provider(&env, Service::Azure, None, None)
            .unwrap()
            .is_none()
    );
    let still = pcsr_tui::auth::signed_in_provider(&env, Service::PartnerCenter, None, None)
        .unwrap()
        .expect("Partner Center still signed in");
    assert!(
        rig.state
            .accepts(&still.token_provider().token(true).await.unwrap())
    );
}

#[tokio::test]
async fn each_azure_cloud_asks_for_its_own_arm_scope_and_keeps_its_own_sign_in() {
    let rig = Rig::new(OAuthScript::default()).await;
    let table = [
        (Cloud::Global, ARM_SCOPE_GLOBAL, "azure"),
        (Cloud::Usgov, ARM_SCOPE_USGOV, "azure-usgov"),
        (Cloud::China, ARM_SCOPE_CHINA, "azure-china"),
    ];
    for (cloud, scope, name) in table {
        let before = rig.state.requests().len();
        let outcome = login(&rig, Service::Azure, Some(cloud), None).await.unwrap();
        assert_eq!(outcome.profile.name, name);
        outcome.provider.access_token(true).await.unwrap();
        let requests = rig.state.requests()[before..].to_vec();
        let device = requests
            .iter()
            .find(|r| r.endpoint == "devicecode")
            .expect("a device-code request");
        assert_eq!(device.scope.as_deref(), Some(scope), "{cloud}");
        let refresh = requests.last().expect("the refresh");
        assert_eq!(
            refresh,
            &TokenRequest {
                endpoint: "token",
                tenant: "organizations".into(),
                grant_type: Some("refresh_token".into()),
                scope: Some(scope.into()),
            },
            "{cloud}"
        );
        // The polls carry no scope (the device code stands for it), as AAD expects.
        assert!(
            requests
                .iter()
                .filter(|r| r.grant_type.as_deref() == Some("urn:ietf:params:oauth:grant-type:device_code"))
                .all(|r| r.scope.is_none())
        );
    }
    let env = rig.env();
    for (cloud, scope, name) in table {
        let signed_in = pcsr_tui::auth::signed_in_provider(&env, Service::Azure, Some(cloud), None)
            .unwrap()
            .expect("signed in");
        assert_eq!(signed_in.profile.name, name);
        assert_eq!(signed_in.provider.endpoint().scope(), scope);
        let token = signed_in.token_provider().token(false).await.unwrap();
        assert_eq!(grant(&rig, &token).scope, scope, "{cloud}");
        let key = SecretKey::for_service(Service::Azure, cloud, "organizations", SANDBOX_USER);
        assert!(rig.store.get(&key).unwrap().is_some(), "{cloud}'s own entry");
    }
    // Signing in to China again replaces China's sign-in only.
    login(&rig, Service::Azure, Some(Cloud::China), None)
        .await
        .unwrap();
    let config = Config::load(rig.dir.path()).unwrap();
    let names: Vec<&str> = config.profiles.keys().map(String::as_str).collect();
    assert_eq!(names, ["azure", "azure-china", "azure-usgov"]);
    assert_eq!(
        config.active, None,
        "an Azure sign-in never becomes Partner Center's active profile"
    );
}

#[tokio::test]
async fn azure_refuses_germany_and_partner_center_china_before_anything_is_sent() {
    let rig = Rig::new(OAuthScript::default()).await;
    let err = login(&rig, Service::Azure, Some(Cloud::Germany), None)
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "Azure does not run in the germany cloud (it runs in global, usgov and china)"
    );
    assert_eq!(
        err.remedy(),
        Remedy::ChooseCloud {
            clouds: &["global", "usgov", "china"]
        }
    );
    let err = login(&rig, Service::PartnerCenter, Some(Cloud::China), None)
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "Partner Center has no china cloud (it runs in global, germany and usgov)"
    );
    assert_eq!(
        err.remedy(),
        Remedy::ChooseCloud {
            clouds: &["global", "germany", "usgov"]
        }
    );
    assert!(
        rig.state.requests().is_empty(),
        "nothing reached the sign-in service"
    );
    assert!(!Config::path(rig.dir.path()).exists(), "nothing was written");
    let env = rig.env();
    for (service, cloud) in [
        (Service::Azure, Cloud::Germany),
        (Service::PartnerCenter, Cloud::China),
    ] {
        assert!(matches!(
            pcsr_tui::auth::signed_in_provider(&env, service, Some(cloud), None),
            Err(AuthError::UnsupportedCloud { .. })
        ));
        assert!(matches!(
            pcsr_tui::auth::status(&env, service, Some(cloud), None, None).await,
            Err(AuthError::UnsupportedCloud { .. })
        ));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_command_line_refuses_those_clouds_with_the_fact_and_the_clouds_to_use() {
    let home = tempfile::tempdir().unwrap();
    for (args, fact, remedy) in [
        (
            ["--backend", "azure", "--cloud", "germany", "login"],
            "Azure does not run in the germany cloud",
            "Use --cloud global|usgov|china.",
        ),
        (
            ["--backend", "partner-center", "--cloud", "china", "login"],
            "Partner Center has no china cloud",
            "Use --cloud global|germany|usgov.",
        ),
    ] {
        let mut cmd = crate::cli::pcsr(home.path());
        cmd.args(args);
        let out = crate::cli::run(cmd).await;
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains(fact) && stderr.contains(remedy), "{stderr}");
    }
}

#[tokio::test]
async fn a_config_file_from_before_azure_still_signs_in_to_partner_center() {
    let rig = Rig::new(OAuthScript::default()).await;
    // The refresh token an older version saved, under the key it used.
    rig.login().await;
    let old = format!(
        "active = \"work\"\n\n[profiles.work]\ncloud = \"global\"\ntenant = \"organizations\"\nuser = \"{SANDBOX_USER}\"\nsecret_store = \"memory\"\n"
    );
    std::fs::write(Config::path(rig.dir.path()), &old).unwrap();
    let env = rig.env();
    let pc = pcsr_tui::auth::signed_in_provider(&env, Service::PartnerCenter, None, None)
        .unwrap()
        .expect("the old sign-in is found");
    assert_eq!(
        (pc.profile.name.as_str(), pc.profile.service),
        ("work", Service::PartnerCenter)
    );
    let token = pc.token_provider().token(false).await.unwrap();
    assert_eq!(grant(&rig, &token).scope, PARTNER_CENTER_SCOPE);
    assert!(
        pcsr_tui::auth::signed_in_provider(&env, Service::Azure, None, None)
            .unwrap()
            .is_none(),
        "an old Partner Center profile is not an Azure sign-in"
    );
    // Signing in to Azure adds a profile and leaves the old one as it was.
    login(&rig, Service::Azure, None, None).await.unwrap();
    let text = std::fs::read_to_string(Config::path(rig.dir.path())).unwrap();
    let work = &text[text.find("[profiles.work]").expect("still there")..];
    assert!(!work.contains("service"), "{text}");
    assert!(text.contains("active = \"work\""), "{text}");
    pcsr_tui::config::parse(&text, &Config::path(rig.dir.path())).expect("the start check passes");
    assert!(
        pcsr_tui::auth::signed_in_provider(&env, Service::PartnerCenter, None, None)
            .unwrap()
            .is_some()
    );
}

#[tokio::test]
async fn a_customer_provider_redeems_the_sign_in_at_the_customers_tenant() {
    let rig = Rig::new(OAuthScript::default()).await;
    login(
        &rig,
        Service::Azure,
        Some(Cloud::Usgov),
        Some("contoso.onmicrosoft.com"),
    )
    .await
    .unwrap();
    let partner = pcsr_tui::auth::signed_in_provider(&rig.env(), Service::Azure, Some(Cloud::Usgov), None)
        .unwrap()
        .expect("signed in");
    let customer_tenant = "5f2a4c1e-0b3d-4e6f-8a9c-1d2e3f4a5b6c";
    let customer = partner.customer_provider(customer_tenant).unwrap();
    let before = rig.state.requests().len();
    let bearer = customer.access_token(false).await.unwrap();
    assert_eq!(
        rig.state.requests()[before..],
        [TokenRequest {
            endpoint: "token",
            tenant: customer_tenant.into(),
            grant_type: Some("refresh_token".into()),
            scope: Some(ARM_SCOPE_USGOV.into()),
        }]
    );
    assert_eq!(
        grant(&rig, &bearer),
        Grant {
            tenant: customer_tenant.into(),
            scope: ARM_SCOPE_USGOV.into()
        }
    );
    // The partner's own token (the auxiliary one) still comes from the partner's tenant, with
    // the refresh token the customer's redemption rotated and saved.
    let auxiliary = partner.token_provider().token(false).await.unwrap();
    assert_eq!(grant(&rig, &auxiliary).tenant, "contoso.onmicrosoft.com");
    assert!(rig.state.accepts(&bearer) && rig.state.accepts(&auxiliary));
    assert_eq!(rig.state.refresh_count(), 2);
    // And the customer's provider keeps working after the partner's rotated it in turn.
    assert!(rig.state.accepts(&customer.access_token(true).await.unwrap()));

    for alias in ["organizations", "common"] {
        assert!(
            matches!(
                partner.customer_provider(alias),
                Err(AuthError::CustomerTenant(_))
            ),
            "{alias}"
        );
    }
    let err = partner.customer_provider("not a tenant").unwrap_err();
    assert!(matches!(err, AuthError::Tenant(_)), "{err:?}");
    assert_eq!(err.remedy(), Remedy::FixInput);
}

#[tokio::test]
async fn the_sandbox_issues_arm_tokens_and_refuses_resources_it_does_not_know() {
    let rig = Rig::new(OAuthScript::default()).await;
    pcsr_tui::tls::install_provider();
    let http = reqwest::Client::new();
    let devicecode = |scope: &'static str| {
        http.post(format!("{}/organizations/oauth2/v2.0/devicecode", rig.url))
            .form(&[("client_id", "x"), ("scope", scope)])
            .send()
    };
    for scope in [ARM_SCOPE_GLOBAL, ARM_SCOPE_USGOV, ARM_SCOPE_CHINA] {
        let resp = devicecode(scope).await.unwrap();
        assert_eq!(resp.status(), 200, "{scope}");
    }
    let resp = devicecode("https://graph.microsoft.com/.default offline_access")
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["error"], "invalid_scope");
    // A token answer names what it grants, as AAD does for `.default`.
    login(&rig, Service::Azure, Some(Cloud::China), None)
        .await
        .unwrap();
    let key = SecretKey::for_service(Service::Azure, Cloud::China, "organizations", SANDBOX_USER);
    let refresh_token = rig.store.get(&key).unwrap().unwrap();
    let resp = http
        .post(format!("{}/organizations/oauth2/v2.0/token", rig.url))
        .form(&[
            ("grant_type", "refresh_token"),
            ("client_id", "x"),
            ("refresh_token", refresh_token.as_str()),
            ("scope", ARM_SCOPE_CHINA),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(
        body["scope"],
        "https://management.core.chinacloudapi.cn/user_impersonation"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn status_shows_the_chosen_services_sign_in_and_lists_the_others() {
    let home = tempfile::tempdir().unwrap();
    let config_dir = home.path().join("pcsr-config");
    std::fs::create_dir_all(&config_dir).unwrap();
    std::fs::write(
        config_dir.join("config.toml"),
        "active = \"default\"\n\n[profiles.default]\nuser = \"pc@contoso.example\"\nsecret_store = \"keyutils\"\n\n\
         [profiles.azure-china]\nservice = \"azure\"\ncloud = \"china\"\nuser = \"az@contoso.example\"\nsecret_store = \"keyutils\"\n",
    )
    .unwrap();
    let status = |args: &[&str], backend: Option<&str>| {
        let mut cmd = crate::cli::pcsr(home.path());
        cmd.args(args);
        if let Some(backend) = backend {
            cmd.env("PCSR_BACKEND", backend);
        }
        crate::cli::run(cmd)
    };
    let out = status(&["status"], None).await;
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        stdout.contains("Service:  Partner Center") && stdout.contains("User:     pc@contoso.example"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Other sign-ins:\n  Azure in china: az@contoso.example (profile azure-china)"),
        "{stdout}"
    );
    for (args, backend) in [
        (&["--backend", "azure", "status"][..], None),
        (&["status"][..], Some("azure")),
    ] {
        let out = status(args, backend).await;
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(
            stdout.contains("Profile:  azure-china")
                && stdout.contains("Cloud:    china (Azure operated by 21Vianet (China))")
                && stdout.contains(
                    "Other sign-ins:\n  Partner Center in global: pc@contoso.example (profile default)"
                ),
            "{stdout}"
        );
        // PCSR_KEYRING=none here: nothing is read, so commands would run on the sandbox.
        assert!(
            stdout.contains("`pcsr-tui login --backend azure` to use Azure"),
            "{stdout}"
        );
    }
}
