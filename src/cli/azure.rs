//! The commands and flags only Azure has: the two-level topic tree, the contact profile,
//! consent and attachments of a submit, severity changes, uploads and subscriptions.

use std::path::{Path, PathBuf};

use crate::attachments::Attachment;

use crate::api::Scope;
use crate::backend::Backend;
use crate::domain::{NewTicket, Service, Severity, Ticket, Topic};
use crate::session::{Session, Settings};
use crate::text::one_line;

use super::requests::{open_session, print_json};
use super::{Exit, SubmitArgs, output};

/// How many services' classifications `topics --all` reads at once: enough to hide the
/// round trips, few enough not to be throttled.
const CATALOGUE_CONCURRENCY: usize = 8;

/// A command's `--customer`: Partner Center takes it as the scope of the call; Azure acts for
/// the customer through the sign-in (the customer's token, the partner's as auxiliary).
pub(super) fn customer(settings: &Settings, customer: Option<String>) -> (Settings, Option<String>) {
    let mut settings = settings.clone();
    if settings.service_or_default() == Service::Azure {
        settings.customer = customer.or(settings.customer);
        (settings, None)
    } else {
        (settings, customer)
    }
}

/// Refuses an Azure-only flag of `submit` for Partner Center, before anything is recorded.
pub(super) fn refuse_azure_only(args: &SubmitArgs) -> Result<(), Exit> {
    let given: Vec<&str> = [
        (args.name.is_some(), "--name"),
        (args.consent.is_some(), "--consent"),
        (args.resource_id.is_some(), "--resource-id"),
        (!args.attach.is_empty(), "--attach"),
    ]
    .into_iter()
    .filter_map(|(set, flag)| set.then_some(flag))
    .collect();
    if given.is_empty() {
        return Ok(());
    }
    Err(Exit::usage(format!(
        "submit: {} {} for Azure tickets (--backend azure); Partner Center's create takes none",
        given.join(", "),
        if given.len() == 1 { "is" } else { "are" }
    )))
}

/// The Azure parts of a submit, checked before anything is recorded or sent: the topic is a
/// problem classification, the contact profile from config.toml, consent, the name and the
/// attachments. Returns the files to upload once the ticket is filed.
pub(super) fn complete_ticket(
    settings: &Settings,
    args: &SubmitArgs,
    request: &mut NewTicket,
) -> anyhow::Result<Vec<Attachment>> {
    if crate::azure::mapping::service_id_of(&request.topic_id).is_none() {
        return Err(Exit::usage(format!(
            "cannot submit:\n  --topic: '{}' is not a problem classification id; give the whole id, \
             /providers/Microsoft.Support/services/{{service}}/problemClassifications/{{id}} (see `pcsr-tui \
             topics --backend azure --service NAME`)",
            one_line(&request.topic_id)
        ))
        .into());
    }
    let contact = crate::config::azure_contact(&settings.config, request.severity)
        .map_err(|e| Exit::usage(format!("cannot submit: {e}")))?;
    let consent = args.consent.or(settings.config.azure.consent).ok_or_else(|| {
        Exit::usage(
            "cannot submit: say whether support may collect advanced diagnostic information from the resources \
             concerned: --consent yes or --consent no (or set consent = \"yes\" or \"no\" under [azure] in \
             config.toml)",
        )
    })?;
    request.complete_for_azure(contact, consent);
    if let Some(name) = &args.name {
        check_name(name)?;
        request.name = Some(name.trim().to_string());
    }
    request.resource_id = args
        .resource_id
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_string);
    args.attach.iter().map(|p| read_attachment(p)).collect()
}

/// A ticket name as ARM takes it in a path.
fn check_name(name: &str) -> Result<(), Exit> {
    let name = name.trim();
    let ok = (1..=128).contains(&name.chars().count())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(())
    } else {
        Err(Exit::usage(format!(
            "cannot submit:\n  --name: '{}' is not a ticket name: 1 to 128 letters, digits, '-', '_' or '.'",
            one_line(name)
        )))
    }
}

/// Reads `path` for an upload; a refusal is a usage error (exit 1) naming the path.
fn read_attachment(path: &Path) -> anyhow::Result<Attachment> {
    Attachment::read(path).map_err(|e| Exit::usage(e.to_string()).into())
}

