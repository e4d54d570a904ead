//! `pushback topics [export]`: every topic, from config/rules.toml and stored in the database
//! (made with Slack's *Make this a topic*), and the stored ones as rules.toml entries.

use crate::app::{load_classifier, open_store};
use crate::classify::rules::TopicOrigin;
use crate::classify::stored_topics::export_toml;
use crate::config::Settings;
use crate::text::thousands;
use chrono::{Duration, Utc};
use std::collections::HashMap;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  pushback topics                     every topic, marked rules.toml or stored, with its items in 30 days\n  \
pushback topics export >> config/rules.toml   keep the stored topics in the rules file\n\n\
A stored topic whose slug config/rules.toml also defines is shown as shadowed: the rules.toml one is used."
)]
pub struct TopicsArgs {
    #[command(subcommand)]
    pub command: Option<TopicsCommand>,
}

#[derive(Debug, clap::Subcommand)]
pub enum TopicsCommand {
    /// Print the stored topics as config/rules.toml [[topic]] entries.
    Export,
}

pub async fn run(settings: &Settings, args: &TopicsArgs) -> anyhow::Result<()> {
    let store = open_store(settings).await?;
    let stored = store.stored_topics().await?;
    if let Some(TopicsCommand::Export) = args.command {
        print!("{}", export_toml(&stored));
        return Ok(());
    }
    let classifier = load_classifier(settings, &store).await?;
    let now = Utc::now();
    let counts: HashMap<String, i64> = store.topic_counts(now - Duration::days(30), now).await?.into_iter().collect();
    let rules_path = settings.classifier.rules_path.display().to_string();
    println!("{:<28} {:<12} {:>9}  {:<12} title", "slug", "from", "30 days", "category");
    for t in &classifier.rules.topics {
        let from = match &t.origin {
            TopicOrigin::Rules => "rules.toml".to_string(),
            TopicOrigin::Stored { .. } => "stored".to_string(),
        };
        let made = match &t.origin {
            TopicOrigin::Stored { by, at } => format!(" (made by {by} on {})", at.format("%-d %b %Y")),
            TopicOrigin::Rules => String::new(),
        };
        let n = thousands(u64::try_from(counts.get(&t.slug).copied().unwrap_or(0)).unwrap_or(0));
        let category = t.category.map_or("any", |c| c.as_str());
        println!("{:<28} {from:<12} {n:>9}  {category:<12} {}{made}", t.slug, t.title);
    }
    for s in stored.iter().filter(|s| classifier.rules.topic(&s.slug).is_some_and(|t| t.origin == TopicOrigin::Rules)) {
        println!("{:<28} {:<12} {:>9}  {:<12} {} (shadowed: {rules_path} defines this slug)", s.slug, "stored", "-", "-", s.title);
    }
    println!(
        "\n{} from {rules_path}, {} stored (`pushback topics export` prints the stored ones as rules.toml entries)",
        classifier.rules.topics.iter().filter(|t| t.origin == TopicOrigin::Rules).count(),
        stored.len()
    );
    Ok(())
}
