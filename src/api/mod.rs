//! Partner Center service-request client: models, wire format, errors, retries.

pub mod client;
pub mod error;
pub mod model;
pub mod summary;
pub mod wire;

pub use client::{
    Answer, Client, ClientConfig, ClientEvent, ListQuery, Scope, StaticToken, TokenError, TokenProvider,
};
pub use error::ApiError;
pub use error::RequestIds;
pub use model::*;
pub use summary::RequestRow;
