//! `/pushback help`, and the answer to input we do not understand.

use super::blocks::{SlackMessage, escape, header, section};
use crate::classify::definitions::{PERFORMANCE_SHORT, PROBLEMS_ONLY, RELIABILITY_SHORT};
use crate::text::plural;
use crate::text::truncate_chars;

pub fn help_message() -> SlackMessage {
    let usage = [
        "*/evidence <topic> [7d|30d|90d|<N>d] [share]*: the evidence for a topic, privately; `share` posts it in the channel",
        "*/pushback top [performance|reliability] [window]*: the biggest and fastest-rising topics",
        "*/pushback glossary [topic]*: what each category and topic means, its owner channel and linked metric",
        "*/pushback topics*: every known topic (from config/rules.toml, and those made with the digest's *Make this a topic*) with its volume and owner channels",
        "*/pushback subscribe|unsubscribe <topic>*: this channel gets (or stops getting) the topic's alerts",
        "*/pushback digest*: preview this week's digest, privately; it ends with emerging complaints no topic claims yet, each with *Make this a topic*",
        "*/pushback label*: 5 items the model is least sure about, with buttons to label them; each click is a correction the model retrains on",
        "*/pushback review [2026-11]*: the monthly review's headline (volume, NPS, CSAT, churned ARR, agenda), privately, with *Download* for the whole review as an HTML file",
        "*/pushback sources*: each support tool pulled from its API: last sync, how far behind, items, and what to fix when it stopped",
        "*/pushback help*: this message",
    ];
    let examples = "*Examples*\n`/evidence checkout-slow`\n`/evidence search-slow 90d share`\n`/pushback top performance 30d`";
    let tags = format!("*What the tags mean*\n*performance*: {PERFORMANCE_SHORT}.\n*reliability*: {RELIABILITY_SHORT}.\n{PROBLEMS_ONLY}");
    SlackMessage {
        text:
            "pushback commands: /evidence <topic> [window] [share], /pushback top|topics|glossary|subscribe|unsubscribe|digest|label|review|sources|help"
                .into(),
        blocks: vec![header("pushback"), section(&usage.join("\n")), section(examples), section(&tags)],
    }
}

pub fn unknown_command_message(input: &str, problem: &str) -> SlackMessage {
    let mut help = help_message();
    let said = if input.is_empty() { String::new() } else { format!(" (you typed `{}`)", escape(&truncate_chars(input, 100))) };
    help.blocks.insert(0, section(&format!("Sorry, I didn't understand that: {}{said}.", escape(problem))));
    help.text = format!("Sorry, I didn't understand that: {}", escape(problem));
    help
}

/// `/pushback glossary [topic]`: category definitions, then each topic in plain words.
pub fn glossary_message(rules: &crate::classify::rules::Rules, topic: Option<&str>) -> SlackMessage {
    use crate::classify::glossary;
    let Some(g) = glossary::build(rules, topic) else {
        let asked = escape(&truncate_chars(topic.unwrap_or_default(), 80));
        return SlackMessage {
            text: format!("No topic `{asked}`"),
            blocks: vec![section(&format!("No topic `{asked}`. `/pushback glossary` lists them all."))],
        };
    };
    let mut blocks = vec![header("Glossary")];
    let definitions: Vec<String> = g.categories.iter().map(|c| format!("*{}*: {}", c.category.as_str(), escape(&c.definition))).collect();
    blocks.push(section(&definitions.join("\n")));
    for t in g.topics.iter().take(40) {
        let metric = match (&t.metric_label, &t.metric_query) {
            (Some(label), Some(_)) => escape(label),
            _ => "none".into(),
        };
        let patterns = truncate_chars(&t.patterns.join("`, `"), 1500);
        let text = format!(
            "*{}* (`{}`)\ncategory: {} · owner: {} · metric: {metric}\nmatches: `{}`",
            escape(&t.title),
            t.slug,
            t.category.map_or("any", |c| c.as_str()),
            t.channel.as_deref().map(escape).unwrap_or_else(|| "none set".into()),
            escape(&patterns)
        );
        blocks.push(section(&text));
    }
    SlackMessage {
        text: format!("Glossary: {}, {}", plural(g.categories.len() as u64, "category"), plural(g.topics.len() as u64, "topic")),
        blocks,
    }
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

#[cfg(test)]
mod glossary_tests {
    use super::*;
    use crate::classify::rules::Rules;
    use crate::slack::blocks::check_limits;

    #[test]
    fn the_glossary_fits_slack_and_names_each_topic() {
        let rules = Rules::parse(crate::classify::seed::DEFAULT_RULES_TOML, "rules.toml").unwrap();
        let all = glossary_message(&rules, None);
        check_limits(&all).unwrap();
        let text = serde_json::to_string(&all).unwrap();
        assert!(
            text.contains("*performance*: the customer reports the product being slow or heavy") && text.contains("(`checkout-slow`)"),
            "{text}"
        );
        let one = glossary_message(&rules, Some("checkout-slow"));
        assert_eq!(one.blocks.len(), 3, "header, definitions, the one topic");
        assert!(glossary_message(&rules, Some("nope")).text.starts_with("No topic `nope`"));
    }
}
