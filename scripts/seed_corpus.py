#!/usr/bin/env python3
"""Build the labelled seed corpus for pushback: data/seed/corpus.csv.

Standard library only and deterministic: running

    python3 scripts/seed_corpus.py

rewrites data/seed/corpus.csv byte-identically (fixed random seed, deterministic order).
Pass --stats to also print the counts that go into data/seed/README.md, --out FILE to write
somewhere else (scripts/check_seed_corpus.sh compares such a copy with the committed one).

All text is original writing for this project. It comes from three sources:

* HAND: handwritten lines, grouped by (kind, product), read from data/seed/handwritten.txt and
  data/seed/handwritten_eighth_pass.txt. Each line starts with a code:
    P  performance only          (is_performance=1, is_reliability=0) -- a speed/resource complaint
    G  neither                   (0, 0) -- praise of the product's speed, lightness or efficiency
    R  reliability only          (0, 1)
    B  both                      (1, 1)
    M  both                      (1, 1) -- a memory problem: out of memory, memory error,
                                           "not enough memory to open", uses too much memory and crashes
    N  neither                   (0, 0)
    H  neither, hard negative    (0, 0) -- uses words like slow support, quick reply, crash course,
                                           down payment, timeout setting, freeze, playback speed,
                                           "no crashes", rock solid
  Both tags are about problems (data/DEFINITIONS.md): performance means a complaint about the
  product's speed or resource use, so speed praise (G) is neither, like praise of stability
  ("never crashes"). G keeps its own code (and its share of the template balancing) so the
  generated texts stay the same; labels_of() gives it (0, 0). A freeze, hang or "not responding"
  is reliability, and performance too only when slowness around it is described (labels_of()).
* Composed lines (eighth pass, compose_praise() and compose_mixed()): handwritten fragments
  (review titles, generic praise, product-specific praise, mild remarks, feature wishes, closers,
  failure clauses) combined with their own fixed seed and usage caps. They add short praise and
  neutral reviews labelled neither, and "praise, but <failure>" reviews labelled reliability.
* Template lines: slot-filled sentences built from per-product vocabularies, used only to top
  up each (kind, label) cell to its target size. Handwritten lines always win.
"""

import csv
import io
import os
import random
import re
import sys

SEED = 20240611
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT = os.path.join(ROOT, "data", "seed", "corpus.csv")

LABELS = {"P": (1, 0), "G": (1, 0), "R": (0, 1), "B": (1, 1), "M": (1, 1), "N": (0, 0), "H": (0, 0)}
CELL = {"P": "P", "G": "P", "R": "R", "B": "B", "M": "B", "N": "N", "H": "N"}  # code -> label cell
KINDS = ("review", "ticket", "chat", "churn_note")

HAND = []  # (text, code, kind, product)
SEED_DIR = os.path.join(ROOT, "data", "seed")
# The handwritten lines live next to the corpus they produce. The second file holds the eighth
# pass, which is left out of the template balancing (see build()).
HAND_FILES = ("handwritten.txt", "handwritten_eighth_pass.txt")


