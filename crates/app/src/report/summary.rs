//! The plain-language summary that opens a report: whether the parties can
//! agree, what blocks agreement, which package clears it, what each party
//! concedes, and which of these conclusions rest on assumptions. Every
//! sentence is built from the analysis and the claims; none is canned.

use serde::Serialize;
use zopa_analysis::{Analysis, Blocking, Concept, Dropped, Solution};
use zopa_model::{Claim, ClaimKind, RedLineRef, Scenario};

use super::{and_list, Report};

/// One finding of the summary.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = analysis::Finding)]
pub struct Finding {
    /// `agreement`, `blocking`, `clears`, `concessions` or `assumptions`.
    pub topic: &'static str,
    /// The finding in one or a few sentences.
    pub text: String,
}

/// `russia rejects presence=european_force`.
pub fn red_line_words(s: &Scenario, r: RedLineRef) -> String {
    let issue = &s.issues()[r.issue];
    format!(
        "{} rejects {}={}",
        s.actors()[r.actor].id,
        issue.id,
        issue.options[r.option].id
    )
}

/// A package (an option per issue) in option labels: `No foreign forces; …`.
pub fn package_labels(s: &Scenario, options: &[usize]) -> String {
    s.issues()
        .iter()
        .zip(options)
        .map(|(i, &o)| i.options[o].label.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}

/// The package of a solution in option labels.
fn in_words(s: &Scenario, x: &Solution) -> String {
    package_labels(s, &x.point.options)
}

/// Which red lines and combinations a quote states, read once from the
/// scenario's claims (the one place provenance is decided).
struct Quoted {
    red_lines: Vec<RedLineRef>,
    combinations: Vec<(usize, usize)>,
}

impl Quoted {
    fn of(claims: &[Claim<'_>]) -> Self {
        let mut q = Quoted {
            red_lines: vec![],
            combinations: vec![],
        };
        for c in claims
            .iter()
            .filter(|c| c.kind == ClaimKind::RedLine && c.is_quoted())
        {
            match (c.actor, c.issue, c.option, c.index) {
                (Some(actor), Some(issue), Some(option), _) => q.red_lines.push(RedLineRef {
                    actor,
                    issue,
                    option,
                }),
                (Some(actor), None, None, Some(k)) => q.combinations.push((actor, k)),
                _ => {}
            }
        }
        q
    }

    fn red_line(&self, r: RedLineRef) -> &'static str {
        basis(self.red_lines.contains(&r))
    }

    fn combination(&self, c: (usize, usize)) -> &'static str {
        basis(self.combinations.contains(&c))
    }
}

/// `quoted` or `an analyst assumption`.
pub fn basis(quoted: bool) -> &'static str {
    if quoted {
        "quoted"
    } else {
        "an analyst assumption"
    }
}

/// `leaves the Nash package unchanged` / `moves the Nash package to: …`.
fn nash_effect(s: &Scenario, before: Option<&Solution>, after: Option<&Solution>) -> String {
    match (before.map(|x| x.point.index), after) {
        (_, None) => "leaves no Nash package".into(),
        (Some(b), Some(x)) if b == x.point.index => "leaves the Nash package unchanged".into(),
        (None, Some(x)) => format!("makes the Nash package: {}", in_words(s, x)),
        (Some(_), Some(x)) => format!("moves the Nash package to: {}", in_words(s, x)),
    }
}

