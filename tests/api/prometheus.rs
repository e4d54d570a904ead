//! A topic's Prometheus metric in the evidence pack, against a real Prometheus with a known
//! backfilled series (`scripts/prometheus_test.sh`, started by `.ci/run`), and without one.

use crate::helpers::{TestApp, spawn_app};
use chrono::{DateTime, Duration, NaiveDate, SecondsFormat, Utc};
use pushback::classify::rules::Rules;
use pushback::classify::{Classifier, seed};
use pushback::config::PrometheusSettings;
use pushback::domain::Source;
use pushback::evidence::metric::number;
use pushback::evidence::render::{Format, render};
use pushback::evidence::{self, Request};
use pushback::prometheus;
use pushback::review::{self, Month, Review, Sources, gather};
use serde_json::{Value, json};

/// The checkout topic with `metric`: a range query over the series sampled once a day at 23:59
/// (`RANGE`) or an instant query over the one sampled every 10 minutes from 00:00 (`INSTANT`).
fn rules(metric: &str) -> String {
    format!(
        r#"
[[topic]]
slug = "checkout-slow"
title = "Checkout is slow"
patterns = ['\bcheckout\b']
metric = '{metric}'
metric_label = "checkout latency (s)"
"#
    )
}

const RANGE: &str = "max_over_time(pushback_ci_checkout_latency_seconds[1d])";
const INSTANT: &str = "max(pushback_ci_checkout_latency_gauge)";

/// The value of both series `scripts/prometheus_test.sh` backfills on a day.
fn known_value(day: NaiveDate) -> f64 {
    let days = (day - NaiveDate::from_ymd_opt(1970, 1, 1).unwrap()).num_days();
    ((days * 37) % 11) as f64 + 0.5
}

/// Complaints on each of the last 20 days: (days ago, how many).
fn complaints_per_day() -> Vec<(i64, usize)> {
    (1..=20).map(|d| (d, ((d * 7) % 5) as usize)).collect()
}

fn created(days_ago: i64, now: DateTime<Utc>) -> DateTime<Utc> {
    let day = (now - Duration::days(days_ago)).date_naive();
    day.and_hms_opt(12, 0, 0).unwrap().and_utc()
}

async fn ingest_complaints(app: &TestApp, now: DateTime<Utc>) {
    let mut items = Vec::new();
    for (ago, n) in complaints_per_day() {
        for k in 0..n {
            let at = created(ago, now).to_rfc3339_opts(SecondsFormat::Secs, true);
            items.push(
                json!({"id": format!("c{ago}-{k}"), "kind": "ticket", "body": format!("Checkout is slow again ({k})"), "created_at": at}),
            );
        }
    }
    let response = app.post_webhook(Source::Generic, &Value::Array(items).to_string()).await;
    assert_eq!(response.status(), 202, "{}", response.text().await.unwrap());
}

async fn pack_answer(app: &TestApp, source: &prometheus::Source, now: DateTime<Utc>, metric: &str) -> evidence::Answer {
    let classifier = Classifier::new(seed::default_model(), Rules::parse(&rules(metric), "test rules").unwrap());
    evidence::answer(&app.store, &classifier, source, &Request::last_days("checkout-slow", 30, now), now).await.expect("answer")
}

async fn pack_json(app: &TestApp, source: &prometheus::Source, now: DateTime<Utc>, metric: &str) -> Value {
    serde_json::from_slice(&render(&pack_answer(app, source, now, metric).await, Format::Json).unwrap()).unwrap()
}

/// The test Prometheus, when one runs.
fn real_prometheus() -> Option<prometheus::Source> {
    let Ok(url) = std::env::var("PUSHBACK_TEST_PROMETHEUS_URL") else {
        eprintln!(
            "skipped: PUSHBACK_TEST_PROMETHEUS_URL is unset (`eval \"$(bash scripts/prometheus_test.sh start)\"` starts one; .ci/run does)"
        );
        return None;
    };
    Some(prometheus::Source::new(&PrometheusSettings { url: Some(url), ..Default::default() }).unwrap())
}

/// Every ended day of the pack's metric carries that day's own value, and today none yet.
fn assert_each_day_has_its_own_value(metric: &Value, today: NaiveDate) {
    assert_eq!(metric["unavailable"], Value::Null, "{metric}");
    for d in metric["daily"].as_array().unwrap() {
        let day: NaiveDate = d["day"].as_str().unwrap().parse().unwrap();
        let expected = if day == today { None } else { Some(known_value(day)) };
        assert_eq!(d["value"].as_f64(), expected, "metric on {day} (today {today})");
    }
}

