//! `pushback rules check`: each rule's firing count and precision on a labelled file.

use crate::classify::eval::read_labelled_csv;
use crate::classify::rules_check;
use crate::config::Settings;
use std::path::PathBuf;

#[derive(Debug, clap::Subcommand)]
pub enum RulesCommand {
    /// Per rule: how often it fires on a labelled CSV and how often it is right (a force rule on
    /// C is right on rows labelled C, a veto on rows not labelled C).
    #[command(after_help = "Example:\n  pushback rules check --data data/public/reviewpulse2024.csv")]
    Check {
        /// Labelled CSV (same columns as eval).
        #[arg(long)]
        data: PathBuf,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
}

pub fn run(settings: &Settings, command: &RulesCommand) -> anyhow::Result<()> {
    let RulesCommand::Check { data, format } = command;
    let examples = read_labelled_csv(data)?;
    let rules = super::load_rules(settings)?;
    let stats = rules_check::check(&rules, &examples);
    match format {
        Format::Table => {
            println!("rules {} on {} ({})\n", rules.version, data.display(), crate::text::plural(examples.len() as u64, "row"));
            print!("{}", rules_check::to_text(&stats, examples.len()));
        }
        Format::Json => println!("{}", serde_json::to_string_pretty(&stats)?),
    }
    Ok(())
}
