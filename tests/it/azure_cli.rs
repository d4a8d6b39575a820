//! The Azure commands as a user runs them, on the built-in sandbox (no token, no sign-in): the
//! design's command block end to end, and the refusals that come before anything is sent.

use std::path::Path;

use serde_json::Value;

use pcsr_tui::sandbox::azure::{FREE_SUBSCRIPTION, PAID_SUBSCRIPTION, VM_CONNECTIVITY_CLASSIFICATION_ID};

use crate::cli::{pcsr, run};

/// A complete contact profile with consent given: what a set-up Azure user has.
pub(crate) const CONTACT: &str = r#"
[azure]
consent = "yes"

[azure.contact]
first_name = "Avery"
last_name = "Sandbox"
email = "avery@contoso.example"
method = "email"
time_zone = "Pacific Standard Time"
country = "USA"
language = "en-US"
"#;

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A home whose config.toml holds `config`.
fn home(config: &str) -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("pcsr-config");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("config.toml"), config).unwrap();
    home
}

async fn azure(home: &Path, args: &[&str]) -> std::process::Output {
    let mut cmd = pcsr(home);
    cmd.arg("--backend").arg("azure").args(args);
    // The long-running create ends at its first poll, so the suite does not wait seconds.
    cmd.env("PCSR_SANDBOX_AZURE_POLLS", "0");
    run(cmd).await
}

async fn ok(home: &Path, args: &[&str]) -> String {
    let out = azure(home, args).await;
    assert!(
        out.status.success(),
        "{args:?}: exit {:?}\n{}",
        out.status.code(),
        text(&out.stderr)
    );
    text(&out.stdout)
}

fn submit_args<'a>(title: &'a str, severity: &'a str) -> Vec<&'a str> {
    vec![
        "submit",
        "--title",
        title,
        "--description",
        "RDP to vm-web-01 times out since 09:00; the NSG allows 3389.",
        "--severity",
        severity,
        "--topic",
        VM_CONNECTIVITY_CLASSIFICATION_ID,
    ]
}

