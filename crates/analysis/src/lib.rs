//! # zopa-analysis
//!
//! Turns a checked [`Scenario`] into an [`Analysis`]: the size of the
//! agreement space, the exact N-party Pareto frontier (of the agreement space
//! and of the whole space), the Nash, Kalai–Smorodinsky, utilitarian and
//! egalitarian packages, and which red lines block agreement. Start at
//! [`analyze`].
//!
//! Depends on `zopa-model` only; does no I/O; returns plain data (surfaces own
//! serialisation).

pub mod blocking;
mod count;
pub mod critical;
pub mod estimate;
mod frontier;
pub mod negmas;
pub mod pareto;
pub mod robustness;
pub(crate) mod rule;
pub mod solutions;
mod space;
mod variant;

use zopa_model::{OutcomeSpace, Scenario, SpaceError, UtilityModel};

pub use blocking::{Blocking, CombinationBlocking, Dropped, Joint, Opening, Unblocking};
pub use frontier::{Frontier, PackageRef};
pub use solutions::{Concept, Solution};
pub use space::RESERVATION_TOLERANCE;

use std::sync::atomic::AtomicU64;

/// Euclidean distance between two utility vectors: how far an outcome lies
/// from a frontier point or a solution, in utility space (simulations and
/// tournaments report it).
pub fn distance(a: &[f64], b: &[f64]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y) * (x - y))
        .sum::<f64>()
        .sqrt()
}

/// Distance from `u` to the nearest point of a frontier (`None` if it is empty).
pub fn distance_to_frontier<'a>(
    u: &[f64],
    frontier: impl IntoIterator<Item = &'a [f64]>,
) -> Option<f64> {
    frontier
        .into_iter()
        .map(|f| distance(u, f))
        .reduce(f64::min)
}

/// Analysis settings.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Refuse scenarios whose counting does more work than this (checked
    /// before anything proportional to it is allocated): the packages
    /// walked, or the partial packages meet in the middle enumerates
    /// ([`Method`]). It also bounds the studies: those of each red line and
    /// combination alone may do [`STUDIES_PER_LIMIT`] times its work in all
    /// (checked before any starts: refused beyond), and the optional
    /// studies (red lines together, what opens an empty agreement space)
    /// share a budget of half of it (cut short beyond, and said so).
    pub limit: u64,
    /// Refuse when more Pareto frontier candidates than this survive (ties
    /// put every tied package on the frontier; memory grows with them).
    pub max_frontier: u64,
    /// At most this many minimum-size red-line sets are listed.
    pub max_unblocking_sets: usize,
    /// At most this many red-line subsets are tried when searching for the
    /// smallest set whose removal opens an agreement (or moves the Nash package).
    pub unblocking_budget: u64,
    /// Stops the analysis when cancelled: every count and frontier step
    /// looks at it first, so a cancelled analysis ends within one step and
    /// answers [`AnalysisError::Cancelled`].
    pub cancel: zopa_model::Cancel,
    /// Study the red lines (blocking, red lines together, unblocking). A
    /// caller that needs only the counts, frontiers and solutions (scoring
    /// one deal) turns it off: the studies' fields of [`Analysis`] are then
    /// empty, and their work is neither done nor bounded.
    pub studies: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            limit: zopa_model::DEFAULT_LIMIT,
            max_frontier: zopa_model::limits::MAX_FRONTIER,
            max_unblocking_sets: 20,
            unblocking_budget: 100_000,
            cancel: zopa_model::Cancel::default(),
            studies: true,
        }
    }
}

/// The studies of each red line and combination alone may do this many
/// times [`Options::limit`]'s work in all.
pub const STUDIES_PER_LIMIT: u64 = 4;

