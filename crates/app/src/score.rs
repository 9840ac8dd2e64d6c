//! Scoring one deal (`zopa score`, `POST /api/v1/score`, Python's
//! `Scenario.score`): each party's utility and whether it accepts the
//! deal (and why not), whether the deal passes, whether it is
//! Pareto-optimal in the whole outcome space and in the agreement space,
//! and how far it is from the Nash package — what grading a negotiator's
//! final deal needs.
//!
//! The deal passes when the actors who accept it form a winning coalition
//! under the scenario's decision rule (`[decision]`; every actor, when the
//! scenario states none) — the rule `analyze` uses. Pareto optimality and
//! Nash are the analysis's own: utilities compared on its 1e-9 grid, ties
//! kept on the frontier, over the packages that pass.

use serde::Serialize;
use zopa_model::{Cancel, OutcomeSpace, Scenario, UtilityModel};

use crate::deal::{refusal_text, refusals};
use crate::AppError;

/// One issue's option in a deal.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = score::Choice)]
pub struct ChoiceDoc {
    /// Issue id.
    pub issue: String,
    /// Option id.
    pub option: String,
}

/// One party's view of the deal.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = score::Party)]
pub struct PartyDoc {
    /// Actor id.
    pub actor: String,
    /// The deal's utility for the actor, in [0, 1].
    pub utility: f64,
    /// The actor's walk-away utility.
    pub reservation: f64,
    /// Whether the actor accepts the deal (no red line crossed, no
    /// combination it rejects together, utility at least its reservation).
    pub accepts: bool,
    /// Why not, in words (empty when it accepts).
    pub refuses_because: Vec<String>,
}

/// The Nash package and the deal's distance to it.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = score::Nash)]
pub struct NashDoc {
    /// The Nash package's options.
    pub deal: Vec<ChoiceDoc>,
    /// Its utilities, one per actor in actor order.
    pub utilities: Vec<f64>,
    /// Euclidean distance between the two utility vectors (0 for the Nash
    /// package itself, or a package tied with it).
    pub distance: f64,
}

/// `zopa.score/1`: one deal, scored.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = score::Score)]
pub struct ScoreDoc {
    /// `zopa.score/1`.
    pub schema: &'static str,
    /// Scenario id.
    pub scenario: String,
    /// The deal, one option per issue in issue order.
    pub deal: Vec<ChoiceDoc>,
    /// Package number (mixed radix, last issue fastest).
    pub package: u64,
    /// The decision rule applied, in words (`unanimity: all 4 actors
    /// accept`, `at least 5 of 6 actors accept, including sportco, dot`).
    pub rule: String,
    /// Whether the deal passes under the rule.
    pub passes: bool,
    /// Actors who do not accept it (outvoted, when it passes).
    pub outvoted: Vec<String>,
    /// Accepting actors without whom it would no longer pass (empty when
    /// it does not pass; every actor, under unanimity).
    pub pivotal: Vec<String>,
    /// Each party, in actor order.
    pub parties: Vec<PartyDoc>,
    /// No package of the whole outcome space gives someone more and
    /// nobody less.
    pub pareto_optimal: bool,
    /// No package that passes gives someone more and nobody less (null
    /// when the deal does not pass).
    pub pareto_optimal_among_agreements: Option<bool>,
    /// The Nash package of the agreement space, the packages that pass
    /// (null when it is empty).
    pub nash: Option<NashDoc>,
}

