//! What the two tags mean: written once here and used by the seed corpus labels
//! (`scripts/seed_corpus.py`), the rules (`config/rules.toml`), the README, `data/DEFINITIONS.md`,
//! and whatever shows the definitions to people (help text, evidence packs).

/// `performance` in one line.
pub const PERFORMANCE_SHORT: &str = "the customer reports the product being slow or heavy";

/// `reliability` in one line.
pub const RELIABILITY_SHORT: &str = "the customer reports a failure: something crashes, errors, freezes, loses data or does not work";

/// `performance` in full.
pub const PERFORMANCE: &str = "performance: the customer reports the product being slow or heavy: slow, lag, stutter, takes \
forever, loading that eventually finishes, timeouts from slowness, battery/CPU/memory/data use, big downloads, late \
notifications. Praise of speed (\"fast!\", \"runs smooth\") is not performance, and neither is the speed of support or \
delivery.";

/// `reliability` in full.
pub const RELIABILITY: &str = "reliability: the customer reports a failure: crash, force close, error, outage, data loss, \
wrong result, does not work, will not open, freezes / hangs / not responding / stuck. A freeze is reliability; it is also \
performance only when the text describes slowness that recovers (\"freezes for 5 seconds then carries on\", \"lags and \
freezes\"). Praise of stability (\"never crashes\") is not reliability.";

/// A tag's one-line definition.
pub fn short(category: crate::domain::Category) -> &'static str {
    match category {
        crate::domain::Category::Performance => PERFORMANCE_SHORT,
        crate::domain::Category::Reliability => RELIABILITY_SHORT,
    }
}

/// The rule both tags share.
pub const PROBLEMS_ONLY: &str = "Both tags are about problems: praise is neither, and so is the speed of support or delivery.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn definitions_name_their_tag_and_the_freeze_rule() {
        assert!(PERFORMANCE.starts_with("performance:") && RELIABILITY.starts_with("reliability:"));
        assert!(RELIABILITY.contains("freezes") && PERFORMANCE.contains("Praise"));
        assert!(!PERFORMANCE_SHORT.contains('\n') && !RELIABILITY_SHORT.contains('\n'));
    }
}
