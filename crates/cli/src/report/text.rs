//! The human-readable report.

use std::fmt::Write;

use zopa_analysis::{Concept, Frontier, Point, Solution, Unblocking};
use zopa_model::Scenario;

use super::Report;
use crate::table::Table;

/// The solutions' packages in words (option labels), each distinct package once.
fn in_words(o: &mut String, s: &Scenario, a: &zopa_analysis::Analysis) {
    let mut seen: Vec<(&[usize], Vec<&str>)> = Vec::new();
    for c in Concept::ALL {
        if let Some(x) = a.solution(c) {
            match seen
                .iter_mut()
                .find(|(p, _)| *p == x.point.options.as_slice())
            {
                Some((_, names)) => names.push(c.name()),
                None => seen.push((&x.point.options, vec![c.name()])),
            }
        }
    }
    let _ = writeln!(
        o,
        "  In words, with what to know before recommending it (!):"
    );
    let flagger = zopa_app::report::flags::Flagger::new(s);
    for (p, names) in seen {
        let words = zopa_app::report::summary::package_labels(s, p);
        wrapped(o, "   ", &format!("{}: {words}.", names.join(", ")));
        for f in flagger.flags(p) {
            wrapped(o, "      !", &f.text);
        }
    }
}

/// A bullet point wrapped at 100 columns: `  - text`, continued under it.
fn bullet(o: &mut String, text: &str) {
    wrapped(o, "  -", text);
}

/// `text` after `mark`, wrapped at 100 columns, continued under its first word.
fn wrapped(o: &mut String, mark: &str, text: &str) {
    let indent = " ".repeat(mark.chars().count());
    let mut line = String::from(mark);
    for w in text.split_whitespace() {
        if line.chars().count() + 1 + w.chars().count() > 100 && line.trim() != mark.trim() {
            let _ = writeln!(o, "{line}");
            line = indent.clone();
        }
        line.push(' ');
        line.push_str(w);
    }
    let _ = writeln!(o, "{line}");
}

/// The plain-language summary, wrapped at 100 columns.
fn summary(o: &mut String, r: &Report<'_>) {
    let _ = writeln!(o, "\nSummary");
    for f in r.summary() {
        bullet(o, &f.text);
    }
}

/// The readings side by side (`--compare`).
fn comparison(o: &mut String, r: &Report<'_>) {
    let Some(c) = r.comparison else { return };
    let _ = writeln!(o, "\nReadings side by side");
    if let Some(why) = &c.skipped {
        bullet(o, &format!("The readings were {why}."));
        return;
    }
    for x in &c.readings {
        let what = match x.kind {
            "as_written" => "As written".to_string(),
            "interpretation" => format!("Interpretation “{}”", x.name),
            _ => format!("Stress test “{}”", x.name),
        };
        let grounds = match (&x.grounds, x.kind) {
            (Some(g), "interpretation") => format!(" Grounds: {g}"),
            _ => String::new(),
        };
        bullet(o, &format!("{what}: {}{grounds}", x.text));
    }
}

/// What the headline conclusions depend on: agreement and the Nash package
/// with the changes that reverse them, each party's concessions with a count.
fn critical(o: &mut String, r: &Report<'_>) {
    let Some(c) = r.critical else { return };
    let _ = writeln!(o, "\nWhat the conclusions depend on");
    if let Some(why) = &c.skipped {
        bullet(o, &format!("Critical assumptions {why}."));
        return;
    }
    for k in &c.conclusions {
        if k.conclusion == "concessions" {
            let changes = match k.found {
                0 => "no change searched alters it".to_string(),
                1 => "1 minimal set of changes alters it".to_string(),
                n => format!("{n} minimal sets of changes alter it"),
            };
            bullet(o, &format!("{} {changes}.", k.text));
        } else {
            bullet(o, &format!("{} {}", k.text, k.unless));
        }
    }
    let quoted = if c.vary_quoted {
        "Quoted claims were varied too."
    } else {
        "Quoted claims are held fixed (`--vary-quoted` varies them)."
    };
    bullet(
        o,
        &format!(
            "{} what-ifs evaluated. Demands a party states become red lines; assumed red lines are dropped; assumed walk-away points move by ±{}, values by ±{}, saliences by ×(1±{}). {quoted} `--json` lists every set found (`critical`).",
            c.evaluated, c.bands.reservation, c.bands.value, c.bands.salience
        ),
    );
}

