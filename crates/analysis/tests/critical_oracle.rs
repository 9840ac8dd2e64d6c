//! Critical assumptions against a brute force that builds its own list of
//! changes, applies each itself, in exact rationals, and finds the minimal
//! reversing sets of every conclusion by trying every single change and
//! every compatible pair.
//!
//! The oracle shares nothing with the code under test but the scenario's
//! numbers and claims (which are the model's): its own candidate changes,
//! its own acceptability (no red line crossed, exact utility ≥ exact
//! reservation), its own Pareto frontier and Nash package (largest
//! Π max(u − r, 0) on the exact frontier, ties to the larger exact sum,
//! then the smaller number) and its own concessions (an issue the actor
//! weighs on which the package gives it less than its best value).

use std::collections::BTreeSet;

use proptest::prelude::*;
use zopa_analysis::critical::{self, Change, Critical, Params};
use zopa_model::*;
use zopa_testkit::exact::{self, Q};

/// A change as the oracle names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Key {
    Insist(usize, usize, usize),
    Refuse(usize, usize, usize),
    Drop(usize, usize, usize),
    DropCombination(usize, usize),
    Reservation(usize, bool),
    Rule(usize),
    Value(usize, usize, usize, bool),
    Salience(usize, usize, bool),
}

impl Key {
    fn of(c: &Change) -> Key {
        match *c {
            Change::Insist {
                actor,
                issue,
                option,
            } => Key::Insist(actor, issue, option),
            Change::Refuse {
                actor,
                issue,
                option,
            } => Key::Refuse(actor, issue, option),
            Change::DropRedLine {
                actor,
                issue,
                option,
            } => Key::Drop(actor, issue, option),
            Change::Reservation { actor, from, to } => Key::Reservation(actor, to > from),
            Change::Rule(ref d) => Key::Rule(d.at_least),
            Change::Value {
                actor,
                issue,
                option,
                from,
                to,
            } => Key::Value(actor, issue, option, to > from),
            Change::Salience {
                actor,
                issue,
                factor,
                ..
            } => Key::Salience(actor, issue, factor > 1.0),
            Change::DropCombination { actor, index } => Key::DropCombination(actor, index),
            Change::AddRedLine { .. } => panic!("the search never adds a red line of its own"),
        }
    }

    /// The claim it changes: two changes of one claim are not combined.
    fn conflicts(self, other: Key) -> bool {
        use Key::*;
        let demand = |k: Key| match k {
            Insist(a, i, _) | Refuse(a, i, _) => Some((a, i)),
            _ => None,
        };
        match (self, other) {
            (Reservation(a, _), Reservation(b, _)) => a == b,
            (Rule(_), Rule(_)) => true,
            (Value(a, i, o, _), Value(b, j, p, _)) => (a, i, o) == (b, j, p),
            (Salience(a, i, _), Salience(b, j, _)) => (a, i) == (b, j),
            (Drop(a, i, _), k) | (k, Drop(a, i, _)) if demand(k) == Some((a, i)) => true,
            (x, y) => demand(x).is_some() && demand(x) == demand(y),
        }
    }
}

/// A combination rejected together: its actor, its `(issue, option)`
/// pairs, the pairs that lift it (`unless`), and whether it is still in force.
type Rejected = (usize, Vec<(usize, usize)>, Vec<(usize, usize)>, bool);

/// The scenario's numbers, exact.
#[derive(Clone)]
struct World {
    values: Vec<Vec<Vec<Q>>>,
    weights: Vec<Vec<Q>>,
    reservations: Vec<Q>,
    rejects: Vec<Vec<Vec<bool>>>,
    /// (actor, options rejected together, still in force).
    combinations: Vec<Rejected>,
    at_least: usize,
}

fn world(s: &Scenario) -> World {
    World {
        values: s
            .actors()
            .iter()
            .map(|a| {
                a.positions
                    .iter()
                    .map(|p| p.values.iter().map(|&v| Q::recover(v, 1000)).collect())
                    .collect()
            })
            .collect(),
        weights: s
            .actors()
            .iter()
            .map(|a| a.weights.iter().map(|&w| Q::recover(w, 1000)).collect())
            .collect(),
        reservations: s
            .actors()
            .iter()
            .map(|a| Q::recover(a.reservation, 1000))
            .collect(),
        rejects: s
            .actors()
            .iter()
            .map(|a| {
                a.positions
                    .iter()
                    .map(|p| (0..p.values.len()).map(|o| p.rejects(o)).collect())
                    .collect()
            })
            .collect(),
        combinations: s
            .actors()
            .iter()
            .enumerate()
            .flat_map(|(a, actor)| {
                actor
                    .combinations
                    .iter()
                    .map(move |c| (a, c.options.clone(), c.unless.clone(), true))
            })
            .collect(),
        at_least: s.n_actors(),
    }
}

