//! `zopa simulate`: play one negotiation round by round.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;

use clap::Args;
use serde_json::json;
use zopa_analysis::{distance, distance_to_frontier, Concept, Point};
use zopa_model::Scenario;
use zopa_simulation::{by_name, play, Event, Protocol, Session, Settings, Strategy};

use crate::input;
use crate::{emit, Failure};

/// Arguments of `zopa simulate`.
#[derive(Args, Debug)]
pub struct SimulateArgs {
    /// Scenario (file, GENIUS/GeniusWeb folder, or built-in). Default: the built-in security-guarantees.
    scenario: Option<String>,
    /// ACTOR=STRATEGY, repeatable (default boulware for every actor). Strategies:
    /// boulware, linear, conceder, time:E, hardliner, random:LO:HI, tft, rtft, micro,
    /// aspiration[:E]; time-based ones accept @next, @const:A or @time:T.
    #[arg(long = "strategy", value_name = "ACTOR=STRATEGY")]
    strategies: Vec<String>,
    /// Protocol: saop (stacked alternating offers), veto (NegMAS VetoST) or
    /// hill (NegMAS HillClimbingST).
    #[arg(long, default_value_t = Protocol::Saop, value_parser = parse_protocol)]
    protocol: Protocol,
    /// Deadline in rounds.
    #[arg(long, default_value_t = 100)]
    deadline: usize,
    /// Seed (strategies that draw at random, the mediator).
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Discount factor per round, applied to the agreement's utilities
    /// (u × d^(rounds − 1)); strategies do not see it.
    #[arg(long, value_name = "D")]
    discount: Option<f64>,
    /// Refuse deadlines above N rounds (memory grows with the rounds played).
    #[arg(long, value_name = "N", default_value_t = zopa_model::limits::MAX_ROUNDS)]
    max_rounds: u64,
    /// Write every event as JSON Lines to this file.
    #[arg(long, value_name = "FILE")]
    trace: Option<PathBuf>,
}