#[tokio::test]
async fn an_instant_query_reads_its_own_day_not_the_next_midnight() {
    let Some(source) = real_prometheus() else { return };
    let app = spawn_app().await;
    let now = Utc::now();
    ingest_complaints(&app, now).await;
    // Evaluated as written at the midnight ending each day, `max(gauge)` would read the sample
    // on that midnight: the next day's value, and a 1-day lag where there is none.
    let pack = pack_json(&app, &source, now, INSTANT).await;
    assert_each_day_has_its_own_value(&pack["metric"], now.date_naive());
    assert_eq!(pack["metric"]["correlation"][0]["lag_days"], 0);
    // The range form over the once-a-day series reads the same values.
    let range = pack_json(&app, &source, now, RANGE).await;
    assert_each_day_has_its_own_value(&range["metric"], now.date_naive());
    assert_eq!(range["metric"]["daily"], pack["metric"]["daily"]);
}

/// The text elements of an SVG document.
fn svg_texts(svg: &[u8]) -> Vec<String> {
    let svg = std::str::from_utf8(svg).unwrap();
    let doc = roxmltree::Document::parse(svg).expect("the SVG is XML");
    doc.descendants().filter(|n| n.has_tag_name("text")).filter_map(|n| n.text()).map(|t| t.trim().to_string()).collect()
}

/// Spearman's ρ written plainly, as a reference: average ranks by counting, then Pearson.
fn reference_rho(x: &[f64], y: &[f64]) -> f64 {
    let ranks = |v: &[f64]| -> Vec<f64> {
        v.iter()
            .map(|a| {
                let below = v.iter().filter(|b| *b < a).count() as f64;
                let equal = v.iter().filter(|b| *b == a).count() as f64;
                below + (equal + 1.0) / 2.0
            })
            .collect()
    };
    let (rx, ry) = (ranks(x), ranks(y));
    let n = rx.len() as f64;
    let (mx, my) = (rx.iter().sum::<f64>() / n, ry.iter().sum::<f64>() / n);
    let cov: f64 = rx.iter().zip(&ry).map(|(a, b)| (a - mx) * (b - my)).sum();
    let vx: f64 = rx.iter().map(|a| (a - mx).powi(2)).sum();
    let vy: f64 = ry.iter().map(|b| (b - my).powi(2)).sum();
    cov / (vx * vy).sqrt()
}

#[tokio::test]
async fn the_pack_carries_the_metric_and_its_correlation_from_a_real_prometheus() {
    let Some(source) = real_prometheus() else { return };
    let app = spawn_app().await;
    let now = Utc::now();
    ingest_complaints(&app, now).await;
    let pack = pack_json(&app, &source, now, RANGE).await;
    let metric = &pack["metric"];
    assert_eq!(metric["unavailable"], Value::Null, "{metric}");
    let daily = metric["daily"].as_array().unwrap();
    assert_eq!(daily.len(), 30);
    let today = now.date_naive();
    let (mut complaints, mut values) = (Vec::new(), Vec::new());
    for d in daily {
        let day: NaiveDate = d["day"].as_str().unwrap().parse().unwrap();
        let ago = (today - day).num_days();
        let expected = complaints_per_day().iter().find(|(a, _)| *a == ago).map_or(0, |(_, n)| *n);
        assert_eq!(d["complaints"].as_u64().unwrap() as usize, expected, "complaints on {day}");
        if day == today {
            assert_eq!(d["value"], Value::Null, "today has not ended: no value yet");
            continue;
        }
        assert_eq!(d["value"].as_f64(), Some(known_value(day)), "metric on {day}");
        complaints.push(expected as f64);
        values.push(known_value(day));
    }
    let lag0 = &metric["correlation"][0];
    assert_eq!(lag0["lag_days"], 0);
    assert_eq!(lag0["n"].as_u64().unwrap() as usize, values.len());
    let rho = lag0["rho"].as_f64().unwrap();
    let expected = reference_rho(&values, &complaints);
    assert!((rho - expected).abs() < 1e-9, "ρ {rho} vs reference {expected}");
    assert_eq!(metric["correlation"].as_array().unwrap().len(), 4, "lags 0 to 3");
    let previous_mean = metric["previous"]["mean"].as_f64().unwrap();
    let prev_days: Vec<f64> = (30..=59).map(|ago| known_value(today - Duration::days(ago))).collect();
    assert!((previous_mean - prev_days.iter().sum::<f64>() / 30.0).abs() < 1e-9);
    assert!(metric["association_text"].as_str().unwrap().contains("checkout latency (s)"));

    // The chart draws the same series on its own axis.
    let answer = pack_answer(&app, &source, now, RANGE).await;
    let texts = svg_texts(&render(&answer, Format::Svg).unwrap());
    assert!(texts.contains(&"checkout latency (s)".to_string()), "the right axis is titled: {texts:?}");
    assert!(texts.contains(&"checkout latency (s), weekly mean (right axis)".to_string()), "{texts:?}");
    let png_bytes = render(&answer, Format::Png).unwrap();
    let mut reader = png::Decoder::new(png_bytes.as_slice()).read_info().unwrap();
    let mut px = vec![0; reader.output_buffer_size()];
    reader.next_frame(&mut px).unwrap();
    let orange = pushback::evidence::render::chart::METRIC;
    let line = px.chunks(3).filter(|p| *p == [orange.0, orange.1, orange.2]).count();
    assert!(line > 300, "the metric's line is drawn: {line} pixels");
}

