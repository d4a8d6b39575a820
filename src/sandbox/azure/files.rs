//! Attachments: a file workspace, files declared in it (`fileSize`, `chunkSize`,
//! `numberOfChunks`), and their chunks uploaded as base64 (`POST .../upload`). The limits are
//! those `az support` enforces: 1 byte to 5 MiB, a name of at most 110 characters, no
//! executable types; and the Swagger's: chunks of at most 2.5 MiB, at most 2 of them.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use serde_json::{Value, json};

use super::arm::{ArmError, json_response, printable};
use super::store::{self, Put, Row};
use super::subscriptions::TicketScope;
use super::validate;
use crate::sandbox::clock;
use crate::sandbox::state::SandboxState;

/// Largest file the service takes.
pub const MAX_FILE_SIZE: u64 = 5 * 1024 * 1024;
/// Longest file name.
pub const MAX_NAME_CHARS: usize = 110;
/// Largest chunk: the Swagger's `chunkSize` "must not exceed 2.5 megabytes (MB)".
pub const MAX_CHUNK_SIZE: u64 = 2_621_440;
/// Most chunks: the Swagger's "The maximum number of allowed chunks is 2".
pub const MAX_CHUNKS: u64 = 2;
/// Largest upload body taken: a chunk of [`MAX_CHUNK_SIZE`] is 3.5 MB as base64, over axum's
/// default limit of 2 MB for a body.
pub const MAX_UPLOAD_BODY: usize = 4 * 1024 * 1024;
const BLOCKED: &[&str] = &[
    "bat", "cmd", "com", "cpl", "dll", "exe", "js", "jse", "msi", "msp", "ps1", "psm1", "scr", "vb", "vbe",
    "vbs", "wsf",
];

fn workspace_id(scope: &TicketScope, ws: &str) -> String {
    format!("{}/fileWorkspaces/{ws}", scope.provider())
}

fn workspace_key(scope: &TicketScope, ws: &str) -> String {
    workspace_id(scope, ws).to_ascii_lowercase()
}

fn file_key(scope: &TicketScope, ws: &str, file: &str) -> String {
    format!("{}/files/{file}", workspace_key(scope, ws)).to_ascii_lowercase()
}

/// `PUT .../fileWorkspaces/{ws}`: 201 when new, 200 with the same workspace after.
pub async fn put_workspace(
    state: &SandboxState,
    scope: TicketScope,
    ws: String,
) -> Result<Response, ArmError> {
    validate::name(&ws, "fileWorkspaceName")?;
    let now = time::OffsetDateTime::now_utc();
    let resource = json!({
        "id": workspace_id(&scope, &ws),
        "name": ws,
        "type": "Microsoft.Support/fileWorkspaces",
        "properties": {
            "createdOn": clock::iso(now),
            "expirationTime": clock::iso(now + time::Duration::days(1)),
        }
    });
    let (k, parent) = (workspace_key(&scope, &ws), scope.prefix().to_ascii_lowercase());
    let put = super::routes::db(state, move |db| {
        store::put_once(
            db,
            &Row {
                key: &k,
                kind: "workspace",
                parent: &parent,
                fingerprint: &Value::Null,
                reply_due: None,
            },
            || resource,
        )
    })
    .await?;
    Ok(match put {
        Put::New(w) => json_response(StatusCode::CREATED, &w),
        Put::Same(w) | Put::Other(w) => json_response(StatusCode::OK, &w),
    })
}

async fn workspace(state: &SandboxState, scope: &TicketScope, ws: &str) -> Result<Value, ArmError> {
    let k = workspace_key(scope, ws);
    super::routes::db(state, move |db| store::get(db, &k))
        .await?
        .ok_or_else(|| ArmError::not_found("Microsoft.Support/fileWorkspaces", ws))
}

/// `GET .../fileWorkspaces/{ws}`.
pub async fn get_workspace(
    state: &SandboxState,
    scope: TicketScope,
    ws: String,
) -> Result<Response, ArmError> {
    Ok(json_response(
        StatusCode::OK,
        &workspace(state, &scope, &ws).await?,
    ))
}

fn whole(props: &serde_json::Map<String, Value>, key: &str) -> Result<u64, ArmError> {
    props
        .get(key)
        .and_then(Value::as_u64)
        .filter(|n| *n > 0)
        .ok_or_else(|| {
            ArmError::invalid(
                &format!("properties.{key}"),
                format!("'{key}' must be a whole number above 0."),
            )
        })
}

