//! The user story: signed webhooks go in, `/evidence <topic>` and `pushback evidence` give the
//! pack back, on SQLite and on PostgreSQL.

use crate::helpers::{TestApp, spawn_app};
use chrono::{Duration, SecondsFormat, Utc};
use pushback::domain::Source;
use pushback::evidence::{self, Answer, Request};
use serde_json::{Value, json};

fn days_ago(d: i64) -> String {
    (Utc::now() - Duration::days(d) - Duration::hours(1)).to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn item(id: &str, kind: &str, body: &str, account: Option<(&str, i64)>, age_days: i64) -> Value {
    let mut v =
        json!({"id": id, "kind": kind, "body": body, "created_at": days_ago(age_days), "url": format!("https://support.example.com/{id}")});
    if let Some((acct, arr)) = account {
        v["account"] = json!({"id": acct, "name": format!("{acct} Ltd"), "plan": "business", "arr_cents": arr});
    }
    v
}

async fn ingest(app: &TestApp, items: Vec<Value>) {
    let body = Value::Array(items).to_string();
    let response = app.post_webhook(Source::Generic, &body).await;
    assert_eq!(response.status(), 202, "{}", response.text().await.unwrap());
}

async fn answer(app: &TestApp, topic: &str) -> Answer {
    let classifier = pushback::app::load_classifier(&app.settings, &app.store).await.expect("classifier");
    let request = Request::last_days(topic, 30, Utc::now());
    evidence::answer(&app.store, &classifier, &pushback::prometheus::Source::default(), &request, Utc::now()).await.expect("answer")
}

/// Four checkout complaints from three accounts (one a churn note), praise, two other
/// topics, and one complaint from before the window.
fn checkout_history() -> Vec<Value> {
    vec![
        item(
            "c1",
            "ticket",
            "Checkout takes 40 seconds to load, customers give up. Email me at ops@acme.test",
            Some(("acme", 12_000_000)),
            2,
        ),
        item("c2", "ticket", "The checkout page is painfully slow again today, the spinner runs for ages", Some(("acme", 12_000_000)), 5),
        item("c3", "ticket", "Checkout is extremely slow since the last release, 30 second waits", Some(("globex", 3_000_000)), 9),
        item("c4", "churn_note", "Cancelling: checkout is far too slow for our shop, it lags every time", Some(("initech", 900_000)), 3),
        item("p1", "review", "Checkout is lightning fast now, great job!", Some(("hooli", 500_000)), 4),
        item("o1", "ticket", "Please add dark mode to the dashboard", Some(("acme", 12_000_000)), 1),
        item("o2", "ticket", "Invoice shows the wrong VAT number", None, 6),
        item("old", "ticket", "Checkout is slow, takes a minute to pay", Some(("globex", 3_000_000)), 45),
    ]
}

#[tokio::test]
async fn a_signed_webhook_goes_in_and_the_evidence_pack_comes_out() {
    let app = spawn_app().await;
    ingest(&app, checkout_history()).await;

    let Answer::Pack(pack) = answer(&app, "checkout-slow").await else { panic!("a defined topic answers with a pack") };
    assert_eq!(pack.items, 4, "{:#?}", pack.rows);
    assert_eq!(pack.accounts, 3);
    assert_eq!(pack.revenue.affected_arr_cents, 15_900_000);
    assert_eq!((pack.revenue.churn_notes, pack.revenue.lost_arr_cents), (1, 900_000));
    assert_eq!(pack.change.previous, 1, "the 45-day-old item is in the previous 30 days");
    assert_eq!(pack.change.current_total, 7);
    assert!(pack.quotes.len() == 3 && pack.quotes.iter().all(|q| !q.text.contains("ops@acme.test")));
    assert!(pack.rows.iter().all(|r| r.text.to_lowercase().contains("checkout") && !r.text.contains("lightning")));

    // The same pack from the command line, in every format.
    let exe = env!("CARGO_BIN_EXE_pushback");
    let run = |args: &[&str]| {
        let out = std::process::Command::new(exe)
            .args(args)
            .env("PUSHBACK_DATABASE__URL", &app.settings.database.url)
            .env_remove("PUSHBACK_CLASSIFIER__MODEL_PATH")
            .output()
            .expect("pushback runs");
        (out.status.code(), String::from_utf8_lossy(&out.stdout).to_string(), String::from_utf8_lossy(&out.stderr).to_string())
    };
    let (code, json_out, err) = run(&["evidence", "checkout-slow", "--since", "30d", "--format", "json"]);
    assert_eq!(code, Some(0), "{err}");
    let v: Value = serde_json::from_str(&json_out).unwrap();
    assert_eq!(v["items"], 4);
    assert_eq!(v["reproduce"]["items_hash"], pack.reproduce.items_hash, "the CLI and the library agree on the items");
    let (_, md, _) = run(&["evidence", "checkout-slow", "--since", "30d"]);
    assert!(md.contains("**4 items from 3 accounts**") && md.contains("**$9,000 ARR lost**"), "{md}");
    let (_, csv, _) = run(&["evidence", "checkout-slow", "--since", "30d", "--format", "csv"]);
    assert_eq!(csv.lines().count(), 5, "{csv}");
    // The chart: SVG to standard output, PNG to a file.
    let (code, svg, err) = run(&["evidence", "checkout-slow", "--since", "30d", "--format", "svg"]);
    assert_eq!(code, Some(0), "{err}");
    let doc = roxmltree::Document::parse(&svg).expect("the SVG is XML");
    let texts: Vec<&str> = doc.descendants().filter(|n| n.has_tag_name("text")).filter_map(|n| n.text()).map(str::trim).collect();
    for week in &pack.weekly {
        let label = week.from.format("%b %-d").to_string();
        assert!(texts.contains(&label.as_str()), "week {label} is labelled: {texts:?}");
    }
    for title in ["Checkout is slow: feedback items per week", "Items per week", "Previous 30 days: 0.2 a week on average"] {
        assert!(texts.contains(&title), "{title:?} in {texts:?}");
    }
    assert!(texts.iter().any(|t| t.starts_with("4 items from 3 accounts: 4.0× more than the previous 30 days")), "{texts:?}");
    let out_dir = tempfile::tempdir().unwrap();
    let png_path = out_dir.path().join("checkout.png");
    let (code, _, err) = run(&["evidence", "checkout-slow", "--since", "30d", "--format", "png", "--out", png_path.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("4 items from 3 accounts written to"), "{err}");
    let png_bytes = std::fs::read(&png_path).unwrap();
    let info = png::Decoder::new(png_bytes.as_slice()).read_info().expect("a PNG").info().clone();
    assert_eq!((info.width, info.height), (960, 540));
    let (code, none, _) = run(&["evidence", "chekout-slw", "--since", "30d"]);
    assert_eq!(code, Some(2));
    assert!(none.contains("`checkout-slow`"), "{none}");
}

#[tokio::test]
async fn free_slugs_match_their_words_with_synonyms_on_this_backend() {
    let app = spawn_app().await;
    ingest(
        &app,
        vec![
            item("s1", "ticket", "Search times out every time I look up an order", None, 1),
            item("s2", "ticket", "Searching is really slow, 20 seconds before any results show", None, 2),
            item("s3", "ticket", "Search results are wrong and miss half the products", None, 3),
            item("s4", "ticket", "The export timeout is far too short and the page is slow", None, 4),
            item("i1", "ticket", "The invoice PDF has the wrong VAT number on it", None, 2),
            item("i2", "ticket", "Invoices download as PDFs with blank pages", None, 3),
            item("i3", "ticket", "My invoice email never arrived", None, 4),
        ],
    )
    .await;
    let ids = |a: Answer| match a {
        Answer::Pack(p) => {
            let mut ids: Vec<String> = p.rows.iter().map(|r| r.url.clone().unwrap().rsplit('/').next().unwrap().to_string()).collect();
            ids.sort();
            ids
        }
        Answer::NoMatch { .. } => vec![],
    };
    assert_eq!(ids(answer(&app, "search-timeout").await), ["s1", "s2"], "search AND a slowness word, tagged performance");
    assert_eq!(ids(answer(&app, "invoice-pdf").await), ["i1", "i2"], "both words, stemmed");
    let Answer::NoMatch { suggestions, .. } = answer(&app, "quantum-teleport").await else { panic!("nothing matches") };
    assert!(!suggestions.is_empty(), "closest topics are offered instead of an error");
}
