//! `zopa serve` as users run it: the real binary on an ephemeral loopback
//! port, a real HTTP client. Every endpoint answers the document the CLI
//! prints with `--json` for the same input and options (identical text
//! apart from the input's origin), and a tournament job survives a SIGKILL
//! of the server with nothing lost or run twice.

mod common;

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{repo, tmp, zopa};

/// A running `zopa serve`; killed when dropped.
struct Serve {
    child: Child,
    base: String,
    /// What it printed before its address ("zopa: opened FILE as `id`").
    before: Vec<String>,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Start `zopa serve --addr 127.0.0.1:0 --data DATA` and read its address.
fn serve(data: &Path) -> Serve {
    serve_with(data, &[])
}

/// [`serve`] with more flags.
fn serve_with(data: &Path, flags: &[&str]) -> Serve {
    let mut child = Command::new(env!("CARGO_BIN_EXE_zopa"))
        .args(["serve", "--addr", "127.0.0.1:0", "--jobs", "2", "--data"])
        .arg(data)
        .args(flags)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let mut before = Vec::new();
    let base = loop {
        let line = lines.next().unwrap().unwrap();
        match line.strip_prefix("zopa: serving ") {
            Some(r) => break r.split(' ').next().unwrap().to_string(),
            None if line.starts_with("zopa: opened ") => before.push(line),
            None => panic!("unexpected line before the address: {line}"),
        }
    };
    // Keep draining stderr so the server never blocks on it.
    std::thread::spawn(move || lines.for_each(drop));
    Serve {
        child,
        base,
        before,
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

fn read(mut r: ureq::http::Response<ureq::Body>) -> (u16, String) {
    let text = r
        .body_mut()
        .with_config()
        .limit(64 << 20)
        .read_to_string()
        .unwrap();
    (r.status().as_u16(), text)
}

fn post(url: &str, content_type: &str, body: &[u8]) -> (u16, String) {
    let req = agent().post(url);
    let req = if content_type.is_empty() {
        req
    } else {
        req.header("Content-Type", content_type)
    };
    read(req.send(body).unwrap())
}

fn get(url: &str) -> (u16, String) {
    read(agent().get(url).call().unwrap())
}

/// A multipart/form-data body of (field, file name, content) parts; its
/// content type.
fn multipart(parts: &[(&str, Option<&str>, Vec<u8>)]) -> (String, Vec<u8>) {
    let boundary = "zopa-test-boundary-7f3a9c";
    let mut body = Vec::new();
    for (field, file, bytes) in parts {
        body.extend(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"").bytes(),
        );
        if let Some(f) = file {
            body.extend(format!("; filename=\"{f}\"").bytes());
        }
        body.extend(b"\r\n\r\n");
        body.extend(bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{boundary}--\r\n").bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Every file of a folder as file parts named `prefix + file name`.
fn folder_parts(dir: &Path, prefix: &str) -> Vec<(&'static str, Option<String>, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let name = format!("{prefix}{}", p.file_name().unwrap().to_string_lossy());
            ("file", Some(name), std::fs::read(&p).unwrap())
        })
        .collect()
}

fn cli_json(args: &[&str]) -> String {
    let o = zopa(args);
    assert!(
        o.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

fn owned(parts: &[(&'static str, Option<String>, Vec<u8>)]) -> (String, Vec<u8>) {
    let v: Vec<(&str, Option<&str>, Vec<u8>)> = parts
        .iter()
        .map(|(f, n, b)| (*f, n.as_deref(), b.clone()))
        .collect();
    multipart(&v)
}

#[test]
fn every_endpoint_answers_the_cli_document() {
    let data = tmp("serve-docs");
    let s = serve(&data);
    let api = format!("{}/api/v1", s.base);
    let sg = "scenario=security-guarantees";

    // Built-in input: the origin is the same, so the text is identical.
    for (route, query, args) in [
        (
            "validate",
            String::new(),
            vec!["validate", "security-guarantees"],
        ),
        (
            "analyze",
            "&top=3".to_string(),
            vec!["analyze", "--top", "3"],
        ),
        (
            "analyze",
            "&robustness=200&seed=3".to_string(),
            vec!["analyze", "--robustness", "200", "--seed", "3"],
        ),
        (
            "forecast",
            "&runs=20&seed=7".into(),
            vec!["forecast", "--runs", "20", "--seed", "7"],
        ),
        (
            "simulate",
            "&strategies=russia=hardliner,ukraine=tft&deadline=50".into(),
            vec![
                "simulate",
                "--strategy",
                "russia=hardliner",
                "--strategy",
                "ukraine=tft",
                "--deadline",
                "50",
            ],
        ),
    ] {
        let (st, body) = post(&format!("{api}/{route}?{sg}{query}"), "", b"");
        assert_eq!(st, 200, "{route}: {body}");
        let mut args = args;
        args.push("--json");
        assert_eq!(body, cli_json(&args), "{route}");
    }

    // A scenario uploaded with its cited source analyses as the file does.
    let ex = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let (ct, body) = multipart(&[
        (
            "scenario",
            Some("supplier-contract.toml"),
            std::fs::read(ex.join("supplier-contract.toml")).unwrap(),
        ),
        (
            "file",
            Some("sources/minutes.txt"),
            std::fs::read(ex.join("sources/minutes.txt")).unwrap(),
        ),
    ]);
    let file = ex.join("supplier-contract.toml");
    let file = file.to_str().unwrap();
    for route in ["validate", "analyze"] {
        let (st, got) = post(&format!("{api}/{route}"), &ct, &body);
        assert_eq!(st, 200, "{route}: {got}");
        let want = cli_json(&[route, file, "--json"]).replace(file, "supplier-contract.toml");
        assert_eq!(got, want, "{route} of an upload");
    }

    // A GeniusWeb folder's files, named as the folder.
    let gw = repo("examples/geniusweb/job-offer");
    let mut parts = folder_parts(&gw, "");
    parts.push(("name", None, b"job-offer".to_vec()));
    let (ct, body) = owned(&parts);
    let (st, got) = post(&format!("{api}/analyze?top=5"), &ct, &body);
    assert_eq!(st, 200, "{got}");
    let dir = gw.to_str().unwrap();
    let want = cli_json(&["analyze", dir, "--top", "5", "--json"]).replace(dir, "job-offer");
    assert_eq!(got, want, "analyze of a GeniusWeb upload");

    // NegMAS reference values of an uploaded GENIUS folder, byte for byte.
    let g = repo("examples/genius/harbour-expansion");
    let mut parts = folder_parts(&g, "");
    parts.push(("name", None, b"harbour-expansion".to_vec()));
    let (ct, body) = owned(&parts);
    let (st, got) = post(&format!("{api}/reference"), &ct, &body);
    assert_eq!(st, 200, "{got}");
    assert_eq!(got, cli_json(&["reference", g.to_str().unwrap()]));

    // Conversion: the files the CLI writes come back inline.
    let out = tmp("serve-convert");
    std::fs::create_dir_all(&out).unwrap();
    let target = out.join("security-guarantees.toml");
    let cli: serde_json::Value = serde_json::from_str(&cli_json(&[
        "convert",
        "security-guarantees",
        target.to_str().unwrap(),
        "--json",
    ]))
    .unwrap();
    let (st, got) = post(&format!("{api}/convert?{sg}&to=toml"), "", b"");
    assert_eq!(st, 200, "{got}");
    let got: serde_json::Value = serde_json::from_str(&got).unwrap();
    for key in ["schema", "input", "format", "warnings"] {
        assert_eq!(got[key], cli[key], "{key}");
    }
    let files = got["files"].as_array().unwrap();
    assert_eq!(files.len(), cli["written"].as_array().unwrap().len());
    for f in files {
        let path = f["path"].as_str().unwrap();
        assert_eq!(
            f["text"].as_str().unwrap(),
            std::fs::read_to_string(out.join(path)).unwrap(),
            "{path}"
        );
    }
}

/// A tournament file over the three example domains, `domains` as given.
fn tournament_file(domains: &[String]) -> String {
    format!(
        "name = \"served\"\nseed = 5\nrepetitions = 6\ndeadline = 1000\ndomains = [{}]\nstrategies = [\"boulware\", \"conceder\", \"hardliner\", \"tft\", \"micro\", \"random:0.6:1\"]\n",
        domains.iter().map(|d| format!("{d:?}")).collect::<Vec<_>>().join(", ")
    )
}

const DOMAINS: [&str; 3] = ["supplier-contract", "harbour-expansion", "job-offer"];

/// An example domain's folder in the repository.
fn example(d: &str) -> std::path::PathBuf {
    let kind = if d == "job-offer" {
        "geniusweb"
    } else {
        "genius"
    };
    repo(&format!("examples/{kind}/{d}"))
}

fn status(base: &str, id: &str) -> serde_json::Value {
    let (st, body) = get(&format!("{base}/api/v1/tournaments/{id}"));
    assert_eq!(st, 200, "{body}");
    serde_json::from_str(&body).unwrap()
}

#[test]
fn a_tournament_job_survives_a_kill_with_nothing_lost_or_run_twice() {
    let data = tmp("serve-jobs");
    // The domains uploaded as FOLDER/FILE parts.
    let mut parts = vec![(
        "tournament",
        Some("t.toml".to_string()),
        tournament_file(&DOMAINS.map(String::from)).into_bytes(),
    )];
    for d in DOMAINS {
        parts.extend(folder_parts(&example(d), &format!("{d}/")));
    }
    let (ct, body) = owned(&parts);

    let s = serve(&data);
    let (st, created) = post(&format!("{}/api/v1/tournaments", s.base), &ct, &body);
    assert_eq!(st, 201, "{created}");
    let job: serde_json::Value = serde_json::from_str(&created).unwrap();
    let id = job["id"].as_str().unwrap().to_string();
    let planned = job["planned"].as_u64().unwrap();

    // Kill -9 once some results are stored.
    let start = Instant::now();
    let mut seen = 0;
    while seen == 0 && start.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(50));
        seen = status(&s.base, &id)["completed"].as_u64().unwrap();
    }
    drop(s); // SIGKILL
    assert!(
        seen > 0 && seen < planned,
        "killed mid-run: {seen} of {planned}"
    );

    // Restarted on the same data, the job resumes; its events end with `done`.
    let s = serve(&data);
    let mut events = agent()
        .get(format!("{}/api/v1/tournaments/{id}/events", s.base))
        .call()
        .unwrap();
    let mut stream = String::new();
    events
        .body_mut()
        .as_reader()
        .read_to_string(&mut stream)
        .unwrap();
    let last = stream
        .trim_end()
        .lines()
        .rev()
        .find(|l| l.starts_with("event:"))
        .unwrap();
    assert_eq!(last, "event: done", "{stream}");
    let done = status(&s.base, &id);
    assert_eq!(
        (done["state"].as_str(), done["completed"].as_u64()),
        (Some("done"), Some(planned))
    );

    // The report equals the CLI's run of the same tournament, start to end.
    let (st, served) = get(&format!("{}/api/v1/tournaments/{id}/report", s.base));
    assert_eq!(st, 200, "{served}");
    let dir = tmp("serve-jobs-cli");
    std::fs::create_dir_all(&dir).unwrap();
    let paths = DOMAINS.map(|d| example(d).canonicalize().unwrap().display().to_string());
    std::fs::write(dir.join("t.toml"), tournament_file(&paths)).unwrap();
    let db = dir.join("r.sqlite");
    cli_json(&[
        "tournament",
        dir.join("t.toml").to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
    ]);
    assert_eq!(
        served,
        cli_json(&["report", db.to_str().unwrap(), "--json"])
    );
}

/// SIGTERM lets requests in flight finish (their answers arrive), refuses
/// nothing already accepted, and the server exits 0.
#[test]
fn sigterm_finishes_requests_in_flight() {
    let data = tmp("serve-term");
    // Room for a debug build under a loaded machine: the request must finish
    // inside the shutdown timeout (what is cut at it is
    // `stopping_cancels_work_in_flight`'s case).
    let mut s = serve_with(&data, &["--shutdown-timeout", "60"]);
    let url = format!(
        "{}/api/v1/forecast?scenario=security-guarantees&runs=20000&seed=99",
        s.base
    );
    let slow = std::thread::spawn(move || {
        let answer = post(&url, "", b"");
        (answer, Instant::now())
    });
    std::thread::sleep(Duration::from_millis(300));
    let pid = s.child.id().to_string();
    let st = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    let killed = Instant::now();
    assert!(st.success());
    let ((status, body), answered) = slow.join().unwrap();
    assert!(
        answered > killed,
        "the request was still in flight at SIGTERM"
    );
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"schema\": \"zopa.forecast/1\""));
    let start = Instant::now();
    let code = loop {
        if let Some(c) = s.child.try_wait().unwrap() {
            break c;
        }
        assert!(start.elapsed() < Duration::from_secs(30), "still running");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(code.success(), "{code:?}");
}

/// SIGTERM ends the process within `--shutdown-timeout` and the cancel
/// grace while a long request is in flight (a forecast of 10^5 runs, many
/// seconds here): its work is cancelled, not waited for.
#[test]
fn sigterm_is_bounded_in_time() {
    let data = tmp("serve-term-bounded");
    let mut s = serve_with(&data, &["--shutdown-timeout", "1", "--timeout", "600"]);
    let url = format!(
        "{}/api/v1/forecast?scenario=security-guarantees&runs=100000",
        s.base
    );
    let client = std::thread::spawn(move || post(&url, "", b""));
    std::thread::sleep(Duration::from_millis(300));
    let pid = s.child.id().to_string();
    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    let start = Instant::now();
    let code = loop {
        if let Some(c) = s.child.try_wait().unwrap() {
            break c;
        }
        assert!(
            start.elapsed() < Duration::from_secs(6),
            "still running {:?} after SIGTERM",
            start.elapsed()
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(code.success(), "{code:?}");
    let (status, body) = client.join().unwrap();
    assert_eq!(status, 503, "{body}");
}

/// The first line says where the workbench is; an address that is not
/// loopback is warned about (the API has no authentication).
#[test]
fn the_start_says_where_the_workbench_is_and_warns_off_loopback() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_zopa"))
        .args(["serve", "--addr", "0.0.0.0:0"])
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let second = lines.next().unwrap().unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        first.contains("(the workbench at http://0.0.0.0:"),
        "{first}"
    );
    assert!(
        second.contains(
            "is not a loopback address: the API and the workbench are open to the network"
        ),
        "{second}"
    );
}

/// `zopa serve FILE…` offers the user's scenario files beside the
/// built-ins, under their ids; a file that does not validate stops the
/// server before it listens.
#[test]
fn serve_opens_the_users_scenario_files() {
    let example = repo("examples/supplier-contract.toml");
    let server = serve_with(&tmp("serve-opened"), &[example.to_str().unwrap()]);
    assert_eq!(server.before.len(), 1, "{:?}", server.before);
    assert!(
        server.before[0].contains("as `supplier-contract`"),
        "{:?}",
        server.before
    );
    let (st, body) = read(
        agent()
            .get(format!("{}/api/v1/scenarios", server.base))
            .call()
            .unwrap(),
    );
    assert_eq!(st, 200);
    assert!(body.contains("\"name\": \"supplier-contract\""), "{body}");
    let (st, body) = post(
        &format!(
            "{}/api/v1/analyze?scenario=supplier-contract&top=1",
            server.base
        ),
        "",
        b"",
    );
    assert_eq!(st, 200, "{body}");
    assert!(body.contains("zopa.analysis/1"), "{body}");
    // A file that does not validate: refused at start, exit 1, located.
    let bad = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad/options-as-strings.toml");
    let o = Command::new(env!("CARGO_BIN_EXE_zopa"))
        .args(["serve", "--addr", "127.0.0.1:0"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("options-as-strings.toml:8:"));
}
