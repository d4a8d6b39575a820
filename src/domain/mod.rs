//! The one model of support tickets that every layer above the wire clients speaks: the TUI,
//! the CLI, the worker, the outbox and the store. Each service's client maps its own wire
//! format to and from these types; nothing here knows a wire format.
//!
//! Where the services differ (how deep the topic tree is, whether a contact profile is needed,
//! attachments, long-running creates, which severities exist), [`Capabilities`] says so as
//! data, so callers ask the service instead of testing which one it is.

mod attachment;
mod client_event;
mod contact;
mod failure;
mod new_ticket;
mod remedy;
mod row;
mod service;
mod subscription;
mod ticket;
mod topic;

/// A page of a service's ticket list: the tickets, and the service's cursor to the next page.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Page {
    /// The tickets on this page.
    pub tickets: Vec<Ticket>,
    /// Where the next page is (opaque to everyone but the client); `None` on the last page.
    pub next: Option<String>,
}

pub use attachment::{
    ATTACHMENT_MAX_BYTES, ATTACHMENT_MIN_BYTES, ATTACHMENT_NAME_MAX_CHARS, AttachedFile, AttachmentError,
    BLOCKED_EXTENSIONS, FileWorkspace, check_attachment,
};
pub use client_event::ClientEvent;
pub use contact::{
    Contact, ContactError, ContactField, ContactMethod, SUPPORT_LANGUAGES, canonical_country,
    canonical_language, canonical_time_zone, countries, windows_time_zones, windows_zone_for_iana,
};
pub use failure::Failure;
pub use new_ticket::{DESCRIPTION_MAX_BYTES, Field, FieldError, NewTicket, TITLE_MAX_CHARS, human_bytes};
pub use remedy::Remedy;
pub use row::TicketRow;
pub use service::{Capabilities, Service};
pub use subscription::Subscription;
pub use ticket::{Direction, Note, Organization, Person, Severity, Stamp, Status, Ticket, TopicRef};
pub use topic::Topic;

/// A change to a ticket that exists: what `note`, `close` and the TUI's keys ask for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Add a note to the conversation (with a subject, for services that keep one).
    Note {
        /// The note's text.
        text: String,
        /// Its subject.
        subject: Option<String>,
    },
    /// Close it.
    Close,
}
