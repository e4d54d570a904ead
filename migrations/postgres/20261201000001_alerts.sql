-- Owner channels changed in Slack (`/pushback subscribe|unsubscribe <topic>`): a row adds a
-- channel to a topic (subscribed = true) or removes one that config/rules.toml names (false).
CREATE TABLE topic_channels (
    topic TEXT NOT NULL,
    channel TEXT NOT NULL,
    subscribed BOOLEAN NOT NULL,
    changed_by TEXT NOT NULL,
    changed_at BIGINT NOT NULL,
    PRIMARY KEY (topic, channel)
);

-- Channels Slack refused for good (channel_not_found, not_in_channel, is_archived): reported
-- once, shown by `/pushback topics`, cleared by the next post that gets through.
CREATE TABLE channel_problems (
    channel TEXT PRIMARY KEY,
    error TEXT NOT NULL,
    first_seen BIGINT NOT NULL,
    last_seen BIGINT NOT NULL
);
