//! Which items a topic means. A slug defined in `config/rules.toml` is used as defined (its
//! stored topic tags). Any other slug becomes a full-text search: its words must all appear in
//! subject or body, category words (slow, crash...) widen to their synonyms and also restrict
//! the search to items the classifier tagged with that category.

use crate::classify::rules::Rules;
use crate::domain::Category;
pub use crate::domain::Selector;

/// Category words and what each stands for in a search.
const PERFORMANCE_WORDS: &[&str] =
    &["slow", "slowness", "sluggish", "lag", "laggy", "latency", "timeout", "timeouts", "perf", "performance", "speed", "spinner", "hang"];
const PERFORMANCE_SYNONYMS: &[&str] = &[
    "slow",
    "slowly",
    "slower",
    "sluggish",
    "lag",
    "laggy",
    "latency",
    "timeout",
    "timed out",
    "spinner",
    "spinning",
    "takes forever",
    "loading",
    "freeze",
    "hangs",
    "delay",
];
const RELIABILITY_WORDS: &[&str] = &[
    "crash",
    "crashes",
    "crashing",
    "error",
    "errors",
    "down",
    "outage",
    "outages",
    "broken",
    "fail",
    "fails",
    "failure",
    "failures",
    "failing",
    "bug",
    "bugs",
    "reliability",
];
const RELIABILITY_SYNONYMS: &[&str] =
    &["crash", "crashed", "error", "down", "outage", "broken", "fail", "failed", "failure", "not working", "bug", "500", "unavailable"];
const STOPWORDS: &[&str] =
    &["a", "an", "and", "the", "of", "on", "in", "is", "to", "for", "with", "at", "it", "or", "issues", "issue", "problems"];

