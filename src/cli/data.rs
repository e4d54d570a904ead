//! `import`, `export`, `accounts import`, `accounts map`, `accounts unmatched`.

use super::{bytes_bar, open_store};
use crate::config::Settings;
use crate::domain::{Feedback, Source};
use crate::ingest::import::{ImportOptions, default_batch, import_file, read_accounts};
use crate::text::plural;
use anyhow::Context;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Subcommand)]
pub enum AccountsCommand {
    /// Load accounts from CSV: account_id,name,plan,arr_cents (ARR in integer cents).
    Import { file: PathBuf },
    /// Map a support account (its id in pushback: a Zendesk organization id, an Intercom company id,
    /// an email domain...) to the Stripe customer that pays for it, so the Stripe sync gives it its ARR.
    #[command(
        after_help = "Examples:\n  pushback accounts map 360012345678 cus_NffrFeUfNV2Hib\n  pushback accounts map 360012345678 --remove\n\n\
Without a mapping, a customer is matched by its email domain when exactly one support account's tickets come from it;\n\
`pushback accounts unmatched` lists what could not be matched."
    )]
    Map {
        account_id: String,
        /// The Stripe customer id (cus_...).
        #[arg(required_unless_present = "remove")]
        customer_id: Option<String>,
        /// Remove the account's mapping.
        #[arg(long, conflicts_with = "customer_id")]
        remove: bool,
    },
    /// Stripe customers and support accounts the last Stripe sync could not match, and why (never guessed).
    Unmatched {
        #[arg(long, value_enum, default_value = "text")]
        format: super::sync::StatusFormat,
    },
}

pub async fn import(settings: &Settings, source: Source, file: &Path, batch: Option<usize>, rejects: Option<&Path>) -> anyhow::Result<()> {
    let len = std::fs::metadata(file).with_context(|| format!("cannot read {}", file.display()))?.len();
    let store = open_store(settings).await?;
    let classifier = super::load_classifier(settings, &store).await?;
    let bar = bytes_bar(len, &format!("importing {}", file.display()));
    let progress = bar.clone();
    let options = ImportOptions {
        batch: batch.unwrap_or_else(|| default_batch(&store)).max(1),
        redact_at_ingest: settings.ingest.redact_at_ingest,
        zendesk_subdomain: settings.sources.zendesk.subdomain.clone(),
    };
    let started = std::time::Instant::now();
    let summary = import_file(&store, &classifier, source, file, &options, move |n| progress.set_position(n)).await;
    bar.finish_and_clear();
    let summary = summary?;
    eprint!("{}", summary.to_text(20));
    eprintln!("took {:.1}s", started.elapsed().as_secs_f64());
    if summary.inserted + summary.updated > 0 {
        super::settle(&store).await;
    }
    if let Some(path) = rejects {
        let mut out = std::fs::File::create(path).with_context(|| format!("cannot write {}", path.display()))?;
        for (line, reason) in &summary.rejected {
            writeln!(out, "{line}\t{reason}")?;
        }
        eprintln!("rejected lines written to {}", path.display());
    }
    Ok(())
}

/// One exported line: the stored item with its classification.
pub fn export_record(f: &Feedback) -> serde_json::Value {
    serde_json::json!({
        "id": f.id,
        "source": f.source,
        "external_id": f.external_id,
        "kind": f.kind,
        "account_id": f.account_id,
        "account_name": f.account_name,
        "subject": f.subject,
        "body": f.body,
        "tags": f.tags,
        "url": f.url,
        "created_at": f.created_at.to_rfc3339(),
        "received_at": f.received_at.to_rfc3339(),
        "lost_arr_cents": f.lost_arr_cents,
        "categories": f.classification.categories(),
        "scores": {"performance": f.classification.score_performance, "reliability": f.classification.score_reliability},
        "explanation": f.classification.explanation,
        "topics": f.classification.topics,
        "model": f.classification.model_version,
    })
}

pub async fn export(settings: &Settings, out: Option<&Path>) -> anyhow::Result<()> {
    let store = open_store(settings).await?;
    let mut writer: Box<dyn Write> = match out {
        Some(path) => {
            Box::new(std::io::BufWriter::new(std::fs::File::create(path).with_context(|| format!("cannot write {}", path.display()))?))
        }
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let mut after = 0;
    let mut count = 0usize;
    loop {
        let page = store.items_after(after, 5000).await?;
        let Some(last) = page.last() else { break };
        after = last.id;
        for item in &page {
            serde_json::to_writer(&mut writer, &export_record(item))?;
            writer.write_all(b"\n")?;
            count += 1;
        }
    }
    writer.flush()?;
    if out.is_some() {
        eprintln!("exported {}", plural(count as u64, "item"));
    }
    Ok(())
}

pub async fn import_accounts(settings: &Settings, file: &Path) -> anyhow::Result<()> {
    let reader = std::fs::File::open(file).with_context(|| format!("cannot open {}", file.display()))?;
    let (accounts, rejected) = read_accounts(reader).with_context(|| format!("in {}", file.display()))?;
    let store = open_store(settings).await?;
    let n = store.upsert_accounts(&accounts, chrono::Utc::now()).await?;
    eprintln!("{} stored, {} rejected", plural(n as u64, "account"), rejected.len());
    for (line, reason) in &rejected {
        eprintln!("  line {line}: {reason}");
    }
    Ok(())
}

pub async fn map_account(settings: &Settings, account_id: &str, customer_id: Option<&str>) -> anyhow::Result<()> {
    if let Some(c) = customer_id {
        anyhow::ensure!(c.starts_with("cus_"), "'{c}' is not a Stripe customer id (cus_...)");
    }
    let store = open_store(settings).await?;
    store.map_stripe_customer(account_id, customer_id, chrono::Utc::now()).await?;
    match customer_id {
        Some(c) => eprintln!("account {account_id} is paid for by Stripe customer {c}; the next Stripe sync gives it that customer's ARR"),
        None => eprintln!("account {account_id} has no Stripe mapping now"),
    }
    Ok(())
}

pub async fn unmatched(settings: &Settings, format: super::sync::StatusFormat) -> anyhow::Result<()> {
    let store = open_store(settings).await?;
    let customers: Vec<_> = store.stripe_customers().await?.into_iter().filter(|c| c.account_id.is_none()).collect();
    let accounts = store.unmatched_accounts().await?;
    if format == super::sync::StatusFormat::Json {
        println!("{}", serde_json::to_string_pretty(&serde_json::json!({"customers": customers, "accounts": accounts}))?);
        return Ok(());
    }
    println!("{} without a support account:", plural(customers.len() as u64, "Stripe customer"));
    for c in &customers {
        let arr = crate::domain::ArrCents(c.arr_cents).display_dollars();
        println!("  {} {} {arr} ARR: {}", c.customer_id, c.email.as_deref().unwrap_or("-"), c.note.as_deref().unwrap_or(""));
    }
    println!("{} without a Stripe customer:", plural(accounts.len() as u64, "support account"));
    for a in &accounts {
        println!("  {} {}: {}", a.account_id, a.name.as_deref().unwrap_or(""), a.note);
    }
    if !customers.is_empty() || !accounts.is_empty() {
        println!("Map one with `pushback accounts map <account_id> <cus_...>`; the next Stripe sync uses it.");
    }
    Ok(())
}
