//! Slash-command text parsed into a command, with an `Unknown` arm for anything else (the
//! mini-redis pattern). Pure: no I/O, so every form is unit-tested.

use crate::domain::Category;

/// Evidence looks back this far unless a window is given.
pub const DEFAULT_EVIDENCE_DAYS: u32 = 30;
/// `/pushback top` looks back this far unless a window is given.
pub const DEFAULT_TOP_DAYS: u32 = 7;
pub const MAX_WINDOW_DAYS: u32 = 365;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SlashCommand {
    /// `/evidence <topic> [Nd] [share]` (also `/pushback evidence ...`).
    Evidence { topic: String, window_days: u32, share: bool },
    /// `/pushback top [performance|reliability] [Nd]`.
    Top { category: Option<Category>, window_days: u32 },
    /// `/pushback digest`: this week's digest, privately.
    Digest,
    /// `/pushback topics`.
    Topics,
    /// `/pushback label`: the items the model is least sure about, with buttons to label them.
    Label,
    /// `/pushback sources`: where each pulled source stands (as `pushback sync --status`).
    Sources,
    /// `/pushback glossary [topic]`: category definitions and topics in plain words.
    Glossary { topic: Option<String> },
    /// `/pushback subscribe|unsubscribe <topic>`: this channel gets (or stops getting) the
    /// topic's alerts. `channel` and `user` are filled from the request (`with_origin`).
    Subscribe { topic: String, on: bool, channel: String, user: String },
    /// `/pushback review [2026-11]`: the monthly review's summary, privately, with *Download*.
    Review { month: Option<crate::review::Month> },
    /// `/pushback help` or no text.
    Help,
    /// Anything else; `problem` says what was not understood.
    Unknown { input: String, problem: String },
}

impl SlashCommand {
    /// `command` is Slack's `command` field (`/evidence`, `/pushback`), `text` what followed it.
    pub fn parse(command: &str, text: &str) -> Self {
        let words: Vec<&str> = text.split_whitespace().collect();
        match command.trim().trim_start_matches('/').to_ascii_lowercase().as_str() {
            "evidence" => parse_evidence(text, &words),
            "pushback" => match words.first().map(|w| w.to_ascii_lowercase()).as_deref() {
                None | Some("help") => Self::Help,
                Some("evidence") => parse_evidence(text, &words[1..]),
                Some("top") => parse_top(text, &words[1..]),
                Some("digest") if words.len() == 1 => Self::Digest,
                Some("topics") if words.len() == 1 => Self::Topics,
                Some("label") if words.len() == 1 => Self::Label,
                Some("sources") if words.len() == 1 => Self::Sources,
                Some("review") if words.len() <= 2 => match words.get(1).map(|w| w.parse()) {
                    None => Self::Review { month: None },
                    Some(Ok(month)) => Self::Review { month: Some(month) },
                    Some(Err(problem)) => unknown(text, problem),
                },
                Some("glossary") if words.len() <= 2 => Self::Glossary { topic: words.get(1).map(|w| w.to_ascii_lowercase()) },
                Some(word @ ("subscribe" | "unsubscribe")) => match words.get(1..) {
                    Some([topic]) => Self::Subscribe {
                        topic: topic.to_ascii_lowercase(),
                        on: word == "subscribe",
                        channel: String::new(),
                        user: String::new(),
                    },
                    _ => unknown(text, format!("`/pushback {word}` needs one topic, e.g. `/pushback {word} checkout-slow`")),
                },
                Some(other) => unknown(text, format!("`{other}` is not a pushback command")),
            },
            other => unknown(text, format!("`/{other}` is not a pushback command")),
        }
    }
}

impl SlashCommand {
    /// Fills in where the command was typed and by whom (Slack's `channel_id`, `user_id`).
    pub fn with_origin(self, channel_id: &str, user_id: &str) -> Self {
        match self {
            Self::Subscribe { topic, on, .. } => Self::Subscribe { topic, on, channel: channel_id.to_string(), user: user_id.to_string() },
            other => other,
        }
    }
}

fn unknown(text: &str, problem: String) -> SlashCommand {
    SlashCommand::Unknown { input: text.trim().to_string(), problem }
}

/// `7d`, `30d`, `90d` or any `<N>d` up to a year.
pub fn parse_window(word: &str) -> Option<u32> {
    let days: u32 = word.to_ascii_lowercase().strip_suffix('d')?.parse().ok()?;
    (1..=MAX_WINDOW_DAYS).contains(&days).then_some(days)
}

fn parse_evidence(text: &str, words: &[&str]) -> SlashCommand {
    let (mut topic, mut window_days, mut share) = (None, None, false);
    for word in words {
        let lower = word.to_ascii_lowercase();
        if lower == "share" && !share {
            share = true;
        } else if let (Some(days), None) = (parse_window(&lower), window_days) {
            window_days = Some(days);
        } else if topic.is_none() {
            topic = Some(lower);
        } else {
            return unknown(text, format!("`{word}` is not a window (7d, 30d, 90d or <N>d up to {MAX_WINDOW_DAYS}d) or `share`"));
        }
    }
    match topic {
        Some(topic) => SlashCommand::Evidence { topic, window_days: window_days.unwrap_or(DEFAULT_EVIDENCE_DAYS), share },
        None => unknown(text, "`/evidence` needs a topic, e.g. `/evidence checkout-slow 30d`".into()),
    }
}

