//! Help Scout pulled through the Mailbox API: an OAuth token that expires mid-sync is renewed
//! on the 401, a conversation modified while the pass reads does not make page numbers skip
//! another, 429 with `X-RateLimit-Retry-After`, and wrong app credentials named.

use crate::fake_vendors::Fault;
use crate::fake_vendors::helpscout::{FakeHelpscout, conversation};
use crate::helpers::spawn_app;
use crate::pull_support::{helpscout_api, now, source_status, stored_ids, sync_once};
use pushback::domain::Source;
use std::time::Duration;

#[tokio::test]
async fn help_scout_survives_an_expired_token_and_a_set_that_changes_while_it_is_read() {
    let app = spawn_app().await;
    let fake = FakeHelpscout::start().await;
    let t0 = now() - 3 * 86_400;
    fake.put((1..=60).map(|i| conversation(i, t0 + i * 60, "Exports time out after 30 seconds")));
    // After the first page, conversation 3 (already read) gets a reply: it moves to the end and
    // every later conversation shifts back a place, where page 2 by number would skip one.
    fake.touch_after(1, 3, now() - 30);
    fake.fail_next([Fault::Pass, Fault::RateLimited(1)]);
    let mut settings = app.settings.clone();
    helpscout_api(&mut settings, &fake.base);

    // The token expires after the second page: the next request answers 401, a new token is
    // fetched and the pass goes on.
    fake.expire_tokens_after(2);
    sync_once(&settings, &["helpscout"]).await.expect("the sync completes");
    assert_eq!(stored_ids(&app.store, Source::Helpscout).await, (1..=60).map(|i| i.to_string()).collect::<Vec<_>>());
    let three = app.store.item_by_external(Source::Helpscout, "3").await.unwrap().unwrap();
    assert!(three.body.starts_with("Edited"), "the reply made during the pass came through: {}", three.body);
    assert_eq!(three.url.as_deref(), Some("https://secure.helpscout.net/conversation/3/1003/"));
    assert_eq!(three.account_id.as_deref(), Some("initech.com"));

    let lists = fake.recorder.calls_to("/v2/conversations");
    assert!(lists[2].at - lists[1].at >= Duration::from_millis(950), "X-RateLimit-Retry-After was waited for");
    assert!(
        lists
            .iter()
            .all(|c| c.param("status") == Some("all") && c.param("sortField") == Some("modifiedAt") && c.param("embed") == Some("threads"))
    );

    assert_eq!(fake.tokens_issued(), 2, "the first token, and a new one after the 401");
    let after_401 = fake.recorder.calls().iter().position(|c| c.path == "/v2/oauth2/token" && c.at > lists[2].at);
    assert!(after_401.is_some(), "the token was asked for again after it expired");

    fake.put([conversation(61, now() - 20, "Search crashes with an error")]);
    sync_once(&settings, &["helpscout"]).await.unwrap();
    assert!(stored_ids(&app.store, Source::Helpscout).await.contains(&"61".to_string()));
    let status = source_status(&app.store, &settings, "helpscout").await;
    assert!(status.last_error.is_none(), "{status:?}");
}

#[tokio::test]
async fn wrong_help_scout_app_credentials_are_named_and_nothing_is_stored() {
    let app = spawn_app().await;
    let fake = FakeHelpscout::start().await;
    fake.put([conversation(1, now() - 600, "Exports time out")]);
    let mut settings = app.settings.clone();
    helpscout_api(&mut settings, &fake.base);
    settings.sources.helpscout.app_secret = Some(secrecy::SecretString::from("wrong"));
    let err = sync_once(&settings, &["helpscout"]).await.unwrap_err();
    assert!(err.to_string().contains("1 source stopped"));
    let error = source_status(&app.store, &settings, "helpscout").await.last_error.unwrap();
    assert!(
        error.contains("401 from the token endpoint (invalid_client): check PUSHBACK_SOURCES__HELPSCOUT__APP_ID and APP_SECRET"),
        "{error}"
    );
    assert!(stored_ids(&app.store, Source::Helpscout).await.is_empty());
}