def read_hand(name):
    """Appends the lines of data/seed/NAME to HAND: `[kind product]` starts a group, every other
    non-blank line is a tag and the text, `#` starts a comment line."""
    kind = product = None
    with open(os.path.join(SEED_DIR, name), encoding="utf-8") as fh:
        for n, raw in enumerate(fh, 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("["):
                kind, product = line.strip("[]").split()
                assert kind in KINDS, "%s:%d: unknown kind %s" % (name, n, kind)
                continue
            code, body = line[0], line[1:].strip()
            assert kind and code in LABELS and body, "%s:%d: %s" % (name, n, raw)
            HAND.append((body, code, kind, product))


read_hand(HAND_FILES[0])
EIGHTH_PASS_START = len(HAND)  # lines from here on are left out of the template balancing
read_hand(HAND_FILES[1])

# =============================================================================================
# Template vocabulary. Surfaces are (phrase, ticket subject, plural?). Used only to top up cells.
# =============================================================================================
S = lambda phrase, subject, plural=False: (phrase, subject, plural)

VOCAB = {
    "shoplane": dict(
        b2b=True, uploads=True,
        mobile=True,
        surfaces=[S("the checkout", "Checkout"), S("the cart page", "Cart page"),
                  S("the orders list in the admin", "Orders list"),
                  S("product search in the admin", "Admin product search"),
                  S("the admin dashboard", "Admin dashboard"), S("the theme editor", "Theme editor"),
                  S("inventory sync", "Inventory sync"), S("the payment step", "Payment step"),
                  S("our collection pages", "Collection pages", True),
                  S("the sales report", "Sales report"), S("the product editor", "Product editor"),
                  S("the discounts page", "Discounts page"),
                  S("the storefront search", "Storefront search"),
                  S("the customers page", "Customers page")],
        actions=["place a test order", "refund an order", "save a product", "print a shipping label",
                 "apply a discount code", "export last month's orders", "log in to the admin",
                 "update stock levels", "add a product variant", "capture a payment",
                 "open an order", "publish a theme change"],
        errors=["Something went wrong", "Error 500", "Payment could not be processed",
                "Unable to save product", "502 Bad Gateway", "Oops, we couldn't load this page"],
        lost=["my product descriptions", "yesterday's orders", "the inventory counts",
              "my draft theme", "all the variant images"],
        features=["wholesale price lists", "a loyalty program", "scheduled discounts",
                  "more checkout fields", "product subscriptions", "multi-currency pricing",
                  "a B2B portal", "back-in-stock alerts", "gift wrapping options"],
        envs=["Chrome 126 on Windows 11", "Safari 17.5 on macOS 14",
              "the admin app on an iPhone 13 (iOS 17.5)", "Firefox 127 on Ubuntu 22.04",
              "the admin app on a Pixel 7", "Edge on Windows 10"],
        refs=["order #SL-{n5}", "orders #SL-{n5} and #SL-{n5}", "store ID {word}-{n3}"],
        impact=["we're losing sales", "customers abandon their carts",
                "my staff can't pack orders on time", "we get angry emails from shoppers"],
        scale=["8,000 products", "about 3,000 orders a month", "12 staff accounts", "40 collections"],
        wrong=["stock levels", "order totals", "tax amounts", "shipping rates"],
    ),
    "taskgrid": dict(
        b2b=True, uploads=True,
        mobile=True,
        surfaces=[S("the board view", "Board view"), S("search", "Search"),
                  S("the portfolio dashboard", "Portfolio dashboard"), S("the gantt chart", "Gantt chart"),
                  S("the timeline", "Timeline"), S("my task list", "Task list"),
                  S("the reports page", "Reports page"), S("the inbox", "Inbox"),
                  S("the calendar view", "Calendar view"), S("the sprint planner", "Sprint planner"),
                  S("the mobile app", "Mobile app"), S("task comments", "Task comments", True)],
        actions=["move a card to another column", "create a task", "export a report to CSV",
                 "log in with SSO", "attach a file to a task", "assign a task", "open a project",
                 "comment on a task", "start a sprint", "duplicate a board",
                 "filter the board by assignee", "mark a task as done"],
        errors=["Something went wrong", "Error 500", "Failed to load board",
                "Could not save changes", "Unexpected error (code TG-12)"],
        lost=["my task comments", "a whole sprint's worth of tasks", "the checklist on my task",
              "our board columns", "the time I logged this week"],
        features=["a workload view", "cross-project dependencies", "custom statuses per board",
                  "time estimates on subtasks", "a dark theme", "recurring checklists",
                  "guest access for clients", "an Outlook add-in", "burn-up charts"],
        envs=["Chrome 126 on macOS 14", "Firefox 127 on Windows 11", "the iOS app 5.9 on an iPhone 14",
              "the Android app on a Galaxy S23", "Edge on Windows 11", "the desktop app on a MacBook Air M2"],
        refs=["task TG-{n5}", "workspace {word}", "project TG-PRJ-{n4}"],
        impact=["the whole team is blocked", "our standups run late", "people miss deadlines",
                "managers can't see progress"],
        scale=["about 1,500 tasks", "60 users", "25 active projects", "a board with 800 cards"],
        wrong=["due dates", "time totals", "task counts", "assignees"],
    ),
    "pennywise": dict(
        mobile=True,
        surfaces=[S("the balance screen", "Balance screen"), S("the transfers tab", "Transfers tab"),
                  S("statements", "Statements", True), S("the login screen", "Login screen"),
                  S("transaction search", "Transaction search"), S("the insights tab", "Insights tab"),
                  S("the cards page", "Cards page"), S("the payees list", "Payees list"),
                  S("the savings pots screen", "Savings pots"), S("face ID login", "Face ID login")],
        actions=["send a transfer", "log in with face ID", "download a statement", "add a new payee",
                 "check my balance", "pay a bill", "top up my savings pot", "view my card PIN",
                 "set up a standing order", "search my transactions"],
        errors=["Something went wrong", "Service unavailable", "We couldn't complete your request",
                "Error 500", "Transaction failed (code T-09)"],
        lost=["my transaction history", "my saved payees", "my scheduled payments",
              "my savings pot settings"],
        features=["joint accounts", "round-ups", "savings goals with pictures",
                  "spending limits per category", "a shared pot for flatmates",
                  "virtual cards for subscriptions", "budget alerts"],
        envs=["iPhone 13, iOS 17.5", "Pixel 7, Android 14", "Galaxy S22, Android 14",
              "iPhone SE, iOS 17.4", "Xiaomi Redmi Note 12, Android 13"],
        refs=["reference PW-{n5}", "transaction ref PW-TR-{n5}"],
        impact=["I can't pay my bills on time", "I've started using the website instead",
                "I don't know how much money I have", "paying rent is stressful every month"],
        scale=["five years of transactions", "three savings pots", "about 40 payees"],
        wrong=["balances", "transaction amounts", "exchange rates", "pending amounts"],
    ),
    "snapvault": dict(
        uploads=True,
        mobile=True,
        surfaces=[S("the gallery", "Gallery"), S("photo upload", "Photo upload"), S("the backup", "Backup"),
                  S("the albums view", "Albums view"), S("search", "Search"), S("the timeline", "Timeline"),
                  S("video playback", "Video playback"), S("the sharing screen", "Sharing screen"),
                  S("the web gallery", "Web gallery"), S("the memories feature", "Memories")],
        actions=["back up my camera roll", "upload a video", "open an album", "share an album",
                 "search my photos", "restore photos to a new phone", "download an original",
                 "log in on the web", "free up space", "create an album"],
        errors=["Backup failed", "Upload error", "Something went wrong", "Couldn't load photos",
                "Error 500"],
        lost=["about 300 photos", "my vacation album", "all the videos from last year", "my edits",
              "the album I shared with family"],
        features=["face grouping on the web", "shared family albums", "a locked private folder",
                  "RAW support", "photo book printing", "duplicate detection",
                  "a way to hide screenshots"],
        envs=["iPhone 14, iOS 17.5", "Pixel 8, Android 14", "Galaxy S21, Android 14", "iPad Air, iPadOS 17",
              "Chrome on Windows 11 (web gallery)"],
        refs=["account ID SV-{n6}"],
        impact=["I'm scared to delete anything from my phone", "my storage is full",
                "sharing photos with family is a chore", "I worry about my backups"],
        scale=["about 30,000 photos", "120 GB of videos", "15 shared albums"],
        wrong=["dates on photos", "storage totals", "photo counts", "locations"],
    ),
    "notely": dict(
        uploads=True,
        mobile=True,
        surfaces=[S("sync", "Sync"), S("the editor", "Editor"), S("search", "Search"),
                  S("attachments", "Attachments", True), S("the sidebar", "Sidebar"),
                  S("offline mode", "Offline mode"), S("the web clipper", "Web clipper"),
                  S("note history", "Note history"), S("the desktop app", "Desktop app"),
                  S("shared notebooks", "Shared notebooks", True)],
        actions=["open a long note", "paste an image", "sync between my laptop and phone",
                 "search my notes", "export a notebook to PDF", "attach a PDF", "log in",
                 "share a note", "restore an old version", "create a new notebook"],
        errors=["Sync error", "Something went wrong", "Could not save note", "Attachment unavailable",
                "Error 500"],
        lost=["my notes from this morning", "a whole notebook", "the edits I made offline", "my tags",
              "two pages of meeting notes"],
        features=["nested notebooks", "a kanban view", "handwriting on iPad", "markdown tables",
                  "note templates", "a Linux app", "backlinks"],
        envs=["the Mac app 4.12 on macOS 14", "the Windows app 4.12 on Windows 11",
              "the iOS app on an iPhone 15", "the Android app on a Pixel 6a", "the web app in Chrome 126"],
        refs=["note ID NT-{n5}"],
        impact=["I can't rely on my notes in meetings", "I keep a backup in another app now",
                "I lose time every day", "my study schedule is a mess"],
        scale=["about 6,000 notes", "40 notebooks", "notes with lots of images"],
        wrong=["note titles", "tags", "modified dates", "word counts"],
    ),
    "beatbox": dict(
        mobile=True,
        surfaces=[S("playback", "Playback"), S("downloads", "Downloads", True), S("search", "Search"),
                  S("the home feed", "Home feed"), S("my playlists", "Playlists", True),
                  S("car mode", "Car mode"), S("the lyrics view", "Lyrics view"),
                  S("podcasts", "Podcasts", True), S("the desktop app", "Desktop app"),
                  S("casting", "Casting"), S("my library", "Library")],
        actions=["play a song", "download a playlist", "skip a track", "cast to my speaker", "log in",
                 "open my library", "start a radio station", "play something offline",
                 "add a song to a playlist", "search for an artist"],
        errors=["Playback error", "Something went wrong", "Can't play this right now", "Error 500",
                "Download failed"],
        lost=["my playlists", "all my downloads", "my liked songs", "my podcast progress"],
        features=["a sleep timer", "lossless audio", "collaborative playlists", "a student plan",
                  "hiding podcasts from home", "a better queue editor", "a big-button car layout"],
        envs=["iPhone 15, iOS 17.5", "Pixel 7 Pro, Android 14", "the desktop app on Windows 11",
              "the desktop app on macOS 14", "the web player in Chrome", "Galaxy A52, Android 13"],
        refs=["account email on file"],
        impact=["listening on my commute is frustrating", "my workouts start with awkward silences",
                "premium feels like a waste of money", "road trips are ruined"],
        scale=["about 4,000 liked songs", "60 playlists", "20 GB of downloads"],
        wrong=["play counts", "song titles", "album art", "listening stats"],
    ),
    "fleetpulse": dict(
        b2b=True, uploads=True,
        mobile=False,
        api=True,
        avoid=["the app", "tap", "phone", "button", "white screen", "scroll"],
        surfaces=[S("the /v2/metrics endpoint", "/v2/metrics endpoint"), S("dashboards", "Dashboards", True),
                  S("the reports API", "Reports API"), S("webhook delivery", "Webhook delivery"),
                  S("CSV export", "CSV export"), S("the query builder", "Query builder"),
                  S("SSO login", "SSO login"), S("the embed widgets", "Embedded charts", True),
                  S("the events ingestion API", "Ingestion API"),
                  S("scheduled reports", "Scheduled reports", True)],
        actions=["call /v2/metrics", "export a report to CSV", "log in through SSO",
                 "load the ops dashboard", "create a webhook", "run a query over 90 days",
                 "refresh an embedded chart", "rotate an API key", "schedule a report",
                 "post a batch of events"],
        errors=["500 Internal Server Error", "502 Bad Gateway", "Query failed", "Something went wrong",
                "503 Service Unavailable"],
        lost=["last week's ingested events", "our saved queries", "the dashboard layouts",
              "two days of metrics"],
        features=["a Terraform provider", "per-user API keys", "scheduled exports to S3",
                  "more chart types", "audit logs", "a dbt integration", "row-level permissions"],
        envs=["the Python SDK 2.3 from eu-west-1", "a Node 20 client in us-east-1",
              "Chrome 126 on macOS", "curl from our CI runners", "Firefox 127 on Windows 11"],
        refs=["org id fp-{n4}", "request id req_{hex}", "request ids req_{hex} and req_{hex}"],
        impact=["our pipeline falls behind", "our customers see stale numbers",
                "the on-call engineer gets paged", "our weekly report is late"],
        scale=["about 2 million events a day", "40 dashboards", "300 API calls per minute"],
        wrong=["daily totals", "utilisation numbers", "event counts", "averages"],
    ),
    "quizquest": dict(
        mobile=True,
        surfaces=[S("level loading", "Level loading"), S("the shop", "Shop"),
                  S("daily challenges", "Daily challenges", True), S("the leaderboard", "Leaderboard"),
                  S("multiplayer matches", "Multiplayer", True), S("the map screen", "Map screen"),
                  S("rewarded ads", "Rewarded ads", True), S("the main menu", "Main menu"),
                  S("the tournament screen", "Tournament screen")],
        actions=["finish a level", "open the shop", "watch an ad for coins", "start a multiplayer match",
                 "claim my daily reward", "restore purchases", "log in with Google Play",
                 "join a tournament", "use a hint"],
        errors=["Connection error", "Something went wrong", "Purchase failed", "Error 500",
                "Unable to load level"],
        lost=["my progress", "all my coins", "my level 142 progress", "my gems", "my 90-day streak"],
        features=["more levels", "a hint button", "an offline mode", "an ad-free option",
                  "harder questions", "a history category", "friend challenges"],
        envs=["Samsung A54, Android 14", "iPhone XR, iOS 17.4", "iPad 9th gen", "Pixel 6, Android 14",
              "Huawei P30, Android 10"],
        refs=["player ID QQ-{n7}"],
        impact=["I lose my streak", "I can't finish the event", "my kids are upset",
                "I'm wasting lives"],
        scale=["level 300+", "about 5,000 coins", "a 60-day streak"],
        wrong=["scores", "answers", "coin balances", "leaderboard positions"],
    ),
    "mealmate": dict(
        mobile=True,
        surfaces=[S("order tracking", "Order tracking"), S("the menu", "Menu"), S("checkout", "Checkout"),
                  S("the restaurant list", "Restaurant list"), S("search", "Search"),
                  S("the courier map", "Courier map"), S("promo codes", "Promo codes", True),
                  S("the cart", "Cart"), S("the payment screen", "Payment screen")],
        actions=["place an order", "apply a promo code", "track my courier", "pay with my card",
                 "reorder a past meal", "log in", "rate a delivery", "add a tip",
                 "change my delivery address"],
        errors=["Order failed", "Something went wrong", "Payment error", "Error 500",
                "We couldn't process your payment"],
        lost=["my saved addresses", "my order history", "my cart", "my loyalty stamps"],
        features=["group orders", "scheduled orders", "allergen filters", "tipping after delivery",
                  "a vegetarian filter", "split payment"],
        envs=["iPhone 14, iOS 17.5", "Samsung A53, Android 14", "Pixel 7, Android 14",
              "iPhone 12, iOS 17.4", "the website in Chrome"],
        refs=["order ID MM-{n7}"],
        impact=["my food arrived cold", "I ended up ordering elsewhere", "dinner was an hour late",
                "ordering at lunch eats half my break"],
        scale=["a big office order", "a family order for six"],
        wrong=["prices", "delivery times", "order totals", "addresses"],
    ),
    "clinicdesk": dict(
        b2b=True, uploads=True,
        mobile=False,
        surfaces=[S("the calendar", "Calendar"), S("patient search", "Patient search"),
                  S("appointment reminders", "Appointment reminders", True),
                  S("video visits", "Video visits", True), S("the billing report", "Billing report"),
                  S("patient records", "Patient records", True), S("the online booking page", "Online booking"),
                  S("the invoicing screen", "Invoicing")],
        actions=["book an appointment", "open a patient record", "start a video visit",
                 "send SMS reminders", "export the billing report", "log in", "upload a lab result",
                 "print an invoice", "reschedule an appointment"],
        errors=["Error 500", "Something went wrong", "Could not save", "Booking failed", "Session error"],
        lost=["today's appointments", "patient notes", "the intake forms", "last week's invoices"],
        features=["recurring appointments", "a waitlist", "Spanish-language reminders",
                  "custom intake forms", "insurance claim exports"],
        envs=["Chrome 126 on Windows 10", "Edge on Windows 11", "the iPad at reception",
              "Safari on macOS 14"],
        refs=["practice ID CD-{n4}", "appointment #{n5}"],
        impact=["patients wait at the front desk", "phone calls pile up at reception", "doctors run late all day",
                "reception is overwhelmed"],
        scale=["9 practitioners", "about 14,000 patients", "three locations"],
        wrong=["appointment times", "invoice totals", "patient names", "practitioner schedules"],
    ),
    "tripnest": dict(
        mobile=True,
        surfaces=[S("flight search", "Flight search"), S("hotel search", "Hotel search"),
                  S("the booking page", "Booking page"), S("my itinerary", "Itinerary"),
                  S("boarding passes", "Boarding passes", True), S("the map view", "Map view"),
                  S("price alerts", "Price alerts", True), S("the payment page", "Payment page"),
                  S("online check-in", "Online check-in")],
        actions=["book a hotel", "search for flights", "pay for a booking", "open my boarding pass",
                 "add a trip", "log in", "change a booking", "filter hotels by price", "check in online"],
        errors=["Booking failed", "Something went wrong", "Payment error", "Error 500",
                "This trip could not be loaded"],
        lost=["my saved trips", "my upcoming bookings", "my traveller details"],
        features=["multi-city search", "a price calendar", "filters for hotels with kitchens",
                  "train tickets", "a trip budget tracker"],
        envs=["iPhone 14 Pro, iOS 17.5", "Pixel 8, Android 14", "Chrome 126 on Windows 11",
              "Safari on macOS 14", "Galaxy S22, Android 14"],
        refs=["booking TN-{n7}"],
        impact=["I almost missed my flight", "I had to book at the desk for more money",
                "we were stuck at the airport", "our trip planning is on hold"],
        scale=["a family of five", "a 4-city trip", "40 past trips"],
        wrong=["prices", "flight times", "hotel dates", "currency conversions"],
    ),
    "fitloop": dict(
        mobile=True,
        surfaces=[S("watch sync", "Watch sync"), S("GPS tracking", "GPS tracking"),
                  S("the stats screen", "Stats screen"), S("workout history", "Workout history"),
                  S("the run map", "Run map"), S("the sleep tab", "Sleep tab"),
                  S("training plans", "Training plans", True), S("heart rate charts", "Heart rate charts", True)],
        actions=["sync my watch", "save a workout", "start a run", "open my workout history",
                 "export a GPX file", "log in", "load my weekly summary", "start a training plan"],
        errors=["Sync failed", "Something went wrong", "Workout could not be saved", "Error 500"],
        lost=["my morning run", "a week of sleep data", "my workout history", "my personal records"],
        features=["swimming workouts", "strength training templates", "a dark map style",
                  "segments like other running apps", "a rest day planner"],
        envs=["Pixel 8, Android 14", "iPhone 13, iOS 17.4", "Galaxy S23 with a Galaxy Watch 6",
              "iPhone 15 with an Apple Watch"],
        refs=["account ID FL-{n6}"],
        impact=["my training plan is off", "I can't see my progress", "I waste time after every run",
                "my coach sees my runs late"],
        scale=["about 1,400 workouts", "4 years of data", "daily runs"],
        wrong=["distances", "pace numbers", "calorie counts", "step counts"],
    ),
}
PRODUCTS = sorted(VOCAB)
# =============================================================================================
# Template engine
# =============================================================================================
VERBS = ["is", "has", "was", "takes", "loads", "freezes", "hangs", "crawls", "lags", "stutters",
         "fails", "shows", "doesnt", "does", "keeps", "gets", "feels", "returns", "works",
         "looks", "times", "responds", "seems", "needs", "goes", "crashes"]
SINGULAR = {"doesnt": "doesn't"}
PLURAL = {"is": "are", "has": "have", "was": "were", "doesnt": "don't", "does": "do", "goes": "go"}


def plural_of(verb):
    if verb in PLURAL:
        return PLURAL[verb]
    if verb.endswith(("shes", "ches", "sses", "xes")):
        return verb[:-2]
    return verb[:-1]


def cap(s):
    return s[:1].upper() + s[1:] if s else s


def soft_lower(s):
    # "Admin product search" -> "admin product search", but keep "SSO login", "/v2/...", "GPS".
    if len(s) > 1 and s[0].isupper() and s[1].islower():
        return s[0].lower() + s[1:]
    return s


SINCE = ["since the last update", "since Monday", "since the redesign", "since last week",
         "since this morning", "since the new version", "since yesterday's release",
         "since version {ver}", "since the weekend", "since the update on Tuesday"]
SECS = [6, 8, 9, 10, 12, 14, 15, 18, 20, 25, 30, 35, 40, 45, 50, 60, 90]
MINS = [2, 3, 4, 5, 7, 10, 12, 15, 20, 25]
WORDS = ["bluefinch", "oakandiron", "harbourlane", "tinyfern", "northgate", "copperkettle",
         "mossy", "brightside", "redwood", "lumen", "quayside", "pebble"]
NAMES = ["Maria", "Tom", "Priya", "Jonas", "Aiko", "Luca", "Fatima", "Sam", "Olu", "Ines", "Kenji", "Rosa"]


class Ctx(dict):
    """Slot values for one generated line."""

    def __init__(self, rng, product):
        super().__init__()
        v = VOCAB[product]
        phrase, subject, plural = rng.choice(v["surfaces"])
        self.rng = rng
        self.product = product
        self["S"] = phrase
        self["SC"] = cap(phrase)
        self["Subj"] = subject
        self["subj"] = soft_lower(subject)
        self["it"] = "they" if plural else "it"
        self["them"] = "them" if plural else "it"
        for verb in VERBS:
            self[verb] = plural_of(verb) if plural else SINGULAR.get(verb, verb)
        self["A"] = rng.choice(v["actions"])
        self["E"] = rng.choice(v["errors"])
        self["L"] = rng.choice(v["lost"])
        self["F"] = rng.choice(v["features"])
        self["W"] = rng.choice(v["wrong"])
        self["env"] = rng.choice(v["envs"])
        self["imp"] = rng.choice(v["impact"])
        self["scale"] = rng.choice(v["scale"])
        self["n"] = rng.choice(SECS)
        self["old"] = rng.choice([1, 2, 2, 3, 3, 4, 5])
        self["m"] = rng.choice(MINS)
        self["d"] = rng.choice([2, 3, 4, 5, 6, 8, 10])
        self["k"] = rng.choice([3, 4, 5, 10])
        self["ver"] = "%d.%d" % (rng.randint(2, 14), rng.randint(0, 12))
        self["since"] = rng.choice(SINCE).format(ver=self["ver"])
        self["ref"] = self.ref(rng.choice(v["refs"]))
        self["name"] = rng.choice(NAMES)
        self["mobile"] = v["mobile"]

    def ref(self, pattern):
        rng = self.rng
        out = pattern
        while "{" in out:
            out = (out.replace("{n3}", str(rng.randint(100, 999)), 1)
                      .replace("{n4}", str(rng.randint(1000, 9999)), 1)
                      .replace("{n5}", str(rng.randint(10000, 99999)), 1)
                      .replace("{n6}", str(rng.randint(100000, 999999)), 1)
                      .replace("{n7}", str(rng.randint(1000000, 9999999)), 1)
                      .replace("{hex}", "%06x" % rng.randint(0, 0xFFFFFF), 1)
                      .replace("{word}", rng.choice(WORDS), 1))
        return out

    def f(self, template):
        return template.format(**self)


# ---- clause pools (fragments, no final punctuation) -------------------------------------------
PERF = [
    "{SC} {takes} {n} seconds to load",
    "{SC} {has} gotten really slow {since}",
    "it takes ages to {A}",
    "{SC} {is} laggy, every tap feels delayed",
    "{SC} {crawls} as soon as there's any real data in {them}",
    "there's a spinning wheel for {n} seconds every time I {A}",
    "{SC} {hangs} for a while before {it} {responds}",
    "the app freezes for a few seconds whenever I {A}",
    "{SC} {is} sluggish, like wading through mud",
    "trying to {A} takes forever",
    "{SC} {stutters} when I scroll",
    "{SC} {is} stuck loading for about {n} seconds before anything shows up",
    "{SC} went from instant to {n} seconds",
    "{SC} {is} unresponsive for a second or two after every click",
    "everything in {S} feels heavy and slow",
    "it takes {n} seconds just to {A}",
    "{SC} {is} painfully slow at busy times of day",
    "every tap in {S} needs a second or two to register",
    "{SC} {is} choppy and janky {since}",
    "{SC} {loads} so slowly that I sometimes give up",
    "every time I {A} there's a long pause before anything happens",
    "{SC} {is} slow to the point of being annoying, though {it} {does} finish eventually",
    "the loading spinner on {S} runs for ages before {it} finally {works}",
    "{SC} {lags} a good second behind whatever I do",
    "I timed it: {n} seconds to {A}, when it used to be {old}",
    "{SC} {is} so slow {since} that I dread opening {them}",
    "{SC} sometimes {times} out because {it} {takes} so long, and I have to retry",
    "the whole app slows down once I open {S}",
]
PERF_MOBILE = [
    "the app drains my battery even if I only {A}",
    "my phone gets hot whenever I {A}",
    "the app eats a crazy amount of memory and my phone slows to a crawl",
    "the app is bloated, it takes {n} seconds just to start",
    "it burns through my battery in the background",
    "the app uses way too much mobile data",
    "startup is slow, {n} seconds on the splash screen before I can {A}",
]
PERF_DESKTOP = [
    "my laptop fan spins up whenever {S} {is} open",
    "the browser tab eats gigabytes of RAM",
    "the whole browser gets sluggish with {S} open",
    "the page takes {n} seconds before {S} {is} usable",
]
PERF_API = [
    "p95 latency on our API calls is around {n} seconds now, it was well under one",
    "the API is slow enough that our workers back up, {n} seconds per call",
    "our integration spends most of its time waiting on your API",
]
REL = [
    "I get \"{E}\" every time I try to {A}",
    "the app crashes when I {A}",
    "{SC} {shows} a blank screen",
    "{SC} {has} stopped working, it's been like this {since}",
    "trying to {A} fails with \"{E}\"",
    "the {W} shown in the app are wrong, they don't add up",
    "I lost {L} after the last update",
    "{SC} won't load at all",
    "{SC} {is} broken {since}",
    "I can {A} maybe half the time, the other half it errors out",
    "the app keeps closing when I {A}",
    "{SC} {returns} an error page",
    "{SC} randomly {fails}, no pattern that I can see",
    "I can't {A}, it just says \"{E}\"",
    "{L} disappeared, no warning, no error, just gone",
    "{SC} {is} buggy, half the time {it} just {doesnt} do anything",
    "when I try to {A} nothing happens, the button just does nothing",
    "the app force closes as soon as I {A}",
    "{SC} {was} down for hours yesterday",
    "{SC} {has} been failing on and off {since}",
    "the app won't even open now, it stays on a white screen",
    "I can't log in {since}, it rejects my password even after a reset",
    "{SC} {keeps} throwing \"{E}\"",
    "I keep seeing wrong {W} since the last update",
    "the sync failed and now I can't find {L} anywhere",
]
BOTH = [
    "{SC} {takes} ages and then {fails} with \"{E}\"",
    "the app freezes when I {A} and then crashes",
    "trying to {A} times out and nothing gets saved",
    "{SC} {hangs} for about {n} seconds and then {shows} a blank screen",
    "{SC} {is} so slow that {it} {times} out, and I lose {L}",
    "{SC} {crawls} for a minute and then the app closes itself",
    "the spinner on {S} goes for ages and then I get \"{E}\"",
    "it lags like crazy when I {A}, and half the time it ends in an error",
    "{SC} {is} unresponsive for a while, then the whole app crashes",
    "when I {A} it hangs, then errors out, and I have to start over",
    "{SC} {gets} slower every day and now {it} {fails} completely at busy times",
    "the app gets sluggish and then force closes when I {A}",
    "{SC} {takes} {n} seconds to respond and then throws \"{E}\"",
    "it's slow to {A}, and when it finally finishes the result is wrong",
]
PRAISE_HARD = [  # hard negatives: stability praise, support speed, "not a bug", feature words
    "no crashes since the update, {S} finally {works} great",
    "support was fast and sorted out my billing question in minutes",
    "support took {d} days to reply, but the product itself is fine",
    "not a bug, but it would be nice if {S} remembered my last filter",
    "the onboarding was quick and painless",
    "works great, zero issues so far, just wish it had {F}",
    "never had a single outage in {d} months, very dependable",
    "the live chat was slow to answer today, but the agent was helpful",
    "I was expecting bugs after the big redesign but everything just works",
    "rock solid. {S} {has} never let me down",
    "customer support is slow to respond, otherwise no complaints",
    "not a bug report, just asking for {F}",
    "thanks for the quick fix on {S} last week, all good now",
    "is there a shortcut to {A}? not a complaint, just want to save clicks",
    "please add {F}, and maybe a dark mode while you're at it",
    "support was quick to explain how to {A}, thanks",
    "{SC} {has} been error-free for me since day one",
    "got a quick reply from the team when I asked about {F}",
    "zero bugs so far, {S} does exactly what it says",
]
PRAISE_PERF = [  # speed praise (code G): labelled neither by labels_of()
    "{SC} {is} super fast now, whatever you changed keep it",
    "{SC} {is} quick and error-free, really happy with it",
    "it used to be laggy a year ago, now it's smooth. good job",
    "{SC} {loads} instantly for me, love it",
    "fast, stable, does what it says",
    "{SC} {is} way snappier after the update",
    "{SC} {is} fast and I haven't seen a single error since I switched",
    "no lag at all in {S} anymore, thanks for fixing it",
    "loving how quick {S} {is}, would love {F} next",
    "{SC} used to freeze on me last year, since the rewrite it's been flawless",
    "{SC} {is} so much quicker than {it} {was} last year",
    "it's light and responsive, even when I {A}",
]
NEUTRAL = [
    "please add {F}",
    "would love {F}",
    "any plans for {F}?",
    "it's missing {F}, that's the only thing stopping me from upgrading",
    "too expensive for what it does",
    "the price went up again and I don't see what changed",
    "how do I {A}? can't find it anywhere",
    "the new design of {S} is confusing",
    "{SC} {looks} outdated compared to other apps",
    "the free plan is too limited",
    "great app, I use it every day",
    "too many emails after signing up",
    "{F} would make this perfect",
    "the icons in {S} are hard to tell apart",
    "wish {S} had more ways to customise it",
    "how do I {A} from my phone?",
    "the colours in {S} are hard to read in sunlight",
    "can you bring back the old layout of {S}?",
    "charging extra for {F} feels greedy",
]

REVIEW_OPEN_NEG = ["", "", "", "", "ugh. ", "honestly, ", "update: ", "1 star. ", "2 stars. ",
                   "been using it for a year and now ", "used to love this app but ",
                   "love the design but ", "decent app, but ", "3 stars because ", "not happy. ",
                   "great features but ", "the only problem: "]
REVIEW_CLOSE_NEG = ["", "", "", ". please fix", ". fix it pls", ". uninstalling",
                    ". otherwise it's decent", ". really annoying", "!!", " :(",
                    ". every single time", ". not acceptable", ". come on", ". same on wifi and 5G",
                    ". already reinstalled"]
REVIEW_OPEN_POS = ["", "", "", "5 stars. ", "4 stars, ", "honestly ", "3 stars. ", "2 years in: "]
REVIEW_CLOSE_POS = ["", "", "", ". thanks!", " :)", ". keep it up", ". recommended"]
REVIEW_OPEN_NEU = ["", "", "", "3 stars. ", "4 stars, ", "honestly ", "small thing: "]
REVIEW_CLOSE_NEU = ["", "", "", ". just my 2 cents", " thx", ". otherwise fine"]

CHAT_OPEN = ["hi, ", "hey, ", "hey team, ", "hello, ", "hi there, ", "", "good morning, ", "hi again, "]
CHAT_TAIL = ["", "", "", ", is it just me?", ", any idea what's going on?", ", anyone else seeing this?",
             ". can you check?", ". help please", ", is this a known issue?", ". thanks"]
CHAT_TAIL_N = ["", "", ". thanks!", " :)"]

CHURN_OPEN = ["Cancelling because ", "We're leaving: ", "Switching to another tool because ",
              "Closing my account. ", "Reason for cancelling: ", "Moving on because ",
              "Not renewing. ", "Leaving. In short: ", "Cancelled. "]
CHURN_CLOSE = ["", "", ".", " and support couldn't fix it.", ", and it kept happening.",
               ". We gave it three months.", ". That was the last straw.", ". Too many times."]
CHURN_REASONS = [  # (reason, scope)
    ("the price went up", "all"), ("the yearly price doubled", "all"), ("it's missing {F}", "all"),
    ("we're closing the business", "b2b"), ("the project ended", "b2b"),
    ("we're switching to a competitor that has {F}", "b2b"), ("budget cuts", "b2b"),
    ("we merged with another company", "b2b"), ("the team got smaller", "b2b"),
    ("we only needed it for one season", "b2b"), ("we moved everything to an all-in-one suite", "b2b"),
    ("we outgrew the plan limits and the next tier is too pricey", "b2b"),
    ("our new owners use a different vendor", "b2b"),
    ("I don't use it enough", "b2c"), ("I'm consolidating subscriptions", "b2c"),
    ("the free version is enough for me", "b2c"), ("I found another app that has {F}", "b2c"),
    ("money is tight right now", "b2c"), ("I'm taking a break for a few months", "b2c"),
    ("my partner already pays for something similar", "b2c"),
    ("procurement didn't approve the renewal", "b2b"), ("we're pausing the project until next year", "b2b"),
    ("the client we used it for left", "b2b"), ("we built our own internal tool", "b2b"),
    ("I'm moving abroad", "b2c"), ("I only signed up for the trial", "b2c"),
    ("I'm cutting back on subscriptions this year", "b2c"),
]
CHURN_HARD = [
    "No crashes, no complaints. {RC}.",
    "Honestly it works great. {RC}.",
    "Support was slow to answer my emails, but that's not why. {RC}.",
    "Nothing wrong with the product, {R}.",
    "Zero bugs in two years, so this isn't about quality: {R}.",
    "We'd come back in a heartbeat, it never went down on us. But {R}.",
    "It has been rock solid for us. {RC}.",
]
CHURN_PERF_PRAISE = [  # code G: the note praises the product's speed (labelled neither)
    "It's been fast and reliable, that's not the issue. Simply: {R}.",
    "The app is quick and error-free, but {R}.",
    "The app is snappy and we liked it. {RC}.",
    "Fast, light and never broke once. {RC}.",
    "Loved how quick it was. {RC}.",
]


def join(opener, clause):
    """Attach a clause to an opener, fixing the case of the clause's first letter."""
    if not opener:
        return clause
    if opener.endswith(". "):
        return opener + cap(clause)
    return opener + soft_lower(clause)


USAGE = {}
CORES = set()
CLAUSE_CAP_N = 6  # a "neither" clause template is used at most this many times


class Retry(Exception):
    """Raised by a generator when its core sentence was already used; the caller retries."""


def first_time(text, seen):
    """True, and `text` joins `seen`, unless a row with the same dedupe key is already there."""
    key = dedupe_key(text)
    if key in seen:
        return False
    seen.add(key)
    return True


def claim(core):
    if isinstance(core, str):
        core = re.sub(r"\d+", "#", core)
    if core in CORES:
        raise Retry()
    CORES.add(core)


def pick(rng, pool):
    """Random choice that favours the least-used templates, so no template dominates."""
    if not pool:
        raise Retry()  # every template of this kind is used up
    low = min(USAGE.get(t, 0) for t in pool)
    cands = [t for t in pool if USAGE.get(t, 0) <= low + 1]
    t = rng.choice(cands)
    USAGE[t] = USAGE.get(t, 0) + 1
    return t


def review_noise(text, rng):
    t = text
    if rng.random() < 0.45:
        t = t.lower()
    if rng.random() < 0.4:
        t = t.replace("'", "")
    if rng.random() < 0.25:
        t = re.sub(r"\byou\b", "u", t)
    if rng.random() < 0.3:
        t = re.sub(r"\bplease\b", "pls", t)
    if rng.random() < 0.2:
        t = re.sub(r"\bbecause\b", "bc", t)
    if rng.random() < 0.2:
        t = re.sub(r"\bso\b", "sooo", t, count=1)
    if rng.random() < 0.15:
        words = t.split(" ")
        idx = [i for i, w in enumerate(words) if len(w) > 4 and w.isalpha()]
        if idx:
            i = rng.choice(idx)
            w = words[i]
            j = rng.randint(1, len(w) - 3)
            words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2:]
            t = " ".join(words)
    if rng.random() < 0.3:
        t = t.rstrip(".")
    return t


