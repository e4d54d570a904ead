//! Socket Mode: with `PUSHBACK_SLACK__APP_TOKEN` set, `serve` opens WebSocket connections out to
//! Slack and receives slash commands, buttons and events over them, so pushback needs no public
//! URL. The HTTP routes keep working beside it.
//!
//! Written on tokio-tungstenite (the WebSocket crate slack-morphism itself uses, so nothing new
//! is built) rather than slack-morphism's `SlackClientSocketModeListener` (v2.31), because that
//! listener cannot meet issue 23: its callbacks never see `envelope_id`, so redeliveries
//! cannot be deduplicated on it; on every `disconnect` it closes the connection and then
//! reconnects (`restart_client`), so `refresh_requested` and `warning` leave a gap instead of
//! opening the replacement first, `link_disabled` reconnects instead of stopping, and
//! `too_many_websockets` reconnects at once; and it exposes no connection state for `/readyz` or
//! reconnect reasons for `/metrics`.
//!
//! - `frames`: the frames and acks, and the backoff (pure).
//! - `connection`: one connection: open, hello, read, ping, ack.
//! - `dispatch`: an envelope to the same function the HTTP route calls, once across replicas.
//! - here: the supervisor, keeping `slack.socket_connections` open and replacing them.

mod connection;
mod dispatch;
pub mod frames;

use super::answer::SlackState;
use super::client::SlackApi;
use connection::{End, Live, OpenError};
use frames::Disconnect;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;
use tokio::sync::watch;

/// The first wait after a failed connect; it doubles up to `MAX_BACKOFF`.
const FIRST_BACKOFF: Duration = Duration::from_secs(1);
const MAX_BACKOFF: Duration = Duration::from_secs(60);
/// `too_many_websockets`: this slot waits at least this long (doubling up to 10 minutes).
const TOO_MANY_BACKOFF: Duration = Duration::from_secs(60);
const TOO_MANY_MAX_BACKOFF: Duration = Duration::from_secs(600);
/// How often expired claims are deleted.
const PURGE_EVERY: Duration = Duration::from_secs(600);

/// What every connection of this replica shares.
pub struct Ctx {
    slack: SlackState,
    api: SlackApi,
    token: String,
    ping_every: Duration,
    dedupe_ttl_secs: i64,
    replica: String,
    open: AtomicUsize,
    ids: AtomicU64,
    /// Turns true to stop every connection (shutdown, or `link_disabled`).
    halt: watch::Sender<bool>,
}

impl Ctx {
    fn next_id(&self) -> u64 {
        self.ids.fetch_add(1, Ordering::Relaxed) + 1
    }

    fn connection_opened(&self) {
        self.publish(self.open.fetch_add(1, Ordering::SeqCst) + 1);
    }

    fn connection_closed(&self) {
        self.publish(self.open.fetch_sub(1, Ordering::SeqCst).saturating_sub(1));
    }

    fn publish(&self, open: usize) {
        self.slack.app.socket.set_open(open);
        self.slack.app.metrics.set_socket_connections(open);
    }

    fn rng_unit(&self) -> f64 {
        let seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64);
        crate::rng::Rng::new(seed ^ self.next_id()).unit()
    }
}

/// Runs Socket Mode until `stop` turns true (or Slack switches it off): `connections` slots,
/// each keeping one connection open.
pub async fn run(slack: SlackState, api: SlackApi, token: String, mut stop: watch::Receiver<bool>) {
    let settings = &slack.app.settings.slack;
    let wanted = settings.socket_connections;
    let (halt, _) = watch::channel(false);
    let ctx = Arc::new(Ctx {
        api,
        token,
        ping_every: Duration::from_secs(settings.socket_ping_secs),
        dedupe_ttl_secs: settings.socket_dedupe_ttl_secs,
        replica: crate::digest::schedule::replica_name(),
        open: AtomicUsize::new(0),
        ids: AtomicU64::new(0),
        halt,
        slack: slack.clone(),
    });
    slack.app.socket.enable(wanted);
    slack.app.metrics.set_socket_connections(0);
    tracing::info!(connections = wanted, "Slack Socket Mode on (PUSHBACK_SLACK__APP_TOKEN is set)");
    let mut slots: Vec<_> = (0..wanted).map(|n| tokio::spawn(slot(ctx.clone(), n))).collect();
    slots.push(tokio::spawn(purge_claims(ctx.clone())));
    let mut halted = ctx.halt.subscribe();
    tokio::select! {
        _ = stop.wait_for(|s| *s) => {}
        _ = halted.wait_for(|h| *h) => {}
    }
    let _ = ctx.halt.send(true);
    for s in slots {
        let _ = s.await;
    }
}

