//! The `--json` report: stable wire types, documented in `docs/json-report.md`.
//!
//! These types are the compatibility promise; analysis types are not
//! serialisable on purpose. Bump [`SCHEMA`] on any incompatible change.

use serde::Serialize;
use serde_json::{Map, Value};
use zopa_analysis::{Concept, Frontier, Point, Solution, Unblocking};
use zopa_model::{RedLineRef, Scenario};

use super::Report;

/// Schema identifier written in every report.
pub const SCHEMA: &str = "zopa.analysis/1";

#[derive(Serialize)]
struct Wire<'a> {
    schema: &'static str,
    scenario: WScenario<'a>,
    summary: Vec<super::summary::Finding>,
    actors: Vec<WActor<'a>>,
    issues: Vec<WIssue<'a>>,
    evidence: WEvidence,
    space: WSpace,
    agreement_frontier: WFrontier<'a>,
    space_frontier: WFrontier<'a>,
    ideal: Map<String, Value>,
    solutions: Map<String, Value>,
    status_quo: Option<WStatusQuo<'a>>,
    blocking: Vec<WBlocking<'a>>,
    joint_blocking: WJoint<'a>,
    combination_blocking: Vec<WCombinationBlocking<'a>>,
    unblocking: Option<WUnblocking>,
    robustness: Option<Value>,
}

#[derive(Serialize)]
struct WDropped<'a> {
    red_lines: Vec<WRedLine>,
    combinations: Vec<WCombination<'a>>,
    agreement_if_dropped: u64,
    nash_if_dropped: Option<WSolution<'a>>,
}

/// A combination rejected together: `{actor, options: {issue: option}}`.
#[derive(Serialize)]
struct WCombination<'a> {
    actor: &'a str,
    options: WPairs<'a>,
}

/// `(issue, option)` pairs as an `issue → option id` map, in issue order.
struct WPairs<'a>(&'a Scenario, &'a [(usize, usize)]);

impl Serialize for WPairs<'_> {
    fn serialize<S: serde::Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = ser.serialize_map(Some(self.1.len()))?;
        for &(i, o) in self.1 {
            let issue = &self.0.issues()[i];
            m.serialize_entry(&issue.id, &issue.options[o].id)?;
        }
        m.end()
    }
}

#[derive(Serialize)]
struct WCombinationBlocking<'a> {
    #[serde(flatten)]
    combination: WCombination<'a>,
    also_rejected_by: Vec<&'a str>,
    alone_removes: u64,
    agreement_if_dropped: u64,
    nash_if_dropped: Option<WSolution<'a>>,
    all_copies_dropped: Option<WAllCopies<'a>>,
}

#[derive(Serialize)]
struct WAllCopies<'a> {
    agreement_if_dropped: u64,
    nash_if_dropped: Option<WSolution<'a>>,
}

#[derive(Serialize)]
struct WActorDropped<'a> {
    actor: &'a str,
    #[serde(flatten)]
    dropped: WDropped<'a>,
}

#[derive(Serialize)]
struct WJoint<'a> {
    per_actor: Vec<WActorDropped<'a>>,
    pairs: Vec<WDropped<'a>>,
    nash_changers: Vec<WDropped<'a>>,
    nash_changers_truncated: bool,
    budget_exhausted: bool,
}

#[derive(Serialize)]
struct WStatusQuo<'a> {
    package: WPackage<'a>,
    in_agreement_space: bool,
    refused_by: Vec<&'a str>,
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
    analyst_options: usize,
}

#[derive(Serialize)]
struct WSpace {
    size: u64,
    no_red_line: u64,
    agreement: u64,
}

#[derive(Serialize)]
struct WFrontier<'a> {
    size: usize,
    listed: usize,
    packages: WPackages<'a>,
}

/// The first `listed` packages of a frontier, each decoded as it is written.
struct WPackages<'a> {
    s: &'a Scenario,
    frontier: &'a Frontier,
    listed: usize,
}

