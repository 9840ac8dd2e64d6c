//! `zopa convert IN OUT`.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use zopa_interop::convert as ic;

use crate::input::{self, interop_failure, Format};
use crate::Failure;

/// Arguments of `zopa convert`.
#[derive(Args, Debug)]
pub struct ConvertArgs {
    /// Input: zopa .toml/.json file, GENIUS or GeniusWeb folder, or a built-in name.
    input: String,
    /// Output file (.toml, .json) or folder (with --to genius / geniusweb).
    output: PathBuf,
    /// Input format (default: folders by content, files by extension).
    #[arg(long, value_enum)]
    from: Option<Format>,
    /// Output format (default: by the output's extension).
    #[arg(long, value_enum)]
    to: Option<Format>,
    /// Refuse outcome spaces with more than N outcomes.
    #[arg(long, value_name = "N", default_value_t = zopa_model::DEFAULT_LIMIT)]
    limit: u64,
}

/// Run the conversion; warnings (what the target cannot express) go to stderr.
pub fn run(args: ConvertArgs) -> Result<(), Failure> {
    let inp = input::resolve(Some(&args.input), args.from)?;
    let loaded = input::load(&inp, args.limit)?;
    loaded.print_warnings();
    let s = &loaded.scenario;
    let to = match args.to {
        Some(t) => t,
        None => match args.output.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("toml") => Format::Toml,
            Some(e) if e.eq_ignore_ascii_case("json") => Format::Json,
            _ => {
                return Err(anyhow::anyhow!(
                    "cannot tell the output format of {}: use a .toml or .json file, or --to genius / geniusweb for a folder",
                    args.output.display()
                )
                .into())
            }
        },
    };
    let mut warnings = Vec::new();
    let out = &args.output;
    match to {
        Format::Toml | Format::Json => {
            let doc = s.to_doc();
            let text = if to == Format::Toml {
                doc.to_toml_string()
            } else {
                doc.to_json_string()
            }
            .context("cannot serialise the scenario")?;
            std::fs::write(out, text).with_context(|| format!("cannot write {}", out.display()))?;
            if !s.sources.is_empty() {
                let paths: Vec<&str> = s.sources.iter().map(|x| x.path.as_str()).collect();
                warnings.push(format!(
                    "the evidence cites source files by relative path ({}): copy them next to {} so that `zopa validate` can check the quotes",
                    paths.join(", "),
                    out.display()
                ));
            }
        }
        Format::Genius => {
            let (folder, w) = ic::to_genius(s);
            warnings.extend(w);
            ic::write_genius_folder(&folder, out).map_err(interop_failure)?;
        }
        Format::Geniusweb => {
            let (set, w) = ic::to_geniusweb(s, args.limit);
            warnings.extend(w);
            ic::write_geniusweb_folder(&set, out).map_err(interop_failure)?;
        }
    }
    for w in &warnings {
        eprintln!("zopa: warning: {w}");
    }
    eprintln!(
        "zopa: wrote {} ({:?}) from {}",
        out.display(),
        to,
        loaded.origin
    );
    Ok(())
}
