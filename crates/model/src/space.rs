//! Outcome spaces: the Cartesian product of the issues' options.
//!
//! A package (outcome) is one option per issue. Packages are numbered in
//! mixed-radix order with the **last issue varying fastest** (the order of
//! `itertools.product`, as NegMAS enumerates), so package 0 is the first option
//! of every issue.

use std::ops::ControlFlow;

use crate::utility::UtilityModel;

/// Default refusal limit for enumerating an outcome space.
pub const DEFAULT_LIMIT: u64 = 10_000_000;

/// Errors building an outcome space.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SpaceError {
    /// More packages than the caller allows enumerating.
    #[error(
        "the outcome space has {} packages, above the enumeration limit of {limit}",
        size.map_or_else(|| "more than 3.4e38".to_string(), |s| s.to_string())
    )]
    TooLarge {
        /// Exact size, or `None` when it does not even fit in 128 bits.
        size: Option<u128>,
        /// The limit in force.
        limit: u64,
    },
    /// Some issue has no options.
    #[error("issue {0} has no options")]
    EmptyIssue(usize),
    /// More packages than 64-bit package numbers can name.
    #[error(
        "the outcome space has {} packages, more than 64-bit package numbers can name \
         (18446744073709551615); reduce issues/options",
        size.map_or_else(|| "more than 3.4e38".to_string(), |s| s.to_string())
    )]
    Unnumbered {
        /// Exact size, or `None` when it does not even fit in 128 bits.
        size: Option<u128>,
    },
}

/// Number of packages of a product of issues with these option counts.
/// `None` if it overflows `u128`.
pub fn space_size(radices: &[usize]) -> Option<u128> {
    radices
        .iter()
        .try_fold(1u128, |acc, &r| acc.checked_mul(r as u128))
}

/// An enumerable outcome space (size known to be within a limit).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutcomeSpace {
    radices: Vec<usize>,
    strides: Vec<u64>,
    size: u64,
}

impl OutcomeSpace {
    /// The space of `radices` (options per issue), refused when larger than
    /// `limit` packages. Nothing proportional to the size is allocated.
    pub fn new(radices: &[usize], limit: u64) -> Result<Self, SpaceError> {
        let space = Self::numbered(radices)?;
        if space.size > limit {
            return Err(SpaceError::TooLarge {
                size: Some(space.size.into()),
                limit,
            });
        }
        Ok(space)
    }

    /// The space of `radices`, whatever its size as long as its packages can
    /// be numbered in 64 bits: for methods that never walk it (the caller
    /// bounds its own work). Nothing proportional to the size is allocated.
    pub fn numbered(radices: &[usize]) -> Result<Self, SpaceError> {
        if let Some(i) = radices.iter().position(|&r| r == 0) {
            return Err(SpaceError::EmptyIssue(i));
        }
        let size = space_size(radices);
        let size = match size {
            Some(s) if s <= u64::MAX as u128 => s as u64,
            _ => return Err(SpaceError::Unnumbered { size }),
        };
        let mut strides = vec![1u64; radices.len()];
        for i in (0..radices.len().saturating_sub(1)).rev() {
            strides[i] = strides[i + 1] * radices[i + 1] as u64;
        }
        Ok(OutcomeSpace {
            radices: radices.to_vec(),
            strides,
            size,
        })
    }

    /// Number of packages.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Options per issue.
    pub fn radices(&self) -> &[usize] {
        &self.radices
    }

    /// Index step of each issue's option (mixed-radix place values).
    pub fn strides(&self) -> &[u64] {
        &self.strides
    }

    /// Number of issues.
    pub fn n_issues(&self) -> usize {
        self.radices.len()
    }

    /// The options of package `index` (`index < size`).
    pub fn decode(&self, index: u64, out: &mut [usize]) {
        let mut rest = index;
        for (i, &s) in self.strides.iter().enumerate() {
            out[i] = (rest / s) as usize;
            rest %= s;
        }
    }

    /// The options of package `index` as a new vector.
    pub fn options_of(&self, index: u64) -> Vec<usize> {
        let mut v = vec![0; self.radices.len()];
        self.decode(index, &mut v);
        v
    }

    /// The index of the package with these options.
    pub fn encode(&self, options: &[usize]) -> u64 {
        options
            .iter()
            .zip(&self.strides)
            .map(|(&o, &s)| o as u64 * s)
            .sum()
    }

