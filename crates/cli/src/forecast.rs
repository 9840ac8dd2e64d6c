//! `zopa forecast`: each model's forecast per issue, and the Monte Carlo
//! sensitivity to the analyst's assumptions.

use std::fmt::Write;
use std::path::PathBuf;

use clap::Args;
use zopa_app::forecast;
use zopa_forecast::sensitivity::SensitivityReport;
use zopa_forecast::spatial::nearest_options;
use zopa_model::{limits, Scenario};

use crate::input;
use crate::{emit, jsonout, Failure};

/// Arguments of `zopa forecast`.
#[derive(Args, Debug)]
pub struct ForecastArgs {
    /// Scenario (file, GENIUS/GeniusWeb/LLM-Deliberation folder, or built-in). Default: the built-in security-guarantees.
    scenario: Option<String>,
    /// Only this model: mean, median, nash, eum, smp.
    #[arg(long, value_name = "M")]
    model: Option<String>,
    /// Monte Carlo runs of the sensitivity analysis (0 = none).
    #[arg(long, value_name = "N", default_value_t = zopa_app::forecast::DEFAULT_RUNS)]
    runs: usize,
    /// Seed of the sensitivity analysis (same seed, same output).
    #[arg(long, value_name = "S", default_value_t = zopa_app::DEFAULT_SEED)]
    seed: u64,
    /// Refuse more than N Monte Carlo runs.
    #[arg(long, value_name = "N", default_value_t = limits::MAX_RUNS)]
    max_runs: u64,
    /// Refuse scenarios with more than N actors (memory grows with the cube).
    #[arg(long, value_name = "N", default_value_t = limits::MAX_FORECAST_ACTORS)]
    max_actors: u64,
    /// Run KTAB's SMP on a KTAB input CSV instead (prints every turn).
    #[arg(long, value_name = "FILE")]
    ktab_csv: Option<PathBuf>,
    /// Also draw every model's forecast per issue, with its 5–95 % band, to
    /// this standalone SVG file.
    #[arg(long, value_name = "FILE")]
    svg: Option<PathBuf>,
}

fn label(s: &Scenario, i: usize, x: f64) -> String {
    let issue = &s.issues()[i];
    nearest_options(x, issue.options.len())
        .iter()
        .map(|&o| issue.options[o].id.as_str())
        .collect::<Vec<_>>()
        .join("|")
}

/// Run the command.
pub fn run(args: ForecastArgs, json: bool) -> Result<(), Failure> {
    if let Some(csv) = &args.ktab_csv {
        return ktab_run(csv, args.max_actors, json);
    }
    let inp = input::resolve(args.scenario.as_deref(), None)?;
    let loaded = input::load(&inp, zopa_model::DEFAULT_LIMIT)?;
    input::print_warnings(&loaded);
    let s = &loaded.scenario;
    let req = forecast::Request {
        model: args.model.clone(),
        runs: args.runs,
        seed: args.seed,
        max_runs: args.max_runs,
        max_actors: args.max_actors,
        ..Default::default()
    };
    let f = with_progress(args.runs, |tick| forecast::run(s, &req, tick))?;
    if let Some(path) = &args.svg {
        let doc = forecast::document(&f, s, &loaded.origin);
        let issues: Vec<(String, Vec<String>)> = s
            .issues()
            .iter()
            .map(|i| {
                (
                    i.id.clone(),
                    i.options.iter().map(|o| o.id.clone()).collect(),
                )
            })
            .collect();
        let svg = zopa_app::plots::forecast(&doc, &issues).map_err(input::failure)?;
        crate::write_output(path, &svg)?;
    }
    if json {
        return emit(&jsonout::pretty(&forecast::document(&f, s, &loaded.origin)));
    }
    crate::emit_report(&text(&f, s, &loaded.origin))
}

/// Run `work` with a progress bar of `runs` sensitivity runs on stderr.
fn with_progress(
    runs: usize,
    work: impl FnOnce(&(dyn Fn() + Sync)) -> Result<forecast::Forecasts, zopa_app::AppError>,
) -> Result<forecast::Forecasts, Failure> {
    crate::runs_bar("sensitivity", runs, 64, work).map_err(input::failure)
}

