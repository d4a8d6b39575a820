//! The OS keyring, holding only refresh tokens. Which store is used is chosen at run time:
//! PCSR_KEYRING, else the platform's native store (on Linux the Secret Service when a D-Bus
//! session exists, else the kernel keyutils store). There is no plain-file fallback.
//!
//! Every call here blocks (D-Bus, syscalls): async code runs them with `spawn_blocking`; the
//! Secret Service store even panics inside a tokio worker, because it starts its own runtime.

use std::str::FromStr;
use std::sync::Arc;

use keyring_core::{CredentialStore, Entry};
use serde::{Deserialize, Serialize};

use super::cloud::Cloud;
use super::error::AuthError;
use crate::domain::Service;

/// The keyring service name every entry is filed under.
pub const SERVICE: &str = "pcsr-tui";
/// The environment variable that picks the store.
pub const KEYRING_ENV: &str = "PCSR_KEYRING";

/// A kind of credential store; recorded in the profile so the secret is read back from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StoreKind {
    /// freedesktop Secret Service over D-Bus (GNOME Keyring, KWallet).
    SecretService,
    /// The Linux kernel's keyutils (session + persistent keyrings).
    Keyutils,
    /// The macOS login keychain.
    MacosKeychain,
    /// Windows Credential Manager.
    WindowsCredentialManager,
    /// An in-memory store (tests).
    Memory,
}

impl StoreKind {
    /// A human name for reports.
    pub fn display_name(self) -> &'static str {
        match self {
            StoreKind::SecretService => "Secret Service (D-Bus)",
            StoreKind::Keyutils => "kernel keyutils",
            StoreKind::MacosKeychain => "macOS keychain",
            StoreKind::WindowsCredentialManager => "Windows Credential Manager",
            StoreKind::Memory => "in-memory test store",
        }
    }
}

impl std::fmt::Display for StoreKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.display_name())
    }
}

/// What PCSR_KEYRING asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum KeyringChoice {
    /// The platform's best store (default).
    #[default]
    Auto,
    /// Only the Secret Service.
    SecretService,
    /// Only kernel keyutils.
    Keyutils,
    /// No store: sign-ins last for the session only and nothing is read or written.
    None,
}

impl FromStr for KeyringChoice {
    type Err = AuthError;
    fn from_str(s: &str) -> Result<Self, AuthError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "" | "auto" => Ok(KeyringChoice::Auto),
            "secret-service" | "secretservice" | "secret_service" => Ok(KeyringChoice::SecretService),
            "keyutils" => Ok(KeyringChoice::Keyutils),
            "none" | "off" => Ok(KeyringChoice::None),
            _ => Err(AuthError::KeyringChoice(crate::text::one_line(s))),
        }
    }
}

impl KeyringChoice {
    /// Reads PCSR_KEYRING (unset = auto).
    pub fn from_env() -> Result<Self, AuthError> {
        std::env::var(KEYRING_ENV).map_or(Ok(KeyringChoice::Auto), |v| v.parse())
    }
}

/// Which entry holds a profile's refresh token: service + cloud + tenant + user.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SecretKey(String);

impl SecretKey {
    /// A Partner Center sign-in's entry: `global/organizations/alice@contoso.com` (lowercase;
    /// the keyring user field).
    pub fn new(cloud: Cloud, tenant: &str, user: &str) -> Self {
        SecretKey(format!("{}/{}/{}", cloud.as_str(), tenant.trim(), user.trim()).to_lowercase())
    }

    /// A service's sign-in entry. Partner Center keeps the unprefixed key of [`SecretKey::new`]
    /// (so sign-ins saved before Azure existed are still found); every other service's key
    /// starts with its name: `azure/global/organizations/alice@contoso.com`.
    pub fn for_service(service: Service, cloud: Cloud, tenant: &str, user: &str) -> Self {
        match service {
            Service::PartnerCenter => SecretKey::new(cloud, tenant, user),
            other => {
                let SecretKey(rest) = SecretKey::new(cloud, tenant, user);
                SecretKey(format!("{}/{rest}", other.as_str()))
            }
        }
    }

