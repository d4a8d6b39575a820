//! The command line: dispatch to one function per command (the definitions are in `args`).

mod account;
mod args;
mod azure;
mod dates;
mod doctor;
pub mod jq;
mod man;
mod outbox;
mod output;
mod progress;
mod requests;
mod serve;
mod submit;

use std::sync::atomic::{AtomicBool, Ordering};

use clap::CommandFactory;

pub use args::{
    Cli, CliCommand, GlobalArgs, JsonArgs, OutboxAction, OutboxRef, SandboxAction, SubmitArgs, VERSION,
};
pub use output::{is_closed_pipe, print_error};

/// `--quiet` for this run; read where the sandbox notice is printed.
static QUIET: AtomicBool = AtomicBool::new(false);

/// Whether `--quiet` was given.
pub(crate) fn quiet() -> bool {
    QUIET.load(Ordering::Relaxed)
}

/// The service this run speaks, for wording remedies as commands (set once at start).
static SERVICE: std::sync::OnceLock<crate::domain::Service> = std::sync::OnceLock::new();

/// The service this run speaks.
pub(crate) fn service() -> crate::domain::Service {
    SERVICE.get().copied().unwrap_or_default()
}

/// The sign-in command for `service`.
pub(crate) fn login_command(service: crate::domain::Service) -> &'static str {
    match service {
        crate::domain::Service::PartnerCenter => "pcsr-tui login",
        crate::domain::Service::Azure => "pcsr-tui login --backend azure",
    }
}

/// A failure with the exit code README.md gives it.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct Exit {
    /// Process exit code.
    pub code: i32,
    /// What to print (already complete, with the next step).
    pub message: String,
}

impl Exit {
    /// A usage or validation failure (exit 1).
    pub fn usage(message: impl Into<String>) -> Self {
        Exit {
            code: 1,
            message: message.into(),
        }
    }
}

/// A write whose outcome is unknown, kept in the outbox: the message says what is known and
/// `next` names the one way forward (never "try again", which would send it twice). Exit code
/// from `error` (2, or 3 when a sign-in is needed first).
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct Kept {
    /// What became of it.
    pub message: String,
    /// The one thing to do next.
    pub next: String,
    /// What the service (or the network) said.
    #[source]
    pub error: crate::backend::BackendError,
}

/// Refuses an empty service request id before any call is made.
fn request_id(id: &str) -> Result<&str, Exit> {
    let id = id.trim();
    if id.is_empty() {
        return Err(Exit::usage(
            "the service request id is empty: pass an id as shown by `pcsr-tui list` or `pcsr-tui history`",
        ));
    }
    Ok(id)
}

