use clap::Parser;
use pushback::config::Settings;
use pushback::{Cli, run};

/// `pushback eval ... | head` closes standard output before we are done: end quietly with the
/// status of a process killed by SIGPIPE (141), as Unix tools do, instead of panicking with
/// "failed printing to stdout: Broken pipe".
fn quiet_when_stdout_closes() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let message =
            payload.downcast_ref::<String>().map(String::as_str).or_else(|| payload.downcast_ref::<&str>().copied()).unwrap_or_default();
        if message.starts_with("failed printing to stdout") && message.contains("Broken pipe") {
            std::process::exit(141);
        }
        default(info);
    }));
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    quiet_when_stdout_closes();
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
