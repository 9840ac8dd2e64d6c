//! Standalone SVG plots for every surface (`zopa analyze --svg`, …), drawn
//! with plotters' SVG backend from the documents this layer builds: the same
//! input gives the same bytes (no system fonts are read; plotters' built-in
//! text metrics are used).

use plotters::coord::Shift;
use plotters::prelude::*;

use zopa_analysis::{Analysis, Concept};

use crate::report::json::AnalysisJson;

use crate::space::SpaceDoc;
use crate::{AppError, Loaded};

const W: u32 = 820;
const FONT: &str = "sans-serif";
const AGREE: RGBColor = RGBColor(31, 111, 178);
const BELOW: RGBColor = RGBColor(232, 163, 61);
const RED: RGBColor = RGBColor(185, 190, 199);
const FRONT: RGBColor = RGBColor(11, 42, 74);
const MARK: RGBColor = RGBColor(164, 38, 44);
const PALETTE: [RGBColor; 6] = [
    RGBColor(31, 111, 178),
    RGBColor(194, 65, 12),
    RGBColor(21, 128, 61),
    RGBColor(124, 58, 237),
    RGBColor(185, 28, 28),
    RGBColor(14, 116, 144),
];

fn fail(e: impl std::fmt::Display) -> AppError {
    AppError::Engine(format!("cannot draw the plot: {e}"))
}

/// Draw on a fresh SVG of `height` pixels; the SVG's text.
fn svg(
    height: u32,
    draw: impl FnOnce(&DrawingArea<SVGBackend, Shift>) -> Result<(), AppError>,
) -> Result<String, AppError> {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (W, height)).into_drawing_area();
        root.fill(&WHITE).map_err(fail)?;
        draw(&root)?;
        root.present().map_err(fail)?;
    }
    Ok(out)
}

/// The analysis report (`zopa.analysis/1`, every frontier package) as its
/// typed document.
pub fn report_doc<'a>(loaded: &'a Loaded, analysis: &'a Analysis) -> AnalysisJson<'a> {
    crate::report::json::document(&crate::report::Report {
        scenario: &loaded.scenario,
        origin: &loaded.origin,
        analysis,
        top: 0,
        robustness: None,
        critical: None,
        comparison: None,
    })
}

/// Actor indices for `axes` given as ids (default: the first two actors).
pub fn axes(loaded: &Loaded, axes: Option<(&str, &str)>) -> Result<(usize, usize), AppError> {
    let actors = loaded.scenario.actors();
    let Some((x, y)) = axes else {
        return Ok((0, 1.min(actors.len() - 1)));
    };
    let find = |id: &str| {
        actors.iter().position(|a| a.id == id).ok_or_else(|| {
            AppError::Usage(format!(
                "no actor `{id}` for an axis; the actors are {}",
                actors
                    .iter()
                    .map(|a| a.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })
    };
    Ok((find(x)?, find(y)?))
}

/// An analysis drawn: its report (`zopa.analysis/1`, every frontier
/// package) and its agreement-space SVG, built once for every output that
/// shows them (a plot, the HTML report).
pub struct Drawn<'a> {
    /// The analysis report.
    pub report: AnalysisJson<'a>,
    /// The agreement space in the two actors `on`.
    pub svg: String,
}

/// Draw an analysis on the actors `on` (see [`agreement_space`]).
pub fn draw<'a>(
    loaded: &'a Loaded,
    analysis: &'a Analysis,
    on: (usize, usize),
) -> Result<Drawn<'a>, AppError> {
    let report = report_doc(loaded, analysis);
    let space = crate::space::space(loaded, crate::space::DEFAULT_POINTS)?;
    let svg = agreement_space(&SpacePlot {
        space: &space,
        report: &report,
        axes: on,
    })?;
    Ok(Drawn { report, svg })
}

/// The agreement-space SVG of an analysis (see [`draw`]).
pub fn analysis_svg(
    loaded: &Loaded,
    analysis: &Analysis,
    on: (usize, usize),
) -> Result<String, AppError> {
    Ok(draw(loaded, analysis, on)?.svg)
}

/// What the agreement-space plot shows: a space document, the analysis
/// report (`zopa.analysis/1`) and the two actors on the axes.
pub struct SpacePlot<'a> {
    /// The packages drawn.
    pub space: &'a SpaceDoc,
    /// The analysis report, for the frontier, solutions and reservations.
    pub report: &'a AnalysisJson<'a>,
    /// Actor indices on x and y.
    pub axes: (usize, usize),
}

