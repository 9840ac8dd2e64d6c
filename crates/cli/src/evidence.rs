//! `zopa evidence`: the attributed statements of position in a news article,
//! and what they change in a scenario.

use std::fmt::Write;
use std::path::{Path, PathBuf};

use zopa_app::evidence::{candidates_toml, who, Coverage, EvidenceDoc, ReportInput, Statement};

use crate::input;
use crate::table::Table;
use crate::{emit, jsonout, Failure};

/// Arguments of `zopa evidence`.
#[derive(clap::Args, Debug)]
pub struct EvidenceArgs {
    /// The article: a plain-text (UTF-8) file. With `--draft`, one or more
    /// reports (a negotiation followed over time).
    #[arg(required = true, num_args = 1.., value_name = "ARTICLE")]
    articles: Vec<PathBuf>,
    /// Resolve speakers and topics through this scenario's actor `aliases`
    /// and issue/option `keywords`, and show what the article changes in it
    /// (a file, folder or built-in name, e.g. `security-guarantees`).
    #[arg(long, short = 's', value_name = "SCENARIO")]
    scenario: Option<String>,
    /// Print candidate claims as TOML to append to the scenario (each an
    /// `[[unmodelled]]` entry to confirm).
    #[arg(long, conflicts_with_all = ["gold", "draft"])]
    toml: bool,
    /// Score the statements against hand-made annotations: zopa's TOML
    /// (`scenarios/sources/*-statements.toml`) or a JSON list of `{speaker,
    /// party, span, …}`: precision, recall and the party.
    #[arg(long, value_name = "ANNOTATIONS", conflicts_with = "draft")]
    gold: Option<PathBuf>,
    /// Draft a scenario from the reports: the parties that speak as actors,
    /// the topics several parties share as candidate issues, every
    /// statement as evidence or `[[unmodelled]]`. It validates as printed.
    /// With `--scenario`, print instead what the reports add to that
    /// scenario: new sources, statements it does not use, contradictions.
    #[arg(long)]
    draft: bool,
    /// With `--draft`: write the drafted scenario to FILE (the reports'
    /// paths are cited relative to it) instead of printing it.
    #[arg(
        long,
        value_name = "FILE",
        requires = "draft",
        conflicts_with = "scenario"
    )]
    out: Option<PathBuf>,
}

fn read(path: &std::path::Path) -> Result<Vec<u8>, Failure> {
    zopa_model::limits::read_bytes(path).map_err(|e| anyhow::anyhow!(e).into())
}

fn usage(message: String) -> Failure {
    input::failure(zopa_app::AppError::Usage(message))
}

pub fn run(args: EvidenceArgs, json: bool) -> Result<(), Failure> {
    let scenario = match &args.scenario {
        Some(s) => {
            let i = input::resolve(Some(s), None)?;
            let l = input::load(&i, zopa_model::DEFAULT_LIMIT)?;
            input::print_warnings(&l);
            Some((i, l))
        }
        None => None,
    };
    if args.draft {
        return draft(&args, scenario.as_ref().map(|(i, l)| (i, l)), json);
    }
    let [article] = args.articles.as_slice() else {
        return Err(usage(format!(
            "{} articles given: read one at a time, or draft a scenario from several with --draft",
            args.articles.len()
        )));
    };
    let bytes = read(article)?;
    let name = article.display().to_string();
    let gold = match &args.gold {
        Some(g) => Some((
            g.display().to_string(),
            String::from_utf8_lossy(&read(g)?).into_owned(),
        )),
        None => None,
    };
    let doc = zopa_app::evidence::evidence(
        &name,
        &bytes,
        scenario.as_ref().map(|(i, l)| (i, l)),
        gold.as_ref().map(|(n, t)| (n.as_str(), t.as_str())),
    )
    .map_err(input::failure)?;
    if args.toml {
        let source = doc.coverage.as_ref().and_then(|c| c.source.clone());
        return emit(&candidates_toml(&doc, source.as_deref(), &name));
    }
    if json {
        return emit(&jsonout::pretty(&doc));
    }
    crate::emit_report(&render(&doc))
}

