//! `pushback rules check`: how often each rule fires on a labelled file and how often it is right.
//! A force rule on category C is right on a row labelled C; a veto on C is right on a row not
//! labelled C. Force rules override the model, so they must earn it on real text.

use super::rules::{Action, Rules};
use super::train::Example;
use crate::domain::Category;
use serde::Serialize;

/// Force rules below this precision (among rules firing at least `MIN_FIRES` times) fail the bar.
pub const MIN_PRECISION: f64 = 0.80;
pub const MIN_FIRES: usize = 5;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RuleStat {
    pub name: String,
    pub category: Category,
    pub action: &'static str,
    /// Rows the rule fires on.
    pub fires: usize,
    /// Of those, rows where the rule is right (see the module comment).
    pub right: usize,
    /// `right / fires`, 0 when it never fires.
    pub precision: f64,
    /// A force rule that fires at least `MIN_FIRES` times below `MIN_PRECISION`.
    pub below_bar: bool,
}

/// One line per rule, in file order.
pub fn check(rules: &Rules, examples: &[Example]) -> Vec<RuleStat> {
    let mut fires = vec![0usize; rules.rules.len()];
    let mut right = vec![0usize; rules.rules.len()];
    for e in examples {
        for rule in rules.matching(&e.text) {
            let i = rules.rules.iter().position(|r| std::ptr::eq(r, rule)).expect("a rule of this set");
            let labelled = match rule.category {
                Category::Performance => e.performance,
                Category::Reliability => e.reliability,
            };
            fires[i] += 1;
            right[i] += usize::from(labelled == (rule.action == Action::Force));
        }
    }
    rules
        .rules
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let precision = if fires[i] == 0 { 0.0 } else { right[i] as f64 / fires[i] as f64 };
            let force = r.action == Action::Force;
            RuleStat {
                name: r.name.clone(),
                category: r.category,
                action: if force { "force" } else { "veto" },
                fires: fires[i],
                right: right[i],
                precision,
                below_bar: force && fires[i] >= MIN_FIRES && precision < MIN_PRECISION,
            }
        })
        .collect()
}

/// A table for people, with a last line saying whether every force rule meets the bar.
pub fn to_text(stats: &[RuleStat], rows: usize) -> String {
    let mut out = format!("{:<34} {:<12} {:<6} {:>6} {:>6} {:>9}\n", "rule", "category", "action", "fires", "right", "precision");
    for s in stats {
        let flag = if s.below_bar { "  < 0.80" } else { "" };
        let precision = if s.fires == 0 { "-".to_string() } else { format!("{:.3}", s.precision) };
        out.push_str(&format!(
            "{:<34} {:<12} {:<6} {:>6} {:>6} {:>9}{flag}\n",
            s.name,
            s.category.as_str(),
            s.action,
            s.fires,
            s.right,
            precision
        ));
    }
    let failing: Vec<&str> = stats.iter().filter(|s| s.below_bar).map(|s| s.name.as_str()).collect();
    if failing.is_empty() {
        out.push_str(&format!(
            "\n{}: every force rule firing {MIN_FIRES}+ times is at least {MIN_PRECISION:.2} precise\n",
            crate::text::plural(rows as u64, "row")
        ));
    } else {
        out.push_str(&format!(
            "\n{}: force rules under {MIN_PRECISION:.2} precision: {}\n",
            crate::text::plural(rows as u64, "row"),
            failing.join(", ")
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULES: &str = r#"
[[rule]]
name = "crash"
pattern = '\bcrash'
category = "reliability"
action = "force"

[[rule]]
name = "no-crash"
pattern = '\bno crash'
category = "reliability"
action = "veto"
"#;

    fn ex(text: &str, p: bool, r: bool) -> Example {
        Example { text: text.into(), performance: p, reliability: r }
    }

    #[test]
    fn counts_fires_and_precision_per_rule() {
        let rules = Rules::parse(RULES, "r.toml").unwrap();
        let data: Vec<Example> = (0..6)
            .map(|i| ex(&format!("it crashes {i}"), false, i < 4))
            .chain([ex("no crashes at all", false, false), ex("nothing to see", false, true)])
            .collect();
        let stats = check(&rules, &data);
        assert_eq!((stats[0].fires, stats[0].right), (7, 4));
        assert!(stats[0].below_bar && (stats[0].precision - 4.0 / 7.0).abs() < 1e-12);
        assert_eq!((stats[1].fires, stats[1].right, stats[1].below_bar), (1, 1, false));
        assert!(to_text(&stats, data.len()).contains("under 0.80 precision: crash"));
    }
}
