//! `zopa analyze --html`: one self-contained HTML report an analyst can
//! mail — summary, the agreement-space plot inline, solutions, blocking and
//! every claim with its grounds. No script, no external reference: styles
//! are inline in the document and the plot is inline SVG.

use std::fmt::Write;

use zopa_analysis::Concept;
use zopa_model::Scenario;

use crate::report::json::AnalysisJson;

/// HTML-escape text.
pub(crate) fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

fn num(x: f64) -> String {
    if x.is_finite() {
        format!("{x:.2}")
    } else {
        "–".into()
    }
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1d232b}\
table{border-collapse:collapse;font-size:.9rem;margin:.5rem 0 1.5rem}th,td{border-bottom:1px solid #d5d9e0;padding:.2rem .5rem;text-align:left;vertical-align:top}\
td.n{text-align:right;font-variant-numeric:tabular-nums}.facts{display:flex;flex-wrap:wrap;gap:1.5rem}.facts div{border-left:3px solid #1f6fb2;padding-left:.5rem}\
.facts b{display:block;font-size:1.3rem}blockquote{margin:.25rem 0 .25rem 1rem;color:#333;border-left:3px solid #ffe58a;padding-left:.5rem}\
.note{color:#5b6472}svg{max-width:100%;height:auto}";

/// The HTML report of a drawn analysis.
pub fn analysis_html(drawn: &crate::plots::Drawn, scenario: &Scenario) -> String {
    report(&drawn.report, scenario, &drawn.svg)
}

/// The report: `report` is the analysis document (`zopa.analysis/1`),
/// `plot` the agreement-space SVG.
pub fn report(report: &AnalysisJson, scenario: &Scenario, plot: &str) -> String {
    let mut h = String::new();
    let title = esc(report.scenario.title);
    let _ = write!(
        h,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title} — zopa</title><style>{STYLE}</style></head><body>\n<h1>{title}</h1>\n<p class=\"note\">{} · zopa {} analysis report</p>\n",
        esc(report.scenario.origin),
        env!("CARGO_PKG_VERSION")
    );
    summary(&mut h, report);
    findings(&mut h, report);
    let _ = writeln!(h, "<h2>Agreement space</h2>\n{plot}");
    solutions(&mut h, report);
    blocking(&mut h, report);
    evidence(&mut h, scenario);
    h.push_str("</body></html>\n");
    h
}

/// The plain-language summary, one item per finding.
fn findings(h: &mut String, r: &AnalysisJson) {
    h.push_str("<h2>Summary</h2>\n<ul>\n");
    for f in &r.summary {
        let _ = writeln!(h, "<li>{}</li>", esc(&f.text));
    }
    h.push_str("</ul>\n");
}

fn summary(h: &mut String, r: &AnalysisJson) {
    let e = &r.evidence;
    let _ = writeln!(
        h,
        "<div class=\"facts\"><div>packages<b>{}</b></div><div>no red line violated<b>{}</b></div><div>agreement space (ZOPA)<b>{}</b></div><div>Pareto frontier of the ZOPA<b>{}</b></div><div>claims<b>{} quoted, {} assumed</b></div></div>",
        r.space.size, r.space.no_red_line, r.space.agreement,
        r.agreement_frontier.size, e.evidenced, e.assumptions
    );
}

fn solutions(h: &mut String, r: &AnalysisJson) {
    let (issues, actors) = (r.issues.len(), r.actors.len());
    h.push_str("<h2>Bargaining solutions</h2>\n<table><tr><th>solution</th>");
    let ids = r
        .issues
        .iter()
        .map(|i| i.id)
        .chain(r.actors.iter().map(|a| a.id));
    for id in ids {
        let _ = write!(h, "<th>{}</th>", esc(id));
    }
    h.push_str("</tr>\n");
    for (concept, label) in [
        (Concept::Nash, "Nash"),
        (Concept::KalaiSmorodinsky, "Kalai–Smorodinsky"),
        (Concept::Utilitarian, "Utilitarian"),
        (Concept::Egalitarian, "Egalitarian"),
    ] {
        let _ = write!(h, "<tr><th>{label}</th>");
        match r.solutions.get(concept) {
            None => {
                let _ = write!(
                    h,
                    "<td colspan=\"{}\">no agreement space</td>",
                    issues + actors
                );
            }
            Some(s) => {
                for option in s.package.options.ids() {
                    let _ = write!(h, "<td>{}</td>", esc(option));
                }
                for &u in s.package.utilities.values() {
                    let _ = write!(h, "<td class=\"n\">{}</td>", num(u));
                }
            }
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</table>\n");
    let mut flagged = String::new();
    for (concept, label) in [
        (Concept::Nash, "Nash"),
        (Concept::KalaiSmorodinsky, "Kalai–Smorodinsky"),
        (Concept::Utilitarian, "Utilitarian"),
        (Concept::Egalitarian, "Egalitarian"),
    ] {
        let flags = r.solutions.get(concept).and_then(|x| x.flags.as_ref());
        for f in flags.into_iter().flatten() {
            let _ = writeln!(flagged, "<li><b>{label}</b>: {}</li>", esc(&f.text));
        }
    }
    if !flagged.is_empty() {
        let _ = writeln!(
            h,
            "<p>What to know before recommending these packages:</p>\n<ul class=\"flags\">\n{flagged}</ul>"
        );
    }
}

fn blocking(h: &mut String, r: &AnalysisJson) {
    h.push_str("<h2>What blocks agreement</h2>\n<table><tr><th>actor</th><th>rejects</th><th>packages with it</th><th>it alone removes</th><th>ZOPA without it</th><th>Nash without it</th></tr>\n");
    for b in &r.blocking {
        let nash = b.nash_if_dropped.as_ref().map_or_else(
            || "–".to_string(),
            |x| x.package.options.ids().collect::<Vec<_>>().join(", "),
        );
        let l = &b.red_line;
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{} = {}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            esc(&l.actor),
            esc(&l.issue),
            esc(&l.option),
            b.violating, b.alone_removes, b.agreement_if_dropped, esc(&nash)
        );
    }
    h.push_str("</table>\n");
}

fn evidence(h: &mut String, s: &Scenario) {
    let doc = crate::claims::claims(s, "");
    let c = doc.counts;
    let _ = writeln!(
        h,
        "<h2>Evidence</h2>\n<p class=\"note\">Every claim of the scenario and what it rests on: {} of {} are stated by a quote (found verbatim in its source, spoken by the actor it is about); {} are analyst assumptions. A value counts as quoted only when a quote pins it (best = 1, worst = 0).</p>",
        c.quoted, c.claims, c.assumed
    );
    h.push_str("<table>\n<tr><th>actor</th><th>kind</th><th>claim</th><th>basis</th></tr>\n");
    for r in &doc.claims {
        let mut basis = String::new();
        for q in &r.quotes {
            let _ = write!(
                basis,
                "<blockquote>“{}” <span class=\"note\">— {}:{}</span></blockquote>",
                esc(&q.quote),
                esc(&q.source),
                q.line
            );
        }
        if r.quotes.is_empty() {
            let who = r.author.as_deref().unwrap_or("the analyst");
            let note = r.note.as_deref().unwrap_or("no note");
            let _ = write!(basis, "assumption ({}): {}", esc(who), esc(note));
        }
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(r.actor.as_deref().unwrap_or("—")),
            esc(r.kind.label()),
            esc(&r.claim),
            basis
        );
    }
    h.push_str("</table>\n");
    if !doc.analyst_options.is_empty() {
        let list: Vec<String> = doc
            .analyst_options
            .iter()
            .map(|o| format!("{}.{} ({})", esc(&o.issue), esc(&o.option), esc(&o.label)))
            .collect();
        let _ = writeln!(
            h,
            "<p class=\"note\">Options no source mentions (introduced by the analyst): {}.</p>",
            list.join(", ")
        );
    }
}
