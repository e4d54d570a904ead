//! The instant churn alert: a churn note tagged performance or reliability goes to the owners
//! of its topics (else the fallback channel) at once. The outbox row is queued in the item's
//! own write transaction and keyed by item and channel, so a crash after the 2xx cannot lose
//! it and a redelivered or edited webhook, or a second replica, cannot post it twice. The row
//! names the item; Slack renders the alert from what is stored when it delivers it.

use super::owners::Owners;
use crate::classify::rules::Rules;
use crate::domain::{Kind, Source, StoredItem};
use crate::store::NewOutboxMessage;
use serde::{Deserialize, Serialize};

/// A topic as the alert shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopicRef {
    pub slug: String,
    pub title: String,
}

/// What a churn alert's outbox row carries (`{"churn_alert": {...}}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChurnAlert {
    pub source: Source,
    pub external_id: String,
    pub topics: Vec<TopicRef>,
}

#[derive(Serialize)]
struct Payload<'a> {
    churn_alert: &'a ChurnAlert,
}

/// A churn note about speed or breakage: the feedback that cannot wait. "Too expensive" is not.
pub fn is_urgent(item: &StoredItem) -> bool {
    let c = &item.classification;
    item.item.kind == Kind::ChurnNote && (c.performance || c.reliability)
}

/// The outbox key of `item`'s alert to `channel`: one alert per item and channel, ever.
pub fn dedupe_key(source: Source, external_id: &str, channel: &str) -> String {
    format!("churn:{source}:{external_id}:{}", channel.trim().trim_start_matches('#').to_ascii_lowercase())
}

/// One outbox row per owner channel for each urgent item of `items`.
pub fn churn_rows(items: &[StoredItem], rules: &Rules, owners: &Owners) -> Vec<NewOutboxMessage> {
    let mut out = Vec::new();
    for item in items.iter().filter(|i| is_urgent(i)) {
        let topics = &item.classification.topics;
        let alert = ChurnAlert {
            source: item.item.source,
            external_id: item.item.external_id.clone(),
            topics: topics
                .iter()
                .map(|slug| TopicRef { slug: slug.clone(), title: rules.topic(slug).map_or_else(|| slug.clone(), |t| t.title.clone()) })
                .collect(),
        };
        let payload = serde_json::to_string(&Payload { churn_alert: &alert }).expect("an alert serialises");
        for channel in owners.channels_for(topics) {
            out.push(NewOutboxMessage {
                dedupe_key: dedupe_key(alert.source, &alert.external_id, &channel),
                channel,
                payload: payload.clone(),
                thread_of: None,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{AccountRef, Classification, NewFeedback};

    fn churn(kind: Kind, performance: bool, topics: &[&str]) -> StoredItem {
        StoredItem {
            item: NewFeedback {
                source: Source::Stripe,
                external_id: "sub_1".into(),
                kind,
                account: AccountRef { id: Some("cus_1".into()), name: None },
                subject: String::new(),
                body: "checkout was too slow".into(),
                tags: vec![],
                url: None,
                created_at: chrono::Utc::now(),
                updated_at: None,
                lost_arr_cents: Some(120_000),
                account_record: None,
                survey: None,
            },
            classification: Classification {
                performance,
                topics: topics.iter().map(|t| t.to_string()).collect(),
                ..Classification::default()
            },
        }
    }

    #[test]
    fn only_churn_notes_about_speed_or_breakage_alert_their_owners() {
        let rules = Rules::parse(
            "[[topic]]\nslug = \"checkout-slow\"\ntitle = \"Checkout is slow\"\npatterns = ['checkout']\nchannel = \"#team-payments\"\n",
            "t",
        )
        .unwrap();
        let owners = Owners::new(&rules, &[], Some("C0FALLBACK"));
        let rows = churn_rows(&[churn(Kind::ChurnNote, true, &["checkout-slow"])], &rules, &owners);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].channel, "#team-payments");
        assert_eq!(rows[0].dedupe_key, "churn:stripe:sub_1:team-payments");
        assert!(rows[0].payload.contains("\"title\":\"Checkout is slow\""), "{}", rows[0].payload);
        // No owned topic: the fallback. Not urgent (too expensive) or not a churn note: no one.
        assert_eq!(churn_rows(&[churn(Kind::ChurnNote, true, &[])], &rules, &owners)[0].channel, "C0FALLBACK");
        assert!(churn_rows(&[churn(Kind::ChurnNote, false, &["checkout-slow"])], &rules, &owners).is_empty());
        assert!(churn_rows(&[churn(Kind::Ticket, true, &["checkout-slow"])], &rules, &owners).is_empty());
    }
}
