//! SM3 of many messages at once, one message per SIMD lane: for checking a journal's seals in
//! bulk.
//!
//! Each journal line is sealed with SM3(prev || body), where `prev` is the hash of the line
//! before. Verifying need not be sequential, though: every line carries its hash, so line i's
//! seal can be checked against line i-1's *stored* hash (a line whose stored hash is wrong fails
//! its own check). The messages are independent, and SM3's compression function is plain 32-bit
//! arithmetic, so one vector register can hold the same state word of 8 (AVX2) or 16 (AVX-512)
//! messages and each instruction advances all of them. One message's 64 rounds are a chain of
//! dependent steps that a core cannot widen; many messages side by side can.
//!
//! The paths, chosen at run time on what the CPU has:
//! - AVX-512F: 16 lanes; a rotation and each three-input boolean function is one instruction
//!   (`vprold`, `vpternlogd`), and 32 registers hold most of the message schedule.
//! - AVX2: 8 lanes; a rotation is two shifts and an OR.
//! - Anywhere else, or with neither: the `sm3` crate, one message after another.
//!
//! Lines differ in length, so each lane keeps its own cursor: every step, each busy lane gives
//! its next 64-byte block; a lane whose message has ended hands back its digest and takes the
//! next job. Idle lanes at the end compute garbage that is thrown away.

use sm3::{Digest, Sm3};

use super::journal::Hash;

/// One hash to compute: SM3 of `prefix || body`.
type Job<'a> = (&'a Hash, &'a [u8]);

/// SM3 of `prefix || body` for each job, as `sm3::Sm3` gives one at a time; out[i] for jobs[i].
///
/// `out` is cleared, then filled in the jobs' order. The fastest path the CPU has is taken.
pub(crate) fn chain_many(jobs: &[(&Hash, &[u8])], out: &mut Vec<Hash>) {
    #[cfg(target_arch = "x86_64")]
    {
        // One job alone is faster in the scalar path (a 16-lane step costs more than one block
        // with the `sm3` crate); from two on, the vectors win.
        if jobs.len() > 1 && std::arch::is_x86_feature_detected!("avx512f") {
            // SAFETY: the CPU has AVX-512F, checked just above.
            return unsafe { lanes::x16::chain_many(jobs, out) };
        }
        if jobs.len() > 1 && std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has AVX2, checked just above.
            return unsafe { lanes::x8::chain_many(jobs, out) };
        }
    }
    chain_many_scalar(jobs, out);
}

/// The `sm3` crate, one job after another: the path every CPU has, and the reference.
fn chain_many_scalar(jobs: &[Job], out: &mut Vec<Hash>) {
    out.clear();
    out.extend(jobs.iter().map(|&(prefix, body)| chain_one(prefix, body)));
}

fn chain_one(prefix: &Hash, body: &[u8]) -> Hash {
    let mut h = Sm3::new();
    h.update(prefix);
    h.update(body);
    h.finalize().into()
}

#[cfg(target_arch = "x86_64")]
mod lanes {
    //! The lane scheduler and the compression function over vectors: x86_64 only.

    use super::{Hash, Job};

    /// The prefix every message starts with: the previous line's hash.
    const PREFIX_LEN: usize = 32;

    /// SM3's initial value (GB/T 32905-2016, 4.1).
    const IV: [u32; 8] = [
        0x7380_166f,
        0x4914_b2b9,
        0x1724_42d7,
        0xda8a_0600,
        0xa96f_30bc,
        0x1631_38aa,
        0xe38d_ee4d,
        0xb0fb_0e4e,
    ];

    /// Round j's constant T_j, already rotated left by j mod 32 as the round uses it. (Seen by
    /// the tests.)
    pub(super) const T: [u32; 64] = round_constants();

    const fn round_constants() -> [u32; 64] {
        let mut t = [0; 64];
        let mut j = 0;
        while j < 64 {
            let base: u32 = if j < 16 { 0x79cc_4519 } else { 0x7a87_9d8a };
            t[j] = base.rotate_left(j as u32 % 32);
            j += 1;
        }
        t
    }

