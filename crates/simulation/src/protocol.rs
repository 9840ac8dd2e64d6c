//! Negotiation protocols: stacked alternating offers ([`saop`]) and the
//! mediated single-text protocols ([`single_text`]).

use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

use crate::session::Session;
use crate::strategy::{Response, Strategy, Turn};

/// One event of a negotiation, for traces.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// `party` offered `outcome`.
    Offer {
        /// Round.
        round: usize,
        /// Proposer.
        party: usize,
        /// Outcome.
        outcome: u64,
    },
    /// `party` accepted the standing offer.
    Accept {
        /// Round.
        round: usize,
        /// Party.
        party: usize,
        /// Outcome.
        outcome: u64,
    },
    /// `party` rejected it (and offers next).
    Reject {
        /// Round.
        round: usize,
        /// Party.
        party: usize,
    },
    /// `party` left; the negotiation ends without agreement.
    End {
        /// Round.
        round: usize,
        /// Party.
        party: usize,
    },
    /// The mediator proposed `outcome`; `adopted` if every party preferred it.
    Mediator {
        /// Round.
        round: usize,
        /// Outcome.
        outcome: u64,
        /// Whether it became the single text.
        adopted: bool,
    },
}

/// How a negotiation ended.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The agreed outcome, if any.
    pub agreement: Option<u64>,
    /// Each party's utility of the agreement (undiscounted).
    pub utilities: Option<Vec<f64>>,
    /// With a discount factor d: each utility × d^(rounds − 1) (the first
    /// round is undiscounted); otherwise equal to `utilities`.
    pub discounted: Option<Vec<f64>>,
    /// Rounds used.
    pub rounds: usize,
    /// The parties who accepted the agreement (the proposer first, under
    /// SAOP; the parties who can accept the final text, under the
    /// single-text protocols): a winning coalition. Empty without agreement.
    pub coalition: Vec<usize>,
    /// Every event, oldest first (empty unless tracing was asked for).
    pub trace: Vec<Event>,
    /// Under the single-text protocols, the mediator's text when talks
    /// ended (the agreement if it passes); `None` under SAOP.
    pub final_text: Option<u64>,
    /// Whether hill climbing stopped at a local optimum before the
    /// deadline (no untried neighbouring text was left).
    pub local_optimum: bool,
    /// Whether the settings' cancel token (a request's cancellation or a
    /// wall-clock limit) stopped it before it ended by itself.
    pub stopped: bool,
}

impl Event {
    /// The round it happened in.
    pub fn round(&self) -> usize {
        match *self {
            Event::Offer { round, .. }
            | Event::Accept { round, .. }
            | Event::Reject { round, .. }
            | Event::End { round, .. }
            | Event::Mediator { round, .. } => round,
        }
    }
}

/// Protocol settings.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Deadline in rounds (each party acts once per round).
    pub deadline: usize,
    /// Seed for the strategies (party p gets seed ⊕ p) or the mediator.
    pub seed: u64,
    /// Keep the event trace.
    pub trace: bool,
    /// Discount factor per round (d in (0, 1]); `None` = no discounting.
    pub discount: Option<f64>,
    /// Stops the negotiation when cancelled: every protocol looks at it
    /// each round and ends without agreement (the caller, who cancelled,
    /// knows the outcome is not an answer).
    pub cancel: zopa_model::Cancel,
}

/// A protocol setting out of range.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SettingsError {
    /// The deadline is 0.
    #[error("the deadline must be at least 1 round")]
    NoRounds,
    /// The deadline is above the bound.
    #[error(transparent)]
    TooManyRounds(#[from] zopa_model::LimitError),
    /// The discount factor is outside (0, 1].
    #[error("the discount must be in (0, 1], not {0}")]
    Discount(f64),
}

impl Settings {
    /// Check the settings before a negotiation: a deadline of 1 to
    /// `max_rounds` rounds (simulations keep every offer made, so memory grows
    /// with the rounds played) and a discount factor in (0, 1].
    pub fn check(&self, max_rounds: u64) -> Result<(), SettingsError> {
        if self.deadline == 0 {
            return Err(SettingsError::NoRounds);
        }
        zopa_model::limits::check(
            "the deadline (rounds)",
            self.deadline as u128,
            max_rounds,
            Some(zopa_model::Knob::MaxRounds),
        )?;
        match self.discount {
            Some(d) if !(d > 0.0 && d <= 1.0) => Err(SettingsError::Discount(d)),
            _ => Ok(()),
        }
    }

    /// The outcome of a negotiation that ended after `rounds` rounds.
    fn finish(&self, session: &Session, agreement: Option<u64>, rounds: usize) -> Outcome {
        let utilities = agreement.map(|o| session.utilities(o));
        let f = self
            .discount
            .map_or(1.0, |d| d.powi(rounds.saturating_sub(1) as i32));
        Outcome {
            discounted: utilities
                .as_ref()
                .map(|u| u.iter().map(|x| x * f).collect()),
            utilities,
            agreement,
            rounds,
            coalition: agreement.map_or_else(Vec::new, |o| {
                (0..session.n_parties())
                    .filter(|&p| session.acceptable(p, o))
                    .collect()
            }),
            trace: Vec::new(),
            final_text: None,
            local_optimum: false,
            stopped: false,
        }
    }
}

