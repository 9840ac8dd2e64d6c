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
#[derive(Debug, Clone, PartialEq, Serialize)]
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
    let mut out = format!(
        "# Candidate claims that `zopa evidence` found in {} — for the analyst to\n\
         # confirm. Appended to the scenario they validate as they are: each is an\n\
         # [[unmodelled]] statement until you move its quote into the claim it\n\
         # supports (the comment above it suggests one) or give the real reason.\n",
        doc.article
    );
    let id = source.unwrap_or("article");
    if source.is_none() {
        out += &format!(
            "\n[[sources]]\nid = \"article\"\npath = {}  # relative to the scenario file\n",
            quoted(path)
        );
    }
    let used: Vec<usize> = doc
        .coverage
        .iter()
        .flat_map(|c| c.used.iter().map(|u| u.statement))
        .collect();
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