const VALUE: (i128, i128) = (1, 5);
const RESERVATION: (i128, i128) = (1, 10);

fn q(x: (i128, i128)) -> Q {
    Q::new(x.0, x.1)
}

fn clamp01(x: Q) -> Q {
    x.max(Q::zero()).min(Q::int(1))
}

/// The oracle's own candidate changes of `s` (quoted claims held fixed).
fn candidates(s: &Scenario, w: &World) -> Vec<Key> {
    let claims = s.claims();
    let assumed = |kind: ClaimKind, a: usize, i: Option<usize>, o: Option<usize>| {
        claims.iter().any(|c| {
            c.kind == kind && c.actor == Some(a) && c.issue == i && c.option == o && !c.is_quoted()
        })
    };
    let mut out = vec![];
    for (a, actor) in s.actors().iter().enumerate() {
        for (i, p) in actor.positions.iter().enumerate() {
            for e in p.basis.statements(Some(a)) {
                for st in &e.states {
                    let k = match *st {
                        Stated::Best(o) if p.values.len() > 1 => Key::Insist(a, i, o),
                        Stated::Worst(o) if p.values.len() > 1 && !p.rejects(o) => {
                            Key::Refuse(a, i, o)
                        }
                        _ => continue,
                    };
                    if !out.contains(&k) {
                        out.push(k);
                    }
                }
            }
        }
    }
    for r in s.red_lines() {
        if assumed(ClaimKind::RedLine, r.actor, Some(r.issue), Some(r.option)) {
            out.push(Key::Drop(r.actor, r.issue, r.option));
        }
    }
    for (a, actor) in s.actors().iter().enumerate() {
        for k in 0..actor.combinations.len() {
            let quoted = claims.iter().any(|c| {
                c.kind == ClaimKind::RedLine
                    && c.actor == Some(a)
                    && c.issue.is_none()
                    && c.index == Some(k)
                    && c.is_quoted()
            });
            if !quoted {
                out.push(Key::DropCombination(a, k));
            }
        }
    }
    for a in 0..s.n_actors() {
        if assumed(ClaimKind::Reservation, a, None, None) {
            let r = w.reservations[a];
            for (up, to) in [(true, r + q(RESERVATION)), (false, r - q(RESERVATION))] {
                if clamp01(to) != r {
                    out.push(Key::Reservation(a, up));
                }
            }
        }
    }
    if s.n_actors() >= 3 && !s.decision().is_quoted() {
        out.push(Key::Rule(s.n_actors() - 1));
    }
    for (a, issues) in w.values.iter().enumerate() {
        for (i, values) in issues.iter().enumerate() {
            for (o, &v) in values.iter().enumerate() {
                if assumed(ClaimKind::Value, a, Some(i), Some(o)) {
                    for (up, to) in [(false, v - q(VALUE)), (true, v + q(VALUE))] {
                        if clamp01(to) != v {
                            out.push(Key::Value(a, i, o, up));
                        }
                    }
                }
            }
        }
    }
    for (a, ws) in w.weights.iter().enumerate() {
        let salience_assumed =
            (0..ws.len()).any(|i| assumed(ClaimKind::Salience, a, Some(i), None));
        for (i, &x) in ws.iter().enumerate() {
            if salience_assumed && x != Q::zero() && x != Q::int(1) {
                out.push(Key::Salience(a, i, false));
                out.push(Key::Salience(a, i, true));
            }
        }
    }
    out
}

/// `w` with the change applied, exactly.
fn apply(w: &mut World, k: Key) {
    match k {
        Key::Insist(a, i, o) => {
            for (p, r) in w.rejects[a][i].iter_mut().enumerate() {
                *r |= p != o;
            }
        }
        Key::Refuse(a, i, o) => w.rejects[a][i][o] = true,
        Key::Drop(a, i, o) => w.rejects[a][i][o] = false,
        Key::DropCombination(a, k) => {
            let own = w.combinations.iter_mut().filter(|c| c.0 == a);
            if let Some(c) = own.into_iter().nth(k) {
                c.3 = false;
            }
        }
        Key::Reservation(a, up) => {
            let d = if up { q(RESERVATION) } else { -q(RESERVATION) };
            w.reservations[a] = clamp01(w.reservations[a] + d);
        }
        Key::Rule(k) => w.at_least = k,
        Key::Value(a, i, o, up) => {
            let d = if up { q(VALUE) } else { -q(VALUE) };
            w.values[a][i][o] = clamp01(w.values[a][i][o] + d);
        }
        Key::Salience(a, i, up) => {
            let f = if up { Q::new(3, 2) } else { Q::new(1, 2) };
            let x = w.weights[a][i];
            let total = Q::int(1) - x + x * f;
            for (j, y) in w.weights[a].iter_mut().enumerate() {
                *y = if j == i { x * f / total } else { *y / total };
            }
        }
    }
}

