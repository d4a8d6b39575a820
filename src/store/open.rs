//! Opening the database: read-write (creating, switching to WAL, migrating) for commands that
//! write, and read-only (nothing created or written) for those that only read.

use std::path::Path;

use super::{BUSY_TIMEOUT, Result, SCHEMA_VERSION, Store, StoreError, schema};

impl Store {
    /// Opens (creating and migrating) the database at `path`, creating its directory. A
    /// database that cannot be written is [`StoreError::ReadOnly`].
    pub fn open(path: &Path) -> Result<Self> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::Io {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        let read_only = |e: rusqlite::Error| read_only_error(path, e);
        let conn = rusqlite::Connection::open(path).map_err(read_only)?;
        // WAL lets the CLI read history while the TUI writes; the answer is the mode in force.
        let _mode: String = conn
            .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))
            .map_err(read_only)?;
        Self::prepare(conn, Some(path.to_path_buf())).map_err(|e| match e {
            StoreError::Sqlite(e) => read_only_error(path, e),
            other => other,
        })
    }

    /// Opens the database at `path` for reading only: no directory or file is created, no
    /// journal switch or migration runs, so it works on a read-only data directory. `None` when
    /// there is no database yet.
    pub fn open_read_only(path: &Path) -> Result<Option<Self>> {
        use rusqlite::OpenFlags;
        if !path.exists() {
            return Ok(None);
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = rusqlite::Connection::open_with_flags(path, flags)?;
        let found = match schema::version(&conn) {
            Ok(found) => found,
            // A WAL database in a directory where the shared-memory file cannot be created
            // opens only as immutable (nobody can be writing to it there anyway).
            Err(_) => {
                let uri = format!("file:{}?immutable=1", path.display());
                let conn = rusqlite::Connection::open_with_flags(uri, flags | OpenFlags::SQLITE_OPEN_URI)?;
                let found = schema::version(&conn)?;
                return Self::checked_read_only(conn, path, found).map(Some);
            }
        };
        Self::checked_read_only(conn, path, found).map(Some)
    }

    fn checked_read_only(conn: rusqlite::Connection, path: &Path, found: i64) -> Result<Self> {
        if found > SCHEMA_VERSION {
            return Err(StoreError::TooNew {
                path: path.to_path_buf(),
                found,
                supported: SCHEMA_VERSION,
            });
        }
        conn.busy_timeout(BUSY_TIMEOUT)?;
        Ok(Store {
            conn,
            path: Some(path.to_path_buf()),
        })
    }
}

/// Turns SQLite's "readonly" failures into [`StoreError::ReadOnly`], which says what to do.
fn read_only_error(path: &Path, e: rusqlite::Error) -> StoreError {
    let read_only = matches!(
        e.sqlite_error_code(),
        Some(
            rusqlite::ErrorCode::ReadOnly
                | rusqlite::ErrorCode::CannotOpen
                | rusqlite::ErrorCode::PermissionDenied
        )
    );
    if read_only {
        StoreError::ReadOnly {
            path: path.to_path_buf(),
            source: e,
        }
    } else {
        StoreError::Sqlite(e)
    }
}
