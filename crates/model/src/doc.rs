//! The scenario file schema, as written by people: ids are strings, nothing is
//! resolved or checked yet. [`crate::validate`] turns a [`ScenarioDoc`] into a
//! checked [`crate::Scenario`]; [`ScenarioDoc`] also serialises back to TOML/JSON.
//!
//! The format is documented in `docs/scenario-format.md`.

use serde::ser::{SerializeMap, SerializeStruct};
use serde::{Serialize, Serializer};

use crate::diag::Span;

/// A value with the span it was read from (`None` when built in code).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Sp<T> {
    /// The value.
    pub value: T,
    /// Where it came from in the input text.
    pub span: Option<Span>,
}

impl<T> Sp<T> {
    /// A value with a span.
    pub fn new(value: T, span: Span) -> Self {
        Sp {
            value,
            span: Some(span),
        }
    }
    /// A value without a span (built in code).
    pub fn bare(value: T) -> Self {
        Sp { value, span: None }
    }
}

impl<T: Serialize> Serialize for Sp<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(s)
    }
}

/// An ordered `key = number` table (saliences, option values), keys with spans.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NumMap {
    /// Entries in document order.
    pub entries: Vec<(Sp<String>, Sp<f64>)>,
    /// The span of the whole table.
    pub span: Option<Span>,
}

impl Serialize for NumMap {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.entries.len()))?;
        for (k, v) in &self.entries {
            m.serialize_entry(&k.value, &v.value)?;
        }
        m.end()
    }
}

/// A whole scenario file.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct ScenarioDoc {
    /// `[scenario]`: metadata.
    pub scenario: MetaDoc,
    /// `[[sources]]`: documents quoted as evidence.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<SourceDoc>,
    /// `[[issues]]`: the issues and their ordered options.
    pub issues: Vec<IssueDoc>,
    /// `[[actors]]`: the parties and their preferences.
    pub actors: Vec<ActorDoc>,
    /// `[[unmodelled]]`: statements of the sources deliberately left out, each
    /// with the reason.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unmodelled: Vec<UnmodelledDoc>,
    /// `[status_quo]`: the package that holds if there is no deal.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_quo: Option<StatusQuoDoc>,
    /// `[decision]`: how a deal passes (absent: every actor must accept).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision: Option<DecisionDoc>,
    /// `[[interpretations]]`: named alternative readings of the evidence.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub interpretations: Vec<InterpretationDoc>,
    /// `[bands]`: how far studies move the assumptions (absent: defaults).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bands: Option<BandsDoc>,
    /// Where the actors array is (for "too few actors").
    #[serde(skip)]
    pub actors_span: Option<Span>,
}

/// Scenario metadata.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct MetaDoc {
    /// Short machine name, e.g. `security-guarantees`.
    pub id: Sp<String>,
    /// Human title.
    pub title: Sp<String>,
    /// Longer description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Date the scenario describes (free text, ISO 8601 recommended).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Who modelled it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub analyst: Option<String>,
}

/// A source document.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct SourceDoc {
    /// Id used by evidence items.
    pub id: Sp<String>,
    /// Title of the document.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Path of the text, relative to the scenario file.
    pub path: Sp<String>,
    /// Where the document was published.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// When it was published (free text; ISO 8601 recommended): a
    /// negotiation followed over time dates each report.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

/// An issue.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct IssueDoc {
    /// Id.
    pub id: Sp<String>,
    /// Human name.
    pub name: Sp<String>,
    /// Longer description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Words and phrases by which a text speaks of the issue (for `zopa evidence`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<Sp<String>>,
    /// Options, in scale order (first = 0, last = 100 on the forecasting scale).
    pub options: Sp<Vec<OptionDoc>>,
}

/// One option of an issue.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct OptionDoc {
    /// Id.
    pub id: Sp<String>,
    /// Human label.
    pub label: Sp<String>,
    /// Words and phrases by which a text speaks of the option (for `zopa evidence`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<Sp<String>>,
    /// Quotes that mention this option (an option no quote mentions is
    /// introduced by the analyst).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<EvidenceDoc>,
}

/// A statement of a source that the scenario does not model, and why.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct UnmodelledDoc {
    /// The statement (its `states` must be empty).
    #[serde(flatten)]
    pub evidence: EvidenceDoc,
    /// Why it is not modelled.
    pub reason: Sp<String>,
}