/// Errors from [`analyze`].
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AnalysisError {
    /// The outcome space cannot be enumerated.
    #[error(transparent)]
    Space(#[from] SpaceError),
    /// The frontier is larger than allowed.
    #[error(transparent)]
    Frontier(#[from] zopa_model::LimitError),
    /// A study would do more work than allowed.
    #[error(transparent)]
    Work(zopa_model::LimitError),
    /// Only enumeration counts this scenario exactly, and the space is above
    /// the limit: refused, with a labelled estimate of what it would find.
    #[error(
        "the outcome space has {packages} packages. {reason}, so zopa counts it exactly only by \
         walking every package. For orientation only — {estimate}. Not analysed: {packages} \
         packages are above the enumeration limit of {limit}"
    )]
    BeyondEnumeration {
        /// Packages in the space.
        packages: u64,
        /// The limit in force.
        limit: u64,
        /// Why meet in the middle does not apply.
        reason: String,
        /// The labelled estimate.
        estimate: Box<estimate::Estimate>,
    },
    /// The caller cancelled the work ([`Options::cancel`]); nothing it had
    /// computed is returned.
    #[error("the analysis was cancelled")]
    Cancelled,
}

/// One package with every actor's utility, owned (a solution, a status
/// quo); frontiers store theirs compactly ([`Frontier`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// Package index (mixed radix, last issue fastest).
    pub index: u64,
    /// Option index per issue.
    pub options: Vec<usize>,
    /// Utility per actor.
    pub utilities: Vec<f64>,
}

/// The result of [`analyze`].
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    /// Number of packages in the whole outcome space.
    pub space_size: u64,
    /// Packages that violate no red line.
    pub no_red_line_size: u64,
    /// Packages that pass under the scenario's decision rule: the ZOPA.
    /// Under unanimity, those that violate no red line and meet every
    /// reservation; under another rule, those a winning coalition accepts.
    pub agreement_size: u64,
    /// Packages every actor accepts (equal to `agreement_size` under unanimity).
    pub unanimous_size: u64,
    /// Pareto frontier of the agreement space (utility sum desc, then
    /// index), every actor's utility compared, outvoted actors' too.
    pub agreement_frontier: Frontier,
    /// Pareto frontier of the whole space, ignoring red lines and reservations.
    pub space_frontier: Frontier,
    /// Each actor's best utility within the agreement space (empty if none).
    pub ideal: Vec<f64>,
    /// The four bargaining solutions over the agreement space (empty if it is).
    pub solutions: Vec<Solution>,
    /// One entry per red line (actor, issue, option order).
    pub blocking: Vec<Blocking>,
    /// Red lines together — single options and combinations alike: per
    /// actor, pairs, the smallest sets moving Nash.
    pub joint: Joint,
    /// One entry per combination rejected together (actor, then file order).
    pub combinations: Vec<CombinationBlocking>,
    /// When the agreement space is empty: what it takes to open one.
    pub unblocking: Option<Unblocking>,
    /// When the agreement space is empty: the smallest sets of actors whose
    /// acceptance would let a package pass.
    pub opening: Option<Opening>,
}

impl Analysis {
    /// The solution of `concept`, if the agreement space is not empty.
    pub fn solution(&self, concept: Concept) -> Option<&Solution> {
        self.solutions.iter().find(|s| s.concept == concept)
    }
}

/// Options allowed by every actor's red lines, per issue.
fn allowed_choices(s: &Scenario) -> Vec<Vec<usize>> {
    s.issues()
        .iter()
        .enumerate()
        .map(|(i, issue)| {
            (0..issue.options.len())
                .filter(|&o| !s.actors().iter().any(|a| a.positions[i].rejects(o)))
                .collect()
        })
        .collect()
}

/// How [`analyze`] counts the packages of a scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Meet in the middle (additive scenarios of at most three actors): the
    /// partial packages of issues `..at` and of issues `at..` are enumerated
    /// and paired by a dominance count.
    MeetInTheMiddle {
        /// The first issue of the second half.
        at: usize,
        /// Partial packages of the first half.
        left: u128,
        /// Partial packages of the second half.
        right: u128,
    },
    /// Every package is walked (interaction terms, combinations rejected
    /// together, or four or more actors).
    Enumeration {
        /// Packages in the space.
        packages: u64,
    },
}

