//! Every item of the pack, one row each, for a spreadsheet.

use crate::evidence::pack::EvidencePack;
use crate::redact::redact;
use crate::text::fold_whitespace;

pub const HEADER: [&str; 11] =
    ["id", "created_at", "account_id", "account", "arr_cents", "source", "reference", "kind", "url", "categories", "text"];

pub fn render(pack: &EvidencePack) -> anyhow::Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(HEADER)?;
    for r in &pack.rows {
        w.write_record([
            r.id.to_string(),
            r.created_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            defuse(r.account_id.as_deref().unwrap_or("")),
            defuse(r.account.as_deref().unwrap_or("")),
            r.arr_cents.map(|a| a.to_string()).unwrap_or_default(),
            r.source.clone(),
            defuse(&r.reference),
            r.kind.clone(),
            defuse(r.url.as_deref().unwrap_or("")),
            r.categories.clone(),
            defuse(&redact(&fold_whitespace(&r.text).replace('\n', " "))),
        ])?;
    }
    Ok(String::from_utf8(w.into_inner()?)?)
}

/// The metric beside the complaints, one row per day: `day,complaints,<metric label>` (an
/// empty cell where Prometheus had no value). `None` when the topic has no metric.
pub fn daily(pack: &EvidencePack) -> anyhow::Result<Option<String>> {
    let Some(m) = &pack.metric else { return Ok(None) };
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["day", "complaints", &defuse(&m.label)])?;
    for d in &m.daily {
        w.write_record([d.day.to_string(), d.complaints.to_string(), d.value.map(|v| v.to_string()).unwrap_or_default()])?;
    }
    Ok(Some(String::from_utf8(w.into_inner()?)?))
}

/// Spreadsheets run cells that start with `=`, `+`, `-`, `@` as formulas: prefix a quote.
fn defuse(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{cell}") } else { cell.to_string() }
}