def clause_pool(code, ctx):
    if code == "P":
        pool = PERF + (PERF_MOBILE if ctx["mobile"] else PERF_DESKTOP)
        if VOCAB[ctx.product].get("api"):
            pool = pool + PERF_API
    elif code == "R":
        pool = REL
    elif code == "B":
        pool = BOTH
    elif code == "H":
        pool = [t for t in PRAISE_HARD if USAGE.get(t, 0) < CLAUSE_CAP_N]
    elif code == "G":
        pool = [t for t in PRAISE_PERF if USAGE.get(t, 0) < CLAUSE_CAP_N]
    else:
        pool = [t for t in NEUTRAL if USAGE.get(t, 0) < CLAUSE_CAP_N]
    avoid = VOCAB[ctx.product].get("avoid", ())
    return [t for t in pool if not any(a in t for a in avoid)]


def finish(text):
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"(?<!\.)\.\.(?!\.)", ".", text)
    text = text.replace("?.", "?").replace("!.", "!").replace(" .", ".")
    return text


def gen_review(code, ctx, rng):
    pool = clause_pool(code, ctx)
    main = ctx.f(pick(rng, pool))
    claim(main)
    if code in "PRB":
        extra = ""
        r = rng.random()
        if code == "B" and r < 0.35:
            # two single-label clauses combined make a "both" line
            other = Ctx(rng, ctx.product)  # second clause about a different surface/action
            main = ctx.f(pick(rng, clause_pool("P", ctx))) + ", and on top of that " + \
                soft_lower(other.f(pick(rng, clause_pool("R", other))))
        elif r < 0.25:
            other = Ctx(rng, ctx.product)
            extra = ". also " + soft_lower(other.f(pick(rng, clause_pool(code, other))))
        text = join(rng.choice(REVIEW_OPEN_NEG), main) + extra + rng.choice(REVIEW_CLOSE_NEG)
    elif code in "HG":
        text = join(rng.choice(REVIEW_OPEN_POS), main) + rng.choice(REVIEW_CLOSE_POS)
    else:
        text = join(rng.choice(REVIEW_OPEN_NEU), main) + rng.choice(REVIEW_CLOSE_NEU)
    text = finish(text)
    if rng.random() < 0.5:
        text = cap(text)
    return review_noise(text, rng)


