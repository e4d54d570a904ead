//! The review's glossary: what the tags mean, and the topics that had items this month (with
//! the patterns that put an item in each), from `classify::glossary`.

use crate::classify::glossary::{self, Glossary};
use crate::classify::rules::Rules;

/// The tag definitions and the topics among `slugs`, in the rules' order.
pub fn month_glossary(rules: &Rules, slugs: &[&str]) -> Glossary {
    let mut g = glossary::build(rules, None).unwrap_or(Glossary { categories: Vec::new(), topics: Vec::new() });
    g.topics.retain(|t| slugs.contains(&t.slug.as_str()));
    g
}
