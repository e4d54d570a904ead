//! The `pushback` command line: argument parsing and one function per subcommand. The
//! commands share `open_store` and `load_classifier` with the server.

mod bench;
mod corrections;
mod data;
mod demo;
mod demo_history;
mod demo_surveys;
mod digest;
mod emerging;
mod evidence;
mod fake_zendesk;
mod home;
mod impact;
mod knobs;
mod model;
mod review;
mod rollups;
mod rules_check;
mod spikes;
mod sync;
mod synth;
mod topics;

use crate::app::{load_classifier, load_rules, offline_classifier, open_store};
use crate::config::{Settings, redact_url};
use crate::store::Store;
use clap::{Parser, Subcommand};
pub use knobs::TrainKnobs;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "pushback",
    version,
    about = "Turns customer feedback into evidence engineers can use.",
    long_about = "pushback ingests support tickets and churn notes (Zendesk, Intercom, Help Scout, Stripe, \
Freshdesk, generic JSON), tags each one as performance and/or reliability with a local classifier, \
and answers in Slack with evidence packs.\n\n\
Settings come from config/default.toml, config/$PUSHBACK_ENV.toml and PUSHBACK_<SECTION>__<KEY> \
environment variables (which win). The database is SQLite (pushback.db) unless \
PUSHBACK_DATABASE__URL names a postgres:// server.",
    after_help = "Examples:\n  pushback demo                                  see the whole pipeline on sample data\n  pushback serve                                 run the webhook server\n  pushback import --source zendesk tickets.jsonl backfill history\n  pushback classify \"checkout takes 40 seconds\"   try the classifier"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Directory with default.toml, $PUSHBACK_ENV.toml and rules.toml (default: ./config).
    #[arg(long, global = true, env = "PUSHBACK_CONFIG_DIR", value_name = "DIR")]
    pub config_dir: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP server: webhooks, health and metrics.
    Serve,
    /// Apply database migrations and exit (serve also applies them at start).
    Migrate,
    /// Backfill feedback from a file of JSON lines (one vendor payload per line) or CSV.
    #[command(after_help = "CSV columns: id,kind,subject,body,account_id,created_at,url (header required).\n\