/// The agreement space in two actors' utilities: every package (or the
/// sample) by status, the Pareto frontier of the agreement space, the four
/// solutions and both reservations.
pub fn agreement_space(p: &SpacePlot) -> Result<String, AppError> {
    let (ax, ay) = p.axes;
    let actors = &p.report.actors;
    let title = p.report.scenario.title;
    svg(640, |root| {
        let mut chart = ChartBuilder::on(root)
            .caption(title, (FONT, 18))
            .margin(16)
            .x_label_area_size(44)
            .y_label_area_size(54)
            .build_cartesian_2d(0f64..1f64, 0f64..1f64)
            .map_err(fail)?;
        chart
            .configure_mesh()
            .x_desc(format!("utility of {}", actors[ax].name))
            .y_desc(format!("utility of {}", actors[ay].name))
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(fail)?;
        let s = p.space;
        let labels = [
            "violates a red line",
            "below a reservation",
            "agreement space (ZOPA)",
        ];
        for (status, color) in [(0u8, RED), (1, BELOW), (2, AGREE)] {
            let pts = (0..s.index.len())
                .filter(|&k| s.status[k] == status)
                .map(|k| Circle::new((s.utilities[ax][k], s.utilities[ay][k]), 2, color.filled()));
            chart
                .draw_series(pts)
                .map_err(fail)?
                .label(labels[status as usize])
                .legend(move |(x, y)| Circle::new((x, y), 3, color.filled()));
        }
        chart
            .draw_series(p.report.agreement_frontier.packages.iter().map(|pk| {
                let u = &pk.utilities;
                Circle::new((u[ax], u[ay]), 4, FRONT.filled())
            }))
            .map_err(fail)?
            .label("Pareto frontier of the ZOPA")
            .legend(|(x, y)| Circle::new((x, y), 4, FRONT.filled()));
        let res = |k: usize| actors[k].reservation;
        chart
            .draw_series([
                PathElement::new(vec![(res(ax), 0.0), (res(ax), 1.0)], MARK.stroke_width(1)),
                PathElement::new(vec![(0.0, res(ay)), (1.0, res(ay))], MARK.stroke_width(1)),
            ])
            .map_err(fail)?
            .label("reservations")
            .legend(|(x, y)| PathElement::new(vec![(x - 8, y), (x + 8, y)], MARK.stroke_width(1)));
        let concepts = [
            (Concept::Nash, "Nash"),
            (Concept::KalaiSmorodinsky, "Kalai–Smorodinsky"),
            (Concept::Utilitarian, "utilitarian"),
            (Concept::Egalitarian, "egalitarian"),
        ];
        for (n, (concept, label)) in concepts.iter().enumerate() {
            let Some(x) = p.report.solutions.get(*concept) else {
                continue;
            };
            let u = x.package.utilities.values();
            let (x, y) = (u[ax], u[ay]);
            chart
                .draw_series([EmptyElement::at((x, y))
                    + Rectangle::new([(-5, -5), (5, 5)], MARK.stroke_width(2))
                    + Text::new(label.to_string(), (8, -14 - 12 * n as i32), (FONT, 12))])
                .map_err(fail)?;
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK.mix(0.3))
            .label_font((FONT, 12))
            .draw()
            .map_err(fail)?;
        let note = if s.sampled {
            format!(
                "a fixed sample of {} of {} packages; every frontier package",
                s.listed, s.size
            )
        } else {
            format!("all {} packages", s.size)
        };
        root.draw(&Text::new(note, (70, 622), (FONT, 11)))
            .map_err(fail)?;
        Ok(())
    })
}

