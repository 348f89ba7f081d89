// SPDX-License-Identifier: Apache-2.0
import CKeccak

extension Keccak256 {
    /// Writes the digest of what was absorbed so far into `digestBefore`, absorbs `bytes`, then writes the digest
    /// of everything into `digestAfter` (each as ``finalize(into:)`` writes it). The permutation the first digest
    /// needs runs in one pass with the first one the rest needs, two states in the two halves of each AVX-512
    /// register, so both digests cost about what one does. The RLPx frame MAC uses it: a frame's header MAC is the
    /// digest of the state the body is then absorbed into. Without AVX-512 the results are the same, computed one
    /// after the other.
    package mutating func update(
        _ bytes: UnsafeRawBufferPointer, digestBefore: UnsafeMutableRawBufferPointer, digestAfter: UnsafeMutableRawBufferPointer
    ) {
        var before = self
        before.padPending()
        let offset = pendingCount
        if offset + bytes.count >= Self.rate {
            // The bytes complete a block: its permutation runs beside the first digest's.
            let take = Self.rate - offset
            withUnsafeMutableBytes(of: &pending) { pending in
                UnsafeMutableRawBufferPointer(rebasing: pending[offset..<Self.rate]).copyMemory(
                    from: UnsafeRawBufferPointer(rebasing: bytes[0..<take]))
            }
            pendingCount = Self.rate
            Self.absorbPendingPair(&before, &self)
            before.writeDigest(into: digestBefore)
            update(UnsafeRawBufferPointer(rebasing: bytes[take...]))
            finalize(into: digestAfter)
        } else {
            // They do not: the second digest's permutation runs beside the first's.
            withUnsafeMutableBytes(of: &pending) { pending in
                UnsafeMutableRawBufferPointer(rebasing: pending[offset..<(offset + bytes.count)]).copyMemory(from: bytes)
            }
            pendingCount += bytes.count
            var after = self
            after.padPending()
            Self.absorbPendingPair(&before, &after)
            before.writeDigest(into: digestBefore)
            after.writeDigest(into: digestAfter)
        }
    }

    /// Absorbs each hash's full pending block, permuting both in one pass: with the two-state AVX-512 kernel when
    /// both run on AVX-512, else as a ``permute(_:count:kernel:)`` pass (the AVX2 four-state one where there is one).
    static func absorbPendingPair(_ a: inout Keccak256, _ b: inout Keccak256) {
        withUnsafeMutablePointer(to: &a) { a in
            withUnsafeMutablePointer(to: &b) { b in
                guard a.pointee.permutation == .avx512 && b.pointee.permutation == .avx512 else {
                    withUnsafeTemporaryAllocation(of: Step.self, capacity: 2) { steps in
                        guard let base = steps.baseAddress else { return }
                        base.initialize(to: .absorb(a))
                        (base + 1).initialize(to: .absorb(b))
                        permute(base, count: 2)
                    }
                    return
                }
                guard let stateA = a.pointer(to: \.state), let blockA = a.pointer(to: \.pending),
                    let stateB = b.pointer(to: \.state), let blockB = b.pointer(to: \.pending)
                else {
                    a.pointee.absorbPending()
                    b.pointee.absorbPending()
                    return
                }
                rlpx_keccak_absorb2_avx512(
                    UnsafeMutableRawPointer(stateA).assumingMemoryBound(to: UInt64.self),
                    UnsafeRawPointer(blockA).assumingMemoryBound(to: UInt8.self),
                    UnsafeMutableRawPointer(stateB).assumingMemoryBound(to: UInt64.self),
                    UnsafeRawPointer(blockB).assumingMemoryBound(to: UInt8.self))
                a.pointee.pendingCount = 0
                b.pointee.pendingCount = 0
            }
        }
    }
}
