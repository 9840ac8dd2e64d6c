//! `zopa.evidence/1`: the attributed statements of position in a news
//! article and, against a scenario, what they change — built once for
//! `zopa evidence` and any other surface.

use serde::Serialize;
use zopa_evidence::eval::{Annotations, Score};
pub use zopa_evidence::{Coverage, Statement};
use zopa_evidence::{Keywords, Parties, Stance};
use zopa_model::evidence::normalize;

use crate::{AppError, Input, Loaded};

/// `zopa.evidence/1`.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct EvidenceDoc {
    /// `zopa.evidence/1`.
    pub schema: &'static str,
    /// The article's name (its path as given).
    pub article: String,
    /// Its size in bytes.
    pub bytes: usize,
    /// Its number of lines.
    pub lines: usize,
    /// Where the scenario came from, when one was given.
    pub scenario: Option<String>,
    /// Every attributed statement, in the article's order.
    pub statements: Vec<Statement>,
    /// What the statements change in the scenario (with a scenario only).
    pub coverage: Option<Coverage>,
    /// Precision and recall against hand-made annotations (with `--gold` only).
    pub score: Option<Score>,
}

/// The schema name.
pub const SCHEMA: &str = "zopa.evidence/1";

/// Read `bytes` (the article `name`) and find its statements; with a
/// scenario, resolve speakers and topics through its aliases and keywords
/// and compare; with `gold` (`(name, TOML text)` of a `*-statements.toml`
/// annotation file), score them. The size was bounded when the bytes were
/// read.
pub fn evidence(
    name: &str,
    bytes: &[u8],
    scenario: Option<(&Input, &Loaded)>,
    gold: Option<(&str, &str)>,
) -> Result<EvidenceDoc, AppError> {
    let text = zopa_evidence::decode(bytes).map_err(|problem| AppError::Article {
        name: name.to_string(),
        problem,
    })?;
    let (parties, keywords) = match scenario {
        Some((_, l)) => (Parties::of(&l.scenario), Keywords::of(&l.scenario)),
        None => (Parties::none(), Keywords::default()),
    };
    let statements = zopa_evidence::extract(text, &parties, &keywords);
    let coverage = scenario.map(|(input, l)| {
        let source = same_source(input, l, text);
        zopa_evidence::diff::coverage(&l.scenario, source, text, &statements)
    });
    let score = match gold {
        Some((gold_name, annotations)) => {
            let gold = Annotations::parse(annotations)
                .map_err(|e| AppError::Usage(format!("{gold_name}: {e}")))?;
            Some(zopa_evidence::eval::score(text, &gold, &statements))
        }
        None => None,
    };
    Ok(EvidenceDoc {
        schema: SCHEMA,
        article: name.to_string(),
        bytes: bytes.len(),
        lines: text.lines().count(),
        scenario: scenario.map(|(_, l)| l.origin.clone()),
        statements,
        coverage,
        score,
    })
}

/// The index of the scenario's source whose text is the article, compared
/// after quote normalisation (whitespace and quotation-mark style).
fn same_source(input: &Input, l: &Loaded, article: &str) -> Option<usize> {
    let want = normalize(article);
    l.scenario.sources().iter().position(|s| {
        crate::convert::source_text(input, &s.path).is_ok_and(|t| normalize(&t) == want)
    })
}

/// Candidate claims as TOML to append to the scenario: each statement the
/// scenario does not use yet as an `[[unmodelled]]` entry (so the appended
/// file validates as it is), with a comment naming the claim it would
/// support. `source` is the scenario's id for the article, or `None` to
/// declare it as `article` at `path`.
pub fn candidates_toml(doc: &EvidenceDoc, source: Option<&str>, path: &str) -> String {
    candidates_block(doc, source, "article", path)
}

/// [`candidates_toml`] declaring the article, when the scenario does not
/// cite it, as source `new_id`.
fn candidates_block(doc: &EvidenceDoc, source: Option<&str>, new_id: &str, path: &str) -> String {
    let mut out = format!(
        "# Candidate claims that `zopa evidence` found in {} — for the analyst to\n\
         # confirm. Appended to the scenario they validate as they are: each is an\n\
         # [[unmodelled]] statement until you move its quote into the claim it\n\
         # supports (the comment above it suggests one) or give the real reason.\n",
        doc.article
    );
    if let Some(c) = &doc.coverage {
        for x in &c.contradictions {
            out += &format!(
                "# CONTRADICTS the scenario: #{} {}\n",
                x.statement + 1,
                x.reason
            );
        }
    }
    let id = source.unwrap_or(new_id);
    if source.is_none() {
        out += &format!(
            "\n[[sources]]\nid = {}\npath = {}  # relative to the scenario file\n",
            quoted(id),
            quoted(path)
        );
    }
    let used: Vec<usize> = doc
        .coverage
        .iter()
        .flat_map(|c| c.used.iter().map(|u| u.statement))
        .collect();
    if doc.statements.len() == used.len() {
        out += "# Nothing new: every statement is used as evidence or listed as unmodelled.\n";
    }
    for (k, s) in doc.statements.iter().enumerate() {
        if used.contains(&k) {
            continue;
        }
        out += &format!(
            "\n# {}. line {}, column {} · {} · {}\n#    suggests: {}\n[[unmodelled]]\nsource = {}\n",
            k + 1,
            s.location.line,
            s.location.column,
            who(s),
            s.stance.name(),
            suggestion(s),
            quoted(id)
        );
        if let Some(p) = &s.speaker.party {
            out += &format!("speaker = {}\n", quoted(p));
        }
        out += &format!(
            "quote = {}\nreason = \"candidate from zopa evidence ({}), not yet reviewed\"\n",
            quoted(&s.text),
            s.stance.name()
        );
    }
    out
}

