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

#endif
