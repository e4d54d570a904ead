//! Typeform: `form_response` webhooks of an NPS or CSAT form. Which question holds the score
//! and which the comment is configured by the questions' `ref`s (Typeform's stable field
//! references, set in the form's editor), and the scale by `PUSHBACK_SOURCES__TYPEFORM__SURVEY`.
//!
//! The response's `token` is the external id (the delivery's `event_id` when there is none), so
//! a redelivered response changes nothing. The account comes from the form's hidden fields:
//! `account` (or `account_id`), else the company domain of `email`.

use super::{ParseContext, Parsed, text_at, time_at};
use crate::domain::{AccountRef, FieldError, Kind, NewFeedback, Source, SurveyScore, SurveyType, company_domain};
use crate::text::html_to_text;
use serde_json::Value;

/// The form's settings, as configured (checked when a response arrives, so the error names
/// the variable to set).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SurveyForm {
    pub score_field: Option<String>,
    pub comment_field: Option<String>,
    pub survey: Option<String>,
}

impl SurveyForm {
    fn survey_type(&self) -> Result<SurveyType, FieldError> {
        let raw = self.survey.as_deref().map(str::trim).unwrap_or_default();
        raw.parse::<SurveyType>().map_err(|_| {
            FieldError::new(
                "survey.type",
                format!(
                    "survey.type is not configured for Typeform: set PUSHBACK_SOURCES__TYPEFORM__SURVEY to nps or csat (it is '{raw}')"
                ),
            )
        })
    }

    fn score_ref(&self) -> Result<&str, FieldError> {
        self.score_field.as_deref().map(str::trim).filter(|s| !s.is_empty()).ok_or_else(|| {
            FieldError::new(
                "survey.score",
                "survey.score has no question: set PUSHBACK_SOURCES__TYPEFORM__SCORE_FIELD to the ref of the form's score question",
            )
        })
    }
}

pub fn parse(json: &Value, ctx: &ParseContext) -> Result<Parsed, FieldError> {
    match json.get("event_type").and_then(Value::as_str) {
        Some("form_response") => {}
        Some(other) => return Ok(Parsed::Ignored(format!("typeform event type {other} is not a form response"))),
        None => return Err(FieldError::new("event_type", "is required: Typeform sends \"form_response\"")),
    }
    let response = json
        .get("form_response")
        .filter(|r| r.is_object())
        .ok_or_else(|| FieldError::new("form_response", "is required: the submitted response"))?;
    let form = &ctx.survey_form;
    let survey_type = form.survey_type()?;
    let score_ref = form.score_ref()?;
    let answers: &[Value] = response.get("answers").and_then(Value::as_array).map_or(&[], Vec::as_slice);
    let score = score_answer(answers, score_ref)?;
    let survey = SurveyScore::new(survey_type, score)
        .map_err(|e| FieldError::new("survey.score", format!("{} (the answer to '{score_ref}')", e.message)))?;
    let comment = form
        .comment_field
        .as_deref()
        .and_then(|r| answer(answers, r.trim()))
        .and_then(|a| text_at(a, &["text"]))
        .map(|t| html_to_text(&t).trim().to_string())
        .unwrap_or_default();
    let id = text_at(response, &["token"])
        .or_else(|| text_at(json, &["event_id"]))
        .ok_or_else(|| FieldError::new("form_response.token", "is required: the response's unique token"))?;
    let submitted = time_at(response, &["submitted_at"]);
    Ok(Parsed::Items(vec![NewFeedback {
        source: Source::Typeform,
        external_id: id,
        kind: Kind::Survey,
        account: hidden_account(response.get("hidden")),
        subject: String::new(),
        body: comment,
        tags: Vec::new(),
        url: None,
        created_at: submitted.unwrap_or(ctx.received_at),
        updated_at: submitted,
        lost_arr_cents: None,
        account_record: None,
        survey: Some(survey),
    }]))
}

/// The answer to the question whose `field.ref` is `reference`.
fn answer<'a>(answers: &'a [Value], reference: &str) -> Option<&'a Value> {
    answers.iter().find(|a| a.get("field").and_then(|f| f.get("ref")).and_then(Value::as_str) == Some(reference))
}

/// The score question's answer: Typeform sends number, opinion scale, rating and NPS answers
/// as `{"type": "number", "number": n}`.
fn score_answer(answers: &[Value], score_ref: &str) -> Result<i64, FieldError> {
    let Some(a) = answer(answers, score_ref) else {
        return Err(FieldError::new(
            "survey.score",
            format!(
                "survey.score is missing: the response has no answer to the score question '{score_ref}' (PUSHBACK_SOURCES__TYPEFORM__SCORE_FIELD)"
            ),
        ));
    };
    match a.get("number") {
        Some(Value::Number(n)) => n
            .as_i64()
            .ok_or_else(|| FieldError::new("survey.score", format!("survey.score must be a whole number; '{score_ref}' was answered {n}"))),
        _ => Err(FieldError::new(
            "survey.score",
            format!(
                "survey.score must be a number: the answer to '{score_ref}' is of type '{}'; use a number, opinion scale, rating or NPS question",
                a.get("type").and_then(Value::as_str).unwrap_or("unknown")
            ),
        )),
    }
}

