//! `/pushback help`, and the answer to input we do not understand.

use super::blocks::{SlackMessage, escape, header, section};
use crate::text::truncate_chars;

pub fn help_message() -> SlackMessage {
    let usage = [
        "*/evidence <topic> [7d|30d|90d|<N>d] [share]*: the evidence for a topic, privately; `share` posts it in the channel",
        "*/pushback top [performance|reliability] [window]*: the biggest and fastest-rising topics",
        "*/pushback topics*: every known topic with its volume and owner channels",
        "*/pushback subscribe|unsubscribe <topic>*: this channel gets (or stops getting) the topic's alerts",
        "*/pushback digest*: preview this week's digest, privately",
        "*/pushback help*: this message",
    ];
    let examples = "*Examples*\n`/evidence checkout-slow`\n`/evidence search-slow 90d share`\n`/pushback top performance 30d`";
    SlackMessage {
        text: "pushback commands: /evidence <topic> [window] [share], /pushback top|topics|digest|help".into(),
        blocks: vec![header("pushback"), section(&usage.join("\n")), section(examples)],
    }
}

pub fn unknown_command_message(input: &str, problem: &str) -> SlackMessage {
    let mut help = help_message();
    let said = if input.is_empty() { String::new() } else { format!(" (you typed `{}`)", escape(&truncate_chars(input, 100))) };
    help.blocks.insert(0, section(&format!("Sorry, I didn't understand that: {}{said}.", escape(problem))));
    help.text = format!("Sorry, I didn't understand that: {}", escape(problem));
    help
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::slack::blocks::check_limits;

    #[test]
    fn help_and_unknown_input_show_usage_with_examples() {
        let m = unknown_command_message("deploy <!channel>", "`deploy` is not a pushback command");
        check_limits(&m).unwrap();
        let json = serde_json::to_string(&m.blocks).unwrap();
        assert!(json.contains("/evidence checkout-slow") && json.contains("&lt;!channel&gt;"), "{json}");
    }
}