/// The robustness study: what was perturbed, the ZOPA's size, the most
/// frequent Nash packages, and which conclusions hold.
fn robustness(o: &mut String, r: &Report<'_>) {
    use zopa_app::report::robust;
    let Some(x) = r.robustness else { return };
    let (s, a) = (r.scenario, r.analysis);
    let b = &x.params.bands;
    let runs = x.params.runs.max(1) as f64;
    let (values, saliences, reservations, red_lines, status_quo, interactions) = x.assumed.counts();
    let sq = if s.actors().iter().any(|a| a.reservation_is_status_quo) {
        format!(
            " and {status_quo} assumed status-quo option(s) (moved to a neighbour with p {}; they set the status-quo reservations)",
            b.status_quo_move
        )
    } else {
        String::new()
    };
    let demands = if x.demands > 0 && b.red_line_add > 0.0 {
        format!(
            "; and made {} stated demand(s) red lines (each with p {})",
            x.demands, b.red_line_add
        )
    } else {
        String::new()
    };
    let _ = writeln!(
        o,
        "\nRobustness: {} runs (seed {}) perturbing {values} assumed option value(s) (±{}), the saliences of {saliences} actor(s) (×U({},{}), renormalised), {reservations} reservation(s) (±{}), {red_lines} assumed red line(s) and combination(s) (each dropped with p {}){}{sq}{demands}.",
        x.params.runs, x.params.seed, b.value, 1.0 - b.salience, 1.0 + b.salience, b.reservation, b.red_line_drop,
        if interactions > 0 { format!(", {interactions} assumed interaction term(s) (±{})", b.value) } else { String::new() }
    );
    let _ = writeln!(
        o,
        "  Quoted claims are held fixed; powers are not perturbed (the analysis does not use them)."
    );
    let (median, p5, p95) = robust::sizes(x);
    let _ = writeln!(
        o,
        "  ZOPA not empty in {:.1}% of runs; its size: median {median}, 5%-95% {p5}-{p95} (as written: {}).",
        100.0 * x.nonempty as f64 / runs,
        a.agreement_size
    );
    let space = zopa_model::OutcomeSpace::new(&s.radices(), u64::MAX).expect("walked by the study");
    let mut t = Table::new(&["Nash package", "share", "in ZOPA"], &[false, true, true]);
    for &(p, n) in x.nash.iter().take(5) {
        t.row(vec![
            robust::package_words(s, &space.options_of(p)),
            format!("{:.1}%", 100.0 * f64::from(n) / runs),
            format!("{:.1}%", 100.0 * f64::from(x.in_zopa[p as usize]) / runs),
        ]);
    }
    if !x.nash.is_empty() {
        let _ = writeln!(o, "  Most frequent Nash packages (of {}):", x.nash.len());
        t.render(o);
    }
    let all = robust::conclusions(s, a, x);
    for (holds, head) in [
        (true, "Conclusions that hold in at least 90% of runs:"),
        (false, "Conclusions that do not:"),
    ] {
        let these: Vec<_> = all.iter().filter(|c| c.holds == holds).collect();
        if these.is_empty() {
            continue;
        }
        let _ = writeln!(o, "  {head}");
        for c in these {
            let _ = writeln!(o, "    - {} ({:.1}%)", c.text, 100.0 * c.share);
        }
    }
}

fn f2(x: f64) -> String {
    format!("{x:.2}")
}

/// `russia rejects presence=european_force`.
fn red_line(s: &Scenario, r: zopa_model::RedLineRef) -> String {
    zopa_app::report::summary::red_line_words(s, r)
}

