//! Where each pull connector stands, as one value that `pushback sync --status` prints (text or
//! JSON) and `/pushback sources` shows in Slack: configured or not (and which variables to
//! set), last success, position and lag, items pulled, the last error, what to do about it, and
//! the Stripe accounts that could not be matched.

use crate::config::{PULL_SOURCES, Settings};
use crate::store::{Store, StripeCustomer, SyncRow, UnmatchedAccount};
use crate::text::plural;
use chrono::{DateTime, Utc};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SyncStatus {
    pub sources: Vec<SourceStatus>,
    /// Stripe's ARR matching, once Stripe has synced.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accounts: Option<AccountsStatus>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceStatus {
    pub source: String,
    pub configured: bool,
    /// The variables still to set (all of them when nothing is set).
    pub missing: Vec<String>,
    pub last_success: Option<DateTime<Utc>>,
    pub lag_seconds: Option<i64>,
    /// The newest vendor update time pulled.
    pub position_at: Option<DateTime<Utc>>,
    /// The connector's own cursor.
    pub cursor: Option<String>,
    pub items: i64,
    pub inserted: i64,
    pub updated: i64,
    pub unchanged: i64,
    pub skipped: i64,
    pub pages: i64,
    pub last_error: Option<String>,
    pub last_error_at: Option<DateTime<Utc>>,
    /// Who is syncing it now (the lease holder), if anyone.
    pub syncing: Option<String>,
    /// What to do next, in a sentence; `None` when nothing needs doing.
    pub advice: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AccountsStatus {
    pub customers: usize,
    pub matched: usize,
    pub matched_arr_cents: i64,
    pub unmatched_customers: Vec<StripeCustomer>,
    pub unmatched_accounts: Vec<UnmatchedAccount>,
}

/// Reads the status from the store.
pub async fn load(store: &Store, settings: &Settings, now: DateTime<Utc>) -> anyhow::Result<SyncStatus> {
    let rows = store.sync_rows().await?;
    let sources = PULL_SOURCES.iter().map(|s| source_status(settings, rows.iter().find(|r| r.source == s.as_str()), *s, now)).collect();
    let accounts = if rows.iter().any(|r| r.source == "stripe") {
        let customers = store.stripe_customers().await?;
        let unmatched_accounts = store.unmatched_accounts().await?;
        let matched: Vec<&StripeCustomer> = customers.iter().filter(|c| c.account_id.is_some()).collect();
        Some(AccountsStatus {
            customers: customers.len(),
            matched: matched.len(),
            matched_arr_cents: matched.iter().map(|c| c.arr_cents).sum(),
            unmatched_customers: customers.iter().filter(|c| c.account_id.is_none()).cloned().collect(),
            unmatched_accounts,
        })
    } else {
        None
    };
    Ok(SyncStatus { sources, accounts })
}

fn source_status(settings: &Settings, row: Option<&SyncRow>, source: crate::domain::Source, now: DateTime<Utc>) -> SourceStatus {
    let access = settings.sources.pull_access(source);
    let missing = access.as_ref().err().map(|e| e.missing.clone()).unwrap_or_default();
    let to_set = access.as_ref().err().map(crate::config::NotConfigured::to_set).unwrap_or_default();
    let row = row.cloned().unwrap_or_default();
    let syncing = row.lease_owner.clone().filter(|_| row.lease_until.is_some_and(|t| t > now));
    let mut status = SourceStatus {
        source: source.as_str().to_string(),
        configured: access.is_ok(),
        missing,
        last_success: row.last_success,
        lag_seconds: row.synced_through.map(|t| (now - t).num_seconds().max(0)),
        position_at: row.position_at,
        cursor: row.cursor.clone(),
        items: row.items(),
        inserted: row.inserted,
        updated: row.updated,
        unchanged: row.unchanged,
        skipped: row.skipped,
        pages: row.pages,
        last_error: row.last_error.clone(),
        last_error_at: row.last_error_at,
        syncing,
        advice: None,
    };
    status.advice = advice(&status, &to_set, settings.sync.every_secs);
    status
}

/// What the user should do, given where a source stands.
pub fn advice(s: &SourceStatus, to_set: &str, every_secs: u64) -> Option<String> {
    let src = &s.source;
    if !s.configured {
        return Some(format!("to pull {src}, set {to_set} (README: Connecting support tools)"));
    }
    if s.last_error.is_some() {
        return Some(format!(
            "fix what the error says, then run `pushback sync {src} --once` (a running server retries every {})",
            duration(every_secs as i64)
        ));
    }
    if s.last_success.is_none() {
        return Some(match &s.syncing {
            Some(_) => format!("the first sync of {src} is running"),
            None => format!("not synced yet: run `pushback sync {src}` or start `pushback serve`"),
        });
    }
    if s.lag_seconds.is_some_and(|lag| lag > 3 * every_secs as i64 + 120) && s.syncing.is_none() {
        return Some(format!("{src} is behind: is `pushback serve` running? `pushback sync {src} --once` catches up"));
    }
    None
}

/// "45 seconds", "12 minutes", "3 hours", "2 days".
pub fn duration(secs: i64) -> String {
    let secs = secs.max(0) as u64;
    match secs {
        0..=119 => plural(secs, "second"),
        120..=7199 => plural(secs / 60, "minute"),
        7200..=172_799 => plural(secs / 3600, "hour"),
        _ => plural(secs / 86_400, "day"),
    }
}

/// A time as `2026-12-07 10:04 UTC (4 minutes ago)`.
pub fn when(t: DateTime<Utc>, now: DateTime<Utc>) -> String {
    format!("{} ({} ago)", t.format("%Y-%m-%d %H:%M UTC"), duration((now - t).num_seconds()))
}

/// The status as text, one block per source, for `pushback sync --status`.
pub fn to_text(status: &SyncStatus, now: DateTime<Utc>) -> String {
    let mut out = String::new();
    for s in &status.sources {
        if !s.configured {
            out.push_str(&format!("{}: not configured\n", s.source));
        } else {
            let state = if s.syncing.is_some() { " (syncing now)" } else { "" };
            out.push_str(&format!("{}: configured{state}\n", s.source));
            let success = s.last_success.map_or_else(|| "never".to_string(), |t| when(t, now));
            out.push_str(&format!("  last success  {success}\n"));
            if let Some(lag) = s.lag_seconds {
                out.push_str(&format!("  lag           {}\n", duration(lag)));
            }
            if let Some(at) = s.position_at {
                out.push_str(&format!("  position      changes up to {}\n", at.format("%Y-%m-%d %H:%M UTC")));
            }
            out.push_str(&format!(
                "  items pulled  {} ({} inserted, {} updated, {} unchanged; {} skipped) in {}\n",
                crate::text::thousands(s.items.max(0) as u64),
                s.inserted,
                s.updated,
                s.unchanged,
                s.skipped,
                plural(s.pages.max(0) as u64, "page")
            ));
            let error = s
                .last_error
                .as_deref()
                .map_or_else(|| "none".to_string(), |e| format!("{e} ({})", s.last_error_at.map_or_else(String::new, |t| when(t, now))));
            out.push_str(&format!("  last error    {error}\n"));
        }
        if let Some(advice) = &s.advice {
            out.push_str(&format!("  to do         {advice}\n"));
        }
    }
    if let Some(a) = &status.accounts {
        out.push_str(&accounts_text(a));
    }
    out
}

fn accounts_text(a: &AccountsStatus) -> String {
    let mut out = format!(
        "accounts: {} of {} with active subscriptions matched to support accounts ({} ARR)\n",
        a.matched,
        plural(a.customers as u64, "Stripe customer"),
        crate::domain::ArrCents(a.matched_arr_cents).display_dollars()
    );
    const SHOWN: usize = 5;
    for c in a.unmatched_customers.iter().take(SHOWN) {
        let who = c.email.as_deref().or(c.name.as_deref()).unwrap_or("");
        out.push_str(&format!("  unmatched customer {} {who}: {}\n", c.customer_id, c.note.as_deref().unwrap_or("")));
    }
    for u in a.unmatched_accounts.iter().take(SHOWN) {
        out.push_str(&format!("  unmatched account {}: {}\n", u.account_id, u.note));
    }
    let hidden = a.unmatched_customers.len().saturating_sub(SHOWN) + a.unmatched_accounts.len().saturating_sub(SHOWN);
    if hidden > 0 {
        out.push_str(&format!("  ... and {hidden} more: `pushback accounts unmatched` lists them all\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn configured(source: &str) -> SourceStatus {
        SourceStatus {
            source: source.into(),
            configured: true,
            missing: vec![],
            last_success: None,
            lag_seconds: None,
            position_at: None,
            cursor: None,
            items: 0,
            inserted: 0,
            updated: 0,
            unchanged: 0,
            skipped: 0,
            pages: 0,
            last_error: None,
            last_error_at: None,
            syncing: None,
            advice: None,
        }
    }

    #[test]
    fn advice_says_what_to_set_fix_or_run() {
        let mut s = configured("zendesk");
        s.configured = false;
        s.missing = vec!["PUSHBACK_SOURCES__ZENDESK__EMAIL".into(), "PUSHBACK_SOURCES__ZENDESK__API_TOKEN".into()];
        assert!(advice(&s, "X and Y", 300).unwrap().contains("set X and Y"));
        let mut s = configured("zendesk");
        assert!(advice(&s, "", 300).unwrap().contains("not synced yet"));
        s.last_error = Some("zendesk: 401 from the API: check ...".into());
        assert!(advice(&s, "", 300).unwrap().contains("every 5 minutes"));
        s.last_error = None;
        s.last_success = Some(Utc::now());
        s.lag_seconds = Some(100);
        assert_eq!(advice(&s, "", 300), None);
        s.lag_seconds = Some(5000);
        assert!(advice(&s, "", 300).unwrap().contains("behind"));
    }

    #[test]
    fn durations_read_as_english() {
        assert_eq!(duration(1), "1 second");
        assert_eq!(duration(300), "5 minutes");
        assert_eq!(duration(7200), "2 hours");
        assert_eq!(duration(86_400 * 3), "3 days");
    }
}
