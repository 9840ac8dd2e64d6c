//! The [`Strategy`] trait and the core library of negotiation strategies.

use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

use crate::session::PartyView;

/// What the protocol shows a party when it must act.
#[derive(Debug, Clone, Copy)]
pub struct Turn<'a> {
    /// Round (each party acts once per round).
    pub round: usize,
    /// Relative time in [0, 1]: round / (deadline − 1), so 1 in the last round.
    pub t: f64,
    /// Every offer so far: (proposer, outcome), oldest first.
    pub offers: &'a [(usize, u64)],
}

/// A response to the standing offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Response {
    /// Accept it.
    Accept,
    /// Reject it (the party then makes a counter-offer).
    Reject,
    /// Leave the negotiation.
    End,
}

/// A negotiation strategy: it proposes and responds, seeing only its own
/// utilities and the offers made. Implementations must be deterministic given
/// the seed passed to [`Strategy::init`].
pub trait Strategy: Send {
    /// Short name, for reports.
    fn name(&self) -> String;
    /// Called once before the negotiation.
    fn init(&mut self, _me: &PartyView<'_>, _seed: u64) {}
    /// The next offer, or `None` to leave.
    fn propose(&mut self, me: &PartyView<'_>, turn: &Turn<'_>) -> Option<u64>;
    /// Respond to the standing offer.
    fn respond(&mut self, me: &PartyView<'_>, turn: &Turn<'_>, offer: u64) -> Response;
}

/// When to accept.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Acceptance {
    /// AC_next: accept if the offer is at least as good as my next offer.
    Next,
    /// AC_const(α): accept if the offer's utility is at least α.
    Const(f64),
    /// AC_time(T): accept any acceptable offer once relative time reaches T.
    Time(f64),
}

impl Acceptance {
    /// Whether to accept an offer worth `u` to me, when my next offer would be
    /// worth `next` and relative time is `t`.
    pub fn accepts(&self, u: f64, next: f64, t: f64) -> bool {
        match *self {
            Acceptance::Next => u >= next - 1e-12,
            Acceptance::Const(a) => u >= a,
            Acceptance::Time(tt) => t >= tt || u >= next - 1e-12,
        }
    }
}

fn respond_with(me: &PartyView<'_>, ac: Acceptance, offer: u64, next: f64, t: f64) -> Response {
    if me.acceptable(offer) && ac.accepts(me.utility(offer), next, t) {
        Response::Accept
    } else {
        Response::Reject
    }
}

/// Time-based concession (Faratin et al. 1998; NegMAS's `PolyAspiration`):
/// target(t) = r + (u_max − r)(1 − t^e). Larger e concedes later: e = 4
/// Boulware, 1 linear, 0.25 conceder (NegMAS's defaults). Offers the outcome
/// closest above the target.
#[derive(Debug, Clone)]
pub struct TimeBased {
    /// Aspiration exponent e.
    pub exponent: f64,
    /// Acceptance condition.
    pub acceptance: Acceptance,
    label: String,
    /// The offer for the last relative time asked (respond and propose ask twice per turn).
    cache: Option<(f64, Option<u64>)>,
}

impl TimeBased {
    /// A time-based strategy.
    pub fn new(label: &str, exponent: f64, acceptance: Acceptance) -> Self {
        TimeBased {
            exponent,
            acceptance,
            label: label.to_string(),
            cache: None,
        }
    }
    fn target(&self, me: &PartyView<'_>, t: f64) -> f64 {
        let top = me.best().unwrap_or(1.0);
        let r = me.reservation().min(top);
        r + (top - r) * (1.0 - t.clamp(0.0, 1.0).powf(self.exponent))
    }
    /// The offer at relative time `t` (cached for the current time).
    fn offer(&mut self, me: &PartyView<'_>, t: f64) -> Option<u64> {
        match self.cache {
            Some((ct, o)) if ct == t => o,
            _ => {
                let o = me.at_or_above(self.target(me, t));
                self.cache = Some((t, o));
                o
            }
        }
    }
}