/// `[status_quo]`: the package that holds without agreement.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StatusQuoDoc {
    /// `options = { issue = option, … }`: one option per issue.
    pub options: Vec<(Sp<String>, Sp<String>)>,
    /// Grounds: evidence items state issues with `states = { issues = [...] }`.
    pub basis: BasisDoc,
    /// Span of the table.
    pub span: Option<Span>,
}

impl Serialize for StatusQuoDoc {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("StatusQuoDoc", 5)?;
        st.serialize_field("options", &OptionPairs(&self.options))?;
        basis_fields(&mut st, &self.basis)?;
        st.end()
    }
}

/// `[decision]`: the conditions under which a deal passes; all stated ones
/// must hold.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DecisionDoc {
    /// `at_least = k`: at least k actors accept (a whole number; absent: no
    /// condition on the count).
    pub at_least: Option<Sp<f64>>,
    /// `must_include = [actor, …]`: actors whose acceptance is required (vetoes).
    pub must_include: Vec<Sp<String>>,
    /// `power_share = q`: the accepting actors hold at least this share of
    /// the total power, in (0, 1].
    pub power_share: Option<Sp<f64>>,
    /// Grounds: quotes stating the rule, or an assumption with a note.
    pub basis: BasisDoc,
    /// Span of the table.
    pub span: Option<Span>,
}

impl Serialize for DecisionDoc {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("DecisionDoc", 7)?;
        if let Some(k) = &self.at_least {
            // A whole number, written as one.
            st.serialize_field("at_least", &(k.value as u64))?;
        }
        if !self.must_include.is_empty() {
            st.serialize_field("must_include", &self.must_include)?;
        }
        if let Some(q) = &self.power_share {
            st.serialize_field("power_share", &q.value)?;
        }
        basis_fields(&mut st, &self.basis)?;
        st.end()
    }
}

/// `[[interpretations]]`: a named alternative reading of the evidence that
/// overrides claims, with its own grounds.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct InterpretationDoc {
    /// Id (unique among interpretations).
    pub id: Sp<String>,
    /// What the reading says, in a few words.
    pub name: Sp<String>,
    /// `red_lines = [{ actor, issue, option }, …]`: red lines it adds.
    pub red_lines: Vec<RefDoc>,
    /// `drop_red_lines = [{ actor, issue, option }, …]`: red lines it drops.
    pub drop_red_lines: Vec<RefDoc>,
    /// `reservations = { actor = r, … }`: walk-away utilities it sets.
    pub reservations: NumMap,
    /// `values = [{ actor, issue, option, value }, …]`: option values it sets.
    pub values: Vec<RefDoc>,
    /// Grounds: quotes as context, and the analyst's note.
    pub basis: BasisDoc,
    /// Span of the table.
    pub span: Option<Span>,
}

/// `[bands]`: the analyst's bands for robustness, sensitivity and the
/// critical-assumption search; each key is optional.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct BandsDoc {
    /// Assumed option values move by up to this much, in [0, 1].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<Sp<f64>>,
    /// Assumed saliences scale by 1 ± this, in [0, 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub salience: Option<Sp<f64>>,
    /// Assumed powers scale by 1 ± this, in [0, 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub power: Option<Sp<f64>>,
    /// Assumed reservations move by up to this much, in [0, 1].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reservation: Option<Sp<f64>>,
    /// Probability that an assumed red line is dropped, in [0, 1].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub red_line_drop: Option<Sp<f64>>,
    /// Probability that a stated demand becomes a red line, in [0, 1].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub red_line_add: Option<Sp<f64>>,
    /// Probability that an assumed status-quo option moves, in [0, 1].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_quo_move: Option<Sp<f64>>,
    /// Why these bands.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Span of the table.
    #[serde(skip)]
    pub span: Option<Span>,
}

/// One `{ actor, issue, option }` (with `value` for a value override).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RefDoc {
    /// Actor id.
    pub actor: Sp<String>,
    /// Issue id.
    pub issue: Sp<String>,
    /// Option id.
    pub option: Sp<String>,
    /// The value (value overrides only).
    pub value: Option<Sp<f64>>,
    /// Span of the table.
    pub span: Option<Span>,
}

impl Serialize for RefDoc {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("RefDoc", 4)?;
        st.serialize_field("actor", &self.actor)?;
        st.serialize_field("issue", &self.issue)?;
        st.serialize_field("option", &self.option)?;
        if let Some(v) = &self.value {
            st.serialize_field("value", &v.value)?;
        }
        st.end()
    }
}

