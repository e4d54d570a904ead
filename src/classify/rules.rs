//! Regex rules that force or veto a category, and topic definitions, from `config/rules.toml`.
//! Compiled once at start; a bad pattern is reported with its file, rule and regex error.

use crate::domain::Category;
use regex::{Regex, RegexBuilder};
use regex_automata::util::syntax;
use regex_automata::{Input, MatchKind, PatternSet, meta};
use serde::Deserialize;
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// The category is on whatever the model says.
    Force,
    /// The category is off whatever the model says.
    Veto,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    #[serde(default, rename = "rule")]
    rules: Vec<RuleSpec>,
    #[serde(default, rename = "topic")]
    topics: Vec<TopicSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleSpec {
    name: String,
    pattern: String,
    category: Category,
    action: Action,
}

/// One `[[topic]]` as written in rules.toml (and as `pushback topics export` writes it).
#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct TopicSpec {
    pub slug: String,
    pub title: String,
    pub patterns: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<Category>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude: Vec<String>,
    /// PromQL for the service metric packs show beside the complaints (one series).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metric: Option<String>,
    /// How the metric is named in packs, e.g. "checkout p95 latency (s)".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metric_label: Option<String>,
    /// Spike thresholds for this topic; unset ones fall back to `[alerts]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spike_min_ratio: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spike_max_p: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spike_min_items: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct Rule {
    pub name: String,
    pub category: Category,
    pub action: Action,
    pub pattern: String,
    regex: Regex,
}

/// A named slice of feedback: items whose text matches a pattern (and, when set, that carry
/// the category).
#[derive(Debug, Clone)]
pub struct Topic {
    pub slug: String,
    pub title: String,
    pub category: Option<Category>,
    pub channel: Option<String>,
    pub patterns: Vec<String>,
    /// Patterns that take an item out of the topic even when a pattern matches (e.g. praise:
    /// "checkout is lightning fast" is not evidence that checkout is slow).
    pub exclude: Vec<String>,
    /// The service metric (PromQL) packs read from Prometheus, and its name in packs.
    pub metric: Option<TopicMetric>,
    /// Where the topic is defined: config/rules.toml, or the database.
    pub origin: TopicOrigin,
    /// This topic's own spike thresholds (`spike_min_ratio`, `spike_max_p`, `spike_min_items`).
    pub spike: SpikeOverrides,
    regexes: Vec<Regex>,
    exclude_regexes: Vec<Regex>,
}

/// Where a topic comes from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum TopicOrigin {
    /// config/rules.toml.
    #[default]
    Rules,
    /// Stored in the database (made from an emerging cluster): by whom and when.
    Stored { by: String, at: chrono::DateTime<chrono::Utc> },
}

/// A topic's linked service metric: `metric = '<PromQL>'` and `metric_label` in rules.toml.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicMetric {
    pub query: String,
    /// `metric_label`, else the query itself.
    pub label: String,
}

/// A topic's spike thresholds in rules.toml; `None` uses the `[alerts]` setting of the same name.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct SpikeOverrides {
    pub min_ratio: Option<f64>,
    pub max_p: Option<f64>,
    pub min_items: Option<u64>,
}

impl Topic {
    pub fn matches_text(&self, text: &str) -> bool {
        self.regexes.iter().any(|r| r.is_match(text)) && !self.excluded(text)
    }

    /// Whether an item with this text and these tags belongs to the topic (patterns, exclude
    /// patterns and the category filter, as the classifier applies them).
    pub fn claims(&self, text: &str, performance: bool, reliability: bool) -> bool {
        let category = match self.category {
            Some(Category::Performance) => performance,
            Some(Category::Reliability) => reliability,
            None => true,
        };
        category && self.matches_text(text)
    }

    fn excluded(&self, text: &str) -> bool {
        self.exclude_regexes.iter().any(|r| r.is_match(text))
    }
}

#[derive(Debug, Clone, Default)]
pub struct Rules {
    pub rules: Vec<Rule>,
    pub topics: Vec<Topic>,
    /// Content hash of the rules file, stored with each classification.
    pub version: String,
    /// Every rule pattern, then every topic pattern, in one automaton: a text is scanned once,
    /// not once per rule or topic. `None` when there are no patterns or the combination is too
    /// big (then each regex runs on its own).
    scan: Option<Scan>,
}