impl Strategy for TimeBased {
    fn name(&self) -> String {
        self.label.clone()
    }
    fn init(&mut self, _me: &PartyView<'_>, _seed: u64) {
        self.cache = None;
    }
    fn propose(&mut self, me: &PartyView<'_>, turn: &Turn<'_>) -> Option<u64> {
        self.offer(me, turn.t)
    }
    fn respond(&mut self, me: &PartyView<'_>, turn: &Turn<'_>, offer: u64) -> Response {
        let next = self
            .offer(me, turn.t)
            .map_or(f64::INFINITY, |o| me.utility(o));
        respond_with(me, self.acceptance, offer, next, turn.t)
    }
}

/// NegMAS's `AspirationNegotiator`: the same aspiration curve (default
/// exponent 4, "boulware"), offering a random acceptable outcome at or above
/// the aspiration level and accepting any offer at or above it.
#[derive(Debug)]
pub struct Aspiration {
    inner: TimeBased,
    rng: ChaCha8Rng,
}

impl Aspiration {
    /// With aspiration exponent `e`.
    pub fn new(e: f64) -> Self {
        Aspiration {
            inner: TimeBased::new("aspiration", e, Acceptance::Next),
            rng: ChaCha8Rng::seed_from_u64(0),
        }
    }
}

impl Strategy for Aspiration {
    fn name(&self) -> String {
        "aspiration".into()
    }
    fn init(&mut self, _me: &PartyView<'_>, seed: u64) {
        self.rng = ChaCha8Rng::seed_from_u64(seed);
    }
    fn propose(&mut self, me: &PartyView<'_>, turn: &Turn<'_>) -> Option<u64> {
        let target = self.inner.target(me, turn.t);
        let r = me.ranked();
        let k = r
            .partition_point(|x| x.0 >= target - 1e-12)
            .max(1)
            .min(r.len());
        if r.is_empty() {
            return None;
        }
        Some(r[self.rng.random_range(0..k)].1)
    }
    fn respond(&mut self, me: &PartyView<'_>, turn: &Turn<'_>, offer: u64) -> Response {
        let target = self.inner.target(me, turn.t);
        respond_with(me, Acceptance::Const(target), offer, target, turn.t)
    }
}

/// Hardliner: always offers its best outcome and accepts only offers as good.
#[derive(Debug, Clone, Default)]
pub struct Hardliner;

impl Strategy for Hardliner {
    fn name(&self) -> String {
        "hardliner".into()
    }
    fn propose(&mut self, me: &PartyView<'_>, _turn: &Turn<'_>) -> Option<u64> {
        me.ranked().first().map(|x| x.1)
    }
    fn respond(&mut self, me: &PartyView<'_>, turn: &Turn<'_>, offer: u64) -> Response {
        respond_with(
            me,
            Acceptance::Next,
            offer,
            me.best().unwrap_or(f64::INFINITY),
            turn.t,
        )
    }
}

/// Random in band: offers a random acceptable outcome whose utility lies in
/// [lo, hi] (the closest one when none does); accepts any offer ≥ lo.
#[derive(Debug)]
pub struct RandomBand {
    /// Lower end of the band.
    pub lo: f64,
    /// Upper end of the band.
    pub hi: f64,
    rng: ChaCha8Rng,
}

impl RandomBand {
    /// A random-in-band strategy.
    pub fn new(lo: f64, hi: f64) -> Self {
        RandomBand {
            lo,
            hi,
            rng: ChaCha8Rng::seed_from_u64(0),
        }
    }
}

impl Strategy for RandomBand {
    fn name(&self) -> String {
        "random".into()
    }
    fn init(&mut self, _me: &PartyView<'_>, seed: u64) {
        self.rng = ChaCha8Rng::seed_from_u64(seed);
    }
    fn propose(&mut self, me: &PartyView<'_>, _turn: &Turn<'_>) -> Option<u64> {
        let r = me.ranked();
        let a = r.partition_point(|x| x.0 > self.hi + 1e-12);
        let b = r.partition_point(|x| x.0 >= self.lo - 1e-12);
        if a < b {
            Some(r[self.rng.random_range(a..b)].1)
        } else {
            me.at_or_above(self.lo)
        }
    }
    fn respond(&mut self, me: &PartyView<'_>, turn: &Turn<'_>, offer: u64) -> Response {
        respond_with(me, Acceptance::Const(self.lo), offer, self.lo, turn.t)
    }
}