// The first run of the Azure block: every command in design.md's list against the built-in
// sandbox, which the CLI starts itself when there is no token and no sign-in.
#[tokio::test(flavor = "multi_thread")]
async fn the_azure_commands_file_follow_and_close_a_ticket_on_the_built_in_sandbox() {
    let home = home(CONTACT);
    let h = home.path();

    let services = ok(h, &["topics"]).await;
    assert!(services.contains("Virtual Machine running Linux"), "{services}");
    let classifications = ok(h, &["topics", "--service", "Virtual Machine running Linux"]).await;
    assert!(
        classifications.contains(VM_CONNECTIVITY_CLASSIFICATION_ID),
        "{classifications}"
    );
    let every = ok(h, &["topics", "--all", "--json"]).await;
    let every: Value = serde_json::from_str(&every).unwrap();
    let all = every["value"].as_array().unwrap();
    assert!(
        all.len() >= 300,
        "every classification of every service: {}",
        all.len()
    );
    assert!(
        all.iter().any(|t| t["id"] == VM_CONNECTIVITY_CLASSIFICATION_ID
            && t["name"]
                .as_str()
                .unwrap()
                .starts_with("Virtual Machine running Linux / ")),
        "named Service / Classification"
    );

    let mut args = submit_args("Cannot RDP to vm-web-01", "moderate");
    args.push("--json");
    let filed: Value = serde_json::from_str(&ok(h, &args).await).unwrap();
    let name = filed["name"].as_str().unwrap().to_string();
    let number = filed["properties"]["supportTicketId"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(filed["properties"]["title"], "Cannot RDP to vm-web-01");
    assert_eq!(
        filed["properties"]["contactDetails"]["primaryEmailAddress"],
        "avery@contoso.example"
    );
    assert_eq!(filed["properties"]["advancedDiagnosticConsent"], "Yes");
    assert!(
        filed["id"]
            .as_str()
            .unwrap()
            .starts_with(&format!("/subscriptions/{PAID_SUBSCRIPTION}/")),
        "filed under the sandbox's subscription with a plan: {}",
        filed["id"]
    );

    // `show` takes the name, or the number people quote from the local history.
    let shown = ok(h, &["show", &name]).await;
    assert!(
        shown.contains("Cannot RDP to vm-web-01") && shown.contains(&number),
        "{shown}"
    );
    let by_number = ok(h, &["show", &number]).await;
    assert!(by_number.contains(&name), "{by_number}");

    let noted = ok(
        h,
        &[
            "note",
            &name,
            "--text",
            "It also fails from the jump host.\nTraceroute attached.",
        ],
    )
    .await;
    assert!(noted.contains("It also fails from the jump host."), "{noted}");
    let conversation = ok(h, &["show", &name]).await;
    assert!(
        conversation.contains("Re: Cannot RDP to vm-web-01"),
        "the subject defaults to the title: {conversation}"
    );

    // `show --json`: the resource as sent, its conversation beside ARM's own keys.
    let shown: Value = serde_json::from_str(&ok(h, &["show", &name, "--json"]).await).unwrap();
    assert_eq!(shown["properties"]["supportTicketId"], number.as_str());
    let communications = shown["communications"]["value"].as_array().unwrap();
    assert!(
        communications.iter().any(|c| c["properties"]["body"]
            .as_str()
            .is_some_and(|b| b.contains("It also fails from the jump host."))
            && c["properties"]["subject"] == "Re: Cannot RDP to vm-web-01"),
        "{shown}"
    );

    // A name already in use is refused before anything is recorded: a PUT would reach that
    // ticket instead of filing a new one.
    let mut again = submit_args("Same name", "minimal");
    again.extend(["--name", name.as_str()]);
    let out = azure(h, &again).await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("is not free") && stderr.contains("nothing was recorded"),
        "{stderr}"
    );

    let listed: Value = serde_json::from_str(&ok(h, &["list", "--status", "open", "--json"]).await).unwrap();
    assert!(
        listed["value"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["name"] == name.as_str()),
        "{listed}"
    );
    let listed: Value =
        serde_json::from_str(&ok(h, &["list", "--since", "2000-01-01", "--json"]).await).unwrap();
    assert!(!listed["value"].as_array().unwrap().is_empty());

    let updated: Value =
        serde_json::from_str(&ok(h, &["update", &name, "--severity", "minimal", "--json"]).await).unwrap();
    assert!(
        updated["properties"]["severity"]
            .as_str()
            .unwrap()
            .eq_ignore_ascii_case("minimal"),
        "{updated}"
    );

    let subs = ok(h, &["subscriptions"]).await;
    assert!(
        subs.contains(PAID_SUBSCRIPTION) && subs.contains(FREE_SUBSCRIPTION),
        "{subs}"
    );

    let closed: Value = serde_json::from_str(&ok(h, &["close", &name, "--yes", "--json"]).await).unwrap();
    assert_eq!(closed["properties"]["status"], "Closed");

    // The history holds it, marked as Azure's; the outbox is empty.
    let history = ok(h, &["history", "--json"]).await;
    assert!(history.contains(&name), "{history}");
    let history: Value = serde_json::from_str(&history).unwrap();
    assert_eq!(
        history.as_array().map(Vec::len),
        Some(1),
        "the refused --name left no row: {history}"
    );
    let outbox: Value = serde_json::from_str(&ok(h, &["outbox", "--json"]).await).unwrap();
    assert_eq!(outbox, Value::Array(vec![]));
}

// Nothing is recorded or sent until the ticket is complete: the contact profile and consent
// come from config.toml (or --consent), and each missing piece names where to put it.
#[tokio::test(flavor = "multi_thread")]
async fn an_incomplete_azure_submit_names_what_is_missing_before_anything_is_recorded() {
    let home = home("");
    let h = home.path();
    let out = azure(h, &submit_args("No contact yet", "minimal")).await;
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("[azure.contact]") && stderr.contains("config.toml"),
        "{stderr}"
    );

    let without_consent = CONTACT.replace("consent = \"yes\"", "");
    std::fs::write(h.join("pcsr-config").join("config.toml"), without_consent).unwrap();
    let out = azure(h, &submit_args("No consent yet", "minimal")).await;
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("--consent yes"), "{stderr}");
    let mut args = submit_args("Consent on the line", "minimal");
    args.extend(["--consent", "no", "--json"]);
    let filed: Value = serde_json::from_str(&ok(h, &args).await).unwrap();
    assert_eq!(filed["properties"]["advancedDiagnosticConsent"], "No");

    // A Partner Center topic id is not a problem classification.
    let mut args = submit_args("Wrong topic", "minimal");
    args[8] = "32444671";
    let out = azure(h, &args).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("problem classification"),
        "{}",
        text(&out.stderr)
    );

    // Only the first of these was filed; the refusals left nothing behind.
    let history: Value = serde_json::from_str(&ok(h, &["history", "--json"]).await).unwrap();
    assert_eq!(history.as_array().unwrap().len(), 1, "{history}");
}

