//! Our documented JSON format: one object or an array of up to 1,000.
//!
//! ```json
//! {"id": "T-1042", "kind": "ticket", "subject": "Checkout slow", "body": "Takes 30s to pay",
//!  "account": {"id": "acme", "name": "Acme", "plan": "enterprise", "arr_cents": 4800000},
//!  "created_at": "2026-11-02T10:00:00Z", "url": "https://support.example.com/T-1042",
//!  "tags": ["checkout"]}
//! ```
//!
//! A survey response is `"kind": "survey"` with `"survey": {"type": "nps", "score": 3}` (NPS
//! 0-10, CSAT 1-5); its comment is `body`, which may then be empty.

use super::{ParseContext, Parsed, require_body};
use crate::domain::{Account, AccountRef, ArrCents, FieldError, Kind, NewFeedback, Source, SurveyScore};
use crate::text::html_to_text;
use serde_json::Value;

/// Most items one generic request may carry.
pub const MAX_ITEMS: usize = 1000;

pub fn parse(json: &Value, ctx: &ParseContext) -> Result<Parsed, FieldError> {
    let items: Vec<&Value> = match json {
        Value::Array(items) => {
            if items.is_empty() {
                return Err(FieldError::new("body", "array is empty; send at least one item"));
            }
            if items.len() > MAX_ITEMS {
                return Err(FieldError::new("body", format!("{} items; at most {MAX_ITEMS} per request", items.len())));
            }
            items.iter().collect()
        }
        Value::Object(_) => vec![json],
        _ => {
            return Err(FieldError::new("body", "expected a JSON object or an array of objects"));
        }
    };
    let many = items.len() > 1 || json.is_array();
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| parse_item(item, ctx).map_err(|e| if many { FieldError::new(format!("[{i}].{}", e.field), e.message) } else { e }))
        .collect::<Result<Vec<_>, _>>()
        .map(Parsed::Items)
}

fn string_field(item: &Value, name: &str) -> Result<Option<String>, FieldError> {
    match item.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(Value::Number(n)) if name == "id" => Ok(Some(n.to_string())),
        Some(_) => Err(FieldError::new(name, "must be a string")),
    }
}

/// An optional RFC 3339 time field.
fn time_field(item: &Value, name: &str) -> Result<Option<chrono::DateTime<chrono::Utc>>, FieldError> {
    string_field(item, name)?
        .map(|raw| {
            chrono::DateTime::parse_from_rfc3339(&raw)
                .map(|t| t.with_timezone(&chrono::Utc))
                .map_err(|_| FieldError::new(name, format!("'{raw}' is not an RFC 3339 time like 2026-11-02T10:00:00Z")))
        })
        .transpose()
}

/// Parses one item strictly: wrong types are reported, not guessed.
pub fn parse_item(item: &Value, ctx: &ParseContext) -> Result<NewFeedback, FieldError> {
    if !item.is_object() {
        return Err(FieldError::new("item", "must be a JSON object"));
    }
    let id = string_field(item, "id")?
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| FieldError::new("id", "is required: your system's unique id for this item"))?;
    if id.len() > 255 {
        return Err(FieldError::new("id", "is longer than 255 characters"));
    }
    let kind = match string_field(item, "kind")? {
        Some(k) => k.parse::<Kind>()?,
        None => Kind::Ticket,
    };
    let survey = parse_survey(item, kind)?;
    let body = match string_field(item, "body")? {
        // A survey's comment is optional: many respondents give only the score.
        None if kind == Kind::Survey => String::new(),
        None => return Err(FieldError::new("body", "is required: the feedback text")),
        Some(body) if kind == Kind::Survey => html_to_text(&body).trim().to_string(),
        Some(body) => require_body(html_to_text(&body), "body")?,
    };
    let subject = string_field(item, "subject")?.map(|s| html_to_text(&s)).unwrap_or_default();
    let created_at = time_field(item, "created_at")?.unwrap_or(ctx.received_at);
    let updated_at = time_field(item, "updated_at")?;
    let url = string_field(item, "url")?;
    if let Some(u) = &url {
        if !(u.starts_with("https://") || u.starts_with("http://")) {
            return Err(FieldError::new("url", "must be an http(s) link to the original"));
        }
    }
    let tags = match item.get("tags") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(values)) => values
            .iter()
            .map(|t| t.as_str().map(str::to_string).ok_or_else(|| FieldError::new("tags", "must be an array of strings")))
            .collect::<Result<_, _>>()?,
        Some(_) => return Err(FieldError::new("tags", "must be an array of strings")),
    };
    let account_record = parse_account(item.get("account"))?;
    Ok(NewFeedback {
        source: Source::Generic,
        external_id: id,
        kind,
        account: account_record.as_ref().map(|a| AccountRef { id: Some(a.id.clone()), name: a.name.clone() }).unwrap_or_default(),
        subject,
        body,
        tags,
        url,
        created_at,
        updated_at,
        lost_arr_cents: None,
        account_record,
        survey,
    })
}

