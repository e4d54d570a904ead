//! A feedback item: what came in, and what the classifier said about it.

use super::{Account, AccountRef, FieldError, Source};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    #[default]
    Ticket,
    ChurnNote,
    Review,
    /// A survey response (NPS or CSAT): the score in `NewFeedback::survey`, the comment as body.
    Survey,
    Other,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Ticket => "ticket",
            Kind::ChurnNote => "churn_note",
            Kind::Review => "review",
            Kind::Survey => "survey",
            Kind::Other => "other",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Kind {
    type Err = FieldError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "ticket" | "" => Ok(Kind::Ticket),
            "churn_note" | "churn" | "churn-note" => Ok(Kind::ChurnNote),
            "review" => Ok(Kind::Review),
            "survey" => Ok(Kind::Survey),
            "other" => Ok(Kind::Other),
            other => Err(FieldError::new("kind", format!("'{other}' is not one of ticket, churn_note, review, survey, other"))),
        }
    }
}

/// The two things engineering argues about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    Performance,
    Reliability,
}

impl Category {
    pub const ALL: [Category; 2] = [Category::Performance, Category::Reliability];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Performance => "performance",
            Category::Reliability => "reliability",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Category {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "performance" | "perf" => Ok(Category::Performance),
            "reliability" | "rel" => Ok(Category::Reliability),
            other => Err(format!("'{other}' is not a category (performance, reliability)")),
        }
    }
}

/// An item as parsed from a webhook, import line or CSV row, before storage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewFeedback {
    pub source: Source,
    pub external_id: String,
    pub kind: Kind,
    pub account: AccountRef,
    pub subject: String,
    /// Plain text; HTML has been stripped by the parser.
    pub body: String,
    pub tags: Vec<String>,
    pub url: Option<String>,
    pub created_at: DateTime<Utc>,
    /// The vendor's own time of this version (a ticket's `updated_at`). When the same item
    /// arrives twice (a webhook and a pull), the later version is kept whatever the order of
    /// arrival; `None` (the payload carried none) falls back to the order of arrival.
    #[serde(default)]
    pub updated_at: Option<DateTime<Utc>>,
    /// Churn notes: the annual revenue the cancellation removed.
    pub lost_arr_cents: Option<i64>,
    /// A full account record carried by the payload (generic webhook), upserted alongside.
    pub account_record: Option<Account>,
    /// Survey responses (`Kind::Survey`): the score given; `None` for every other item.
    #[serde(default)]
    pub survey: Option<SurveyScore>,
}

/// The two survey scales: NPS (0-10, "how likely are you to recommend us") and CSAT (1-5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SurveyType {
    Nps,
    Csat,
}

impl SurveyType {
    pub fn as_str(self) -> &'static str {
        match self {
            SurveyType::Nps => "nps",
            SurveyType::Csat => "csat",
        }
    }

    /// The valid scores, inclusive.
    pub fn range(self) -> (i64, i64) {
        match self {
            SurveyType::Nps => (0, 10),
            SurveyType::Csat => (1, 5),
        }
    }
}

impl FromStr for SurveyType {
    type Err = FieldError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "nps" => Ok(SurveyType::Nps),
            "csat" => Ok(SurveyType::Csat),
            other => Err(FieldError::new("survey.type", format!("survey.type must be \"nps\" or \"csat\"; got '{other}'"))),
        }
    }
}

/// One survey answer's score, checked against its scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyScore {
    #[serde(rename = "type")]
    pub survey_type: SurveyType,
    pub score: i64,
}

impl SurveyScore {
    /// A score on its scale, or an error naming `survey.score` with the valid range.
    pub fn new(survey_type: SurveyType, score: i64) -> Result<Self, FieldError> {
        let (lo, hi) = survey_type.range();
        if !(lo..=hi).contains(&score) {
            let name = survey_type.as_str().to_ascii_uppercase();
            return Err(FieldError::new("survey.score", format!("survey.score must be {lo}-{hi} for {name}; got {score}")));
        }
        Ok(Self { survey_type, score })
    }
}

impl NewFeedback {
    /// The rule every source follows: a survey response carries a score on its scale, and only
    /// survey responses carry one. The error names `survey.score` (or `survey.type`/`survey`).
    pub fn check_survey(&self) -> Result<(), FieldError> {
        match (self.kind, self.survey) {
            (Kind::Survey, None) => Err(FieldError::new(
                "survey.score",
                "survey.score is required for a survey response: a score with its type, 0-10 for NPS or 1-5 for CSAT",
            )),
            (Kind::Survey, Some(s)) => SurveyScore::new(s.survey_type, s.score).map(|_| ()),
            (_, Some(_)) => Err(FieldError::new("survey", "a score is only allowed on a survey response (kind \"survey\")")),
            (_, None) => Ok(()),
        }
    }

