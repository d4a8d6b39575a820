//! A failure reduced to what a person needs: what happened, the service's own code and words,
//! the ids support asks for, and the one way forward (a [`Remedy`], worded by each UI).

use uuid::Uuid;

use super::Remedy;

/// A failure as every UI shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// One line: "HTTP 400 Bad Request" or what the transport said.
    pub summary: String,
    /// The service's error code.
    pub code: Option<String>,
    /// The service's description.
    pub description: Option<String>,
    /// The id of the failed call (Partner Center's MS-RequestId).
    pub request_id: Option<Uuid>,
    /// The correlation id of the failed call.
    pub correlation_id: Option<Uuid>,
    /// What to do next.
    pub remedy: Remedy,
}

impl Failure {
    /// A local failure (the store, a file), with what to do about it.
    pub fn local(summary: impl Into<String>, remedy: Remedy) -> Self {
        Failure {
            summary: summary.into(),
            code: None,
            description: None,
            request_id: None,
            correlation_id: None,
            remedy,
        }
    }

    /// The user must sign in before anything else works.
    pub fn needs_sign_in(&self) -> bool {
        self.remedy.needs_sign_in()
    }

    /// The labelled facts of an error panel (sanitized), without the remedy, which each UI
    /// words and adds.
    pub fn rows(&self) -> Vec<(&'static str, String)> {
        let one = crate::text::one_line;
        let mut rows = vec![("Error", one(&self.summary))];
        if let Some(code) = &self.code {
            rows.push(("Code", one(code)));
        }
        if let Some(d) = &self.description {
            rows.push(("Description", one(d)));
        }
        if let Some(id) = self.request_id {
            rows.push(("MS-RequestId", id.to_string()));
        }
        if let Some(id) = self.correlation_id {
            rows.push(("MS-CorrelationId", id.to_string()));
        }
        rows
    }
}
