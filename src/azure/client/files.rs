//! File attachments: the ticket's file workspace, a file declared with its size and chunks,
//! and the chunks uploaded in order, each a named PUT the client may repeat.

use base64::Engine;
use reqwest::Method;
use url::Url;

use super::{AzureClient, AzureError};
use crate::azure::wire::{
    API_VERSION, FileResource, FileWorkspaceResource, List, TicketResource, UploadChunk,
};
use crate::domain::{AttachedFile, AttachmentError, FileWorkspace, check_attachment};

/// Bytes per chunk of an upload: 2.5 MiB. The Swagger (2024-04-01, `FileDetailsProperties`)
/// says `chunkSize` "must not exceed 2.5 megabytes (MB)" and `numberOfChunks` "The maximum
/// number of allowed chunks is 2", so the largest file (5 MiB) goes in two chunks; `az support`
/// cuts files the same way (azure-cli-extensions `src/support/azext_support/custom.py`:
/// `max_chunk_size = 1024 * 1024 * 2.5`, and one chunk of the whole file when it is smaller).
pub const CHUNK_SIZE: u64 = 2_621_440;

/// Checks a file workspace name against the Swagger's pattern (`^[0-9a-zA-Z_\-. ]+$`), and
/// refuses `.` and `..`, which a URL path would read as a step rather than a name.
fn check_workspace_name(name: &str) -> Result<(), AzureError> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || "_-. ".contains(c);
    if name.is_empty() || !name.chars().all(allowed) || name == "." || name == ".." {
        return Err(AzureError::WorkspaceName {
            name: name.to_string(),
        });
    }
    Ok(())
}

fn attached_file(workspace: &str, f: &FileResource) -> AttachedFile {
    let p = &f.properties;
    AttachedFile {
        workspace: workspace.to_string(),
        name: f.name.clone().unwrap_or_default(),
        size: p.file_size.unwrap_or(0),
        chunk_size: p.chunk_size.unwrap_or(0),
        chunks: p.number_of_chunks.unwrap_or(0),
        created: p.created_on.clone(),
    }
}

fn file_workspace(w: &FileWorkspaceResource) -> FileWorkspace {
    FileWorkspace {
        name: w.name.clone().unwrap_or_default(),
        created: w.properties.created_on.clone(),
        expires: w.properties.expiration_time.clone(),
    }
}

impl AzureClient {
    /// The URL of file workspace `workspace` and what follows it (`files`, a file's name,
    /// `upload`), each a path segment percent-encoded as such: a file's name may hold `?`, `#`,
    /// `%` or spaces.
    fn workspace_url(&self, workspace: &str, tail: &[&str]) -> Result<Url, AzureError> {
        check_workspace_name(workspace)?;
        // A URL path reads these as steps, not names (and `Url` drops them).
        if let Some(name) = tail.iter().find(|s| s.is_empty() || **s == "." || **s == "..") {
            return Err(AzureError::Attachment(if name.is_empty() {
                AttachmentError::NoName
            } else {
                AttachmentError::NotAName {
                    name: name.to_string(),
                }
            }));
        }
        let path = format!("{}/providers/Microsoft.Support/fileWorkspaces", self.scope());
        let mut url = self.url(&path, API_VERSION, &[])?;
        let bad = |url: &Url| AzureError::Url {
            url: url.to_string(),
            reason: "cannot hold a path".into(),
        };
        let copy = url.clone();
        url.path_segments_mut()
            .map_err(|()| bad(&copy))?
            .push(workspace)
            .extend(tail);
        Ok(url)
    }

    /// Creates file workspace `workspace` (named by the caller, so a repeat is safe). A
    /// workspace that exists already is what was asked for: a 409 reads it instead.
    pub async fn create_workspace(&self, workspace: &str) -> Result<FileWorkspace, AzureError> {
        let url = self.workspace_url(workspace, &[])?;
        match self.send::<()>(Method::PUT, url, None).await {
            Ok(answer) => {
                let w: FileWorkspaceResource = answer.json("file workspace")?;
                Ok(file_workspace(&w))
            }
            Err(AzureError::Status { status: 409, .. }) => self.workspace(workspace).await,
            Err(e) => Err(e),
        }
    }

    /// File workspace `workspace`.
    pub async fn workspace(&self, workspace: &str) -> Result<FileWorkspace, AzureError> {
        let url = self.workspace_url(workspace, &[])?;
        let (w, _): (FileWorkspaceResource, _) = self.get(url, "file workspace").await?;
        Ok(file_workspace(&w))
    }

    /// Declares file `name` in `workspace`: its size and how it will be cut
    /// (`chunk_size`, `chunks`). Named, so a repeat with the same sizes is safe.
    pub async fn create_file(
        &self,
        workspace: &str,
        name: &str,
        size: u64,
        chunk_size: u64,
        chunks: u64,
    ) -> Result<AttachedFile, AzureError> {
        let url = self.workspace_url(workspace, &["files", name])?;
        let body = crate::azure::wire::Body {
            properties: crate::azure::wire::FileProperties {
                chunk_size: Some(chunk_size),
                file_size: Some(size),
                number_of_chunks: Some(chunks),
                ..Default::default()
            },
        };
        let answer = self.send(Method::PUT, url, Some(&body)).await?;
        let f: FileResource = answer.json("file")?;
        Ok(attached_file(workspace, &f))
    }

