//! Backfill from files: JSON lines (one vendor payload per line) or CSV. A reader thread
//! parses and classifies while the caller's task writes batches, so both cores work. Bad lines
//! are reported with their line numbers and never stop the rest. Re-running an import is safe:
//! the same (source, external id) is never stored twice.

use super::prepare;
use super::sources::csv_rows::{CsvHeader, parse_row};
use super::sources::{self, ParseContext, Parsed};
use crate::classify::Classifier;
use crate::domain::{Account, ArrCents, Source, StoredItem};
use crate::store::{Store, WriteOutcome};
use anyhow::Context;
use http::{HeaderMap, HeaderValue};
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct ImportSummary {
    pub lines: usize,
    pub inserted: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub ignored: usize,
    /// (line number, reason)
    pub rejected: Vec<(usize, String)>,
}

impl ImportSummary {
    pub fn to_text(&self, show_rejects: usize) -> String {
        let mut out = format!(
            "{}: {} stored, {} updated, {} unchanged (already stored), {} ignored, {} rejected\n",
            crate::text::plural(self.lines as u64, "line"),
            self.inserted,
            self.updated,
            self.unchanged,
            self.ignored,
            self.rejected.len()
        );
        for (line, reason) in self.rejected.iter().take(show_rejects) {
            out.push_str(&format!("  line {line}: {reason}\n"));
        }
        if self.rejected.len() > show_rejects {
            out.push_str(&format!("  ... and {} more (use --rejects FILE to list them all)\n", self.rejected.len() - show_rejects));
        }
        out
    }
}

/// Items the reader hands the writer at a time: bounds the import's memory whatever the
/// transaction size.
const CHUNK_ITEMS: usize = 2000;

/// Items per transaction when the user names none. SQLite: random index inserts (vendor ids,
/// accounts) touch about a page per row and every commit writes its touched pages to the WAL
/// again, so 25,000 per commit imports 1M lines in 35-46 s where 2,000 took 58 s
/// (BENCHMARKS.md); the write lock is held about a second at a time. PostgreSQL: 2,000, so a
/// running service's webhooks never wait long on the import's row locks.
pub fn default_batch(store: &Store) -> usize {
    match store {
        Store::Sqlite(_) => 25_000,
        Store::Postgres(_) => 2_000,
    }
}

#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Items per database transaction.
    pub batch: usize,
    pub redact_at_ingest: bool,
    pub zendesk_subdomain: Option<String>,
}

/// Reader-side results sent to the writer.
enum Chunk {
    Items(Vec<StoredItem>),
    Ignored(usize),
    Rejected(Vec<(usize, String)>),
    Lines(usize),
}

/// Imports `path` as `source`, calling `progress(bytes_read)` as it goes.
pub async fn import_file(
    store: &Store,
    classifier: &Classifier,
    source: Source,
    path: &Path,
    options: &ImportOptions,
    progress: impl Fn(u64) + Send + 'static,
) -> anyhow::Result<ImportSummary> {
    let file = std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let (tx, mut rx) = tokio::sync::mpsc::channel::<anyhow::Result<Chunk>>(4);
    let classifier = classifier.clone();
    let options_for_reader = options.clone();
    let reader = std::thread::spawn(move || {
        let counted = CountingReader { inner: file, read: 0, report: progress };
        let result = if source == Source::Csv {
            read_csv(counted, &classifier, &options_for_reader, &tx)
        } else {
            read_json_lines(counted, source, &classifier, &options_for_reader, &tx)
        };
        if let Err(e) = result {
            let _ = tx.blocking_send(Err(e));
        }
    });
    let mut summary = ImportSummary::default();
    let result = write_chunks(store, &mut rx, options.batch, &mut summary).await;
    drop(rx);
    reader.join().map_err(|_| anyhow::anyhow!("import reader thread panicked"))?;
    result?;
    summary.rejected.sort_by_key(|(line, _)| *line);
    Ok(summary)
}

