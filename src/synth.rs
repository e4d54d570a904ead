//! `pushback gen`: a realistic synthetic history, deterministic for a seed and end date.
//! Accounts follow a long-tailed plan/ARR mix; items come from every source over the window,
//! with volume that dips at weekends, topics that rise and fall, and texts from our own seed
//! corpus dressed as tickets, chats, reviews and churn notes.

use crate::classify::seed::SeedRow;
use crate::domain::{Account, AccountRef, ArrCents, Kind, NewFeedback, Source};
use crate::rng::Rng;
use chrono::{DateTime, Duration, Utc};

#[derive(Debug, Clone)]
pub struct GenParams {
    pub count: usize,
    pub seed: u64,
    /// The newest item's day; items spread over `days` before it.
    pub end: DateTime<Utc>,
    pub days: i64,
    /// Accounts to create (default: one per 40 items, at least 20).
    pub accounts: Option<usize>,
}

/// How a topic's volume moves over the window: weight multiplier by days before `end`.
#[derive(Debug, Clone)]
struct Trend {
    topic: &'static str,
    /// (from days ago, to days ago, multiplier)
    phases: &'static [(i64, i64, f64)],
}

/// The stories the synthetic data tells: checkout got slow in the last five weeks, search had
/// a bad month in spring, sync is quiet except one incident week.
const TRENDS: &[Trend] = &[
    Trend { topic: "checkout", phases: &[(0, 35, 4.0), (35, 60, 1.5)] },
    Trend { topic: "search", phases: &[(180, 210, 3.0)] },
    Trend { topic: "sync", phases: &[(60, 67, 6.0), (67, 365, 0.6), (0, 60, 0.6)] },
    Trend { topic: "login", phases: &[(14, 21, 3.0)] },
];

const PREFIXES: &[&str] = &[
    "Company", "Blue", "North", "Bright", "Iron", "Silver", "Green", "Rapid", "Summit", "Harbor", "Pixel", "Maple", "Quantum", "Cedar",
    "Atlas", "Nova", "Orbit", "Copper", "Lumen", "Vertex",
];
const SUFFIXES: &[&str] = &[
    "Labs",
    "Works",
    "Retail",
    "Health",
    "Logistics",
    "Foods",
    "Media",
    "Systems",
    "Outfitters",
    "Studio",
    "Partners",
    "Goods",
    "Analytics",
    "Travel",
    "Finance",
    "Supply",
    "Games",
    "Energy",
    "Clinic",
    "Apparel",
];
const GREETINGS: &[&str] = &["", "", "", "Hi team, ", "Hello, ", "Hey, ", "Hi support, ", "Good morning, "];
const SIGN_OFFS: &[&str] =
    &["", "", "", " Thanks.", " Thanks in advance!", " Please advise.", " This is urgent for us.", " Any update would help."];

pub fn accounts(params: &GenParams) -> Vec<Account> {
    let n = params.accounts.unwrap_or((params.count / 40).max(20));
    let mut rng = Rng::new(params.seed ^ 0xACC0);
    (0..n)
        .map(|i| {
            let roll = rng.unit();
            let (plan, arr_dollars) = if roll < 0.35 {
                ("starter", 600 + rng.below(4_400))
            } else if roll < 0.80 {
                ("pro", 8_000 + rng.below(52_000))
            } else if roll < 0.97 {
                ("business", 60_000 + rng.below(140_000))
            } else {
                ("enterprise", 250_000 + rng.below(1_250_000))
            };
            // Whole dollars a month, as a subscription bills: a churned account's ARR then equals
            // the ARR its Stripe cancellation says was lost (12 × the monthly price).
            let arr_dollars = arr_dollars / 12 * 12;
            let name = format!("{} {}", rng.pick(PREFIXES), rng.pick(SUFFIXES));
            Account {
                id: format!("acct-{i:05}"),
                name: Some(if i < 400 { name } else { format!("{name} {i}") }),
                plan: Some(plan.into()),
                arr_cents: Some(ArrCents(arr_dollars as i64 * 100)),
            }
        })
        .collect()
}

