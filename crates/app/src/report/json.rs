//! The `--json` report: stable wire types, documented in `docs/json-report.md`.
//!
//! These types are the compatibility promise; analysis types are not
//! serialisable on purpose. Bump [`SCHEMA`] on any incompatible change.
//! They borrow from the scenario and the analysis, so a frontier of a
//! million packages is decoded as it is written, never held twice; their
//! `utoipa` schemas are the API's response schemas, and the plots and the
//! HTML report are drawn from [`document`], the same value that is written.

use serde::Serialize;
use utoipa::ToSchema;
use zopa_analysis::{Concept, Frontier, Point, Solution, Unblocking};
use zopa_model::{RedLineRef, Scenario};

use super::Report;

/// Schema identifier written in every report.
pub const SCHEMA: &str = "zopa.analysis/1";

/// `zopa.analysis/1`: the whole analysis of a scenario.
#[derive(Serialize, ToSchema)]
#[schema(as = analysis::Report)]
pub struct AnalysisJson<'a> {
    /// `zopa.analysis/1`.
    pub schema: &'static str,
    /// Which scenario.
    pub scenario: WScenario<'a>,
    /// Plain-language findings, in reading order.
    pub summary: Vec<super::summary::Finding>,
    /// The actors, in the scenario's order.
    pub actors: Vec<WActor<'a>>,
    /// The issues and their options, in the scenario's order.
    pub issues: Vec<WIssue<'a>>,
    /// How the claims are supported.
    pub evidence: WEvidence,
    /// Package counts.
    pub space: WSpace,
    /// How a deal passes: the scenario's decision rule.
    pub decision: WDecision<'a>,
    /// The Pareto frontier of the agreement space.
    pub agreement_frontier: WFrontier<'a>,
    /// The Pareto frontier of the whole outcome space.
    pub space_frontier: WFrontier<'a>,
    /// Each actor's best utility in the agreement space (`null` when it is
    /// empty), by actor id.
    #[schema(value_type = HashMap<String, Option<f64>>)]
    pub ideal: Utilities<'a>,
    /// Each solution concept's package (`null` when the agreement space is
    /// empty): `nash`, `kalai_smorodinsky`, `utilitarian`, `egalitarian`.
    pub solutions: WSolutions<'a>,
    /// The status quo, when declared.
    pub status_quo: Option<WStatusQuo<'a>>,
    /// Each red line that removes packages, and what dropping it would do.
    pub blocking: Vec<WBlocking<'a>>,
    /// Red lines dropped together.
    pub joint_blocking: WJoint<'a>,
    /// Each combination rejected together, and what dropping it would do.
    pub combination_blocking: Vec<WCombinationBlocking<'a>>,
    /// The demands the parties' quotes state, actor then issue order: what
    /// a what-if may make a red line (the robustness study's and the
    /// critical-assumption search's `insist` and `refuse` changes).
    pub stated_demands: Vec<WDemand<'a>>,
    /// What would clear an empty agreement space (`null` when it is not
    /// empty).
    pub unblocking: Option<WUnblocking>,
    /// Only when the agreement space is empty: the smallest sets of actors
    /// whose acceptance would let a package pass.
    pub opening: Option<WOpening<'a>>,
    /// The robustness study, when one was asked for
    /// (docs/json-report.md).
    pub robustness: Option<super::robust::RobustnessDoc>,
    /// What each headline conclusion depends on: the smallest sets of
    /// changes to the assumptions that reverse it (`null` when the search
    /// was turned off; docs/json-report.md).
    pub critical: Option<super::critical::CriticalDoc>,
    /// The scenario as written beside its interpretations and zopa's stress
    /// tests (`null` unless `--compare`; docs/json-report.md).
    pub comparison: Option<super::critical::ComparisonDoc>,
}

