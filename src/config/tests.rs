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
    let auth = crate::auth::profiles::Config::load(dir.path()).expect("profiles load");
    assert_eq!(auth.active_profile().map(|p| p.cloud), Some(Cloud::Usgov));
    assert_eq!(
        load(Some(dir.path())).expect("valid").theme,
        Palette::HighContrast
    );
}

#[test]
fn an_azure_sign_in_beside_partner_center_passes_the_start_check() {
    let text = format!(
        "{GOOD}\n[profiles.azure-china]\nservice = \"azure\"\ncloud = \"china\"\nuser = \"a@contoso.example\"\nsecret_store = \"keyutils\"\n"
    );
    read(&text).expect("`service` and the china cloud are profile settings pcsr-tui writes");
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("config.toml"), &text).expect("write");
    let auth = crate::auth::profiles::Config::load(dir.path()).expect("profiles load");
    let azure = auth
        .profile_for(crate::domain::Service::Azure, None)
        .expect("azure sign-in");
    assert_eq!((azure.name.as_str(), azure.cloud), ("azure-china", Cloud::China));
    assert_eq!(
        auth.profile_for(crate::domain::Service::PartnerCenter, None)
            .map(|p| p.name),
        Some("work".to_string())
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
        (
            "[defaults]\ncloud = \"mars\"\n",
            "global, germany, usgov or china",
        ),
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

const AZURE: &str = r#"[defaults]
backend = "azure"

[azure]
subscription = "6C1B2A3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D"
consent = "yes"

# who support calls back
[azure.contact]
first_name = "Avery"
last_name = "Sandbox"
email = "avery@contoso.example"
phone = ""                           # required when method = "phone"
method = "email"                     # email | phone
time_zone = "Pacific Standard Time"  # a Windows time-zone name
country = "usa"                      # ISO 3166-1 alpha-3
language = "en-US"
"#;

#[test]
fn the_azure_settings_and_contact_are_read() {
    let c = read(AZURE).expect("valid");
    assert_eq!(c.defaults.backend, Some(crate::domain::Service::Azure));
    assert_eq!(
        c.azure.subscription.as_deref(),
        Some("6c1b2a3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d")
    );
    assert_eq!(c.azure.consent, Some(true));
    let section = c.azure.contact.as_ref().expect("section");
    assert_eq!(section.line, 9, "the header's line");
    assert_eq!(section.line_of(crate::domain::ContactField::Country), Some(16));
    let contact = azure_contact(&c, Some(Severity::Moderate)).expect("complete");
    assert_eq!(contact.first_name, "Avery");
    assert_eq!(contact.country, "USA", "sent as ISO spells it");
    assert_eq!(contact.time_zone, "Pacific Standard Time");
    assert_eq!(contact.method, crate::domain::ContactMethod::Email);

    let c = read("[azure]\nconsent = \"No\"\nsubscription = \"\"\n").expect("valid");
    assert_eq!(c.azure.consent, Some(false));
    assert_eq!(c.azure.subscription, None);
    assert_eq!(
        read("[defaults]\nbackend = \"partner-center\"\n")
            .expect("valid")
            .defaults
            .backend,
        Some(crate::domain::Service::PartnerCenter)
    );
}

#[test]
fn partner_center_users_need_no_contact_but_azure_is_told_where_to_put_one() {
    let c = read("[defaults]\nquiet = true\n").expect("no [azure.contact] is fine at start");
    assert_eq!(c.azure.contact, None);
    let e = azure_contact(&c, None).expect_err("no profile");
    let text = e.to_string();
    assert!(text.starts_with("/cfg/config.toml: "), "{text}");
    assert!(text.contains("[azure.contact]\nfirst_name = \"Avery\""), "{text}");
    assert!(text.contains("country = \"USA\""), "{text}");

    let c = read("[azure.contact]\nfirst_name = \"Avery\"\nemail = \"a@contoso.example\"\n")
        .expect("incomplete is fine at start");
    let e = azure_contact(&c, None).expect_err("incomplete");
    assert_eq!(e.line, Some(1), "{e}");
    assert!(
        e.message
            .contains("lacks last_name, method, time_zone, country, language"),
        "{e}"
    );
    assert!(e.message.contains("time_zone = \""), "{e}");
}

#[test]
fn a_malformed_contact_is_refused_at_start_with_its_line() {
    let with =
        |key: &str, value: &str| AZURE.replace(&format!("{key} = "), &format!("{key} = {value} # was: "));
    let cases = [
        (with("country", "\"US\""), 16, "did you mean USA?"),
        (
            with("time_zone", "\"PST\""),
            15,
            "did you mean \"Pacific Standard Time\"?",
        ),
        (with("email", "\"avery\""), 12, "has no @"),
        (with("method", "\"fax\""), 14, "use email or phone"),
        (with("language", "\"nl-NL\""), 17, "en-us"),
        (with("first_name", "\"\""), 10, "first name is empty"),
        (with("first_name", "3"), 10, "must be a string"),
        (
            AZURE.replace("method = \"email\"", "method = \"phone\""),
            13,
            "contact method is phone",
        ),
        (
            AZURE.replace("language", "locale"),
            17,
            "unknown key `locale` in [azure.contact]",
        ),
        (
            AZURE.replace(
                "language = ",
                "additional_emails = \"a@contoso.example\"\nlanguage = ",
            ),
            17,
            "must be a list of addresses",
        ),
        (
            AZURE.replace(
                "language = ",
                "additional_emails = [\"ops@contoso\"]\nlanguage = ",
            ),
            17,
            "`ops@contoso` has no domain",
        ),
        (
            "[azure]\ncontact = 3\n".to_string(),
            2,
            "must be a section ([azure.contact])",
        ),
        (
            AZURE.replace("consent = \"yes\"", "consent = \"maybe\""),
            6,
            "\"yes\" or \"no\"",
        ),
        (AZURE.replace("6C1B2A3D", "contoso"), 5, "not a subscription id"),
        (
            AZURE.replace("backend = \"azure\"", "backend = \"aws\""),
            2,
            "partner-center or azure",
        ),
        (
            AZURE.replace("[azure]\n", "[azure]\nregion = 1\n"),
            5,
            "unknown key `region` in [azure]",
        ),
    ];
    for (text, line, needle) in cases {
        let e = refused(&text);
        assert_eq!(e.line, Some(line), "{needle}: {e}");
        assert!(e.message.contains(needle), "{needle}: {e}");
    }
    let e = refused(&with("country", "\"US\""));
    assert_eq!(
        e.to_string(),
        "/cfg/config.toml, line 16: `country` in [azure.contact]: the country `US` is not an \
         ISO 3166-1 alpha-3 code; did you mean USA?"
    );
}

#[test]
fn a_critical_ticket_needs_the_phone_number() {
    let c = read(AZURE).expect("valid");
    let e = azure_contact(&c, Some(Severity::Critical)).expect_err("no phone");
    assert_eq!(e.line, Some(13), "the phone line: {e}");
    assert!(e.message.contains("`phone` in [azure.contact]"), "{e}");
    assert!(e.message.contains("critical tickets without one"), "{e}");
    let c = read(&AZURE.replace("phone = \"\"", "phone = \"+1 425 555 0100\"")).expect("valid");
    assert!(azure_contact(&c, Some(Severity::HighestCriticalImpact)).is_ok());
}

#[test]
fn writing_the_contact_keeps_the_users_comments_and_other_settings() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("config.toml");
    std::fs::write(
        &path,
        AZURE.replace(
            "[azure.contact]",
            "[ui]\ntheme = \"mono\" # dark room\n\n[azure.contact]",
        ),
    )
    .expect("write");
    let mut contact = azure_contact(&read(AZURE).expect("valid"), None).expect("valid");
    contact.phone = "+49 30 1234567".into();
    contact.method = crate::domain::ContactMethod::Phone;
    contact.time_zone = "W. Europe Standard Time".into();
    contact.additional_emails = vec!["ops@contoso.example".into()];
    write_contact(&path, &contact).expect("written");
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains("theme = \"mono\" # dark room"), "{text}");
    assert!(text.contains("# who support calls back\n[ui]\n"), "{text}");
    assert!(
        text.contains(
            "phone = \"+49 30 1234567\"                           # required when method = \"phone\""
        ),
        "the comment after a value stays: {text}"
    );
    let back = load(Some(dir.path())).expect("still valid");
    assert_eq!(back.theme, Palette::Mono);
    assert_eq!(back.azure.consent, Some(true));
    assert_eq!(
        azure_contact(&back, Some(Severity::Critical)).expect("complete"),
        contact
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).expect("dir").collect();
    assert_eq!(leftovers.len(), 1, "no temp file left behind");

    // Into a file that has none, or no file at all.
    let fresh = dir.path().join("sub").join("config.toml");
    write_contact(&fresh, &contact).expect("written");
    let text = std::fs::read_to_string(&fresh).expect("read");
    assert!(text.starts_with("[azure.contact]\n"), "no bare [azure]: {text}");
    let back = parse(&text, &fresh).expect("valid");
    assert_eq!(azure_contact(&back, None).expect("complete"), contact);
}

