//! Backfill: good lines are stored, bad lines are reported with their numbers, and re-running
//! the same file changes nothing.

use crate::helpers::{migrated_store, spawn_app, test_database_url};
use pushback::app::load_classifier;
use pushback::domain::Source;
use pushback::ingest::import::{ImportOptions, import_file};
use std::io::Write;

fn options() -> ImportOptions {
    ImportOptions { batch: 2, redact_at_ingest: false, zendesk_subdomain: None }
}

#[tokio::test]
async fn import_of_a_file_with_bad_lines_reports_them_and_stores_the_rest() {
    let app = spawn_app().await;
    let classifier = load_classifier(&app.settings, &app.store).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.jsonl");
    let mut f = std::fs::File::create(&path).unwrap();
    writeln!(f, r#"{{"id":"h-1","body":"search is so slow","created_at":"2026-10-01T09:00:00Z"}}"#).unwrap();
    writeln!(f, r#"{{"id":"h-2","body":"app crashes when I upload"}}"#).unwrap();
    writeln!(f, r#"{{"body":"no id here"}}"#).unwrap();
    writeln!(f).unwrap();
    writeln!(f, r#"not json at all"#).unwrap();
    writeln!(f, r#"{{"id":"h-3","kind":"churn_note","body":"leaving, too expensive"}}"#).unwrap();
    writeln!(f, r#"{{"id":"h-1","body":"search is so slow","created_at":"2026-10-01T09:00:00Z"}}"#).unwrap();
    drop(f);

    let summary = import_file(&app.store, &classifier, Source::Generic, &path, &options(), |_| {}).await.unwrap();
    assert_eq!(summary.inserted, 3);
    assert_eq!(summary.unchanged, 1, "the repeated line is deduplicated");
    assert_eq!(summary.rejected.iter().map(|r| r.0).collect::<Vec<_>>(), vec![3, 5]);
    assert!(summary.rejected[0].1.contains("id"), "{:?}", summary.rejected);
    assert_eq!(app.count().await, 3);
    let h2 = app.store.item_by_external(Source::Generic, "h-2").await.unwrap().unwrap();
    assert!(h2.classification.reliability);

    let again = import_file(&app.store, &classifier, Source::Generic, &path, &options(), |_| {}).await.unwrap();
    assert_eq!((again.inserted, again.unchanged), (0, 4));
    assert_eq!(app.count().await, 3);
}

#[tokio::test]
async fn csv_import_reads_the_documented_columns() {
    let app = spawn_app().await;
    let classifier = load_classifier(&app.settings, &app.store).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tickets.csv");
    std::fs::write(
        &path,
        "id,kind,subject,body,account_id,created_at,url\n\
         c-1,ticket,Slow dashboards,\"Dashboards take a minute, every time\",acme,2026-10-02T10:00:00Z,https://t.example/c-1\n\
         c-2,review,,,acme,,\n\
         c-3,churn_note,Bye,\"Cancelling: the app keeps crashing\",globex,2026-10-03,\n",
    )
    .unwrap();
    let summary = import_file(&app.store, &classifier, Source::Csv, &path, &options(), |_| {}).await.unwrap();
    assert_eq!(summary.inserted, 2);
    assert_eq!(summary.rejected.len(), 1);
    assert_eq!(summary.rejected[0].0, 3, "{:?}", summary.rejected);
    let c1 = app.store.item_by_external(Source::Csv, "c-1").await.unwrap().unwrap();
    assert_eq!(c1.url.as_deref(), Some("https://t.example/c-1"));
    assert_eq!(c1.account_id.as_deref(), Some("acme"));
}

#[tokio::test]
async fn vendor_json_lines_import_through_the_same_parsers() {
    let dir = tempfile::tempdir().unwrap();
    let url = test_database_url(dir.path()).await;
    let store = migrated_store(&url).await;
    let settings = crate::helpers::test_settings(dir.path()).await;
    let classifier = load_classifier(&settings, &store).await.unwrap();
    let path = dir.path().join("stripe.jsonl");
    let line = crate::helpers::fixture(Source::Stripe).trim().to_string();
    std::fs::write(&path, format!("{line}\n{{\"type\":\"invoice.paid\"}}\n")).unwrap();
    let summary = import_file(&store, &classifier, Source::Stripe, &path, &options(), |_| {}).await.unwrap();
    assert_eq!((summary.inserted, summary.ignored), (1, 1));
}

#[tokio::test]
async fn a_transaction_spanning_several_reader_chunks_stores_every_line_once() {
    let app = spawn_app().await;
    let classifier = load_classifier(&app.settings, &app.store).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.jsonl");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    // 5,000 lines: more than two of the reader's 2,000-item chunks inside one 4,500-item
    // transaction, with one broken line and one repeat among them.
    for i in 0..5000 {
        match i {
            2500 => writeln!(f, "{{broken").unwrap(),
            4999 => writeln!(f, r#"{{"id":"bulk-7","body":"checkout is slow, item 7"}}"#).unwrap(),
            _ => writeln!(f, r#"{{"id":"bulk-{i}","body":"checkout is slow, item {i}"}}"#).unwrap(),
        }
    }
    drop(f);
    let options = ImportOptions { batch: 4500, ..options() };
    let summary = import_file(&app.store, &classifier, Source::Generic, &path, &options, |_| {}).await.unwrap();
    assert_eq!((summary.lines, summary.inserted, summary.unchanged), (5000, 4998, 1));
    assert_eq!(summary.rejected.iter().map(|r| r.0).collect::<Vec<_>>(), vec![2501]);
    assert_eq!(app.count().await, 4998);
    let again = import_file(&app.store, &classifier, Source::Generic, &path, &options, |_| {}).await.unwrap();
    assert_eq!((again.inserted, again.updated, again.unchanged), (0, 0, 4999));
}
