//! Backfill CSV: `id,kind,subject,body,account_id,created_at,url` (header required; extra
//! columns ignored; `kind`, `subject`, `account_id`, `created_at`, `url` may be empty). Survey
//! responses (`kind` `survey`) need `survey_type` (`nps`/`csat`) and `survey_score` columns;
//! their `body` (the comment) may be empty.

use super::{ParseContext, parse_time};
use crate::domain::{AccountRef, FieldError, Kind, NewFeedback, Source, SurveyScore, SurveyType};
use crate::text::html_to_text;
use std::collections::HashMap;

/// Column positions found in the header.
#[derive(Debug, Clone)]
pub struct CsvHeader {
    index: HashMap<String, usize>,
}

impl CsvHeader {
    pub fn new(record: &csv::StringRecord) -> Result<Self, FieldError> {
        let index: HashMap<String, usize> = record.iter().enumerate().map(|(i, h)| (h.trim().to_ascii_lowercase(), i)).collect();
        for required in ["id", "body"] {
            if !index.contains_key(required) {
                return Err(FieldError::new(
                    "header",
                    format!("missing column '{required}'; expected id,kind,subject,body,account_id,created_at,url"),
                ));
            }
        }
        Ok(Self { index })
    }

    fn get<'a>(&self, record: &'a csv::StringRecord, name: &str) -> Option<&'a str> {
        self.index.get(name).and_then(|&i| record.get(i)).map(str::trim).filter(|s| !s.is_empty())
    }
}

pub fn parse_row(header: &CsvHeader, record: &csv::StringRecord, ctx: &ParseContext) -> Result<NewFeedback, FieldError> {
    let id = header.get(record, "id").ok_or_else(|| FieldError::new("id", "is empty"))?.to_string();
    let kind = header.get(record, "kind").map(str::parse::<Kind>).transpose()?.unwrap_or(Kind::Ticket);
    let body = html_to_text(header.get(record, "body").unwrap_or(""));
    if body.is_empty() && kind != Kind::Survey {
        return Err(FieldError::new("body", "is empty"));
    }
    let survey = survey_columns(header, record)?;
    let created_at = match header.get(record, "created_at") {
        Some(raw) => parse_time(raw).ok_or_else(|| FieldError::new("created_at", format!("'{raw}' is not a date/time (use RFC 3339)")))?,
        None => ctx.received_at,
    };
    let item = NewFeedback {
        source: Source::Csv,
        external_id: id,
        kind,
        account: AccountRef {
            id: header.get(record, "account_id").map(str::to_string),
            name: header.get(record, "account_name").map(str::to_string),
        },
        subject: header.get(record, "subject").unwrap_or("").to_string(),
        body,
        tags: header
            .get(record, "tags")
            .map(|t| t.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect())
            .unwrap_or_default(),
        url: header.get(record, "url").map(str::to_string),
        created_at,
        updated_at: None,
        lost_arr_cents: None,
        account_record: None,
        survey,
    };
    item.check_survey()?;
    Ok(item)
}

/// `survey_type` and `survey_score`, when either is given (`check_survey` then asks both of a
/// survey and refuses them on anything else).
fn survey_columns(header: &CsvHeader, record: &csv::StringRecord) -> Result<Option<SurveyScore>, FieldError> {
    let (kind, score) = (header.get(record, "survey_type"), header.get(record, "survey_score"));
    if kind.is_none() && score.is_none() {
        return Ok(None);
    }
    let kind: SurveyType =
        kind.ok_or_else(|| FieldError::new("survey.type", "survey.type is required with survey_score: nps or csat"))?.parse()?;
    let raw = score.ok_or_else(|| FieldError::new("survey.score", "survey.score is required with survey_type (column survey_score)"))?;
    let score = raw.parse::<i64>().map_err(|_| FieldError::new("survey.score", format!("survey.score must be an integer; got '{raw}'")))?;
    SurveyScore::new(kind, score).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_parse_and_bad_rows_name_the_field() {
        let mut rdr = csv::Reader::from_reader(
            "id,kind,subject,body,account_id,created_at,url\n1,review,,Slow app,acme,2026-11-01T00:00:00Z,\n2,rant,,x,,,\n3,,,,,,\n"
                .as_bytes(),
        );
        let header = CsvHeader::new(rdr.headers().unwrap()).unwrap();
        let rows: Vec<_> = rdr.records().map(|r| parse_row(&header, &r.unwrap(), &ParseContext::now())).collect();
        assert_eq!(rows[0].as_ref().unwrap().kind, Kind::Review);
        assert_eq!(rows[1].as_ref().unwrap_err().field, "kind");
        assert_eq!(rows[2].as_ref().unwrap_err().field, "body");
    }

    #[test]
    fn survey_rows_need_a_score_on_their_scale_and_others_may_not_have_one() {
        let csv = "id,kind,body,survey_type,survey_score\n\
            s1,survey,Search is slow,nps,3\n\
            s2,survey,,csat,5\n\
            s3,survey,no score,,\n\
            s4,survey,x,nps,11\n\
            s5,survey,x,ces,4\n\
            s6,ticket,x,nps,4\n\
            s7,survey,x,nps,four\n";
        let mut rdr = csv::Reader::from_reader(csv.as_bytes());
        let header = CsvHeader::new(rdr.headers().unwrap()).unwrap();
        let rows: Vec<_> = rdr.records().map(|r| parse_row(&header, &r.unwrap(), &ParseContext::now())).collect();
        assert_eq!(rows[0].as_ref().unwrap().survey, Some(SurveyScore { survey_type: SurveyType::Nps, score: 3 }));
        assert_eq!(rows[1].as_ref().unwrap().body, "", "a survey's comment may be empty");
        let fields: Vec<_> = rows[2..].iter().map(|r| r.as_ref().unwrap_err().field.clone()).collect();
        assert_eq!(fields, ["survey.score", "survey.score", "survey.type", "survey", "survey.score"]);
    }

    #[test]
    fn header_without_body_is_refused() {
        let rec = csv::StringRecord::from(vec!["id", "text"]);
        assert!(CsvHeader::new(&rec).unwrap_err().message.contains("'body'"));
    }
}