/// The negotiation protocols, by the names the CLI and tournament files use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Protocol {
    /// Stacked alternating offers ([`saop`]).
    #[default]
    Saop,
    /// Mediated single text, veto variant ([`SingleText::Veto`]).
    Veto,
    /// Mediated single text, hill climbing ([`SingleText::HillClimbing`]).
    Hill,
}

impl Protocol {
    /// Every protocol.
    pub const ALL: [Protocol; 3] = [Protocol::Saop, Protocol::Veto, Protocol::Hill];

    /// Its name: `saop`, `veto` or `hill`.
    pub fn name(self) -> &'static str {
        match self {
            Protocol::Saop => "saop",
            Protocol::Veto => "veto",
            Protocol::Hill => "hill",
        }
    }
}

impl std::fmt::Display for Protocol {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Protocol {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Protocol::ALL
            .into_iter()
            .find(|p| p.name() == s)
            .ok_or_else(|| format!("protocol must be saop, veto or hill, not `{s}`"))
    }
}

/// Play one negotiation under `protocol`, handing every event to `sink`.
/// `strategies` (one per party) are used by SAOP only; the single-text
/// protocols' parties vote truthfully.
pub fn play(
    session: &Session,
    protocol: Protocol,
    strategies: &mut [Box<dyn Strategy>],
    s: &Settings,
    sink: &mut dyn FnMut(Event),
) -> Outcome {
    match protocol {
        Protocol::Saop => saop_with(session, strategies, s, sink),
        Protocol::Veto => single_text_with(session, SingleText::Veto, s, sink),
        Protocol::Hill => single_text_with(session, SingleText::HillClimbing, s, sink),
    }
}

/// Stacked alternating offers (SAOP), for any number of parties. Party 0
/// opens; then each party in turn accepts the standing offer, rejects it and
/// makes a counter-offer, or leaves. An offer is agreed when the parties who
/// accepted it in a row, its proposer first, form a winning coalition under
/// the scenario's decision rule (every party, under unanimity; partial
/// consensus otherwise, as GeniusWeb's MOPAC allows: the parties not yet
/// asked are outvoted). The protocol refuses, as a rejection, any
/// acceptance of an outcome that violates the accepting party's red lines or
/// reservation, and ends the negotiation if a party proposes an outcome it
/// could not itself accept.
pub fn saop(session: &Session, strategies: &mut [Box<dyn Strategy>], s: &Settings) -> Outcome {
    traced(s, |sink| saop_with(session, strategies, s, sink))
}

/// Run a protocol, keeping its events in `Outcome::trace` when `s.trace`.
fn traced(s: &Settings, run: impl FnOnce(&mut dyn FnMut(Event)) -> Outcome) -> Outcome {
    let mut trace = Vec::new();
    let mut out = run(&mut |e| {
        if s.trace {
            trace.push(e)
        }
    });
    out.trace = trace;
    out
}

/// [`saop`], handing every event to `sink` as it happens instead of keeping
/// a trace (memory does not grow with the trace).
pub fn saop_with(
    session: &Session,
    strategies: &mut [Box<dyn Strategy>],
    s: &Settings,
    sink: &mut dyn FnMut(Event),
) -> Outcome {
    let m = session.n_parties();
    assert_eq!(strategies.len(), m, "one strategy per party");
    let views: Vec<_> = (0..m).map(|p| session.view(p)).collect();
    for (p, st) in strategies.iter_mut().enumerate() {
        st.init(
            &views[p],
            s.seed ^ (p as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15),
        );
    }
    let mut offers: Vec<(usize, u64)> = Vec::new();
    let done = |agreement: Option<u64>, rounds: usize| s.finish(session, agreement, rounds);
    let deadline = s.deadline.max(1);
    // Relative time reaches 1 in the last round, so time-based strategies
    // concede fully by the deadline.
    let t_of = |round: usize| (round as f64 / (deadline.max(2) - 1) as f64).min(1.0);
    // Opening offer.
    let first = strategies[0].propose(
        &views[0],
        &Turn {
            round: 0,
            t: 0.0,
            offers: &offers,
        },
    );
    let Some(mut standing) = first.filter(|&o| session.acceptable(0, o)) else {
        sink(Event::End { round: 0, party: 0 });
        return done(None, 1);
    };
    offers.push((0, standing));
    sink(Event::Offer {
        round: 0,
        party: 0,
        outcome: standing,
    });
    // Who has accepted the standing offer, its proposer first.
    let mut yes = vec![false; m];
    yes[0] = true;
    let mut step = 1usize;
    loop {
        let round = step / m;
        if round >= deadline {
            return done(None, deadline);
        }
        if s.cancel.is_cancelled() {
            let mut out = done(None, round);
            out.stopped = true;
            return out;
        }
        let p = step % m;
        let turn = Turn {
            round,
            t: t_of(round),
            offers: &offers,
        };
        let mut r = strategies[p].respond(&views[p], &turn, standing);
        if r == Response::Accept && !session.acceptable(p, standing) {
            r = Response::Reject;
        }
        match r {
            Response::Accept => {
                yes[p] = true;
                sink(Event::Accept {
                    round,
                    party: p,
                    outcome: standing,
                });
                if session.wins(|q| yes[q]) {
                    let mut out = done(Some(standing), round + 1);
                    out.coalition = (0..m).filter(|&q| yes[q]).collect();
                    return out;
                }
            }
            Response::Reject => {
                sink(Event::Reject { round, party: p });
                match strategies[p].propose(&views[p], &turn) {
                    Some(o) if session.acceptable(p, o) => {
                        standing = o;
                        yes.fill(false);
                        yes[p] = true;
                        offers.push((p, o));
                        sink(Event::Offer {
                            round,
                            party: p,
                            outcome: o,
                        });
                    }
                    _ => {
                        sink(Event::End { round, party: p });
                        return done(None, round + 1);
                    }
                }
            }
            Response::End => {
                sink(Event::End { round, party: p });
                return done(None, round + 1);
            }
        }
        step += 1;
    }
}

