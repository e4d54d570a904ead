//! The demo's survey answers, deterministic for a seed and end date, so `pushback review` on
//! the demo's database has real KPIs: NPS answers over the whole window (the older ones in the
//! generic import, the last week's as signed Typeform webhooks) and Zendesk satisfaction
//! ratings (CSAT good/bad) on the history's tickets, pulled through the fake Zendesk API.
//!
//! Comments are seed-corpus lines. The story they tell: respondents who complain about speed
//! or breakage score low (mostly detractors, `bad` ratings); the others mostly recommend.

use crate::classify::seed::SeedRow;
use crate::domain::{Account, AccountRef, Kind, NewFeedback, Source, SurveyScore, SurveyType};
use crate::rng::Rng;
use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

/// The demo's Typeform form: the refs of its questions.
pub const SCORE_FIELD: &str = "nps_score";
pub const COMMENT_FIELD: &str = "nps_reason";

/// Short seed lines (not cancellations) that complain of speed or breakage (`true`) or do not.
fn comments(corpus: &[SeedRow], complaints: bool) -> Vec<&str> {
    corpus
        .iter()
        .filter(|r| r.kind != Kind::ChurnNote && r.text.len() <= 200 && (r.performance || r.reliability) == complaints)
        .map(|r| r.text.as_str())
        .collect()
}

/// An NPS score: complainers are mostly detractors, the others mostly promoters.
fn nps_score(rng: &mut Rng, complains: bool) -> i64 {
    let roll = rng.unit();
    match (complains, roll) {
        (true, r) if r < 0.75 => rng.below(7) as i64,
        (true, r) if r < 0.92 => 7 + rng.below(2) as i64,
        (true, _) => 9 + rng.below(2) as i64,
        (false, r) if r < 0.12 => 3 + rng.below(4) as i64,
        (false, r) if r < 0.35 => 7 + rng.below(2) as i64,
        (false, _) => 9 + rng.below(2) as i64,
    }
}

/// `count` NPS answers over `days` days before `end`, oldest first, as generic survey items
/// (`nps-<seed>-<n>`). About a third complain, a third praise, a third leave no comment.
pub fn nps_answers(count: usize, seed: u64, end: DateTime<Utc>, days: i64, corpus: &[SeedRow], accounts: &[Account]) -> Vec<NewFeedback> {
    let mut rng = Rng::new(seed ^ 0x5E_u64.rotate_left(40));
    let (bad, good) = (comments(corpus, true), comments(corpus, false));
    let mut out: Vec<NewFeedback> = (0..count)
        .map(|n| {
            let when = end - Duration::seconds(rng.below((days * 86_400) as u64) as i64);
            let roll = rng.unit();
            let complains = roll < 0.35;
            let body = if complains {
                rng.pick(&bad).to_string()
            } else if roll < 0.65 && !good.is_empty() {
                rng.pick(&good).to_string()
            } else {
                String::new()
            };
            let score = nps_score(&mut rng, complains);
            let account = rng.pick(accounts);
            NewFeedback {
                source: Source::Generic,
                external_id: format!("nps-{seed}-{n}"),
                kind: Kind::Survey,
                account: AccountRef { id: Some(account.id.clone()), name: account.name.clone() },
                subject: String::new(),
                body,
                tags: Vec::new(),
                url: None,
                created_at: when,
                updated_at: None,
                lost_arr_cents: None,
                account_record: None,
                survey: Some(SurveyScore { survey_type: SurveyType::Nps, score }),
            }
        })
        .collect();
    out.sort_by_key(|i| i.created_at);
    out
}

/// An NPS answer as Typeform's `form_response` webhook sends it (the token is its id, the
/// account a hidden field).
pub fn typeform_payload(item: &NewFeedback) -> Value {
    let submitted = item.created_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let score = item.survey.map_or(0, |s| s.score);
    let mut answers = vec![json!({"type": "number", "number": score, "field": {"id": "Nps0Score01", "type": "nps", "ref": SCORE_FIELD}})];
    if !item.body.is_empty() {
        answers.push(json!({"type": "text", "text": item.body, "field": {"id": "Nps0Reason1", "type": "long_text", "ref": COMMENT_FIELD}}));
    }
    json!({
        "event_id": format!("evt-{}", item.external_id), "event_type": "form_response",
        "form_response": {"form_id": "DemoNps1", "token": item.external_id, "landed_at": submitted, "submitted_at": submitted,
            "hidden": {"account": item.account.id},
            "definition": {"id": "DemoNps1", "title": "How likely are you to recommend us?", "fields": [
                {"id": "Nps0Score01", "title": "How likely are you to recommend us to a friend or colleague?", "type": "nps", "ref": SCORE_FIELD},
                {"id": "Nps0Reason1", "title": "What is the main reason for your score?", "type": "long_text", "ref": COMMENT_FIELD}]},
            "answers": answers}
    })
}