/// `he (Kremlin spokesman Dmitry Peskov) → russia`.
pub fn who(s: &Statement) -> String {
    let sp = &s.speaker;
    let name = if sp.resolved == sp.written {
        sp.written.clone()
    } else {
        format!("{} ({})", sp.written, sp.resolved)
    };
    match (&sp.party, &sp.affiliation) {
        (Some(p), _) => format!("{name} → {p}"),
        (None, Some(a)) => format!("{name} → no party ({a}, by the text)"),
        (None, None) => format!("{name} → no party"),
    }
}

/// The claim a statement would support, in words.
fn suggestion(s: &Statement) -> String {
    let party = s
        .speaker
        .party
        .as_deref()
        .unwrap_or("(a party the scenario lacks)");
    let Some(t) = s.topics.first() else {
        return "no modelled issue: keep it unmodelled with a reason, or add an issue".into();
    };
    match (&t.option, s.stance) {
        (Some(o), Stance::RedLine) => format!("a red line of {party} on {} = {o}", t.issue),
        (Some(o), Stance::Rejects) => format!(
            "{party}'s worst option on {}: states = {{ worst = \"{o}\" }}",
            t.issue
        ),
        (Some(o), Stance::Demand | Stance::Accepts | Stance::Proposes) => {
            format!(
                "{party}'s best option on {}: states = {{ best = \"{o}\" }}",
                t.issue
            )
        }
        _ => format!("evidence for {party}'s position on {}", t.issue),
    }
}

/// A TOML basic string.
fn quoted(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// A report for [`draft`] and [`update`]: its name as given, the path the
/// drafted scenario cites it by, and its bytes (bounded when read).
#[derive(Debug, Clone)]
pub struct ReportInput<'a> {
    /// The path as given.
    pub name: String,
    /// The path relative to the scenario file that will cite it.
    pub cite: String,
    /// Its bytes.
    pub bytes: &'a [u8],
}

/// `zopa.evidence-draft/1`: a scenario drafted from reports.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct DraftDoc {
    /// `zopa.evidence-draft/1`.
    pub schema: &'static str,
    /// The reports, as given.
    pub reports: Vec<String>,
    /// Statements found in them.
    pub statements: usize,
    /// The drafted scenario and what went into it.
    pub draft: zopa_evidence::draft::Draft,
}

/// Draft a scenario from `reports` (docs/evidence.md, "Drafting a
/// scenario"). The draft is loaded back with the reports as its sources
/// before it is returned: a draft that did not validate would be a bug.
pub fn draft(reports: &[ReportInput<'_>]) -> Result<DraftDoc, AppError> {
    let mut texts = Vec::new();
    for r in reports {
        let text = zopa_evidence::decode(r.bytes).map_err(|problem| AppError::Article {
            name: r.name.clone(),
            problem,
        })?;
        texts.push(text);
    }
    let found: Vec<Vec<Statement>> = texts
        .iter()
        .map(|t| zopa_evidence::extract(t, &Parties::none(), &Keywords::default()))
        .collect();
    let ids = source_ids(reports, &[]);
    let input: Vec<zopa_evidence::draft::Report<'_>> = reports
        .iter()
        .zip(&found)
        .zip(&ids)
        .zip(&texts)
        .map(|(((r, st), id), text)| zopa_evidence::draft::Report {
            id: id.clone(),
            path: r.cite.clone(),
            date: dateline(text),
            statements: st,
        })
        .collect();
    let title = match reports {
        [one] => format!("Draft from {}", file_name(&one.name)),
        _ => format!("Draft from {} reports", reports.len()),
    };
    let d = zopa_evidence::draft::draft(&title, &input)
        .map_err(|e| AppError::Usage(format!("cannot draft a scenario: {e}")))?;
    let sources: std::collections::HashMap<String, String> = reports
        .iter()
        .zip(&texts)
        .map(|(r, t)| (r.cite.clone(), t.to_string()))
        .collect();
    zopa_model::load_str(
        &d.toml,
        zopa_model::Syntax::Toml,
        "draft",
        &zopa_model::MapLoader(sources),
    )
    .map_err(|diags| {
        AppError::Usage(format!(
            "the drafted scenario does not validate (a bug in zopa evidence --draft):\n{diags}"
        ))
    })?;
    Ok(DraftDoc {
        schema: "zopa.evidence-draft/1",
        reports: reports.iter().map(|r| r.name.clone()).collect(),
        statements: found.iter().map(Vec::len).sum(),
        draft: d,
    })
}

/// `zopa.evidence-update/1`: what reports change in an existing scenario.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct UpdateDoc {
    /// `zopa.evidence-update/1`.
    pub schema: &'static str,
    /// The scenario's origin.
    pub scenario: String,
    /// Each report's statements and what they change (`zopa.evidence/1`).
    pub reports: Vec<EvidenceDoc>,
    /// The TOML to append to the scenario: each report not cited yet as a
    /// new source, each statement not used yet as `[[unmodelled]]`, each
    /// contradiction as a comment.
    pub toml: String,
}

