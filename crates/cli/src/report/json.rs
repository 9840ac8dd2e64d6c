//! The `--json` report: stable wire types, documented in `docs/json-report.md`.
//!
//! These types are the compatibility promise; analysis types are not
//! serialisable on purpose. Bump [`SCHEMA`] on any incompatible change.

use serde::Serialize;
use serde_json::{Map, Value};
use zopa_analysis::{Concept, Point, Solution, Unblocking};
use zopa_model::{RedLineRef, Scenario};

use super::Report;

/// Schema identifier written in every report.
pub const SCHEMA: &str = "zopa.analysis/1";

#[derive(Serialize)]
struct Wire<'a> {
    schema: &'static str,
    scenario: WScenario<'a>,
    actors: Vec<WActor<'a>>,
    issues: Vec<WIssue<'a>>,
    evidence: WEvidence,
    space: WSpace,
    agreement_frontier: WFrontier,
    space_frontier: WFrontier,
    ideal: Map<String, Value>,
    solutions: Map<String, Value>,
    blocking: Vec<WBlocking>,
    unblocking: Option<WUnblocking>,
}

#[derive(Serialize)]
struct WScenario<'a> {
    id: &'a str,
    title: &'a str,
    origin: &'a str,
}

#[derive(Serialize)]
struct WActor<'a> {
    id: &'a str,
    name: &'a str,
    power: f64,
    reservation: f64,
    weights: Map<String, Value>,
}

#[derive(Serialize)]
struct WIssue<'a> {
    id: &'a str,
    name: &'a str,
    options: Vec<WOption<'a>>,
}

#[derive(Serialize)]
struct WOption<'a> {
    id: &'a str,
    label: &'a str,
}

#[derive(Serialize)]
struct WEvidence {
    claims: usize,
    evidenced: usize,
    assumptions: usize,
}

#[derive(Serialize)]
struct WSpace {
    size: u64,
    no_red_line: u64,
    agreement: u64,
}

#[derive(Serialize)]
struct WFrontier {
    size: usize,
    listed: usize,
    packages: Vec<WPackage>,
}

#[derive(Serialize)]
struct WPackage {
    index: u64,
    options: Map<String, Value>,
    utilities: Map<String, Value>,
}

#[derive(Serialize)]
struct WSolution {
    value: f64,
    #[serde(flatten)]
    package: WPackage,
}

#[derive(Serialize)]
struct WRedLine {
    actor: String,
    issue: String,
    option: String,
}

#[derive(Serialize)]
struct WBlocking {
    #[serde(flatten)]
    red_line: WRedLine,
    violating: u64,
    also_rejected_by: Vec<String>,
    alone_removes: u64,
    agreement_if_dropped: u64,
    nash_if_dropped: Option<WSolution>,
}

#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum WUnblocking {
    Sets {
        sets: Vec<Vec<WRedLine>>,
        truncated: bool,
    },
    ReservationsConflict,
    BudgetExhausted {
        tried: u64,
        exhausted_size: usize,
    },
}

fn num(x: f64) -> Value {
    serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
}

fn package(s: &Scenario, p: &Point) -> WPackage {
    WPackage {
        index: p.index,
        options: s
            .issues
            .iter()
            .zip(&p.options)
            .map(|(i, &o)| (i.id.clone(), Value::String(i.options[o].id.clone())))
            .collect(),
        utilities: s
            .actors
            .iter()
            .zip(&p.utilities)
            .map(|(a, &u)| (a.id.clone(), num(u)))
            .collect(),
    }
}

fn solution(s: &Scenario, x: &Solution) -> WSolution {
    WSolution {
        value: x.value,
        package: package(s, &x.point),
    }
}

fn red_line(s: &Scenario, r: RedLineRef) -> WRedLine {
    WRedLine {
        actor: s.actors[r.actor].id.clone(),
        issue: s.issues[r.issue].id.clone(),
        option: s.issues[r.issue].options[r.option].id.clone(),
    }
}

/// The report as pretty JSON (with a final newline).
pub fn render(r: &Report<'_>) -> String {
    let s = r.scenario;
    let a = r.analysis;
    let frontier = |points: &[Point]| WFrontier {
        size: points.len(),
        listed: r.listed(points.len()),
        packages: points[..r.listed(points.len())]
            .iter()
            .map(|p| package(s, p))
            .collect(),
    };
    let ev = r.evidence();
    let wire = Wire {
        schema: SCHEMA,
        scenario: WScenario {
            id: &s.meta.id,
            title: &s.meta.title,
            origin: r.origin,
        },
        actors: s
            .actors
            .iter()
            .map(|x| WActor {
                id: &x.id,
                name: &x.name,
                power: x.power,
                reservation: x.reservation,
                weights: s
                    .issues
                    .iter()
                    .zip(&x.weights)
                    .map(|(i, &w)| (i.id.clone(), num(w)))
                    .collect(),
            })
            .collect(),
        issues: s
            .issues
            .iter()
            .map(|i| WIssue {
                id: &i.id,
                name: &i.name,
                options: i
                    .options
                    .iter()
                    .map(|o| WOption {
                        id: &o.id,
                        label: &o.label,
                    })
                    .collect(),
            })
            .collect(),
        evidence: WEvidence {
            claims: ev.claims,
            evidenced: ev.evidenced,
            assumptions: ev.assumptions,
        },
        space: WSpace {
            size: a.space_size,
            no_red_line: a.no_red_line_size,
            agreement: a.agreement_size,
        },
        agreement_frontier: frontier(&a.agreement_frontier),
        space_frontier: frontier(&a.space_frontier),
        ideal: s
            .actors
            .iter()
            .zip(&a.ideal)
            .map(|(x, &u)| (x.id.clone(), num(u)))
            .collect(),
        solutions: Concept::ALL
            .iter()
            .map(|&c| {
                let v = a
                    .solution(c)
                    .map(|x| serde_json::to_value(solution(s, x)).expect("plain data"))
                    .unwrap_or(Value::Null);
                (c.key().to_string(), v)
            })
            .collect(),
        blocking: a
            .blocking
            .iter()
            .map(|b| WBlocking {
                red_line: red_line(s, b.red_line),
                violating: b.violating,
                also_rejected_by: b
                    .also_rejected_by
                    .iter()
                    .map(|&x| s.actors[x].id.clone())
                    .collect(),
                alone_removes: b.alone_removes,
                agreement_if_dropped: b.agreement_if_dropped,
                nash_if_dropped: b.nash_if_dropped.as_ref().map(|x| solution(s, x)),
            })
            .collect(),
        unblocking: a.unblocking.as_ref().map(|u| match u {
            Unblocking::Sets { sets, truncated } => WUnblocking::Sets {
                sets: sets
                    .iter()
                    .map(|set| set.iter().map(|&r| red_line(s, r)).collect())
                    .collect(),
                truncated: *truncated,
            },
            Unblocking::ReservationsConflict => WUnblocking::ReservationsConflict,
            Unblocking::BudgetExhausted {
                tried,
                exhausted_size,
            } => WUnblocking::BudgetExhausted {
                tried: *tried,
                exhausted_size: *exhausted_size,
            },
        }),
    };
    serde_json::to_string_pretty(&wire).expect("plain data serialises") + "\n"
}