/// `--draft`: a scenario from the reports, or with a scenario what they add.
fn draft(
    args: &EvidenceArgs,
    scenario: Option<(&zopa_app::input::Input, &zopa_app::input::Loaded)>,
    json: bool,
) -> Result<(), Failure> {
    // Reports are cited relative to the file that will cite them: the
    // scenario given, the --out file, or the current folder.
    let base = match (scenario.map(|(i, _)| i), &args.out) {
        (Some(zopa_app::input::Input::Path(p, _)), _) => p.parent().map(Path::to_path_buf),
        (_, Some(out)) => out.parent().map(Path::to_path_buf),
        _ => None,
    };
    let bytes = args
        .articles
        .iter()
        .map(|a| read(a))
        .collect::<Result<Vec<_>, _>>()?;
    let reports: Vec<ReportInput<'_>> = args
        .articles
        .iter()
        .zip(&bytes)
        .map(|(a, b)| ReportInput {
            name: a.display().to_string(),
            cite: cite(base.as_deref(), a),
            bytes: b,
        })
        .collect();
    if let Some(s) = scenario {
        let doc = zopa_app::evidence::update(s, &reports).map_err(input::failure)?;
        return emit(&if json {
            jsonout::pretty(&doc)
        } else {
            doc.toml
        });
    }
    let doc = zopa_app::evidence::draft(&reports).map_err(input::failure)?;
    let d = &doc.draft;
    let summary = format!(
        "zopa: drafted {} parties and {} candidate issues from {} statements in {} report(s): {} attached as evidence, {} listed as unmodelled",
        d.actors.len(),
        d.issues.len(),
        doc.statements,
        doc.reports.len(),
        d.attached,
        d.unmodelled
    );
    match &args.out {
        Some(out) => {
            crate::write_output(out, &d.toml)?;
            eprintln!("{summary}; wrote the scenario to {}", out.display());
            if json {
                return emit(&jsonout::pretty(&doc));
            }
            Ok(())
        }
        None if json => emit(&jsonout::pretty(&doc)),
        None => {
            eprintln!("{summary}");
            emit(&d.toml)
        }
    }
}

/// `report` as a path relative to `base` (the folder of the file that
/// cites it), or as given when there is no base or no relative path.
fn cite(base: Option<&Path>, report: &Path) -> String {
    let relative = base.and_then(|b| {
        let b = if b.as_os_str().is_empty() {
            Path::new(".")
        } else {
            b
        };
        let (b, r) = (b.canonicalize().ok()?, report.canonicalize().ok()?);
        let common = b
            .components()
            .zip(r.components())
            .take_while(|(x, y)| x == y)
            .count();
        let mut p = PathBuf::new();
        for _ in b.components().skip(common) {
            p.push("..");
        }
        for c in r.components().skip(common) {
            p.push(c);
        }
        Some(p)
    });
    relative
        .unwrap_or_else(|| report.to_path_buf())
        .display()
        .to_string()
        .replace('\\', "/")
}

/// At most `n` characters, with an ellipsis when cut.
fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n - 1).collect::<String>())
    }
}

fn topics(s: &Statement) -> String {
    let t: Vec<String> = s
        .topics
        .iter()
        .map(|t| match &t.option {
            Some(o) => format!("{}={o}", t.issue),
            None => t.issue.clone(),
        })
        .collect();
    if t.is_empty() {
        "-".into()
    } else {
        t.join(" ")
    }
}

/// "he (Peskov)": the mention, and whom it resolved to by surname.
fn speaker(s: &Statement) -> String {
    let sp = &s.speaker;
    match sp.resolved.split_whitespace().last() {
        Some(last) if sp.resolved != sp.written && !sp.written.contains(last) => {
            format!("{} ({last})", sp.written)
        }
        _ => sp.written.clone(),
    }
}

/// The party column: the scenario's actor id; without one, the country or
/// organisation the text ties the speaker to (in brackets when a scenario
/// was given but has no such actor).
fn party(s: &Statement, scenario: bool) -> String {
    match (&s.speaker.party, &s.speaker.affiliation) {
        (Some(p), _) => p.clone(),
        (None, Some(a)) if scenario => format!("({a})"),
        (None, Some(a)) => a.clone(),
        (None, None) => "-".into(),
    }
}

