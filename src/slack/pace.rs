//! Pacing chat.postMessage as Slack documents it: "generally 1 message per second to a specific
//! channel", "generous burst behavior", and a workspace limit of several hundred messages per
//! minute. slack-morphism's own throttle keys that 1/s per team instead of per channel (1 post
//! a second across every channel: alerts to five teams wait on each other), so it is off and
//! this paces each channel on its own. Each replica paces itself; a 429 beyond that is retried
//! after its Retry-After by the outbox.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A channel's sustained rate (messages per second) and its burst.
const CHANNEL_RATE: f64 = 1.0;
const CHANNEL_BURST: f64 = 5.0;
/// The workspace's: 300 a minute.
const WORKSPACE_RATE: f64 = 5.0;
const WORKSPACE_BURST: f64 = 50.0;

/// A token bucket: `tokens` left at `at` (negative: sends already promised for later).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl Bucket {
    fn full(burst: f64, now: Instant) -> Self {
        Self { tokens: burst, at: now }
    }

    /// Takes one send at `now`: how long the caller waits before it may go.
    fn take(&mut self, now: Instant, rate: f64, burst: f64) -> Duration {
        let refilled = (self.tokens + now.saturating_duration_since(self.at).as_secs_f64() * rate).min(burst);
        self.tokens = refilled - 1.0;
        self.at = now;
        if self.tokens >= 0.0 { Duration::ZERO } else { Duration::from_secs_f64(-self.tokens / rate) }
    }
}

#[derive(Debug, Default)]
pub struct Pacer {
    state: Mutex<(Option<Bucket>, HashMap<String, Bucket>)>,
}

impl Pacer {
    /// How long a post to `channel` at `now` waits: the longer of its channel's and the workspace's.
    pub fn delay(&self, channel: &str, now: Instant) -> Duration {
        let key = channel.trim().trim_start_matches('#').to_ascii_lowercase();
        let mut guard = self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let (workspace, channels) = &mut *guard;
        let ws = workspace.get_or_insert_with(|| Bucket::full(WORKSPACE_BURST, now)).take(now, WORKSPACE_RATE, WORKSPACE_BURST);
        let ch = channels.entry(key).or_insert_with(|| Bucket::full(CHANNEL_BURST, now)).take(now, CHANNEL_RATE, CHANNEL_BURST);
        // Forget channels idle long enough to be full again.
        if channels.len() > 1000 {
            channels.retain(|_, b| now.saturating_duration_since(b.at).as_secs_f64() < CHANNEL_BURST / CHANNEL_RATE);
        }
        ws.max(ch)
    }

    /// Waits until a post to `channel` may go.
    pub async fn wait(&self, channel: &str) {
        let delay = self.delay(channel, Instant::now());
        if !delay.is_zero() {
            tokio::time::sleep(delay).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_channel_gets_a_burst_then_one_a_second_and_channels_do_not_wait_on_each_other() {
        let pacer = Pacer::default();
        let t0 = Instant::now();
        let waits: Vec<Duration> = (0..7).map(|_| pacer.delay("#team-payments", t0)).collect();
        assert_eq!(&waits[..5], &[Duration::ZERO; 5], "a burst of five goes at once");
        assert_eq!(waits[5], Duration::from_secs(1));
        assert_eq!(waits[6], Duration::from_secs(2));
        // Another channel is not held up by the first one's queue; the same one written another way is.
        assert_eq!(pacer.delay("C0SEARCH", t0), Duration::ZERO);
        assert_eq!(pacer.delay("Team-Payments", t0), Duration::from_secs(3));
        // Ten seconds later the bucket is full again (five), not ten deep.
        let later = t0 + Duration::from_secs(10);
        assert_eq!((0..5).map(|_| pacer.delay("#team-payments", later)).max(), Some(Duration::ZERO));
        assert_eq!(pacer.delay("#team-payments", later), Duration::from_secs(1));
    }

    #[test]
    fn the_workspace_allows_three_hundred_a_minute_across_channels() {
        let pacer = Pacer::default();
        let t0 = Instant::now();
        let waits: Vec<Duration> = (0..51).map(|i| pacer.delay(&format!("C{i}"), t0)).collect();
        assert!(waits[..50].iter().all(Duration::is_zero));
        assert_eq!(waits[50], Duration::from_millis(200));
    }
}
