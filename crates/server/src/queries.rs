//! The query string of each scenario route: one struct per route, each
//! listing only what that route reads, so an option of another route (a
//! `deadline` sent to `/analyze`) is a 400, not silently ignored. Each
//! converts into the application's request; defaults are the app's.

use serde::de::DeserializeOwned;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::problem::Problem;

/// What every scenario route's query holds: the built-in to use instead of
/// a body, and the outcome-space limit.
pub trait RouteQuery: DeserializeOwned + Send + 'static {
    /// `?scenario=NAME`.
    fn scenario(&self) -> Option<&str>;
    /// `?limit=N`.
    fn limit(&self) -> Option<u64>;
}

macro_rules! route_query {
    ($($t:ty),*) => {$(
        impl RouteQuery for $t {
            fn scenario(&self) -> Option<&str> {
                self.scenario.as_deref()
            }
            fn limit(&self) -> Option<u64> {
                self.limit
            }
        }
    )*};
}

route_query!(
    ValidateQuery,
    AnalyzeQuery,
    BriefQuery,
    ForecastQuery,
    SimulateQuery,
    ConvertQuery,
    SpaceQuery,
    ScoreQuery
);

/// `POST /api/v1/validate`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ValidateQuery {
    /// A built-in scenario instead of a body (`GET /api/v1/scenarios`
    /// lists them).
    #[param(example = "security-guarantees")]
    pub scenario: Option<String>,
    /// Refuse imported outcome spaces above this many packages (default and
    /// maximum: 10,000,000).
    #[param(minimum = 1, maximum = 10000000)]
    pub limit: Option<u64>,
}

/// `POST /api/v1/analyze`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AnalyzeQuery {
    /// A built-in scenario instead of a body.
    #[param(example = "security-guarantees")]
    pub scenario: Option<String>,
    /// Refuse outcome spaces above this many packages (default and maximum:
    /// 10,000,000).
    #[param(minimum = 1, maximum = 10000000)]
    pub limit: Option<u64>,
    /// Frontier packages listed (0 = all; default 10).
    pub top: Option<usize>,
    /// Monte Carlo runs of the robustness study over every assumption (at
    /// most 100,000; none by default); `seed` seeds it.
    #[param(minimum = 1, maximum = 100000)]
    pub robustness: Option<usize>,
    /// Seed of the robustness study (default 1).
    pub seed: Option<u64>,
    /// Packages the search for critical assumptions may walk in all
    /// (default 20,000,000; 0 turns it off).
    pub critical_budget: Option<u64>,
    /// Let the search for critical assumptions vary quoted claims too
    /// (default false).
    pub vary_quoted: Option<bool>,
    /// Also compare the scenario as written with its interpretations and
    /// zopa's stress tests (default false).
    pub compare: Option<bool>,
}

impl AnalyzeQuery {
    /// The application's request.
    pub fn request(&self, limit: u64) -> zopa_app::analyze::AnalyzeRequest {
        let d = zopa_app::analyze::AnalyzeRequest::default();
        zopa_app::analyze::AnalyzeRequest {
            top: self.top.unwrap_or(d.top),
            limit,
            robustness: self.robustness,
            seed: self.seed.unwrap_or(d.seed),
            critical_budget: self.critical_budget.unwrap_or(d.critical_budget),
            vary_quoted: self.vary_quoted.unwrap_or(d.vary_quoted),
            compare: self.compare.unwrap_or(d.compare),
            ..d
        }
    }
}

/// `POST /api/v1/brief`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct BriefQuery {
    /// A built-in scenario instead of a body.
    #[param(example = "security-guarantees")]
    pub scenario: Option<String>,
    /// Refuse outcome spaces above this many packages (default and maximum:
    /// 10,000,000).
    #[param(minimum = 1, maximum = 10000000)]
    pub limit: Option<u64>,
}

/// `POST /api/v1/forecast`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ForecastQuery {
    /// A built-in scenario instead of a body.
    #[param(example = "security-guarantees")]
    pub scenario: Option<String>,
    /// Refuse imported outcome spaces above this many packages (default and
    /// maximum: 10,000,000).
    #[param(minimum = 1, maximum = 10000000)]
    pub limit: Option<u64>,
    /// One model only (mean, median, nash, eum, smp); all by default.
    pub model: Option<String>,
    /// Sensitivity runs (default 1000, at most 100,000; 0 = none).
    #[param(maximum = 100000)]
    pub runs: Option<usize>,
    /// Seed of the sensitivity analysis (default 1).
    pub seed: Option<u64>,
}

