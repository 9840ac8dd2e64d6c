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
    /// Scenario (file, GENIUS/GeniusWeb/LLM-Deliberation folder, or built-in). Default: the built-in security-guarantees.
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
    let mut watch = Watch::new(&args, s.n_actors())?;
    let played = sim.play(&mut |e| watch.event(&sim, e));
    let watched = watch.finish(args.trace.as_deref())?;
    let placement = sim.place(&played).map_err(input::failure)?;
    if let Some(path) = &args.svg {
        let out = &played.outcome;
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
        let svg =
            zopa_app::plots::simulation(&caption, &ids, &watched.offers).map_err(input::failure)?;
        crate::write_output(path, &svg)?;
    }
    if json {
        return emit(&jsonout::pretty(&sim.document(&played, &placement)));
    }
    let mut o = String::new();
    header(&mut o, &args, &sim, &loaded.origin);
    watched.offers_text(&mut o);
    match (&played.outcome.agreement, &played.outcome.utilities) {
        (Some(a), Some(u)) => agreement(&mut o, &sim, &played, &placement, *a, u, args.discount),
        _ => no_agreement(&mut o, &sim, &played),
    }
    crate::emit_report(&o)
}

/// Each actor's utilities, `russia 0.42, ukraine 0.61`.
fn utils(s: &Scenario, u: &[f64]) -> String {
    s.actors()
        .iter()
        .zip(u)
        .map(|(a, u)| format!("{} {:.2}", a.id, u))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What the CLI keeps of a negotiation as it is played: the trace streamed
/// to its file, the offers the text summary shows (the first
/// [`SHOWN_EVENTS`] changes and the last [`TAIL_EVENTS`]; memory does not
/// grow with the rounds), the offers `--svg` draws, and a progress bar shown
/// once the run takes more than a moment.
struct Watch {
    file: Option<std::io::BufWriter<std::fs::File>>,
    write_error: Option<std::io::Error>,
    shown: Vec<String>,
    tail: std::collections::VecDeque<String>,
    displayable: u64,
    repeated: u64,
    /// Mediated protocols: the proposals not adopted (`None`: no mediator).
    declined: Option<u64>,
    previous: Vec<Option<u64>>,
    bar: indicatif::ProgressBar,
    started: std::time::Instant,
    events: u64,
    draw: bool,
    stride: u64,
    offers: Vec<(u64, usize, f64)>,
}

/// What [`Watch`] kept, once the play is over.
struct Watched {
    shown: Vec<String>,
    tail: std::collections::VecDeque<String>,
    displayable: u64,
    repeated: u64,
    declined: Option<u64>,
    offers: Vec<(u64, usize, f64)>,
}

impl Watch {
    fn new(args: &SimulateArgs, actors: usize) -> Result<Watch, Failure> {
        let file = match &args.trace {
            Some(path) => Some(std::io::BufWriter::new(
                std::fs::File::create(path)
                    .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?,
            )),
            None => None,
        };
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
        Ok(Watch {
            file,
            write_error: None,
            shown: Vec::new(),
            tail: std::collections::VecDeque::new(),
            displayable: 0,
            repeated: 0,
            declined: None,
            previous: vec![None; actors],
            bar,
            started: std::time::Instant::now(),
            events: 0,
            draw: args.svg.is_some(),
            stride: zopa_app::plots::offer_stride(args.deadline),
            offers: Vec::new(),
        })
    }

    fn event(&mut self, sim: &simulate::Prepared<'_>, e: Event) {
        self.events += 1;
        if let Event::Offer {
            round,
            party,
            outcome,
        } = e
        {
            if self.draw && (round as u64).is_multiple_of(self.stride) {
                let u = sim.session.utility(party, outcome);
                self.offers.push((round as u64, party, u));
            }
        }
        if self.events.is_multiple_of(4096) {
            if self.bar.is_hidden() && self.started.elapsed().as_millis() > 500 {
                self.bar
                    .set_draw_target(indicatif::ProgressDrawTarget::stderr());
            }
            self.bar.set_position(e.round() as u64);
        }
        if let (Some(w), None) = (self.file.as_mut(), &self.write_error) {
            let line = serde_json::to_string(&sim.event_json(&e)).expect("plain data");
            if let Err(err) = writeln!(w, "{line}") {
                self.write_error = Some(err);
            }
        }
        if let Event::Mediator { adopted, .. } = e {
            *self.declined.get_or_insert(0) += u64::from(!adopted);
        }
        if let Event::Offer { party, outcome, .. } = e {
            if self.previous[party].replace(outcome) == Some(outcome) {
                self.repeated += 1;
                return;
            }
        }
        let s = sim.scenario;
        let package = |o: u64| sim.package(o);
        if let Some(l) = event_line(s, &e, &package, &|o| utils(s, &sim.session.utilities(o))) {
            self.displayable += 1;
            if self.shown.len() < SHOWN_EVENTS {
                self.shown.push(l);
            } else {
                self.tail.push_back(l);
                if self.tail.len() > TAIL_EVENTS {
                    self.tail.pop_front();
                }
            }
        }
    }

    /// Clear the bar and flush the trace file (`trace`, its path).
    fn finish(mut self, trace: Option<&std::path::Path>) -> Result<Watched, Failure> {
        self.bar.finish_and_clear();
        if let (Some(w), Some(path)) = (self.file.as_mut(), trace) {
            if let Some(e) = self.write_error.take().or_else(|| w.flush().err()) {
                return Err(anyhow::anyhow!("cannot write {}: {e}", path.display()).into());
            }
        }
        Ok(Watched {
            shown: self.shown,
            tail: self.tail,
            displayable: self.displayable,
            repeated: self.repeated,
            declined: self.declined,
            offers: self.offers,
        })
    }
}

impl Watched {
    /// The offers the text summary shows.
    fn offers_text(&self, o: &mut String) {
        let _ = match self.declined {
            Some(declined) => writeln!(
                o,
                "\nTexts the mediator adopted ({declined} rejected proposal(s) not shown):"
            ),
            None => writeln!(
                o,
                "\nOffers (each party's first offer and every change; {} repeated offer(s) not shown):",
                self.repeated
            ),
        };
        for l in &self.shown {
            let _ = writeln!(o, "{l}");
        }
        let hidden = self.displayable - (self.shown.len() + self.tail.len()) as u64;
        if hidden > 0 {
            let _ = writeln!(o, "  … {hidden} more (see --trace FILE)");
        }
        for l in &self.tail {
            let _ = writeln!(o, "{l}");
        }
    }
}

/// The scenario, the protocol and, under SAOP, each party's strategy.
fn header(o: &mut String, args: &SimulateArgs, sim: &simulate::Prepared<'_>, origin: &str) {
    let s = sim.scenario;
    let _ = writeln!(o, "{} ({})", s.meta().title, origin);
    let _ = writeln!(
        o,
        "Protocol {:?}, deadline {} rounds, seed {}",
        args.protocol, args.deadline, args.seed
    );
    if args.protocol == Protocol::Saop {
        let list: Vec<String> = s
            .actors()
            .iter()
            .zip(&sim.names)
            .map(|(a, n)| format!("{}: {n}", a.id))
            .collect();
        let _ = writeln!(o, "Strategies: {}", list.join(", "));
    }
}

/// The agreement `a` reached, its utilities `u`, and where it lies.
fn agreement(
    o: &mut String,
    sim: &simulate::Prepared<'_>,
    played: &simulate::Played,
    placement: &simulate::Placement,
    a: u64,
    u: &[f64],
    discount: Option<f64>,
) {
    let (s, out) = (sim.scenario, &played.outcome);
    let _ = writeln!(
        o,
        "\nAgreement after {} round(s): {}",
        out.rounds,
        sim.package(a)
    );
    let _ = writeln!(o, "  utilities: {}", utils(s, u));
    if !s.decision().is_unanimity() {
        let ids = |keep: &dyn Fn(usize) -> bool| -> String {
            let v: Vec<&str> = s
                .actors()
                .iter()
                .enumerate()
                .filter(|(k, _)| keep(*k))
                .map(|(_, a)| a.id.as_str())
                .collect();
            if v.is_empty() {
                "none".into()
            } else {
                v.join(", ")
            }
        };
        let _ = writeln!(
            o,
            "  passed by {} (a winning coalition); outvoted: {}",
            ids(&|k| out.coalition.contains(&k)),
            ids(&|k| !out.coalition.contains(&k))
        );
    }
    if let (Some(d), Some(du)) = (discount, &out.discounted) {
        let _ = writeln!(o, "  discounted (d = {d} per round): {}", utils(s, du));
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
            sim.package(n.point.index),
            dn
        );
    }
}

