//! Claim-level provenance: every number and statement of a scenario as a
//! claim, quoted or assumed.
//!
//! A quote supports exactly what its evidence item declares it `states`, said
//! by the actor whose claim it is (`speaker`); validation checks those
//! declarations against the numbers. From them:
//!
//! * an option **value** is quoted only when a quote pins it: `best` states
//!   value 1, `worst` value 0 — every other value is an assumption;
//! * an **order** (`order = [a, b, c]`) is its own quoted claim; the numbers
//!   between stay assumptions;
//! * **saliences**, **powers** and **reservations** are numbers no quote can
//!   state: always assumptions (quotes beside them are context); stated
//!   salience orderings are quoted salience claims of their own;
//! * a **red line** (one option, or a combination of options rejected
//!   together) and an **interaction** term are quoted when their own
//!   evidence is spoken by their actor;
//! * the **status quo** is one claim per issue, quoted by quotes stating that
//!   issue (`states = { issues = [...] }`, any speaker: a fact, not a position).
//!
//! A basis marked `assumption = true` makes every claim it grounds an
//! assumption. Nothing else makes a claim quoted, so a file cannot make an
//! unsupported number look quoted.

use crate::scenario::*;

/// What a claim is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimKind {
    /// The value of one option to one actor.
    Value,
    /// A stated order of options.
    Order,
    /// An option the actor rejects, or a combination of options it rejects together.
    RedLine,
    /// A bonus or penalty on a pair of options.
    Interaction,
    /// One salience number, or a stated ordering of issues.
    Salience,
    /// The walk-away utility.
    Reservation,
    /// Capability.
    Power,
    /// The status quo's option on an issue.
    StatusQuo,
    /// How a deal passes (`[decision]`).
    Decision,
}

impl ClaimKind {
    /// The kind's machine name (`red_line`), as in the JSON.
    pub fn key(self) -> &'static str {
        match self {
            ClaimKind::Value => "value",
            ClaimKind::Order => "order",
            ClaimKind::RedLine => "red_line",
            ClaimKind::Interaction => "interaction",
            ClaimKind::Salience => "salience",
            ClaimKind::Reservation => "reservation",
            ClaimKind::Power => "power",
            ClaimKind::StatusQuo => "status_quo",
            ClaimKind::Decision => "decision",
        }
    }

    /// The kind as printed ("red line").
    pub fn label(self) -> &'static str {
        match self {
            ClaimKind::Value => "value",
            ClaimKind::Order => "order",
            ClaimKind::RedLine => "red line",
            ClaimKind::Interaction => "interaction",
            ClaimKind::Salience => "salience",
            ClaimKind::Reservation => "reservation",
            ClaimKind::Power => "power",
            ClaimKind::StatusQuo => "status quo",
            ClaimKind::Decision => "decision rule",
        }
    }
}

/// One claim and what it rests on.
#[derive(Debug, Clone)]
pub struct Claim<'a> {
    /// What it is about.
    pub kind: ClaimKind,
    /// Actor index (`None` for the status quo).
    pub actor: Option<usize>,
    /// Issue index, when the claim is about one issue.
    pub issue: Option<usize>,
    /// Option index, when the claim is about one option.
    pub option: Option<usize>,
    /// For a combination rejected together or an interaction term: its
    /// index among the actor's combinations (or interactions).
    pub index: Option<usize>,
    /// The claim in words with ids: `none = 1`, `none > monitors`, `0.45`.
    pub text: String,
    /// Quotes that state it (empty: an assumption).
    pub quotes: Vec<&'a Evidence>,
    /// Other quotes of the same basis, shown as context.
    pub context: Vec<&'a Evidence>,
    /// The analyst's note.
    pub note: Option<&'a str>,
    /// Who is responsible for it when assumed.
    pub author: Option<&'a str>,
}

impl Claim<'_> {
    /// Whether a quote states it.
    pub fn is_quoted(&self) -> bool {
        !self.quotes.is_empty()
    }

    /// A stable id naming the claim in `s` (its scenario): the kind, then
    /// the ids of its actor, issue and option, then its index (`#k`) for a
    /// combination or interaction, or its words for a stated order —
    /// `value:ukraine:guarantee:article5`, `red_line:russia:presence:nato_troops`,
    /// `reservation:us`, `red_line:europe:#0`, `salience:russia:presence weighs most`.
    /// Reports that cite claims use it (`zopa brief --json`).
    pub fn id(&self, s: &Scenario) -> String {
        let mut parts = vec![self.kind.key().to_string()];
        if let Some(a) = self.actor {
            parts.push(s.actors()[a].id.clone());
        }
        if let Some(i) = self.issue {
            parts.push(s.issues()[i].id.clone());
            if let Some(o) = self.option {
                parts.push(s.issues()[i].options[o].id.clone());
            }
        }
        if let Some(k) = self.index {
            parts.push(format!("#{k}"));
        }
        let stated = self.kind == ClaimKind::Order
            || (self.kind == ClaimKind::Salience && self.issue.is_none());
        if stated {
            parts.push(self.text.clone());
        }
        parts.join(":")
    }

    /// The strongest grade among the quotes that state it (`None`: an
    /// assumption): a claim one direct quote states is direct, even if a
    /// paraphrase states it too.
    pub fn grade(&self) -> Option<Grade> {
        self.quotes.iter().map(|e| e.grade).min()
    }
}