/// `--name N` is asked of the service before anything is recorded: a PUT of a name already
/// in use would reach that ticket instead of filing a new one.
pub(super) async fn name_is_free(session: &Session, name: &str) -> anyhow::Result<()> {
    let check = azure(session)?
        .check_ticket_name(name)
        .await
        .map_err(crate::backend::BackendError::from)?;
    if check.available {
        return Ok(());
    }
    let why = check
        .reason
        .or(check.message)
        .map(|m| format!(" ({})", one_line(&m)))
        .unwrap_or_default();
    Err(Exit::usage(format!(
        "cannot submit: --name '{}' is not free{why}; nothing was recorded or sent. Choose another name, or leave \
         --name out and pcsr-tui picks one; `pcsr-tui show {}` shows the ticket that has it",
        one_line(name),
        one_line(name)
    ))
    .into())
}

/// The Azure client of a session (the commands here exist only for it).
fn azure(session: &Session) -> Result<&crate::azure::AzureClient, Exit> {
    match &session.client {
        Backend::Azure(c) => Ok(c),
        Backend::PartnerCenter(_) => Err(not_azure("this command")),
    }
}

/// Refuses an Azure-only command before a session is opened.
fn azure_only(settings: &Settings, command: &str) -> Result<(), Exit> {
    if settings.service_or_default() == Service::Azure {
        Ok(())
    } else {
        Err(not_azure(command))
    }
}

fn not_azure(command: &str) -> Exit {
    Exit::usage(format!(
        "{command} is for Azure tickets: add --backend azure (or set [defaults] backend = \"azure\")"
    ))
}

/// NAME as the commands take it: a ticket's name, or the supportTicketId of a ticket in the
/// local history (people quote the number; the API wants the name).
pub(super) fn ticket_name(session: &Session, id: &str) -> String {
    if session.service() != Service::Azure || id.is_empty() || !id.chars().all(|c| c.is_ascii_digit()) {
        return id.to_string();
    }
    let found = crate::store::Store::open_read_only(&session.store_path())
        .ok()
        .flatten()
        .and_then(|store| store.server_id_by_number(Service::Azure, id).ok().flatten());
    found.unwrap_or_else(|| id.to_string())
}

/// A note's subject when none is given: the ticket's title, as a reply.
pub(super) async fn default_subject(session: &Session, name: &str) -> anyhow::Result<String> {
    let subject = session.client.default_subject(&Scope::Partner, name).await?;
    Ok(subject.unwrap_or_else(|| format!("Re: ticket {name}")))
}

/// `pcsr-tui topics --backend azure [--service S | --all]`.
pub(super) async fn topics_command(
    settings: &Settings,
    service: Option<String>,
    all: bool,
    json: bool,
) -> anyhow::Result<()> {
    let session = open_session(settings).await?;
    let result = topics(&session, service.as_deref(), all, json).await;
    session.close().await;
    result
}

/// The services; one service's classifications; or every classification.
pub(super) async fn topics(
    session: &Session,
    service: Option<&str>,
    all: bool,
    json: bool,
) -> anyhow::Result<()> {
    let client = azure(session)?;
    let (services, services_sent) = client.services_as_sent().await?;
    if let Some(wanted) = service {
        let found = find_service(&services, wanted).ok_or_else(|| {
            Exit::usage(format!(
                "topics: no Azure service '{}'; `pcsr-tui topics --backend azure` lists them (a name, an id or the \
                 display name)",
                one_line(wanted)
            ))
        })?;
        let (classifications, sent) = client.classifications_as_sent(found).await?;
        return if json {
            print_json(&sent)
        } else {
            output::emit(&catalogue(&classifications, false))
        };
    }
    if !all {
        return if json {
            print_json(&services_sent)
        } else {
            output::emit(&catalogue(&services, false))
        };
    }
    use futures_util::StreamExt as _;
    let mut read = futures_util::stream::iter(services.iter().map(|s| client.classifications(s)))
        .buffered(CATALOGUE_CONCURRENCY);
    let mut every = Vec::new();
    while let Some(page) = read.next().await {
        every.extend(page?);
    }
    if json {
        let value: Vec<serde_json::Value> = every
            .iter()
            .map(|t| {
                serde_json::json!({
                    "id": t.id,
                    "name": t.path(),
                    "serviceId": t.parent_id,
                })
            })
            .collect();
        print_json(&serde_json::json!({ "value": value }))
    } else {
        output::emit(&catalogue(&every, true))
    }
}