/// Sleeps `wait`, or less if Socket Mode stops meanwhile; false when it stopped.
async fn pause(ctx: &Ctx, wait: Duration) -> bool {
    let mut halted = ctx.halt.subscribe();
    tokio::select! {
        () = tokio::time::sleep(wait) => !*ctx.halt.borrow(),
        _ = halted.wait_for(|h| *h) => false,
    }
}

/// Keeps one connection open: opens it (backing off after failures), waits until it ends or
/// asks to be replaced, and applies the disconnect's rule.
async fn slot(ctx: Arc<Ctx>, n: usize) {
    let mut slot = Slot { ctx, n, current: None, failures: 0, too_many: 0, reason: None };
    loop {
        match slot.connect().await {
            Step::Stop => break,
            Step::Retry => continue,
            Step::Open => {}
        }
        if !slot.watch().await {
            break;
        }
    }
}

enum Step {
    Open,
    Retry,
    Stop,
}

struct Slot {
    ctx: Arc<Ctx>,
    n: usize,
    /// The connection in use; dropping it closes it.
    current: Option<Live>,
    failures: u32,
    too_many: u32,
    /// Why the next connection is opened (none for the first).
    reason: Option<&'static str>,
}

impl Slot {
    async fn connect(&mut self) -> Step {
        let mut halted = self.ctx.halt.subscribe();
        let opened = tokio::select! {
            o = connection::open(&self.ctx) => o,
            _ = halted.wait_for(|h| *h) => return Step::Stop,
        };
        let wait = match opened {
            Ok(opened) => {
                self.failures = 0;
                // The replacement is open: only now is the connection it replaces closed.
                drop(self.current.take());
                if let Some(r) = self.reason.take() {
                    self.ctx.slack.app.metrics.socket_reconnect(r);
                }
                self.current = Some(connection::spawn(self.ctx.clone(), opened));
                return Step::Open;
            }
            Err(OpenError::Disconnected(d)) => {
                if !on_disconnect_before_hello(&self.ctx, self.n, d, &mut self.too_many) {
                    return Step::Stop;
                }
                backoff_for(&self.ctx, d, self.too_many, self.failures)
            }
            Err(OpenError::Refused(code)) => {
                self.failures += 1;
                refused(&self.ctx, &code);
                MAX_BACKOFF
            }
            Err(OpenError::Failed(why)) => {
                self.failures += 1;
                tracing::warn!(slot = self.n, failures = self.failures, error = %why, "Slack socket connect failed; backing off");
                self.ctx.slack.app.socket.failed(&why);
                frames::backoff(self.failures, FIRST_BACKOFF, MAX_BACKOFF, self.ctx.rng_unit())
            }
        };
        if pause(&self.ctx, wait).await { Step::Retry } else { Step::Stop }
    }

    /// Waits until the connection ends or asks to be replaced; false when Socket Mode stops.
    async fn watch(&mut self) -> bool {
        let mut halted = self.ctx.halt.subscribe();
        let Some(live) = self.current.as_mut() else { return true };
        let end = tokio::select! {
            e = &mut live.ended => e.unwrap_or(End::Closed("connection task ended".into())),
            _ = halted.wait_for(|h| *h) => return false,
        };
        tracing::info!(slot = self.n, connection = live.id, reason = end.reason(), "Slack socket connection to be replaced");
        self.reason = Some(end.reason());
        match end {
            // The old connection keeps delivering until the replacement has said hello.
            End::Disconnect(d) if d.replace_before_close() => self.too_many = 0,
            End::Disconnect(Disconnect::LinkDisabled) => {
                link_disabled(&self.ctx);
                return false;
            }
            End::Disconnect(d) => {
                drop(self.current.take());
                self.too_many += 1;
                return pause(&self.ctx, backoff_for(&self.ctx, d, self.too_many, self.failures)).await;
            }
            End::PingTimeout | End::Closed(_) => {
                drop(self.current.take());
                // Not at once: a connection that keeps dying must not become a tight loop.
                return pause(&self.ctx, frames::backoff(1, FIRST_BACKOFF, MAX_BACKOFF, self.ctx.rng_unit())).await;
            }
        }
        true
    }
}