def gen_chat(code, ctx, rng):
    main = ctx.f(pick(rng, clause_pool(code, ctx)))
    claim(main)
    if code in "PRB":
        text = join(rng.choice(CHAT_OPEN), main) + rng.choice(CHAT_TAIL)
    else:
        tail = "" if main.endswith("?") else rng.choice(CHAT_TAIL_N)
        text = join(rng.choice(CHAT_OPEN), main) + tail
    text = finish(text)
    if rng.random() < 0.3:
        text = cap(text)
    return text


def churn_reasons(ctx):
    return [r for r, scope in CHURN_REASONS if in_scope(scope, ctx.product)]


def gen_churn(code, ctx, rng):
    if code in "PRB":
        main = ctx.f(pick(rng, clause_pool(code, ctx)))
        claim(main)
        if rng.random() < 0.3:
            if VOCAB[ctx.product].get("b2b"):
                tails = ["we lost customers over it", "my team gave up on it", "it cost us real money",
                         "nobody fixed it"]
            else:
                tails = ["I gave up on it", "nobody fixed it", "I'm tired of it"]
            main = main + " and " + rng.choice(tails)
        text = join(rng.choice(CHURN_OPEN), main) + rng.choice(CHURN_CLOSE)
    elif code in "HG":
        reason = ctx.f(pick(rng, churn_reasons(ctx)))
        claim((code, reason))
        text = pick(rng, CHURN_HARD if code == "H" else CHURN_PERF_PRAISE)
        text = text.replace("{RC}", cap(reason)).replace("{R}", reason)
    else:
        reason = ctx.f(pick(rng, churn_reasons(ctx)))
        claim(("N", reason))
        text = rng.choice(["Cancelling because ", "Leaving because ", "Reason: ", "Cancelled: ",
                           "We're moving on, ", "Not renewing since "]) + reason + \
            rng.choice([".", ".", "", ". Thanks for everything.", ". Might be back later.",
                        ". Nothing personal."])
    text = finish(text)
    return cap(text)


# ---- tickets --------------------------------------------------------------------------------
def slots(template):
    return set(re.findall(r"\{(\w+)\}", template))


# Subjects by what the body clause talks about: a surface (S), an action (A), or neither (G).
T_SUBJ = {
    "P": dict(S=["{Subj} slow", "Slow {subj}", "{Subj} very slow {since}", "Performance issue with {subj}",
                 "{Subj} lagging", "Slowness in {subj}", "{Subj} sluggish {since}"],
              A=["Slow to {A}", "Takes too long to {A}", "Long wait when I {A}"],
              G=["App performance", "Performance problem", "Everything is slow {since}", "App got slow"]),
    "R": dict(S=["{Subj} not working", "{Subj} broken {since}", "{Subj} shows an error", "Bug in {subj}",
                 "{Subj} failing"],
              A=["Error when trying to {A}", "Cannot {A}", "Unable to {A}"],
              G=["Bug report", "App not working properly", "Problem {since}", "Something is broken",
                 "Issue after update"],
              E=["Error \"{E}\"", "\"{E}\" message"]),
    "B": dict(S=["{Subj} slow and failing", "{Subj} hangs, then errors", "Timeouts and errors in {subj}",
                 "{Subj} slow, then fails"],
              A=["Slow and failing when I {A}", "Timeout and error when trying to {A}"],
              G=["Slow, then errors", "Freezes followed by failures", "Timeouts and failures {since}"]),
}
T_PERF_EXTRA = [
    ("For example, it takes {n} seconds to {A}; it used to take about {old}.", "noA"),
    ("For context: {scale}.", ""),
    ("Everything completes eventually, it's just slow.", "Ponly"),
    ("It's worse at busy times of day.", ""),
    ("Because of this {imp}.", ""),
]
T_REL_STEPS_E = ["Steps: open {S}, try to {A}, see \"{E}\".",
                 "Steps to reproduce: 1) go to {S} 2) {A} 3) the error \"{E}\" appears."]
T_REL_STEPS = ["Steps: open {S} and try to {A}.", "To reproduce: go to {S}, then {A}."]
T_REL_FREQ = ["This happens every time.", "About one in {k} attempts fails.", "It's intermittent, maybe twice a day."]
T_REL_MISC = ["Because of this {imp}.", "Reinstalling and clearing the cache didn't help.",
              "Nothing changed on our side.", "Logging out and back in didn't help."]
T_ENV = ["Reproduced on {env}.", "Seen on {env}.", "Environment: {env}.", "I'm using {env}."]
T_REF = ["Example: {ref}.", "Reference: {ref}.", "See {ref}."]
WHEN = ["after the last update", "on Monday", "after the redesign", "about a week ago", "this morning",
        "a few days ago", "after yesterday's release", "with version {ver}", "two weeks ago",
        "over the weekend"]
T_SINCE = ["It started {when}.", "This began {when}.", "First noticed it {when}."]
T_ASK = ["Could you take a look?", "Please advise.", "Happy to send a screen recording.",
         "Is this a known issue?", "Please fix as soon as possible.", "Can you check the logs?",
         "Thanks for looking into it.", "Any workaround would help in the meantime."]

