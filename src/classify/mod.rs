//! Text in, tags out: a linfa-trained linear model plus regex rules and topics. Pure: no
//! storage, no Slack; callers load the model and rules and hand them in.

pub mod boilerplate;
pub mod definitions;
pub mod emerging;
pub mod eval;
pub mod features;
pub mod glossary;
pub mod model;
pub mod quality;
pub mod reasons;
pub mod recipe;
pub mod retrain;
pub mod rules;
pub mod rules_check;
pub mod seed;
pub mod stored_topics;
pub mod train;
pub mod uncertainty;

use crate::domain::{Category, Classification};
use model::Model;
use rules::{Action, Rules};
use std::sync::Arc;

/// A loaded model and compiled rules: cheap to clone, safe to share across tasks.
#[derive(Debug, Clone)]
pub struct Classifier {
    pub model: Arc<Model>,
    pub rules: Arc<Rules>,
}

impl Classifier {
    pub fn new(model: Model, rules: Rules) -> Self {
        Self { model: Arc::new(model), rules: Arc::new(rules) }
    }

    /// (performance, reliability) for each example's text: what `eval` scores.
    pub fn predict_examples(&self, examples: &[train::Example]) -> Vec<(bool, bool)> {
        examples
            .iter()
            .map(|e| {
                let c = self.classify_text(&e.text);
                (c.performance, c.reliability)
            })
            .collect()
    }

    /// The model's leave-one-data-set-out quality (precision and recall per tag on real reviews
    /// it had not seen, with the data sets' names and sizes), when its training measured it.
    /// `quality::describe_precision` words it for people.
    pub fn held_out_quality(&self) -> Option<&quality::HeldOutQuality> {
        self.model.held_out.as_ref()
    }

    /// `model/rules` versions, stored beside every result.
    pub fn version(&self) -> String {
        [self.model.version.as_str(), "/", self.rules.version.as_str()].concat()
    }

    pub fn classify(&self, subject: &str, body: &str) -> Classification {
        let text = if subject.is_empty() { body.to_string() } else { format!("{subject}\n{body}") };
        self.classify_text(&text)
    }

    /// Model decision first (a probability over the threshold, with at least one of the
    /// item's own terms pushing towards the category), then rules: a force turns a category
    /// on, a veto turns it off and beats a force. The explanation lists the rules that took
    /// effect (`rule:`, `veto:`) and the words that decided the model (`term:`).
    pub fn classify_text(&self, text: &str) -> Classification {
        // What the customer wrote, without greetings, sign-offs, quoted replies and form
        // fields: the model was trained on text cleaned the same way.
        let cleaned = boilerplate::strip(text);
        let text = cleaned.as_ref();
        let p = self.model.predict(text);
        // Text with no known words falls back to the intercept, which class balancing puts
        // near 0.5: a category needs a reason.
        let mut decided = [
            p.performance >= self.model.performance.threshold && p.performance_supported,
            p.reliability >= self.model.reliability.threshold && p.reliability_supported,
        ];
        let mut forces: [Vec<&str>; 2] = [Vec::new(), Vec::new()];
        let mut vetoes: [Vec<&str>; 2] = [Vec::new(), Vec::new()];
        let matches = self.rules.scan(text);
        for rule in matches.rules {
            let slot = rule.category as usize;
            match rule.action {
                Action::Force => forces[slot].push(&rule.name),
                Action::Veto => vetoes[slot].push(&rule.name),
            }
        }
        let mut explanation = Vec::new();
        let terms = [&p.performance_terms, &p.reliability_terms];
        for slot in 0..2 {
            if !vetoes[slot].is_empty() {
                if decided[slot] || !forces[slot].is_empty() {
                    explanation.extend(vetoes[slot].iter().map(|v| format!("veto:{v}")));
                }
                decided[slot] = false;
            } else if !forces[slot].is_empty() {
                decided[slot] = true;
                explanation.extend(forces[slot].iter().map(|f| format!("rule:{f}")));
            }
            if decided[slot] {
                for &(term, _) in terms[slot].iter().take(3) {
                    let label = format!("term:{}", self.model.term(term));
                    if !explanation.contains(&label) {
                        explanation.push(label);
                    }
                }
            }
        }
        let [performance, reliability] = decided;
        let topics = matches
            .topics
            .into_iter()
            .filter(|t| match t.category {
                Some(Category::Performance) => performance,
                Some(Category::Reliability) => reliability,
                None => true,
            })
            .map(|t| t.slug.clone())
            .collect();
        Classification {
            performance,
            reliability,
            score_performance: f64::from(p.performance),
            score_reliability: f64::from(p.reliability),
            explanation,
            topics,
            model_version: self.version(),
        }
    }
}
