//! One negotiation for every surface: strategies assigned by actor, the
//! protocol run with its events streamed to a sink, the agreement placed in
//! the agreement space, and the documents (`zopa.simulation/1`, and one JSON
//! Lines object per trace event).

use serde_json::{json, Map, Value};
use zopa_analysis::{distance, distance_to_frontier, Concept, Solution};
use zopa_model::{limits, Scenario};
use zopa_simulation::{
    by_name, play, Event, Outcome, Protocol, Session, Settings, SettingsError, Strategy,
};

use crate::report::summary::combination_text;
use crate::AppError;

/// What to play.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    /// `ACTOR=STRATEGY` assignments; every other actor plays `boulware`.
    pub strategies: Vec<String>,
    /// Protocol.
    pub protocol: Protocol,
    /// Deadline in rounds.
    pub deadline: usize,
    /// Seed (strategies that draw at random, the mediator).
    pub seed: u64,
    /// Discount factor per round applied to the agreement's utilities.
    pub discount: Option<f64>,
    /// Largest deadline accepted.
    pub max_rounds: u64,
}

impl Default for Request {
    fn default() -> Self {
        Request {
            strategies: vec![],
            protocol: Protocol::Saop,
            deadline: 100,
            seed: 1,
            discount: None,
            max_rounds: limits::MAX_ROUNDS,
        }
    }
}

/// One simulation as its document, `zopa.simulation/1`, for every surface
/// that answers a document (the CLI prints rounds as it plays them): with
/// `trace`, every event as well, offers with every party's utility — held
/// in memory, so a traced simulation's deadline is bounded by
/// [`limits::MAX_TRACED_ROUNDS`].
pub fn simulate(s: &Scenario, req: &Request, trace: bool) -> Result<Value, AppError> {
    if trace {
        limits::check(
            "the deadline of a simulation whose trace is returned (rounds)",
            req.deadline as u128,
            limits::MAX_TRACED_ROUNDS,
            None,
        )?;
    }
    let sim = prepare(s, req)?;
    let mut events = Vec::new();
    let out = sim.play(&mut |e| {
        if trace {
            events.push(sim.event_with_utilities(&e));
        }
    });
    let placement = sim.place(&out)?;
    let mut doc = sim.document(&out, &placement);
    if trace {
        doc["trace"] = Value::Array(events);
    }
    Ok(doc)
}

/// A checked negotiation, ready to play.
pub struct Prepared<'s> {
    /// The scenario.
    pub scenario: &'s Scenario,
    /// Every party's utilities of every outcome.
    pub session: Session,
    /// Each actor's strategy spec.
    pub names: Vec<String>,
    /// Protocol settings.
    pub settings: Settings,
    /// Protocol.
    pub protocol: Protocol,
}

/// Check a request against a scenario: strategies, settings and sizes.
pub fn prepare<'s>(s: &'s Scenario, req: &Request) -> Result<Prepared<'s>, AppError> {
    let session = Session::new(s, limits::MAX_SESSION_PACKAGES)
        .map_err(|e| AppError::Engine(format!("{e} (simulation enumerates outcomes per party)")))?;
    let mut names: Vec<String> = vec!["boulware".into(); s.actors().len()];
    for spec in &req.strategies {
        let (actor, strat) = spec.split_once('=').ok_or_else(|| {
            AppError::Usage(format!("a strategy is ACTOR=STRATEGY, got `{spec}`"))
        })?;
        let a = s
            .actors()
            .iter()
            .position(|x| x.id == actor)
            .ok_or_else(|| {
                let ids: Vec<&str> = s.actors().iter().map(|x| x.id.as_str()).collect();
                AppError::Usage(format!(
                    "unknown actor `{actor}` (actors: {})",
                    ids.join(", ")
                ))
            })?;
        by_name(strat).map_err(AppError::Usage)?;
        names[a] = strat.to_string();
    }
    let settings = Settings {
        deadline: req.deadline,
        seed: req.seed,
        trace: false,
        discount: req.discount,
    };
    settings.check(req.max_rounds).map_err(|e| match e {
        SettingsError::TooManyRounds(l) => AppError::Refused(l),
        other => AppError::Usage(other.to_string()),
    })?;
    Ok(Prepared {
        scenario: s,
        session,
        names,
        settings,
        protocol: req.protocol,
    })
}

/// Where an agreement lands relative to the agreement space.
#[derive(Debug, Clone, PartialEq)]
pub struct Placement {
    /// Packages in the agreement space (ZOPA).
    pub agreement_size: u64,
    /// The Nash package, if the agreement space is not empty.
    pub nash: Option<Solution>,
    /// Distance of the agreement to the agreement space's Pareto frontier.
    pub to_frontier: Option<f64>,
    /// Distance of the agreement to the Nash package.
    pub to_nash: Option<f64>,
}