/// How the Nash package changes: `unchanged`, `none`, or the issues whose
/// option changes (`guarantee=article5 russia_role=guarantor`).
fn nash_change(s: &Scenario, a: &zopa_analysis::Analysis, after: Option<&Solution>) -> String {
    let base = a.solution(Concept::Nash);
    match (after, base) {
        (None, _) => "none".to_string(),
        (Some(n), Some(b)) if n.point.index == b.point.index => "unchanged".into(),
        (Some(n), _) => s
            .issues()
            .iter()
            .enumerate()
            .filter(|(i, _)| base.is_none_or(|b| b.point.options[*i] != n.point.options[*i]))
            .map(|(i, issue)| format!("{}={}", issue.id, issue.options[n.point.options[i]].id))
            .collect::<Vec<_>>()
            .join(" "),
    }
}

/// Combinations rejected together, each dropped alone (or, when shared,
/// every copy at once).
fn combinations(o: &mut String, s: &Scenario, a: &zopa_analysis::Analysis) {
    if a.combinations.is_empty() {
        return;
    }
    let _ = writeln!(o, "\nBlocking analysis: combinations rejected together");
    let mut t = Table::new(
        &[
            "combination",
            "alone removes",
            "ZOPA if dropped",
            "Nash if dropped",
        ],
        &[false, true, true, false],
    );
    for c in &a.combinations {
        let name = format!(
            "{} rejects {}",
            s.actors()[c.actor].id,
            zopa_app::report::summary::combination_text(s, c.actor, c.index)
        );
        let alone = if c.also_rejected_by.is_empty() {
            c.alone_removes.to_string()
        } else {
            let others: Vec<&str> = c
                .also_rejected_by
                .iter()
                .map(|&x| s.actors()[x].id.as_str())
                .collect();
            format!("0 (also {})", others.join(", "))
        };
        t.row(vec![
            name,
            alone,
            c.agreement_if_dropped.to_string(),
            nash_change(s, a, c.nash_if_dropped.as_ref()),
        ]);
        if let Some((n, nash)) = &c.all_copies_dropped {
            t.row(vec![
                "  ...with every copy dropped".to_string(),
                String::new(),
                n.to_string(),
                nash_change(s, a, nash.as_ref()),
            ]);
        }
    }
    t.render(o);
}

/// Red lines together: each actor's set, pairs that bind only together,
/// the smallest sets that move the Nash package.
fn joint(o: &mut String, s: &Scenario, a: &zopa_analysis::Analysis) {
    let j = &a.joint;
    let _ = writeln!(o, "\nBlocking analysis: red lines together");
    let mut t = Table::new(
        &["dropped together", "ZOPA if dropped", "Nash if dropped"],
        &[false, true, false],
    );
    let set = |d: &zopa_analysis::Dropped| {
        d.red_lines
            .iter()
            .map(|&r| red_line(s, r))
            .chain(d.combinations.iter().map(|&(k, c)| {
                format!(
                    "{} rejects ({})",
                    s.actors()[k].id,
                    zopa_app::report::summary::combination_text(s, k, c)
                )
            }))
            .collect::<Vec<_>>()
            .join(" + ")
    };
    for (k, d) in &j.per_actor {
        t.row(vec![
            format!(
                "all of {}'s ({})",
                s.actors()[*k].id,
                d.red_lines.len() + d.combinations.len()
            ),
            d.agreement_if_dropped.to_string(),
            nash_change(s, a, d.nash_if_dropped.as_ref()),
        ]);
    }
    for d in &j.pairs {
        t.row(vec![
            format!("pair: {}", set(d)),
            d.agreement_if_dropped.to_string(),
            nash_change(s, a, d.nash_if_dropped.as_ref()),
        ]);
    }
    t.render(o);
    let _ = writeln!(
        o,
        "  pairs are listed when dropping both changes the ZOPA or the Nash package and dropping either alone does not."
    );
    if !j.nash_changers.is_empty() {
        let size = j.nash_changers[0].red_lines.len() + j.nash_changers[0].combinations.len();
        let _ = writeln!(
            o,
            "  Smallest sets of red lines whose removal moves the Nash package ({size} red line(s) each):"
        );
        for d in &j.nash_changers {
            let _ = writeln!(
                o,
                "    - {} -> {}",
                set(d),
                nash_change(s, a, d.nash_if_dropped.as_ref())
            );
        }
        if j.nash_changers_truncated {
            let _ = writeln!(o, "    (more sets of the same size exist)");
        }
    } else if a.solution(Concept::Nash).is_some() {
        let _ = writeln!(o, "  No set of red lines moves the Nash package.");
    }
    if j.budget_exhausted {
        let _ = writeln!(
            o,
            "  The study stopped at its work budget; the lists above may be incomplete."
        );
    }
}