    /// What an idle lane hashes, for nothing.
    static IDLE: [u8; 64] = [0; 64];

    /// The chaining values of every lane, word-major: `state[i][lane]` is that lane's word i.
    type State<const L: usize> = [[u32; L]; 8];
    /// Each lane's next block, as SM3 reads it (its words big-endian).
    type Blocks<'a, const L: usize> = [&'a [u8; 64]; L];

    /// A message in flight in one lane: which job, and which of its blocks comes next.
    #[derive(Clone, Copy)]
    struct Cursor {
        job: usize,
        block: usize,
        blocks: usize,
    }

    /// How many 64-byte blocks SM3 pads a message of `len` bytes to: the message, the 0x80 byte
    /// and the 8-byte length, rounded up.
    fn padded_blocks(len: usize) -> usize {
        (len + 1 + 8).div_ceil(64)
    }

    /// Runs every job through `compress`, L lanes at a time, and writes the digests to `out`.
    ///
    /// `compress` advances each lane's chaining value by that lane's block.
    fn run<const L: usize>(
        jobs: &[Job],
        out: &mut Vec<Hash>,
        mut compress: impl FnMut(&mut State<L>, &Blocks<L>),
    ) {
        out.clear();
        out.resize(jobs.len(), [0; 32]);
        let mut pending = 0..jobs.len();
        let mut state: State<L> = [[0; L]; 8];
        let mut cursors: [Option<Cursor>; L] = [None; L];
        for (lane, cursor) in cursors.iter_mut().enumerate() {
            *cursor = begin(jobs, pending.next(), &mut state, lane);
        }
        let mut scratch = [[0; 64]; L];
        while cursors.iter().any(Option::is_some) {
            let mut blocks: Blocks<L> = [&IDLE; L];
            for ((block, cursor), scratch) in blocks.iter_mut().zip(&cursors).zip(&mut scratch) {
                if let Some(c) = cursor {
                    let (prefix, body) = jobs[c.job];
                    *block = padded_block(prefix, body, c.block, scratch);
                }
            }
            compress(&mut state, &blocks);
            for (lane, cursor) in cursors.iter_mut().enumerate() {
                let Some(c) = cursor else { continue };
                c.block += 1;
                if c.block == c.blocks {
                    out[c.job] = digest(&state, lane);
                    *cursor = begin(jobs, pending.next(), &mut state, lane);
                }
            }
        }
    }

    /// Starts job `job` (none: the lane goes idle) in `lane`: its chaining value is the IV.
    fn begin<const L: usize>(
        jobs: &[Job],
        job: Option<usize>,
        state: &mut State<L>,
        lane: usize,
    ) -> Option<Cursor> {
        let job = job?;
        for (row, iv) in state.iter_mut().zip(IV) {
            row[lane] = iv;
        }
        Some(Cursor {
            job,
            block: 0,
            blocks: padded_blocks(PREFIX_LEN + jobs[job].1.len()),
        })
    }

    /// Block `index` of the padded message `prefix || body || 0x80 || 0.. || bit length`.
    ///
    /// A block wholly inside the body is borrowed from it; any other is built in `scratch`.
    fn padded_block<'a>(
        prefix: &Hash,
        body: &'a [u8],
        index: usize,
        scratch: &'a mut [u8; 64],
    ) -> &'a [u8; 64] {
        let start = index * 64;
        let len = PREFIX_LEN + body.len();
        if let Some(inside) = start
            .checked_sub(PREFIX_LEN)
            .and_then(|at| body.get(at..at + 64))
            .and_then(|bytes| <&[u8; 64]>::try_from(bytes).ok())
        {
            return inside;
        }
        scratch.fill(0);
        copy_overlap(prefix, 0, start, scratch);
        copy_overlap(body, PREFIX_LEN, start, scratch);
        if let Some(end) = len.checked_sub(start).filter(|&at| at < 64) {
            scratch[end] = 0x80;
        }
        if index + 1 == padded_blocks(len) {
            let bits = (len as u64).wrapping_mul(8);
            scratch[56..].copy_from_slice(&bits.to_be_bytes());
        }
        scratch
    }

    /// Copies the part of `src`, which sits at message offset `at`, that falls in the block
    /// starting at message offset `start`.
    fn copy_overlap(src: &[u8], at: usize, start: usize, block: &mut [u8; 64]) {
        let lo = at.max(start);
        let hi = (at + src.len()).min(start + 64);
        if lo < hi {
            block[lo - start..hi - start].copy_from_slice(&src[lo - at..hi - at]);
        }
    }

    /// `lane`'s chaining value as the digest's bytes.
    fn digest<const L: usize>(state: &State<L>, lane: usize) -> Hash {
        let mut out = [0; 32];
        for (bytes, row) in out.chunks_exact_mut(4).zip(state) {
            bytes.copy_from_slice(&row[lane].to_be_bytes());
        }
        out
    }

    /// The compression function over vectors of lanes, written once for both vector widths:
    /// `compress(state, blocks)` advances every lane's chaining value by its block.
    ///
    /// The invoking module supplies `V` (the vector type), `LANES`, `load`, `store`, `splat`,
    /// `add`, `xor`, `xor3`, `majority`, `choose`, `rol::<N, 32 - N>` and `message_words` (the
    /// blocks' words, transposed to one vector per word), each with the feature `$feature`.
    macro_rules! compression {
        ($feature:literal) => {
            #[target_feature(enable = $feature)]
            fn compress(state: &mut State<LANES>, blocks: &Blocks<LANES>) {
                let v: [V; 8] = std::array::from_fn(|i| load(&state[i]));
                let mut w = message_words(blocks);
                let mut s = v;
                // Unrolled, so that the schedule's indices are constants and `w` can stay in
                // registers.
                rounds!(s, w; 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25
                    26 27 28 29 30 31 32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 49 50 51 52
                    53 54 55 56 57 58 59 60 61 62 63);
                for ((row, old), new) in state.iter_mut().zip(v).zip(s) {
                    store(xor(old, new), row);
                }
            }

            /// Round J: updates the state `s`; first extends the schedule `w` (W[i] at i mod 16)
            /// with W[J + 4], which W'[J] needs.
            #[target_feature(enable = $feature)]
            fn round<const J: usize>(s: &mut [V; 8], w: &mut [V; 16]) {
                if J >= 12 {
                    w[(J + 4) % 16] = expand(w, J + 4);
                }
                let [a, b, c, d, e, f, g, h] = *s;
                let a12 = rol::<12, 20>(a);
                let ss1 = rol::<7, 25>(add(add(a12, e), splat(T[J])));
                let ss2 = xor(ss1, a12);
                // FF and GG are XOR for the first 16 rounds, majority and choice after.
                let (ff, gg) = if J < 16 {
                    (xor3(a, b, c), xor3(e, f, g))
                } else {
                    (majority(a, b, c), choose(e, f, g))
                };
                let w_j = w[J % 16];
                let tt1 = add(add(ff, d), add(ss2, xor(w_j, w[(J + 4) % 16])));
                let tt2 = add(add(gg, h), add(ss1, w_j));
                *s = [tt1, a, rol::<9, 23>(b), c, p0(tt2), e, rol::<19, 13>(f), g];
            }

            /// W[j] from the 16 before it, which `w` holds at their index mod 16.
            #[target_feature(enable = $feature)]
            fn expand(w: &[V; 16], j: usize) -> V {
                let x = xor3(w[(j - 16) % 16], w[(j - 9) % 16], rol::<15, 17>(w[(j - 3) % 16]));
                xor3(p1(x), rol::<7, 25>(w[(j - 13) % 16]), w[(j - 6) % 16])
            }

            #[target_feature(enable = $feature)]
            fn p0(x: V) -> V {
                xor3(x, rol::<9, 23>(x), rol::<17, 15>(x))
            }

            #[target_feature(enable = $feature)]
            fn p1(x: V) -> V {
                xor3(x, rol::<15, 17>(x), rol::<23, 9>(x))
            }
        };
    }

    /// `round::<j>` for each j listed, in order.
    macro_rules! rounds {
        ($s:ident, $w:ident; $($j:literal)*) => {
            $( round::<$j>(&mut $s, &mut $w); )*
        };
    }

    /// 16 lanes in AVX-512 registers.
    pub(super) mod x16 {
        use std::arch::x86_64::*;

        use super::{Blocks, Hash, State, T};

        type V = __m512i;
        const LANES: usize = 16;

        /// [`chain_many`](crate::ledger::sm3x::chain_many) on 16 lanes. Callers make sure the
        /// CPU has AVX-512F.
        #[target_feature(enable = "avx512f")]
        pub(in crate::ledger::sm3x) fn chain_many(jobs: &[(&Hash, &[u8])], out: &mut Vec<Hash>) {
            super::run::<LANES>(jobs, out, |state, blocks| compress(state, blocks));
        }

        compression!("avx512f");

        /// The blocks' big-endian words, one vector per word: a 16 x 16 transpose.
        #[target_feature(enable = "avx512f")]
        fn message_words(blocks: &Blocks<LANES>) -> [V; 16] {
            let rows: [V; 16] =
                std::array::from_fn(|lane| from_big_endian(load_bytes(blocks[lane])));
            // Each 128-bit quarter holds 4 words: interleave the rows' words in pairs, then in
            // fours, so that quarter q of u[4k + m] is word 4q + m of rows 4k..4k + 4.
            let t: [V; 16] = std::array::from_fn(|i| {
                let (x, y) = (rows[i & !1], rows[i | 1]);
                if i % 2 == 0 {
                    _mm512_unpacklo_epi32(x, y)
                } else {
                    _mm512_unpackhi_epi32(x, y)
                }
            });
            let u: [V; 16] = std::array::from_fn(|i| {
                let (k, m) = (i / 4 * 4, i % 4);
                let (x, y) = (t[k + m / 2], t[k + m / 2 + 2]);
                if m % 2 == 0 {
                    _mm512_unpacklo_epi64(x, y)
                } else {
                    _mm512_unpackhi_epi64(x, y)
                }
            });
            // Then gather the quarters: word 4q + m is quarter q of u[m], u[4 + m], u[8 + m] and
            // u[12 + m], in that order.
            let mut words = [_mm512_setzero_si512(); 16];
            for m in 0..4 {
                let halves_01 = _mm512_shuffle_i32x4::<0x44>(u[m], u[4 + m]);
                let halves_23 = _mm512_shuffle_i32x4::<0xee>(u[m], u[4 + m]);
                let halves_45 = _mm512_shuffle_i32x4::<0x44>(u[8 + m], u[12 + m]);
                let halves_67 = _mm512_shuffle_i32x4::<0xee>(u[8 + m], u[12 + m]);
                words[m] = _mm512_shuffle_i32x4::<0x88>(halves_01, halves_45);
                words[4 + m] = _mm512_shuffle_i32x4::<0xdd>(halves_01, halves_45);
                words[8 + m] = _mm512_shuffle_i32x4::<0x88>(halves_23, halves_67);
                words[12 + m] = _mm512_shuffle_i32x4::<0xdd>(halves_23, halves_67);
            }
            words
        }

        /// Swaps each word's bytes (AVX-512F has no byte shuffle): the bytes rotated left by 8
        /// land right in bytes 0 and 2, those rotated by 24 in bytes 1 and 3.
        #[target_feature(enable = "avx512f")]
        fn from_big_endian(x: V) -> V {
            let mask = _mm512_set1_epi32(0x00ff_00ff);
            choose(mask, rol::<8, 24>(x), rol::<24, 8>(x))
        }

        #[target_feature(enable = "avx512f")]
        fn load_bytes(block: &[u8; 64]) -> V {
            // SAFETY: `block` is 64 readable bytes, and the load is unaligned.
            unsafe { _mm512_loadu_si512(block.as_ptr().cast()) }
        }

        #[target_feature(enable = "avx512f")]
        fn load(row: &[u32; LANES]) -> V {
            // SAFETY: `row` is 64 readable bytes, and the load is unaligned.
            unsafe { _mm512_loadu_si512(row.as_ptr().cast()) }
        }

        #[target_feature(enable = "avx512f")]
        fn store(x: V, row: &mut [u32; LANES]) {
            // SAFETY: `row` is 64 writable bytes, and the store is unaligned.
            unsafe { _mm512_storeu_si512(row.as_mut_ptr().cast(), x) }
        }

        #[target_feature(enable = "avx512f")]
        fn splat(x: u32) -> V {
            _mm512_set1_epi32(x as i32)
        }

        #[target_feature(enable = "avx512f")]
        fn add(x: V, y: V) -> V {
            _mm512_add_epi32(x, y)
        }

        #[target_feature(enable = "avx512f")]
        fn xor(x: V, y: V) -> V {
            _mm512_xor_si512(x, y)
        }

        /// The truth tables below index by (x << 2 | y << 1 | z).
        #[target_feature(enable = "avx512f")]
        fn xor3(x: V, y: V, z: V) -> V {
            _mm512_ternarylogic_epi32::<0x96>(x, y, z)
        }

        #[target_feature(enable = "avx512f")]
        fn majority(x: V, y: V, z: V) -> V {
            _mm512_ternarylogic_epi32::<0xe8>(x, y, z)
        }

        /// y where x is set, z elsewhere.
        #[target_feature(enable = "avx512f")]
        fn choose(x: V, y: V, z: V) -> V {
            _mm512_ternarylogic_epi32::<0xca>(x, y, z)
        }

        /// Rotates each lane left by N (R = 32 - N is the AVX2 path's; here only checked).
        #[target_feature(enable = "avx512f")]
        fn rol<const N: i32, const R: i32>(x: V) -> V {
            const { assert!(N + R == 32) };
            _mm512_rol_epi32::<N>(x)
        }
    }

    /// 8 lanes in AVX2 registers.
    pub(super) mod x8 {
        use std::arch::x86_64::*;

        use super::{Blocks, Hash, State, T};

        type V = __m256i;
        const LANES: usize = 8;

        /// [`chain_many`](crate::ledger::sm3x::chain_many) on 8 lanes. Callers make sure the CPU
        /// has AVX2.
        #[target_feature(enable = "avx2")]
        pub(in crate::ledger::sm3x) fn chain_many(jobs: &[(&Hash, &[u8])], out: &mut Vec<Hash>) {
            super::run::<LANES>(jobs, out, |state, blocks| compress(state, blocks));
        }

        compression!("avx2");

        /// The blocks' big-endian words, one vector per word: two 8 x 8 transposes.
        #[target_feature(enable = "avx2")]
        fn message_words(blocks: &Blocks<LANES>) -> [V; 16] {
            let swap = _mm256_setr_epi8(
                3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12, 3, 2, 1, 0, 7, 6, 5, 4, 11,
                10, 9, 8, 15, 14, 13, 12,
            );
            let mut words = [_mm256_setzero_si256(); 16];
            for half in 0..2 {
                let rows: [V; 8] = std::array::from_fn(|lane| {
                    let bytes = &blocks[lane][32 * half..32 * half + 32];
                    _mm256_shuffle_epi8(load_bytes(bytes), swap)
                });
                let t = transpose8(rows);
                words[8 * half..8 * half + 8].copy_from_slice(&t);
            }
            words
        }

        /// Rows of 8 words to one vector per word.
        #[target_feature(enable = "avx2")]
        fn transpose8(rows: [V; 8]) -> [V; 8] {
            // Each 128-bit half holds 4 words: interleave in pairs, then in fours, so that half h
            // of u[4k + m] is word 4h + m of rows 4k..4k + 4.
            let t: [V; 8] = std::array::from_fn(|i| {
                let (x, y) = (rows[i & !1], rows[i | 1]);
                if i % 2 == 0 {
                    _mm256_unpacklo_epi32(x, y)
                } else {
                    _mm256_unpackhi_epi32(x, y)
                }
            });
            let u: [V; 8] = std::array::from_fn(|i| {
                let (k, m) = (i / 4 * 4, i % 4);
                let (x, y) = (t[k + m / 2], t[k + m / 2 + 2]);
                if m % 2 == 0 {
                    _mm256_unpacklo_epi64(x, y)
                } else {
                    _mm256_unpackhi_epi64(x, y)
                }
            });
            std::array::from_fn(|word| {
                let m = word % 4;
                if word < 4 {
                    _mm256_permute2x128_si256::<0x20>(u[m], u[4 + m])
                } else {
                    _mm256_permute2x128_si256::<0x31>(u[m], u[4 + m])
                }
            })
        }

        #[target_feature(enable = "avx2")]
        fn load_bytes(bytes: &[u8]) -> V {
            assert_eq!(bytes.len(), 32, "a vector's worth");
            // SAFETY: `bytes` is 32 readable bytes (asserted), and the load is unaligned.
            unsafe { _mm256_loadu_si256(bytes.as_ptr().cast()) }
        }

        #[target_feature(enable = "avx2")]
        fn load(row: &[u32; LANES]) -> V {
            // SAFETY: `row` is 32 readable bytes, and the load is unaligned.
            unsafe { _mm256_loadu_si256(row.as_ptr().cast()) }
        }

        #[target_feature(enable = "avx2")]
        fn store(x: V, row: &mut [u32; LANES]) {
            // SAFETY: `row` is 32 writable bytes, and the store is unaligned.
            unsafe { _mm256_storeu_si256(row.as_mut_ptr().cast(), x) }
        }

        #[target_feature(enable = "avx2")]
        fn splat(x: u32) -> V {
            _mm256_set1_epi32(x as i32)
        }

        #[target_feature(enable = "avx2")]
        fn add(x: V, y: V) -> V {
            _mm256_add_epi32(x, y)
        }

        #[target_feature(enable = "avx2")]
        fn xor(x: V, y: V) -> V {
            _mm256_xor_si256(x, y)
        }

        #[target_feature(enable = "avx2")]
        fn xor3(x: V, y: V, z: V) -> V {
            xor(xor(x, y), z)
        }

        /// Where y and z agree, that bit; elsewhere x's.
        #[target_feature(enable = "avx2")]
        fn majority(x: V, y: V, z: V) -> V {
            xor(_mm256_and_si256(xor(y, z), xor(x, y)), y)
        }

        /// y where x is set, z elsewhere.
        #[target_feature(enable = "avx2")]
        fn choose(x: V, y: V, z: V) -> V {
            xor(_mm256_and_si256(xor(y, z), x), z)
        }

        /// Rotates each lane left by N; R is 32 - N, as the shift needs it spelled out.
        #[target_feature(enable = "avx2")]
        fn rol<const N: i32, const R: i32>(x: V) -> V {
            const { assert!(N + R == 32) };
            _mm256_or_si256(_mm256_slli_epi32::<N>(x), _mm256_srli_epi32::<R>(x))
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::ledger::journal::{self, SEAL_LEN};

    type Path = fn(&[(&Hash, &[u8])], &mut Vec<Hash>);

    /// Every path this CPU can run, each called directly, and the dispatcher.
    fn paths() -> Vec<(&'static str, Path)> {
        let mut paths: Vec<(&'static str, Path)> = vec![("chain_many", chain_many)];
        paths.extend(vector_paths());
        paths
    }

    #[cfg(not(target_arch = "x86_64"))]
    fn vector_paths() -> Vec<(&'static str, Path)> {
        Vec::new()
    }

    #[cfg(target_arch = "x86_64")]
    fn vector_paths() -> Vec<(&'static str, Path)> {
        let mut paths: Vec<(&'static str, Path)> = Vec::new();
        if std::arch::is_x86_feature_detected!("avx512f") {
            paths.push(("avx512", |jobs, out| {
                // SAFETY: only pushed when the CPU has AVX-512F.
                unsafe { lanes::x16::chain_many(jobs, out) }
            }));
        }
        if std::arch::is_x86_feature_detected!("avx2") {
            paths.push(("avx2", |jobs, out| {
                // SAFETY: only pushed when the CPU has AVX2.
                unsafe { lanes::x8::chain_many(jobs, out) }
            }));
        }
        paths
    }

    /// Checks every path against the `sm3` crate on these (prefix, body) pairs.
    fn check(messages: &[(Hash, Vec<u8>)]) {
        let jobs: Vec<(&Hash, &[u8])> = messages.iter().map(|(p, b)| (p, b.as_slice())).collect();
        let expected: Vec<Hash> = messages.iter().map(|(p, b)| chain_one(p, b)).collect();
        for (name, path) in paths() {
            let mut out = vec![[0xaa; 32]; 3];
            path(&jobs, &mut out);
            assert_eq!(out.len(), jobs.len(), "{name}: one digest per job");
            for (i, (got, want)) in out.iter().zip(&expected).enumerate() {
                assert_eq!(
                    got,
                    want,
                    "{name}: job {i}, body of {} bytes",
                    jobs[i].1.len()
                );
            }
        }
    }

    /// Deterministic bytes, different for each seed.
    fn bytes(seed: u64, len: usize) -> Vec<u8> {
        let mut x = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
        (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect()
    }

    fn message(seed: u64, len: usize) -> (Hash, Vec<u8>) {
        let prefix = bytes(seed + 1_000_000, 32);
        let mut hash = [0; 32];
        hash.copy_from_slice(&prefix);
        (hash, bytes(seed, len))
    }

    #[test]
    #[cfg(target_arch = "x86_64")]
    fn the_round_constants_are_the_standards() {
        use lanes::T;
        assert_eq!(T[0], 0x79cc_4519);
        assert_eq!(T[1], 0xf398_8a32);
        assert_eq!(T[16], 0x7a87_9d8a_u32.rotate_left(16));
        assert_eq!(T[33], 0x7a87_9d8a_u32.rotate_left(1));
        assert_eq!(T[63], 0x7a87_9d8a_u32.rotate_left(31));
    }

    #[test]
    fn an_empty_body_hashes_the_prefix_alone() {
        check(&[message(1, 0)]);
        check(&(0..20).map(|i| message(i, 0)).collect::<Vec<_>>());
    }

    /// 0..=300 bytes crosses every padding edge: with the 32-byte prefix, a body of 23 bytes is
    /// the last to fit one block, 24..=87 take two, and so on.
    #[test]
    fn bodies_of_every_length_up_to_300_bytes() {
        let messages: Vec<_> = (0..=300).map(|len| message(len as u64, len)).collect();
        check(&messages);
        let reversed: Vec<_> = messages.iter().rev().cloned().collect();
        check(&reversed);
        for len in [22, 23, 24, 31, 32, 33, 86, 87, 88, 95, 96, 97] {
            check(&(0..17).map(|i| message(i, len)).collect::<Vec<_>>());
        }
    }

    #[test]
    fn job_counts_that_do_not_fill_the_lanes() {
        for count in [0, 1, 7, 15, 17, 33] {
            let messages: Vec<_> = (0..count)
                .map(|i| message(i as u64, 150 + 37 * i % 200))
                .collect();
            check(&messages);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn any_mix_of_lengths_agrees_with_the_sm3_crate(
            lens in prop::collection::vec(0usize..=2000, 1..=100),
            seed in any::<u64>(),
        ) {
            let messages: Vec<_> = lens
                .iter()
                .enumerate()
                .map(|(i, &len)| message(seed.wrapping_add(i as u64), len))
                .collect();
            check(&messages);
        }
    }

    /// A journal's lines: the header, then the small demo city's first records.
    fn sealed_lines() -> Vec<String> {
        use crate::demo::{self, DemoSpec};
        use crate::ledger::Campaign;
        use crate::rules::RuleSet;
        let mut c = Campaign::in_memory(demo::info(), RuleSet::default()).expect("campaign");
        let mut lines = vec![c.header_line()];
        for cmd in demo::commands(&DemoSpec::small()).iter().take(300) {
            lines.push(c.execute(cmd).expect("a demo command").line);
        }
        lines
            .into_iter()
            .map(|l| l.trim_end_matches('\n').to_owned())
            .collect()
    }

    /// Each line checked against the one before's stored hash, as a parallel verifier would.
    #[test]
    fn sealed_lines_hash_as_unseal_finds() {
        let lines = sealed_lines();
        let mut prevs = vec![[0; 32]];
        for line in &lines {
            prevs.push(journal::stored_hash(line.as_bytes()).expect("a sealed line"));
        }
        let jobs: Vec<(&Hash, &[u8])> = lines
            .iter()
            .zip(&prevs)
            .map(|(line, prev)| (prev, &line.as_bytes()[..line.len() - SEAL_LEN]))
            .collect();
        let unsealed: Vec<Hash> = lines
            .iter()
            .zip(&prevs)
            .map(|(line, prev)| journal::unseal(prev, line.as_bytes()).expect("a good seal"))
            .collect();
        assert_eq!(
            unsealed,
            prevs[1..],
            "each line carries the hash it unseals to"
        );
        for (name, path) in paths() {
            let mut out = Vec::new();
            path(&jobs, &mut out);
            assert_eq!(out, unsealed, "{name}");
        }
    }

    /// Throughput of each path on the demo city's lines and on 240-byte bodies, in chunks of
    /// 2048 as replay would hash them.
    /// `cargo test --release --lib sm3x -- --ignored --nocapture`
    #[test]
    #[ignore = "a measurement, not a check"]
    fn throughput() {
        use crate::demo::{self, DemoSpec};
        use crate::ledger::Campaign;
        use crate::rules::RuleSet;
        let mut c = Campaign::in_memory(demo::info(), RuleSet::default()).expect("campaign");
        let mut journal = c.header_line().into_bytes();
        for cmd in demo::commands(&DemoSpec::seed()) {
            journal.extend_from_slice(c.execute(&cmd).expect("a demo command").line.as_bytes());
        }
        let lines: Vec<&[u8]> = journal
            .split(|&b| b == b'\n')
            .filter(|l| !l.is_empty())
            .collect();
        let mut prevs = vec![[0; 32]];
        prevs.extend(
            lines
                .iter()
                .map(|l| journal::stored_hash(l).unwrap_or_default()),
        );
        let jobs: Vec<(&Hash, &[u8])> = lines
            .iter()
            .zip(&prevs)
            .map(|(line, prev)| (prev, &line[..line.len() - SEAL_LEN]))
            .collect();
        measure("demo city lines", &jobs, 2048);
        let messages: Vec<_> = (0..30_000).map(|i| message(i, 240)).collect();
        let jobs: Vec<(&Hash, &[u8])> = messages.iter().map(|(p, b)| (p, b.as_slice())).collect();
        measure("240-byte bodies", &jobs, 2048);
        // Where the vectors start to pay: see `chain_many`.
        for chunk in [1, 2, 4] {
            measure("240-byte bodies", &jobs, chunk);
        }
    }

    fn measure(what: &str, jobs: &[(&Hash, &[u8])], chunk: usize) {
        let body_bytes: usize = jobs.iter().map(|(_, b)| b.len()).sum();
        let message_bytes = body_bytes + size_of::<Hash>() * jobs.len();
        println!(
            "{what}: {} jobs in chunks of {chunk}, bodies of {:.1} bytes on average",
            jobs.len(),
            body_bytes as f64 / jobs.len() as f64
        );
        let mut all: Vec<(&'static str, Path)> = vec![("scalar", chain_many_scalar)];
        all.extend(paths());
        for (name, path) in all {
            let mut out = Vec::new();
            let mut best = f64::MAX;
            for _ in 0..30 {
                let started = std::time::Instant::now();
                for jobs in jobs.chunks(chunk) {
                    path(jobs, &mut out);
                    std::hint::black_box(&out);
                }
                best = best.min(started.elapsed().as_secs_f64());
            }
            println!(
                "{name:>12}: {:5.0} MB/s of messages, {:5.0} MB/s of bodies",
                message_bytes as f64 / best / 1e6,
                body_bytes as f64 / best / 1e6,
            );
        }
    }
}
