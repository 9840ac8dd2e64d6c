//! Load generator for `zopa serve` (a benchmark, not a test): sends a
//! fixed number of `analyze` requests of the default scenario over a fixed
//! number of keep-alive connections, with malformed requests mixed in, and
//! prints throughput, latency percentiles, status counts and the server's
//! memory before and after. Bounded in count and time; stops by itself.
//!
//! Three kinds of valid request: the built-in by name (its document is
//! computed once, then answered from memory), the built-in with a query no
//! earlier request had (`--fresh`: analysed and serialised every time), and
//! the scenario uploaded with its source (`--upload`: parsed, validated,
//! analysed and serialised every time).
//!
//! ```sh
//! bench/load.sh            # starts the server, runs this, records nothing
//! cargo run --release -p zopa-server --example load -- \
//!     --url http://127.0.0.1:7878 --requests 20000 --malformed 1000 --connections 64 --pid PID
//! ```

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

struct Args {
    url: String,
    requests: usize,
    malformed: usize,
    connections: usize,
    pid: Option<u32>,
    upload: bool,
    fresh: bool,
    max_seconds: u64,
}

fn args() -> Args {
    let mut a = Args {
        url: "http://127.0.0.1:7878".into(),
        requests: 20_000,
        malformed: 1_000,
        connections: 64,
        pid: None,
        upload: false,
        fresh: false,
        max_seconds: 300,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().unwrap_or_else(|| panic!("{flag} needs a value"));
        match flag.as_str() {
            "--url" => a.url = value(),
            "--requests" => a.requests = value().parse().expect("a count"),
            "--malformed" => a.malformed = value().parse().expect("a count"),
            "--connections" => a.connections = value().parse().expect("a count"),
            "--pid" => a.pid = Some(value().parse().expect("a process id")),
            "--max-seconds" => a.max_seconds = value().parse().expect("seconds"),
            "--upload" => a.upload = true,
            "--fresh" => a.fresh = true,
            other => panic!("unknown argument {other} (see the source's header)"),
        }
    }
    a
}

/// Resident and peak resident memory of a process, in KiB (Linux).
fn memory(pid: Option<u32>) -> Option<(u64, u64)> {
    let text = std::fs::read_to_string(format!("/proc/{}/status", pid?)).ok()?;
    let field = |name: &str| {
        text.lines()
            .find(|l| l.starts_with(name))?
            .split_whitespace()
            .nth(1)?
            .parse()
            .ok()
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

/// The default scenario as a multipart upload (scenario + cited source):
/// the server parses, validates and analyses it on every request.
fn upload_body() -> (String, Vec<u8>) {
    let b = zopa_app::builtin::find(zopa_app::builtin::DEFAULT).expect("built in");
    let boundary = "zopa-load-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"scenario\"; filename=\"security-guarantees.toml\"\r\n\r\n{}\r\n",
        b.toml
    );
    for (path, text) in b.sources {
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{path}\"\r\n\r\n{text}\r\n"
        ));
    }
    body.push_str(&format!("--{boundary}--\r\n"));
    (
        format!("multipart/form-data; boundary={boundary}"),
        body.into_bytes(),
    )
}

struct Sample {
    micros: u64,
    status: u16,
    malformed: bool,
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let k = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[k] as f64 / 1000.0
}

