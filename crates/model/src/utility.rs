//! Utility evaluation.
//!
//! `u_a(package) = Σ_issues weight_a,i × value_a,i(option_i)` with the actor's
//! saliences normalised to sum 1, so the additive part is in [0, 1]; then
//! each of the actor's interaction terms whose two options the package holds
//! adds its value (scenario order). With interaction terms a utility may
//! leave [0, 1].

use crate::scenario::Scenario;

/// Precomputed weighted option values: `contribution(i, o)[a] = w_a,i × v_a,i,o`.
#[derive(Debug, Clone, PartialEq)]
pub struct UtilityModel {
    n_actors: usize,
    offsets: Vec<usize>,
    table: Vec<f64>,
    /// Interaction terms, in actor then scenario order.
    terms: Vec<Term>,
}

/// One interaction term: `value` added to `actor`'s utility when the
/// package has option `a.1` on issue `a.0` and `b.1` on issue `b.0`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Term {
    /// Actor index.
    pub actor: usize,
    /// First (issue, option).
    pub a: (usize, usize),
    /// Second (issue, option).
    pub b: (usize, usize),
    /// Added value.
    pub value: f64,
}

impl UtilityModel {
    /// The model of a checked scenario.
    pub fn new(s: &Scenario) -> Self {
        let m = s.actors.len();
        let mut offsets = Vec::with_capacity(s.issues.len());
        let mut table = Vec::new();
        for (i, issue) in s.issues.iter().enumerate() {
            offsets.push(table.len() / m.max(1));
            for o in 0..issue.options.len() {
                for actor in &s.actors {
                    table.push(actor.weights[i] * actor.positions[i].values[o]);
                }
            }
        }
        let terms = s
            .actors
            .iter()
            .enumerate()
            .flat_map(|(k, a)| {
                a.interactions.iter().map(move |t| Term {
                    actor: k,
                    a: t.options[0],
                    b: t.options[1],
                    value: t.value,
                })
            })
            .collect();
        UtilityModel {
            n_actors: m,
            offsets,
            table,
            terms,
        }
    }

    /// The same model with these interaction terms (replacing any).
    pub fn with_terms(mut self, terms: Vec<Term>) -> Self {
        self.terms = terms;
        self
    }

    /// The model of the actors `actors` only (in that order; an actor may
    /// appear twice), with their interaction terms: each utility is the
    /// same float as in this model.
    pub fn project(&self, actors: &[usize]) -> UtilityModel {
        let m = self.n_actors;
        let rows = self.table.len() / m.max(1);
        let table = (0..rows)
            .flat_map(|row| actors.iter().map(move |&a| self.table[row * m + a]))
            .collect();
        let terms = self
            .terms
            .iter()
            .flat_map(|t| {
                actors
                    .iter()
                    .enumerate()
                    .filter(move |(_, &a)| a == t.actor)
                    .map(move |(k, _)| Term { actor: k, ..*t })
            })
            .collect();
        UtilityModel {
            n_actors: actors.len(),
            offsets: self.offsets.clone(),
            table,
            terms,
        }
    }

    /// The interaction terms.
    pub fn terms(&self) -> &[Term] {
        &self.terms
    }

    /// Whether there are no interaction terms: utilities are sums of
    /// per-issue contributions.
    pub fn is_additive(&self) -> bool {
        self.terms.is_empty()
    }

    /// Add the interaction terms that `options` triggers to `out`.
    #[inline]
    pub fn add_terms(&self, options: &[usize], out: &mut [f64]) {
        for t in &self.terms {
            if options[t.a.0] == t.a.1 && options[t.b.0] == t.b.1 {
                out[t.actor] += t.value;
            }
        }
    }

    /// A model straight from a weighted-value table: `table[i][o][a]`.
    /// (For synthetic spaces in tests and benchmarks.)
    pub fn from_table(n_actors: usize, table: &[Vec<Vec<f64>>]) -> Self {
        let mut offsets = Vec::new();
        let mut flat = Vec::new();
        for issue in table {
            offsets.push(flat.len() / n_actors.max(1));
            for opt in issue {
                assert_eq!(opt.len(), n_actors);
                flat.extend_from_slice(opt);
            }
        }
        UtilityModel {
            n_actors,
            offsets,
            table: flat,
            terms: vec![],
        }
    }

    /// Number of actors.
    pub fn n_actors(&self) -> usize {
        self.n_actors
    }

    /// Number of issues.
    pub fn n_issues(&self) -> usize {
        self.offsets.len()
    }

    /// What option `o` of issue `i` adds to each actor's utility (the
    /// additive part: interaction terms come on top, see [`Self::add_terms`]).
    #[inline]
    pub fn contribution(&self, i: usize, o: usize) -> &[f64] {
        let start = (self.offsets[i] + o) * self.n_actors;
        &self.table[start..start + self.n_actors]
    }

    /// Each actor's utility of the package `options` (one option index per issue).
    pub fn utilities(&self, options: &[usize], out: &mut [f64]) {
        out.fill(0.0);
        for (i, &o) in options.iter().enumerate() {
            for (u, c) in out.iter_mut().zip(self.contribution(i, o)) {
                *u += c;
            }
        }
        self.add_terms(options, out);
    }

    /// Each actor's utility of `options`, as a new vector.
    pub fn utilities_of(&self, options: &[usize]) -> Vec<f64> {
        let mut out = vec![0.0; self.n_actors];
        self.utilities(options, &mut out);
        out
    }
}
