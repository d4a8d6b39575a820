use super::*;

/// The profile README.md shows, which the service takes.
fn avery() -> Contact {
    Contact {
        first_name: "Avery".into(),
        last_name: "Sandbox".into(),
        email: "avery@contoso.example".into(),
        additional_emails: vec![],
        phone: String::new(),
        method: ContactMethod::Email,
        time_zone: "Pacific Standard Time".into(),
        country: "USA".into(),
        language: "en-US".into(),
    }
}

fn problems(c: &Contact, severity: Option<Severity>) -> Vec<(ContactField, String)> {
    c.validate(severity)
        .into_iter()
        .map(|e| (e.field, e.message))
        .collect()
}

#[test]
fn the_design_example_is_valid_for_every_severity_but_the_phone_ones() {
    let c = avery();
    assert_eq!(problems(&c, None), []);
    assert_eq!(problems(&c, Some(Severity::Minimal)), []);
    assert_eq!(problems(&c, Some(Severity::Moderate)), []);
    for s in [Severity::Critical, Severity::HighestCriticalImpact] {
        let p = problems(&c, Some(s));
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].0, ContactField::Phone);
        assert!(p[0].1.contains("without one"), "{}", p[0].1);
    }
    let with_phone = Contact {
        phone: "+1 425 555 0100".into(),
        ..avery()
    };
    assert_eq!(problems(&with_phone, Some(Severity::HighestCriticalImpact)), []);
}

#[test]
fn an_alpha_2_code_or_a_name_for_the_country_suggests_the_alpha_3_code() {
    for (written, meant) in [
        ("US", "USA"),
        ("us", "USA"),
        ("Germany", "DEU"),
        ("United Kingdom", "GBR"),
        ("UK", "GBR"),
        ("JP", "JPN"),
    ] {
        let c = Contact {
            country: written.into(),
            ..avery()
        };
        let p = problems(&c, None);
        assert_eq!(p.len(), 1, "{written}: {p:?}");
        assert_eq!(p[0].0, ContactField::Country);
        assert!(
            p[0].1.contains(&format!("did you mean {meant}?")),
            "{written}: {}",
            p[0].1
        );
        assert!(p[0].1.contains("ISO 3166-1 alpha-3"), "{}", p[0].1);
    }
    let nowhere = Contact {
        country: "XYZ".into(),
        ..avery()
    };
    assert!(problems(&nowhere, None)[0].1.contains("e.g. USA"));
    // Any case is accepted, as the Swagger's own examples write "usa".
    for ok in ["usa", "DEU", "ALA"] {
        let c = Contact {
            country: ok.into(),
            ..avery()
        };
        assert_eq!(problems(&c, None), [], "{ok}");
    }
    assert_eq!(canonical_country("usa"), Some("USA"));
}