/// A negotiation played: its outcome and how it ended.
#[derive(Debug, Clone, PartialEq)]
pub struct Played {
    /// The outcome.
    pub outcome: Outcome,
    /// Each party's last offer (`None` if it made none: mediated protocols).
    pub last_offers: Vec<Option<u64>>,
    /// The party that walked away, and the round, if one did.
    pub left: Option<(usize, usize)>,
}

/// Why an actor would refuse an outcome as a deal.
#[derive(Debug, Clone, PartialEq)]
pub enum Refusal {
    /// It crosses the actor's red line on (issue, option).
    RedLine(usize, usize),
    /// It holds a combination of options the actor rejects together (index
    /// into the actor's combinations).
    Combination(usize),
    /// It gives the actor less than its reservation: (utility, reservation).
    Reservation(f64, f64),
}

impl Prepared<'_> {
    /// Play, handing every event to `sink` as it happens.
    pub fn play(&self, sink: &mut dyn FnMut(Event)) -> Played {
        let mut strategies: Vec<Box<dyn Strategy>> = self
            .names
            .iter()
            .map(|n| by_name(n).expect("checked by prepare"))
            .collect();
        let mut last_offers = vec![None; self.scenario.n_actors()];
        let mut left = None;
        let outcome = play(
            &self.session,
            self.protocol,
            &mut strategies,
            &self.settings,
            &mut |e: Event| {
                match e {
                    Event::Offer { party, outcome, .. } => last_offers[party] = Some(outcome),
                    Event::End { round, party } => left = Some((party, round)),
                    _ => {}
                }
                sink(e)
            },
        );
        Played {
            outcome,
            last_offers,
            left,
        }
    }

    /// Who would refuse outcome `o` as a deal, and why (every red line it
    /// crosses; the reservation when no red line is crossed but the utility
    /// falls short), by actor.
    pub fn refusals(&self, o: u64) -> Vec<(usize, Refusal)> {
        let opts = self.session.space().options_of(o);
        let u = self.session.utilities(o);
        let mut out = Vec::new();
        for (k, a) in self.scenario.actors().iter().enumerate() {
            let before = out.len();
            for (i, &x) in opts.iter().enumerate() {
                if a.positions[i].rejects(x) {
                    out.push((k, Refusal::RedLine(i, x)));
                }
            }
            for (c, comb) in a.combinations.iter().enumerate() {
                if comb.hit(&opts) {
                    out.push((k, Refusal::Combination(c)));
                }
            }
            if out.len() == before && !a.accepts(&opts, u[k]) {
                out.push((k, Refusal::Reservation(u[k], a.reservation)));
            }
        }
        out
    }

    /// A refusal in words: `ukraine (red line guarantee=political)`.
    pub fn refusal_text(&self, (k, r): &(usize, Refusal)) -> String {
        let s = self.scenario;
        let who = &s.actors()[*k].id;
        match *r {
            Refusal::RedLine(i, x) => format!(
                "{who} (red line {}={})",
                s.issues()[i].id,
                s.issues()[i].options[x].id
            ),
            Refusal::Combination(c) => {
                format!("{who} (rejects together {})", combination_text(s, *k, c))
            }
            Refusal::Reservation(u, r) => format!("{who} (utility {u:.2} < reservation {r:.2})"),
        }
    }

    /// Why no agreement was reached: `walked_away` or `deadline`, with
    /// each party's last offer and who would refuse it.
    fn ending(&self, p: &Played) -> Value {
        if p.outcome.agreement.is_some() {
            return Value::Null;
        }
        let s = self.scenario;
        json!({
            "cause": if p.left.is_some() { "walked_away" } else { "deadline" },
            "left": p.left.map(|(k, round)| json!({"party": s.actors()[k].id, "round": round})),
            "last_offers": p.last_offers.iter().enumerate().filter_map(|(k, o)| o.map(|o| json!({
                "party": s.actors()[k].id,
                "outcome": o,
                "package": self.package(o),
                "refused_by": self.refusals(o).iter().map(|(a, r)| match *r {
                    Refusal::RedLine(i, x) => json!({"actor": s.actors()[*a].id, "red_line": {"issue": s.issues()[i].id, "option": s.issues()[i].options[x].id}}),
                    Refusal::Combination(c) => json!({"actor": s.actors()[*a].id, "combination": combination_text(s, *a, c)}),
                    Refusal::Reservation(u, res) => json!({"actor": s.actors()[*a].id, "utility": u, "reservation": res}),
                }).collect::<Vec<_>>(),
            }))).collect::<Vec<_>>(),
        })
    }

    /// An outcome as `issue=option` pairs.
    /// A trace event as [`Prepared::event_json`] gives it, with, for an
    /// offer, every party's utility of the offered outcome (what a plot of
    /// concessions draws).
    pub fn event_with_utilities(&self, e: &Event) -> Value {
        let mut v = self.event_json(e);
        if let Event::Offer { outcome, .. } = *e {
            let u = self.session.utilities(outcome);
            let by_actor: serde_json::Map<String, Value> = self
                .scenario
                .actors()
                .iter()
                .zip(u)
                .map(|(a, x)| (a.id.clone(), json!(x)))
                .collect();
            v["utilities"] = Value::Object(by_actor);
        }
        v
    }

    pub fn package(&self, o: u64) -> String {
        let opts = self.session.space().options_of(o);
        self.scenario
            .issues()
            .iter()
            .zip(&opts)
            .map(|(i, &x)| format!("{}={}", i.id, i.options[x].id))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Place the outcome in the agreement space.
    pub fn place(&self, played: &Played) -> Result<Placement, AppError> {
        let out = &played.outcome;
        let analysis = zopa_analysis::analyze(self.scenario, &Default::default())?;
        let nash = analysis.solution(Concept::Nash).cloned();
        let u = out.utilities.as_deref();
        Ok(Placement {
            agreement_size: analysis.agreement_size,
            to_frontier: u.and_then(|u| {
                distance_to_frontier(u, analysis.agreement_frontier.iter().map(|p| p.utilities))
            }),
            to_nash: u.and_then(|u| nash.as_ref().map(|n| distance(u, &n.point.utilities))),
            nash,
        })
    }

    /// `zopa.simulation/1`.
    pub fn document(&self, played: &Played, placement: &Placement) -> Value {
        let (s, out) = (self.scenario, &played.outcome);
        json!({
            "schema": "zopa.simulation/1",
            "protocol": self.protocol.name(),
            "deadline": self.settings.deadline,
            "seed": self.settings.seed,
            "strategies": s.actors().iter().zip(&self.names).map(|(a, n)| json!({"actor": a.id, "strategy": n})).collect::<Vec<_>>(),
            "rounds": out.rounds,
            "discount": self.settings.discount,
            "discounted_utilities": out.discounted,
            "agreement": out.agreement.map(|o| json!({
                "outcome": o,
                "package": self.session.space().options_of(o).iter().zip(s.issues()).map(|(&x, i)| (i.id.clone(), json!(i.options[x].id))).collect::<Map<_, _>>(),
                "utilities": s.actors().iter().zip(out.utilities.as_ref().expect("with agreement")).map(|(a, u)| (a.id.clone(), json!(u))).collect::<Map<_, _>>(),
            })),
            "distance_to_pareto": placement.to_frontier,
            "distance_to_nash": placement.to_nash,
            "no_agreement": self.ending(played),
        })
    }

    /// One trace event as a JSON Lines object.
    pub fn event_json(&self, e: &Event) -> Value {
        let actor = |p: usize| self.scenario.actors()[p].id.as_str();
        match *e {
            Event::Offer {
                round,
                party,
                outcome,
            } => {
                json!({"round": round, "party": actor(party), "action": "offer", "outcome": outcome, "package": self.package(outcome)})
            }
            Event::Accept {
                round,
                party,
                outcome,
            } => {
                json!({"round": round, "party": actor(party), "action": "accept", "outcome": outcome})
            }
            Event::Reject { round, party } => {
                json!({"round": round, "party": actor(party), "action": "reject"})
            }
            Event::End { round, party } => {
                json!({"round": round, "party": actor(party), "action": "end"})
            }
            Event::Mediator {
                round,
                outcome,
                adopted,
            } => {
                json!({"round": round, "party": "mediator", "action": "propose", "outcome": outcome, "adopted": adopted})
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builtin::default_loaded as default_scenario;

    /// A returned trace is bounded before anything is played; without a
    /// trace the same deadline plays, and the trace holds every offer with
    /// every party's utility.
    #[test]
    fn a_returned_trace_is_bounded() {
        let l = default_scenario();
        let long = Request {
            deadline: limits::MAX_TRACED_ROUNDS as usize + 1,
            ..Request::default()
        };
        let e = simulate(&l.scenario, &long, true).unwrap_err();
        assert!(
            matches!(e, AppError::Refused(_)) && e.to_string().contains("above the limit of 10000"),
            "{e}"
        );
        let doc = simulate(&l.scenario, &long, false).unwrap();
        assert!(doc.get("trace").is_none());
        let doc = simulate(&l.scenario, &Request::default(), true).unwrap();
        let trace = doc["trace"].as_array().unwrap();
        let offer = trace.iter().find(|e| e["action"] == "offer").unwrap();
        assert_eq!(offer["utilities"].as_object().unwrap().len(), 4);
    }
}