#[tokio::test]
async fn an_unreachable_or_silent_prometheus_leaves_the_pack_with_the_reason() {
    let app = spawn_app().await;
    let now = Utc::now();
    ingest_complaints(&app, now).await;
    // Nothing listens on a port just bound and closed.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let down =
        prometheus::Source::new(&PrometheusSettings { url: Some(format!("http://127.0.0.1:{port}")), ..Default::default() }).unwrap();
    let pack = pack_json(&app, &down, now, RANGE).await;
    assert_eq!(pack["items"], 40, "the complaints are all there");
    let reason = pack["metric"]["unavailable"].as_str().unwrap();
    assert!(reason.starts_with("cannot reach Prometheus at http://127.0.0.1:"), "{reason}");
    assert!(pack["metric"]["association_text"].as_str().unwrap().starts_with("checkout latency (s) is not shown: cannot reach Prometheus"));

    // A Prometheus that accepts the connection and never answers: the pack waits only the timeout.
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = silent.local_addr().unwrap();
    let _held = tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((socket, _)) = silent.accept().await {
            open.push(socket);
        }
    });
    let settings = PrometheusSettings { url: Some(format!("http://{address}")), timeout_ms: 300, ..Default::default() };
    let pack = pack_json(&app, &prometheus::Source::new(&settings).unwrap(), now, INSTANT).await;
    assert_eq!(pack["metric"]["unavailable"], format!("Prometheus at http://{address} did not answer within 0.3 s"));
}

