//! Where a feedback item came from.

use std::fmt;
use std::str::FromStr;

/// A feedback source: one webhook route per vendor, plus `csv` for file backfills.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    Zendesk,
    Intercom,
    Helpscout,
    Stripe,
    Freshdesk,
    Generic,
    /// Typeform form responses (NPS or CSAT surveys), by webhook only.
    Typeform,
    Csv,
}

impl Source {
    /// Sources that have a webhook route (`csv` is import-only).
    pub const WEBHOOK: [Source; 7] =
        [Source::Zendesk, Source::Intercom, Source::Helpscout, Source::Stripe, Source::Freshdesk, Source::Generic, Source::Typeform];

    pub fn as_str(self) -> &'static str {
        match self {
            Source::Zendesk => "zendesk",
            Source::Intercom => "intercom",
            Source::Helpscout => "helpscout",
            Source::Stripe => "stripe",
            Source::Freshdesk => "freshdesk",
            Source::Generic => "generic",
            Source::Typeform => "typeform",
            Source::Csv => "csv",
        }
    }

    /// The environment variable an operator sets to enable this source's webhook.
    pub fn secret_env_var(self) -> String {
        format!("PUSHBACK_SOURCES__{}__SECRET", self.as_str().to_uppercase())
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Source {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "zendesk" => Ok(Source::Zendesk),
            "intercom" => Ok(Source::Intercom),
            "helpscout" | "help-scout" | "help_scout" => Ok(Source::Helpscout),
            "stripe" => Ok(Source::Stripe),
            "freshdesk" => Ok(Source::Freshdesk),
            "generic" => Ok(Source::Generic),
            "typeform" => Ok(Source::Typeform),
            "csv" => Ok(Source::Csv),
            other => Err(format!(
                "unknown source '{other}': expected one of zendesk, intercom, helpscout, stripe, freshdesk, generic, typeform, csv"
            )),
        }
    }
}
