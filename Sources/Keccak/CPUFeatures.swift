// SPDX-License-Identifier: Apache-2.0
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The CPU features the Keccak kernels may use. `RLPX_CPU=avx2` in the environment sets AVX-512 aside, so a
/// process on an AVX-512 machine runs what an AVX2-only CPU runs (the benchmarks measure both on one machine).
package enum CPUFeatures {
    /// Whether `RLPX_CPU=avx2` sets the AVX-512 kernels aside (read once per process).
    package static let avx512SetAside: Bool = setsAVX512Aside(getenv("RLPX_CPU").map { String(cString: $0) })

    /// Whether a value of `RLPX_CPU` sets AVX-512 aside: `avx2` does; no value, or any other, does not.
    package static func setsAVX512Aside(_ value: String?) -> Bool { value == "avx2" }
}
