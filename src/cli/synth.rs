//! `pushback gen`: write a synthetic history into the database, or to a JSON-lines file.

use super::{open_store, progress_bar};
use crate::classify::seed;
use crate::config::Settings;
use crate::ingest::prepare;
use crate::synth::{GenParams, accounts, generic_json, items};
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
    let started = std::time::Instant::now();
    let generated = items(&params, &corpus, &accts);
    eprintln!(
        "generated {} for {} in {:.1}s (seed {}, ending {})",
        plural(generated.len() as u64, "item"),
        plural(accts.len() as u64, "account"),
        started.elapsed().as_secs_f64(),
        params.seed,
        params.end.date_naive()
    );
    if let Some(path) = out {
        let by_id: HashMap<&str, &crate::domain::Account> = accts.iter().map(|a| (a.id.as_str(), a)).collect();
        let mut w = std::io::BufWriter::new(std::fs::File::create(path).with_context(|| format!("cannot write {}", path.display()))?);
        for item in &generated {
            let account = item.account.id.as_deref().and_then(|id| by_id.get(id).copied());
            serde_json::to_writer(&mut w, &generic_json(item, account))?;
            w.write_all(b"\n")?;
        }
        w.flush()?;
        let accounts_path = path.with_extension("accounts.csv");
        let mut a = csv::Writer::from_path(&accounts_path)?;
        a.write_record(["account_id", "name", "plan", "arr_cents"])?;
        for acc in &accts {
            a.write_record([
                acc.id.as_str(),
                acc.name.as_deref().unwrap_or(""),
                acc.plan.as_deref().unwrap_or(""),
                &acc.arr_cents.map(|c| c.0.to_string()).unwrap_or_default(),
            ])?;
        }
        a.flush()?;
        eprintln!("wrote {} (import with `pushback import --source generic`) and {}", path.display(), accounts_path.display());
        return Ok(());
    }
    let store = open_store(settings).await?;
    let classifier = super::load_classifier(settings, &store).await?;
    store.upsert_accounts(&accts, Utc::now()).await?;
    let bar = progress_bar(generated.len() as u64, "storing");
    let started = std::time::Instant::now();
    // Transactions as large as an import's (few commits on SQLite), written 2,000 items at a time.
    let mut writer = store.bulk_writer(crate::ingest::import::default_batch(&store));
    for chunk in generated.chunks(2000) {
        let prepared = prepare(chunk.to_vec(), &classifier, false);
        writer.write(&prepared, Utc::now()).await?;
        writer.commit_if_full().await?;
        bar.inc(chunk.len() as u64);
    }
    writer.finish().await?;
    bar.finish_and_clear();
    eprintln!("stored {} in {:.1}s ({})", plural(generated.len() as u64, "item"), started.elapsed().as_secs_f64(), store.backend());
    super::settle(&store).await;
    Ok(())
}
