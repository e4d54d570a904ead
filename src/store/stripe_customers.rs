//! Stripe customers and their ARR, refreshed on every Stripe sync, and which support account
//! each was matched to: the customer the user mapped (`pushback accounts map`), then the email
//! domain seen on the account's tickets. What could not be matched is kept with the reason, for
//! `sync --status` and `pushback accounts unmatched`; it is never guessed.

use super::sql::BeginWrite;
use super::{Store, StoreResult};
use chrono::{DateTime, Utc};
use sqlx::Row;

/// A Stripe customer with active subscriptions, as last refreshed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StripeCustomer {
    pub customer_id: String,
    pub email: Option<String>,
    pub name: Option<String>,
    /// Each active subscription item's price × quantity, turned into a year.
    pub arr_cents: i64,
    /// `metadata.account_id` on the customer: the user's own mapping, made in Stripe.
    #[serde(skip)]
    pub metadata_account: Option<String>,
    /// The support account it was matched to; `None`: unmatched (see `note`).
    pub account_id: Option<String>,
    /// `mapped` (pushback accounts map), `metadata` (the customer's metadata.account_id) or `domain`.
    pub matched_by: Option<String>,
    pub note: Option<String>,
}

/// A support account as the matching sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountForMatch {
    pub id: String,
    pub name: Option<String>,
    pub stripe_customer: Option<String>,
    pub email_domain: Option<String>,
}

/// A support account no Stripe customer matched, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct UnmatchedAccount {
    pub account_id: String,
    pub name: Option<String>,
    pub note: String,
}

impl Store {
    /// Maps a support account to a Stripe customer (`None` removes the mapping); creates the
    /// account if it is new.
    pub async fn map_stripe_customer(&self, account_id: &str, customer_id: Option<&str>, now: DateTime<Utc>) -> StoreResult<()> {
        on_pool!(self, pool => {
            sqlx::query("INSERT INTO accounts (account_id, stripe_customer, updated_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (account_id) DO UPDATE SET stripe_customer = excluded.stripe_customer, updated_at = excluded.updated_at")
                .bind(account_id).bind(customer_id).bind(now.timestamp()).execute(pool).await?;
        });
        Ok(())
    }

    /// Support accounts: those with feedback from a source other than Stripe, and those mapped.
    pub async fn accounts_for_matching(&self) -> StoreResult<Vec<AccountForMatch>> {
        const SQL: &str = "SELECT a.account_id, a.name, a.stripe_customer, a.email_domain FROM accounts a \
             WHERE a.stripe_customer IS NOT NULL \
             OR EXISTS (SELECT 1 FROM feedback f WHERE f.account_id = a.account_id AND f.source <> 'stripe') ORDER BY a.account_id";
        on_pool!(self, pool => {
            let rows = sqlx::query(SQL).fetch_all(pool).await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in rows {
                out.push(AccountForMatch {
                    id: r.try_get("account_id")?,
                    name: r.try_get("name")?,
                    stripe_customer: r.try_get("stripe_customer")?,
                    email_domain: r.try_get("email_domain")?,
                });
            }
            Ok(out)
        })
    }

    /// Replaces the refreshed customers and unmatched accounts, and sets each matched account's
    /// ARR (the sum of its customers'), in one transaction.
    pub async fn replace_stripe_customers(
        &self,
        customers: &[StripeCustomer],
        unmatched: &[UnmatchedAccount],
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut arr: std::collections::BTreeMap<&str, i64> = std::collections::BTreeMap::new();
        for c in customers {
            if let Some(account) = &c.account_id {
                *arr.entry(account.as_str()).or_default() += c.arr_cents;
            }
        }
        let now = now.timestamp();
        on_pool!(self, pool => {
            let mut tx = pool.begin_write_tx().await?;
            sqlx::query("DELETE FROM stripe_customers").execute(&mut *tx).await?;
            sqlx::query("DELETE FROM unmatched_accounts").execute(&mut *tx).await?;
            for c in customers {
                sqlx::query("INSERT INTO stripe_customers (customer_id, email, name, arr_cents, account_id, matched_by, note, refreshed_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                    .bind(&c.customer_id).bind(c.email.as_deref()).bind(c.name.as_deref()).bind(c.arr_cents)
                    .bind(c.account_id.as_deref()).bind(c.matched_by.as_deref()).bind(c.note.as_deref()).bind(now)
                    .execute(&mut *tx).await?;
            }
            for a in unmatched {
                sqlx::query("INSERT INTO unmatched_accounts (account_id, name, note, refreshed_at) VALUES ($1, $2, $3, $4)")
                    .bind(&a.account_id).bind(a.name.as_deref()).bind(&a.note).bind(now).execute(&mut *tx).await?;
            }
            for (account, cents) in arr {
                sqlx::query("UPDATE accounts SET arr_cents = $2, updated_at = $3 WHERE account_id = $1")
                    .bind(account).bind(cents).bind(now).execute(&mut *tx).await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// The customers of the last refresh, largest ARR first.
    pub async fn stripe_customers(&self) -> StoreResult<Vec<StripeCustomer>> {
        on_pool!(self, pool => {
            let rows = sqlx::query("SELECT customer_id, email, name, arr_cents, account_id, matched_by, note FROM stripe_customers \
                 ORDER BY arr_cents DESC, customer_id").fetch_all(pool).await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in rows {
                out.push(StripeCustomer {
                    customer_id: r.try_get("customer_id")?,
                    email: r.try_get("email")?,
                    name: r.try_get("name")?,
                    arr_cents: r.try_get("arr_cents")?,
                    metadata_account: None,
                    account_id: r.try_get("account_id")?,
                    matched_by: r.try_get("matched_by")?,
                    note: r.try_get("note")?,
                });
            }
            Ok(out)
        })
    }

    /// Support accounts no customer matched at the last refresh.
    pub async fn unmatched_accounts(&self) -> StoreResult<Vec<UnmatchedAccount>> {
        on_pool!(self, pool => {
            let rows = sqlx::query("SELECT account_id, name, note FROM unmatched_accounts ORDER BY account_id").fetch_all(pool).await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in rows {
                out.push(UnmatchedAccount { account_id: r.try_get("account_id")?, name: r.try_get("name")?, note: r.try_get("note")? });
            }
            Ok(out)
        })
    }
}
