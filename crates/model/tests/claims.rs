//! Claim-level provenance: which claims a quote makes quoted, decided by
//! what it `states` and who speaks it — never by its mere presence — and
//! reservations taken from the status quo.

use std::collections::HashMap;

use zopa_model::{load_str, ClaimKind, MapLoader, Syntax};

const SOURCE: &str = "Minutes.\nBuyer: “Low prices first; we will never pay a high price.”\nSeller: we want speed.\nToday the price is high and delivery slow.\n";

const SCENARIO: &str = r#"
[scenario]
id = "claims"
title = "Claims"
analyst = "A. Analyst"

[[sources]]
id = "m"
path = "m.txt"

[[issues]]
id = "price"
name = "Price"
options = [{ id = "low", label = "Low" }, { id = "mid", label = "Mid" }, { id = "high", label = "High" }]

[[issues]]
id = "speed"
name = "Speed"
options = [{ id = "slow", label = "Slow" }, { id = "fast", label = "Fast", evidence = [{ source = "m", quote = "we want speed" }] }]

[status_quo]
options = { price = "high", speed = "slow" }
note = "Delivery is our reading."
evidence = [{ source = "m", quote = "Today the price is high", states = { issues = ["price"] } }]

[[actors]]
id = "buyer"
name = "Buyer"
power = 1
power_basis = { evidence = [{ source = "m", quote = "Minutes." }], note = "context only" }
reservation = "status_quo"
reservation_basis = { assumption = true, note = "no deal = today's terms", author = "B. Other" }
salience = { price = 3, speed = 1 }
salience_basis = { note = "numbers ours", evidence = [{ source = "m", speaker = "buyer", quote = "Low prices first", states = { best = "price" } }] }

[[actors.positions]]
issue = "price"
values = { low = 1.0, mid = 0.4, high = 0.0 }
note = "mid is ours"
evidence = [
  { source = "m", speaker = "buyer", quote = "Low prices first", states = { best = "low", order = ["low", "mid", "high"] } },
  { source = "m", speaker = "buyer", quote = "we will never pay a high price", states = { worst = "high" } },
]
red_lines = [
  { option = "high", evidence = [{ source = "m", speaker = "buyer", quote = "we will never pay a high price" }] },
]

[[actors.positions]]
issue = "speed"
values = { slow = 0.0, fast = 1.0 }
evidence = [{ source = "m", quote = "we want speed" }]

[[actors.red_line_combinations]]
options = { price = "mid", speed = "slow" }
evidence = [{ source = "m", speaker = "buyer", quote = "we will never pay a high price" }]

[[actors.interactions]]
options = { speed = "fast", price = "low" }
value = 0.25
note = "a cheap and fast deal is worth a bonus"

[[actors]]
id = "seller"
name = "Seller"
power = 1
reservation = 0.2
salience = { price = 1, speed = 1 }

[[actors.positions]]
issue = "price"
values = { low = 0.0, mid = 0.5, high = 1.0 }
assumption = true
note = "declared an assumption: its statements do not count"
evidence = [{ source = "m", speaker = "seller", quote = "we want speed", states = { best = "high" } }]
red_lines = [{ option = "low", evidence = [{ source = "m", quote = "Low prices first" }] }]

[[actors.positions]]
issue = "speed"
values = { slow = 0.0, fast = 1.0 }
evidence = [{ source = "m", speaker = "seller", quote = "we want speed", states = { best = "fast", worst = "slow" } }]
"#;

fn load() -> zopa_model::Scenario {
    let loader = MapLoader(HashMap::from([("m.txt".to_string(), SOURCE.to_string())]));
    load_str(SCENARIO, Syntax::Toml, "claims.toml", &loader)
        .unwrap_or_else(|d| panic!("{d}"))
        .scenario
}

