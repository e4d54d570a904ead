//! "Survey voices": NPS detractors whose comment is tagged performance or reliability, with
//! their account and its ARR.

use super::VOICES;
use super::figures::is_nps;
use crate::store::SurveyResponse;
use chrono::{DateTime, Utc};
use serde::Serialize;

/// A detractor's comment tagged performance or reliability.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Voice {
    pub score: i64,
    pub created_at: DateTime<Utc>,
    pub account: Option<String>,
    pub arr_cents: Option<i64>,
    pub tags: Vec<String>,
    /// Personal data (emails, phone numbers, cards) redacted.
    pub comment: String,
}

/// Up to `VOICES` NPS detractors (0-6) with a comment tagged performance or reliability,
/// largest ARR first, then lowest score, then oldest.
pub fn voices(responses: &[SurveyResponse]) -> Vec<Voice> {
    let mut picked: Vec<&SurveyResponse> = responses
        .iter()
        .filter(|r| is_nps(r) && r.survey.score <= 6 && (r.performance || r.reliability) && !r.body.trim().is_empty())
        .collect();
    picked.sort_by(|a, b| {
        b.arr_cents.unwrap_or(0).cmp(&a.arr_cents.unwrap_or(0)).then(a.survey.score.cmp(&b.survey.score)).then(a.id.cmp(&b.id))
    });
    picked
        .into_iter()
        .take(VOICES)
        .map(|r| Voice {
            score: r.survey.score,
            created_at: r.created_at,
            account: r.account_name.clone().or_else(|| r.account_id.clone()),
            arr_cents: r.arr_cents,
            tags: [(r.performance, "performance"), (r.reliability, "reliability")]
                .iter()
                .filter(|t| t.0)
                .map(|t| t.1.to_string())
                .collect(),
            comment: crate::redact::redact(r.body.trim()),
        })
        .collect()
}