/// Run the command.
pub fn run(args: SimulateArgs, json: bool) -> Result<(), Failure> {
    let inp = input::resolve(args.scenario.as_deref(), None)?;
    let loaded = input::load(&inp, zopa_model::DEFAULT_LIMIT)?;
    input::print_warnings(&loaded);
    let s = &loaded.scenario;
    let session = Session::new(s, 1_000_000)
        .map_err(|e| anyhow::anyhow!("{e} (simulation enumerates outcomes per party)"))?;
    let mut names: Vec<String> = vec!["boulware".into(); s.actors.len()];
    for spec in &args.strategies {
        let (actor, strat) = spec
            .split_once('=')
            .ok_or_else(|| anyhow::anyhow!("--strategy wants ACTOR=STRATEGY, got `{spec}`"))?;
        let a = s.actors.iter().position(|x| x.id == actor).ok_or_else(|| {
            let ids: Vec<&str> = s.actors.iter().map(|x| x.id.as_str()).collect();
            anyhow::anyhow!("unknown actor `{actor}` (actors: {})", ids.join(", "))
        })?;
        by_name(strat).map_err(|e| anyhow::anyhow!("{e}"))?;
        names[a] = strat.to_string();
    }
    let settings = Settings {
        deadline: args.deadline,
        seed: args.seed,
        trace: false,
        discount: args.discount,
    };
    settings
        .check(args.max_rounds)
        .map_err(anyhow::Error::new)?;
    let package = |o: u64| -> String {
        let opts = session.space().options_of(o);
        s.issues
            .iter()
            .zip(&opts)
            .map(|(i, &x)| format!("{}={}", i.id, i.options[x].id))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let utils = |u: &[f64]| -> String {
        s.actors
            .iter()
            .zip(u)
            .map(|(a, u)| format!("{} {:.2}", a.id, u))
            .collect::<Vec<_>>()
            .join(", ")
    };
    // Events stream to the trace file as they happen; only the first few are
    // kept for the text summary, so memory does not grow with the rounds.
    let mut file = match &args.trace {
        Some(path) => Some(std::io::BufWriter::new(
            std::fs::File::create(path)
                .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?,
        )),
        None => None,
    };
    // The first offers (and exits) for the text summary, and how many there were.
    let mut shown: Vec<String> = Vec::new();
    let mut displayable = 0u64;
    let mut write_error: Option<std::io::Error> = None;
    // Rounds played, shown on a terminal once the run takes more than a moment.
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(args.deadline as u64),
        indicatif::ProgressDrawTarget::hidden(),
    );
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "rounds {bar:30} {human_pos}/{human_len}  eta {eta}",
        )
        .expect("valid template"),
    );
    let started = std::time::Instant::now();
    let mut events = 0u64;
    let mut sink = |e: Event| {
        events += 1;
        if events.is_multiple_of(4096) {
            if bar.is_hidden() && started.elapsed().as_millis() > 500 {
                bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            }
            bar.set_position(e.round() as u64);
        }
        if let (Some(w), None) = (file.as_mut(), &write_error) {
            let line = event_json(s, &e, &package).to_string();
            if let Err(err) = writeln!(w, "{line}") {
                write_error = Some(err);
            }
        }
        if let Some(l) = event_line(s, &e, &package, &|o| utils(&session.utilities(o))) {
            displayable += 1;
            if shown.len() < SHOWN_EVENTS {
                shown.push(l);
            }
        }
    };
    let mut strategies: Vec<Box<dyn Strategy>> =
        names.iter().map(|n| by_name(n).expect("checked")).collect();
    let out = play(
        &session,
        args.protocol,
        &mut strategies,
        &settings,
        &mut sink,
    );
    bar.finish_and_clear();
    if let Some(w) = file.as_mut() {
        let path = args.trace.as_ref().expect("a file only with --trace");
        if let Some(e) = write_error.take().or_else(|| w.flush().err()) {
            return Err(anyhow::anyhow!("cannot write {}: {e}", path.display()).into());
        }
    }
    // Where the agreement lands relative to the agreement space.
    let analysis =
        zopa_analysis::analyze(s, &Default::default()).map_err(|e| anyhow::anyhow!("{e}"))?;
    let frontier: &[Point] = &analysis.agreement_frontier;
    let nash = analysis.solution(Concept::Nash);
    let placement = out.utilities.as_ref().map(|u| {
        let d_frontier = distance_to_frontier(u, frontier.iter().map(|p| p.utilities.as_slice()))
            .unwrap_or(f64::INFINITY);
        let d_nash = nash.map(|n| distance(u, &n.point.utilities));
        (d_frontier, d_nash)
    });
    if json {
        let doc = json!({
            "schema": "zopa.simulation/1",
            "protocol": args.protocol.name(),
            "deadline": args.deadline,
            "seed": args.seed,
            "strategies": s.actors.iter().zip(&names).map(|(a, n)| json!({"actor": a.id, "strategy": n})).collect::<Vec<_>>(),
            "rounds": out.rounds,
            "discount": args.discount,
            "discounted_utilities": out.discounted,
            "agreement": out.agreement.map(|o| json!({
                "outcome": o,
                "package": session.space().options_of(o).iter().zip(&s.issues).map(|(&x, i)| (i.id.clone(), json!(i.options[x].id))).collect::<serde_json::Map<_, _>>(),
                "utilities": s.actors.iter().zip(out.utilities.as_ref().expect("with agreement")).map(|(a, u)| (a.id.clone(), json!(u))).collect::<serde_json::Map<_, _>>(),
            })),
            "distance_to_pareto": placement.map(|p| if p.0.is_finite() { json!(p.0) } else { json!(null) }),
            "distance_to_nash": placement.and_then(|p| p.1),
        });
        return emit(&crate::jsonout::pretty(&doc));
    }
    let mut o = String::new();
    let _ = writeln!(o, "{} ({})", s.meta.title, loaded.origin);
    let _ = writeln!(
        o,
        "Protocol {:?}, deadline {} rounds, seed {}",
        args.protocol, args.deadline, args.seed
    );
    if args.protocol == Protocol::Saop {
        let list: Vec<String> = s
            .actors
            .iter()
            .zip(&names)
            .map(|(a, n)| format!("{}: {n}", a.id))
            .collect();
        let _ = writeln!(o, "Strategies: {}", list.join(", "));
    }
    let _ = writeln!(o, "\nOffers:");
    for l in &shown {
        let _ = writeln!(o, "{l}");
    }
    if displayable > SHOWN_EVENTS as u64 {
        let _ = writeln!(
            o,
            "  … {} more (see --trace FILE)",
            displayable - SHOWN_EVENTS as u64
        );
    }
    match (&out.agreement, &out.utilities) {
        (Some(a), Some(u)) => {
            let _ = writeln!(
                o,
                "\nAgreement after {} round(s): {}",
                out.rounds,
                package(*a)
            );
            let _ = writeln!(o, "  utilities: {}", utils(u));
            if let (Some(d), Some(du)) = (args.discount, &out.discounted) {
                let _ = writeln!(o, "  discounted (d = {d} per round): {}", utils(du));
            }
            let (df, dn) = placement.expect("with agreement");
            let _ = writeln!(
                o,
                "  in the agreement space (ZOPA) of {} packages; distance to its Pareto frontier {:.3}{}",
                analysis.agreement_size,
                df,
                if df < 1e-9 { " (Pareto-optimal)" } else { "" }
            );
            if let (Some(dn), Some(n)) = (dn, nash) {
                let _ = writeln!(
                    o,
                    "  distance to the Nash package ({}) {:.3}",
                    package(n.point.index),
                    dn
                );
            }
        }
        _ => {
            let _ = writeln!(o, "\nNo agreement after {} round(s).", out.rounds);
        }
    }
    emit(&o)
}