/// Tit-for-tat (Faratin et al. 1998), for any number of parties: each time
/// the other parties' latest offers concede (are worth more to me than their
/// previous ones), I concede in return. Naive: by the same utility amount.
/// Relative: by the same ratio. Starts at my best outcome, never below my
/// reservation; accepts with AC_next.
#[derive(Debug, Clone)]
pub struct TitForTat {
    /// Relative (proportional) rather than absolute mirroring.
    pub relative: bool,
    target: Option<f64>,
    /// Last seen offer of each other party, in my utility.
    last: Vec<Option<f64>>,
}

impl TitForTat {
    /// Naive (`relative = false`) or relative tit-for-tat.
    pub fn new(relative: bool) -> Self {
        TitForTat {
            relative,
            target: None,
            last: vec![],
        }
    }

    /// Update the target from the newest offers of the other parties.
    fn observe(&mut self, me: &PartyView<'_>, turn: &Turn<'_>) {
        let top = me.best().unwrap_or(1.0);
        let floor = me.reservation().min(top);
        let mut target = self.target.unwrap_or(top);
        if self.last.len() != me.n_parties() {
            self.last = vec![None; me.n_parties()];
        }
        let mut newest: Vec<Option<f64>> = vec![None; me.n_parties()];
        for &(p, o) in turn.offers.iter().rev() {
            if p != me.me() && newest[p].is_none() {
                newest[p] = Some(me.utility(o));
            }
        }
        let (mut delta, mut ratio, mut n) = (0.0, 0.0, 0usize);
        for (last, now) in self.last.iter_mut().zip(&newest) {
            if let (Some(prev), Some(now)) = (*last, *now) {
                if now != prev {
                    delta += now - prev;
                    ratio += if now > 0.0 { prev / now } else { 1.0 };
                    n += 1;
                }
            }
            if now.is_some() {
                *last = *now;
            }
        }
        if n > 0 {
            if self.relative {
                target *= ratio / n as f64;
            } else {
                target -= delta / n as f64;
            }
        }
        self.target = Some(target.clamp(floor, top));
    }
}

impl Strategy for TitForTat {
    fn name(&self) -> String {
        if self.relative {
            "rtft".into()
        } else {
            "tft".into()
        }
    }
    fn propose(&mut self, me: &PartyView<'_>, turn: &Turn<'_>) -> Option<u64> {
        self.observe(me, turn);
        me.at_or_above(self.target.unwrap_or(1.0))
    }
    fn respond(&mut self, me: &PartyView<'_>, turn: &Turn<'_>, offer: u64) -> Response {
        self.observe(me, turn);
        let next = me
            .at_or_above(self.target.unwrap_or(1.0))
            .map_or(f64::INFINITY, |o| me.utility(o));
        respond_with(me, Acceptance::Next, offer, next, turn.t)
    }
}

/// MiCRO (de Jonge 2022, "An Analysis of the Linear Bilateral ANAC Domains
/// Using the MiCRO Benchmark Strategy", IJCAI): proposes its acceptable
/// outcomes best first, making a new proposal only when the others have made
/// at least as many distinct offers as it has (otherwise it repeats one of its
/// earlier proposals at random); accepts any offer at least as good as the
/// worst outcome it has proposed (or would propose next).
#[derive(Debug)]
pub struct Micro {
    proposed: usize,
    seen: std::collections::BTreeSet<u64>,
    rng: ChaCha8Rng,
}

impl Default for Micro {
    fn default() -> Self {
        Micro {
            proposed: 0,
            seen: Default::default(),
            rng: ChaCha8Rng::seed_from_u64(0),
        }
    }
}

impl Micro {
    fn observe(&mut self, me: &PartyView<'_>, turn: &Turn<'_>) {
        for &(p, o) in turn.offers {
            if p != me.me() {
                self.seen.insert(o);
            }
        }
    }
    fn may_concede(&self) -> bool {
        self.seen.len() >= self.proposed
    }
}

