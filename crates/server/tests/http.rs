//! The real server on an ephemeral loopback port, driven by a real HTTP
//! client: documents equal the application layer's (as the CLI prints them),
//! and every client error is a 4xx problem+json document.

use std::net::SocketAddr;

use zopa_server::Config;

/// Start a server on 127.0.0.1:0 in the background; its address.
fn start(cfg: Config) -> SocketAddr {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            zopa_server::serve(listener, cfg, std::future::pending())
                .await
                .unwrap();
        });
    });
    rx.recv().unwrap()
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

/// (status, content type, body) of a request.
fn call(method: &str, url: &str, content_type: Option<&str>, body: &[u8]) -> (u16, String, String) {
    let a = agent();
    let mut r = match method {
        "GET" => a.get(url).call(),
        "PUT" => a.put(url).send(body),
        _ => {
            let mut req = a.post(url);
            if let Some(ct) = content_type {
                req = req.header("Content-Type", ct);
            }
            req.send(body)
        }
    }
    .expect("a response");
    let ct = r
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let text = r
        .body_mut()
        .with_config()
        .limit(64 << 20)
        .read_to_string()
        .unwrap();
    (r.status().as_u16(), ct, text)
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
    let a = zopa_analysis::analyze(&s.scenario, &Default::default()).unwrap();
    let mut want = Vec::new();
    zopa_app::report::json::write(
        &zopa_app::report::Report {
            scenario: &s.scenario,
            origin: &s.origin,
            analysis: &a,
            top: 3,
        },
        &mut want,
    )
    .unwrap();
    assert_eq!(body.as_bytes(), want.as_slice());

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
    assert_eq!(body, serde_json::to_string_pretty(&want).unwrap());

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
    assert_eq!(body, serde_json::to_string_pretty(&want).unwrap());

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
            format!("{base}/api/v1/simulate?scenario=security-guarantees&strategies=nobody=tft"),
            400,
        ),
        (
            format!("{base}/api/v1/simulate?scenario=security-guarantees&deadline=1000000000000"),
            400,
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
