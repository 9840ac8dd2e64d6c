//! `zopa convert IN OUT`.

use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Args;

use zopa_app::convert::{self as app_convert, OutFile};
use zopa_app::documents;

use crate::input::{self, Format};
use crate::{emit, jsonout, Failure};

/// Arguments of `zopa convert`.
#[derive(Args, Debug)]
pub struct ConvertArgs {
    /// Input: zopa .toml/.json file, GENIUS, GeniusWeb or LLM-Deliberation folder, or a built-in name.
    input: String,
    /// Output file (.toml, .json) or folder (with --to genius / geniusweb).
    output: PathBuf,
    /// Input format: toml, json, genius, geniusweb, deliberation or lamen (default: folders by
    /// content, files by extension).
    #[arg(long, value_name = "FORMAT", value_parser = input::format_parser())]
    from: Option<Format>,
    /// Output format: toml, json, genius or geniusweb (default: by the
    /// output's extension; folders need it).
    #[arg(long, value_name = "FORMAT", value_parser = input::format_parser())]
    to: Option<Format>,
    /// Refuse outcome spaces with more than N outcomes.
    #[arg(long, value_name = "N", default_value_t = zopa_model::DEFAULT_LIMIT,
          value_parser = clap::value_parser!(u64).range(1..=zopa_model::limits::MAX_ENUMERATION))]
    limit: u64,
}

/// Run the conversion; warnings (what the target cannot express) go to
/// stderr, or into the JSON summary.
pub fn run(args: ConvertArgs, json: bool) -> Result<(), Failure> {
    let inp = input::resolve(Some(&args.input), args.from)?;
    let loaded = input::load(&inp, args.limit)?;
    if !json {
        input::print_warnings(&loaded);
    }
    let to = match args.to {
        Some(t) => t,
        None => output_format(&args.output)?,
    };
    let out = &args.output;
    let folder = matches!(to, Format::Genius | Format::Geniusweb);
    let (dir, name) = if folder {
        (out.clone(), String::new())
    } else {
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| anyhow::anyhow!("{} names no file", out.display()))?;
        (
            out.parent().map(Path::to_path_buf).unwrap_or_default(),
            name,
        )
    };
    let converted =
        app_convert::convert(&inp, &loaded, to, &name, args.limit).map_err(input::failure)?;
    let mut warnings = converted.warnings;
    let written = write_files(&dir, &converted.files, &mut warnings)?;
    if json {
        let written = written.iter().map(|p| p.display().to_string()).collect();
        return emit(&jsonout::pretty(&documents::conversion(
            &loaded,
            &out.display().to_string(),
            to,
            written,
            &warnings,
            None,
        )));
    }
    for w in &warnings {
        eprintln!("zopa: warning: {w}");
    }
    eprintln!(
        "zopa: wrote {} ({}) from {}",
        out.display(),
        to.name(),
        loaded.origin
    );
    Ok(())
}

fn output_format(out: &Path) -> Result<Format, Failure> {
    match out.extension().and_then(|e| e.to_str()) {
        Some(e) if e.eq_ignore_ascii_case("toml") => Ok(Format::Toml),
        Some(e) if e.eq_ignore_ascii_case("json") => Ok(Format::Json),
        _ => Err(anyhow::anyhow!(
            "cannot tell the output format of {}: use a .toml or .json file, or --to genius / geniusweb for a folder",
            out.display()
        )
        .into()),
    }
}

/// Write the converted files under `dir`. A source document already there
/// with the same text is not rewritten; one with other text is left alone,
/// with a warning (the user's file wins).
fn write_files(
    dir: &Path,
    files: &[OutFile],
    warnings: &mut Vec<String>,
) -> Result<Vec<PathBuf>, Failure> {
    let mut written = Vec::new();
    for f in files {
        let dest = dir.join(&f.path);
        if f.is_source {
            match std::fs::read_to_string(&dest) {
                Ok(existing) if existing == f.text => continue,
                Ok(_) => {
                    warnings.push(format!(
                        "{} exists with other content than the source the scenario cites: left unchanged, so `zopa validate` may not find the quotes",
                        dest.display()
                    ));
                    continue;
                }
                Err(_) => {}
            }
        }
        if let Some(parent) = dest.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        std::fs::write(&dest, &f.text)
            .with_context(|| format!("cannot write {}", dest.display()))?;
        written.push(dest);
    }
    Ok(written)
}
