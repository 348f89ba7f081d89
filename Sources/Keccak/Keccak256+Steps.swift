// SPDX-License-Identifier: Apache-2.0
import CKeccak

/// Keccak-256 in explicit steps, for running several independent hashes side by side: bytes are buffered up to the
/// end of a block without permuting, a digest's padded last block is set aside, and the permutations several
/// hashes need next run in one pass (``Keccak256/permute(_:count:kernel:)``). The RLPx replay advances the two MACs
/// of a connection in lockstep with it.
package struct PendingDigest: Sendable, BitwiseCopyable {
    /// The padded last block.
    var block = InlineArray<136, UInt8>(repeating: 0)
    /// The state once that block is absorbed: its first 32 bytes are the digest.
    var state = InlineArray<25, UInt64>(repeating: 0)

    package init() {}

    /// Writes the first `min(output.count, 32)` bytes of the digest, once its permutation has run. Mutating only
    /// so that a digest behind a pointer is read in place, not copied first.
    package mutating func squeeze(into output: UnsafeMutableRawBufferPointer) {
        Keccak256.writeDigest(of: state, into: output)
    }
}

extension Keccak256 {
    /// One permutation of a ``permute(_:count:kernel:)`` pass.
    package enum Step {
        /// The hash's full pending block (``isBlockFull``) absorbed into its state.
        case absorb(UnsafeMutablePointer<Keccak256>)
        /// The digest's block (``prepareDigest(_:)``) absorbed into a copy of the hash's state, left in the digest.
        case digest(of: UnsafePointer<Keccak256>, into: UnsafeMutablePointer<PendingDigest>)
    }

    /// Whether the pending block is full: it must be absorbed (``permute(_:count:kernel:)``) before more bytes can
    /// be buffered.
    @inlinable package var isBlockFull: Bool { pendingCount == Self.rate }

    /// Buffers the leading bytes of `bytes`, up to the end of the current block, without permuting; returns how
    /// many it took (none while ``isBlockFull``).
    package mutating func buffer(_ bytes: UnsafeRawBufferPointer) -> Int {
        let offset = pendingCount
        let take = min(Self.rate - offset, bytes.count)
        guard take > 0, let source = bytes.baseAddress else { return 0 }
        withUnsafeMutableBytes(of: &pending) { pending in
            guard let target = pending.baseAddress else { return }
            Self.copy(source, to: target + offset, count: take)
        }
        pendingCount = offset + take
        return take
    }

    /// Copies a few bytes eight at a time, inline: the MAC buffers 16 to 136 bytes at a time, where a call to
    /// memmove costs more than the copy.
    @inline(__always)
    private static func copy(_ source: UnsafeRawPointer, to target: UnsafeMutableRawPointer, count: Int) {
        var index = 0
        while index + 8 <= count {
            target.storeBytes(of: source.loadUnaligned(fromByteOffset: index, as: UInt64.self), toByteOffset: index, as: UInt64.self)
            index += 8
        }
        while index < count {
            target.storeBytes(of: source.load(fromByteOffset: index, as: UInt8.self), toByteOffset: index, as: UInt8.self)
            index += 1
        }
    }

