//! Exact rational arithmetic for test oracles: utilities, dominance and
//! solution objectives computed without floating point, so an oracle cannot
//! share the code under test's rounding (or its definitions).

use std::cmp::Ordering;
use std::ops::{Add, Div, Mul, Neg, Sub};

/// An exact rational `numerator / denominator`, always reduced, the
/// denominator positive. Arithmetic panics on `i128` overflow (test data
/// is small), never wraps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Q(i128, i128);

fn gcd(a: i128, b: i128) -> i128 {
    if b == 0 {
        a.abs()
    } else {
        gcd(b, a % b)
    }
}

impl Q {
    /// `n / d`. Panics when `d` is 0.
    pub fn new(n: i128, d: i128) -> Q {
        assert!(d != 0, "a rational with denominator 0");
        let g = gcd(n, d).max(1) * d.signum();
        Q(n / g, d / g)
    }

    /// The integer `n`.
    pub fn int(n: i128) -> Q {
        Q(n, 1)
    }

    /// A decimal as written, e.g. `"0.125"` or `"-3"`.
    pub fn dec(s: &str) -> Q {
        let (neg, s) = s.strip_prefix('-').map_or((false, s), |t| (true, t));
        let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
        let den = 10i128.pow(frac.len() as u32);
        let num = whole.parse::<i128>().expect("a decimal") * den
            + if frac.is_empty() {
                0
            } else {
                frac.parse::<i128>().expect("a decimal")
            };
        Q::new(if neg { -num } else { num }, den)
    }

    /// The rational with the smallest denominator up to `max_den` within
    /// 10^-12 of `x`: how an oracle recovers the exact number behind a float
    /// it knows to be a small-denominator fraction. Panics when none is.
    pub fn recover(x: f64, max_den: i128) -> Q {
        for d in 1..=max_den {
            let n = (x * d as f64).round();
            if (n / d as f64 - x).abs() <= 1e-12 {
                return Q::new(n as i128, d);
            }
        }
        panic!("{x} is no fraction with a denominator up to {max_den}")
    }

    /// The numerator (of the reduced form).
    pub fn numer(self) -> i128 {
        self.0
    }

    /// The denominator (of the reduced form; positive).
    pub fn denom(self) -> i128 {
        self.1
    }

    /// The nearest `f64`.
    pub fn to_f64(self) -> f64 {
        self.0 as f64 / self.1 as f64
    }

    /// Zero.
    pub fn zero() -> Q {
        Q(0, 1)
    }

    /// The sum of `items`.
    pub fn sum(items: impl IntoIterator<Item = Q>) -> Q {
        items.into_iter().fold(Q::zero(), |a, b| a + b)
    }

    /// The product of `items`.
    pub fn product(items: impl IntoIterator<Item = Q>) -> Q {
        items.into_iter().fold(Q::int(1), |a, b| a * b)
    }
}

impl Ord for Q {
    fn cmp(&self, o: &Q) -> Ordering {
        (self.0.checked_mul(o.1).expect("overflow"))
            .cmp(&o.0.checked_mul(self.1).expect("overflow"))
    }
}

impl PartialOrd for Q {
    fn partial_cmp(&self, o: &Q) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

fn mul(a: i128, b: i128) -> i128 {
    a.checked_mul(b).expect("rational overflow")
}

impl Add for Q {
    type Output = Q;
    fn add(self, o: Q) -> Q {
        let g = gcd(self.1, o.1);
        let (a, b) = (self.1 / g, o.1 / g);
        Q::new(mul(self.0, b) + mul(o.0, a), mul(self.1, b))
    }
}

impl Neg for Q {
    type Output = Q;
    fn neg(self) -> Q {
        Q(-self.0, self.1)
    }
}

impl Sub for Q {
    type Output = Q;
    fn sub(self, o: Q) -> Q {
        self + (-o)
    }
}

impl Mul for Q {
    type Output = Q;
    fn mul(self, o: Q) -> Q {
        let (g1, g2) = (gcd(self.0, o.1).max(1), gcd(o.0, self.1).max(1));
        Q::new(mul(self.0 / g1, o.0 / g2), mul(self.1 / g2, o.1 / g1))
    }
}

impl Div for Q {
    type Output = Q;
    fn div(self, o: Q) -> Q {
        assert!(o.0 != 0, "division by zero");
        self * Q::new(o.1, o.0)
    }
}

/// `a` Pareto-dominates `b`: at least as good for everyone, better for one.
pub fn dominates(a: &[Q], b: &[Q]) -> bool {
    a.iter().zip(b).all(|(x, y)| x >= y) && a.iter().zip(b).any(|(x, y)| x > y)
}

/// The positions in `among` of rows no other row of `among` dominates
/// (duplicates all kept), in `among`'s order.
pub fn undominated(rows: &[Vec<Q>], among: &[usize]) -> Vec<usize> {
    among
        .iter()
        .copied()
        .filter(|&i| !among.iter().any(|&j| dominates(&rows[j], &rows[i])))
        .collect()
}

/// The members of `among` maximising `score` exactly (every tie).
pub fn argmax(among: &[usize], score: impl Fn(usize) -> Q) -> Vec<usize> {
    let Some(best) = among.iter().map(|&i| score(i)).max() else {
        return vec![];
    };
    among
        .iter()
        .copied()
        .filter(|&i| score(i) == best)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arithmetic_is_exact() {
        assert_eq!(Q::dec("0.1") + Q::dec("0.2"), Q::dec("0.3"));
        assert_eq!(Q::dec("-0.25") * Q::int(4), Q::int(-1));
        assert_eq!(Q::new(2, -4), Q::new(-1, 2));
        assert_eq!(Q::new(1, 3) / Q::new(2, 3), Q::new(1, 2));
        assert!(Q::new(1, 3) < Q::new(34, 100));
        assert_eq!(Q::recover(2.0 / 3.0, 16), Q::new(2, 3));
        assert_eq!(Q::recover(0.1 + 0.2, 10), Q::new(3, 10));
        assert_eq!(Q::sum([Q::new(1, 2), Q::new(1, 3)]), Q::new(5, 6));
    }

    #[test]
    fn dominance_and_ties() {
        let q = |v: &[i128]| v.iter().map(|&x| Q::int(x)).collect::<Vec<_>>();
        assert!(dominates(&q(&[1, 1]), &q(&[1, 0])));
        assert!(!dominates(&q(&[1, 1]), &q(&[1, 1])));
        let rows = vec![q(&[1, 1]), q(&[1, 1]), q(&[2, 0]), q(&[0, 0])];
        assert_eq!(undominated(&rows, &[0, 1, 2, 3]), vec![0, 1, 2]);
        assert_eq!(argmax(&[0, 1, 2], |i| Q::int([3, 5, 5][i])), vec![1, 2]);
    }

    #[test]
    #[should_panic(expected = "no fraction")]
    fn recovering_an_irrational_float_fails() {
        Q::recover(std::f64::consts::PI, 50);
    }
}
