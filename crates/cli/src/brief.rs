//! `zopa brief`: the one-page brief of a scenario.

use crate::input;
use crate::{emit, jsonout, write_output, Failure};

/// The brief's format.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Markdown.
    Md,
    /// A standalone HTML page.
    Html,
}

/// Arguments of `zopa brief`.
#[derive(clap::Args, Debug)]
pub struct BriefArgs {
    /// Scenario file, GENIUS, GeniusWeb or LLM-Deliberation folder, or built-in name (default: the built-in scenario).
    scenario: Option<String>,
    /// Markdown (md) or a standalone HTML page (html).
    #[arg(long, value_enum, default_value_t = Format::Md)]
    format: Format,
    /// Write the brief to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<std::path::PathBuf>,
    /// Refuse outcome spaces above this many packages.
    #[arg(long, value_name = "N", default_value_t = zopa_model::DEFAULT_LIMIT)]
    limit: u64,
}

pub fn run(args: BriefArgs, json: bool) -> Result<(), Failure> {
    let input = input::resolve(args.scenario.as_deref(), None)?;
    let loaded = input::load(&input, args.limit)?;
    input::print_warnings(&loaded);
    let doc = zopa_app::brief::brief(&loaded, args.limit, zopa_model::Cancel::default())
        .map_err(|e| input::failure(e).context(format!("cannot brief {}", loaded.origin)))?;
    let text = if json {
        jsonout::pretty(&doc)
    } else {
        match args.format {
            Format::Md => doc.markdown.clone(),
            Format::Html => doc.html(),
        }
    };
    match &args.out {
        Some(path) => {
            write_output(path, &text)?;
            eprintln!("zopa: wrote the brief to {}", path.display());
            Ok(())
        }
        None => emit(&text),
    }
}
