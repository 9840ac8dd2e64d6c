//! The JSON documents that describe inputs and failures, as `serde` types:
//! one definition for every surface (`zopa --json`, the HTTP API). Shapes
//! and versions are documented in docs/json-report.md.

use serde::Serialize;
use zopa_model::{Diagnostics, Severity};

use crate::builtin;
use crate::input::Loaded;

/// One problem of an input, located where the input has positions.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Diagnostic {
    /// File (or `builtin:NAME`, or an upload's name).
    pub file: String,
    /// 1-based line, when the input has positions.
    pub line: Option<usize>,
    /// 1-based column in characters, when the input has positions.
    pub column: Option<usize>,
    /// `error` or `warning`.
    pub severity: &'static str,
    /// Place in the document (`actors[1].positions[0].values`), if known.
    pub path: Option<String>,
    /// What is wrong, in one sentence.
    pub message: String,
}

impl Diagnostic {
    /// A warning with no position (what an import could not carry over).
    pub fn unplaced_warning(file: &str, message: &str) -> Self {
        Diagnostic {
            file: file.to_string(),
            line: None,
            column: None,
            severity: "warning",
            path: None,
            message: message.to_string(),
        }
    }
}

/// A package's options as an `issue id → option id` JSON object, in issue
/// order (the documents that hold packages as values: simulation, robustness).
pub(crate) fn option_map(
    s: &zopa_model::Scenario,
    options: &[usize],
) -> serde_json::Map<String, serde_json::Value> {
    s.issues()
        .iter()
        .zip(options)
        .map(|(i, &o)| (i.id.clone(), i.options[o].id.clone().into()))
        .collect()
}

/// Every item of a diagnostics list.
pub fn diagnostics(d: &Diagnostics) -> Vec<Diagnostic> {
    d.items
        .iter()
        .map(|item| Diagnostic {
            file: d.origin.clone(),
            line: item.pos.map(|p| p.line),
            column: item.pos.map(|p| p.col),
            severity: match item.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            },
            path: (!item.path.is_empty()).then(|| item.path.clone()),
            message: item.message.clone(),
        })
        .collect()
}

/// Every warning of a loaded scenario: located ones first, then those of the
/// import, which have no position.
pub fn warnings(loaded: &Loaded) -> Vec<Diagnostic> {
    let mut out = diagnostics(&loaded.diagnostics);
    for d in &loaded.located {
        out.extend(diagnostics(d));
    }
    out.extend(
        loaded
            .warnings
            .iter()
            .map(|w| Diagnostic::unplaced_warning(&loaded.origin, w)),
    );
    out
}

/// `zopa.error/1`: a failure, with the located problems of an invalid input.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ErrorDoc {
    /// `zopa.error/1`.
    pub schema: &'static str,
    /// The message, with its causes.
    pub error: String,
    /// The CLI's exit code for it.
    pub exit_code: u8,
    /// Every located problem (may be empty).
    pub diagnostics: Vec<Diagnostic>,
}

impl ErrorDoc {
    /// The document for `error`, exit code `exit_code`.
    pub fn new(error: &str, exit_code: u8, diags: Option<&Diagnostics>) -> Self {
        ErrorDoc {
            schema: "zopa.error/1",
            error: error.to_string(),
            exit_code,
            diagnostics: diags.map(diagnostics).unwrap_or_default(),
        }
    }
}

/// One built-in scenario.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ScenarioEntry {
    /// Its name.
    pub name: &'static str,
    /// One line.
    pub summary: &'static str,
    /// Whether it is run when no scenario is named.
    pub default: bool,
}

/// `zopa.scenarios/1`: the built-in scenarios.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ScenariosDoc {
    /// `zopa.scenarios/1`.
    pub schema: &'static str,
    /// The name run without an argument.
    pub default: &'static str,
    /// Every built-in.
    pub scenarios: Vec<ScenarioEntry>,
}

/// The built-in scenarios.
pub fn scenarios() -> ScenariosDoc {
    ScenariosDoc {
        schema: "zopa.scenarios/1",
        default: builtin::DEFAULT,
        scenarios: builtin::all()
            .map(|b| ScenarioEntry {
                name: b.name,
                summary: b.summary,
                default: b.name == builtin::DEFAULT,
            })
            .collect(),
    }
}

/// `zopa.validation/1`: a valid input, counted.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ValidationDoc {
    /// `zopa.validation/1`.
    pub schema: &'static str,
    /// Where it came from.
    pub origin: String,
    /// Always true (an invalid input is an error document).
    pub valid: bool,
    /// Actors.
    pub actors: usize,
    /// Issues.
    pub issues: usize,
    /// Claims (powers, reservations, saliences, positions, red lines).
    pub claims: usize,
    /// Claims no quote states: analyst assumptions.
    pub assumptions: usize,
    /// Options no source mentions.
    pub analyst_options: usize,
    /// Evidence quotes found verbatim in their sources.
    pub evidence_quotes: usize,
    /// Every warning.
    pub warnings: Vec<Diagnostic>,
}

/// The validation summary of a loaded scenario.
pub fn validation(loaded: &Loaded) -> ValidationDoc {
    let s = &loaded.scenario;
    let counts = s.claim_counts();
    ValidationDoc {
        schema: "zopa.validation/1",
        origin: loaded.origin.clone(),
        valid: true,
        actors: s.actors().len(),
        issues: s.issues().len(),
        claims: counts.claims,
        assumptions: counts.assumed,
        analyst_options: counts.analyst_options,
        evidence_quotes: s.evidence().count(),
        warnings: warnings(loaded),
    }
}

/// `zopa.conversion/1`: what a conversion wrote.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ConversionDoc {
    /// `zopa.conversion/1`.
    pub schema: &'static str,
    /// The input's origin.
    pub input: String,
    /// The output as given.
    pub output: String,
    /// `toml`, `json`, `genius` or `geniusweb`.
    pub format: &'static str,
    /// Every file written (for the HTTP API: every file returned).
    pub written: Vec<String>,
    /// The input's warnings, then what the target format cannot hold.
    pub warnings: Vec<Diagnostic>,
    /// The files' contents, when they are returned instead of written (the
    /// HTTP API); absent from the CLI's document.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub files: Option<Vec<ConvertedFile>>,
}

/// One file of a conversion returned in the document.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ConvertedFile {
    /// Path relative to the output (a scenario file, a cited source, or a
    /// folder's file).
    pub path: String,
    /// Its text.
    pub text: String,
}

/// The conversion document: `output` as given, the files `written` (paths)
/// and, when they are returned rather than written, their contents.
pub fn conversion(
    loaded: &Loaded,
    output: &str,
    to: crate::Format,
    written: Vec<String>,
    conversion_warnings: &[String],
    files: Option<Vec<ConvertedFile>>,
) -> ConversionDoc {
    let mut all = warnings(loaded);
    all.extend(
        conversion_warnings
            .iter()
            .map(|w| Diagnostic::unplaced_warning(&loaded.origin, w)),
    );
    ConversionDoc {
        schema: "zopa.conversion/1",
        input: loaded.origin.clone(),
        output: output.to_string(),
        format: to.name(),
        written,
        warnings: all,
        files,
    }
}