#[test]
fn quotes_support_exactly_what_they_state_spoken_by_their_actor() {
    let s = load();
    let claims = s.claims();
    let quoted: Vec<(Option<&str>, ClaimKind, &str)> = claims
        .iter()
        .filter(|c| c.is_quoted())
        .map(|c| {
            (
                c.actor.map(|a| s.actors()[a].id.as_str()),
                c.kind,
                c.text.as_str(),
            )
        })
        .collect();
    assert_eq!(
        quoted,
        vec![
            (Some("buyer"), ClaimKind::Salience, "price weighs most"),
            (Some("buyer"), ClaimKind::Value, "price.low = 1"),
            (Some("buyer"), ClaimKind::Value, "price.high = 0"),
            (Some("buyer"), ClaimKind::Order, "low > mid > high"),
            (Some("buyer"), ClaimKind::RedLine, "rejects price.high"),
            // A combination is quoted like a red line: its own quote, its actor speaking.
            (
                Some("buyer"),
                ClaimKind::RedLine,
                "rejects price.mid + speed.slow"
            ),
            // The seller's price position is declared an assumption and its
            // red line's quote has no speaker: neither counts.
            (Some("seller"), ClaimKind::Value, "speed.slow = 0"),
            (Some("seller"), ClaimKind::Value, "speed.fast = 1"),
            (None, ClaimKind::StatusQuo, "price = high"),
        ]
    );
    let counts = s.claim_counts();
    // Per actor: power, reservation, 2 saliences, 5 values; buyer adds a
    // salience statement, an order and a red line, the seller a red line;
    // the status quo has 2 issues.
    // ... plus the buyer's combination and interaction.
    assert_eq!(counts.claims, 9 + 3 + 9 + 1 + 2 + 2);
    assert_eq!(counts.quoted, 9);
    let interaction = claims
        .iter()
        .find(|c| c.kind == ClaimKind::Interaction)
        .expect("the interaction is a claim");
    assert_eq!(interaction.text, "price.low + speed.fast: +0.25");
    assert!(!interaction.is_quoted());
    // price.mid is named by the buyer's stated order; speed.fast has its own
    // mention; speed.slow is stated by the seller. Nothing is left unsourced.
    assert_eq!(counts.analyst_options, 0);
    let author = s
        .claims()
        .into_iter()
        .find(|c| c.kind == ClaimKind::Reservation && c.actor == Some(0))
        .and_then(|c| c.author.map(str::to_string));
    assert_eq!(author.as_deref(), Some("B. Other"));
}

#[test]
fn a_status_quo_reservation_is_the_utility_of_the_status_quo() {
    let s = load();
    let buyer = &s.actors()[0];
    assert!(buyer.reservation_is_status_quo);
    // (3 × value(high) + 1 × value(slow)) / 4 = 0; the interaction (low and
    // fast) is not triggered by the status quo (high, slow).
    assert_eq!(buyer.reservation, 0.0);
    assert!(!s.is_additive());
    // The buyer rejects (mid, slow) together but each alone is fine.
    assert!(buyer.rejects_package(&[1, 0]));
    assert!(!buyer.rejects_package(&[1, 1]));
    let u = zopa_model::UtilityModel::new(&s).utilities_of(&[0, 1]);
    assert_eq!(
        u[0],
        0.75 * 1.0 + 0.25 * 1.0 + 0.25,
        "additive 1.0 plus the bonus"
    );
    assert_eq!(s.status_quo().unwrap().options, vec![2, 0]);
    let quote = &s.claims()[0].context[0];
    assert_eq!(quote.line, 1, "the power's context quote is on line 1");
}

#[test]
fn claims_survive_a_round_trip() {
    let s = load();
    let loader = MapLoader(HashMap::from([("m.txt".to_string(), SOURCE.to_string())]));
    let toml = s.to_doc().to_toml_string().unwrap();
    let back = load_str(&toml, Syntax::Toml, "back.toml", &loader)
        .unwrap_or_else(|d| panic!("{d}\n{toml}"))
        .scenario;
    assert_eq!(back, s);
    let json = s.to_doc().to_json_string().unwrap();
    let back = load_str(&json, Syntax::Json, "back.json", &loader)
        .unwrap_or_else(|d| panic!("{d}\n{json}"))
        .scenario;
    assert_eq!(back, s);
}
