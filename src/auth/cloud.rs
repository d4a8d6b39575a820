//! The three Partner Center clouds of the seed's "Applies to" list.

use std::fmt;
use std::str::FromStr;

/// A Partner Center cloud: which sign-in authority and API base it uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Cloud {
    /// Partner Center (global).
    #[default]
    Global,
    /// Partner Center for Microsoft Cloud Germany.
    Germany,
    /// Partner Center for Microsoft Cloud for US Government.
    Usgov,
    /// Azure operated by 21Vianet (Azure only).
    China,
}

/// The API resource (v1) every cloud's tokens are issued for.
pub const RESOURCE: &str = "https://api.partnercenter.microsoft.com";

impl Cloud {
    /// Every cloud, for help texts and table tests.
    pub const ALL: [Cloud; 4] = [Cloud::Global, Cloud::Germany, Cloud::Usgov, Cloud::China];

    /// The name used on the command line and in config.toml.
    pub fn as_str(self) -> &'static str {
        match self {
            Cloud::Global => "global",
            Cloud::Germany => "germany",
            Cloud::Usgov => "usgov",
            Cloud::China => "china",
        }
    }

    /// A human name for the status bar.
    pub fn display_name(self) -> &'static str {
        match self {
            Cloud::Global => "Partner Center (global)",
            Cloud::Germany => "Microsoft Cloud Germany",
            Cloud::Usgov => "US Government",
            Cloud::China => "Azure China (21Vianet)",
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

    /// The API base URL (Partner Center documents one host for all three).
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
            "china" | "azurechina" => Ok(Cloud::China),
            other => Err(format!(
                "unknown cloud '{other}': use global, germany, usgov or china"
            )),
        }
    }
}