/// Quoted and assumed claims, counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct ClaimCounts {
    /// Every claim.
    pub claims: usize,
    /// Claims a quote states.
    pub quoted: usize,
    /// Of those, claims a direct quote states (the speaker's words in
    /// quotation marks).
    pub direct: usize,
    /// Claims whose strongest quote is a journalist's paraphrase.
    pub reported: usize,
    /// Claims whose strongest quote is the analyst's reading of a passage.
    pub inferred: usize,
    /// Claims resting on the analyst's judgement.
    pub assumed: usize,
    /// Options no quote mentions (introduced by the analyst).
    pub analyst_options: usize,
}

/// Compact number formatting: `1`, `0.45`.
fn num(x: f64) -> String {
    format!("{x}")
}

struct Builder<'a> {
    s: &'a Scenario,
    out: Vec<Claim<'a>>,
}

impl<'a> Builder<'a> {
    /// A claim grounded by `basis`: quoted by the statements `pick` accepts.
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        kind: ClaimKind,
        (actor, issue, option): (Option<usize>, Option<usize>, Option<usize>),
        text: String,
        basis: &'a Basis,
        speaker: Option<usize>,
        pick: impl Fn(&Stated) -> bool,
    ) {
        let quotes: Vec<&Evidence> = basis
            .statements(speaker)
            .filter(|e| e.states.iter().any(&pick))
            .collect();
        let context = basis
            .evidence
            .iter()
            .filter(|e| !quotes.iter().any(|q| std::ptr::eq(*q, *e)))
            .collect();
        self.out.push(Claim {
            kind,
            actor,
            issue,
            option,
            index: None,
            text,
            quotes,
            context,
            note: basis.note.as_deref(),
            author: basis.author.as_deref().or(self.s.meta().analyst.as_deref()),
        });
    }

    fn actor(&mut self, a: usize) {
        let s = self.s;
        let actor = &s.actors()[a];
        let who = Some(a);
        let never = |_: &Stated| false;
        self.push(
            ClaimKind::Power,
            (who, None, None),
            num(actor.power),
            &actor.power_basis,
            who,
            never,
        );
        let res = if actor.reservation_is_status_quo {
            format!("{} (utility of the status quo)", num(actor.reservation))
        } else {
            num(actor.reservation)
        };
        self.push(
            ClaimKind::Reservation,
            (who, None, None),
            res,
            &actor.reservation_basis,
            who,
            never,
        );
        for (i, issue) in s.issues().iter().enumerate() {
            self.push(
                ClaimKind::Salience,
                (who, Some(i), None),
                format!("{} = {}", issue.id, num(actor.salience[i])),
                &actor.salience_basis,
                who,
                never,
            );
        }
        let issue_id = |i: usize| s.issues()[i].id.as_str();
        self.stated_orders(a, &actor.salience_basis, None, issue_id);
        for (i, p) in actor.positions.iter().enumerate() {
            self.position(a, i, p);
        }
        let pairs = |options: &[(usize, usize)]| {
            options
                .iter()
                .map(|&(i, o)| format!("{}.{}", s.issues()[i].id, s.issues()[i].options[o].id))
                .collect::<Vec<_>>()
                .join(" + ")
        };
        let attached = |st: &Stated| *st == Stated::Attached;
        for (k, c) in actor.combinations.iter().enumerate() {
            let text = if c.unless.is_empty() {
                format!("rejects {}", pairs(&c.options))
            } else {
                format!("rejects {} unless {}", pairs(&c.options), pairs(&c.unless))
            };
            self.push(
                ClaimKind::RedLine,
                (who, None, None),
                text,
                &c.basis,
                who,
                attached,
            );
            self.out.last_mut().expect("just pushed").index = Some(k);
        }
        for (k, t) in actor.interactions.iter().enumerate() {
            let text = format!("{}: {:+}", pairs(&t.options), t.value);
            self.push(
                ClaimKind::Interaction,
                (who, None, None),
                text,
                &t.basis,
                who,
                attached,
            );
            self.out.last_mut().expect("just pushed").index = Some(k);
        }
    }

    /// Order-like statements that pin no number: salience orders and bests,
    /// and (for positions) `order` lists. `issue` is `None` for saliences.
    fn stated_orders(
        &mut self,
        a: usize,
        basis: &'a Basis,
        issue: Option<usize>,
        name: impl Fn(usize) -> &'a str,
    ) {
        for e in basis.statements(Some(a)) {
            for st in &e.states {
                let text = match (st, issue) {
                    (Stated::Order(ids), _) => {
                        ids.iter().map(|&x| name(x)).collect::<Vec<_>>().join(" > ")
                    }
                    (Stated::Best(x), None) => format!("{} weighs most", name(*x)),
                    (Stated::Worst(x), None) => format!("{} weighs least", name(*x)),
                    _ => continue,
                };
                let kind = if issue.is_some() {
                    ClaimKind::Order
                } else {
                    ClaimKind::Salience
                };
                let same = st.clone();
                self.push(kind, (Some(a), issue, None), text, basis, Some(a), |x| {
                    *x == same
                });
            }
        }
    }

    fn position(&mut self, a: usize, i: usize, p: &'a Position) {
        let issue = &self.s.issues()[i];
        for (o, &v) in p.values.iter().enumerate() {
            let pins = move |st: &Stated| match st {
                Stated::Best(x) => *x == o && v == 1.0,
                Stated::Worst(x) => *x == o && v == 0.0,
                _ => false,
            };
            self.push(
                ClaimKind::Value,
                (Some(a), Some(i), Some(o)),
                format!("{}.{} = {}", issue.id, issue.options[o].id, num(v)),
                &p.basis,
                Some(a),
                pins,
            );
        }
        self.stated_orders(a, &p.basis, Some(i), |o| issue.options[o].id.as_str());
        for r in &p.red_lines {
            self.push(
                ClaimKind::RedLine,
                (Some(a), Some(i), Some(r.option)),
                format!("rejects {}.{}", issue.id, issue.options[r.option].id),
                &r.basis,
                Some(a),
                |st| *st == Stated::Attached,
            );
        }
    }

    /// The decision rule, when the scenario states one (a quote attached
    /// to it states it, whoever speaks).
    fn decision(&mut self, d: &'a Decision) {
        let ids: Vec<&str> = self.s.actors().iter().map(|a| a.id.as_str()).collect();
        self.push(
            ClaimKind::Decision,
            (None, None, None),
            d.describe(&ids),
            &d.basis,
            None,
            |st| *st == Stated::Attached,
        );
    }

    fn status_quo(&mut self, sq: &'a StatusQuo) {
        for (i, &o) in sq.options.iter().enumerate() {
            let issue = &self.s.issues()[i];
            self.push(
                ClaimKind::StatusQuo,
                (None, Some(i), Some(o)),
                format!("{} = {}", issue.id, issue.options[o].id),
                &sq.basis,
                None,
                |st| *st == Stated::Issue(i),
            );
        }
    }
}

