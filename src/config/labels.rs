//! `[labels]` settings: the weekly label message, and when `serve` retrains on people's
//! corrections.

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct LabelSettings {
    /// Post the label queue (the items the model is least sure about) to the digest channel
    /// once a week, at the digest's time. Off unless turned on.
    pub weekly: bool,
    /// New corrections since the last retrain that make `serve` retrain in the background;
    /// 0 turns the background retrain off.
    pub retrain_after: i64,
    /// How often each replica checks whether a retrain is due, in seconds.
    pub retrain_check_secs: u64,
    /// Folds of the cross-validation on the corrections that decides whether a retrained
    /// model is activated (fewer is faster and less exact).
    pub retrain_folds: usize,
    /// After a model is activated, items created in this many days are re-tagged with it.
    pub retag_days: i64,
}

impl Default for LabelSettings {
    fn default() -> Self {
        Self { weekly: false, retrain_after: 25, retrain_check_secs: 60, retrain_folds: 5, retag_days: 90 }
    }
}

impl LabelSettings {
    /// Refuses settings that would only fail later, naming the variable to fix.
    pub fn validate(&self) -> anyhow::Result<()> {
        if self.retrain_after < 0 {
            anyhow::bail!("labels.retrain_after must be 0 (off) or more; set PUSHBACK_LABELS__RETRAIN_AFTER");
        }
        if self.retrain_check_secs == 0 {
            anyhow::bail!("labels.retrain_check_secs must be at least 1; set PUSHBACK_LABELS__RETRAIN_CHECK_SECS");
        }
        if !(2..=10).contains(&self.retrain_folds) {
            anyhow::bail!("labels.retrain_folds must be between 2 and 10; set PUSHBACK_LABELS__RETRAIN_FOLDS");
        }
        if self.retag_days < 1 {
            anyhow::bail!("labels.retag_days must be at least 1; set PUSHBACK_LABELS__RETAG_DAYS");
        }
        Ok(())
    }
}
