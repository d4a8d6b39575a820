//! The authority's two v2 endpoints (`devicecode`, `token`) as plain HTTP calls.

use std::time::Duration;

use reqwest::Url;
use serde::de::DeserializeOwned;

use super::cloud::Cloud;
use super::error::AuthError;
use super::token::{DeviceCodeAnswer, OAuthErrorAnswer, TokenAnswer};
use crate::api::client::{transport_message, validate_base_url};
use crate::api::error::excerpt;
use crate::api::wire::trim_body;

/// The public client the PartnerCenter PowerShell module signs in with (Azure CLI's id).
pub const DEFAULT_CLIENT_ID: &str = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";
/// The tenant used when none is named: any work or school account.
pub const DEFAULT_TENANT: &str = "organizations";
/// Partner Center delegated access, a refresh token, and an id token naming the user (the
/// scope an endpoint asks for unless told otherwise; see [`Cloud::scope`] for each service's).
pub const SCOPE: &str = super::cloud::PARTNER_CENTER_SCOPE;
/// The environment variable that overrides every cloud's authority (tests, the sandbox).
pub const AUTHORITY_ENV: &str = "PCSR_AUTHORITY_URL";

/// The authority to sign in at: the override if given (validated), else the cloud's own.
pub fn resolve_authority(cloud: Cloud, override_url: Option<&str>) -> Result<Url, AuthError> {
    let raw = override_url
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .unwrap_or(cloud.authority());
    validate_base_url(raw).map_err(|e| match e {
        crate::api::ApiError::Url { url, reason } => AuthError::Authority { url, reason },
        other => AuthError::Authority {
            url: raw.to_string(),
            reason: other.to_string(),
        },
    })
}

/// Checks a tenant: `organizations`, `common`, `consumers`, a GUID, or a domain name.
pub fn validate_tenant(raw: &str) -> Result<String, AuthError> {
    let t = raw.trim().to_ascii_lowercase();
    let well_known = matches!(t.as_str(), "organizations" | "common" | "consumers");
    let guid = uuid::Uuid::parse_str(&t).is_ok() && t.len() == 36;
    let domain = t.contains('.')
        && t.len() <= 253
        && t.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    if well_known || guid || domain {
        Ok(t)
    } else {
        Err(AuthError::Tenant(crate::text::one_line(raw)))
    }
}

/// One authority + tenant + client: where to ask for codes and tokens. Cheap to clone.
#[derive(Clone)]
pub struct OAuthEndpoint {
    http: reqwest::Client,
    authority: Url,
    tenant: String,
    client_id: String,
    scope: &'static str,
}

impl std::fmt::Debug for OAuthEndpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OAuthEndpoint")
            .field("authority", &self.authority.as_str())
            .field("tenant", &self.tenant)
            .field("client_id", &self.client_id)
            .field("scope", &self.scope)
            .finish()
    }
}

/// What the token endpoint said: tokens, or an OAuth error to act on.
pub type TokenReply = Result<TokenAnswer, OAuthErrorAnswer>;

impl OAuthEndpoint {
    /// An endpoint at `authority` (already validated) for `tenant` and `client_id`, asking for
    /// Partner Center's scope ([`OAuthEndpoint::with_scope`] for another).
    pub fn new(authority: Url, tenant: &str, client_id: &str) -> Result<Self, AuthError> {
        let tenant = validate_tenant(tenant)?;
        crate::tls::install_provider();
        let http = reqwest::Client::builder()
            .user_agent(concat!("pcsr-tui/", env!("CARGO_PKG_VERSION")))
            .timeout(Duration::from_secs(30))
            .connect_timeout(Duration::from_secs(10))
            // A redirect could carry a refresh token to another host; the authority never sends one.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| AuthError::Transport {
                url: authority.to_string(),
                message: e.to_string(),
            })?;
        let client_id = client_id.trim();
        let client_id = if client_id.is_empty() {
            DEFAULT_CLIENT_ID
        } else {
            client_id
        };
        Ok(OAuthEndpoint {
            http,
            authority,
            tenant,
            client_id: client_id.to_string(),
            scope: SCOPE,
        })
    }

    /// The same endpoint asking for `scope` (a service's, from [`Cloud::scope`]) in the
    /// device-code request and every refresh.
    pub fn with_scope(mut self, scope: &'static str) -> Self {
        self.scope = scope;
        self
    }

    /// The same authority, client and scope at another tenant's token endpoint (CSP: a
    /// customer's tenant redeems the partner's refresh token).
    pub fn with_tenant(&self, tenant: &str) -> Result<Self, AuthError> {
        let mut other = self.clone();
        other.tenant = validate_tenant(tenant)?;
        Ok(other)
    }

    /// The scope asked for.
    pub fn scope(&self) -> &'static str {
        self.scope
    }

    /// The authority URL.
    pub fn authority(&self) -> &Url {
        &self.authority
    }

    /// The tenant (lowercase).
    pub fn tenant(&self) -> &str {
        &self.tenant
    }

    /// The application (client) id.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// `{authority}/{tenant}/oauth2/v2.0/{leaf}`.
    pub fn url(&self, leaf: &str) -> String {
        format!(
            "{}/{}/oauth2/v2.0/{leaf}",
            self.authority.as_str().trim_end_matches('/'),
            self.tenant
        )
    }

    /// Starts a device-code sign-in.
    pub async fn request_device_code(&self) -> Result<DeviceCodeAnswer, AuthError> {
        let form = [("client_id", self.client_id.as_str()), ("scope", self.scope)];
        match self.post("devicecode", &form).await? {
            Ok(answer) => Ok(answer),
            Err(e) => Err(refused(
                &e,
                Some("the tenant and the client id must name an app that allows public client flows"),
            )),
        }
    }

    /// One poll of the token endpoint for a device code.
    pub async fn poll_device_code(&self, device_code: &str) -> Result<TokenReply, AuthError> {
        let form = [
            ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
            ("client_id", self.client_id.as_str()),
            ("device_code", device_code),
        ];
        self.post("token", &form).await
    }

    /// Trades a refresh token for new tokens.
    pub async fn refresh(&self, refresh_token: &str) -> Result<TokenReply, AuthError> {
        let form = [
            ("grant_type", "refresh_token"),
            ("client_id", self.client_id.as_str()),
            ("refresh_token", refresh_token),
            ("scope", self.scope),
        ];
        self.post("token", &form).await
    }

    async fn post<T: DeserializeOwned>(
        &self,
        leaf: &str,
        form: &[(&str, &str)],
    ) -> Result<Result<T, OAuthErrorAnswer>, AuthError> {
        let url = self.url(leaf);
        let transport = |e: reqwest::Error| AuthError::Transport {
            url: url.clone(),
            message: transport_message(&e),
        };
        // The form holds secrets: it is never logged, only the endpoint is.
        tracing::debug!(%url, "sign-in request");
        let resp = self.http.post(&url).form(form).send().await.map_err(transport)?;
        let status = resp.status().as_u16();
        let bytes = resp.bytes().await.map_err(transport)?;
        let body = trim_body(&bytes);
        tracing::debug!(%url, status, "sign-in answer");
        if (200..300).contains(&status) {
            // A success body holds tokens: never echo it into an error.
            return serde_json::from_slice(body)
                .map(Ok)
                .map_err(|_| AuthError::Protocol {
                    url,
                    status,
                    excerpt: "a success answer without the expected fields".into(),
                });
        }
        match serde_json::from_slice::<OAuthErrorAnswer>(body) {
            Ok(err) => Ok(Err(err)),
            Err(_) => Err(AuthError::Protocol {
                url,
                status,
                excerpt: excerpt(body),
            }),
        }
    }
}

