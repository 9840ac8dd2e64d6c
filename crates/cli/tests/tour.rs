//! The README and the `--help` examples cannot drift from the product: every
//! command line they print runs, as printed, against the built binary from the
//! root of a copy of the repository, and exits 0; where the README shows
//! output (a `text` block right after a `sh` block), the shown lines appear in
//! the output of that block's last command.
//!
//! `python3` lines run here too (the standard library only, on the copy's
//! files); `cargo`, `pip` and `python` lines are not run here (this test runs inside
//! `cargo test`): `.ci/run` runs each of them, which the test checks by
//! finding each one verbatim in `.ci/run`. A `zopa serve … &` line starts the server for the
//! rest of its block (on a free port, which replaces 127.0.0.1:7878 in the
//! block's `curl` lines); each `curl` line must get a 2xx answer.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A copy of the repository's files (without `target/` and `.git/`), so that
/// commands writing files leave the work tree clean.
fn copy_of_repo(name: &str) -> PathBuf {
    let dest = common::tmp(name);
    copy_dir(&repo(), &dest);
    dest
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if name == "target" || name == ".git" {
            continue;
        }
        let (src, dst) = (entry.path(), to.join(&name));
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&src, &dst);
        } else {
            std::fs::copy(&src, &dst).unwrap();
        }
    }
}