/// Red lines and combinations dropped together.
#[derive(Serialize, ToSchema)]
#[schema(as = analysis::Dropped)]
pub struct WDropped<'a> {
    /// The red lines dropped.
    pub red_lines: Vec<WRedLine>,
    /// The combinations dropped.
    pub combinations: Vec<WCombination<'a>>,
    /// Packages in the agreement space once they are dropped.
    pub agreement_if_dropped: u64,
    /// The Nash package once they are dropped.
    pub nash_if_dropped: Option<WSolution<'a>>,
}

/// A combination rejected together: `{actor, options: {issue: option}}`.
#[derive(Serialize, ToSchema)]
#[schema(as = analysis::Combination)]
pub struct WCombination<'a> {
    /// Who rejects it.
    pub actor: &'a str,
    /// Issue id → option id.
    #[schema(value_type = HashMap<String, String>)]
    pub options: WPairs<'a>,
    /// A conditional red line only: issue id → option id of the options
    /// that, all in the package, lift the rejection.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<HashMap<String, String>>)]
    pub unless: Option<WPairs<'a>>,
}

/// `(issue, option)` pairs as an `issue → option id` map, in issue order.
pub struct WPairs<'a>(&'a Scenario, &'a [(usize, usize)]);

impl Serialize for WPairs<'_> {
    fn serialize<S: serde::Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = ser.serialize_map(Some(self.1.len()))?;
        for &(i, o) in self.1 {
            let issue = &self.0.issues()[i];
            m.serialize_entry(&issue.id, &issue.options[o].id)?;
        }
        m.end()
    }
}

/// A combination and what dropping it would do.
#[derive(Serialize, ToSchema)]
#[schema(as = analysis::CombinationBlocking)]
pub struct WCombinationBlocking<'a> {
    /// The combination.
    #[serde(flatten)]
    pub combination: WCombination<'a>,
    /// Other actors who reject the same combination.
    pub also_rejected_by: Vec<&'a str>,
    /// Packages it alone removes from the agreement space.
    pub alone_removes: u64,
    /// Packages in the agreement space once it is dropped.
    pub agreement_if_dropped: u64,
    /// The Nash package once it is dropped.
    pub nash_if_dropped: Option<WSolution<'a>>,
    /// The same, dropping every actor's copy of it.
    pub all_copies_dropped: Option<WAllCopies<'a>>,
}

/// What dropping every copy of a combination would do.
#[derive(Serialize, ToSchema)]
#[schema(as = analysis::AllCopies)]
pub struct WAllCopies<'a> {
    /// Packages in the agreement space once every copy is dropped.
    pub agreement_if_dropped: u64,
    /// The Nash package then.
    pub nash_if_dropped: Option<WSolution<'a>>,
}

/// One actor's red lines and combinations dropped together.
#[derive(Serialize, ToSchema)]
#[schema(as = analysis::ActorDropped)]
pub struct WActorDropped<'a> {
    /// The actor.
    pub actor: &'a str,
    /// What is dropped and what it does.
    #[serde(flatten)]
    pub dropped: WDropped<'a>,
}

/// Red lines dropped together: per actor, in pairs, and the sets that
/// change the Nash package.
#[derive(Serialize, ToSchema)]
#[schema(as = analysis::Joint)]
pub struct WJoint<'a> {
    /// Every red line and combination of one actor.
    pub per_actor: Vec<WActorDropped<'a>>,
    /// Pairs of red lines.
    pub pairs: Vec<WDropped<'a>>,
    /// Smallest sets that move the Nash package.
    pub nash_changers: Vec<WDropped<'a>>,
    /// More sets were found than listed.
    pub nash_changers_truncated: bool,
    /// The search stopped at its budget.
    pub budget_exhausted: bool,
}

/// The status quo.
#[derive(Serialize, ToSchema)]
#[schema(as = analysis::StatusQuo)]
pub struct WStatusQuo<'a> {
    /// Its package.
    #[schema(value_type = WPackage)]
    pub package: OwnedPackage<'a>,
    /// It passes under the decision rule (every actor accepts it, under unanimity).
    pub in_agreement_space: bool,
    /// Actors who refuse it (a red line crossed or the reservation not met).
    pub refused_by: Vec<&'a str>,
}

