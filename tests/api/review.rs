//! Survey responses through the signed generic webhook, and the monthly review's KPIs against
//! hand computation (issue 21), on whichever backend the tests run.

use crate::helpers::{TestApp, expect_error, signed_headers, spawn_app};
use pushback::app::load_classifier;
use pushback::domain::{IssueState, NewIssueLink, Source, StoredTopic, SurveyType, TopicDraft, Tracker, Window};
use pushback::review::{Month, Sources, gather, render};
use pushback::store::IssueClaim;
use serde_json::{Value, json};

const SLOW: &str = "Checkout extremely slow since Monday, the checkout page takes 30-40 seconds to load";

fn survey(id: &str, kind: &str, score: i64, body: &str, at: &str) -> Value {
    json!({"id": id, "kind": "survey", "survey": {"type": kind, "score": score}, "body": body, "created_at": at,
           "account": {"id": format!("acct-{id}"), "name": format!("Account {id}"), "arr_cents": 1_000_000}})
}

/// The review's sources without a Prometheus: no topic here links a metric.
fn sources<'a>(app: &'a TestApp, classifier: &'a pushback::classify::Classifier) -> Sources<'a> {
    static NONE: std::sync::OnceLock<pushback::prometheus::Source> = std::sync::OnceLock::new();
    Sources { store: &app.store, classifier, prometheus: NONE.get_or_init(pushback::prometheus::Source::default) }
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
    open_issue_and_made_topic(&app).await;
    let classifier = load_classifier(&app.settings, &app.store).await.unwrap();
    // A fixed "now", so the fix's after-window (22 November to 20 December) is always half seen.
    let now = chrono::DateTime::parse_from_rfc3339("2026-12-07T00:00:00Z").unwrap().with_timezone(&chrono::Utc);
    let review = gather(sources(&app, &classifier), "2026-11".parse().unwrap(), (28, 7), now).await.unwrap();
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

    assert_new_sections(&json);
    let md = render::markdown(&review);
    assert_new_markdown(&md);
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
    let empty = gather(sources(&app, &classifier), "2026-08".parse().unwrap(), (28, 7), now).await.unwrap();
    let empty_json = serde_json::to_value(&empty).unwrap();
    assert_eq!(empty_json["kpis"]["nps"]["score"], Value::Null);
    assert_eq!(empty_json["kpis"]["nps"]["responses"], 0);
    assert!(render::markdown(&empty).contains("| NPS | no responses |"), "an empty month says so, never 0");
    assert!(empty.fixes.is_empty(), "PROJ-7 was closed in November");
}

/// An open issue filed from a pack on 3 November, and a topic made that day.
async fn open_issue_and_made_topic(app: &TestApp) {
    // Filed from a pack on 3 November at noon and still open: 27 whole days old when November ends.
    let filed = chrono::DateTime::parse_from_rfc3339("2026-11-03T12:00:00Z").unwrap().with_timezone(&chrono::Utc);
    file_issue(app, "search-slow", "PROJ-9", filed).await;
    let draft = TopicDraft {
        slug: "invoice-wrong".into(),
        title: "Invoices are wrong".into(),
        patterns: vec![r"\binvoice".into()],
        category: None,
    };
    assert!(app.store.insert_stored_topic(&StoredTopic::from_draft(draft, "slack:U1", filed)).await.unwrap());
}

/// Open issues, new this month, agenda and glossary in the Markdown.
fn assert_new_markdown(md: &str) {
    for section in
        ["## New this month", "### Topics made this month\n\n- Invoices are wrong (`invoice-wrong`), made 2026-11-03 by slack:U1"]
    {
        assert!(md.contains(section), "{section}: {md}");
    }
    assert!(md.contains("| [PROJ-9](https://jira.example/PROJ-9) (jira) | `search-slow` | 2026-11-03 | 27 days |"), "{md}");
    assert!(md.contains("## Proposed agenda\n\nTopics ranked by the sum of their places by ARR at risk and by the evidence that they are rising.\n\n1. **Checkout is slow** (`checkout-slow`): 1st of 1"), "{md}");
    assert!(md.contains("## Glossary\n\n- **performance**: "), "{md}");
}

/// Open issues, new this month, agenda, glossary, history and trends in the JSON.
fn assert_new_sections(json: &Value) {
    assert_eq!(
        (&json["open_issues"][0]["key"], &json["open_issues"][0]["age_days"], &json["open_issues"][0]["tracker"]),
        (&json!("PROJ-9"), &json!(27), &json!("jira"))
    );
    assert_eq!(json["open_issues"].as_array().unwrap().len(), 1, "PROJ-7 is closed");
    assert_eq!(json["new_this_month"]["made"][0]["slug"], "invoice-wrong");
    assert_eq!(json["new_this_month"]["made"][0]["created_by"], "slack:U1");
    let agenda = &json["agenda"][0];
    assert_eq!((&agenda["rank"], &agenda["slug"]), (&json!(1), &json!("checkout-slow")));
    assert!(
        agenda["reason"]
            .as_str()
            .unwrap()
            .starts_with("1st of 1 by ARR at risk ($30,000 across 3 accounts); 1st of 1 by evidence of rising"),
        "{agenda}"
    );
    let glossary_topics: Vec<&str> = json["glossary"]["topics"].as_array().unwrap().iter().map(|t| t["slug"].as_str().unwrap()).collect();
    assert_eq!(glossary_topics, ["checkout-slow"], "the topics with items this month");
    assert_eq!(json["glossary"]["categories"].as_array().unwrap().len(), 2);
    let history = json["history"].as_array().unwrap();
    assert_eq!((history.len(), &history[5]["month"], &history[5]["figures"]["nps"]["responses"]), (6, &json!("2026-11"), &json!(10)));
    assert_eq!((&history[4]["month"], &history[4]["figures"]["nps"]["score"]), (&json!("2026-10"), &json!(-33.3)));
    assert_eq!(history[0]["figures"]["nps"]["score"], Value::Null, "June had no responses");
    assert_eq!(json["trends"][0]["weekly"].as_array().unwrap().len(), 13, "the quarter's 91 days are 13 whole weeks");
}