/// Generates `params.count` items, oldest first.
pub fn items(params: &GenParams, corpus: &[SeedRow], accounts: &[Account]) -> Vec<NewFeedback> {
    assert!(!corpus.is_empty() && !accounts.is_empty());
    let mut rng = Rng::new(params.seed);
    let families = trend_families(corpus);
    let churn: Vec<usize> = (0..corpus.len()).filter(|&i| corpus[i].kind == Kind::ChurnNote).collect();
    let cumulative = account_weights(accounts);
    let base: Vec<f64> = families.iter().map(|f| f.len() as f64).collect();
    let mut out = Vec::with_capacity(params.count);
    for n in 0..params.count {
        let (days_ago, when) = pick_time(&mut rng, params);
        let is_churn = !churn.is_empty() && rng.chance(0.06);
        let row_index = if is_churn {
            *rng.pick(&churn)
        } else {
            let family = pick_weighted(&mut rng, &trend_weights(&base, days_ago));
            if families[family].is_empty() { rng.below(corpus.len() as u64) as usize } else { *rng.pick(&families[family]) }
        };
        let row = &corpus[row_index];
        let r = rng.unit();
        let account = &accounts[cumulative.partition_point(|c| *c < r).min(accounts.len() - 1)];
        let kind = if is_churn { Kind::ChurnNote } else { row.kind };
        let source = pick_source(&mut rng, kind);
        let body = match kind {
            Kind::Ticket => format!("{}{}{}", rng.pick(GREETINGS), row.text, rng.pick(SIGN_OFFS)),
            _ => row.text.clone(),
        };
        let external_id = format!("{}-{}-{n}", source.as_str(), params.seed);
        out.push(NewFeedback {
            source,
            url: Some(link(source, &external_id)),
            external_id,
            kind,
            account: AccountRef { id: Some(account.id.clone()), name: account.name.clone() },
            subject: subject_for(&row.text, kind),
            body,
            tags: Vec::new(),
            created_at: when,
            updated_at: None,
            lost_arr_cents: (kind == Kind::ChurnNote).then(|| account.arr_cents.map_or(0, |a| a.0)),
            account_record: None,
            survey: None,
        });
    }
    out.sort_by_key(|i| i.created_at);
    out
}

/// Seed texts grouped by the trend keyword they mention; the last group mentions none.
fn trend_families(corpus: &[SeedRow]) -> Vec<Vec<usize>> {
    let family_of = |text: &str| -> Option<usize> {
        let lower = text.to_lowercase();
        TRENDS.iter().position(|t| lower.contains(t.topic))
    };
    let mut families: Vec<Vec<usize>> = vec![Vec::new(); TRENDS.len() + 1];
    for (i, row) in corpus.iter().enumerate() {
        families[family_of(&row.text).unwrap_or(TRENDS.len())].push(i);
    }
    families
}

/// Accounts file feedback roughly in proportion to size: cumulative weights.
fn account_weights(accounts: &[Account]) -> Vec<f64> {
    let weights: Vec<f64> = accounts.iter().enumerate().map(|(i, _)| 1.0 / (1.0 + i as f64 / 25.0)).collect();
    let total_w: f64 = weights.iter().sum();
    let mut cumulative = Vec::with_capacity(weights.len());
    let mut acc = 0.0;
    for w in &weights {
        acc += w / total_w;
        cumulative.push(acc);
    }
    cumulative
}

/// Day: uniform over the window, weekends thinner (resampled once).
fn pick_time(rng: &mut Rng, params: &GenParams) -> (i64, DateTime<Utc>) {
    let mut days_ago = rng.below(params.days as u64) as i64;
    let mut when = params.end - Duration::days(days_ago) - Duration::seconds(rng.below(86_400) as i64);
    if matches!(chrono::Datelike::weekday(&when), chrono::Weekday::Sat | chrono::Weekday::Sun) && rng.chance(0.5) {
        days_ago = rng.below(params.days as u64) as i64;
        when = params.end - Duration::days(days_ago) - Duration::seconds(rng.below(86_400) as i64);
    }
    (days_ago, when)
}

/// Each family's weight `days_ago`: its size times the phase of its trend then.
fn trend_weights(base: &[f64], days_ago: i64) -> Vec<f64> {
    base.iter()
        .enumerate()
        .map(|(f, b)| {
            let mult = TRENDS
                .get(f)
                .map_or(1.0, |t| t.phases.iter().find(|(from, to, _)| days_ago >= *from && days_ago < *to).map_or(1.0, |p| p.2));
            b * mult
        })
        .collect()
}