fn agreement(s: &Scenario, a: &Analysis) -> Finding {
    let n = s.n_actors();
    let d = s.decision();
    let ids: Vec<&str> = s.actors().iter().map(|x| x.id.as_str()).collect();
    let grounds = basis(d.is_quoted());
    if !d.is_unanimity() {
        let vetoes: Vec<String> = d.vetoes().iter().map(|&k| ids[k].to_string()).collect();
        let veto = if vetoes.is_empty() {
            "No single actor can block a deal alone.".to_string()
        } else {
            format!(
                "Only {} can block a deal alone (veto players in effect).",
                and_list(&vetoes)
            )
        };
        let text = if a.agreement_size == 0 {
            format!(
                "No package can pass under the decision rule ({}; {grounds}): no winning coalition accepts any of the {} packages. {veto}",
                d.describe(&ids),
                a.space_size
            )
        } else {
            format!(
                "{} of the {} packages ({:.1}%) can pass under the decision rule ({}; {grounds}): a winning coalition accepts each (the ZOPA); {} of them are acceptable to all {n} parties. {veto}",
                a.agreement_size,
                a.space_size,
                100.0 * a.agreement_size as f64 / a.space_size.max(1) as f64,
                d.describe(&ids),
                a.unanimous_size,
            )
        };
        return Finding {
            topic: "agreement",
            text,
        };
    }
    let text = if a.agreement_size == 0 {
        format!(
            "No package is acceptable to all {n} parties: every one of the {} packages crosses a red line or misses someone's reservation.",
            a.space_size
        )
    } else {
        format!(
            "{} of the {} packages ({:.1}%) are acceptable to all {n} parties: they cross no red line and meet every reservation (the ZOPA).",
            a.agreement_size,
            a.space_size,
            100.0 * a.agreement_size as f64 / a.space_size.max(1) as f64
        )
    };
    let text = if d.stated {
        format!("{text} The decision rule is unanimity ({grounds}).")
    } else {
        text
    };
    Finding {
        topic: "agreement",
        text,
    }
}

