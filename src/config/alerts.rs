//! `[alerts]` settings: where alerts go when no owner channel claims them, and when a rise in
//! complaints counts as a spike.

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct AlertSettings {
    /// Channel (ID or `#name`) for alerts about items no owned topic claims; unset: such
    /// items alert no one.
    pub channel: Option<String>,
    /// Spike alerts on or off (the churn alert is not affected).
    pub spikes: bool,
    /// How often one replica checks for spikes, in seconds.
    pub spike_check_secs: u64,
    /// A spike is at least this many times the topic's usual share of feedback ...
    pub spike_min_ratio: f64,
    /// ... with a p-value below this ...
    pub spike_max_p: f64,
    /// ... and at least this many items in the window.
    pub spike_min_items: i64,
    /// A topic back to normal for this many days may alert again.
    pub spike_quiet_days: i64,
}

impl Default for AlertSettings {
    fn default() -> Self {
        Self {
            channel: None,
            spikes: true,
            spike_check_secs: 3600,
            spike_min_ratio: 2.0,
            spike_max_p: 0.01,
            spike_min_items: 5,
            spike_quiet_days: 7,
        }
    }
}

impl AlertSettings {
    /// The fallback channel, when one is set and not blank.
    pub fn fallback_channel(&self) -> Option<&str> {
        self.channel.as_deref().map(str::trim).filter(|c| !c.is_empty())
    }

    /// Refuses settings that would only fail later, naming the variable to fix.
    pub fn validate(&self) -> anyhow::Result<()> {
        if self.spike_check_secs == 0 {
            anyhow::bail!("alerts.spike_check_secs must be at least 1; set PUSHBACK_ALERTS__SPIKE_CHECK_SECS");
        }
        if self.spike_min_ratio.is_nan() || self.spike_min_ratio < 1.0 {
            anyhow::bail!("alerts.spike_min_ratio must be at least 1; set PUSHBACK_ALERTS__SPIKE_MIN_RATIO");
        }
        if self.spike_max_p.is_nan() || self.spike_max_p <= 0.0 || self.spike_max_p > 1.0 {
            anyhow::bail!("alerts.spike_max_p must be in (0, 1]; set PUSHBACK_ALERTS__SPIKE_MAX_P");
        }
        if self.spike_min_items < 1 || self.spike_quiet_days < 0 {
            anyhow::bail!("alerts.spike_min_items must be at least 1 and alerts.spike_quiet_days at least 0");
        }
        Ok(())
    }
}