/// A `disconnect` in place of `hello`; false when Socket Mode must stop.
fn on_disconnect_before_hello(ctx: &Ctx, n: usize, d: Disconnect, too_many: &mut u32) -> bool {
    tracing::warn!(slot = n, reason = d.as_str(), "Slack sent disconnect instead of hello");
    ctx.slack.app.metrics.socket_reconnect(d.as_str());
    match d {
        Disconnect::LinkDisabled => {
            link_disabled(ctx);
            false
        }
        Disconnect::TooManyWebsockets => {
            *too_many += 1;
            true
        }
        _ => true,
    }
}

fn backoff_for(ctx: &Ctx, d: Disconnect, too_many: u32, failures: u32) -> Duration {
    if d == Disconnect::TooManyWebsockets {
        tracing::warn!(
            "Slack refused a Socket Mode connection: too_many_websockets (more than 10 open for this app across replicas; lower PUSHBACK_SLACK__SOCKET_CONNECTIONS or the replica count). Waiting before trying again"
        );
        frames::backoff(too_many, TOO_MANY_BACKOFF, TOO_MANY_MAX_BACKOFF, ctx.rng_unit())
    } else {
        frames::backoff(failures.max(1), FIRST_BACKOFF, MAX_BACKOFF, ctx.rng_unit())
    }
}

fn link_disabled(ctx: &Ctx) {
    tracing::error!(
        "Slack Socket Mode stopped: Slack says Socket Mode was switched off in the app's settings (disconnect reason link_disabled). Commands and buttons now reach pushback only over HTTP request URLs; to use Socket Mode again, switch it on under api.slack.com/apps -> your app -> Socket Mode and restart pushback"
    );
    ctx.slack.app.socket.stop("link_disabled: Socket Mode was switched off in the Slack app's settings");
    let _ = ctx.halt.send(true);
}

fn refused(ctx: &Ctx, code: &str) {
    let why = match code {
        "invalid_auth" | "not_authed" | "token_revoked" | "token_expired" | "account_inactive" => format!(
            "Slack refused PUSHBACK_SLACK__APP_TOKEN ({code}): the token is wrong, revoked or from another app. Generate a new app-level token (xapp-..., scope connections:write) under api.slack.com/apps -> your app -> Basic Information -> App-Level Tokens, set PUSHBACK_SLACK__APP_TOKEN and restart; trying again every {} s meanwhile",
            MAX_BACKOFF.as_secs()
        ),
        _ => format!(
            "Slack refused PUSHBACK_SLACK__APP_TOKEN ({code}); it must be an app-level token (xapp-...) with the connections:write scope, from Basic Information -> App-Level Tokens"
        ),
    };
    tracing::error!("{why}");
    ctx.slack.app.socket.failed(&why);
}

/// Deletes expired envelope claims now and then (any replica may; the delete is idempotent).
async fn purge_claims(ctx: Arc<Ctx>) {
    let mut halted = ctx.halt.subscribe();
    loop {
        match ctx.slack.app.store.purge_slack_claims(ctx.dedupe_ttl_secs, chrono::Utc::now()).await {
            Ok(n) if n > 0 => tracing::debug!(deleted = n, "expired Slack envelope claims deleted"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "cannot delete expired Slack envelope claims; trying again later"),
        }
        tokio::select! {
            () = tokio::time::sleep(PURGE_EVERY) => {}
            _ = halted.wait_for(|h| *h) => return,
        }
    }
}