/// Churn notes come mostly from Stripe; tickets from the help desks, Zendesk most.
fn pick_source(rng: &mut Rng, kind: Kind) -> Source {
    if kind == Kind::ChurnNote && rng.chance(0.6) {
        Source::Stripe
    } else {
        *rng.pick(&[
            Source::Zendesk,
            Source::Zendesk,
            Source::Zendesk,
            Source::Intercom,
            Source::Intercom,
            Source::Helpscout,
            Source::Freshdesk,
            Source::Generic,
        ])
    }
}

fn pick_weighted(rng: &mut Rng, weights: &[f64]) -> usize {
    let total: f64 = weights.iter().sum();
    let mut x = rng.unit() * total;
    for (i, w) in weights.iter().enumerate() {
        if x < *w {
            return i;
        }
        x -= w;
    }
    weights.len() - 1
}

fn subject_for(text: &str, kind: Kind) -> String {
    match kind {
        Kind::ChurnNote => "Cancellation".into(),
        Kind::Review => String::new(),
        _ => {
            let first = text.split(['.', '!', '?', '\n']).next().unwrap_or(text);
            crate::text::truncate_chars(first.trim(), 60)
        }
    }
}

fn link(source: Source, id: &str) -> String {
    match source {
        Source::Zendesk => format!("https://example.zendesk.com/agent/tickets/{id}"),
        Source::Intercom => {
            format!("https://app.intercom.com/a/apps/example/inbox/inbox/conversation/{id}")
        }
        Source::Helpscout => format!("https://secure.helpscout.net/conversation/{id}"),
        Source::Stripe => format!("https://dashboard.stripe.com/subscriptions/{id}"),
        Source::Freshdesk => format!("https://example.freshdesk.com/a/tickets/{id}"),
        Source::Generic | Source::Typeform | Source::Csv => format!("https://support.example.com/{id}"),
    }
}

/// One item as a line of our generic webhook format (for `gen --out` and the import bench).
pub fn generic_json(item: &NewFeedback, account: Option<&Account>) -> serde_json::Value {
    let mut v = serde_json::json!({
        "id": item.external_id,
        "kind": item.kind,
        "subject": item.subject,
        "body": item.body,
        "created_at": item.created_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "url": item.url,
    });
    if let Some(a) = account {
        v["account"] = serde_json::json!({"id": a.id, "name": a.name, "plan": a.plan, "arr_cents": a.arr_cents});
    }
    if let Some(survey) = item.survey {
        v["survey"] = serde_json::json!({"type": survey.survey_type.as_str(), "score": survey.score});
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn corpus() -> Vec<SeedRow> {
        let row = |t: &str, k: Kind| SeedRow { text: t.into(), performance: false, reliability: false, kind: k, product: "x".into() };
        vec![
            row("checkout is slow", Kind::Ticket),
            row("search broke", Kind::Review),
            row("too expensive, leaving", Kind::ChurnNote),
            row("love it", Kind::Review),
        ]
    }

    #[test]
    fn same_seed_same_history_and_checkout_rises_recently() {
        let params =
            GenParams { count: 3000, seed: 9, end: Utc.with_ymd_and_hms(2026, 11, 16, 0, 0, 0).unwrap(), days: 365, accounts: None };
        let accts = accounts(&params);
        let a = items(&params, &corpus(), &accts);
        let b = items(&params, &corpus(), &accts);
        assert_eq!(a, b);
        assert_eq!(a.len(), 3000);
        let checkout_in = |from: i64, to: i64| {
            a.iter()
                .filter(|i| i.body.contains("checkout"))
                .filter(|i| {
                    let d = (params.end - i.created_at).num_days();
                    d >= from && d < to
                })
                .count()
        };
        assert!(checkout_in(0, 35) > 2 * checkout_in(100, 135), "{} vs {}", checkout_in(0, 35), checkout_in(100, 135));
        assert!(a.iter().any(|i| i.source == Source::Stripe && i.lost_arr_cents.is_some()));
        assert!(a.iter().all(|i| i.created_at <= params.end));
    }
}