#[test]
fn a_time_zone_must_be_a_windows_name_and_the_usual_mistakes_get_a_suggestion() {
    for (written, meant) in [
        ("PST", "Pacific Standard Time"),
        ("America/Los_Angeles", "Pacific Standard Time"),
        ("Europe/Berlin", "W. Europe Standard Time"),
        ("EST", "Eastern Standard Time"),
        ("Etc/UTC", "UTC"),
    ] {
        let c = Contact {
            time_zone: written.into(),
            ..avery()
        };
        let p = problems(&c, None);
        assert_eq!(p.len(), 1, "{written}: {p:?}");
        assert_eq!(p[0].0, ContactField::TimeZone);
        assert!(
            p[0].1.contains(&format!("did you mean \"{meant}\"?")),
            "{written}: {}",
            p[0].1
        );
    }
    for ok in [
        "UTC",
        "W. Europe Standard Time",
        "tokyo standard time",
        "Pacific Standard Time (Mexico)",
    ] {
        let c = Contact {
            time_zone: ok.into(),
            ..avery()
        };
        assert_eq!(problems(&c, None), [], "{ok}");
    }
    assert_eq!(canonical_time_zone("utc"), Some("UTC"));
    assert_eq!(windows_time_zones().len(), 142);
    assert!(windows_time_zones().windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn the_cldr_mapping_turns_iana_zones_into_windows_names() {
    assert_eq!(
        windows_zone_for_iana("America/Los_Angeles"),
        Some("Pacific Standard Time")
    );
    assert_eq!(
        windows_zone_for_iana("Europe/Berlin"),
        Some("W. Europe Standard Time")
    );
    assert_eq!(windows_zone_for_iana("UTC"), Some("UTC"));
    assert_eq!(windows_zone_for_iana("Etc/UTC"), Some("UTC"));
    assert_eq!(windows_zone_for_iana("Asia/Kolkata"), Some("India Standard Time"));
    assert_eq!(windows_zone_for_iana("Mars/Olympus_Mons"), None);
    assert!(
        data::IANA_TO_WINDOWS.windows(2).all(|w| w[0].0 < w[1].0),
        "sorted, or the binary search misses"
    );
    for (_, w) in data::IANA_TO_WINDOWS {
        assert!(canonical_time_zone(w).is_some(), "{w} is a Windows name");
    }
}

#[test]
fn phone_contact_needs_a_phone_number() {
    let c = Contact {
        method: ContactMethod::Phone,
        ..avery()
    };
    let p = problems(&c, None);
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(p[0].0, ContactField::Phone);
    assert!(p[0].1.contains("contact method is phone"), "{}", p[0].1);
    let c = Contact {
        phone: "call me".into(),
        ..c
    };
    assert!(problems(&c, None)[0].1.contains("not a phone number"));
    let c = Contact {
        phone: "(425) 555-0100 x12".into(),
        ..c
    };
    assert_eq!(problems(&c, None), []);
}

#[test]
fn names_and_addresses_are_checked_and_each_error_names_its_field() {
    let c = Contact {
        first_name: " ".into(),
        last_name: String::new(),
        email: "avery.contoso.example".into(),
        additional_emails: vec!["ok@contoso.example".into(), "bob@localhost".into()],
        ..avery()
    };
    let p = problems(&c, None);
    let fields: Vec<ContactField> = p.iter().map(|(f, _)| *f).collect();
    assert_eq!(
        fields,
        [
            ContactField::FirstName,
            ContactField::LastName,
            ContactField::Email,
            ContactField::AdditionalEmails
        ],
        "{p:?}"
    );
    assert!(p[0].1.contains("first name is empty"), "{}", p[0].1);
    assert!(p[2].1.contains("has no @"), "{}", p[2].1);
    assert!(p[3].1.contains("`bob@localhost`"), "{}", p[3].1);
    for bad in [
        "a b@c.example",
        "@c.example",
        "a@@c.example",
        "a@c.",
        "a@.example",
    ] {
        assert!(email_problem(ContactField::Email, bad).is_some(), "{bad}");
    }
    for good in ["a@c.example", "first.last+tag@sub.contoso.co.uk"] {
        assert_eq!(email_problem(ContactField::Email, good), None, "{good}");
    }
}

#[test]
fn only_the_languages_the_service_lists_are_taken() {
    for ok in ["en-US", "en-us", "zh-Hans", "de_DE", "pt-br"] {
        let c = Contact {
            language: ok.into(),
            ..avery()
        };
        assert_eq!(problems(&c, None), [], "{ok}");
    }
    let c = Contact {
        language: "de-AT".into(),
        ..avery()
    };
    assert!(problems(&c, None)[0].1.contains("did you mean de-de?"));
    let c = Contact {
        language: "zh".into(),
        ..avery()
    };
    assert!(problems(&c, None)[0].1.contains("zh-hans or zh-tw"));
    let c = Contact {
        language: "nl-NL".into(),
        ..avery()
    };
    let p = problems(&c, None);
    assert_eq!(p[0].0, ContactField::Language);
    assert!(p[0].1.contains("en-us"), "{}", p[0].1);
}

#[test]
fn fields_have_stable_names() {
    for f in ContactField::ALL {
        assert_eq!(ContactField::from_name(f.name()), Some(f));
    }
    assert_eq!(ContactField::TimeZone.name(), "time_zone");
    assert_eq!(ContactMethod::parse(" Phone "), Some(ContactMethod::Phone));
    assert_eq!(ContactMethod::parse("fax"), None);
}
