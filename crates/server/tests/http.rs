//! The real server on an ephemeral loopback port, driven by a real HTTP
//! client: documents equal the application layer's (as the CLI prints them),
//! and every client error is a 4xx problem+json document.

use std::net::SocketAddr;

use zopa_server::Config;

/// Start a server on 127.0.0.1:0 in the background; its address.
/// Tests that time how long a worker stays busy run one at a time: the
/// engines share rayon's thread pool, so another test's long forecast
/// would delay a cancelled study's last tasks and skew the timings.
fn timing_lock() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

fn start(cfg: Config) -> SocketAddr {
    let (addr, stop, _done) = start_stoppable(cfg);
    // The server stops when its sender is dropped: this one runs to the end
    // of the test process.
    std::mem::forget(stop);
    addr
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

/// (status, content type, body) of a request.
fn call(method: &str, url: &str, content_type: Option<&str>, body: &[u8]) -> (u16, String, String) {
    let (st, headers, text) = call_with(method, url, &[("Content-Type", content_type)], body);
    (
        st,
        headers.get("content-type").cloned().unwrap_or_default(),
        text,
    )
}

/// (status, headers by lower-case name, body) of a request.
fn call_with(
    method: &str,
    url: &str,
    headers: &[(&str, Option<&str>)],
    body: &[u8],
) -> (u16, std::collections::HashMap<String, String>, String) {
    let mut req = ureq::http::Request::builder().method(method).uri(url);
    for (k, v) in headers {
        if let Some(v) = v {
            req = req.header(*k, *v);
        }
    }
    let mut r = if body.is_empty() && method != "POST" {
        agent().run(req.body(()).unwrap())
    } else {
        agent().run(req.body(body.to_vec()).unwrap())
    }
    .expect("a response");
    let hs = r
        .headers()
        .iter()
        .map(|(k, v)| (k.as_str().to_string(), v.to_str().unwrap_or("").to_string()))
        .collect();
    let text = r
        .body_mut()
        .with_config()
        .limit(64 << 20)
        .read_to_string()
        .unwrap();
    (r.status().as_u16(), hs, text)
}

fn json(s: &str) -> serde_json::Value {
    serde_json::from_str(s).unwrap_or_else(|e| panic!("{e}: {s}"))
}

#[test]
fn documents_are_the_application_layers() {
    let addr = start(Config::default());
    let base = format!("http://{addr}");
    let (st, _, body) = call("GET", &format!("{base}/healthz"), None, b"");
    assert_eq!((st, body.as_str()), (200, "ok\n"));

    let (st, ct, body) = call("GET", &format!("{base}/api/v1/scenarios"), None, b"");
    assert_eq!((st, ct.as_str()), (200, "application/json"));
    assert_eq!(
        json(&body),
        serde_json::to_value(zopa_app::documents::scenarios()).unwrap()
    );

    // The default scenario's analysis, byte for byte as the report writer makes it.
    let (st, _, body) = call(
        "POST",
        &format!("{base}/api/v1/analyze?scenario=security-guarantees&top=3"),
        None,
        b"",
    );
    assert_eq!(st, 200, "{body}");
    let s = zopa_app::input::load(
        &zopa_app::input::resolve(None, None).unwrap(),
        zopa_model::DEFAULT_LIMIT,
    )
    .unwrap();
    // The same request, made to the application layer.
    let req = zopa_app::analyze::AnalyzeRequest {
        top: 3,
        ..Default::default()
    };
    let doc = zopa_app::analyze::analyze(&s, &req, zopa_app::analyze::Progress::none()).unwrap();
    assert_eq!(body.as_bytes(), doc.to_json(&s).as_slice());

    // A scenario sent as a body validates like the same file.
    let example = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../examples/supplier-contract.json"),
    )
    .unwrap();
    let (st, _, body) = call(
        "POST",
        &format!("{base}/api/v1/validate"),
        Some("application/json"),
        example.as_bytes(),
    );
    // Its evidence cites a source document that a body alone does not carry.
    assert_eq!(st, 400, "{body}");
    let p = json(&body);
    assert!(p["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["message"].as_str().unwrap().contains("minutes")));
}

#[test]
fn client_errors_are_4xx_problem_documents() {
    let addr = start(Config {
        max_body: 1000,
        ..Config::default()
    });
    let base = format!("http://{addr}");
    let bad_toml = b"[scenario]\nid = \"x\"\ntitle = \n";
    // (method, url, content type, body, expected status)
    type Case<'a> = (&'a str, String, Option<&'a str>, Vec<u8>, u16);
    let cases: Vec<Case> = vec![
        (
            "POST",
            format!("{base}/api/v1/analyze"),
            Some("application/toml"),
            bad_toml.to_vec(),
            400,
        ),
        (
            "POST",
            format!("{base}/api/v1/analyze"),
            Some("text/plain"),
            b"x".to_vec(),
            415,
        ),
        (
            "POST",
            format!("{base}/api/v1/analyze"),
            None,
            b"x".to_vec(),
            415,
        ),
        (
            "POST",
            format!("{base}/api/v1/analyze?scenario=nope"),
            None,
            vec![],
            404,
        ),
        (
            "POST",
            format!("{base}/api/v1/analyze?scenario=security-guarantees&limit=10"),
            None,
            vec![],
            422,
        ),
        (
            "POST",
            format!("{base}/api/v1/analyze?scenario=security-guarantees&limit=99999999999"),
            None,
            vec![],
            422,
        ),
        (
            "POST",
            format!("{base}/api/v1/analyze?scenario=security-guarantees&tpo=3"),
            None,
            vec![],
            400,
        ),
        (
            // An option of another route is refused, not ignored.
            "POST",
            format!("{base}/api/v1/analyze?scenario=security-guarantees&deadline=5"),
            None,
            vec![],
            400,
        ),
        (
            "POST",
            format!("{base}/api/v1/space?scenario=security-guarantees&runs=5"),
            None,
            vec![],
            400,
        ),
        (
            "POST",
            format!("{base}/api/v1/space?scenario=security-guarantees&points=0"),
            None,
            vec![],
            400,
        ),
        (
            "POST",
            format!("{base}/api/v1/analyze?top=minus"),
            None,
            vec![],
            400,
        ),
        (
            "POST",
            format!("{base}/api/v1/validate"),
            Some("application/json"),
            vec![b' '; 5000],
            413,
        ),
        (
            "POST",
            format!("{base}/api/v1/validate"),
            Some("application/json"),
            vec![0xff, 0xfe],
            400,
        ),
        ("GET", format!("{base}/api/v1/analyze"), None, vec![], 405),
        ("GET", format!("{base}/api/v1/nothing"), None, vec![], 404),
    ];
    for (method, url, ct, body, want) in cases {
        let (st, ctype, text) = call(method, &url, ct, &body);
        assert_eq!(st, want, "{method} {url}: {text}");
        assert_eq!(ctype, "application/problem+json", "{method} {url}");
        let p = json(&text);
        assert_eq!(p["status"], want);
        assert!(!p["detail"].as_str().unwrap().is_empty());
    }
    // A refusal words its remedy as this surface offers it: the query
    // parameter, never a command-line flag.
    let (_, _, text) = call(
        "POST",
        &format!("{base}/api/v1/analyze?scenario=security-guarantees&limit=10"),
        None,
        b"",
    );
    let detail = json(&text)["detail"].as_str().unwrap().to_string();
    assert!(
        detail.ends_with(
            "above the enumeration limit of 10 (raise it with `?limit=`, at most 10000000 here)"
        ),
        "{detail}"
    );
    let (_, _, text) = call(
        "POST",
        &format!("{base}/api/v1/simulate?scenario=security-guarantees&deadline=1000000000000"),
        None,
        b"",
    );
    let detail = json(&text)["detail"].as_str().unwrap().to_string();
    assert!(!detail.contains("--"), "{detail}");
    // The syntax error is located.
    let (_, _, text) = call(
        "POST",
        &format!("{base}/api/v1/validate"),
        Some("application/toml"),
        bad_toml,
    );
    let p = json(&text);
    assert_eq!(p["diagnostics"][0]["line"], 3, "{p}");
}

/// Forecasts and simulations equal the application layer's documents for the
/// same input and options; a built-in's text comes with its sources.
#[test]
fn forecast_simulate_and_scenario_text() {
    let addr = start(Config::default());
    let base = format!("http://{addr}");
    let loaded = zopa_app::input::load(
        &zopa_app::input::resolve(None, None).unwrap(),
        zopa_model::DEFAULT_LIMIT,
    )
    .unwrap();
    let s = &loaded.scenario;

    let (st, _, body) = call(
        "POST",
        &format!("{base}/api/v1/forecast?scenario=security-guarantees&runs=20&seed=7"),
        None,
        b"",
    );
    assert_eq!(st, 200, "{body}");
    let req = zopa_app::forecast::Request {
        runs: 20,
        seed: 7,
        ..Default::default()
    };
    let f = zopa_app::forecast::run(s, &req, &|| {}).unwrap();
    // Compared as text: serde_json's default float parsing may be off by one
    // unit in the last place; printing is exact.
    let want = zopa_app::forecast::document(&f, s, &loaded.origin);
    assert_eq!(body, serde_json::to_string_pretty(&want).unwrap() + "\n");

    let (st, _, body) = call(
        "POST",
        &format!("{base}/api/v1/simulate?scenario=security-guarantees&strategies=russia=hardliner,ukraine=tft&deadline=50&protocol=saop"),
        None,
        b"",
    );
    assert_eq!(st, 200, "{body}");
    let req = zopa_app::simulate::Request {
        strategies: vec!["russia=hardliner".into(), "ukraine=tft".into()],
        deadline: 50,
        ..Default::default()
    };
    let sim = zopa_app::simulate::prepare(s, &req).unwrap();
    let out = sim.play(&mut |_| {});
    let placement = sim.place(&out).unwrap();
    let want = sim.document(&out, &placement);
    assert_eq!(body, serde_json::to_string_pretty(&want).unwrap() + "\n");

    let (st, _, body) = call(
        "GET",
        &format!("{base}/api/v1/scenarios/security-guarantees"),
        None,
        b"",
    );
    assert_eq!(st, 200);
    let d = json(&body);
    assert!(d["toml"].as_str().unwrap().contains("[scenario]"));
    assert_eq!(d["sources"].as_object().unwrap().len(), 1);

    for (url, want) in [
        (format!("{base}/api/v1/scenarios/nope"), 404),
        (
            format!("{base}/api/v1/forecast?scenario=security-guarantees&runs=1000000000"),
            422,
        ),
        (
            format!("{base}/api/v1/forecast?scenario=security-guarantees&model=oracle&runs=0"),
            400,
        ),
        (
            format!("{base}/api/v1/simulate?scenario=security-guarantees&protocol=auction"),
            400,
        ),
        (
            format!("{base}/api/v1/analyze?scenario=security-guarantees&robustness=0"),
            400,
        ),
        (
            format!("{base}/api/v1/analyze?scenario=security-guarantees&robustness=100001"),
            422,
        ),
        (
            format!("{base}/api/v1/simulate?scenario=security-guarantees&strategies=nobody=tft"),
            400,
        ),
        (
            format!("{base}/api/v1/simulate?scenario=security-guarantees&deadline=1000000000000"),
            422,
        ),
    ] {
        let method = if url.contains("/scenarios/") {
            "GET"
        } else {
            "POST"
        };
        let (st, ct, text) = call(method, &url, None, b"");
        assert_eq!(st, want, "{url}: {text}");
        assert_eq!(ct, "application/problem+json", "{url}");
    }
}

/// The OpenAPI document is 3.1, generated from the routes, and lists every
/// route the server answers (and only those).
#[test]
fn openapi_lists_every_route() {
    let addr = start(Config::default());
    let (st, ct, body) = call(
        "GET",
        &format!("http://{addr}/api/v1/openapi.json"),
        None,
        b"",
    );
    assert_eq!((st, ct.as_str()), (200, "application/json"));
    let doc = json(&body);
    assert_eq!(doc["openapi"], "3.1.0");
    let mut paths: Vec<&str> = doc["paths"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    paths.sort();
    assert_eq!(
        paths,
        [
            "/api/v1/analyze",
            "/api/v1/brief",
            "/api/v1/convert",
            "/api/v1/evidence",
            "/api/v1/forecast",
            "/api/v1/openapi.json",
            "/api/v1/reference",
            "/api/v1/scenarios",
            "/api/v1/scenarios/{id}",
            "/api/v1/score",
            "/api/v1/simulate",
            "/api/v1/space",
            "/api/v1/tournaments",
            "/api/v1/tournaments/{id}",
            "/api/v1/tournaments/{id}/events",
            "/api/v1/tournaments/{id}/report",
            "/api/v1/tournaments/{id}/rows.parquet",
            "/api/v1/validate",
            "/healthz",
        ]
    );
    // The bounds the parameters document are the bounds in force (utoipa
    // takes literals; this ties them to model::limits).
    let bounds = [
        ("limit", zopa_model::DEFAULT_LIMIT),
        ("robustness", zopa_model::limits::MAX_RUNS),
        ("runs", zopa_model::limits::MAX_RUNS),
        ("points", zopa_model::limits::MAX_POINTS),
        ("max_frontier", zopa_model::limits::MAX_FRONTIER),
    ];
    let mut seen = 0;
    for op in doc["paths"].as_object().unwrap().values() {
        for p in op["post"]["parameters"].as_array().into_iter().flatten() {
            if let Some(&(_, bound)) = bounds.iter().find(|(n, _)| p["name"] == *n) {
                assert_eq!(p["schema"]["maximum"].as_f64(), Some(bound as f64), "{p}");
                seen += 1;
            }
        }
    }
    assert_eq!(
        seen, 13,
        "limit on 9 routes, robustness, runs, points, max_frontier"
    );
    // Every documented path answers (not the 404 of an unknown route).
    for p in paths {
        let url = format!("http://{addr}{}", p.replace("{id}", "x"));
        let (_, _, text) = call("GET", &url, None, b"");
        assert!(!text.contains("no such route"), "{p}: {text}");
    }
}

/// CORS headers only for the configured origin; none without `--cors`.
#[test]
fn cors_only_when_configured() {
    let preflight = |addr: std::net::SocketAddr| {
        call_with(
            "OPTIONS",
            &format!("http://{addr}/api/v1/analyze"),
            &[
                ("Origin", Some("https://workbench.example")),
                ("Access-Control-Request-Method", Some("POST")),
            ],
            b"",
        )
        .1
    };
    let plain = start(Config::default());
    assert!(!preflight(plain).contains_key("access-control-allow-origin"));
    let open = start(Config {
        cors: Some(zopa_server::HeaderValue::from_static(
            "https://workbench.example",
        )),
        ..Config::default()
    });
    assert_eq!(
        preflight(open)
            .get("access-control-allow-origin")
            .map(String::as_str),
        Some("https://workbench.example")
    );
}

/// Work above the time limit is answered 422 at the limit; the server
/// keeps answering.
#[test]
fn the_time_limit_answers_422() {
    let addr = start(Config {
        timeout: std::time::Duration::from_millis(1),
        ..Config::default()
    });
    let (st, _, body) = call(
        "POST",
        &format!("http://{addr}/api/v1/forecast?scenario=security-guarantees&runs=20000"),
        None,
        b"",
    );
    assert_eq!(st, 422, "{body}");
    assert!(json(&body)["detail"]
        .as_str()
        .unwrap()
        .contains("time limit"));
    let (st, _, _) = call("GET", &format!("http://{addr}/healthz"), None, b"");
    assert_eq!(st, 200);
}

/// Timed-out work stops and frees its worker: with one worker, a
/// 100,000-run robustness study, or a forecast with 100,000 sensitivity
/// runs (each several seconds or more), answers 422 at the 2 s limit, and a
/// quick request sent right after gets the worker at once instead of
/// waiting for the work to finish (or, since the limit covers the wait,
/// 503 after 2 s).
#[test]
fn timed_out_work_frees_its_worker() {
    let _serial = timing_lock();
    let addr = start(Config {
        timeout: std::time::Duration::from_secs(2),
        max_heavy: 1,
        ..Config::default()
    });
    for (k, heavy) in [
        "analyze?scenario=security-guarantees&robustness=100000&seed=9",
        "forecast?scenario=security-guarantees&runs=100000&seed=9",
    ]
    .into_iter()
    .enumerate()
    {
        let (st, _, body) = call("POST", &format!("http://{addr}/api/v1/{heavy}"), None, b"");
        assert_eq!(st, 422, "{heavy}: {body}");
        assert!(json(&body)["detail"]
            .as_str()
            .unwrap()
            .contains("time limit"));
        let start = std::time::Instant::now();
        let (st, _, body) = call(
            "POST",
            // A quick request of the heavy lane (validation has its own),
            // with a query of its own: a built-in's answer is memoised by
            // query.
            &format!(
                "http://{addr}/api/v1/space?scenario=security-guarantees&points=1&limit={}",
                1000 + k
            ),
            None,
            b"",
        );
        let waited = start.elapsed();
        assert_eq!(st, 200, "after {heavy} (waited {waited:?}): {body}");
        assert!(
            waited < std::time::Duration::from_millis(2500),
            "after {heavy}, the next request waited {waited:?} for the cancelled work's worker"
        );
    }
}

/// Nothing a client names reaches the file system outside the data
/// directory: job ids, uploaded file names and domain patterns that try to
/// leave it are refused, and nothing is written.
#[test]
fn path_traversal_is_refused() {
    let data = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("traversal");
    let _ = std::fs::remove_dir_all(&data);
    let addr = start(Config {
        data: Some(data.clone()),
        ..Config::default()
    });
    let base = format!("http://{addr}/api/v1/tournaments");
    for id in [
        "..",
        "..%2F..%2Fetc%2Fpasswd",
        "%2e%2e",
        "00000000000000000000",
    ] {
        for tail in ["", "/report", "/events", "/rows.parquet"] {
            let (st, ct, body) = call("GET", &format!("{base}/{id}{tail}"), None, b"");
            assert_eq!(
                (st, ct.as_str()),
                (404, "application/problem+json"),
                "{id}{tail}: {body}"
            );
        }
    }
    let t =
        |domain: &str| format!("name = \"t\"\ndomains = [{domain:?}]\nstrategies = [\"linear\"]\n");
    for domain in ["../x", "/etc", "a/../../b"] {
        let (st, _, body) = call(
            "POST",
            &base,
            Some("application/toml"),
            t(domain).as_bytes(),
        );
        assert_eq!(st, 400, "{domain}: {body}");
    }
    let boundary = "b0undary";
    for name in ["../evil.xml", "/abs.xml", "a/../../evil.xml"] {
        let body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"tournament\"\r\n\r\n{}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\r\n<x/>\r\n--{boundary}--\r\n",
            t("up/*")
        );
        let ct = format!("multipart/form-data; boundary={boundary}");
        let (st, _, text) = call("POST", &base, Some(&ct), body.as_bytes());
        assert_eq!(st, 400, "{name}: {text}");
    }
    let left: Vec<_> = std::fs::read_dir(data.join("tournaments"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(left.is_empty(), "{left:?}");
    assert!(!data.join("evil.xml").exists() && !data.join("tournaments/evil.xml").exists());
    // Without a data directory, tournaments are off (404 that says why).
    let off = start(Config::default());
    let (st, _, body) = call(
        "GET",
        &format!("http://{off}/api/v1/tournaments"),
        None,
        b"",
    );
    assert_eq!(st, 404);
    assert!(body.contains("--data"), "{body}");
}

/// With every worker busy and no queue, a heavy request is refused 503 at
/// once, while light routes keep answering.
#[test]
fn a_saturated_server_answers_503() {
    let addr = start(Config {
        max_heavy: 1,
        max_queued: 0,
        ..Config::default()
    });
    // Two forecasts of about a second each, sent together: one runs, the
    // other finds the only worker busy.
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(2));
    let runs: Vec<_> = [11, 12]
        .map(|seed| {
            let b = barrier.clone();
            std::thread::spawn(move || {
                b.wait();
                let url = format!(
                    "http://{addr}/api/v1/forecast?scenario=security-guarantees&runs=5000&seed={seed}"
                );
                let (st, ct, _) = call("POST", &url, None, b"");
                (st, ct)
            })
        })
        .into_iter()
        .collect();
    std::thread::sleep(std::time::Duration::from_millis(100));
    assert_eq!(
        call("GET", &format!("http://{addr}/healthz"), None, b"").0,
        200
    );
    let mut got: Vec<(u16, String)> = runs.into_iter().map(|t| t.join().unwrap()).collect();
    got.sort();
    assert_eq!(
        got,
        [
            (200, "application/json".to_string()),
            (503, "application/problem+json".to_string())
        ]
    );
}

/// The workbench's files are served from the binary; its space document
/// counts the analysis's agreement space; a traced simulation carries each
/// offer's utilities, within its bound.
#[test]
fn workbench_files_space_and_trace() {
    let addr = start(Config::default());
    let base = format!("http://{addr}");
    for (path, ct, needle) in [
        ("/", "text/html; charset=utf-8", "zopa workbench"),
        (
            "/workbench/app.js",
            "text/javascript; charset=utf-8",
            "recompute",
        ),
        ("/workbench/style.css", "text/css; charset=utf-8", "--agree"),
    ] {
        let (st, got, body) = call("GET", &format!("{base}{path}"), None, b"");
        assert_eq!((st, got.as_str()), (200, ct), "{path}");
        assert!(body.contains(needle), "{path}");
        // The SVG namespace is a name, not an address the page fetches.
        let rest = body.replace("http://www.w3.org/2000/svg", "");
        assert!(
            !rest.contains("http://") && !rest.contains("https://"),
            "{path} names no other host"
        );
    }
    let (st, _, body) = call(
        "POST",
        &format!("{base}/api/v1/space?scenario=security-guarantees"),
        None,
        b"",
    );
    assert_eq!(st, 200, "{body}");
    let d = json(&body);
    let agreement = d["status"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x.as_u64() == Some(2))
        .count();
    assert_eq!((d["size"].as_u64(), agreement), (Some(432), 63));
    let (st, _, body) = call(
        "POST",
        &format!("{base}/api/v1/space?scenario=security-guarantees&points=10"),
        None,
        b"",
    );
    assert_eq!(st, 200);
    assert_eq!(
        (
            json(&body)["listed"].as_u64(),
            json(&body)["sampled"].as_bool()
        ),
        (Some(10), Some(true))
    );

    let (st, _, body) = call(
        "POST",
        &format!("{base}/api/v1/simulate?scenario=security-guarantees&deadline=30&trace=true"),
        None,
        b"",
    );
    assert_eq!(st, 200, "{body}");
    let d = json(&body);
    let offer = d["trace"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "offer")
        .unwrap();
    assert_eq!(offer["utilities"].as_object().unwrap().len(), 4);
    let (st, _, _) = call(
        "POST",
        &format!("{base}/api/v1/simulate?scenario=security-guarantees&deadline=20000&trace=true"),
        None,
        b"",
    );
    assert_eq!(st, 422);
}

/// Malformed uploads are 4xx problems that say what is wrong: no file, an
/// unknown field, a bad folder name, files holding no domain, an invalid
/// scenario part (located), a point budget above its bound.
#[test]
fn malformed_uploads_are_refused_clearly() {
    let addr = start(Config::default());
    let url = format!("http://{addr}/api/v1/analyze");
    let b = "zb0undary";
    let part = |name: &str, file: Option<&str>, body: &str| {
        let file = file.map_or(String::new(), |f| format!("; filename=\"{f}\""));
        format!("--{b}\r\nContent-Disposition: form-data; name=\"{name}\"{file}\r\n\r\n{body}\r\n")
    };
    let ct = format!("multipart/form-data; boundary={b}");
    let cases: Vec<(String, u16, &str)> = vec![
        (part("name", None, "x"), 400, "holds no file"),
        (
            part("colour", None, "blue"),
            400,
            "unexpected form field `colour`",
        ),
        (
            part("name", None, "../x") + &part("file", Some("a.xml"), "<a/>"),
            400,
            "`name` is 1 to 255",
        ),
        (
            part("file", Some("notes.txt"), "hello"),
            422,
            "hold neither a GENIUS domain",
        ),
        (
            part("scenario", Some("s.toml"), "[scenario]\nid = = 1\n"),
            400,
            "s.toml",
        ),
    ];
    for (body, want, says) in cases {
        let body = body + &format!("--{b}--\r\n");
        let (st, got, text) = call("POST", &url, Some(&ct), body.as_bytes());
        assert_eq!(
            (st, got.as_str()),
            (want, "application/problem+json"),
            "{text}"
        );
        assert!(text.contains(says), "{says}: {text}");
    }
    // The invalid scenario part is located.
    let body = part("scenario", Some("s.toml"), "[scenario]\nid = = 1\n") + &format!("--{b}--\r\n");
    let p = json(&call("POST", &url, Some(&ct), body.as_bytes()).2);
    assert_eq!(
        (
            p["diagnostics"][0]["file"].as_str(),
            p["diagnostics"][0]["line"].as_u64()
        ),
        (Some("s.toml"), Some(2))
    );
    let (st, _, text) = call(
        "POST",
        &format!("http://{addr}/api/v1/space?scenario=security-guarantees&points=200001"),
        None,
        b"",
    );
    assert_eq!(st, 422, "{text}");
    assert!(text.contains("200000"), "{text}");
}

/// The time limit counts from a request's arrival, the wait for a worker
/// included, and cancels what runs past it: one worker is held by a
/// forecast of 10^5 runs (seconds here), cancelled at its limit; a second
/// one queued behind it gets the worker only for what is left of its own
/// limit, so it answers within the limit of its arrival, not a full limit
/// after it started.
#[test]
fn the_time_limit_covers_the_wait_for_a_worker() {
    let _serial = timing_lock();
    let addr = start(Config {
        timeout: std::time::Duration::from_millis(400),
        max_heavy: 1,
        ..Config::default()
    });
    let long =
        format!("http://{addr}/api/v1/forecast?scenario=security-guarantees&runs=100000&seed=2");
    let holder = std::thread::spawn(move || {
        let t = std::time::Instant::now();
        (call("POST", &long, None, b""), t.elapsed())
    });
    std::thread::sleep(std::time::Duration::from_millis(100));
    let start = std::time::Instant::now();
    let (st, _, body) = call(
        "POST",
        &format!("http://{addr}/api/v1/forecast?scenario=security-guarantees&runs=100000"),
        None,
        b"",
    );
    let waited = start.elapsed();
    let ((held, _, held_body), held_for) = holder.join().unwrap();
    assert_eq!(held, 422, "{held_body}");
    assert!(
        held_for < std::time::Duration::from_millis(1500),
        "the forecast was not cancelled at its limit: {held_for:?}"
    );
    assert!(st == 422 || st == 503, "{st}: {body}");
    assert!(
        waited < std::time::Duration::from_millis(650),
        "the queued request took {waited:?}: its limit counted from when it started"
    );
}

/// A finished tournament can be deleted (204; then 404), and the data
/// directory keeps at most `max_jobs` tournaments: one more is refused
/// (422) until one is deleted.
#[test]
fn tournaments_are_deleted_and_counted() {
    let data = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("delete-jobs");
    let _ = std::fs::remove_dir_all(&data);
    let addr = start(Config {
        data: Some(data.clone()),
        max_jobs: 1,
        ..Config::default()
    });
    let base = format!("http://{addr}/api/v1/tournaments");
    let file = b"name = \"t\"\ndomains = [\"builtin:security-guarantees\"]\nstrategies = [\"boulware\", \"linear\"]\ndeadline = 20\n";
    let (st, _, body) = call("POST", &base, Some("application/toml"), file);
    assert_eq!(st, 201, "{body}");
    let id = json(&body)["id"].as_str().unwrap().to_string();
    let (st, _, body) = call("POST", &base, Some("application/toml"), file);
    assert_eq!(st, 422, "{body}");
    assert!(
        body.contains("at most 1") || body.contains("above the limit of 1"),
        "{body}"
    );
    let url = format!("{base}/{id}");
    let started = std::time::Instant::now();
    loop {
        let (_, _, body) = call("GET", &url, None, b"");
        if json(&body)["state"] == "done" {
            break;
        }
        assert!(started.elapsed().as_secs() < 120, "{body}");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    // Its rows as Parquet: the bytes `zopa report --parquet` writes.
    let mut r = agent()
        .get(format!("{url}/rows.parquet"))
        .call()
        .expect("a response");
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(
        r.headers()["content-type"].to_str().unwrap(),
        "application/vnd.apache.parquet"
    );
    let bytes = r.body_mut().read_to_vec().unwrap();
    let db = data.join("tournaments").join(&id).join("results.sqlite");
    let (_, want) = zopa_tournament::export::write(&db, Vec::new(), 65_536).unwrap();
    assert!(bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1"));
    assert_eq!(bytes, want);
    let (st, _, body) = call("DELETE", &url, None, b"");
    assert_eq!(st, 204, "{body}");
    assert!(!data.join("tournaments").join(&id).exists());
    for method in ["GET", "DELETE"] {
        let (st, _, _) = call(method, &url, None, b"");
        assert_eq!(st, 404, "{method} after delete");
    }
    let (st, _, body) = call("POST", &base, Some("application/toml"), file);
    assert_eq!(st, 201, "a slot is free again: {body}");
}

/// Validation has its own lane: while a long forecast holds the only heavy
/// worker, a validation answers at once.
#[test]
fn validation_does_not_wait_behind_analyses() {
    let _serial = timing_lock();
    let addr = start(Config {
        timeout: std::time::Duration::from_secs(6),
        max_heavy: 1,
        ..Config::default()
    });
    let long =
        format!("http://{addr}/api/v1/forecast?scenario=security-guarantees&runs=100000&seed=3");
    let holder = std::thread::spawn(move || call("POST", &long, None, b"").0);
    std::thread::sleep(std::time::Duration::from_millis(200));
    let start = std::time::Instant::now();
    let (st, _, body) = call(
        "POST",
        &format!("http://{addr}/api/v1/validate?scenario=security-guarantees&limit=78"),
        None,
        b"",
    );
    let waited = start.elapsed();
    assert_eq!(st, 200, "{body}");
    assert!(
        waited < std::time::Duration::from_millis(3000),
        "the validation waited {waited:?} behind the forecast"
    );
    // The forecast outlasts its 6 s on this hardware (422); a faster
    // machine may finish it (200): either way the validation did not wait.
    let held = holder.join().unwrap();
    assert!(held == 422 || held == 200, "{held}");
}

/// Start a server that stops when `stop` is sent; `done` receives once
/// `serve` returned.
fn start_stoppable(
    cfg: Config,
) -> (
    SocketAddr,
    tokio::sync::oneshot::Sender<()>,
    std::sync::mpsc::Receiver<()>,
) {
    let (tx, rx) = std::sync::mpsc::channel();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let (done_tx, done) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            zopa_server::serve(listener, cfg, async {
                let _ = stopped.await;
            })
            .await
            .unwrap();
        });
        // Work that ignores its token is not waited for (as `zopa serve`).
        rt.shutdown_timeout(std::time::Duration::from_millis(100));
        done_tx.send(()).unwrap();
    });
    (rx.recv().unwrap(), stop, done)
}

/// Raw bytes to the server; what it answers before closing or `wait`
/// passing, and how long that took.
fn raw(addr: SocketAddr, bytes: &[u8], wait: std::time::Duration) -> (String, std::time::Duration) {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.write_all(bytes).unwrap();
    s.set_read_timeout(Some(wait)).unwrap();
    let start = std::time::Instant::now();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match s.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => got.extend_from_slice(&buf[..n]),
        }
    }
    (String::from_utf8_lossy(&got).into_owned(), start.elapsed())
}