fn parse_top(text: &str, words: &[&str]) -> SlashCommand {
    let (mut category, mut window_days) = (None, None);
    for word in words {
        if let (Ok(c), None) = (word.parse::<Category>(), category) {
            category = Some(c);
        } else if let (Some(days), None) = (parse_window(word), window_days) {
            window_days = Some(days);
        } else {
            return unknown(text, format!("`{word}` is not `performance`, `reliability` or a window like 30d"));
        }
    }
    SlashCommand::Top { category, window_days: window_days.unwrap_or(DEFAULT_TOP_DAYS) }
}

#[cfg(test)]
mod tests {
    use super::SlashCommand::*;
    use super::*;

    fn ev(topic: &str, window_days: u32, share: bool) -> SlashCommand {
        Evidence { topic: topic.into(), window_days, share }
    }

    #[test]
    fn evidence_takes_a_topic_an_optional_window_and_share_in_any_order() {
        assert_eq!(SlashCommand::parse("/evidence", "checkout-slow"), ev("checkout-slow", 30, false));
        assert_eq!(SlashCommand::parse("/evidence", "  Checkout-Slow 7d "), ev("checkout-slow", 7, false));
        assert_eq!(SlashCommand::parse("/evidence", "checkout-slow 90d share"), ev("checkout-slow", 90, true));
        assert_eq!(SlashCommand::parse("/evidence", "share 14d checkout-slow"), ev("checkout-slow", 14, true));
        assert_eq!(SlashCommand::parse("/pushback", "evidence search-slow 45d"), ev("search-slow", 45, false));
    }

    #[test]
    fn evidence_without_a_topic_or_with_junk_is_unknown() {
        assert!(matches!(SlashCommand::parse("/evidence", ""), Unknown { .. }));
        assert!(matches!(SlashCommand::parse("/evidence", "30d share"), Unknown { .. }));
        assert!(matches!(SlashCommand::parse("/evidence", "checkout-slow lately"), Unknown { .. }));
        // 0d and more than a year are not windows.
        assert!(matches!(SlashCommand::parse("/evidence", "checkout-slow 0d"), Unknown { .. }));
        assert!(matches!(SlashCommand::parse("/evidence", "checkout-slow 400d"), Unknown { .. }));
    }

    #[test]
    fn pushback_subcommands_parse() {
        assert_eq!(SlashCommand::parse("/pushback", "top"), Top { category: None, window_days: 7 });
        assert_eq!(SlashCommand::parse("/pushback", "top performance 30d"), Top { category: Some(Category::Performance), window_days: 30 });
        assert_eq!(SlashCommand::parse("/pushback", "TOP 90d reliability"), Top { category: Some(Category::Reliability), window_days: 90 });
        assert_eq!(SlashCommand::parse("/pushback", "digest"), Digest);
        assert_eq!(SlashCommand::parse("/pushback", "topics"), Topics);
        assert_eq!(SlashCommand::parse("/pushback", "Label"), Label);
        assert_eq!(SlashCommand::parse("/pushback", "sources"), Sources);
        assert!(matches!(SlashCommand::parse("/pushback", "label 12 performance"), Unknown { .. }));
        assert_eq!(SlashCommand::parse("/pushback", "glossary"), Glossary { topic: None });
        assert_eq!(SlashCommand::parse("/pushback", "glossary Checkout-Slow"), Glossary { topic: Some("checkout-slow".into()) });
        assert_eq!(SlashCommand::parse("/pushback", "help"), Help);
        assert_eq!(SlashCommand::parse("/pushback", "review"), Review { month: None });
        assert_eq!(SlashCommand::parse("/pushback", "Review 2026-11"), Review { month: Some("2026-11".parse().unwrap()) });
        assert!(matches!(SlashCommand::parse("/pushback", "review november"), Unknown { problem, .. } if problem.contains("like 2026-11")));
        assert!(matches!(SlashCommand::parse("/pushback", "review 2026-11 html"), Unknown { .. }));
        let sub = |topic: &str, on| Subscribe { topic: topic.into(), on, channel: "C1".into(), user: "U1".into() };
        assert_eq!(SlashCommand::parse("/pushback", "subscribe Checkout-Slow").with_origin("C1", "U1"), sub("checkout-slow", true));
        assert_eq!(SlashCommand::parse("/pushback", "unsubscribe checkout-slow").with_origin("C1", "U1"), sub("checkout-slow", false));
        assert!(matches!(SlashCommand::parse("/pushback", "subscribe"), Unknown { .. }));
        assert!(matches!(SlashCommand::parse("/pushback", "subscribe a b"), Unknown { .. }));
        assert_eq!(SlashCommand::parse("/pushback", ""), Help);
    }

    #[test]
    fn anything_else_is_unknown_and_says_why() {
        for (cmd, text) in [
            ("/pushback", "deploy prod"),
            ("/pushback", "top speed"),
            ("/pushback", "top performance reliability"),
            ("/pushback", "digest now"),
            ("/weather", "94070"),
        ] {
            match SlashCommand::parse(cmd, text) {
                Unknown { input, problem } => {
                    assert_eq!(input, text.trim());
                    assert!(!problem.is_empty());
                }
                other => panic!("{cmd} {text}: {other:?}"),
            }
        }
    }
}
