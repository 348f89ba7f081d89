// SPDX-License-Identifier: Apache-2.0
import DevP2P
import RLP
import RLPxFraming
import RLPxHandshake
import RLPxMultiplexing
import RLPxProtocols

/// A stream of frames from one sender, decrypted and authenticated, each with its message named as a capture
/// transcript names it: payloads after a p2p version 5 Hello decompressed, codes mapped to the capabilities the
/// sender's Hello announces (or those given).
public struct FrameInspection: Sendable {
    /// One decoded frame.
    public struct Entry: Sendable {
        /// Where the frame starts in the stream.
        public var offset: Int
        public var header: FrameHeader
        /// The message code at the start of the frame data, when it is a canonical RLP integer.
        public var messageCode: UInt64?
        /// The payload after the code, as on the wire (an RLP tree unless compressed).
        public var payload: RLPInspection
        /// The message, decompressed and named; nil when the frame data holds no message code.
        public var message: MessageInspection?
        /// Whether the payload was snappy-compressed.
        public var compressed: Bool
        /// Why a payload that should be compressed did not decompress (it is then read as it is).
        public var decompressionError: FramingError?
    }

    public var frames: [Entry]
    /// The first failure, if any, and the stream offset of the frame it hit.
    public var error: (offset: Int, error: FramingError)?
    /// Bytes left after the last whole frame.
    public var trailingBytes: Int

    /// Reads every frame in `stream` with the ingress state of `reader` (the receiving side's secrets). Messages
    /// map to `protocols` when given, else to the known capabilities of the sender's Hello (eth/69 and snap/1
    /// before one); after a Hello of p2p version 5 or later payloads are decompressed (read as they are, with the
    /// reason, when they do not decompress: the peer may run version 4).
    public init(_ stream: [UInt8], reader: SessionSecrets, protocols given: [ProtocolSpec]? = nil) {
        var decoder = FrameDecoder(secrets: reader)
        decoder.append(stream)
        var offset = 0
        var protocols = given ?? KnownProtocols.defaults
        var compressing = false
        frames = []
        error = nil
        while true {
            do throws(FramingError) {
                guard let frame = try decoder.nextFrame() else { break }
                let read = frame.data.withUnsafeBytes { try? Message.readCode($0) }
                let payload = read.map { Array(frame.data[$0.length...]) } ?? frame.data
                var entry = Entry(
                    offset: offset, header: frame.header, messageCode: read?.code, payload: RLPInspection(payload), message: nil,
                    compressed: false)
                if let code = read?.code {
                    let compressed = compressing && code != BaseProtocol.helloCode
                    do throws(FramingError) {
                        entry.message = try MessageInspection(frameData: frame.data, protocols: protocols, compressed: compressed)
                        entry.compressed = compressed
                    } catch {
                        entry.decompressionError = error
                        entry.message = try? MessageInspection(frameData: frame.data, protocols: protocols, compressed: false)
                    }
                    if code == BaseProtocol.helloCode, let hello = try? Hello(rlpEncoded: payload) {
                        compressing = hello.protocolVersion >= 5
                        if given == nil {
                            protocols = hello.capabilities.compactMap { capability in
                                KnownProtocols.length(name: capability.name, version: capability.version).map {
                                    ProtocolSpec(name: capability.name, version: capability.version, length: $0)
                                }
                            }
                        }
                    }
                }
                frames.append(entry)
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
            if let code = frame.messageCode { out += "  message-code \(code) (0x\(String(code, radix: 16)))\(frame.compressed ? " snappy" : "")\n" }
            if let error = frame.decompressionError { out += "  not compressed after a version 5 Hello (\(error.reason)): read as it is\n" }
            if let message = frame.message {
                out += "  \(message.transcriptLine)\n"
                if message.decoded == nil && message.messageName == nil {
                    out += message.payload.renderedText().split(separator: "\n").map { "  \($0)\n" }.joined()
                }
            } else if frame.payload.error == nil {
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
                            ("messageCode", frame.messageCode.map(JSONValue.quantity) ?? .null),
                            ("compressed", .bool(frame.compressed)),
                            ("message", frame.message?.json() ?? .null),
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
