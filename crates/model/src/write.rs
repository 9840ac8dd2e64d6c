//! Turning a checked [`Scenario`] back into a [`ScenarioDoc`] for writing.

use crate::doc::*;
use crate::scenario::*;

fn basis_doc(s: &Scenario, b: &Basis) -> BasisDoc {
    BasisDoc {
        evidence: b
            .evidence
            .iter()
            .map(|e| EvidenceDoc {
                source: Sp::bare(s.sources[e.source].id.clone()),
                quote: Sp::bare(e.quote.clone()),
            })
            .collect(),
        // An empty note marks an unstated assumption (no basis written at all).
        assumption: b.assumption.as_deref().is_some_and(|n| !n.is_empty()),
        note: b.assumption.clone().filter(|n| !n.is_empty()),
        span: None,
    }
}

impl Scenario {
    /// The scenario as a document (ids as strings), ready to serialise.
    /// Loading the result again gives an equal scenario.
    pub fn to_doc(&self) -> ScenarioDoc {
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
                })
                .collect(),
            issues: self
                .issues
                .iter()
                .map(|i| IssueDoc {
                    id: Sp::bare(i.id.clone()),
                    name: Sp::bare(i.name.clone()),
                    description: i.description.clone(),
                    options: Sp::bare(
                        i.options
                            .iter()
                            .map(|o| OptionDoc {
                                id: Sp::bare(o.id.clone()),
                                label: Sp::bare(o.label.clone()),
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
                    power: Sp::bare(a.power),
                    power_basis: basis_doc(self, &a.power_basis),
                    reservation: Sp::bare(a.reservation),
                    reservation_basis: basis_doc(self, &a.reservation_basis),
                    salience: NumMap {
                        entries: self
                            .issues
                            .iter()
                            .zip(&a.salience)
                            .map(|(i, &w)| (Sp::bare(i.id.clone()), Sp::bare(w)))
                            .collect(),
                        span: None,
                    },
                    salience_basis: basis_doc(self, &a.salience_basis),
                    positions: self
                        .issues
                        .iter()
                        .zip(&a.positions)
                        .map(|(i, p)| PositionDoc {
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
                                    basis: if r.basis == p.basis {
                                        BasisDoc::default()
                                    } else {
                                        basis_doc(self, &r.basis)
                                    },
                                })
                                .collect(),
                            basis: basis_doc(self, &p.basis),
                            span: None,
                        })
                        .collect(),
                })
                .collect(),
            actors_span: None,
        }
    }
}
