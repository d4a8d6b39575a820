//! The TLS crypto provider for every HTTP client.
//!
//! reqwest is built with `rustls-no-provider`, so the process must choose rustls's provider
//! before the first client is built. We use `ring` (a fast build) rather than aws-lc-rs.

/// Makes `ring` the process-wide rustls provider; later calls are no-ops.
pub fn install_provider() {
    // `Err` only means a provider is installed already, which is what we want.
    let _ = rustls::crypto::ring::default_provider().install_default();
}