/// Every model's forecast per issue (`zopa.forecast/1`) on the issue's
/// option scale, with the 5–95 % band of the sensitivity runs.
pub fn forecast(
    doc: &crate::forecast::ForecastDoc,
    issues: &[(String, Vec<String>)],
) -> Result<String, AppError> {
    let models = &doc.forecasts;
    let bands: &[crate::forecast::ModelSensitivity] =
        doc.sensitivity.as_ref().map_or(&[], |s| &s.models);
    let row = 22u32;
    let panel = 48 + row * models.len() as u32;
    let height = 40 + panel * issues.len() as u32;
    svg(height, |root| {
        let title = format!("Forecasts of {}", doc.scenario.id);
        let (top, body) = root.split_vertically(40);
        top.draw(&Text::new(title, (16, 12), (FONT, 18)))
            .map_err(fail)?;
        let panels = body.split_evenly((issues.len(), 1));
        let x = |pos: f64| 190 + (pos / 100.0 * f64::from(W - 230)) as i32;
        for ((issue, options), area) in issues.iter().zip(&panels) {
            area.draw(&Text::new(
                issue.clone(),
                (16, 6),
                (FONT, 14).into_font().style(FontStyle::Bold),
            ))
            .map_err(fail)?;
            let n = options.len().max(1);
            for (k, o) in options.iter().enumerate() {
                let pos = if n > 1 {
                    100.0 * k as f64 / (n - 1) as f64
                } else {
                    50.0
                };
                area.draw(&PathElement::new(
                    vec![(x(pos), 24), (x(pos), panel as i32 - 4)],
                    BLACK.mix(0.12),
                ))
                .map_err(fail)?;
                area.draw(&Text::new(o.clone(), (x(pos) - 20, 12), (FONT, 11)))
                    .map_err(fail)?;
            }
            for (r, m) in models.iter().enumerate() {
                let y = 34 + row as i32 * r as i32;
                area.draw(&Text::new(m.name.to_string(), (16, y - 6), (FONT, 11)))
                    .map_err(fail)?;
                let band = bands
                    .iter()
                    .find(|b| b.model == m.model)
                    .and_then(|b| b.issues.iter().find(|i| i.issue == *issue));
                if let Some(b) = band {
                    area.draw(&Rectangle::new(
                        [(x(b.p5), y - 4), (x(b.p95).max(x(b.p5) + 1), y + 4)],
                        AGREE.mix(0.25).filled(),
                    ))
                    .map_err(fail)?;
                }
                let at = m
                    .issues
                    .iter()
                    .find(|i| i.issue == *issue)
                    .map(|i| i.position);
                if let Some(pos) = at {
                    area.draw(&Circle::new((x(pos), y), 5, FRONT.filled()))
                        .map_err(fail)?;
                }
            }
        }
        Ok(())
    })
}

/// Each party's offers over the rounds of a simulation, in its own
/// utility: `offers` are (round, party, utility) — at most a few thousand
/// rounds, see [`offer_stride`] — and `caption` says what happened.
pub fn simulation(
    caption: &str,
    actors: &[String],
    offers: &[(u64, usize, f64)],
) -> Result<String, AppError> {
    let rounds = offers.iter().map(|o| o.0).max().unwrap_or(1).max(1);
    svg(480, |root| {
        let mut chart = ChartBuilder::on(root)
            .caption(caption, (FONT, 15))
            .margin(16)
            .x_label_area_size(40)
            .y_label_area_size(50)
            .build_cartesian_2d(0f64..rounds as f64, 0f64..1f64)
            .map_err(fail)?;
        chart
            .configure_mesh()
            .x_desc("round")
            .y_desc("utility of its own offer")
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(fail)?;
        for (k, actor) in actors.iter().enumerate() {
            let color = PALETTE[k % PALETTE.len()];
            let pts: Vec<(f64, f64)> = offers
                .iter()
                .filter(|o| o.1 == k)
                .map(|o| (o.0 as f64, o.2))
                .collect();
            if pts.is_empty() {
                continue;
            }
            chart
                .draw_series(LineSeries::new(pts, color.stroke_width(2)))
                .map_err(fail)?
                .label(actor.clone())
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x - 8, y), (x + 8, y)], color.stroke_width(2))
                });
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerLeft)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK.mix(0.3))
            .label_font((FONT, 12))
            .draw()
            .map_err(fail)?;
        Ok(())
    })
}

/// Keep one round in this many for a plot of a run of `deadline` rounds
/// (at most about 2,000 rounds drawn).
pub fn offer_stride(deadline: usize) -> u64 {
    (deadline as u64).div_ceil(2000).max(1)
}

