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

/// Generates `params.count` items, oldest first, all at once (small histories: tests, demos).
pub fn items(params: &GenParams, corpus: &[SeedRow], accounts: &[Account]) -> Vec<NewFeedback> {
    history(params, corpus, accounts).collect()
}

/// Generates `params.count` items, oldest first, as a stream: the same items in the same order
/// as `items`, holding a few compact draws at a time instead of the whole history.
pub fn history<'a>(params: &'a GenParams, corpus: &'a [SeedRow], accounts: &'a [Account]) -> History<'a> {
    assert!(!corpus.is_empty() && !accounts.is_empty());
    History::new(params, corpus, accounts, SLICE_ITEMS)
}

/// Items a `History` sorts at a time (each a 32-byte `Draw`: 16 MB).
const SLICE_ITEMS: usize = 500_000;

/// One item's random choices, drawn in the order the generator has always drawn them.
#[derive(Debug, Clone, Copy)]
struct Draw {
    n: u32,
    when: DateTime<Utc>,
    row: u32,
    account: u32,
    kind: Kind,
    source: Source,
    greeting: u8,
    sign_off: u8,
}

/// The random draws of a history, item after item in generation order (not time order).
struct Drawer<'a> {
    rng: Rng,
    params: &'a GenParams,
    corpus: &'a [SeedRow],
    families: Vec<Vec<usize>>,
    churn: Vec<usize>,
    cumulative: Vec<f64>,
    base: Vec<f64>,
    accounts: usize,
}

impl<'a> Drawer<'a> {
    fn new(params: &'a GenParams, corpus: &'a [SeedRow], accounts: &[Account]) -> Self {
        let families = trend_families(corpus);
        let base = families.iter().map(|f| f.len() as f64).collect();
        Drawer {
            rng: Rng::new(params.seed),
            params,
            corpus,
            churn: (0..corpus.len()).filter(|&i| corpus[i].kind == Kind::ChurnNote).collect(),
            cumulative: account_weights(accounts),
            families,
            base,
            accounts: accounts.len(),
        }
    }

    fn draw(&mut self, n: usize) -> Draw {
        let rng = &mut self.rng;
        let (days_ago, when) = pick_time(rng, self.params);
        let is_churn = !self.churn.is_empty() && rng.chance(0.06);
        let row = if is_churn {
            *rng.pick(&self.churn)
        } else {
            let family = &self.families[pick_weighted(rng, &trend_weights(&self.base, days_ago))];
            if family.is_empty() { rng.below(self.corpus.len() as u64) as usize } else { *rng.pick(family) }
        };
        let r = rng.unit();
        let account = self.cumulative.partition_point(|c| *c < r).min(self.accounts - 1);
        let kind = if is_churn { Kind::ChurnNote } else { self.corpus[row].kind };
        let source = pick_source(rng, kind);
        let (greeting, sign_off) = match kind {
            Kind::Ticket => (rng.below(GREETINGS.len() as u64) as u8, rng.below(SIGN_OFFS.len() as u64) as u8),
            _ => (0, 0),
        };
        Draw { n: n as u32, when, row: row as u32, account: account as u32, kind, source, greeting, sign_off }
    }
}

/// A generated history as an iterator, oldest first. Items are drawn in generation order but
/// stored in time order, so it cuts the window into time slices of about `SLICE_ITEMS` items and
/// for each slice replays every draw (cheap: no text is built), keeps the slice's draws, sorts
/// them by time (ties in generation order) and only then builds their items.
pub struct History<'a> {
    params: &'a GenParams,
    corpus: &'a [SeedRow],
    accounts: &'a [Account],
    slices: usize,
    next_slice: usize,
    pending: std::vec::IntoIter<Draw>,
    left: usize,
}

impl<'a> History<'a> {
    fn new(params: &'a GenParams, corpus: &'a [SeedRow], accounts: &'a [Account], slice_items: usize) -> Self {
        let slices = params.count.div_ceil(slice_items.max(1)).max(1);
        History { params, corpus, accounts, slices, next_slice: 0, pending: Vec::new().into_iter(), left: params.count }
    }