fn main() {
    let a = args();
    let total = a.requests + a.malformed;
    // Malformed requests spread evenly through the run.
    let every = total.checked_div(a.malformed).unwrap_or(usize::MAX);
    let is_malformed =
        |i: usize| a.malformed > 0 && i % every == every - 1 && i / every < a.malformed;
    let valid_url = if a.upload {
        format!("{}/api/v1/analyze", a.url)
    } else {
        format!("{}/api/v1/analyze?scenario=security-guarantees", a.url)
    };
    let bad_url = format!("{}/api/v1/analyze", a.url);
    let (upload_type, upload) = upload_body();
    let next = AtomicUsize::new(0);
    let first_error: Mutex<Option<String>> = Mutex::new(None);
    let samples = Mutex::new(Vec::with_capacity(total));
    let deadline = Instant::now() + Duration::from_secs(a.max_seconds);
    let before = memory(a.pid);
    let start = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..a.connections {
            s.spawn(|| {
                let agent: ureq::Agent = ureq::Agent::config_builder()
                    .http_status_as_error(false)
                    .max_idle_connections_per_host(1)
                    .build()
                    .into();
                let mut mine = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= total || Instant::now() > deadline {
                        break;
                    }
                    let malformed = is_malformed(i);
                    let t = Instant::now();
                    let resp = if malformed {
                        agent
                            .post(&bad_url)
                            .header("Content-Type", "application/toml")
                            .send(&b"[scenario\nid = = 1\n"[..])
                    } else if a.upload {
                        agent
                            .post(&valid_url)
                            .header("Content-Type", &upload_type)
                            .send(&upload[..])
                    } else if a.fresh {
                        // A query no earlier request had: computed, not remembered.
                        agent.post(format!("{valid_url}&seed={i}")).send_empty()
                    } else {
                        agent.post(&valid_url).send_empty()
                    };
                    let status = match resp {
                        Ok(mut r) => {
                            let _ = r.body_mut().with_config().limit(64 << 20).read_to_vec();
                            r.status().as_u16()
                        }
                        Err(e) => {
                            if first_error.lock().unwrap().is_none() {
                                *first_error.lock().unwrap() = Some(e.to_string());
                            }
                            0
                        }
                    };
                    mine.push(Sample {
                        micros: t.elapsed().as_micros() as u64,
                        status,
                        malformed,
                    });
                }
                samples.lock().unwrap().extend(mine);
            });
        }
    });
    let elapsed = start.elapsed().as_secs_f64();
    let after = memory(a.pid);
    let samples = samples.into_inner().unwrap();
    let mut valid: Vec<u64> = samples
        .iter()
        .filter(|s| !s.malformed)
        .map(|s| s.micros)
        .collect();
    valid.sort_unstable();
    let valid_errors = samples
        .iter()
        .filter(|s| !s.malformed && s.status != 200)
        .count();
    let bad: Vec<&Sample> = samples.iter().filter(|s| s.malformed).collect();
    let bad_4xx = bad
        .iter()
        .filter(|s| (400..500).contains(&s.status))
        .count();
    println!(
        "requests: {} ({} analyze{}, {} malformed) over {} connections in {:.2} s",
        samples.len(),
        valid.len(),
        if a.upload {
            " uploads"
        } else if a.fresh {
            " of the built-in, each computed"
        } else {
            " of the built-in, remembered"
        },
        bad.len(),
        a.connections,
        elapsed
    );
    println!(
        "throughput: {:.0} requests/s",
        samples.len() as f64 / elapsed
    );
    println!(
        "analyze latency: p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        percentile(&valid, 50.0),
        percentile(&valid, 90.0),
        percentile(&valid, 99.0),
        percentile(&valid, 100.0)
    );
    println!(
        "errors: {valid_errors} of {} valid requests not 200; {} of {} malformed answered 4xx",
        valid.len(),
        bad_4xx,
        bad.len()
    );
    let mut by_status = std::collections::BTreeMap::new();
    for s in &samples {
        *by_status.entry(s.status).or_insert(0usize) += 1;
    }
    println!(
        "statuses: {}",
        by_status
            .iter()
            .map(|(k, v)| if *k == 0 {
                format!("{v} × no response")
            } else {
                format!("{v} × {k}")
            })
            .collect::<Vec<_>>()
            .join(", ")
    );
    if let (Some((rss0, _)), Some((rss1, hwm1))) = (before, after) {
        println!("server memory: RSS {rss0} KiB at start, {rss1} KiB at end (peak {hwm1} KiB)");
    }
    if let Some(e) = first_error.into_inner().unwrap() {
        println!("first client error: {e}");
    }
    if samples.len() < total {
        println!(
            "stopped at the time bound ({} s) before sending every request",
            a.max_seconds
        );
    }
    if valid_errors > 0 || bad_4xx != bad.len() {
        std::process::exit(1);
    }
}
