//! Reading ARM request bodies and queries: the ticket create and update bodies, communication
//! bodies, `$top`, and the `$filter` grammar the Swagger documents (`eq` on status, serviceId,
//! problemClassificationId and communicationType; `gt`/`ge` on createdDate; joined by `and`).

use serde_json::{Map, Value};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::arm::ArmError;

/// Severities the service knows.
pub const SEVERITIES: &[&str] = &["minimal", "moderate", "critical", "highestcriticalimpact"];

const CONTACT_REQUIRED: &[&str] = &[
    "firstName",
    "lastName",
    "primaryEmailAddress",
    "preferredContactMethod",
    "preferredTimeZone",
    "country",
    "preferredSupportLanguage",
];

/// A JSON object body, or 400.
pub fn object(bytes: &[u8]) -> Result<Map<String, Value>, ArmError> {
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(ArmError::bad_request(
            "InvalidRequestContent",
            "The request content must be a JSON object.",
        )),
        Err(e) => Err(ArmError::bad_request(
            "InvalidRequestContent",
            format!("The request content was invalid and could not be deserialized: {e}"),
        )),
    }
}

/// The `properties` object of a PUT body.
pub fn properties(body: &Map<String, Value>) -> Result<Map<String, Value>, ArmError> {
    match body.get("properties") {
        Some(Value::Object(p)) => Ok(p.clone()),
        _ => Err(ArmError::invalid(
            "properties",
            "The 'properties' object is required.",
        )),
    }
}

/// A non-empty string property.
pub fn text<'a>(props: &'a Map<String, Value>, key: &str, target: &str) -> Result<&'a str, ArmError> {
    match props.get(key).and_then(Value::as_str).map(str::trim) {
        Some(s) if !s.is_empty() => Ok(s),
        _ => Err(ArmError::invalid(
            target,
            format!("The '{key}' property is required."),
        )),
    }
}

/// A resource name in a path: 1 to 128 characters, no control characters.
pub fn name(value: &str, what: &str) -> Result<(), ArmError> {
    if value.is_empty() || value.chars().count() > 128 || value.chars().any(char::is_control) {
        return Err(ArmError::invalid(
            what,
            format!(
                "The {what} '{}' is invalid: use 1 to 128 characters.",
                super::arm::printable(value)
            ),
        ));
    }
    Ok(())
}

/// Checks a severity value.
pub fn severity(value: Option<&Value>, target: &str) -> Result<String, ArmError> {
    let s = value
        .and_then(Value::as_str)
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if SEVERITIES.contains(&s.as_str()) {
        Ok(s)
    } else {
        Err(ArmError::invalid(
            target,
            format!(
                "The severity '{}' is invalid. Use one of: {}.",
                super::arm::printable(&s),
                SEVERITIES.join(", ")
            ),
        ))
    }
}

/// Checks `Yes`/`No` (advancedDiagnosticConsent, userConsent), answering it in the service's case.
pub fn consent(value: Option<&Value>, target: &str) -> Result<String, ArmError> {
    match value
        .and_then(Value::as_str)
        .map(|s| s.trim().to_ascii_lowercase())
        .as_deref()
    {
        Some("yes") => Ok("Yes".into()),
        Some("no") => Ok("No".into()),
        _ => Err(ArmError::invalid(target, "The value must be 'Yes' or 'No'.")),
    }
}

/// Checks a whole contact-details object for a ticket of `severity`.
pub fn contact(value: Option<&Value>, severity: &str) -> Result<Map<String, Value>, ArmError> {
    let Some(Value::Object(c)) = value else {
        return Err(ArmError::invalid(
            "properties.contactDetails",
            "The 'contactDetails' object is required.",
        ));
    };
    for key in CONTACT_REQUIRED {
        text(c, key, &format!("properties.contactDetails.{key}"))?;
    }
    check_contact(c, severity)?;
    Ok(c.clone())
}

/// The rules across contact fields: method, email shape, phone when needed.
pub fn check_contact(c: &Map<String, Value>, severity: &str) -> Result<(), ArmError> {
    let method = c
        .get("preferredContactMethod")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_ascii_lowercase();
    if method != "email" && method != "phone" {
        return Err(ArmError::invalid(
            "properties.contactDetails.preferredContactMethod",
            "The preferred contact method must be 'email' or 'phone'.",
        ));
    }
    let email = c.get("primaryEmailAddress").and_then(Value::as_str).unwrap_or("");
    if !email.contains('@') || email.starts_with('@') || email.ends_with('@') {
        return Err(ArmError::invalid(
            "properties.contactDetails.primaryEmailAddress",
            "The primary email address is not a valid email address.",
        ));
    }
    let phone = c
        .get("phoneNumber")
        .and_then(Value::as_str)
        .map(str::trim)
        .unwrap_or("");
    let needs_phone = method == "phone" || severity == "critical" || severity == "highestcriticalimpact";
    if needs_phone && phone.is_empty() {
        return Err(ArmError::invalid(
            "properties.contactDetails.phoneNumber",
            "A phone number is required when the preferred contact method is phone or the severity is critical or highestcriticalimpact.",
        ));
    }
    Ok(())
}

