// SPDX-License-Identifier: Apache-2.0
import RLP
import RLPxCrypto
import RLPxHandshake

/// The sending half of a connection: one AES-256-CTR stream and one egress MAC, continued across frames.
///
/// ### Invariants
/// Frames must be written in the order they were sealed; the peer's ingress MAC follows this one frame by frame.
public struct FrameSealer: Sendable {
    private var stream: AESCTRStream
    private var mac: RLPxMAC

    /// The egress half for `secrets`.
    public init(secrets: SessionSecrets) {
        self.init(aesSecret: secrets.aesSecret, mac: secrets.egressMAC)
    }

    /// A sealer from its parts (tests with foreign MAC states, tools).
    public init(aesSecret: [UInt8], mac: RLPxMAC) {
        stream = AESCTRStream(key: aesSecret)
        self.mac = mac
    }

    /// Seals `data` (message code and payload) as one frame: header, header MAC, padded body, frame MAC.
    /// - Throws: ``FramingError/Code/frameTooLarge`` above 16 MiB − 1 bytes,
    ///   ``FramingError/Code/headerDataTooLarge`` for header data over 13 bytes.
    public mutating func seal(
        _ data: some Collection<UInt8>, headerData: [UInt8] = Frame.defaultHeaderData
    ) throws(FramingError) -> [UInt8] {
        let size = data.count
        guard size <= Frame.maximumSize else {
            throw Self.tooLarge(size)
        }
        guard headerData.count <= Frame.headerDataCapacity else {
            throw FramingError(
                .headerDataTooLarge, "header data of \(headerData.count) bytes; a frame header has room for \(Frame.headerDataCapacity)")
        }
        let wireLength = Frame.wireLength(forSize: size)
        return [UInt8](unsafeUninitializedCapacity: wireLength) { buffer, count in
            let wire = UnsafeMutableRawBufferPointer(buffer)
            wire.initializeMemory(as: UInt8.self, repeating: 0)
            let copied: Void? = data.withContiguousStorageIfAvailable { source in
                UnsafeMutableRawBufferPointer(rebasing: wire[32..<(32 + size)]).copyMemory(from: UnsafeRawBufferPointer(source))
            }
            if copied == nil {
                for (index, byte) in data.enumerated() { wire[32 + index] = byte }
            }
            sealInPlace(wire, size: size, headerData: headerData)
            count = wireLength
        }
    }

    /// Seals `message` as one frame, encoding its code and compressing its payload (when `compressed`) straight
    /// into the frame: the same bytes as `seal(message.frameData(compressed:))`, with one allocation.
    /// - Throws: ``FramingError/Code/frameTooLarge`` when the frame data exceeds 16 MiB − 1 bytes.
    public mutating func seal(_ message: Message, compressed: Bool) throws(FramingError) -> [UInt8] {
        var wire: [UInt8] = []
        try seal(message, compressed: compressed, appendingTo: &wire)
        return wire
    }

    /// ``seal(_:compressed:)`` onto the end of `wire`, so a caller that reuses one buffer for many frames seals
    /// without allocating. On a throw, `wire` is as it was.
    public mutating func seal(_ message: Message, compressed: Bool, appendingTo wire: inout [UInt8]) throws(FramingError) {
        let payloadBound = compressed ? Snappy.maximumCompressedLength(message.payload.count) : message.payload.count
        let start = wire.count
        let size = Message.withEncodedCode(message.code) { code -> Int in
            // Zeros: the header's unused bytes must be zero (the padding is zeroed after compressing, below).
            Self.appendZeros(Frame.wireLength(forSize: code.count + payloadBound), to: &wire)
            return wire.withUnsafeMutableBytes { all in
                let frame = UnsafeMutableRawBufferPointer(rebasing: all[start...])
                let data = UnsafeMutableRawBufferPointer(rebasing: frame[32...])
                data.copyMemory(from: code)
                let payloadArea = UnsafeMutableRawBufferPointer(rebasing: data[code.count...])
                let payloadLength = message.payload.withUnsafeBytes { payload in
                    guard compressed else {
                        payloadArea.copyMemory(from: payload)
                        return payload.count
                    }
                    return Snappy.compress(payload, into: payloadArea)
                }
                let size = code.count + payloadLength
                guard size <= Frame.maximumSize else { return size }
                let wireLength = Frame.wireLength(forSize: size)
                // Snappy may leave bytes past its output; the padding must be zero.
                UnsafeMutableRawBufferPointer(rebasing: frame[(32 + size)..<wireLength]).initializeMemory(as: UInt8.self, repeating: 0)
                sealInPlace(UnsafeMutableRawBufferPointer(rebasing: frame[0..<wireLength]), size: size, headerData: Frame.defaultHeaderData)
                return size
            }
        }
        guard size <= Frame.maximumSize else {
            wire.removeLast(wire.count - start)
            throw Self.tooLarge(size)
        }
        wire.removeLast(wire.count - start - Frame.wireLength(forSize: size))
    }

