//! What the sandbox accepts and refuses from clients: locales, create and update bodies, list queries.

use super::*;

fn topics() -> Vec<SupportTopic> {
    vec![SupportTopic {
        name: "Partner Center Issues".into(),
        id: 32444667,
        ..Default::default()
    }]
}

fn refused(body: &str) -> ErrorReply {
    create_body(body.as_bytes(), &topics()).unwrap_err()
}

#[test]
fn locales_follow_the_language_country_shape() {
    for ok in ["en-US", "EN-us", "sr-Latn-RS", "es-419", "fil-PH"] {
        assert!(locale(ok).is_ok(), "{ok}");
    }
    for bad in ["en", "english-US", "en_US", "en-USA", "", "sr-Lat-RS", "en-US-x"] {
        let e = locale(bad).unwrap_err();
        assert_eq!((e.status.as_u16(), e.code), (400, 3000), "{bad}");
        assert!(e.description.contains("agent-locale"));
    }
}

#[test]
fn create_reads_the_sdk_pascal_case_body() {
    let body = "\u{feff}{\"Id\":null,\"Title\":\"T\",\"Description\":\"D\",\"Severity\":\"critical\",\
                \"SupportTopicId\":\"32444667\",\"CreatedDate\":\"0001-01-01T00:00:00\"}";
    let new = create_body(body.as_bytes(), &topics()).unwrap().request;
    assert_eq!(
        (new.title.as_str(), new.severity, new.support_topic_id.as_str()),
        ("T", Severity::Critical, "32444667")
    );
    let numeric = r#"{"title":"T","description":"D","severity":2,"supportTopicId":32444667}"#;
    assert_eq!(
        create_body(numeric.as_bytes(), &topics())
            .unwrap()
            .request
            .severity,
        Severity::Moderate
    );
}

#[test]
fn create_refusals_name_the_field() {
    let base = |title: &str, desc: &str, sev: &str, topic: &str| {
        format!(r#"{{"Title":{title},"Description":{desc},"Severity":{sev},"SupportTopicId":{topic}}}"#)
    };
    let long = format!("\"{}\"", "x".repeat(256));
    for (body, field) in [
        (base("\"  \"", "\"D\"", "\"minimal\"", "\"32444667\""), "Title"),
        (
            r#"{"Description":"D","Severity":"minimal","SupportTopicId":"32444667"}"#.to_string(),
            "Title",
        ),
        (base(&long, "\"D\"", "\"minimal\"", "\"32444667\""), "Title"),
        (
            base("\"T\"", "\"\"", "\"minimal\"", "\"32444667\""),
            "Description",
        ),
        (base("\"T\"", "\"D\"", "\"unknown\"", "\"32444667\""), "Severity"),
        (base("\"T\"", "\"D\"", "\"urgent\"", "\"32444667\""), "Severity"),
        (base("\"T\"", "\"D\"", "null", "\"32444667\""), "Severity"),
        (base("\"T\"", "\"D\"", "\"minimal\"", "\"1\""), "SupportTopicId"),
        (base("\"T\"", "\"D\"", "\"minimal\"", "null"), "SupportTopicId"),
    ] {
        let e = refused(&body);
        assert_eq!((e.status.as_u16(), e.code), (400, 3000), "{body}");
        assert!(
            e.description.starts_with(&format!("{field}:")),
            "{body}: {}",
            e.description
        );
    }
}

#[test]
fn create_refuses_non_json_as_invalid_input() {
    for body in ["not json", "[1,2]", ""] {
        let e = refused(body);
        assert_eq!((e.status.as_u16(), e.code), (400, 800002), "{body}");
    }
}

#[test]
fn patch_reads_note_and_status_and_refuses_blank_notes() {
    let p = patch_body(br#"{"NewNote":{"Text":"hi"},"Status":"Closed"}"#).unwrap();
    assert_eq!(
        p,
        ServiceRequestPatch {
            new_note: Some(NotePatch { text: "hi".into() }),
            status: Some(Status::Closed)
        }
    );
    let blank = patch_body(br#"{"newNote":{"text":"  "}}"#).unwrap_err();
    assert_eq!(blank.code, 3000);
    assert!(blank.description.contains("NewNote.Text"));
    assert_eq!(patch_body(br#"{"status":"sideways"}"#).unwrap_err().code, 3000);
    assert_eq!(patch_body(b"{}").unwrap_err().code, 800002);
}

#[test]
fn status_none_beside_a_note_is_not_a_status_change() {
    let p = patch_body(br#"{"Id":null,"Status":"none","NewNote":{"Text":"hi"},"Notes":null}"#).unwrap();
    assert_eq!(p, ServiceRequestPatch::note("hi"));
    assert_eq!(
        patch_body(br#"{"status":0,"newNote":{"text":"x"}}"#)
            .unwrap()
            .status,
        None
    );
    assert_eq!(patch_body(br#"{"Status":"none"}"#).unwrap_err().code, 800002);
}

#[test]
fn create_keeps_notes_and_refuses_empty_ones() {
    let body = r#"{"Title":"T","Description":"D","Severity":"minimal","SupportTopicId":"32444667",
                   "Notes":[{"Text":"one","CreatedByName":null},{"text":"two"}]}"#;
    assert_eq!(
        create_body(body.as_bytes(), &topics()).unwrap().notes,
        ["one", "two"]
    );
    let empty = r#"{"Title":"T","Description":"D","Severity":"minimal","SupportTopicId":"32444667",
                    "Notes":[{"Text":" "}]}"#;
    let e = refused(empty);
    assert_eq!(e.code, 3000);
    assert!(e.description.starts_with("Notes:"), "{}", e.description);
}

#[test]
fn customer_tenants_must_be_guids() {
    assert!(tenant("4b8a1e6c-0f2d-4c3a-9e7b-2d5f8a9c1b3e").is_ok());
    for bad in ["someone-else", "", "contoso.onmicrosoft.com", "4b8a1e6c"] {
        let e = tenant(bad).unwrap_err();
        assert_eq!((e.status.as_u16(), e.code), (400, 800002), "{bad}");
        assert!(e.description.contains("GUID"));
    }
}

#[test]
fn list_query_reads_paging_and_the_status_filter() {
    let filter = r#"{"field":"STATUS","value":"Open","operator":"Equals"}"#;
    let raw = format!(
        "Size=5&offset=10&filter={}",
        url::form_urlencoded::byte_serialize(filter.as_bytes()).collect::<String>()
    );
    let p = list_query(Some(&raw)).unwrap();
    assert_eq!(
        (p.size, p.offset, p.status, p.filter.as_deref()),
        (5, 10, Some(Status::Open), Some(filter))
    );
    assert_eq!(list_query(None).unwrap().size, DEFAULT_PAGE_SIZE);
    for bad in [
        "size=0",
        "size=1001",
        "size=x",
        "offset=-1",
        "filter=nope",
        r#"filter={"Field":"Title","Value":"x"}"#,
        r#"filter={"Field":"Status","Value":"x"}"#,
        r#"filter={"Field":"Status","Value":"open","Operator":"contains"}"#,
    ] {
        assert_eq!(list_query(Some(bad)).unwrap_err().status.as_u16(), 400, "{bad}");
    }
}