/// `$top`: `default` when absent, at most `max`.
pub fn top(raw: Option<&str>, default: usize, max: usize) -> Result<usize, ArmError> {
    let Some(raw) = raw else { return Ok(default) };
    match raw.trim().parse::<usize>() {
        Ok(n) if (1..=max).contains(&n) => Ok(n),
        _ => Err(ArmError::bad_request(
            "InvalidQueryParameterValue",
            format!(
                "The value '{}' of query parameter '$top' is invalid: use a whole number from 1 to {max}.",
                super::arm::printable(raw)
            ),
        )),
    }
}

/// One `$filter` clause.
#[derive(Debug, Clone, PartialEq)]
pub enum Clause {
    /// `field eq 'value'` (field lower-cased).
    Eq(String, String),
    /// `createdDate gt|ge DATE` (`true` for ge).
    Created { at: OffsetDateTime, inclusive: bool },
}

/// Parses `$filter` over the `eq` fields allowed here (lower-cased).
pub fn filter(raw: Option<&str>, eq_fields: &[&str]) -> Result<Vec<Clause>, ArmError> {
    let Some(raw) = raw.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(Vec::new());
    };
    let bad = |why: String| {
        ArmError::bad_request(
            "InvalidFilter",
            format!("The $filter '{}' is invalid: {why}.", super::arm::printable(raw)),
        )
    };
    let mut clauses = Vec::new();
    for part in split_and(raw) {
        let mut words = part.trim().splitn(3, ' ');
        let (field, op, value) = match (words.next(), words.next(), words.next()) {
            (Some(f), Some(o), Some(v)) => (f.to_ascii_lowercase(), o.to_ascii_lowercase(), v.trim()),
            _ => return Err(bad(format!("'{}' is not 'property operator value'", part.trim()))),
        };
        let unquoted = value
            .strip_prefix('\'')
            .and_then(|v| v.strip_suffix('\''))
            .unwrap_or(value);
        if field == "createddate" {
            let inclusive = match op.as_str() {
                "ge" => true,
                "gt" => false,
                _ => return Err(bad("createdDate supports only the operators 'gt' and 'ge'".into())),
            };
            let at = parse_date(unquoted)
                .ok_or_else(|| bad(format!("'{value}' is not a date such as 2024-01-01T00:00:00Z")))?;
            clauses.push(Clause::Created { at, inclusive });
        } else if eq_fields.contains(&field.as_str()) {
            if op != "eq" {
                return Err(bad(format!("{field} supports only the operator 'eq'")));
            }
            if unquoted.len() == value.len() || unquoted.contains('\'') {
                return Err(bad(format!("the value of {field} must be quoted")));
            }
            clauses.push(Clause::Eq(field, unquoted.to_string()));
        } else {
            return Err(bad(format!("'{field}' cannot be filtered on")));
        }
    }
    Ok(clauses)
}

fn split_and(raw: &str) -> Vec<&str> {
    let lower = raw.to_ascii_lowercase();
    let mut parts = Vec::new();
    let mut start = 0;
    let mut from = 0;
    while let Some(i) = lower[from..].find(" and ") {
        let at = from + i;
        // An " and " inside quotes is part of a value.
        if raw[..at].matches('\'').count().is_multiple_of(2) {
            parts.push(&raw[start..at]);
            start = at + 5;
        }
        from = at + 5;
    }
    parts.push(&raw[start..]);
    parts
}

/// An RFC 3339 time, or a bare date (midnight UTC).
pub fn parse_date(s: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(s, &Rfc3339)
        .ok()
        .or_else(|| OffsetDateTime::parse(&format!("{s}T00:00:00Z"), &Rfc3339).ok())
}

/// Whether `resource` (its `properties`) passes every clause; `eq` compares case-insensitively.
pub fn matches(resource: &Value, clauses: &[Clause], fields: &[(&str, &str)]) -> bool {
    let props = &resource["properties"];
    clauses.iter().all(|c| match c {
        Clause::Eq(field, want) => fields
            .iter()
            .find(|(f, _)| f == field)
            .and_then(|(_, key)| props[*key].as_str())
            .is_some_and(|have| have.eq_ignore_ascii_case(want)),
        Clause::Created { at, inclusive } => props["createdDate"]
            .as_str()
            .and_then(parse_date)
            .is_some_and(|d| if *inclusive { d >= *at } else { d > *at }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIELDS: &[&str] = &["status", "serviceid", "problemclassificationid"];

    #[test]
    fn filters_parse_and_refuse() {
        let ok = filter(
            Some("createdDate ge 2024-01-01T00:00:00Z and status eq 'Open'"),
            FIELDS,
        )
        .unwrap();
        assert_eq!(ok.len(), 2);
        assert_eq!(ok[1], Clause::Eq("status".into(), "Open".into()));
        assert!(
            filter(Some("status eq 'Open' AND serviceId eq 'a and b'"), FIELDS)
                .unwrap()
                .len()
                == 2
        );
        for bad in [
            "status ne 'Open'",
            "title eq 'x'",
            "createdDate eq 2024-01-01",
            "createdDate ge yesterday",
            "status eq Open",
            "status eq 'Open' or status eq 'Closed'",
            "status",
        ] {
            assert!(filter(Some(bad), FIELDS).is_err(), "{bad}");
        }
    }

    #[test]
    fn top_is_bounded() {
        assert_eq!(top(None, 25, 100).unwrap(), 25);
        assert_eq!(top(Some("100"), 25, 100).unwrap(), 100);
        assert!(top(Some("101"), 25, 100).is_err());
        assert!(top(Some("0"), 25, 100).is_err());
        assert!(top(Some("x"), 25, 100).is_err());
    }
}
