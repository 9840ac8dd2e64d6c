//! One negotiation for every surface: strategies assigned by actor, the
//! protocol run with its events streamed to a sink, the agreement placed in
//! the agreement space, and the documents (`zopa.simulation/1`, and one JSON
//! Lines object per trace event).

use serde::Serialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;
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
    /// Stops the play (every protocol looks at it each round) and the
    /// placing of the agreement (an analysis) when cancelled: the
    /// simulation then answers [`AppError::Cancelled`].
    pub cancel: zopa_model::Cancel,
}

/// The protocol when the request names none.
pub const DEFAULT_PROTOCOL: Protocol = Protocol::Saop;
/// The deadline in rounds when the request gives none.
pub const DEFAULT_DEADLINE: usize = 100;

impl Default for Request {
    fn default() -> Self {
        Request {
            strategies: vec![],
            protocol: DEFAULT_PROTOCOL,
            deadline: DEFAULT_DEADLINE,
            seed: crate::DEFAULT_SEED,
            discount: None,
            max_rounds: limits::MAX_ROUNDS,
            cancel: zopa_model::Cancel::new(),
        }
    }
}

/// One simulation as its document, `zopa.simulation/1`, for every surface
/// that answers a document (the CLI prints rounds as it plays them): with
/// `trace`, every event as well, offers with every party's utility — held
/// in memory, so a traced simulation's deadline is bounded by
/// [`limits::MAX_TRACED_ROUNDS`].
pub fn simulate(s: &Scenario, req: &Request, trace: bool) -> Result<SimulationDoc, AppError> {
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
    if req.cancel.is_cancelled() {
        return Err(AppError::Cancelled);
    }
    let placement = sim.place(&out)?;
    let mut doc = sim.document(&out, &placement);
    if trace {
        doc.trace = Some(events);
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
    /// Stops placing the agreement.
    pub cancel: zopa_model::Cancel,
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
                    "unknown actor `{actor}`{}",
                    zopa_model::diag::did_you_mean(actor, ids.iter().copied())
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
        cancel: req.cancel.clone(),
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
        cancel: req.cancel.clone(),
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

pub use crate::deal::Refusal;

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

    /// Who would refuse outcome `o` as a deal, and why ([`crate::deal::refusals`]).
    pub fn refusals(&self, o: u64) -> Vec<(usize, Refusal)> {
        let opts = self.session.space().options_of(o);
        crate::deal::refusals(self.scenario, &opts, &self.session.utilities(o))
    }

    /// A refusal in words ([`crate::deal::refusal_text`]).
    pub fn refusal_text(&self, refusal: &(usize, Refusal)) -> String {
        crate::deal::refusal_text(self.scenario, refusal)
    }

    /// Why no agreement was reached: `walked_away`, `deadline` or
    /// `local_optimum`, with each party's last offer (or the mediator's
    /// final text) and who would refuse it.
    fn ending(&self, p: &Played) -> Option<NoAgreement> {
        if p.outcome.agreement.is_some() {
            return None;
        }
        let s = self.scenario;
        let id = |k: usize| s.actors()[k].id.clone();
        let refusal = |(a, r): &(usize, Refusal)| match *r {
            Refusal::RedLine(i, x) => RefusalDoc::RedLine {
                actor: id(*a),
                red_line: IssueOptionDoc {
                    issue: s.issues()[i].id.clone(),
                    option: s.issues()[i].options[x].id.clone(),
                },
            },
            Refusal::Combination(c) => RefusalDoc::Combination {
                actor: id(*a),
                combination: combination_text(s, *a, c),
            },
            Refusal::Reservation(utility, reservation) => RefusalDoc::Reservation {
                actor: id(*a),
                utility,
                reservation,
            },
        };
        Some(NoAgreement {
            cause: if p.left.is_some() {
                "walked_away"
            } else if p.outcome.local_optimum {
                "local_optimum"
            } else {
                "deadline"
            },
            final_text: p.outcome.final_text.map(|o| FinalText {
                outcome: o,
                package: self.package(o),
                refused_by: self.refusals(o).iter().map(refusal).collect(),
            }),
            left: p.left.map(|(k, round)| Left {
                party: id(k),
                round,
            }),
            last_offers: p
                .last_offers
                .iter()
                .enumerate()
                .filter_map(|(k, o)| {
                    o.map(|o| LastOffer {
                        party: id(k),
                        outcome: o,
                        package: self.package(o),
                        refused_by: self.refusals(o).iter().map(refusal).collect(),
                    })
                })
                .collect(),
        })
    }

    /// A trace event as [`Prepared::event_json`] gives it, with, for an
    /// offer or a mediator's text, every party's utility of the outcome
    /// (what a plot of concessions draws).
    pub fn event_with_utilities(&self, e: &Event) -> EventDoc {
        let mut v = self.event_json(e);
        if let Event::Offer { outcome, .. } | Event::Mediator { outcome, .. } = *e {
            let u = self.session.utilities(outcome);
            v.utilities = Some(self.by_actor(&u));
        }
        v
    }

    /// Numbers by actor id, in actor order.
    fn by_actor(&self, values: &[f64]) -> Map<String, Value> {
        self.scenario
            .actors()
            .iter()
            .zip(values)
            .map(|(a, &x)| (a.id.clone(), Value::from(x)))
            .collect()
    }

    /// An outcome as `issue=option` pairs.
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
        // The placement needs the agreement space, its frontier and Nash,
        // not the red-line studies.
        let options = zopa_analysis::Options {
            cancel: self.cancel.clone(),
            studies: false,
            ..Default::default()
        };
        let analysis = zopa_analysis::analyze(self.scenario, &options)?;
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
    pub fn document(&self, played: &Played, placement: &Placement) -> SimulationDoc {
        let (s, out) = (self.scenario, &played.outcome);
        SimulationDoc {
            schema: "zopa.simulation/1",
            protocol: self.protocol.name(),
            deadline: self.settings.deadline,
            seed: self.settings.seed,
            strategies: s
                .actors()
                .iter()
                .zip(&self.names)
                .map(|(a, n)| Assignment {
                    actor: a.id.clone(),
                    strategy: n.clone(),
                })
                .collect(),
            rounds: out.rounds,
            discount: self.settings.discount,
            discounted_utilities: out.discounted.clone(),
            agreement: out.agreement.map(|o| AgreementDoc {
                outcome: o,
                package: crate::documents::option_map(s, &self.session.space().options_of(o)),
                utilities: self.by_actor(out.utilities.as_ref().expect("with agreement")),
                coalition: (!s.decision().is_unanimity()).then(|| {
                    let ids = |keep: &dyn Fn(usize) -> bool| -> Vec<String> {
                        s.actors()
                            .iter()
                            .enumerate()
                            .filter(|(k, _)| keep(*k))
                            .map(|(_, a)| a.id.clone())
                            .collect()
                    };
                    CoalitionDoc {
                        accepted: ids(&|k| out.coalition.contains(&k)),
                        outvoted: ids(&|k| !out.coalition.contains(&k)),
                    }
                }),
            }),
            distance_to_pareto: placement.to_frontier,
            distance_to_nash: placement.to_nash,
            no_agreement: self.ending(played),
            trace: None,
        }
    }

    /// One trace event as a JSON Lines object.
    pub fn event_json(&self, e: &Event) -> EventDoc {
        let actor = |p: usize| self.scenario.actors()[p].id.clone();
        let event = |round, party, action| EventDoc {
            round,
            party,
            action,
            outcome: None,
            package: None,
            adopted: None,
            utilities: None,
        };
        match *e {
            Event::Offer {
                round,
                party,
                outcome,
            } => EventDoc {
                outcome: Some(outcome),
                package: Some(self.package(outcome)),
                ..event(round, actor(party), "offer")
            },
            Event::Accept {
                round,
                party,
                outcome,
            } => EventDoc {
                outcome: Some(outcome),
                ..event(round, actor(party), "accept")
            },
            Event::Reject { round, party } => event(round, actor(party), "reject"),
            Event::End { round, party } => event(round, actor(party), "end"),
            Event::Mediator {
                round,
                outcome,
                adopted,
            } => EventDoc {
                outcome: Some(outcome),
                package: Some(self.package(outcome)),
                adopted: Some(adopted),
                ..event(round, "mediator".to_string(), "propose")
            },
        }
    }
}

/// `zopa.simulation/1`: one negotiation played, and where its agreement
/// lies.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = simulation::Document)]
pub struct SimulationDoc {
    /// `zopa.simulation/1`.
    pub schema: &'static str,
    /// `saop`, `veto` or `hill`.
    pub protocol: &'static str,
    /// Deadline in rounds.
    pub deadline: usize,
    /// Seed.
    pub seed: u64,
    /// Each actor's strategy.
    pub strategies: Vec<Assignment>,
    /// Rounds played.
    pub rounds: usize,
    /// Discount factor per round, if any.
    pub discount: Option<f64>,
    /// Each party's discounted utility of the agreement, when discounted.
    pub discounted_utilities: Option<Vec<f64>>,
    /// The agreement, if one was reached.
    pub agreement: Option<AgreementDoc>,
    /// Distance of the agreement to the Pareto frontier of the agreement
    /// space.
    pub distance_to_pareto: Option<f64>,
    /// Distance of the agreement to the Nash package.
    pub distance_to_nash: Option<f64>,
    /// Why talks failed, when they did.
    pub no_agreement: Option<NoAgreement>,
    /// Every event, offers with every party's utility (only when asked
    /// for).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trace: Option<Vec<EventDoc>>,
}

/// An actor's strategy.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = simulation::Assignment)]
pub struct Assignment {
    /// The actor.
    pub actor: String,
    /// Its strategy.
    pub strategy: String,
}

/// The agreement reached.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = simulation::Agreement)]
pub struct AgreementDoc {
    /// Its package number.
    pub outcome: u64,
    /// Issue id → option id.
    #[schema(value_type = HashMap<String, String>)]
    pub package: Map<String, Value>,
    /// Actor id → utility.
    #[schema(value_type = HashMap<String, f64>)]
    pub utilities: Map<String, Value>,
    /// Under a decision rule other than unanimity: the actors who accepted
    /// it (a winning coalition), and the others, outvoted (absent under
    /// unanimity, where every actor accepted).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coalition: Option<CoalitionDoc>,
}

/// Who carried an agreement under a decision rule.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = simulation::Coalition)]
pub struct CoalitionDoc {
    /// Actor ids who accepted it.
    pub accepted: Vec<String>,
    /// Actor ids outvoted (did not accept, or were not asked).
    pub outvoted: Vec<String>,
}

/// Why talks failed.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = simulation::NoAgreement)]
pub struct NoAgreement {
    /// `walked_away` (a party left), `deadline` (the rounds ran out) or
    /// `local_optimum` (hill climbing found no neighbouring text every
    /// party prefers, before the deadline).
    pub cause: &'static str,
    /// Under the mediated protocols, the mediator's text when talks ended
    /// and who refuses it as a deal.
    pub final_text: Option<FinalText>,
    /// Who walked away, and when.
    pub left: Option<Left>,
    /// Each party's last offer and who would refuse it.
    pub last_offers: Vec<LastOffer>,
}

/// Who walked away, and when.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = simulation::Left)]
pub struct Left {
    /// The party.
    pub party: String,
    /// The round.
    pub round: usize,
}

/// A party's last offer.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = simulation::LastOffer)]
pub struct LastOffer {
    /// The party.
    pub party: String,
    /// Its package number.
    pub outcome: u64,
    /// As `issue=option` pairs.
    pub package: String,
    /// Who would refuse it, and why.
    pub refused_by: Vec<RefusalDoc>,
}

/// The mediator's text when mediated talks ended.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = simulation::FinalText)]
pub struct FinalText {
    /// Its package number.
    pub outcome: u64,
    /// As `issue=option` pairs.
    pub package: String,
    /// Who would refuse it, and why.
    pub refused_by: Vec<RefusalDoc>,
}

/// Why an actor refuses a package.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[serde(untagged)]
#[schema(as = simulation::Refusal)]
pub enum RefusalDoc {
    /// A red line.
    RedLine {
        /// The actor.
        actor: String,
        /// The option it rejects.
        red_line: IssueOptionDoc,
    },
    /// Options it rejects together.
    Combination {
        /// The actor.
        actor: String,
        /// The combination, as `issue=option` pairs.
        combination: String,
    },
    /// Below its reservation.
    Reservation {
        /// The actor.
        actor: String,
        /// Its utility of the package.
        utility: f64,
        /// Its reservation.
        reservation: f64,
    },
}

/// An option of an issue.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = simulation::IssueOption)]
pub struct IssueOptionDoc {
    /// The issue.
    pub issue: String,
    /// The option.
    pub option: String,
}

/// One event of a negotiation (a JSON Lines object of a trace).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = simulation::Event)]
pub struct EventDoc {
    /// The round.
    pub round: usize,
    /// The party acting (`mediator` for a mediator's proposal).
    pub party: String,
    /// `offer`, `accept`, `reject`, `end` or `propose`.
    pub action: &'static str,
    /// The package offered, accepted or proposed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<u64>,
    /// An offer's or a mediator's text's package as `issue=option` pairs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub package: Option<String>,
    /// Whether a mediator's proposal was adopted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adopted: Option<bool>,
    /// An offer's or a mediator's text's utility to every party, by actor
    /// id (in a returned trace).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<HashMap<String, f64>>)]
    pub utilities: Option<Map<String, Value>>,
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
        let doc = serde_json::to_value(simulate(&l.scenario, &long, false).unwrap()).unwrap();
        assert!(doc.get("trace").is_none());
        let doc = serde_json::to_value(simulate(&l.scenario, &Request::default(), true).unwrap())
            .unwrap();
        let trace = doc["trace"].as_array().unwrap();
        let offer = trace.iter().find(|e| e["action"] == "offer").unwrap();
        assert_eq!(offer["utilities"].as_object().unwrap().len(), 4);
    }

    /// A mediator's text is traced as its package and, in a returned
    /// trace, every party's utility of it: what the workbench draws.
    #[test]
    fn a_mediators_text_is_traced_with_its_package_and_utilities() {
        let l = default_scenario();
        let veto = Request {
            protocol: Protocol::Veto,
            ..Request::default()
        };
        let doc = serde_json::to_value(simulate(&l.scenario, &veto, true).unwrap()).unwrap();
        let trace = doc["trace"].as_array().unwrap();
        assert_eq!(trace.len(), 100, "one text proposed per round");
        for e in trace {
            assert_eq!(e["action"], "propose");
            assert_eq!(e["utilities"].as_object().unwrap().len(), 4, "{e}");
            let package = e["package"].as_str().unwrap();
            assert_eq!(package.split(' ').count(), 5, "{package}");
            assert!(package.starts_with("presence="), "{package}");
        }
    }
}
