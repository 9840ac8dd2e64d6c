//! What the conclusions depend on, as a report shows it: each headline
//! conclusion, in words, with the smallest sets of changes to the
//! analyst's assumptions that would reverse it
//! ([`zopa_analysis::critical`]). Labels, never ids, in every sentence.

use serde::Serialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;
use zopa_analysis::critical::{Change, Conclusion, Critical, Headline, Outcome, Reversal, Skip};
use zopa_analysis::robustness::Assumed;
use zopa_model::{OutcomeSpace, Scenario};

use super::{and_list, capitalised};

/// Reversing sets a sentence names before it counts the rest.
const NAMED: usize = 2;

/// `zopa.analysis/1`'s `critical`: what each headline conclusion depends on.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = critical::Study)]
pub struct CriticalDoc {
    /// Why the search did not run (`null` when it did).
    pub skipped: Option<String>,
    /// Whether quoted claims were varied too (`--vary-quoted`).
    pub vary_quoted: bool,
    /// Most packages the what-ifs could walk in all.
    pub budget: u64,
    /// Largest set of changes tried.
    pub max_size: usize,
    /// How far assumed numbers were moved.
    pub bands: BandsDoc,
    /// Candidate changes (each to one claim).
    pub considered: usize,
    /// What-ifs evaluated (the scenario as it stands included).
    pub evaluated: u64,
    /// Packages they walked.
    pub packages: u64,
    /// Every set of changes up to this size was tried.
    pub complete_through: usize,
    /// Whether the budget ran out before every set up to `max_size` was tried.
    pub exhausted: bool,
    /// Agreement, the Nash package, then each actor's concessions.
    pub conclusions: Vec<ConclusionDoc>,
}

/// How far each kind of assumed number was moved.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = critical::Bands)]
pub struct BandsDoc {
    /// Option values move by this much, each way.
    pub value: f64,
    /// Saliences are multiplied by 1 − this and 1 + this.
    pub salience: f64,
    /// Reservations move by this much, each way.
    pub reservation: f64,
}

/// One headline conclusion and what reverses it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = critical::Conclusion)]
pub struct ConclusionDoc {
    /// `agreement`, `nash` or `concessions`.
    pub conclusion: &'static str,
    /// The actor whose concessions these are (`concessions` only).
    pub actor: Option<String>,
    /// The conclusion in words.
    pub text: String,
    /// "This conclusion holds unless …", in words.
    pub unless: String,
    /// Minimal reversing sets found (listed or not).
    pub found: u64,
    /// The first minimal reversing sets, smallest first.
    pub reversed_by: Vec<ReversalDoc>,
}

/// A minimal set of changes that reverses a conclusion.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = critical::Reversal)]
pub struct ReversalDoc {
    /// The changes, together.
    pub changes: Vec<ChangeDoc>,
    /// Packages that would pass.
    pub agreement: u64,
    /// The Nash package it would have (issue id → option id; `null`: none).
    #[schema(value_type = Option<HashMap<String, String>>)]
    pub nash: Option<Map<String, Value>>,
    /// The changes and their effect, in words.
    pub text: String,
}

/// One change to one claim.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = critical::Change)]
pub struct ChangeDoc {
    /// `insist`, `refuse`, `drop_red_line`, `drop_combination`,
    /// `reservation`, `rule`, `value` or `salience`.
    pub kind: &'static str,
    /// Whose claim (`null` for the decision rule).
    pub actor: Option<String>,
    /// Issue id.
    pub issue: Option<String>,
    /// Option id.
    pub option: Option<String>,
    /// The number as the scenario has it.
    pub from: Option<f64>,
    /// The number after the change.
    pub to: Option<f64>,
    /// The decision rule after the change.
    pub rule: Option<String>,
    /// Whether the claim changed is quoted (only with `--vary-quoted`; a
    /// stated demand made a red line rests on a quote either way).
    pub quoted: bool,
    /// The change in words.
    pub text: String,
}

/// `zopa.analysis/1`'s `comparison` (`--compare`): the scenario as written
/// beside each of its interpretations and zopa's stress tests.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = comparison::Comparison)]
pub struct ComparisonDoc {
    /// Why the readings were not compared (`null` when they were).
    pub skipped: Option<String>,
    /// As written first, then the interpretations in file order, then the
    /// stress tests.
    pub readings: Vec<ReadingDoc>,
}