impl Serialize for WPackages<'_> {
    fn serialize<S: serde::Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = ser.serialize_seq(Some(self.listed))?;
        for p in self.frontier.iter().take(self.listed) {
            seq.serialize_element(&package(self.s, &p.to_point()))?;
        }
        seq.end()
    }
}

/// A package, serialised straight from the analysis (no per-package maps:
/// a frontier of a million packages costs no more than its text).
struct WPackage<'a> {
    s: &'a Scenario,
    p: &'a Point,
}

struct WOptions<'a>(&'a Scenario, &'a [usize]);
struct WUtilities<'a>(&'a Scenario, &'a [f64]);

impl Serialize for WOptions<'_> {
    fn serialize<S: serde::Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = ser.serialize_map(Some(self.1.len()))?;
        for (i, &o) in self.0.issues().iter().zip(self.1) {
            m.serialize_entry(&i.id, &i.options[o].id)?;
        }
        m.end()
    }
}

impl Serialize for WUtilities<'_> {
    fn serialize<S: serde::Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = ser.serialize_map(Some(self.1.len()))?;
        for (a, u) in self.0.actors().iter().zip(self.1) {
            m.serialize_entry(&a.id, u)?;
        }
        m.end()
    }
}

impl WPackage<'_> {
    fn fields<S: serde::ser::SerializeStruct>(&self, st: &mut S) -> Result<(), S::Error> {
        st.serialize_field("index", &self.p.index)?;
        st.serialize_field("options", &WOptions(self.s, &self.p.options))?;
        st.serialize_field("utilities", &WUtilities(self.s, &self.p.utilities))
    }
}

impl Serialize for WPackage<'_> {
    fn serialize<S: serde::Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = ser.serialize_struct("Package", 3)?;
        self.fields(&mut st)?;
        st.end()
    }
}

struct WSolution<'a> {
    value: f64,
    package: WPackage<'a>,
}

impl Serialize for WSolution<'_> {
    fn serialize<S: serde::Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = ser.serialize_struct("Solution", 4)?;
        st.serialize_field("value", &self.value)?;
        self.package.fields(&mut st)?;
        st.end()
    }
}

#[derive(Serialize)]
struct WRedLine {
    actor: String,
    issue: String,
    option: String,
}

#[derive(Serialize)]
struct WBlocking<'a> {
    #[serde(flatten)]
    red_line: WRedLine,
    violating: u64,
    also_rejected_by: Vec<String>,
    alone_removes: u64,
    agreement_if_dropped: u64,
    nash_if_dropped: Option<WSolution<'a>>,
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

fn package<'a>(s: &'a Scenario, p: &'a Point) -> WPackage<'a> {
    WPackage { s, p }
}

fn solution<'a>(s: &'a Scenario, x: &'a Solution) -> WSolution<'a> {
    WSolution {
        value: x.value,
        package: package(s, &x.point),
    }
}

fn dropped<'a>(s: &'a Scenario, d: &'a zopa_analysis::Dropped) -> WDropped<'a> {
    WDropped {
        red_lines: d.red_lines.iter().map(|&r| red_line(s, r)).collect(),
        combinations: d
            .combinations
            .iter()
            .map(|&(a, k)| combination(s, a, k))
            .collect(),
        agreement_if_dropped: d.agreement_if_dropped,
        nash_if_dropped: d.nash_if_dropped.as_ref().map(|x| solution(s, x)),
    }
}

fn joint<'a>(s: &'a Scenario, j: &'a zopa_analysis::Joint) -> WJoint<'a> {
    WJoint {
        per_actor: j
            .per_actor
            .iter()
            .map(|(a, d)| WActorDropped {
                actor: &s.actors()[*a].id,
                dropped: dropped(s, d),
            })
            .collect(),
        pairs: j.pairs.iter().map(|d| dropped(s, d)).collect(),
        nash_changers: j.nash_changers.iter().map(|d| dropped(s, d)).collect(),
        nash_changers_truncated: j.nash_changers_truncated,
        budget_exhausted: j.budget_exhausted,
    }
}