/// Which scenario.
#[derive(Serialize, ToSchema)]
#[schema(as = analysis::Scenario)]
pub struct WScenario<'a> {
    /// Its id.
    pub id: &'a str,
    /// Its title.
    pub title: &'a str,
    /// Where it came from (a path, `builtin:NAME`, an upload's name).
    pub origin: &'a str,
}

/// An actor.
#[derive(Serialize, ToSchema)]
#[schema(as = analysis::Actor)]
pub struct WActor<'a> {
    /// Id.
    pub id: &'a str,
    /// Name.
    pub name: &'a str,
    /// Relative power.
    pub power: f64,
    /// Walk-away utility.
    pub reservation: f64,
    /// Issue id → normalised weight.
    #[schema(value_type = HashMap<String, Option<f64>>)]
    pub weights: Weights<'a>,
}

/// An issue.
#[derive(Serialize, ToSchema)]
#[schema(as = analysis::Issue)]
pub struct WIssue<'a> {
    /// Id.
    pub id: &'a str,
    /// Name.
    pub name: &'a str,
    /// Its options.
    pub options: Vec<WOption<'a>>,
}

/// An option of an issue.
#[derive(Serialize, ToSchema)]
#[schema(as = analysis::IssueOption)]
pub struct WOption<'a> {
    /// Id.
    pub id: &'a str,
    /// Label.
    pub label: &'a str,
}

/// How the scenario's claims are supported.
#[derive(Serialize, ToSchema)]
#[schema(as = analysis::Evidence)]
pub struct WEvidence {
    /// Claims in all.
    pub claims: usize,
    /// Claims resting on a verbatim quote.
    pub evidenced: usize,
    /// Of those, by the strongest grade of their quotes: the speaker's
    /// words in quotation marks (`direct`), a journalist's paraphrase
    /// (`reported`), the analyst's reading of a passage (`inferred`).
    pub by_grade: WGrades,
    /// Claims that are the analyst's assumptions.
    pub assumptions: usize,
    /// Options the analyst added (no source proposes them).
    pub analyst_options: usize,
}

/// Quoted claims by grade.
#[derive(Serialize, ToSchema)]
#[schema(as = analysis::Grades)]
pub struct WGrades {
    /// The speaker's words in quotation marks.
    pub direct: usize,
    /// A journalist's paraphrase.
    pub reported: usize,
    /// The analyst's reading of a passage.
    pub inferred: usize,
}

/// Package counts.
#[derive(Serialize, ToSchema)]
#[schema(as = analysis::Space)]
pub struct WSpace {
    /// Packages in the outcome space.
    pub size: u64,
    /// Packages crossing no red line.
    pub no_red_line: u64,
    /// Packages that pass under the decision rule (the ZOPA): under
    /// unanimity, those every actor accepts.
    pub agreement: u64,
    /// Packages every actor accepts (equal to `agreement` under unanimity).
    pub unanimous: u64,
}

/// The decision rule.
#[derive(Serialize, ToSchema)]
#[schema(as = analysis::Decision)]
pub struct WDecision<'a> {
    /// The rule in words, e.g. `at least 5 of 6 actors accept, including sportco, dot`.
    pub rule: String,
    /// Whether the scenario states it (`[decision]`); otherwise unanimity is zopa's default.
    pub stated: bool,
    /// Whether a quote states it (otherwise it is an assumption, or the default).
    pub quoted: bool,
    /// At least this many actors accept.
    pub at_least: usize,
    /// Actors whose acceptance is required.
    pub must_include: Vec<&'a str>,
    /// The accepting actors' least share of the total power (null: no condition).
    pub power_share: Option<f64>,
    /// Veto players in effect: actors without whom no deal passes (every
    /// actor under unanimity).
    pub vetoes: Vec<&'a str>,
    /// Whether every actor must accept.
    pub unanimity: bool,
}