    /// Uploads chunk `index` (from 0) of file `name`. Retried like a PUT: the service keeps one
    /// chunk per index, so a repeat replaces it with the same bytes.
    pub async fn upload_chunk(
        &self,
        workspace: &str,
        name: &str,
        index: u64,
        bytes: &[u8],
    ) -> Result<(), AzureError> {
        let url = self.workspace_url(workspace, &["files", name, "upload"])?;
        let body = UploadChunk {
            content: base64::engine::general_purpose::STANDARD.encode(bytes),
            chunk_index: index,
        };
        self.send(Method::POST, url, Some(&body)).await?;
        Ok(())
    }

    /// File `name` of `workspace`.
    pub async fn file(&self, workspace: &str, name: &str) -> Result<AttachedFile, AzureError> {
        let url = self.workspace_url(workspace, &["files", name])?;
        let (f, _): (FileResource, _) = self.get(url, "file").await?;
        Ok(attached_file(workspace, &f))
    }

    /// Every file of `workspace` (pages followed by `nextLink`).
    pub async fn files(&self, workspace: &str) -> Result<Vec<AttachedFile>, AzureError> {
        let mut url = self.workspace_url(workspace, &["files"])?;
        let mut files = Vec::new();
        loop {
            let (page, _): (List<FileResource>, _) = self.get(url, "files").await?;
            files.extend(page.value.iter().map(|f| attached_file(workspace, f)));
            match page.next_link {
                Some(next) => url = self.own_link(&next)?,
                None => break,
            }
        }
        Ok(files)
    }

    /// The file workspace of ticket `ticket`: the one the ticket names (`fileWorkspaceName`;
    /// the service's own examples show the portal's workspace named there), else its
    /// `supportTicketId` (Az.Support's `New-AzSupportFileAndUpload`, example "Create and upload a
    /// file to a support ticket", passes the ticket's number as `-WorkspaceName`), else the
    /// ticket's resource name.
    pub async fn workspace_of(&self, ticket: &str) -> Result<String, AzureError> {
        let answer = self
            .send::<()>(Method::GET, self.ticket_url(ticket)?, None)
            .await?;
        let t: TicketResource = answer.json("support ticket")?;
        let p = t.properties;
        Ok(p.file_workspace_name
            .filter(|w| !w.is_empty())
            .or(p.support_ticket_id.filter(|n| !n.is_empty()))
            .unwrap_or_else(|| ticket.to_string()))
    }

    /// Attaches a file to ticket `ticket`: [`AzureClient::upload`] to the ticket's workspace
    /// ([`AzureClient::workspace_of`]). The file is checked first (1 byte to 5 MiB, its name),
    /// before any request.
    pub async fn attach(
        &self,
        ticket: &str,
        name: &str,
        bytes: &[u8],
        progress: impl FnMut(u64, u64) + Send,
    ) -> Result<AttachedFile, AzureError> {
        check_attachment(name, bytes.len() as u64)?;
        let workspace = self.workspace_of(ticket).await?;
        self.upload(&workspace, name, bytes, progress).await
    }

    /// Uploads a file to `workspace`: the workspace created (or found), the file declared with
    /// its size and chunks of [`CHUNK_SIZE`], then each chunk sent in order. `progress` hears
    /// `(bytes sent, total bytes)` once before the first chunk and after each one, ending at
    /// `(total, total)`. The file and the workspace name are checked before any request.
    pub async fn upload(
        &self,
        workspace: &str,
        name: &str,
        bytes: &[u8],
        mut progress: impl FnMut(u64, u64) + Send,
    ) -> Result<AttachedFile, AzureError> {
        let size = bytes.len() as u64;
        check_attachment(name, size)?;
        check_workspace_name(workspace)?;
        let chunk_size = CHUNK_SIZE.min(size);
        let chunks = size.div_ceil(chunk_size);
        self.create_workspace(workspace).await?;
        let file = self
            .create_file(workspace, name, size, chunk_size, chunks)
            .await?;
        progress(0, size);
        let mut sent = 0u64;
        // chunk_size is at most CHUNK_SIZE, which fits any usize of a 32- or 64-bit target.
        let step = usize::try_from(chunk_size).unwrap_or(usize::MAX);
        for (index, chunk) in (0u64..).zip(bytes.chunks(step)) {
            self.upload_chunk(workspace, name, index, chunk).await?;
            sent += chunk.len() as u64;
            progress(sent, size);
        }
        Ok(file)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workspace_names_follow_the_swagger_pattern() {
        for ok in [
            "testworkspace",
            "pcsr-1a2b_c.d",
            "6f16735c-1530836f-e9970f1a",
            "with space",
        ] {
            assert!(check_workspace_name(ok).is_ok(), "{ok}");
        }
        for bad in ["", ".", "..", "a/b", "a?b", "é"] {
            assert!(
                matches!(check_workspace_name(bad), Err(AzureError::WorkspaceName { .. })),
                "{bad}"
            );
        }
    }

    #[test]
    fn five_mib_is_two_chunks_of_the_swagger_s_largest() {
        let size = crate::domain::ATTACHMENT_MAX_BYTES;
        assert_eq!(size.div_ceil(CHUNK_SIZE), 2);
        assert_eq!(CHUNK_SIZE * 2, size);
    }
}