# Neither-tickets are built from topics: (scope, subjects, bodies, closers). Each topic is used at
# most TOPIC_CAP times so no single template dominates. scope: all, b2b, b2c, uploads.
TOPIC_CAP = 5
T_NEUTRAL = [
    ("b2b", ["Feature request: {F}", "Request: {F}", "Idea for the roadmap"],
     ["We'd love to have {F}. Several people on our side asked for it this month.",
      "Our team keeps asking for {F}. Is it on the roadmap at all?",
      "Would you consider adding {F}? Right now we work around it with spreadsheets."],
     ["", "Thanks!", "Happy to join a beta if there is one."]),
    ("b2c", ["Feature request: {F}", "Suggestion: {F}", "Wish list"],
     ["Would it be possible to add {F}? It's the one thing I miss compared to other apps I've tried.",
      "Any chance of {F} in a future version? I'd happily pay a bit more for it.",
      "I'd love {F}. A few friends who use the app said the same thing."],
     ["", "Thanks for listening!", "Keep up the good work."]),
    ("b2b", ["Invoice request", "VAT invoice needed", "Invoices for finance"],
     ["Could you send an invoice for last month with our company name and VAT number? Our finance team needs it.",
      "Our accountant needs the invoices for the last two quarters with our registered address. Where can we download them?",
      "The invoice we received shows our old company name. Could you reissue it with the new name?"],
     ["", "Thanks in advance.", "Thank you!"]),
    ("b2c", ["Receipt needed", "Receipt for my payment"],
     ["Could you email me a receipt for my last payment? I need it for an expenses claim and the app only shows the amount.",
      "Is there a way to download receipts for the whole year? My employer reimburses part of the cost."],
     ["", "Thanks!"]),
    ("all", ["Quick question", "How-to question", "Where is this setting?"],
     ["How do I {A}? I couldn't find it in the help center, and the search there didn't turn up anything useful.",
      "I'm new here. What's the easiest way to {A}? The guide I found seems to describe an older version.",
      "Is there a way to {A} in fewer steps? I do it every day."],
     ["", "Sorry if this is obvious!", "Thanks."]),
    ("b2b", ["Plan change", "Upgrade question", "Moving to a bigger plan"],
     ["We'd like to move to the next plan up starting next month because we're adding people. How does proration work?",
      "We're growing and will need more seats in the autumn. Can we change plans mid-contract, and will the invoice date change?"],
     ["", "Thanks."]),
    ("all", ["Update payment method", "New card for billing", "Card expiring"],
     ["The card on file expires this month. Where do I add the new one so the renewal goes through?",
      "I have a new debit card. How do I replace the old one for my subscription without losing my plan?"],
     ["", "Thanks for the help."]),
    ("b2b", ["Add a user", "New admin needed", "Admin access"],
     ["Please add {name} from our team as an admin. Our previous admin left last week and nobody else can manage billing.",
      "Can you make {name} an owner of our account? I'm going on parental leave and want someone covering for me."],
     ["", "Thanks!"]),
    ("all", ["Suggestion for {S}", "Layout feedback", "Small UX idea"],
     ["The layout of {S} is a bit cluttered. It would be nice to hide the parts we never use.",
      "{SC} would be easier to use with bigger buttons and fewer menus. Just feedback, nothing urgent.",
      "I find the new icons in {S} hard to understand. Could you add text labels?"],
     ["", "Thanks for considering it."]),
    ("b2b", ["Pricing question", "Question about pricing", "Pricing for next year"],
     ["Is there a discount for nonprofits or for paying yearly? We're a registered charity with about a dozen staff.",
      "What would the price be for a three-year commitment? We're planning the budget for next year."],
     ["", "Thank you."]),
    ("b2b", ["Account closure", "Closing our account", "End of contract"],
     ["Please close our account at the end of the billing period and confirm by email. Before that, how do we export everything?",
      "Our contract ends in two months and we won't renew. What is the process for closing the account and getting our data out?"],
     ["", "Thanks for the collaboration."]),
    ("b2b", ["Request for a demo", "Demo for our leadership team"],
     ["We're evaluating tools for a team with {scale}. Could we book a demo next week?",
      "Our leadership team wants to see the reporting side before we expand. Could you run a 30-minute demo?"],
     ["", "Any afternoon works for us."]),
    ("all", ["Language settings", "Other languages?"],
     ["Is the app available in German and Spanish? Some of us would prefer it in our own language.",
      "Do you plan to support Portuguese? Some of the people I'd like to share it with don't read English."],
     ["", "Thanks!"]),
    ("b2c", ["Refund request", "Forgot to cancel"],
     ["My subscription renewed yesterday and I forgot to cancel. Could I get a refund? I haven't used it since.",
      "I was charged for another year even though I meant to cancel. Is a refund possible if I cancel today?"],
     ["", "Thanks for understanding."]),
    ("all", ["Change email address", "New login email"],
     ["How can I change the email address on my account? My old one is being shut down at the end of the month.",
      "I'd like to use my new work email to log in instead of my personal one. Can you move the account over?"],
     ["", "Thanks!"]),
    ("b2c", ["Student discount?", "Discount for students"],
     ["Do you have a student discount? I can verify with my university email or send a photo of my student card.",
      "Is there a cheaper plan for students? The regular price is a lot on a student budget."],
     ["", "Thank you!"]),
    ("b2c", ["Delete my account", "Account deletion request"],
     ["Please delete my account and all my data. I won't be using the app anymore, and I'd like a confirmation email.",
      "I want to close my account and have my personal data removed under GDPR. What do you need from me?"],
     ["", "Thanks."]),
    ("b2c", ["Family plan question", "Sharing with my partner"],
     ["Can I share my subscription with my partner, and do we keep separate data? We don't want everything mixed together.",
      "How many people can be on the family plan, and do they all need to live at the same address?"],
     ["", "Thanks in advance."]),
    ("all", ["Price increase", "Feedback on the new pricing"],
     ["The price went up by a third this year without any new features that matter to me. Is there a cheaper plan?",
      "I just got the email about the new pricing. It's hard to justify for how little I use the app. Any loyalty discount?"],
     ["", "Otherwise I'm happy with the app."]),
]
T_HARD = [
    ("uploads", ["Upload limit question", "File size limits?", "Upload limits before a big import"],
     ["Is there a size limit for the files we upload? We're about to bring in a lot more data ({scale}).",
      "What's the maximum upload size per file, and is there a monthly upload limit on our plan?"],
     ["Everything works fine so far, just planning ahead.", "Nothing is broken, just checking before we start."]),
    ("all", ["Timeout setting", "Inactivity timeout question", "Session timeout"],
     ["Is there a setting to change the inactivity timeout? We would like {m} minutes instead of the default.",
      "The session timeout logs me out after a few minutes, which is a bit short for how I use the app. Can it be changed?",
      "Can the idle timeout for {S} be made longer? People lose their place when it logs them out after lunch."],
     ["Not a problem report.", "Just a settings question, no bug."]),
    ("all", ["Not a bug, a suggestion", "Suggestion, not a bug"],
     ["It isn't a bug, but {S} could show a small summary at the top. Would save a few clicks every day.",
      "Not reporting a bug. Could {S} remember the last view I used? I switch back every time.",
      "This is not a bug report: could {S} have a compact view? We'd fit more on the screen."],
     ["", "Thanks!"]),
    ("b2b", ["Crash course for our team?", "Training for new hires"],
     ["We're onboarding {k} new people next month. Do you offer a crash course or a training webinar?",
      "Is there a short crash course video we can give new hires on their first day?",
      "Is there a crash course on {S} specifically? New staff find that part confusing."],
     ["", "The product itself has been great."]),
    ("b2c", ["Crash course for beginners?", "Beginner guide"],
     ["I'm new to apps like this. Is there a short crash course or video that explains the basics?",
      "Do you have a crash course for older users? Setting it up for my dad and want something simple."],
     ["", "Thanks!"]),
    ("all", ["Support response time", "Slow replies from support"],
     ["My last two emails to support took {d} days to get a first reply. The app works fine, but I expected faster answers.",
      "Waited {d} days for an answer about an invoice. Not a product problem, just feedback on support speed.",
      "The product is fine, but my question about {S} sat unanswered for a week. Is email the slowest channel?"],
     ["", "Please look at staffing."]),
    ("b2b", ["Error-free since the migration", "Migration went well"],
     ["The migration last week went smoothly, no errors at all. Can you confirm the old account will be deleted?",
      "Since the migration we haven't seen a single error. Could you send us your security report for our records?"],
     ["", "Thanks to the whole team."]),
    ("all", ["Price freeze for renewal?", "Locking in the current price"],
     ["My renewal is next month. If I renew for two years now, is the current price frozen for that period?",
      "Is there a price freeze for existing customers when the new pricing starts?",
      "Will the price freeze from your newsletter apply if I'm on the monthly plan?"],
     ["", "Thanks."]),
    ("b2b", ["Down payment on annual plan", "Splitting the annual payment"],
     ["Can we split the annual plan into a down payment now and the rest next quarter? Our budget cycle makes that easier.",
      "Our finance team asked whether a down payment of 50% is possible, with the rest on delivery of the invoice.",
      "For the bigger tier, can we pay a down payment when signing and the rest after onboarding?"],
     ["", "Thanks."]),
    ("b2b", ["Load testing permission", "Load test on our integration"],
     ["We'd like to run a small load test against our own integration that calls your API. Is that allowed, and are there limits?",
      "Before our launch we want to load test our checkout flow, which calls your API. Do we need to notify you first?"],
     ["No issues so far.", "Everything works well, just being careful."]),
    ("b2b", ["Kudos to the team", "Reference customer?"],
     ["We've had zero downtime and no errors worth mentioning this year. Happy to do a case study.",
      "{SC} {has} been rock solid for us for a year now. Could we be a reference customer?"],
     ["", "Thanks!"]),
    ("b2c", ["Just a thank you", "Thanks!"],
     ["The app has never let me down, even on holiday with bad signal. Just wanted to say thank you.",
      "No crashes since the last update. Thanks for listening to feedback."],
     ["", "Have a nice day."]),
    ("b2b", ["Question about error emails", "Unsubscribe from error digest"],
     ["We get a weekly summary email titled 'errors and warnings', but it is always empty. Can we unsubscribe?",
      "Who receives the 'error report' digest in our account? It's always empty and people find it confusing."],
     ["Everything is working fine.", "Nothing is actually wrong."]),
    ("b2b", ["Bug bounty", "Security contact"],
     ["Do you have a bug bounty or a security contact? Our security team asked before we expand usage.",
      "Where should we report a security bug if we ever find one? It's a procurement checklist item."],
     ["Nothing is wrong, just paperwork.", ""]),
    ("all", ["Not a bug, just confused", "Can't find a setting"],
     ["I can't find where the settings for {S} live. Are they on the web only?",
      "Where do I change the notification settings for {S}? I looked everywhere."],
     ["The app itself works great.", "Everything else is fine."]),
    ("all", ["Dark mode?", "Request: dark mode"],
     ["Not a bug, but is dark mode planned? I use the app late at night and the white background is harsh.",
      "Please add a dark mode. Everything works well, my eyes just hurt at night.",
      "Is a dark theme for {S} on the roadmap? Not a bug, just easier on the eyes."],
     ["", "Thanks!"]),
    ("all", ["Thanks for the quick reply", "Issue resolved, thanks"],
     ["Thanks for the fast answer yesterday, the billing question is sorted. You can close this.",
      "Your colleague replied within minutes and fixed my account settings. Great support.",
      "{name} from your team answered in five minutes and sorted out my question about {S}. Thanks!"],
     ["", "Cheers."]),
    ("all", ["Crash reports opt-out", "Privacy question about diagnostics"],
     ["How do I turn off sending crash reports and diagnostics? It's a privacy preference, the app runs fine.",
      "Does the app send error logs to you automatically? Our privacy officer wants to know what is collected."],
     ["", "Thanks."]),
    ("all", ["Onboarding feedback", "Onboarding went well"],
     ["The onboarding checklist was quick to get through and {S} made sense right away.",
      "Setup took ten minutes, which is great. Is there an advanced guide for {S}?"],
     ["", "Thanks!"]),
    ("all", ["Works great, billing question", "Billing question"],
     ["Everything works great on my side. Quick billing question: can the invoice show my company name?",
      "The app works great, no issues. When is my next payment due, and can I switch to yearly billing?"],
     ["", "Thanks."]),
    ("uploads", ["Bulk upload question", "Bulk import"],
     ["Is there a bulk upload option for {S}? We'd like to load several hundred items at once.",
      "Can we upload a CSV instead of adding items one by one in {S}? Just asking, nothing is broken."],
     ["", "Thanks!"]),
    ("b2b", ["API rate limits question", "Planning an integration"],
     ["What are the rate limits on your API, and do we get more on the higher plan? We want to avoid timeouts during our nightly sync.",
      "Is there a bulk endpoint so we don't need thousands of calls? Nothing is slow today, we're just planning."],
     ["No issues so far.", ""]),
]
# Speed-praise tickets (code G, labelled neither): positive feedback about the product's speed or resource use.
T_PRAISE = [
    ("all", ["Praise for the latest release", "Faster since the update", "Kudos"],
     ["Just wanted to say {S} {is} much faster since the update.",
      "{SC} used to feel slow, but since the last release {it} {is} quick. Nice work.",
      "Whatever you did to {S} last month worked, {it} {loads} right away now."],
     ["No action needed, thank you!", "No question here, just saying thanks."]),
    ("b2b", ["Quick since the migration", "Migration feedback"],
     ["Since you migrated us last month everything has been error-free and quick. One question: can we {A} through the API?",
      "Three months in, no errors and nothing slow, even with {scale}. Could you send us your security report for our records?",
      "{SC} {is} fast even with {scale}. The team asked me to pass on a thank you."],
     ["", "Thanks to the whole team."]),
    ("b2c", ["Just a thank you", "Much quicker now"],
     ["{SC} {has} been quick and reliable for me since I joined. No question, just wanted to say thanks.",
      "No crashes since the last update and {S} {is} much quicker. Thanks for listening to feedback.",
      "The app feels so much lighter since the update, my old phone no longer heats up. Thank you!"],
     ["", "Have a nice day."]),
]
TOPIC_USES = {}