/// Run one command line with `sh` in `dir`, the built `zopa` first on PATH.
fn sh(dir: &Path, line: &str) -> String {
    let bin = Path::new(env!("CARGO_BIN_EXE_zopa")).parent().unwrap();
    let path = std::env::join_paths(std::iter::once(bin.to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    let o = Command::new("sh")
        .arg("-c")
        .arg(line)
        .current_dir(dir)
        .env("PATH", path)
        .env_remove("COLUMNS")
        .output()
        .expect("run sh");
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        o.status.success(),
        "`{line}` exited {:?}\nstdout:\n{out}\nstderr:\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stderr)
    );
    out
}

/// `zopa serve … &` from a README line, on a free loopback port; stopped
/// when dropped.
struct Server {
    child: std::process::Child,
    addr: String,
}

impl Server {
    fn start(dir: &Path, line: &str) -> Server {
        use std::io::BufRead;
        let args: Vec<&str> = line
            .trim_end_matches('&')
            .split_whitespace()
            .skip(1)
            .collect();
        let mut child = Command::new(env!("CARGO_BIN_EXE_zopa"))
            .args(&args)
            .args(["--addr", "127.0.0.1:0"])
            .current_dir(dir)
            .env("RUST_LOG", "warn")
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("start zopa serve");
        let mut lines = std::io::BufReader::new(child.stderr.take().unwrap()).lines();
        // "zopa: opened FILE as `id`" lines come before the address.
        let first = lines
            .by_ref()
            .map(|l| l.unwrap())
            .find(|l| !l.starts_with("zopa: opened "))
            .unwrap_or_default();
        let addr = first
            .strip_prefix("zopa: serving http://")
            .and_then(|r| r.split(' ').next())
            .unwrap_or_else(|| panic!("`{line}` printed {first}"))
            .to_string();
        std::thread::spawn(move || lines.for_each(drop));
        Server { child, addr }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A README shell block: its command lines, and the output shown after it.
struct Block {
    commands: Vec<String>,
    shown: Vec<String>,
}

/// The `sh` blocks of a Markdown text, each with the `text` block that
/// directly follows it (if any).
fn shell_blocks(md: &str) -> Vec<Block> {
    let mut blocks: Vec<Block> = Vec::new();
    let mut lines = md.lines().peekable();
    while let Some(line) = lines.next() {
        let fence = line.trim_start();
        let indent = line.len() - fence.len();
        let lang = match fence.strip_prefix("```") {
            Some(l) => l.trim(),
            None => continue,
        };
        let mut body = Vec::new();
        for l in lines.by_ref() {
            if l.trim_start().starts_with("```") {
                break;
            }
            body.push(l.get(indent..).unwrap_or(l.trim_start()).to_string());
        }
        match lang {
            "sh" => {
                let commands = body
                    .iter()
                    .map(|l| l.trim())
                    .filter(|l| !l.is_empty() && !l.starts_with('#'))
                    .map(str::to_string)
                    .collect();
                blocks.push(Block {
                    commands,
                    shown: vec![],
                });
                // A text block right after it (blank lines allowed) is its output.
                while lines.peek().is_some_and(|l| l.trim().is_empty()) {
                    lines.next();
                }
                if lines.peek().is_some_and(|l| l.trim() == "```text") {
                    lines.next();
                    let last = blocks.last_mut().unwrap();
                    for l in lines.by_ref() {
                        if l.trim_start().starts_with("```") {
                            break;
                        }
                        if !l.trim().is_empty() {
                            last.shown.push(l.trim().to_string());
                        }
                    }
                }
            }
            "" | "text" | "toml" | "json" | "console" => {}
            other => panic!("README block of unknown language `{other}`"),
        }
    }
    blocks
}

#[test]
fn every_readme_command_runs_as_printed() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let ci = std::fs::read_to_string(repo().join(".ci/run")).unwrap();
    let dir = copy_of_repo("readme-tour");
    let blocks = shell_blocks(&readme);
    assert!(blocks.len() >= 3, "the README has its shell blocks");
    let mut ran = 0;
    for block in &blocks {
        let mut out = String::new();
        let mut server: Option<Server> = None;
        for line in &block.commands {
            let program = line.split_whitespace().next().unwrap();
            match program {
                "zopa" if line.starts_with("zopa serve") && line.ends_with('&') => {
                    server = Some(Server::start(&dir, line));
                    ran += 1;
                }
                "zopa" | "python3" => {
                    out = sh(&dir, line);
                    ran += 1;
                }
                "curl" => {
                    let addr = &server
                        .as_ref()
                        .expect("`zopa serve … &` earlier in the block")
                        .addr;
                    let line = line.replace("127.0.0.1:7878", addr);
                    out = sh(&dir, &format!("{line} --fail-with-body"));
                    ran += 1;
                }
                "cargo" | "pip" | "python" => assert!(
                    ci.lines()
                        .any(|l| l.contains(line.split(" #").next().unwrap().trim())),
                    "README line `{line}` is run neither here nor by .ci/run"
                ),
                other => panic!("README line `{line}`: no rule to run `{other}`"),
            }
        }
        for shown in &block.shown {
            assert!(
                out.lines().any(|l| l.trim() == shown),
                "README shows `{shown}` after `{}`, but the output is:\n{out}",
                block.commands.last().unwrap()
            );
        }
    }
    assert!(ran >= 15, "only {ran} README commands ran");
}

/// The command lines of a help text's "Examples" section(s): from a line
/// starting with "Example" to the next blank line; `# …` comment lines are
/// skipped and a line ending in ` \\` continues on the next.
fn examples_of(help: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut inside = false;
    let mut pending: Option<String> = None;
    for line in help.lines() {
        if line.starts_with("Example") {
            inside = true;
        } else if line.trim().is_empty() {
            inside = false;
        } else if inside {
            let l = line.trim();
            if l.starts_with('#') {
                continue;
            }
            let joined = match pending.take() {
                Some(p) => format!("{p} {l}"),
                None => {
                    assert!(
                        l.starts_with("zopa "),
                        "an example that is not a command: {l}"
                    );
                    l.to_string()
                }
            };
            match joined.strip_suffix(" \\") {
                Some(head) => pending = Some(head.to_string()),
                None => out.push(joined),
            }
        }
    }
    assert!(pending.is_none(), "an example ends in a continuation");
    out
}

#[test]
fn every_help_example_runs_as_printed() {
    let dir = copy_of_repo("help-examples");
    let commands = [
        "",
        "analyze",
        "validate",
        "evidence",
        "scenarios",
        "docs",
        "convert",
        "forecast",
        "simulate",
        "tournament",
        "report",
        "reference",
        "serve",
    ];
    let mut ran = 0;
    for cmd in commands {
        let args: Vec<&str> = [cmd, "--help"]
            .into_iter()
            .filter(|a| !a.is_empty())
            .collect();
        let help = sh(&dir, &format!("zopa {}", args.join(" ")));
        let examples = examples_of(&help);
        assert!(!examples.is_empty(), "`zopa {cmd} --help` has no example");
        for line in examples {
            if line.starts_with("zopa serve") && !line.contains("--help") {
                // A server runs until stopped: it must start and serve.
                drop(Server::start(&dir, &line));
            } else {
                sh(&dir, &line);
            }
            ran += 1;
        }
    }
    assert!(ran >= 30, "only {ran} help examples ran");
}
