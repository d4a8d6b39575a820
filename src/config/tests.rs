use std::path::Path;

use super::*;

fn read(text: &str) -> Result<UserConfig, ConfigError> {
    parse(text, Path::new("/cfg/config.toml"))
}

fn refused(text: &str) -> ConfigError {
    read(text).expect_err("refused")
}

const GOOD: &str = r#"active = "work"

[defaults]
cloud = "usgov"
locale = "de-DE"
severity = "minimal"
customer = "0B5C2E8D-1F3A-4C6E-9A7B-2D4F6E8A0C1E"
refresh_minutes = 0
quiet = true

[ui]
theme = "high-contrast"

[keys]
submit = "ctrl+g"
history = ["ctrl+r", "f5"]

[profiles.work]
cloud = "usgov"
tenant = "contoso.onmicrosoft.com"
user = "a@contoso.example"
secret_store = "keyutils"
"#;

#[test]
fn a_good_file_sets_everything_and_keeps_its_profiles() {
    let c = read(GOOD).expect("valid");
    let d = &c.defaults;
    assert_eq!(d.cloud, Some(Cloud::Usgov));
    assert_eq!(d.locale.as_deref(), Some("de-DE"));
    assert_eq!(d.severity, Some(Severity::Minimal));
    assert_eq!(
        d.customer.as_deref(),
        Some("0b5c2e8d-1f3a-4c6e-9a7b-2d4f6e8a0c1e")
    );
    assert_eq!(d.refresh_minutes, 0);
    assert!(d.quiet);
    assert_eq!(c.theme, Palette::HighContrast);
    let keys: Vec<(&str, Vec<&str>, usize)> = c
        .keys
        .iter()
        .map(|k| {
            (
                k.command.as_str(),
                k.keys.iter().map(String::as_str).collect(),
                k.line,
            )
        })
        .collect();
    assert_eq!(
        keys,
        [
            ("submit", vec!["ctrl+g"], 15),
            ("history", vec!["ctrl+r", "f5"], 16)
        ],
        "every [keys] line as written, with its line"
    );
    // The sign-in side reads the same file as before.
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("config.toml"), GOOD).expect("write");
    let auth = crate::auth::config::Config::load(dir.path()).expect("profiles load");
    assert_eq!(auth.active_profile().map(|p| p.cloud), Some(Cloud::Usgov));
    assert_eq!(
        load(Some(dir.path())).expect("valid").theme,
        Palette::HighContrast
    );
}

#[test]
fn nothing_at_all_is_the_defaults() {
    let c = read("").expect("valid");
    let file = UserConfig {
        path: Some("/cfg/config.toml".into()),
        ..UserConfig::default()
    };
    assert_eq!(c, file, "an empty file is the defaults");
    assert_eq!(c.defaults.refresh_minutes, 5);
    assert_eq!(c.defaults.customer, None);
    assert_eq!(
        read("[defaults]\ncustomer = \"\"\n")
            .expect("valid")
            .defaults
            .customer,
        None
    );
    let dir = tempfile::tempdir().expect("tempdir");
    assert_eq!(load(Some(dir.path())).expect("no file"), UserConfig::default());
    assert_eq!(load(None).expect("no dir"), UserConfig::default());
}

#[test]
fn an_unknown_key_names_the_file_the_line_and_the_known_keys() {
    let e = refused("[ui]\ntheme = \"mono\"\ncolour = 3\n");
    assert_eq!(e.line, Some(3));
    let text = e.to_string();
    assert!(text.starts_with("/cfg/config.toml, line 3: "), "{text}");
    assert!(
        text.contains("`colour`") && text.contains("[ui]") && text.contains("theme"),
        "{text}"
    );
    assert!(text.contains("remove the line"), "{text}");

    let e = refused("\n[defaults]\nrefresh = 5\n");
    assert_eq!(e.line, Some(3), "{e}");
    assert!(e.message.contains("refresh_minutes"), "{e}");

    let e = refused("[profiles.work]\ncloud = \"global\"\ncolour = 3\n");
    assert_eq!(e.line, Some(3), "{e}");

    let e = refused("theme = \"dark\"\n");
    assert_eq!(e.line, Some(1));
    assert!(e.message.contains("unknown setting `theme`"), "{e}");
}

#[test]
fn bad_values_say_what_is_allowed() {
    let cases = [
        ("[defaults]\ncloud = \"mars\"\n", "global, germany or usgov"),
        ("[defaults]\nlocale = \"english\"\n", "not a locale"),
        (
            "[defaults]\nseverity = \"urgent\"\n",
            "critical, moderate or minimal",
        ),
        ("[defaults]\ncustomer = \"contoso\"\n", "GUID"),
        ("[defaults]\nrefresh_minutes = -1\n", "whole number"),
        ("[defaults]\nrefresh_minutes = \"5\"\n", "whole number"),
        ("[defaults]\nquiet = \"yes\"\n", "true or false"),
        ("[ui]\ntheme = \"dark\"\n", "default, high-contrast, mono"),
        ("ui = 3\n", "must be a section"),
        ("[defaults\n", "not valid TOML"),
    ];
    for (text, needle) in cases {
        let e = refused(text);
        assert!(e.message.contains(needle), "{text:?}: {e}");
        assert!(e.line.is_some(), "{text:?}: {e}");
    }
}

/// README's example config.toml must itself be valid.
#[test]
fn the_readme_example_is_valid() {
    let readme = include_str!("../../README.md");
    let start = readme
        .find("```toml\n[defaults]")
        .expect("README has the example")
        + "```toml\n".len();
    let end = readme[start..].find("```").expect("closed") + start;
    let c = read(&readme[start..end]).unwrap_or_else(|e| panic!("README's example: {e}"));
    assert_eq!(c.theme, Palette::HighContrast);
    assert!(c.keys.iter().any(|k| k.command == "submit"));
}

#[test]
fn the_local_time_zone_becomes_a_windows_name() {
    let none = Path::new("/nonexistent/pcsr-tui");
    let from_tz = |tz: &str| time_zone_from(Some(tz), none, none);
    assert_eq!(
        from_tz("America/Los_Angeles").as_deref(),
        Some("Pacific Standard Time")
    );
    assert_eq!(
        from_tz(":Europe/Berlin").as_deref(),
        Some("W. Europe Standard Time")
    );
    assert_eq!(from_tz("UTC").as_deref(), Some("UTC"));
    assert_eq!(from_tz("Etc/UTC").as_deref(), Some("UTC"));
    assert_eq!(from_tz("").as_deref(), Some("UTC"), "POSIX: empty TZ is UTC");
    assert_eq!(
        from_tz("/usr/share/zoneinfo/posix/Asia/Tokyo").as_deref(),
        Some("Tokyo Standard Time")
    );
    assert_eq!(time_zone_from(None, none, none), None);

    // No usable TZ: /etc/localtime's link, then /etc/timezone.
    let dir = tempfile::tempdir().expect("tempdir");
    let link = dir.path().join("localtime");
    let file = dir.path().join("timezone");
    std::fs::write(&file, "Europe/Berlin\n").expect("write");
    assert_eq!(
        time_zone_from(Some("EST5EDT,M3.2.0,M11.1.0"), &link, &file).as_deref(),
        Some("W. Europe Standard Time"),
        "a POSIX rule in TZ falls through to /etc/timezone"
    );
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("/usr/share/zoneinfo/America/Los_Angeles", &link).expect("link");
        assert_eq!(
            time_zone_from(None, &link, &file).as_deref(),
            Some("Pacific Standard Time"),
            "the link wins over /etc/timezone"
        );
    }
}
