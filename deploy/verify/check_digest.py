#!/usr/bin/env python3
"""The weekly digest was posted exactly once, for deploy/verify.sh.

    check_digest.py CALLS.json DIGESTS.tsv OUTBOX.tsv [DIGEST_CHANNEL]

CALLS.json: the fake Slack's recorded calls (GET /calls). DIGESTS.tsv: `week|messages|claimed_by`
rows of the `digests` table. OUTBOX.tsv: `dedupe_key|status|slack_ts` rows of `slack_outbox`.
Holds when: exactly one week is claimed; its outbox rows are all `sent` and as many as the claim
says; the fake Slack got one chat.postMessage call to the digest channel per main-digest row and
one owner-channel section ("Your topics this week") per section row (`digest:<week>:channel:...`),
all with the bot token, no two with the same body, and every outbox row's ts is one the fake
answered. Other posts (churn and spike alerts to topics' owner channels) are counted apart.
"""

import json
import sys


def rows(path):
    return [l.rstrip("\n").split("|") for l in open(path) if l.strip()]


def channel(call):
    body = call.get("body")
    try:
        return (json.loads(body) if isinstance(body, str) else body or {}).get("channel")
    except (ValueError, AttributeError):
        return None


def main():
    calls = json.load(open(sys.argv[1]))
    digests = rows(sys.argv[2])
    outbox = rows(sys.argv[3])
    digest_channel = sys.argv[4] if len(sys.argv) > 4 else "C0VERIFY"
    all_posts = [c for c in calls if c["method"] == "chat.postMessage"]
    posts = [c for c in all_posts if channel(c) == digest_channel]
    sections = [c for c in all_posts if channel(c) != digest_channel and "Your topics this week" in str(c.get("body"))]
    other = len(all_posts) - len(posts) - len(sections)
    errors = []
    if len(digests) != 1:
        errors.append(f"{len(digests)} weeks claimed, expected 1: {digests}")
    expected = sum(int(d[1]) for d in digests)
    digest_rows = [r for r in outbox if r[0].startswith("digest:")]
    if expected < 1:
        errors.append("the claim queued no messages")
    if len(digest_rows) != expected or any(r[1] != "sent" for r in digest_rows):
        errors.append(f"outbox: {digest_rows} (expected {expected} rows, all sent)")
    section_rows = [r for r in digest_rows if ":channel:" in r[0]]
    main_rows = len(digest_rows) - len(section_rows)
    if len(posts) != main_rows:
        errors.append(f"fake Slack got {len(posts)} chat.postMessage calls to {digest_channel}, expected {main_rows}")
    if len(sections) != len(section_rows):
        errors.append(f"fake Slack got {len(sections)} owner-channel sections, expected {len(section_rows)}")
    if not all(c["authorized"] for c in calls):
        errors.append("a call to the fake Slack lacked the bot token")
    bodies = [str(c["body"]) for c in posts + sections]
    if len(set(bodies)) != len(bodies):
        errors.append("the same message was posted twice")
    answered = {f"1700000000.{n:06d}" for n in range(len(calls))}
    if not all(r[2] in answered for r in digest_rows):
        errors.append("an outbox row's ts is not one the fake Slack answered")
    claimed_by = ", ".join(d[2] for d in digests)
    print(f"  digest: {len(digests)} week(s) claimed ({claimed_by}), {expected} message(s) queued, "
          f"{len(posts)} chat.postMessage call(s) to {digest_channel} and {len(sections)} owner-channel section(s) "
          f"at the fake Slack, {other} to other channels (alerts), {len(calls)} calls in all")
    for e in errors:
        print("  FAIL:", e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