def gen_topic_ticket(name, topics, ctx, rng):
    avail = [(name, i) for i, t in enumerate(topics)
             if in_scope(t[0], ctx.product) and TOPIC_USES.get((name, i), 0) < TOPIC_CAP]
    if not avail:
        raise Retry()
    key = pick(rng, avail)
    _scope, subjects, bodies, closers = topics[key[1]]
    body = rng.choice(bodies)
    if not slots(body) - {"m", "d", "k", "n", "name", "scale"}:
        claim(("topic-body", body))  # a body without a real slot is used once
    text = ctx.f(rng.choice(subjects)) + ". " + ctx.f(body)
    closer = rng.choice(closers)
    if closer:
        text += " " + closer
    fillers = ["Thanks in advance for your help.", "No urgency on this one.",
               "Let me know if you need any account details.", "Have a good week!"]
    while len(text.split()) < 20:
        text += " " + fillers.pop(rng.randrange(len(fillers)))
    claim(re.sub(r"\d+", "#", text))
    TOPIC_USES[key] = TOPIC_USES.get(key, 0) + 1
    return finish(text)


def in_scope(scope, product):
    v = VOCAB[product]
    if scope == "all":
        return True
    if scope == "b2b":
        return bool(v.get("b2b"))
    if scope == "b2c":
        return not v.get("b2b")
    if scope == "uploads":
        return bool(v.get("uploads"))
    raise ValueError(scope)


def gen_ticket(code, ctx, rng):
    if code in "NHG":
        topics = {"N": T_NEUTRAL, "H": T_HARD, "G": T_PRAISE}[code]
        return gen_topic_ticket(code, topics, ctx, rng)
    clause = pick(rng, clause_pool(code, ctx))
    claim(ctx.f(clause))
    used = slots(clause)
    subj = T_SUBJ[code]
    cands = list(subj["G"])
    if used & {"S", "SC"}:
        cands += subj["S"] * 2
    if "A" in used:
        cands += subj["A"] * 2
    if "E" in used and "E" in subj:
        cands += subj["E"]
    if "since" in used:
        cands = [c for c in cands if "{since}" not in c]
    subject = cap(ctx.f(rng.choice(cands)))
    parts = [cap(ctx.f(clause)) + "."]
    if code in "PB":
        extras = [t for t, cond in T_PERF_EXTRA
                  if not (cond == "noA" and "A" in used) and not (cond == "Ponly" and code == "B")]
        parts += [ctx.f(t) for t in rng.sample(extras, 1 if code == "B" else rng.randint(1, 2))]
    if code in "RB":
        if "A" in used and rng.random() < 0.5:
            parts.append(ctx.f(rng.choice(T_REL_STEPS_E if "E" in used else T_REL_STEPS)))
        if rng.random() < 0.6 and not re.search(r"random|half the time|on and off|every time", clause):
            parts.append(ctx.f(rng.choice(T_REL_FREQ)))
        if rng.random() < 0.5:
            parts.append(ctx.f(rng.choice(T_REL_MISC)))
    has_env = rng.random() < 0.8
    if has_env:
        parts.append(ctx.f(rng.choice(T_ENV)))
    if rng.random() < 0.5 and "since" not in used:
        parts.append(rng.choice(T_SINCE).format(when=rng.choice(WHEN).format(ver=ctx["ver"])))
    if rng.random() < 0.5:
        parts.append(ctx.f(rng.choice(T_REF)))
    if rng.random() < 0.6:
        parts.append(rng.choice(T_ASK))
    padding = ([] if has_env else [ctx.f(rng.choice(T_ENV))]) + [
               ctx.f(rng.choice(T_REF)), "Happy to provide more details.",
               ctx.f(rng.choice([T_REL_MISC[0], T_PERF_EXTRA[1][0]]))]
    while len(" ".join(parts).split()) < 24 and padding:
        extra = padding.pop(0)
        if extra not in parts:
            parts.insert(-1 if len(parts) > 1 else len(parts), extra)
    parts = list(dict.fromkeys(parts))  # drop repeated sentences, keep order
    body = " ".join(parts)
    if rng.random() < 0.2:
        text = subject + ". Hi, " + (body if body.startswith("I ") else soft_lower(body))
    else:
        text = subject + ". " + body
    if rng.random() < 0.2:
        text += " Thanks, " + ctx["name"]
    return finish(text)


GEN = {"review": gen_review, "ticket": gen_ticket, "chat": gen_chat, "churn_note": gen_churn}


# ---- composed praise and neutral rows (eighth pass) -------------------------------------------
# Short app-review praise is a big share of real feedback and says nothing about speed or
# failures. These rows combine handwritten fragments: review titles, generic praise, praise that
# names something in the product, mild or neutral remarks, feature wishes and closers, so that
# great/love/useful/easy/nice/awesome/works are seen in many contexts labelled neither. None of
# the fragments mentions speed, resource use or failures. Fixed seed; each fragment has a usage
# cap, and every row is deduplicated against the rest of the corpus.
COMPOSE_SEED = SEED + 8
COMPOSE_COUNTS = {"review": 160, "chat": 25, "ticket": 15}  # all labelled neither (code N)

PRAISE_TITLES = [
    "Great app", "Love it", "Awesome", "Five stars", "Must have", "Very useful", "Nice one",
    "Excellent", "Perfect", "Brilliant", "So good", "Wow", "Highly recommended", "Solid app",
    "Thank you", "Fantastic", "Exactly what I needed", "Top notch", "A+", "10/10",
    "Amazing", "Lovely", "Pretty good", "Handy", "Neat little app", "Cool", "Superb", "Very nice",
    "Good", "Impressive", "Outstanding", "Best one out there", "Happy customer", "Great job devs",
    "Wonderful", "Just what I wanted", "Well done", "Really cool", "A keeper", "Favourite app",
    "Gorgeous", "Spot on", "Helpful", "Recommend", "Best app", "Love this", "Useful",
    "Nice app", "Awesome app", "Good app", "Great", "Excellent app", "Perfection", "Yes!",
    "Magnificent", "Delightful", "Cute", "Fab", "Super", "Beautiful", "Easy and fun",
    "Best ever", "Effective", "Functional", "Open source", "Brilliant work", "Love love love",
    "Simple", "Worth it", "Clean", "Thanks dev",
]
PRAISE_GENERIC = [
    "love it", "love this app", "works well", "works great for me", "works perfectly",
    "works exactly as described", "does exactly what it says", "very useful", "really useful",
    "super useful app", "so useful for everyday stuff", "easy to use", "really easy to set up",
    "simple and easy to use", "simple, clean and intuitive", "clean design", "nice interface",
    "beautiful design", "great design", "intuitive layout", "very user friendly",
    "user friendly enough for my grandma", "highly recommend it", "would recommend to anyone",
    "best app of its kind", "best app I've downloaded in ages", "the best one I've tried",
    "better than the paid alternatives", "worth every penny", "totally worth the subscription",
    "I use it every day", "use it daily", "can't imagine my phone without it", "a must have",
    "really well made", "well designed and thought out", "the developer clearly cares",
    "great support from the dev", "keeps getting better with every update",
    "every update adds something nice", "lots of useful features", "tons of options",
    "so many customisation options", "great features", "has everything I need",
    "everything I was looking for", "no complaints at all", "nothing to complain about",
    "it just does its job", "solid app", "amazing work", "fantastic app", "awesome app",
    "excellent app", "great app overall", "nice app", "good app", "very good app", "pretty cool app",
    "wonderful app", "brilliant idea", "so handy", "very helpful", "makes my life easier",
    "my favourite app", "been using it for years", "been here since the first version",
    "glad I found this", "exactly what I needed", "fun to use", "looks great", "love the colours",
    "the icons are cute", "free and no annoying ads", "the dark theme is lovely",
    "nicely organised", "everything is where you expect it", "does the job perfectly",
    "love the little details", "a joy to use", "clever app", "so convenient", "awesome work guys",
    "great value", "the tutorial was helpful", "good stuff all round", "cool features",
    "well worth the download", "it works, I'm happy", "really nice touches everywhere",
    "best app ever", "the best one I've ever used", "my favourite app ever", "simple but effective",
    "simple but it does the job", "open source and no tracking", "works as advertised",
    "working very well for me", "does what it says", "been using it for a long time and still love it",
    "this app is great", "the design is really nice", "it is exactly what I wanted",
    "the interface is clean and the options are great", "this is the one to get",
    "it's pretty and it's useful", "the layout is easy to follow", "the settings are easy to understand",
    "privacy friendly, no account needed", "the animations are charming", "everything is well explained",
    "it has been great for a long time", "the app is nice and the team is friendly",
    "love the latest update", "the new update looks great", "the last update added the dark theme I wanted",
    "updates come often and each one adds something", "the redesign in the last update is lovely",
]
NEUTRAL_GENERIC = [
    "it's okay", "decent enough", "average app", "does the job", "nothing special but fine",
    "it's alright I guess", "fine for what it is", "3 stars for now", "good but could be better",
    "not bad", "it's fine", "meh, it's ok", "does what it says, nothing more", "ok app",
    "pretty average", "it's good, not great", "a solid 3 stars", "decent but basic",
]
PRAISE_CLOSERS = [
    "", "", "", "", "", "thanks!", "keep it up", "5 stars", ":)", "thank you devs", "recommended",
    "would give 6 stars if I could", "well done", "cheers", "highly recommend", "worth it",
    "keep up the good work", "thanks for making this", "love you guys", "great job",
    "please never change", "glad I found it", "10/10", "<3", "thanks a lot", "keep improving",
    "please keep updating it", "my friends use it too now", "good job team", ":D",
]
WISH_OPENERS = ["would be perfect with {W}", "please add {W}", "any chance of {W}?",
                "hope you add {W} soon", "only thing missing is {W}", "{W} would make it 5 stars",
                "I'd love {W}", "wish it had {W}"]