    /// The keyring user field.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An opened credential store. Cheap to clone; `Debug` names only the kind.
#[derive(Clone)]
pub struct SecretStore {
    kind: StoreKind,
    store: Arc<CredentialStore>,
}

impl std::fmt::Debug for SecretStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SecretStore({:?})", self.kind)
    }
}

impl SecretStore {
    /// Wraps an existing store (tests pass `keyring_core::mock::Store::new()`).
    pub fn with_store(kind: StoreKind, store: Arc<CredentialStore>) -> Self {
        SecretStore { kind, store }
    }

    /// Opens the store `choice` asks for; `Ok(None)` for `none`. Blocking.
    pub fn open(choice: KeyringChoice) -> Result<Option<SecretStore>, AuthError> {
        match choice {
            KeyringChoice::None => Ok(None),
            KeyringChoice::SecretService => Self::open_kind(StoreKind::SecretService).map(Some),
            KeyringChoice::Keyutils => Self::open_kind(StoreKind::Keyutils).map(Some),
            KeyringChoice::Auto => {
                let mut tried = Vec::new();
                for kind in auto_order() {
                    match Self::open_kind(kind) {
                        Ok(store) => return Ok(Some(store)),
                        Err(e) => {
                            tracing::debug!(store = %kind, error = %e, "keyring store unavailable");
                            tried.push(format!("{kind}: {}", short_reason(&e)));
                        }
                    }
                }
                Err(AuthError::NoKeyring {
                    tried: if tried.is_empty() {
                        "none on this platform".into()
                    } else {
                        tried.join("; ")
                    },
                })
            }
        }
    }

    /// Opens one kind of store. Blocking.
    pub fn open_kind(kind: StoreKind) -> Result<SecretStore, AuthError> {
        let store = platform::open(kind)?;
        Ok(SecretStore { kind, store })
    }

    /// Which store this is.
    pub fn kind(&self) -> StoreKind {
        self.kind
    }

    fn entry(&self, key: &SecretKey) -> Result<Entry, AuthError> {
        Entry::new_in_store(&self.store, SERVICE, key.as_str()).map_err(|e| self.fail(&e))
    }

    /// The saved secret, `None` if there is none. Blocking.
    pub fn get(&self, key: &SecretKey) -> Result<Option<String>, AuthError> {
        match self.entry(key)?.get_password() {
            Ok(s) => Ok(Some(s)),
            Err(keyring_core::Error::NoEntry) => Ok(None),
            Err(e) => Err(self.fail(&e)),
        }
    }

    /// Saves (or replaces) the secret. Blocking.
    pub fn set(&self, key: &SecretKey, secret: &str) -> Result<(), AuthError> {
        self.entry(key)?.set_password(secret).map_err(|e| self.fail(&e))
    }

    /// Deletes the secret; `true` if there was one. Blocking.
    pub fn delete(&self, key: &SecretKey) -> Result<bool, AuthError> {
        match self.entry(key)?.delete_credential() {
            Ok(()) => Ok(true),
            Err(keyring_core::Error::NoEntry) => Ok(false),
            Err(e) => Err(self.fail(&e)),
        }
    }

    fn fail(&self, e: &keyring_core::Error) -> AuthError {
        AuthError::Keyring {
            store: self.kind.display_name().to_string(),
            message: describe(e),
        }
    }
}

fn short_reason(e: &AuthError) -> String {
    match e {
        AuthError::Keyring { message, .. } => message.clone(),
        other => other.to_string(),
    }
}