fn pct(part: u64, whole: u64) -> String {
    if whole == 0 {
        "0%".into()
    } else {
        format!("{:.1}%", 100.0 * part as f64 / whole as f64)
    }
}

/// Columns: one per issue (option id), then one per actor (utility).
fn package_table(s: &Scenario, first: &[&str]) -> Table {
    let mut head: Vec<&str> = first.to_vec();
    head.extend(s.issues().iter().map(|i| i.id.as_str()));
    head.extend(s.actors().iter().map(|a| a.id.as_str()));
    let mut right = vec![false; first.len() + s.issues().len()];
    right[..first.len()].fill(true);
    right.extend(vec![true; s.actors().len()]);
    if !s.decision().is_unanimity() {
        // Under a rule, a package can pass over some actors' refusal.
        head.push("refused by");
        right.push(false);
    }
    Table::new(&head, &right)
}

fn package_cells(s: &Scenario, p: &Point) -> Vec<String> {
    let mut cells: Vec<String> = s
        .issues()
        .iter()
        .zip(&p.options)
        .map(|(i, &o)| i.options[o].id.clone())
        .chain(p.utilities.iter().map(|&u| f2(u)))
        .collect();
    if !s.decision().is_unanimity() {
        let refusing: Vec<&str> = s
            .accepting(&p.options, &p.utilities)
            .iter()
            .zip(s.actors())
            .filter(|(accepts, _)| !**accepts)
            .map(|(_, a)| a.id.as_str())
            .collect();
        cells.push(if refusing.is_empty() {
            "-".into()
        } else {
            refusing.join(" ")
        });
    }
    cells
}

/// The whole report.
pub fn render(r: &Report<'_>) -> String {
    let s = r.scenario;
    let mut o = String::new();
    let _ = writeln!(o, "{} ({})", s.meta().title, r.origin);
    if let Some(d) = &s.meta().date {
        let _ = writeln!(o, "Date: {d}");
    }
    critical(&mut o, r);
    comparison(&mut o, r);
    summary(&mut o, r);
    o.push('\n');
    actors_and_issues(&mut o, s);
    evidence_and_space(&mut o, r);
    frontier(
        &mut o,
        r,
        "Pareto frontier of the agreement space",
        &r.analysis.agreement_frontier,
    );
    o.push('\n');
    frontier(
        &mut o,
        r,
        "Pareto frontier of the whole space (ignoring red lines and reservations)",
        &r.analysis.space_frontier,
    );
    o.push('\n');
    solutions(&mut o, r);
    o.push('\n');
    blocking(&mut o, s, r.analysis);
    combinations(&mut o, s, r.analysis);
    if let Some(u) = &r.analysis.unblocking {
        unblocking(&mut o, s, r.analysis, u);
    }
    robustness(&mut o, r);
    o
}

/// The actors' and the issues' tables.
fn actors_and_issues(o: &mut String, s: &Scenario) {
    let _ = writeln!(o, "Actors ({})", s.actors().len());
    let mut t = Table::new(
        &["id", "name", "power", "reservation"],
        &[false, false, true, true],
    );
    for x in s.actors() {
        t.row(vec![
            x.id.clone(),
            x.name.clone(),
            f2(x.power),
            f2(x.reservation),
        ]);
    }
    t.render(o);
    o.push('\n');

    let _ = writeln!(o, "Issues ({}), options in scale order", s.issues().len());
    let mut t = Table::new(&["id", "name", "options"], &[false, false, false]);
    for i in s.issues() {
        let opts: Vec<&str> = i.options.iter().map(|x| x.id.as_str()).collect();
        t.row(vec![i.id.clone(), i.name.clone(), opts.join(" < ")]);
    }
    t.render(o);
    o.push('\n');
}

