//! The ground floor: feedback items, sources, kinds, categories and accounts, parsed once at
//! the edge so the rest of the code can trust them. Imports nothing else of ours.

mod account;
mod clock;
mod feedback;
mod issue;
mod selector;
mod source;
mod topic;
mod week;
pub mod window;

pub use account::{Account, AccountRef, ArrCents, company_domain};
pub use clock::Clock;
pub use feedback::{Category, Classification, Feedback, Kind, NewFeedback, PackItem, StoredItem, SurveyScore, SurveyType};
pub use issue::{IssueLink, IssueState, NewIssueLink, Tracker};
pub use selector::Selector;
pub use source::Source;
pub use topic::{StoredTopic, TopicDraft};
pub use week::{DigestSchedule, IsoWeek};
pub use window::Window;

/// A value from outside failed to parse; `field` names the offending field for the caller.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self { field: field.into(), message: message.into() }
    }
}