/// One reading of the evidence and what it finds.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = comparison::Reading)]
pub struct ReadingDoc {
    /// `as_written`, `interpretation` or `stress_test`.
    pub kind: &'static str,
    /// `as_written`, the interpretation's id, or the stress test's key.
    pub id: String,
    /// What the reading says.
    pub name: String,
    /// Its grounds in words: the interpretation's note (or "quoted"), or
    /// how zopa builds the stress test.
    pub grounds: Option<String>,
    /// What it changes against the scenario as written.
    pub changes: Vec<ChangeDoc>,
    /// Packages that pass.
    pub agreement: u64,
    /// Its Nash package (issue id → option id; `null` when none passes).
    #[schema(value_type = Option<HashMap<String, String>>)]
    pub nash: Option<Map<String, Value>>,
    /// What it finds and what differs from the scenario as written, in words.
    pub text: String,
    /// When an issue has no option every party can accept: who rejects
    /// which of its options, in words (`null` otherwise).
    pub clash: Option<String>,
}

/// One reading to compare: kind, id, name, grounds and its changes.
pub struct Reading {
    /// `as_written`, `interpretation` or `stress_test`.
    pub kind: &'static str,
    /// Id or key.
    pub id: String,
    /// Name.
    pub name: String,
    /// Grounds in words.
    pub grounds: Option<String>,
    /// Changes against the scenario as written.
    pub changes: Vec<Change>,
}

/// The comparison document: each reading with what it finds (`outcomes`
/// in the same order; the first reading is the scenario as written).
pub fn comparison(s: &Scenario, readings: &[Reading], outcomes: &[Outcome]) -> ComparisonDoc {
    let space = OutcomeSpace::numbered(&s.radices()).expect("the comparison numbered this space");
    let w = Words {
        s,
        space: &space,
        assumed: Assumed::of(s),
    };
    let base = outcomes[0];
    let rows = readings
        .iter()
        .zip(outcomes)
        .map(|(r, &o)| ReadingDoc {
            kind: r.kind,
            id: r.id.clone(),
            name: r.name.clone(),
            grounds: r.grounds.clone(),
            changes: r.changes.iter().map(|c| w.change_doc(c)).collect(),
            agreement: o.agreement,
            nash: o
                .nash
                .map(|p| crate::documents::option_map(s, &space.options_of(p))),
            text: w.reading(r, o, base),
            clash: (o.agreement == 0).then(|| w.clash(&r.changes)).flatten(),
        })
        .collect();
    ComparisonDoc {
        skipped: None,
        readings: rows,
    }
}

/// The comparison that could not run, and why.
pub fn comparison_skipped(why: String) -> ComparisonDoc {
    ComparisonDoc {
        skipped: Some(why),
        readings: vec![],
    }
}

/// The document of a search, or of why it did not run.
pub fn document(
    s: &Scenario,
    c: &Result<Critical, Skip>,
    params: &zopa_analysis::critical::Params,
) -> CriticalDoc {
    let b = &params.bands;
    let mut doc = CriticalDoc {
        skipped: None,
        vary_quoted: params.vary_quoted,
        budget: params.budget,
        max_size: params.max_size,
        bands: BandsDoc {
            value: b.value,
            salience: b.salience,
            reservation: b.reservation,
        },
        considered: 0,
        evaluated: 0,
        packages: 0,
        complete_through: 0,
        exhausted: false,
        conclusions: vec![],
    };
    let c = match c {
        Ok(c) => c,
        Err(skip) => {
            doc.skipped = Some(skip.to_string());
            return doc;
        }
    };
    let space = OutcomeSpace::numbered(&s.radices()).expect("the search numbered this space");
    let w = Words {
        s,
        space: &space,
        assumed: Assumed::of(s),
    };
    doc.considered = c.changes.len();
    doc.evaluated = c.search.evaluated;
    doc.packages = u64::try_from(c.search.packages).unwrap_or(u64::MAX);
    doc.complete_through = c.search.complete;
    doc.exhausted = c.search.exhausted;
    doc.conclusions = c.conclusions.iter().map(|k| w.conclusion(c, k)).collect();
    doc
}

struct Words<'a> {
    s: &'a Scenario,
    space: &'a OutcomeSpace,
    assumed: Assumed,
}

/// A number with at most two decimals: `0.5`, `0.55`, `1`.
fn num(x: f64) -> String {
    let t = format!("{x:.2}");
    t.trim_end_matches('0').trim_end_matches('.').to_string()
}