/// The forecasts as text: the table, where the models agree, forecasts on
/// red lines, and the sensitivity analysis.
fn text(f: &forecast::Forecasts, s: &Scenario, origin: &str) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "{} ({})", s.meta().title, origin);
    forecast_table(&mut o, f, s);
    let ignored = forecast::ignored(s);
    let coupling: Vec<&str> = ignored
        .iter()
        .copied()
        .filter(|x| *x != "decision rule")
        .collect();
    if !coupling.is_empty() {
        let _ = writeln!(
            o,
            "\nThe forecasting models place each issue on its own scale: they do not use the scenario's {} (and the red-line flags below check single options only).",
            coupling.join(" or ")
        );
    }
    if coupling.len() < ignored.len() {
        let _ = writeln!(
            o,
            "\nNo forecasting model has a decision rule: they weigh every actor by capability and ignore the scenario's rule ({}).",
            s.decision()
                .describe(&s.actors().iter().map(|a| a.id.as_str()).collect::<Vec<_>>())
        );
    }
    agreement(&mut o, f, s);
    red_line_flags(&mut o, f, s);
    if let Some(r) = &f.sensitivity {
        sensitivity(&mut o, r, s);
    }
    o
}

/// Each model's forecast per issue, and how the dynamic models ran.
fn forecast_table(o: &mut String, f: &forecast::Forecasts, s: &Scenario) {
    let (models, base) = (&*f.models, &*f.base);
    let _ = writeln!(o, "\nForecasts on each issue's 0-100 scale (options evenly spaced), nearest option in brackets");
    let mut head = format!("  {:<14}", "issue");
    for m in models {
        head += &format!("  {:<24}", m.key());
    }
    let _ = writeln!(o, "{}", head.trim_end());
    for (i, issue) in s.issues().iter().enumerate() {
        let mut line = format!("  {:<14}", issue.id);
        for f in base {
            line += &format!(
                "  {:<24}",
                format!("{:5.1} [{}]", f.positions[i], label(s, i, f.positions[i]))
            );
        }
        let _ = writeln!(o, "{}", line.trim_end());
    }
    for (m, f) in models.iter().zip(base) {
        if let Some(t) = &f.trajectory {
            let settled = match f.converged {
                Some(false) => {
                    ": stopped at its round cap without converging; read its forecast as a snapshot"
                }
                _ => "",
            };
            let _ = writeln!(o, "  {} ran {} round(s){settled}.", m.name(), t.len() - 1);
        }
    }
    if let Some(k) = models.iter().position(|m| m.key() == "nash") {
        nash_note(o, s, &base[k].positions);
    }
}

/// Per issue, whether the models' forecasts land on one option.
fn agreement(o: &mut String, f: &forecast::Forecasts, s: &Scenario) {
    let _ = writeln!(
        o,
        "\nWhere the models agree (spread of their forecasts on the 0-100 scale):"
    );
    for (i, issue) in s.issues().iter().enumerate() {
        let (spread, options) = forecast::spread(f, s, i);
        let names: Vec<&str> = options
            .iter()
            .map(|&k| issue.options[k].id.as_str())
            .collect();
        let verdict = if names.len() == 1 {
            "agree"
        } else {
            "disagree"
        };
        let _ = writeln!(
            o,
            "  {:<14} {verdict}: spread {spread:5.1}, {}",
            issue.id,
            names.join(" / ")
        );
    }
}

/// Forecasts that land on an option some actor has put behind a red line.
fn red_line_flags(o: &mut String, f: &forecast::Forecasts, s: &Scenario) {
    let mut flags = Vec::new();
    for (m, f) in f.models.iter().zip(&f.base) {
        for (i, issue) in s.issues().iter().enumerate() {
            let near = nearest_options(f.positions[i], issue.options.len());
            let who = forecast::rejected_by(s, i, &near);
            if !who.is_empty() {
                flags.push(format!(
                    "  {} on {}: {} is a red line of {}",
                    m.key(),
                    issue.id,
                    near.iter()
                        .map(|&k| issue.options[k].id.as_str())
                        .collect::<Vec<_>>()
                        .join("|"),
                    who.join(", ")
                ));
            }
        }
    }
    if !flags.is_empty() {
        let _ = writeln!(o, "\nForecasts on a red line (the model ignores red lines; such an outcome would be refused):");
        for l in flags {
            let _ = writeln!(o, "{l}");
        }
    }
}