fn quick_connections() -> Config {
    Config {
        connections: zopa_server::conn::Limits {
            header_timeout: std::time::Duration::from_secs(1),
            body_timeout: std::time::Duration::from_secs(1),
            ..Config::default().connections
        },
        ..Config::default()
    }
}

/// Half-sent headers, an idle kept-alive connection and a trickled body are
/// cut at their timeouts; a body declared above the limit is refused
/// before any of it is read.
#[test]
fn slow_and_idle_connections_are_closed() {
    let _serial = timing_lock();
    let addr = start(quick_connections());
    let long = std::time::Duration::from_secs(8);

    let (got, took) = raw(addr, b"GET /healthz HTTP/1.1\r\nHost: x\r\n", long);
    assert!(
        took < std::time::Duration::from_secs(4),
        "half-sent headers held {took:?}: {got}"
    );

    let (got, took) = raw(addr, b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", long);
    assert!(got.starts_with("HTTP/1.1 200"), "{got}");
    assert!(
        took < std::time::Duration::from_secs(4),
        "an idle connection held {took:?}"
    );

    let trickle = b"POST /api/v1/validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/toml\r\nContent-Length: 100\r\n\r\ntitle = ";
    let (got, took) = raw(addr, trickle, long);
    assert!(got.starts_with("HTTP/1.1 408"), "{got}");
    assert!(
        got.contains("application/problem+json") && got.contains("--body-timeout"),
        "{got}"
    );
    assert!(took < std::time::Duration::from_secs(4), "{took:?}");

    let huge = b"POST /api/v1/validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/toml\r\nContent-Length: 1000000000000000\r\n\r\n0123456789";
    let (got, took) = raw(addr, huge, long);
    assert!(got.starts_with("HTTP/1.1 413"), "{got}");
    assert!(got.contains("1000000000000000 bytes"), "{got}");
    assert!(took < std::time::Duration::from_millis(500), "{took:?}");
}

/// 1,100 half-open connections do not keep the server from answering; past
/// `max_connections`, new connections are closed at once.
#[test]
fn half_open_connections_do_not_starve_the_server() {
    let _serial = timing_lock();
    let addr = start(Config::default());
    let held: Vec<_> = (0..1100)
        .map(|_| {
            use std::io::Write;
            let mut s = std::net::TcpStream::connect(addr).unwrap();
            s.write_all(b"GET /heal").unwrap();
            s
        })
        .collect();
    let start = std::time::Instant::now();
    let (st, _, body) = call("GET", &format!("http://{addr}/healthz"), None, b"");
    assert_eq!((st, body.as_str()), (200, "ok\n"));
    assert!(
        start.elapsed() < std::time::Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );
    drop(held);

    let addr = start_capped(2);
    let _a = std::net::TcpStream::connect(addr).unwrap();
    let _b = std::net::TcpStream::connect(addr).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(200));
    let (got, took) = raw(
        addr,
        b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n",
        std::time::Duration::from_secs(5),
    );
    assert!(got.is_empty(), "a third connection was served: {got}");
    assert!(took < std::time::Duration::from_secs(1), "{took:?}");
}