/// The red lines that bind alone, the ones that bind only together, and
/// the ones that do not bind (shared, or reservations exclude the same).
fn blocking(s: &Scenario, a: &Analysis, quoted: &Quoted) -> Vec<Finding> {
    let base = a.solution(Concept::Nash);
    let mut parts = Vec::new();
    let rule = !s.decision().is_unanimity();
    let otherwise = if rule {
        "that would otherwise pass"
    } else {
        "every party would otherwise accept"
    };
    let binding: Vec<&Blocking> = a.blocking.iter().filter(|b| b.alone_removes > 0).collect();
    if a.blocking.is_empty() {
        parts.push("No party has red lines; only reservations limit agreement.".to_string());
    } else if binding.is_empty() && a.agreement_size > 0 {
        parts.push(format!(
            "No red line alone keeps out a package {otherwise}."
        ));
    }
    for b in &binding {
        let who = &s.actors()[b.red_line.actor].id;
        let pivotal = if rule && !s.decision().vetoes().contains(&b.red_line.actor) {
            format!(" {who} holds no veto: this red line binds only on packages where its acceptance is pivotal.")
        } else {
            String::new()
        };
        parts.push(format!(
            "The red line {} ({}) alone keeps out {} package(s) {otherwise}: dropping it grows the ZOPA to {} and {}.{pivotal}",
            red_line_words(s, b.red_line),
            quoted.red_line(b.red_line),
            b.alone_removes,
            b.agreement_if_dropped,
            nash_effect(s, base, b.nash_if_dropped.as_ref())
        ));
    }
    for d in &a.joint.pairs {
        parts.push(joint_words(s, quoted, d, a, base));
    }
    parts.extend(combination_words(s, a, base, quoted));
    let in_pairs = |r: RedLineRef| a.joint.pairs.iter().any(|d| d.red_lines.contains(&r));
    let (shared, moot): (Vec<&Blocking>, Vec<&Blocking>) = a
        .blocking
        .iter()
        .filter(|b| b.alone_removes == 0)
        .partition(|b| !b.also_rejected_by.is_empty());
    // `russia rejects presence=nato_troops (quoted)`.
    let labelled = |r: RedLineRef| format!("{} ({})", red_line_words(s, r), quoted.red_line(r));
    if rule {
        // Under a rule a red line keeps nothing out when its actor can be
        // outvoted on every package it excludes (or they fail anyway).
        let idle: Vec<String> = shared
            .iter()
            .chain(&moot)
            .filter(|b| !in_pairs(b.red_line))
            .map(|b| labelled(b.red_line))
            .collect();
        if !idle.is_empty() {
            parts.push(format!(
                "{} {} not bind under the decision rule: alone, {} out no package that would otherwise pass.",
                and_list(&idle),
                if idle.len() == 1 { "does" } else { "do" },
                if idle.len() == 1 { "it keeps" } else { "each keeps" }
            ));
        }
    } else if !moot.is_empty() {
        let list: Vec<String> = moot.iter().map(|b| labelled(b.red_line)).collect();
        let (verb, it) = if list.len() == 1 {
            ("does", "it excludes")
        } else {
            ("do", "they exclude")
        };
        parts.push(format!(
            "{} {verb} not bind: the reservations already rule out every package {it}.",
            and_list(&list)
        ));
    }
    let unpaired: Vec<String> = shared
        .iter()
        .filter(|b| !in_pairs(b.red_line))
        .map(|b| red_line_words(s, b.red_line))
        .collect();
    if !unpaired.is_empty() && !rule {
        parts.push(format!(
            "{} {} shared with another party: dropping one alone changes nothing, and dropping both changes nothing either.",
            and_list(&unpaired),
            if unpaired.len() == 1 { "is" } else { "are" }
        ));
    }
    if let Some(u) = &a.unblocking {
        parts.push(match u {
            zopa_analysis::Unblocking::Sets { sets, .. } => format!(
                "Dropping any of these sets of red lines would open an agreement: {}.",
                sets.iter()
                    .map(|set| set.iter().map(|&r| red_line_words(s, r)).collect::<Vec<_>>().join(" + "))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            zopa_analysis::Unblocking::ReservationsConflict if a.combinations.is_empty() => {
                "Even with every red line dropped, no package meets every reservation: the reservations themselves conflict.".into()
            }
            zopa_analysis::Unblocking::ReservationsConflict => {
                "Even with every single-option red line dropped, no package meets every reservation and avoids every combination rejected together: the reservations and the combinations conflict.".into()
            }
            zopa_analysis::Unblocking::BudgetExhausted { .. } => {
                "The search for red lines to drop ran out of budget before finding a set that opens an agreement.".into()
            }
        });
    }
    if let Some(o) = &a.opening {
        if !o.sets.is_empty() {
            let sets: Vec<String> = o
                .sets
                .iter()
                .map(|set| {
                    let ids: Vec<String> = set.iter().map(|&k| s.actors()[k].id.clone()).collect();
                    and_list(&ids)
                })
                .collect();
            let (pronoun, verb) = if o.sets[0].len() == 1 {
                ("it", "refuses")
            } else {
                ("they", "refuse")
            };
            let others: String = sets[1..]
                .iter()
                .map(|x| format!(", or if {x} did"))
                .collect();
            parts.push(format!(
                "Who must be brought around: a package would pass if {} accepted what {pronoun} now {verb}{others}{}.",
                sets[0],
                if o.truncated { " (more sets of that size exist)" } else { "" }
            ));
        } else if o.incomplete {
            parts.push(
                "The search for the actors whose acceptance would open an agreement stopped at its work budget."
                    .into(),
            );
        }
    }
    if a.joint.budget_exhausted {
        parts.push(
            "The study of red lines together stopped at its work budget: it may be incomplete."
                .into(),
        );
    }
    parts
        .into_iter()
        .map(|text| Finding {
            topic: "blocking",
            text,
        })
        .collect()
}

/// `guarantee=article5 + russia_role=guarantor`; a conditional one
/// `chapters=open unless ports=open`.
pub fn combination_text(s: &Scenario, actor: usize, index: usize) -> String {
    let c = &s.actors()[actor].combinations[index];
    let pairs = |v: &[(usize, usize)]| {
        v.iter()
            .map(|&(i, o)| format!("{}={}", s.issues()[i].id, s.issues()[i].options[o].id))
            .collect::<Vec<_>>()
            .join(" + ")
    };
    if c.unless.is_empty() {
        pairs(&c.options)
    } else {
        format!("{} unless {}", pairs(&c.options), pairs(&c.unless))
    }
}

/// What the combinations rejected together do: alone, or, when several
/// actors reject the same one, all copies dropped at once (said once).
fn combination_words(
    s: &Scenario,
    a: &Analysis,
    base: Option<&Solution>,
    quoted: &Quoted,
) -> Vec<String> {
    let mut out = Vec::new();
    let mut said: Vec<&zopa_model::Combination> = Vec::new();
    for c in &a.combinations {
        let comb = &s.actors()[c.actor].combinations[c.index];
        let what = combination_text(s, c.actor, c.index);
        // A conditional red line is not a set of options rejected together.
        let together = if comb.unless.is_empty() {
            " together"
        } else {
            ""
        };
        match &c.all_copies_dropped {
            None => out.push(format!(
                "{} rejects {what}{together} ({}): {}.",
                s.actors()[c.actor].id,
                quoted.combination((c.actor, c.index)),
                if c.alone_removes == 0 {
                    "it does not bind: the reservations and other red lines already rule out every package holding it".to_string()
                } else {
                    format!(
                        "dropping it grows the ZOPA to {} and {}",
                        c.agreement_if_dropped,
                        nash_effect(s, base, c.nash_if_dropped.as_ref())
                    )
                }
            )),
            Some((n, nash)) => {
                // Said already when the joint study lists these copies as a pair.
                let paired = a.joint.pairs.iter().any(|d| {
                    d.red_lines.is_empty() && d.combinations.contains(&(c.actor, c.index))
                });
                if paired || said.iter().any(|x| x.same_as(comb)) {
                    continue;
                }
                said.push(comb);
                let mut who = vec![s.actors()[c.actor].id.clone()];
                who.extend(c.also_rejected_by.iter().map(|&x| s.actors()[x].id.clone()));
                // Under a rule one copy alone can matter (its actor may be
                // pivotal where the others are outvoted).
                let binding: Vec<String> = a
                    .combinations
                    .iter()
                    .filter(|x| {
                        x.alone_removes > 0
                            && s.actors()[x.actor].combinations[x.index]
                                .same_as(&s.actors()[c.actor].combinations[c.index])
                    })
                    .map(|x| {
                        format!(
                            "dropping {}'s alone grows the ZOPA to {}",
                            s.actors()[x.actor].id,
                            x.agreement_if_dropped
                        )
                    })
                    .collect();
                let one = if binding.is_empty() {
                    "dropping one alone changes nothing".to_string()
                } else {
                    binding.join("; ")
                };
                let all = if *n == a.agreement_size {
                    "dropping all of them opens nothing either".to_string()
                } else {
                    format!(
                        "dropping all grows the ZOPA from {} to {n} and {}",
                        a.agreement_size,
                        nash_effect(s, base, nash.as_ref())
                    )
                };
                out.push(format!(
                    "{} each reject {what}{together} ({}): {one}; {all}.",
                    and_list(&who),
                    quoted.combination((c.actor, c.index)),
                ));
            }
        }
    }
    out
}

fn joint_words(
    s: &Scenario,
    quoted: &Quoted,
    d: &Dropped,
    a: &Analysis,
    base: Option<&Solution>,
) -> String {
    let names: Vec<String> = d
        .red_lines
        .iter()
        .map(|&r| format!("{} ({})", red_line_words(s, r), quoted.red_line(r)))
        .chain(d.combinations.iter().map(|&(k, c)| {
            format!(
                "{}'s combination {} ({})",
                s.actors()[k].id,
                combination_text(s, k, c),
                quoted.combination((k, c))
            )
        }))
        .collect();
    format!(
        "Only together do {} bind: dropping them grows the ZOPA from {} to {} and {}.",
        and_list(&names),
        a.agreement_size,
        d.agreement_if_dropped,
        nash_effect(s, base, d.nash_if_dropped.as_ref())
    )
}

fn clears(s: &Scenario, a: &Analysis) -> Option<Finding> {
    let nash = a.solution(Concept::Nash)?;
    let same: Vec<&str> = Concept::ALL
        .iter()
        .filter(|&&c| c != Concept::Nash)
        .filter(|&&c| {
            a.solution(c)
                .is_some_and(|x| x.point.index == nash.point.index)
        })
        .map(|c| c.name())
        .collect();
    let also = if same.is_empty() {
        "No other bargaining solution picks it.".to_string()
    } else {
        let verb = if same.len() == 1 { "picks" } else { "pick" };
        format!(
            "{} {verb} the same package.",
            and_list(&same.iter().map(|x| x.to_string()).collect::<Vec<_>>())
        )
    };
    Some(Finding {
        topic: "clears",
        text: format!(
            "The Nash bargaining package (against the reservations) is: {}. {also}",
            in_words(s, nash)
        ),
    })
}

fn concessions(s: &Scenario, a: &Analysis) -> Option<Finding> {
    let nash = a.solution(Concept::Nash)?;
    let mut parts = Vec::new();
    for (k, actor) in s.actors().iter().enumerate() {
        let mut given = Vec::new();
        for (i, issue) in s.issues().iter().enumerate() {
            let values = &actor.positions[i].values;
            let best = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let got = nash.point.options[i];
            if values[got] < best && actor.weights[i] > 0.0 {
                let ideal = values.iter().position(|&v| v == best).unwrap_or(0);
                given.push(format!(
                    "{} ({} instead of {})",
                    issue.id, issue.options[got].id, issue.options[ideal].id
                ));
            }
        }
        let u = nash.point.utilities[k];
        parts.push(if given.is_empty() {
            format!("{} gets its best option on every issue ({u:.2}).", actor.id)
        } else {
            format!(
                "{} concedes {} (utility {u:.2} of a possible 1).",
                actor.id,
                and_list(&given)
            )
        });
    }
    Some(Finding {
        topic: "concessions",
        text: format!(
            "In the Nash package, against each party's ideal: {}",
            parts.join(" ")
        ),
    })
}

/// How much of the conclusions rests on assumptions.
fn assumptions(s: &Scenario, a: &Analysis, claims: &[Claim<'_>], quoted: &Quoted) -> Finding {
    let assumed = |kind: ClaimKind| {
        let all: Vec<_> = claims.iter().filter(|c| c.kind == kind).collect();
        (all.iter().filter(|c| !c.is_quoted()).count(), all.len())
    };
    let (res_a, res_n) = assumed(ClaimKind::Reservation);
    let mut parts = vec![format!(
        "These conclusions rest on assumptions: {res_a} of the {res_n} reservations"
    )];
    let binding: Vec<String> = a
        .blocking
        .iter()
        .filter(|b| b.alone_removes > 0 && !quoted.red_lines.contains(&b.red_line))
        .map(|b| red_line_words(s, b.red_line))
        .collect();
    if !binding.is_empty() {
        parts.push(format!("the binding red line(s) {}", and_list(&binding)));
    }
    let combos: Vec<String> = a
        .combinations
        .iter()
        .filter(|c| {
            let size = c
                .all_copies_dropped
                .as_ref()
                .map_or(c.agreement_if_dropped, |x| x.0);
            size != a.agreement_size && !quoted.combinations.contains(&(c.actor, c.index))
        })
        .map(|c| {
            format!(
                "{} rejecting {}",
                s.actors()[c.actor].id,
                combination_text(s, c.actor, c.index)
            )
        })
        .collect();
    if !combos.is_empty() {
        parts.push(format!("the binding combination(s) {}", and_list(&combos)));
    }
    if let Some(nash) = a.solution(Concept::Nash) {
        let values: Vec<_> = claims
            .iter()
            .filter(|c| {
                c.kind == ClaimKind::Value
                    && c.issue
                        .zip(c.option)
                        .is_some_and(|(i, o)| nash.point.options[i] == o)
            })
            .collect();
        let n = values.len();
        let q = values.iter().filter(|c| c.is_quoted()).count();
        parts.push(format!(
            "{} of the {n} option values behind the Nash package's utilities ({q} quoted)",
            n - q
        ));
    }
    let counts = s.claim_counts();
    let grades = if counts.quoted == 0 {
        String::new()
    } else {
        format!(
            " Of the {} claims a quote states, {} rest on the speaker's own words in quotation marks, {} on a journalist's paraphrase and {} on the analyst's reading of a passage.",
            counts.quoted, counts.direct, counts.reported, counts.inferred
        )
    };
    Finding {
        topic: "assumptions",
        text: format!(
            "{} are analyst assumptions. `zopa claims --assumed` lists each with its note.{grades}",
            and_list(&parts)
        ),
    }
}

impl Report<'_> {
    /// The plain-language summary, in reading order.
    pub fn summary(&self) -> Vec<Finding> {
        let (s, a) = (self.scenario, self.analysis);
        let claims = s.claims();
        let quoted = Quoted::of(&claims);
        let mut out = vec![agreement(s, a)];
        out.extend(blocking(s, a, &quoted));
        out.extend(clears(s, a));
        out.extend(concessions(s, a));
        out.push(assumptions(s, a, &claims, &quoted));
        out
    }
}
