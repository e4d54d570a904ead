//! The time window a pack covers: `[from, to)` in UTC, and the previous window of equal length.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Window {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
}

pub const DEFAULT_DAYS: i64 = 90;
pub const MAX_DAYS: i64 = 3660;

impl Window {
    /// The last `days` whole UTC days, today included: `[today + 1 - days, tomorrow)` at
    /// midnight, so weekly buckets are whole days and a pack can be regenerated exactly.
    pub fn last_days(days: i64, now: DateTime<Utc>) -> Self {
        let tomorrow = now.date_naive() + Duration::days(1);
        let to = Utc.from_utc_datetime(&tomorrow.and_hms_opt(0, 0, 0).expect("midnight exists"));
        Self { from: to - Duration::days(days), to }
    }

    /// `--from 2026-08-01 --to 2026-11-01` (dates are UTC midnights; `to` is exclusive).
    pub fn between(from: &str, to: &str) -> Result<Self, String> {
        let (from, to) = (parse_instant(from, "--from")?, parse_instant(to, "--to")?);
        if to <= from {
            return Err(format!("--to ({to}) must be after --from ({from})"));
        }
        if to - from > Duration::days(MAX_DAYS) {
            return Err(format!("a window may span at most {MAX_DAYS} days"));
        }
        Ok(Self { from, to })
    }

    pub fn previous(&self) -> Self {
        Self { from: self.from - (self.to - self.from), to: self.from }
    }

    /// Length in whole days (rounded up), for wording like "the previous 90 days".
    pub fn days(&self) -> i64 {
        let secs = (self.to - self.from).num_seconds();
        (secs + 86_399) / 86_400
    }

    pub fn contains(&self, t: DateTime<Utc>) -> bool {
        t >= self.from && t < self.to
    }

    /// Seven-day buckets ending at `to`; the first one is shorter when the window is not a
    /// whole number of weeks. Each bucket is `[start, end)`.
    pub fn weeks(&self) -> Vec<Window> {
        let mut out = Vec::new();
        let mut end = self.to;
        while end > self.from {
            let start = (end - Duration::days(7)).max(self.from);
            out.push(Window { from: start, to: end });
            end = start;
        }
        out.reverse();
        out
    }

    /// The bucket index of `t` in `weeks()`, if inside the window.
    pub fn week_index(&self, t: DateTime<Utc>, weeks: usize) -> Option<usize> {
        if !self.contains(t) {
            return None;
        }
        // Bucket k (from the end) holds times with 7k days < to - t ≤ 7(k+1) days.
        let back = ((self.to - t).num_seconds() - 1) / (7 * 86_400);
        Some(weeks - 1 - back as usize)
    }
}

/// `90d`, `30d`, `12w`: a span in days.
pub fn parse_span(raw: &str) -> Result<i64, String> {
    let raw = raw.trim().to_ascii_lowercase();
    let (digits, unit) = raw.split_at(raw.find(|c: char| !c.is_ascii_digit()).unwrap_or(raw.len()));
    let n: i64 = digits.parse().map_err(|_| format!("'{raw}' is not a span like 7d, 30d, 90d or 12w"))?;
    let days = match unit {
        "d" | "" => n,
        "w" => n * 7,
        _ => return Err(format!("'{raw}' is not a span like 7d, 30d, 90d or 12w")),
    };
    if !(1..=MAX_DAYS).contains(&days) {
        return Err(format!("'{raw}': the span must be between 1 and {MAX_DAYS} days"));
    }
    Ok(days)
}

fn parse_instant(raw: &str, flag: &str) -> Result<DateTime<Utc>, String> {
    if let Ok(t) = DateTime::parse_from_rfc3339(raw) {
        return Ok(t.with_timezone(&Utc));
    }
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .map(|d| Utc.from_utc_datetime(&d.and_hms_opt(0, 0, 0).expect("midnight exists")))
        .map_err(|_| format!("{flag} '{raw}' is not a date (2026-08-01) or an RFC 3339 time"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn spans_parse_and_bad_ones_say_what_to_write() {
        assert_eq!(parse_span("90d"), Ok(90));
        assert_eq!(parse_span("7"), Ok(7));
        assert_eq!(parse_span("12w"), Ok(84));
        assert!(parse_span("soon").unwrap_err().contains("7d, 30d, 90d"));
        assert!(parse_span("0d").is_err());
    }

    #[test]
    fn weeks_end_at_the_window_end_and_the_first_may_be_short() {
        let w = Window::between("2026-08-03", "2026-08-20").unwrap(); // 17 days
        let weeks = w.weeks();
        assert_eq!(weeks.len(), 3);
        assert_eq!(weeks[0].from, t("2026-08-03T00:00:00Z"));
        assert_eq!(weeks[0].to, t("2026-08-06T00:00:00Z"));
        assert_eq!(weeks[2].to, t("2026-08-20T00:00:00Z"));
        assert_eq!(w.week_index(t("2026-08-05T23:59:59Z"), 3), Some(0));
        assert_eq!(w.week_index(t("2026-08-06T00:00:00Z"), 3), Some(1));
        assert_eq!(w.week_index(t("2026-08-19T12:00:00Z"), 3), Some(2));
        assert_eq!(w.week_index(t("2026-08-20T00:00:00Z"), 3), None);
        assert_eq!(w.previous(), Window::between("2026-07-17", "2026-08-03").unwrap());
        assert_eq!(w.days(), 17);
    }

    #[test]
    fn last_days_are_whole_days_including_today() {
        let w = Window::last_days(7, t("2026-11-21T20:38:00Z"));
        assert_eq!((w.from, w.to), (t("2026-11-15T00:00:00Z"), t("2026-11-22T00:00:00Z")));
        assert!(w.contains(t("2026-11-21T20:38:00Z")));
    }

    #[test]
    fn bad_bounds_are_explained() {
        assert!(Window::between("2026-09-01", "2026-08-01").unwrap_err().contains("must be after"));
        assert!(Window::between("last week", "2026-08-01").unwrap_err().contains("--from 'last week'"));
    }
}