// The service's own refusal (no technical support on a free subscription) is a clean failure:
// exit 2 with the service's code, nothing kept for a resend.
#[tokio::test(flavor = "multi_thread")]
async fn a_technical_ticket_without_a_support_plan_fails_with_the_services_words() {
    let home = home(CONTACT);
    let h = home.path();
    let mut args = vec!["--subscription", FREE_SUBSCRIPTION];
    args.extend(submit_args("Needs a plan", "moderate"));
    let out = azure(h, &args).await;
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("SupportPlanRequired"), "{stderr}");
    assert!(stderr.contains("not filed"), "{stderr}");
    let outbox: Value = serde_json::from_str(&ok(h, &["outbox", "--json"]).await).unwrap();
    assert!(
        outbox
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["outcome"] != "unknown"),
        "{outbox}"
    );
}

// Flags and clouds of one service are refused for the other, with the way to say it right.
#[tokio::test(flavor = "multi_thread")]
async fn each_service_refuses_the_others_flags_and_clouds() {
    let home = home(CONTACT);
    let h = home.path();
    let mut cmd = pcsr(h);
    cmd.args([
        "submit",
        "--title",
        "t",
        "--description",
        "d",
        "--severity",
        "minimal",
    ])
    .args(["--topic", "32444671", "--name", "mine"]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("--name is for Azure"),
        "{}",
        text(&out.stderr)
    );

    let out = azure(h, &["--cloud", "germany", "topics"]).await;
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("global|usgov|china"), "{stderr}");

    let mut cmd = pcsr(h);
    cmd.args(["subscriptions"]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("--backend azure"),
        "{}",
        text(&out.stderr)
    );
}

// A submit recorded with files whose answer was lost: `outbox resend` files it once and then
// uploads the files it was recorded with; a file gone meanwhile is named with the command that
// uploads it, and the exit says not everything went up.
#[tokio::test(flavor = "multi_thread")]
async fn outbox_resend_uploads_the_files_a_lost_submit_was_recorded_with() {
    use pcsr_tui::domain::{NewTicket, Service, Severity};
    use pcsr_tui::store::{NewSubmission, Store};

    let home = home(CONTACT);
    let h = home.path();
    let notes = h.join("notes.txt");
    std::fs::write(&notes, b"NSG rule 100 allows 3389 from the jump host").unwrap();
    let gone = h.join("gone.log");
    let record = |name: &str, files: &[std::path::PathBuf]| {
        let store = Store::open(&h.join("pcsr-data").join("pcsr.sqlite")).unwrap();
        let request = NewTicket {
            title: format!("Cannot RDP ({name})"),
            description: "Times out since 09:00.".into(),
            severity: Some(Severity::Moderate),
            topic_id: VM_CONNECTIVITY_CLASSIFICATION_ID.into(),
            contact: Some(Box::new(crate::azure_client::contact())),
            diagnostic_consent: Some(true),
            name: Some(name.into()),
            ..NewTicket::default()
        };
        store
            .record_submission(&NewSubmission {
                request_id: uuid::Uuid::new_v4(),
                service: Service::Azure,
                cloud: "sandbox",
                locale: "en-US",
                base_url: "http://127.0.0.1:1",
                request: &request,
                attachments: files,
                subscription: None,
            })
            .unwrap();
    };
    record("pcsr-lost-with-file", std::slice::from_ref(&notes));
    let out = azure(h, &["outbox", "resend"]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("Attached notes.txt") && stderr.contains("pcsr-lost-with-file"),
        "{stderr}"
    );

    record("pcsr-lost-file-gone", std::slice::from_ref(&gone));
    let out = azure(h, &["outbox", "resend"]).await;
    assert_eq!(out.status.code(), Some(1), "filed, but a file did not go up");
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("gone.log") && stderr.contains("pcsr-tui attach --backend azure pcsr-lost-file-gone"),
        "{stderr}"
    );
    assert!(
        text(&out.stdout).contains("created: pcsr-lost-file-gone"),
        "{}",
        text(&out.stdout)
    );
}
