//! `zopa score`: one deal, scored against a scenario.

use std::fmt::Write;

use zopa_app::score::ScoreDoc;

use crate::input;
use crate::{emit, jsonout, Failure};

/// Arguments of `zopa score`.
#[derive(clap::Args, Debug)]
pub struct ScoreArgs {
    /// Scenario file, GENIUS, GeniusWeb or LLM-Deliberation folder, or built-in name (default: the built-in scenario).
    scenario: Option<String>,
    /// The deal: one option id per issue in issue order
    /// (`monitors,arms_aid,backstop,guarantor,europe_led`), or
    /// `issue=option` pairs covering every issue.
    #[arg(long, value_name = "OPTIONS", allow_hyphen_values = true)]
    deal: String,
    /// Refuse outcome spaces whose counting does more work than N.
    #[arg(long, value_name = "N", default_value_t = zopa_model::DEFAULT_LIMIT,
          value_parser = clap::value_parser!(u64).range(1..=zopa_model::limits::MAX_ENUMERATION))]
    limit: u64,
    /// Refuse when more Pareto frontier candidates than N survive.
    #[arg(long, value_name = "N", default_value_t = zopa_model::limits::MAX_FRONTIER)]
    max_frontier: u64,
}

pub fn run(args: ScoreArgs, json: bool) -> Result<(), Failure> {
    let input = input::resolve(args.scenario.as_deref(), None)?;
    let loaded = input::load(&input, args.limit)?;
    input::print_warnings(&loaded);
    let doc = zopa_app::score::score(
        &loaded.scenario,
        &args.deal,
        args.limit,
        args.max_frontier,
        &Default::default(),
    )
    .map_err(input::failure)?;
    if json {
        return emit(&jsonout::pretty(&doc));
    }
    crate::emit_report(&render(&doc, &loaded.origin))
}

fn yes(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

/// The text report: the verdict first, then each party, then optimality.
fn render(d: &ScoreDoc, origin: &str) -> String {
    let deal: Vec<String> = d
        .deal
        .iter()
        .map(|c| format!("{}={}", c.issue, c.option))
        .collect();
    let mut o = format!("{} ({origin})\n\nDeal: {}\n", d.scenario, deal.join(" "));
    let refusing: Vec<&str> = d
        .parties
        .iter()
        .filter(|p| !p.accepts)
        .map(|p| p.actor.as_str())
        .collect();
    let verdict = match (d.passes, refusing.is_empty()) {
        (true, true) => "yes, every party accepts it".to_string(),
        (true, false) => format!("yes, over the refusal of {}", refusing.join(", ")),
        (false, _) => format!("no, refused by {}", refusing.join(", ")),
    };
    let _ = writeln!(o, "Passes ({}): {verdict}", d.rule);
    if d.passes && !refusing.is_empty() {
        let _ = writeln!(
            o,
            "Pivotal (it fails if one of them refuses): {}",
            d.pivotal.join(", ")
        );
    }
    o.push('\n');
    for p in &d.parties {
        let _ = write!(
            o,
            "  {:<12} utility {:.3} (reservation {:.3})  {}",
            p.actor,
            p.utility,
            p.reservation,
            if p.accepts { "accepts" } else { "refuses" }
        );
        let reasons: Vec<&str> = p
            .refuses_because
            .iter()
            .map(|r| {
                r.split_once(" (")
                    .map_or(r.as_str(), |(_, why)| why.trim_end_matches(')'))
            })
            .collect();
        if !reasons.is_empty() {
            let _ = write!(o, ": {}", reasons.join("; "));
        }
        o.push('\n');
    }
    o.push('\n');
    let _ = writeln!(
        o,
        "Pareto-optimal in the whole outcome space: {}",
        yes(d.pareto_optimal)
    );
    if let Some(p) = d.pareto_optimal_among_agreements {
        let _ = writeln!(o, "Pareto-optimal among the deals that pass: {}", yes(p));
    }
    match &d.nash {
        Some(n) => {
            let nash: Vec<String> = n
                .deal
                .iter()
                .map(|c| format!("{}={}", c.issue, c.option))
                .collect();
            let _ = writeln!(
                o,
                "Distance to the Nash package ({}): {:.3}",
                nash.join(" "),
                n.distance
            );
        }
        None => o.push_str("No Nash package: no deal passes.\n"),
    }
    o
}
