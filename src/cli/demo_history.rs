//! The demo's history in each vendor's own shape, so every item goes in under its vendor's
//! source with a vendor-style id (`zendesk #61`, never `generic zendesk-7-61`): Zendesk ticket
//! objects for the fake Zendesk API, webhook payloads (also the importer's JSON lines) for
//! Intercom, Help Scout, Freshdesk and Stripe, our format for generic items.

use crate::domain::{Account, Kind, NewFeedback, Source};
use crate::synth::generic_json;
use serde_json::{Value, json};

pub use super::fake_zendesk::{SUBDOMAIN, number, organizations, zendesk_ticket};

/// Where an item comes from in the demo: cancellations come from Stripe whatever desk the
/// generator picked, as in real life.
pub fn demo_source(item: &NewFeedback) -> Source {
    if item.kind == Kind::ChurnNote { Source::Stripe } else { item.source }
}

fn unix(item: &NewFeedback) -> i64 {
    item.created_at.timestamp()
}

fn rfc3339(item: &NewFeedback) -> String {
    item.created_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// The webhook payload `item` arrives as from its vendor (also a line for `pushback import --source <vendor>`).
pub fn payload(item: &NewFeedback, account: Option<&Account>) -> (Source, Value) {
    let n = number(item);
    let account_id = item.account.id.clone();
    let body = match demo_source(item) {
        Source::Zendesk => json!({
            "type": "zen:event-type:ticket.created", "id": format!("evt-{n}"), "time": rfc3339(item),
            "detail": {"id": n, "subject": item.subject, "description": item.body, "organization_id": account_id,
                       "created_at": rfc3339(item), "updated_at": rfc3339(item), "tags": []}}),
        Source::Intercom => json!({
            "type": "notification_event", "topic": "conversation.user.created", "app_id": SUBDOMAIN,
            "data": {"item": {"type": "conversation", "id": n.to_string(), "created_at": unix(item), "updated_at": unix(item),
                "source": {"subject": item.subject, "body": item.body},
                "company": {"company_id": account_id, "name": account.and_then(|a| a.name.clone())}}}}),
        Source::Helpscout => json!({
            "id": n, "number": 10_000 + n, "subject": item.subject, "createdAt": rfc3339(item), "userUpdatedAt": rfc3339(item),
            "primaryCustomer": {"company": account_id},
            "_embedded": {"threads": [{"type": "customer", "body": item.body}]}}),
        Source::Freshdesk => json!({
            "id": n, "subject": item.subject, "description": item.body, "company_id": account_id,
            "created_at": rfc3339(item), "updated_at": rfc3339(item), "url": format!("https://{SUBDOMAIN}.freshdesk.com/a/tickets/{n}")}),
        Source::Stripe => {
            let monthly = account.and_then(|a| a.arr_cents).map_or(0, |a| a.0 / 12);
            let sub = format!("sub_demo{n}");
            json!({
                "id": format!("evt_demo{n}"), "type": "customer.subscription.deleted", "created": unix(item),
                "data": {"object": {"id": sub, "customer": format!("cus_demo{n}"), "canceled_at": unix(item),
                    "metadata": {"account_id": account_id},
                    "cancellation_details": {"comment": item.body, "feedback": "other", "reason": "cancellation_requested"},
                    "items": {"data": [{"quantity": 1, "price": {"unit_amount": monthly, "recurring": {"interval": "month"}}}]}}}})
        }
        Source::Generic | Source::Typeform | Source::Csv => generic_json(item, account),
    };
    (demo_source(item), body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::sources::{ParseContext, Parsed, parse};

    #[test]
    fn every_vendor_payload_parses_under_its_own_source_with_a_vendor_id() {
        let params = crate::synth::GenParams { count: 300, seed: 7, end: chrono::Utc::now(), days: 30, accounts: Some(10) };
        let accounts = crate::synth::accounts(&params);
        let items = crate::synth::items(&params, &crate::classify::seed::corpus_rows(), &accounts);
        let mut headers = http::HeaderMap::new();
        headers.insert("x-helpscout-event", "convo.created".parse().unwrap());
        let mut seen = std::collections::HashSet::new();
        for item in &items {
            let (source, body) = payload(item, accounts.iter().find(|a| Some(&a.id) == item.account.id.as_ref()));
            let Ok(Parsed::Items(parsed)) = parse(source, &headers, body.to_string().as_bytes(), &ParseContext::now()) else {
                panic!("{source}: {body}");
            };
            assert_eq!(parsed[0].source, source);
            assert_eq!(parsed[0].account.id, item.account.id, "{source}");
            if source != Source::Generic {
                assert!(!parsed[0].external_id.contains(source.as_str()), "{}", parsed[0].external_id);
            }
            seen.insert(source);
        }
        assert_eq!(seen.len(), 6, "{seen:?}");
    }
}
