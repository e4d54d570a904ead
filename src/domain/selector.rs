//! What a topic means as a query: a topic from rules.toml (items tagged with it) or a
//! full-text search. Built by `evidence::selector::resolve`; read by `store` (which turns it
//! into SQL) and by the pack (which describes it).

use super::Category;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Selector {
    /// A topic from rules.toml: items tagged with it at classification time.
    Defined { slug: String, title: String, category: Option<Category>, patterns: Vec<String> },
    /// Any other slug: every group must match (a group matches when any of its phrases does).
    Search { slug: String, groups: Vec<Vec<String>>, categories: Vec<Category> },
}

impl Selector {
    pub fn slug(&self) -> &str {
        match self {
            Selector::Defined { slug, .. } | Selector::Search { slug, .. } => slug,
        }
    }

    pub fn title(&self) -> String {
        match self {
            Selector::Defined { title, .. } => title.clone(),
            Selector::Search { slug, .. } => format!("\"{}\" (search)", slug.replace('-', " ")),
        }
    }

    /// A one-line account of what was matched, for the pack's "how to reproduce".
    pub fn describe(&self) -> String {
        match self {
            Selector::Defined { slug, category, patterns, .. } => {
                let filter = category.map(|c| format!(", category {c}")).unwrap_or_default();
                format!("topic `{slug}` from rules.toml (patterns {}{filter})", patterns.join(" | "))
            }
            Selector::Search { groups, categories, .. } => {
                let words: Vec<String> = groups.iter().map(|g| format!("({})", g.join(" OR "))).collect();
                let filter = if categories.is_empty() {
                    String::new()
                } else {
                    format!(", tagged {}", categories.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(" or "))
                };
                format!("full-text search {}{filter}", words.join(" AND "))
            }
        }
    }

    /// The SQLite FTS5 MATCH expression (every phrase quoted, so no user text is syntax).
    pub fn fts5_query(&self) -> Option<String> {
        let Selector::Search { groups, .. } = self else { return None };
        // The user's own words match as prefixes of stems ("pdf" finds "PDFs"); synonym lists
        // match exactly (so "down" does not find "download").
        let group = |g: &Vec<String>| {
            let star = if g.len() == 1 { "*" } else { "" };
            format!("({})", g.iter().map(|p| format!("\"{p}\"{star}")).collect::<Vec<_>>().join(" OR "))
        };
        Some(groups.iter().map(group).collect::<Vec<_>>().join(" AND "))
    }

    /// The PostgreSQL `to_tsquery('english', ...)` expression.
    pub fn tsquery(&self) -> Option<String> {
        let Selector::Search { groups, .. } = self else { return None };
        let phrase = |p: &String| p.split_whitespace().collect::<Vec<_>>().join(" <-> ");
        let group = |g: &Vec<String>| {
            if g.len() == 1 { format!("({}:*)", g[0]) } else { format!("({})", g.iter().map(phrase).collect::<Vec<_>>().join(" | ")) }
        };
        Some(groups.iter().map(group).collect::<Vec<_>>().join(" & "))
    }
}