    /// A stable digest of the stored content, so a redelivery is recognised as unchanged and
    /// a real update of the same ticket is recognised as an update. The creation time is left
    /// out: a ticket's never changes, and a payload without one is stamped with its receipt
    /// time, which must not make every redelivery (or re-run import) look like an edit.
    pub fn content_hash(&self) -> String {
        let mut h = Sha256::new();
        for part in [
            self.kind.as_str(),
            self.account.id.as_deref().unwrap_or(""),
            self.account.name.as_deref().unwrap_or(""),
            &self.subject,
            &self.body,
            &self.tags.join("\u{1f}"),
            self.url.as_deref().unwrap_or(""),
            &self.lost_arr_cents.map(|v| v.to_string()).unwrap_or_default(),
        ] {
            h.update(part.as_bytes());
            h.update([0u8]);
        }
        // Only surveys hash their score, so the hashes of items stored before surveys existed hold.
        if let Some(s) = &self.survey {
            h.update(format!("{}:{}", s.survey_type.as_str(), s.score).as_bytes());
        }
        hex::encode(&h.finalize()[..16])
    }

    /// The stored `survey_type` and `survey_score` columns: both `None` unless a survey.
    pub fn survey_columns(&self) -> (Option<&'static str>, Option<i64>) {
        (self.survey.map(|s| s.survey_type.as_str()), self.survey.map(|s| s.score))
    }

    /// Subject and body as one text, the classifier's input.
    pub fn text(&self) -> String {
        if self.subject.is_empty() { self.body.clone() } else { format!("{}\n{}", self.subject, self.body) }
    }
}

/// What the classifier decided about one item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Classification {
    pub performance: bool,
    pub reliability: bool,
    pub score_performance: f64,
    pub score_reliability: f64,
    /// The few terms or rules that decided it, e.g. `"term:slow"`, `"rule:out-of-memory"`.
    pub explanation: Vec<String>,
    pub topics: Vec<String>,
    pub model_version: String,
}

impl Classification {
    pub fn categories(&self) -> Vec<Category> {
        let mut out = Vec::new();
        if self.performance {
            out.push(Category::Performance);
        }
        if self.reliability {
            out.push(Category::Reliability);
        }
        out
    }
}

/// A parsed item together with its classification: what the store writes.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredItem {
    pub item: NewFeedback,
    pub classification: Classification,
}

/// A feedback item as read back from the store.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Feedback {
    pub id: i64,
    pub source: Source,
    pub external_id: String,
    pub kind: Kind,
    pub account_id: Option<String>,
    pub account_name: Option<String>,
    pub subject: String,
    pub body: String,
    pub tags: Vec<String>,
    pub url: Option<String>,
    pub created_at: DateTime<Utc>,
    pub received_at: DateTime<Utc>,
    pub lost_arr_cents: Option<i64>,
    pub classification: Classification,
}

impl Feedback {
    pub fn text(&self) -> String {
        if self.subject.is_empty() { self.body.clone() } else { format!("{}\n{}", self.subject, self.body) }
    }
}

/// A stored item (of a topic, for a pack), with its account's record where one is known.
#[derive(Debug, Clone, PartialEq)]
pub struct PackItem {
    pub item: Feedback,
    pub account_name: Option<String>,
    pub plan: Option<String>,
    pub arr_cents: Option<i64>,
    /// The stored item's `content_hash` (`NewFeedback::content_hash`): what a pack's hash covers of its content.
    pub content_hash: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(kind: Kind, survey: Option<SurveyScore>) -> NewFeedback {
        NewFeedback {
            source: Source::Generic,
            external_id: "1".into(),
            kind,
            account: AccountRef::default(),
            subject: String::new(),
            body: String::new(),
            tags: Vec::new(),
            url: None,
            created_at: Utc::now(),
            updated_at: None,
            lost_arr_cents: None,
            account_record: None,
            survey,
        }
    }

    #[test]
    fn a_survey_needs_a_score_on_its_scale_and_only_surveys_have_one() {
        let nps = |score| Some(SurveyScore { survey_type: SurveyType::Nps, score });
        assert!(item(Kind::Survey, nps(0)).check_survey().is_ok());
        assert!(item(Kind::Ticket, None).check_survey().is_ok());
        assert_eq!(item(Kind::Survey, None).check_survey().unwrap_err().field, "survey.score");
        assert_eq!(item(Kind::Survey, nps(11)).check_survey().unwrap_err().field, "survey.score", "a score built around the check");
        assert_eq!(item(Kind::Ticket, nps(5)).check_survey().unwrap_err().field, "survey");
    }
}