/// `PUT .../fileWorkspaces/{ws}/files/{file}`.
pub async fn put_file(
    state: &SandboxState,
    scope: TicketScope,
    ws: String,
    file: String,
    body: &[u8],
) -> Result<Response, ArmError> {
    if file.is_empty() || file.chars().count() > MAX_NAME_CHARS || file.chars().any(char::is_control) {
        return Err(ArmError::invalid(
            "fileName",
            format!("The file name must have 1 to {MAX_NAME_CHARS} characters."),
        ));
    }
    let ext = file
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    if BLOCKED.contains(&ext.as_str()) {
        return Err(ArmError::invalid(
            "fileName",
            format!("Files of type '.{}' cannot be attached.", printable(&ext)),
        ));
    }
    let body = validate::object(body)?;
    let props = validate::properties(&body)?;
    let (size, chunk, chunks) = (
        whole(&props, "fileSize")?,
        whole(&props, "chunkSize")?,
        whole(&props, "numberOfChunks")?,
    );
    if size > MAX_FILE_SIZE {
        return Err(ArmError::invalid(
            "properties.fileSize",
            format!("The file is {size} bytes; the largest allowed is {MAX_FILE_SIZE} bytes."),
        ));
    }
    if chunk > MAX_CHUNK_SIZE {
        return Err(ArmError::invalid(
            "properties.chunkSize",
            format!("A chunk is {chunk} bytes; the largest allowed is {MAX_CHUNK_SIZE} bytes."),
        ));
    }
    if chunks > MAX_CHUNKS {
        return Err(ArmError::invalid(
            "properties.numberOfChunks",
            format!("A file has {chunks} chunks; the most allowed is {MAX_CHUNKS}."),
        ));
    }
    if chunk > size || chunks != size.div_ceil(chunk) {
        return Err(ArmError::invalid(
            "properties.numberOfChunks",
            format!(
                "A file of {size} bytes in chunks of {chunk} bytes has {} chunks, not {chunks}.",
                size.div_ceil(chunk.min(size))
            ),
        ));
    }
    let found = workspace(state, &scope, &ws).await?;
    let resource = json!({
        "id": format!("{}/files/{file}", found["id"].as_str().unwrap_or("")),
        "name": file,
        "type": "Microsoft.Support/files",
        "properties": {
            "createdOn": clock::now(),
            "chunkSize": chunk,
            "fileSize": size,
            "numberOfChunks": chunks,
        }
    });
    let fingerprint = json!({ "fileSize": size, "chunkSize": chunk, "numberOfChunks": chunks });
    let (k, parent) = (file_key(&scope, &ws, &file), workspace_key(&scope, &ws));
    let put = super::routes::db(state, move |db| {
        store::put_once(
            db,
            &Row {
                key: &k,
                kind: "file",
                parent: &parent,
                fingerprint: &fingerprint,
                reply_due: None,
            },
            || resource,
        )
    })
    .await?;
    match put {
        Put::New(f) => Ok(json_response(StatusCode::CREATED, &f)),
        Put::Same(f) => Ok(json_response(StatusCode::OK, &f)),
        Put::Other(_) => Err(ArmError::new(
            StatusCode::CONFLICT,
            "Conflict",
            format!(
                "The file '{}' already exists in this workspace with other sizes.",
                printable(&file)
            ),
        )),
    }
}

async fn file(state: &SandboxState, scope: &TicketScope, ws: &str, name: &str) -> Result<Value, ArmError> {
    workspace(state, scope, ws).await?;
    let k = file_key(scope, ws, name);
    super::routes::db(state, move |db| store::get(db, &k))
        .await?
        .ok_or_else(|| ArmError::not_found("Microsoft.Support/files", name))
}

/// `GET .../files/{file}`.
pub async fn get_file(
    state: &SandboxState,
    scope: TicketScope,
    ws: String,
    name: String,
) -> Result<Response, ArmError> {
    Ok(json_response(
        StatusCode::OK,
        &file(state, &scope, &ws, &name).await?,
    ))
}

/// `GET .../fileWorkspaces/{ws}/files`.
pub async fn list_files(state: &SandboxState, scope: TicketScope, ws: String) -> Result<Response, ArmError> {
    workspace(state, &scope, &ws).await?;
    let parent = workspace_key(&scope, &ws);
    let items = super::routes::db(state, move |db| store::list(db, "file", &parent)).await?;
    Ok(json_response(StatusCode::OK, &json!({ "value": items })))
}

/// `POST .../files/{file}/upload` with `{chunkIndex, content}`: 204.
pub async fn upload(
    state: &SandboxState,
    scope: TicketScope,
    ws: String,
    name: String,
    body: &[u8],
) -> Result<Response, ArmError> {
    let body = validate::object(body)?;
    let found = file(state, &scope, &ws, &name).await?;
    let p = &found["properties"];
    let (size, chunk, chunks) = (
        p["fileSize"].as_u64().unwrap_or(0),
        p["chunkSize"].as_u64().unwrap_or(1),
        p["numberOfChunks"].as_u64().unwrap_or(0),
    );
    let index = body
        .get("chunkIndex")
        .and_then(Value::as_u64)
        .filter(|i| *i < chunks)
        .ok_or_else(|| {
            ArmError::invalid(
                "chunkIndex",
                format!(
                    "The chunk index must be a whole number from 0 to {}.",
                    chunks.saturating_sub(1)
                ),
            )
        })?;
    let content = body.get("content").and_then(Value::as_str).unwrap_or("");
    let engine = base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent)
            .with_decode_allow_trailing_bits(true),
    );
    let bytes = engine
        .decode(content.trim())
        .map_err(|e| ArmError::invalid("content", format!("The content is not base64: {e}.")))?;
    let expected = if index + 1 < chunks {
        chunk
    } else {
        size - chunk * (chunks - 1)
    };
    if bytes.len() as u64 != expected {
        return Err(ArmError::invalid(
            "content",
            format!(
                "Chunk {index} must hold {expected} bytes; it holds {}.",
                bytes.len()
            ),
        ));
    }
    let k = file_key(&scope, &ws, &name);
    super::routes::db(state, move |db| store::put_chunk(db, &k, index, &bytes)).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