/// How the claims are supported, and the outcome space's counts.
fn evidence_and_space(o: &mut String, r: &Report<'_>) {
    let a = r.analysis;
    let ev = r.evidence();
    let _ = writeln!(
        o,
        "Evidence: {} claims; {} stated by a quote ({} direct, {} reported, {} inferred), {} analyst",
        ev.claims, ev.quoted, ev.direct, ev.reported, ev.inferred, ev.assumed
    );
    let _ = writeln!(
        o,
        "          assumptions (`zopa claims` lists them). Direct: the speaker's words in quotation marks;"
    );
    let _ = writeln!(
        o,
        "          reported: a journalist's paraphrase; inferred: the analyst's reading of a passage."
    );
    if ev.analyst_options > 0 {
        let _ = writeln!(
            o,
            "          {} option(s) no source mentions: introduced by the analyst.",
            ev.analyst_options
        );
    }
    o.push('\n');

    let _ = writeln!(o, "Outcome space");
    let _ = writeln!(o, "  packages:                      {:>10}", a.space_size);
    let _ = writeln!(
        o,
        "  violating no red line:         {:>10}  ({})",
        a.no_red_line_size,
        pct(a.no_red_line_size, a.space_size)
    );
    let d = r.scenario.decision();
    if d.is_unanimity() {
        let _ = writeln!(
            o,
            "  agreement space (ZOPA):        {:>10}  ({})  no red line violated, every reservation met",
            a.agreement_size,
            pct(a.agreement_size, a.space_size)
        );
    } else {
        let _ = writeln!(
            o,
            "  agreement space (ZOPA):        {:>10}  ({})  pass: a winning coalition accepts them",
            a.agreement_size,
            pct(a.agreement_size, a.space_size)
        );
        let _ = writeln!(
            o,
            "  acceptable to every actor:     {:>10}  ({})",
            a.unanimous_size,
            pct(a.unanimous_size, a.space_size)
        );
    }
    if d.stated || !d.is_unanimity() {
        let s = r.scenario;
        let ids: Vec<&str> = s.actors().iter().map(|x| x.id.as_str()).collect();
        let grounds = zopa_app::report::summary::basis(d.is_quoted());
        let _ = writeln!(o, "  decision rule: {} ({grounds})", d.describe(&ids));
        if !d.is_unanimity() {
            let vetoes: Vec<&str> = d.vetoes().iter().map(|&k| ids[k]).collect();
            let _ = writeln!(
                o,
                "  veto players in effect: {}",
                if vetoes.is_empty() {
                    "none".to_string()
                } else {
                    vetoes.join(", ")
                }
            );
        }
    }
    o.push('\n');
}

/// A frontier's packages, the first `--top` of them.
fn frontier(o: &mut String, r: &Report<'_>, title: &str, points: &Frontier) {
    let s = r.scenario;
    let shown = r.listed(points.len());
    let _ = writeln!(
        o,
        "{title}: {} package(s){}",
        points.len(),
        if shown == zopa_model::limits::MAX_LISTED as usize && shown < points.len() {
            format!(", the first {shown} by total utility (at most {shown} are listed)")
        } else if shown < points.len() {
            format!(", top {shown} by total utility (--top N to see more)")
        } else {
            String::new()
        }
    );
    if points.is_empty() {
        return;
    }
    let mut t = package_table(s, &["#"]);
    for (k, p) in points.iter().take(shown).enumerate() {
        let mut cells = vec![(k + 1).to_string()];
        cells.extend(package_cells(s, &p.to_point()));
        t.row(cells);
    }
    t.render(o);
}

