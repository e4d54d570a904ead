-- Pull connectors (issue 20).

-- The vendor's own update time of the stored version: a webhook and a pull of the same ticket
-- keep the later edit, whichever arrives last. NULL: the payload carried none (arrival order).
ALTER TABLE feedback ADD COLUMN source_updated_at INTEGER;

-- One row per pulled source: where its sync stands (the cursor is committed in the same
-- transaction as the page of items it follows), what it has pulled, its last error, and the
-- lease that lets one process at a time sync it.
CREATE TABLE sync_state (
    source TEXT PRIMARY KEY NOT NULL,
    cursor TEXT,
    position_at INTEGER,
    synced_through INTEGER,
    last_success INTEGER,
    last_attempt INTEGER,
    last_error TEXT,
    last_error_at INTEGER,
    pages INTEGER NOT NULL DEFAULT 0,
    inserted INTEGER NOT NULL DEFAULT 0,
    updated INTEGER NOT NULL DEFAULT 0,
    unchanged INTEGER NOT NULL DEFAULT 0,
    skipped INTEGER NOT NULL DEFAULT 0,
    lease_owner TEXT,
    lease_until INTEGER
);

-- Matching support accounts to Stripe customers: the customer the user mapped
-- (`pushback accounts map`, or the accounts CSV) and the email domain seen on the account's tickets.
ALTER TABLE accounts ADD COLUMN stripe_customer TEXT;
ALTER TABLE accounts ADD COLUMN email_domain TEXT;

-- Stripe customers with active subscriptions, refreshed on every Stripe sync: their ARR and
-- the support account each was matched to (NULL: unmatched, with the reason in `note`).
CREATE TABLE stripe_customers (
    customer_id TEXT PRIMARY KEY NOT NULL,
    email TEXT,
    name TEXT,
    arr_cents INTEGER NOT NULL,
    account_id TEXT,
    matched_by TEXT,
    note TEXT,
    refreshed_at INTEGER NOT NULL
);

-- Support accounts (from tickets) that no Stripe customer matched at the last refresh.
CREATE TABLE unmatched_accounts (
    account_id TEXT PRIMARY KEY NOT NULL,
    name TEXT,
    note TEXT NOT NULL,
    refreshed_at INTEGER NOT NULL
);