/// An OAuth error we do not handle as a state of the flow.
pub(crate) fn refused(e: &OAuthErrorAnswer, hint: Option<&str>) -> AuthError {
    AuthError::Refused {
        error: crate::text::one_line(&e.error),
        description: e.short_description(),
        hint: hint.map(str::to_string),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cloud_signs_in_at_its_own_authority() {
        let table = [
            (Cloud::Global, "https://login.microsoftonline.com/"),
            (Cloud::Germany, "https://login.microsoftonline.de/"),
            (Cloud::Usgov, "https://login.microsoftonline.us/"),
            (Cloud::China, "https://login.chinacloudapi.cn/"),
        ];
        for (cloud, want) in table {
            assert_eq!(resolve_authority(cloud, None).unwrap().as_str(), want, "{cloud}");
            let ep =
                OAuthEndpoint::new(resolve_authority(cloud, None).unwrap(), "organizations", "").unwrap();
            assert_eq!(ep.url("token"), format!("{want}organizations/oauth2/v2.0/token"));
            assert_eq!(ep.client_id(), DEFAULT_CLIENT_ID);
        }
    }

    #[test]
    fn another_tenant_keeps_authority_client_and_scope() {
        let ep = OAuthEndpoint::new(
            resolve_authority(Cloud::China, None).unwrap(),
            "organizations",
            "",
        )
        .unwrap()
        .with_scope(super::super::cloud::ARM_SCOPE_CHINA);
        let customer = ep.with_tenant("Fabrikam.onmicrosoft.com").unwrap();
        assert_eq!(
            customer.url("token"),
            "https://login.chinacloudapi.cn/fabrikam.onmicrosoft.com/oauth2/v2.0/token"
        );
        assert_eq!(customer.scope(), super::super::cloud::ARM_SCOPE_CHINA);
        assert_eq!(customer.client_id(), ep.client_id());
        assert!(matches!(ep.with_tenant("../x"), Err(AuthError::Tenant(_))));
    }

    #[test]
    fn override_allows_http_only_on_loopback() {
        let ok = resolve_authority(Cloud::Global, Some("http://127.0.0.1:8080")).unwrap();
        assert_eq!(ok.as_str(), "http://127.0.0.1:8080/");
        let err = resolve_authority(Cloud::Global, Some("http://login.example.com")).unwrap_err();
        assert!(err.to_string().contains("loopback"), "{err}");
        assert_eq!(
            resolve_authority(Cloud::Usgov, Some("  ")).unwrap().as_str(),
            "https://login.microsoftonline.us/"
        );
    }

    #[test]
    fn tenants_are_names_ids_or_domains() {
        for ok in [
            "organizations",
            "Common",
            "contoso.onmicrosoft.com",
            "72f988bf-86f1-41af-91ab-2d7cd011db47",
        ] {
            assert!(validate_tenant(ok).is_ok(), "{ok}");
        }
        for bad in ["", "contoso", "../x", "a b.com", "x.-y.com"] {
            assert!(matches!(validate_tenant(bad), Err(AuthError::Tenant(_))), "{bad}");
        }
    }
}