Re-running an import is safe: items already stored are left alone or updated.\n\n\
Example:\n  pushback import --source generic history.jsonl\n  pushback import --source csv tickets.csv --rejects rejects.txt")]
    Import {
        /// Format of each line: zendesk, intercom, helpscout, stripe, freshdesk, generic, or csv.
        #[arg(long, value_parser = parse_source)]
        source: crate::domain::Source,
        /// The file to read.
        file: PathBuf,
        /// Items per database transaction [default: 25000 on SQLite, where large transactions
        /// save rewriting index pages; 2000 on PostgreSQL, where short ones keep row locks brief
        /// for the live service]. An interrupted import loses at most its open transaction;
        /// re-run it to continue.
        #[arg(long)]
        batch: Option<usize>,
        /// Write every rejected line number and reason to this file.
        #[arg(long)]
        rejects: Option<PathBuf>,
    },
    /// Write every stored item, one JSON object per line.
    Export {
        /// Output format (only jsonl).
        #[arg(long, default_value = "jsonl", value_parser = ["jsonl"])]
        format: String,
        /// Output file (default: standard output).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Pull tickets, conversations and churn notes from the vendors' APIs (a backfill the first time,
    /// then what changed), or show where each source stands with --status.
    Sync(sync::SyncArgs),
    /// Manage customer accounts (name, plan, ARR) used to weight evidence by revenue.
    #[command(subcommand)]
    Accounts(data::AccountsCommand),
    /// Classify one text and print categories, scores, explanation, topics and model as JSON.
    Classify {
        /// The feedback text.
        text: String,
    },
    /// Measure the classifier on a labelled CSV (text + label, or is_performance/is_reliability).
    #[command(after_help = "Without --cv the active model is scored; with --cv K a fresh model is trained\n\
and tested on K stratified folds of the file itself.\n\nExamples:\n  pushback eval --data data/public/urr_ciurumelea2017.csv --cv 5\n  pushback eval --leave-out")]
    Eval {
        #[command(flatten)]
        opts: model::EvalOpts,
        #[command(flatten)]
        knobs: TrainKnobs,
    },
    /// Train a model (the shipped recipe: seed corpus + data/public) plus your data; activate it only if asked.
    #[command(
        after_help = "Examples:\n  pushback train --include-corrections            compare a retrained model with the active one\n  pushback train --include-corrections --activate and switch to it if it is not worse\n  pushback train --data ours.csv --activate       train, store and switch to it\n  pushback train --out models/default.json        rebuild the shipped model"
    )]
    Train {
        /// Extra labelled CSV (same columns as eval).
        #[arg(long)]
        data: Option<PathBuf>,
        /// Add people's corrections (pushback label, Slack "Wrong tag" and /pushback label) as training
        /// data, and compare the result with the active model on them (as serve does before it
        /// activates a retrained model); --activate refuses a model that is worse.
        #[arg(long)]
        include_corrections: bool,
        /// Store the model in the database and make it the active one.
        #[arg(long)]
        activate: bool,
        /// Also write the model to this JSON file.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Train on the seed corpus alone, without the public data sets.
        #[arg(long)]
        seed_only: bool,
        /// Use this labelled CSV in place of the built-in seed corpus (e.g. an edited data/seed/corpus.csv).
        #[arg(long, value_name = "FILE")]
        corpus: Option<PathBuf>,
        #[command(flatten)]
        knobs: TrainKnobs,
    },
    /// Check the classifier rules (config/rules.toml) against labelled data.
    Rules {
        #[command(subcommand)]
        command: rules_check::RulesCommand,
    },
    /// Correct an item's tags: stored as a gold label for retraining and applied at once.
    #[command(
        after_help = "Examples:\n  pushback label 42 performance\n  pushback label 42 performance reliability\n  pushback label 42 none"
    )]
    Label {
        item_id: i64,
        /// performance, reliability (one or both), or none.
        #[arg(required = true, num_args = 1..=2)]
        labels: Vec<String>,
        /// Who made the correction.
        #[arg(long, default_value = "cli")]
        by: String,
    },
    /// Check the daily rollups (what packs, the digest and the review count from) against the items.
    #[command(subcommand)]
    Rollups(rollups::RollupsCommand),
    /// Re-tag every stored item with the current model and rules (then checks the rollups).
    Reclassify {
        #[arg(long, default_value_t = 2000)]
        batch: i64,
    },
    /// Generate a realistic synthetic history (accounts, tickets, churn notes from every source).
    #[command(after_help = "Deterministic for a seed and end date. Without --out the items are classified and stored in\n\
the configured database; with --out they are written as generic JSON lines (plus an accounts CSV).\n\n\
Examples:\n  pushback gen --count 1000000 --seed 1\n  pushback gen --count 1000000 --out bench.jsonl   then: pushback import --source generic bench.jsonl")]
    Gen {
        #[arg(long, default_value_t = 10_000)]
        count: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Last day of the history (YYYY-MM-DD; default today).
        #[arg(long)]
        end: Option<String>,
        /// Days of history before --end.
        #[arg(long, default_value_t = 365)]
        days: i64,
        /// Number of accounts (default: one per 40 items, at least 20).
        #[arg(long)]
        accounts: Option<usize>,
        /// Write generic JSON lines here instead of storing.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Show this week's Slack digest (and each owner channel's section), post it (at most once per
    /// week, like the scheduler), or show where recent weeks stand.
    #[command(after_help = digest::EXAMPLES)]
    Digest(digest::DigestArgs),
    /// The monthly review: NPS and CSAT beside what customers complain about and what it costs.
    #[command(after_help = review::ABOUT)]
    Review(review::ReviewArgs),
    /// The shared vocabulary: category definitions, and each topic's title, owner channel,
    /// patterns and linked metric (from config/rules.toml).
    #[command(
        after_help = "Examples:\n  pushback glossary > glossary.md           Markdown for a wiki page\n  pushback glossary checkout-slow --format json"
    )]
    Glossary {
        /// Only this topic (slug).
        topic: Option<String>,
        #[arg(long, value_enum, default_value = "md")]
        format: GlossaryFormat,
    },
    /// Spike alerts: which topics and categories are rising now (last 24 hours and 7 days
    /// against the 28 days before), or alert them (once per rise, shared with serve).
    #[command(after_help = "Examples:\n  pushback spikes                    what would alert now\n  pushback spikes --format json\n  \