/// A Pareto frontier.
#[derive(Serialize, ToSchema)]
#[schema(as = analysis::Frontier)]
pub struct WFrontier<'a> {
    /// Packages on it.
    pub size: usize,
    /// Packages listed (the request's `top`; all with 0).
    pub listed: usize,
    /// The first `listed`, by utility sum (descending), then index.
    #[schema(value_type = Vec<WPackage>)]
    pub packages: WPackages<'a>,
}

/// The first `listed` packages of a frontier, each decoded as it is written.
pub struct WPackages<'a> {
    s: &'a Scenario,
    frontier: &'a Frontier,
    listed: usize,
}

impl<'a> WPackages<'a> {
    /// The listed packages, decoded one at a time.
    pub fn iter(&self) -> impl Iterator<Item = Point> + 'a {
        self.frontier.iter().take(self.listed).map(|p| p.to_point())
    }
}

impl Serialize for WPackages<'_> {
    fn serialize<S: serde::Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = ser.serialize_seq(Some(self.listed))?;
        for p in self.iter() {
            seq.serialize_element(&package(self.s, &p))?;
        }
        seq.end()
    }
}

/// A package: its number, an option per issue and every actor's utility.
#[derive(Serialize, ToSchema)]
#[schema(as = analysis::Package)]
pub struct WPackage<'a> {
    /// Its number in the outcome space (mixed radix, last issue fastest).
    pub index: u64,
    /// Issue id → option id.
    #[schema(value_type = HashMap<String, String>)]
    pub options: WOptions<'a>,
    /// Actor id → utility.
    #[schema(value_type = HashMap<String, f64>)]
    pub utilities: Utilities<'a>,
    /// Under a decision rule other than unanimity: who accepts the
    /// package and whether they win (absent under unanimity).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coalition: Option<WCoalition<'a>>,
}

/// Who accepts a package, under a decision rule other than unanimity.
#[derive(Serialize, ToSchema)]
#[schema(as = analysis::Coalition)]
pub struct WCoalition<'a> {
    /// Whether the accepting actors form a winning coalition.
    pub passes: bool,
    /// Actors who accept it.
    pub accepting: Vec<&'a str>,
    /// Actors who do not (outvoted when it passes).
    pub outvoted: Vec<&'a str>,
    /// Accepting actors without whom it would no longer pass (empty when it does not pass).
    pub pivotal: Vec<&'a str>,
}

/// A package computed for the report (the status quo), written as a
/// [`WPackage`].
pub struct OwnedPackage<'a> {
    s: &'a Scenario,
    /// The package.
    pub point: Point,
}

impl Serialize for OwnedPackage<'_> {
    fn serialize<S: serde::Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        package(self.s, &self.point).serialize(ser)
    }
}

/// A package's options as an `issue id → option id` map.
pub struct WOptions<'a>(&'a Scenario, &'a [usize]);

/// Numbers by actor, as an `actor id → number` map (`null` when not
/// finite).
pub struct Utilities<'a>(&'a Scenario, &'a [f64]);

impl Utilities<'_> {
    /// The numbers, in actor order.
    pub fn values(&self) -> &[f64] {
        self.1
    }
}

/// An actor's weights as an `issue id → weight` map.
pub struct Weights<'a>(&'a Scenario, &'a [f64]);

impl Serialize for WOptions<'_> {
    fn serialize<S: serde::Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = ser.serialize_map(Some(self.1.len()))?;
        for (i, &o) in self.0.issues().iter().zip(self.1) {
            m.serialize_entry(&i.id, &i.options[o].id)?;
        }
        m.end()
    }
}

impl WOptions<'_> {
    /// The option ids, in issue order.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.0
            .issues()
            .iter()
            .zip(self.1)
            .map(|(i, &o)| i.options[o].id.as_str())
    }
}

impl Serialize for Utilities<'_> {
    fn serialize<S: serde::Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = ser.serialize_map(Some(self.1.len()))?;
        for (a, u) in self.0.actors().iter().zip(self.1) {
            m.serialize_entry(&a.id, u)?;
        }
        m.end()
    }
}

