//! Survey responses through the signed generic webhook, and the monthly review's KPIs against
//! hand computation (issue 21), on whichever backend the tests run.

use crate::helpers::{TestApp, expect_error, signed_headers, spawn_app};
use pushback::app::load_classifier;
use pushback::domain::{IssueState, NewIssueLink, Source, SurveyType, Tracker, Window};
use pushback::review::{Month, gather, render};
use pushback::store::IssueClaim;
use serde_json::{Value, json};

const SLOW: &str = "Checkout extremely slow since Monday, the checkout page takes 30-40 seconds to load";

fn survey(id: &str, kind: &str, score: i64, body: &str, at: &str) -> Value {
    json!({"id": id, "kind": "survey", "survey": {"type": kind, "score": score}, "body": body, "created_at": at,
           "account": {"id": format!("acct-{id}"), "name": format!("Account {id}"), "arr_cents": 1_000_000}})
}

async fn post(app: &TestApp, items: &[Value]) {
    let body = serde_json::to_string(items).unwrap();
    let response = app.post_webhook(Source::Generic, &body).await;
    assert_eq!(response.status(), 202, "{}", response.text().await.unwrap());
}

#[tokio::test]
async fn signed_survey_responses_are_stored_with_their_scores_and_bad_or_forged_ones_are_not() {
    let app = spawn_app().await;
    post(&app, &[survey("n-1", "nps", 3, SLOW, "2026-11-03T10:00:00Z"), survey("c-1", "csat", 5, "", "2026-11-04T10:00:00Z")]).await;
    let (from, to) = "2026-11".parse::<Month>().unwrap().window();
    let stored = app.store.survey_responses(from, to).await.unwrap();
    assert_eq!(stored.len(), 2);
    assert_eq!((stored[0].survey.survey_type, stored[0].survey.score), (SurveyType::Nps, 3));
    assert!(stored[0].performance, "the comment is classified like any item");
    assert_eq!(stored[0].arr_cents, Some(1_000_000));
    assert_eq!((stored[1].survey.survey_type, stored[1].survey.score, stored[1].body.as_str()), (SurveyType::Csat, 5, ""));

    let bad = [
        (survey("b-1", "nps", 11, "x", "2026-11-05T10:00:00Z"), "survey.score"),
        (survey("b-2", "csat", 0, "x", "2026-11-05T10:00:00Z"), "survey.score"),
        (survey("b-3", "ces", 4, "x", "2026-11-05T10:00:00Z"), "survey.type"),
        (json!({"id": "b-4", "kind": "survey", "survey": {"type": "nps"}, "body": "x"}), "survey.score"),
    ];
    for (item, field) in bad {
        let json = expect_error(app.post_webhook(Source::Generic, &item.to_string()).await, 400, field, &item.to_string()).await;
        assert_eq!(json["field"], field, "{json}");
    }
    let forged = survey("f-1", "nps", 10, "great", "2026-11-05T10:00:00Z").to_string();
    let mut headers = signed_headers(Source::Generic, forged.as_bytes(), chrono::Utc::now().timestamp());
    headers[0].1 = signed_headers(Source::Generic, b"something else", chrono::Utc::now().timestamp())[0].1.clone();
    assert_eq!(app.post_raw("generic", forged, &headers).await.status(), 401);
    assert_eq!(app.count().await, 2, "nothing refused was stored");
}

