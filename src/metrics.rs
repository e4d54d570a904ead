//! Prometheus text metrics without a metrics framework: counters of requests and ingested
//! items by source and outcome, and a latency histogram per route.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Duration;

const BUCKETS: [f64; 12] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0];

#[derive(Default, Debug)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

#[derive(Default, Debug)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, u16), u64>>,
    items: Mutex<BTreeMap<(String, String), u64>>,
    latency: Mutex<BTreeMap<String, Histogram>>,
}

impl Metrics {
    /// One HTTP request on `route` (e.g. `webhooks/zendesk`, `healthz`) answered `status`.
    pub fn request(&self, route: &str, status: u16, elapsed: Duration) {
        if let Ok(mut map) = self.requests.lock() {
            *map.entry((route.to_string(), status)).or_insert(0) += 1;
        }
        if let Ok(mut map) = self.latency.lock() {
            let h = map.entry(route.to_string()).or_default();
            let secs = elapsed.as_secs_f64();
            for (i, bound) in BUCKETS.iter().enumerate() {
                if secs <= *bound {
                    h.counts[i] += 1;
                }
            }
            h.count += 1;
            h.sum += secs;
        }
    }

    /// `n` items from `source` ended as `outcome` (inserted, updated, unchanged, rejected, ignored).
    pub fn items(&self, source: &str, outcome: &str, n: u64) {
        if let Ok(mut map) = self.items.lock() {
            *map.entry((source.to_string(), outcome.to_string())).or_insert(0) += n;
        }
    }

    pub fn render(&self) -> String {
        let mut out = String::new();
        out.push_str(
            "# HELP pushback_http_requests_total HTTP requests by route and status.\n# TYPE pushback_http_requests_total counter\n",
        );
        if let Ok(map) = self.requests.lock() {
            for ((route, status), n) in map.iter() {
                let _ = writeln!(out, "pushback_http_requests_total{{route=\"{route}\",status=\"{status}\"}} {n}");
            }
        }
        out.push_str(
            "# HELP pushback_ingested_items_total Feedback items by source and outcome.\n# TYPE pushback_ingested_items_total counter\n",
        );
        if let Ok(map) = self.items.lock() {
            for ((source, outcome), n) in map.iter() {
                let _ = writeln!(out, "pushback_ingested_items_total{{source=\"{source}\",outcome=\"{outcome}\"}} {n}");
            }
        }
        out.push_str("# HELP pushback_http_request_duration_seconds Request latency by route.\n# TYPE pushback_http_request_duration_seconds histogram\n");
        if let Ok(map) = self.latency.lock() {
            for (route, h) in map.iter() {
                for (i, bound) in BUCKETS.iter().enumerate() {
                    let _ =
                        writeln!(out, "pushback_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {}", h.counts[i]);
                }
                let _ = writeln!(out, "pushback_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}", h.count);
                let _ = writeln!(out, "pushback_http_request_duration_seconds_sum{{route=\"{route}\"}} {}", h.sum);
                let _ = writeln!(out, "pushback_http_request_duration_seconds_count{{route=\"{route}\"}} {}", h.count);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counters_and_cumulative_buckets() {
        let m = Metrics::default();
        m.request("webhooks/generic", 202, Duration::from_millis(3));
        m.request("webhooks/generic", 401, Duration::from_millis(30));
        m.items("generic", "inserted", 2);
        let text = m.render();
        assert!(text.contains("pushback_http_requests_total{route=\"webhooks/generic\",status=\"202\"} 1"));
        assert!(text.contains("pushback_ingested_items_total{source=\"generic\",outcome=\"inserted\"} 2"));
        assert!(text.contains("le=\"0.005\"} 1"));
        assert!(text.contains("le=\"0.05\"} 2"));
        assert!(text.contains("_count{route=\"webhooks/generic\"} 2"));
    }
}
