//! The clouds pcsr-tui signs in to, and which service runs in which: Partner Center in global,
//! Germany and US Government; Azure (ARM) in global, US Government and China.

use std::fmt;
use std::str::FromStr;

use super::error::AuthError;
use crate::domain::Service;

/// A Microsoft cloud: which sign-in authority and API base it uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Cloud {
    /// The global (public) cloud.
    #[default]
    Global,
    /// Microsoft Cloud Germany (Partner Center only; closed in 2021).
    Germany,
    /// Microsoft Cloud for US Government.
    Usgov,
    /// Azure operated by 21Vianet (Azure only; Partner Center has no China cloud).
    China,
}

/// The API resource (v1) every Partner Center cloud's tokens are issued for.
pub const RESOURCE: &str = "https://api.partnercenter.microsoft.com";

/// Partner Center delegated access, a refresh token, and an id token naming the user.
pub const PARTNER_CENTER_SCOPE: &str =
    "https://api.partnercenter.microsoft.com/user_impersonation offline_access openid profile";
/// Azure Resource Manager in the global cloud, and a refresh token.
pub const ARM_SCOPE_GLOBAL: &str = "https://management.azure.com/.default offline_access";
/// Azure Resource Manager in the US Government cloud, and a refresh token.
pub const ARM_SCOPE_USGOV: &str = "https://management.core.usgovcloudapi.net/.default offline_access";
/// Azure Resource Manager in the China cloud, and a refresh token.
pub const ARM_SCOPE_CHINA: &str = "https://management.core.chinacloudapi.cn/.default offline_access";

const PARTNER_CENTER_CLOUDS: [Cloud; 3] = [Cloud::Global, Cloud::Germany, Cloud::Usgov];
const AZURE_CLOUDS: [Cloud; 3] = [Cloud::Global, Cloud::Usgov, Cloud::China];
const PARTNER_CENTER_NAMES: [&str; 3] = ["global", "germany", "usgov"];
const AZURE_NAMES: [&str; 3] = ["global", "usgov", "china"];

impl Cloud {
    /// Every cloud, for help texts and table tests (not every service runs in each: see
    /// [`Cloud::supports`]).
    pub const ALL: [Cloud; 4] = [Cloud::Global, Cloud::Germany, Cloud::Usgov, Cloud::China];

    /// The clouds `service` runs in, in the order help texts and pickers list them.
    pub fn for_service(service: Service) -> &'static [Cloud] {
        match service {
            Service::PartnerCenter => &PARTNER_CENTER_CLOUDS,
            Service::Azure => &AZURE_CLOUDS,
        }
    }

    /// The names of [`Cloud::for_service`]'s clouds, as `--cloud` takes them.
    pub fn names_for(service: Service) -> &'static [&'static str] {
        match service {
            Service::PartnerCenter => &PARTNER_CENTER_NAMES,
            Service::Azure => &AZURE_NAMES,
        }
    }

    /// Whether `service` runs in this cloud.
    pub fn supports(self, service: Service) -> bool {
        Cloud::for_service(service).contains(&self)
    }

    /// This cloud if `service` runs in it, else the error that names the ones it runs in.
    pub fn check(self, service: Service) -> Result<Cloud, AuthError> {
        if self.supports(service) {
            Ok(self)
        } else {
            Err(AuthError::UnsupportedCloud { service, cloud: self })
        }
    }

    /// The scope a sign-in for `service` in this cloud asks for (always with `offline_access`,
    /// so a refresh token comes back), or the error when the service does not run here.
    pub fn scope(self, service: Service) -> Result<&'static str, AuthError> {
        match (service, self.check(service)?) {
            (Service::PartnerCenter, _) => Ok(PARTNER_CENTER_SCOPE),
            (Service::Azure, Cloud::Usgov) => Ok(ARM_SCOPE_USGOV),
            (Service::Azure, Cloud::China) => Ok(ARM_SCOPE_CHINA),
            (Service::Azure, _) => Ok(ARM_SCOPE_GLOBAL),
        }
    }

    /// The name used on the command line and in config.toml.
    pub fn as_str(self) -> &'static str {
        match self {
            Cloud::Global => "global",
            Cloud::Germany => "germany",
            Cloud::Usgov => "usgov",
            Cloud::China => "china",
        }
    }

    /// A human name for the status bar (Partner Center's wording; see [`Cloud::name_for`]).
    pub fn display_name(self) -> &'static str {
        match self {
            Cloud::Global => "Partner Center (global)",
            Cloud::Germany => "Microsoft Cloud Germany",
            Cloud::Usgov => "US Government",
            Cloud::China => "Azure operated by 21Vianet (China)",
        }
    }

    /// A human name of `service` in this cloud, for sign-in messages.
    pub fn name_for(self, service: Service) -> &'static str {
        match (service, self) {
            (Service::PartnerCenter, cloud) => cloud.display_name(),
            (Service::Azure, Cloud::Global) => "Azure (global)",
            (Service::Azure, Cloud::Usgov) => "Azure Government",
            (Service::Azure, Cloud::China) => "Azure operated by 21Vianet (China)",
            (Service::Azure, Cloud::Germany) => "Azure (Germany, not offered)",
        }
    }

    /// A warning to show whenever this cloud is chosen, if any: Microsoft Cloud Germany closed.
    pub fn notice(self) -> Option<&'static str> {
        match self {
            Cloud::Germany => Some(
                "Microsoft Cloud Germany closed on 2021-10-29; its sign-in endpoints may no longer answer. \
                 Partner Center for Germany now runs in the global cloud (--cloud global).",
            ),
            Cloud::Global | Cloud::Usgov | Cloud::China => None,
        }
    }

    /// The Partner Center API base URL (Partner Center documents one host for its three clouds).
    pub fn api_base_url(self) -> &'static str {
        "https://api.partnercenter.microsoft.com"
    }

    /// The sign-in authority.
    pub fn authority(self) -> &'static str {
        match self {
            Cloud::Global => "https://login.microsoftonline.com",
            Cloud::Germany => "https://login.microsoftonline.de",
            Cloud::Usgov => "https://login.microsoftonline.us",
            Cloud::China => "https://login.chinacloudapi.cn",
        }
    }
}