PRAISE_PRODUCT = {
    "shoplane": ["setting up my store was easy", "the themes look really professional",
                 "my customers love the product pages", "inventory tools are great for a tiny shop",
                 "the discount codes feature is really handy", "the order emails look great"],
    "taskgrid": ["our team finally has one place for everything", "the board view keeps me organised",
                 "love the colour labels", "the gantt chart is exactly what our PMs wanted",
                 "recurring tasks are a lifesaver", "the templates helped us get started"],
    "pennywise": ["best banking app I've used", "love the spending categories",
                  "sending money to friends is easy", "the card controls are really handy",
                  "love the savings pots", "the monthly summary is clear"],
    "snapvault": ["all my family photos in one place", "love the memories feature",
                  "sharing albums with grandma is easy", "peace of mind for my pictures",
                  "the albums are neatly organised", "love the face grouping"],
    "notely": ["best notes app I've tried", "love the tags and folders",
               "the checklists are perfect for groceries", "markdown support is great",
               "the templates are nice", "writing in it is a pleasure"],
    "beatbox": ["the playlists it makes for me are spot on", "found so many new artists",
                "the lyrics view is awesome", "love the radio stations",
                "the podcast section is a nice bonus", "great sound quality"],
    "fleetpulse": ["the dashboards are clear and our managers love them", "the API docs are excellent",
                   "great insights into our fleet", "reports are easy to customise",
                   "onboarding our drivers was easy", "the alerts are well thought out"],
    "quizquest": ["super addictive", "so much fun with friends", "the questions are really clever",
                  "my kids love the daily challenge", "learned so many random facts",
                  "the categories are great"],
    "mealmate": ["so many restaurants to choose from", "love the group order feature",
                 "the promo deals are great", "tracking the courier on the map is fun",
                 "reordering my usual is easy", "the reviews help me pick"],
    "clinicdesk": ["booking my appointments is easy now", "our receptionist loves it",
                   "the reminder texts cut our no-shows", "patients find the booking page easy",
                   "the calendar is clear for the whole team", "invoicing is simple"],
    "tripnest": ["found a great hotel deal", "all my bookings in one place",
                 "the itinerary view is so handy", "the price alerts saved me money",
                 "love having boarding passes in the app", "the hotel photos are helpful"],
    "fitloop": ["keeps me motivated", "love the weekly challenges", "the sleep insights are interesting",
                "the running plans are great", "love seeing my streaks", "the workout library is huge"],
    "readr": ["best reader for my comics", "love the night mode", "the dictionary lookup is great",
              "handles every format I throw at it", "the library view is beautiful",
              "great for manga, right to left works"],
    "camsnap": ["the filters are gorgeous", "portrait mode looks pro", "love the manual controls",
                "the photo editor is great", "love the film looks", "the timer is handy"],
    "widgetly": ["my home screen looks amazing now", "so many cute widgets", "the clock widgets are beautiful",
                 "love the countdown widget", "the fonts are lovely", "the photo widget is my favourite"],
    "podwave": ["best podcast app", "the queue is easy to manage", "great recommendations",
                "love the chapter markers", "the discover page is great", "love the car mode"],
    "chatter": ["keeps me in touch with family abroad", "love the stickers", "group chats are fun",
                "voice messages are handy", "the polls are great", "love the themes"],
    "mapmate": ["never get lost anymore", "the walking directions are great", "love the offline maps for hiking",
                "saved places are handy", "the bike routes are great", "great for road trips"],
    "scanit": ["turns receipts into neat PDFs", "the text recognition is accurate",
               "perfect for school worksheets", "love the signature feature",
               "the folders keep my documents tidy", "sharing a scan by email is easy"],
    "budgetbee": ["finally sticking to a budget", "the charts are easy to understand",
                  "love the savings goals", "helps me see where my money goes",
                  "the bill reminders are handy", "splitting costs with my partner is easy"],
}
WISH_PRODUCT = {  # products without template vocabulary; the others use VOCAB[...]["features"]
    "readr": ["a reading stats page", "cloud sync for my library", "custom fonts", "a series view"],
    "camsnap": ["a RAW mode", "more film filters", "a level indicator", "a square crop preset"],
    "widgetly": ["a battery percentage widget", "more clock faces", "a to-do widget", "transparent backgrounds"],
    "podwave": ["a sleep timer that ends at the chapter", "per-show playback settings", "a web player",
                "OPML export"],
    "chatter": ["message scheduling", "a desktop app", "chat folders", "more sticker packs"],
    "mapmate": ["lane guidance", "a truck mode", "EV charging stops", "shared live location"],
    "scanit": ["automatic file names by date", "a Dropbox export", "batch renaming", "ID card mode"],
    "budgetbee": ["a yearly overview", "shared budgets", "custom category icons", "CSV export"],
}
CHAT_PRAISE_OPEN = ["hi! ", "hey, ", "hello, ", "hi there, ", "hey team, ", "", "good morning! "]
CHAT_PRAISE_MID = ["no problem today, just wanted to say {x}", "just dropping in to say {x}",
                   "not an issue, only a thank you: {x}", "{x}, thanks to everyone working on it",
                   "{x}. how do I get a second profile for my partner?",
                   "{x}! can I change the language to Spanish?", "{x}. is there a student discount?",
                   "{x}. where do I change my email address?", "{x}. any plans for {W}?"]
TICKET_PRAISE_SUBJ = ["Positive feedback", "A thank you", "Compliment for the team",
                      "Feedback, no action needed", "Just saying thanks", "Kudos to the team",
                      "Happy customer", "Suggestion and a thank you"]
TICKET_PRAISE_BODY = [
    "I've been using {brand} for {y} years and it's {adj}.", "We switched to {brand} this spring and the team is happy.",
    "My whole family uses {brand} now.", "I recommend {brand} to everyone I know.",
    "Our office has used {brand} every day since we signed up.",
]
TICKET_PRAISE_ADJ = ["great", "really useful", "a pleasure to use", "excellent", "lovely", "very handy"]
TICKET_PRAISE_END = ["No reply needed.", "Keep up the good work.", "Thanks to the whole team.",
                     "One suggestion: {W}.", "Small wish for the future: {W}.", "Have a nice day!"]


def capped_picker(rng):
    """take(kind, pool, cap): one of the least-used items of `pool` that `kind` has used fewer
    than `cap` times (ties broken by `rng`), counted; raises Retry when none is left."""
    used = {}

    def take(kind, pool, cap_n):
        cands = [x for x in pool if used.get((kind, x), 0) < cap_n]
        if not cands:
            raise Retry()
        low = min(used.get((kind, x), 0) for x in cands)
        x = rng.choice([c for c in cands if used.get((kind, c), 0) == low])
        used[(kind, x)] = used.get((kind, x), 0) + 1
        return x

    return take


def compose_praise(seen):
    rng = random.Random(COMPOSE_SEED)
    caps = {"title": 5, "generic": 3, "product": 2, "neutral": 3, "closer": 12, "wish": 2}
    pick = capped_picker(rng)

    def take(kind, pool):
        return pick(kind, pool, caps[kind])

    def wish(product):
        pool = WISH_PRODUCT.get(product) or VOCAB[product]["features"]
        return take("wish", pool)

    def sep():
        return rng.choice([". ", "! ", "!! ", " - ", ". ", ", "])

    def review(product):
        shape = rng.random()
        if shape < 0.18:
            title, generic = take("title", PRAISE_TITLES), take("generic", PRAISE_GENERIC)
            if title.lower() in generic.lower():
                raise Retry()
            text = title + sep() + generic
        elif shape < 0.36:
            text = take("title", PRAISE_TITLES) + sep() + take("product", PRAISE_PRODUCT[product])
        elif shape < 0.50:
            text = take("generic", PRAISE_GENERIC) + rng.choice([", ", ". ", " and "]) + \
                take("product", PRAISE_PRODUCT[product])
        elif shape < 0.60:
            text = cap(take("product", PRAISE_PRODUCT[product])) + ". " + take("generic", PRAISE_GENERIC)
        elif shape < 0.70:
            text = take("title", PRAISE_TITLES) + sep() + take("generic", PRAISE_GENERIC) + ", " + \
                take("generic", PRAISE_GENERIC)
        elif shape < 0.78:
            text = take("title", PRAISE_TITLES) + rng.choice(["!", "!!", "!!!", ".", ""])
        elif shape < 0.90:
            w = rng.choice(WISH_OPENERS).replace("{W}", wish(product))
            text = take("neutral", NEUTRAL_GENERIC) + rng.choice([". ", ", ", " - "]) + w
        else:
            w = rng.choice(WISH_OPENERS).replace("{W}", wish(product))
            text = take("generic", PRAISE_GENERIC) + rng.choice([" but ", ", only thing: ", ". "]) + w
        if shape >= 0.78 and shape < 0.90:  # mild or neutral: no enthusiastic closer
            closer = rng.choice(["", "", "", "thx", "just my 2 cents", "otherwise fine", "thanks"])
        else:
            closer = take("closer", PRAISE_CLOSERS)
        if closer.lower() in text.lower():
            closer = ""
        if closer and not text.endswith("?"):
            text = text.rstrip(".!") + rng.choice([". ", "! ", " "]) + closer
        text = finish(text)
        if rng.random() < 0.5:
            text = cap(text)
        return review_noise(text, rng)

    def chat(product):
        x = take("product", PRAISE_PRODUCT[product]) if rng.random() < 0.5 else \
            take("generic", PRAISE_GENERIC)
        mid = rng.choice(CHAT_PRAISE_MID)
        if "{W}" in mid:
            mid = mid.replace("{W}", wish(product))
        return finish(rng.choice(CHAT_PRAISE_OPEN) + mid.replace("{x}", x))

    def ticket(product):
        brand = product if rng.random() < 0.5 else product.capitalize()
        body = rng.choice(TICKET_PRAISE_BODY).format(brand=brand, y=rng.choice([2, 3, 4, 5]),
                                                     adj=rng.choice(TICKET_PRAISE_ADJ))
        x = cap(take("product", PRAISE_PRODUCT[product])) + "."
        end = rng.choice(TICKET_PRAISE_END)
        if "{W}" in end:
            end = end.replace("{W}", wish(product))
        return finish(rng.choice(TICKET_PRAISE_SUBJ) + ". " + body + " " + x + " " + end)

    out = []
    products = sorted(PRAISE_PRODUCT)
    makers = {"review": review, "chat": chat, "ticket": ticket}
    for kind, n in COMPOSE_COUNTS.items():
        made = 0
        attempts = 0
        while made < n:
            attempts += 1
            if attempts > 20000:
                raise SystemExit("compose_praise: could not make %d %s rows" % (n, kind))
            product = products[(made + attempts) % len(products)] if rng.random() < 0.5 else \
                rng.choice(products)
            try:
                text = makers[kind](product)
            except Retry:
                continue
            if not first_time(text, seen):
                continue
            out.append((text, "N", kind, product))
            made += 1
    return out


# Mixed sentiment, labelled reliability (code R): the same kind of praise as above followed by a
# failure ("love the design but it crashes" is reliability). Without these rows praise words would
# start to pull every review towards "neither", including the ones that report a broken feature.
# The failure fragments avoid speed words, so these rows are reliability only.
MIXED_COUNT = 40
FAIL_GENERIC = [
    "since the android update it just shuts down", "it doesn't work on my new tablet at all",
    "it stopped working after I updated my phone", "it force closes when I open the settings",
    "FC every time I rotate the screen", "the text gets garbled when I scroll",
    "half the buttons do nothing on my phone", "it isn't compatible with the latest iOS",
    "it won't start since the last update", "it keeps closing by itself",
    "I can't uninstall it, the button is greyed out", "the notifications stopped showing up",
    "it logs me out every day and forgets my settings", "the screen flickers and goes black",
    "it lost my settings twice this week", "the share button doesn't do anything",
    "it shows an error when I try to restore my backup", "the menu won't open on my phone",
    "it stopped showing my files after the update", "it randomly quits in the middle of things",
    "the app says no connection even when I'm online", "dark mode breaks and shows white text on white",
    "it won't sync between my phone and tablet anymore", "saving fails with an error half the time",
    "it doesn't work with my bluetooth keyboard", "since the update the login page just reloads",
    "it crashes constantly", "it crashes whenever I open a video", "it crashed three times today",
    "it keeps crashing on my phone",
]
FAIL_PRODUCT = {
    "readr": ["some comic pages come out scrambled", "it won't open rar files anymore"],
    "camsnap": ["the flash doesn't fire at all", "photos save sideways"],
    "widgetly": ["the widgets go blank after a reboot", "the clock widget shows the wrong time"],
    "podwave": ["downloads vanish after a day", "the car mode won't connect"],
    "chatter": ["photos someone sends never open", "group calls drop every time"],
    "mapmate": ["the voice stops talking mid route", "saved places keep disappearing"],
    "scanit": ["the OCR output is gibberish since the update", "exports come out as empty PDFs"],
    "budgetbee": ["my bank stopped connecting", "some transactions show up twice"],
    "shoplane": ["orders don't show up in the admin app", "the label printer stopped working"],
    "taskgrid": ["comments I write on my phone disappear", "due dates shift by a day"],
    "pennywise": ["transfers fail with an error", "the balance is wrong after every payday"],
    "snapvault": ["some videos never back up", "shared albums won't open for my family"],
    "notely": ["notes get duplicated when they sync", "attachments won't open"],
    "beatbox": ["downloaded songs won't play offline", "it skips songs on its own"],
    "fleetpulse": ["the CSV export is empty", "some vehicles disappear from the map"],
    "quizquest": ["my coins reset to zero", "the daily challenge won't open"],
    "mealmate": ["the app says my order failed when it went through", "promo codes give an error"],
    "clinicdesk": ["reminder texts go out on the wrong day", "some bookings vanish from the calendar"],
    "tripnest": ["my boarding pass won't load", "the booking shows the wrong dates"],
    "fitloop": ["my runs don't save", "the watch won't pair anymore"],
}
MIXED_SHAPES = [
    "{t}{sep}{g} but {f}", "{g}, but {f}. please fix", "{t}{sep}{p}, only problem: {f}",
    "{F}. otherwise {g}", "{g} and {p}, but lately {f}", "{t} but... {f}",
    "{p}. sadly {f}", "{g}. {F}, fix it and it's 5 stars",
]