/// A tournament's per-strategy mean utility with its 95 % confidence
/// interval and agreement rate (`zopa.tournament-report/1`).
pub fn tournament(doc: &crate::tournament::ReportDoc) -> Result<String, AppError> {
    let rows = &doc.strategies;
    let n = rows.len().max(1);
    svg(160 + 34 * n as u32, |root| {
        let mut chart = ChartBuilder::on(root)
            .caption(
                format!(
                    "{}: {} of {} negotiations",
                    doc.name, doc.negotiations_completed, doc.negotiations_planned
                ),
                (FONT, 16),
            )
            .margin(16)
            .x_label_area_size(40)
            .y_label_area_size(150)
            .build_cartesian_2d(0f64..1f64, (0..n - 1).into_segmented())
            .map_err(fail)?;
        let names: Vec<String> = rows.iter().map(|r| r.strategy.clone()).collect();
        chart
            .configure_mesh()
            .x_desc(if doc.statistics.is_some() {
                "mean utility (bar; bootstrap 95 % interval: whiskers) and agreement rate (ring)"
            } else {
                "mean utility (bar; 95 % confidence interval: whiskers) and agreement rate (ring)"
            })
            .y_labels(n)
            .y_label_formatter(&|y| match y {
                SegmentValue::CenterOf(k) => names.get(*k).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(fail)?;
        for (k, r) in rows.iter().enumerate() {
            // The bootstrap interval when the report has one (same order:
            // both by name), else the normal one.
            let boot = doc
                .statistics
                .as_ref()
                .and_then(|s| s.strategies.iter().find(|x| x.strategy == r.strategy));
            let (lo, hi) = match boot {
                Some(b) => (b.ci_low.max(0.0), b.ci_high.min(1.0)),
                None => (
                    (r.mean_utility - r.utility_ci95).max(0.0),
                    (r.mean_utility + r.utility_ci95).min(1.0),
                ),
            };
            let mut bar = Rectangle::new(
                [
                    (0.0, SegmentValue::Exact(k)),
                    (r.mean_utility, SegmentValue::Exact(k + 1)),
                ],
                AGREE.mix(0.7).filled(),
            );
            bar.set_margin(6, 6, 0, 0);
            chart.draw_series([bar]).map_err(fail)?;
            chart
                .draw_series([
                    PathElement::new(
                        vec![
                            (lo, SegmentValue::CenterOf(k)),
                            (hi, SegmentValue::CenterOf(k)),
                        ],
                        BLACK.stroke_width(2),
                    ),
                    PathElement::new(
                        vec![
                            (lo, SegmentValue::Exact(k)),
                            (lo, SegmentValue::Exact(k + 1)),
                        ],
                        BLACK.mix(0.5),
                    ),
                    PathElement::new(
                        vec![
                            (hi, SegmentValue::Exact(k)),
                            (hi, SegmentValue::Exact(k + 1)),
                        ],
                        BLACK.mix(0.5),
                    ),
                ])
                .map_err(fail)?;
            chart
                .draw_series([Circle::new(
                    (r.agreement_rate, SegmentValue::CenterOf(k)),
                    5,
                    MARK.stroke_width(2),
                )])
                .map_err(fail)?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same input draws the same bytes, and the SVG is well-formed XML
    /// with its axes labelled.
    #[test]
    fn agreement_space_is_deterministic_and_labelled() {
        let inp = crate::input::resolve(None, None).unwrap();
        let l = crate::input::load(&inp, 1_000_000).unwrap();
        let req = crate::analyze::AnalyzeRequest {
            limit: 1_000_000,
            max_frontier: 1_000_000,
            ..Default::default()
        };
        let a = crate::analyze::analyze(&l, &req, crate::analyze::Progress::none())
            .unwrap()
            .analysis;
        let report = report_doc(&l, &a);
        let space = crate::space::space(&l, crate::space::DEFAULT_POINTS).unwrap();
        let plot = SpacePlot {
            space: &space,
            report: &report,
            axes: axes(&l, Some(("russia", "ukraine"))).unwrap(),
        };
        assert!(axes(&l, Some(("russia", "nobody"))).is_err());
        let one = agreement_space(&plot).unwrap();
        assert_eq!(one, agreement_space(&plot).unwrap());
        assert!(one.starts_with("<svg"));
        assert!(one.contains("utility of Russia") && one.contains("utility of Ukraine"));
        assert!(one.contains("Nash") && one.contains("Pareto frontier of the ZOPA"));
    }
}