impl Method {
    /// How [`analyze`] would count `s` (refused only when its packages
    /// cannot be numbered in 64 bits).
    pub fn of(s: &Scenario) -> Result<Method, SpaceError> {
        let space = OutcomeSpace::numbered(&s.radices())?;
        let no_combinations = s.actors().iter().all(|a| a.combinations.is_empty());
        Ok(Method::for_model(
            &UtilityModel::new(s),
            &space,
            no_combinations,
        ))
    }

    /// How a space of this model is counted ([`count::applies`]).
    fn for_model(model: &UtilityModel, space: &OutcomeSpace, no_combinations: bool) -> Method {
        if count::applies(model, no_combinations) {
            let split = count::split(&space.all_choices());
            Method::MeetInTheMiddle {
                at: split.at,
                left: split.left,
                right: split.right,
            }
        } else {
            Method::Enumeration {
                packages: space.size(),
            }
        }
    }

    /// Units of work of one count: partial packages, or packages.
    pub fn work(&self) -> u128 {
        match *self {
            Method::MeetInTheMiddle { left, right, .. } => left + right,
            Method::Enumeration { packages } => packages.into(),
        }
    }

    /// The most work [`analyze`] admits under `limit`: the limit itself,
    /// except that the halves of meet in the middle must fit in memory
    /// ([`zopa_model::limits::MAX_HALVES`]) whatever the limit.
    pub fn work_bound(&self, limit: u64) -> u64 {
        match self {
            Method::MeetInTheMiddle { .. } => limit.min(zopa_model::limits::MAX_HALVES),
            Method::Enumeration { .. } => limit,
        }
    }
}

/// Refuse counting `s` by `method` when it does more work than `limit`,
/// before anything proportional to it is allocated: meet in the middle
/// names both halves; enumeration says why only it applies, with a labelled
/// estimate.
fn check_work(
    method: Method,
    s: &Scenario,
    space: &OutcomeSpace,
    limit: u64,
) -> Result<(), AnalysisError> {
    match method {
        Method::Enumeration { packages } if packages > limit => {
            Err(beyond_enumeration(s, space, limit))
        }
        Method::Enumeration { .. } => Ok(()),
        Method::MeetInTheMiddle { at, left, right } => {
            let quantity = format!(
                "the work of exact counting by meet in the middle (the {left} partial \
                 packages of issues 1–{at} plus the {right} of issues {}–{})",
                at + 1,
                s.issues().len()
            );
            // Halves take HALF_BYTES a partial package (and are indexed by
            // 32-bit numbers): past MAX_HALVES no --limit admits them.
            let bound = method.work_bound(limit);
            let (quantity, flag) = if bound == limit {
                (quantity, Some(zopa_model::Knob::Limit))
            } else {
                let memory = format!(
                    "{quantity}, at about {} bytes each (memory bounds it at {bound} \
                     whatever the limit says)",
                    zopa_model::limits::HALF_BYTES
                );
                (memory, None)
            };
            zopa_model::limits::check(quantity, method.work(), bound, flag)
                .map_err(AnalysisError::Work)
        }
    }
}

/// The refusal of a space only enumeration counts exactly, above `limit`:
/// why, and a labelled estimate from a fixed sample.
fn beyond_enumeration(s: &Scenario, space: &OutcomeSpace, limit: u64) -> AnalysisError {
    let m = s.n_actors();
    let reason = if m > count::MAX_ACTORS {
        format!(
            "With {m} actors, exact counting by meet in the middle would need a dominance \
             count in {m} dimensions (it covers two or three actors)"
        )
    } else {
        "Interaction terms or combinations rejected together tie issues to each other, \
         so the issues cannot be split in halves to count"
            .to_string()
    };
    AnalysisError::BeyondEnumeration {
        packages: space.size(),
        limit,
        reason,
        estimate: Box::new(estimate::agreement(
            s,
            space,
            estimate::SAMPLES,
            estimate::SEED,
        )),
    }
}

/// Analyse the agreement space of `s`.
pub fn analyze(s: &Scenario, opts: &Options) -> Result<Analysis, AnalysisError> {
    analyze_with_progress(s, opts, &AtomicU64::new(0))
}

