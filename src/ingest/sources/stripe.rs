//! Stripe: `customer.subscription.deleted` becomes a churn note carrying the customer's
//! cancellation comment and feedback, the customer as account, and the ARR the subscription
//! brought in. The subscription id is the external id. Other event types are ignored.

use super::{ParseContext, Parsed, require_text, text_at, time_at};
use crate::domain::{AccountRef, FieldError, Kind, NewFeedback, Source};
use serde_json::Value;

pub fn parse(json: &Value, ctx: &ParseContext) -> Result<Parsed, FieldError> {
    let event_type = json.get("type").and_then(Value::as_str).ok_or_else(|| FieldError::new("type", "is required (a Stripe event)"))?;
    if event_type != "customer.subscription.deleted" {
        return Ok(Parsed::Ignored(format!("stripe event {event_type} is not a cancellation")));
    }
    let sub =
        json.get("data").and_then(|d| d.get("object")).ok_or_else(|| FieldError::new("data.object", "is required (the subscription)"))?;
    let id = require_text(sub, &["id"]).map_err(|e| FieldError::new("data.object.id", e.message))?;
    let details = sub.get("cancellation_details");
    let comment = details.and_then(|d| text_at(d, &["comment"]));
    let feedback = details.and_then(|d| text_at(d, &["feedback"]));
    let reason = details.and_then(|d| text_at(d, &["reason"]));
    if comment.is_none() && feedback.is_none() && reason.as_deref() != Some("cancellation_requested") {
        return Ok(Parsed::Ignored("cancellation without customer feedback (payment failure or dispute)".into()));
    }
    let feedback_words = feedback.as_deref().map(|f| f.replace('_', " "));
    let body = match (&comment, &feedback_words) {
        (Some(c), _) => c.clone(),
        (None, Some(f)) => format!("Cancelled: {f}"),
        (None, None) => "Cancelled at the customer's request (no comment given)".to_string(),
    };
    let subject = match &feedback_words {
        Some(f) => format!("Cancellation: {f}"),
        None => "Cancellation".to_string(),
    };
    let customer = text_at(sub, &["customer"]).or_else(|| text_at(sub, &["customer", "id"]));
    let account_id = text_at(sub, &["metadata", "account_id"]).or(customer);
    let tags = [feedback, reason].into_iter().flatten().collect();
    Ok(Parsed::Items(vec![NewFeedback {
        source: Source::Stripe,
        url: Some(format!("https://dashboard.stripe.com/subscriptions/{id}")),
        external_id: id,
        kind: Kind::ChurnNote,
        account: AccountRef { id: account_id, name: text_at(sub, &["metadata", "account_name"]) },
        subject,
        body,
        tags,
        created_at: time_at(sub, &["canceled_at"])
            .or_else(|| time_at(sub, &["ended_at"]))
            .or_else(|| time_at(json, &["created"]))
            .unwrap_or(ctx.received_at),
        // A cancelled subscription changes no more; the event's time orders redeliveries.
        updated_at: time_at(json, &["created"]).or_else(|| time_at(sub, &["canceled_at"])),
        lost_arr_cents: annual_value_cents(sub),
        account_record: None,
        survey: None,
    }]))
}

/// The subscription's yearly value: each item's unit amount × quantity, scaled by its billing
/// interval. Falls back to the legacy `plan` field. `None` when no price is present.
pub fn annual_value_cents(sub: &Value) -> Option<i64> {
    let yearly = |price: &Value, quantity: i64| -> Option<i64> {
        let amount = price.get("unit_amount").or_else(|| price.get("amount")).and_then(Value::as_i64)?;
        let recurring = price.get("recurring").unwrap_or(price);
        let interval = recurring.get("interval").and_then(Value::as_str).unwrap_or("month");
        let count = recurring.get("interval_count").and_then(Value::as_i64).unwrap_or(1).max(1);
        let per_year = match interval {
            "day" => 365,
            "week" => 52,
            "month" => 12,
            "year" => 1,
            _ => return None,
        };
        Some(amount * quantity * per_year / count)
    };
    let items = sub.get("items").and_then(|i| i.get("data")).and_then(Value::as_array);
    if let Some(items) = items.filter(|i| !i.is_empty()) {
        let total: i64 = items
            .iter()
            .filter_map(|it| {
                let qty = it.get("quantity").and_then(Value::as_i64).unwrap_or(1);
                yearly(it.get("price").or_else(|| it.get("plan"))?, qty)
            })
            .sum();
        return Some(total);
    }
    let qty = sub.get("quantity").and_then(Value::as_i64).unwrap_or(1);
    sub.get("plan").and_then(|p| yearly(p, qty))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn cancellation_becomes_churn_note_with_lost_arr() {
        let v = json!({"id": "evt_1", "type": "customer.subscription.deleted", "created": 1793613600,
            "data": {"object": {"id": "sub_9", "customer": "cus_42", "canceled_at": 1793610000,
                "cancellation_details": {"comment": "Reports take minutes to load", "feedback": "low_quality", "reason": "cancellation_requested"},
                "items": {"data": [{"quantity": 3, "price": {"unit_amount": 5000, "recurring": {"interval": "month", "interval_count": 1}}}]}}}});
        let Parsed::Items(items) = parse(&v, &ParseContext::now()).unwrap() else { panic!() };
        let it = &items[0];
        assert_eq!(it.kind, Kind::ChurnNote);
        assert_eq!(it.external_id, "sub_9");
        assert_eq!(it.body, "Reports take minutes to load");
        assert_eq!(it.subject, "Cancellation: low quality");
        assert_eq!(it.account.id.as_deref(), Some("cus_42"));
        assert_eq!(it.lost_arr_cents, Some(5000 * 3 * 12));
        assert_eq!(it.tags, vec!["low_quality", "cancellation_requested"]);
    }

    #[test]
    fn payment_failures_and_other_events_are_ignored() {
        let v = json!({"type": "customer.subscription.deleted", "data": {"object": {"id": "sub_1",
            "cancellation_details": {"comment": null, "feedback": null, "reason": "payment_failed"}}}});
        assert!(matches!(parse(&v, &ParseContext::now()), Ok(Parsed::Ignored(_))));
        assert!(matches!(parse(&json!({"type": "invoice.paid"}), &ParseContext::now()), Ok(Parsed::Ignored(_))));
    }

    #[test]
    fn yearly_plans_and_legacy_plan_field() {
        assert_eq!(annual_value_cents(&json!({"plan": {"amount": 120000, "interval": "year"}})), Some(120000));
        assert_eq!(
            annual_value_cents(
                &json!({"items": {"data": [{"price": {"unit_amount": 900, "recurring": {"interval": "month", "interval_count": 3}}}]}})
            ),
            Some(3600)
        );
        assert_eq!(annual_value_cents(&json!({})), None);
    }
}
