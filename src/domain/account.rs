//! Customer accounts and the revenue that weights evidence.

use serde::{Deserialize, Serialize};

/// Annual recurring revenue in integer cents (never floats for money).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ArrCents(pub i64);

impl ArrCents {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let trimmed = raw.trim();
        let value: i64 = trimmed.parse().map_err(|_| format!("'{trimmed}' is not a whole number of cents"))?;
        if value < 0 {
            return Err(format!("{value} is negative; ARR cannot be below zero"));
        }
        Ok(Self(value))
    }

    /// `$12,345` style, whole dollars, for people.
    pub fn display_dollars(self) -> String {
        let dollars = self.0 / 100;
        let out = crate::text::thousands(dollars.unsigned_abs());
        if dollars < 0 { format!("-${out}") } else { format!("${out}") }
    }
}

/// A full account record (from `accounts import` or a generic webhook's `account`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub id: String,
    pub name: Option<String>,
    pub plan: Option<String>,
    pub arr_cents: Option<ArrCents>,
}

/// What a feedback item knows about its account at ingest time.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountRef {
    pub id: Option<String>,
    pub name: Option<String>,
}

/// Mail providers whose domain says nothing about the sender's company.
const FREE_MAIL: [&str; 10] =
    ["gmail.com", "googlemail.com", "yahoo.com", "hotmail.com", "outlook.com", "live.com", "icloud.com", "me.com", "proton.me", "aol.com"];

/// The company domain of an email address or a bare domain (`Bob@Globex.com` -> `globex.com`);
/// `None` for free mail providers and for text that is neither.
pub fn company_domain(email_or_domain: &str) -> Option<String> {
    let domain = email_or_domain.rsplit_once('@').map_or(email_or_domain, |(_, d)| d).trim().trim_end_matches('.').to_ascii_lowercase();
    let plausible =
        domain.contains('.') && !domain.starts_with('.') && domain.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    (plausible && !FREE_MAIL.contains(&domain.as_str())).then_some(domain)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn company_domains_leave_free_mail_out() {
        assert_eq!(company_domain("Bob@Globex.COM").as_deref(), Some("globex.com"));
        assert_eq!(company_domain("globex.com").as_deref(), Some("globex.com"));
        assert_eq!(company_domain("someone@gmail.com"), None);
        assert_eq!(company_domain("9001"), None);
        assert_eq!(company_domain("not an email@x"), None);
    }

    #[test]
    fn arr_parses_cents_and_rejects_junk() {
        assert_eq!(ArrCents::parse(" 120000 "), Ok(ArrCents(120_000)));
        assert!(ArrCents::parse("12.5").is_err());
        assert!(ArrCents::parse("-1").is_err());
    }

    #[test]
    fn arr_displays_grouped_dollars() {
        assert_eq!(ArrCents(123_456_789).display_dollars(), "$1,234,567");
        assert_eq!(ArrCents(99).display_dollars(), "$0");
        assert_eq!(ArrCents(100_000).display_dollars(), "$1,000");
    }
}