/// Offers shown in the text summary from the start, and from the end.
const SHOWN_EVENTS: usize = 40;
const TAIL_EVENTS: usize = 8;

/// Why a negotiation ended without agreement, in words.
fn no_agreement(o: &mut String, sim: &simulate::Prepared<'_>, p: &simulate::Played) {
    let s = sim.scenario;
    let cause = match p.left {
        Some((k, round)) => format!("{} walked away in round {round}", s.actors()[k].id),
        None if p.outcome.local_optimum => format!(
            "the mediator's text reached a local optimum before the deadline ({} rounds): no neighbouring text (one issue changed) is better for every party",
            sim.settings.deadline
        ),
        None => format!("the deadline ({} rounds) passed", sim.settings.deadline),
    };
    let _ = writeln!(
        o,
        "\nNo agreement after {} round(s): {cause}.",
        p.outcome.rounds
    );
    if let Some(text) = p.outcome.final_text {
        let who = refusers(sim, text);
        let verdict = if who.is_empty() {
            "yet it does not pass the decision rule".to_string()
        } else {
            format!("refused as a deal: {}", who.join(", "))
        };
        let _ = writeln!(
            o,
            "  The mediator's final text: {}\n    {verdict}",
            sim.package(text)
        );
    }
    if p.last_offers.iter().all(Option::is_none) {
        return;
    }
    let _ = writeln!(o, "  Last offers, and who would refuse each as a deal:");
    for (k, last) in p.last_offers.iter().enumerate() {
        let Some(offer) = *last else { continue };
        let who = refusers(sim, offer);
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

/// Who would refuse package `o` as a deal, and why, in words.
fn refusers(sim: &simulate::Prepared<'_>, o: u64) -> Vec<String> {
    sim.refusals(o)
        .iter()
        .map(|r| sim.refusal_text(r))
        .collect()
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