impl Words<'_> {
    fn actor(&self, a: usize) -> &str {
        &self.s.actors()[a].name
    }

    /// An option's label, in quotation marks.
    fn option(&self, i: usize, o: usize) -> String {
        format!("“{}”", self.s.issues()[i].options[o].label)
    }

    /// An issue's name, in quotation marks.
    fn issue(&self, i: usize) -> String {
        format!("“{}”", self.s.issues()[i].name)
    }

    fn package(&self, index: u64) -> String {
        crate::report::summary::package_labels(self.s, &self.space.options_of(index))
    }

    fn conclusion(&self, c: &Critical, k: &Conclusion) -> ConclusionDoc {
        let (conclusion, actor, text) = match &k.headline {
            Headline::Agreement { possible: true } => (
                "agreement",
                None,
                format!(
                    "Agreement is possible: {} of the {} packages would pass.",
                    c.baseline.agreement,
                    self.space.size()
                ),
            ),
            Headline::Agreement { possible: false } => (
                "agreement",
                None,
                format!(
                    "No agreement is possible: none of the {} packages would pass.",
                    self.space.size()
                ),
            ),
            Headline::Nash { package } => (
                "nash",
                None,
                format!(
                    "The Nash package (the deal that maximises the product of every party's gain over walking away) is: {}.",
                    self.package(*package)
                ),
            ),
            Headline::Concessions { actor, issues } => {
                let names: Vec<String> = issues.iter().map(|&i| self.issue(i)).collect();
                let text = if names.is_empty() {
                    format!(
                        "In the Nash package {} gets its best option on every issue it cares about.",
                        self.actor(*actor)
                    )
                } else {
                    format!(
                        "In the Nash package {} concedes on {}.",
                        self.actor(*actor),
                        and_list(&names)
                    )
                };
                (
                    "concessions",
                    Some(self.s.actors()[*actor].id.clone()),
                    text,
                )
            }
        };
        ConclusionDoc {
            conclusion,
            actor,
            unless: self.unless(c, k),
            text,
            found: k.found,
            reversed_by: k.reversals.iter().map(|r| self.reversal(c, k, r)).collect(),
        }
    }

    /// "This conclusion holds unless …".
    fn unless(&self, c: &Critical, k: &Conclusion) -> String {
        let searched = self.searched(c);
        if k.found == 0 {
            return format!("No change searched reverses it ({searched}).");
        }
        let named: Vec<String> = k
            .reversals
            .iter()
            .take(NAMED)
            .map(|r| self.changes(c, r))
            .collect();
        let rest = k.found - named.len() as u64;
        let more = if rest == 0 {
            String::new()
        } else {
            format!(
                " — or any of {rest} other minimal set{} of changes",
                if rest == 1 { "" } else { "s" }
            )
        };
        format!(
            "This conclusion holds unless {}{more} ({searched}).",
            named.join("; or unless ")
        )
    }

    /// How far the search went, in words.
    fn searched(&self, c: &Critical) -> String {
        let what = if c.params.vary_quoted {
            "claims, quoted ones included"
        } else {
            "assumptions"
        };
        let n = c.changes.len();
        let sizes = match c.search.complete {
            0 => "not even every single change: the budget ran out".to_string(),
            1 => "every single change".to_string(),
            2 => "every single change and every pair".to_string(),
            k => format!("every set of up to {k} changes"),
        };
        let cut = if c.search.exhausted && c.search.complete > 0 {
            ", then the budget ran out"
        } else {
            ""
        };
        format!("searched: {sizes} of {n} changes to the {what}{cut}")
    }

    /// The changes of a reversal, joined.
    fn changes(&self, c: &Critical, r: &Reversal) -> String {
        let parts: Vec<String> = r
            .changes
            .iter()
            .map(|&i| self.change(&c.changes[i]))
            .collect();
        and_list(&parts)
    }

    fn reversal(&self, c: &Critical, k: &Conclusion, r: &Reversal) -> ReversalDoc {
        let effect = self.effect(&k.headline, r.outcome);
        ReversalDoc {
            changes: r
                .changes
                .iter()
                .map(|&i| self.change_doc(&c.changes[i]))
                .collect(),
            agreement: r.outcome.agreement,
            nash: r
                .outcome
                .nash
                .map(|p| crate::documents::option_map(self.s, &self.space.options_of(p))),
            text: format!("If {}: {effect}.", self.changes(c, r)),
        }
    }

    /// A reading in words: its changes, then what it finds against `base`.
    fn reading(&self, r: &Reading, o: Outcome, base: Outcome) -> String {
        let found = match (o.agreement, o.nash) {
            (0, _) => "no package passes, so no agreement is possible.".to_string(),
            (n, Some(p)) => format!(
                "{n} package(s) pass; the Nash package is: {}.",
                self.package(p)
            ),
            (n, None) => format!("{n} package(s) pass."),
        };
        if r.kind == "as_written" {
            return capitalised(&found);
        }
        if r.changes.is_empty() {
            return format!(
                "Nothing to change in this scenario. {}",
                capitalised(&found)
            );
        }
        let parts: Vec<String> = r.changes.iter().map(|c| self.change(c)).collect();
        let differs = match (base.agreement > 0, o.agreement > 0) {
            (true, false) => "Unlike the scenario as written, agreement is no longer possible.",
            (false, true) => "Unlike the scenario as written, agreement becomes possible.",
            _ if o.nash == base.nash && o.agreement == base.agreement => {
                "Nothing the analysis concludes changes."
            }
            _ if o.nash == base.nash => "The Nash package is the same as written.",
            _ => "The Nash package differs from the scenario as written.",
        };
        let clash = self
            .clash(&r.changes)
            .map(|c| format!(" {c}"))
            .unwrap_or_default();
        format!(
            "If {}: {found} ({} as written.) {differs}{clash}",
            and_list(&parts),
            base.agreement
        )
    }

    /// An issue on which the changes leave no option some party does not
    /// reject, in words: the clash that empties the agreement space.
    fn clash(&self, changes: &[Change]) -> Option<String> {
        let s = self.s;
        let mut rejected: Vec<Vec<Vec<usize>>> = s
            .issues()
            .iter()
            .map(|i| vec![vec![]; i.options.len()])
            .collect();
        for r in s.red_lines() {
            rejected[r.issue][r.option].push(r.actor);
        }
        for c in changes {
            match *c {
                Change::AddRedLine {
                    actor,
                    issue,
                    option,
                }
                | Change::Refuse {
                    actor,
                    issue,
                    option,
                } => rejected[issue][option].push(actor),
                Change::Insist {
                    actor,
                    issue,
                    option,
                } => (0..rejected[issue].len())
                    .filter(|&o| o != option)
                    .for_each(|o| rejected[issue][o].push(actor)),
                Change::DropRedLine {
                    actor,
                    issue,
                    option,
                } => rejected[issue][option].retain(|&a| a != actor),
                _ => {}
            }
        }
        let (i, options) = rejected
            .iter()
            .enumerate()
            .find(|(_, options)| options.iter().all(|who| !who.is_empty()))?;
        let mut by_actor: Vec<(usize, Vec<String>)> = Vec::new();
        for (o, who) in options.iter().enumerate() {
            let mut who = who.clone();
            who.sort_unstable();
            who.dedup();
            for a in who {
                match by_actor.iter_mut().find(|(x, _)| *x == a) {
                    Some((_, v)) => v.push(self.option(i, o)),
                    None => by_actor.push((a, vec![self.option(i, o)])),
                }
            }
        }
        by_actor.sort_by_key(|(a, _)| *a);
        let parts: Vec<String> = by_actor
            .iter()
            .map(|(a, v)| format!("{} rejects {}", self.actor(*a), and_list(v)))
            .collect();
        Some(format!(
            "The clash: no option of {} is left — {}.",
            self.issue(i),
            and_list(&parts)
        ))
    }

    fn effect(&self, h: &Headline, o: Outcome) -> String {
        match (h, o.nash) {
            (Headline::Agreement { .. }, _) if o.agreement == 0 => {
                "no package would pass".to_string()
            }
            (Headline::Agreement { .. }, _) => {
                format!("{} package(s) would pass", o.agreement)
            }
            (_, None) => "no package would pass, so there would be no Nash package".to_string(),
            (_, Some(p)) => format!("the Nash package would be: {}", self.package(p)),
        }
    }

    fn change_doc(&self, x: &Change) -> ChangeDoc {
        let s = self.s;
        let id = |a: usize| Some(s.actors()[a].id.clone());
        let issue = |i: usize| Some(s.issues()[i].id.clone());
        let option = |i: usize, o: usize| Some(s.issues()[i].options[o].id.clone());
        let mut d = ChangeDoc {
            kind: "",
            actor: None,
            issue: None,
            option: None,
            from: None,
            to: None,
            rule: None,
            quoted: self.quoted(x),
            text: self.change(x),
        };
        match *x {
            Change::Insist {
                actor,
                issue: i,
                option: o,
            }
            | Change::Refuse {
                actor,
                issue: i,
                option: o,
            }
            | Change::DropRedLine {
                actor,
                issue: i,
                option: o,
            }
            | Change::AddRedLine {
                actor,
                issue: i,
                option: o,
            } => {
                d.kind = match x {
                    Change::Insist { .. } => "insist",
                    Change::Refuse { .. } => "refuse",
                    Change::AddRedLine { .. } => "add_red_line",
                    _ => "drop_red_line",
                };
                (d.actor, d.issue, d.option) = (id(actor), issue(i), option(i, o));
            }
            Change::DropCombination { actor, .. } => {
                d.kind = "drop_combination";
                d.actor = id(actor);
            }
            Change::Reservation { actor, from, to } => {
                d.kind = "reservation";
                (d.actor, d.from, d.to) = (id(actor), Some(from), Some(to));
            }
            Change::Rule(ref rule) => {
                d.kind = "rule";
                let ids: Vec<&str> = s.actors().iter().map(|a| a.id.as_str()).collect();
                d.rule = Some(rule.describe(&ids));
            }
            Change::Value {
                actor,
                issue: i,
                option: o,
                from,
                to,
            } => {
                d.kind = "value";
                (d.actor, d.issue, d.option) = (id(actor), issue(i), option(i, o));
                (d.from, d.to) = (Some(from), Some(to));
            }
            Change::Salience {
                actor,
                issue: i,
                from,
                to,
                ..
            } => {
                d.kind = "salience";
                (d.actor, d.issue, d.from, d.to) = (id(actor), issue(i), Some(from), Some(to));
            }
        }
        d
    }

    /// Whether the claim a change varies is quoted.
    fn quoted(&self, x: &Change) -> bool {
        let a = &self.assumed;
        match *x {
            Change::DropRedLine {
                actor,
                issue,
                option,
            } => !a.red_lines[actor][issue][option],
            Change::DropCombination { actor, index } => !a.combinations[actor][index],
            Change::Reservation { actor, .. } => !a.reservations[actor],
            Change::Rule(_) => self.s.decision().is_quoted(),
            Change::Value {
                actor,
                issue,
                option,
                ..
            } => !a.values[actor][issue][option],
            Change::Salience { actor, .. } => !a.saliences[actor],
            Change::Insist { .. } | Change::Refuse { .. } | Change::AddRedLine { .. } => false,
        }
    }

    /// One change in words.
    fn change(&self, x: &Change) -> String {
        let s = self.s;
        let basis = |quoted: bool| if quoted { "quoted" } else { "assumed" };
        match *x {
            Change::Insist {
                actor,
                issue,
                option,
            } => format!(
                "{} makes its stated demand for {} a red line",
                self.actor(actor),
                self.option(issue, option)
            ),
            Change::Refuse {
                actor,
                issue,
                option,
            } => format!(
                "{} refuses {} outright, the option it states is its worst",
                self.actor(actor),
                self.option(issue, option)
            ),
            Change::DropRedLine {
                actor,
                issue,
                option,
            } => format!(
                "{} drops its {} red line against {}",
                self.actor(actor),
                basis(self.quoted(x)),
                self.option(issue, option)
            ),
            Change::AddRedLine {
                actor,
                issue,
                option,
            } => format!(
                "{} rejects {}",
                self.actor(actor),
                self.option(issue, option)
            ),
            Change::DropCombination { actor, index } => {
                let c = &s.actors()[actor].combinations[index];
                let parts: Vec<String> =
                    c.options.iter().map(|&(i, o)| self.option(i, o)).collect();
                if c.unless.is_empty() {
                    format!(
                        "{} accepts {} together after all ({} refusal dropped)",
                        self.actor(actor),
                        and_list(&parts),
                        basis(self.quoted(x))
                    )
                } else {
                    let unless: Vec<String> =
                        c.unless.iter().map(|&(i, o)| self.option(i, o)).collect();
                    format!(
                        "{} accepts {} even without {} ({} conditional refusal dropped)",
                        self.actor(actor),
                        and_list(&parts),
                        and_list(&unless),
                        basis(self.quoted(x))
                    )
                }
            }
            Change::Reservation { actor, from, to } => format!(
                "{}'s walk-away point {} from {} to {}",
                self.actor(actor),
                if to > from { "rises" } else { "falls" },
                num(from),
                num(to)
            ),
            Change::Rule(ref rule) => {
                let names: Vec<&str> = s.actors().iter().map(|a| a.name.as_str()).collect();
                format!("the decision rule becomes: {}", rule.describe(&names))
            }
            Change::Value {
                actor,
                issue,
                option,
                from,
                to,
            } => format!(
                "{} values {} at {} rather than {}",
                self.actor(actor),
                self.option(issue, option),
                num(to),
                num(from)
            ),
            Change::Salience {
                actor,
                issue,
                from,
                to,
                ..
            } => format!(
                "{} gives {} a weight of {} rather than {}",
                self.actor(actor),
                self.issue(issue),
                num(to),
                num(from)
            ),
        }
    }
}
