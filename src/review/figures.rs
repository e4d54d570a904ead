//! The KPIs as the review shows them: one decimal, `null` (and "no responses") without
//! responses, the month-over-month tests with their words, and the NPS by what the comment is
//! about. The arithmetic is `kpi`'s.

use super::kpi::{self, Csat, MonthChange, Nps, one_decimal};
use crate::domain::SurveyType;
use crate::store::SurveyResponse;
use serde::Serialize;

/// An NPS, one decimal; `score` and `ci95` are `null` without responses.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NpsFigure {
    pub score: Option<f64>,
    pub ci95: Option<[f64; 2]>,
    pub responses: u64,
    pub promoters: u64,
    pub passives: u64,
    pub detractors: u64,
}

impl NpsFigure {
    pub fn of(nps: Option<&Nps>) -> Self {
        Self {
            score: nps.map(|n| one_decimal(n.score)),
            ci95: nps.map(|n| [one_decimal(n.ci95.0), one_decimal(n.ci95.1)]),
            responses: nps.map_or(0, |n| n.responses),
            promoters: nps.map_or(0, |n| n.promoters),
            passives: nps.map_or(0, |n| n.passives),
            detractors: nps.map_or(0, |n| n.detractors),
        }
    }
}

/// A CSAT, one decimal; `percent` and `ci95` are `null` without responses.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CsatFigure {
    pub percent: Option<f64>,
    pub ci95: Option<[f64; 2]>,
    pub responses: u64,
    pub satisfied: u64,
}

impl CsatFigure {
    pub fn of(csat: Option<&Csat>) -> Self {
        Self {
            percent: csat.map(|c| one_decimal(c.percent)),
            ci95: csat.map(|c| [one_decimal(c.ci95.0), one_decimal(c.ci95.1)]),
            responses: csat.map_or(0, |c| c.responses),
            satisfied: csat.map_or(0, |c| c.satisfied),
        }
    }
}

/// A KPI's change from last month and its test, with the words the Markdown shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChangeFigure {
    pub difference: f64,
    pub p_value: Option<f64>,
    pub significant: bool,
    pub text: String,
}

impl ChangeFigure {
    pub fn of(change: &MonthChange, unit: &str) -> Self {
        Self {
            difference: one_decimal(change.difference),
            p_value: change.p_value,
            significant: change.significant,
            text: change.describe(unit),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Kpis {
    pub nps: NpsFigure,
    pub csat: CsatFigure,
    /// Against last month; `null` when either month has no responses.
    pub nps_change: Option<ChangeFigure>,
    pub csat_change: Option<ChangeFigure>,
    /// This month's NPS of respondents whose comment is tagged performance, reliability, neither.
    pub nps_by_tag: NpsByTagFigure,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NpsByTagFigure {
    pub performance: NpsFigure,
    pub reliability: NpsFigure,
    pub neither: NpsFigure,
}

/// The NPS and CSAT of some responses, and their changes from `previous` ones.
pub fn kpis(current: &[SurveyResponse], previous: &[SurveyResponse]) -> Kpis {
    let (nps_now, csat_now) = (kpi::nps(&scores(current, true)), kpi::csat(&scores(current, false)));
    let (nps_before, csat_before) = (kpi::nps(&scores(previous, true)), kpi::csat(&scores(previous, false)));
    let answers: Vec<(i64, bool, bool)> =
        current.iter().filter(|r| is_nps(r)).map(|r| (r.survey.score, r.performance, r.reliability)).collect();
    let by_tag = kpi::nps_by_tag(&answers);
    Kpis {
        nps: NpsFigure::of(nps_now.as_ref()),
        csat: CsatFigure::of(csat_now.as_ref()),
        nps_change: nps_now.as_ref().zip(nps_before.as_ref()).map(|(a, b)| ChangeFigure::of(&kpi::nps_change(a, b), "points")),
        csat_change: csat_now
            .as_ref()
            .zip(csat_before.as_ref())
            .map(|(a, b)| ChangeFigure::of(&kpi::csat_change(a, b), "percentage points")),
        nps_by_tag: NpsByTagFigure {
            performance: NpsFigure::of(by_tag.performance.as_ref()),
            reliability: NpsFigure::of(by_tag.reliability.as_ref()),
            neither: NpsFigure::of(by_tag.neither.as_ref()),
        },
    }
}

pub fn is_nps(r: &SurveyResponse) -> bool {
    r.survey.survey_type == SurveyType::Nps
}

/// The NPS (`nps`) or CSAT scores among `responses`.
pub fn scores(responses: &[SurveyResponse], nps: bool) -> Vec<i64> {
    responses.iter().filter(|r| is_nps(r) == nps).map(|r| r.survey.score).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_without_responses_show_no_responses_and_no_change() {
        let k = kpis(&[], &[]);
        assert_eq!((k.nps.score, k.nps.ci95, k.nps.responses), (None, None, 0));
        assert_eq!((k.csat.percent, k.csat.ci95, k.csat.responses), (None, None, 0));
        assert_eq!((k.nps_change, k.csat_change), (None, None));
        assert_eq!(crate::review::render::nps(&k.nps), "no responses");
        assert_eq!(crate::review::render::csat(&k.csat), "no responses");
        assert_eq!(crate::review::render::nps(&k.nps_by_tag.performance), "no responses");
    }
}