/// Which single-text protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SingleText {
    /// NegMAS `VetoSTMechanism`: each round the mediator proposes a random
    /// outcome; it replaces the text if no party objects (every party strictly
    /// prefers it; under a decision rule, the parties who strictly prefer it
    /// win; the first proposal is always adopted).
    Veto,
    /// NegMAS `HillClimbingSTMechanism`: start from a random outcome; each round
    /// try a random untried neighbour (one issue changed); move if every party
    /// (under a decision rule, a winning coalition) strictly prefers it; stop
    /// at a local optimum. The trace opens with the starting text (adopted,
    /// round 0).
    HillClimbing,
}

/// A mediated single-text negotiation: parties vote truthfully by their
/// utilities. The final text is the agreement if it passes: the parties who
/// can accept it (red lines, reservations) win under the decision rule.
pub fn single_text(session: &Session, kind: SingleText, s: &Settings) -> Outcome {
    traced(s, |sink| single_text_with(session, kind, s, sink))
}

/// [`single_text`], handing every event to `sink` as it happens.
pub fn single_text_with(
    session: &Session,
    kind: SingleText,
    s: &Settings,
    sink: &mut dyn FnMut(Event),
) -> Outcome {
    let n = session.space().size();
    let mut rng = ChaCha8Rng::seed_from_u64(s.seed);
    let better = |new: u64, cur: Option<u64>| -> bool {
        match cur {
            None => true,
            Some(c) => {
                let (un, uc) = (session.utilities(new), session.utilities(c));
                session.wins(|p| un[p] > uc[p])
            }
        }
    };
    let neighbours = |o: u64| -> Vec<u64> {
        let sp = session.space();
        let opts = sp.options_of(o);
        let mut v = Vec::new();
        for (i, &r) in sp.radices().iter().enumerate() {
            for x in 0..r {
                if x != opts[i] {
                    let mut q = opts.clone();
                    q[i] = x;
                    v.push(sp.encode(&q));
                }
            }
        }
        v
    };
    let mut current: Option<u64> = None;
    let mut pool: Vec<u64> = Vec::new();
    if kind == SingleText::HillClimbing {
        let start = rng.random_range(0..n);
        current = Some(start);
        pool = neighbours(start);
        // The starting text stands until a neighbour is adopted: traced as
        // the text of round 0, so a trace shows every text that stood.
        sink(Event::Mediator {
            round: 0,
            outcome: start,
            adopted: true,
        });
    }
    let mut rounds = 0;
    let mut stuck = false;
    let mut stopped = false;
    for round in 0..s.deadline.max(1) {
        if s.cancel.is_cancelled() {
            stopped = true;
            break;
        }
        rounds = round + 1;
        let proposal = match kind {
            SingleText::Veto => rng.random_range(0..n),
            SingleText::HillClimbing => {
                if pool.is_empty() {
                    stuck = true;
                    break;
                }
                let k = rng.random_range(0..pool.len());
                pool.swap_remove(k)
            }
        };
        let adopted = better(proposal, current);
        if adopted {
            current = Some(proposal);
            if kind == SingleText::HillClimbing {
                pool = neighbours(proposal);
            }
        }
        sink(Event::Mediator {
            round,
            outcome: proposal,
            adopted,
        });
    }
    let agreement = current.filter(|&o| session.passes(o));
    Outcome {
        final_text: current,
        local_optimum: stuck,
        stopped,
        ..s.finish(session, agreement, rounds)
    }
}