fn start_capped(max_connections: usize) -> SocketAddr {
    start(Config {
        connections: zopa_server::conn::Limits {
            max_connections,
            ..Config::default().connections
        },
        ..Config::default()
    })
}

/// One client may have `max_per_client` heavy requests in flight; more are
/// answered 429 with `Retry-After`, while it can still validate.
#[test]
fn one_client_cannot_take_every_worker() {
    let _serial = timing_lock();
    let addr = start(Config {
        max_per_client: 2,
        timeout: std::time::Duration::from_secs(4),
        ..Config::default()
    });
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(4));
    let runs: Vec<_> = (0..4)
        .map(|seed| {
            let b = barrier.clone();
            std::thread::spawn(move || {
                b.wait();
                let url = format!(
                    "http://{addr}/api/v1/forecast?scenario=security-guarantees&runs=100000&seed={seed}"
                );
                let (st, hs, body) = call_with("POST", &url, &[], b"");
                (st, hs.get("retry-after").cloned(), body)
            })
        })
        .collect();
    let got: Vec<_> = runs.into_iter().map(|t| t.join().unwrap()).collect();
    let refused: Vec<_> = got.iter().filter(|g| g.0 == 429).collect();
    assert_eq!(refused.len(), 2, "{got:?}");
    for (_, retry, body) in refused {
        assert_eq!(retry.as_deref(), Some("1"));
        assert!(body.contains("--max-per-client"), "{body}");
    }
    // The other two ran (or outlasted the limit): their places are free again.
    assert!(
        got.iter().all(|g| [200, 422, 429].contains(&g.0)),
        "{got:?}"
    );
    let (st, _, body) = call(
        "POST",
        &format!("http://{addr}/api/v1/analyze?scenario=security-guarantees&top=1"),
        None,
        b"",
    );
    assert_eq!(st, 200, "{body}");
}