impl Serialize for Weights<'_> {
    fn serialize<S: serde::Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = ser.serialize_map(Some(self.1.len()))?;
        for (i, w) in self.0.issues().iter().zip(self.1) {
            m.serialize_entry(&i.id, w)?;
        }
        m.end()
    }
}

/// A solution concept's package and the value of its objective.
#[derive(Serialize, ToSchema)]
#[schema(as = analysis::Solution)]
pub struct WSolution<'a> {
    /// The objective's value (the Nash product, the smallest normalised
    /// gain, …).
    pub value: f64,
    /// The package.
    #[serde(flatten)]
    pub package: WPackage<'a>,
    /// What a reader should know about a recommended package (present on
    /// `solutions` only): an option the analyst introduced, a party's
    /// worst option.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flags: Option<Vec<super::flags::Flag>>,
}

/// Every solution concept's package, by concept key, in
/// [`Concept::ALL`]'s order.
pub struct WSolutions<'a>(Vec<(Concept, Option<WSolution<'a>>)>);

impl<'a> WSolutions<'a> {
    /// One concept's package.
    pub fn get(&self, c: Concept) -> Option<&WSolution<'a>> {
        self.0
            .iter()
            .find(|(k, _)| *k == c)
            .and_then(|(_, x)| x.as_ref())
    }
}

impl utoipa::PartialSchema for WSolutions<'_> {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Type};
        use utoipa::openapi::Ref;
        let mut o = ObjectBuilder::new().description(Some(
            "Each solution concept's package, `null` when the agreement space is empty.",
        ));
        for c in Concept::ALL {
            let nullable = OneOfBuilder::new()
                .item(Ref::from_schema_name(
                    <WSolution as utoipa::ToSchema>::name(),
                ))
                .item(ObjectBuilder::new().schema_type(Type::Null));
            o = o.property(c.key(), nullable).required(c.key());
        }
        o.into()
    }
}

impl utoipa::ToSchema for WSolutions<'_> {
    fn name() -> std::borrow::Cow<'static, str> {
        "analysis.Solutions".into()
    }

    fn schemas(
        out: &mut Vec<(
            String,
            utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
        )>,
    ) {
        use utoipa::PartialSchema;
        out.push((
            <WSolution as utoipa::ToSchema>::name().into(),
            WSolution::schema(),
        ));
        <WSolution as utoipa::ToSchema>::schemas(out);
    }
}

impl Serialize for WSolutions<'_> {
    fn serialize<S: serde::Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = ser.serialize_map(Some(self.0.len()))?;
        for (c, x) in &self.0 {
            m.serialize_entry(c.key(), x)?;
        }
        m.end()
    }
}

/// A demand a party's quote states.
#[derive(Serialize, ToSchema)]
#[schema(as = analysis::Demand)]
pub struct WDemand<'a> {
    /// Who states it.
    pub actor: &'a str,
    /// The issue.
    pub issue: &'a str,
    /// The option.
    pub option: &'a str,
    /// `insist`: the option is the party's stated best (as a red line,
    /// every other option of the issue is rejected); `refuse`: its stated
    /// worst (as a red line, this option is rejected).
    #[schema(value_type = String, example = "insist")]
    pub kind: &'static str,
}

/// A red line: an actor rejects an option of an issue.
#[derive(Serialize, ToSchema)]
#[schema(as = analysis::RedLine)]
pub struct WRedLine {
    /// Who rejects it.
    pub actor: String,
    /// The issue.
    pub issue: String,
    /// The option rejected.
    pub option: String,
}

