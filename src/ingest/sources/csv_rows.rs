//! Backfill CSV: `id,kind,subject,body,account_id,created_at,url` (header required; extra
//! columns ignored; `kind`, `subject`, `account_id`, `created_at`, `url` may be empty).

use super::{ParseContext, parse_time};
use crate::domain::{AccountRef, FieldError, Kind, NewFeedback, Source};
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
    let body = html_to_text(header.get(record, "body").unwrap_or(""));
    if body.is_empty() {
        return Err(FieldError::new("body", "is empty"));
    }
    let kind = header.get(record, "kind").map(str::parse::<Kind>).transpose()?.unwrap_or(Kind::Ticket);
    let created_at = match header.get(record, "created_at") {
        Some(raw) => parse_time(raw).ok_or_else(|| FieldError::new("created_at", format!("'{raw}' is not a date/time (use RFC 3339)")))?,
        None => ctx.received_at,
    };
    Ok(NewFeedback {
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
        survey: None,
    })
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
    fn header_without_body_is_refused() {
        let rec = csv::StringRecord::from(vec!["id", "text"]);
        assert!(CsvHeader::new(&rec).unwrap_err().message.contains("'body'"));
    }
}