/// A Jira issue filed from `topic`'s pack and closed as done at `at`.
async fn close_issue(app: &TestApp, topic: &str, key: &str, at: chrono::DateTime<chrono::Utc>) {
    file_issue(app, topic, key, at).await;
    assert!(app.store.set_issue_state(Tracker::Jira, key, IssueState::Done, at).await.unwrap());
}

/// A Jira issue filed from `topic`'s pack at `at`, open.
async fn file_issue(app: &TestApp, topic: &str, key: &str, at: chrono::DateTime<chrono::Utc>) {
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
}

/// November's surveys and complaints, one comment carrying markup that must stay text.
async fn november_history(app: &TestApp) {
    let nov = |d: u32| format!("2026-11-{d:02}T12:00:00Z");
    let mut items: Vec<Value> = [10, 9, 8, 3, 0, 6]
        .iter()
        .enumerate()
        .map(|(i, &s)| survey(&format!("nps-{i}"), "nps", s, if s <= 6 { SLOW } else { "fine" }, &nov(i as u32 + 1)))
        .collect();
    items.push(survey(
        "nps-x",
        "nps",
        2,
        "Checkout is slow <script>console.error('injected')</script><img src=\"http://evil.example/x.png\"> it's p95 < 30 s & \"timeouts\"",
        &nov(9),
    ));
    items.extend([5, 4, 2].iter().enumerate().map(|(i, &s)| survey(&format!("csat-{i}"), "csat", s, "", &nov(i as u32 + 20))));
    items.extend([10, 2].iter().enumerate().map(|(i, &s)| survey(&format!("oct-{i}"), "nps", s, SLOW, &format!("2026-10-1{i}T12:00:00Z"))));
    post(app, &items).await;
}

#[tokio::test]
async fn the_chromium_harness_sees_console_errors_and_network_requests() {
    let Some(chromium) = crate::chromium::chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("bad.html");
    std::fs::write(
        &page,
        "<!DOCTYPE html><html><body><p>x</p><script>console.error('boom')</script><img src=\"http://127.0.0.1:9/x.png\"></body></html>",
    )
    .unwrap();
    let report = crate::chromium::open(&chromium, &page).await;
    assert!(report.errors.iter().any(|e| e.contains("boom")), "{report:?}");
    assert!(report.requests.iter().any(|u| u == "http://127.0.0.1:9/x.png"), "{report:?}");
}

#[tokio::test]
async fn the_review_html_loads_in_chromium_with_no_error_no_request_and_charts_with_a_size() {
    let app = spawn_app().await;
    november_history(&app).await;
    let classifier = load_classifier(&app.settings, &app.store).await.unwrap();
    let now = chrono::DateTime::parse_from_rfc3339("2026-12-07T00:00:00Z").unwrap().with_timezone(&chrono::Utc);
    let review = gather(sources(&app, &classifier), "2026-11".parse().unwrap(), (28, 7), now).await.unwrap();
    let html = render::html(&review);
    // Customer text is text: the comment's markup is escaped, and the page has no script at all.
    assert!(!html.to_ascii_lowercase().contains("<script"), "no script element");
    // (Ingest already drops the tags; what is left is escaped.)
    assert!(html.contains("it&#39;s p95 &lt; 30 s &amp; &quot;timeouts&quot;"), "{html}");
    assert!(!html.contains("evil.example\"") && !html.contains("console.error('"), "{html}");
    assert!(html.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"));
    for section in render::SECTIONS {
        assert!(html.contains(&format!(". {section}</h2>")), "{section}");
    }
    assert!(html.contains("@page { size: A4"), "prints to A4");
    assert_eq!(review.trends.len(), review.topics.len());
    assert!(!review.topics.is_empty(), "the slow-checkout comments make a topic");

    let Some(chromium) = crate::chromium::chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("review-2026-11.html");
    std::fs::write(&page, &html).unwrap();
    let report = crate::chromium::open(&chromium, &page).await;
    assert!(report.errors.is_empty(), "console errors: {:?}", report.errors);
    assert_eq!(report.requests, [format!("file://{}", page.display())], "the document itself, and nothing else");
    // Two KPI charts and one trend chart per top topic, each laid out with a size.
    assert_eq!(report.svg_sizes.len(), 2 + review.trends.len(), "{:?}", report.svg_sizes);
    assert!(report.svg_sizes.iter().all(|&(w, h)| w > 100.0 && h > 50.0), "{:?}", report.svg_sizes);
}
