// SPDX-License-Identifier: Apache-2.0
import RLP
import RLPxFraming
import RLPxHandshake

/// A stream of frames from one sender, decrypted and authenticated, each with its message code and payload.
public struct FrameInspection: Sendable {
    /// One decoded frame.
    public struct Entry: Sendable {
        /// Where the frame starts in the stream.
        public var offset: Int
        public var header: FrameHeader
        /// The message code at the start of the frame data, when it is a canonical RLP integer.
        public var messageCode: UInt64?
        /// The payload after the code, as an RLP tree (snappy-compressed payloads do not decode as RLP).
        public var payload: RLPInspection
    }

    public var frames: [Entry]
    /// The first failure, if any, and the stream offset of the frame it hit.
    public var error: (offset: Int, error: FramingError)?
    /// Bytes left after the last whole frame.
    public var trailingBytes: Int

    /// Reads every frame in `stream` with the ingress state of `reader` (the receiving side's secrets).
    public init(_ stream: [UInt8], reader: SessionSecrets) {
        var decoder = FrameDecoder(secrets: reader)
        decoder.append(stream)
        var offset = 0
        frames = []
        error = nil
        while true {
            do throws(FramingError) {
                guard let frame = try decoder.nextFrame() else { break }
                let read = frame.data.withUnsafeBytes { try? Message.readCode($0) }
                let payload = read.map { Array(frame.data[$0.length...]) } ?? frame.data
                frames.append(Entry(offset: offset, header: frame.header, messageCode: read?.code, payload: RLPInspection(payload)))
                offset += Frame.wireLength(forSize: frame.header.size)
            } catch {
                self.error = (offset, error)
                break
            }
        }
        trailingBytes = error == nil ? stream.count - offset : 0
    }

    public func renderedText() -> String {
        var out = ""
        for (index, frame) in frames.enumerated() {
            out += "frame \(index) @\(frame.offset) size=\(frame.header.size) header-data=\(Hex.encode(frame.header.headerData.prefix(3)))\n"
            if let code = frame.messageCode { out += "  message-code \(code) (0x\(String(code, radix: 16)))\n" }
            if frame.payload.error == nil {
                out += frame.payload.renderedText().split(separator: "\n").map { "  \($0)\n" }.joined()
            } else {
                out += "  payload \(frame.payload.items.isEmpty ? "" : "partly ")not RLP (compressed?): see --json for bytes\n"
            }
        }
        if trailingBytes > 0 { out += "incomplete: \(trailingBytes) bytes after the last whole frame\n" }
        return out
    }

    public func json() -> JSONValue {
        .object([
            ("format", .string("frames")),
            (
                "frames",
                .array(
                    frames.map { frame in
                        .object([
                            ("offset", .int(frame.offset)), ("size", .int(frame.header.size)),
                            ("headerData", .string(Hex.encode(frame.header.headerData))),
                            ("messageCode", frame.messageCode.map { .int(Int($0)) } ?? .null),
                            ("payload", frame.payload.json()),
                        ])
                    })
            ),
            ("trailingBytes", .int(trailingBytes)),
            (
                "error",
                error.map { .object([("code", .string($0.error.code.name)), ("offset", .int($0.offset)), ("reason", .string($0.error.reason))]) }
                    ?? .null
            ),
        ])
    }
}