/// Satisfaction ratings (Zendesk's rating objects) on about half of `tickets`, given a day or
/// two after each ticket and never in the last two minutes: `bad` with a complaint for a third,
/// `good` (sometimes with praise) for the rest.
pub fn zendesk_ratings(tickets: &[Value], seed: u64, now: DateTime<Utc>, corpus: &[SeedRow]) -> Vec<Value> {
    let mut rng = Rng::new(seed ^ 0xC5A7);
    let (bad, good) = (comments(corpus, true), comments(corpus, false));
    let mut out = Vec::new();
    for ticket in tickets {
        let (Some(id), Some(created)) = (ticket["id"].as_i64(), ticket["created_at"].as_str().and_then(crate::ingest::sources::parse_time))
        else {
            continue;
        };
        if !rng.chance(0.5) {
            continue;
        }
        let at = (created + Duration::seconds(86_400 + rng.below(86_400) as i64)).min(now - Duration::minutes(2));
        let is_bad = rng.chance(0.33);
        let comment = match (is_bad, rng.unit()) {
            (true, r) if r < 0.8 => Some(rng.pick(&bad).to_string()),
            (false, r) if r < 0.3 && !good.is_empty() => Some(rng.pick(&good).to_string()),
            _ => None,
        };
        let stamp = at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        out.push(
            json!({"id": 700_000 + id, "url": format!("https://example.zendesk.com/api/v2/satisfaction_ratings/{}.json", 700_000 + id),
            "assignee_id": 135, "group_id": 44, "requester_id": 1000 + id, "ticket_id": id, "score": if is_bad { "bad" } else { "good" },
            "comment": comment, "created_at": stamp, "updated_at": stamp}),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::sources::typeform::SurveyForm;
    use crate::ingest::sources::{ParseContext, Parsed, parse};

    #[test]
    fn the_demos_answers_are_deterministic_scored_by_their_comments_and_parse_as_their_vendors_send_them() {
        let end = chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 11, 30, 23, 59, 59).unwrap();
        let params = crate::synth::GenParams { count: 10, seed: 7, end, days: 56, accounts: Some(10) };
        let accounts = crate::synth::accounts(&params);
        let corpus = crate::classify::seed::corpus_rows();
        let a = nps_answers(200, 7, end, 56, &corpus, &accounts);
        assert_eq!(a, nps_answers(200, 7, end, 56, &corpus, &accounts));
        let detractor_share = |complains: bool| {
            let group: Vec<_> = a.iter().filter(|i| comments(&corpus, true).contains(&i.body.as_str()) == complains).collect();
            group.iter().filter(|i| i.survey.unwrap().score <= 6).count() as f64 / group.len() as f64
        };
        assert!(detractor_share(true) > 0.5 && detractor_share(false) < 0.25, "{} {}", detractor_share(true), detractor_share(false));
        assert!(a.iter().any(|i| i.body.is_empty()) && a.iter().all(|i| i.check_survey().is_ok()));

        let ctx = ParseContext {
            survey_form: SurveyForm {
                score_field: Some(SCORE_FIELD.into()),
                comment_field: Some(COMMENT_FIELD.into()),
                survey: Some("nps".into()),
            },
            ..ParseContext::now()
        };
        for item in a.iter().take(20) {
            let body = typeform_payload(item).to_string();
            let Ok(Parsed::Items(parsed)) = parse(Source::Typeform, &http::HeaderMap::new(), body.as_bytes(), &ctx) else {
                panic!("{body}")
            };
            assert_eq!((parsed[0].survey, &parsed[0].body, &parsed[0].account.id), (item.survey, &item.body, &item.account.id));
        }

        let tickets: Vec<Value> = (1..=40).map(|i| json!({"id": i, "created_at": "2026-11-10T10:00:00Z"})).collect();
        let ratings = zendesk_ratings(&tickets, 7, end, &corpus);
        assert_eq!(ratings, zendesk_ratings(&tickets, 7, end, &corpus));
        assert!(ratings.len() > 10 && ratings.iter().any(|r| r["score"] == "bad") && ratings.iter().any(|r| r["score"] == "good"));
        let Ok(Parsed::Items(parsed)) = parse(
            Source::Zendesk,
            &http::HeaderMap::new(),
            json!({"satisfaction_rating": ratings[0]}).to_string().as_bytes(),
            &ParseContext::now(),
        ) else {
            panic!()
        };
        assert_eq!(parsed[0].kind, Kind::Survey);
    }
}