/// Stopping gives requests in flight the shutdown timeout, then cancels
/// their work: its client gets 503 and `serve` returns within the bound,
/// not when the work would have ended.
#[test]
fn stopping_cancels_work_in_flight() {
    let _serial = timing_lock();
    let (addr, stop, done) = start_stoppable(Config {
        timeout: std::time::Duration::from_secs(600),
        connections: zopa_server::conn::Limits {
            shutdown_timeout: std::time::Duration::from_secs(1),
            ..Config::default().connections
        },
        ..Config::default()
    });
    let url = format!("http://{addr}/api/v1/forecast?scenario=security-guarantees&runs=100000");
    let client = std::thread::spawn(move || call("POST", &url, None, b""));
    std::thread::sleep(std::time::Duration::from_millis(500));
    let start = std::time::Instant::now();
    stop.send(()).unwrap();
    done.recv_timeout(std::time::Duration::from_secs(15))
        .expect("serve returned");
    let (st, _, body) = client.join().unwrap();
    assert!(
        start.elapsed() < std::time::Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(st, 503, "{body}");
    assert!(body.contains("stopping"), "{body}");
}

/// Requests that break HTTP itself get hyper's answers (documented in
/// docs/limits.md): oversized heads are refused, not buffered.
#[test]
fn oversized_heads_are_refused() {
    let addr = start(Config::default());
    let wait = std::time::Duration::from_secs(5);
    let long_target = [
        b"GET /".as_slice(),
        &[b'a'; 70_000],
        b" HTTP/1.1\r\nHost: x\r\n\r\n",
    ]
    .concat();
    let (got, _) = raw(addr, &long_target, wait);
    assert!(
        got.starts_with("HTTP/1.1 414") || got.starts_with("HTTP/1.1 431"),
        "{got}"
    );
    let long_header = [
        b"GET /healthz HTTP/1.1\r\nX: ".as_slice(),
        &[b'y'; 70_000],
        b"\r\n\r\n",
    ]
    .concat();
    let (got, _) = raw(addr, &long_header, wait);
    assert!(got.starts_with("HTTP/1.1 431"), "{got}");
    let (got, _) = raw(addr, b"BLAH\r\n\r\n", wait);
    assert!(got.starts_with("HTTP/1.1 400"), "{got}");
}

/// The data directory's bytes are bounded (a submission that would pass
/// `max_data` is 422, saying the sizes), and finished tournaments expire.
#[test]
fn the_data_directory_is_bounded_and_expires() {
    let data = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("data-bytes");
    let _ = std::fs::remove_dir_all(&data);
    let file = b"name = \"t\"\ndomains = [\"builtin:security-guarantees\"]\nstrategies = [\"boulware\", \"linear\"]\ndeadline = 20\n";
    {
        let addr = start(Config {
            data: Some(data.join("small")),
            max_data: 1000,
            ..Config::default()
        });
        let url = format!("http://{addr}/api/v1/tournaments");
        // The first fits (its request is ~100 bytes); what it stores (the
        // built-in's scenario and sources, its plan) counts against the next.
        let (st, _, body) = call("POST", &url, Some("application/toml"), file);
        assert_eq!(st, 201, "{body}");
        let (st, _, body) = call("POST", &url, Some("application/toml"), file);
        assert_eq!(st, 422, "{body}");
        assert!(
            body.contains("bytes this server's tournaments would take"),
            "{body}"
        );
        assert!(body.contains("above the limit of 1000"), "{body}");
    }
    // A finished job expires at the next submission once it is older than
    // `expire_after`.
    let addr = start(Config {
        data: Some(data.join("expiring")),
        expire_after: Some(std::time::Duration::from_millis(500)),
        ..Config::default()
    });
    let base = format!("http://{addr}/api/v1/tournaments");
    let (st, _, body) = call("POST", &base, Some("application/toml"), file);
    assert_eq!(st, 201, "{body}");
    let first = json(&body)["id"].as_str().unwrap().to_string();
    let started = std::time::Instant::now();
    while json(&call("GET", &format!("{base}/{first}"), None, b"").2)["state"] != "done" {
        assert!(started.elapsed().as_secs() < 120);
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    std::thread::sleep(std::time::Duration::from_millis(600));
    let (st, _, body) = call("POST", &base, Some("application/toml"), file);
    assert_eq!(st, 201, "{body}");
    let (st, _, _) = call("GET", &format!("{base}/{first}"), None, b"");
    assert_eq!(st, 404, "the finished job expired");
}

/// `/api/v1/score` answers the application layer's document; a deal naming
/// an unknown option is a 400 naming the options.
#[test]
fn a_deal_is_scored_as_the_cli_scores_it() {
    let addr = start(Config::default());
    let deal = "monitors,arms_aid,backstop,guarantor,europe_led";
    let (st, ct, body) = call(
        "POST",
        &format!("http://{addr}/api/v1/score?scenario=security-guarantees&deal={deal}"),
        None,
        b"",
    );
    assert_eq!((st, ct.as_str()), (200, "application/json"), "{body}");
    let s = zopa_app::input::load(
        &zopa_app::input::resolve(None, None).unwrap(),
        zopa_model::DEFAULT_LIMIT,
    )
    .unwrap();
    let doc = zopa_app::score::score(
        &s.scenario,
        deal,
        zopa_model::DEFAULT_LIMIT,
        zopa_model::limits::MAX_FRONTIER,
        &Default::default(),
    )
    .unwrap();
    assert_eq!(json(&body), serde_json::to_value(&doc).unwrap());
    let (st, ct, body) = call(
        "POST",
        &format!("http://{addr}/api/v1/score?scenario=security-guarantees&deal=monitors"),
        None,
        b"",
    );
    assert_eq!(
        (st, ct.as_str()),
        (400, "application/problem+json"),
        "{body}"
    );
    assert!(body.contains("the scenario has 5 issues"), "{body}");
    let (st, _, body) = call(
        "POST",
        &format!("http://{addr}/api/v1/score?scenario=security-guarantees"),
        None,
        b"",
    );
    assert_eq!(st, 400, "a deal is required: {body}");
}

/// A scenario sent as TOML with `[decision]`: `/score` decides by the rule
/// (a deal passes over one party's red line, who is outvoted) and
/// `/analyze` states the rule and counts what passes and what all accept.
#[test]
fn a_decision_rule_decides_over_http() {
    let addr = start(Config::default());
    let mut toml = String::from(
        "[scenario]\nid = \"vote\"\ntitle = \"Vote\"\n\n[[issues]]\nid = \"x\"\nname = \"X\"\noptions = [{ id = \"lo\", label = \"Low\" }, { id = \"mid\", label = \"Mid\" }, { id = \"hi\", label = \"High\" }]\n",
    );
    for (id, values, red) in [
        ("a", "lo = 0, mid = 0.5, hi = 1", ""),
        ("b", "lo = 0, mid = 0.5, hi = 1", ""),
        ("c", "lo = 1, mid = 0.5, hi = 0", "red_lines = [\"hi\"]\n"),
    ] {
        toml.push_str(&format!(
            "\n[[actors]]\nid = \"{id}\"\nname = \"{id}\"\npower = 1\nreservation = 0\nsalience = {{ x = 1 }}\n\n[[actors.positions]]\nissue = \"x\"\nvalues = {{ {values} }}\n{red}assumption = true\nnote = \"test\"\n"
        ));
    }
    toml.push_str("\n[decision]\nat_least = 2\nassumption = true\nnote = \"a majority decides\"\n");
    let (st, _, body) = call(
        "POST",
        &format!("http://{addr}/api/v1/score?deal=hi"),
        Some("application/toml"),
        toml.as_bytes(),
    );
    assert_eq!(st, 200, "{body}");
    let d = json(&body);
    assert_eq!(d["passes"], true, "{d}");
    assert_eq!(d["outvoted"], serde_json::json!(["c"]));
    assert_eq!(d["rule"], "at least 2 of 3 actors accept");
    let (st, _, body) = call(
        "POST",
        &format!("http://{addr}/api/v1/analyze"),
        Some("application/toml"),
        toml.as_bytes(),
    );
    assert_eq!(st, 200, "{body}");
    let d = json(&body);
    assert_eq!(
        (
            d["space"]["agreement"].as_u64(),
            d["space"]["unanimous"].as_u64()
        ),
        (Some(3), Some(2)),
        "{}",
        d["space"]
    );
    assert_eq!(d["decision"]["vetoes"], serde_json::json!([]));
    assert_eq!(
        d["solutions"]["utilitarian"]["coalition"]["outvoted"],
        serde_json::json!(["c"])
    );
    // What the conclusions depend on, over HTTP: the search can be turned
    // off, and its flags are checked.
    let c = &d["critical"];
    assert_eq!(c["vary_quoted"], false, "{c}");
    assert_eq!(c["complete_through"], 2, "{c}");
    assert_eq!(c["conclusions"][1]["conclusion"], "nash");
    assert_eq!(
        c["conclusions"][1]["reversed_by"][0]["text"],
        "If c values “High” at 0.2 rather than 0: the Nash package would be: High.",
        "{c:#}"
    );
    for (query, want) in [
        ("critical_budget=0", serde_json::Value::Null),
        ("vary_quoted=true", serde_json::json!(true)),
    ] {
        let (st, _, body) = call(
            "POST",
            &format!("http://{addr}/api/v1/analyze?{query}"),
            Some("application/toml"),
            toml.as_bytes(),
        );
        assert_eq!(st, 200, "{body}");
        let c = &json(&body)["critical"];
        let got = if want.is_null() {
            c.clone()
        } else {
            c["vary_quoted"].clone()
        };
        assert_eq!(got, want, "{query}");
    }
    // The readings side by side: a scenario without interpretations still
    // has the scenario as written and the four stress tests.
    let (st, _, body) = call(
        "POST",
        &format!("http://{addr}/api/v1/analyze?compare=true&critical_budget=0"),
        Some("application/toml"),
        toml.as_bytes(),
    );
    assert_eq!(st, 200, "{body}");
    let readings = json(&body)["comparison"]["readings"].clone();
    let ids: Vec<&str> = readings
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "as_written",
            "stated_demands_as_red_lines",
            "stated_worst_refused",
            "reservations_at_top_of_band",
            "assumed_red_lines_dropped"
        ]
    );
    assert_eq!(readings[0]["agreement"], 3);
    // The brief over HTTP: zopa.brief/1 with the Markdown, every sentence
    // citing claims.
    let (st, _, body) = call(
        "POST",
        &format!("http://{addr}/api/v1/brief"),
        Some("application/toml"),
        toml.as_bytes(),
    );
    assert_eq!(st, 200, "{body}");
    let b = json(&body);
    assert_eq!(b["schema"], "zopa.brief/1");
    assert!(
        b["markdown"].as_str().unwrap().contains("## Bottom line"),
        "{b}"
    );
    let (st, _, body) = call(
        "POST",
        &format!("http://{addr}/api/v1/brief?format=pdf"),
        Some("application/toml"),
        toml.as_bytes(),
    );
    assert_eq!(st, 400, "unknown query keys are refused: {body}");
    let (st, _, body) = call(
        "POST",
        &format!("http://{addr}/api/v1/analyze?critical_budget=lots"),
        Some("application/toml"),
        toml.as_bytes(),
    );
    assert_eq!(st, 400, "{body}");
}