/// `{actor, options: {issue: option}}`.
fn combination(s: &Scenario, a: usize, k: usize) -> WCombination<'_> {
    WCombination {
        actor: &s.actors()[a].id,
        options: WPairs(s, &s.actors()[a].combinations[k].options),
    }
}

fn red_line(s: &Scenario, r: RedLineRef) -> WRedLine {
    WRedLine {
        actor: s.actors()[r.actor].id.clone(),
        issue: s.issues()[r.issue].id.clone(),
        option: s.issues()[r.issue].options[r.option].id.clone(),
    }
}

/// Write the report as pretty JSON (with a final newline), streaming.
pub fn write(r: &Report<'_>, out: &mut impl std::io::Write) -> std::io::Result<()> {
    let s = r.scenario;
    let a = r.analysis;
    let listed = |n: usize| r.listed(n);
    fn frontier<'a>(s: &'a Scenario, points: &'a Frontier, listed: usize) -> WFrontier<'a> {
        WFrontier {
            size: points.len(),
            listed,
            packages: WPackages {
                s,
                frontier: points,
                listed,
            },
        }
    }
    let ev = r.evidence();
    let sq = r.status_quo();
    let wire = Wire {
        schema: SCHEMA,
        summary: r.summary(),
        scenario: WScenario {
            id: &s.meta().id,
            title: &s.meta().title,
            origin: r.origin,
        },
        actors: s
            .actors()
            .iter()
            .map(|x| WActor {
                id: &x.id,
                name: &x.name,
                power: x.power,
                reservation: x.reservation,
                weights: s
                    .issues()
                    .iter()
                    .zip(&x.weights)
                    .map(|(i, &w)| (i.id.clone(), num(w)))
                    .collect(),
            })
            .collect(),
        issues: s
            .issues()
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
            evidenced: ev.quoted,
            assumptions: ev.assumed,
            analyst_options: ev.analyst_options,
        },
        space: WSpace {
            size: a.space_size,
            no_red_line: a.no_red_line_size,
            agreement: a.agreement_size,
        },
        agreement_frontier: frontier(s, &a.agreement_frontier, listed(a.agreement_frontier.len())),
        space_frontier: frontier(s, &a.space_frontier, listed(a.space_frontier.len())),
        ideal: s
            .actors()
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
        status_quo: sq.as_ref().map(|v| WStatusQuo {
            package: package(s, &v.point),
            in_agreement_space: v.refused_by.is_empty(),
            refused_by: v
                .refused_by
                .iter()
                .map(|&k| s.actors()[k].id.as_str())
                .collect(),
        }),
        blocking: a
            .blocking
            .iter()
            .map(|b| WBlocking {
                red_line: red_line(s, b.red_line),
                violating: b.violating,
                also_rejected_by: b
                    .also_rejected_by
                    .iter()
                    .map(|&x| s.actors()[x].id.clone())
                    .collect(),
                alone_removes: b.alone_removes,
                agreement_if_dropped: b.agreement_if_dropped,
                nash_if_dropped: b.nash_if_dropped.as_ref().map(|x| solution(s, x)),
            })
            .collect(),
        joint_blocking: joint(s, &a.joint),
        combination_blocking: a
            .combinations
            .iter()
            .map(|c| WCombinationBlocking {
                combination: combination(s, c.actor, c.index),
                also_rejected_by: c
                    .also_rejected_by
                    .iter()
                    .map(|&x| s.actors()[x].id.as_str())
                    .collect(),
                alone_removes: c.alone_removes,
                agreement_if_dropped: c.agreement_if_dropped,
                nash_if_dropped: c.nash_if_dropped.as_ref().map(|x| solution(s, x)),
                all_copies_dropped: c.all_copies_dropped.as_ref().map(|(n, x)| WAllCopies {
                    agreement_if_dropped: *n,
                    nash_if_dropped: x.as_ref().map(|x| solution(s, x)),
                }),
            })
            .collect(),
        robustness: r.robustness.map(|x| super::robust::document(s, a, x)),
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
    serde_json::to_writer_pretty(&mut *out, &wire)?;
    out.write_all(b"\n")
}
