//! `pcsr-tui sandbox serve`: the emulator as a standalone HTTP server.

use std::net::SocketAddr;
use std::time::Duration;

use crate::sandbox::{SANDBOX_TOKEN, Sandbox, SandboxOptions};
use crate::session::{Settings, resolve_data_dir, sandbox_db_path};

/// Serves the sandbox on 127.0.0.1:`port` until Ctrl+C or SIGTERM; with `agent_replies`, a
/// support agent answers each new request after that delay; with `control`, the `/_sandbox/*`
/// routes answer too.
pub async fn serve(
    settings: &Settings,
    port: u16,
    agent_replies: Option<Duration>,
    control: bool,
) -> anyhow::Result<()> {
    let data_dir = resolve_data_dir(settings.data_dir.as_deref())?;
    std::fs::create_dir_all(&data_dir)
        .map_err(|e| anyhow::anyhow!("cannot create the data directory {}: {e}", data_dir.display()))?;
    let sandbox = Sandbox::start(SandboxOptions {
        db_path: Some(sandbox_db_path(&data_dir)),
        bind: SocketAddr::from(([127, 0, 0, 1], port)),
    })
    .await?;
    sandbox.set_agent_replies(agent_replies);
    let sandbox = if control {
        sandbox.with_control_routes()
    } else {
        sandbox
    };
    // The first line is machine-readable on purpose: scripts read the URL from it.
    super::output::emit_line(&sandbox.base_url())?;
    eprintln!(
        "pcsr-tui sandbox listening on {} (state in {}). Any bearer token works, e.g.\n  \
         PCSR_BASE_URL={} PCSR_TOKEN={SANDBOX_TOKEN} pcsr-tui topics\nPress Ctrl+C to stop.",
        sandbox.base_url(),
        sandbox_db_path(&data_dir).display(),
        sandbox.base_url()
    );
    if let Some(delay) = agent_replies {
        eprintln!(
            "A support agent answers each new request after {:.1} s (a note; status attention needed).",
            delay.as_secs_f64()
        );
    }
    if control {
        eprintln!(
            "Control routes are on: POST {0}/_sandbox/faults, {0}/_sandbox/servicerequests, \
             {0}/_sandbox/customers/TENANT/servicerequests.",
            sandbox.base_url()
        );
    }
    eprintln!(
        "Customer requests are seeded for tenants {}.",
        Sandbox::seeded_customers().join(" and ")
    );
    wait_for_shutdown().await;
    sandbox.shutdown().await;
    eprintln!("pcsr-tui sandbox stopped.");
    Ok(())
}

async fn wait_for_shutdown() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