/// A red line and what dropping it would do.
#[derive(Serialize, ToSchema)]
#[schema(as = analysis::Blocking)]
pub struct WBlocking<'a> {
    /// The red line.
    #[serde(flatten)]
    pub red_line: WRedLine,
    /// Packages that cross it.
    pub violating: u64,
    /// Other actors who reject the same option.
    pub also_rejected_by: Vec<String>,
    /// Packages it alone removes from the agreement space.
    pub alone_removes: u64,
    /// Packages in the agreement space once it is dropped.
    pub agreement_if_dropped: u64,
    /// The Nash package once it is dropped.
    pub nash_if_dropped: Option<WSolution<'a>>,
}

/// What would clear an empty agreement space.
#[derive(Serialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[schema(as = analysis::Unblocking)]
pub enum WUnblocking {
    /// Smallest sets of red lines whose dropping opens the space.
    Sets {
        /// The sets.
        sets: Vec<Vec<WRedLine>>,
        /// More sets exist than listed.
        truncated: bool,
    },
    /// Even with every red line dropped, the reservations conflict.
    ReservationsConflict,
    /// The search stopped at its budget.
    BudgetExhausted {
        /// Sets tried.
        tried: u64,
        /// Size of the sets when it stopped.
        exhausted_size: usize,
    },
}

fn package<'a>(s: &'a Scenario, p: &'a Point) -> WPackage<'a> {
    WPackage {
        index: p.index,
        options: WOptions(s, &p.options),
        utilities: Utilities(s, &p.utilities),
        coalition: coalition(s, &p.options, &p.utilities),
    }
}

/// Who accepts the package, when the rule is not unanimity.
fn coalition<'a>(s: &'a Scenario, options: &[usize], utilities: &[f64]) -> Option<WCoalition<'a>> {
    let d = s.decision();
    if d.is_unanimity() {
        return None;
    }
    let members = s.accepting(options, utilities);
    let ids = |keep: &dyn Fn(usize) -> bool| -> Vec<&'a str> {
        s.actors()
            .iter()
            .enumerate()
            .filter(|(k, _)| keep(*k))
            .map(|(_, a)| a.id.as_str())
            .collect()
    };
    let pivotal = d.pivotal(&members);
    Some(WCoalition {
        passes: d.wins(&members),
        accepting: ids(&|k| members[k]),
        outvoted: ids(&|k| !members[k]),
        pivotal: ids(&|k| pivotal.contains(&k)),
    })
}

/// The decision rule as the report states it.
pub fn decision(s: &Scenario) -> WDecision<'_> {
    let d = s.decision();
    let id = |k: &usize| s.actors()[*k].id.as_str();
    let ids: Vec<&str> = s.actors().iter().map(|a| a.id.as_str()).collect();
    WDecision {
        rule: d.describe(&ids),
        stated: d.stated,
        quoted: d.is_quoted(),
        at_least: d.at_least,
        must_include: d.must_include.iter().map(id).collect(),
        power_share: d.power_share,
        vetoes: d.vetoes().iter().map(id).collect(),
        unanimity: d.is_unanimity(),
    }
}

fn solution<'a>(s: &'a Scenario, x: &'a Solution) -> WSolution<'a> {
    WSolution {
        value: x.value,
        package: package(s, &x.point),
        flags: None,
    }
}

fn dropped<'a>(s: &'a Scenario, d: &'a zopa_analysis::Dropped) -> WDropped<'a> {
    WDropped {
        red_lines: d.red_lines.iter().map(|&r| red_line(s, r)).collect(),
        combinations: d
            .combinations
            .iter()
            .map(|&(a, k)| combination(s, a, k))
            .collect(),
        agreement_if_dropped: d.agreement_if_dropped,
        nash_if_dropped: d.nash_if_dropped.as_ref().map(|x| solution(s, x)),
    }
}

fn joint<'a>(s: &'a Scenario, j: &'a zopa_analysis::Joint) -> WJoint<'a> {
    WJoint {
        per_actor: j
            .per_actor
            .iter()
            .map(|(a, d)| WActorDropped {
                actor: &s.actors()[*a].id,
                dropped: dropped(s, d),
            })
            .collect(),
        pairs: j.pairs.iter().map(|d| dropped(s, d)).collect(),
        nash_changers: j.nash_changers.iter().map(|d| dropped(s, d)).collect(),
        nash_changers_truncated: j.nash_changers_truncated,
        budget_exhausted: j.budget_exhausted,
    }
}