/// The sensitivity table and, per issue, under which models it is robust.
fn sensitivity(o: &mut String, r: &SensitivityReport, s: &Scenario) {
    let _ = writeln!(
        o,
        "\nSensitivity: {} runs (seed {}), perturbing {} assumption(s): power x U(0.5,1.5), saliences x U(0.5,1.5) renormalised, option values +U(-0.2,0.2)",
        r.params.runs,
        r.params.seed,
        r.assumptions.len()
    );
    let _ = writeln!(
        o,
        "  Not perturbed: values a quote pins, reservations and red lines (no forecasting model uses them), the status quo (Nash's reference point)."
    );
    let _ = writeln!(o, "  issue           model   base   median  5%-95% band     robust  moved most by (mean shift)");
    let mut summary = Vec::new();
    for (i, issue) in s.issues().iter().enumerate() {
        let mut robust_under = Vec::new();
        for (m, key) in r.models.iter().enumerate() {
            let c = &r.cells[m][i];
            if c.robust {
                robust_under.push(*key);
            }
            let driver = c.driver.map_or("-".to_string(), |(a, sh)| {
                format!("{} ({sh:.1})", a.describe(s))
            });
            let _ = writeln!(
                o,
                "  {:<14}  {:<6} {:5.1}   {:5.1}  [{:5.1}, {:5.1}]  {:<6}  {}",
                issue.id,
                key,
                c.base,
                c.median,
                c.p5,
                c.p95,
                if c.robust { "yes" } else { "no" },
                driver
            );
        }
        summary.push((issue.id.as_str(), robust_under));
    }
    let _ = writeln!(
        o,
        "\nRobustness (a forecast is robust when its base value and its 5%-95% band map to one and the same option):"
    );
    for (issue, under) in &summary {
        let verdict = match under.len() {
            n if n == r.models.len() => "robust under every model".to_string(),
            0 => "not robust under any model".to_string(),
            _ => format!(
                "robust under {} of {} models ({})",
                under.len(),
                r.models.len(),
                under.join(", ")
            ),
        };
        let _ = writeln!(o, "  {issue:<14}  {verdict}");
    }
}

fn ktab_run(path: &std::path::Path, max_actors: u64, as_json: bool) -> Result<(), Failure> {
    let text = zopa_model::limits::read_text(path).map_err(|e| anyhow::anyhow!(e))?;
    let k =
        forecast::ktab(&text, &path.display().to_string(), max_actors).map_err(input::failure)?;
    if as_json {
        return emit(&jsonout::pretty(&forecast::ktab_document(&k)));
    }
    let (sc, run) = (&k.scenario, &k.run);
    let mut o = String::new();
    let _ = writeln!(
        o,
        "KTAB SMP: {} ({} actors, {} dimensions)",
        sc.name,
        sc.actors.len(),
        sc.dims.len()
    );
    for (t, turn) in run.turns.iter().enumerate() {
        let _ = writeln!(
            o,
            "turn {t}{}",
            if t == 0 {
                String::new()
            } else {
                format!("  (change ratio {:.4})", run.change_ratios[t - 1])
            }
        );
        for (a, actor) in sc.actors.iter().enumerate() {
            let pos: Vec<String> = turn.positions[a]
                .iter()
                .map(|x| format!("{:6.2}", x * 100.0))
                .collect();
            let _ = writeln!(
                o,
                "  {:<12} {}  prob {:.4}",
                actor.name,
                pos.join(" "),
                turn.prob[a]
            );
        }
    }
    let _ = writeln!(o, "stopped after {} turns", run.turns.len() - 1);
    emit(&o)
}

/// What `nash` means here, against which status quo, and where it stays there.
fn nash_note(o: &mut String, s: &zopa_model::Scenario, positions: &[f64]) {
    let mut sq = Vec::new();
    let mut kept = Vec::new();
    let mut declared = true;
    for (i, issue) in s.issues().iter().enumerate() {
        let (opt, x, d) = forecast::status_quo(s, i);
        declared &= d;
        sq.push(format!("{} {}", issue.id, issue.options[opt].id));
        if (positions[i] - x).abs() < 1e-9 {
            kept.push(issue.id.as_str());
        }
    }
    let whence = if declared {
        "the scenario's [status_quo]"
    } else {
        "no [status_quo] declared: each issue's first option is assumed"
    };
    let _ = writeln!(
        o,
        "\n`nash` is asymmetric Nash bargaining over each issue's position (weights = power x salience) against the status quo — not `zopa analyze`'s Nash package, which bargains over whole packages against the reservations.\n  Status quo ({whence}): {}.",
        sq.join(", ")
    );
    if !kept.is_empty() {
        let _ = writeln!(
            o,
            "  On {} no position makes every actor who cares better off than the status quo, so `nash` keeps it.",
            kept.join(", ")
        );
    }
}