/// The writer: chunks go into one transaction until it holds `per_transaction` items, then it
/// commits. Large transactions matter on SQLite: random index inserts (vendor ids, accounts)
/// touch a page per row, and each commit writes every touched page to the WAL again. If the
/// reader fails, what was written is committed before the error is returned.
async fn write_chunks(
    store: &Store,
    rx: &mut tokio::sync::mpsc::Receiver<anyhow::Result<Chunk>>,
    per_transaction: usize,
    summary: &mut ImportSummary,
) -> anyhow::Result<()> {
    let mut writer = store.bulk_writer(per_transaction);
    let commit_failed =
        "Failed to commit imported items; earlier transactions are stored, re-run the import to continue (nothing is duplicated)";
    while let Some(chunk) = rx.recv().await {
        let chunk = match chunk {
            Ok(chunk) => chunk,
            Err(e) => {
                writer.finish().await.context(commit_failed)?;
                return Err(e);
            }
        };
        match chunk {
            Chunk::Items(items) => {
                let first = items.first().map(|i| i.item.external_id.clone()).unwrap_or_default();
                let written = writer.write(&items, chrono::Utc::now()).await.with_context(|| {
                    format!("Failed to store a batch starting at external id '{first}'; earlier transactions are stored, re-run the import to continue (nothing is duplicated)")
                })?;
                for w in written {
                    match w.outcome {
                        WriteOutcome::Inserted => summary.inserted += 1,
                        WriteOutcome::Updated => summary.updated += 1,
                        WriteOutcome::Unchanged => summary.unchanged += 1,
                    }
                }
                writer.commit_if_full().await.context(commit_failed)?;
            }
            Chunk::Ignored(n) => summary.ignored += n,
            Chunk::Rejected(mut r) => summary.rejected.append(&mut r),
            Chunk::Lines(n) => summary.lines = n,
        }
    }
    writer.finish().await.context(commit_failed)?;
    Ok(())
}

struct CountingReader<R, F> {
    inner: R,
    read: u64,
    report: F,
}

impl<R: Read, F: Fn(u64)> Read for CountingReader<R, F> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        (self.report)(self.read);
        Ok(n)
    }
}

type Sender = tokio::sync::mpsc::Sender<anyhow::Result<Chunk>>;

/// Collects reader output and ships it in write-sized batches.
struct Batcher<'a> {
    tx: &'a Sender,
    classifier: &'a Classifier,
    options: &'a ImportOptions,
    pending: Vec<crate::domain::NewFeedback>,
    rejected: Vec<(usize, String)>,
    ignored: usize,
}

impl<'a> Batcher<'a> {
    fn new(tx: &'a Sender, classifier: &'a Classifier, options: &'a ImportOptions) -> Self {
        Self { tx, classifier, options, pending: Vec::new(), rejected: Vec::new(), ignored: 0 }
    }

    fn push(&mut self, item: crate::domain::NewFeedback) -> anyhow::Result<()> {
        self.pending.push(item);
        if self.pending.len() >= self.options.batch.min(CHUNK_ITEMS) {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> anyhow::Result<()> {
        let send = |chunk| self.tx.blocking_send(Ok(chunk)).map_err(|_| anyhow::anyhow!("import stopped: the writer ended early"));
        if !self.pending.is_empty() {
            let items = prepare(std::mem::take(&mut self.pending), self.classifier, self.options.redact_at_ingest);
            send(Chunk::Items(items))?;
        }
        if !self.rejected.is_empty() {
            send(Chunk::Rejected(std::mem::take(&mut self.rejected)))?;
        }
        if self.ignored > 0 {
            send(Chunk::Ignored(std::mem::take(&mut self.ignored)))?;
        }
        Ok(())
    }

    fn finish(mut self, lines: usize) -> anyhow::Result<()> {
        self.flush()?;
        self.tx.blocking_send(Ok(Chunk::Lines(lines))).map_err(|_| anyhow::anyhow!("import stopped: the writer ended early"))
    }
}

fn read_json_lines<R: Read>(
    reader: R,
    source: Source,
    classifier: &Classifier,
    options: &ImportOptions,
    tx: &Sender,
) -> anyhow::Result<()> {
    let mut headers = HeaderMap::new();
    // Help Scout puts the event name in a header; exported conversations are new conversations.
    headers.insert("x-helpscout-event", HeaderValue::from_static("convo.created"));
    let mut batcher = Batcher::new(tx, classifier, options);
    let mut reader = BufReader::with_capacity(1 << 20, reader);
    let mut line = Vec::new();
    let mut number = 0;
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line).context("Failed to read the import file")? == 0 {
            break;
        }
        number += 1;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let ctx = ParseContext { zendesk_subdomain: options.zendesk_subdomain.clone(), ..ParseContext::now() };
        match sources::parse(source, &headers, &line, &ctx) {
            Ok(Parsed::Items(items)) => {
                for item in items {
                    batcher.push(item)?;
                }
            }
            Ok(Parsed::Ignored(_)) => batcher.ignored += 1,
            Err(e) => batcher.rejected.push((number, e.to_string())),
        }
    }
    batcher.finish(number)
}