impl ForecastQuery {
    /// The application's request.
    pub fn request(&self) -> zopa_app::forecast::Request {
        let d = zopa_app::forecast::Request::default();
        zopa_app::forecast::Request {
            model: self.model.clone(),
            runs: self.runs.unwrap_or(d.runs),
            seed: self.seed.unwrap_or(d.seed),
            ..d
        }
    }
}

/// `POST /api/v1/simulate`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SimulateQuery {
    /// A built-in scenario instead of a body.
    #[param(example = "security-guarantees")]
    pub scenario: Option<String>,
    /// Refuse imported outcome spaces above this many packages (default and
    /// maximum: 10,000,000).
    #[param(minimum = 1, maximum = 10000000)]
    pub limit: Option<u64>,
    /// `ACTOR=STRATEGY` assignments, comma-separated (the others play the
    /// default strategy).
    pub strategies: Option<String>,
    /// Protocol: saop (default), veto or hill.
    pub protocol: Option<String>,
    /// Deadline in rounds (default 100).
    #[param(minimum = 1)]
    pub deadline: Option<usize>,
    /// Seed (default 1).
    pub seed: Option<u64>,
    /// Discount factor per round, in (0, 1]; none by default.
    pub discount: Option<f64>,
    /// Add `trace`: every event with every party's utility of each offer
    /// (deadline at most 10,000 rounds).
    pub trace: Option<bool>,
}

impl SimulateQuery {
    /// The application's request, and whether the trace is returned.
    pub fn request(&self) -> Result<(zopa_app::simulate::Request, bool), Problem> {
        let d = zopa_app::simulate::Request::default();
        let req = zopa_app::simulate::Request {
            strategies: self
                .strategies
                .as_deref()
                .map(|s| s.split(',').map(str::to_string).collect())
                .unwrap_or_default(),
            protocol: match &self.protocol {
                Some(p) => p.parse().map_err(|e: String| Problem::bad(e))?,
                None => d.protocol,
            },
            deadline: self.deadline.unwrap_or(d.deadline),
            seed: self.seed.unwrap_or(d.seed),
            discount: self.discount,
            ..d
        };
        Ok((req, self.trace.unwrap_or(false)))
    }
}

/// `POST /api/v1/reference`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ReferenceQuery {
    /// Refuse outcome spaces above this many packages (default and maximum:
    /// 10,000,000).
    #[param(minimum = 1, maximum = 10000000)]
    pub limit: Option<u64>,
    /// List at most this many frontier points (default and maximum
    /// 500,000).
    #[param(minimum = 1, maximum = 500000)]
    pub max_frontier: Option<u64>,
}

impl RouteQuery for ReferenceQuery {
    fn scenario(&self) -> Option<&str> {
        None
    }
    fn limit(&self) -> Option<u64> {
        self.limit
    }
}

/// `POST /api/v1/convert`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ConvertQuery {
    /// A built-in scenario instead of a body.
    #[param(example = "security-guarantees")]
    pub scenario: Option<String>,
    /// Refuse outcome spaces above this many packages (default and maximum:
    /// 10,000,000).
    #[param(minimum = 1, maximum = 10000000)]
    pub limit: Option<u64>,
    /// The target format: toml, json, genius or geniusweb (required).
    pub to: Option<String>,
}

/// `POST /api/v1/space`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SpaceQuery {
    /// A built-in scenario instead of a body.
    #[param(example = "security-guarantees")]
    pub scenario: Option<String>,
    /// Refuse outcome spaces above this many packages (default and maximum:
    /// 10,000,000).
    #[param(minimum = 1, maximum = 10000000)]
    pub limit: Option<u64>,
    /// Most packages listed (default 20,000, at most 200,000); a larger
    /// space is sampled.
    #[param(minimum = 1, maximum = 200000)]
    pub points: Option<u64>,
}

/// `POST /api/v1/score`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ScoreQuery {
    /// A built-in scenario instead of a body.
    #[param(example = "security-guarantees")]
    pub scenario: Option<String>,
    /// Refuse outcome spaces above this many packages (default and maximum:
    /// 10,000,000).
    #[param(minimum = 1, maximum = 10000000)]
    pub limit: Option<u64>,
    /// The deal: one option id per issue in issue order, or `issue=option`
    /// pairs covering every issue, separated by commas.
    #[param(example = "monitors,arms_aid,backstop,guarantor,europe_led")]
    pub deal: String,
}