/// A service by its name (the id's last part), its id or its display name, any case.
fn find_service<'a>(services: &'a [Topic], wanted: &str) -> Option<&'a Topic> {
    let wanted = wanted.trim();
    services.iter().find(|s| {
        s.id.eq_ignore_ascii_case(wanted)
            || s.id
                .rsplit('/')
                .next()
                .is_some_and(|n| n.eq_ignore_ascii_case(wanted))
            || s.name.eq_ignore_ascii_case(wanted)
    })
}

/// Topics as NAME then ID lines: ARM ids are too long for a column.
fn catalogue(topics: &[Topic], with_parent: bool) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    for t in topics {
        let name = if with_parent { t.path() } else { t.name.clone() };
        let _ = writeln!(out, "{}\n    {}", one_line(&name), one_line(&t.id));
    }
    out
}

/// `pcsr-tui update NAME --severity S`.
pub(super) async fn update(
    settings: &Settings,
    id: &str,
    severity: Severity,
    json: bool,
) -> anyhow::Result<()> {
    azure_only(settings, "update")?;
    if !Service::Azure.capabilities().severities.contains(&severity) {
        return Err(Exit::usage(format!("update: Azure has no severity '{severity}'")).into());
    }
    let session = open_session(settings).await?;
    let name = ticket_name(&session, id);
    let result = session.client.set_severity(&name, severity, None).await;
    let shown = match result {
        Ok(ticket) if json => print_json(&ticket.as_sent),
        Ok(ticket) => output::emit(&output::service_request(&ticket, None)),
        Err(e) => Err(e.into()),
    };
    session.close().await;
    shown
}

/// `pcsr-tui attach NAME FILE...`: every file is read and checked before the first upload.
pub(super) async fn attach_command(settings: &Settings, id: &str, files: &[PathBuf]) -> anyhow::Result<()> {
    azure_only(settings, "attach")?;
    let attachments = files
        .iter()
        .map(|p| read_attachment(p))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let session = open_session(settings).await?;
    let name = ticket_name(&session, id);
    let result = upload(&session, &name, &attachments).await;
    session.close().await;
    result
}

/// Uploads a new ticket's attachments; a failure here leaves the ticket filed.
pub(super) async fn upload_all(
    session: &Session,
    ticket: &Ticket,
    files: &[Attachment],
) -> anyhow::Result<()> {
    let name = ticket.id.clone().unwrap_or_default();
    upload(session, &name, files).await.map_err(|e| {
        e.context(format!(
            "the ticket {} is filed; an attachment was not uploaded: `{}` uploads it",
            one_line(&name),
            crate::attachments::retry_command(&name, None)
        ))
    })
}

async fn upload(session: &Session, ticket: &str, files: &[Attachment]) -> anyhow::Result<()> {
    for file in files {
        let mut bar = super::progress::Bar::new(&file.name);
        let sent = session
            .client
            .attach(ticket, &file.name, &file.bytes, |sent, total| {
                bar.show(sent, total)
            })
            .await;
        bar.done();
        sent?;
        if !super::quiet() {
            eprintln!(
                "Attached {} ({}) to {}.",
                one_line(&file.name),
                crate::domain::human_bytes(file.bytes.len()),
                one_line(ticket)
            );
        }
    }
    Ok(())
}

/// `pcsr-tui subscriptions`.
pub(super) async fn subscriptions(settings: &Settings, json: bool) -> anyhow::Result<()> {
    azure_only(settings, "subscriptions")?;
    let session = open_session(settings).await?;
    let result = match azure(&session) {
        Ok(client) => client.subscriptions_as_sent().await.map_err(anyhow::Error::from),
        Err(e) => Err(e.into()),
    };
    let shown = result.and_then(|(subs, sent)| {
        if json {
            return print_json(&sent);
        }
        if subs.is_empty() {
            return output::emit_line("This sign-in sees no subscriptions: tenant-level tickets only.");
        }
        use std::fmt::Write as _;
        let mut out = format!("{:<36}  {:<10}  NAME\n", "SUBSCRIPTION", "STATE");
        for s in &subs {
            let _ = writeln!(
                out,
                "{:<36}  {:<10}  {}",
                one_line(s.subscription_id.as_deref().unwrap_or("-")),
                one_line(s.state.as_deref().unwrap_or("-")),
                one_line(s.display_name.as_deref().unwrap_or("-"))
            );
        }
        output::emit(&out)
    });
    session.close().await;
    shown
}
