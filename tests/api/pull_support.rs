//! Shared steps of the pull connector stories: settings pointing each source at its fake,
//! `pushback sync` run as a user runs it, and reads of what was stored.

use crate::fake_vendors::{freshdesk, helpscout, intercom, stripe, zendesk};
use clap::Parser;
use pushback::app::sync_status::{self, SourceStatus, SyncStatus};
use pushback::config::Settings;
use pushback::domain::{Feedback, Source};
use pushback::store::Store;
use secrecy::SecretString;

/// Waits and backoff short enough for tests; the vendor's own headers are still obeyed.
pub fn fast(s: &mut Settings) {
    s.sync.backoff_base_ms = 10;
    s.sync.backoff_max_ms = 80;
    s.sync.max_wait_secs = 3;
    s.sync.lease_secs = 30;
    s.sync.timeout_secs = 10;
}

pub fn zendesk_api(s: &mut Settings, base: &str) {
    fast(s);
    let z = &mut s.sources.zendesk;
    z.subdomain = Some("acme".into());
    z.email = Some(zendesk::EMAIL.into());
    z.api_token = Some(SecretString::from(zendesk::TOKEN));
    z.api_url = Some(base.into());
}

pub fn intercom_api(s: &mut Settings, base: &str) {
    fast(s);
    s.sources.intercom.access_token = Some(SecretString::from(intercom::TOKEN));
    s.sources.intercom.api_url = Some(base.into());
}

pub fn helpscout_api(s: &mut Settings, base: &str) {
    fast(s);
    s.sources.helpscout.app_id = Some(helpscout::APP_ID.into());
    s.sources.helpscout.app_secret = Some(SecretString::from(helpscout::APP_SECRET));
    s.sources.helpscout.api_url = Some(base.into());
}

pub fn freshdesk_api(s: &mut Settings, base: &str) {
    fast(s);
    s.sources.freshdesk.domain = Some("acme".into());
    s.sources.freshdesk.api_key = Some(SecretString::from(freshdesk::API_KEY));
    s.sources.freshdesk.api_url = Some(base.into());
}

pub fn stripe_api(s: &mut Settings, base: &str) {
    fast(s);
    s.sources.stripe.api_key = Some(SecretString::from(stripe::KEY));
    s.sources.stripe.api_url = Some(base.into());
}

/// `pushback <args>` with `settings`, as the command line runs it.
pub async fn pushback(settings: &Settings, args: &[&str]) -> anyhow::Result<()> {
    let cli = pushback::Cli::try_parse_from(std::iter::once("pushback").chain(args.iter().copied())).expect("arguments parse");
    pushback::run(cli, settings.clone()).await
}

/// `pushback sync <sources> --once`.
pub async fn sync_once(settings: &Settings, sources: &[&str]) -> anyhow::Result<()> {
    let mut args = vec!["sync", "--once"];
    args.extend_from_slice(sources);
    pushback(settings, &args).await
}

/// Every stored item of `source`, by external id.
pub async fn stored(store: &Store, source: Source) -> Vec<Feedback> {
    let (mut after, mut out) = (0, Vec::new());
    loop {
        let page = store.items_after(after, 5000).await.unwrap();
        let Some(last) = page.last() else { break };
        after = last.id;
        out.extend(page.into_iter().filter(|f| f.source == source));
    }
    out.sort_by(|a, b| a.external_id.cmp(&b.external_id));
    out
}

/// The ids stored for `source`, each once (the store keeps (source, id) unique; this checks no
/// item was lost or made up).
pub async fn stored_ids(store: &Store, source: Source) -> Vec<String> {
    let mut ids: Vec<String> = stored(store, source).await.into_iter().map(|f| f.external_id).collect();
    ids.sort_by_key(|i| (i.len(), i.clone()));
    ids
}

pub async fn status(store: &Store, settings: &Settings) -> SyncStatus {
    sync_status::load(store, settings, chrono::Utc::now()).await.unwrap()
}

pub async fn source_status(store: &Store, settings: &Settings, source: &str) -> SourceStatus {
    status(store, settings).await.sources.into_iter().find(|s| s.source == source).unwrap()
}

pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}