/// [`analyze`], adding to `walked` the packages it walks while counting
/// (updated every 2^20 packages), so that a surface can show progress.
pub fn analyze_with_progress(
    s: &Scenario,
    opts: &Options,
    walked: &AtomicU64,
) -> Result<Analysis, AnalysisError> {
    let space = OutcomeSpace::numbered(&s.radices())?;
    let model = UtilityModel::new(s);
    let reservations: Vec<f64> = s.actors().iter().map(|a| a.reservation).collect();
    let combinations: Vec<zopa_model::Combination> = s
        .actors()
        .iter()
        .flat_map(|a| a.combinations.iter().cloned())
        .collect();
    let ctx = space::Ctx {
        model: &model,
        space: &space,
        combinations: &combinations,
        reservations: reservations.clone(),
        tolerance: RESERVATION_TOLERANCE,
        grid: true,
        max_frontier: opts.max_frontier,
        walked,
        cancel: &opts.cancel,
        counter: &count::Counter::new(space.radices()),
        rule: None,
    };
    let unfiltered = space::Ctx {
        reservations: vec![f64::NEG_INFINITY; s.n_actors()],
        combinations: &[],
        ..ctx
    };

    check_work(
        Method::for_model(&model, &space, combinations.is_empty()),
        s,
        &space,
        opts.limit,
    )?;
    let allowed = allowed_choices(s);
    let all = space.all_choices();
    let rule = (!s.decision().is_unanimity()).then(|| rule::Rule::new(s, &ctx));
    if let Some(r) = &rule {
        check_rule(s, r, &all, opts.limit)?;
    }
    let unanimous = blocking::Unanimous {
        s,
        ctx: &ctx,
        allowed: &allowed,
    };
    if opts.studies {
        // Costed before anything is counted (the agreement size a study
        // compares with does not change its cost).
        match &rule {
            Some(rule) => check_studies(
                s,
                &blocking::ByRule {
                    rule,
                    all: &all,
                    agreement: 0,
                    reservations: &reservations,
                },
                opts.limit,
            )?,
            None => check_studies(s, &unanimous, opts.limit)?,
        }
    }
    let no_red_line_size = if combinations.is_empty() {
        allowed.iter().map(|c| c.len() as u64).product()
    } else {
        // Packages of the allowed options that hit no combination either.
        space::Ctx {
            combinations: &combinations,
            reservations: unfiltered.reservations.clone(),
            ..unfiltered
        }
        .count(&allowed)
    };
    let unanimous_size = ctx.count(&allowed);
    let agreement_size = match &rule {
        Some(r) => r.count(&all, &rule::Dropped::default()),
        None => unanimous_size,
    };
    // Between phases: a cancelled count answered 0, which is not a count.
    let stop = || {
        if opts.cancel.is_cancelled() {
            Err(AnalysisError::Cancelled)
        } else {
            Ok(())
        }
    };
    stop()?;
    let space_frontier = unfiltered.frontier(&all)?;
    let agreement_frontier = if let Some(r) = &rule {
        r.frontier(&all, &rule::Dropped::default())?
    } else if allowed == all && combinations.is_empty() {
        // No red line bites: the agreement frontier is the space frontier's
        // rational part (whatever dominates a rational package is rational).
        space_frontier.filter(|p| ctx.rational(p.utilities))
    } else {
        ctx.frontier(&allowed)?
    };
    let solutions: Vec<Solution> = Concept::ALL
        .iter()
        .filter_map(|&c| solutions::solve(c, &agreement_frontier, &reservations))
        .collect();
    stop()?;
    let ideal = if agreement_frontier.is_empty() {
        vec![]
    } else {
        solutions::ideal(&agreement_frontier)
    };

    let studies = if opts.studies {
        let nash = solutions.iter().find(|x| x.concept == Concept::Nash);
        let by_rule = rule.as_ref().map(|rule| blocking::ByRule {
            rule,
            all: &all,
            agreement: agreement_size,
            reservations: &reservations,
        });
        let measure: &dyn blocking::Measure = match &by_rule {
            Some(m) => m,
            None => &unanimous,
        };
        let everyone = [vec![true; s.n_actors()]];
        let minimal = match &rule {
            Some(r) => r.minimal(),
            None => Some(&everyone[..]),
        };
        let opening =
            |budget: &mut blocking::Budget| blocking::opening(s, &ctx, minimal, opts, budget);
        study(
            s,
            measure,
            space.size(),
            agreement_size,
            nash,
            opts,
            opening,
        )?
    } else {
        Studies::default()
    };
    // Counts and frontiers asked for after a cancel return at once with
    // nothing: what was computed is not an answer.
    stop()?;

    Ok(Analysis {
        space_size: space.size(),
        no_red_line_size,
        agreement_size,
        unanimous_size,
        agreement_frontier,
        space_frontier,
        ideal,
        solutions,
        blocking: studies.blocking,
        joint: studies.joint,
        combinations: studies.combinations,
        unblocking: studies.unblocking,
        opening: studies.opening,
    })
}

