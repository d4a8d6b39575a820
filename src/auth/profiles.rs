//! Profiles in `config.toml`: which service, cloud, tenant and user, and where their refresh
//! token is. No secret is ever written here.
//!
//! One saved sign-in per service and cloud: Partner Center uses the active profile (`active`,
//! else `default`) as it always has; Azure keeps one profile per cloud (`azure`,
//! `azure-usgov`, `azure-china` when pcsr-tui names them) and never changes `active`.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::cloud::Cloud;
use super::endpoint::DEFAULT_TENANT;
use super::error::AuthError;
use super::secrets::{SecretKey, StoreKind};
use crate::domain::Service;

/// The environment variable that moves the config directory.
pub const CONFIG_DIR_ENV: &str = "PCSR_CONFIG_DIR";
/// The config file's name inside the config directory.
pub const CONFIG_FILE: &str = "config.toml";
/// The profile name used when none is named or active.
pub const DEFAULT_PROFILE: &str = "default";

/// The config directory: PCSR_CONFIG_DIR, else the platform's (e.g. `~/.config/pcsr-tui`).
pub fn default_config_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(CONFIG_DIR_ENV).filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("", "", "pcsr-tui").map(|d| d.config_dir().to_path_buf())
}

fn default_tenant() -> String {
    DEFAULT_TENANT.to_string()
}

// Partner Center profiles are written as before, so an older pcsr-tui reads them unchanged.
fn is_partner_center(service: &Service) -> bool {
    *service == Service::PartnerCenter
}

/// The name pcsr-tui gives a new profile for `service` in `cloud` when none is named:
/// Partner Center's is `default`, Azure's `azure` (global), `azure-usgov`, `azure-china`.
pub fn profile_name_for(service: Service, cloud: Cloud) -> String {
    match (service, cloud) {
        (Service::PartnerCenter, _) => DEFAULT_PROFILE.to_string(),
        (other, Cloud::Global) => other.as_str().to_string(),
        (other, cloud) => format!("{}-{}", other.as_str(), cloud.as_str()),
    }
}

/// One named way of signing in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    /// The profile's name (the table key in config.toml).
    #[serde(skip)]
    pub name: String,
    /// Which service the sign-in is for; files written before Azure existed have none, and
    /// their profiles are Partner Center's.
    #[serde(default, skip_serializing_if = "is_partner_center")]
    pub service: Service,
    /// Which cloud.
    #[serde(default)]
    pub cloud: Cloud,
    /// Tenant: `organizations`, `common`, a GUID or a domain.
    #[serde(default = "default_tenant")]
    pub tenant: String,
    /// The signed-in user (UPN); `None` when signed out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// Agent locale, e.g. `en-US`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// API base URL override.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
    /// A user's own app registration; `None` = the default public client.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// Where the refresh token was saved; `None` when nothing is saved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_store: Option<StoreKind>,
    /// Keys other parts of the app (or newer versions) wrote, kept as they are.
    #[serde(flatten)]
    pub extra: toml::Table,
}

impl Profile {
    /// A fresh Partner Center profile on the global cloud and the `organizations` tenant.
    pub fn new(name: &str) -> Self {
        Profile {
            name: name.to_string(),
            service: Service::PartnerCenter,
            cloud: Cloud::Global,
            tenant: default_tenant(),
            user: None,
            locale: None,
            base_url: None,
            client_id: None,
            secret_store: None,
            extra: toml::Table::new(),
        }
    }

    /// A fresh profile for `service` in `cloud`, named as pcsr-tui names them.
    pub fn for_service(service: Service, cloud: Cloud) -> Self {
        Profile {
            service,
            cloud,
            ..Profile::new(&profile_name_for(service, cloud))
        }
    }

    /// True when a refresh token was saved for this profile's user.
    pub fn is_signed_in(&self) -> bool {
        self.user.is_some() && self.secret_store.is_some()
    }

    /// The keyring entry of `user`'s refresh token for this profile's service, cloud and tenant.
    pub fn secret_key(&self, user: &str) -> SecretKey {
        SecretKey::for_service(self.service, self.cloud, &self.tenant, user)
    }

    /// The keyring entry of the signed-in user's refresh token, if a user is signed in.
    pub fn saved_secret(&self) -> Option<(StoreKind, SecretKey)> {
        match (&self.user, self.secret_store) {
            (Some(user), Some(kind)) => Some((kind, self.secret_key(user))),
            _ => None,
        }
    }
}