/// A keyring error in words, never including stored bytes (some variants carry the secret).
pub(crate) fn describe(e: &keyring_core::Error) -> String {
    use keyring_core::Error as E;
    match e {
        E::PlatformFailure(inner) => format!("platform failure ({inner})"),
        E::NoStorageAccess(inner) => format!("no access to the store ({inner})"),
        E::NoEntry => "no such entry".into(),
        E::BadEncoding(_) | E::BadDataFormat(..) => "the stored value is not readable text".into(),
        E::BadStoreFormat(m) => format!("the store is damaged ({m})"),
        E::TooLong(what, max) => format!("{what} is longer than {max}"),
        E::Invalid(what, why) => format!("{what} is invalid ({why})"),
        E::Ambiguous(_) => "several entries match".into(),
        E::NoDefaultStore => "no store was set up".into(),
        E::NotSupportedByStore(m) => format!("not supported by this store ({m})"),
        _ => "unknown keyring error".into(),
    }
}

/// The stores `auto` tries, best first.
fn auto_order() -> Vec<StoreKind> {
    #[cfg(target_os = "linux")]
    {
        // The Secret Service needs a session bus; without one it would only fail (fast) anyway.
        let has_bus = std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some_and(|v| !v.is_empty());
        if has_bus {
            vec![StoreKind::SecretService, StoreKind::Keyutils]
        } else {
            vec![StoreKind::Keyutils]
        }
    }
    #[cfg(target_os = "macos")]
    {
        vec![StoreKind::MacosKeychain]
    }
    #[cfg(target_os = "windows")]
    {
        vec![StoreKind::WindowsCredentialManager]
    }
    #[cfg(not(any(target_os = "linux", target_os = "macos", target_os = "windows")))]
    {
        Vec::new()
    }
}

mod platform {
    use std::sync::Arc;

    use keyring_core::CredentialStore;

    use super::{AuthError, StoreKind, describe};

    fn unavailable(kind: StoreKind, message: String) -> AuthError {
        AuthError::Keyring {
            store: kind.display_name().to_string(),
            message,
        }
    }