/// `survey: {"type": "nps" | "csat", "score": <integer>}`: required for `kind: "survey"`,
/// refused on any other kind.
fn parse_survey(item: &Value, kind: Kind) -> Result<Option<SurveyScore>, FieldError> {
    let value = item.get("survey").filter(|v| !v.is_null());
    let Some(value) = value else {
        return if kind == Kind::Survey {
            Err(FieldError::new("survey", "is required for kind \"survey\": {\"type\": \"nps\" or \"csat\", \"score\": <integer>}"))
        } else {
            Ok(None)
        };
    };
    if kind != Kind::Survey {
        return Err(FieldError::new("survey", "is only allowed with \"kind\": \"survey\""));
    }
    let survey_type = match value.get("type") {
        Some(Value::String(t)) => t.parse()?,
        None | Some(Value::Null) => return Err(FieldError::new("survey.type", "survey.type is required: \"nps\" or \"csat\"")),
        Some(_) => return Err(FieldError::new("survey.type", "survey.type must be the string \"nps\" or \"csat\"")),
    };
    let score = match value.get("score") {
        Some(Value::Number(n)) => {
            n.as_i64().ok_or_else(|| FieldError::new("survey.score", format!("survey.score must be a whole number; got {n}")))?
        }
        None | Some(Value::Null) => {
            return Err(FieldError::new("survey.score", "survey.score is required: an integer, 0-10 for NPS or 1-5 for CSAT"));
        }
        Some(_) => return Err(FieldError::new("survey.score", "survey.score must be an integer, 0-10 for NPS or 1-5 for CSAT")),
    };
    SurveyScore::new(survey_type, score).map(Some)
}

