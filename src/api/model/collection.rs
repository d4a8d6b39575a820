//! Pages of resources, support topics, and the error bodies the service answers with.

use super::*;

/// A support topic a request can be filed under.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all(serialize = "camelCase", deserialize = "snake_case"))]
pub struct SupportTopic {
    /// Topic name (localized).
    #[serde(default)]
    pub name: String,
    /// What the topic covers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Topic id: a JSON number on the wire, though requests carry it as a string.
    #[serde(deserialize_with = "de_u64_lenient")]
    pub id: u64,
    /// Resource attributes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<Attributes>,
}

/// A link in a collection's `links`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all(serialize = "camelCase", deserialize = "snake_case"))]
pub struct Link {
    /// Relative uri, without `/v1`, e.g. `/servicerequests?size=2&offset=2`.
    #[serde(default)]
    pub uri: String,
    /// HTTP method.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// Extra headers (always empty in practice).
    #[serde(default)]
    pub headers: Vec<serde_json::Value>,
}

/// A collection's `links`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all(serialize = "camelCase", deserialize = "snake_case"))]
pub struct Links {
    /// This page.
    #[serde(
        default,
        rename(serialize = "self", deserialize = "self"),
        skip_serializing_if = "Option::is_none"
    )]
    pub self_: Option<Link>,
    /// The next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<Link>,
    /// The previous page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous: Option<Link>,
}

/// A page of resources.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all(serialize = "camelCase", deserialize = "snake_case"))]
pub struct Collection<T> {
    /// Items on this page (the topics example shows it can disagree with `items`).
    #[serde(default)]
    pub total_count: u64,
    /// The items.
    #[serde(default = "Vec::new")]
    pub items: Vec<T>,
    /// Paging links.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub links: Option<Links>,
    /// Resource attributes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<Attributes>,
}

impl<T> Collection<T> {
    /// A single page holding every item.
    pub fn of(items: Vec<T>) -> Self {
        Collection {
            total_count: items.len() as u64,
            items,
            links: None,
            attributes: Some(Attributes::of("Collection")),
        }
    }

    /// The relative uri of the next page, if there is one.
    pub fn next_uri(&self) -> Option<&str> {
        self.links
            .as_ref()?
            .next
            .as_ref()
            .map(|l| l.uri.as_str())
            .filter(|u| !u.is_empty())
    }
}

/// The Partner Center error body: `{"code": 3000, "description": "...", "data": [], "source": "..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all(serialize = "camelCase", deserialize = "snake_case"))]
pub struct ErrorBody {
    /// Error code: documented as a string, sent as a number.
    #[serde(default, deserialize_with = "de_opt_string")]
    pub code: Option<String>,
    /// What went wrong.
    #[serde(default)]
    pub description: Option<String>,
    /// Extra data.
    #[serde(default)]
    pub data: Vec<serde_json::Value>,
    /// Which service answered.
    #[serde(default)]
    pub source: Option<String>,
}

/// The throttling body: `{"statusCode": 429, "message": "..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all(serialize = "camelCase", deserialize = "snake_case"))]
pub struct ThrottleBody {
    /// HTTP status repeated.
    #[serde(default)]
    pub status_code: Option<u16>,
    /// Human message.
    #[serde(default)]
    pub message: Option<String>,
}
