//! When the weekly digest is due: ISO weeks (`2026-W47`) and the configured weekday, time and
//! IANA time zone. Pure: the clock is always a parameter.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use std::fmt;
use std::str::FromStr;

/// An ISO 8601 week, the unit the digest is posted once per.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IsoWeek {
    pub year: i32,
    pub week: u32,
}

impl IsoWeek {
    pub fn of(date: NaiveDate) -> Self {
        let w = date.iso_week();
        Self { year: w.year(), week: w.week() }
    }

    /// The given weekday of this week.
    pub fn day(self, weekday: Weekday) -> NaiveDate {
        NaiveDate::from_isoywd_opt(self.year, self.week, weekday).expect("IsoWeek holds only valid weeks")
    }

    pub fn previous(self) -> Self {
        Self::of(self.day(Weekday::Mon) - Duration::days(7))
    }
}

impl fmt::Display for IsoWeek {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-W{:02}", self.year, self.week)
    }
}

impl FromStr for IsoWeek {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("'{s}' is not an ISO week like 2026-W47");
        let (year, week) = s.trim().split_once(['W', 'w']).ok_or_else(bad)?;
        let year: i32 = year.trim_end_matches('-').parse().map_err(|_| bad())?;
        let week: u32 = week.parse().map_err(|_| bad())?;
        NaiveDate::from_isoywd_opt(year, week, Weekday::Mon).ok_or_else(|| format!("{year} has no week {week}"))?;
        Ok(Self { year, week })
    }
}

/// The weekly slot: a weekday and local time in a time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DigestSchedule {
    pub weekday: Weekday,
    pub time: NaiveTime,
    pub tz: Tz,
}

impl Default for DigestSchedule {
    fn default() -> Self {
        Self { weekday: Weekday::Mon, time: NaiveTime::from_hms_opt(9, 0, 0).expect("valid time"), tz: Tz::UTC }
    }
}

impl DigestSchedule {
    pub fn parse(weekday: &str, time: &str, tz: &str) -> anyhow::Result<Self> {
        let weekday: Weekday = weekday.trim().parse().map_err(|_| {
            anyhow::anyhow!("slack.digest_weekday '{weekday}' is not a weekday (monday ... sunday); set PUSHBACK_SLACK__DIGEST_WEEKDAY")
        })?;
        let time = NaiveTime::parse_from_str(time.trim(), "%H:%M")
            .map_err(|_| anyhow::anyhow!("slack.digest_time '{time}' is not HH:MM; set PUSHBACK_SLACK__DIGEST_TIME"))?;
        let tz: Tz = tz.trim().parse().map_err(|_| {
            anyhow::anyhow!("slack.digest_timezone '{tz}' is not an IANA time zone like Europe/Berlin; set PUSHBACK_SLACK__DIGEST_TIMEZONE")
        })?;
        Ok(Self { weekday, time, tz })
    }

    /// The week `now` falls in, in the schedule's time zone.
    pub fn week_of(&self, now: DateTime<Utc>) -> IsoWeek {
        IsoWeek::of(now.with_timezone(&self.tz).date_naive())
    }

    /// The instant the digest of `week` is due. A local time skipped by a DST change moves
    /// forward by an hour; a repeated one takes its first occurrence.
    pub fn due_at(&self, week: IsoWeek) -> DateTime<Utc> {
        let local = week.day(self.weekday).and_time(self.time);
        (0..3)
            .find_map(|h| self.tz.from_local_datetime(&(local + Duration::hours(h))).earliest())
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(|| Utc.from_utc_datetime(&local))
    }

    /// This week, if its digest time has passed.
    pub fn due_week(&self, now: DateTime<Utc>) -> Option<IsoWeek> {
        let week = self.week_of(now);
        (now >= self.due_at(week)).then_some(week)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn iso_weeks_parse_print_and_cross_years() {
        let w: IsoWeek = "2026-W47".parse().unwrap();
        assert_eq!(w.to_string(), "2026-W47");
        assert_eq!(w.day(Weekday::Mon), NaiveDate::from_ymd_opt(2026, 11, 16).unwrap());
        assert_eq!(IsoWeek::of(NaiveDate::from_ymd_opt(2027, 1, 1).unwrap()).to_string(), "2026-W53");
        assert_eq!("2027-W01".parse::<IsoWeek>().unwrap().previous().to_string(), "2026-W53");
        assert!("2025-W53".parse::<IsoWeek>().is_err());
        assert!("next week".parse::<IsoWeek>().is_err());
    }

    #[test]
    fn the_digest_is_due_from_the_scheduled_time_until_the_week_ends() {
        let s = DigestSchedule::default();
        assert_eq!(s.due_week(at("2026-11-16T08:59:59Z")), None);
        assert_eq!(s.due_week(at("2026-11-16T09:00:00Z")).unwrap().to_string(), "2026-W47");
        // All replicas down at 09:00: still due later that week.
        assert_eq!(s.due_week(at("2026-11-22T23:59:00Z")).unwrap().to_string(), "2026-W47");
        assert_eq!(s.due_week(at("2026-11-23T00:00:00Z")), None);
    }

    #[test]
    fn time_zones_and_dst_gaps_are_respected() {
        let berlin = DigestSchedule::parse("monday", "09:00", "Europe/Berlin").unwrap();
        assert_eq!(berlin.due_at("2026-W47".parse().unwrap()), at("2026-11-16T08:00:00Z"));
        // 2026-03-29 02:30 does not exist in Berlin: an hour later instead.
        let gap = DigestSchedule::parse("sunday", "02:30", "Europe/Berlin").unwrap();
        assert_eq!(gap.due_at("2026-W13".parse().unwrap()), at("2026-03-29T01:30:00Z"));
        assert!(DigestSchedule::parse("funday", "09:00", "UTC").is_err());
        assert!(DigestSchedule::parse("monday", "9am", "UTC").is_err());
        assert!(DigestSchedule::parse("monday", "09:00", "Mars/Olympus").is_err());
    }
}
