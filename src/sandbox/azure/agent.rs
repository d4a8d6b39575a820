//! The support engineer of the Azure side: with agent replies on, each new ticket gets, after
//! the delay, an inbound communication from support and an engineer on it (from then on its
//! severity cannot change). Like the Partner Center agent, answers are written at the next
//! API call once due, dated when they fell due.

use serde_json::{Value, json};

use super::arm::ArmError;
use super::{communications, store};
use crate::sandbox::state::SandboxState;
use crate::sandbox::{agent, clock};

/// Who signs the answers.
pub const ENGINEER_EMAIL: &str = "azure.support.engineer@sandbox.invalid";

/// Writes every answer due now.
pub async fn catch_up(state: &SandboxState) -> Result<(), ArmError> {
    let now = agent::now_ms();
    super::routes::db(state, move |db| {
        if !store::any_due(db, now)? {
            return Ok(0);
        }
        store::answer_due(db, now, answer)
    })
    .await?;
    Ok(())
}

fn answer(key: &str, at: i64, ticket: &mut Value) -> Option<(String, Value)> {
    let date = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(at) * 1_000_000)
        .map(clock::iso)
        .unwrap_or_else(|_| clock::now());
    let props = &mut ticket["properties"];
    if props["status"].as_str() == Some("Closed") {
        return None;
    }
    props["supportEngineer"] = json!({ "emailAddress": ENGINEER_EMAIL });
    props["modifiedDate"] = json!(date);
    let title = props["title"].as_str().unwrap_or("your request").to_string();
    let name = format!("support-{}", uuid::Uuid::new_v4());
    let ticket_id = ticket["id"].as_str().unwrap_or("").to_string();
    let comm = communications::resource(
        &ticket_id,
        &name,
        json!({
            "subject": format!("RE: {title}"),
            "body": "Hello, I am the support engineer assigned to your case. I have reviewed the details \
                     you sent and will follow up shortly. Please reply with any logs or error messages.",
            "communicationType": "web",
            "communicationDirection": "inbound",
            "sender": ENGINEER_EMAIL,
            "createdDate": date,
        }),
    );
    Some((format!("{key}/communications/{name}").to_ascii_lowercase(), comm))
}
