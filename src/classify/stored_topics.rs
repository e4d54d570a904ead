//! Topics stored in the database beside config/rules.toml's: merged into the rules when the
//! classifier loads, checked before a new one is stored, and written back out as rules.toml
//! `[[topic]]` entries (`pushback topics export`). Pure: the store reads and writes them.

use super::rules::{Rules, RulesError, TopicOrigin, TopicSpec, compile_topic, is_valid_slug};
use crate::domain::StoredTopic;

/// Where stored topics are said to be defined in error messages.
pub const STORED: &str = "stored topic";

/// A stored topic the merge left out, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub slug: String,
    pub reason: String,
}

/// Why a new topic cannot be stored, in words that say what to change.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NewTopicError {
    #[error("`{0}` is already a topic in config/rules.toml; a stored topic needs another slug")]
    InRules(String),
    #[error("`{slug}` is already a stored topic (made by {by} on {on})")]
    Stored { slug: String, by: String, on: String },
    #[error("`{0}` is not a valid slug: use lower-case letters, digits and dashes, at most 64 characters")]
    Slug(String),
    #[error("a topic needs a title and between 1 and 10 patterns")]
    Shape,
    #[error("{0}")]
    Pattern(String),
}

/// The rules.toml form of a stored topic.
pub fn spec_of(t: &StoredTopic) -> TopicSpec {
    TopicSpec {
        slug: t.slug.clone(),
        title: t.title.clone(),
        patterns: t.patterns.clone(),
        category: t.category,
        channel: t.channel.clone(),
        exclude: t.exclude.clone(),
        metric: t.metric.clone(),
        metric_label: t.metric_label.clone(),
        // A stored topic alerts on the `[alerts]` thresholds.
        spike_min_ratio: None,
        spike_max_p: None,
        spike_min_items: None,
    }
}

impl Rules {
    /// These rules with `stored` topics after rules.toml's. A stored slug rules.toml also
    /// defines (added there after it was stored) or a pattern that no longer compiles is left
    /// out and reported, never a reason to refuse to start. With no stored topic the version
    /// is unchanged; otherwise it covers them too, so a new topic reads as a new classifier.
    pub fn with_stored(&self, stored: &[StoredTopic]) -> (Rules, Vec<Skipped>) {
        let mut topics = self.topics.clone();
        let mut skipped = Vec::new();
        let mut taken = Vec::new();
        for t in stored {
            if topics.iter().any(|k| k.slug == t.slug) {
                let reason = if taken.contains(&t.slug) { "stored twice" } else { "config/rules.toml defines the same slug, which wins" };
                skipped.push(Skipped { slug: t.slug.clone(), reason: reason.into() });
                continue;
            }
            match compile_topic(STORED, spec_of(t), TopicOrigin::Stored { by: t.created_by.clone(), at: t.created_at }) {
                Ok(topic) => {
                    taken.push(t.slug.clone());
                    topics.push(topic);
                }
                Err(e) => skipped.push(Skipped { slug: t.slug.clone(), reason: e.to_string() }),
            }
        }
        if taken.is_empty() {
            return (Rules::from_parts(self.rules.clone(), topics, self.version.clone()), skipped);
        }
        use sha2::{Digest, Sha256};
        let mut hash = Sha256::new();
        hash.update(self.version.as_bytes());
        for t in stored.iter().filter(|t| taken.contains(&t.slug)) {
            hash.update(serde_json::to_string(&spec_of(t)).unwrap_or_default().as_bytes());
        }
        let version = format!("r-{}", &hex::encode(hash.finalize())[..10]);
        (Rules::from_parts(self.rules.clone(), topics, version), skipped)
    }

    /// Whether `topic` may be stored next to these rules (which hold the stored topics too).
    pub fn check_new_topic(&self, topic: &StoredTopic) -> Result<(), NewTopicError> {
        if !is_valid_slug(&topic.slug) {
            return Err(NewTopicError::Slug(topic.slug.clone()));
        }
        match self.topic(&topic.slug).map(|t| &t.origin) {
            Some(TopicOrigin::Rules) => return Err(NewTopicError::InRules(topic.slug.clone())),
            Some(TopicOrigin::Stored { by, at }) => {
                return Err(NewTopicError::Stored { slug: topic.slug.clone(), by: by.clone(), on: at.format("%-d %b %Y").to_string() });
            }
            None => {}
        }
        if topic.title.trim().is_empty() || topic.title.chars().count() > 150 || topic.patterns.is_empty() || topic.patterns.len() > 10 {
            return Err(NewTopicError::Shape);
        }
        compile_topic(STORED, spec_of(topic), TopicOrigin::Rules).map_err(|e: RulesError| NewTopicError::Pattern(e.to_string()))?;
        Ok(())
    }
}

