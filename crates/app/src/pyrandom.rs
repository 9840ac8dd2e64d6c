//! Python's `random.Random(seed).sample(range(n), k)`, bit for bit, so that
//! `zopa reference` picks the same sample outcomes as NegMAS's reference
//! script (CPython 3.11: MT19937 seeded by `init_by_array`, `_randbelow` by
//! rejection on `getrandbits`, `sample` by pool or by set).

const N: usize = 624;

/// CPython's Mersenne Twister.
pub struct PyRandom {
    mt: [u32; N],
    index: usize,
}

impl PyRandom {
    /// `random.Random(seed)` for a non-negative integer seed.
    pub fn new(seed: u64) -> Self {
        let mut r = PyRandom {
            mt: [0; N],
            index: N,
        };
        r.init_genrand(19_650_218);
        let key: Vec<u32> = if seed == 0 {
            vec![0]
        } else {
            let mut k = vec![];
            let mut s = seed;
            while s > 0 {
                k.push(s as u32);
                s >>= 32;
            }
            k
        };
        let (mut i, mut j) = (1usize, 0usize);
        for _ in 0..N.max(key.len()) {
            let prev = r.mt[i - 1] ^ (r.mt[i - 1] >> 30);
            r.mt[i] = (r.mt[i] ^ prev.wrapping_mul(1_664_525))
                .wrapping_add(key[j])
                .wrapping_add(j as u32);
            i += 1;
            j += 1;
            if i >= N {
                r.mt[0] = r.mt[N - 1];
                i = 1;
            }
            if j >= key.len() {
                j = 0;
            }
        }
        for _ in 0..N - 1 {
            let prev = r.mt[i - 1] ^ (r.mt[i - 1] >> 30);
            r.mt[i] = (r.mt[i] ^ prev.wrapping_mul(1_566_083_941)).wrapping_sub(i as u32);
            i += 1;
            if i >= N {
                r.mt[0] = r.mt[N - 1];
                i = 1;
            }
        }
        r.mt[0] = 0x8000_0000;
        r
    }

    fn init_genrand(&mut self, s: u32) {
        self.mt[0] = s;
        for i in 1..N {
            let prev = self.mt[i - 1] ^ (self.mt[i - 1] >> 30);
            self.mt[i] = 1_812_433_253u32.wrapping_mul(prev).wrapping_add(i as u32);
        }
        self.index = N;
    }

    fn next_u32(&mut self) -> u32 {
        if self.index >= N {
            for k in 0..N {
                let y = (self.mt[k] & 0x8000_0000) | (self.mt[(k + 1) % N] & 0x7fff_ffff);
                let mut v = self.mt[(k + 397) % N] ^ (y >> 1);
                if y & 1 != 0 {
                    v ^= 0x9908_b0df;
                }
                self.mt[k] = v;
            }
            self.index = 0;
        }
        let mut y = self.mt[self.index];
        self.index += 1;
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c_5680;
        y ^= (y << 15) & 0xefc6_0000;
        y ^ (y >> 18)
    }

    /// `getrandbits(k)` for `1 ≤ k ≤ 64`.
    fn getrandbits(&mut self, k: u32) -> u64 {
        if k <= 32 {
            return (self.next_u32() >> (32 - k)) as u64;
        }
        let lo = self.next_u32() as u64;
        let hi = (self.next_u32() >> (64 - k)) as u64;
        lo | (hi << 32)
    }

    /// `_randbelow(n)` for `n ≥ 1`.
    fn randbelow(&mut self, n: u64) -> u64 {
        let k = 64 - n.leading_zeros();
        loop {
            let r = self.getrandbits(k);
            if r < n {
                return r;
            }
        }
    }

    /// `sample(range(n), k)`.
    pub fn sample_range(&mut self, n: u64, k: usize) -> Vec<u64> {
        assert!(k as u64 <= n);
        let mut setsize = 21u64;
        if k > 5 {
            // 4 ** ceil(log(3k, 4))
            let mut p = 1u64;
            while p < 3 * k as u64 {
                p *= 4;
            }
            setsize += p;
        }
        if n <= setsize {
            let mut pool: Vec<u64> = (0..n).collect();
            (0..k)
                .map(|i| {
                    let j = self.randbelow(n - i as u64) as usize;
                    let v = pool[j];
                    pool[j] = pool[n as usize - i - 1];
                    v
                })
                .collect()
        } else {
            let mut selected = std::collections::HashSet::new();
            (0..k)
                .map(|_| {
                    let mut j = self.randbelow(n);
                    while !selected.insert(j) {
                        j = self.randbelow(n);
                    }
                    j
                })
                .collect()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::PyRandom;

    #[test]
    fn matches_cpython() {
        // python3 -c "import random; print(random.Random(20260401).sample(range(27), 20))"
        assert_eq!(
            PyRandom::new(20260401).sample_range(27, 20),
            vec![0, 25, 11, 7, 15, 1, 23, 4, 13, 12, 9, 6, 24, 8, 22, 20, 17, 10, 18, 3]
        );
        // python3 -c "import random; print(random.Random(20260401).sample(range(390625), 5))"
        assert_eq!(
            PyRandom::new(20260401).sample_range(390625, 5),
            vec![13143, 192288, 124431, 255803, 16975]
        );
    }
}
