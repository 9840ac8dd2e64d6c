//! `zopa.claims/1`: every claim of a scenario with what it rests on — the
//! quotes that state it (source, line, words, speaker) or the assumption's
//! note and author — and the options no source mentions. Built once for
//! `zopa claims`, the HTTP API and the reports.

use serde::Serialize;
use zopa_model::{Claim, ClaimCounts, Evidence, Scenario};

/// `zopa.claims/1`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClaimsDoc {
    /// `zopa.claims/1`.
    pub schema: &'static str,
    /// Where the scenario came from.
    pub origin: String,
    /// The scenario's id.
    pub scenario: String,
    /// The scenario's analyst: the author of assumptions that name none.
    pub analyst: Option<String>,
    /// Quoted and assumed claims, counted.
    pub counts: ClaimCounts,
    /// Every claim, actor by actor, then the status quo.
    pub claims: Vec<ClaimRow>,
    /// Options that no source mentions: introduced by the analyst.
    pub analyst_options: Vec<OptionRef>,
    /// Statements of the sources the scenario does not model, with reasons.
    pub unmodelled: Vec<UnmodelledRow>,
}

/// A statement left out of the model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnmodelledRow {
    /// The quote and its speaker.
    pub quote: QuoteRef,
    /// Why it is not modelled.
    pub reason: String,
}

/// One claim.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClaimRow {
    /// Its id (`value:ukraine:guarantee:article5`): what reports cite.
    pub id: String,
    /// Actor id (`null` for the status quo).
    pub actor: Option<String>,
    /// Issue id, when the claim is about one issue.
    pub issue: Option<String>,
    /// Option id, when the claim is about one option.
    pub option: Option<String>,
    /// `value`, `order`, `red_line`, `salience`, `reservation`, `power`, `status_quo`.
    pub kind: zopa_model::ClaimKind,
    /// The claim with ids: `presence.none = 1`, `rejects presence.nato_troops`.
    pub claim: String,
    /// `quoted` or `assumed`.
    pub basis: &'static str,
    /// The strongest grade of its quotes: `direct`, `reported` or
    /// `inferred` (`null` for an assumption).
    pub grade: Option<zopa_model::Grade>,
    /// The quotes that state it.
    pub quotes: Vec<QuoteRef>,
    /// Other quotes beside it that state nothing about it.
    pub context: Vec<QuoteRef>,
    /// The analyst's note.
    pub note: Option<String>,
    /// Who answers for it when assumed (the basis's `author`, else the
    /// scenario's `analyst`).
    pub author: Option<String>,
}

/// A quote with where it is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuoteRef {
    /// Source id.
    pub source: String,
    /// 1-based line of the source where the quote starts.
    pub line: usize,
    /// Actor id of the speaker, if a party.
    pub speaker: Option<String>,
    /// The words.
    pub quote: String,
    /// `direct`, `reported` or `inferred`.
    pub grade: zopa_model::Grade,
}

/// An option, by issue and id, with its label.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OptionRef {
    /// Issue id.
    pub issue: String,
    /// Option id.
    pub option: String,
    /// Label.
    pub label: String,
}

fn quote(s: &Scenario, e: &Evidence) -> QuoteRef {
    QuoteRef {
        source: s.sources()[e.source].id.clone(),
        line: e.line,
        speaker: e.speaker.map(|a| s.actors()[a].id.clone()),
        quote: e.quote.clone(),
        grade: e.grade,
    }
}

fn row(s: &Scenario, c: &Claim<'_>) -> ClaimRow {
    let issue = c.issue.map(|i| &s.issues()[i]);
    ClaimRow {
        id: c.id(s),
        actor: c.actor.map(|a| s.actors()[a].id.clone()),
        issue: issue.map(|i| i.id.clone()),
        option: issue.zip(c.option).map(|(i, o)| i.options[o].id.clone()),
        kind: c.kind,
        claim: c.text.clone(),
        basis: if c.is_quoted() { "quoted" } else { "assumed" },
        grade: c.grade(),
        quotes: c.quotes.iter().map(|e| quote(s, e)).collect(),
        context: c.context.iter().map(|e| quote(s, e)).collect(),
        note: c.note.map(str::to_string),
        author: (!c.is_quoted())
            .then(|| c.author.map(str::to_string))
            .flatten(),
    }
}

/// The claims document of a scenario.
pub fn claims(s: &Scenario, origin: &str) -> ClaimsDoc {
    let claims = s.claims();
    let sourced = s.sourced_options(&claims);
    let analyst_options = s
        .issues()
        .iter()
        .zip(&sourced)
        .flat_map(|(issue, sourced)| {
            issue
                .options
                .iter()
                .zip(sourced)
                .filter(|&(_, &sourced)| !sourced)
                .map(move |(o, _)| OptionRef {
                    issue: issue.id.clone(),
                    option: o.id.clone(),
                    label: o.label.clone(),
                })
        })
        .collect();
    ClaimsDoc {
        schema: "zopa.claims/1",
        origin: origin.to_string(),
        scenario: s.meta().id.clone(),
        analyst: s.meta().analyst.clone(),
        counts: s.claim_counts(),
        claims: claims.iter().map(|c| row(s, c)).collect(),
        analyst_options,
        unmodelled: s
            .unmodelled()
            .iter()
            .map(|u| UnmodelledRow {
                quote: quote(s, &u.evidence),
                reason: u.reason.clone(),
            })
            .collect(),
    }
}