/// Refuse an analysis under a decision rule whose count and frontier do
/// more work than `limit` (checked before either starts).
fn check_rule(
    s: &Scenario,
    r: &rule::Rule<'_, '_>,
    all: &[Vec<usize>],
    limit: u64,
) -> Result<(), AnalysisError> {
    let none = rule::Dropped::default();
    let work = r
        .count_work(all, &none)
        .saturating_add(r.frontier_work(all, &none));
    zopa_model::limits::check(
        format!(
            "the work of counting the packages that pass under the decision rule ({}) and building their frontier",
            s.decision().describe(&s.actors().iter().map(|a| a.id.as_str()).collect::<Vec<_>>())
        ),
        work,
        limit,
        Some(zopa_model::Knob::Limit),
    )
    .map_err(AnalysisError::Work)
}

/// Refuse an analysis whose studies of each red line and combination alone
/// would do more than [`STUDIES_PER_LIMIT`] × `limit` work (checked before
/// any count).
fn check_studies(s: &Scenario, m: &dyn blocking::Measure, limit: u64) -> Result<(), AnalysisError> {
    let combinations: usize = s.actors().iter().map(|a| a.combinations.len()).sum();
    zopa_model::limits::check(
        format!(
            "the work of studying each of the {} red lines and {combinations} combinations alone (packages counted and put through a frontier; at most {STUDIES_PER_LIMIT} × the limit)",
            s.red_lines().len(),
        ),
        blocking::studies_alone_work(s, m),
        limit.saturating_mul(STUDIES_PER_LIMIT),
        Some(zopa_model::Knob::Limit),
    )
    .map_err(AnalysisError::Work)
}

/// The red-line studies of an analysis.
#[derive(Default)]
struct Studies {
    blocking: Vec<Blocking>,
    combinations: Vec<CombinationBlocking>,
    joint: Joint,
    unblocking: Option<Unblocking>,
    opening: Option<Opening>,
}

/// Each red line and combination alone, then the optional studies under
/// one budget of half the limit: what opens an empty agreement space
/// matters more than red lines together, so it goes first.
fn study(
    s: &Scenario,
    m: &dyn blocking::Measure,
    space_size: u64,
    agreement_size: u64,
    nash: Option<&Solution>,
    opts: &Options,
    opening: impl FnOnce(&mut blocking::Budget) -> Opening,
) -> Result<Studies, AnalysisError> {
    let blocking = blocking::per_red_line(s, m, space_size, agreement_size, nash)?;
    let combinations = blocking::per_combination(s, m, agreement_size, nash)?;
    let mut budget = blocking::Budget::new(opts.limit / 2);
    let unblocking = (agreement_size == 0).then(|| blocking::unblock(s, m, opts, &mut budget));
    let opening = (agreement_size == 0).then(|| opening(&mut budget));
    let joint = blocking::joint(
        s,
        m,
        (&blocking, &combinations),
        agreement_size,
        nash,
        opts,
        &mut budget,
    )?;
    Ok(Studies {
        blocking,
        combinations,
        joint,
        unblocking,
        opening,
    })
}