/// The deal `text` as one option per issue: option ids in issue order
/// (`monitors,arms_aid,…`) or `issue=option` pairs covering every issue
/// once, separated by commas.
pub fn parse_deal(s: &Scenario, text: &str) -> Result<Vec<usize>, AppError> {
    let parts: Vec<&str> = text.split(',').map(str::trim).collect();
    let issues = s.issues();
    let option = |i: usize, id: &str| {
        issues[i]
            .options
            .iter()
            .position(|o| o.id == id)
            .ok_or_else(|| {
                let known: Vec<&str> = issues[i].options.iter().map(|o| o.id.as_str()).collect();
                let hint = zopa_model::diag::closest(id, known.iter().copied())
                    .map(|c| format!("; did you mean `{c}`?"))
                    .unwrap_or_default();
                AppError::Usage(format!(
                    "--deal: issue `{}` has no option `{id}` (its options: {}){hint}",
                    issues[i].id,
                    known.join(", ")
                ))
            })
    };
    if parts.iter().all(|p| !p.contains('=')) {
        if parts.len() != issues.len() {
            return Err(AppError::Usage(format!(
                "--deal names {} option(s); the scenario has {} issues ({}): give one option id per issue, in that order, or issue=option pairs",
                parts.len(),
                issues.len(),
                issues.iter().map(|i| i.id.as_str()).collect::<Vec<_>>().join(", ")
            )));
        }
        return parts
            .iter()
            .enumerate()
            .map(|(i, p)| option(i, p))
            .collect();
    }
    let mut chosen: Vec<Option<usize>> = vec![None; issues.len()];
    for p in &parts {
        let (issue, opt) = p.split_once('=').ok_or_else(|| {
            AppError::Usage(format!(
                "--deal: `{p}` is not issue=option (mix no positional ids with pairs)"
            ))
        })?;
        let i = issues
            .iter()
            .position(|x| x.id == issue.trim())
            .ok_or_else(|| {
                AppError::Usage(format!(
                    "--deal: no issue `{}`{}",
                    issue.trim(),
                    zopa_model::diag::did_you_mean(
                        issue.trim(),
                        issues.iter().map(|x| x.id.as_str())
                    )
                ))
            })?;
        if chosen[i].is_some() {
            return Err(AppError::Usage(format!(
                "--deal: issue `{}` is given twice",
                issues[i].id
            )));
        }
        chosen[i] = Some(option(i, opt.trim())?);
    }
    let missing: Vec<&str> = issues
        .iter()
        .zip(&chosen)
        .filter(|(_, c)| c.is_none())
        .map(|(i, _)| i.id.as_str())
        .collect();
    if !missing.is_empty() {
        return Err(AppError::Usage(format!(
            "--deal: no option for issue(s) {}",
            missing.join(", ")
        )));
    }
    Ok(chosen.into_iter().map(|c| c.expect("checked")).collect())
}

/// Score the deal `text` on `s`. The frontiers and the Nash package come
/// from the analysis with `limit` and `max_frontier` (its bounds), stopped
/// by `cancel`.
pub fn score(
    s: &Scenario,
    text: &str,
    limit: u64,
    max_frontier: u64,
    cancel: &Cancel,
) -> Result<ScoreDoc, AppError> {
    let opts = parse_deal(s, text)?;
    let u = UtilityModel::new(s).utilities_of(&opts);
    let package = OutcomeSpace::numbered(&s.radices())?.encode(&opts);
    let why = refusals(s, &opts, &u);
    let a = zopa_analysis::analyze(
        s,
        &zopa_analysis::Options {
            limit,
            max_frontier,
            cancel: cancel.clone(),
            // The frontiers and Nash, not the red-line studies.
            studies: false,
            ..Default::default()
        },
    )?;
    let d = s.decision();
    let members = s.accepting(&opts, &u);
    let passes = d.wins(&members);
    let ids: Vec<&str> = s.actors().iter().map(|a| a.id.as_str()).collect();
    let pivotal = d.pivotal(&members);
    let on = |f: &zopa_analysis::Frontier| f.iter().any(|p| p.index == package);
    let nash = a.solution(zopa_analysis::Concept::Nash).map(|n| NashDoc {
        deal: choices(s, &n.point.options),
        utilities: n.point.utilities.clone(),
        distance: zopa_analysis::distance(&u, &n.point.utilities),
    });
    Ok(ScoreDoc {
        schema: "zopa.score/1",
        scenario: s.meta().id.clone(),
        deal: choices(s, &opts),
        package,
        rule: d.describe(&ids),
        passes,
        outvoted: (0..ids.len())
            .filter(|&k| !members[k])
            .map(|k| ids[k].to_string())
            .collect(),
        pivotal: pivotal.iter().map(|&k| ids[k].to_string()).collect(),
        parties: s
            .actors()
            .iter()
            .enumerate()
            .map(|(k, actor)| {
                let mine: Vec<String> = why
                    .iter()
                    .filter(|(who, _)| *who == k)
                    .map(|r| refusal_text(s, r))
                    .collect();
                PartyDoc {
                    actor: actor.id.clone(),
                    utility: u[k],
                    reservation: actor.reservation,
                    accepts: mine.is_empty(),
                    refuses_because: mine,
                }
            })
            .collect(),
        pareto_optimal: on(&a.space_frontier),
        pareto_optimal_among_agreements: passes.then(|| on(&a.agreement_frontier)),
        nash,
    })
}

fn choices(s: &Scenario, opts: &[usize]) -> Vec<ChoiceDoc> {
    s.issues()
        .iter()
        .zip(opts)
        .map(|(i, &o)| ChoiceDoc {
            issue: i.id.clone(),
            option: i.options[o].id.clone(),
        })
        .collect()
}
