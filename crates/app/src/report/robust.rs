//! The robustness study as a report shows it: how often each package is in
//! the ZOPA and is the Nash package, the ZOPA's size, and which conclusions
//! of the analysis hold in at least 90% of the runs.

use serde::Serialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;
use zopa_analysis::robustness::Robustness;
use zopa_analysis::{Analysis, Concept};
use zopa_model::{OutcomeSpace, Scenario};

/// A conclusion holds when it is true in at least this share of runs.
pub const HOLDS: f64 = 0.9;

/// One conclusion of the analysis and how often the runs bear it out.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = robustness::Conclusion)]
pub struct Conclusion {
    /// The conclusion, in words.
    pub text: String,
    /// Share of runs in which it is true.
    pub share: f64,
    /// `share ≥ 0.9`.
    pub holds: bool,
}

/// `zopa.analysis/1`'s `robustness`: how the conclusions fare when the
/// analyst's assumptions move within their bands.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = robustness::Study)]
pub struct RobustnessDoc {
    /// Monte Carlo runs.
    pub runs: usize,
    /// Seed.
    pub seed: u64,
    /// How far each kind of assumption moves.
    pub bands: BandsDoc,
    /// How many assumptions of each kind were perturbed.
    pub perturbed: PerturbedDoc,
    /// Share of runs with a non-empty ZOPA.
    pub zopa_nonempty: f64,
    /// The ZOPA's size over the runs.
    pub zopa_size: SizeDoc,
    /// Every package that was the Nash package in some run.
    pub nash: Vec<NashShare>,
    /// Every package in the ZOPA (or the Nash package) in some run, most
    /// often first.
    pub packages: Vec<PackageShare>,
    /// The analysis's conclusions and how often they hold.
    pub conclusions: Vec<Conclusion>,
}

/// The perturbation bands.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = robustness::Bands)]
pub struct BandsDoc {
    /// Option values move by up to this much.
    pub value: f64,
    /// Saliences scale by up to this factor.
    pub salience: f64,
    /// Reservations move by up to this much.
    pub reservation: f64,
    /// Probability that an assumed red line is dropped.
    pub red_line_drop: f64,
    /// Probability that a stated demand becomes a red line.
    pub red_line_add: f64,
    /// Probability that an assumed status quo moves.
    pub status_quo_move: f64,
}

/// Assumptions perturbed, by kind.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = robustness::Perturbed)]
pub struct PerturbedDoc {
    /// Option values.
    pub values: usize,
    /// Saliences.
    pub saliences: usize,
    /// Reservations.
    pub reservations: usize,
    /// Red lines and combinations.
    pub red_lines: usize,
    /// Status quo options.
    pub status_quo: usize,
    /// Interaction terms.
    pub interactions: usize,
    /// Stated demands that may become red lines.
    pub demands: usize,
}

/// A size over the runs.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = robustness::Size)]
pub struct SizeDoc {
    /// Median.
    pub median: u64,
    /// 5th percentile.
    pub p5: u64,
    /// 95th percentile.
    pub p95: u64,
}

/// A package that was the Nash package in some runs.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = robustness::NashShare)]
pub struct NashShare {
    /// Its number.
    pub index: u64,
    /// Issue id → option id.
    #[schema(value_type = HashMap<String, String>)]
    pub options: Map<String, Value>,
    /// Share of runs in which it is the Nash package.
    pub share: f64,
    /// Share of runs in which it is in the ZOPA.
    pub in_zopa: f64,
}

/// A package in the ZOPA in some runs.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = robustness::PackageShare)]
pub struct PackageShare {
    /// Its number.
    pub index: u64,
    /// Issue id → option id.
    #[schema(value_type = HashMap<String, String>)]
    pub options: Map<String, Value>,
    /// Share of runs in which it is in the ZOPA.
    pub in_zopa: f64,
    /// Share of runs in which it is the Nash package.
    pub nash: f64,
}

fn options(s: &Scenario, space: &OutcomeSpace, index: u64) -> Map<String, Value> {
    crate::documents::option_map(s, &space.options_of(index))
}

