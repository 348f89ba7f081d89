// SPDX-License-Identifier: Apache-2.0
#ifndef RLPX_KECCAK_X8_H
#define RLPX_KECCAK_X8_H
#include <stddef.h>

/// 1 when this CPU can run rlpx_keccak256_x8 (AVX-512F), else 0.
int rlpx_keccak_x8_available(void);

/// Keccak-256 of `count` (at most 8) messages: digest i (32 bytes) goes to digests + 32 * i.
/// Call only when rlpx_keccak_x8_available() returns 1.
void rlpx_keccak256_x8(const unsigned char *const messages[], const size_t lengths[], size_t count, unsigned char *digests);

#endif
