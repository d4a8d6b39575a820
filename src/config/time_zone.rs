//! The local time zone as a Windows time-zone name, to offer as the contact profile's default
//! (Azure wants a Windows name; Unix machines know an IANA one).

use std::path::Path;

use crate::domain::windows_zone_for_iana;

/// The machine's time zone as a Windows name ("Pacific Standard Time"), from `TZ`, else
/// /etc/localtime's link target, else /etc/timezone; `None` when none of them names a zone
/// CLDR maps (then the user picks one).
pub fn default_time_zone() -> Option<String> {
    let tz = std::env::var("TZ").ok();
    time_zone_from(
        tz.as_deref(),
        Path::new("/etc/localtime"),
        Path::new("/etc/timezone"),
    )
}

/// [`default_time_zone`] from these sources, so tests need not touch the process's environment.
pub fn time_zone_from(tz: Option<&str>, localtime: &Path, timezone_file: &Path) -> Option<String> {
    let from_tz = tz.map(|tz| {
        let tz = tz.strip_prefix(':').unwrap_or(tz).trim();
        // POSIX: an empty TZ is UTC.
        if tz.is_empty() {
            "UTC".to_string()
        } else {
            after_zoneinfo(tz).to_string()
        }
    });
    let from_link = || {
        std::fs::read_link(localtime)
            .ok()
            .and_then(|target| target.to_str().map(|t| after_zoneinfo(t).to_string()))
    };
    let from_file = || {
        std::fs::read_to_string(timezone_file)
            .ok()
            .and_then(|text| text.lines().next().map(|l| l.trim().to_string()))
    };
    // A TZ that CLDR does not know (a POSIX rule such as "EST5EDT,M3.2.0,M11.1.0") is no answer,
    // so the next source gets its turn.
    [from_tz, from_link(), from_file()]
        .into_iter()
        .flatten()
        .find_map(|iana| windows_zone_for_iana(&iana))
        .map(str::to_string)
}

/// "Europe/Berlin" out of "/usr/share/zoneinfo/Europe/Berlin" (also its posix/ and right/
/// variants); anything else as it is.
fn after_zoneinfo(path: &str) -> &str {
    let Some((_, zone)) = path.rsplit_once("zoneinfo/") else {
        return path;
    };
    zone.strip_prefix("posix/")
        .or_else(|| zone.strip_prefix("right/"))
        .unwrap_or(zone)
}