impl Serialize for InterpretationDoc {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("InterpretationDoc", 10)?;
        st.serialize_field("id", &self.id)?;
        st.serialize_field("name", &self.name)?;
        if !self.red_lines.is_empty() {
            st.serialize_field("red_lines", &self.red_lines)?;
        }
        if !self.drop_red_lines.is_empty() {
            st.serialize_field("drop_red_lines", &self.drop_red_lines)?;
        }
        if !self.reservations.entries.is_empty() {
            st.serialize_field("reservations", &self.reservations)?;
        }
        if !self.values.is_empty() {
            st.serialize_field("values", &self.values)?;
        }
        basis_fields(&mut st, &self.basis)?;
        st.end()
    }
}

/// The grounds for a claim: evidence quotes, or an analyst's assumption.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct BasisDoc {
    /// Verbatim quotes from sources.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<EvidenceDoc>,
    /// `true` when no source states this: it is the analyst's judgement.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub assumption: bool,
    /// Whose judgement, and why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Who made the assumption (default: the scenario's `analyst`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// Span of the table (or of the position holding these keys).
    #[serde(skip)]
    pub span: Option<Span>,
}

impl BasisDoc {
    /// Whether nothing was given at all.
    pub fn is_empty(&self) -> bool {
        self.evidence.is_empty() && !self.assumption && self.note.is_none() && self.author.is_none()
    }
}

/// One verbatim quote.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct EvidenceDoc {
    /// Source id.
    pub source: Sp<String>,
    /// The quote, verbatim from the source.
    pub quote: Sp<String>,
    /// The actor whose words these are (directly or reported). Without it
    /// the quote is context: it makes no claim quoted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub speaker: Option<Sp<String>>,
    /// What the quote states, declared by the analyst and checked against
    /// the numbers (see `docs/scenario-format.md`).
    #[serde(skip_serializing_if = "StatesDoc::is_empty")]
    pub states: StatesDoc,
    /// `grade = "direct" | "reported" | "inferred"` (absent: read from the
    /// source — direct inside quotation marks, reported otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grade: Option<Sp<String>>,
}

/// `states = { best, worst, order, issues }`: the claims a quote states.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct StatesDoc {
    /// Options (or, for saliences, issues) stated to be the best.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub best: Vec<Sp<String>>,
    /// Options (or issues) stated to be the worst.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub worst: Vec<Sp<String>>,
    /// Options (or issues) in a stated order, best first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub order: Vec<Sp<String>>,
    /// Issues whose status-quo option the quote states.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub issues: Vec<Sp<String>>,
    /// Span of the table.
    #[serde(skip)]
    pub span: Option<Span>,
}

impl StatesDoc {
    /// Whether the quote states nothing (it is context).
    pub fn is_empty(&self) -> bool {
        self.best.is_empty()
            && self.worst.is_empty()
            && self.order.is_empty()
            && self.issues.is_empty()
    }
}

/// An actor and its preferences.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct ActorDoc {
    /// Id.
    pub id: Sp<String>,
    /// Human name.
    pub name: Sp<String>,
    /// Other names a text may use for the actor: states, capitals,
    /// institutions, office holders (for `zopa evidence`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<Sp<String>>,
    /// Power/capability, a positive number (relative scale).
    pub power: Sp<f64>,
    /// Grounds for `power`.
    #[serde(skip_serializing_if = "BasisDoc::is_empty")]
    pub power_basis: BasisDoc,
    /// Walk-away utility in [0, 1], or the status quo's utility.
    pub reservation: Sp<ReservationDoc>,
    /// Grounds for `reservation`.
    #[serde(skip_serializing_if = "BasisDoc::is_empty")]
    pub reservation_basis: BasisDoc,
    /// Salience (weight) of each issue; normalised to sum 1.
    pub salience: NumMap,
    /// Grounds for `salience`.
    #[serde(skip_serializing_if = "BasisDoc::is_empty")]
    pub salience_basis: BasisDoc,
    /// Position on each issue.
    pub positions: Vec<PositionDoc>,
    /// `[[actors.red_line_combinations]]`: combinations of options (on
    /// different issues) the actor rejects together.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub red_line_combinations: Vec<CombinationDoc>,
    /// `[[actors.interactions]]`: a bonus or penalty when two options (on
    /// two issues) come together.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub interactions: Vec<InteractionDoc>,
}

/// `options = { issue = option, … }` (at least two issues) and a basis.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CombinationDoc {
    /// The options, by issue.
    pub options: Vec<(Sp<String>, Sp<String>)>,
    /// `unless = { issue = option, … }`: options that, all in the package,
    /// lift the rejection (a conditional red line).
    pub unless: Vec<(Sp<String>, Sp<String>)>,
    /// Grounds.
    pub basis: BasisDoc,
    /// Span of the table.
    pub span: Option<Span>,
}

