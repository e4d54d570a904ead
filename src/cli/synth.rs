//! `pushback gen`: write a synthetic history into the database, or to a JSON-lines file.

use super::{open_store, progress_bar};
use crate::classify::seed;
use crate::config::Settings;
use crate::domain::{Account, NewFeedback};
use crate::ingest::prepare;
use crate::synth::{GenParams, History, accounts, generic_json, history};
use crate::text::plural;
use anyhow::Context;
use chrono::{NaiveDate, TimeZone, Utc};
use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

/// The window's last day: `--end` or today (UTC midnight), so a seed and end date fix the data.
pub fn end_date(end: Option<&str>) -> anyhow::Result<chrono::DateTime<Utc>> {
    let day = match end {
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d").with_context(|| format!("--end '{s}' is not a date like 2026-11-16"))?,
        None => Utc::now().date_naive(),
    };
    Ok(Utc.from_utc_datetime(&day.and_hms_opt(23, 59, 59).expect("valid time")))
}

pub async fn run(settings: &Settings, params: GenParams, out: Option<&Path>) -> anyhow::Result<()> {
    let corpus = seed::corpus_rows();
    let accts = accounts(&params);
    eprintln!(
        "generating {} for {} (seed {}, ending {})",
        plural(params.count as u64, "item"),
        plural(accts.len() as u64, "account"),
        params.seed,
        params.end.date_naive()
    );
    let generated = history(&params, &corpus, &accts);
    match out {
        Some(path) => write_file(path, generated, &accts),
        None => store(settings, generated, &accts).await,
    }
}

/// The history as JSON lines, written as it is generated, and its accounts beside it as CSV.
fn write_file(path: &Path, generated: History<'_>, accts: &[Account]) -> anyhow::Result<()> {
    let by_id: HashMap<&str, &Account> = accts.iter().map(|a| (a.id.as_str(), a)).collect();
    let mut w = std::io::BufWriter::new(std::fs::File::create(path).with_context(|| format!("cannot write {}", path.display()))?);
    let bar = progress_bar(generated.len() as u64, "writing");
    for (n, item) in generated.enumerate() {
        let account = item.account.id.as_deref().and_then(|id| by_id.get(id).copied());
        serde_json::to_writer(&mut w, &generic_json(&item, account))?;
        w.write_all(b"\n")?;
        if n % 10_000 == 9_999 {
            bar.inc(10_000);
        }
    }
    w.flush()?;
    bar.finish_and_clear();
    let accounts_path = path.with_extension("accounts.csv");
    let mut a = csv::Writer::from_path(&accounts_path)?;
    a.write_record(["account_id", "name", "plan", "arr_cents"])?;
    for acc in accts {
        a.write_record([
            acc.id.as_str(),
            acc.name.as_deref().unwrap_or(""),
            acc.plan.as_deref().unwrap_or(""),
            &acc.arr_cents.map(|c| c.0.to_string()).unwrap_or_default(),
        ])?;
    }
    a.flush()?;
    eprintln!("wrote {} (import with `pushback import --source generic`) and {}", path.display(), accounts_path.display());
    Ok(())
}

/// Stores the history as it is generated: 2,000 items at a time, in transactions as large as an
/// import's (few commits on SQLite).
async fn store(settings: &Settings, mut generated: History<'_>, accts: &[Account]) -> anyhow::Result<()> {
    let store = open_store(settings).await?;
    let classifier = super::load_classifier(settings, &store).await?;
    store.upsert_accounts(accts, Utc::now()).await?;
    let total = generated.len() as u64;
    let bar = progress_bar(total, "storing");
    let started = std::time::Instant::now();
    let mut writer = store.bulk_writer(crate::ingest::import::default_batch(&store));
    loop {
        let chunk: Vec<NewFeedback> = generated.by_ref().take(2000).collect();
        if chunk.is_empty() {
            break;
        }
        let n = chunk.len() as u64;
        let prepared = prepare(chunk, &classifier, false);
        writer.write(&prepared, Utc::now()).await?;
        writer.commit_if_full().await?;
        bar.inc(n);
    }
    writer.finish().await?;
    bar.finish_and_clear();
    eprintln!("stored {} in {:.1}s ({})", plural(total, "item"), started.elapsed().as_secs_f64(), store.backend());
    super::settle(&store).await;
    Ok(())
}