#[test]
fn writing_the_subscription_keeps_comments_and_tenant_level_reads_back_as_none() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("config.toml");
    let before =
        "# mine\n[azure]\nsubscription = \"5a0c3b6e-2f1d-4a8e-9c47-1d2b3c4d5e6f\" # dev\nconsent = \"yes\"\n";
    std::fs::write(&path, before).expect("write");
    write_subscription(&path, Some("132d901f-189d-4381-9214-fe68e27e05a1")).expect("written");
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.starts_with("# mine\n[azure]\n"), "{text}");
    assert!(text.contains("consent = \"yes\""), "{text}");
    let back = load(Some(dir.path())).expect("still valid");
    assert_eq!(
        back.azure.subscription.as_deref(),
        Some("132d901f-189d-4381-9214-fe68e27e05a1")
    );
    write_subscription(&path, None).expect("written");
    let back = load(Some(dir.path())).expect("still valid");
    assert_eq!(back.azure.subscription, None, "tenant level");
    assert!(
        std::fs::read_to_string(&path)
            .expect("read")
            .contains("subscription = \"\"")
    );

    // Beside a contact only, [azure] gets its own header.
    let fresh = dir.path().join("fresh").join("config.toml");
    write_subscription(&fresh, Some("132d901f-189d-4381-9214-fe68e27e05a1")).expect("written");
    let text = std::fs::read_to_string(&fresh).expect("read");
    assert!(text.starts_with("[azure]\n"), "{text}");
}