/// The four solutions and the status quo, what they mean, and the ideal
/// point.
fn solutions(o: &mut String, r: &Report<'_>) {
    let (s, a) = (r.scenario, r.analysis);
    let _ = writeln!(
        o,
        "Bargaining solutions over the agreement space (disagreement point = reservations)"
    );
    if a.solutions.is_empty() {
        let _ = writeln!(o, "  none: the agreement space is empty.");
        return;
    }
    let mut t = package_table(s, &["solution", "value"]);
    t.right[0] = false;
    for c in Concept::ALL {
        if let Some(x) = a.solution(c) {
            let mut cells = vec![c.name().to_string(), format!("{:.4}", x.value)];
            cells.extend(package_cells(s, &x.point));
            t.row(cells);
        }
    }
    let sq = r.status_quo();
    if let Some(v) = &sq {
        let mut cells = vec!["(status quo)".to_string(), "-".to_string()];
        cells.extend(package_cells(s, &v.point));
        t.row(cells);
    }
    t.render(o);
    let _ = writeln!(
        o,
        "  Utilities are on a 0-1 scale (1 = the actor's best option on every issue). value: Nash = product of the gains over the reservations;\n  Kalai–Smorodinsky = the smallest gain as a share of the actor's room (ideal - reservation); Utilitarian = sum of utilities;\n  Egalitarian = smallest utility."
    );
    if let Some(v) = &sq {
        let who: Vec<&str> = v
            .refused_by
            .iter()
            .map(|&k| s.actors()[k].name.as_str())
            .collect();
        let verdict = match (v.passes, who.is_empty()) {
            (true, true) => "no party would refuse it: it crosses no red line and meets every walk-away point as written (the walk-away points are set at or below it)".to_string(),
            (true, false) => format!(
                "refused by {} (a red line crossed or a walk-away point missed), yet it would pass under the decision rule",
                who.join(", ")
            ),
            (false, _) => format!(
                "refused by {} (a red line crossed or a walk-away point missed)",
                who.join(", ")
            ),
        };
        wrapped(
            o,
            " ",
            &format!("(status quo): what holds without a deal — {verdict}."),
        );
    }
    in_words(o, s, a);
    let ideal: Vec<String> = s
        .actors()
        .iter()
        .zip(&a.ideal)
        .map(|(x, u)| format!("{} {}", x.id, f2(*u)))
        .collect();
    let _ = writeln!(
        o,
        "  ideal point (best for each within the ZOPA): {}",
        ideal.join(", ")
    );
}

/// Each red line on its own, then red lines dropped together.
fn blocking(o: &mut String, s: &Scenario, a: &zopa_analysis::Analysis) {
    let _ = writeln!(o, "Blocking analysis: each red line on its own");
    if a.blocking.is_empty() {
        let _ = writeln!(o, "  no red lines.");
        return;
    }
    let mut t = Table::new(
        &[
            "red line",
            "violating",
            "alone removes",
            "ZOPA if dropped",
            "Nash if dropped",
        ],
        &[false, true, true, true, false],
    );
    for b in &a.blocking {
        let nash = nash_change(s, a, b.nash_if_dropped.as_ref());
        let mut alone = b.alone_removes.to_string();
        if !b.also_rejected_by.is_empty() {
            let others: Vec<&str> = b
                .also_rejected_by
                .iter()
                .map(|&x| s.actors()[x].id.as_str())
                .collect();
            alone = format!("0 (also {})", others.join(", "));
        }
        t.row(vec![
            red_line(s, b.red_line),
            b.violating.to_string(),
            alone,
            b.agreement_if_dropped.to_string(),
            nash,
        ]);
    }
    t.render(o);
    joint(o, s, a);
}

/// What would clear an empty agreement space.
fn unblocking(o: &mut String, s: &Scenario, a: &zopa_analysis::Analysis, u: &Unblocking) {
    o.push('\n');
    let _ = writeln!(o, "The agreement space is empty.");
    match u {
        Unblocking::Sets { sets, truncated } => {
            let _ = writeln!(
                o,
                "Smallest sets of red lines whose removal opens an agreement ({} red line(s) each):",
                sets.first().map_or(0, Vec::len)
            );
            for set in sets {
                let names: Vec<String> = set.iter().map(|&x| red_line(s, x)).collect();
                let _ = writeln!(o, "  - {}", names.join("; "));
            }
            if *truncated {
                let _ = writeln!(o, "  (more sets of the same size exist)");
            }
        }
        Unblocking::ReservationsConflict => {
            let _ = writeln!(
                o,
                "Dropping every single-option red line would not help: no package meets every reservation{}. Lower a reservation.",
                if a.combinations.is_empty() { "" } else { " and avoids every combination rejected together" }
            );
        }
        Unblocking::BudgetExhausted {
            tried,
            exhausted_size,
        } => {
            let _ = writeln!(
                o,
                "No set of up to {exhausted_size} red line(s) opens an agreement; the search stopped after {tried} subsets."
            );
        }
    }
}
