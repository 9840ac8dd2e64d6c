//! What an article changes in a scenario: which of its statements the
//! scenario already uses, which it leaves out although they speak to a
//! modelled issue, which contradict it, and who and what it lacks.

use std::ops::Range;

use serde::Serialize;
use zopa_model::evidence::SourceText;
use zopa_model::Scenario;

use crate::extract::Statement;
use crate::lexicon::Stance;

/// How the scenario already uses a statement.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Use {
    /// The statement (index into the extraction).
    pub statement: usize,
    /// The claims it is evidence for ("russia: red line presence = nato_troops"),
    /// or "listed as unmodelled: REASON".
    pub claims: Vec<String>,
}

/// A statement that says the opposite of the scenario.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contradiction {
    /// The statement.
    pub statement: usize,
    /// The actor id.
    pub actor: String,
    /// The issue id.
    pub issue: String,
    /// The option id.
    pub option: String,
    /// What disagrees, in words.
    pub reason: String,
}

/// The scenario against the article.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coverage {
    /// The scenario source that is this article, if any.
    pub source: Option<String>,
    /// Statements the scenario uses as evidence, or lists as unmodelled.
    pub used: Vec<Use>,
    /// Statements about a modelled issue that the scenario does not use.
    pub unused: Vec<usize>,
    /// Statements that contradict the scenario's numbers or red lines.
    pub contradictions: Vec<Contradiction>,
    /// Speakers who resolve to no party of the scenario, with their statements.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Vec<Object>>))]
    pub unknown_speakers: Vec<(String, Vec<usize>)>,
    /// Statements about none of the scenario's issues, not used and not
    /// listed: perhaps an issue the scenario lacks.
    pub off_model: Vec<usize>,
}

/// A value at or above this is "valued highly": rejecting it contradicts.
pub const HIGH_VALUE: f64 = 0.5;

/// Compare `statements` of `article` with `scenario`; `source` is the index
/// of the scenario's source whose text is the article, if one is.
pub fn coverage(
    scenario: &Scenario,
    source: Option<usize>,
    article: &str,
    statements: &[Statement],
) -> Coverage {
    let quotes = located_quotes(scenario, source, article);
    let mut used = Vec::new();
    let mut unused = Vec::new();
    let mut off_model = Vec::new();
    for (k, s) in statements.iter().enumerate() {
        let span = s.location.bytes[0]..s.location.bytes[1];
        let claims: Vec<String> = quotes
            .iter()
            .filter(|(r, _)| overlaps(r, &span))
            .map(|(_, c)| c.clone())
            .collect();
        if !claims.is_empty() {
            let mut claims = claims;
            claims.dedup();
            used.push(Use {
                statement: k,
                claims,
            });
        } else if s.topics.is_empty() {
            off_model.push(k);
        } else {
            unused.push(k);
        }
    }
    Coverage {
        source: source.map(|i| scenario.sources()[i].id.clone()),
        used,
        unused,
        contradictions: contradictions(scenario, statements),
        unknown_speakers: unknown_speakers(statements),
        off_model,
    }
}

/// Whether two byte ranges share at least half of the shorter one.
fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    let common = crate::shared(a, b);
    common > 0 && 2 * common >= a.len().min(b.len())
}

/// Every quote of the scenario from this article, located, with the claim
/// it serves in words.
fn located_quotes(
    scenario: &Scenario,
    source: Option<usize>,
    article: &str,
) -> Vec<(Range<usize>, String)> {
    let Some(source) = source else {
        return vec![];
    };
    let text = SourceText::new(article);
    let actor = |a: Option<usize>| {
        a.map_or("status quo".to_string(), |a| {
            scenario.actors()[a].id.clone()
        })
    };
    let mut out = Vec::new();
    let mut add = |e: &zopa_model::Evidence, what: String| {
        if e.source == source {
            if let Some(r) = text.range_of(&e.quote) {
                out.push((r, what));
            }
        }
    };
    for c in scenario.claims() {
        for e in c.quotes.iter().chain(&c.context) {
            add(
                e,
                format!("{}: {} {}", actor(c.actor), c.kind.label(), c.text),
            );
        }
    }
    for issue in scenario.issues() {
        for o in &issue.options {
            for e in &o.evidence {
                add(e, format!("mentions option {}.{}", issue.id, o.id));
            }
        }
    }
    for u in scenario.unmodelled() {
        add(&u.evidence, format!("listed as unmodelled: {}", u.reason));
    }
    out
}

/// Rejecting an option the scenario values highly for that actor, accepting
/// or asking for one behind its red line, or a red line the scenario lacks.
fn contradictions(scenario: &Scenario, statements: &[Statement]) -> Vec<Contradiction> {
    let mut out = Vec::new();
    for (k, s) in statements.iter().enumerate() {
        let Some(a) = s
            .speaker
            .party
            .as_ref()
            .and_then(|p| scenario.actors().iter().position(|x| &x.id == p))
        else {
            continue;
        };
        let actor = &scenario.actors()[a];
        for t in &s.topics {
            let Some(opt) = &t.option else { continue };
            let Some(i) = scenario.issues().iter().position(|x| x.id == t.issue) else {
                continue;
            };
            let Some(o) = scenario.issues()[i]
                .options
                .iter()
                .position(|x| &x.id == opt)
            else {
                continue;
            };
            let p = &actor.positions[i];
            // Only a red line of its own: an option rejected in combination
            // with another may still be asked for alone.
            let behind = p.rejects(o);
            let reason = match s.stance {
                Stance::Rejects | Stance::RedLine if p.values[o] >= HIGH_VALUE => Some(format!(
                    "{} {} {}, which the scenario values at {} for {}",
                    actor.id,
                    if s.stance == Stance::RedLine {
                        "rules out"
                    } else {
                        "rejects"
                    },
                    opt,
                    p.values[o],
                    actor.id
                )),
                Stance::RedLine if !behind => Some(format!(
                    "{} states a red line on {}, which the scenario does not have",
                    actor.id, opt
                )),
                Stance::Accepts | Stance::Demand | Stance::Proposes if behind => Some(format!(
                    "{} {} {}, which the scenario puts behind a red line of {}",
                    actor.id,
                    s.stance.name(),
                    opt,
                    actor.id
                )),
                _ => None,
            };
            if let Some(reason) = reason {
                out.push(Contradiction {
                    statement: k,
                    actor: actor.id.clone(),
                    issue: t.issue.clone(),
                    option: opt.clone(),
                    reason,
                });
            }
        }
    }
    out
}

fn unknown_speakers(statements: &[Statement]) -> Vec<(String, Vec<usize>)> {
    let mut out: Vec<(String, Vec<usize>)> = Vec::new();
    for (k, s) in statements.iter().enumerate() {
        if s.speaker.party.is_some() {
            continue;
        }
        match out.iter_mut().find(|(n, _)| *n == s.speaker.resolved) {
            Some((_, v)) => v.push(k),
            None => out.push((s.speaker.resolved.clone(), vec![k])),
        }
    }
    out
}
