//! API tests: one binary, each test with its own server and database. Set
//! `PUSHBACK_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres` to run them on
//! PostgreSQL (a fresh database per test); otherwise each test gets a SQLite file.

mod alerts;
mod attacks;
mod chromium;
mod digest;
mod emerging;
mod evidence;
mod fake_slack;
mod fake_socket;
mod fake_trackers;
mod fake_vendors;
mod helpers;
mod home;
mod import;
mod ingest;
mod labels;
mod pack_rollups;
mod prometheus;
mod pull_freshdesk;
mod pull_helpscout;
mod pull_intercom;
mod pull_lease;
mod pull_stripe;
mod pull_support;
mod pull_zendesk;
mod reasons;
mod reliability;
mod review;
mod review_slack;
mod rollups;
mod service;
mod slack;
mod socket;
mod spikes;
mod store;
mod surveys;
mod trackers;
