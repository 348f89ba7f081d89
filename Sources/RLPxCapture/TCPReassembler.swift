// SPDX-License-Identifier: Apache-2.0

/// Turns the segments of one direction of a TCP connection into its byte stream: out-of-order segments wait for
/// the bytes before them, retransmitted and overlapping bytes are delivered once, and a hole that is never
/// filled is a gap.
public struct TCPStreamReassembler: Sendable {
    /// The sequence number of stream byte 0 (the SYN's plus one).
    private let base: UInt32
    /// Stream bytes delivered so far.
    public private(set) var delivered: UInt64 = 0
    /// Segments ahead of the stream, keyed by stream offset.
    private var pending: [UInt64: [UInt8]] = [:]
    /// Largest sequence distance accepted ahead of the stream (guards against garbage sequence numbers).
    static let window: UInt64 = 1 << 30

    public init(initialSequence: UInt32) { base = initialSequence }

    /// Adds a segment; returns the stream bytes that became contiguous.
    public mutating func add(sequence: UInt32, payload: [UInt8]) -> [UInt8] {
        guard !payload.isEmpty else { return [] }
        let relative = UInt64(sequence &- base)
        // Sequence numbers wrap: an offset within the window after `delivered` counts forward; anything else starts
        // `behind` bytes before `delivered` (possibly before stream byte 0, for a segment that straddles the SYN).
        let distance = (relative &- delivered) & 0xffff_ffff
        if distance == 0 || distance >= Self.window {
            let behind = distance == 0 ? 0 : (delivered &- relative) & 0xffff_ffff
            guard behind < UInt64(payload.count) else { return [] }  // entirely old: a retransmission
            var out = behind == 0 ? payload : Array(payload[Int(behind)...])
            delivered += UInt64(out.count)
            if !pending.isEmpty { out += drainPending() }
            return out
        }
        let offset = delivered + distance
        if let existing = pending[offset], existing.count >= payload.count { return [] }
        pending[offset] = payload
        return []
    }

    private mutating func drainPending() -> [UInt8] {
        var out: [UInt8] = []
        while let (offset, bytes) = pending.filter({ $0.key <= delivered }).min(by: { $0.key < $1.key }) {
            pending.removeValue(forKey: offset)
            let skip = Int(delivered - offset)
            if skip < bytes.count {
                out += bytes[skip...]
                delivered += UInt64(bytes.count - skip)
            }
        }
        return out
    }

    /// The first missing stream offset and how many bytes wait beyond it, when segments are stuck behind a hole.
    public var gap: (at: UInt64, waiting: Int)? {
        guard let next = pending.keys.min() else { return nil }
        return (delivered, pending.filter { $0.key >= next }.values.reduce(0) { $0 + $1.count })
    }

    /// Skips the hole: continues the stream at the next waiting segment. Returns the skipped length and the bytes
    /// that became contiguous.
    public mutating func skipGap() -> (skipped: UInt64, bytes: [UInt8]) {
        guard let next = pending.keys.min(), next > delivered else { return (0, []) }
        let skipped = next - delivered
        delivered = next
        return (skipped, drainPending())
    }
}
