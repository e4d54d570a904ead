//! A week's digest slot: the 7 days it covers and who claims it. The slot's calendar
//! (weekday, time, zone, ISO weeks) is `domain::DigestSchedule`; the claim itself is the
//! `digests` row (`Store::claim_digest`).

use crate::domain::{DigestSchedule, IsoWeek};
use chrono::{DateTime, Duration, Utc};

/// Who claimed a digest, for the `digests` row.
pub fn replica_name() -> String {
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "pushback".into());
    format!("{host}:{}", std::process::id())
}

/// The 7 days the digest of `week` covers: up to its scheduled time (or now, when previewed
/// before then).
pub fn window(schedule: &DigestSchedule, week: IsoWeek, now: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
    let due = schedule.due_at(week);
    let to = due.min(now);
    (to - Duration::days(7), to)
}