/// The combined automaton and which topic each topic pattern belongs to.
#[derive(Debug, Clone)]
struct Scan {
    regex: meta::Regex,
    /// Patterns `0..rules` are the rules, in order; pattern `rules + k` is topic pattern `k`.
    rules: usize,
    topic_of_pattern: Vec<usize>,
}

/// What one scan of a text found: the rules that fire and the topics whose patterns match
/// (exclude patterns applied, category filters not), both in file order.
#[derive(Debug, Default)]
pub struct Matches<'a> {
    pub rules: Vec<&'a Rule>,
    pub topics: Vec<&'a Topic>,
}

impl Scan {
    /// Every pattern in one overlapping-match automaton, compiled as `compile` compiles each.
    /// No literal prefilter: with many case-insensitive patterns it is an Aho-Corasick pass
    /// before the DFA's own (on the bench's items, two sets with it took 0.40 s, this one
    /// automaton without it 0.13-0.15 s: BENCHMARKS.md, 2026-12-06).
    fn build(rules: &[Rule], topics: &[Topic]) -> Option<Self> {
        let patterns: Vec<String> = rules
            .iter()
            .map(|r| r.pattern.as_str())
            .chain(topics.iter().flat_map(|t| t.patterns.iter().map(String::as_str)))
            .map(ascii_boundaries)
            .collect();
        if patterns.is_empty() {
            return None;
        }
        let config = meta::Regex::config()
            .match_kind(MatchKind::All)
            .auto_prefilter(false)
            .nfa_size_limit(Some(1 << 24))
            .hybrid_cache_capacity(1 << 25);
        // Each pattern compiled on its own already; only the combined size can fail here.
        let regex =
            meta::Regex::builder().configure(config).syntax(syntax::Config::new().case_insensitive(true)).build_many(&patterns).ok()?;
        let topic_of_pattern = topics.iter().enumerate().flat_map(|(i, t)| std::iter::repeat_n(i, t.patterns.len())).collect();
        Some(Self { regex, rules: rules.len(), topic_of_pattern })
    }
}