fn read_csv<R: Read>(reader: R, classifier: &Classifier, options: &ImportOptions, tx: &Sender) -> anyhow::Result<()> {
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
    let header = CsvHeader::new(rdr.headers().context("cannot read the CSV header")?).map_err(|e| anyhow::anyhow!("line 1: {e}"))?;
    let mut batcher = Batcher::new(tx, classifier, options);
    let ctx = ParseContext::now();
    let mut rows = 0;
    for record in rdr.records() {
        rows += 1;
        match record {
            Ok(record) => {
                let line = record.position().map(|p| p.line() as usize).unwrap_or(rows + 1);
                match parse_row(&header, &record, &ctx) {
                    Ok(item) => batcher.push(item)?,
                    Err(e) => batcher.rejected.push((line, e.to_string())),
                }
            }
            Err(e) => {
                let line = e.position().map(|p| p.line() as usize).unwrap_or(rows + 1);
                batcher.rejected.push((line, format!("malformed CSV: {e}")));
            }
        }
    }
    batcher.finish(rows)
}

/// Reads `account_id,name,plan,arr_cents`; returns the accounts and the rejected lines.
/// A rejected input line: (line number, reason).
pub type Rejected = (usize, String);

pub fn read_accounts<R: Read>(reader: R) -> anyhow::Result<(Vec<Account>, Vec<Rejected>)> {
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
    let headers = rdr.headers().context("cannot read the CSV header")?.clone();
    let col = |name: &str| headers.iter().position(|h| h.trim().eq_ignore_ascii_case(name));
    let id_col = col("account_id").context("line 1: missing column 'account_id'; expected account_id,name,plan,arr_cents")?;
    let (name_col, plan_col, arr_col) = (col("name"), col("plan"), col("arr_cents"));
    let mut accounts = Vec::new();
    let mut rejected = Vec::new();
    for (i, record) in rdr.records().enumerate() {
        let line = i + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                rejected.push((line, format!("malformed CSV: {e}")));
                continue;
            }
        };
        let get = |c: Option<usize>| c.and_then(|c| record.get(c)).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
        let Some(id) = get(Some(id_col)) else {
            rejected.push((line, "account_id is empty".into()));
            continue;
        };
        let arr_cents = match get(arr_col).map(|v| ArrCents::parse(&v)).transpose() {
            Ok(v) => v,
            Err(e) => {
                rejected.push((line, format!("arr_cents: {e}")));
                continue;
            }
        };
        accounts.push(Account { id, name: get(name_col), plan: get(plan_col), arr_cents });
    }
    Ok((accounts, rejected))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accounts_csv_reports_bad_lines() {
        let csv = "account_id,name,plan,arr_cents\nacme,Acme,enterprise,4800000\n,NoId,pro,1\nglobex,Globex,pro,12.5\ninitech,,,\n";
        let (accounts, rejected) = read_accounts(csv.as_bytes()).unwrap();
        assert_eq!(accounts.len(), 2);
        assert_eq!(accounts[0].arr_cents, Some(ArrCents(4_800_000)));
        assert_eq!(rejected.iter().map(|r| r.0).collect::<Vec<_>>(), vec![3, 4]);
    }
}