impl Strategy for Micro {
    fn name(&self) -> String {
        "micro".into()
    }
    fn init(&mut self, _me: &PartyView<'_>, seed: u64) {
        *self = Micro {
            rng: ChaCha8Rng::seed_from_u64(seed),
            ..Micro::default()
        };
    }
    fn propose(&mut self, me: &PartyView<'_>, turn: &Turn<'_>) -> Option<u64> {
        self.observe(me, turn);
        let r = me.ranked();
        if r.is_empty() {
            return None;
        }
        if self.may_concede() && self.proposed < r.len() {
            self.proposed += 1;
            Some(r[self.proposed - 1].1)
        } else {
            let k = self.proposed.clamp(1, r.len());
            Some(r[self.rng.random_range(0..k)].1)
        }
    }
    fn respond(&mut self, me: &PartyView<'_>, turn: &Turn<'_>, offer: u64) -> Response {
        self.observe(me, turn);
        let r = me.ranked();
        let k = if self.may_concede() {
            self.proposed + 1
        } else {
            self.proposed
        };
        let threshold = r
            .get(k.clamp(1, r.len().max(1)) - 1)
            .map_or(f64::INFINITY, |x| x.0);
        respond_with(me, Acceptance::Const(threshold), offer, threshold, turn.t)
    }
}

/// A strategy by name, as used in tournament files and `--strategy`:
/// `boulware`, `linear`, `conceder`, `time:E` (exponent E), `hardliner`,
/// `random:LO:HI`, `tft`, `rtft`, `micro`, `aspiration`, `aspiration:E`;
/// time-based ones take an acceptance suffix `@next`, `@const:A` or `@time:T`.
pub fn by_name(spec: &str) -> Result<Box<dyn Strategy>, String> {
    let (base, ac) = match spec.split_once('@') {
        Some((b, a)) => (b, Some(a)),
        None => (spec, None),
    };
    let acceptance = match ac {
        None | Some("next") => Acceptance::Next,
        Some(a) => {
            let (k, v) = a
                .split_once(':')
                .ok_or_else(|| format!("bad acceptance `{a}` (next, const:A, time:T)"))?;
            let x = number(spec, v, 0.0..=1.0)?;
            match k {
                "const" => Acceptance::Const(x),
                "time" => Acceptance::Time(x),
                _ => return Err(format!("bad acceptance `{a}` (next, const:A, time:T)")),
            }
        }
    };
    let parts: Vec<&str> = base.split(':').collect();
    let param = |i: usize, range: std::ops::RangeInclusive<f64>| -> Result<f64, String> {
        let text = parts
            .get(i)
            .ok_or_else(|| format!("`{spec}` needs a parameter"))?;
        number(spec, text, range)
    };
    let arity = match parts[0] {
        "time" | "aspiration" => 2,
        "random" => 3,
        _ => 1,
    };
    if parts.len() > arity {
        return Err(format!("`{spec}`: too many parameters"));
    }
    Ok(match parts[0] {
        "boulware" => Box::new(TimeBased::new(spec, 4.0, acceptance)),
        "linear" => Box::new(TimeBased::new(spec, 1.0, acceptance)),
        "conceder" => Box::new(TimeBased::new(spec, 0.25, acceptance)),
        "time" => Box::new(TimeBased::new(spec, param(1, EXPONENTS)?, acceptance)),
        "hardliner" => Box::new(Hardliner),
        "random" => {
            let (lo, hi) = (param(1, 0.0..=1.0)?, param(2, 0.0..=1.0)?);
            if lo > hi {
                return Err(format!("`{spec}`: the band's low end {lo} is above its high end {hi}"));
            }
            Box::new(RandomBand::new(lo, hi))
        }
        "tft" => Box::new(TitForTat::new(false)),
        "rtft" => Box::new(TitForTat::new(true)),
        "micro" => Box::new(Micro::default()),
        "aspiration" => Box::new(Aspiration::new(if parts.len() > 1 {
            param(1, EXPONENTS)?
        } else {
            4.0
        })),
        other => {
            return Err(format!(
                "unknown strategy `{other}` (boulware, linear, conceder, time:E, hardliner, random:LO:HI, tft, rtft, micro, aspiration)"
            ))
        }
    })
}

/// Concession exponents accepted by `time:E` and `aspiration:E`.
const EXPONENTS: std::ops::RangeInclusive<f64> = 1e-3..=1e3;

/// A strategy parameter: a finite number within `range`.
fn number(spec: &str, text: &str, range: std::ops::RangeInclusive<f64>) -> Result<f64, String> {
    let x: f64 = text
        .parse()
        .map_err(|_| format!("bad number `{text}` in `{spec}`"))?;
    if !range.contains(&x) {
        return Err(format!(
            "`{spec}`: {text} is outside [{}, {}]",
            range.start(),
            range.end()
        ));
    }
    Ok(x)
}
