// SPDX-License-Identifier: Apache-2.0
#ifndef RLPX_KECCAK_SINGLE_H
#define RLPX_KECCAK_SINGLE_H
#include <stddef.h>
#include <stdint.h>

/// 1 when this CPU can run rlpx_keccak_absorb_avx512 (AVX-512F and AVX-512VL), else 0.
int rlpx_keccak_single_available(void);

/// XORs `blocks` 136-byte blocks from `input` into `state` (25 little-endian lanes), permuting after each.
/// Call only when rlpx_keccak_single_available() returns 1.
void rlpx_keccak_absorb_avx512(uint64_t state[25], const unsigned char *input, size_t blocks);

/// XORs one 136-byte block into each of two states and permutes both, in one pass (each state in one half of every
/// register). Call only when rlpx_keccak_single_available() returns 1.
void rlpx_keccak_absorb2_avx512(uint64_t a[25], const unsigned char *block_a, uint64_t b[25], const unsigned char *block_b);

/// For each of four states: XORs blocks[k] (136 bytes) into in[k], permutes, and writes the result to out[k] (which
/// may be in[k]); all four in one pass, state k in 64-bit lane k of every 256-bit register. All loads come before all
/// stores. Call only when rlpx_keccak_single_available() returns 1.
void rlpx_keccak_absorb4_avx512(const uint64_t *const in[4], const unsigned char *const blocks[4], uint64_t *const out[4]);

/// 1 when this CPU can run rlpx_keccak_absorb4_avx2 (AVX2), else 0.
int rlpx_keccak_avx2_available(void);

/// rlpx_keccak_absorb4_avx512 in AVX2 alone, for CPUs without AVX-512: the same results, rotations as two shifts.
/// Call only when rlpx_keccak_avx2_available() returns 1.
void rlpx_keccak_absorb4_avx2(const uint64_t *const in[4], const unsigned char *const blocks[4], uint64_t *const out[4]);

#endif
