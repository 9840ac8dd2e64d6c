//! `zopa simulate`: play one negotiation round by round.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;

use clap::Args;
use zopa_app::simulate;
use zopa_model::Scenario;
use zopa_simulation::{Event, Protocol};

use crate::input;
use crate::{emit, jsonout, Failure};

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
    #[arg(long, default_value_t = simulate::DEFAULT_PROTOCOL, value_parser = parse_protocol)]
    protocol: Protocol,
    /// Deadline in rounds.
    #[arg(long, default_value_t = simulate::DEFAULT_DEADLINE)]
    deadline: usize,
    /// Seed (strategies that draw at random, the mediator).
    #[arg(long, default_value_t = zopa_app::DEFAULT_SEED)]
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
    /// Also draw each party's offers over the rounds, in its own utility, to
    /// this standalone SVG file (long runs: one round in deadline/2000).
    #[arg(long, value_name = "FILE")]
    svg: Option<PathBuf>,
}

/// Run the command.
pub fn run(args: SimulateArgs, json: bool) -> Result<(), Failure> {
    let inp = input::resolve(args.scenario.as_deref(), None)?;
    let loaded = input::load(&inp, zopa_model::DEFAULT_LIMIT)?;
    input::print_warnings(&loaded);
    let s = &loaded.scenario;
    let req = simulate::Request {
        strategies: args.strategies.clone(),
        protocol: args.protocol,
        deadline: args.deadline,
        seed: args.seed,
        discount: args.discount,
        max_rounds: args.max_rounds,
        ..Default::default()
    };
    let sim = simulate::prepare(s, &req).map_err(input::failure)?;
    let names = &sim.names;
    let package = |o: u64| sim.package(o);
    let utils = |u: &[f64]| -> String {
        s.actors()
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
    // For the text summary: offers that differ from the party's previous
    // offer (and exits, adopted texts) — the first SHOWN_EVENTS and the last
    // TAIL_EVENTS of them — and how many repeated offers were left out.
    let mut shown: Vec<String> = Vec::new();
    let mut tail: std::collections::VecDeque<String> = std::collections::VecDeque::new();
    let mut displayable = 0u64;
    let mut repeated = 0u64;
    let mut previous: Vec<Option<u64>> = vec![None; s.n_actors()];
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
    // Offers for --svg: (round, party, own utility), a bounded number of rounds.
    let stride = zopa_app::plots::offer_stride(args.deadline);
    let mut offers: Vec<(u64, usize, f64)> = Vec::new();
    let mut sink = |e: Event| {
        events += 1;
        if let Event::Offer {
            round,
            party,
            outcome,
        } = e
        {
            if args.svg.is_some() && (round as u64).is_multiple_of(stride) {
                offers.push((round as u64, party, sim.session.utility(party, outcome)));
            }
        }
        if events.is_multiple_of(4096) {
            if bar.is_hidden() && started.elapsed().as_millis() > 500 {
                bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            }
            bar.set_position(e.round() as u64);
        }
        if let (Some(w), None) = (file.as_mut(), &write_error) {
            if let Err(err) = writeln!(
                w,
                "{}",
                serde_json::to_string(&sim.event_json(&e)).expect("plain data")
            ) {
                write_error = Some(err);
            }
        }
        if let Event::Offer { party, outcome, .. } = e {
            if previous[party].replace(outcome) == Some(outcome) {
                repeated += 1;
                return;
            }
        }
        if let Some(l) = event_line(s, &e, &package, &|o| utils(&sim.session.utilities(o))) {
            displayable += 1;
            if shown.len() < SHOWN_EVENTS {
                shown.push(l);
            } else {
                tail.push_back(l);
                if tail.len() > TAIL_EVENTS {
                    tail.pop_front();
                }
            }
        }
    };
    let played = sim.play(&mut sink);
    let out = &played.outcome;
    bar.finish_and_clear();
    if let Some(w) = file.as_mut() {
        let path = args.trace.as_ref().expect("a file only with --trace");
        if let Some(e) = write_error.take().or_else(|| w.flush().err()) {
            return Err(anyhow::anyhow!("cannot write {}: {e}", path.display()).into());
        }
    }
    let placement = sim.place(&played).map_err(input::failure)?;
    if let Some(path) = &args.svg {
        let caption = match out.agreement {
            Some(o) => format!(
                "{}: agreement after {} rounds ({})",
                args.protocol.name(),
                out.rounds,
                sim.package(o)
            ),
            None => format!(
                "{}: no agreement in {} rounds",
                args.protocol.name(),
                out.rounds
            ),
        };
        let ids: Vec<String> = s.actors().iter().map(|a| a.id.clone()).collect();
        let svg = zopa_app::plots::simulation(&caption, &ids, &offers).map_err(input::failure)?;
        crate::write_output(path, &svg)?;
    }
    if json {
        return emit(&jsonout::pretty(&sim.document(&played, &placement)));
    }
    let mut o = String::new();
    let _ = writeln!(o, "{} ({})", s.meta().title, loaded.origin);
    let _ = writeln!(
        o,
        "Protocol {:?}, deadline {} rounds, seed {}",
        args.protocol, args.deadline, args.seed
    );
    if args.protocol == Protocol::Saop {
        let list: Vec<String> = s
            .actors()
            .iter()
            .zip(names)
            .map(|(a, n)| format!("{}: {n}", a.id))
            .collect();
        let _ = writeln!(o, "Strategies: {}", list.join(", "));
    }
    let _ = writeln!(
        o,
        "\nOffers (each party's first offer and every change; {repeated} repeated offer(s) not shown):"
    );
    for l in &shown {
        let _ = writeln!(o, "{l}");
    }
    let hidden = displayable - (shown.len() + tail.len()) as u64;
    if hidden > 0 {
        let _ = writeln!(o, "  … {hidden} more (see --trace FILE)");
    }
    for l in &tail {
        let _ = writeln!(o, "{l}");
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
            let df = placement.to_frontier.unwrap_or(f64::INFINITY);
            let _ = writeln!(
                o,
                "  in the agreement space (ZOPA) of {} packages; distance to its Pareto frontier {:.3}{}",
                placement.agreement_size,
                df,
                if df < 1e-9 { " (Pareto-optimal)" } else { "" }
            );
            if let (Some(dn), Some(n)) = (placement.to_nash, &placement.nash) {
                let _ = writeln!(
                    o,
                    "  distance to the Nash package ({}) {:.3}",
                    package(n.point.index),
                    dn
                );
            }
        }
        _ => no_agreement(&mut o, &sim, &played),
    }
    emit(&o)
}

