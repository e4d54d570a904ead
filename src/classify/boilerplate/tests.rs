//! Real shapes of support email: Gmail and Outlook replies, Apple Mail, Zendesk and Help Scout
//! notifications, web forms, chat openers.

use super::strip;

#[test]
fn a_gmail_reply_keeps_only_the_new_message() {
    let text = "Hi team,\n\nCheckout still takes 20-30 seconds for our EU customers.\n\nThanks,\nJane Doe\nHead of Ops, Acme GmbH\n+49 30 1234567\n\nOn Tue, 3 Dec 2026 at 10:14, Pushback Support <support@example.com> wrote:\n> Hi Jane, could you tell us which page is slow?\n> Best, Sam";
    assert_eq!(strip(text), "Checkout still takes 20-30 seconds for our EU customers.");
}

#[test]
fn the_wrote_line_may_wrap_and_quotes_may_be_inline() {
    let text = "The export has been failing since Monday.\n> earlier: is it still slow?\nOn Mon, Dec 2, 2026 at 9:01 AM Support Team <help@example.com>\nwrote:\n> We shipped a fix.";
    assert_eq!(strip(text), "The export has been failing since Monday.");
}

#[test]
fn an_outlook_reply_stops_at_its_header_block() {
    let text = "Hello,\r\nThe dashboard times out again when we filter by region. Please advise.\r\n\r\nKind regards\r\nMarc\r\n\r\n________________________________\r\nFrom: Support <support@example.com>\r\nSent: Monday, December 7, 2026 09:12\r\nTo: Marc <marc@client.example>\r\nSubject: RE: Dashboard slow\r\n\r\nHi Marc, ...";
    assert_eq!(strip(text), "The dashboard times out again when we filter by region.");
    let forwarded = "FYI the sync is broken for us too.\n-----Original Message-----\nFrom: Anna\nSent: Friday\nthe sync crashes";
    assert_eq!(strip(forwarded), "FYI the sync is broken for us too.");
    let from_block = "Webhooks arrive 10 minutes late.\nFrom: Support <support@example.com>\nDate: 4 Dec 2026\nstuff";
    assert_eq!(strip(from_block), "Webhooks arrive 10 minutes late.");
}

#[test]
fn signatures_and_footers_are_dropped() {
    let text = "SSO login fails with an error for half the team.\n--\nPriya Raman | IT Lead\nwww.client.example";
    assert_eq!(strip(text), "SSO login fails with an error for half the team.");
    let phone = "the app crashes when I open a report\n\nSent from my iPhone";
    assert_eq!(strip(phone), "the app crashes when I open a report");
    let footer = "Reports load very slowly today.\n\nCONFIDENTIALITY NOTICE: This e-mail message is intended only for the named recipient.";
    assert_eq!(strip(footer), "Reports load very slowly today.");
}

#[test]
fn ticket_form_headers_go_and_the_message_stays() {
    let text = "Name: Tom Baker\nEmail: tom@shop.example\nCompany: Shop Ltd\nPriority: High\nBrowser: Chrome 131\nSubject: Search is slow\nDescription: Search takes 15 seconds to return anything since the update.\nSubmitted via: web form";
    assert_eq!(strip(text), "Search is slow\nSearch takes 15 seconds to return anything since the update.");
    // A colon in a sentence is not a form field.
    assert_eq!(strip("Update: the API now answers in 4 s instead of 300 ms"), "Update: the API now answers in 4 s instead of 300 ms");
}

#[test]
fn greetings_stock_sentences_and_sign_offs_go() {
    assert_eq!(strip("Hi team, checkout is slow. This is urgent for us."), "checkout is slow.");
    assert_eq!(strip("Hey, the page hangs. Thanks in advance!"), "the page hangs.");
    assert_eq!(strip("Good morning, exports fail. Any update would help."), "exports fail.");
    assert_eq!(strip("Hello support team - the invoices page is blank. Thanks, Jane"), "the invoices page is blank.");
    assert_eq!(strip("Hi support, sync is down. Please advise."), "sync is down.");
    // Two greetings, and stock phrases tacked onto a sentence without a full stop.
    assert_eq!(strip("Hello, hey team, exports time out. help please This is urgent for us."), "exports time out.");
    assert_eq!(strip("search is slow again, thanks in advance"), "search is slow again");
    assert_eq!(strip("Hi there!\nHope you're well.\nThe mobile app drains battery."), "The mobile app drains battery.");
    // Only boilerplate: nothing left.
    assert_eq!(strip("Thanks!"), "");
    assert_eq!(strip("Hi team,\n\nThanks,\nBob"), "");
}

#[test]
fn zendesk_notification_markers_and_image_stubs_go() {
    let text =
        "##- Please type your reply above this line -##\nThe report builder freezes on large accounts.\n[cid:image001.png@01DA1234.5678]";
    assert_eq!(strip(text), "The report builder freezes on large accounts.");
}

#[test]
fn plain_feedback_comes_back_unchanged_and_borrowed() {
    for text in [
        "The checkout page takes forever to load, sometimes 40 seconds.",
        "Version 2.3.1 crashes on start. It worked in 2.3.0!",
        "Thanks to the last update the app is unusable: it crashes every time",
        "thanks for nothing, search still takes a minute",
        "",
    ] {
        let out = strip(text);
        assert!(matches!(out, std::borrow::Cow::Borrowed(_)), "{text:?} -> {out:?}");
        assert_eq!(out, text);
    }
}