    private static let zeroPage = [UInt8](repeating: 0, count: 4096)

    /// Appends `count` zeros as copies of one zeroed page. Appending `repeatElement(0, count:)` is as fast in an
    /// optimised build, but goes element by element in a debug one: 18 ms for a 64 KiB frame, against 17 µs here.
    private static func appendZeros(_ count: Int, to wire: inout [UInt8]) {
        let needed = wire.count + count
        if wire.capacity < needed { wire.reserveCapacity(Swift.max(needed, 2 * wire.capacity)) }
        var remaining = count
        while remaining > 0 {
            let chunk = Swift.min(remaining, zeroPage.count)
            wire.append(contentsOf: zeroPage[..<chunk])
            remaining -= chunk
        }
    }

    /// Seals only a frame header declaring `size` bytes (clamped to 24 bits), with its MAC: a fault-injection hook
    /// for probes that must declare a frame whose body never comes. The ciphers advance past the header only, so
    /// the stream cannot continue; never use it to talk to a peer.
    public mutating func sealHeaderOnly(declaringSize size: Int) -> [UInt8] {
        var wire = [UInt8](repeating: 0, count: 32)
        let declared = min(max(size, 0), Frame.maximumSize)
        wire[0] = UInt8(truncatingIfNeeded: declared >> 16)
        wire[1] = UInt8(truncatingIfNeeded: declared >> 8)
        wire[2] = UInt8(truncatingIfNeeded: declared)
        for (index, byte) in Frame.defaultHeaderData.prefix(Frame.headerDataCapacity).enumerated() { wire[3 + index] = byte }
        wire.withUnsafeMutableBytes { buffer in
            let header = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<16])
            stream.apply(to: header)
            mac.header(UnsafeRawBufferPointer(header), tag: UnsafeMutableRawBufferPointer(rebasing: buffer[16..<32]))
        }
        return wire
    }

    private static func tooLarge(_ size: Int) -> FramingError {
        FramingError(.frameTooLarge, "\(size) bytes do not fit the 24-bit frame size")
    }

    /// Seals a frame laid out in `wire` (zeros, then `size` bytes of frame data at offset 32, then zeros): writes
    /// the header, encrypts header and body and writes both MACs.
    private mutating func sealInPlace(_ wire: UnsafeMutableRawBufferPointer, size: Int, headerData: [UInt8]) {
        let padded = Frame.paddedLength(size)
        wire[0] = UInt8(truncatingIfNeeded: size >> 16)
        wire[1] = UInt8(truncatingIfNeeded: size >> 8)
        wire[2] = UInt8(truncatingIfNeeded: size)
        for (index, byte) in headerData.prefix(Frame.headerDataCapacity).enumerated() { wire[3 + index] = byte }
        let header = UnsafeMutableRawBufferPointer(rebasing: wire[0..<16])
        stream.apply(to: header)
        // Both MACs at once: the header MAC's Keccak pass runs beside the body's first.
        mac.absorbHeader(UnsafeRawBufferPointer(header))
        let body = UnsafeMutableRawBufferPointer(rebasing: wire[32..<(32 + padded)])
        stream.apply(to: body)
        mac.body(
            UnsafeRawBufferPointer(body), tag: UnsafeMutableRawBufferPointer(rebasing: wire[(32 + padded)..<(48 + padded)]),
            headerTag: UnsafeMutableRawBufferPointer(rebasing: wire[16..<32]))
    }
}
