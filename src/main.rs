use clap::Parser;
use pushback::config::Settings;
use pushback::{Cli, run};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let mut settings = match Settings::load_from(&pushback::config::config_dir(cli.config_dir.as_deref())) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e:#}");
            return std::process::ExitCode::from(2);
        }
    };
    // Commands other than `serve` print their own results; keep the log to warnings unless asked.
    if !matches!(cli.command, pushback::Command::Serve) && std::env::var_os("PUSHBACK_LOG__LEVEL").is_none() {
        settings.log.level = "warn".into();
    }
    pushback::telemetry::init(&settings.log);
    match run(cli, settings).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