/// What a world finds: agreement size, Nash package, each actor's concessions.
#[derive(Debug, Clone, PartialEq)]
struct Found {
    agreement: usize,
    nash: Option<usize>,
}

fn judge(w: &World, packages: &[Vec<usize>]) -> Found {
    let m = w.values.len();
    let utilities: Vec<Vec<Q>> = packages
        .iter()
        .map(|p| {
            (0..m)
                .map(|a| {
                    Q::sum(
                        p.iter()
                            .enumerate()
                            .map(|(i, &o)| w.weights[a][i] * w.values[a][i][o]),
                    )
                })
                .collect()
        })
        .collect();
    let pass: Vec<usize> = (0..packages.len())
        .filter(|&k| {
            let accepting = (0..m)
                .filter(|&a| {
                    !packages[k]
                        .iter()
                        .enumerate()
                        .any(|(i, &o)| w.rejects[a][i][o])
                        && !w.combinations.iter().any(|(owner, c, unless, kept)| {
                            let all =
                                |v: &[(usize, usize)]| v.iter().all(|&(i, o)| packages[k][i] == o);
                            *kept && *owner == a && all(c) && (unless.is_empty() || !all(unless))
                        })
                        && utilities[k][a] >= w.reservations[a]
                })
                .count();
            accepting >= w.at_least
        })
        .collect();
    let pareto = exact::undominated(&utilities, &pass);
    let best = exact::argmax(&pareto, |k| {
        Q::product(
            utilities[k]
                .iter()
                .zip(&w.reservations)
                .map(|(u, r)| (*u - *r).max(Q::zero())),
        )
    });
    let best = exact::argmax(&best, |k| Q::sum(utilities[k].iter().copied()));
    Found {
        agreement: pass.len(),
        nash: best.into_iter().min(),
    }
}

fn conceded(base: &World, package: &[usize], a: usize) -> Vec<usize> {
    (0..package.len())
        .filter(|&i| {
            let v = &base.values[a][i];
            let top = *v.iter().max().unwrap();
            base.weights[a][i] > Q::zero() && v[package[i]] < top
        })
        .collect()
}

/// The oracle's minimal reversing sets of each conclusion, over every
/// single change and compatible pair, in the code's conclusion order.
fn minimal_sets(s: &Scenario, keys: &[Key]) -> (Found, Vec<BTreeSet<Vec<Key>>>) {
    let space = OutcomeSpace::new(&s.radices(), u64::MAX).unwrap();
    let packages: Vec<Vec<usize>> = (0..space.size()).map(|k| space.options_of(k)).collect();
    let base = world(s);
    let found = judge(&base, &packages);
    let m = s.n_actors();
    let reversed = |f: &Found| -> Vec<bool> {
        let mut r = vec![(f.agreement > 0) != (found.agreement > 0)];
        if let Some(n) = found.nash {
            r.push(f.nash != Some(n));
            for a in 0..m {
                r.push(f.nash.is_some_and(|p| {
                    conceded(&base, &packages[p], a) != conceded(&base, &packages[n], a)
                }));
            }
        }
        r
    };
    let n_conclusions = if found.nash.is_some() { 2 + m } else { 1 };
    let mut sets: Vec<BTreeSet<Vec<Key>>> = vec![BTreeSet::new(); n_conclusions];
    let mut single = vec![vec![false; keys.len()]; n_conclusions];
    for (x, &k) in keys.iter().enumerate() {
        let mut w = base.clone();
        apply(&mut w, k);
        for (c, r) in reversed(&judge(&w, &packages)).into_iter().enumerate() {
            if r {
                single[c][x] = true;
                sets[c].insert(vec![k]);
            }
        }
    }
    for x in 0..keys.len() {
        for y in x + 1..keys.len() {
            if keys[x].conflicts(keys[y]) {
                continue;
            }
            if (0..n_conclusions).all(|c| single[c][x] || single[c][y]) {
                continue;
            }
            let mut w = base.clone();
            apply(&mut w, keys[x]);
            apply(&mut w, keys[y]);
            for (c, r) in reversed(&judge(&w, &packages)).into_iter().enumerate() {
                if r && !single[c][x] && !single[c][y] {
                    let mut set = vec![keys[x], keys[y]];
                    set.sort();
                    sets[c].insert(set);
                }
            }
        }
    }
    (found, sets)
}