/// Runs a parsed command line; `None` means the TUI.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    // No arguments in the log: they can hold a description or a note.
    tracing::info!(version = env!("CARGO_PKG_VERSION"), "pcsr-tui starting");
    let mut settings = cli.global.settings();
    if cli.command.as_ref().is_none_or(CliCommand::reads_config) {
        // A typo in config.toml stops every command that would act on it, with its line.
        settings.config = crate::config::load_default().map_err(|e| Exit::usage(e.to_string()))?;
        // `[keys]` is checked here too, so a clash stops every command, not only the TUI.
        crate::tui::keys::Keymap::from_config(&settings.config).map_err(|e| Exit::usage(e.to_string()))?;
    }
    QUIET.store(
        cli.global.quiet || settings.config.defaults.quiet,
        Ordering::Relaxed,
    );
    let _ = SERVICE.set(settings.service_or_default());
    if let Some(code) = cli.command.as_ref().and_then(CliCommand::jq) {
        // A syntax error is a usage error found before any network call.
        jq::check(code)?;
        jq::set_filter(code.to_string());
    }
    match cli.command {
        None => requests::tui(&settings).await,
        Some(CliCommand::Topics { service, all, out }) => {
            if settings.service_or_default() == crate::domain::Service::Azure {
                azure::topics_command(&settings, service, all, out.enabled()).await
            } else if service.is_some() || all {
                Err(Exit::usage(
                    "topics: --service and --all are for Azure's two-level catalogue (--backend azure); Partner \
                     Center's topics are one list",
                )
                .into())
            } else {
                requests::topics(&settings, out.enabled()).await
            }
        }
        Some(CliCommand::Submit(mut args)) => {
            args.json |= args.jq.is_some();
            submit::submit(&settings, args).await
        }
        Some(CliCommand::Show { id, customer, out }) => {
            let (settings, customer) = azure::customer(&settings, customer);
            requests::show(&settings, request_id(&id)?, customer, out.enabled()).await
        }
        Some(CliCommand::List {
            status,
            since,
            customer,
            limit,
            all,
            out,
        }) => {
            let limit = if all { usize::MAX } else { limit };
            if since.is_some() && settings.service_or_default() == crate::domain::Service::PartnerCenter {
                return Err(Exit::usage(
                    "list: --since filters Azure's tickets (--backend azure); Partner Center's list has no date filter",
                )
                .into());
            }
            let (settings, customer) = azure::customer(&settings, customer);
            requests::list(&settings, status, since, customer, limit, out.enabled()).await
        }
        Some(CliCommand::Note {
            id,
            text,
            text_file,
            subject,
            customer,
            out,
        }) => {
            let text = match (text, text_file) {
                (Some(text), _) => text,
                (None, Some(path)) => requests::read_text_file(&path, "--text-file", "note")?,
                (None, None) => {
                    return Err(Exit::usage("note: give the text with --text or --text-file").into());
                }
            };
            let (settings, customer) = azure::customer(&settings, customer);
            requests::note(
                &settings,
                request_id(&id)?,
                &text,
                subject,
                customer,
                out.enabled(),
            )
            .await
        }
        Some(CliCommand::Close {
            id,
            customer,
            yes,
            out,
        }) => {
            let (settings, customer) = azure::customer(&settings, customer);
            requests::close(&settings, request_id(&id)?, customer, yes, out.enabled()).await
        }
        Some(CliCommand::Update {
            id,
            severity,
            customer,
            out,
        }) => {
            let (settings, _) = azure::customer(&settings, customer);
            azure::update(&settings, request_id(&id)?, severity, out.enabled()).await
        }
        Some(CliCommand::Attach { id, files, customer }) => {
            let (settings, _) = azure::customer(&settings, customer);
            azure::attach_command(&settings, request_id(&id)?, &files).await
        }
        Some(CliCommand::Subscriptions { out }) => azure::subscriptions(&settings, out.enabled()).await,
        Some(CliCommand::History { out }) => requests::history(&settings, out.enabled()),
        Some(CliCommand::Outbox { action, out }) => match action {
            None => outbox::list(&settings, out.enabled()),
            Some(OutboxAction::Resend { local, out: resend }) => {
                outbox::resend(&settings, &local, out.enabled() || resend.enabled()).await
            }
            Some(OutboxAction::Discard { local, yes }) => outbox::discard(&settings, local, yes),
        },
        Some(CliCommand::Sandbox {
            action:
                SandboxAction::Serve {
                    port,
                    agent_replies,
                    control,
                },
        }) => serve::serve(&settings, port, agent_replies, control).await,
        Some(CliCommand::Login { tenant, client_id }) => {
            account::login(&settings, settings.service_or_default(), tenant, client_id).await
        }
        Some(CliCommand::Logout) => account::logout(&settings, settings.service_or_default()).await,
        Some(CliCommand::Status) => account::status(&settings, settings.service_or_default()).await,
        Some(CliCommand::Doctor { out }) => doctor::doctor(&settings, out.enabled()).await,
        Some(CliCommand::Completions { shell }) => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "pcsr-tui", &mut script);
            output::emit(&String::from_utf8_lossy(&script))
        }
        Some(CliCommand::Man { dir: None }) => {
            // Rendered whole first, so a closed pipe is one quiet write error.
            let mut page = Vec::new();
            man::print(&mut page)?;
            output::emit(&String::from_utf8_lossy(&page))
        }
        Some(CliCommand::Man { dir: Some(dir) }) => man::write_all(&dir),
    }
}
