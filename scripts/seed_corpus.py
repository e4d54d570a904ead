#!/usr/bin/env python3
"""Build the labelled seed corpus for pushback: data/seed/corpus.csv.

Standard library only and deterministic: running

    python3 scripts/seed_corpus.py

rewrites data/seed/corpus.csv byte-identically (fixed random seed, deterministic order).
Pass --stats to also print the counts that go into data/seed/README.md.

All text is original writing for this project. It comes from three sources:

* HAND: handwritten lines, grouped by (kind, product). Each line starts with a code:
    P  performance only          (is_performance=1, is_reliability=0) -- a speed/resource complaint
    G  performance only          (1, 0) -- praise of the product's speed, lightness or efficiency
    R  reliability only          (0, 1)
    B  both                      (1, 1)
    M  both                      (1, 1) -- a memory problem: out of memory, memory error,
                                           "not enough memory to open", uses too much memory and crashes
    N  neither                   (0, 0)
    H  neither, hard negative    (0, 0) -- uses words like slow support, quick reply, crash course,
                                           down payment, timeout setting, freeze, playback speed,
                                           "no crashes", rock solid
  Performance means "about the product's speed or resource use, positive or negative", so G
  lines count as performance. Praise of stability ("never crashes") stays neither.
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


def block(kind, product, text):
    assert kind in KINDS, kind
    for raw in text.strip().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        code, body = line[0], line[1:].strip()
        assert code in LABELS and body, raw
        HAND.append((body, code, kind, product))

# ---------------------------------------------------------------------------------------------
# shoplane: e-commerce storefront platform (merchants, sometimes their shoppers)
# ---------------------------------------------------------------------------------------------
block("review", "shoplane", """
P admin app is sooo slow lately, the orders tab takes like 15 sec to show anything
R app crashes every time i try to print a shipping label. 1 star until fixed
N Great platform for a small shop, had my store live in one afternoon
G checkout is lightning fast now and my conversion went up. 5 stars
P product editor lags once you have more than 20 variants, every keystroke shows up a second late
R since the last update the inventory counts are wrong on half my products
B tried bulk editing prices, the page froze for two minutes then said something went wrong and none of it saved
N would be nice to schedule discounts in advance instead of flipping them on at midnight
H no crashes since the 4.2 update, finally usable for managing orders from my phone
N transaction fees are too high for what you get
P uploading product photos takes ages even on fast wifi
R order notifications just stopped. missed three sales today because i never got pinged
R cant log in to the admin app, says session expired every single time even after reinstalling
N the checkout page looks outdated, please give us more modern themes
P my storefront is sluggish on phones, customers literally tell me it crawls
N love it. the theme editor is so easy my mom could use it
R shipping rate calculator gives $0 for international orders. that bug has been there for weeks
P analytics tab is painfully slow, i gave up waiting for the monthly sales graph
N 4 stars, wish there was a built-in loyalty points program
H had a real crash course in ecommerce thanks to their onboarding videos, super helpful
R discount codes randomly dont apply at checkout and customers email me angry
B app hangs on the orders screen and then closes itself. happens 5+ times a day
N pricing jumped 30% with no new features. not happy
P Search in the admin is laggy, typing a SKU takes 3-4 seconds to filter
H support was quick to help me migrate from my old host, thank you Dana!
R white screen after tapping "fulfill order". have to use the desktop site now
N why cant I add more than 3 staff accounts on the basic plan
P the mobile app drains my battery like crazy, its always top of the battery usage list
R Broken since update. Product images dont show at all in the app
N It's fine. Does the job. Nothing special.
G store pages load fast and checkout is quick, my customers have noticed
B Black Friday was a disaster, checkout crawled for hours and then started throwing errors, lost a lot of orders
N please add dark mode to the admin app, i do my orders at night
P every page in the dashboard has a spinning wheel for 5-10 seconds before anything shows. it does load eventually but come on
R payouts report shows the wrong totals, doesnt match my bank at all
P love the themes but the admin is heavy and janky on my older ipad
R 2 stars. abandoned cart emails go out to people who already bought. embarrassing bug
H switched from another platform and honestly everything just works. no errors, no drama
""")

block("ticket", "shoplane", """
P Checkout very slow for customers on mobile. Since Monday our customers report that after tapping "Pay now" the spinner runs 15-25 seconds before the confirmation page appears. Orders do go through in the end. Store: lunaceramics, reproduced on iPhone 13 / Safari and Pixel 6 / Chrome.
R Payment failing with error at checkout. Customers get "Payment could not be processed (code PX-500)" on the last step. Cards are valid and our payment dashboard shows no attempt at all. Roughly 40 affected orders since 09:10 UTC today. Please escalate, this is our main sales day.
B Orders timing out and failing. When a cart has more than ~15 items, checkout spins for about a minute, then shows a gateway timeout and the order is never created, although the customer's card is sometimes charged. Example attempt at 18:42 CET, customer email on file.
R Inventory sync not updating. Stock levels from our warehouse app stopped syncing on 3 June. We sold 12 units of an item that was out of stock. The sync log says "last successful run: 2 days ago" and the retry button does nothing.
P Admin products list extremely slow. We have about 8,000 SKUs. Opening Products takes 40+ seconds in Chrome 125 on Windows 11, and filtering by collection takes another 20. Last month it was under 5 seconds.
N Question about invoices. Where can I download the VAT invoices for my monthly subscription? Our accountant needs them for Q2. Thanks!
H Timeout setting for abandoned carts. Is there a way to change how long a cart is reserved before it expires? We'd like 30 minutes instead of 10. Not a problem report, just a config question.
H Request: bulk upload of customer tags. We'd love to load a CSV of customer tags instead of adding them one by one, right now it eats hours of staff time every week. Is there an upload limit we should know about?
R Product page returns 500. /products/linen-apron-sage shows "500 Internal Server Error" to visitors since this morning. Other products are fine. We didn't change anything on that product. Screenshot attached.
P Storefront images slow to appear. Product images on collection pages take 6-8 seconds to show up, lazy loading seems to stall. Lighthouse reports an LCP of 9.4s. Theme: Atelier 2.1. Tested from Berlin and Toronto.
R Duplicate orders created. About 1 in 20 orders is created twice for the same payment, e.g. #SL-58231 and #SL-58232. Customers are charged once but our warehouse ships twice.
N Change store owner. I'm selling my business and need to transfer the store to the new owner. What are the steps and does the plan carry over?
B Sales report export hangs then errors. Exporting "Sales by product" for last year freezes the tab for several minutes and ends with "Export failed, please try again". Smaller ranges (one month) work, but even those take about 2 minutes.
H Down payment option? Can we take a down payment / deposit on custom furniture orders, e.g. 30% now and the rest before shipping? Is there an app for that or do we need a workaround?
R Customers can't log in to their accounts. Customer login on our store returns "Invalid token" for everyone since yesterday's change to the password reset email. Guest checkout still works.
P Theme editor freezes after every change. When I edit the homepage in the theme editor, the preview freezes for 10-20 seconds after each edit. MacBook Pro, Safari 17. Same thing in Chrome.
R Tax calculated wrong for Quebec. For orders shipped to Quebec, tax is calculated at 5% instead of 14.975%. Started right after the tax settings page was redesigned.
N Feedback on the new admin. The new navigation is confusing, it takes three clicks to get to Orders now. Please bring back the old sidebar or let us customise it.
P Order webhooks arriving late. Our order-created webhooks arrive 5-15 minutes after the order instead of within seconds, so our fulfilment partner picks orders late. Nothing is lost, it's just slow.
G Works great, one question. Everything has worked great since we moved over and checkout is quick. Only question: can we hide the "Powered by" footer on the basic plan?
R Gift cards not redeemable. Gift cards bought on our store are rejected at checkout with "This code is not valid". The codes show as active with full balance in the admin. Order refs #SL-60102, #SL-60117.
P Bulk price update very slow. Updating prices for 600 products via the bulk editor took 25 minutes yesterday, the progress bar barely moved. It completed fine, but it used to take a couple of minutes.
N Refund for accidental plan upgrade. I upgraded to Advanced by mistake this morning and would like to go back to Basic and get the difference refunded. Thanks in advance.
""")

block("chat", "shoplane", """
P hi, is the admin slow for everyone right now? orders page is taking forever
R hey team, our store shows a blank page on mobile, desktop is fine
N hi! how do I add a size chart to product pages?
G hello, just wanted to say checkout is way faster since you moved us to the new servers, thanks
R hi, every time I click save on a product I get "something went wrong"
B hey, checkout keeps timing out and customers are getting "order failed". is something down?
N can I pay yearly to get a discount?
P hi there, product search in the admin is super laggy, like 5 seconds per letter
N hey, is there a way to connect my customer list to my newsletter tool?
R our discount code SUMMER20 says invalid but it's active in settings, can someone check?
H quick question, is there an upload limit for product videos? don't want to break anything
P hi, the analytics dashboard takes a full minute to load for me, anyone else?
R hey i think payouts are broken? friday's payout never arrived and the page shows an error
N hi, i need to update the card on file for my subscription
H hey! your support was super fast last week, thank you. another question: can I sell in two currencies?
R hello, the app keeps closing when I open an order that has a gift note
P hey, my store homepage went from 2s to like 9s load since I installed the new theme version
""")

block("churn_note", "shoplane", """
N Cancelling because we're closing the shop at the end of the season.
N Moving to a competitor, they include abandoned cart emails on the cheap plan.
P We're leaving because our storefront got slower every month and it was costing us sales. Mobile pages took 8+ seconds.
R Cancelling. Checkout failed on three separate sale days this year. We can't afford that.
N Too expensive once you add all the apps we need.
B Leaving after Black Friday. Checkout crawled all morning and then threw errors until noon, we lost roughly a third of our orders.
N Owner retiring, store closed.
G Nothing wrong with the platform, it's fast and reliable, we just consolidated all our brands onto one account elsewhere.
R Switching because inventory sync kept breaking and we oversold constantly.
N Not enough B2B features (no wholesale price lists).
N We only needed it for a pop-up event.
P The admin got so sluggish with our catalogue size that my staff refused to use it.
""")
# ---------------------------------------------------------------------------------------------
# taskgrid: project management SaaS (boards, tasks, notifications, dashboards, reports)
# ---------------------------------------------------------------------------------------------
block("review", "taskgrid", """
P boards take forever to load once you have a few hundred cards
R tasks i create on mobile disappear after sync. lost a whole sprint plan
N best kanban tool we've tried, the keyboard shortcuts are great
G search is instant now, whatever you did in the last release keep doing it
P the web app eats 2GB of RAM in Chrome, my laptop fan goes crazy
R notifications stopped working completely. nobody on my team gets mentions anymore
N please add a gantt view with dependencies, its the one thing we still use excel for
B dragging a card between columns freezes the board, then it errors out and the card jumps back
N per-seat pricing kills it for a team of 30
P Search is sluggish, 6-7 seconds to find a task i know the exact name of
R recurring tasks get created twice every monday. annoying bug
H not a bug but a request: let me collapse subtasks by default
P dashboard widgets load one... by... one. painful every morning
R cant sign in with Google anymore, it just redirects back to the login page
N UI is cluttered, too many icons everywhere
H used it daily for a year, never crashed once, solid tool
R due dates shift by one day when I change timezone. bug.
P mobile app is really laggy when scrolling the timeline
H customer support replies are slow but the product itself is good
B export to pdf spins for ages and then gives me a blank file
P notifications show up like 30 minutes late, useless for standups
R comments I write vanish when I switch tabs
N onboarding was smooth, our team was up and running in a day
P opening a task with lots of attachments makes the whole page stutter
R app wont open on my ipad since the update, splash screen and then straight back to the home screen
G The reports are quick and accurate, huge improvement over our old tool
N wish the free plan allowed more than 3 projects
P everything is fine except speed. every click has a half second delay
B reports page hangs for a minute and then shows error 504
N docs are good, API is easy. 5 stars
R task assignments are broken, assigning someone sometimes removes the previous assignee
P the desktop app feels bloated, 600MB of memory to show a to-do list
N 3 stars. does everything but looks like it was designed in 2012
""")

block("ticket", "taskgrid", """
P Board load time degraded. Our "Product Roadmap" board (about 1,200 cards) now takes 35-45 seconds to open in Chrome 126 on macOS 14. Two weeks ago it opened in about 5 seconds. Nothing changed on our side except adding cards. Workspace: northwind-design.
R Report export gives wrong numbers. The "Time tracked per project" CSV export shows totals that don't match the in-app report. For project ATLAS the app says 212h, the CSV says 148h. Entries after the 15th seem to be missing.
B Search timing out and returning an error. Searching across all projects spins for about 30 seconds and then shows "Search failed (timeout)". Searching inside a single project works but is slow (8-10 s). About 40 users affected in our org.
R SSO login broken after certificate rotation. Since we rotated our Okta certificate on Tuesday, SAML login fails with "Invalid signature". We uploaded the new cert in admin settings as documented. Users cannot log in at all, we've enabled password login as a stopgap.
P Portfolio dashboard slow. The portfolio dashboard with 12 widgets takes around 50 seconds to render fully. Each widget shows a spinner and they finish one after another. Firefox 127, Windows 11, fast office connection.
N Invoice address change. Please update the billing address on our invoices to 14 Harbour Street, Leith. Our company moved. Thanks.
H Question about API rate limits. We're planning a sync with our CRM. What is the rate limit per token, and is there a bulk endpoint so we don't hit timeouts on large imports? Nothing is broken, we're just planning ahead.
R Email notifications not delivered. Email notifications for @mentions stopped arriving for our whole workspace on 12 March. The in-app bell shows them, but no email. We checked spam and our mail server logs: nothing received from taskgrid since then.
P Typing lag in long task descriptions. When a description is longer than a couple of pages, typing becomes very laggy, about one second between keypress and character. Happens in Chrome and Edge. Short descriptions are fine.
R Checklist wiped after concurrent edit. Two people edited the same checklist at once and the whole checklist was wiped, 38 items gone. Version history doesn't show the old version. Can you restore it from a backup? Task ID TG-99812.
N Feature request: custom fields on subtasks. We track estimate and owner on subtasks and currently hack them into the title. Custom fields on subtasks would fix that for us.
B Mobile app freezes and crashes on large projects. On Android (Samsung S23, app 5.8.1), opening a project with 500+ tasks freezes the app for about 20 seconds and then it closes. Smaller projects open normally.
P Slow gantt rendering. Gantt view takes about 25 seconds to draw for a 6-month project and scrolling is choppy afterwards. MacBook Air M1, Safari.
H Request for a sprint "freeze". Can we freeze a sprint so nobody can add tasks after planning, like locking the board scope? Not reporting a problem, it's a feature idea.
R Attachments fail to upload. Uploading any file over roughly 10 MB fails with "Upload error" at around 90%. That's well below our plan's 250 MB limit. Tried three browsers and two networks.
N Need to reduce seats. We're going from 25 to 18 users next month. How do I reduce seats and do we get prorated credit?
P Automation rules running late. Our "move to Done when PR merged" rule fires 10-20 minutes after the merge. It used to be almost instant. The rules do run, just very late.
R Duplicate tasks from email integration. Every email forwarded to our project inbox creates two or three identical tasks since last Thursday.
P Calendar view unresponsive. Switching to the calendar view locks the browser tab for 10-15 seconds every time, Chrome's "page unresponsive" prompt appears sometimes. About 300 tasks with due dates this month.
H Bug bounty program? Do you run a bug bounty or responsible disclosure program? Our security team wants to know before we roll taskgrid out to 400 people. Everything works fine so far.
""")

block("chat", "taskgrid", """
P hey team, is taskgrid slow today? boards taking ages
R hi, getting "something went wrong" whenever I open the Q3 board
N hi, how do I archive a project without deleting it?
G hey! the new search is so quick, love it. can I search in comments too?
P hi there, the app is super sluggish for our whole team since this morning
R our slack integration stopped posting updates, did something change?
N can I get an invoice with our VAT number on it?
B hey, the timeline view freezes and then the tab crashes with "Aw, Snap" every time
P hi, notifications on android arrive like an hour late
N is there a template for sprint retros?
R hey, i can't log in, the 2fa code is always rejected even though it's correct
H hi, we're running a crash course on taskgrid for new hires, do you have slides we could use?
P dashboard charts take 30s+ for me, is that normal?
N can guests comment without a paid seat?
R hello, the CSV export button does nothing. click, nothing happens
H hi, quick one: is there a timeout setting for idle sessions? security wants 15 minutes
""")

block("churn_note", "taskgrid", """
P Cancelling, the app became too slow for our larger boards and the team stopped using it.
N Moving to Jira because the company standardised on Atlassian.
N Too expensive per seat for a nonprofit.
R We're leaving because notifications were unreliable, people kept missing deadlines.
N Project finished, no longer need it.
B Switching tools. Boards froze constantly and we had two incidents of losing task data. Not acceptable.
N Missing time tracking and invoicing, we need an all-in-one.
G Honestly it works great and it's quick, but our new parent company pays for another tool.
R Leaving because our SSO login broke twice in one month and locked out the whole company.
N Team shrank to two people, a spreadsheet is enough now.
P Every page load felt like wading through mud. We tried for six months.
""")
# ---------------------------------------------------------------------------------------------
# pennywise: mobile banking app (login, face ID, transfers, balance, statements, cards)
# ---------------------------------------------------------------------------------------------
block("review", "pennywise", """
P app takes 10 seconds to open every time, i just want to check my balance
R face id stopped working after the update, have to type my passcode every time
N best bank app i've used, the spending categories are super clear
G transfers are instant now, love it
P why does a banking app use 20% of my battery a day
R transfer failed but the money still left my account??
N please add the option to round up purchases into savings
B app froze in the middle of a transfer and then crashed, now i dont know if it went through
N monthly fee of 4.99 is too much when other banks are free
P statements take forever to generate
R balance is wrong, it still counts a pending payment that cleared two days ago
H two years with this app and never a single error. very reliable
R keeps logging me out randomly mid session
P charts in the insights tab are laggy, scrolling is choppy on my s21
N customer service was friendly and sorted my card replacement in a day
R cant login at all since yesterday, it says service unavailable
P the login screen hangs for a good 5-6 seconds after face id before anything shows
N would like joint accounts please
H slow reply from support but they fixed my address in the end
R notification says payment received but nothing in my account. glitch?
P app has become bloated, 380MB for a banking app is ridiculous
N the new design is ugly, bring back the old colours
R card freeze toggle doesnt work, it says frozen but my card still got charged
H love the card freeze button, froze my card in two seconds when i lost my wallet
B sending money to a friend spins for a minute then says try again later. tried 4 times, nothing sent
R march statement is a blank pdf
H quick and easy to set up, verified my ID in 5 minutes
P pulling down to refresh the balance takes ages on 4G
N cant figure out how to change my address. where is it??
R app crashes as soon as i open the cards tab. iphone 12, latest ios
P 3 stars, fine app but its slooow. every screen needs a few seconds to think
N wish i could rename my savings pots
""")

block("ticket", "pennywise", """
R Transfer stuck in processing then failed. On 14 May I sent £450 to the account ending 2231. The app showed "processing" for two days and then "failed", but the amount is still missing from my balance. Reference PW-TR-88412.
P App very slow to start on Android. Pixel 7, Android 14, app 8.3.0. From tapping the icon to seeing my balance takes 12-15 seconds. It used to be 2-3 seconds. Cleared cache and reinstalled, no change.
B Login times out and then locks me out. When I log in on mobile data the spinner runs for about a minute and then says "Request timed out". After three attempts my account got locked. Please unlock it and look into the timeouts.
R Face ID login not working. After updating to iOS 17.5, Face ID fails with "Biometric authentication unavailable". Face ID works in every other app. I have to enter my passcode every time.
N Request for statements in spreadsheet format. Our bookkeeper would prefer XLSX or CSV statements instead of PDF. Is that possible for business accounts?
P Transaction search slow. Searching my transactions for "rent" takes about 20 seconds and the app is unresponsive while it searches. I have about four years of history.
H Question about the inactivity timeout. The app logs me out after 2 minutes of inactivity. Is there a setting to make that longer? I know it's for security, just asking.
R Charged twice in the app. The same Tesco purchase on 03/06 shows twice (£23.40 each) and my available balance is reduced by both. The shop says they only charged once. Looks like a display or posting bug on your side.
N Change of name after marriage. I got married and need to update my surname. Which documents do you need from me?
P Card payment notifications very late. Push notifications for card payments now arrive 10-15 minutes after I pay. They used to be instant. They do arrive, just late.
R Standing order not sent. My rent standing order (1st of the month) didn't go out on 1 July. No error shown, it still says "scheduled". My landlord is asking where the money is.
B Annual statement download freezes and errors. Downloading the annual statement freezes the app for about 30 seconds and then shows "Error 500". Monthly statements download fine.
H Down payment savings pot. I'm saving for a house down payment. Can I set up a separate pot with a goal and lock it until a date? Great app btw, never had any issues.
N Overdraft fee question. I was charged a £15 overdraft fee but I was only overdrawn for a few minutes before my salary came in. Can it be waived this once?
R Cannot add new payee. Adding any new payee fails at the confirmation step with "We couldn't verify this account (ERR_CONF_2)". I've tried three different, valid UK accounts over two days.
P Insights tab is extremely slow. Opening Insights takes 25-30 seconds and the phone gets hot while it loads. iPhone 11, iOS 17.4, app 8.2.1. Everything else in the app is reasonably quick.
N Lost card, need a replacement. I lost my debit card yesterday and have frozen it in the app. Please send a replacement to my home address.
""")

block("chat", "pennywise", """
R hi, the app says my card is blocked but I never blocked it
P hey, app is really slow for me today, balance won't refresh for ages
N hi, how do i order a new card?
R hello, i'm getting "something went wrong" every time I try to add a payee
H hi, is there a fee to unfreeze my card? froze it by mistake lol
B hi, the transfer screen hangs and then the app just closes, tried three times now
P is there a reason the app is draining my battery in the background?
N hi, what's the daily limit for transfers?
G hey just wanted to say face id login is super quick now, thanks for fixing it
R can't log in, it says my password is wrong but i reset it 5 minutes ago
N hi, can I get a bank reference letter for my new flat?
P hi, every time I open the statements section it takes about a minute to load, is that normal?
R my salary came in but the balance hasn't updated, and the transactions list shows an error
""")

block("churn_note", "pennywise", """
N Closing my account, moving abroad.
P Switching banks. The app got so slow that checking my balance took longer than walking to an ATM.
R Leaving because of the failed transfers. Twice my rent didn't go out and I got late fees.
N Monthly fee is too high.
N Found a bank with better interest on savings.
B Closing the account: the app froze constantly and crashed during payments, I don't trust it with my money anymore.
G The app was great, fast and never failed me. I just don't need a second account anymore.
R Couldn't log in for a whole week after the update, that was enough for me.
N Merging finances with my partner, we're using their bank.
""")
# ---------------------------------------------------------------------------------------------
# snapvault: photo and video backup app (upload, sync, gallery, battery, storage)
# ---------------------------------------------------------------------------------------------
block("review", "snapvault", """
P backup is so slow, 2 days and its still uploading my camera roll
R lost about 300 photos from my trip after the app "cleaned up" my phone. they're not in the cloud either
N finally a backup app that doesnt nag me to upgrade every 5 minutes
P kills my battery. phone gets hot every night while it backs up
R app crashes the moment i open an album with videos
G no crashes since the update and backups finish overnight now. good job
N wish there was a way to hide screenshots from the timeline
P gallery scrolling is choppy, thumbnails take forever to pop in
R sync is broken, photos from my tablet never show up on my phone
B upload gets stuck at 97% for an hour and then fails with an error. every single video
N 50GB for 2.99 is a good deal
P search for "dog" takes like 20 seconds and my phone gets warm
R app wont open anymore, just a white screen
G love how quick the face grouping is, found every photo of my grandma in seconds
N please add shared family albums
R half my videos play with no sound after backup. corrupted?
P opening the app takes forever because it "prepares the library" every single time
N too expensive compared to what my phone already includes
R keeps saying backup complete but the newest photos arent in the web gallery
H support was quick and explained the upload limit for free accounts, fair enough
P chews through my mobile data, 4GB last month just from scrolling my own gallery
B app freezes while backing up then force closes and starts the whole backup from zero
N the new icon is ugly lol
P web gallery is sluggish with 40k photos, every scroll is a wait
R duplicated every photo twice after switching phones. now i have 2 copies of everything
G restored my whole library to a new phone in under an hour, fast and painless
N 4 stars, a locked private folder would make it 5
R videos uploaded after march show a broken thumbnail and dont play
P the background upload makes my whole phone laggy, keyboard stutters while it runs
""")

block("ticket", "snapvault", """
P Initial backup extremely slow. I have 18,000 photos (about 60 GB). After three days on a 200 Mbit home connection only 4,000 are uploaded. The upload speed shown in the app hovers around 0.3 MB/s. iPhone 14, iOS 17.5, app 6.1.0, wifi only, charging overnight.
R Photos missing after phone migration. I moved from a Galaxy S20 to a Pixel 8 and restored from snapvault. Everything from 2019 and 2020 is gone from the restore and also from the web gallery, about 2,100 items. Account: the email on this ticket.
B Video uploads time out and fail. Any video longer than about 2 minutes stalls at 90-99% for several minutes and then fails with "Upload failed (timeout)". Photos upload fine. Happens on home wifi and on office wifi.
P Severe battery drain since 6.0. Since updating to 6.0 snapvault uses 35-40% of my battery per day according to iOS battery settings, even when there is nothing new to back up. Background refresh is on, low power mode off.
R Shared album link returns an error. Links to my shared album "Wedding 2024" show "This album is unavailable (error 403)" to everyone, including me when logged out. The album still exists in my account. Guests can't download their photos.
N Upgrade plan question. If I upgrade from 50 GB to 200 GB in the middle of the month, am I charged the full price or the difference? And does my billing date change?
P Web gallery slow with large library. With about 45,000 items, scrolling the web gallery stalls every few rows for 2-4 seconds while thumbnails load. Chrome 126 on Windows 10, 500 Mbit connection. The timeline jump bar is also unresponsive for a few seconds after each click.
R Sync between devices stopped. My iPad stopped receiving new photos from my phone on 20 May. Both show "Up to date". Signing out and back in didn't help. Web gallery shows photos up to 20 May only.
H Crash course for my parents? I'm setting up snapvault for my parents and want to give them a short crash course. Do you have a printable one-page guide? The app itself works great for me.
R Edited photos revert to original. When I edit a photo (crop, rotate) on my phone, the backed-up copy shows the original after a day, and my edit on the phone is lost too. Happens every time with rotated photos.
N Export all my data. I'd like to download all my photos and videos before closing my account. Is there a bulk download option that keeps the folder structure?
B Search freezes app then crashes. Typing into search freezes the app for 10+ seconds and about half of the time it then crashes back to the home screen. Galaxy S22, Android 14, app 6.1.2.
P Face grouping takes days. After enabling face grouping, it has been "analysing your library" for four days and the phone runs warm the entire time. 22k photos.
""")

block("chat", "snapvault", """
P hi, backup has been "uploading 1,203 items" for like 3 days, it's moving but so slowly
R hey, my photos from yesterday aren't in the web app, phone says they're backed up
N hi, how do I stop screenshots from being backed up?
G hey, just wanted to say the new uploader is really fast, went through my whole vacation in minutes
B hi, the app freezes when I open the "Videos" album and then closes itself
P hello, is it normal that the app uses 30% of my battery?
R hi, i deleted an album by mistake and "restore from trash" fails with an error every time I try
N can i share storage with my husband on one plan?
R hey team, getting "server error" when I try to log in on the web
H hi, what's the max file size for uploading 4K videos? don't want to hit a limit mid-trip
P hey, thumbnails on the website load super slowly today, is something up?
""")

block("churn_note", "snapvault", """
R Cancelling because I lost photos during a restore and nobody could get them back.
N My phone's built-in cloud backup is enough now.
P Backups took days and drained my battery, I gave up.
N Too expensive for the storage I actually use.
B Constant freezing during backup and then it crashed and re-uploaded everything from scratch. Leaving.
N I only needed it to move photos between phones.
H No complaints about speed or reliability, we just moved the whole family to a shared plan elsewhere.
N Missing RAW support for my camera photos.
R The sync between my devices broke three times this year.
""")
# ---------------------------------------------------------------------------------------------
# notely: note-taking app (sync across devices, editor, attachments, offline, search)
# ---------------------------------------------------------------------------------------------
block("review", "notely", """
R lost my notes from this morning. synced, closed laptop, opened phone: gone
P sync takes forever now, like 2 minutes for a one line change to show on my phone
N cleanest note app out there, love the typography
H offline mode works great, wrote on a 10 hour flight and everything synced when i landed
P typing lags in long notes, I can see the letters catch up
R app crashes when i paste an image into a note. every time
N please please add nested notebooks
B editor freezes for a few seconds then the app closes and whatever i typed is gone
R search returns notes that dont even contain the word. broken
N subscription went up again, thinking of leaving
P the windows app is a memory hog, 1.5 GB for text notes?
H no bugs in months. boring in the best way
R attachments show a grey box and "file not found" after sync
P opening my big research notebook takes 15 seconds every time
N would love handwriting support on ipad
R conflict copies everywhere. every note has 3 versions after the last update
G super fast search, finds stuff inside PDFs too, impressed
P the phone app is sluggish to start, 5-6 seconds of logo before i can type
N the markdown shortcuts are a bit inconsistent, not a big deal
B syncing a notebook with a lot of images runs for ages and then fails with "sync error 17"
R wont open on android 14. splash screen then nothing
N onboarding tutorial is cute, skipped it though
P scrolling in a long note stutters like crazy on my macbook
R my checkbox lists keep unchecking themselves after i close the app
G used to lag on big notes but the new editor fixed it, buttery now
N pricing is fair for what you get
P web clipper takes ages to save a page, sometimes 30+ seconds for a simple article
R the web version logs me out every few minutes, cant get anything done
N 5 stars. simple, does what it says
""")

block("ticket", "notely", """
R Notes lost after sync. On 2 April I edited my "Thesis - Chapter 3" note on my MacBook (app 4.12) for about three hours. The next morning the note had reverted to the version from 1 April. Version history only shows the older version. This is a serious data loss, please check the server side.
P Sync very slow between Mac and iPhone. Changes on my Mac take 2-5 minutes to appear on my iPhone, it used to be a few seconds. Both on the same wifi, both on the latest versions (Mac 4.12.1, iOS 4.12.0). About 3,500 notes in total.
B Large note freezes and loses edits. Any note longer than about 20 pages makes the editor freeze for several seconds on each keystroke; if I keep typing the app eventually crashes and the last few minutes of text are gone. Windows 11, app 4.11.3.
N Student discount. I'm a university student. Do you offer a student discount on the yearly plan? I can verify with my university email.
R Attachments fail to download on mobile. PDFs attached on desktop show "Couldn't download attachment (error 404)" on my Android phone (Pixel 6a, Android 14). They open fine on desktop. Re-attaching doesn't help.
P Search takes 10+ seconds. Searching my notes takes between 10 and 20 seconds per query on the desktop app, with a spinning indicator the whole time. It does return the right notes in the end. About 8,000 notes, many with attachments.
H Timeout question for the API. Our Zapier-style integration uses the notely API. Is there a documented request timeout we should use, and do you recommend batching note creation? Everything works, just want to set it up right.
R Shared notebook edits not saving for collaborators. Two colleagues I shared the "Ops runbook" notebook with can type, but their changes disappear when they close the note. My own edits save fine. Sharing permission is "can edit".
P High CPU usage on Mac. Notely sits at 90-120% CPU on my M2 MacBook Air even when idle in the background, and the laptop gets warm. Quitting the app brings CPU back to normal. Version 4.12.1.
N Import from another app. I'm moving from another note app with about 2,000 notes. Is there an importer that keeps tags and creation dates?
R Offline edits overwritten. I edited notes offline on a train, and when I reconnected the app replaced my offline edits with the older server copy. No conflict copy was created. Happened twice this week.
B PDF export hangs then produces a broken file. Exporting a notebook to PDF runs for several minutes with the app unresponsive, and the resulting file can't be opened ("file is damaged"). Small notebooks export fine.
N Feature request: note templates. We'd love a template gallery for meeting notes and 1:1s, shared across the workspace, so new hires start from the same structure.
P Web clipper slow. The browser clipper needs 20-40 seconds to save an article, and the browser tab is sluggish while it works. Firefox 127 on Ubuntu 22.04.
""")

block("chat", "notely", """
R hi, my notes aren't syncing between laptop and phone since yesterday
P hey, is sync slow right now? it's been spinning for a while on my end
N hello, how do I export a notebook to PDF?
G hi! just switched from another app, import was really quick, nice work
R hey team, I get "Oops, something went wrong" when opening any shared note
B hi, the editor freezes when I paste a table and then the app crashes
N can I change the default font?
P hey, the desktop app is using a crazy amount of memory, is that a known thing?
R help, a whole notebook disappeared from my sidebar after the update
H hi, is there a size limit on attachments? want to upload some lecture recordings
N is there a family plan?
P hi, the app takes a long time to open on my phone, like 10 seconds on the logo
""")

block("churn_note", "notely", """
R Leaving after losing a week of notes to a sync bug. I can't trust it.
N Switching to a free alternative, the subscription isn't worth it for me.
P The app got slower with every update and now it's painful on my older laptop.
N I need real-time collaboration and you don't have it.
N Finished my degree, don't need it anymore.
B It kept freezing on long notes and then crashing, and I lost text twice. Goodbye.
G Great app, quick and stable, but my company requires us to use their own wiki.
R Sync conflicts every day for a month, nothing fixed it.
N Too many features I don't use, I want something simpler.
""")
# ---------------------------------------------------------------------------------------------
# beatbox: music streaming (playback, buffering, downloads, offline, playlists, casting)
# ---------------------------------------------------------------------------------------------
block("review", "beatbox", """
P constant buffering even on 5 bars of 4G, songs stop every 30 seconds
R downloads vanish every few days and i have to redownload everything before a flight
N great playlists, the discover mix actually knows my taste
G no lag at all since the update, skipping tracks is instant
P app drains my battery like crazy, 2 hours of music = 40%
R keeps crashing when i connect to my car via bluetooth
N please add a sleep timer
B app freezes when i open my library then crashes. 2k liked songs, maybe thats why
N student plan please!! 10 a month is a lot
P takes ages to start playing after i tap a song. like 5-8 seconds of silence
R my playlists are gone. years of playlists. just gone after logging in on a new phone
H streaming quality is great and it never drops out even on the train. love it
P the home screen is so laggy, scrolling the shelves is choppy
R offline mode doesnt work, says "no connection" and wont play my downloaded songs
N too many podcasts pushed on the home screen, I just want music
R songs skip to the next one randomly halfway through. super annoying bug
P search is slow, i type an artist and wait 4-5 seconds for results
H fast support, they sorted my double charge in one email
N lyrics are a nice touch
R casting to my speaker worked for months, now it just says "cant connect"
P the desktop app is heavy, 900MB of RAM just sitting in the tray
B download of a playlist crawls along and then fails at 80% with "download error"
N the new UI is confusing, where did my queue go
R shuffle plays the same 20 songs out of 400. that's not shuffle, that's a bug
P eats so much mobile data, even on "normal" quality
H had it for 3 years, never crashed on me once
N would love collaborative playlists for road trips
R after the update i cant log in with facebook anymore
P audio stutters every few seconds on bluetooth headphones, wired is fine
N 3 stars, catalog is missing a lot of indie stuff
""")

block("ticket", "beatbox", """
P Playback buffering on good connections. Since last week, almost every track pauses to buffer 2-3 times even on my home fibre (500 Mbit). Speedtest is fine and other streaming apps play without pauses. iPhone 15, iOS 17.5, app 9.4.0, quality set to High.
R Downloaded songs not playing offline. About 600 downloaded songs show the green download icon, but in airplane mode they fail with "This song is not available offline". It started after updating to 9.4.1 on Android (Galaxy S23).
B Car mode freezes and crashes. When I connect to Android Auto, the car screen freezes for around 10 seconds and then the app crashes. Restarting the phone doesn't help. Pixel 7 Pro, Android 14, Renault Clio 2022.
N Family plan question. Can I add my mum to my family plan if she lives at a different address? The app says all members must live together.
P Very high battery drain on iOS. Settings shows beatbox using 45% of my battery over the last 24 hours with 3 hours of screen-off listening. Downloaded music, offline mode, low power mode on. This is new since 9.3.
R Playlists deleted after account merge. I merged my two accounts as your help page suggests. All 14 playlists from the old account are now missing, including one with over 900 songs. Please restore them.
H Crossfade question, not a bug. Does crossfade also apply inside albums, or does gapless playback take over there? I'd like crossfade off for live albums only. Everything else works great.
P App slow to launch. Cold start takes 9-12 seconds before I can press play, with a grey skeleton screen the whole time. It used to open in 2 seconds. Galaxy A52, Android 13.
R Payment declined by your system. My card works everywhere else, but renewing Premium fails with "Payment error, code B-13". My bank says no attempt was ever made. Premium expired yesterday.
N Refund for annual plan. I bought the annual plan by mistake instead of monthly three days ago. Can I get a refund and switch?
B Desktop app hangs on startup and then shows an error. On Windows 11, the desktop app sits on a black window for about a minute and then shows "Something went wrong. Error code: 4". Reinstalling did not help.
P Casting delay. When I cast to my speaker, there's a 10-15 second delay before music starts and skipping a track takes another 10 seconds. It works, just very slowly.
R Liked songs count wrong. My "Liked songs" shows 1,204 songs in the header but only 830 are listed. Some songs I liked years ago are missing from the list.
""")

block("chat", "beatbox", """
P hey, songs keep buffering today, is something going on?
R hi, my downloads all disappeared overnight
N hi, how do I cancel my free trial?
G hey just wanted to say the new offline mode is super fast, great job
B hi, the app freezes when I press play and then it closes
P is it normal that beatbox uses so much battery? my phone is dying by lunch
R hello, the web player says "error 500" and won't load
N can I change the email on my account?
R hey team, lyrics are out of sync for every song I play
H hi, i'm on a price freeze from the old plan, will that still apply after my student plan ends?
P hi! the desktop app is super laggy when I scroll through albums
N is there a way to hide explicit songs for my kid?
""")

block("churn_note", "beatbox", """
N Switching to the service my family already pays for.
P Constant buffering on my commute, gave up.
N Cancelling, too expensive after the price increase.
R My downloads kept disappearing before flights. Not paying for that.
N The catalogue is missing too many of the artists I listen to.
B The app froze and crashed every time I used it in the car, which is where I listen most.
G It was fast and never glitched, I just don't listen to music enough to justify it.
N Only signed up for the 3 months free.
P Battery drain was too much on my phone.
""")
# ---------------------------------------------------------------------------------------------
# fleetpulse: B2B analytics / dashboards with an API (latency, webhooks, reports, CSV, SSO)
# ---------------------------------------------------------------------------------------------
block("review", "fleetpulse", """
P dashboards are gorgeous but they take 30+ seconds to load, my execs complain every monday
R API returns random 502s, our retries hide it but it's not great
N best analytics tool for our size, setup took a day
G p95 latency on the metrics API dropped a lot this quarter, really fast now
P CSV exports are painfully slow for anything over a month of data
R SSO login broke twice this month, whole team locked out
N pricing by events ingested gets expensive fast
B the query builder hangs on big date ranges and then errors with "query failed"
H error-free ingestion for six months straight, impressive
N would love a Terraform provider
P embedded charts lag our whole customer portal
R numbers on the revenue dashboard dont match our database. off by thousands
H their support engineers are quick and know their stuff
P webhooks arrive minutes late, not seconds
R scheduled reports stopped arriving in our inbox, no error anywhere
N UI could use some love but the data is solid
P the web app is heavy, my laptop struggles with more than 3 dashboards open
R filters on the dashboard reset themselves every time I reload. bug?
N docs are excellent, there's an example for every endpoint. 5/5
B the API slowed to a crawl during the outage last tuesday and then returned 503s for an hour
""")

block("ticket", "fleetpulse", """
P API latency regression on /v2/metrics. Since 10 June, p95 latency on GET /v2/metrics went from ~300 ms to 2.8 s for our account (org id fp-4471). Same queries, same volume. Calls from eu-west-1. Our ingestion pipeline is falling behind because of it.
R 5xx errors from the events endpoint. POST /v2/events returns 500 Internal Server Error for roughly 3% of requests since 02:00 UTC. Payloads are identical to ones that succeed. Request IDs: req_8f2a91, req_8f2b07, req_8f2c44.
B Report exports time out and never arrive. Exporting the "Fleet utilisation" report for Q1 runs for about 10 minutes, then fails with "Export timed out", and the scheduled email version never arrives either. Smaller exports complete but take 3-4 minutes.
R SSO login fails with SAML error. All users in our tenant get "SAML response invalid: audience mismatch" since this morning. Nothing changed in our Azure AD configuration. We cannot access any dashboards. Tenant: logi-north.
P Dashboard load time. Our operations dashboard (18 tiles, 90-day range) takes 40-60 seconds to load in Chrome 126. Each tile shows a spinner and renders slowly one by one. Same dashboard loaded in under 10 seconds in April.
N Question about data retention. How long do you keep raw events on the Growth plan, and can we pay to extend it to 25 months for compliance?
H Webhook timeout configuration. What timeout do you apply when delivering webhooks to our endpoint, and how many retries? We want to size our receiver correctly. No issues so far, this is for a new integration.
R Webhooks not delivered. Our "threshold crossed" webhooks stopped arriving on 4 July. The webhook log in the UI shows "delivered 200" but our receiver logs show nothing from your IP ranges. Test webhook from the UI also doesn't arrive.
P Webhook delivery delayed. Webhooks for alert events reach us 4-9 minutes after the event time in the payload. Our SLA requires under 1 minute. Every webhook eventually arrives.
R Wrong values in CSV export. The CSV export for the "Idle time" metric shows values in seconds, while the dashboard shows minutes, but the column header says minutes. Our billing to customers used this file. Please fix and confirm which one is correct.
N Add a second admin. Please add jana.k@ourcompany.example as an admin on our account, our previous admin has left the company.
B Query builder unresponsive then 504. Running a grouped query over 12 months makes the query builder unresponsive for about two minutes and then the request fails with 504 Gateway Timeout. The same query over 3 months completes in about 40 seconds, which is also slower than expected.
P Throughput dropped because of slow responses. Because requests to /v2/reports now take 6-8 seconds each, our workers hold connections much longer and our throughput dropped by 70%. Nothing errors, it's just slow.
N Feature request: per-dashboard permissions. We need to share certain dashboards with contractors without exposing the rest. Per-dashboard permissions would solve this.
R Data missing after ingestion. Events ingested between 13:00 and 15:00 UTC on 22 May are missing from all dashboards, although the API returned 202 Accepted for every batch. We have the request logs if needed.
""")

block("chat", "fleetpulse", """
P hi, API calls are really slow for us right now, 5s+ per request. anything going on?
R hey, we're getting 503 Service Unavailable from the API since 10 minutes
N hi, how do I rotate an API key?
G hello, the new query engine is really quick, our reports went from minutes to seconds. thanks!
R hi, our SSO login is failing with "invalid assertion", nothing changed on our side
B hey team, dashboards are crawling and some tiles now show "query failed"
N can we get an invoice in EUR instead of USD?
P hi, CSV export has been "preparing" for 15 minutes, is that expected for 3 months of data?
R hey, the embed widgets on our portal show a blank box since this morning
H hi, do you have a crash course or webinar for new analysts joining our team?
""")

block("churn_note", "fleetpulse", """
P Moving to an in-house solution, API latency was too high for our real-time use case.
N Budget cut, analytics tooling was consolidated.
R Too many outages this year, our customers noticed before we did.
N We needed on-prem deployment, which you don't offer.
B Dashboards got slower every quarter and exports kept failing. We're moving to a warehouse-native tool.
N Company acquired, parent has its own BI stack.
G Product is fast and reliable, but the per-event pricing no longer fits our volume.
""")
# ---------------------------------------------------------------------------------------------
# quizquest: mobile trivia/puzzle game (levels, ads, FPS, crashes, progress saves, shop)
# ---------------------------------------------------------------------------------------------
block("review", "quizquest", """
R lost all my progress after the update, was on level 240. uninstalling
P game lags so bad on level transitions, like 5 seconds of frozen screen
N fun game but way too many ads
B game freezes during the ad and then crashes, and i lose my lives
G love this game, runs super smooth on my old phone
R crashes every time i open the daily challenge
N please add more science questions
P my phone gets super hot after 10 minutes of playing
R bought 500 gems, never got them. money gone
N 5 stars, my whole family plays it at dinner
P fps drops to like 10 in the multiplayer rounds
R the answer it says is correct is actually wrong?? question 17 about the moon
H no crashes anymore since the patch, thanks devs
P takes forever to load the map screen
N the new character designs are cute
R cant log in with google play, it just spins and says error
N ads every single level is too much, i'd pay 2 bucks to remove them
P drains my battery way faster than any other game i have
R game resets my coins to 0 every time i close it
H quick rounds, perfect for the bus. no complaints
B stuck on loading screen for a minute, then black screen, then back to home
P choppy animations after the last update on my ipad
N questions are too easy after level 100
R leaderboard shows me with 0 points even though i have 40k
N we need a hint button please!!! stuck on the same question for days
P super laggy when there's a lot of confetti lol, it stutters every time i win
R multiplayer matches disconnect in the middle, every time, and count as a loss
H the timer freeze power-up is the best thing ever
""")

block("ticket", "quizquest", """
R Progress lost after reinstall. I reinstalled the game on my Samsung A54 and logged in with the same Google account, but my progress is back at level 1. Before I was at level 312 with 4,800 coins. Player ID QQ-2290417.
P Game lagging on level start. On iPhone XR (iOS 17.4), each level takes 6-8 seconds to start with a frozen screen, and the timer animation stutters during questions. This began with version 3.8. Older levels too.
B Crash after ad. When I watch a rewarded ad for extra lives, the game freezes on the ad's close button for several seconds and then crashes. The lives are not granted. Happens 4 out of 5 times. Pixel 6, Android 14.
R Purchase not delivered. I bought the "Mega Gem Pack" (9.99) on 12 May. Google Play shows the charge and the receipt GPA.3391-8812-4410, but the gems never appeared in the game. Restore purchases gives "Restore failed".
N Request to delete my account. Please delete my account and all associated data, including my purchase history and friend list. Player ID QQ-8830116. Please confirm by email once it's done.
P Overheating and battery drain. After about 15 minutes the phone becomes very hot and loses about 1% battery per minute. Other games don't do this. Galaxy S21, brightness at 50%.
H Feature request, not a bug. It's not a bug, but it would be great if the timer could pause when a phone call comes in. Right now I lose the round. Otherwise the game works great.
R Daily reward not working. The daily reward chest has shown "Come back tomorrow" for 6 days straight. I haven't received a reward since 3 March. Reinstalling didn't help.
P Multiplayer matchmaking very slow. Finding a multiplayer opponent now takes 2-3 minutes, it used to take 10 seconds. When a match starts the rounds are laggy, answers register a second late.
N Parental controls. How can I turn off in-app purchases and chat for my 9-year-old? Is there a kids mode, or do I have to set it up through the phone's own settings?
B Level 150 never loads and crashes. Level 150 loads for about a minute with the spinner and then the app closes. Tried 10 times, clearing cache too. Can't progress at all.
""")

block("chat", "quizquest", """
R hi, my game keeps crashing when I open the shop
P hey the game is super laggy today, is it the servers?
N hi, how do I change my username?
G hey, love the new update, everything loads way faster
B hi, the game froze on the results screen and then crashed and my win didn't count
R i paid for remove ads and i still get ads
N can i play offline?
P hey, my phone gets really hot playing this, any setting to make it lighter?
R hi, my friend list is empty after the update
""")

block("churn_note", "quizquest", """
R Uninstalled after losing my progress for the second time.
N Got bored, finished all the levels.
N Too many ads.
P The game lagged so much on my phone it wasn't fun anymore.
B It froze and crashed constantly in multiplayer. Not worth it.
N Found a trivia game with more categories.
G Game was quick and smooth, I just need to spend less time on my phone.
""")
# ---------------------------------------------------------------------------------------------
# mealmate: food delivery ordering app (menu, cart, checkout, promo codes, courier tracking)
# ---------------------------------------------------------------------------------------------
block("review", "mealmate", """
P app takes so long to load restaurants, by the time it shows anything im not hungry anymore
R payment failed 3 times then it charged me anyway and no order was placed
N food always arrives warm, great couriers in my area
G delivery was super quick and the app is smooth, 5 stars
P tracking map is laggy, courier jumps around every 30 seconds
R promo code says invalid even though it came in your own email
N delivery fees are getting ridiculous
B checkout spins forever and then says "order failed", but the restaurant got it anyway?? so confused
R app crashes when i try to reorder a past order
N please add group orders for the office
P checkout is so slow, spinning wheel for like 20 seconds after i hit pay
R my saved addresses disappeared and it keeps delivering to my old place
H slow delivery tonight but thats the rain, app itself works great
N wish i could filter by allergens
P the app makes my phone heat up just tracking an order
R order status stuck on "preparing" even after the food arrived. broken tracking
N love the weekly deals, saved a fortune on sushi this month
P search for "sushi" takes ages, and its a small town
R cant log in, code never arrives by sms
G quick checkout, apple pay just works, love it
B app froze at the payment screen then closed, got charged twice
N customer service was nice about my missing drink and refunded it
R the app shows restaurants as open that closed an hour ago, then cancels my order
P menus with photos take forever to load on 4G
N too many notifications about deals, turned them off
""")

block("ticket", "mealmate", """
R Charged but no order. On 18 June at 19:42 I paid €27.80 with Visa. The app showed "Payment failed, please try again", so I paid again, and that one worked. My bank shows two charges. Only one order was delivered. Order ID MM-7712093.
P Slow checkout on Android. For the last week, after pressing "Place order" the app shows a loading spinner for 15-30 seconds before the confirmation. The order always goes through. Samsung A53, Android 14, app 12.4.0, good 5G.
B Order times out and fails. Placing an order from the restaurant "Noodle Lab" timed out twice with "Request timed out" and then showed "Order failed". The third time worked. My card has two pending holds. Times: 12:31 and 12:36 today.
R Promo code rejected. The code WELCOME15 from your onboarding email returns "This code has expired" although the email says valid until 30 September. Account created on 2 September.
N Business account. We'd like to set up a company account so employees can order lunch on a shared budget. Do you offer that?
P Courier tracking updates slowly. The courier position on the live map updates only every 1-2 minutes, so the ETA jumps around. It used to move smoothly. iPhone 13, iOS 17.
R Missing push notifications. I no longer get any notification when my order is picked up or arriving. Notifications are enabled in iOS settings and in the app. Couriers end up waiting at my door.
H Down payment for catering? For a catering order of 80 people, can we pay a down payment now and the rest on delivery? Your regular checkout works well, just need to know about large orders.
R Restaurant menu shows wrong prices. The menu in the app shows €9.50 for the lunch menu, but at checkout the item is €12.90. This happened for three restaurants today. Screenshots attached.
P App startup very slow. The app sits on the splash screen for 8-10 seconds before showing restaurants, then another few seconds for images. Xiaomi Redmi Note 12, Android 13.
N Delete my account. Please remove my account and saved card details, I'm moving to another country where you don't deliver. Thanks for the good service over the years.
""")

block("chat", "mealmate", """
P hi, the app is really slow tonight, can't even load the menu
R hey, my order says delivered but nothing arrived and the tracking page shows an error
N hi, can I change the delivery address after ordering?
G just wanted to say the new checkout is so fast, thanks!
B hi, checkout is timing out and now I see two charges on my card
R hello, the app won't let me pay, says "something went wrong" with every card
N do you deliver to the university campus?
P hey, tracking map is super laggy for me, the courier icon freezes
R hi, my promo code disappeared from my account after the update
""")

block("churn_note", "mealmate", """
N Deleting the app, trying to cook more at home.
R Payments failed too often and I got double charged twice.
N Fees are higher than the other delivery apps.
P The app was so slow at dinner time that I started ordering elsewhere.
N Not enough restaurants in my area.
B Checkout kept timing out and orders failed during the busiest hours.
G The app was quick and never gave me trouble, I just moved to a town you don't cover.
""")
# ---------------------------------------------------------------------------------------------
# clinicdesk: appointment booking / practice management SaaS for small clinics
# ---------------------------------------------------------------------------------------------
block("review", "clinicdesk", """
P calendar takes ages to load in the morning when everyone logs in at once
R SMS reminders stopped going out, three no-shows yesterday
N finally a booking tool our older doctors can use
G video visits connect fast and the picture is clear, patients love it
P patient search is sluggish, typing a surname and waiting 5 seconds is not ok at a busy front desk
R appointments booked online don't show up in the calendar. double bookings everywhere
N pricing per practitioner is steep for a small physio clinic
B billing report hangs for minutes and then errors out, every month end
R video calls drop after exactly 10 minutes, every time
N would love recurring appointments for weekly therapy sessions
P the web app is so heavy our old reception PC can barely run it
H rock solid, never had downtime in two years
R patient notes saved yesterday are gone today. that is a huge problem in healthcare
P opening a patient record takes 10+ seconds with a spinner
N onboarding call was helpful, team was set up in a week
R login with 2FA fails half the time with "code invalid"
H support was quick to walk us through the setup, very friendly
""")

block("ticket", "clinicdesk", """
P Calendar slow at opening time. Between 07:45 and 08:30, when our 9 staff log in, the calendar takes 30-40 seconds to load and switching days takes another 10. Later in the day it's fine. Chrome 126, Windows 10, clinic broadband.
R Online bookings not appearing. Patients receive a confirmation email for online bookings, but the appointments do not appear in our calendar. We found 6 this week, patients arrived and we had no slot. Practice ID CD-2231.
B Video visit freezes then disconnects. During video visits the video freezes for 5-10 seconds every few minutes and then the call drops with "Connection lost (error 1006)". Both sides have good internet. Started on Monday.
N Add a new practitioner. We hired a new physiotherapist starting 1 September. How do we add her and will our monthly price change?
R SMS reminders not sent. Our 24-hour SMS reminders were not sent for any appointment on 14 and 15 March. The reminder log is empty for those days. No-shows tripled. Our SMS credit balance is fine.
P Billing report export very slow. The monthly billing report export takes about 12 minutes to produce a CSV with ~2,000 rows. Last year the same export took under a minute. It completes correctly, just slowly.
H Session timeout setting. Our front desk is logged out after 15 minutes of inactivity. Can an admin change that timeout to 60 minutes for the reception role only? Not a bug, a settings question.
R Wrong patient shown in reminder. A reminder SMS for patient A contained the appointment time of patient B. This is a privacy incident for us. Please investigate urgently. Example: appointment #88121 on 9 May.
N Training for new staff. Do you offer a short training session for two new receptionists? The onboarding last year was very useful.
P Patient search slow. Searching patients by name takes 6-10 seconds and the page is unresponsive while it searches. About 14,000 patients in our database.
""")

block("chat", "clinicdesk", """
R hi, the calendar shows a blank page for all our doctors since 8am
P hey, the calendar is really slow this morning, is something going on?
N hi, how do I change the reminder text?
G hi! just wanted to say the new calendar is much faster, the team noticed
B hello, video visits keep freezing and then dropping the patient
R hey, patients are telling us the online booking page gives an error
N can we get invoices addressed to our parent company?
P hi, opening patient records takes forever today
""")

block("churn_note", "clinicdesk", """
N Clinic merged with a larger practice that uses another system.
R Cancelling after repeated issues with reminders not being sent.
P Too slow for a busy front desk.
N Doctor retired, clinic closed.
B The calendar was slow every morning and online bookings got lost. We had to switch.
N Needed insurance claims integration you don't have.
H Nothing wrong with speed or stability, the price per practitioner was just too high for us.
""")
# ---------------------------------------------------------------------------------------------
# Second pass of handwritten lines: more phrasing, negations, mixed sentiment.
# ---------------------------------------------------------------------------------------------
block("review", "shoplane", """
P since the holiday theme went live my product pages are slow as molasses, 7 seconds on a good connection
P order search in the admin crawls. typing an order number and waiting 6 seconds is silly
R variant images swap randomly on product pages, customers order the wrong colour because the picture is wrong
B the app is slow to open AND when it finally opens it crashes half the time. great combo
N moving from a marketplace to my own store was easy, the templates are beautiful
H not a bug but the "add to cart" button text should be customizable
R every time i update the app my payment settings reset. third time now
P shopper here: the store i buy from uses this and the cart takes like 10 seconds to update when i change the quantity
R shopper here, tried to pay 4 times and it kept bouncing me back to the cart with no message at all
H its not slow, its not buggy, its just expensive. 3 stars
R it doesn't lag or anything, it's just broken. half my orders show the wrong shipping address
P nothing crashes but everything is slow, every click in the admin is a coffee break
""")

block("ticket", "shoplane", """
P Order export slow. Exporting three months of orders to CSV sits at "Preparing" for 20+ minutes. The file eventually arrives by email and the data looks correct, but we run this daily and it's eating our mornings.
R Refunds failing. Clicking Refund on any order returns "Refund could not be created" since 08:00 today. Examples: #SL-61220, #SL-61231. Customers are waiting for their money, please advise.
G Load planning for a flash sale. We're planning a product drop with maybe 5,000 visitors in the first minute. Do we need to warn you in advance? Your checkout has been quick for us so far, we just want to be safe.
B Admin unusable during sale. During our sale today the admin took 30-60 seconds per page and then the orders page started returning "502 Bad Gateway". Customers could still buy, but we couldn't fulfil anything for two hours.
R Shipping labels printing with wrong address. Labels printed from the admin for orders #SL-62001 to #SL-62014 show the billing address instead of the shipping address. Three parcels already went to the wrong place.
N Custom domain setup. We bought a new domain and want to connect it to our store. Which DNS records do we need and how long does it take?
""")

block("chat", "shoplane", """
R hi, our checkout says "Shipping unavailable" for every address in Germany since about an hour ago
B hey, the orders page is crawling and now half the orders show "failed to load"
H hey is there a price freeze if I lock in the annual plan now?
P hi, just me or is the theme editor really slow today? each change takes 10s to preview
N hey, can I add a second store under the same login?
R hi, the storefront search returns zero results for products that definitely exist
""")

block("churn_note", "shoplane", """
N We're moving to a marketplace-only model, no need for our own storefront anymore.
R Cancelling. Our store was down for six hours on a Saturday and we only heard about it from customers.
P Our page speed scores stayed terrible no matter which theme we used, and SEO suffered.
N The shipping integrations we need only exist on another platform.
""")

block("review", "taskgrid", """
P love the features but the speed... every board switch is 4-5 seconds of spinner
R the "mark complete" checkbox sometimes just doesn't save. i tick it, refresh, unticked again
B search spins for 20 seconds and then tells me there are no results for a task i'm looking at
N would be 5 stars with a proper workload view
G the new release is snappy, boards open right away. thank you
R the mobile app shows yesterday's tasks and won't refresh
P android app takes ages to start, then the board stutters when scrolling
H taskgrid's crash course webinar was actually great for onboarding our interns
N too many notification emails by default, had to turn them all off
R time tracking timer stops on its own after a few minutes. lost hours of logged time
P my laptop fans spin up whenever taskgrid is open in a tab
R subtasks duplicate themselves when I move the parent task to another project
H it isn't slow and it doesn't crash, i just find the UI ugly. 3 stars
""")

block("ticket", "taskgrid", """
R Gantt dependencies lost. After the update on Wednesday, all dependency arrows in our "Website relaunch" project are gone. We had about 60 dependencies. Tasks are still there. Project ID TG-PRJ-3321.
P Search slow across workspace. Workspace-wide search takes 8-15 seconds per query for every user in our company (120 seats). Results are correct. Project-level search is a bit faster at 3-5 seconds. This started roughly two weeks ago.
B Bulk move freezes and partially fails. Moving 200 tasks to another project with bulk edit freezes the page for several minutes; afterwards only about 70 tasks moved and the rest show "Move failed". Chrome 126, macOS 14.5.
N Cancel add-on. Please remove the "Advanced reporting" add-on from our subscription at the end of the current billing period. We only needed it for the annual review and won't use it again this year.
H Webhook timeout question. What is the timeout for your outgoing webhooks, and do you retry on 5xx from our side? We're building an integration and want to handle it correctly. Nothing is broken.
""")

block("chat", "taskgrid", """
R hey, all our recurring tasks disappeared this morning??
P hi, just checking, is the api slow right now? our sync script is taking 10x longer
B hi, when I open reports the page freezes for a minute and then says "Error loading report"
H hey, not a bug, but could the "due today" filter include overdue tasks too?
N hello, can we pay by bank transfer instead of card?
R hi, the mobile app crashes when I tap on a notification
""")

block("churn_note", "taskgrid", """
R Moving on. Tasks kept duplicating and our reporting became meaningless.
N We need on-prem hosting for compliance.
P The Android app was too slow for our field team.
G Good tool, fast and stable. We simply merged two teams that used different tools and picked the other one.
""")

block("review", "pennywise", """
R transfers to my savings pot fail with an error about once a week, i have to retry later
P every time i open the app it does a "security check" that takes 8 seconds. every. time.
B opened the app to pay at the till, it hung on the loading screen and then crashed. embarrassing
G i was worried about switching banks but everything has been quick and error-free
R my virtual card number changes randomly and online subscriptions fail
N why is there no way to export transactions to my budgeting app
P notifications come 20 minutes after I pay, what's the point
R app says "account not found" when i try to log in but i have the card in my hand
H not a complaint, just a suggestion: a dark mode would be easier on the eyes at night
P the app lags when switching between accounts, like a full second each time
R direct debit for my phone bill bounced even though i had money. bug in your system?
N the cashback offers are meh
""")

block("ticket", "pennywise", """
P Slow balance refresh. Pulling to refresh my balance takes 15-20 seconds on wifi and longer on mobile data. The number is correct once it loads. iPhone SE (2022), iOS 17.5, app 8.3.1.
R Push notification login approval not arriving. When I log in on the web, the approval notification never arrives on my phone, so I can't access online banking at all. Notifications are enabled. Tried for three days.
B Card payment declined after long wait. At a supermarket my card payment took almost a minute to be processed and was then declined with "issuer unavailable". Balance was sufficient. The retry also failed. Date and time: 11 June, 17:05.
N Increase contactless limit. Can I increase my contactless limit, and if not, can I set a lower one? Asking for my teenage son's card.
H Down payment transfer limit. I need to send a down payment of £28,000 to my solicitor next month. What is the maximum single transfer and do I need to call in advance? No problems with the app, just planning.
""")

block("chat", "pennywise", """
R hi, my transfer says "completed" but my friend hasn't received it after 2 days
P hey, the app is taking forever to load my transactions today
H quick question, is there a timeout on the app if I leave it open? it logged me out
N hi, how do I set up a savings goal?
B hello, the app froze while I was logging in and now it says my account is temporarily blocked
""")

block("churn_note", "pennywise", """
R The app logged me out and failed face ID so often that I gave up.
N Switching to a bank with a branch in my town.
P Everything in the app took too long. Transfers were fine, the app itself was painful.
""")
block("review", "snapvault", """
P the app is fine but the uploads crawl, 1 photo every few seconds on gigabit wifi
R some photos are uploaded as black squares. the originals on my phone are fine
B app hangs on "preparing backup" for 20 minutes then says backup failed. every night
H not a single failed upload in a year. boring and reliable, just how i like it
N please add a way to print photo books
P my older iphone gets really hot and slow whenever snapvault is running
R the "free up space" button deleted photos that were NOT backed up yet. 0 stars
N customer support answered fast and were friendly
R cant log in on the website, the login page just reloads
P opening a single photo full screen takes 3-4 seconds, used to be instant
G the slideshow feature is great, fast transitions even with 4k video
R videos play for 2 seconds and then stop with "playback error"
""")

block("ticket", "snapvault", """
R Backup stuck with error. The app shows "Backup paused: error 0x2F" since 3 days. Restarting the phone and the app didn't help. 600 new photos are not backed up. iPhone 12 mini, iOS 17.5.
P Uploads slow on mobile data. On mobile data uploads are extremely slow (around 50 KB/s) even with full 5G signal, while other apps upload quickly. On wifi it's fine. Settings: "Allow mobile data" is on.
B Album sharing freezes and fails. Creating a shared album with 400 photos freezes the app for about a minute, then shows "Couldn't create album, try again". Smaller albums of 20-30 photos work but take 20 seconds.
H Upload limit on free plan. What's the upload limit for videos on the free plan? I want to back up my drone footage and don't want it to fail halfway. Thanks, the app has been great so far.
""")

block("chat", "snapvault", """
R hi, the app says I'm out of storage but the web says I'm using 12 GB of 200 GB
P hey, search in the app takes ages today, anything going on?
B hi, my backup keeps freezing at the same photo and then the app crashes
N hi, can I pay with PayPal?
""")

block("churn_note", "snapvault", """
R Photos kept disappearing from shared albums.
P The backups were too slow to keep up with my camera.
N I'm moving everything to an external hard drive.
""")

block("review", "notely", """
P it's not buggy at all, it's just slow. a second delay on everything i do
R tags disappear from notes after syncing on my phone, have to re-add them every time
B sync takes forever and then says "conflict", and i end up with two half-versions of my note
G tried every note app out there, this is the fastest one by far
N the tag system needs a rethink, hard to find stuff without search
R the app forgets my login every day on windows
P the iOS widget takes ages to update, shows notes from hours ago
G no lag, no crashes, no nonsense. 5/5
R images pasted on the phone show as broken links on desktop
N a lifetime plan would be nice
""")

block("ticket", "notely", """
R Login loop on desktop. After entering my password on the Windows app (4.12.1) it returns to the login screen without an error. The web version works. Reinstalled twice, cleared the app data folder.
P Editor slow with many images. A note with around 40 screenshots makes the editor very slow, scrolling is jerky and each keystroke has a visible delay. Mac mini M1, macOS 14.5. Without the images the note is fine.
B Sync stuck then notes duplicated. Sync on my iPad showed "syncing 312 items" for most of a day and when it finally finished every note in two notebooks was duplicated, with some of the copies missing content.
N Change billing email. Please send invoices to accounts@ourfirm.example instead of my personal email from now on. Our finance team handles payments and I keep forwarding them by hand.
""")

block("chat", "notely", """
R hi, the web clipper stopped working, it says "not authorized" every time
P hey, just me or is notely super slow to open notes today?
H hi, do you have a crash course for switching from another notes app? moving my team over
N can I lock a notebook with a password?
""")

block("churn_note", "notely", """
P Too slow with my 10,000 notes, tried everything support suggested.
R Moving to another app after the web version logged me out constantly and ate my edits.
N I prefer plain text files and a folder now.
""")

block("review", "beatbox", """
P the car mode is soooo slow to respond, tapping skip takes 3 seconds to register
R podcast episodes restart from the beginning every time i resume them
B stuck on "buffering" forever and then "playback error", only on my downloaded songs. makes no sense
G new audio quality setting sounds amazing and loads instantly
N i want to hide songs from the algorithm, please
R my wrapped/year review numbers are obviously wrong, says i listened 3 minutes this year
P the web player makes my old laptop crawl
N ads on free tier are way too loud
R the widget on my home screen doesn't work since update
H premium trial was smooth, canceled with one tap, no tricks. respect
""")

block("ticket", "beatbox", """
R Queue resets randomly. My play queue empties itself after about 20-30 minutes of listening, and playback stops. Happens on desktop (macOS 14.5, app 1.98) and on the iOS app.
P Slow search on desktop. Search results on the desktop app take 4-6 seconds to appear for each query, and the window is unresponsive while typing. The mobile app is quick on the same network.
B Downloads crawl and fail. Downloading a 150-song playlist runs at a few songs per minute and stops around 60% with "Download failed (error 19)". Tried on wifi and mobile data, plenty of storage left.
N Gift card question. My brother gave me a gift card but I already pay monthly. Can I use the gift card to cover the next few months?
""")

block("chat", "beatbox", """
R hi, i can't log in on my smart tv, the code never works
P hey, why is the app using so much data? 2gb yesterday on normal quality
B hi, songs stutter for a few seconds and then the app crashes, happens every hour or so
N is there a family plan discount for students?
""")

block("churn_note", "beatbox", """
R Downloads broke again after an update, and I listen offline on the subway.
N My partner already has a subscription to another service.
P Too heavy on my old phone, everything lagged.
""")

block("review", "fleetpulse", """
P love the product, hate the load times. dashboards with more than 10 tiles are a coffee break
R our alerts fired for a threshold we never set. some kind of config bug
B the API gets slow every day around 9am UTC and then starts throwing 429s and 500s
H really fast onboarding, our first dashboard was live the same afternoon
N the free tier is too limited to evaluate properly
R the SSO integration works maybe 80% of the time. the other 20% we get a blank page after login
P the CSV download button takes 2 minutes to give me 40k rows
H was skeptical about the uptime claims but we've had no errors in months
""")

block("ticket", "fleetpulse", """
R Duplicate events after retry. When our client retries a POST /v2/events after a network error, the events are counted twice in dashboards even though we send the same idempotency key. This skews our daily totals by 2-4%.
P Embedded chart latency. Embedded charts in our customer portal take 6-10 seconds to render, which our customers notice. The same charts inside the fleetpulse app render in about 2 seconds. Embed token generation itself is fast.
B Bulk export timing out with 500. GET /v2/exports/{id}/download for files above ~500 MB hangs for several minutes and then returns 500 Internal Server Error. Smaller exports download, though slowly (about 1 MB/s).
N Annual contract renewal. Our contract renews on 1 October. Could you send us a renewal quote with 15 additional viewer seats?
H Timeout recommendation for SDK. Which client timeout do you recommend for the Python SDK? Default is 10 seconds, which works for us, but our security team wants a documented value.
""")

block("chat", "fleetpulse", """
R hi, our API key suddenly returns 401 Unauthorized, we didn't rotate it
P hey, the query builder is really sluggish today, every filter change takes ages
N hi, is there a sandbox environment for testing?
B hey, webhooks are arriving 20 minutes late and some never arrive at all
""")

block("churn_note", "fleetpulse", """
R Data gaps after ingestion incidents made our reports untrustworthy.
N The tool is great but we don't have an analyst to use it anymore.
P Queries over a year of data were too slow for our finance team.
""")
block("review", "quizquest", """
P the game was smooth before but now every question has a little hitch when it appears
R i answered correctly and it said wrong, twice in the same level. bugged questions
B loading screen for ages then the game closes itself. uninstalled and reinstalled, same thing
H 4 stars, runs great, no bugs, just too many ads
N please add a dark theme, playing at night hurts my eyes
R the weekly tournament says i won but i never got the prize
P the game makes my phone burn in my hands, even on low graphics
G even my ancient tablet runs it without lag. nice optimization
R got logged out and now it says my account doesn't exist
N the music gets repetitive after a while
""")

block("ticket", "quizquest", """
R Tournament rewards not received. I finished 3rd in the weekend tournament (screenshot attached) but the reward of 300 gems was never credited. Player ID QQ-5510332.
P Long loading times on Android 9. On my Huawei P20 the game takes over a minute to get from the splash screen to the main menu, and level transitions take 10+ seconds. I understand it's an older phone, but version 3.6 started in 15 seconds.
B Game freezes in multiplayer and resets my score. In multiplayer, the game freezes for about 5 seconds after each answer, and when it recovers my score for that question is 0. Happened in 8 matches in a row.
N Purchase refund request. My son bought a gem pack without asking while playing on my phone. Can this purchase be refunded? Order GPA.4410-2201-9913. I've since turned on purchase approval.
""")

block("chat", "quizquest", """
R hi, the daily challenge button does nothing when I tap it
P hey the game stutters a lot since yesterday's update
N how many levels are there in total?
B hi, game froze when I tried to buy the starter pack, then crashed, and I was charged
""")

block("churn_note", "quizquest", """
R Too many bugs in the tournaments, rewards never arrived.
N The game became too pay-to-win.
""")

block("review", "mealmate", """
P i love the restaurants on here but the app is just sluggish, every screen takes a few seconds
R the app keeps saying my card is invalid. same card works everywhere else
B order tracking froze for 30 minutes and then said "order cancelled". food never came, no refund yet
G delivery fees are high but the app itself is quick and never crashes
N would love to schedule orders for later
R reorder button adds the wrong items to the cart. got someone else's lunch basically
P checkout page lags when i change the tip amount, every tap is delayed
""")

block("ticket", "mealmate", """
R Saved cards deleted. All my saved payment cards disappeared after the app update to 12.5.0. When I add a card again, it says "Card already exists" and won't save it. I can't pay at all.
P Restaurant list loads slowly. At lunchtime the restaurant list takes 20-30 seconds to load in central Lyon, with a spinner and then images trickling in. Evenings are much better. iPhone 14, iOS 17.5.
B Payment step hangs and order is lost. After entering my card the payment step hangs for a couple of minutes; when it returns, my cart is empty and there's no order in my history, but the bank shows a pending charge of €31.20.
""")

block("chat", "mealmate", """
R hi, the app says "no restaurants available" but it's 7pm on a friday??
P hey, checkout is super slow right now, been waiting 30 seconds after pressing pay
N hi, how do I add a tip after the delivery?
""")

block("churn_note", "mealmate", """
P The app was too slow to use when I was hungry, which is always.
R Orders kept getting cancelled after I'd paid.
N I moved somewhere with better local restaurants that deliver themselves.
""")

block("review", "clinicdesk", """
P the calendar is great but it's so slow on the reception tablet, every tap takes a second
R patients get two reminders for the same appointment, sometimes with different times
B saving a patient record froze for a minute and then said "save failed", had to retype everything
G the online booking page loads fast on phones, patients book without calling us
N reminder texts should be customizable per practitioner
R the printout of the invoice shows last month's prices
""")

block("ticket", "clinicdesk", """
R Calendar shows wrong times after DST. Since the clock change on Sunday, all recurring appointments appear one hour later in the calendar than booked. Patients arrived at the booked time and the schedule was off. About 40 appointments affected.
P Video visit lag. During video visits there's a 2-3 second audio delay and the picture is choppy, though both sides have stable broadband. The call stays connected, but conversations are awkward. Chrome 126 on Windows 11 for the doctor, iPad for patients.
B Lab result upload hangs and fails. Uploading PDF lab results to a patient record spins for several minutes and ends with "Upload failed (413)". The files are 3-5 MB. Previously uploads took seconds.
N Data export before contract end. Our contract ends in December. How do we get a full export of patient records and appointment history in a format our new system can import?
""")

block("chat", "clinicdesk", """
R hi, the SMS reminders are going out in English although we set Spanish
P hey, the billing page is crazy slow today, every click takes 10 seconds
N hello, can we add our logo to the booking page?
B hi, the calendar freezes and then logs everyone out, happened 3 times this morning
""")

block("churn_note", "clinicdesk", """
R Appointments disappearing from the calendar was the last straw.
P The system was too slow on our old computers and we can't replace all of them.
N We joined a hospital network with its own scheduling software.
""")
# ---------------------------------------------------------------------------------------------
# tripnest: travel booking app (flight and hotel search, booking, itinerary, boarding passes)
# ---------------------------------------------------------------------------------------------
block("review", "tripnest", """
P flight search takes forever, 30 seconds of a little plane animation before any results
R booked a hotel, got a confirmation email, hotel has no booking. ruined my first night
N great deals on hotels, saved a lot on my last trip
G the app is quick and the price alerts are genuinely useful
P the map view is laggy when you zoom, hotels pop in and out
R boarding pass wont load at the gate, just a grey box. had to queue at the desk
B payment page spun for two minutes, then said "booking failed" but my card was charged
N wish i could filter by hotels with a kitchen
R prices change between the search results and checkout every time, feels like a bug or a scam
H support was fast to rebook me when my flight got cancelled, thanks
P app drains battery when the trip tracker is on, lost 30% on a travel day
R itinerary shows my flight on the wrong day because of the timezone. almost missed it
N too many pop ups asking me to rate the app
P searching for multi-city trips is painfully slow and sometimes the results take a minute
R the app crashes every time i open my upcoming trips
H i never write reviews but this app has been flawless on 6 trips, no errors at all
N the loyalty points dont seem worth much
B offline itinerary takes ages to open and then shows nothing, exactly when i had no signal
R filters reset every time i go back to the results list
P check-in through the app is slow, each step loads for 10 seconds
N i'd pay a small fee for free cancellation on all hotels
""")

block("ticket", "tripnest", """
R Booking confirmed but not with the hotel. Booking TN-4482190 for Hotel Miramar, 12-15 August, shows as confirmed in the app and I was charged €412. The hotel says they never received the reservation and are fully booked. I need this resolved before I travel.
P Slow flight search results. Since the redesign, searching for return flights from Manchester takes 40-60 seconds before any results appear. The loading screen just cycles. Chrome 126 on macOS and the Android app both affected.
B Checkout times out and double charges. During checkout for flight booking attempt at 21:14 the page timed out with "Gateway Timeout". I retried and the second attempt succeeded. My card shows two charges of £236.18, but I only have one booking (TN-4490022).
N Change the name on a booking. I made a typo in my middle name on booking TN-4471203. Can you correct it or does the airline need to do it?
H Timeout on the payment page? Not a problem report, just curious: how long do I have on the payment page before the held price expires? I like to double-check with my partner before paying.
R Trip sync from email broken. Forwarding booking confirmations to my tripnest address used to add them to my itinerary automatically. Since last week nothing gets added, and I get no error. I've forwarded 5 confirmations.
P App startup slow on iPhone. The app takes 10-12 seconds to open, sitting on the logo. Once open it's okay. iPhone 12, iOS 17.5, app 14.2.0. Reinstalling didn't change anything.
N Invoice for my company. I need a VAT invoice for my flight booking TN-4485571 in my company's name. Where can I download it?
""")

block("chat", "tripnest", """
R hi, my boarding pass isn't showing in the app and I'm at the airport
P hey, hotel search is really slow right now, is it just me?
N hi, can I add luggage after booking?
B hello, the payment page froze and then errored, was I charged? I see a pending amount
H hey, just a question, do you offer a price freeze on flights like some other apps do?
R hi, the app says my booking doesn't exist but I have the confirmation email
""")

block("churn_note", "tripnest", """
R Deleted the app after the hotel booking mess.
N I mostly book directly with airlines now.
P Search was too slow compared to other booking sites.
N I travel for work and my company uses its own booking tool.
B Bookings failed at checkout after long waits and I got charged twice. Never again.
""")
# ---------------------------------------------------------------------------------------------
# fitloop: fitness tracking app with watch sync (workouts, GPS runs, heart rate, sleep)
# ---------------------------------------------------------------------------------------------
block("review", "fitloop", """
R my morning run didnt save. 10k, gone. the app just showed "workout discarded"
P syncing with my watch takes 5 minutes every morning, it used to take seconds
N love the training plans, i ran my first half marathon with them
G GPS lock is super quick now, no more standing around at the start line
P the app kills my battery on long rides, 4 hours = phone dead
R heart rate chart shows flat lines for half my workouts
B app freezes at the end of a workout and then crashes before saving. lost my PR
N please add swimming workouts, pool laps should count too
R sleep data is missing for the last week, watch shows it, app doesnt
P the stats screen is so laggy with a few years of data, graphs take forever
H no crashes, GPS is accurate, syncs fine. exactly what i need
N subscription is too expensive for what is basically a logbook
R my step count doubled after the update, apparently i walked 40k steps sitting at my desk
P map of my run loads in slow motion, tiles appear one by one
N i want to export my runs to a spreadsheet
R the app says my watch is not compatible anymore. it worked yesterday
P phone gets hot during runs with fitloop open, never did that before
H support replied fast and helped me pair my new watch
""")

block("ticket", "fitloop", """
R Workouts not syncing from watch. Since 2 June, workouts recorded on my watch don't appear in the app. The watch shows "synced" and the app shows "last sync: just now", but the workouts list stops at 1 June. 9 workouts missing.
P Excessive battery use during GPS runs. During a 90-minute run with GPS tracking, fitloop used 55% of my battery (Pixel 8, Android 14). Other running apps use around 20% on the same route. Screen was off the whole time.
B Long workout freezes on save and is lost. After a 5-hour bike ride, pressing "Finish" froze the app for about two minutes, then it closed and the ride was not saved. Short workouts save fine. iPhone 13, iOS 17.4, app 7.7.0.
N Family sharing question. Can my partner and I share one subscription and still keep separate profiles and data? We both run but train very differently and don't want mixed stats.
H Auto-pause timeout. Is it possible to change the auto-pause delay so it kicks in after 10 seconds instead of 3? At traffic lights it pauses too eagerly. Love the app otherwise.
R Wrong distances in exported GPX files. GPX files exported from fitloop show distances about 8% shorter than the app itself reports for the same run. When I import them elsewhere the pace is wrong.
P Slow history screen. Opening the workout history takes 15-20 seconds with about 1,400 workouts, and scrolling stutters. It is usable, just very slow. iPad Air, iPadOS 17.
""")

block("chat", "fitloop", """
R hi, my workout from this morning disappeared after syncing
P hey, the watch sync is super slow today, been at 40% for 10 minutes
N hi, how do I change from km to miles?
B hey, the app froze during my run and then crashed, the run is gone
H hi, is there a crash course on heart rate zones? the training plan mentions them a lot
R hello, I can't log in, it says "account locked" but I never entered a wrong password
""")

block("churn_note", "fitloop", """
R Lost too many workouts to sync bugs.
N My new watch comes with its own free app.
P Battery drain during runs was unacceptable.
N I got injured and stopped running for the year.
B The app froze and crashed at the end of long workouts and lost them. Switched.
""")
# ---------------------------------------------------------------------------------------------
# Third pass: extra performance-heavy lines (plus reliability and both) across all products.
# ---------------------------------------------------------------------------------------------
block("review", "shoplane", """
P the payment step hangs for ages before showing the confirmation. it works in the end but customers think it failed
P admin on my macbook = beachball city whenever i open a big order
P product page editor is janky, drag and drop images stutters and lags behind the mouse
P inventory sync with my POS is slow, takes half an hour to reflect a sale
R the product import tool silently skips rows. imported 500, got 431
""")

block("ticket", "shoplane", """
P Login to admin slow. Logging in to the admin takes 20-30 seconds after entering the 2FA code, with a blank loading bar. Once in, pages are okay. Started this week. Edge 126 on Windows 11.
P Cart updates lag on storefront. On our storefront, changing quantity in the cart takes 5-8 seconds before the subtotal updates. Customers click repeatedly and end up confused. Theme: Meridian 3.0, both desktop and mobile.
R Orders missing from admin. Orders #SL-63310 to #SL-63325 were paid (we received payment notifications and the money) but they don't appear in the admin orders list or in search. We can't fulfil them.
""")

block("chat", "shoplane", """
P hi, storefront feels really slow for our EU customers today, US is fine
P hey, the mobile admin app takes like 30 seconds to open for me since the update
""")

block("review", "taskgrid", """
P the board view with swimlanes is so slow that i've gone back to the list view
P every time i switch workspaces it hangs for 10 seconds. we have 4 workspaces...
P tried it on a chromebook, totally unusable, typing lags and the board freezes constantly
P notifications are delayed by hours sometimes. found out about a due task after it was due
R the calendar sync with outlook stopped updating. tasks moved in taskgrid stay on old dates in outlook
""")

block("ticket", "taskgrid", """
P Mobile app slow to open tasks. On iOS (app 5.9, iPhone 12) opening any task takes 4-6 seconds with a spinner, and going back to the board reloads everything again. It's usable, but our field team complains daily.
P Report generation slow. The weekly "Team velocity" report takes 3-4 minutes to generate. Previously it took 15 seconds. The numbers are correct. We have 14 active projects.
R Wrong assignee in notifications. Notification emails say "Alex assigned you a task" when it was actually Priya. Happens for all assignments made from the mobile app since 5.9.
""")

block("chat", "taskgrid", """
P hey, the timeline takes forever to scroll, it's like it redraws every pixel
P hi, our dashboards are loading really slowly, about a minute for the team overview
""")

block("review", "pennywise", """
P the spending insights take so long to load I've stopped looking at them
P app is sluggish after the redesign. buttons take a moment to react
P uses a weird amount of mobile data in the background. 300 MB last month for a bank app?
R my pay-day round-ups stopped working, nothing has gone into savings since april
""")

block("ticket", "pennywise", """
P Transfers slow to confirm. After tapping "Send", the confirmation screen takes 25-40 seconds to appear. The transfer always arrives correctly. It used to be almost instant. Galaxy S23, Android 14.
R Exchange rate applied incorrectly. I paid €48.00 on 2 June and was charged £47.10, while the rate shown in the app at the time implied about £41. Looks like the wrong rate was used. Transaction reference PW-FX-55102.
""")

block("chat", "pennywise", """
P hi, logging in with face id takes ages now, sits on a spinner for 10+ seconds
""")

block("review", "snapvault", """
P the app is unresponsive for the first minute after opening while it "checks for new photos"
P memories feature is nice but it makes the whole app sluggish
P backups eat my mobile data even when i'm on wifi at home, weird
""")

block("ticket", "snapvault", """
P Slow thumbnails in albums. Opening any album with more than 200 items shows grey placeholders for 10-20 seconds before thumbnails appear. iPad Pro 2021, iPadOS 17.5, good wifi. Photos in the main timeline load normally.
""")

block("chat", "snapvault", """
P hey, my phone is getting hot every night when backup runs, is that expected?
P hi, downloading a whole album from the web takes forever, 15 minutes for 200 photos
""")

block("review", "notely", """
P sync is technically working but it's slow, my phone shows old notes for minutes
P the search bar freezes for a second after every letter on my android
P beachball every time i open a notebook with pdfs on my mac
R the undo button undoes way more than it should and sometimes deletes whole paragraphs
""")

block("ticket", "notely", """
P Slow startup on Windows. The Windows app takes 25-35 seconds to start and show my notes, with the window white and unresponsive most of that time. Version 4.12.2, about 6,000 notes. Laptop is a recent i7 with SSD.
R Search misses recent notes. Notes created in the last 3 days don't appear in search results at all, on desktop and mobile, even when searching their exact title. Older notes are found fine.
""")

block("chat", "notely", """
P hi, attachments take ages to open on my phone, like 30 seconds for a small pdf
""")

block("review", "beatbox", """
P 2 stars. skipping songs takes forever, there's a 3 second gap every time
P the app is so slow on my android tv it's basically unusable
P library with 5000 songs makes the app crawl, scrolling is janky
R the equalizer settings reset after every update
""")

block("ticket", "beatbox", """
P Slow library loading. My library (about 4,500 saved albums) takes 20+ seconds to show in the desktop app and the sidebar is unresponsive while it loads. Mac mini, macOS 14, app 1.98.
""")

block("chat", "beatbox", """
P hey, playback takes forever to start on my smart speaker today
""")

block("review", "fleetpulse", """
P our API calls used to be ~200ms, now 1.5s. nothing changed on our side
P query builder is sluggish with more than 3 filters, each change takes several seconds to preview
R alert emails sometimes contain values from the wrong device
""")

block("ticket", "fleetpulse", """
P Login via SSO slow. After the SSO redirect, landing on the home dashboard takes 30-45 seconds. Users think login is broken but it eventually works. Okta, tenant id fp-8812, Chrome and Firefox both affected.
P Slow report scheduling UI. Opening the "Scheduled reports" page takes about a minute, and editing a schedule freezes the page for 5-10 seconds on save. The schedules themselves run fine.
""")

block("chat", "fleetpulse", """
P hi, dashboards are sluggish for our whole team this morning, anything known?
""")

block("review", "quizquest", """
P the new level map is beautiful but it stutters a lot on my pixel 5
P loading times between rounds got longer with every update, now it's like 10 seconds
""")

block("ticket", "quizquest", """
P Input lag on answers. On my iPad (9th gen, iPadOS 17.5) there is a noticeable delay of about half a second between tapping an answer and the game reacting. In timed rounds this costs me points. Other games are fine.
""")

block("review", "mealmate", """
P the courier chat takes ages to send a message, by the time it arrives he's already at the wrong door
P the app is slow to open and then the home screen takes another 10 seconds to show restaurants
""")

block("ticket", "mealmate", """
P Slow promo code validation. Entering a promo code at checkout takes 20-30 seconds to validate, during which the Pay button is disabled. The code is applied correctly in the end. Android 14, app 12.5.1.
""")

block("review", "clinicdesk", """
P the new patient intake form lags so badly on our ipads that patients think it's broken
P reports take forever. the monthly revenue report takes 5 minutes to show up
""")

block("ticket", "clinicdesk", """
P Login slow for all staff. Logging in takes about 20 seconds after entering credentials, every time, for all 12 staff members. Once logged in the system is fine. Started after last Thursday's update.
""")

block("review", "tripnest", """
P hotel photos take forever to load in the app, i end up using the browser
P the app gets slower the more trips you have in it. i have 40 past trips and it crawls
""")

block("chat", "tripnest", """
P hey, check-in in the app has been loading for 5 minutes, is the system slow?
""")

block("review", "fitloop", """
P the app freezes for a few seconds when i open the weekly summary
P sync with my watch is laggy, have to wait ages after every run to see my stats
""")

block("chat", "fitloop", """
P hi, the app is super slow to start today, stuck on the logo for ages
""")
# ---------------------------------------------------------------------------------------------
# Fourth pass: extra reliability, both, and performance lines with different shapes.
# ---------------------------------------------------------------------------------------------
block("review", "shoplane", """
R got a 404 on my own checkout page for a whole evening. no status page update, nothing
R the shipping label printer integration is broken again. third time since spring
B the app gets slower and slower the longer its open and then just dies
""")

block("chat", "shoplane", """
R hey, customers are getting charged but the orders are stuck as "pending payment"
R hi, is shoplane down? admin shows a 503 for me
B hi, checkout is really slow and some customers see "payment error" after waiting, can you check?
""")

block("review", "taskgrid", """
R since the update comments show up under the wrong task. super confusing
R keeps saying "you're offline" on wifi that works for everything else
B whole app was down for 2 hours on monday and since then it's been crawling
""")

block("chat", "taskgrid", """
R hi, is there an outage? nothing loads, just the taskgrid logo
R hello, the burndown chart is showing zero for every sprint since monday
""")

block("review", "pennywise", """
R tried to pay rent, got "error 500" three times. had to go to a branch
R pin reveal in the app shows the wrong pin?? card got declined at the atm
B the app took a full minute to load and then said my balance was £0.00. heart attack. it was a glitch
""")

block("chat", "pennywise", """
R hi, apple pay stopped working with my pennywise card this morning
R hey, my statement shows a transaction twice but the balance only took it once, which is right?
""")

block("review", "snapvault", """
R the web gallery shows someone else's photos?? very scary bug
R albums i made on my phone arent on my tablet. sync seems broken for albums
B app is painfully slow to load the timeline and then half the thumbnails are broken images
""")

block("review", "notely", """
R my notes show up blank on the phone, the title is there but no text
R checklists lose their order every time the app syncs
B the editor lags and then the app crashes whenever i use the drawing tool
""")

block("chat", "notely", """
R hey, the search says "no results" for everything since the last update
B hi, notely hangs at "loading notes..." for a few minutes then shows an empty notebook
""")

block("review", "beatbox", """
R my downloaded playlists show as empty in offline mode. useless on planes
R keeps playing the same song on repeat even though repeat is off
B podcasts take forever to load and then stop halfway with an error
""")

block("chat", "beatbox", """
R hey, is beatbox down? nothing plays, just an error
""")

block("review", "fleetpulse", """
R the status page said all green while our API calls failed for 40 minutes
R exported PDFs of dashboards are missing half the charts
""")

block("chat", "fleetpulse", """
R hi, the dashboard shows "no data" for yesterday but the API confirms we sent events
""")

block("review", "quizquest", """
R game crashes on startup since the update. samsung a12
R progress doesnt save between my phone and tablet, keep replaying the same levels
B the ads make the game hang and then crash. fix your ad sdk
""")

block("chat", "quizquest", """
R hi, the leaderboard is empty for everyone in my group
""")

block("review", "mealmate", """
R ordered for pickup, app said ready, restaurant never got the order. bug in your system
R app crashes as soon as i open the cart. cleared cache, reinstalled, still crashing
B everything takes ages to load and then the app tells me my session expired and empties my cart
""")

block("chat", "mealmate", """
R hi, i'm getting an error when I try to rate my delivery
B hello, the app is super slow and my order just got cancelled with an error, what's going on?
""")

block("review", "clinicdesk", """
R the booking widget on our website stopped working last week. patients called to complain
R sms reminders go out at 3am sometimes. we set them for 9am
""")

block("chat", "clinicdesk", """
R hi, one of our practitioners can't log in, it says "user not found" but she's in the admin list
""")

block("review", "tripnest", """
R app logged me out in the airport and wouldnt let me back in. had to print my boarding pass
R price alert notifications dont work anymore. missed a great deal
B the app froze while paying for a hotel and then showed an error. still not sure if i'm booked
""")

block("chat", "tripnest", """
R hey, my hotel booking disappeared from my trips but I still have the email
""")

block("review", "fitloop", """
R gps track of my run is a straight line from start to finish. broken since the update
R the app doesnt save my workouts when i'm offline, even though it says it will
B the app lags during interval workouts and then crashes before the last interval. every time
""")

block("chat", "fitloop", """
R hey, my heart rate zones reset to default after the update
""")
# ---------------------------------------------------------------------------------------------
# Fifth pass: more churn notes and tickets with long, detailed bodies.
# ---------------------------------------------------------------------------------------------
block("churn_note", "shoplane", """
P We moved to a headless setup because the storefront was too slow on mobile and we couldn't fix it within your themes.
B Checkout slowed to a crawl every time we ran a promotion and then orders started failing. Three promotions, three incidents.
""")

block("churn_note", "taskgrid", """
P Our board with 2,000 tasks took a minute to load. We asked for help three times.
R Integrations kept breaking after every update, especially Slack and GitHub.
""")

block("churn_note", "pennywise", """
B The app took forever to open and then failed to send my transfers. Moved to a bank that works.
""")

block("churn_note", "snapvault", """
P Face grouping and search made my phone so slow and hot that I turned them off, and then there was no point paying.
""")

block("churn_note", "notely", """
B Syncing took ages and then produced conflict copies of everything. After a year of this we moved the whole team.
""")

block("churn_note", "beatbox", """
R The app crashed in my car almost every day.
""")

block("churn_note", "fleetpulse", """
P Report exports took too long for our weekly board meeting deadlines.
""")

block("churn_note", "quizquest", """
P My tablet overheated every time I played.
""")

block("churn_note", "mealmate", """
R The app kept telling me the restaurant was closed when it was open.
""")

block("churn_note", "clinicdesk", """
R Online bookings kept getting lost, patients were turning up with no appointment on our side.
""")

block("churn_note", "tripnest", """
P Everything in the app took ages to load, especially on hotel wifi.
""")

block("churn_note", "fitloop", """
P The watch sync took so long every day that I stopped bothering.
""")

block("ticket", "beatbox", """
R Lyrics show for the wrong song. For about a third of the songs I play, the lyrics view shows lyrics of a completely different song, sometimes the previous track. Android 14, app 9.4.2. Reported by two friends too.
P Playback delay on Bluetooth. When I press play on my Bluetooth headphones, it takes 3-5 seconds before audio starts, and skipping a track has the same delay. Wired headphones respond instantly. Sony WH-1000XM4, iPhone 15.
""")

block("ticket", "quizquest", """
R Level rewards granted twice then removed. After finishing level 200 I got the reward chest twice, then the next day all coins from both chests were removed and my balance went negative (-1,200). I didn't do anything wrong.
""")

block("ticket", "snapvault", """
R Web login fails with 2FA. On the web, after entering my 2FA code, I get "Something went wrong. Please try again later". The app on my phone is logged in and works. Tried Chrome, Firefox and Safari over two days.
""")

block("ticket", "notely", """
P Sync indicator stuck for minutes. After editing a note on my iPhone, the sync indicator spins for 3-6 minutes before the change appears on my Mac. Nothing is lost, but I often close the Mac lid before it finishes and then have to wait again.
""")

block("ticket", "tripnest", """
B Hotel search hangs and app closes. Searching for hotels in Tokyo for 5 nights shows the loading animation for about a minute and then the app closes. Searching smaller cities works but takes 20+ seconds. iPhone 14 Pro, iOS 17.5, app 14.2.1.
""")

block("ticket", "fitloop", """
R Subscription features locked after renewal. My annual subscription renewed on 3 June (receipt attached), but the app now shows the free plan and training plans are locked. Restore purchases says "No purchases found".
""")
# ---------------------------------------------------------------------------------------------
# Sixth pass: long tickets and reviews, rambling churn notes, assorted chats.
# ---------------------------------------------------------------------------------------------
block("ticket", "shoplane", """
B Checkout outage during launch, timeline inside. Our product launch started at 18:00 CET. From 18:02 the checkout slowed down badly (30-60 seconds after "Pay now"), from 18:09 customers started seeing "Something went wrong, your order was not placed", and from 18:15 to 18:40 almost every attempt failed. Our payment provider shows 212 authorisations without matching orders, which we now have to refund by hand. Store: harbourlane. We need a root cause and to know whether this can happen again at our next launch on the 28th.
N Migrating 4 stores into one account. We run four stores for different countries on separate accounts and would like to bring them under one organisation with shared billing and a single staff login. We don't want to lose order history or customer accounts. Is that possible, what does it cost, and how long does a migration like that usually take? No rush, we're planning for Q1.
""")

block("ticket", "taskgrid", """
R Automations firing on the wrong projects. Since Tuesday our automation "When status changes to Review, assign to QA lead" is also firing on projects it is not attached to. QA leads in other teams now receive dozens of assignments a day that don't belong to them, and the original assignee is removed. We disabled the rule as a workaround, but the rule list still shows it as active in 3 projects we never added it to. Workspace: brightside. Rule ID AUT-2291. Screenshots attached.
P Overall slowness for EU users. Our team in Lisbon and Warsaw reports that every page takes 3-6 seconds to load, while colleagues in Boston using the same workspace see pages in under a second. It's consistent over the last ten days and across Chrome, Firefox and the desktop app. Nothing fails, tasks save correctly, it's only the waiting. Traceroutes attached in case they help. We'd appreciate knowing if there is an EU region or CDN change coming.
""")

block("ticket", "pennywise", """
B Mortgage payment stuck, app unusable for a day. On 1 August my mortgage payment of £1,140 was due. In the morning the app took over a minute to open and showed "We're having trouble loading your accounts". By the afternoon it opened, but the payments tab kept freezing and the payment shows as "pending" with no date. My lender says nothing has arrived. I need confirmation today that the payment will go out, or a letter I can send to the lender explaining your outage.
""")

block("ticket", "snapvault", """
R Restore to new phone incomplete, dates wrong. I restored my library (about 14,000 items) to a new iPhone 15 yesterday. The restore said "complete", but roughly 1,800 photos are missing and many of the restored ones show today's date instead of the date they were taken, so my timeline is a mess. Live Photos came back as still images only. The web gallery still shows the correct dates, so the data seems to be on your side. How can I do a clean restore?
""")

block("ticket", "notely", """
P Everything slow after import. Last week I imported about 9,000 notes from my previous app. Since then the whole desktop app is slow: switching notes takes 2-3 seconds, search takes 15 seconds, and the sidebar stutters when I expand a notebook. Nothing has been lost and no errors appear, the import itself worked well. Is there a re-index I can trigger, or is this simply the size limit of what the app handles? MacBook Pro M1, 16 GB, app 4.12.2.
""")

block("ticket", "beatbox", """
H Question about data usage settings, not a bug. I'm going on holiday with a limited data plan. Does the "data saver" setting also apply to podcasts and video clips, and do downloads ever happen on mobile data if "download over wifi only" is on? I want to be sure before I go. The app has been great, I just don't want a surprise bill.
""")

block("ticket", "fleetpulse", """
R Dashboard numbers disagree with API. For the metric "active_vehicles", the dashboard tile shows 1,204 for yesterday while GET /v2/metrics with the same filters and timezone returns 1,377. We exported the raw events and count 1,377, so the API looks correct and the dashboard looks wrong. It seems to drop vehicles whose first event is before midnight UTC. This is the number our CEO looks at every morning, so we'd like a fix or at least a note on the tile.
P Latency spikes every hour on the hour. We see p99 latency on /v2/query jump from about 400 ms to 6-9 seconds for roughly two minutes at the start of every hour (UTC), then it recovers. Requests succeed, they are just slow. Our guess is a scheduled job on your side competing with API traffic. Graphs and request IDs for three of the spikes are attached. Org id fp-4471.
""")

block("ticket", "clinicdesk", """
B Morning slowdown turned into outage today. As usual the calendar was very slow from 07:50 (20-30 seconds per page), but today at 08:20 it stopped loading entirely and showed "Error 503, service temporarily unavailable" until 09:05. Our reception had to phone patients from paper lists. We've been reporting the morning slowness for a month (tickets CD-T-1182, CD-T-1240). Please escalate.
""")

block("ticket", "tripnest", """
N Group booking and invoices for a conference. We're booking hotel rooms for 35 people attending a conference in Vienna in October. Is there a group booking option, can we get one consolidated invoice for all rooms, and can individual travellers still manage their own bookings in the app? Pricing matters less than easy invoicing for us.
""")

block("ticket", "fitloop", """
P Watch sync slow after firmware update. Since my watch updated to firmware 5.2, syncing a single 45-minute run to the app takes 6-8 minutes, with the progress bar sitting at 80% for most of that time. Before the firmware update it took about 30 seconds. The run does arrive correctly in the end with all data. Pixel 8, Android 14, app 7.8.0. Bluetooth otherwise works fine with my headphones.
""")

block("review", "shoplane", """
P I run a small candle shop and I really want to like this platform. Setting up was easy and the themes are lovely. But the admin has gotten slower and slower, and now every time I open an order I stare at a loading bar. During the holidays that adds up to hours. 3 stars for now.
""")

block("review", "notely", """
B Used notely for 3 years for uni. Last week a sync bug replaced my entire "Exam prep" notebook with an empty copy, and version history only went back one day. Support was kind and tried, but the notes are gone. The app is beautiful and fast, but I can't recommend it if it can eat a notebook like that.
""")

block("review", "beatbox", """
G Been a premium user since 2019. Sound quality is great, the app is stable and quick, recommendations are spot on. Only taking a star off because the price went up twice in two years and the family plan still doesn't let my kids have their own separate taste profiles properly.
""")

block("review", "quizquest", """
B Played every day for 8 months. Since the winter update, the game stutters on every level transition, and about once a day it freezes on the results screen and closes itself, which counts as a loss and breaks my streak. Reported it twice in the app, no answer. Dropping to 2 stars until it's fixed.
""")

block("review", "pennywise", """
G I've been with pennywise for four years and I keep recommending it. Transfers are fast, the app has never let me down, and when my card was skimmed abroad the support team had a new one sent to my hotel. Only wish: a proper desktop version for doing my taxes.
""")

block("review", "tripnest", """
P Great prices, honestly the best I've found for hotels. But the app is slow in a way that makes me nervous when I'm booking. Every filter change reloads the whole list for 10-15 seconds, and going back from a hotel page resets the scroll so I wait all over again.
""")

block("review", "mealmate", """
R Third time this month: I order, pay, get the "order confirmed" screen, and 20 minutes later it gets cancelled with "restaurant unavailable". The refund takes days. The food is good when it arrives, but I can't plan dinner around an app that fails this often.
""")

block("churn_note", "taskgrid", """
N We've loved using taskgrid for four years, but we're folding the design studio into a larger agency and everyone will move to the agency's existing tools. No complaints about the product. Thanks for the great support along the way.
P We're cancelling our 45 seats. The features are great, but the app has gotten slower with every release and our largest boards now take close to a minute to open. We raised it several times over the past year and the answer was always "it's on the roadmap".
""")

block("churn_note", "fleetpulse", """
N Moving to a warehouse-native BI tool that our data team already maintains. It's not about speed or reliability, fleetpulse has been solid for us; it's about having one place for all metrics and paying for one contract instead of two.
""")

block("churn_note", "snapvault", """
N Cancelling because my new phone comes with 2 TB of cloud storage included. snapvault worked well for me, it's just redundant now.
""")

block("churn_note", "pennywise", """
R Closing the account after the transfer mess in March: £2,000 left my account, never arrived, and it took five weeks and many calls to get it back.
""")

block("churn_note", "clinicdesk", """
N We're a two-person practice now and a paper diary plus phone reminders is enough. Cancelling at the end of the month.
""")

block("churn_note", "mealmate", """
N Cancelling mealmate+ because I rarely order enough to make the free delivery worth it.
""")

block("churn_note", "beatbox", """
B The desktop app ate memory until my laptop crawled, and then it would crash and lose my queue. Moved to the web player of another service.
""")

block("chat", "shoplane", """
N hi, I want to start selling digital downloads, do you support that?
H hey, down payment question: can a customer pay 20% now and the rest later on one order?
""")

block("chat", "taskgrid", """
N hi! is there a way to print a board for our wall?
P hey, since the update the app is noticeably slower on my old laptop, every click lags
""")

block("chat", "pennywise", """
H hi, my card got frozen automatically after a weird purchase, how do I confirm it was me?
R hey, the app shows my savings pot as empty but the money is in my statements
""")

block("chat", "snapvault", """
G hey, the backup is really fast since you fixed it last month, thanks! quick q about family plans
""")

block("chat", "notely", """
N hi, can I use notely for my whole class of 25 students?
R hello, my note shows a "version conflict" error and I can't edit it at all
""")

block("chat", "fleetpulse", """
H hi, what's the default timeout on the export endpoint? just setting up our client
""")

block("chat", "quizquest", """
N hey, when is the next season starting?
""")

block("chat", "mealmate", """
H hi, the courier was super quick today, want to leave an extra tip, how?
""")

block("chat", "tripnest", """
N hi, is breakfast included in my hotel booking? can't see it in the app
P hey, my trips page takes about a minute to load every time, is that normal?
""")

block("chat", "fitloop", """
N hey, can I connect fitloop to my gym's treadmill?
""")
# ---------------------------------------------------------------------------------------------
# Seventh pass: app-store reviews for general consumer apps, written for the current definitions
# (performance = speed or resource use, complaint OR praise; memory problems = both).
# New products, handwritten only: readr (ebook/comic/PDF reader), camsnap (camera), widgetly
# (home-screen and lock-screen widgets), podwave (podcasts), chatter (messaging), mapmate
# (navigation), scanit (document scanner), budgetbee (budgeting).
# ---------------------------------------------------------------------------------------------
block("review", "readr", """
P page turns lag on my tablet, every swipe takes like a second
P big PDFs take forever to open. a 300 page textbook = 40 seconds of spinning
P Needs work. scrolling thru comics is choppy and pinch zoom stutters
P why is an ebook reader a 400mb download?? thats bigger than some games
P drains my battery faster than youtube, and i only read text at night
P the library screen gets slow af once u have more than 500 books
P phone gets warm and sluggish after an hour of reading, never had that with other readers
G Great app. opens my epubs instantly and page turns are buttery
G lightweight and snappy, finally a reader that doesnt make my old fire tablet crawl
G tiny install and it runs smooth even on my 2017 phone. 5 stars
G huge PDFs load way faster than in the reader i used before, and it barely touches my battery
G the last update made comic loading so much quicker, thx devs
G 4 stars. fast, no bloat, just a reader. wish the fonts were nicer
R wont open any of my epub files since the update, just says format not supported
R doesnt read files from my sd card at all, only internal storage. useless for me
R can't load my files from google drive, keeps showing an error
R stuck on the loading screen with the book cover, the book never actually opens
R bookmarks disappear every time i close the app
R sometimes doesnt open some pages in PDFs, just a grey page where the page should be
R highlights i make on my phone never show up on the tablet. sync is broken
R Sucks. crashes whenever i open a CBZ comic
R page count is wrong, says page 1 of 1 for a 400 page book
R the app force closes when i rotate to landscape while reading
R after the update it lost my reading position in every single book
R "oops, something went wrong" every time i try to import a book
R search inside a book returns nothing, even for words i can literally see on the page
R Disappointed. half my comics show the wrong cover and the wrong title
R exporting my highlights gives an empty file
R the dictionary popup shows the definition of the wrong word
B takes forever to open a comic and then crashes halfway through loading it
B heavy PDFs lag like crazy and then the app just closes. lost my place again
M says "not enough memory to open this file" for a 60mb PDF. my phone has 8gb of ram
M big comic archives = out of memory error and the app crashes every single time
M "memory error" every time i open my library of 2000 books, then it crashes to the home screen
N Great app, exactly what i needed for my pdfs
N please add a dictionary lookup when i long press a word
N too many ads between chapters, i'd pay to remove them
N night mode is nice but could be darker
N works as described. nothing fancy
N can i change the font size for the whole library at once?
N ui looks a bit dated but it does the job
N $9.99 a year for a reader is too much
N Love it! epub, pdf and comics in one app
N would be 5 stars if i could sort books into folders
N Meh. its fine. the reader i used before had nicer themes
H the dev replied fast to my email and even added the font i asked for
H no crashes so far and i read every day. solid reader
H not a bug, but the page flip animation is kinda cheesy lol
""")

block("review", "camsnap", """
P shutter lag is awful, i miss every shot of my kid running around
P takes like 5 seconds to open the camera, by then the moment is gone
P switching to the front camera lags and the preview stutters
P phone gets super hot after 5 min of video recording
P night mode takes ages to process each photo, cant take another shot meanwhile
P app is 1.2 GB now?? for a camera app. way too heavy
P the viewfinder is laggy in low light, like watching a slideshow
G opens instantly from the lock screen, fastest camera app ive tried
G Love it. zero shutter lag and the preview is smooth even on my cheap phone
G much quicker than the stock camera and it uses less battery too
G super lightweight, like 15mb, and it does more than the built in camera
G the new version saves photos way faster, burst mode keeps up now
R photos dont save half the time. i take the picture and its not in the gallery
R black screen when i open the camera, have to restart my phone every time
R crashes every time i switch to video mode
R Stopped working after the update, just says camera unavailable
R videos longer than 10 minutes are corrupted and wont play
R the self timer doesnt work, it takes the photo right away anyway
R bug when i rotate the phone, the photo gets saved upside down
R location tags on my photos are wrong, says im in a different country
R filters wont apply, keeps showing an error
R flash doesnt fire anymore on my pixel
R keeps saying storage is full when i have 40gb free. cant take any photos
R the qr scanner never recognizes any code
R the gallery button opens an empty screen, cant see my pics
R volume button shutter stopped working after the last update
B the camera freezes for a few seconds after each photo and sometimes the pic is just gone
B super slow to start and half the time it crashes before the preview even shows up
M recording in 4k fails with "not enough memory" and then the whole app crashes
M "memory error" pops up when i take burst photos and the burst is lost
M Sucks. out of memory on every long video and the app just quits, lost my daughters recital
N Great app, the manual controls are really good
N please add a grid overlay
N the watermark on free photos is ugly
N too many filters i'll never use, simpler menu pls
N how do i turn off the shutter sound?
N a subscription for a camera app? no thanks
N Does the job. photos look decent
N photos look a bit washed out compared to the stock camera
N love the retro film presets
H the support guy answered quick and explained the pro mode, nice
H the speed ramp effect for videos is so cool
H no bugs, no crashes, takes good pictures. 5 stars
""")

block("review", "widgetly", """
P drains my battery like crazy, just for a clock widget
P my home screen got laggy since i added the widgets
P the editor takes forever to load the widget previews
P swiping between home screens stutters with widgetly widgets on them
P uses 200mb of ram in the background, for widgets??
P the weather widget takes like a minute to refresh after i unlock the phone
G super light, i cant notice any battery hit at all
G Great app. widgets load instantly and my home screen still feels snappy
G finally a widget app that doesnt slow down my phone
G the new version applies themes way quicker, used to take ages
G small app, low battery use, nice designs. cant ask for more
R widgets dont update anymore, weather is stuck on yesterday
R all the widgets are just blank after i restart my phone
R lock screen widget doesnt show up at all on ios 17
R calendar widget shows the wrong events, from last week
R Broken after update. all my widgets reset to default
R the photo widget keeps showing an error "cant load image"
R clock widget is an hour off since the time change
R battery widget says 100% all the time lol
R widgets vanish from my home screen randomly
R tapping a widget doesnt open anything
R cant save my custom widget, the save button does nothing
R the fonts i paid for dont show up in the editor
R step counter widget says 0 steps every day
R sometimes the widget opens the wrong app, it opens settings instead
R stuck on the loading screen when i open the editor, never gets past it
B widgets take ages to refresh and half the time they end up blank
B the editor lags so bad when i add stickers and then it crashes, lost my whole layout
M "out of memory" when i add more than 3 photo widgets, then they all go blank
M memory leak?? it uses more and more ram until the app crashes, every day
N Love the designs, so many nice themes
N please add a countdown widget
N the premium packs are a bit pricey
N the app icon is ugly lol
N works great. nice widgets
N how do i make the widget background transparent?
N can you add more fonts please
N too many ads when editing widgets
N Nice app, easy to use
N i wish there was a widget for my todo list
H no glitches since i installed it, everything just works
H quick question: does this work on ipad too?
H not a bug, but the color picker should remember my last colors
""")

block("review", "podwave", """
P the app takes 10 seconds to open before i can hit play
P downloading episodes is painfully slow even on wifi
P drains my battery when it plays in the background
P scrolling my subscriptions is laggy with 100+ shows
P ate 3gb of my mobile data in a week, streaming on normal quality
P takes forever to buffer when i skip to the middle of an episode
G Great app, fast and light, plays everything without a hiccup
G episodes start instantly and the app barely uses any battery
G switched from another podcast app, this one is so much snappier
G small download, quick to load, love it
G the update fixed the lag in the queue, scrolling is smooth now
R episodes wont download, stuck at 0%
R playback stops randomly after a few minutes
R new episode notifications never arrive
R it won't even let me play downloaded episodes offline
R keeps forgetting where i stopped, starts every episode from the beginning
R search shows podcasts that dont exist anymore and the links are dead
R the sleep timer doesnt work, keeps playing all night
R cant import my OPML file, "invalid file" every time
R chapter markers are wrong, the skip button jumps to the wrong spot
R doesnt sync between my phone and the web player anymore
R crashes when i connect to android auto
R the "mark as played" button does nothing
R playback speed resets to 1x every episode, annoying bug
R the volume boost makes some episodes completely silent
R Stopped working after update. every show says "feed error"
B the feed takes forever to refresh and then shows "oops something went wrong"
B laggy when i skip ahead and then the episode just stops playing
M "out of memory" when i open a show with 2000 episodes, then it crashes
M runs out of memory after an hour of listening and crashes mid episode
N please add transcripts
N too many ads in the free version
N Good app, does everything i need
N the queue design is confusing
N please bring back the old dark theme
N wish i could share a clip of an episode
N great selection of shows, the recommendations are spot on
N 3 stars. ok but the discover tab shows the same shows every week
H love the playback speed options, 1.3x is perfect for me
H how do i change skip forward to 45 seconds? cant find it
H the speed up voices feature has no chipmunk effect, love it
H not a bug but can u add a home screen widget?
""")

block("review", "chatter", """
P messages take 10+ seconds to send even on wifi
P slow to open, i stare at the logo for ages
P notifications arrive late, sometimes an hour after the message was sent
P typing lags in big group chats, letters show up a second later
P eats my storage, 8gb of cached media and no easy way to clear it
P voice notes take forever to upload
P scrolling up in an old chat is super choppy
G lightning fast, messages go through instantly even on 3G
G lightweight and snappy compared to the other messengers on my phone
G barely uses any battery even with 20 group chats going
G the new update made it way quicker, no more lag when scrolling chats
G Love it. small app, opens in a second, doesnt hog my old phone
R messages not delivered, just one grey tick forever
R notifications never arrive unless i open the app
R cant send photos, keeps showing an error
R the app force closes when i open a voice note
R my chat history is gone after i switched phones, the backup restore failed
R group video calls drop after a minute
R messages sometimes show up in the wrong chat!! sent something private to the family group
R doesnt sync anymore between my phone and the desktop app
R blank screen when i open a group with a lot of members
R stickers wont load, just grey squares
R Stopped working after the update, stuck on "connecting..." forever
R cant verify my number, the code never arrives
R the reply button quotes the wrong message
R emojis show up as boxes since the update
B takes ages to load a chat and then says "failed to load messages"
B the app lags when i send a video and then the upload fails anyway
M says "not enough memory to load media" in our family group and then crashes
M opening a chat with years of photos gives a memory error and the app closes
N Great app. my whole family is on it
N please add message scheduling
N is it end to end encrypted? couldnt find it anywhere
N the new icons are confusing
N works as expected, no complaints
N wish i could hide my online status
N dark mode is great on my eyes
N Love it, simple and clean
N why do i need to give it access to all my contacts
H got a quick reply from your support team, they sorted out my account, thanks!
H no crashes in 2 years, rock solid messenger
N the disappearing messages timer should have a 5 minute option
P the desktop app uses 1gb of ram and my laptop fans go nuts
""")

block("review", "mapmate", """
P rerouting takes forever, i already missed 2 exits because of it
P the gps dot lags behind the car by a few seconds
P map rendering stutters when i zoom in and out
P kills my battery, 40% gone on a 1 hour drive
P my phone gets really hot when navigating, even with the screen dimmed
P searching for an address is so slow
P the app takes ages to find my location when i open it
G routes calculate fast, way faster than the big map apps
G offline maps are small and the app is light on data
G Great app, the map scrolls smooth even on my old phone
G works fast even with no signal in the mountains, love the offline mode
G 5 stars. opens quick, finds the route in a second, barely warms up my phone
R sent me down a road that doesnt exist, wrong directions twice this week
R crashes in the middle of navigation. on the highway!!
R offline maps won't download, stuck at 99% forever
R voice guidance stops talking after a few minutes
R says "no gps signal" when every other app has gps
R saved places disappeared after the update
R traffic info is wrong, shows green on a road thats completely jammed
R cant load the map at all, just a grey grid
R the speed limit shown is wrong on half the roads
R android auto screen is black with mapmate
R it won't let me start navigation, the go button does nothing
R ETA is always wrong by 20 minutes
R turn by turn says left when the arrow shows right
R the search finds the wrong city every time, there are 2 towns with the same name
B takes ages to reroute and then it just crashes
B the map freezes for a few seconds and then the route disappears completely
M out of memory error when downloading the map of germany, then the app crashes
M the app crashes with a memory error when i zoom out to see the whole country
N Great app for hiking trails
N the voice sounds robotic
N please add a lane guidance view
N subscription for offline maps? no thanks
N works great in the city
N how do i avoid toll roads? cant find the setting
N ads while driving are dangerous, please remove them
N love the dark map at night
N Not bad. the ui could be cleaner
H please add speed camera warnings
H the speedometer in the corner is a nice touch
H quick question, does it show electric charging stations?
""")

block("review", "scanit", """
P processing a multi page scan takes forever
P edge detection is laggy, the frame jumps around before it locks on
P the exported PDFs are huge, 25mb for 3 pages. my email wont even send them
P slow to open the camera for scanning, like 6 seconds
P the app makes my phone hot when i scan a lot of pages
P gets sluggish once you have a few hundred scans in it
G scans are instant and the app is tiny, great on my old phone
G super fast OCR, the text is ready in a second
G much faster than the scanner built into my notes app
G 5 stars. quick, light, and the pdfs it makes are small enough to email
R cant save scans, "unable to save" every time
R OCR text comes out wrong, half the letters are garbage
R export to PDF fails with an error
R the app crashes when i scan more than 10 pages
R Stopped working after the update, camera shows a black screen
R my scanned documents disappeared from the app
R doesnt upload to google drive anymore, just fails without saying anything
R the crop tool doesnt save my changes
R sometimes the app doesnt open some of my older scans
R the signature i add disappears after saving
R the fax feature never sends anything but still takes my credits
R auto capture never triggers, i have to tap manually every time
R OCR doesnt recognize any german text, just gives me an empty page
R the page order gets mixed up when i export
B scanning takes forever and then the pdf comes out blank
B lags when i reorder pages and then crashes, had to scan the whole contract again
M says "not enough memory" when i scan a 30 page contract, then crashes
N Great app, saved me a trip to the library
N please add batch renaming
N the free version has a watermark, kinda annoying
N Works as described. scans look clean
N subscription is too expensive if u only scan once a month
N how do i scan both sides of an ID card?
N wish it could export to word
N good app for receipts at tax time
N the blue theme is a bit much
H not a bug, but the default file name should include the date
H no crashes, scans are clean, does what it says
H the developer answered quickly when i asked about the business plan
""")

block("review", "budgetbee", """
P the app takes 15 seconds to load my transactions
P charts are laggy, scrolling the monthly report stutters
P bank sync is slow, new transactions show up hours later
P app got heavy after the update, 300mb and slow on my phone
P pie charts take ages to draw
P searching my transactions freezes the app for a few seconds every time
G fast, simple, and it doesnt drain my battery like my old budget app
G loads instantly, and the bank sync finishes in seconds now
G lightweight app, runs smooth on my 5 year old phone
G the redesign made everything snappier, love it
R bank sync keeps failing, "connection error" every day
R transactions show up twice and my balance is totally wrong
R budget categories reset every month
R cant log in since the update, says my password is wrong
R the grocery total is wrong, doesnt add up
R bill reminders never arrive
R the csv export is empty
R Sucks. lost all my budgets after reinstalling
R the app wont open, just a white screen on my iphone
R recurring transactions get added on the wrong day
R split transactions dont save
R the home screen widget shows last months balance
R my bank disappeared from the list of connected accounts
R currency conversion is way off for my euro account
B sync takes forever and then errors out with "something went wrong"
M "out of memory" when i import 5 years of transactions, then the app crashes
M "not enough memory to load chart" on the yearly view and then the app closes
N Great app, finally know where my money goes
N please add shared budgets with my partner
N $5 a month for a budget app is a bit much
N the categories are confusing at first
N how do i add a cash account?
N Love it, simple and clean design
N works great for me
N wish i could set savings goals
N please bring back the pie chart on the home screen
N too many upsell popups
H quick question: is my bank supported?
H zero bugs in six months, solid app
H support got back to me fast about my refund
""")

block("review", "snapvault", """
G backup is so much faster after the update, my whole camera roll went up overnight
G barely uses any battery while it backs up now, nice job
G Great app. light, quick, and my photos are safe
P the app is 600mb now, why does a backup app need that much space
P videos take ages to start playing from the cloud
P Needs work. the gallery stutters every time new photos come in
R backup says 0 items even though i took 50 photos today
R wont open after the update, just the logo and then back to the home screen
R cant load my photos, keeps showing "couldnt load photos"
R some albums dont open, just a blank page
R deleted photos keep coming back after every sync
B the gallery gets slow and then crashes when i scroll fast
M "out of memory" when i open a 4k video and the app closes
N Great app, peace of mind for my photos
N please add a way to sort albums by date taken
N too many upgrade popups
N works as described
H quick question: does it back up live photos too?
""")

block("review", "notely", """
G Love it. lightweight and it opens instantly
G notes sync in a second now, super fast
G runs smooth on my cheap chromebook, the other note apps didnt
P takes ages to open on my old android
P the app gets heavier with every update, now its 500mb
R cant load my notes, "sync error" every time
R notes sometimes dont open, just a blank page
R keeps showing an error when i add a picture
R reminders never go off
R Stopped working after the update on my ipad, cant type anything
B loading my notebooks takes forever and then it crashes
M the desktop app says "out of memory" when i open my big notebook
N please add folders inside folders
N Great app for school
N the new update moved all the buttons around
N works great, no complaints
H not a bug but the font is tiny on tablets
""")

block("review", "beatbox", """
G the app is so fast now, songs start the second i tap them
G small app, and it uses barely any data on low quality
P songs take forever to start on mobile data
P my phone heats up during long playlists
P Meh. the app got so slow since the redesign
R it wont let me play anything, just says "error"
R downloaded songs dont show up in offline mode
R stuck on the loading screen since the update, cant get in at all
R new release notifications never arrive
R the lyrics are for a different song
B buffering forever and then the song just skips to the next one
M ran out of memory after a few hours of playlists and crashed, happens every evening
N Great app. great music
N the student price is fair
N too many podcasts in my feed
N please bring back the old shuffle button
H quick question: can i use it on two phones at once?
""")

block("review", "quizquest", """
G runs fast even on my cheap tablet
G the update made levels load way quicker, no more waiting
G smooth and light, doesnt kill my battery like other games
P the game stutters on the map screen
P game is 2gb now, way too big for my phone
P Good game but it lags a lot on older phones
R stuck on the loading screen every time i open the game
R it won't even let me play, keeps saying connection error
R the game wont open since yesterday
R coins disappear after i watch an ad
R bug when i rotate my phone, the answers go off screen
R the daily puzzle is the same every day
B laggy and then it crashes during the boss level
M out of memory error on level 50, then the game crashes
N Great game, fun for the whole family
N please add a sports category
N the questions repeat a lot
H no bugs, no crashes, fun questions. love it
""")

block("review", "mealmate", """
G app is fast and checkout takes a second
G the new version opens way faster, love it
P the menu pictures take ages to load
P app eats my battery while i track the order
P Needs work. the app is super slow at dinner time
R the app wont load restaurants, blank screen
R promo code keeps showing an error
R notifications never arrive when the food is here
R cant add items to the cart, nothing happens when i tap
R the map shows the courier in the wrong city
B the app hangs on payment and then says order failed
M crashes with "out of memory" when i scroll a long menu with lots of photos
N Great app, lots of restaurants
N delivery fees are too high
N please add a filter for vegan food
H food arrived fast and still hot, driver was lovely
H quick delivery, 10/10
""")

block("review", "tripnest", """
G hotel search is quick now, way better than before
G light app, doesnt eat my data when im abroad
P the app is slow to load my trips
P flight search takes ages
P drains my phone on travel days even when im not using it
R boarding pass wont load
R the app keeps showing an error when i try to pay
R my booking disappeared from my trips
R stuck on the loading screen at the airport, had to use the website
B search takes forever and then the app crashes
M out of memory error when i open the map with all the hotels, the map just stays empty
N Great deals, easy booking
N please add train tickets
N too many notifications
N how do i add my loyalty number?
H fast refund when my flight got cancelled, thanks
""")

block("review", "fitloop", """
G gps locks fast and it barely uses battery on long runs
G the app is lightweight and syncs my watch in seconds
P the app drains my watch battery
P stats take forever to load
R my runs dont save
R the app wont connect to my watch anymore
R heart rate is wrong, says 200 while i'm walking
R Stopped working after the update
R route map shows someone elses run??
B sync is slow and then fails
M "memory error" when loading my workout history, then it crashes
N Great app for runners
N please add yoga workouts
N subscription is too much
H no crashes in a year, very reliable
""")

block("review", "pennywise", """
G the app opens instantly now, love it
G lightweight and quick, best banking app ive used
P app is slow to load my balance
P uses a lot of battery in the background
R cant log in, keeps showing an error
R the transfer button does nothing
R notifications for payments never arrive
R the app wont open since the ios update
B the app hangs and then says something went wrong
N Great bank, nice app
N please add joint accounts
N how do i change my pin?
H support called me back quick when i reported fraud, really reassuring
""")

block("review", "shoplane", """
G the admin app is way faster since the update, orders load right away
P the admin app is slow to open on my phone
R the app wont let me print labels since the update
N Great for a small shop
""")

block("review", "taskgrid", """
G the mobile app is snappy now, boards open in a second
P the android app drains my battery
R notifications never arrive on my phone
N please add a widget for today's tasks
""")

block("review", "readr", """
P Almost perfect. I read mostly manga and the app handles big volumes fine, but turning a page takes half a second and the first page of every chapter loads blurry for a moment. On a reader that's the one thing that has to be fast. Fix that and it's 5 stars.
R Terrible update. Before 4.0 everything worked, now half my books say "file damaged" and wont open, and the ones that open forget my page. I have 600 books in here, I can't just switch. Please roll back or fix it asap.
G Was skeptical because its free, but it's honestly the quickest reader I've used. PDFs with lots of images scroll without a hitch and my battery lasts all evening. The only reason for 4 stars is the cluttered settings menu.
B fast when it works, but it crashes every time i open a book from my sd card
""")

block("review", "camsnap", """
R Do not download. Lost a whole weekend of photos because the app said "saved" and nothing ever showed up in my gallery. Support told me to clear the cache. Great, thanks, the photos are still gone.
P Good but heavy. Picture quality is better than my stock camera, no doubt, but it takes 4 seconds to start and my phone is hot after ten minutes of video. For quick snapshots I end up using the stock app.
G Finally a camera app that doesnt make me wait. Opens right away, shoots right away, saves right away, and the app itself is tiny. Pro mode could use a histogram, otherwise perfect.
N Nice app overall. I like the film looks and the manual focus. The subscription popup every time I open it is annoying though, and I wish the grid had more options. 3 stars.
""")

block("review", "widgetly", """
R Was great until recently. Since the last update my widgets randomly turn into grey boxes, and the only fix is removing and re-adding them, which loses all my settings. Happened four times this week.
G Solid. I was worried a widget app would kill my battery, but after a week battery use is under 1% and the home screen is as snappy as before. Designs are gorgeous too.
P pretty widgets but my phone feels slower since i installed it, animations stutter when i go back to the home screen
B lightweight and quick, but the calendar widget keeps crashing and goes blank
""")

block("review", "podwave", """
R Good app but buggy. I love the interface and the recommendations, but downloads fail about half the time with no error, so I find out on the plane that my episodes aren't there. Also the app sometimes marks episodes as played that I never listened to.
P Nice design, shame about the speed. Every time I open the app it refreshes all 80 of my feeds before I can do anything, which takes almost a minute on mobile data. Let me play first and refresh later please.
G I switched from the default podcast app because it was eating my battery. This one is light, opens fast, and I can listen for hours without the phone getting warm. 5 stars.
N Honest review: it does what a podcast app should do, nothing more. Subscriptions, downloads, playback speed, sleep timer. The design is a bit plain and I'd love a web version, but no complaints.
""")

block("review", "chatter", """
R Used it for years and never had issues, but since the update messages to my mom sometimes just don't arrive. She sees nothing, I see one tick. Tried reinstalling on both phones. Very frustrating when it's your main way to talk to family.
P Good app, but on my older phone it's become really heavy. Opening a group takes a few seconds, the keyboard lags, and it's always at the top of the battery list. It used to be the lightest app I had.
B super fast messaging but the app crashes whenever i try to send a video
G honestly the fastest messenger ive used, messages arrive before i put the phone down lol
""")

block("review", "mapmate", """
R Needs work. Great idea with the offline maps, but twice now it has frozen my route and then told me to turn into a field. I drive for work, I can't have wrong directions. Uninstalling until this is fixed.
P The maps are beautiful and the routes are good, but the app is a battery hog. A two hour drive costs me half my battery even when plugged into a weak car charger, and the phone gets too hot to touch.
G Perfect for road trips. The offline maps download fast, take up little space and the app stays smooth with no signal at all. Routing is quick too. Only wish it had more hiking trails.
B fast routing and light on battery, but the voice guidance crashes the app on long trips
""")

block("review", "scanit", """
R I need this for work every day and it's been unreliable lately. Scans save fine, but when I share them to email the attachment is sometimes empty, and the cloud sync skipped three documents last week. I only noticed when a client asked where the invoice was.
P Good scans, slow everything. Processing each page takes 3-4 seconds, OCR takes another 10, and the export to PDF makes my phone lag. For a 20 page document I'm waiting more than I'm scanning.
G Love it! Quick to open, scans in a blink, and the PDFs are small enough to email. I've tried 5 scanner apps and this is the only one that doesn't feel sluggish on my old phone.
""")

block("review", "budgetbee", """
R 2 stars. the idea is great and the charts are pretty, but bank sync breaks every couple of weeks and i have to reconnect my accounts. last time it imported the same month twice so my budget said i was $1,800 over. fixed it by hand, took an hour.
P Really like the budgeting method this app uses, but it has gotten slow. Opening the app takes 8 seconds, switching months takes another 5, and the yearly report is basically a loading screen. My data isn't that big, 3 years of transactions.
G finally a budget app that runs well on my old phone, opens fast and the sync is quick. the categories took a while to set up but now its great
N its a good app but the free version is too limited, you can only have 5 categories. i get that devs need to eat but 7.99 a month is a lot for a budgeting app, kind of ironic
""")

block("review", "snapvault", """
B backs up super fast now but the app crashes whenever i open an album
R Love the app but the web gallery hasnt shown any new photos since tuesday, and the phone says everything is backed up. Which one is lying?
""")

block("review", "notely", """
P Notely used to be the lightest note app around. Now it takes 6 seconds to start, typing in long notes lags and the Mac app uses more RAM than my browser. Please go back to being simple.
R notes i write on the train never sync when i get to wifi, have to copy paste them by hand
""")

block("review", "beatbox", """
B quick to start and sounds great, but it crashes every time i use the equalizer
R Premium user, 1 star. The app keeps signing me out and my downloads vanish every time it does, so I redownload 3GB every week. Sort it out.
""")

block("review", "quizquest", """
P I really like the questions, but the game has gotten laggy. The timer animation stutters, taps register late, and loading each level takes long enough that I check my messages in between.
R it wont let me into multiplayer, says server error every time
""")

block("review", "fitloop", """
G Been using it for marathon training. GPS locks in seconds, the app barely touches the battery on 3 hour runs and syncing with my watch is instant. Coach features are great too.
R gps drops in the middle of my runs and the distance comes out way short
""")

block("review", "mealmate", """
R Honestly the worst app update. Now I can't see my past orders, the reorder button is gone, and my saved card says invalid every time. Used to be my go-to app for lunch.
""")

block("review", "tripnest", """
P Great prices but the app is painful on my older iPad. Every search takes 30 seconds, the map view stutters and the app eats 2GB of storage for some reason.
R price alerts never arrive anymore and the app keeps showing an error when i open my trips
""")

block("review", "podwave", """
R oops error every time i try to subscribe to a new show
R the episode list is empty for shows i know have new episodes
""")

block("review", "readr", """
R unable to save annotations, it says saved but they're gone when i reopen the pdf
R Useless since the update. force closes as soon as i open the library
""")

block("review", "widgetly", """
R the music widget shows the wrong song and the buttons dont do anything
""")

block("review", "budgetbee", """
R keeps showing an error when i try to add a transaction, "unable to save"
R bug when i rotate the phone on the reports screen, the numbers change?!
""")

block("review", "chatter", """
R group photos show up for me but my friends just see "media unavailable"
""")

block("review", "camsnap", """
R portrait mode blurs the wrong part of the photo, my face is blurry and the background is sharp
""")

block("review", "scanit", """
R doesnt sync anymore with my laptop, the last scan there is from march
""")

block("review", "mapmate", """
R the app logs me out every time and my saved routes are gone again
""")

block("review", "fitloop", """
R calories burned are obviously wrong, 2000 kcal for a 20 minute walk
""")

# Memory problems in other voices (tickets, chats, churn notes): out of memory, memory errors and
# "not enough memory" count as both performance and reliability.
block("ticket", "notely", """
M Out of memory when opening large notebook. The Windows app (4.12.2) shows "Out of memory" and closes when I open our "Research archive" notebook (about 1,800 notes with images). Other notebooks open fine. The laptop has 16 GB of RAM with about 9 GB free at the time.
""")

block("ticket", "snapvault", """
M Memory error on long video upload. Uploading a 40-minute 4K video from the Android app fails with "Memory error (code M-2)" and the app restarts. Shorter clips upload normally. Galaxy S22, Android 14, app 6.1.2.
""")

block("ticket", "fleetpulse", """
M Not enough memory to load yearly report. Opening the "Full year" fleet report in the web app shows "Not enough memory to load this report" and then the Chrome tab crashes. The same report for one quarter opens after about 20 seconds. Chrome 126 on Windows 11, 16 GB RAM.
""")

block("ticket", "taskgrid", """
M Browser tab runs out of memory on our biggest board. Our "Master backlog" board (2,300 cards) makes the Chrome tab climb past 4 GB of memory and then crash with "Aw, Snap! Out of memory". It happens to everyone on the team, on Windows and macOS. Smaller boards are fine.
""")

block("ticket", "quizquest", """
M Memory warning crash on older iPads. On an iPad 7th gen (3 GB RAM, iPadOS 17.5) the game shows "Memory warning" and closes as soon as the level map loads. Version 3.8 worked. Reinstalling didn't help. Player ID QQ-3381920.
""")

block("ticket", "pennywise", """
M App closes with out of memory when exporting statements. Exporting two years of statements as one PDF makes the app close; the crash report on my phone says "out of memory". One month at a time works. iPhone SE (2022), iOS 17.5, app 8.3.1.
""")

block("ticket", "shoplane", """
M Orders export crashes the admin. Exporting all orders (about 60,000) from the admin makes the page use several GB of memory until Chrome kills it with "Out of memory". The export file is never created. We need this for our year-end accounts.
""")

block("ticket", "readr", """
M Large PDFs fail with not enough memory. readr 3.2 on Android shows "Not enough memory to open this document" for any PDF above about 150 MB and then closes. The same files open on my laptop. Pixel 7, 8 GB RAM, plenty of free storage.
""")

block("chat", "mapmate", """
M hi, the app keeps saying "not enough memory to load this map" and then closes, any fix?
""")

block("chat", "notely", """
M hey, the desktop app ate all my RAM and then crashed with an out of memory error, twice today
""")

block("chat", "chatter", """
M hello, every time i open our big group chat it says memory error and the app restarts
""")

block("chat", "fleetpulse", """
M hi, the dashboard tab crashes with "out of memory" when I pick the 12-month range
""")

block("chat", "scanit", """
M hey, the scanner crashes with "not enough memory" on about the 20th page of a long scan
""")

block("churn_note", "quizquest", """
M The game kept running out of memory on my tablet and crashing. Gave up.
""")

block("churn_note", "taskgrid", """
M Leaving because the desktop app used more and more memory until it crashed every afternoon.
""")

block("churn_note", "fleetpulse", """
M Our month-end reports kept failing with "not enough memory" errors in the browser. We need something that works at our size.
""")
EIGHTH_PASS_START = len(HAND)  # lines from here on are left out of the template balancing
# ---------------------------------------------------------------------------------------------
# Eighth pass (review voice first). Four gaps found when the model was scored on outside data:
#  * praise and neutral lines with no speed in them were too rare, so words like great, love,
#    useful, easy, nice, awesome and "works" leaned towards performance. The N lines below (and
#    the composed praise rows built by compose_praise() further down) fix that;
#  * complaints that are neither slow nor broken (price, ads, missing features, design, accounts,
#    support staff, content);
#  * short, plain reliability reviews ("won't open", "keeps closing", "lost my notes");
#  * short speed reviews, complaint and praise, so performance stays about speed and resources.
# ---------------------------------------------------------------------------------------------
# -- praise and neutral, no speed or resource content ----------------------------------------
block("review", "readr", """
N Awesome! reads all my epubs and the library looks tidy
N honestly the nicest reader i have tried. love the sepia theme
N Very useful for school, i keep all my textbooks in here
N Good. Does what it should, no more no less
N the highlighting and notes feature is brilliant for studying
N 4 stars, wish the covers in the grid were bigger
""")

block("review", "camsnap", """
N Love it!! my pics look like they came from a real camera
N Awesome filters and the grid lines help me frame shots
N Easy to use even for me and I'm terrible with tech
N Nice app. the night shots look good enough for instagram
N great for taking pictures of my kids, the burst mode is fun
N it's ok, the stock camera does most of this already
""")

block("review", "widgetly", """
N So pretty. my home screen finally looks like me
N Very cute widgets and tons of fonts to pick from
N Great app! love the photo widget with my dog in it
N useful little thing, the calendar widget is all i need
N Best widget app on the store, period
N Nice but I want more colour themes for the clock
""")

block("review", "podwave", """
N Excellent podcast app. the chapters and show notes are great
N love love love it. the queue makes sense finally
N Super handy for my commute, subscribe and forget
N Works perfectly with my car stereo and my headphones
N Wonderful app, the discover tab found me some gems
N decent. i miss the old playlist screen though
""")

block("review", "chatter", """
N Great way to keep in touch with my family overseas
N Love the stickers lol my friends all use it now
N simple and clean chat app, does what i need
N Very nice, group chats with polls are super useful
N my grandma figured it out on her own, that says it all
N Awesome app, voice notes are so handy
""")

block("review", "mapmate", """
N Brilliant for walking around new cities
N useful app. the saved places lists are great for trips
N Amazing, never got lost once on our road trip
N Easy to use and the directions are clear
N good app, the cycling routes are nice and quiet
N perfect for finding parking near the stadium
""")

block("review", "scanit", """
N So useful. i scan all my receipts for work now
N Great app, the text recognition is spot on
N Nice clean PDFs every time, my boss is happy
N awesome for school worksheets, my kids teacher loves it
N Easy to sign contracts with, love the signature tool
N good enough for the price, which is free
""")

block("review", "budgetbee", """
N Life changing honestly, I finally know where my money goes
N Love the colourful charts, budgeting is almost fun now
N great app for couples, we share one budget
N Very useful, the monthly summary is eye opening
N Easy to set up, took one evening to add all my categories
N nice app, a bit basic but it works for me
""")

block("review", "shoplane", """
N Amazing platform, my first online shop is live and I'm so proud
N Very easy to use, great templates for a beginner
N Love it, the order emails look professional
N useful reports for a small business owner like me
""")

block("review", "taskgrid", """
N Great tool, our whole team lives in it now
N love the labels and the board layout, very tidy
N Super useful for planning my thesis
N Nice app, does everything trello did for us
""")

block("review", "pennywise", """
N Best bank app I've had, really nice design
N love the spending insights, so useful
N Great app, sending money to friends is easy
N very helpful and clear, my parents use it too
""")

block("review", "snapvault", """
N Love this app, all my baby photos safe in one place
N Great for sharing albums with the grandparents
N Very useful, the "on this day" memories make me smile
N awesome app, worth the subscription
""")

block("review", "notely", """
N Perfect notes app for me, love the tags
N great for recipes and shopping lists
N Best notes app ever, clean and simple
N useful and pretty, the checklists are great
""")

block("review", "beatbox", """
N Awesome app, the mixes it makes for me are spot on
N Love it. Found so many new bands this year
N great music app, the lyrics feature is fun
N Best streaming app, nice design too
""")

block("review", "quizquest", """
N So much fun!! me and my sister play every night
N Great game, the questions are clever and not too easy
N Love it, best trivia game I've found
N addictive in a good way. the daily puzzle is great
""")

block("review", "mealmate", """
N Great app, loads of restaurants near me
N love the group order thing for the office
N Very easy to use and the deals are nice
N awesome, my go-to for friday night pizza
""")

block("review", "tripnest", """
N Very useful, all my trip bookings in one place
N Great app! found a lovely hotel for our anniversary
N love the itinerary, my whole family can see it
N Excellent, booked our whole holiday in one evening
""")

block("review", "fitloop", """
N Love it, keeps me motivated to move every day
N Great app, the training plans are really good
N very useful to see my progress over the months
N awesome, the badges are silly but i love them
""")

block("review", "clinicdesk", """
N Great for our little practice, patients love booking online
N easy to use, our receptionist learned it in a day
""")

block("review", "fleetpulse", """
N Really useful dashboards, my managers finally read the reports
N great product, the API docs are clear and complete
""")

block("chat", "notely", """
N hi! no problem today, just wanted to say I love the new editor
""")

block("chat", "beatbox", """
N hey, just a thank you, the app is great and I use it every day
""")

block("chat", "budgetbee", """
N hello, love the app! is there a way to share a budget with my partner?
""")

block("chat", "widgetly", """
N hi there, awesome app, how do I add a second photo widget?
""")

block("chat", "tripnest", """
N hi, great app by the way. can I add my partner to the same booking?
""")

block("ticket", "taskgrid", """
N Compliment from our team. No issue to report: the team asked me to pass on that the new board templates are great and very easy to set up. Keep it up.
""")

block("ticket", "clinicdesk", """
N Thank you. Nothing broken, just wanted to say the patient booking page is lovely and our older patients find it easy to use. Great work.
""")

block("ticket", "scanit", """
N Feedback on the app. I use scanit every day at the office and it is really useful. One suggestion: a way to name files automatically by date would make it perfect.
""")

# Fast people, not a fast product: praise of support, the developer, delivery and setup is
# neither (hard negatives). Without these the speed praise above pulls "fast support" along.
block("review", "podwave", """
H Fast support and a friendly dev. 5 stars
H the dev replies to reviews quickly, you can tell they care
""")

block("review", "budgetbee", """
H quick setup, my budget was ready in ten minutes. love it
H they answered my billing question fast, great service
""")

block("review", "mealmate", """
H delivery was quick and the courier was lovely, great app
""")

block("review", "widgetly", """
H thanks for the fast fix on the clock widget, all good now
""")

block("review", "pennywise", """
H customer service was fast and kind, sorted my card replacement the same day
""")

block("review", "camsnap", """
H speedy support team, they explained the pro upgrade in one email
""")

block("review", "tripnest", """
H super quick response from the support team when our flight changed, thank you
""")

block("review", "chatter", """
H got a reply from support within minutes, very helpful
""")

block("chat", "fitloop", """
H hi, thanks for the quick and friendly help yesterday, all sorted
""")

block("chat", "scanit", """
H hey, fast refund after I bought the wrong plan, much appreciated
""")

# -- negative, but neither slow nor broken: price, ads, missing features, design, accounts, staff --
block("review", "readr", """
N way too expensive for a reader, $6 a month? no thanks
N the free version only lets you have 10 books. useless
N no way to sort by series, really annoying for comics
""")

block("review", "camsnap", """
N the watermark on free photos is huge and ugly
N paid for pro and half the filters are still locked behind another pack
N hate the new layout, the shutter button moved
""")

block("review", "widgetly", """
N ads in a widget app? come on
N needs a subscription for basic fonts, greedy
H the settings menu is a maze, took me ages to find the colour picker
""")

block("review", "podwave", """
N why do i need an account to listen to free podcasts
N every other day it begs me for a 5 star rating, leave me alone
N Ugh, they removed the old player design and the new one is ugly
""")

block("review", "chatter", """
N asks for my contacts and location for no reason
N the new emoji style is hideous
N cant use it without a phone number, privacy nightmare
""")

block("review", "mapmate", """
N offline maps are paid now, they used to be free
N the voice lady is annoying and you cant pick another
N too many ads for restaurants on the map
""")

block("review", "scanit", """
N free version puts a logo on every page. deleted
N 1 star. subscription for a scanner app is ridiculous
N no option to scan straight to my google drive, useless for work
""")

block("review", "budgetbee", """
N Ok app but the yearly plan is overpriced
N no support for my credit union, so i have to type everything by hand
N the pie charts are pretty but i want a simple list view
""")

block("review", "shoplane", """
N fees keep creeping up and the basic plan lost features
N templates all look the same, boring
N the app nags me to upgrade every single day
""")

block("review", "taskgrid", """
N hate that guests count as paid seats
N the new colours are so pale i cant tell the labels apart
N no offline mode on mobile, deal breaker for me
""")

block("review", "pennywise", """
N Monthly fee for a bank account in 2024, seriously?
N the app keeps pushing credit card offers at me
N no joint accounts, we had to go elsewhere
""")

block("review", "snapvault", """
N storage plans are pricey compared to other services
N the gallery design is cluttered, too many buttons
N wish there was a family plan, paying three times is silly
""")

block("review", "notely", """
N moved handwriting to the paid tier, not cool
N Meh. the editor toolbar is confusing and has too many icons
N still no tables. please
""")

block("review", "beatbox", """
N Way too many ads on the free plan, one every two songs
N the catalogue is missing half of my favourite indie bands
N price went up twice this year. cancelling
""")

block("review", "quizquest", """
N Too many ads!! a video after every single round
N the questions repeat way too often, i know them all by heart
N pay to win. you cant get far without buying hints
""")

block("review", "mealmate", """
N delivery fees are more than the food sometimes
N not many restaurants in my town, only chains
N the courier was rude and the app gives me no way to report it
""")

block("review", "tripnest", """
N hotel prices are higher than booking on the hotel website directly
N hidden fees at the last step, annoying
N I dont like that I have to create an account just to look at flights
""")

block("review", "fitloop", """
N premium is expensive and the free version barely does anything
N the workouts are all too hard for beginners like me
N the app keeps sending me motivational notifications, way too many
""")

block("review", "clinicdesk", """
N the patient portal looks like it was designed in 2005
H price per practitioner adds up fast for a clinic our size
""")

block("review", "fleetpulse", """
N dashboard colours are awful for colour blind users
N API access only on the enterprise plan, not fair
""")

block("chat", "pennywise", """
N hi, how do I close my savings pot? I can't find the option
N hello, your agent on the phone was really rude to me yesterday
""")

block("chat", "beatbox", """
N hey, I was charged for family after I switched back to single, can I get a refund?
""")

block("chat", "quizquest", """
N hi, I bought the no-ads pack on my old phone, how do I get it on the new one?
""")

block("chat", "snapvault", """
N hey, how do I downgrade to the cheaper storage plan?
""")

block("chat", "fitloop", """
N hello, why does the free plan not show my heart rate zones anymore?
""")

block("ticket", "mealmate", """
N Complaint about customer service. I contacted your support about a missing side dish and the reply was dismissive and copy-pasted. I just wanted an apology. Order MM-77410.
""")

block("ticket", "notely", """
N Billing question. I was moved from the old Plus plan to Premium automatically and the price is now double. I didn't agree to that. Please move me back or refund the difference.
""")

block("ticket", "tripnest", """
N Request: change the name on my account. I got married and need the name on my profile updated so it matches my passport. What documents do you need?
""")

block("review", "chatter", """
N the dev answered my review with a sarcastic reply. classy
N Boring. every update is just new sticker packs nobody asked for
""")

block("review", "podwave", """
N The show pages are cluttered with ads for other shows
N 2 stars. the sleep timer options are too limited, only 15 or 60 minutes
""")

block("review", "quizquest", """
N the leaderboard is full of cheaters and nobody does anything
N lives system is annoying, wait or pay
""")

block("review", "mealmate", """
N Restaurant photos look nothing like the real food lol
N Support only gives vouchers, never actual refunds
""")

block("review", "budgetbee", """
N you need premium just to add a second account. no
N too complicated for a budgeting app, i just want simple categories
""")

block("review", "snapvault", """
N the upgrade banners on every screen are so pushy
N ugly icon, please change it back
""")

block("review", "tripnest", """
N customer service put me on hold and then hung up, great
N no way to filter hotels by pool. really?
""")

block("churn_note", "widgetly", """
N Cancelling because the subscription costs more than the widgets are worth to me.
""")

block("churn_note", "podwave", """
N Leaving because of the ads they added to the paid plan.
""")

block("churn_note", "chatter", """
N All my friends moved to another messenger, so there's no point staying.
""")

block("churn_note", "camsnap", """
N Not renewing. The new design removed the manual mode I bought the app for.
""")

block("churn_note", "budgetbee", """
N Closing my account. I don't like the new privacy policy about sharing my data with partners.
""")

# -- short reliability reviews: doesn't work, won't open, keeps closing, lost data, login, errors --
block("review", "readr", """
R wont open any of my cbz files anymore, just says unsupported
R keeps closing when i tap on a book. reinstalled, same thing
R lost all my highlights after the update!!
R Error "file damaged" on books that open fine everywhere else
""")

block("review", "camsnap", """
R camera just shows a grey box, doesnt work at all on my phone
R photos dont save to the gallery anymore
R app closes itself when i switch to the front camera
""")

block("review", "widgetly", """
R widgets disappeared from my home screen after the update
R the weather widget shows the wrong city no matter what
R Doesnt work. widget says "can't load content"
""")

block("review", "podwave", """
R downloads fail every time, says error try again
R episodes dont play, the play button does nothing
R lost all my subscriptions when i changed phone
""")

block("review", "chatter", """
R messages stuck on sending, they never go through
R cant log in, the code sms never arrives
R app keeps closing when i open a photo someone sent
R my chat history is gone after the update
""")

block("review", "mapmate", """
R Won't open. just the logo then back to the home screen
R the route keeps disappearing in the middle of driving
R location is wrong, puts me 2 streets away
""")

block("review", "scanit", """
R pdf export fails with an error every time
R Scans come out completely black. useless
R deleted all my scanned documents when i updated!
""")

block("review", "budgetbee", """
R bank connection broken again, no transactions since last week
R it doubled all my transactions, balances are wrong now
R cant sign in with google anymore, just a spinning circle and then an error
""")

block("review", "shoplane", """
R Doesn't work anymore. the app won't let me log in
R order notifications stopped completely
""")

block("review", "taskgrid", """
R my tasks vanished after i logged in on my phone
R Stopped working since the update, the board is just empty
""")

block("review", "pennywise", """
R card payments declined by the app for no reason, card is fine
R keeps logging me out every 2 minutes, unusable
R Face ID doesnt work since the last update
""")

block("review", "snapvault", """
R backup says complete but half my photos are missing
R the app wont start, closes right away
""")

block("review", "notely", """
R lost my notes!! a whole semester gone after sync
R can't open attachments, says error loading file
""")

block("review", "beatbox", """
R songs skip after 10 seconds, every single one
R my downloaded music disappeared again
R Cannot log in. "Something went wrong" every time
""")

block("review", "quizquest", """
R lost all my progress, level 200 back to level 1
R the game closes on the loading screen every time
R coins i bought never showed up
""")

block("review", "mealmate", """
R app says payment failed but my bank charged me
R the promo code field gives an error no matter what code
""")

block("review", "tripnest", """
R booking confirmation never arrived and the trip isn't in the app
R Can't check in, the button gives an error
""")

block("review", "fitloop", """
R doesnt sync with my watch anymore
R my run wasn't saved, 10k gone
R keeps crashing when i open the sleep tab
""")

block("review", "camsnap", """
R the video recording stops by itself after a few seconds and the file is empty
R Not working on my new phone at all
""")

block("review", "widgetly", """
R keeps telling me to grant permission i already granted, widget never shows
""")

block("review", "podwave", """
R after the update it won't play anything, just silence
""")

block("review", "mapmate", """
R can't find my saved home address anymore, it's gone
R the voice directions stopped working
""")

block("review", "scanit", """
R the app wont launch, black screen and out
""")

block("review", "readr", """
R bookmarks get lost every time i close the app
""")

block("review", "beatbox", """
R it won't connect to my speaker anymore
""")

block("review", "quizquest", """
R Says network error even on wifi. unplayable
""")

# Crash reviews without any speed content. Before this pass most corpus rows that say "crash"
# were "both" (freezes and then crashes, memory crashes), so a plain crash review leaned towards
# performance as well. These are reliability only.
block("review", "readr", """
R crashes constantly since the last update. 1 star
R Crash after crash when I open a cbr file
""")

block("review", "camsnap", """
R the app crashed 3 times today while taking pictures of my kids
R Crashes whenever i switch to video mode
""")

block("review", "widgetly", """
R crashing nonstop after I added the photo widget
""")

block("review", "podwave", """
R Constant crashing when i try to download an episode. deleted
R crashes every time my bluetooth headphones connect
""")

block("review", "chatter", """
R crashes all the time on my pixel, cant even read my messages
R Keeps crashing when i open a video someone sent me
""")

block("review", "mapmate", """
R crashed twice in the middle of a trip, had to use my friend's phone
""")

block("review", "scanit", """
R crashes right after I press scan. useless now
""")

block("review", "budgetbee", """
R it crashes whenever I try to add a new category
""")

block("review", "notely", """
R Constantly crashing on my ipad since i updated
""")

block("review", "beatbox", """
R crashes a few times a day, usually when i open a playlist
""")

block("review", "quizquest", """
R game crashes in the middle of a round and i lose my lives. unfair
""")

block("review", "pennywise", """
R the app crashes as soon as i tap on transfers
""")

block("review", "snapvault", """
R crashes when i try to share an album, every time
""")

block("review", "fitloop", """
R crashes at the end of every run before it saves. so annoying
""")

block("review", "tripnest", """
R app crashed while I was paying for the hotel, no idea if it went through
""")

block("review", "mealmate", """
R crashes on the checkout page all the time, had to order on the website
""")

# -- short speed reviews: complaints and praise (performance) --------------------------------
block("review", "readr", """
P page turns take a full second, sooo slow
G super quick, my 200mb comics open straight away
""")

block("review", "camsnap", """
P shutter delay is terrible, by the time it fires the moment is gone
G opens in a blink, perfect for quick shots
""")

block("review", "widgetly", """
P since adding 4 widgets my phone feels laggy
G the widgets barely use any battery, nice
""")

block("review", "podwave", """
P the app eats 20% of my battery in an hour of listening
G so fast now! the library loads instantly
""")

block("review", "chatter", """
P typing lags in big group chats
G quick and light, way faster than the other messengers
""")

block("review", "mapmate", """
P rerouting takes forever and i miss the turn
G routes calculate in a second, super responsive
""")

block("review", "scanit", """
P saving a 5 page scan takes almost a minute
G scanning is quick and the app is tiny
""")

block("review", "budgetbee", """
P the charts take ages to show up
G loads instantly and barely touches my battery
""")

block("review", "shoplane", """
P Admin app is slow to open every single time
G store loads fast for my customers, no complaints about speed
""")

block("review", "taskgrid", """
P boards with lots of cards are sluggish to scroll
G way snappier since the update, great work
""")

block("review", "pennywise", """
P takes 15 seconds to show my balance
G logging in is super quick now
""")

block("review", "snapvault", """
P uploads crawl, 500 photos took all night
G backups run quietly and dont drain the battery at all
""")

block("review", "notely", """
P search is painfully slow with a lot of notes
G opens instantly, my notes are right there
""")

block("review", "beatbox", """
P songs take 5+ seconds to start playing
G zero buffering and the app feels really light
""")

block("review", "quizquest", """
P the game heats up my phone and the frames drop
G runs so fast even on my old tablet
""")

block("review", "mealmate", """
P the menu takes forever to load at dinner time
G checkout is quick, ordered in under a minute
""")

block("review", "tripnest", """
P flight search is slow, a minute for every search
G search results pop up fast now
""")

block("review", "fitloop", """
P syncing with the watch takes ages
G syncs in seconds and uses hardly any battery
""")

block("review", "clinicdesk", """
P calendar is slow to load every morning
""")

block("review", "widgetly", """
P the app is a 300mb download just for some widgets, bloated
""")

block("review", "podwave", """
G tiny app, starts right away, no lag when scrolling my feed
""")

block("review", "fleetpulse", """
G dashboards load quickly now even with a year of data
""")
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
PRAISE_PERF = [  # performance praise (code G): counts as performance under the current definition
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
CHURN_PERF_PRAISE = [  # code G: the note praises the product's speed
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
# Performance-praise tickets (code G): positive feedback about the product's speed or resource use.
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
# added (40, 120, 334, 21, 38, 5), so the templated rows did not change (see build()).
TARGETS = {
    "review":     {"P": 430, "R": 508, "B": 124, "N": 667},
    "ticket":     {"P": 177, "R": 185, "B": 75,  "N": 192},
    "chat":       {"P": 139, "R": 118, "B": 43,  "N": 143},
    "churn_note": {"P": 61,  "R": 52,  "B": 29,  "N": 166},
}
HARD_SHARE = 0.6  # share of templated "neither" rows that are hard negatives
PRAISE_SHARE = 0.15  # share of templated "performance" rows that are performance praise (G)


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


def write_csv(rows):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["text", "is_performance", "is_reliability", "kind", "product"])
    for r in rows:
        p, q = LABELS[r["code"]]
        w.writerow([r["text"], p, q, r["kind"], r["product"]])
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", encoding="utf-8", newline="") as fh:
        fh.write(buf.getvalue())


def stats(rows):
    from collections import Counter

    def lab(r):
        return {"P": "performance only", "R": "reliability only", "B": "both",
                "N": "neither"}[CELL[r["code"]]]

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
    print("is_performance=1:", sum(LABELS[r["code"]][0] for r in rows),
          " is_reliability=1:", sum(LABELS[r["code"]][1] for r in rows))
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
    rows = build()
    write_csv(rows)
    if "--stats" in sys.argv:
        stats(rows)
    else:
        print("wrote %d rows to %s" % (len(rows), os.path.relpath(OUT, ROOT)))


if __name__ == "__main__":
    main()
