//! The shared vocabulary: each category's definition and each topic's title, owner channel,
//! patterns and linked metric, as data (JSON) and as Markdown to paste into a wiki page.

use super::rules::Rules;
use crate::domain::Category;
use serde::Serialize;
use std::fmt::Write;

/// What each category means: the definitions (`classify::definitions`), without the leading
/// tag name.
pub fn category_definitions() -> [(Category, &'static str); 2] {
    use super::definitions::{PERFORMANCE, RELIABILITY};
    [
        (Category::Performance, PERFORMANCE.strip_prefix("performance: ").unwrap_or(PERFORMANCE)),
        (Category::Reliability, RELIABILITY.strip_prefix("reliability: ").unwrap_or(RELIABILITY)),
    ]
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Glossary {
    pub categories: Vec<CategoryEntry>,
    pub topics: Vec<TopicEntry>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CategoryEntry {
    pub category: Category,
    pub definition: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TopicEntry {
    pub slug: String,
    pub title: String,
    pub category: Option<Category>,
    pub channel: Option<String>,
    /// Regexes (case-insensitive) any of which puts an item in the topic.
    pub patterns: Vec<String>,
    /// Regexes that take an item out again (praise, false friends).
    pub exclude: Vec<String>,
    pub metric_label: Option<String>,
    pub metric_query: Option<String>,
}

/// The glossary of `rules`; with `topic`, only that topic (`None` if no topic has that slug).
pub fn build(rules: &Rules, topic: Option<&str>) -> Option<Glossary> {
    let topics: Vec<TopicEntry> = rules
        .topics
        .iter()
        .filter(|t| topic.is_none_or(|slug| t.slug == slug))
        .map(|t| TopicEntry {
            slug: t.slug.clone(),
            title: t.title.clone(),
            category: t.category,
            channel: t.channel.clone(),
            patterns: t.patterns.clone(),
            exclude: t.exclude.clone(),
            metric_label: t.metric.as_ref().map(|m| m.label.clone()),
            metric_query: t.metric.as_ref().map(|m| m.query.clone()),
        })
        .collect();
    if topic.is_some() && topics.is_empty() {
        return None;
    }
    let categories = category_definitions().iter().map(|(c, d)| CategoryEntry { category: *c, definition: (*d).to_string() }).collect();
    Some(Glossary { categories, topics })
}

/// Markdown ready to paste into a wiki page.
pub fn markdown(g: &Glossary) -> String {
    let mut o = String::from("# pushback glossary\n\n## Categories\n\n");
    for c in &g.categories {
        let _ = writeln!(o, "- **{}**: {}", c.category.as_str(), c.definition);
    }
    let _ = writeln!(o, "\n## Topics\n");
    if g.topics.is_empty() {
        let _ = writeln!(o, "No topics are defined yet (add `[[topic]]` entries to config/rules.toml).");
    }
    for t in &g.topics {
        let _ = writeln!(o, "### {} (`{}`)\n", t.title, t.slug);
        let _ = writeln!(o, "- **Category:** {}", t.category.map_or("any", Category::as_str));
        let _ = writeln!(o, "- **Owner channel:** {}", t.channel.as_deref().unwrap_or("none set"));
        let _ = writeln!(o, "- **An item belongs when its text matches any of** {}", code_list(&t.patterns));
        if !t.exclude.is_empty() {
            let _ = writeln!(o, "- **…unless it matches** {}", code_list(&t.exclude));
        }
        match (&t.metric_label, &t.metric_query) {
            (Some(label), Some(query)) => {
                let _ = writeln!(o, "- **Linked metric:** {label} (`{}`)", query.replace('`', "'"));
            }
            _ => {
                let _ = writeln!(o, "- **Linked metric:** none");
            }
        }
        o.push('\n');
    }
    o
}

fn code_list(patterns: &[String]) -> String {
    patterns.iter().map(|p| format!("`{}`", p.replace('`', "'"))).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULES: &str = "[[topic]]\nslug = \"checkout-slow\"\ntitle = \"Checkout is slow\"\npatterns = ['\\bcheckout\\b']\n\
                         category = \"performance\"\nchannel = \"#payments\"\nexclude = ['lightning fast']\n\
                         metric = 'histogram_quantile(0.95, rate(x[1d]))'\nmetric_label = \"checkout p95 latency (s)\"\n\
                         [[topic]]\nslug = \"login\"\ntitle = \"Login fails\"\npatterns = ['log ?in']\n";

    #[test]
    fn the_glossary_names_definitions_topics_channels_patterns_and_metrics() {
        let rules = Rules::parse(RULES, "rules.toml").unwrap();
        let g = build(&rules, None).unwrap();
        assert_eq!(g.categories.len(), 2);
        assert_eq!(g.topics.len(), 2);
        let md = markdown(&g);
        assert!(md.contains("- **performance**: the customer reports the product being slow or heavy"), "{md}");
        assert!(md.contains("### Checkout is slow (`checkout-slow`)"));
        assert!(md.contains("- **Owner channel:** #payments"));
        assert!(md.contains("matches any of** `\\bcheckout\\b`"));
        assert!(md.contains("- **…unless it matches** `lightning fast`"));
        assert!(md.contains("- **Linked metric:** checkout p95 latency (s) (`histogram_quantile(0.95, rate(x[1d]))`)"));
        assert!(md.contains("### Login fails (`login`)\n\n- **Category:** any\n- **Owner channel:** none set"));
        let one = build(&rules, Some("login")).unwrap();
        assert_eq!(one.topics.iter().map(|t| t.slug.as_str()).collect::<Vec<_>>(), ["login"]);
        assert_eq!(build(&rules, Some("nope")), None);
        let json = serde_json::to_value(&g).unwrap();
        assert_eq!(json["topics"][0]["metric_label"], "checkout p95 latency (s)");
    }
}