/// The human-readable listing.
pub fn render(doc: &EvidenceDoc) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{}: {} attributed statement(s) of position ({} bytes, {} lines){}\n",
        doc.article,
        doc.statements.len(),
        doc.bytes,
        doc.lines,
        doc.scenario
            .as_ref()
            .map(|s| format!("; parties and topics from {s}"))
            .unwrap_or_default()
    );
    if doc.statements.is_empty() {
        o += "No statement attributed to a speaker was found (no reported speech, stance verb or attributed quotation).\n";
    }
    let mut t = Table::new(
        &[
            "#",
            "where",
            "speaker",
            "party",
            "stance",
            "topics",
            "statement",
        ],
        &[true, false, false, false, false, false, false],
    );
    for (k, s) in doc.statements.iter().enumerate() {
        t.row(vec![
            (k + 1).to_string(),
            format!("{}:{}", s.location.line, s.location.column),
            clip(&speaker(s), 28),
            party(s, doc.scenario.is_some()),
            s.stance.name().to_string(),
            topics(s),
            clip(&s.text, 60),
        ]);
    }
    if !doc.statements.is_empty() {
        t.render(&mut o);
    }
    if let Some(c) = &doc.coverage {
        render_coverage(&mut o, doc, c);
    }
    if let Some(s) = &doc.score {
        let _ = writeln!(
            o,
            "\nAgainst the annotations: {} annotated, {} found, {} matched — precision {:.2}, recall {:.2}; the party is right for {} of the {} matched ({:.2}).\n  (A match covers at least half of the annotated span; {} of the matches also share half of the longer span.)",
            s.gold, s.found, s.matched, s.precision, s.recall, s.party_correct, s.matched, s.party, s.strict
        );
        if !s.missed.is_empty() {
            let _ = writeln!(o, "  missed: {}", s.missed.join(", "));
        }
        if !s.wrong_party.is_empty() {
            let _ = writeln!(o, "  wrong party: {}", s.wrong_party.join(", "));
        }
        if !s.spurious.is_empty() {
            let n: Vec<String> = s.spurious.iter().map(|k| format!("#{}", k + 1)).collect();
            let _ = writeln!(o, "  not annotated: {}", n.join(", "));
        }
    }
    o
}

fn list(ks: &[usize]) -> String {
    ks.iter()
        .map(|k| format!("#{}", k + 1))
        .collect::<Vec<_>>()
        .join(", ")
}

fn render_coverage(o: &mut String, doc: &EvidenceDoc, c: &Coverage) {
    let _ = writeln!(
        o,
        "\nWhat this article changes in {}:",
        doc.scenario.as_deref().unwrap_or("the scenario")
    );
    match &c.source {
        Some(s) => {
            let _ = writeln!(o, "  The scenario cites this article as source `{s}`.");
        }
        None => o.push_str("  The scenario does not cite this article: no statement can be in use yet (`--toml` gives the [[sources]] entry).\n"),
    }
    let _ = writeln!(
        o,
        "  Used as evidence or listed as unmodelled: {}",
        if c.used.is_empty() {
            "none".into()
        } else {
            list(&c.used.iter().map(|u| u.statement).collect::<Vec<_>>())
        }
    );
    if c.unused.is_empty() {
        o.push_str("  About a modelled issue but not used: none\n");
    } else {
        let _ = writeln!(
            o,
            "  About a modelled issue but not used (candidates, `--toml`):"
        );
        for &k in &c.unused {
            let s = &doc.statements[k];
            let _ = writeln!(
                o,
                "    #{} {} [{}] {}",
                k + 1,
                who(s),
                topics(s),
                clip(&s.text, 60)
            );
        }
    }
    if c.contradictions.is_empty() {
        o.push_str("  Contradicting the scenario: none\n");
    } else {
        o.push_str("  Contradicting the scenario:\n");
        for x in &c.contradictions {
            let _ = writeln!(o, "    #{} {}", x.statement + 1, x.reason);
        }
    }
    if !c.unknown_speakers.is_empty() {
        o.push_str("  Speakers who are no party of the scenario (add an alias, or an actor):\n");
        for (n, ks) in &c.unknown_speakers {
            let _ = writeln!(o, "    {n}: {}", list(ks));
        }
    }
    if !c.off_model.is_empty() {
        let _ = writeln!(
            o,
            "  About no modelled issue, not used or listed (an issue the scenario lacks?): {}",
            list(&c.off_model)
        );
    }
}