/// `options = { issue = option, issue = option }`, `value`, and a basis.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct InteractionDoc {
    /// The two options, by issue.
    pub options: Vec<(Sp<String>, Sp<String>)>,
    /// Added to the actor's utility when both options are in the package, in [−1, 1].
    pub value: Sp<f64>,
    /// Grounds.
    pub basis: BasisDoc,
    /// Span of the table.
    pub span: Option<Span>,
}

/// Serialise `(issue, option)` pairs as a `{ issue = option }` table.
struct OptionPairs<'a>(&'a [(Sp<String>, Sp<String>)]);

impl Serialize for OptionPairs<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in self.0 {
            m.serialize_entry(&k.value, &v.value)?;
        }
        m.end()
    }
}

impl Serialize for CombinationDoc {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("CombinationDoc", 7)?;
        st.serialize_field("options", &OptionPairs(&self.options))?;
        if !self.unless.is_empty() {
            st.serialize_field("unless", &OptionPairs(&self.unless))?;
        }
        basis_fields(&mut st, &self.basis)?;
        st.end()
    }
}

impl Serialize for InteractionDoc {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("InteractionDoc", 7)?;
        st.serialize_field("options", &OptionPairs(&self.options))?;
        st.serialize_field("value", &self.value)?;
        basis_fields(&mut st, &self.basis)?;
        st.end()
    }
}

/// `reservation = 0.4` or `reservation = "status_quo"`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ReservationDoc {
    /// A number in [0, 1].
    Value(f64),
    /// The actor's utility of the `[status_quo]` package.
    StatusQuo,
}

impl Default for ReservationDoc {
    fn default() -> Self {
        ReservationDoc::Value(f64::NAN)
    }
}

impl Serialize for ReservationDoc {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            ReservationDoc::Value(x) => x.serialize(s),
            ReservationDoc::StatusQuo => s.serialize_str("status_quo"),
        }
    }
}

/// An actor's position on one issue.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PositionDoc {
    /// Issue id.
    pub issue: Sp<String>,
    /// Value in [0, 1] of every option.
    pub values: NumMap,
    /// Options this actor will not accept.
    pub red_lines: Vec<RedLineDoc>,
    /// Grounds for the position (keys `evidence`, `assumption`, `note` of the position table).
    pub basis: BasisDoc,
    /// Span of the position table.
    pub span: Option<Span>,
}

impl Serialize for PositionDoc {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("PositionDoc", 7)?;
        st.serialize_field("issue", &self.issue)?;
        st.serialize_field("values", &self.values)?;
        if !self.red_lines.is_empty() {
            st.serialize_field("red_lines", &self.red_lines)?;
        }
        basis_fields(&mut st, &self.basis)?;
        st.end()
    }
}

/// A red line: an option the actor will not accept.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RedLineDoc {
    /// Option id (of the position's issue).
    pub option: Sp<String>,
    /// Own grounds; when empty the red line shares the position's basis.
    pub basis: BasisDoc,
}

impl Serialize for RedLineDoc {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.basis.is_empty() {
            return self.option.serialize(s);
        }
        let mut st = s.serialize_struct("RedLineDoc", 5)?;
        st.serialize_field("option", &self.option)?;
        basis_fields(&mut st, &self.basis)?;
        st.end()
    }
}

/// Write a basis's keys inline into the table being serialised.
fn basis_fields<S: SerializeStruct>(st: &mut S, b: &BasisDoc) -> Result<(), S::Error> {
    if !b.evidence.is_empty() {
        st.serialize_field("evidence", &b.evidence)?;
    }
    if b.assumption {
        st.serialize_field("assumption", &true)?;
    }
    if let Some(n) = &b.note {
        st.serialize_field("note", n)?;
    }
    if let Some(a) = &b.author {
        st.serialize_field("author", a)?;
    }
    Ok(())
}

/// Errors writing a document.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// TOML serialisation failed.
    #[error("cannot write TOML")]
    Toml(#[from] toml::ser::Error),
    /// JSON serialisation failed.
    #[error("cannot write JSON")]
    Json(#[from] serde_json::Error),
}

impl ScenarioDoc {
    /// The document as TOML text.
    pub fn to_toml_string(&self) -> Result<String, WriteError> {
        Ok(toml::to_string_pretty(self)?)
    }
    /// The document as pretty JSON text.
    pub fn to_json_string(&self) -> Result<String, WriteError> {
        Ok(serde_json::to_string_pretty(self)? + "\n")
    }
}