/// `POST /api/v1/evidence`: the report as text or uploaded with a scenario
/// and annotations gives the application layer's `zopa.evidence/1`;
/// `?draft=true` drafts a scenario; bad requests are 4xx problems.
#[test]
fn evidence_over_http_is_the_application_layers_document() {
    let addr = start(Config::default());
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
    let article = std::fs::read(root.join("sources/security-guarantees-article.txt")).unwrap();
    let url = |q: &str| format!("http://{addr}/api/v1/evidence{q}");
    // Text with a built-in scenario.
    let (st, ct, body) = call(
        "POST",
        &url("?scenario=security-guarantees&name=a.txt"),
        Some("text/plain"),
        &article,
    );
    assert_eq!((st, ct.as_str()), (200, "application/json"), "{body}");
    let input = zopa_app::input::resolve(Some("security-guarantees"), None).unwrap();
    let loaded = zopa_app::input::load(&input, zopa_model::DEFAULT_LIMIT).unwrap();
    let want =
        zopa_app::evidence::evidence("a.txt", &article, Some((&input, &loaded)), None).unwrap();
    assert_eq!(json(&body), serde_json::to_value(&want).unwrap());
    assert_eq!(json(&body)["coverage"]["source"], "article");
    // Without a scenario: parties from the text.
    let (st, _, body) = call("POST", &url(""), Some("text/plain"), &article);
    assert_eq!(st, 200, "{body}");
    let doc = json(&body);
    assert_eq!(doc["schema"], "zopa.evidence/1");
    assert_eq!(
        doc["statements"][0]["speaker"]["affiliation"], "Russia",
        "{doc}"
    );
    // An upload: the article, a scenario with its source, annotations.
    let b = "evb0undary";
    let part = |name: &str, file: Option<&str>, bytes: &[u8]| {
        let mut v =
            format!("--{b}\r\nContent-Disposition: form-data; name=\"{name}\"").into_bytes();
        if let Some(f) = file {
            v.extend(format!("; filename=\"{f}\"").bytes());
        }
        v.extend(b"\r\n\r\n");
        v.extend(bytes);
        v.extend(b"\r\n");
        v
    };
    let scenario = std::fs::read(root.join("security-guarantees.toml")).unwrap();
    let gold = std::fs::read(root.join("sources/security-guarantees-statements.toml")).unwrap();
    let mut body = part("article", Some("report.txt"), &article);
    body.extend(part("scenario", Some("s.toml"), &scenario));
    body.extend(part(
        "file",
        Some("sources/security-guarantees-article.txt"),
        &article,
    ));
    body.extend(part("gold", Some("gold.toml"), &gold));
    body.extend(format!("--{b}--\r\n").bytes());
    let mp = format!("multipart/form-data; boundary={b}");
    let (st, _, text) = call("POST", &url(""), Some(&mp), &body);
    assert_eq!(st, 200, "{text}");
    let doc = json(&text);
    assert_eq!(doc["article"], "report.txt");
    assert_eq!(doc["score"]["recall"], 0.95, "{}", doc["score"]);
    // ?draft=true with two reports: a drafted scenario.
    let mut two = part("article", Some("one.txt"), &article);
    two.extend(part("article", Some("two.txt"), &article));
    two.extend(format!("--{b}--\r\n").bytes());
    let (st, _, text) = call("POST", &url("?draft=true"), Some(&mp), &two);
    assert_eq!(st, 200, "{text}");
    let doc = json(&text);
    assert_eq!(doc["schema"], "zopa.evidence-draft/1");
    assert!(doc["draft"]["toml"]
        .as_str()
        .unwrap()
        .contains("[[actors]]"));
    // Client errors.
    let (st, _, text) = call("POST", &url(""), Some(&mp), &two);
    assert_eq!(st, 400, "two articles without ?draft: {text}");
    let (st, _, text) = call("POST", &url(""), Some("application/pdf"), b"%PDF");
    assert_eq!(st, 415, "{text}");
    let (st, _, text) = call("POST", &url(""), Some("text/plain"), b"ok\n\xff");
    assert_eq!(st, 400, "{text}");
    assert!(text.contains("not UTF-8"), "{text}");
    let (st, _, text) = call("POST", &url("?scenario=nope"), Some("text/plain"), b"x");
    assert_eq!(st, 404, "{text}");
    let (st, _, text) = call("POST", &url("?colour=red"), Some("text/plain"), b"x");
    assert_eq!(st, 400, "{text}");
    let only_gold = [
        part("gold", None, b"[]"),
        format!("--{b}--\r\n").into_bytes(),
    ]
    .concat();
    let (st, _, text) = call("POST", &url(""), Some(&mp), &only_gold);
    assert_eq!(st, 400, "{text}");
    assert!(text.contains("no `article` part"), "{text}");
}