/// A rules file problem, naming where it is.
#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    #[error("cannot read rules file {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("{path}: invalid TOML: {message}")]
    Toml { path: String, message: String },
    #[error("{path}: {kind} '{name}': invalid regex {pattern:?}: {message}")]
    Regex { path: String, kind: &'static str, name: String, pattern: String, message: String },
    #[error("{path}: topic slug '{slug}' must be lower-case letters, digits and dashes (e.g. checkout-slow)")]
    Slug { path: String, slug: String },
    #[error("{path}: topic '{slug}' has metric_label but no metric (the PromQL query to show)")]
    MetricLabel { path: String, slug: String },
    #[error("{path}: topic '{slug}': {message}")]
    Spike { path: String, slug: String, message: String },
    #[error("{path}: {kind} '{name}' is defined twice")]
    Duplicate { path: String, kind: &'static str, name: String },
}

/// `\b` as an ASCII word boundary: the regex crate's fast DFA handles it on any text, while a
/// Unicode `\b` forces a slower engine when the text has non-ASCII letters. Rules are English.
fn ascii_boundaries(pattern: &str) -> String {
    pattern.replace(r"\b", r"(?-u:\b)")
}

fn compile(path: &str, kind: &'static str, name: &str, pattern: &str) -> Result<Regex, RulesError> {
    RegexBuilder::new(&ascii_boundaries(pattern)).case_insensitive(true).size_limit(1 << 20).build().map_err(|e| RulesError::Regex {
        path: path.into(),
        kind,
        name: name.into(),
        pattern: pattern.into(),
        message: e.to_string(),
    })
}

fn topic_metric(path: &str, slug: &str, query: Option<String>, label: Option<String>) -> Result<Option<TopicMetric>, RulesError> {
    match (query.map(|q| q.trim().to_string()).filter(|q| !q.is_empty()), label) {
        (Some(query), label) => {
            let label = label.map(|l| l.trim().to_string()).filter(|l| !l.is_empty()).unwrap_or_else(|| query.clone());
            Ok(Some(TopicMetric { query, label }))
        }
        (None, Some(_)) => Err(RulesError::MetricLabel { path: path.into(), slug: slug.into() }),
        (None, None) => Ok(None),
    }
}

/// Checks and compiles one topic; `path` names where it is defined in error messages.
pub(crate) fn compile_topic(path: &str, spec: TopicSpec, origin: TopicOrigin) -> Result<Topic, RulesError> {
    if !is_valid_slug(&spec.slug) {
        return Err(RulesError::Slug { path: path.into(), slug: spec.slug });
    }
    let regexes = spec.patterns.iter().map(|p| compile(path, "topic", &spec.slug, p)).collect::<Result<Vec<_>, _>>()?;
    let exclude_regexes = spec.exclude.iter().map(|p| compile(path, "topic", &spec.slug, p)).collect::<Result<Vec<_>, _>>()?;
    let metric = topic_metric(path, &spec.slug, spec.metric, spec.metric_label)?;
    let spike = spike_overrides(path, &spec.slug, spec.spike_min_ratio, spec.spike_max_p, spec.spike_min_items)?;
    Ok(Topic {
        slug: spec.slug,
        title: spec.title,
        category: spec.category,
        channel: spec.channel,
        patterns: spec.patterns,
        exclude: spec.exclude,
        metric,
        origin,
        spike,
        regexes,
        exclude_regexes,
    })
}

/// Checks a topic's spike thresholds: the same bounds as the `[alerts]` settings they override.
fn spike_overrides(path: &str, slug: &str, ratio: Option<f64>, p: Option<f64>, items: Option<i64>) -> Result<SpikeOverrides, RulesError> {
    let err = |message: String| RulesError::Spike { path: path.into(), slug: slug.into(), message };
    if let Some(r) = ratio.filter(|r| !r.is_finite() || *r < 1.0) {
        return Err(err(format!("spike_min_ratio = {r} must be a number of at least 1 (2.0: twice the usual share of feedback)")));
    }
    if let Some(p) = p.filter(|p| !p.is_finite() || *p <= 0.0 || *p > 1.0) {
        return Err(err(format!("spike_max_p = {p} must be a p-value above 0 and at most 1 (e.g. 0.01)")));
    }
    let min_items = match items {
        Some(n) if n < 1 => return Err(err(format!("spike_min_items = {n} must be at least 1"))),
        Some(n) => Some(n.unsigned_abs()),
        None => None,
    };
    Ok(SpikeOverrides { min_ratio: ratio, max_p: p, min_items })
}

pub fn is_valid_slug(slug: &str) -> bool {
    !slug.is_empty() && slug.len() <= 64 && slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

impl Rules {
    pub fn load(path: &Path) -> Result<Self, RulesError> {
        let text = std::fs::read_to_string(path).map_err(|source| RulesError::Read { path: path.display().to_string(), source })?;
        Self::parse(&text, &path.display().to_string())
    }

    /// Parses and compiles rules; `path` is only used in error messages.
    pub fn parse(text: &str, path: &str) -> Result<Self, RulesError> {
        let file: RulesFile = toml::from_str(text).map_err(|e| RulesError::Toml { path: path.into(), message: e.to_string() })?;
        let mut rules = Vec::with_capacity(file.rules.len());
        for spec in file.rules {
            if rules.iter().any(|r: &Rule| r.name == spec.name) {
                return Err(RulesError::Duplicate { path: path.into(), kind: "rule", name: spec.name });
            }
            let regex = compile(path, "rule", &spec.name, &spec.pattern)?;
            rules.push(Rule { name: spec.name, category: spec.category, action: spec.action, pattern: spec.pattern, regex });
        }
        let mut topics = Vec::with_capacity(file.topics.len());
        for spec in file.topics {
            if topics.iter().any(|t: &Topic| t.slug == spec.slug) {
                return Err(RulesError::Duplicate { path: path.into(), kind: "topic", name: spec.slug });
            }
            topics.push(compile_topic(path, spec, TopicOrigin::Rules)?);
        }
        use sha2::{Digest, Sha256};
        let version = format!("r-{}", &hex::encode(Sha256::digest(text.as_bytes()))[..10]);
        Ok(Self::from_parts(rules, topics, version))
    }

    /// Rules and topics with the combined automaton built.
    pub(crate) fn from_parts(rules: Vec<Rule>, topics: Vec<Topic>, version: String) -> Self {
        let scan = Scan::build(&rules, &topics);
        Self { rules, topics, version, scan }
    }

    /// The rules that fire on `text` and the topics it matches, from one pass over the text.
    pub fn scan<'a>(&'a self, text: &str) -> Matches<'a> {
        let Some(scan) = &self.scan else {
            return Matches {
                rules: self.rules.iter().filter(|r| r.regex.is_match(text)).collect(),
                topics: self.topics.iter().filter(|t| t.matches_text(text)).collect(),
            };
        };
        let mut hits = PatternSet::new(scan.regex.pattern_len());
        scan.regex.which_overlapping_matches(&Input::new(text), &mut hits);
        let mut matches = Matches::default();
        let mut last_topic = None;
        for pattern in hits.iter().map(|p| p.as_usize()) {
            if pattern < scan.rules {
                matches.rules.push(&self.rules[pattern]);
                continue;
            }
            let topic = scan.topic_of_pattern[pattern - scan.rules];
            if last_topic != Some(topic) {
                last_topic = Some(topic);
                if !self.topics[topic].excluded(text) {
                    matches.topics.push(&self.topics[topic]);
                }
            }
        }
        matches
    }

    /// The rules that fire on `text`, in file order.
    pub fn matching<'a>(&'a self, text: &str) -> Vec<&'a Rule> {
        self.scan(text).rules
    }

    /// The topics whose patterns match `text` (category filters are the caller's), in file order.
    pub fn matching_topics<'a>(&'a self, text: &str) -> Vec<&'a Topic> {
        self.scan(text).topics
    }

    pub fn topic(&self, slug: &str) -> Option<&Topic> {
        self.topics.iter().find(|t| t.slug == slug)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r##"
[[rule]]
name = "out-of-memory"
pattern = '\bout of memory\b'
category = "reliability"
action = "force"

[[rule]]
name = "fast-support"
pattern = '\b(support|reply|response)\b.{0,20}\b(fast|quick)'
category = "performance"
action = "veto"

[[topic]]
slug = "checkout-slow"
title = "Checkout is slow"
patterns = ['\bcheck ?out\b', '\bpayment page\b']
category = "performance"
channel = "#team-payments"
"##;

    #[test]
    fn praise_is_excluded_from_a_slowness_topic() {
        let rules = Rules::parse(crate::classify::seed::DEFAULT_RULES_TOML, "config/rules.toml").unwrap();
        let topics = |text: &str| rules.matching_topics(text).into_iter().map(|t| t.slug.clone()).collect::<Vec<_>>();
        assert!(!topics("Checkout is lightning fast now, conversion went up").contains(&"checkout-slow".to_string()));
        assert!(!topics("Love the quick checkout!").contains(&"checkout-slow".to_string()));
        assert!(!topics("checkout is way faster since you moved us to the new servers").contains(&"checkout-slow".to_string()));
        assert!(topics("checkout is so slow, spinning for 20 seconds").contains(&"checkout-slow".to_string()));
        assert!(topics("fast support, but checkout is slow").contains(&"checkout-slow".to_string()));
        let topic = rules.topic("checkout-slow").unwrap();
        assert!(!topic.matches_text("checkout was smooth and quick"));
    }

    #[test]
    fn a_misspelled_table_is_an_error_not_silence() {
        let err = Rules::parse("[[topics]]\nslug = \"x\"\ntitle = \"X\"\npatterns = ['x']\n", "rules.toml").unwrap_err().to_string();
        assert!(err.contains("rules.toml") && err.contains("topics"), "{err}");
    }

    #[test]
    fn rules_compile_and_match_case_insensitively() {
        let rules = Rules::parse(SAMPLE, "rules.toml").unwrap();
        let fired: Vec<&str> = rules.matching("App died: Out Of Memory").into_iter().map(|r| r.name.as_str()).collect();
        assert_eq!(fired, vec!["out-of-memory"]);
        assert!(rules.topic("checkout-slow").unwrap().matches_text("The CHECKOUT spins"));
        // The combined sets agree with the patterns one by one, on ASCII and non-ASCII text.
        for text in ["checkout hangs", "ÇA PLANTE: out of memory", "support was quick", "payment page", "nothing here"] {
            let one_by_one: Vec<&str> = rules.rules.iter().filter(|r| r.regex.is_match(text)).map(|r| r.name.as_str()).collect();
            let via_set: Vec<&str> = rules.matching(text).into_iter().map(|r| r.name.as_str()).collect();
            assert_eq!(one_by_one, via_set, "{text}");
            let topics: Vec<&str> = rules.matching_topics(text).into_iter().map(|t| t.slug.as_str()).collect();
            let expected: Vec<&str> = rules.topics.iter().filter(|t| t.matches_text(text)).map(|t| t.slug.as_str()).collect();
            assert_eq!(topics, expected, "{text}");
        }
        assert!(rules.version.starts_with("r-"));
    }

    #[test]
    fn bad_regex_names_file_rule_and_error() {
        let bad = SAMPLE.replace(r"'\bout of memory\b'", "'(unclosed'");
        let err = Rules::parse(&bad, "config/rules.toml").unwrap_err().to_string();
        assert!(err.contains("config/rules.toml") && err.contains("out-of-memory") && err.contains("(unclosed"), "{err}");
    }

    #[test]
    fn bad_slugs_duplicates_and_unknown_keys_are_refused() {
        let err = Rules::parse(&SAMPLE.replace("slug = \"checkout-slow\"", "slug = \"Checkout Slow\""), "r.toml").unwrap_err();
        assert!(matches!(err, RulesError::Slug { .. }));
        let twice =
            format!("{SAMPLE}\n[[rule]]\nname = \"out-of-memory\"\npattern = 'x'\ncategory = \"reliability\"\naction = \"force\"\n");
        assert!(matches!(Rules::parse(&twice, "r.toml").unwrap_err(), RulesError::Duplicate { .. }));
        let typo = SAMPLE.replace("action = \"veto\"", "action = \"veto\"\nweight = 3");
        assert!(matches!(Rules::parse(&typo, "r.toml").unwrap_err(), RulesError::Toml { .. }));
    }

    #[test]
    fn a_topic_may_set_its_own_spike_thresholds_and_bad_ones_are_named() {
        let topic = |extra: &str| format!("[[topic]]\nslug = \"checkout-slow\"\ntitle = \"Checkout\"\npatterns = ['checkout']\n{extra}");
        let rules = Rules::parse(&topic("spike_min_ratio = 3.0\nspike_min_items = 10\n"), "rules.toml").unwrap();
        let s = rules.topic("checkout-slow").unwrap().spike;
        assert_eq!(s, SpikeOverrides { min_ratio: Some(3.0), max_p: None, min_items: Some(10) });
        for (extra, needle) in [
            ("spike_min_ratio = 0.5", "topic 'checkout-slow': spike_min_ratio = 0.5 must be a number of at least 1"),
            ("spike_max_p = 1.5", "spike_max_p = 1.5 must be a p-value above 0 and at most 1"),
            ("spike_max_p = 0.0", "spike_max_p = 0 must be a p-value"),
            ("spike_min_items = 0", "spike_min_items = 0 must be at least 1"),
            ("spike_min_ratio = nan", "spike_min_ratio = NaN must be a number"),
        ] {
            let e = Rules::parse(&topic(extra), "config/rules.toml").unwrap_err().to_string();
            assert!(e.starts_with("config/rules.toml: ") && e.contains(needle), "{extra}: {e}");
        }
        let typo = Rules::parse(&topic("spike_ratio = 3.0"), "rules.toml").unwrap_err().to_string();
        assert!(typo.contains("spike_ratio"), "{typo}");
    }

    #[test]
    fn a_topic_may_name_a_metric_and_its_label() {
        let text = "[[topic]]\nslug = \"checkout-slow\"\ntitle = \"Checkout is slow\"\npatterns = ['checkout']\n\
                    metric = 'histogram_quantile(0.95, sum by (le) (rate(http_duration_seconds_bucket{route=\"/checkout\"}[1d])))'\n\
                    metric_label = \"checkout p95 latency (s)\"\n\
                    [[topic]]\nslug = \"bare\"\ntitle = \"Bare\"\npatterns = ['x']\nmetric = 'up'\n";
        let rules = Rules::parse(text, "rules.toml").unwrap();
        let m = rules.topic("checkout-slow").unwrap().metric.clone().unwrap();
        assert_eq!(m.label, "checkout p95 latency (s)");
        assert!(m.query.starts_with("histogram_quantile(0.95"));
        assert_eq!(rules.topic("bare").unwrap().metric.as_ref().unwrap().label, "up", "the query names an unlabelled metric");
        let orphan = "[[topic]]\nslug = \"a\"\ntitle = \"A\"\npatterns = ['x']\nmetric_label = \"latency\"\n";
        let e = Rules::parse(orphan, "rules.toml").unwrap_err().to_string();
        assert!(e.contains("topic 'a' has metric_label but no metric"), "{e}");
    }
}