pushback spikes --send             alert: a new rise posts, a continuing one updates its alert\n\n\
Thresholds: alerts.spike_min_ratio, alerts.spike_max_p, alerts.spike_min_items (PUSHBACK_ALERTS__*), or a topic's own\n\
spike_min_ratio / spike_max_p / spike_min_items in config/rules.toml. Each spike lists its accounts, their ARR and two quotes.")]
    Spikes {
        #[arg(long, value_enum, default_value = "text")]
        format: spikes::SpikesFormat,
        /// Queue the alerts and post them (needs PUSHBACK_SLACK__BOT_TOKEN).
        #[arg(long)]
        send: bool,
    },
    /// A user's Slack App Home tab as pushback would publish it (Markdown, or --json blocks).
    Home(home::HomeArgs),
    /// Groups of performance and reliability complaints no topic claims yet, fastest-growing first.
    Emerging(emerging::EmergingArgs),
    /// Every topic, from config/rules.toml and stored (made in Slack); `export` prints the stored ones.
    Topics(topics::TopicsArgs),
    /// Measure speed (see BENCHMARKS.md for recorded figures).
    #[command(subcommand)]
    Bench(BenchCommand),
    /// The evidence pack for a topic: counts, accounts and ARR, trend and its significance,
    /// churn, representative quotes, and how to reproduce it.
    #[command(
        after_help = "Examples:\n  pushback evidence checkout-slow\n  pushback evidence checkout-slow --since 30d --format csv --out checkout.csv\n  \
pushback evidence checkout-slow --format png --out checkout.png                   (the weekly chart; --format svg for SVG)\n  \
pushback evidence checkout-slow --from 2026-08-01 --to 2026-11-01 --format json   (regenerate exactly)\n  \
pushback evidence checkout-slow --create-issue jira                               (file it once; prints the issue)\n\n\
Exit status 2 when nothing matched the topic (the closest topics are printed)."
    )]
    Evidence(evidence::EvidenceArgs),
    /// Did the fix work? The topic's share of feedback 28 days before the fix against 28 days after
    /// it (plus a settle period), with an exact test and a 95% confidence interval.
    #[command(after_help = "Examples:\n  pushback impact checkout-slow --fix-date 2026-11-02\n  \
pushback impact checkout-slow --issue PROJ-123 --format json\n\n\
Windows: PUSHBACK_TRACKERS__WINDOW_DAYS (28) and PUSHBACK_TRACKERS__SETTLE_DAYS (7).")]
    Impact(impact::ImpactArgs),
    /// A local fake of Zendesk's incremental ticket export serving a generated history, the one
    /// `pushback demo` starts (scripts/crash_test.sh and the backfill benchmark run it alone).
    #[command(hide = true)]
    FakeZendesk(fake_zendesk::Args),
    /// Run the whole pipeline on built-in sample data in a throwaway database and show what
    /// the bot would post.
    Demo {
        /// Keep the demo database at this path instead of a temporary one.
        #[arg(long)]
        keep: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Classifier throughput (batch), single-item latency and training time (8,000 items; the shipped recipe).
    Classify {
        /// Typical items to classify.
        #[arg(long, default_value_t = 200_000)]
        items: usize,
    },
    /// Evidence pack latency (queries, pack, Slack and Markdown renders) on the configured database.
    #[command(after_help = "Example (after `pushback gen --count 1000000`):\n  pushback bench evidence --topic checkout-slow --runs 50")]
    Evidence {
        #[arg(long, default_value = "checkout-slow")]
        topic: String,
        #[arg(long, default_value_t = 90)]
        days: i64,
        #[arg(long, default_value_t = 50)]
        runs: usize,
    },
}

fn parse_source(s: &str) -> Result<crate::domain::Source, String> {
    s.parse()
}

pub(crate) fn parse_week(s: &str) -> Result<crate::domain::IsoWeek, String> {
    s.parse()
}