fn search_all(s: &Scenario) -> Critical {
    let params = Params {
        budget: u64::MAX,
        max_size: 2,
        max_listed: usize::MAX,
        ..Params::default()
    };
    critical::search(s, &params, u64::MAX, &Cancel::default())
        .unwrap()
        .unwrap()
}

fn check(s: &Scenario) -> Result<(), TestCaseError> {
    let c = search_all(s);
    let got_keys: BTreeSet<Key> = c.changes.iter().map(Key::of).collect();
    let w = world(s);
    let keys = candidates(s, &w);
    let want_keys: BTreeSet<Key> = keys.iter().copied().collect();
    prop_assert_eq!(&got_keys, &want_keys, "candidate changes");
    prop_assert_eq!(got_keys.len(), c.changes.len(), "no change listed twice");
    let (found, want) = minimal_sets(s, &keys);
    prop_assert_eq!(c.baseline.agreement, found.agreement as u64);
    prop_assert_eq!(c.baseline.nash, found.nash.map(|n| n as u64));
    prop_assert_eq!(c.conclusions.len(), want.len());
    prop_assert!(c.search.complete == 2 && !c.search.exhausted);
    for (k, want) in c.conclusions.iter().zip(&want) {
        let got: BTreeSet<Vec<Key>> = k
            .reversals
            .iter()
            .map(|r| {
                let mut v: Vec<Key> = r.changes.iter().map(|&i| Key::of(&c.changes[i])).collect();
                v.sort();
                v
            })
            .collect();
        prop_assert_eq!(&got, want, "minimal reversing sets of {:?}", k.headline);
        prop_assert_eq!(k.found, want.len() as u64);
    }
    Ok(())
}

/// Random tables of 2–3 actors and up to 3 issues of up to 3 options,
/// values in tenths, saliences whole, reservations in tenths.
fn arb_tables() -> impl Strategy<Value = Tables> {
    (2usize..=3, prop::collection::vec(1usize..=3, 1..=3)).prop_flat_map(|(m, radices)| {
        let n_opts: usize = radices.iter().sum();
        let k = radices.len();
        (
            prop::collection::vec(0u8..=3, m * k),
            prop::collection::vec(0u8..=10, m * n_opts),
            prop::collection::vec(0u8..=5, m * n_opts),
            prop::collection::vec(0u8..=7, m),
        )
            .prop_map(move |(sal, vals, red, res)| {
                let mut t = Tables {
                    radices: radices.clone(),
                    note: "random test scenario".into(),
                    ..Tables::default()
                };
                let mut vi = 0;
                for a in 0..m {
                    let mut salience: Vec<f64> =
                        (0..k).map(|i| f64::from(sal[a * k + i])).collect();
                    if salience.iter().all(|&x| x == 0.0) {
                        salience[0] = 1.0;
                    }
                    t.saliences.push(salience);
                    let mut values = vec![];
                    let mut reds = vec![];
                    for (i, &r) in radices.iter().enumerate() {
                        values.push((0..r).map(|o| f64::from(vals[vi + o]) / 10.0).collect());
                        let rejected: Vec<usize> = (0..r).filter(|&o| red[vi + o] == 0).collect();
                        reds.extend(rejected.iter().take(r - 1).map(|&o| (i, o)));
                        vi += r;
                    }
                    t.values.push(values);
                    t.red_lines.push(reds);
                    t.reservations.push(f64::from(res[a]) / 10.0);
                }
                t
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn the_minimal_reversing_sets_are_exactly_the_brute_forces(t in arb_tables()) {
        check(&t.build().unwrap())?;
    }
}

/// The default scenario: stated demands made red lines, every kind of
/// change, four actors — the oracle agrees on every conclusion.
#[test]
fn the_default_scenario_matches_the_brute_force() {
    let path = zopa_testkit::repo_root().join("scenarios/security-guarantees.toml");
    let s = load_file(&path).unwrap().scenario;
    check(&s).unwrap();
}
