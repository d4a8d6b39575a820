//! `pcsr-tui submit`: validation (the description limit included) before anything is recorded,
//! then the one outbox service the TUI uses too, and what became of the request in words.

use std::io::Read;
use std::path::Path;

use crate::domain::{DESCRIPTION_MAX_BYTES, Field, NewTicket, Service, human_bytes};
use crate::outbox::{Outbox, SendFailure, SubmitError};
use crate::session::{Session, Settings};
use crate::text::one_line;

use super::requests::{open_session, print_json};
use super::{Exit, SubmitArgs, output};

/// Reads `--description-file`: a path, or `-` for standard input. Refuses one over
/// [`DESCRIPTION_MAX_BYTES`] without reading it whole.
fn read_description(path: &Path) -> anyhow::Result<String> {
    let limit = DESCRIPTION_MAX_BYTES;
    let too_big = |size: String| {
        Exit::usage(format!(
            "cannot submit: the description is {size}; the limit is {} ({limit} bytes). Shorten it, or put long \
             logs somewhere support can reach and link them",
            human_bytes(limit)
        ))
    };
    let mut bytes = Vec::new();
    if path == Path::new("-") {
        std::io::stdin()
            .lock()
            .take(limit as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| Exit::usage(format!("cannot read the description from standard input: {e}")))?;
        if bytes.len() > limit {
            return Err(too_big(format!("more than {}", human_bytes(limit))).into());
        }
    } else {
        let cannot = |e: std::io::Error| {
            Exit::usage(format!("cannot read --description-file {}: {e}", path.display()))
        };
        let file = std::fs::File::open(path).map_err(cannot)?;
        if let Ok(meta) = file.metadata()
            && meta.is_file()
            && meta.len() > limit as u64
        {
            let size = usize::try_from(meta.len()).unwrap_or(usize::MAX);
            return Err(too_big(format!("{} ({size} bytes)", human_bytes(size))).into());
        }
        file.take(limit as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(cannot)?;
        if bytes.len() > limit {
            return Err(too_big(format!("more than {}", human_bytes(limit))).into());
        }
    }
    String::from_utf8(bytes).map_err(|_| {
        Exit::usage(format!(
            "--description-file {}: the description is not UTF-8 text",
            path.display()
        ))
        .into()
    })
}

fn flag_for(field: Field) -> &'static str {
    match field {
        Field::Title => "--title",
        Field::Description => "--description",
        Field::Severity => "--severity",
        Field::Topic => "--topic",
    }
}

/// `pcsr-tui submit`: validates, records the submission, then sends it.
pub async fn submit(settings: &Settings, args: SubmitArgs) -> anyhow::Result<()> {
    let description = match (&args.description, &args.description_file) {
        (Some(d), _) => d.clone(),
        (None, Some(path)) => read_description(path)?,
        (None, None) => String::new(),
    };
    let service = settings.service_or_default();
    let mut request = NewTicket {
        title: args.title.clone().unwrap_or_default(),
        description,
        severity: args.severity,
        topic_id: args.topic.clone().unwrap_or_default().trim().to_string(),
        ..Default::default()
    };
    let errors = request.validate(&service.capabilities());
    if !errors.is_empty() {
        let lines: Vec<String> = errors
            .iter()
            .map(|e| {
                let hint = match e.field {
                    Field::Topic => " (see `pcsr-tui topics`)",
                    _ => "",
                };
                format!("  {}: {}{hint}", flag_for(e.field), e.message)
            })
            .collect();
        return Err(Exit::usage(format!("cannot submit:\n{}", lines.join("\n"))).into());
    }
    let attachments = match service {
        Service::Azure => super::azure::complete_ticket(settings, &args, &mut request)?,
        Service::PartnerCenter => {
            super::azure::refuse_azure_only(&args)?;
            Vec::new()
        }
    };
    let session = open_session(settings).await?;
    if let Some(name) = args.name.as_deref().filter(|_| service == Service::Azure)
        && let Err(e) = super::azure::name_is_free(&session, name.trim()).await
    {
        session.close().await;
        return Err(e);
    }
    let paths: Vec<std::path::PathBuf> = attachments.iter().map(|a| a.path.clone()).collect();
    let result = submit_in(&session, &request, &paths, args.json).await;
    let result = match result {
        Ok(ticket) if !attachments.is_empty() => {
            super::azure::upload_all(&session, &ticket, &attachments).await
        }
        Ok(_) => Ok(()),
        Err(e) => Err(e),
    };
    session.close().await;
    result
}

/// The submit itself, through the one outbox service the TUI uses too; the ticket as filed.
async fn submit_in(
    session: &Session,
    request: &NewTicket,
    attachments: &[std::path::PathBuf],
    json: bool,
) -> anyhow::Result<crate::domain::Ticket> {
    // Opened (and found writable) before anything is recorded or sent.
    let store = session.open_store()?;
    let outbox = Outbox::new(crate::store::StoreExecutor::spawn(store));
    let (client, _progress) = super::progress::attach(&session.client);
    match outbox
        .submit(&client, &session.origin(), request, attachments)
        .await
    {
        Ok(sent) => {
            if let Some(e) = &sent.unrecorded {
                eprintln!(
                    "pcsr-tui: warning: filed, but the answer could not be stored locally ({}); `pcsr-tui show {}` reads it again",
                    one_line(e),
                    one_line(sent.answer.value.id.as_deref().unwrap_or("ID"))
                );
            }
            // Azure's key is the ticket's name, shown as its id already.
            let request_id =
                (session.service() == Service::PartnerCenter).then(|| sent.answer.ids.request_id.to_string());
            if json {
                print_json(&sent.answer.value.as_sent)?;
            } else {
                output::emit(&output::service_request(
                    &sent.answer.value,
                    request_id.as_deref(),
                ))?;
            }
            Ok(sent.answer.value)
        }
        Err(SubmitError::NotRecorded(e)) => {
            Err(anyhow::Error::new(e).context("submit refused; nothing was sent"))
        }
        Err(SubmitError::Send {
            local_id, failure, ..
        }) => Err(explain_send_failure(session.service(), local_id, failure)),
    }
}

/// Says what became of a request whose send did not end `created` (see the outcome rules).
pub(super) fn explain_send_failure(service: Service, local_id: i64, failure: SendFailure) -> anyhow::Error {
    if failure.in_outbox {
        let resend = format!("`pcsr-tui outbox resend {local_id}`");
        let how = match service {
            Service::PartnerCenter => "resends it with the same MS-RequestId",
            Service::Azure => {
                "reads the ticket by its recorded name and sends it again under that name only if it is not there"
            }
        };
        let next = if failure.error.needs_sign_in() {
            format!(
                "Run `{}`, then {resend}: it {how}, so it is never filed twice. Do not submit it again.",
                super::login_command(service)
            )
        } else {
            format!(
                "Do not submit it again: {resend} (or the next start of pcsr-tui on this account) {how}, so it is \
                 never filed twice, and shows its id."
            )
        };
        return super::Kept {
            message: format!(
                "submit outcome unknown: the request may have been filed; it is kept as local #{local_id} in the outbox"
            ),
            next,
            error: failure.error,
        }
        .into();
    }
    anyhow::Error::new(failure.error).context(format!(
        "submit failed: it was not filed; your input is kept as local #{local_id} (see `pcsr-tui outbox`)"
    ))
}