    /// Opens a native store, or says why it cannot be had here.
    pub(super) fn open(kind: StoreKind) -> Result<Arc<CredentialStore>, AuthError> {
        match kind {
            #[cfg(target_os = "linux")]
            StoreKind::SecretService => {
                if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none_or(|v| v.is_empty()) {
                    return Err(unavailable(
                        kind,
                        "no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)".into(),
                    ));
                }
                let store = zbus_secret_service_keyring_store::Store::new()
                    .map_err(|e| unavailable(kind, describe(&e)))?;
                Ok(store)
            }
            #[cfg(target_os = "linux")]
            StoreKind::Keyutils => {
                use linux_keyutils::{KeyRing, KeyRingIdentifier};
                // Processes started without a session keyring (containers, CI, some tmux
                // shells) get "access denied" from keyutils until one exists.
                KeyRing::from_special_id(KeyRingIdentifier::Session, true)
                    .map_err(|e| unavailable(kind, format!("no session keyring could be created ({e:?})")))?;
                let store = linux_keyutils_keyring_store::Store::new()
                    .map_err(|e| unavailable(kind, describe(&e)))?;
                Ok(store)
            }
            #[cfg(target_os = "macos")]
            StoreKind::MacosKeychain => {
                let store = apple_native_keyring_store::keychain::Store::new()
                    .map_err(|e| unavailable(kind, describe(&e)))?;
                Ok(store)
            }
            #[cfg(target_os = "windows")]
            StoreKind::WindowsCredentialManager => {
                let store = windows_native_keyring_store::Store::new()
                    .map_err(|e| unavailable(kind, describe(&e)))?;
                Ok(store)
            }
            // The in-memory store exists only when a test hands one in (`AuthEnv::with_store`).
            // Opened from a profile (`secret_store = "memory"` in config.toml) it would start
            // empty on every call and silently lose the sign-in, so it is refused instead.
            StoreKind::Memory => Err(unavailable(
                kind,
                "config.toml names the in-memory test store (secret_store = \"memory\"), which keeps nothing \
                 between calls; sign in again to save the sign-in in the OS keyring"
                    .into(),
            )),
            #[allow(unreachable_patterns)]
            other => Err(unavailable(other, "not available on this platform".into())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_test_store_cannot_be_opened_from_a_profile() {
        let err = SecretStore::open_kind(StoreKind::Memory).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("secret_store") && text.contains("sign in again"),
            "{text}"
        );
        assert_eq!(err.remedy(), crate::domain::Remedy::ChooseKeyring);
    }

    fn mock() -> SecretStore {
        SecretStore::with_store(StoreKind::Memory, keyring_core::mock::Store::new().unwrap())
    }

    #[test]
    fn keys_name_cloud_tenant_and_user() {
        let k = SecretKey::new(Cloud::Usgov, "Contoso.com", "Alice@Contoso.com");
        assert_eq!(k.as_str(), "usgov/contoso.com/alice@contoso.com");
    }

    #[test]
    fn azure_keys_never_meet_partner_center_keys() {
        let pc = SecretKey::for_service(
            Service::PartnerCenter,
            Cloud::Usgov,
            "contoso.com",
            "a@contoso.com",
        );
        assert_eq!(pc, SecretKey::new(Cloud::Usgov, "contoso.com", "a@contoso.com"));
        let azure = SecretKey::for_service(Service::Azure, Cloud::Usgov, "Contoso.com", "A@contoso.com");
        assert_eq!(azure.as_str(), "azure/usgov/contoso.com/a@contoso.com");
        // One store, both sign-ins of the same user: neither overwrites the other.
        let store = mock();
        store.set(&pc, "rt-partner-center").unwrap();
        store.set(&azure, "rt-azure").unwrap();
        assert_eq!(store.get(&pc).unwrap().as_deref(), Some("rt-partner-center"));
        assert_eq!(store.get(&azure).unwrap().as_deref(), Some("rt-azure"));
    }

    #[test]
    fn set_get_delete_round_trip() {
        let store = mock();
        let key = SecretKey::new(Cloud::Global, "organizations", "a@x.example");
        assert_eq!(store.get(&key).unwrap(), None);
        store.set(&key, "rt-1").unwrap();
        store.set(&key, "rt-2").unwrap();
        assert_eq!(store.get(&key).unwrap().as_deref(), Some("rt-2"));
        assert!(store.delete(&key).unwrap());
        assert!(!store.delete(&key).unwrap());
        assert_eq!(store.get(&key).unwrap(), None);
    }

    #[test]
    fn a_failing_store_says_which_and_what_next_without_the_secret() {
        let store = mock();
        let key = SecretKey::new(Cloud::Global, "organizations", "a@x.example");
        let entry = Entry::new_in_store(&store.store, SERVICE, key.as_str()).unwrap();
        let cred: &keyring_core::mock::Cred = entry.as_any().downcast_ref().unwrap();
        cred.set_error(keyring_core::Error::BadEncoding(b"very-secret".to_vec()));
        let err = store.get(&key).unwrap_err();
        assert_eq!(err.remedy(), crate::domain::Remedy::ChooseKeyring);
        let err = err.to_string();
        assert!(err.contains("in-memory test store"), "{err}");
        assert!(!err.contains("very-secret"), "{err}");
    }

    #[test]
    fn choices_parse_and_unknown_ones_are_refused() {
        assert_eq!(
            "Secret-Service".parse::<KeyringChoice>().unwrap(),
            KeyringChoice::SecretService
        );
        assert_eq!("none".parse::<KeyringChoice>().unwrap(), KeyringChoice::None);
        assert!(
            "file"
                .parse::<KeyringChoice>()
                .unwrap_err()
                .to_string()
                .contains("auto, secret-service")
        );
        assert!(SecretStore::open(KeyringChoice::None).unwrap().is_none());
    }
}
