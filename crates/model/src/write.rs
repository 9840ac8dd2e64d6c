//! Turning a checked [`Scenario`] back into a [`ScenarioDoc`] for writing.

use crate::doc::*;
use crate::scenario::*;

fn ids(ids: &[String], idx: impl IntoIterator<Item = usize>) -> Vec<Sp<String>> {
    idx.into_iter().map(|x| Sp::bare(ids[x].clone())).collect()
}

/// What a quote states, with indices written back as ids (`names` are the
/// option ids of a position's issue, or the issue ids). A red line's
/// statement is implied by its speaker and not written.
fn states_doc(states: &[Stated], names: &[String]) -> StatesDoc {
    let mut d = StatesDoc::default();
    for st in states {
        match st {
            Stated::Best(x) => d.best.extend(ids(names, [*x])),
            Stated::Worst(x) => d.worst.extend(ids(names, [*x])),
            Stated::Order(v) => d.order = ids(names, v.iter().copied()),
            Stated::Issue(x) => d.issues.extend(ids(names, [*x])),
            Stated::Attached => {}
        }
    }
    d
}

fn evidence_docs(s: &Scenario, evidence: &[Evidence], names: &[String]) -> Vec<EvidenceDoc> {
    evidence
        .iter()
        .map(|e| EvidenceDoc {
            source: Sp::bare(s.sources[e.source].id.clone()),
            quote: Sp::bare(e.quote.clone()),
            speaker: e.speaker.map(|a| Sp::bare(s.actors[a].id.clone())),
            states: states_doc(&e.states, names),
            grade: e
                .grade_declared
                .then(|| Sp::bare(e.grade.key().to_string())),
        })
        .collect()
}

/// `(issue, option)` index pairs as id pairs.
fn pairs_doc(s: &Scenario, pairs: &[(usize, usize)]) -> Vec<(Sp<String>, Sp<String>)> {
    pairs
        .iter()
        .map(|&(i, o)| {
            let issue = &s.issues[i];
            (
                Sp::bare(issue.id.clone()),
                Sp::bare(issue.options[o].id.clone()),
            )
        })
        .collect()
}

fn basis_doc(s: &Scenario, b: &Basis, names: &[String]) -> BasisDoc {
    BasisDoc {
        evidence: evidence_docs(s, &b.evidence, names),
        assumption: b.assumption,
        note: b.note.clone(),
        author: b.author.clone(),
        span: None,
    }
}

