// SPDX-License-Identifier: Apache-2.0
import CKeccak

extension Keccak256 {
    /// Whether ``hash(batch:)`` hashes eight messages at once (AVX-512F on this CPU, not set aside by `RLPX_CPU=avx2`);
    /// otherwise it hashes them one by one with the single-stream code.
    public static let batchIsVectorized: Bool = rlpx_keccak_x8_available() == 1 && !CPUFeatures.avx512SetAside

    /// The digests of `messages`, 32 bytes each and in order, back to back: for batches such as the transactions of
    /// a message or the headers of a response. Messages are grouped by length so each group of eight runs about the
    /// same number of permutations.
    public static func hash(batch messages: [ArraySlice<UInt8>]) -> [UInt8] {
        hash(batch: messages, vectorized: batchIsVectorized)
    }

    /// ``hash(batch:)`` on a chosen path (tests force each one).
    static func hash(batch messages: [ArraySlice<UInt8>], vectorized: Bool) -> [UInt8] {
        var digests = [UInt8](repeating: 0, count: messages.count &* digestLength)
        guard vectorized else {
            digests.withUnsafeMutableBytes { output in
                for (index, message) in messages.enumerated() {
                    var hasher = Keccak256()
                    hasher.update(message)
                    hasher.finalize(into: UnsafeMutableRawBufferPointer(rebasing: output[(index &* digestLength)..<((index &+ 1) &* digestLength)]))
                }
            }
            return digests
        }
        let order = messages.indices.sorted { messages[$0].count < messages[$1].count }
        var scratch: [UInt8] = []
        var lane = [UInt8](repeating: 0, count: 8 &* digestLength)
        var start = 0
        while start < order.count {
            let group = order[start..<min(start &+ 8, order.count)]
            // One contiguous copy of the group, so every lane's pointer is valid for the whole call.
            scratch.removeAll(keepingCapacity: true)
            var offsets: [Int] = []
            for index in group {
                offsets.append(scratch.count)
                scratch.append(contentsOf: messages[index])
            }
            if scratch.isEmpty { scratch.append(0) }  // every message empty: a valid address that is never read
            scratch.withUnsafeBufferPointer { bytes in
                guard let base = bytes.baseAddress else { return }
                var pointers: [UnsafePointer<UInt8>?] = offsets.map { base + $0 }
                var lengths: [Int] = group.map { messages[$0].count }
                lane.withUnsafeMutableBufferPointer { out in
                    rlpx_keccak256_x8(&pointers, &lengths, group.count, out.baseAddress)
                }
            }
            for (position, index) in group.enumerated() {
                digests.withUnsafeMutableBufferPointer { output in
                    for byte in 0..<digestLength {
                        output[index &* digestLength &+ byte] = lane[position &* digestLength &+ byte]
                    }
                }
            }
            start &+= 8
        }
        return digests
    }
}
