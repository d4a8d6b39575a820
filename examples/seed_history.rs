//! Bench fixture for benches/user_figures.py: fills the local history of a data dir with N submissions
//! through the real store API, so the TUI's history is measured at a realistic size.
//!
//! `cargo run --release --example seed_history -- DATA_DIR N`

use pcsr_tui::store::Store;

#[path = "../benches/support/history.rs"]
mod support;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let dir = std::path::PathBuf::from(args.next().unwrap_or_else(|| ".".into()));
    let rows: usize = args.next().map_or(Ok(100_000), |n| n.parse())?;
    std::fs::create_dir_all(&dir)?;
    let store = Store::open(&pcsr_tui::session::store_path(&dir))?;
    support::record(&store, rows, "global")?;
    drop(store);
    // A long history is mostly requests the service filed: mark them created in one statement
    // (the store's own API settles one row per transaction), so they are not an outbox of 100k.
    let conn = rusqlite::Connection::open(pcsr_tui::session::store_path(&dir))?;
    conn.execute(
        "UPDATE submissions SET state = 'created', server_id = printf('%d', 616000000000000 + local_id), \
         status = 'open'",
        [],
    )?;
    println!("{rows} submissions in {}", dir.display());
    Ok(())
}