impl Scenario {
    /// The scenario as a document (ids as strings), ready to serialise.
    /// Loading the result again gives an equal scenario.
    pub fn to_doc(&self) -> ScenarioDoc {
        let issue_ids: Vec<String> = self.issues.iter().map(|i| i.id.clone()).collect();
        let option_ids = |i: usize| -> Vec<String> {
            self.issues[i]
                .options
                .iter()
                .map(|o| o.id.clone())
                .collect()
        };
        ScenarioDoc {
            scenario: MetaDoc {
                id: Sp::bare(self.meta.id.clone()),
                title: Sp::bare(self.meta.title.clone()),
                description: self.meta.description.clone(),
                date: self.meta.date.clone(),
                analyst: self.meta.analyst.clone(),
            },
            sources: self
                .sources
                .iter()
                .map(|src| SourceDoc {
                    id: Sp::bare(src.id.clone()),
                    title: src.title.clone(),
                    path: Sp::bare(src.path.clone()),
                    url: src.url.clone(),
                    date: src.date.clone(),
                })
                .collect(),
            issues: self
                .issues
                .iter()
                .map(|i| IssueDoc {
                    id: Sp::bare(i.id.clone()),
                    name: Sp::bare(i.name.clone()),
                    description: i.description.clone(),
                    keywords: bare(&i.keywords),
                    options: Sp::bare(
                        i.options
                            .iter()
                            .map(|o| OptionDoc {
                                id: Sp::bare(o.id.clone()),
                                label: Sp::bare(o.label.clone()),
                                keywords: bare(&o.keywords),
                                evidence: evidence_docs(self, &o.evidence, &[]),
                            })
                            .collect(),
                    ),
                })
                .collect(),
            actors: self
                .actors
                .iter()
                .map(|a| ActorDoc {
                    id: Sp::bare(a.id.clone()),
                    name: Sp::bare(a.name.clone()),
                    aliases: bare(&a.aliases),
                    power: Sp::bare(a.power),
                    power_basis: basis_doc(self, &a.power_basis, &[]),
                    reservation: Sp::bare(if a.reservation_is_status_quo {
                        ReservationDoc::StatusQuo
                    } else {
                        ReservationDoc::Value(a.reservation)
                    }),
                    reservation_basis: basis_doc(self, &a.reservation_basis, &[]),
                    salience: NumMap {
                        entries: self
                            .issues
                            .iter()
                            .zip(&a.salience)
                            .map(|(i, &w)| (Sp::bare(i.id.clone()), Sp::bare(w)))
                            .collect(),
                        span: None,
                    },
                    salience_basis: basis_doc(self, &a.salience_basis, &issue_ids),
                    positions: self
                        .issues
                        .iter()
                        .zip(&a.positions)
                        .enumerate()
                        .map(|(ix, (i, p))| PositionDoc {
                            issue: Sp::bare(i.id.clone()),
                            values: NumMap {
                                entries: i
                                    .options
                                    .iter()
                                    .zip(&p.values)
                                    .map(|(o, &v)| (Sp::bare(o.id.clone()), Sp::bare(v)))
                                    .collect(),
                                span: None,
                            },
                            red_lines: p
                                .red_lines
                                .iter()
                                .map(|r| RedLineDoc {
                                    option: Sp::bare(i.options[r.option].id.clone()),
                                    basis: basis_doc(self, &r.basis, &[]),
                                })
                                .collect(),
                            basis: basis_doc(self, &p.basis, &option_ids(ix)),
                            span: None,
                        })
                        .collect(),
                    red_line_combinations: a
                        .combinations
                        .iter()
                        .map(|c| CombinationDoc {
                            options: pairs_doc(self, &c.options),
                            unless: pairs_doc(self, &c.unless),
                            basis: basis_doc(self, &c.basis, &[]),
                            span: None,
                        })
                        .collect(),
                    interactions: a
                        .interactions
                        .iter()
                        .map(|t| InteractionDoc {
                            options: pairs_doc(self, &t.options),
                            value: Sp::bare(t.value),
                            basis: basis_doc(self, &t.basis, &[]),
                            span: None,
                        })
                        .collect(),
                })
                .collect(),
            actors_span: None,
            unmodelled: self
                .unmodelled
                .iter()
                .map(|u| UnmodelledDoc {
                    evidence: evidence_docs(self, std::slice::from_ref(&u.evidence), &[]).remove(0),
                    reason: Sp::bare(u.reason.clone()),
                })
                .collect(),
            status_quo: self.status_quo.as_ref().map(|sq| StatusQuoDoc {
                options: self
                    .issues
                    .iter()
                    .zip(&sq.options)
                    .map(|(i, &o)| (Sp::bare(i.id.clone()), Sp::bare(i.options[o].id.clone())))
                    .collect(),
                basis: basis_doc(self, &sq.basis, &issue_ids),
                span: None,
            }),
            decision: self.decision.stated.then(|| {
                let d = &self.decision;
                DecisionDoc {
                    at_least: Some(Sp::bare(d.at_least as f64)),
                    must_include: d
                        .must_include
                        .iter()
                        .map(|&a| Sp::bare(self.actors[a].id.clone()))
                        .collect(),
                    power_share: d.power_share.map(Sp::bare),
                    basis: basis_doc(self, &d.basis, &issue_ids),
                    span: None,
                }
            }),
            interpretations: self
                .interpretations
                .iter()
                .map(|x| interpretation_doc(self, x, &issue_ids))
                .collect(),
            bands: bands_doc(&self.bands, self.bands_note.as_deref()),
        }
    }
}

/// `[bands]` with the bands that differ from the defaults (none: no table).
fn bands_doc(b: &crate::perturb::Bands, note: Option<&str>) -> Option<BandsDoc> {
    let d = crate::perturb::Bands::default();
    let given = |x: f64, default: f64| (x != default).then(|| Sp::bare(x));
    let doc = BandsDoc {
        value: given(b.value, d.value),
        salience: given(b.salience, d.salience),
        power: given(b.power, d.power),
        reservation: given(b.reservation, d.reservation),
        red_line_drop: given(b.red_line_drop, d.red_line_drop),
        red_line_add: given(b.red_line_add, d.red_line_add),
        status_quo_move: given(b.status_quo_move, d.status_quo_move),
        note: note.map(str::to_string),
        span: None,
    };
    (doc != BandsDoc::default()).then_some(doc)
}

/// An interpretation as the file writes it.
fn interpretation_doc(s: &Scenario, x: &Interpretation, issue_ids: &[String]) -> InterpretationDoc {
    let r = |r: RedLineRef, value: Option<f64>| RefDoc {
        actor: Sp::bare(s.actors[r.actor].id.clone()),
        issue: Sp::bare(s.issues[r.issue].id.clone()),
        option: Sp::bare(s.issues[r.issue].options[r.option].id.clone()),
        value: value.map(Sp::bare),
        span: None,
    };
    let mut d = InterpretationDoc {
        id: Sp::bare(x.id.clone()),
        name: Sp::bare(x.name.clone()),
        basis: basis_doc(s, &x.basis, issue_ids),
        ..InterpretationDoc::default()
    };
    for o in &x.overrides {
        match *o {
            Override::AddRedLine(x) => d.red_lines.push(r(x, None)),
            Override::DropRedLine(x) => d.drop_red_lines.push(r(x, None)),
            Override::Reservation { actor, value } => d
                .reservations
                .entries
                .push((Sp::bare(s.actors[actor].id.clone()), Sp::bare(value))),
            Override::Value {
                actor,
                issue,
                option,
                value,
            } => d.values.push(r(
                RedLineRef {
                    actor,
                    issue,
                    option,
                },
                Some(value),
            )),
        }
    }
    d
}

/// Words without spans.
fn bare(words: &[String]) -> Vec<Sp<String>> {
    words.iter().map(|w| Sp::bare(w.clone())).collect()
}