/// `hidden.account` (or `account_id`) as the account, else the company domain of `hidden.email`.
fn hidden_account(hidden: Option<&Value>) -> AccountRef {
    let Some(hidden) = hidden.filter(|h| h.is_object()) else {
        return AccountRef::default();
    };
    let id = text_at(hidden, &["account"])
        .or_else(|| text_at(hidden, &["account_id"]))
        .or_else(|| text_at(hidden, &["email"]).as_deref().and_then(company_domain));
    AccountRef { id, name: text_at(hidden, &["company"]).or_else(|| text_at(hidden, &["account_name"])) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ctx(survey: &str) -> ParseContext {
        ParseContext {
            survey_form: SurveyForm {
                score_field: Some("nps_score".into()),
                comment_field: Some("why".into()),
                survey: Some(survey.into()),
            },
            ..ParseContext::now()
        }
    }

    /// The shape of Typeform's documented example payload, with an NPS and a long-text question.
    fn response(score: &Value, hidden: &Value) -> Value {
        json!({
            "event_id": "01HXYZ3crgy", "event_type": "form_response",
            "form_response": {
                "form_id": "lT4Z3j", "token": "a3a12ec67a1365927098a606107fac15",
                "landed_at": "2026-11-14T09:10:02Z", "submitted_at": "2026-11-14T09:12:00Z",
                "hidden": hidden,
                "definition": {"id": "lT4Z3j", "title": "How are we doing?", "fields": [
                    {"id": "Y9iBtCD8VxVW", "title": "How likely are you to recommend us?", "type": "nps", "ref": "nps_score"},
                    {"id": "DlXFaesGBpoF", "title": "Why?", "type": "long_text", "ref": "why"}]},
                "answers": [
                    {"type": "number", "number": score, "field": {"id": "Y9iBtCD8VxVW", "type": "nps", "ref": "nps_score"}},
                    {"type": "text", "text": "Search takes forever to load", "field": {"id": "DlXFaesGBpoF", "type": "long_text", "ref": "why"}}]
            }
        })
    }

    #[test]
    fn a_response_becomes_a_survey_item_with_score_comment_and_account() {
        let Parsed::Items(items) = parse(&response(&json!(3), &json!({"account": "acme", "email": "kim@acme.io"})), &ctx("nps")).unwrap()
        else {
            panic!()
        };
        let it = &items[0];
        assert_eq!((it.source, it.kind), (Source::Typeform, Kind::Survey));
        assert_eq!(it.external_id, "a3a12ec67a1365927098a606107fac15");
        assert_eq!(it.survey, Some(SurveyScore { survey_type: SurveyType::Nps, score: 3 }));
        assert_eq!(it.body, "Search takes forever to load");
        assert_eq!(it.account.id.as_deref(), Some("acme"));
        assert_eq!(it.created_at.to_rfc3339(), "2026-11-14T09:12:00+00:00");
    }

    #[test]
    fn the_account_falls_back_to_the_email_domain_and_the_comment_may_be_absent() {
        let mut v = response(&json!(9), &json!({"email": "kim@globex.com"}));
        v["form_response"]["answers"].as_array_mut().unwrap().pop();
        let Parsed::Items(items) = parse(&v, &ctx("nps")).unwrap() else { panic!() };
        assert_eq!(items[0].account.id.as_deref(), Some("globex.com"));
        assert_eq!(items[0].body, "");
        let Parsed::Items(items) = parse(&response(&json!(9), &json!({"email": "kim@gmail.com"})), &ctx("nps")).unwrap() else { panic!() };
        assert_eq!(items[0].account.id, None, "free mail is no company");
    }

    #[test]
    fn missing_or_out_of_range_scores_name_survey_score() {
        let mut no_score = response(&json!(3), &Value::Null);
        no_score["form_response"]["answers"].as_array_mut().unwrap().remove(0);
        let cases = [
            (no_score, "nps", "nps_score"),
            (response(&json!(11), &Value::Null), "nps", "0-10"),
            (response(&json!(0), &Value::Null), "csat", "1-5"),
            (response(&json!(4.5), &Value::Null), "csat", "whole number"),
            (response(&json!("4"), &Value::Null), "csat", "must be a number"),
        ];
        for (v, survey, needle) in cases {
            let err = parse(&v, &ctx(survey)).unwrap_err();
            assert_eq!(err.field, "survey.score", "{v}");
            assert!(err.message.contains("survey.score") && err.message.contains(needle), "{}", err.message);
        }
        assert!(parse(&response(&json!(5), &Value::Null), &ctx("csat")).is_ok());
    }

    #[test]
    fn an_unconfigured_form_names_the_variable_and_other_events_are_ignored() {
        let err = parse(&response(&json!(3), &Value::Null), &ctx("ces")).unwrap_err();
        assert_eq!(err.field, "survey.type");
        assert!(err.message.contains("PUSHBACK_SOURCES__TYPEFORM__SURVEY"), "{}", err.message);
        let no_field =
            ParseContext { survey_form: SurveyForm { survey: Some("nps".into()), ..SurveyForm::default() }, ..ParseContext::now() };
        let err = parse(&response(&json!(3), &Value::Null), &no_field).unwrap_err();
        assert!(err.message.contains("PUSHBACK_SOURCES__TYPEFORM__SCORE_FIELD"), "{}", err.message);
        assert!(matches!(parse(&json!({"event_type": "form_partial"}), &ctx("nps")), Ok(Parsed::Ignored(_))));
        assert_eq!(parse(&json!({"event_type": "form_response"}), &ctx("nps")).unwrap_err().field, "form_response");
    }
}
