//! The sign-in screen's state: the cloud/tenant form and the device-code flow in progress.
//! Plain data; `update` changes it, the view draws it, the worker runs the flow.

use std::time::{Duration, Instant};

use crate::auth::Cloud;
use crate::tui::textbox::LineBox;

/// The tenant the form starts with: any work or school account.
pub const DEFAULT_TENANT: &str = "organizations";

/// Where the sign-in stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Phase {
    /// The form: pick a cloud, type a tenant, Enter starts.
    Form,
    /// The worker is asking the authority for a code.
    Starting,
    /// The code is shown; the worker polls until the user approves in the browser.
    Waiting(Prompt),
}

/// The code and page the user needs, and how the polling goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    /// The code to type on the verification page.
    pub user_code: String,
    /// The verification page.
    pub verification_uri: String,
    /// When the code stops working (on the app's clock).
    pub deadline: Instant,
    /// The authority's latest answer to a poll.
    pub poll: PollState,
}

/// The authority's latest answer while the flow waits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PollState {
    /// No poll answered yet.
    NotYet,
    /// `authorization_pending`: the user has not finished in the browser.
    Pending,
    /// `slow_down`: polling every this many seconds from now on.
    SlowDown(u64),
}

/// The sign-in screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignIn {
    /// The cloud to sign in to.
    pub cloud: Cloud,
    /// Tenant id, domain, `organizations` or `common`, as typed.
    pub tenant: LineBox,
    /// Where the flow stands.
    pub phase: Phase,
    /// Id of the latest flow started; answers about other flows are stale and dropped.
    pub flow: u64,
    /// Why the last attempt failed, with what to do next.
    pub error: Option<String>,
}

impl SignIn {
    /// A fresh form for `cloud` and the default tenant.
    pub fn new(cloud: Cloud) -> SignIn {
        SignIn {
            cloud,
            tenant: LineBox::new(DEFAULT_TENANT),
            phase: Phase::Form,
            flow: 0,
            error: None,
        }
    }

    /// The next (`delta` = 1) or previous (-1) cloud `service` runs in, wrapping around.
    pub fn cycle_cloud(&mut self, service: crate::domain::Service, delta: isize) {
        let all = Cloud::for_service(service);
        let i = all.iter().position(|c| *c == self.cloud).unwrap_or(0) as isize;
        self.cloud = all[(i + delta).rem_euclid(all.len() as isize) as usize];
    }

    /// Whether the form (not a running flow) is showing, so typing edits the tenant.
    pub fn editing(&self) -> bool {
        self.phase == Phase::Form
    }

    /// Whether a flow is running in the worker.
    pub fn in_flight(&self) -> bool {
        !self.editing()
    }
}

/// Whole seconds left until `deadline`, rounded up so the countdown reaches 0 only at the end.
pub fn seconds_left(deadline: Instant, now: Instant) -> u64 {
    let left = deadline.saturating_duration_since(now);
    left.as_secs() + u64::from(left.subsec_nanos() > 0)
}

/// `mm:ss` for a countdown.
pub fn mm_ss(secs: u64) -> String {
    crate::auth::login_ui::mm_ss(Duration::from_secs(secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clouds_cycle_both_ways() {
        use crate::domain::Service::PartnerCenter;
        let mut s = SignIn::new(Cloud::Global);
        s.cycle_cloud(PartnerCenter, 1);
        assert_eq!(s.cloud, Cloud::Germany);
        s.cycle_cloud(PartnerCenter, 1);
        s.cycle_cloud(PartnerCenter, 1);
        assert_eq!(s.cloud, Cloud::Global);
        s.cycle_cloud(PartnerCenter, -1);
        assert_eq!(s.cloud, Cloud::Usgov);
    }

    #[test]
    fn azure_cycles_through_its_own_clouds() {
        use crate::domain::Service::Azure;
        let mut s = SignIn::new(Cloud::Global);
        s.cycle_cloud(Azure, 1);
        assert_eq!(s.cloud, Cloud::Usgov);
        s.cycle_cloud(Azure, 1);
        assert_eq!(
            s.cloud,
            Cloud::China,
            "Azure runs in China; Partner Center's Germany is not offered"
        );
        s.cycle_cloud(Azure, 1);
        assert_eq!(s.cloud, Cloud::Global);
    }

    #[test]
    fn the_countdown_rounds_up() {
        let now = Instant::now();
        assert_eq!(seconds_left(now + Duration::from_millis(1500), now), 2);
        assert_eq!(seconds_left(now, now + Duration::from_secs(1)), 0);
        assert_eq!(mm_ss(899), "14:59");
    }
}