#[tokio::test]
async fn the_review_json_kpis_match_hand_computation() {
    let app = spawn_app().await;
    let nov = |d: u32| format!("2026-11-{d:02}T12:00:00Z");
    // November NPS: 5 promoters, 2 passives, 3 detractors; CSAT: 3 of 4 satisfied.
    let mut items: Vec<Value> = [10, 10, 9, 9, 9, 8, 7, 3, 0, 6]
        .iter()
        .enumerate()
        .map(|(i, &s)| survey(&format!("nps-{i}"), "nps", s, if s <= 6 { SLOW } else { "fine" }, &nov(i as u32 + 1)))
        .collect();
    items.extend([5, 4, 4, 2].iter().enumerate().map(|(i, &s)| survey(&format!("csat-{i}"), "csat", s, "", &nov(i as u32 + 20))));
    // October: 1 promoter, 2 detractors (NPS -33.3); no CSAT. December is outside the month.
    items
        .extend([10, 2, 2].iter().enumerate().map(|(i, &s)| survey(&format!("oct-{i}"), "nps", s, "", &format!("2026-10-1{i}T12:00:00Z"))));
    items.push(survey("dec-0", "nps", 0, SLOW, "2026-12-01T00:00:00Z"));
    post(&app, &items).await;

    let fixed_at = chrono::DateTime::parse_from_rfc3339("2026-11-15T00:00:00Z").unwrap().with_timezone(&chrono::Utc);
    close_issue(&app, "checkout-slow", "PROJ-7", fixed_at).await;
    let classifier = load_classifier(&app.settings, &app.store).await.unwrap();
    // A fixed "now", so the fix's after-window (22 November to 20 December) is always half seen.
    let now = chrono::DateTime::parse_from_rfc3339("2026-12-07T00:00:00Z").unwrap().with_timezone(&chrono::Utc);
    let review = gather(&app.store, &classifier, "2026-11".parse().unwrap(), (28, 7), now).await.unwrap();
    let json = serde_json::to_value(&review).unwrap();
    assert_eq!(json["month"], "2026-11");
    // 50% − 30% = 20; variance (0.5 + 0.3 − 0.2²)/10 = 0.076; 20 ± 1.96·√0.076·100 = 20 ± 54.03.
    assert_eq!(
        json["kpis"]["nps"],
        json!({"score": 20.0, "ci95": [-34.0, 74.0], "responses": 10, "promoters": 5, "passives": 2, "detractors": 3})
    );
    // 3/4 with Wilson's interval: 30.06% to 95.44%.
    assert_eq!(json["kpis"]["csat"], json!({"percent": 75.0, "ci95": [30.1, 95.4], "responses": 4, "satisfied": 3}));
    // NPS +20 against -33.3: z = 0.5333 / √(0.076 + 0.2963) = 0.874, p = 0.38.
    let change = &json["kpis"]["nps_change"];
    assert_eq!(change["difference"], 53.3);
    assert!((change["p_value"].as_f64().unwrap() - 0.382_071).abs() < 1e-4, "{change}");
    assert_eq!(change["text"], "up 53.3 points from last month (20.0 vs -33.3, p = 0.38); not a significant change");
    assert_eq!(json["kpis"]["csat_change"], Value::Null, "October had no CSAT responses");
    assert_eq!(json["kpis"]["nps_by_tag"]["performance"]["score"], -100.0, "the three detractors wrote about slowness");
    assert_eq!(json["headline"]["last_month"]["nps"]["responses"], 3);
    assert_eq!(json["headline"]["quarter"]["nps"]["responses"], 13);
    assert_eq!(review.voices.len(), 3);
    assert!(
        review.voices.iter().all(|v| v.score <= 6 && v.arr_cents == Some(1_000_000) && v.tags == ["performance"]),
        "{:?}",
        review.voices
    );

    let md = render::markdown(&review);
    assert!(md.contains("| NPS | +20.0 (95% CI -34.0 to +74.0, 10 responses) | -33.3 (95% CI "), "{md}");
    assert!(md.contains("75.0% (95% CI 30.1-95.4%, 4 responses)"), "{md}");
    // The fix: the three slow-checkout detractors in the 28 days before, the one on 1 December after.
    assert_eq!(review.fixes.len(), 1, "{:?}", review.fixes);
    let fix = &review.fixes[0];
    assert_eq!(
        (fix.key.as_str(), fix.topic.as_str(), fix.before, fix.after, fix.complete),
        ("PROJ-7", "checkout-slow", 3, 1, false),
        "the after-window runs to 20 December"
    );
    assert!(fix.summary.contains("after PROJ-7 was closed"), "{}", fix.summary);
    assert!(md.contains("## What we fixed and whether it worked\n\n- [PROJ-7](https://jira.example/PROJ-7), closed 2026-11-15: "), "{md}");
    let empty = gather(&app.store, &classifier, "2026-08".parse().unwrap(), (28, 7), now).await.unwrap();
    let empty_json = serde_json::to_value(&empty).unwrap();
    assert_eq!(empty_json["kpis"]["nps"]["score"], Value::Null);
    assert_eq!(empty_json["kpis"]["nps"]["responses"], 0);
    assert!(render::markdown(&empty).contains("| NPS | no responses |"), "an empty month says so, never 0");
    assert!(empty.fixes.is_empty(), "PROJ-7 was closed in November");
}

/// A Jira issue filed from `topic`'s pack and closed as done at `at`.
async fn close_issue(app: &TestApp, topic: &str, key: &str, at: chrono::DateTime<chrono::Utc>) {
    let link = NewIssueLink {
        topic: topic.into(),
        tracker: Tracker::Jira,
        pack_hash: "h".into(),
        window: Window { from: at - chrono::Duration::days(90), to: at },
        created_by: "U1".into(),
        slack_channel: None,
        slack_ts: None,
    };
    let IssueClaim::Claimed(id) = app.store.claim_issue(&link, at).await.unwrap() else { panic!("claimed") };
    app.store.complete_issue(id, key, &format!("https://jira.example/{key}")).await.unwrap();
    assert!(app.store.set_issue_state(Tracker::Jira, key, IssueState::Done, at).await.unwrap());
}