/// Read `reports` against a scenario: what is new (statements it does not
/// use) and what contradicts it, and the TOML to append.
pub fn update(
    scenario: (&Input, &Loaded),
    reports: &[ReportInput<'_>],
) -> Result<UpdateDoc, AppError> {
    let (_, loaded) = scenario;
    let taken: Vec<String> = loaded
        .scenario
        .sources()
        .iter()
        .map(|s| s.id.clone())
        .collect();
    let ids = source_ids(reports, &taken);
    let mut docs = Vec::new();
    let mut toml = String::new();
    for (r, id) in reports.iter().zip(&ids) {
        let doc = evidence(&r.name, r.bytes, Some(scenario), None)?;
        let source = doc.coverage.as_ref().and_then(|c| c.source.clone());
        toml += "\n";
        toml += &candidates_block(&doc, source.as_deref(), id, &r.cite);
        docs.push(doc);
    }
    Ok(UpdateDoc {
        schema: "zopa.evidence-update/1",
        scenario: loaded.origin.clone(),
        reports: docs,
        toml,
    })
}

/// A source id per report from its file name (`g7-amazon-fires_2019` →
/// `g7_amazon_fires_2019`), unique among themselves and `taken`.
fn source_ids(reports: &[ReportInput<'_>], taken: &[String]) -> Vec<String> {
    let mut used: std::collections::HashSet<String> = taken.iter().cloned().collect();
    reports
        .iter()
        .map(|r| {
            let stem = file_name(&r.name);
            let stem = stem.rsplit_once('.').map_or(stem.as_str(), |(s, _)| s);
            let mut id: String = stem
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() {
                        c.to_ascii_lowercase()
                    } else {
                        '_'
                    }
                })
                .collect();
            if id.is_empty() || id.starts_with(|c: char| c.is_ascii_digit()) {
                id.insert_str(0, "report_");
            }
            while !used.insert(id.clone()) {
                id.push('_');
            }
            id
        })
        .collect()
}

fn file_name(path: &str) -> String {
    path.rsplit(['/', '\\']).next().unwrap_or(path).to_string()
}

/// The date a report's first paragraph gives as a dateline ("Thursday,
/// June 2, 2005", "2 June 2005", "2019-08-24"), if it gives one.
fn dateline(text: &str) -> Option<String> {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let first = text.split("\n\n").next().unwrap_or_default();
    let first = &first[..first.len().min(400)];
    let words: Vec<&str> = first
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    let year = |w: &str| w.len() == 4 && w.chars().all(|c| c.is_ascii_digit());
    let day = |w: &str| (1..=2).contains(&w.len()) && w.chars().all(|c| c.is_ascii_digit());
    for (i, w) in words.iter().enumerate() {
        if let Some(m) = MONTHS.iter().position(|m| m == w) {
            // "June 2, 2005" or "2 June 2005"
            let (d, y) = match (
                words.get(i + 1),
                words.get(i + 2),
                i.checked_sub(1).map(|k| words[k]),
            ) {
                (Some(d), Some(y), _) if day(d) && year(y) => (*d, *y),
                (Some(y), _, Some(d)) if day(d) && year(y) => (d, *y),
                _ => continue,
            };
            return Some(format!("{y}-{:02}-{:02}", m + 1, d.parse::<u32>().ok()?));
        }
        let iso =
            w.len() == 10 && w.as_bytes()[4] == b'-' && w.as_bytes()[7] == b'-' && year(&w[..4]);
        if iso {
            return Some(w.to_string());
        }
    }
    None
}

#[cfg(test)]
mod draft_tests {
    use super::dateline;

    #[test]
    fn a_dateline_is_read_from_the_first_paragraph_only() {
        assert_eq!(
            dateline("Thursday, June 2, 2005\n\nText."),
            Some("2005-06-02".into())
        );
        assert_eq!(
            dateline("Talks on 2 June 2005 in Rome\n\nx"),
            Some("2005-06-02".into())
        );
        assert_eq!(dateline("2019-08-24 Paris\n\nx"), Some("2019-08-24".into()));
        assert_eq!(dateline("Headline\n\nOn June 2, 2005 they met."), None);
    }
}
