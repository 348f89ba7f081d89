// SPDX-License-Identifier: Apache-2.0
import CKeccak

/// Keccak-256 as Ethereum uses it: the Keccak sponge with rate 136 bytes and the original padding (domain byte
/// 0x01), which is not FIPS 202 SHA3-256 (domain byte 0x06).
///
/// A value type: copying a running hash forks it, so a caller can take ``finalize()`` mid-stream and go on
/// absorbing, which the RLPx frame MAC does for every frame.
///
/// ```swift
/// let digest = Keccak256.hash(Array("abc".utf8))   // 4e03657a…
/// var mac = Keccak256()
/// mac.update(secret); mac.update(packet)
/// let peek = mac.finalize()                        // mac keeps running
/// ```
public struct Keccak256: Sendable {
    /// Bytes in a digest.
    public static let digestLength = 32
    /// Bytes absorbed per permutation: (1600 − 2 × 256) / 8.
    public static let rate = 136

    /// A Keccak-f[1600] implementation.
    public enum Permutation: Sendable, CaseIterable {
        /// Generated Swift, scalar, with lane complementing: every CPU.
        case portable
        /// One lane per 128-bit register with AVX-512VL (vpternlogq, vprolq): x86-64 CPUs that have it.
        case avx512

        /// Whether this CPU can run it.
        public var isAvailable: Bool {
            switch self {
            case .portable: true
            case .avx512: rlpx_keccak_single_available() == 1 && !CPUFeatures.avx512SetAside
            }
        }

        /// The fastest one this CPU can run, chosen once per process.
        public static let fastest: Permutation = avx512.isAvailable ? .avx512 : .portable
    }

    @usableFromInline var state = InlineArray<25, UInt64>(repeating: 0)
    @usableFromInline var pending = InlineArray<136, UInt8>(repeating: 0)
    @usableFromInline var pendingCount = 0
    @usableFromInline let permutation: Permutation

    /// A hash with nothing absorbed, on ``Permutation/fastest``.
    public init() { permutation = .fastest }

    /// A hash with nothing absorbed, on a chosen permutation (for tests and benchmarks), or on
    /// ``Permutation/portable`` when this CPU cannot run the one chosen.
    public init(permutation: Permutation) {
        self.permutation = permutation.isAvailable ? permutation : .portable
    }

    /// The digest of `bytes`.
    @inlinable
    public static func hash(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var hasher = Keccak256()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// Absorbs `bytes`.
    @inlinable
    public mutating func update(_ bytes: some Collection<UInt8>) {
        let done: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            update(UnsafeRawBufferPointer(buffer))
        }
        if done == nil {
            Array(bytes).withUnsafeBytes { update($0) }
        }
    }

    /// Absorbs the bytes in `buffer`.
    public mutating func update(_ buffer: UnsafeRawBufferPointer) {
        guard var input = buffer.baseAddress, !buffer.isEmpty else { return }
        var remaining = buffer.count
        if pendingCount > 0 {
            let taken = self.buffer(buffer)
            input += taken
            remaining -= taken
            guard isBlockFull else { return }
            absorbPending()
        }
        let blocks = remaining / Self.rate
        if blocks > 0 {
            absorb(input, blocks: blocks)
            input += blocks * Self.rate
            remaining -= blocks * Self.rate
        }
        if remaining > 0 {
            _ = self.buffer(UnsafeRawBufferPointer(start: input, count: remaining))
        }
    }

    /// XORs `blocks` rate-sized blocks from `input` into the state, permuting after each.
    mutating func absorb(_ input: UnsafeRawPointer, blocks: Int) {
        Self.absorb(&state, input, blocks: blocks, on: permutation)
    }

    /// XORs `blocks` rate-sized blocks from `input` into `lanes` (a state, or a copy of one), permuting after each
    /// on `permutation`.
    static func absorb(_ lanes: inout InlineArray<25, UInt64>, _ input: UnsafeRawPointer, blocks: Int, on permutation: Permutation) {
        switch permutation {
        case .portable:
            absorbPortable(&lanes, input, blocks: blocks)
        case .avx512:
            withUnsafeMutableBytes(of: &lanes) { lanes in
                guard let base = lanes.baseAddress else { return }
                rlpx_keccak_absorb_avx512(base.assumingMemoryBound(to: UInt64.self), input.assumingMemoryBound(to: UInt8.self), blocks)
            }
        }
    }

    mutating func absorbPending() {
        withUnsafeBytes(of: pending) { block in
            if let base = block.baseAddress { absorb(base, blocks: 1) }
        }
        pendingCount = 0
    }

    /// The digest of everything absorbed so far. The hash itself is unchanged and can keep absorbing.
    public func finalize() -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: Self.digestLength) { buffer, count in
            finalize(into: UnsafeMutableRawBufferPointer(buffer))
            count = Self.digestLength
        }
    }

    /// Writes the first `min(output.count, 32)` bytes of the digest into `output`, without allocating; bytes past
    /// 32 are left as they were. The hash itself is unchanged.
    public func finalize(into output: UnsafeMutableRawBufferPointer) {
        var last = self
        last.padPending()
        last.absorbPending()
        last.writeDigest(into: output)
    }

    /// Pads the pending bytes to the last block (Keccak's 0x01 … 0x80), ready to absorb.
    mutating func padPending() {
        let count = pendingCount
        withUnsafeMutableBytes(of: &pending) { pending in
            UnsafeMutableRawBufferPointer(rebasing: pending[count..<Self.rate]).initializeMemory(as: UInt8.self, repeating: 0)
            pending[count] ^= 0x01
            pending[Self.rate - 1] ^= 0x80
        }
        pendingCount = Self.rate
    }

    /// Writes the first `min(output.count, 32)` bytes of the state (the digest, after the last block): the lanes
    /// are little-endian.
    func writeDigest(into output: UnsafeMutableRawBufferPointer) {
        Self.writeDigest(of: state, into: output)
    }

    /// Writes the first `min(output.count, 32)` bytes of `state` (little-endian lanes) eight at a time, inline:
    /// the MAC takes 16-byte tags, where a call to memcpy costs more than the copy.
    static func writeDigest(of state: borrowing InlineArray<25, UInt64>, into output: UnsafeMutableRawBufferPointer) {
        let count = min(output.count, digestLength)
        var index = 0
        while index + 8 <= count {
            output.storeBytes(of: state[index / 8].littleEndian, toByteOffset: index, as: UInt64.self)
            index += 8
        }
        while index < count {
            output[index] = UInt8(truncatingIfNeeded: state[index / 8] >> (8 * (index % 8)))
            index += 1
        }
    }
}