    /// Sets aside the padded last block of the digest of what was absorbed so far; a ``Step/digest(of:into:)``
    /// step then computes it from this hash's state, as long as the state has not been permuted in between. The
    /// hash is unchanged and can go on buffering.
    /// Mutating only so that the pending bytes are read in place, not copied first.
    package mutating func prepareDigest(_ digest: UnsafeMutablePointer<PendingDigest>) {
        let count = pendingCount
        withUnsafeMutableBytes(of: &pending) { pending in  // mutable only to be read in place, not copied
            withUnsafeMutableBytes(of: &digest.pointee.block) { block in
                // Word by word, the bytes past `count` zeroed in the same pass (no memcpy and memset calls).
                for offset in stride(from: 0, to: Self.rate, by: 8) {
                    var word = UInt64(littleEndian: pending.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
                    if offset + 8 > count {
                        let kept = max(0, count - offset)
                        word = kept == 0 ? 0 : word & (UInt64.max >> (64 - 8 * kept))
                    }
                    block.storeBytes(of: word.littleEndian, toByteOffset: offset, as: UInt64.self)
                }
                block[count] ^= 0x01
                block[Self.rate - 1] ^= 0x80
            }
        }
    }

    /// How a ``permute(_:count:kernel:)`` pass runs its steps.
    package enum PassKernel: Sendable, CaseIterable {
        /// One step after another, each on its hash's own permutation.
        case oneByOne
        /// Up to four in one pass, one state per 64-bit lane of 256-bit registers, with AVX2 alone.
        case avx2
        /// The same with AVX-512VL (one vprolq per rotation, one vpternlogq per three-way XOR and per chi).
        case avx512

        /// Whether this CPU can run it.
        package var isAvailable: Bool {
            switch self {
            case .oneByOne: true
            case .avx2: rlpx_keccak_avx2_available() == 1
            case .avx512: rlpx_keccak_single_available() == 1 && !CPUFeatures.avx512SetAside
            }
        }

        /// The fastest one this CPU can run, chosen once per process.
        package static let fastest: PassKernel = [.avx512, .avx2].first(where: \.isAvailable) ?? .oneByOne
    }

    /// Runs `count` (1 to 4) steps of independent hashes: every digest reads its hash's state as it was before
    /// the pass, and no hash is absorbed twice. With a vector `kernel`, two to four run in one pass: for about
    /// the price of one on AVX-512, of two on AVX2.
    package static func permute(_ steps: UnsafePointer<Step>, count: Int, kernel: PassKernel = .fastest) {
        precondition((1...4).contains(count), "one to four steps")
        guard count > 1, kernel != .oneByOne else {
            permuteOneByOne(steps, count: count)
            return
        }
        withUnsafeTemporaryAllocation(of: UnsafePointer<UInt64>?.self, capacity: 4) { inputs in
            withUnsafeTemporaryAllocation(of: UnsafePointer<UInt8>?.self, capacity: 4) { blocks in
                withUnsafeTemporaryAllocation(of: UnsafeMutablePointer<UInt64>?.self, capacity: 4) { outputs in
                    for lane in 0..<4 {
                        // A missing lane repeats the first: both compute the same state and store the same bytes.
                        switch steps[lane < count ? lane : 0] {
                        case .absorb(let hash):
                            let state = hash.pointer(to: \.state).map { UnsafeMutableRawPointer($0).assumingMemoryBound(to: UInt64.self) }
                            inputs[lane] = state.map { UnsafePointer($0) }
                            outputs[lane] = state
                            blocks[lane] = hash.pointer(to: \.pending).map { UnsafeRawPointer($0).assumingMemoryBound(to: UInt8.self) }
                        case .digest(let hash, let digest):
                            inputs[lane] = UnsafeMutablePointer(mutating: hash).pointer(to: \.state)
                                .map { UnsafeRawPointer($0).assumingMemoryBound(to: UInt64.self) }
                            outputs[lane] = digest.pointer(to: \.state).map { UnsafeMutableRawPointer($0).assumingMemoryBound(to: UInt64.self) }
                            blocks[lane] = digest.pointer(to: \.block).map { UnsafeRawPointer($0).assumingMemoryBound(to: UInt8.self) }
                        }
                    }
                    guard let inputBase = inputs.baseAddress, let blockBase = blocks.baseAddress, let outputBase = outputs.baseAddress,
                        inputs.allSatisfy({ $0 != nil }), blocks.allSatisfy({ $0 != nil }), outputs.allSatisfy({ $0 != nil })
                    else {
                        permuteOneByOne(steps, count: count)
                        return
                    }
                    if kernel == .avx512 {
                        rlpx_keccak_absorb4_avx512(inputBase, blockBase, outputBase)
                    } else {
                        rlpx_keccak_absorb4_avx2(inputBase, blockBase, outputBase)
                    }
                    for index in 0..<count {
                        if case .absorb(let hash) = steps[index] { hash.pointee.pendingCount = 0 }
                    }
                }
            }
        }
    }

    /// ``permute(_:count:kernel:)`` one step after another, digests first: they read states an absorb in the same
    /// pass changes.
    private static func permuteOneByOne(_ steps: UnsafePointer<Step>, count: Int) {
        for index in 0..<count {
            guard case .digest(let hash, let digest) = steps[index] else { continue }
            digest.pointee.state = hash.pointee.state
            withUnsafeBytes(of: digest.pointee.block) { block in
                guard let base = block.baseAddress else { return }
                Keccak256.absorb(&digest.pointee.state, base, blocks: 1, on: hash.pointee.permutation)
            }
        }
        for index in 0..<count {
            if case .absorb(let hash) = steps[index] { hash.pointee.absorbPending() }
        }
    }
}