impl Scenario {
    /// Every claim: each actor's power, reservation, saliences, then per
    /// issue its option values, stated orders and red lines; then the status
    /// quo, issue by issue; then the decision rule, when the scenario states one.
    pub fn claims(&self) -> Vec<Claim<'_>> {
        let mut b = Builder {
            s: self,
            out: Vec::new(),
        };
        for a in 0..self.actors().len() {
            b.actor(a);
        }
        if let Some(sq) = self.status_quo() {
            b.status_quo(sq);
        }
        if self.decision().stated {
            b.decision(self.decision());
        }
        b.out
    }

    /// Quoted and assumed claims, counted.
    pub fn claim_counts(&self) -> ClaimCounts {
        let claims = self.claims();
        let quoted = claims.iter().filter(|c| c.is_quoted()).count();
        let graded = |g: Grade| claims.iter().filter(|c| c.grade() == Some(g)).count();
        ClaimCounts {
            claims: claims.len(),
            quoted,
            direct: graded(Grade::Direct),
            reported: graded(Grade::Reported),
            inferred: graded(Grade::Inferred),
            assumed: claims.len() - quoted,
            analyst_options: self
                .sourced_options(&claims)
                .iter()
                .flatten()
                .filter(|&&sourced| !sourced)
                .count(),
        }
    }

    /// Per issue, per option: whether a source mentions it — the option's
    /// own quotes, or a quoted claim about it (a pinned value, a stated
    /// order naming it, a red line, the status quo). One pass over `claims`
    /// (this scenario's [`Scenario::claims`]): linear in claims and options.
    pub fn sourced_options(&self, claims: &[Claim<'_>]) -> Vec<Vec<bool>> {
        let mut sourced: Vec<Vec<bool>> = self
            .issues()
            .iter()
            .map(|issue| {
                issue
                    .options
                    .iter()
                    .map(|o| !o.evidence.is_empty())
                    .collect()
            })
            .collect();
        for c in claims.iter().filter(|c| c.is_quoted()) {
            let Some(i) = c.issue else { continue };
            let row = &mut sourced[i];
            match c.kind {
                ClaimKind::Order => {
                    for st in c.quotes.iter().flat_map(|e| &e.states) {
                        if let Stated::Order(v) = st {
                            for &o in v {
                                row[o] = true;
                            }
                        }
                    }
                }
                ClaimKind::Value | ClaimKind::RedLine | ClaimKind::StatusQuo => {
                    if let Some(o) = c.option {
                        row[o] = true;
                    }
                }
                _ => {}
            }
        }
        sourced
    }
}
