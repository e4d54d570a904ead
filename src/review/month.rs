//! A calendar month in UTC, as the review names it: "2026-11".

use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Month {
    pub year: i32,
    /// 1-12.
    pub month: u32,
}

impl Month {
    /// The last complete month before `now`: in December, November.
    pub fn last_complete(now: DateTime<Utc>) -> Self {
        Self { year: now.year(), month: now.month() }.previous()
    }

    pub fn previous(self) -> Self {
        if self.month == 1 { Self { year: self.year - 1, month: 12 } } else { Self { year: self.year, month: self.month - 1 } }
    }

    pub fn next(self) -> Self {
        if self.month == 12 { Self { year: self.year + 1, month: 1 } } else { Self { year: self.year, month: self.month + 1 } }
    }

    /// Its first instant, 00:00 UTC on the 1st.
    pub fn start(self) -> DateTime<Utc> {
        let day = NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or_default();
        Utc.from_utc_datetime(&day.and_hms_opt(0, 0, 0).unwrap_or_default())
    }

    /// `[start, start of the next month)`.
    pub fn window(self) -> (DateTime<Utc>, DateTime<Utc>) {
        (self.start(), self.next().start())
    }

    /// This month and the two before it: `[start of two months back, end of this one)`.
    pub fn quarter_window(self) -> (DateTime<Utc>, DateTime<Utc>) {
        (self.previous().previous().start(), self.next().start())
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl FromStr for Month {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("'{s}' is not a month like 2026-11 (year-month)");
        let (year, month) = s.trim().split_once('-').ok_or_else(bad)?;
        let (year, month): (i32, u32) = (year.parse().map_err(|_| bad())?, month.parse().map_err(|_| bad())?);
        if !(1..=12).contains(&month) || !(1970..=9999).contains(&year) || s.trim().len() != 7 {
            return Err(bad());
        }
        Ok(Self { year, month })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_parse_print_and_step_across_years() {
        let m: Month = "2026-01".parse().unwrap();
        assert_eq!(m.to_string(), "2026-01");
        assert_eq!(m.previous().to_string(), "2025-12");
        assert_eq!("2025-12".parse::<Month>().unwrap().next(), m);
        for bad in ["2026-13", "2026-00", "2026-1", "26-11", "2026/11", "november"] {
            assert!(bad.parse::<Month>().unwrap_err().contains("like 2026-11"), "{bad}");
        }
    }

    #[test]
    fn windows_are_whole_utc_months_and_the_default_is_the_last_complete_one() {
        let now = Utc.with_ymd_and_hms(2026, 12, 7, 4, 42, 0).unwrap();
        let m = Month::last_complete(now);
        assert_eq!(m.to_string(), "2026-11");
        let (from, to) = m.window();
        assert_eq!((from.to_rfc3339(), to.to_rfc3339()), ("2026-11-01T00:00:00+00:00".into(), "2026-12-01T00:00:00+00:00".into()));
        assert_eq!(m.quarter_window().0.to_rfc3339(), "2026-09-01T00:00:00+00:00");
        assert_eq!(Month::last_complete(Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap()).to_string(), "2026-12");
    }
}