fn parse_account(value: Option<&Value>) -> Result<Option<Account>, FieldError> {
    let Some(value) = value.filter(|v| !v.is_null()) else {
        return Ok(None);
    };
    if !value.is_object() {
        return Err(FieldError::new("account", "must be an object {id, name, plan, arr_cents}"));
    }
    let text = |name: &str| -> Result<Option<String>, FieldError> {
        match value.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(Value::Number(n)) if name == "id" => Ok(Some(n.to_string())),
            Some(_) => Err(FieldError::new(format!("account.{name}"), "must be a string")),
        }
    };
    let id =
        text("id")?.filter(|s| !s.trim().is_empty()).ok_or_else(|| FieldError::new("account.id", "is required when account is given"))?;
    let arr_cents = match value.get("arr_cents") {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) => match n.as_i64() {
            Some(c) if c >= 0 => Some(ArrCents(c)),
            _ => {
                return Err(FieldError::new("account.arr_cents", "must be a whole, non-negative number of cents"));
            }
        },
        Some(_) => {
            return Err(FieldError::new("account.arr_cents", "must be a number (integer cents)"));
        }
    };
    Ok(Some(Account { id, name: text("name")?, plan: text("plan")?, arr_cents }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ctx() -> ParseContext {
        ParseContext::now()
    }

    #[test]
    fn full_item_parses() {
        let v = json!({"id": "T-1", "kind": "churn_note", "subject": "Bye", "body": "<p>Too slow</p>",
            "account": {"id": "acme", "name": "Acme", "plan": "pro", "arr_cents": 120000},
            "created_at": "2026-11-02T10:00:00Z", "url": "https://x.example/T-1", "tags": ["a"]});
        let Parsed::Items(items) = parse(&v, &ctx()).unwrap() else { panic!() };
        let it = &items[0];
        assert_eq!(it.kind, Kind::ChurnNote);
        assert_eq!(it.body, "Too slow");
        assert_eq!(it.account.id.as_deref(), Some("acme"));
        assert_eq!(it.account_record.as_ref().unwrap().arr_cents, Some(ArrCents(120_000)));
    }

    #[test]
    fn errors_name_the_field_and_the_index() {
        let cases = [
            (json!({"body": "x"}), "id"),
            (json!({"id": "1"}), "body"),
            (json!({"id": "1", "body": "x", "kind": "rant"}), "kind"),
            (json!({"id": "1", "body": "x", "created_at": "yesterday"}), "created_at"),
            (json!({"id": "1", "body": "x", "account": {"id": "a", "arr_cents": "lots"}}), "account.arr_cents"),
            (json!({"id": "1", "body": "x", "tags": "a,b"}), "tags"),
            (json!({"id": "1", "body": "<p> </p>"}), "body"),
            (json!([{"id": "1", "body": "x"}, {"id": "2"}]), "[1].body"),
        ];
        for (value, field) in cases {
            let err = parse(&value, &ctx()).unwrap_err();
            assert_eq!(err.field, field, "{value}");
        }
    }

    #[test]
    fn survey_responses_parse_with_or_without_a_comment() {
        let v = json!({"id": "S-1", "kind": "survey", "survey": {"type": "nps", "score": 3}, "body": "Too slow"});
        let it = parse_item(&v, &ctx()).unwrap();
        assert_eq!(it.kind, Kind::Survey);
        assert_eq!(it.survey, Some(SurveyScore { survey_type: crate::domain::SurveyType::Nps, score: 3 }));
        assert_eq!(it.body, "Too slow");
        let bare = parse_item(&json!({"id": "S-2", "kind": "survey", "survey": {"type": "csat", "score": 5}}), &ctx()).unwrap();
        assert_eq!(bare.body, "");
        assert_ne!(
            it.content_hash(),
            parse_item(&json!({"id": "S-1", "kind": "survey", "survey": {"type": "nps", "score": 4}, "body": "Too slow"}), &ctx())
                .unwrap()
                .content_hash()
        );
    }

    #[test]
    fn bad_surveys_name_the_field() {
        let survey = |s: Value| json!({"id": "S", "kind": "survey", "body": "x", "survey": s});
        let cases = [
            (survey(json!({"type": "nps", "score": 11})), "survey.score"),
            (survey(json!({"type": "nps", "score": -1})), "survey.score"),
            (survey(json!({"type": "csat", "score": 0})), "survey.score"),
            (survey(json!({"type": "csat", "score": 6})), "survey.score"),
            (survey(json!({"type": "csat", "score": 4.5})), "survey.score"),
            (survey(json!({"type": "csat", "score": "4"})), "survey.score"),
            (survey(json!({"type": "nps"})), "survey.score"),
            (survey(json!({"score": 4})), "survey.type"),
            (survey(json!({"type": "ces", "score": 4})), "survey.type"),
            (json!({"id": "S", "kind": "survey", "body": "x"}), "survey"),
            (json!({"id": "S", "body": "x", "survey": {"type": "nps", "score": 4}}), "survey"),
        ];
        for (value, field) in cases {
            let err = parse(&value, &ctx()).unwrap_err();
            assert_eq!(err.field, field, "{value}");
            assert!(err.message.contains(field), "the message names {field}: {}", err.message);
        }
        assert!(parse(&survey(json!({"type": "nps", "score": 11})), &ctx()).unwrap_err().message.contains("0-10"));
    }

    #[test]
    fn arrays_are_capped() {
        let many: Vec<Value> = (0..=MAX_ITEMS).map(|i| json!({"id": i.to_string(), "body": "x"})).collect();
        assert!(parse(&Value::Array(many), &ctx()).unwrap_err().message.contains("at most 1000"));
    }
}