    /// Which time slice an item created at `when` falls in: the window (`days` before `end`,
    /// to the second) cut into `slices` equal spans.
    fn slice_of(&self, when: DateTime<Utc>) -> usize {
        let span = self.params.days.max(1) * 86_400 + 1;
        let from = self.params.end.timestamp() - span + 1;
        let at = i128::from(when.timestamp() - from).clamp(0, i128::from(span) - 1);
        (at * self.slices as i128 / i128::from(span)) as usize
    }

    fn slice(&self, k: usize) -> Vec<Draw> {
        let mut drawer = Drawer::new(self.params, self.corpus, self.accounts);
        let mut out: Vec<Draw> = (0..self.params.count).map(|n| drawer.draw(n)).filter(|d| self.slice_of(d.when) == k).collect();
        out.sort_by_key(|d| (d.when, d.n));
        out
    }

    fn item(&self, d: Draw) -> NewFeedback {
        let row = &self.corpus[d.row as usize];
        let account = &self.accounts[d.account as usize];
        let body = match d.kind {
            Kind::Ticket => format!("{}{}{}", GREETINGS[d.greeting as usize], row.text, SIGN_OFFS[d.sign_off as usize]),
            _ => row.text.clone(),
        };
        let external_id = format!("{}-{}-{}", d.source.as_str(), self.params.seed, d.n);
        NewFeedback {
            source: d.source,
            url: Some(link(d.source, &external_id)),
            external_id,
            kind: d.kind,
            account: AccountRef { id: Some(account.id.clone()), name: account.name.clone() },
            subject: subject_for(&row.text, d.kind),
            body,
            tags: Vec::new(),
            created_at: d.when,
            updated_at: None,
            lost_arr_cents: (d.kind == Kind::ChurnNote).then(|| account.arr_cents.map_or(0, |a| a.0)),
            account_record: None,
            survey: None,
        }
    }
}

impl Iterator for History<'_> {
    type Item = NewFeedback;

    fn next(&mut self) -> Option<NewFeedback> {
        loop {
            if let Some(d) = self.pending.next() {
                self.left -= 1;
                return Some(self.item(d));
            }
            if self.next_slice >= self.slices {
                return None;
            }
            self.pending = self.slice(self.next_slice).into_iter();
            self.next_slice += 1;
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl ExactSizeIterator for History<'_> {}

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

    /// The history as one stream cut into many time slices equals the history sorted at once.
    #[test]
    fn a_history_streamed_in_slices_is_the_history_sorted_at_once() {
        let params = GenParams { count: 3000, seed: 4, end: Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap(), days: 40, accounts: None };
        let (rows, accts) = (corpus(), accounts(&params));
        let sliced: Vec<NewFeedback> = History::new(&params, &rows, &accts, 350).collect();
        assert_eq!(History::new(&params, &rows, &accts, 350).slices, 9);
        let whole: Vec<NewFeedback> = History::new(&params, &rows, &accts, usize::MAX).collect();
        assert_eq!(sliced.len(), 3000);
        assert!(sliced.windows(2).all(|w| w[0].created_at <= w[1].created_at));
        assert_eq!(sliced, whole);
    }

    /// What `gen` made before it streamed, to the byte: a digest of seed 9's 3,000 items.
    #[test]
    fn the_history_of_a_seed_is_the_one_gen_has_always_made() {
        use sha2::Digest;
        let params =
            GenParams { count: 3000, seed: 9, end: Utc.with_ymd_and_hms(2026, 11, 16, 0, 0, 0).unwrap(), days: 365, accounts: None };
        let accts = accounts(&params);
        let mut hash = sha2::Sha256::new();
        for item in history(&params, &corpus(), &accts) {
            let account = accts.iter().find(|a| item.account.id.as_deref() == Some(a.id.as_str()));
            hash.update(format!("{} {:?} {}", item.source.as_str(), item.lost_arr_cents, generic_json(&item, account)));
            hash.update(b"\n");
        }
        let hex: String = hash.finalize().iter().map(|b| format!("{b:02x}")).collect();
        // Computed by the code before `History` (one Vec, sorted at the end), checked equal to it.
        assert_eq!(hex, "2414c17e760189e4d0894fe0d7252fcb5b8d0b3128adb57247220534dc80fda3");
    }
}
