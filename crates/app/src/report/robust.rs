//! The robustness study as a report shows it: how often each package is in
//! the ZOPA and is the Nash package, the ZOPA's size, and which conclusions
//! of the analysis hold in at least 90% of the runs.

use serde::Serialize;
use serde_json::{json, Map, Value};
use zopa_analysis::robustness::Robustness;
use zopa_analysis::{Analysis, Concept};
use zopa_model::{OutcomeSpace, Scenario};

/// A conclusion holds when it is true in at least this share of runs.
pub const HOLDS: f64 = 0.9;

/// One conclusion of the analysis and how often the runs bear it out.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Conclusion {
    /// The conclusion, in words.
    pub text: String,
    /// Share of runs in which it is true.
    pub share: f64,
    /// `share ≥ 0.9`.
    pub holds: bool,
}

fn package(s: &Scenario, space: &OutcomeSpace, index: u64) -> Value {
    let options: Map<String, Value> = s
        .issues()
        .iter()
        .zip(space.options_of(index))
        .map(|(i, o)| (i.id.clone(), json!(i.options[o].id)))
        .collect();
    json!({"index": index, "options": options})
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
pub fn document(s: &Scenario, a: &Analysis, r: &Robustness) -> Value {
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
    json!({
        "runs": r.params.runs,
        "seed": r.params.seed,
        "bands": {
            "value": b.value, "salience": b.salience, "reservation": b.reservation,
            "red_line_drop": b.red_line_drop, "status_quo_move": b.status_quo_move,
        },
        "perturbed": {
            "values": values, "saliences": saliences, "reservations": reservations,
            "red_lines": red_lines, "status_quo": status_quo, "interactions": interactions,
        },
        "zopa_nonempty": r.nonempty as f64 / runs,
        "zopa_size": {"median": median, "p5": p5, "p95": p95},
        "nash": r.nash.iter().map(|&(p, n)| {
            let mut v = package(s, &space, p);
            v["share"] = json!(f64::from(n) / runs);
            v["in_zopa"] = json!(f64::from(r.in_zopa[p as usize]) / runs);
            v
        }).collect::<Vec<_>>(),
        "packages": packages.iter().map(|&(p, n)| {
            let mut v = package(s, &space, p);
            v["in_zopa"] = json!(f64::from(n) / runs);
            v["nash"] = json!(nash_of(p));
            v
        }).collect::<Vec<_>>(),
        "conclusions": conclusions(s, a, r),
    })
}
