//! Accounts and ARR from Stripe, refreshed at the start of every Stripe sync: active
//! subscriptions (`GET /v1/subscriptions?status=active` with the customer expanded) give each
//! customer's ARR (each item's price × quantity, turned into a year, as the webhook parser
//! computes lost ARR). Customers are matched to support accounts by the customer the user
//! mapped (`pushback accounts map`, or `metadata.account_id` on the customer in Stripe), then by
//! the email domain seen on the account's tickets when exactly one account has it. Everything
//! else is kept as unmatched with the reason, never guessed.

use super::PassError;
use super::client::{Client, Lease, Waits};
use super::{Connector, HttpRequest, PageError, json_body, refusal};
use crate::app::AppState;
use crate::domain::company_domain;
use crate::ingest::sources::stripe::annual_value_cents;
use crate::ingest::sources::text_at;
use crate::store::{AccountForMatch, StripeCustomer, UnmatchedAccount};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use tokio::sync::watch;

/// One customer's active subscriptions, summed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CustomerArr {
    pub id: String,
    pub email: Option<String>,
    pub name: Option<String>,
    pub metadata_account: Option<String>,
    pub arr_cents: i64,
}

/// Reads a page of active subscriptions: each one's customer and yearly value, and the
/// `starting_after` of the next page when `has_more`.
pub fn arr_page(body: &Value) -> Result<(Vec<CustomerArr>, Option<String>), PageError> {
    let data = body.get("data").and_then(Value::as_array).ok_or_else(|| PageError::Malformed("no `data` list".into()))?;
    let mut out = Vec::with_capacity(data.len());
    for sub in data {
        let customer = sub.get("customer").unwrap_or(&Value::Null);
        let id = text_at(customer, &["id"]).or_else(|| customer.as_str().map(str::to_string));
        let Some(id) = id else { continue };
        out.push(CustomerArr {
            id,
            email: text_at(customer, &["email"]),
            name: text_at(customer, &["name"]),
            metadata_account: text_at(customer, &["metadata", "account_id"]).or_else(|| text_at(sub, &["metadata", "account_id"])),
            arr_cents: annual_value_cents(sub).unwrap_or(0),
        });
    }
    let more = body.get("has_more").and_then(Value::as_bool).unwrap_or(false);
    let last = data.last().and_then(|s| text_at(s, &["id"]));
    if more && last.is_none() {
        return Err(PageError::Malformed("`has_more` is true on an empty page".into()));
    }
    Ok((out, last.filter(|_| more)))
}

/// Customers summed by id (a customer may have several subscriptions).
pub fn by_customer(rows: Vec<CustomerArr>) -> Vec<CustomerArr> {
    let mut merged: BTreeMap<String, CustomerArr> = BTreeMap::new();
    for row in rows {
        let entry = merged.entry(row.id.clone()).or_insert_with(|| CustomerArr { id: row.id.clone(), ..Default::default() });
        entry.arr_cents += row.arr_cents;
        entry.email = entry.email.take().or(row.email);
        entry.name = entry.name.take().or(row.name);
        entry.metadata_account = entry.metadata_account.take().or(row.metadata_account);
    }
    merged.into_values().collect()
}

/// Matches customers to support accounts: mapped first, then by email domain when exactly one
/// account has it. Returns every customer (matched or with the reason it is not) and the
/// support accounts no customer matched.
pub fn match_customers(customers: Vec<CustomerArr>, accounts: &[AccountForMatch]) -> (Vec<StripeCustomer>, Vec<UnmatchedAccount>) {
    let mapped: HashMap<&str, &AccountForMatch> = accounts.iter().filter_map(|a| Some((a.stripe_customer.as_deref()?, a))).collect();
    let known: HashMap<&str, &AccountForMatch> = accounts.iter().map(|a| (a.id.as_str(), a)).collect();
    let mut by_domain: HashMap<String, Vec<&AccountForMatch>> = HashMap::new();
    for a in accounts {
        let domain = a.email_domain.clone().or_else(|| company_domain(&a.id));
        if let Some(d) = domain {
            by_domain.entry(d).or_default().push(a);
        }
    }
    let mut out = Vec::with_capacity(customers.len());
    for c in customers {
        let domain = c.email.as_deref().and_then(company_domain);
        let (account, how, note) = if let Some(a) = mapped.get(c.id.as_str()) {
            (Some(a.id.clone()), Some("mapped"), None)
        } else if let Some(a) = c.metadata_account.as_deref().and_then(|m| known.get(m)) {
            (Some(a.id.clone()), Some("metadata"), None)
        } else {
            match domain.as_ref().map(|d| (d, by_domain.get(d).map_or(&[][..], Vec::as_slice))) {
                Some((_, [one])) => (Some(one.id.clone()), Some("domain"), None),
                Some((d, [])) => (None, None, Some(format!("no support account with the email domain {d}"))),
                Some((d, many)) => {
                    (None, None, Some(format!("{} support accounts use {d}; map one with `pushback accounts map`", many.len())))
                }
                None => (None, None, Some("no company email domain to match on (none, or free mail)".to_string())),
            }
        };
        out.push(StripeCustomer {
            customer_id: c.id,
            email: c.email,
            name: c.name,
            arr_cents: c.arr_cents,
            metadata_account: c.metadata_account,
            account_id: account,
            matched_by: how.map(str::to_string),
            note,
        });
    }
    let matched: std::collections::HashSet<&str> = out.iter().filter_map(|c| c.account_id.as_deref()).collect();
    let unmatched = accounts
        .iter()
        .filter(|a| !matched.contains(a.id.as_str()))
        .map(|a| UnmatchedAccount {
            account_id: a.id.clone(),
            name: a.name.clone(),
            note: match (&a.stripe_customer, a.email_domain.clone().or_else(|| company_domain(&a.id))) {
                (Some(c), _) => format!("mapped to {c}, which has no active subscription"),
                (None, Some(d)) => format!("no Stripe customer with an active subscription uses {d}"),
                (None, None) => "no email domain seen on its tickets; map it with `pushback accounts map`".to_string(),
            },
        })
        .collect();
    (out, unmatched)
}

