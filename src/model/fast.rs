//! Fast hashing and dense sets, for the state's lookups by identifier and the figures' counting
//! by index.
//!
//! The standard library's SipHash resists hash flooding by chosen keys; the figures' sets are
//! keyed by indexes and periods the ledger assigned, never by text a caller chose, and the
//! identifiers come from authenticated hosts with bounded lengths, so a multiply-rotate hash (the
//! Fx hash of rustc) is safe here and several times faster.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};

/// The Fx hash: for keys made of the state's indexes and dates only.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct IdxHasher(u64);

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl IdxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for IdxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
    }
    #[inline]
    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }
    #[inline]
    fn write_u16(&mut self, n: u16) {
        self.add(u64::from(n));
    }
    #[inline]
    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }
    #[inline]
    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }
    #[inline]
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
    #[inline]
    fn write_i8(&mut self, n: i8) {
        self.add(n as u64);
    }
    #[inline]
    fn write_i16(&mut self, n: i16) {
        self.add(n as u64);
    }
    #[inline]
    fn write_i32(&mut self, n: i32) {
        self.add(n as u64);
    }
    #[inline]
    fn write_isize(&mut self, n: isize) {
        self.add(n as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

/// A set of indexes and dates.
pub(crate) type IdxSet<K> = HashSet<K, BuildHasherDefault<IdxHasher>>;

/// A set of small indexes (`0..len`), one bit each.
#[derive(Debug, Clone)]
pub(crate) struct Bits(Vec<u64>);

impl Bits {
    /// An empty set for indexes below `len`.
    pub(crate) fn new(len: usize) -> Bits {
        Bits(vec![0; len.div_ceil(64)])
    }

    /// Adds `i`; whether it was new. Indexes past the set's length are never new.
    #[inline]
    pub(crate) fn insert(&mut self, i: usize) -> bool {
        let Some(word) = self.0.get_mut(i / 64) else {
            return false;
        };
        let bit = 1u64 << (i % 64);
        let new = *word & bit == 0;
        *word |= bit;
        new
    }

    /// Whether `i` is in the set.
    #[inline]
    pub(crate) fn contains(&self, i: usize) -> bool {
        self.0
            .get(i / 64)
            .is_some_and(|w| w & (1u64 << (i % 64)) != 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bits_insert_once_and_ignore_what_is_out_of_range() {
        let mut b = Bits::new(130);
        assert!(b.insert(0));
        assert!(!b.insert(0));
        assert!(b.insert(129));
        assert!(b.contains(129) && b.contains(0) && !b.contains(64));
        assert!(!b.insert(130 + 64));
        assert!(!b.contains(1000));
    }

    #[test]
    fn the_fast_sets_hold_what_they_are_given() {
        let mut m: IdxSet<(u32, u32)> = IdxSet::default();
        let new = (0..10_000u32)
            .filter(|i| m.insert((i % 97, i % 89)))
            .count();
        assert_eq!(new, 97 * 89);
        assert_eq!(m.len(), 97 * 89);
        assert!(m.contains(&(96, 88)) && !m.contains(&(97, 0)));
    }
}

/// FxHash (the multiply-rotate hash rustc uses) over text: several times faster than SipHash on
/// short identifiers. It is not keyed, so a host able to choose identifiers at will could make
/// lookups slow; identifiers come from authenticated host systems, and every length is bounded.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0xf135_7aea_2e62_a9c5;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let word = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
            self.0 = (self.0.rotate_left(26) ^ word).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(26) ^ u64::from(b)).wrapping_mul(K);
        }
    }
    fn write_u8(&mut self, b: u8) {
        self.write(&[b]);
    }
    fn finish(&self) -> u64 {
        // The high bits carry the mixing; hashbrown takes its control bits from the top.
        self.0.rotate_left(20)
    }
}

/// A map keyed by external identifiers.
pub(crate) type IdMap<V> =
    std::collections::HashMap<crate::model::ExtId, V, BuildHasherDefault<FxHasher>>;
