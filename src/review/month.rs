//! A calendar month in UTC, as the review names it: "2026-11".

use crate::domain::DigestSchedule;
use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc, Weekday};
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

/// When the review of the month before `month` is posted: the first weekday (Monday to Friday)
/// of `month` at the digest's time in its zone (a local time skipped by a DST change moves on
/// by an hour).
pub fn post_due_at(schedule: &DigestSchedule, month: Month) -> DateTime<Utc> {
    let mut day = NaiveDate::from_ymd_opt(month.year, month.month, 1).unwrap_or_default();
    while matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
        day = day.succ_opt().unwrap_or(day);
    }
    let local = day.and_time(schedule.time);
    (0..3)
        .find_map(|h| schedule.tz.from_local_datetime(&(local + Duration::hours(h))).earliest())
        .map_or_else(|| Utc.from_utc_datetime(&local), |t| t.with_timezone(&Utc))
}

/// The month whose review is due at `now`: last month, once this month's first weekday at the
/// digest's time (in its zone) has passed.
pub fn post_due(schedule: &DigestSchedule, now: DateTime<Utc>) -> Option<Month> {
    let local = now.with_timezone(&schedule.tz);
    let this = Month { year: local.year(), month: local.month() };
    (now >= post_due_at(schedule, this)).then(|| this.previous())
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

    #[test]
    fn the_review_is_due_on_the_months_first_weekday_at_the_digest_time() {
        let nine = DigestSchedule::default();
        // 1 November 2026 is a Sunday: the October review is due Monday 2 November at 09:00 UTC.
        let due = post_due_at(&nine, "2026-11".parse().unwrap());
        assert_eq!(due.to_rfc3339(), "2026-11-02T09:00:00+00:00");
        assert_eq!(post_due(&nine, due - chrono::Duration::seconds(1)), None, "not yet: the September review was October's");
        assert_eq!(post_due(&nine, due).map(|m| m.to_string()), Some("2026-10".into()));
        // 1 December 2026 is a Tuesday: due that day.
        assert_eq!(post_due_at(&nine, "2026-12".parse().unwrap()).to_rfc3339(), "2026-12-01T09:00:00+00:00");
        // In New York the time is local: 09:00 EST is 14:00 UTC; before it, November is not due yet.
        let ny = DigestSchedule { tz: "America/New_York".parse().unwrap(), ..DigestSchedule::default() };
        assert_eq!(post_due_at(&ny, "2026-12".parse().unwrap()).to_rfc3339(), "2026-12-01T14:00:00+00:00");
        let early = Utc.with_ymd_and_hms(2026, 12, 1, 13, 0, 0).unwrap();
        assert_eq!(post_due(&ny, early), None);
        assert_eq!(post_due(&ny, early + chrono::Duration::hours(1)).map(|m| m.to_string()), Some("2026-11".into()));
        // Saturday 1 May 2027: Monday 3 May.
        assert_eq!(post_due_at(&nine, "2027-05".parse().unwrap()).to_rfc3339(), "2027-05-03T09:00:00+00:00");
    }
}
