//! `zopa claims`: every claim of a scenario and what it rests on.

use std::fmt::Write;

use zopa_app::claims::{ClaimRow, ClaimsDoc, QuoteRef};

use crate::input;
use crate::table::Table;
use crate::{emit, jsonout, Failure};

/// Arguments of `zopa claims`.
#[derive(clap::Args, Debug)]
pub struct ClaimsArgs {
    /// Scenario file, GENIUS, GeniusWeb or LLM-Deliberation folder, or built-in name (default: the built-in scenario).
    scenario: Option<String>,
    /// Only the claims of this actor (its id).
    #[arg(long, value_name = "ID")]
    actor: Option<String>,
    /// Only the analyst's assumptions.
    #[arg(long)]
    assumed: bool,
}

pub fn run(args: ClaimsArgs, json: bool) -> Result<(), Failure> {
    let input = input::resolve(args.scenario.as_deref(), None)?;
    let loaded = input::load(&input, zopa_model::DEFAULT_LIMIT)?;
    input::print_warnings(&loaded);
    let s = &loaded.scenario;
    if let Some(a) = &args.actor {
        if !s.actors().iter().any(|x| &x.id == a) {
            let ids: Vec<&str> = s.actors().iter().map(|x| x.id.as_str()).collect();
            return Err(anyhow::anyhow!("no actor `{a}` (actors: {})", ids.join(", ")).into());
        }
    }
    let mut doc = zopa_app::claims::claims(s, &loaded.origin);
    doc.claims.retain(|c| {
        (!args.assumed || c.basis == "assumed")
            && args
                .actor
                .as_ref()
                .is_none_or(|a| c.actor.as_ref() == Some(a))
    });
    if json {
        return emit(&jsonout::pretty(&doc));
    }
    crate::emit_report(&render(&doc))
}

/// `article:6 “Russia would not accept…”`.
fn cite(q: &QuoteRef) -> String {
    let words: Vec<&str> = q.quote.split_whitespace().collect();
    let short = if words.len() > 12 {
        format!("{} …", words[..12].join(" "))
    } else {
        words.join(" ")
    };
    format!("{}:{} “{}”", q.source, q.line, short)
}

fn basis(c: &ClaimRow, analyst: Option<&str>) -> String {
    if let Some(q) = c.quotes.first() {
        let more = match c.quotes.len() {
            1 => String::new(),
            n => format!(" (+{} more)", n - 1),
        };
        let grade = c.grade.map_or("quoted", |g| g.key());
        return format!("{grade} {}{more}", cite(q));
    }
    let who = match c.author.as_deref() {
        Some(a) if Some(a) != analyst => format!(" ({a})"),
        _ => String::new(),
    };
    match &c.note {
        Some(n) => format!("assumed{who}: {n}"),
        None => format!("assumed{who}, no note"),
    }
}

/// The human-readable listing.
pub fn render(doc: &ClaimsDoc) -> String {
    let mut o = String::new();
    let c = &doc.counts;
    let _ = writeln!(
        o,
        "Claims of {} ({}): {} in all — {} stated by a quote ({} direct, {} reported, {} inferred), {} analyst assumptions.",
        doc.scenario, doc.origin, c.claims, c.quoted, c.direct, c.reported, c.inferred, c.assumed
    );
    let _ = writeln!(
        o,
        "A quote is direct (the speaker's words in quotation marks), reported (a journalist's paraphrase) or inferred (the analyst's reading of a passage)."
    );
    let _ = writeln!(
        o,
        "A value is quoted only when a quote pins it (best = 1, worst = 0); saliences, powers and reservations are always assumptions."
    );
    let analyst = doc.analyst.as_deref();
    let _ = writeln!(
        o,
        "Assumptions are {}'s unless another author is named.",
        analyst.unwrap_or("the analyst")
    );
    let mut t = Table::new(&["actor", "kind", "claim", "basis"], &[false; 4]);
    for r in &doc.claims {
        t.row(vec![
            r.actor.clone().unwrap_or_else(|| "—".into()),
            r.kind.label().to_string(),
            r.claim.clone(),
            basis(r, analyst),
        ]);
    }
    o.push('\n');
    t.render(&mut o);
    if !doc.analyst_options.is_empty() {
        let _ = writeln!(
            o,
            "\nOptions no source mentions (introduced by the analyst):"
        );
        for x in &doc.analyst_options {
            let _ = writeln!(o, "  {}.{}  {}", x.issue, x.option, x.label);
        }
    }
    if !doc.unmodelled.is_empty() {
        let _ = writeln!(o, "\nStatements of the sources not modelled:");
        for u in &doc.unmodelled {
            let who = u.quote.speaker.as_deref().unwrap_or("(no party)");
            let _ = writeln!(o, "  {who}  {}\n      {}", cite(&u.quote), u.reason);
        }
    }
    o
}
