//! The App Home tab (issue 23): on `app_home_opened` the user's Home view is read and published
//! with `views.publish` (its blocks are `home_view`'s). Figures come from what `digest`,
//! `evidence`, `alerts` and `store` already compute; the user's channels from Slack
//! (`users.conversations`). A user's view is rebuilt at most once per `slack.home_refresh_secs`
//! across replicas (the claim is a row in `slack_home_views`), and the hash Slack returned for
//! the last view goes with the next publish, so a replica never overwrites a newer view.

use super::answer::SlackState;
use super::client::{SendError, SlackApi};
use super::home_view::{HomeFigures, Mine, MyIssue, OwnedTopic, QUEUE_CAP, compose};
use crate::alerts::Owners;
use crate::alerts::owners::same_channel;
use crate::app::AppState;
use crate::domain::IssueState;
use crate::store::HomeClaim;
use chrono::{DateTime, Utc};

/// Topics listed on the Home tab.
const TOPICS: usize = 5;
/// Issues read for "Your tracker issues" (the newest).
const ISSUES: usize = 20;

/// Reads the Home tab's figures for `user` now. Without `api` (or when Slack fails) the
/// user's topics are left unknown.
pub async fn figures(app: &AppState, user: &str, api: Option<&SlackApi>) -> anyhow::Result<HomeFigures> {
    // The last 7 days up to now (the digest's week ends at its posting time, which can be
    // days ago), against the 7 before.
    let now = Utc::now();
    let (from, to) = (now - chrono::Duration::days(7), now);
    let last = from - chrono::Duration::days(7);
    let store = &app.store;
    let volumes = crate::digest::compose::volumes(store.category_counts(from, to).await?, store.category_counts(last, from).await?);
    let classifier = app.classifier();
    let mut topics = crate::digest::topics::topic_rows(store, &classifier.rules, from, to, None).await?;
    topics.retain(|t| t.now > 0);
    topics.truncate(TOPICS);
    let model = &classifier.model;
    let thresholds = (f64::from(model.performance.threshold), f64::from(model.reliability.threshold));
    let since = now - chrono::Duration::days(app.settings.labels.retag_days);
    let label_queue = store.label_candidates(since, thresholds, QUEUE_CAP as i64).await?.len();
    let emerging = crate::digest::emerging::gather(store, &classifier.rules, now, crate::digest::emerging::DAYS).await?;
    let emerging_half_days = (emerging.middle - emerging.from).num_days();
    Ok(HomeFigures {
        volumes,
        topics,
        pack_days: 7,
        mine: mine(app, user, api, now).await?,
        emerging: emerging.clusters,
        emerging_half_days,
        label_queue,
        precision: crate::evidence::precision_sentences(store, &classifier).await?,
        glossary_url: app.settings.slack.glossary_url.clone(),
    })
}

/// The user's topics (through the channels Slack says they are in), issues and recent spikes.
async fn mine(app: &AppState, user: &str, api: Option<&SlackApi>, now: DateTime<Utc>) -> anyhow::Result<Mine> {
    let rules = app.classifier().rules;
    let owners = Owners::load(&app.store, &rules, None).await?;
    let channels = match api.filter(|a| a.can_post()) {
        Some(api) => api
            .user_channels(user)
            .await
            .map_err(|e| tracing::warn!(error = %e, user, "users.conversations failed; Home shows no topics"))
            .ok(),
        None => None,
    };
    let topics = channels.map(|channels| owned_topics(&rules, &owners, &channels));
    let t = &app.settings.trackers;
    let mut issues = Vec::new();
    for link in
        app.store.issues_created_by(&format!("slack:{user}")).await?.into_iter().filter(|l| l.state != IssueState::Closed).take(ISSUES)
    {
        let impact = match (link.state, link.done_at) {
            (IssueState::Done, Some(done_at)) => crate::trackers::impact::report(
                &app.store,
                &app.classifier(),
                &link.topic,
                &link.key,
                done_at,
                (t.window_days, t.settle_days),
                now,
            )
            .await?
            .map(|r| r.summary),
            _ => None,
        };
        issues.push(MyIssue { link, impact });
    }
    let yours = |subject: &str| match subject.strip_prefix("topic:") {
        Some(slug) => topics.as_ref().is_some_and(|t| t.iter().any(|o| o.slug == slug)),
        None => true,
    };
    let spikes = app.store.spikes_since(now - chrono::Duration::days(7)).await?.into_iter().filter(|s| yours(&s.subject)).collect();
    Ok(Mine { topics, issues, spikes })
}

/// The topics one of `channels` (ID, name) owns or is subscribed to, in the rules' order (pure).
pub fn owned_topics(rules: &crate::classify::rules::Rules, owners: &Owners, channels: &[(String, Option<String>)]) -> Vec<OwnedTopic> {
    let member = |c: &str| channels.iter().find(|(id, name)| same_channel(id, c) || name.as_deref().is_some_and(|n| same_channel(n, c)));
    rules
        .topics
        .iter()
        .filter_map(|t| {
            let (id, _) = owners.of_topic(&t.slug).iter().find_map(|c| member(c))?;
            Some(OwnedTopic { slug: t.slug.clone(), title: t.title.clone(), channel: id.clone() })
        })
        .collect()
}

/// Publishes `user`'s Home view unless it was published in the last `slack.home_refresh_secs`;
/// `event_hash` is the hash of the view the user sees (from `app_home_opened`). Failures are
/// logged (the next open tries again).
pub async fn publish(state: SlackState, user: String, event_hash: Option<String>) {
    let Some(api) = state.api.as_ref().filter(|a| a.can_post()) else {
        tracing::warn!("the Home tab is not published: no bot token (set PUSHBACK_SLACK__BOT_TOKEN)");
        return;
    };
    let app = &state.app;
    let hash = match app.store.claim_home_publish(&user, app.settings.slack.home_refresh_secs, Utc::now()).await {
        Ok(HomeClaim::Publish { hash }) => hash.or(event_hash),
        Ok(HomeClaim::Recent) => {
            tracing::debug!(%user, "Home view published less than slack.home_refresh_secs ago; kept");
            return;
        }
        Err(e) => {
            tracing::error!(error = %e, %user, "Home tab not published: its last publish could not be read");
            return;
        }
    };
    let blocks = match figures(app, &user, Some(api)).await {
        Ok(f) => compose(&f),
        Err(e) => {
            tracing::error!(error = format!("{e:#}"), "Home tab figures could not be read");
            return;
        }
    };
    match api.publish_home(&user, blocks, hash.as_deref()).await {
        Ok(new_hash) => {
            if let Err(e) = app.store.set_home_hash(&user, &new_hash).await {
                tracing::warn!(error = %e, %user, "the Home view's hash was not recorded");
            }
        }
        Err(SendError::Permanent(code)) if code == "hash_conflict" => {
            tracing::info!(%user, "a newer Home view was published meanwhile (hash_conflict); it is kept")
        }
        Err(e) => tracing::error!(error = %e, %user, "views.publish failed"),
    }
}