/// Lower-case, words joined by `-`, nothing else: what a user typed, made into a slug.
pub fn normalize_slug(raw: &str) -> String {
    let mut out = String::new();
    for ch in raw.trim().chars().flat_map(char::to_lowercase) {
        if ch.is_ascii_alphanumeric() {
            out.push(ch);
        } else if (ch == '-' || ch == '_' || ch.is_whitespace()) && !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').chars().take(64).collect()
}

/// The selector for `raw`, or `None` when nothing searchable is left (empty, only stopwords).
pub fn resolve(raw: &str, rules: &Rules) -> Option<Selector> {
    let slug = normalize_slug(raw);
    if let Some(t) = rules.topic(&slug) {
        return Some(Selector::Defined { slug, title: t.title.clone(), category: t.category, patterns: t.patterns.clone() });
    }
    let mut groups: Vec<Vec<String>> = Vec::new();
    let mut categories = Vec::new();
    for word in slug.split('-').filter(|w| w.len() > 1 && !STOPWORDS.contains(w)) {
        let (synonyms, category) = if PERFORMANCE_WORDS.contains(&word) {
            (PERFORMANCE_SYNONYMS, Some(Category::Performance))
        } else if RELIABILITY_WORDS.contains(&word) {
            (RELIABILITY_SYNONYMS, Some(Category::Reliability))
        } else {
            (&[][..], None)
        };
        if let Some(c) = category {
            if categories.contains(&c) {
                continue; // "slow-lag": one group of speed words is enough
            }
            categories.push(c);
            let mut group: Vec<String> = vec![word.to_string()];
            group.extend(synonyms.iter().filter(|s| **s != word).map(|s| s.to_string()));
            groups.push(group);
        } else if !groups.iter().any(|g| g.len() == 1 && g[0] == word) {
            groups.push(vec![word.to_string()]);
        }
    }
    if groups.is_empty() {
        return None;
    }
    Some(Selector::Search { slug, groups, categories })
}

/// Known topics closest to `raw` that have items: shared words first, then spelling, then
/// volume. Topics without items come only when no topic has any.
pub fn suggestions(raw: &str, rules: &Rules, volume: &[(String, i64)], limit: usize) -> Vec<(String, String, i64)> {
    let slug = normalize_slug(raw);
    let words: Vec<&str> = slug.split('-').filter(|w| !w.is_empty()).collect();
    let count = |s: &str| volume.iter().find(|(t, _)| t == s).map(|(_, n)| *n).unwrap_or(0);
    let mut scored: Vec<(f64, i64, String, String)> = rules
        .topics
        .iter()
        .map(|t| {
            let shared = t.slug.split('-').filter(|w| words.contains(w)).count() as f64;
            let spelling = 1.0 - levenshtein(&slug, &t.slug) as f64 / slug.len().max(t.slug.len()).max(1) as f64;
            (shared + spelling.max(0.0), count(&t.slug), t.slug.clone(), t.title.clone())
        })
        .collect();
    if scored.iter().any(|s| s.1 > 0) {
        scored.retain(|s| s.1 > 0);
    }
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    scored.into_iter().take(limit).map(|(_, n, s, t)| (s, t, n)).collect()
}

/// A broader free-text search to try when `raw` matched nothing: its longest word.
pub fn search_hint(raw: &str) -> Option<String> {
    let slug = normalize_slug(raw);
    let longest = slug.split('-').filter(|w| w.len() > 2 && !STOPWORDS.contains(w)).max_by_key(|w| w.len())?;
    (longest != slug).then(|| longest.to_string())
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb { prev } else { 1 + prev.min(cur).min(row[j]) };
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> Rules {
        Rules::parse(
            r#"
[[topic]]
slug = "checkout-slow"
title = "Checkout is slow"
category = "performance"
patterns = ['(?i)checkout']

[[topic]]
slug = "login-failures"
title = "Login failures"
patterns = ['(?i)log ?in']
"#,
            "test.toml",
        )
        .unwrap()
    }

    #[test]
    fn defined_topics_are_used_as_defined() {
        let s = resolve("Checkout slow", &rules()).unwrap();
        assert!(matches!(&s, Selector::Defined { slug, category: Some(Category::Performance), .. } if slug == "checkout-slow"));
        assert_eq!(s.fts5_query(), None);
    }

    #[test]
    fn free_slugs_search_their_words_with_category_synonyms() {
        let s = resolve("search-timeout", &rules()).unwrap();
        let Selector::Search { groups, categories, .. } = &s else { panic!("{s:?}") };
        assert_eq!(groups[0], vec!["search".to_string()]);
        assert!(groups[1].contains(&"takes forever".to_string()) && groups[1][0] == "timeout");
        assert_eq!(categories, &vec![Category::Performance]);
        let fts = s.fts5_query().unwrap();
        assert!(fts.starts_with("(\"search\"*) AND (\"timeout\" OR \"slow\""), "{fts}");
        let ts = s.tsquery().unwrap();
        assert!(ts.starts_with("(search:*) & (timeout | slow") && ts.contains("takes <-> forever"), "{ts}");
    }

    #[test]
    fn plain_words_without_category_words_do_not_filter_by_category() {
        let Some(Selector::Search { groups, categories, .. }) = resolve("invoice-pdf", &rules()) else { panic!() };
        assert_eq!(groups, vec![vec!["invoice".to_string()], vec!["pdf".to_string()]]);
        assert!(categories.is_empty());
    }

    #[test]
    fn user_text_cannot_become_query_syntax() {
        assert_eq!(normalize_slug("  Export \"OR\" * NEAR( x ) "), "export-or-near-x");
        assert_eq!(normalize_slug("DROP TABLE feedback;--"), "drop-table-feedback");
    }

    #[test]
    fn nothing_searchable_resolves_to_none() {
        assert_eq!(resolve("", &rules()), None);
        assert_eq!(resolve("the-of", &rules()), None);
        let Some(Selector::Search { groups, .. }) = resolve("slow", &rules()) else { panic!() };
        assert_eq!(groups.len(), 1, "a lone category word searches its synonyms");
    }

    #[test]
    fn suggestions_prefer_shared_words_then_spelling_then_volume() {
        let vol = vec![("login-failures".to_string(), 40), ("checkout-slow".to_string(), 12)];
        let s = suggestions("checkout-errors", &rules(), &vol, 2);
        assert_eq!(s[0].0, "checkout-slow");
        let s = suggestions("logn-failure", &rules(), &vol, 1);
        assert_eq!(s[0], ("login-failures".to_string(), "Login failures".to_string(), 40));
    }

    #[test]
    fn suggestions_skip_topics_without_items_and_offer_a_broader_search() {
        let vol = vec![("login-failures".to_string(), 3)];
        let s = suggestions("checkout-errors", &rules(), &vol, 5);
        assert_eq!(s.iter().map(|s| s.0.as_str()).collect::<Vec<_>>(), ["login-failures"], "empty topics are not offered");
        assert_eq!(suggestions("checkout-errors", &rules(), &[], 5).len().min(1), 1, "with no items at all, topics still help");
        assert_eq!(search_hint("quantum checkout teleport").as_deref(), Some("teleport"));
        assert_eq!(search_hint("teleport"), None);
    }
}