def compose_mixed(seen):
    rng = random.Random(COMPOSE_SEED + 1)
    take = capped_picker(rng)

    out = []
    products = sorted(FAIL_PRODUCT)
    attempts = 0
    while len(out) < MIXED_COUNT:
        attempts += 1
        if attempts > 20000:
            raise SystemExit("compose_mixed: could not make %d rows" % MIXED_COUNT)
        product = products[attempts % len(products)]
        try:
            f = take("fail", FAIL_GENERIC + FAIL_PRODUCT[product], 1)
            text = rng.choice(MIXED_SHAPES).format(
                t=take("title", PRAISE_TITLES, 1), g=take("generic", PRAISE_GENERIC, 1),
                p=take("product", PRAISE_PRODUCT[product], 1), f=f, F=cap(f),
                sep=rng.choice([". ", "! ", " - ", ", "]))
        except Retry:
            continue
        text = finish(text)
        if rng.random() < 0.5:
            text = cap(text)
        text = review_noise(text, rng)
        if not first_time(text, seen):
            continue
        out.append((text, "R", "review", product))
    return out

# =============================================================================================
# Assembly
# =============================================================================================
# Target rows per (kind, label); the label cell of G is P, of M is B and of H is N.
# Sums: P 807, R 863, B 271, N 1,168 (3,109 rows); kinds: review 1,729, ticket 629, chat 443,
# churn_note 308. Handwritten and composed lines come first, templates fill the rest of each cell.
# The eighth pass raised review P/R/N, ticket N, chat N and churn_note N by exactly the rows it
# added (40, 120, 334, 21, 38, 5), so the templated rows did not change (see build()). The
# ninth pass (issue 12, at the end of handwritten_eighth_pass.txt) raised review R by its 40 rows.
TARGETS = {
    "review":     {"P": 430, "R": 548, "B": 124, "N": 667},
    "ticket":     {"P": 177, "R": 185, "B": 75,  "N": 192},
    "chat":       {"P": 139, "R": 118, "B": 43,  "N": 143},
    "churn_note": {"P": 61,  "R": 52,  "B": 29,  "N": 166},
}
HARD_SHARE = 0.6  # share of templated "neither" rows that are hard negatives
PRAISE_SHARE = 0.15  # share of templated "performance" rows that are speed praise (G, labelled neither)


# Labels follow the definitions in src/classify/definitions.rs (data/DEFINITIONS.md): both tags
# are about problems, so speed praise (G) is neither; a freeze, hang or "not responding" is a
# failure (reliability), and also performance only when the text describes slowness around it
# ("freezes for a few seconds whenever I log in", "lags and freezes"), not when the freeze
# just comes before a failure ("freezes for ten seconds and then crashes"). The rows keep their tags
# (and the template balancing by tag), so the texts are unchanged; only labels moved.
FREEZE = re.compile(r"\b(freez\w*|froze\w*|hang|hangs|hanging|hung|unresponsive|not responding|"
                    r"beach ?ball\w*)\b", re.I)
SLOW_WORDS = (r"slow\w*|sluggish|lag\w*|stutter\w*|choppy|janky|spin\w*|takes?|took|taking|forever|"
              r"ages|delay\w*|eventually|before (it responds|anything)")
SLOWNESS = re.compile(r"\b(%s)\b" % SLOW_WORDS, re.I)
SLOWNESS_OR_PAUSE = re.compile(r"\b(%s|seconds?|secs?|minutes?|mins?|hours?|for (a|another) (while|bit|moment))\b"
                               % SLOW_WORDS, re.I)


def labels_of(row):
    """(is_performance, is_reliability) of a row under the current definitions. A performance
    row (P) with a freeze in it described a pause that ends, so it is both when it says how
    long or how slow, reliability otherwise; a both row (B) whose only slowness is the freeze
    before a failure ("freezes for ten seconds and then crashes") is reliability."""
    code, text = row["code"], row["text"]
    if code == "G":
        return (0, 0)
    p, r = LABELS[code]
    if p and FREEZE.search(text):
        if code == "P":
            return (1, 1) if SLOWNESS_OR_PAUSE.search(text) else (0, 1)
        return (1, 1) if SLOWNESS.search(text) else (0, 1)
    return (p, r)


def dedupe_key(text):
    return re.sub(r"[^a-z]+", " ", text.lower()).strip()


def build():
    rng = random.Random(SEED)
    rows = []  # dicts: text, code, kind, product, source
    seen = set()
    for i, (text, code, kind, product) in enumerate(HAND):
        key = dedupe_key(text)
        assert key not in seen, "duplicate handwritten line: " + text
        seen.add(key)
        rows.append(dict(text=text, code=code, kind=kind, product=product, source="hand",
                         eighth=i >= EIGHTH_PASS_START))
    for text, code, kind, product in compose_praise(seen) + compose_mixed(seen):
        rows.append(dict(text=text, code=code, kind=kind, product=product, source="composed",
                         eighth=True))

    def label_of(code):
        return CELL[code]

    # Templates only exist for the twelve original products; handwritten-only products (readr,
    # camsnap, ...) are left out of the balancing. So are the eighth-pass rows: TARGETS grew by
    # exactly the rows that pass added, so leaving them out keeps the templated rows (and the
    # random draws that make them) identical to the corpus before that pass.
    per_product = {p: 0 for p in PRODUCTS}
    for r in rows:
        if r["product"] in per_product and not r["eighth"]:
            per_product[r["product"]] += 1
    total_target = sum(sum(t.values()) for t in TARGETS.values())
    fair = (total_target - sum(1 for r in rows if r["eighth"])
            - sum(1 for r in rows if r["product"] not in per_product and not r["eighth"])) / len(PRODUCTS)

    for kind in KINDS:
        for label in ("P", "R", "B", "N"):
            have = sum(1 for r in rows if r["kind"] == kind and label_of(r["code"]) == label)
            need = TARGETS[kind][label] - have
            if need <= 0:
                continue
            if label == "N":
                n_hard = round(need * HARD_SHARE)
                codes = ["H"] * n_hard + ["N"] * (need - n_hard)
            elif label == "P":
                n_praise = round(need * PRAISE_SHARE)
                codes = ["G"] * n_praise + ["P"] * (need - n_praise)
            else:
                codes = [label] * need
            for code in codes:
                for _attempt in range(2000):
                    weights = [max(0.5, fair - per_product[p]) for p in PRODUCTS]
                    product = rng.choices(PRODUCTS, weights=weights)[0]
                    ctx = Ctx(rng, product)
                    try:
                        text = GEN[kind](code, ctx, rng)
                    except Retry:
                        continue
                    if not first_time(text, seen):
                        continue
                    rows.append(dict(text=text, code=code, kind=kind, product=product,
                                     source="template", eighth=False))
                    per_product[product] += 1
                    break
                else:
                    raise SystemExit("could not fill %s/%s" % (kind, code))
    rng.shuffle(rows)
    return rows


def write_csv(rows, out=OUT):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["text", "is_performance", "is_reliability", "kind", "product"])
    for r in rows:
        p, q = labels_of(r)
        w.writerow([r["text"], p, q, r["kind"], r["product"]])
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with open(out, "w", encoding="utf-8", newline="") as fh:
        fh.write(buf.getvalue())


def stats(rows):
    from collections import Counter

    def lab(r):
        return {(1, 0): "performance only", (0, 1): "reliability only", (1, 1): "both",
                (0, 0): "neither"}[labels_of(r)]

    n = len(rows)
    lengths = sorted(len(r["text"]) for r in rows)
    print("rows:", n)
    print("mean length (chars): %.1f  median: %d  longest: %d"
          % (sum(lengths) / n, lengths[n // 2], lengths[-1]))
    for kind in KINDS:
        ks = [len(r["text"]) for r in rows if r["kind"] == kind]
        words = sorted(len(r["text"].split()) for r in rows if r["kind"] == kind)
        print("  %s: mean %.1f chars, %d-%d words" % (kind, sum(ks) / len(ks), words[0], words[-1]))
    print("handwritten:", sum(r["source"] == "hand" for r in rows),
          " composed:", sum(r["source"] == "composed" for r in rows),
          " templated:", sum(r["source"] == "template" for r in rows))
    added = [r for r in rows if r["eighth"]]
    print("eighth pass: %d rows (%d handwritten, %d composed)" % (
        len(added), sum(r["source"] == "hand" for r in added), sum(r["source"] == "composed" for r in added)))
    c8 = Counter((r["code"], r["source"]) for r in added)
    print("  by tag: " + ", ".join("%s %s %d" % (code, src, n) for (code, src), n in sorted(c8.items())))
    print("hard negatives (neither, tagged H):", sum(r["code"] == "H" for r in rows))
    print("performance praise (tagged G):", sum(r["code"] == "G" for r in rows),
          " of them handwritten:", sum(r["code"] == "G" and r["source"] == "hand" for r in rows))
    print("memory problems (both, tagged M):", sum(r["code"] == "M" for r in rows))
    print("is_performance=1:", sum(labels_of(r)[0] for r in rows),
          " is_reliability=1:", sum(labels_of(r)[1] for r in rows))
    moved = Counter((LABELS[r["code"]], labels_of(r)) for r in rows if LABELS[r["code"]] != labels_of(r))
    print("relabelled by the definitions: " + ", ".join("%s -> %s %d" % (a, b, n) for (a, b), n in sorted(moved.items())))
    for name, fn in (("label", lab), ("kind", lambda r: r["kind"]), ("product", lambda r: r["product"])):
        c = Counter(fn(r) for r in rows)
        print("\n| %s | rows | handwritten | composed | templated |" % name)
        print("|---|---:|---:|---:|---:|")
        for k, v in sorted(c.items(), key=lambda kv: (-kv[1], kv[0])):
            h = sum(1 for r in rows if fn(r) == k and r["source"] == "hand")
            m = sum(1 for r in rows if fn(r) == k and r["source"] == "composed")
            print("| %s | %d | %d | %d | %d |" % (k, v, h, m, v - h - m))
    print("\n| kind \\ label | performance only | reliability only | both | neither |")
    print("|---|---:|---:|---:|---:|")
    for kind in KINDS:
        c = Counter(lab(r) for r in rows if r["kind"] == kind)
        print("| %s | %d | %d | %d | %d |" % (kind, c["performance only"], c["reliability only"],
                                             c["both"], c["neither"]))
    print("\n| tag | meaning | rows |")
    print("|---|---|---:|")
    c = Counter(r["code"] for r in rows)
    for code, meaning in (("P", "performance complaint"), ("G", "performance praise"),
                          ("R", "reliability"), ("B", "both"), ("M", "both: memory problem"),
                          ("N", "neither"), ("H", "neither: hard negative")):
        print("| %s | %s | %d |" % (code, meaning, c[code]))


def main():
    args = sys.argv[1:]
    out = args[args.index("--out") + 1] if "--out" in args else OUT
    rows = build()
    write_csv(rows, out)
    if "--stats" in args:
        stats(rows)
    else:
        print("wrote %d rows to %s" % (len(rows), out if out != OUT else os.path.relpath(OUT, ROOT)))


if __name__ == "__main__":
    main()
