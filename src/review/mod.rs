//! The monthly joint review (issue 21): the user-experience KPIs beside what customers complain
//! about, as one data structure that the Markdown and the JSON are both rendered from.

pub mod kpi;