/// The whole config file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Config {
    /// The profile used when none is named.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<String>,
    /// Profiles by name.
    #[serde(default)]
    pub profiles: BTreeMap<String, Profile>,
    /// Keys other parts of the app wrote, kept as they are.
    #[serde(flatten)]
    pub extra: toml::Table,
}

impl Config {
    /// `{dir}/config.toml`.
    pub fn path(dir: &Path) -> PathBuf {
        dir.join(CONFIG_FILE)
    }

    /// Reads the config; a missing file is an empty config.
    pub fn load(dir: &Path) -> Result<Config, AuthError> {
        let path = Self::path(dir);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(e) => {
                return Err(AuthError::Config {
                    path,
                    message: format!("cannot read it ({e})"),
                });
            }
        };
        let mut config: Config = toml::from_str(&text).map_err(|e| AuthError::Config {
            path: path.clone(),
            message: format!("it is not valid ({}); fix or remove the file", e.message()),
        })?;
        for (name, profile) in config.profiles.iter_mut() {
            profile.name = name.clone();
        }
        Ok(config)
    }

    /// Writes the config atomically (temp file in the same directory, then rename).
    pub fn save(&self, dir: &Path) -> Result<(), AuthError> {
        let path = Self::path(dir);
        let fail = |what: &str, e: std::io::Error| AuthError::Config {
            path: path.clone(),
            message: format!(
                "cannot {what} ({e}); check the directory's permissions or set {CONFIG_DIR_ENV}"
            ),
        };
        std::fs::create_dir_all(dir).map_err(|e| fail("create its directory", e))?;
        let text = toml::to_string_pretty(self).map_err(|e| AuthError::Config {
            path: path.clone(),
            message: format!("cannot encode it ({e})"),
        })?;
        let tmp = dir.join(format!(".{CONFIG_FILE}.{}.tmp", uuid::Uuid::new_v4().simple()));
        let write = || -> std::io::Result<()> {
            let mut file = std::fs::File::create(&tmp)?;
            file.write_all(text.as_bytes())?;
            file.sync_all()?;
            std::fs::rename(&tmp, &path)
        };
        write().map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            fail("write it", e)
        })
    }

    /// The name of the profile used when none is named.
    pub fn active_name(&self) -> &str {
        self.active.as_deref().unwrap_or(DEFAULT_PROFILE)
    }

    /// A profile by name.
    pub fn profile(&self, name: &str) -> Option<Profile> {
        self.profiles.get(name).cloned()
    }

    /// The active profile, if it exists.
    pub fn active_profile(&self) -> Option<Profile> {
        self.profile(self.active_name())
    }

    /// The profile holding (or to hold) `service`'s sign-in, if it exists.
    ///
    /// Partner Center: the active profile, as before Azure existed (`cloud` is not used: the
    /// profile keeps the cloud it signed in to). Azure: the profile for `cloud`; without a
    /// cloud, the signed-in one of global, usgov, china (in that order), else global's.
    pub fn profile_for(&self, service: Service, cloud: Option<Cloud>) -> Option<Profile> {
        if service == Service::PartnerCenter {
            return self.active_profile().filter(|p| p.service == service);
        }
        let of = |c: Cloud| {
            // pcsr-tui's own name first, so a hand-made second profile for the cloud never
            // takes the sign-in's place.
            let by_name = self
                .profile(&profile_name_for(service, c))
                .filter(|p| p.service == service && p.cloud == c);
            by_name.or_else(|| {
                self.profiles
                    .values()
                    .find(|p| p.service == service && p.cloud == c)
                    .cloned()
            })
        };
        match cloud {
            Some(c) => of(c),
            None => {
                let clouds = Cloud::for_service(service);
                clouds
                    .iter()
                    .filter_map(|c| of(*c))
                    .find(Profile::is_signed_in)
                    .or_else(|| clouds.first().and_then(|c| of(*c)))
            }
        }
    }

    /// Every profile with a saved sign-in, each service's in [`Service::ALL`] order.
    pub fn signed_in_profiles(&self) -> Vec<Profile> {
        let mut all: Vec<Profile> = self
            .profiles
            .values()
            .filter(|p| p.is_signed_in())
            .cloned()
            .collect();
        all.sort_by_key(|p| {
            let service = Service::ALL.iter().position(|s| *s == p.service);
            let cloud = Cloud::ALL.iter().position(|c| *c == p.cloud);
            (service, cloud, p.name.clone())
        });
        all
    }

    /// Adds or replaces a profile.
    pub fn upsert(&mut self, profile: Profile) {
        self.profiles.insert(profile.name.clone(), profile);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_file_is_empty_and_saves_round_trip_keeping_unknown_keys() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(Config::load(dir.path()).unwrap(), Config::default());
        std::fs::write(
            Config::path(dir.path()),
            "theme = \"dark\"\nactive = \"work\"\n[profiles.work]\ncloud = \"usgov\"\nuser = \"a@x.example\"\nsecret_store = \"keyutils\"\ncolour = 3\n",
        )
        .unwrap();
        let mut c = Config::load(dir.path()).unwrap();
        let p = c.active_profile().unwrap();
        assert_eq!(
            (p.name.as_str(), p.cloud, p.tenant.as_str()),
            ("work", Cloud::Usgov, "organizations")
        );
        assert!(p.is_signed_in());
        c.upsert(Profile::new("other"));
        c.save(dir.path()).unwrap();
        let text = std::fs::read_to_string(Config::path(dir.path())).unwrap();
        assert!(
            text.contains("theme = \"dark\"") && text.contains("colour = 3"),
            "{text}"
        );
        assert_eq!(Config::load(dir.path()).unwrap().profiles.len(), 2);
        // No temp files left behind.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_file_written_before_azure_loads_as_partner_center_and_saves_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let old = "active = \"default\"\n\n[profiles.default]\ncloud = \"global\"\ntenant = \"contoso.com\"\nuser = \"a@contoso.com\"\nsecret_store = \"keyutils\"\n";
        std::fs::write(Config::path(dir.path()), old).unwrap();
        let c = Config::load(dir.path()).unwrap();
        let p = c
            .profile_for(Service::PartnerCenter, None)
            .expect("the old sign-in is found");
        assert_eq!(
            (p.service, p.cloud, p.is_signed_in()),
            (Service::PartnerCenter, Cloud::Global, true)
        );
        // The keyring entry is the one the old version saved.
        assert_eq!(
            p.secret_key("a@contoso.com").as_str(),
            "global/contoso.com/a@contoso.com"
        );
        assert_eq!(c.profile_for(Service::Azure, None), None);
        c.save(dir.path()).unwrap();
        let text = std::fs::read_to_string(Config::path(dir.path())).unwrap();
        assert!(!text.contains("service"), "no new key for Partner Center: {text}");
    }

    #[test]
    fn each_azure_cloud_has_its_own_profile_beside_partner_center() {
        let mut c = Config::default();
        let mut pc = Profile::new(DEFAULT_PROFILE);
        pc.user = Some("a@contoso.com".into());
        pc.secret_store = Some(StoreKind::Memory);
        c.active = Some(DEFAULT_PROFILE.into());
        c.upsert(pc);
        let mut china = Profile::for_service(Service::Azure, Cloud::China);
        assert_eq!(china.name, "azure-china");
        china.user = Some("a@contoso.com".into());
        china.secret_store = Some(StoreKind::Memory);
        c.upsert(china);
        c.upsert(Profile::for_service(Service::Azure, Cloud::Global));
        let name = |s, cloud| c.profile_for(s, cloud).map(|p| p.name);
        assert_eq!(name(Service::PartnerCenter, None).as_deref(), Some("default"));
        assert_eq!(
            name(Service::PartnerCenter, Some(Cloud::Usgov)).as_deref(),
            Some("default")
        );
        assert_eq!(
            name(Service::Azure, Some(Cloud::Global)).as_deref(),
            Some("azure")
        );
        assert_eq!(name(Service::Azure, Some(Cloud::Usgov)), None);
        // No cloud named: the one that is signed in, although global's profile exists.
        assert_eq!(name(Service::Azure, None).as_deref(), Some("azure-china"));
        let keys: Vec<String> = c
            .signed_in_profiles()
            .iter()
            .map(|p| p.secret_key("a@contoso.com").as_str().to_string())
            .collect();
        assert_eq!(
            keys,
            [
                "global/organizations/a@contoso.com",
                "azure/china/organizations/a@contoso.com"
            ]
        );
        let text = toml::to_string_pretty(&c).unwrap();
        assert!(text.contains("service = \"azure\""), "{text}");
    }

    #[test]
    fn a_broken_file_names_itself() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(Config::path(dir.path()), "active = [").unwrap();
        let err = Config::load(dir.path()).unwrap_err().to_string();
        assert!(
            err.contains("config.toml") && err.contains("fix or remove"),
            "{err}"
        );
    }
}
