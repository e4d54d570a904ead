//! Paging by time instead of page numbers, for APIs that list by page number sorted by update
//! time (Help Scout, Freshdesk). Page numbers over a set that changes while it is read skip
//! items: one updated meanwhile moves to the end, every later item shifts back a place, and the
//! first item of the next page slides onto a page already read. So after each page the next
//! request asks again from the newest update time seen, page 1, and moves to the next page
//! number only while a whole page shares one second. Items already taken at or after the bound
//! are remembered in the cursor (`seen`, id -> time) and left out when they come back; a later
//! edit comes through. The next pass reaches `overlap` seconds back, for late-indexed changes.

use super::Step;
use serde_json::{Map, Value, json};

#[derive(Debug, Clone, PartialEq)]
pub struct Keyset {
    pub since: i64,
    pub page: u64,
    seen: Map<String, Value>,
    newest: i64,
}

impl Keyset {
    pub fn start(since: i64) -> Value {
        json!({"since": since, "page": 1, "seen": {}})
    }

    pub fn from_cursor(cursor: &Value) -> Self {
        let since = cursor.get("since").and_then(Value::as_i64).unwrap_or(0);
        Self {
            since,
            page: cursor.get("page").and_then(Value::as_u64).unwrap_or(1).max(1),
            seen: cursor.get("seen").and_then(Value::as_object).cloned().unwrap_or_default(),
            newest: since,
        }
    }

    /// Whether the item `id` updated at `at` is new to this pass (and notes it).
    pub fn take(&mut self, id: &str, at: i64) -> bool {
        self.newest = self.newest.max(at);
        if self.seen.get(id).and_then(Value::as_i64) >= Some(at) {
            return false;
        }
        self.seen.insert(id.to_string(), json!(at));
        true
    }

    fn cursor(&self, since: i64, page: u64) -> Value {
        let seen: Map<String, Value> =
            self.seen.iter().filter(|(_, t)| t.as_i64().unwrap_or(0) >= since).map(|(k, v)| (k.clone(), v.clone())).collect();
        json!({"since": since, "page": page, "seen": seen})
    }

    /// The step after a page: the pass ends without a next page; otherwise ask again from the
    /// newest time seen, or from the next page number when the page did not move time on.
    pub fn next(&self, has_next: bool, overlap: i64) -> Step {
        if !has_next {
            Step::Done(self.cursor(self.newest - overlap, 1))
        } else if self.newest > self.since {
            Step::More(self.cursor(self.newest, 1))
        } else {
            Step::More(self.cursor(self.since, self.page + 1))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeats_are_left_out_and_edits_come_through() {
        let mut k = Keyset::from_cursor(&json!({"since": 100, "page": 1, "seen": {"a": 100}}));
        assert!(!k.take("a", 100), "already taken at the bound");
        assert!(k.take("b", 100));
        assert!(k.take("a", 105), "edited since");
        assert!(!k.take("a", 105));
        assert_eq!(k.next(true, 300), Step::More(json!({"since": 105, "page": 1, "seen": {"a": 105}})));
        assert_eq!(k.next(false, 10), Step::Done(json!({"since": 95, "page": 1, "seen": {"a": 105, "b": 100}})));
    }

    #[test]
    fn a_page_that_does_not_move_time_moves_the_page_number() {
        let mut k = Keyset::from_cursor(&Keyset::start(50));
        assert!(k.take("x", 50));
        assert_eq!(k.next(true, 300), Step::More(json!({"since": 50, "page": 2, "seen": {"x": 50}})));
    }
}
