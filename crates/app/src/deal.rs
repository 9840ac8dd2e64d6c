//! One package as a deal: who accepts it and, for those who do not, why.
//! The simulation's ending and `zopa score` share these semantics (the
//! analysis's acceptability: no red line, no combination rejected
//! together, utility at least the reservation).

use zopa_model::Scenario;

use crate::report::summary::combination_text;

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

/// Who would refuse the package `opts` (utilities `u`, one per actor) as a
/// deal, and why, by actor: every red line it crosses and every combination
/// it holds; the reservation when neither applies but the utility falls
/// short.
pub fn refusals(s: &Scenario, opts: &[usize], u: &[f64]) -> Vec<(usize, Refusal)> {
    let mut out = Vec::new();
    for (k, a) in s.actors().iter().enumerate() {
        let before = out.len();
        for (i, &x) in opts.iter().enumerate() {
            if a.positions[i].rejects(x) {
                out.push((k, Refusal::RedLine(i, x)));
            }
        }
        for (c, comb) in a.combinations.iter().enumerate() {
            if comb.hit(opts) {
                out.push((k, Refusal::Combination(c)));
            }
        }
        if out.len() == before && !a.accepts(opts, u[k]) {
            out.push((k, Refusal::Reservation(u[k], a.reservation)));
        }
    }
    out
}

/// A refusal in words: `actor (red line issue=option)`, `actor (rejects
/// together …)`, `actor (utility u < reservation r)`.
pub fn refusal_text(s: &Scenario, (k, r): &(usize, Refusal)) -> String {
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
