//! What a reader of a recommended package should know before forwarding
//! it: an option no source mentions (the analyst introduced it), an option
//! that is a party's worst on an issue it weighs, or an option whose claim
//! rests on the analyst's reading of a passage (graded `inferred`).

use serde::Serialize;
use utoipa::ToSchema;
use zopa_model::Scenario;

use super::and_list;

/// One problem of a recommended package.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = analysis::Flag)]
pub struct Flag {
    /// `analyst_option` (no source mentions the option), `worst_option`
    /// (the package gives each of `actors` its worst option on the issue)
    /// or `inferred` (a claim of each of `actors` about the option rests on
    /// the analyst's reading of a passage).
    pub kind: &'static str,
    /// The parties concerned (`worst_option` only; empty otherwise).
    pub actors: Vec<String>,
    /// Issue id.
    pub issue: String,
    /// Option id.
    pub option: String,
    /// The flag in words (labels, never ids).
    pub text: String,
}

/// Flags packages of one scenario (what is sourced is read once).
pub struct Flagger<'a> {
    s: &'a Scenario,
    /// `sourced[i][o]`: a source mentions option o of issue i.
    sourced: Vec<Vec<bool>>,
    /// `(actor, issue, option)` of each claim graded `inferred`.
    inferred: Vec<(usize, usize, usize)>,
}

impl<'a> Flagger<'a> {
    /// The flagger of `s`.
    pub fn new(s: &'a Scenario) -> Self {
        let claims = s.claims();
        let inferred = claims
            .iter()
            .filter(|c| c.grade() == Some(zopa_model::Grade::Inferred))
            .filter_map(|c| Some((c.actor?, c.issue?, c.option?)))
            .collect();
        Flagger {
            s,
            sourced: s.sourced_options(&claims),
            inferred,
        }
    }

    /// The flags of the package `options` (one option per issue): analyst
    /// options first, then inferred claims, then each party's worst
    /// options, each in issue order.
    pub fn flags(&self, options: &[usize]) -> Vec<Flag> {
        let s = self.s;
        let mut out = Vec::new();
        // Without sources (an imported game) nothing could be sourced: no
        // option is flagged as the analyst's.
        let sourced_at_all = !s.sources().is_empty();
        for (i, &o) in options.iter().enumerate() {
            if sourced_at_all && !self.sourced[i][o] {
                let issue = &s.issues()[i];
                out.push(Flag {
                    kind: "analyst_option",
                    actors: vec![],
                    issue: issue.id.clone(),
                    option: issue.options[o].id.clone(),
                    text: format!(
                        "“{}” is in no source: the analyst introduced it.",
                        issue.options[o].label
                    ),
                });
            }
        }
        for (i, &o) in options.iter().enumerate() {
            let mut who: Vec<usize> = self
                .inferred
                .iter()
                .filter(|&&(_, j, p)| (j, p) == (i, o))
                .map(|&(a, ..)| a)
                .collect();
            who.dedup();
            if who.is_empty() {
                continue;
            }
            let issue = &s.issues()[i];
            let names: Vec<String> = who.iter().map(|&a| s.actors()[a].name.clone()).collect();
            out.push(Flag {
                kind: "inferred",
                actors: who.iter().map(|&a| s.actors()[a].id.clone()).collect(),
                issue: issue.id.clone(),
                option: issue.options[o].id.clone(),
                text: format!(
                    "What {} is said to think of “{}” rests on the analyst's reading of a passage (graded inferred), not on words said.",
                    and_list(&names),
                    issue.options[o].label
                ),
            });
        }
        for (i, &o) in options.iter().enumerate() {
            let issue = &s.issues()[i];
            let worst_for: Vec<&zopa_model::Actor> = s
                .actors()
                .iter()
                .filter(|actor| {
                    let v = &actor.positions[i].values;
                    let worst = v.iter().copied().fold(f64::INFINITY, f64::min);
                    let best = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                    actor.weights[i] > 0.0 && worst < best && v[o] == worst
                })
                .collect();
            if worst_for.is_empty() {
                continue;
            }
            let names: Vec<String> = worst_for.iter().map(|a| a.name.clone()).collect();
            let whose = if names.len() == 1 { "its" } else { "their" };
            out.push(Flag {
                kind: "worst_option",
                actors: worst_for.iter().map(|a| a.id.clone()).collect(),
                issue: issue.id.clone(),
                option: issue.options[o].id.clone(),
                text: format!(
                    "It gives {} {whose} worst option on “{}”: “{}”.",
                    and_list(&names),
                    issue.name,
                    issue.options[o].label
                ),
            });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The default scenario's Nash package: the invented monitors option and
    /// Russia as full guarantor (Ukraine's and Europe's worst) are flagged;
    /// a package of sourced options nobody ranks last has no flag.
    #[test]
    fn the_nash_package_of_the_default_scenario_is_flagged() {
        let loaded = crate::builtin::default_loaded();
        let s = &loaded.scenario;
        let option = |issue: &str, id: &str| {
            let i = s.issues().iter().position(|x| x.id == issue).unwrap();
            s.issues()[i]
                .options
                .iter()
                .position(|o| o.id == id)
                .unwrap()
        };
        let nash = [
            option("presence", "monitors"),
            option("guarantee", "arms_aid"),
            option("us_role", "backstop"),
            option("russia_role", "guarantor"),
            option("burden", "europe_led"),
        ];
        let flags = Flagger::new(s).flags(&nash);
        let find =
            |kind: &str, option: &str| flags.iter().find(|f| f.kind == kind && f.option == option);
        assert!(find("analyst_option", "monitors").is_some(), "{flags:#?}");
        let guarantor = find("worst_option", "guarantor").expect("flagged");
        assert_eq!(guarantor.actors, ["ukraine", "europe"]);
        assert!(
            guarantor.text.contains("Ukraine and European states"),
            "{}",
            guarantor.text
        );
        assert!(!flags.iter().any(|f| f.option == "backstop"), "{flags:#?}");
        assert!(!flags.iter().any(|f| f.kind == "inferred"), "{flags:#?}");
        // With a shared burden: Kyiv's preference for it is an inferred
        // reading of "with everyone involved".
        let mut shared = nash;
        shared[4] = option("burden", "shared");
        let flags = Flagger::new(s).flags(&shared);
        let inferred: Vec<&Flag> = flags.iter().filter(|f| f.kind == "inferred").collect();
        assert_eq!(inferred.len(), 1, "{flags:#?}");
        assert_eq!(inferred[0].actors, ["ukraine"]);
        assert!(
            inferred[0].text.contains("“Shared”"),
            "{}",
            inferred[0].text
        );
    }
}
