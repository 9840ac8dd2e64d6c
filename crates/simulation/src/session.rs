//! What the protocol knows about a negotiation: every party's utility of
//! every outcome, its reservation and its red lines. Strategies see only
//! their own party's view ([`PartyView`]).

use zopa_model::{Decision, OutcomeSpace, Scenario, UtilityModel, RESERVATION_TOLERANCE};

use crate::SimError;

/// A negotiation set-up.
#[derive(Debug, Clone)]
pub struct Session {
    space: OutcomeSpace,
    reservations: Vec<f64>,
    /// Per party: its acceptable outcomes, best first (ties: lower index).
    sorted: Vec<Vec<(f64, u64)>>,
    names: Vec<String>,
    /// `util[outcome * m + p]`: precomputed, so a protocol step costs a lookup.
    util: Vec<f64>,
    /// `ok[outcome * m + p]`: whether p can accept the outcome.
    ok: Vec<bool>,
    /// How a deal passes (the scenario's `[decision]`, or unanimity).
    decision: Decision,
}

impl Session {
    /// A session for a checked scenario; refuses spaces above `limit` outcomes.
    pub fn new(s: &Scenario, limit: u64) -> Result<Self, SimError> {
        let space = OutcomeSpace::new(&s.radices(), limit)?;
        let model = UtilityModel::new(s);
        let m = model.n_actors();
        let n = space.size() as usize;
        let mut sorted: Vec<Vec<(f64, u64)>> = vec![Vec::new(); m];
        let mut util = Vec::with_capacity(n * m);
        let mut ok = Vec::with_capacity(n * m);
        let mut u = vec![0.0; m];
        let mut opts = vec![0; space.n_issues()];
        for idx in 0..space.size() {
            space.decode(idx, &mut opts);
            model.utilities(&opts, &mut u);
            for (p, actor) in s.actors().iter().enumerate() {
                let acceptable = actor.accepts(&opts, u[p]);
                if acceptable {
                    sorted[p].push((u[p], idx));
                }
                util.push(u[p]);
                ok.push(acceptable);
            }
        }
        for list in &mut sorted {
            list.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        }
        let reservations = s.actors().iter().map(|a| a.reservation).collect();
        let names = s.actors().iter().map(|a| a.id.clone()).collect();
        Ok(Session {
            space,
            reservations,
            sorted,
            names,
            util,
            ok,
            decision: s.decision().clone(),
        })
    }

    /// The scenario's decision rule.
    pub fn decision(&self) -> &Decision {
        &self.decision
    }

    /// Whether the parties for whom `yes(p)` holds form a winning coalition.
    pub fn wins(&self, yes: impl FnMut(usize) -> bool) -> bool {
        self.decision.wins_by(yes)
    }

    /// Whether `outcome` passes: the parties who can accept it win.
    pub fn passes(&self, outcome: u64) -> bool {
        self.wins(|p| self.acceptable(p, outcome))
    }

    /// Number of parties.
    pub fn n_parties(&self) -> usize {
        self.reservations.len()
    }

    /// Party names (actor ids).
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The outcome space.
    pub fn space(&self) -> &OutcomeSpace {
        &self.space
    }

    /// Every party's utility of `outcome`.
    pub fn utilities(&self, outcome: u64) -> Vec<f64> {
        let m = self.n_parties();
        self.util[outcome as usize * m..(outcome as usize + 1) * m].to_vec()
    }

    /// Party `p`'s utility of `outcome`.
    #[inline]
    pub fn utility(&self, p: usize, outcome: u64) -> f64 {
        self.util[outcome as usize * self.n_parties() + p]
    }

    /// Whether `outcome` violates none of `p`'s red lines and meets its reservation.
    #[inline]
    pub fn acceptable(&self, p: usize, outcome: u64) -> bool {
        self.ok[outcome as usize * self.n_parties() + p]
    }

    /// Party `p`'s view.
    pub fn view(&self, p: usize) -> PartyView<'_> {
        PartyView { s: self, me: p }
    }
}

/// What one party knows: its own utilities, reservation and acceptable
/// outcomes, and the size of the negotiation. Nothing about the others'
/// preferences.
#[derive(Debug, Clone, Copy)]
pub struct PartyView<'a> {
    s: &'a Session,
    me: usize,
}

impl<'a> PartyView<'a> {
    /// This party's index.
    pub fn me(&self) -> usize {
        self.me
    }
    /// Number of parties.
    pub fn n_parties(&self) -> usize {
        self.s.n_parties()
    }
    /// Number of outcomes.
    pub fn n_outcomes(&self) -> u64 {
        self.s.space.size()
    }
    /// My utility of an outcome.
    pub fn utility(&self, outcome: u64) -> f64 {
        self.s.utility(self.me, outcome)
    }
    /// My reservation utility.
    pub fn reservation(&self) -> f64 {
        self.s.reservations[self.me]
    }
    /// Whether I may accept or propose this outcome (red lines, reservation).
    pub fn acceptable(&self, outcome: u64) -> bool {
        self.s.acceptable(self.me, outcome)
    }
    /// My acceptable outcomes, best first: `(utility, outcome)`.
    pub fn ranked(&self) -> &'a [(f64, u64)] {
        &self.s.sorted[self.me]
    }
    /// My best utility among acceptable outcomes (None if none is acceptable).
    pub fn best(&self) -> Option<f64> {
        self.ranked().first().map(|x| x.0)
    }
    /// The acceptable outcome whose utility is the lowest at or above
    /// `target` (the best one if none reaches it); ties: lower index.
    pub fn at_or_above(&self, target: f64) -> Option<u64> {
        let r = self.ranked();
        // `r` is sorted by utility, descending: find the last entry ≥ target.
        let k = r.partition_point(|x| x.0 >= target - RESERVATION_TOLERANCE);
        if k == 0 {
            r.first().map(|x| x.1)
        } else {
            // Among equal utilities, prefer the lowest index.
            let u = r[k - 1].0;
            let first = r.partition_point(|x| x.0 > u);
            Some(r[first].1)
        }
    }
}