/// `none arms_aid backstop consulted europe_led`.
pub fn package_words(s: &Scenario, options: &[usize]) -> String {
    s.issues()
        .iter()
        .zip(options)
        .map(|(i, &o)| i.options[o].id.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The conclusions of `a` checked against the runs of `r`.
pub fn conclusions(s: &Scenario, a: &Analysis, r: &Robustness) -> Vec<Conclusion> {
    let runs = r.params.runs.max(1) as f64;
    let c = |text: String, n: u64| {
        let share = n as f64 / runs;
        Conclusion {
            text,
            share,
            holds: share >= HOLDS,
        }
    };
    let space = OutcomeSpace::new(&s.radices(), u64::MAX).expect("the study walked it");
    let mut out = Vec::new();
    if a.agreement_size > 0 {
        out.push(c("The ZOPA is not empty".into(), r.nonempty));
    } else {
        out.push(c(
            "The ZOPA is empty".into(),
            r.params.runs as u64 - r.nonempty,
        ));
    }
    if let Some(nash) = a.solution(Concept::Nash) {
        let words = package_words(s, &nash.point.options);
        let same = r
            .nash
            .iter()
            .find(|(p, _)| *p == nash.point.index)
            .map_or(0, |x| u64::from(x.1));
        out.push(c(format!("The Nash package is {words}"), same));
        out.push(c(
            format!("{words} is in the ZOPA"),
            u64::from(r.in_zopa[nash.point.index as usize]),
        ));
        for (i, issue) in s.issues().iter().enumerate() {
            let o = nash.point.options[i];
            let n: u64 = r
                .nash
                .iter()
                .filter(|(p, _)| space.options_of(*p)[i] == o)
                .map(|x| u64::from(x.1))
                .sum();
            out.push(c(
                format!("The Nash package has {}={}", issue.id, issue.options[o].id),
                n,
            ));
        }
    }
    out
}

/// Percentile `q` of sorted `xs` (nearest rank).
fn percentile(xs: &[u64], q: f64) -> u64 {
    if xs.is_empty() {
        return 0;
    }
    let k = ((q * xs.len() as f64).ceil() as usize).clamp(1, xs.len());
    xs[k - 1]
}

/// The ZOPA's size over the runs: (median, 5th, 95th percentile).
pub fn sizes(r: &Robustness) -> (u64, u64, u64) {
    (
        percentile(&r.sizes, 0.5),
        percentile(&r.sizes, 0.05),
        percentile(&r.sizes, 0.95),
    )
}

/// The `robustness` object of `zopa.analysis/1`.
pub fn document(s: &Scenario, a: &Analysis, r: &Robustness) -> RobustnessDoc {
    let runs = r.params.runs.max(1) as f64;
    let space = OutcomeSpace::new(&s.radices(), u64::MAX).expect("the study walked it");
    let b = &r.params.bands;
    let (values, saliences, reservations, red_lines, status_quo, interactions) = r.assumed.counts();
    let (median, p5, p95) = sizes(r);
    let nash_of = |p: u64| {
        r.nash
            .iter()
            .find(|(q, _)| *q == p)
            .map_or(0.0, |x| f64::from(x.1) / runs)
    };
    let mut packages: Vec<(u64, u32)> = r
        .in_zopa
        .iter()
        .enumerate()
        .filter(|(p, &n)| n > 0 || nash_of(*p as u64) > 0.0)
        .map(|(p, &n)| (p as u64, n))
        .collect();
    packages.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
    RobustnessDoc {
        runs: r.params.runs,
        seed: r.params.seed,
        bands: BandsDoc {
            value: b.value,
            salience: b.salience,
            reservation: b.reservation,
            red_line_drop: b.red_line_drop,
            red_line_add: b.red_line_add,
            status_quo_move: b.status_quo_move,
        },
        perturbed: PerturbedDoc {
            values,
            saliences,
            reservations,
            red_lines,
            status_quo,
            interactions,
            demands: r.demands,
        },
        zopa_nonempty: r.nonempty as f64 / runs,
        zopa_size: SizeDoc { median, p5, p95 },
        nash: r
            .nash
            .iter()
            .map(|&(p, n)| NashShare {
                index: p,
                options: options(s, &space, p),
                share: f64::from(n) / runs,
                in_zopa: f64::from(r.in_zopa[p as usize]) / runs,
            })
            .collect(),
        packages: packages
            .iter()
            .map(|&(p, n)| PackageShare {
                index: p,
                options: options(s, &space, p),
                in_zopa: f64::from(n) / runs,
                nash: nash_of(p),
            })
            .collect(),
        conclusions: conclusions(s, a, r),
    }
}
