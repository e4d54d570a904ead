//! PostgreSQL specifics: a pool that fails fast when the server is down, so webhooks answer
//! 503 quickly and the vendor retries.

use super::StoreResult;
use sqlx::PgPool;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use std::str::FromStr;
use std::time::Duration;

pub async fn connect(url: &str, max_connections: u32) -> StoreResult<PgPool> {
    let options = PgConnectOptions::from_str(url).map_err(|e| anyhow::anyhow!("invalid PostgreSQL URL: {e}"))?.application_name("pushback");
    let pool =
        PgPoolOptions::new().max_connections(max_connections.max(1)).acquire_timeout(Duration::from_secs(3)).connect_with(options).await?;
    Ok(pool)
}
