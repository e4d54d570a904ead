//! The training knobs `eval`, `train` and `bench` share.

use crate::classify::train::TrainParams;

/// Training knobs; the defaults are the measured best (BENCHMARKS.md).
#[derive(Debug, Clone, clap::Args)]
pub struct TrainKnobs {
    /// Vocabulary size kept by chi-square selection (the width of linfa's dense matrix).
    #[arg(long, default_value_t = TrainParams::default().max_features)]
    pub max_features: usize,
    /// L2 regularisation strength.
    #[arg(long, default_value_t = TrainParams::default().alpha)]
    pub alpha: f32,
    /// Oversample the reliability head's minority class up to this fraction of the majority (0 = off; performance: 0.3).
    #[arg(long, default_value_t = TrainParams::default().balance)]
    pub balance: f32,
    /// Decision threshold on the reliability head's probability (and the performance head's
    /// when `--performance-threshold` is not given and the recipe has none).
    #[arg(long, default_value_t = TrainParams::default().threshold)]
    pub threshold: f32,
    /// Decision threshold on the performance head's probability (default: the recipe's own).
    #[arg(long)]
    pub performance_threshold: Option<f32>,
    /// The linfa model that fits the heads.
    #[arg(long, value_enum, default_value_t = TrainParams::default().solver)]
    pub solver: crate::classify::train::Solver,
    /// FTRL passes over the data.
    #[arg(long, default_value_t = TrainParams::default().epochs)]
    pub epochs: usize,
    /// FTRL learning rate.
    #[arg(long, default_value_t = TrainParams::default().learning_rate)]
    pub learning_rate: f32,
    /// L-BFGS iteration cap.
    #[arg(long, default_value_t = TrainParams::default().max_iterations)]
    pub max_iterations: u64,
}

impl TrainKnobs {
    pub fn params(&self) -> TrainParams {
        TrainParams {
            max_features: self.max_features,
            alpha: self.alpha,
            balance: self.balance,
            threshold: self.threshold,
            performance_threshold: self.performance_threshold.or(TrainParams::default().performance_threshold),
            solver: self.solver,
            epochs: self.epochs,
            learning_rate: self.learning_rate,
            max_iterations: self.max_iterations,
            ..Default::default()
        }
    }
}