/// Offers shown in the text summary from the start, and from the end.
const SHOWN_EVENTS: usize = 40;
const TAIL_EVENTS: usize = 8;

/// Why a negotiation ended without agreement, in words.
fn no_agreement(o: &mut String, sim: &simulate::Prepared<'_>, p: &simulate::Played) {
    let s = sim.scenario;
    let cause = match p.left {
        Some((k, round)) => format!("{} walked away in round {round}", s.actors()[k].id),
        None => format!("the deadline ({} rounds) passed", sim.settings.deadline),
    };
    let _ = writeln!(
        o,
        "\nNo agreement after {} round(s): {cause}.",
        p.outcome.rounds
    );
    if p.last_offers.iter().all(Option::is_none) {
        return;
    }
    let _ = writeln!(o, "  Last offers, and who would refuse each as a deal:");
    for (k, last) in p.last_offers.iter().enumerate() {
        let Some(offer) = *last else { continue };
        let who: Vec<String> = sim
            .refusals(offer)
            .iter()
            .map(|r| sim.refusal_text(r))
            .collect();
        let verdict = if who.is_empty() {
            "in the ZOPA (no red line crossed, every reservation met), yet not accepted in time"
                .to_string()
        } else {
            who.join(", ")
        };
        let _ = writeln!(
            o,
            "    {:<8} {}\n             {verdict}",
            s.actors()[k].id,
            sim.package(offer)
        );
    }
}

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
            s.actors()[party].id,
            package(outcome),
            utils(outcome)
        )),
        Event::End { round, party } => Some(format!(
            "  round {round:>3}  {} leaves",
            s.actors()[party].id
        )),
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

fn parse_protocol(s: &str) -> Result<Protocol, String> {
    s.parse()
}
