//! Slack, the top of the data path. Inside this folder files import each other in one direction
//! (no circles; `tests/architecture.rs` checks every folder):
//!
//! - transport, at the bottom: `blocks` (Block Kit values and limits), `client` and `pace` (the
//!   Web API), `answer` (the handlers' state, who clicked, answers through response_url),
//!   `views` (modals), `signature`, `outbox` (durable delivery);
//! - messages, above it: the blocks of each message (`evidence`, `top`, `digest`, `sections`,
//!   `help`, `alerts`, `spikes`, `emerging`, `label`, `issues`, `home_view`, `sources`,
//!   `subscribe`) and what their buttons do; they import transport and lower layers, never a
//!   handler;
//! - handlers, on top: `routes` (HTTP: `/slack/commands`, `/slack/interactions`,
//!   `/slack/events`), `socket` (Socket Mode), `commands`, `interactions` (which button runs
//!   what), `events`, `home` and `home_actions` (the App Home tab and its buttons).
//!
//! The weekly digest is posted once per week across replicas through the outbox; `socket`
//! receives the same commands, buttons and events over Socket Mode when an app-level token is set.

pub mod alerts;
pub mod answer;
pub mod blocks;
pub mod claim;
pub mod client;
pub mod commands;
pub mod digest;
pub mod emerging;
pub mod events;
pub mod evidence;
pub mod help;
pub mod home;
pub mod home_actions;
pub mod home_view;
pub mod interactions;
pub mod issues;
pub mod label;
pub mod outbox;
pub mod pace;
pub mod review;
pub mod routes;
pub mod sections;
pub mod signature;
pub mod socket;
pub mod sources;
pub mod spikes;
pub mod subscribe;
pub mod top;
pub mod views;

pub use routes::router;

use crate::app::AppState;
use client::SlackApi;
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// The server's Slack tasks (outbox delivery, digest scheduler), ready to start.
#[derive(Debug)]
pub struct Background {
    state: AppState,
    api: Option<SlackApi>,
}

impl Background {
    /// Says clearly what is on and off, given the settings.
    pub fn new(state: &AppState) -> Self {
        let slack = &state.settings.slack;
        match (slack.secret(), slack.app_token()) {
            (None, None) => tracing::info!(
                "Slack commands and buttons are off: set PUSHBACK_SLACK__APP_TOKEN (Socket Mode) or PUSHBACK_SLACK__SIGNING_SECRET (HTTP request URLs)"
            ),
            (None, Some(_)) => tracing::info!(
                "Slack commands and buttons arrive over Socket Mode; /slack/* over HTTP answers 401 (no PUSHBACK_SLACK__SIGNING_SECRET)"
            ),
            _ => {}
        }
        let api = match (slack.token(), SlackApi::new(slack)) {
            (None, _) => {
                tracing::warn!("Slack posting is off: no bot token (set PUSHBACK_SLACK__BOT_TOKEN); feedback is still ingested");
                None
            }
            (Some(_), Err(e)) => {
                tracing::error!(error = format!("{e:#}"), "Slack posting is off: the Slack client could not be built");
                None
            }
            (Some(_), Ok(api)) => {
                if slack.channel().is_none() {
                    tracing::warn!("the weekly digest is off: set PUSHBACK_SLACK__DIGEST_CHANNEL");
                    if state.settings.labels.weekly {
                        tracing::warn!(
                            "the weekly label message (labels.weekly) is off too: it is posted to PUSHBACK_SLACK__DIGEST_CHANNEL"
                        );
                    }
                }
                Some(api)
            }
        };
        Self { state: state.clone(), api }
    }

    /// Spawns the tasks that apply (none without a token).
    pub fn start(self) -> Running {
        let (stop, stopped) = watch::channel(false);
        let mut tasks = Vec::new();
        if let Some(token) = self.state.settings.slack.app_token() {
            match SlackApi::new(&self.state.settings.slack) {
                Ok(api) => {
                    let slack = answer::SlackState { app: self.state.clone(), api: Some(api.clone()) };
                    tasks.push(tokio::spawn(socket::run(slack, api, token.to_string(), stopped.clone())));
                }
                Err(e) => tracing::error!(error = format!("{e:#}"), "Slack Socket Mode is off: the Slack client could not be built"),
            }
        }
        if let Some(api) = self.api {
            let slack = &self.state.settings.slack;
            let poll = Duration::from_secs(slack.outbox_poll_secs);
            let wake = self.state.outbox_wake.clone();
            tasks.push(tokio::spawn(outbox::run(self.state.store.clone(), api.clone(), slack.max_attempts, poll, wake, stopped.clone())));
            let alerts = &self.state.settings.alerts;
            if alerts.spikes {
                let every = Duration::from_secs(alerts.spike_check_secs);
                tasks.push(tokio::spawn(spikes::run_checks(self.state.clone(), every, stopped.clone())));
            }
            let every = Duration::from_secs(slack.digest_check_secs);
            tasks.push(tokio::spawn(issues::run_reporter(self.state.clone(), api, every, stopped.clone())));
            if let (true, Some(channel), Ok(schedule)) = (self.state.settings.labels.weekly, slack.channel(), slack.schedule()) {
                let every = Duration::from_secs(slack.digest_check_secs);
                let channel = channel.to_string();
                tasks.push(tokio::spawn(label::run_weekly(self.state.clone(), schedule, channel, every, stopped.clone())));
            }
            if let (Some(channel), Ok(schedule)) = (self.state.settings.review.channel(slack.channel()), slack.schedule()) {
                let (every, channel) = (Duration::from_secs(slack.digest_check_secs), channel.to_string());
                tasks.push(tokio::spawn(review::run_scheduler(self.state.clone(), schedule, channel, every, stopped.clone())));
            }
            if let (Some(channel), Ok(schedule)) = (slack.channel(), slack.schedule()) {
                let every = Duration::from_secs(slack.digest_check_secs);
                let channel = channel.to_string();
                tasks.push(tokio::spawn(digest::run_scheduler(self.state.clone(), schedule, channel, every, stopped)));
            }
        }
        Running { stop, tasks }
    }
}

/// Started tasks; `stop` ends them (an in-flight post finishes first).
pub struct Running {
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl Running {
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        for task in self.tasks {
            let _ = tokio::time::timeout(Duration::from_secs(40), task).await;
        }
    }
}

/// What the bot would post, printed as Markdown (`pushback demo`, or a server without a token).
pub async fn print_preview(state: &AppState) -> anyhow::Result<()> {
    let evidence = evidence::evidence_message(state, "checkout-slow", 30, false).await?;
    println!("6. Slack: `/evidence checkout-slow` answers (ephemeral, with Share / Download pack / Wrong tag buttons):\n");
    println!("{}", indent(&blocks::to_markdown(&[evidence])));
    let week = state.settings.slack.schedule().unwrap_or_default().week_of(chrono::Utc::now());
    let digest = digest::digest_messages(state, week).await?;
    println!("7. Slack: the weekly digest for {week} (`pushback digest`; posted once a week to slack.digest_channel):\n");
    println!("{}", indent(&blocks::to_markdown(&digest)));
    if state.settings.slack.token().is_none() {
        println!("Slack posting is off here (no PUSHBACK_SLACK__BOT_TOKEN); the above is what would be posted.");
    }
    Ok(())
}

fn indent(text: &str) -> String {
    text.lines().map(|l| if l.is_empty() { String::new() } else { format!("   {l}") }).collect::<Vec<_>>().join("\n")
}