impl fmt::Display for Cloud {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Cloud {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "global" | "public" | "worldwide" => Ok(Cloud::Global),
            "germany" | "de" => Ok(Cloud::Germany),
            "usgov" | "us-gov" | "usgovernment" => Ok(Cloud::Usgov),
            "china" | "cn" | "mooncake" => Ok(Cloud::China),
            other => Err(format!(
                "unknown cloud '{other}': use global, germany, usgov or china"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_service_names_its_own_clouds_and_scopes() {
        let table = [
            (Service::PartnerCenter, Cloud::Global, Some(PARTNER_CENTER_SCOPE)),
            (Service::PartnerCenter, Cloud::Germany, Some(PARTNER_CENTER_SCOPE)),
            (Service::PartnerCenter, Cloud::Usgov, Some(PARTNER_CENTER_SCOPE)),
            (Service::PartnerCenter, Cloud::China, None),
            (
                Service::Azure,
                Cloud::Global,
                Some("https://management.azure.com/.default offline_access"),
            ),
            (Service::Azure, Cloud::Germany, None),
            (
                Service::Azure,
                Cloud::Usgov,
                Some("https://management.core.usgovcloudapi.net/.default offline_access"),
            ),
            (
                Service::Azure,
                Cloud::China,
                Some("https://management.core.chinacloudapi.cn/.default offline_access"),
            ),
        ];
        for (service, cloud, want) in table {
            assert_eq!(cloud.scope(service).ok(), want, "{service} {cloud}");
            assert_eq!(cloud.supports(service), want.is_some(), "{service} {cloud}");
        }
    }

    #[test]
    fn an_unsupported_cloud_names_the_ones_that_work() {
        let e = Cloud::Germany.scope(Service::Azure).unwrap_err();
        assert_eq!(
            e.to_string(),
            "Azure does not run in the germany cloud (it runs in global, usgov and china)"
        );
        assert_eq!(
            e.remedy(),
            crate::domain::Remedy::ChooseCloud {
                clouds: &["global", "usgov", "china"]
            }
        );
        let e = Cloud::China.check(Service::PartnerCenter).unwrap_err();
        assert_eq!(
            e.to_string(),
            "Partner Center has no china cloud (it runs in global, germany and usgov)"
        );
    }

    #[test]
    fn china_parses_and_signs_in_at_its_own_authority() {
        assert_eq!("china".parse::<Cloud>(), Ok(Cloud::China));
        assert_eq!("CN".parse::<Cloud>(), Ok(Cloud::China));
        assert_eq!(Cloud::China.authority(), "https://login.chinacloudapi.cn");
        let all: Vec<String> = Cloud::ALL
            .iter()
            .map(|c| c.as_str().parse::<Cloud>().unwrap().to_string())
            .collect();
        assert_eq!(all, ["global", "germany", "usgov", "china"]);
        for service in Service::ALL {
            let names: Vec<&str> = Cloud::for_service(service).iter().map(|c| c.as_str()).collect();
            assert_eq!(names, Cloud::names_for(service), "{service}");
        }
    }
}