/// `{actor, options: {issue: option}}`.
fn combination(s: &Scenario, a: usize, k: usize) -> WCombination<'_> {
    let c = &s.actors()[a].combinations[k];
    WCombination {
        actor: &s.actors()[a].id,
        options: WPairs(s, &c.options),
        unless: (!c.unless.is_empty()).then(|| WPairs(s, &c.unless)),
    }
}

fn red_line(s: &Scenario, r: RedLineRef) -> WRedLine {
    WRedLine {
        actor: s.actors()[r.actor].id.clone(),
        issue: s.issues()[r.issue].id.clone(),
        option: s.issues()[r.issue].options[r.option].id.clone(),
    }
}

fn frontier<'a>(s: &'a Scenario, points: &'a Frontier, listed: usize) -> WFrontier<'a> {
    WFrontier {
        size: points.len(),
        listed,
        packages: WPackages {
            s,
            frontier: points,
            listed,
        },
    }
}

fn actor<'a>(s: &'a Scenario, x: &'a zopa_model::Actor) -> WActor<'a> {
    WActor {
        id: &x.id,
        name: &x.name,
        power: x.power,
        reservation: x.reservation,
        weights: Weights(s, &x.weights),
    }
}

fn issue(i: &zopa_model::Issue) -> WIssue<'_> {
    WIssue {
        id: &i.id,
        name: &i.name,
        options: i
            .options
            .iter()
            .map(|o| WOption {
                id: &o.id,
                label: &o.label,
            })
            .collect(),
    }
}

fn blocking<'a>(s: &'a Scenario, b: &'a zopa_analysis::Blocking) -> WBlocking<'a> {
    WBlocking {
        red_line: red_line(s, b.red_line),
        violating: b.violating,
        also_rejected_by: b
            .also_rejected_by
            .iter()
            .map(|&x| s.actors()[x].id.clone())
            .collect(),
        alone_removes: b.alone_removes,
        agreement_if_dropped: b.agreement_if_dropped,
        nash_if_dropped: b.nash_if_dropped.as_ref().map(|x| solution(s, x)),
    }
}

fn combination_blocking<'a>(
    s: &'a Scenario,
    c: &'a zopa_analysis::CombinationBlocking,
) -> WCombinationBlocking<'a> {
    WCombinationBlocking {
        combination: combination(s, c.actor, c.index),
        also_rejected_by: c
            .also_rejected_by
            .iter()
            .map(|&x| s.actors()[x].id.as_str())
            .collect(),
        alone_removes: c.alone_removes,
        agreement_if_dropped: c.agreement_if_dropped,
        nash_if_dropped: c.nash_if_dropped.as_ref().map(|x| solution(s, x)),
        all_copies_dropped: c.all_copies_dropped.as_ref().map(|(n, x)| WAllCopies {
            agreement_if_dropped: *n,
            nash_if_dropped: x.as_ref().map(|x| solution(s, x)),
        }),
    }
}

/// Who must be brought around when nothing passes.
#[derive(Serialize, ToSchema)]
#[schema(as = analysis::Opening)]
pub struct WOpening<'a> {
    /// The smallest sets of actor ids whose acceptance of everything (red
    /// lines and reservations set aside) would let some package pass.
    pub sets: Vec<Vec<&'a str>>,
    /// More sets of that size exist than are listed.
    pub truncated: bool,
    /// The search stopped before trying every smaller set.
    pub incomplete: bool,
}

fn opening<'a>(s: &'a Scenario, o: &zopa_analysis::Opening) -> WOpening<'a> {
    WOpening {
        sets: o
            .sets
            .iter()
            .map(|set| set.iter().map(|&a| s.actors()[a].id.as_str()).collect())
            .collect(),
        truncated: o.truncated,
        incomplete: o.incomplete,
    }
}

