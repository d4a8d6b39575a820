//! Partner Center service-request client: models, wire format, errors, retries.

pub mod client;
pub mod error;
pub mod mapping;
pub mod model;
pub mod wire;

pub use client::{
    Answer, Client, ClientConfig, ClientEvent, ListQuery, Scope, StaticToken, TokenError, TokenProvider,
};
pub use error::ApiError;
pub use error::RequestIds;
pub use model::*;
