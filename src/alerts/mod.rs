//! Alerts as data, for Slack to render and post: who owns each topic (`owners`), which items
//! must reach their owners at once (`churn`: churn notes about performance or reliability).

pub mod churn;
pub mod owners;
pub mod spikes;

pub use churn::{ChurnAlert, churn_rows, is_urgent};
pub use owners::Owners;
