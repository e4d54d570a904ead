//! `pushback home --user U123`: the user's App Home view, printed the way the demo prints
//! messages, from the same figures `serve` publishes on `app_home_opened`.

use super::{load_classifier, open_store};
use crate::app::AppState;
use crate::config::Settings;
use crate::slack::blocks::{SlackMessage, to_markdown};
use crate::slack::client::SlackApi;
use crate::slack::home::figures;
use crate::slack::home_view::{check_home, compose};

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  pushback home --user U0123ABCD          the Home tab as Markdown\n  \
pushback home --user U0123ABCD --json   the view's Block Kit blocks\n\n\
With PUSHBACK_SLACK__BOT_TOKEN set, Slack is asked which channels the user is in (users.conversations) for\n\
\"What you own\"; without it that part says so. Nothing is published.")]
pub struct HomeArgs {
    /// The Slack user ID whose Home tab to show (U... or W...).
    #[arg(long)]
    pub user: String,
    /// Print the blocks as JSON instead of Markdown.
    #[arg(long)]
    pub json: bool,
}

pub async fn run(settings: Settings, args: &HomeArgs) -> anyhow::Result<()> {
    anyhow::ensure!(
        args.user.starts_with(['U', 'W']) && args.user.chars().all(|c| c.is_ascii_alphanumeric()),
        "--user takes a Slack user ID such as U0123ABCD (in Slack: the person's profile, ⋮, Copy member ID); got `{}`",
        args.user
    );
    let store = open_store(&settings).await?;
    let classifier = load_classifier(&settings, &store).await?;
    let api = settings.slack.token().and_then(|_| SlackApi::new(&settings.slack).ok());
    let (state, writer_task) = AppState::new(store, classifier, settings);
    let result = figures(&state, &args.user, api.as_ref()).await;
    drop(state);
    let _ = writer_task.await;
    let blocks = compose(&result?);
    if let Err(problem) = check_home(&blocks) {
        eprintln!("warning: this view breaks Slack's limits: {problem}");
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&serde_json::json!({"type": "home", "blocks": blocks}))?);
    } else {
        println!("App Home of {} ({} blocks):\n", args.user, blocks.len());
        print!("{}", to_markdown(&[SlackMessage { text: format!("App Home of {}", args.user), blocks }]));
    }
    Ok(())
}