/// Refreshes ARR from Stripe's active subscriptions and the matches; returns the matched
/// customers' accounts (customer id -> account id) for the churn notes of this run.
pub(super) async fn refresh(
    state: &AppState,
    client: &Client,
    connector: &dyn Connector,
    lease: &Lease,
    waits: &dyn Waits,
    stop: &mut watch::Receiver<bool>,
) -> Result<HashMap<String, String>, PassError> {
    let api_url = state.settings.sources.pull_access(crate::domain::Source::Stripe).map(|a| a.api_url).unwrap_or_default();
    let mut rows = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let mut url = format!("{api_url}/v1/subscriptions?status=active&limit=100&expand[]=data.customer");
        if let Some(a) = &after {
            url.push_str(&format!("&starting_after={a}"));
        }
        let answer = client.fetch(&HttpRequest::get(url), connector, lease, waits, stop).await?;
        if answer.status != 200 {
            return Err(refusal(&answer).into());
        }
        let (page, next) = arr_page(&json_body(&answer)?)?;
        rows.extend(page);
        match next {
            Some(n) => after = Some(n),
            None => break,
        }
    }
    let accounts = state.store.accounts_for_matching().await?;
    let (customers, unmatched) = match_customers(by_customer(rows), &accounts);
    state.store.replace_stripe_customers(&customers, &unmatched, chrono::Utc::now()).await?;
    let matched = customers.iter().filter(|c| c.account_id.is_some()).count();
    tracing::info!(
        customers = customers.len(),
        matched,
        unmatched_accounts = unmatched.len(),
        "stripe: ARR refreshed from active subscriptions"
    );
    Ok(customers.into_iter().filter_map(|c| Some((c.customer_id, c.account_id?))).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn account(id: &str, mapped: Option<&str>, domain: Option<&str>) -> AccountForMatch {
        AccountForMatch { id: id.into(), name: None, stripe_customer: mapped.map(Into::into), email_domain: domain.map(Into::into) }
    }

    fn customer(id: &str, email: Option<&str>, arr: i64) -> CustomerArr {
        CustomerArr { id: id.into(), email: email.map(Into::into), arr_cents: arr, ..Default::default() }
    }

    #[test]
    fn arr_is_each_item_price_times_quantity_in_a_year_summed_per_customer() {
        let body = json!({"object": "list", "has_more": true, "data": [
            {"id": "sub_1", "customer": {"id": "cus_1", "email": "ap@globex.com", "name": "Globex"},
             "items": {"data": [{"quantity": 3, "price": {"unit_amount": 5000, "recurring": {"interval": "month", "interval_count": 1}}}]}},
            {"id": "sub_2", "customer": {"id": "cus_1", "email": "ap@globex.com"},
             "items": {"data": [{"quantity": 1, "price": {"unit_amount": 120000, "recurring": {"interval": "year", "interval_count": 1}}}]}}]});
        let (rows, next) = arr_page(&body).unwrap();
        assert_eq!(next.as_deref(), Some("sub_2"));
        let merged = by_customer(rows);
        assert_eq!(merged.len(), 1);
        assert_eq!(merged[0].arr_cents, 5000 * 3 * 12 + 120_000);
        assert!(matches!(arr_page(&json!({"data": {}})), Err(PageError::Malformed(_))));
    }

    #[test]
    fn customers_match_by_mapping_then_by_a_domain_only_one_account_has_and_the_rest_is_listed() {
        let accounts = [
            account("9001", Some("cus_mapped"), None),
            account("9002", None, Some("globex.com")),
            account("9003", None, Some("shared.io")),
            account("9004", None, Some("shared.io")),
            account("initech.com", None, None),
            account("9005", None, None),
        ];
        let customers = vec![
            customer("cus_mapped", Some("x@other.com"), 100),
            customer("cus_globex", Some("Billing@GLOBEX.com"), 200),
            customer("cus_shared", Some("a@shared.io"), 300),
            customer("cus_gmail", Some("someone@gmail.com"), 400),
            customer("cus_initech", Some("ops@initech.com"), 500),
            customer("cus_lone", Some("ceo@nowhere.dev"), 600),
        ];
        let (matched, unmatched) = match_customers(customers, &accounts);
        let get = |id: &str| matched.iter().find(|c| c.customer_id == id).unwrap();
        assert_eq!((get("cus_mapped").account_id.as_deref(), get("cus_mapped").matched_by.as_deref()), (Some("9001"), Some("mapped")));
        assert_eq!((get("cus_globex").account_id.as_deref(), get("cus_globex").matched_by.as_deref()), (Some("9002"), Some("domain")));
        assert_eq!(get("cus_initech").account_id.as_deref(), Some("initech.com"));
        assert_eq!(get("cus_shared").account_id, None, "two accounts share the domain: never guessed");
        assert!(get("cus_shared").note.as_deref().unwrap().contains("2 support accounts use shared.io"));
        assert_eq!(get("cus_gmail").account_id, None);
        assert!(get("cus_lone").note.as_deref().unwrap().contains("nowhere.dev"));
        let ids: Vec<&str> = unmatched.iter().map(|a| a.account_id.as_str()).collect();
        assert_eq!(ids, vec!["9003", "9004", "9005"]);
    }
}
