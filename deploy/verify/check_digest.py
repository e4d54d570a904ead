#!/usr/bin/env python3
"""The weekly digest was posted exactly once, for deploy/verify.sh.

    check_digest.py CALLS.json DIGESTS.tsv OUTBOX.tsv [DIGEST_CHANNEL]

CALLS.json: the fake Slack's recorded calls (GET /calls). DIGESTS.tsv: `week|messages|claimed_by`
rows of the `digests` table. OUTBOX.tsv: `dedupe_key|status|slack_ts` rows of `slack_outbox`.
Holds when: one week is claimed, or two consecutive ones when the run crossed Monday 00:00 UTC
(the next week became due during the run and was claimed as well: the product is right to post
it); each claimed week's outbox rows (`digest:<week>:...`) are all `sent` and as many as its
claim says, and no outbox row belongs to a week that was not claimed; the fake Slack got one
chat.postMessage call to the digest channel per main-digest row and one owner-channel section
("Your topics this week") per section row (`digest:<week>:channel:...`), all with the bot token,
no two with the same body, and every outbox row's ts is one the fake answered. Other posts
(churn and spike alerts to topics' owner channels) are counted apart. The monthly review's
claims (`review:<month>` rows, posted once when its first weekday has passed) are checked the
same way: each one's outbox rows (`review:<month>:...`) all `sent` and as many as its claim says,
its summary one more chat.postMessage to the digest channel (the review's default channel), its
HTML file one files.completeUploadExternal.
"""

import datetime
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


def consecutive(a, b):
    """Whether ISO week label b (`2026-W02`) is the week after a (`2026-W01`)."""
    ya, wa = (int(x) for x in a.split("-W"))
    yb, wb = (int(x) for x in b.split("-W"))
    last = datetime.date(ya, 12, 28).isocalendar()[1]  # 28 December is always in the last ISO week
    return (yb, wb) == ((ya, wa + 1) if wa < last else (ya + 1, 1))


def check_weeks(digests, outbox):
    """Each claimed week posted exactly once: one or two consecutive weeks claimed, each with
    as many outbox rows as its claim says, all sent; no outbox row of a week nobody claimed."""
    errors = []
    weeks = [d[0] for d in digests]
    if not 1 <= len(weeks) <= 2 or (len(weeks) == 2 and not consecutive(weeks[0], weeks[1])):
        errors.append(f"{len(weeks)} weeks claimed, expected this week (and the next, if the run crossed Monday 00:00 UTC): {digests}")
    digest_rows = [r for r in outbox if r[0].startswith("digest:")]
    for week, messages, _ in digests:
        mine = [r for r in digest_rows if r[0].startswith(f"digest:{week}:")]
        if int(messages) < 1:
            errors.append(f"the claim of {week} queued no messages")
        if len(mine) != int(messages) or any(r[1] != "sent" for r in mine):
            errors.append(f"outbox of {week}: {mine} (expected {messages} rows, all sent)")
    stray = [r for r in digest_rows if r[0].split(":")[1] not in weeks]
    if stray:
        errors.append(f"outbox rows of weeks nobody claimed: {stray}")
    return errors


def check_reviews(reviews, outbox):
    """Each claimed monthly review posted exactly once: at most one month claimed, its outbox
    rows as many as its claim says and all sent, no row of a month nobody claimed."""
    errors = []
    if len(reviews) > 1:
        errors.append(f"{len(reviews)} monthly reviews claimed, expected at most last month's: {reviews}")
    review_rows = [r for r in outbox if r[0].startswith("review:")]
    months = [d[0] for d in reviews]
    for label, messages, _ in reviews:
        mine = [r for r in review_rows if r[0].startswith(f"{label}:")]
        if len(mine) != int(messages) or any(r[1] != "sent" for r in mine):
            errors.append(f"outbox of {label}: {mine} (expected {messages} rows, all sent)")
    stray = [r for r in review_rows if ":".join(r[0].split(":")[:2]) not in months]
    if stray:
        errors.append(f"outbox rows of reviews nobody claimed: {stray}")
    return errors


def main():
    calls = json.load(open(sys.argv[1]))
    claims = rows(sys.argv[2])
    digests = [d for d in claims if not d[0].startswith("review:")]
    reviews = [d for d in claims if d[0].startswith("review:")]
    outbox = rows(sys.argv[3])
    digest_channel = sys.argv[4] if len(sys.argv) > 4 else "C0VERIFY"
    all_posts = [c for c in calls if c["method"] == "chat.postMessage"]
    posts = [c for c in all_posts if channel(c) == digest_channel]
    sections = [c for c in all_posts if channel(c) != digest_channel and "Your topics this week" in str(c.get("body"))]
    other = len(all_posts) - len(posts) - len(sections)
    errors = []
    errors.extend(check_weeks(digests, outbox))
    errors.extend(check_reviews(reviews, outbox))
    review_rows = [r for r in outbox if r[0].startswith("review:")]
    review_summaries = len([r for r in review_rows if r[0].endswith(":summary")])
    review_files = len(review_rows) - review_summaries
    uploads = len([c for c in calls if c["method"] == "files.completeUploadExternal"])
    if uploads != review_files:
        errors.append(f"fake Slack got {uploads} files.completeUploadExternal calls, expected {review_files} (the review's file)")
    expected = sum(int(d[1]) for d in digests)
    digest_rows = [r for r in outbox if r[0].startswith("digest:")]
    section_rows = [r for r in digest_rows if ":channel:" in r[0]]
    main_rows = len(digest_rows) - len(section_rows)
    if len(posts) != main_rows + review_summaries:
        errors.append(f"fake Slack got {len(posts)} chat.postMessage calls to {digest_channel}, "
                      f"expected {main_rows} (digest) + {review_summaries} (monthly review)")
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
          f"at the fake Slack, {other} to other channels (alerts), {len(calls)} calls in all; "
          f"{len(reviews)} monthly review(s) claimed, {uploads} file upload(s)")
    for e in errors:
        print("  FAIL:", e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