/// The mean of the backfilled values on `month`'s days; the script's series covers the 60 days
/// before `today` (today has none yet), so a month may be covered in part or not at all.
fn expected_month_mean(month: Month, today: NaiveDate) -> Option<f64> {
    let (from, to) = month.window();
    let first_backfilled = today - Duration::days(60);
    let values: Vec<f64> = (0..(to - from).num_days())
        .map(|d| from.date_naive() + Duration::days(d))
        .filter(|day| *day >= first_backfilled && *day < today)
        .map(known_value)
        .collect();
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

async fn review_json(app: &TestApp, source: &prometheus::Source, month: Month, now: DateTime<Utc>, metric: &str) -> (Value, Review) {
    let classifier = Classifier::new(seed::default_model(), Rules::parse(&rules(metric), "test rules").unwrap());
    let sources = Sources { store: &app.store, classifier: &classifier, prometheus: source };
    let review = gather(sources, month, (28, 7), now).await.expect("review");
    (serde_json::from_str(&review::render::json(&review)).unwrap(), review)
}

/// Complaints about slow checkout on the 2nd to 4th of `month`, so the topic is among its top ones.
async fn ingest_month_complaints(app: &TestApp, month: Month) {
    let items: Vec<Value> = (1..4)
        .map(|d| {
            let at = (month.start() + Duration::days(d) + Duration::hours(12)).to_rfc3339_opts(SecondsFormat::Secs, true);
            json!({"id": format!("m{d}"), "kind": "ticket", "created_at": at,
                   "body": "Checkout extremely slow since Monday, the checkout page takes 30-40 seconds to load"})
        })
        .collect();
    let response = app.post_webhook(Source::Generic, &Value::Array(items).to_string()).await;
    assert_eq!(response.status(), 202, "{}", response.text().await.unwrap());
}

#[tokio::test]
async fn the_review_gives_each_top_topics_metric_change_from_last_month_from_a_real_prometheus() {
    let Some(source) = real_prometheus() else { return };
    let app = spawn_app().await;
    // The backfill ends today, so the month is the last complete one before today; the hour is
    // fixed (noon) so nothing depends on when in the day the test runs.
    let today = Utc::now().date_naive();
    let now = today.and_hms_opt(12, 0, 0).unwrap().and_utc();
    let month = Month::last_complete(now);
    ingest_month_complaints(&app, month).await;
    let (this, last) = (expected_month_mean(month, today), expected_month_mean(month.previous(), today));
    let this = this.expect("the last complete month always overlaps the 60 backfilled days");
    for query in [RANGE, INSTANT] {
        let (json, review) = review_json(&app, &source, month, now, query).await;
        let topic = json["topics"].as_array().unwrap().iter().find(|t| t["slug"] == "checkout-slow").expect("a top topic");
        let metric = &topic["metric"];
        assert_eq!(metric["label"], "checkout latency (s)");
        let got = metric["this_month"]["mean"].as_f64().unwrap();
        assert!((got - this).abs() < 1e-9, "{query}: {month} mean {got} vs {this} from the backfill's formula");
        match last {
            Some(last) => {
                let got_last = metric["last_month"]["mean"].as_f64().unwrap();
                assert!((got_last - last).abs() < 1e-9, "{query}: {} mean {got_last} vs {last}", month.previous());
                assert!((metric["change"].as_f64().unwrap() - (this - last)).abs() < 1e-9, "{metric}");
                assert!((metric["change_percent"].as_f64().unwrap() - 100.0 * (this - last) / last).abs() < 1e-9, "{metric}");
                assert_eq!(metric["unavailable"], Value::Null);
            }
            // Only when the month before lies wholly before the backfill (e.g. on 31 August).
            None => {
                assert_eq!(metric["change"], Value::Null);
                let why = format!("Prometheus has no values for {} to compare with", month.previous());
                assert_eq!(metric["unavailable"].as_str(), Some(why.as_str()));
            }
        }
        let text = metric["text"].as_str().unwrap();
        assert!(text.starts_with(&format!("checkout latency (s): mean {} in {month}", number(this))), "{text}");
        assert!(review::render::markdown(&review).contains(text), "the Markdown row carries {text}");
        assert!(review::render::html(&review).contains(text), "the HTML row carries {text}");
    }
    // A topic without a linked metric says so in words.
    let (json, _) = review_json(&app, &source, month, now, RANGE).await;
    for t in json["topics"].as_array().unwrap().iter().filter(|t| t["slug"] != "checkout-slow") {
        assert_eq!(t["metric"], Value::Null, "{t}");
    }
}

#[tokio::test]
async fn the_review_says_per_topic_why_the_metric_change_is_missing() {
    let app = spawn_app().await;
    let now = "2026-12-07T12:00:00Z".parse::<DateTime<Utc>>().unwrap();
    let month: Month = "2026-11".parse().unwrap();
    ingest_month_complaints(&app, month).await;
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let down =
        prometheus::Source::new(&PrometheusSettings { url: Some(format!("http://127.0.0.1:{port}")), ..Default::default() }).unwrap();
    let (json, review) = review_json(&app, &down, month, now, RANGE).await;
    let topic = json["topics"].as_array().unwrap().iter().find(|t| t["slug"] == "checkout-slow").expect("a top topic");
    let metric = &topic["metric"];
    assert_eq!((&metric["this_month"], &metric["change"], &metric["change_percent"]), (&Value::Null, &Value::Null, &Value::Null));
    let text = metric["text"].as_str().unwrap();
    assert!(text.starts_with("checkout latency (s): no change shown: cannot reach Prometheus at http://127.0.0.1:"), "{text}");
    assert!(review::render::markdown(&review).contains(text));
    // Without any Prometheus configured, the same row says how to set one.
    let (json, _) = review_json(&app, &prometheus::Source::default(), month, now, RANGE).await;
    let topic = json["topics"].as_array().unwrap().iter().find(|t| t["slug"] == "checkout-slow").unwrap();
    assert!(topic["metric"]["text"].as_str().unwrap().contains("set PUSHBACK_PROMETHEUS__URL"), "{topic}");
}