/// Offers shown in the text summary.
const SHOWN_EVENTS: usize = 40;

/// The text summary's line for an event: offers, exits and adopted texts.
fn event_line(
    s: &Scenario,
    e: &Event,
    package: &dyn Fn(u64) -> String,
    utils: &dyn Fn(u64) -> String,
) -> Option<String> {
    match *e {
        Event::Offer {
            round,
            party,
            outcome,
        } => Some(format!(
            "  round {round:>3}  {:<8} offers  {}  [{}]",
            s.actors[party].id,
            package(outcome),
            utils(outcome)
        )),
        Event::End { round, party } => {
            Some(format!("  round {round:>3}  {} leaves", s.actors[party].id))
        }
        Event::Mediator {
            round,
            outcome,
            adopted: true,
        } => Some(format!(
            "  round {round:>3}  mediator's text  {}  [{}]",
            package(outcome),
            utils(outcome)
        )),
        _ => None,
    }
}

/// One trace event as a JSON Lines object.
fn event_json(s: &Scenario, e: &Event, package: &dyn Fn(u64) -> String) -> serde_json::Value {
    let actor = |p: usize| s.actors[p].id.as_str();
    match *e {
        Event::Offer {
            round,
            party,
            outcome,
        } => {
            json!({"round": round, "party": actor(party), "action": "offer", "outcome": outcome, "package": package(outcome)})
        }
        Event::Accept {
            round,
            party,
            outcome,
        } => json!({"round": round, "party": actor(party), "action": "accept", "outcome": outcome}),
        Event::Reject { round, party } => {
            json!({"round": round, "party": actor(party), "action": "reject"})
        }
        Event::End { round, party } => {
            json!({"round": round, "party": actor(party), "action": "end"})
        }
        Event::Mediator {
            round,
            outcome,
            adopted,
        } => {
            json!({"round": round, "party": "mediator", "action": "propose", "outcome": outcome, "adopted": adopted})
        }
    }
}

fn parse_protocol(s: &str) -> Result<Protocol, String> {
    s.parse()
}