/// Stored topics as rules.toml `[[topic]]` entries, with who made each and when as comments.
pub fn export_toml(stored: &[StoredTopic]) -> String {
    #[derive(serde::Serialize)]
    struct File<'a> {
        topic: &'a [TopicSpec],
    }
    let mut out = String::from(
        "# Stored topics (made with Slack's *Make this a topic*), as config/rules.toml [[topic]] entries.\n\
         # Pasted into rules.toml, a slug there wins over the stored topic of the same slug.\n",
    );
    for t in stored {
        let spec = [spec_of(t)];
        let entry = toml::to_string(&File { topic: &spec }).unwrap_or_default();
        out.push_str(&format!("\n# {}: made by {} on {}\n{entry}", t.slug, t.created_by, t.created_at.format("%Y-%m-%d %H:%M UTC")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Category;
    use chrono::{TimeZone, Utc};

    fn stored(slug: &str, patterns: &[&str]) -> StoredTopic {
        StoredTopic {
            slug: slug.into(),
            title: format!("Title of {slug}"),
            patterns: patterns.iter().map(|p| p.to_string()).collect(),
            exclude: vec![r"\blove\b".into()],
            category: Some(Category::Reliability),
            channel: None,
            metric: Some(r#"max(rate(scan_errors_total{app="pos"}[1d]))"#.into()),
            metric_label: Some("scan errors per second".into()),
            created_by: "slack:U1".into(),
            created_at: Utc.with_ymd_and_hms(2026, 12, 3, 10, 0, 0).unwrap(),
        }
    }

    fn shipped() -> Rules {
        Rules::parse(crate::classify::seed::DEFAULT_RULES_TOML, "config/rules.toml").unwrap()
    }

    #[test]
    fn stored_topics_join_the_rules_and_change_the_version() {
        let base = shipped();
        let (same, skipped) = base.with_stored(&[]);
        assert_eq!((same.version.as_str(), skipped.len()), (base.version.as_str(), 0));
        let (merged, skipped) = base.with_stored(&[stored("barcode-scanner", &[r"\bbarcode", r"\bscann(er|ing)\b"])]);
        assert!(skipped.is_empty(), "{skipped:?}");
        assert_ne!(merged.version, base.version);
        let t = merged.topic("barcode-scanner").unwrap();
        assert!(matches!(t.origin, TopicOrigin::Stored { .. }));
        let slugs: Vec<&str> = merged.matching_topics("The barcode scanner freezes").iter().map(|t| t.slug.as_str()).collect();
        assert_eq!(slugs, vec!["barcode-scanner"]);
        assert!(merged.matching_topics("I love the barcode scanner").is_empty(), "exclude applies");
        assert_eq!(merged.topic("checkout-slow").unwrap().origin, TopicOrigin::Rules);
    }

    #[test]
    fn a_stored_slug_rules_toml_defines_is_left_out_and_a_new_one_is_refused() {
        let base = shipped();
        let (merged, skipped) = base.with_stored(&[stored("checkout-slow", &["scan"]), stored("bad", &["(unclosed"])]);
        assert_eq!(merged.topics.len(), base.topics.len());
        assert_eq!(skipped.len(), 2);
        assert!(skipped[0].reason.contains("config/rules.toml"), "{skipped:?}");
        assert!(skipped[1].reason.contains("invalid regex"), "{skipped:?}");
        let e = base.check_new_topic(&stored("checkout-slow", &["scan"])).unwrap_err().to_string();
        assert_eq!(e, "`checkout-slow` is already a topic in config/rules.toml; a stored topic needs another slug");
        let (merged, _) = base.with_stored(&[stored("barcode-scanner", &["barcode"])]);
        let e = merged.check_new_topic(&stored("barcode-scanner", &["barcode"])).unwrap_err().to_string();
        assert!(e.contains("already a stored topic (made by slack:U1 on 3 Dec 2026)"), "{e}");
        assert!(matches!(base.check_new_topic(&stored("Bar Code", &["x"])), Err(NewTopicError::Slug(_))));
        assert!(matches!(base.check_new_topic(&stored("ok", &["(x"])), Err(NewTopicError::Pattern(_))));
        assert!(matches!(base.check_new_topic(&stored("ok", &[])), Err(NewTopicError::Shape)));
        assert!(base.check_new_topic(&stored("barcode-scanner", &[r"\bbarcode\b"])).is_ok());
    }

    #[test]
    fn exported_topics_parse_as_rules_toml_with_the_same_fields() {
        let mut plain = stored("slow-export", &[r"\bexport(s|ing)?\b", r#"it's "slow""#]);
        plain.exclude.clear();
        plain.metric = None;
        plain.metric_label = None;
        plain.category = None;
        let topics = vec![stored("barcode-scanner", &[r"\bbarcode", r"\bscann(er|ing)\b"]), plain];
        let text = export_toml(&topics);
        let parsed = Rules::parse(&text, "exported.toml").unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(parsed.topics.len(), 2);
        for (t, original) in parsed.topics.iter().zip(&topics) {
            let again = TopicSpec {
                slug: t.slug.clone(),
                title: t.title.clone(),
                patterns: t.patterns.clone(),
                category: t.category,
                channel: t.channel.clone(),
                exclude: t.exclude.clone(),
                metric: t.metric.as_ref().map(|m| m.query.clone()),
                metric_label: t.metric.as_ref().map(|m| m.label.clone()),
                spike_min_ratio: None,
                spike_max_p: None,
                spike_min_items: None,
            };
            assert_eq!(again, spec_of(original), "{text}");
        }
        assert!(text.contains("# barcode-scanner: made by slack:U1 on 2026-12-03 10:00 UTC"), "{text}");
        assert_eq!(Rules::parse(&export_toml(&[]), "empty.toml").unwrap().topics.len(), 0);
    }
}