pub async fn run(cli: Cli, settings: Settings) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve => {
            let app = crate::startup::Application::build(settings).await?;
            app.run_until_stopped().await
        }
        Command::Migrate => {
            let store = open_store(&settings).await?;
            println!("migrations applied to {} ({})", redact_url(&settings.database.url), store.backend());
            Ok(())
        }
        Command::Import { source, file, batch, rejects } => data::import(&settings, source, &file, batch, rejects.as_deref()).await,
        Command::Export { out, .. } => data::export(&settings, out.as_deref()).await,
        Command::Accounts(data::AccountsCommand::Import { file }) => data::import_accounts(&settings, &file).await,
        Command::Accounts(data::AccountsCommand::Map { account_id, customer_id, .. }) => {
            data::map_account(&settings, &account_id, customer_id.as_deref()).await
        }
        Command::Accounts(data::AccountsCommand::Unmatched { format }) => data::unmatched(&settings, format).await,
        Command::Sync(args) => sync::run(settings, args).await,
        Command::Classify { text } => model::classify(&settings, &text).await,
        Command::Eval { opts, knobs } => model::eval(&settings, &opts, &knobs.params()).await,
        Command::Train { data, include_corrections, activate, out, seed_only, corpus, knobs } => {
            let sources = model::TrainSources { data: data.as_deref(), include_corrections, seed_only, corpus: corpus.as_deref() };
            let (out, params) = (out.as_deref(), &knobs.params());
            if include_corrections {
                corrections::run(&settings, &sources, activate, out, params).await
            } else {
                model::train(&settings, &sources, activate, out, params).await
            }
        }
        Command::Rules { command } => rules_check::run(&settings, &command),
        Command::Label { item_id, labels, by } => model::label(&settings, item_id, &labels, &by).await,
        Command::Rollups(command) => rollups::run(&settings, &command).await,
        Command::Reclassify { batch } => model::reclassify(&settings, batch).await,
        Command::Demo { keep } => demo::run(settings, keep).await,
        Command::FakeZendesk(args) => fake_zendesk::alone(args).await,
        Command::Evidence(args) => evidence::run(&settings, &args).await,
        Command::Impact(args) => impact::run(&settings, &args).await,
        Command::Digest(args) => digest::command(settings, args).await,
        Command::Review(args) => review::run(&settings, &args).await,
        Command::Glossary { topic, format } => glossary(&settings, topic.as_deref(), format),
        Command::Spikes { format, send } => spikes::command(settings, format, send).await,
        Command::Emerging(args) => emerging::run(&settings, &args).await,
        Command::Home(args) => home::run(settings, &args).await,
        Command::Topics(args) => topics::run(&settings, &args).await,
        Command::Bench(BenchCommand::Classify { items }) => bench::classify(&settings, items),
        Command::Bench(BenchCommand::Evidence { topic, days, runs }) => bench::evidence(&settings, &topic, days, runs).await,
        Command::Gen { count, seed, end, days, accounts, out } => {
            anyhow::ensure!(count > 0 && days > 0, "--count and --days must be positive");
            let params = crate::synth::GenParams { count, seed, end: synth::end_date(end.as_deref())?, days, accounts };
            synth::run(&settings, params, out.as_deref()).await
        }
    }
}

/// Readies the database for queries after a bulk load (`Store::settle_after_bulk_load`). A
/// failure (say, a role that may not VACUUM) is reported, not fatal: the data is committed and
/// autovacuum will do the same later.
async fn settle(store: &Store) {
    let started = std::time::Instant::now();
    match store.settle_after_bulk_load().await {
        Ok(true) => eprintln!("vacuumed and analysed the tables for the query planner in {:.1}s", started.elapsed().as_secs_f64()),
        Ok(false) => {}
        Err(e) => eprintln!("warning: could not VACUUM (ANALYZE) after the load ({e}); queries may be slower until autovacuum runs"),
    }
}

/// A progress bar on stderr (hidden when stderr is not a terminal).
pub fn progress_bar(len: u64, what: &str) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(len);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {msg} [{bar:40}] {percent}% {human_pos}/{human_len} eta {eta}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message(what.to_string());
    bar
}

pub fn bytes_bar(len: u64, what: &str) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(len);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} {msg} [{bar:40}] {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec} eta {eta}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    bar.set_message(what.to_string());
    bar
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum GlossaryFormat {
    Md,
    Json,
}

fn glossary(settings: &Settings, topic: Option<&str>, format: GlossaryFormat) -> anyhow::Result<()> {
    use crate::classify::glossary;
    let rules = crate::app::load_rules(settings)?;
    let Some(g) = glossary::build(&rules, topic) else {
        let known: Vec<&str> = rules.topics.iter().map(|t| t.slug.as_str()).collect();
        anyhow::bail!(
            "no topic `{}` in {}; topics: {}",
            topic.unwrap_or_default(),
            settings.classifier.rules_path.display(),
            known.join(", ")
        );
    };
    let text = match format {
        GlossaryFormat::Md => glossary::markdown(&g),
        GlossaryFormat::Json => serde_json::to_string_pretty(&g)? + "\n",
    };
    std::io::Write::write_all(&mut std::io::stdout(), text.as_bytes())?;
    Ok(())
}
