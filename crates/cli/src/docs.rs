//! The user documentation, compiled into the binary so that `zopa docs NAME`
//! prints it wherever zopa is installed (the same files are under `docs/` in
//! the repository).

/// `(name, one-line summary, text)` of every document.
pub const DOCS: &[(&str, &str, &str)] = &[
    (
        "scenario-format",
        "the scenario file format (TOML or JSON), with an annotated example and every rule",
        include_str!("../../../docs/scenario-format.md"),
    ),
    (
        "analysis",
        "how zopa analyze counts, builds frontiers and solutions, at what cost and how exactly",
        include_str!("../../../docs/analysis.md"),
    ),
    (
        "evidence",
        "zopa evidence: how statements are found in an article, and their measured quality",
        include_str!("../../../docs/evidence.md"),
    ),
    (
        "json-report",
        "the --json output of every command, and the JSON error object",
        include_str!("../../../docs/json-report.md"),
    ),
    (
        "limits",
        "every bound on input sizes, its default and the flag that raises it",
        include_str!("../../../docs/limits.md"),
    ),
    (
        "forecasting",
        "the five forecasting models, their sources, and the sensitivity analysis",
        include_str!("../../../docs/forecasting.md"),
    ),
    (
        "simulation",
        "protocols, strategies, tournament files and the results database",
        include_str!("../../../docs/simulation.md"),
    ),
    (
        "tournaments",
        "tournaments at scale: shards and merges, Slurm job arrays, Kubernetes, Python executors",
        include_str!("../../../docs/tournaments.md"),
    ),
    (
        "negmas-compatibility",
        "NegMAS vs GENIUS semantics, and what zopa reference and zopa analyze do",
        include_str!("../../../docs/negmas-compatibility.md"),
    ),
];

/// The document called `name`.
pub fn find(name: &str) -> Option<&'static str> {
    let name = name.strip_suffix(".md").unwrap_or(name);
    let name = name.strip_prefix("docs/").unwrap_or(name);
    DOCS.iter().find(|(n, _, _)| *n == name).map(|(_, _, t)| *t)
}

/// The list printed by `zopa docs`.
pub fn index() -> String {
    let mut out = String::from("Documents (print one with `zopa docs NAME`):\n");
    for (name, summary, _) in DOCS {
        out.push_str(&format!("  {name:<22} {summary}\n"));
    }
    out
}