    /// Visit every package of the sub-space `choices[0] × … × choices[n-1]`
    /// (each list ascending option indices of one issue) in index order, with
    /// its utilities for every actor. Stops early when `f` breaks.
    ///
    /// Utilities are summed issue by issue from 0.0, then the interaction
    /// terms added, exactly as [`UtilityModel::utilities`] does, so both give
    /// identical floats.
    pub fn for_each<F>(&self, model: &UtilityModel, choices: &[Vec<usize>], mut f: F)
    where
        F: FnMut(u64, &[usize], &[f64]) -> ControlFlow<()>,
    {
        let k = self.radices.len();
        let m = model.n_actors();
        debug_assert_eq!(choices.len(), k);
        if choices.iter().any(|c| c.is_empty()) {
            return;
        }
        // partial[l * m .. (l+1) * m]: utility of the first l issues' chosen options.
        let mut partial = vec![0.0f64; (k + 1) * m];
        let mut digit = vec![0usize; k];
        let mut options: Vec<usize> = choices.iter().map(|c| c[0]).collect();
        let mut index: u64 = self.encode(&options);
        let refill = |partial: &mut [f64], options: &[usize], from: usize| {
            for l in from..k {
                let c = model.contribution(l, options[l]);
                let (lo, hi) = partial.split_at_mut((l + 1) * m);
                for a in 0..m {
                    hi[a] = lo[l * m + a] + c[a];
                }
            }
        };
        refill(&mut partial, &options, 0);
        // With interaction terms, each package's utilities are the additive
        // sum plus its terms, added in this buffer.
        let mut full = vec![0.0f64; m];
        loop {
            let u = if model.is_additive() {
                &partial[k * m..]
            } else {
                full.copy_from_slice(&partial[k * m..]);
                model.add_terms(&options, &mut full);
                &full[..]
            };
            if f(index, &options, u).is_break() {
                return;
            }
            // Odometer increment, last issue fastest.
            let mut l = k;
            loop {
                if l == 0 {
                    return;
                }
                l -= 1;
                let old = options[l];
                digit[l] += 1;
                if digit[l] < choices[l].len() {
                    options[l] = choices[l][digit[l]];
                    index =
                        index - old as u64 * self.strides[l] + options[l] as u64 * self.strides[l];
                    break;
                }
                digit[l] = 0;
                options[l] = choices[l][0];
                index = index - old as u64 * self.strides[l] + options[l] as u64 * self.strides[l];
            }
            refill(&mut partial, &options, l);
        }
    }

    /// Every option of every issue: the choices of the whole space.
    pub fn all_choices(&self) -> Vec<Vec<usize>> {
        self.radices.iter().map(|&r| (0..r).collect()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encode_decode_roundtrip_and_order() {
        let s = OutcomeSpace::new(&[2, 3, 4], 100).unwrap();
        assert_eq!(s.size(), 24);
        assert_eq!(s.options_of(0), vec![0, 0, 0]);
        assert_eq!(s.options_of(1), vec![0, 0, 1], "last issue varies fastest");
        assert_eq!(s.options_of(4), vec![0, 1, 0]);
        for i in 0..24 {
            assert_eq!(s.encode(&s.options_of(i)), i);
        }
    }

    #[test]
    fn too_large_is_refused_with_size_and_limit() {
        let e = OutcomeSpace::new(&[10; 8], 10_000_000).unwrap_err();
        assert_eq!(
            e,
            SpaceError::TooLarge {
                size: Some(100_000_000),
                limit: 10_000_000
            }
        );
        assert!(e.to_string().contains("100000000"));
        // Beyond 64-bit package numbers, whatever the limit.
        let e = OutcomeSpace::new(&[usize::MAX; 8], 10).unwrap_err();
        assert_eq!(e, SpaceError::Unnumbered { size: None });
        let e = OutcomeSpace::numbered(&[10; 20]).unwrap_err();
        assert_eq!(
            e,
            SpaceError::Unnumbered {
                size: Some(10u128.pow(20))
            }
        );
        assert_eq!(
            OutcomeSpace::numbered(&[10; 19]).unwrap().size(),
            10u64.pow(19)
        );
        assert_eq!(
            OutcomeSpace::new(&[3, 0], 10).unwrap_err(),
            SpaceError::EmptyIssue(1)
        );
    }
}