fn unblocking(s: &Scenario, u: &Unblocking) -> WUnblocking {
    match u {
        Unblocking::Sets { sets, truncated } => WUnblocking::Sets {
            sets: sets
                .iter()
                .map(|set| set.iter().map(|&r| red_line(s, r)).collect())
                .collect(),
            truncated: *truncated,
        },
        Unblocking::ReservationsConflict => WUnblocking::ReservationsConflict,
        Unblocking::BudgetExhausted {
            tried,
            exhausted_size,
        } => WUnblocking::BudgetExhausted {
            tried: *tried,
            exhausted_size: *exhausted_size,
        },
    }
}

/// The report as its typed document, borrowing from the scenario and the
/// analysis (nothing proportional to the frontier is built).
pub fn document<'a>(r: &Report<'a>) -> AnalysisJson<'a> {
    let s = r.scenario;
    let a = r.analysis;
    let ev = r.evidence();
    let flagger = super::flags::Flagger::new(s);
    AnalysisJson {
        schema: SCHEMA,
        summary: r.summary(),
        scenario: WScenario {
            id: &s.meta().id,
            title: &s.meta().title,
            origin: r.origin,
        },
        actors: s.actors().iter().map(|x| actor(s, x)).collect(),
        issues: s.issues().iter().map(issue).collect(),
        evidence: WEvidence {
            claims: ev.claims,
            evidenced: ev.quoted,
            assumptions: ev.assumed,
            analyst_options: ev.analyst_options,
            by_grade: WGrades {
                direct: ev.direct,
                reported: ev.reported,
                inferred: ev.inferred,
            },
        },
        space: WSpace {
            size: a.space_size,
            no_red_line: a.no_red_line_size,
            agreement: a.agreement_size,
            unanimous: a.unanimous_size,
        },
        decision: decision(s),
        agreement_frontier: frontier(
            s,
            &a.agreement_frontier,
            r.listed(a.agreement_frontier.len()),
        ),
        space_frontier: frontier(s, &a.space_frontier, r.listed(a.space_frontier.len())),
        ideal: Utilities(s, &a.ideal),
        solutions: WSolutions(
            Concept::ALL
                .iter()
                .map(|&c| {
                    let flagged = |x: &'a Solution| WSolution {
                        flags: Some(flagger.flags(&x.point.options)),
                        ..solution(s, x)
                    };
                    (c, a.solution(c).map(flagged))
                })
                .collect(),
        ),
        status_quo: r.status_quo().map(|v| WStatusQuo {
            in_agreement_space: v.passes,
            refused_by: v
                .refused_by
                .iter()
                .map(|&k| s.actors()[k].id.as_str())
                .collect(),
            package: OwnedPackage { s, point: v.point },
        }),
        blocking: a.blocking.iter().map(|b| blocking(s, b)).collect(),
        joint_blocking: joint(s, &a.joint),
        combination_blocking: a
            .combinations
            .iter()
            .map(|c| combination_blocking(s, c))
            .collect(),
        stated_demands: s
            .stated_demands()
            .iter()
            .map(|d| {
                let issue = &s.issues()[d.issue];
                WDemand {
                    actor: &s.actors()[d.actor].id,
                    issue: &issue.id,
                    option: &issue.options[d.option].id,
                    kind: if d.best { "insist" } else { "refuse" },
                }
            })
            .collect(),
        robustness: r.robustness.map(|x| super::robust::document(s, a, x)),
        critical: r.critical.cloned(),
        comparison: r.comparison.cloned(),
        unblocking: a.unblocking.as_ref().map(|u| unblocking(s, u)),
        opening: a.opening.as_ref().map(|o| opening(s, o)),
    }
}

/// Write the report as pretty JSON (with a final newline), streaming.
pub fn write(r: &Report<'_>, out: &mut impl std::io::Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &document(r))?;
    out.write_all(b"\n")
}
