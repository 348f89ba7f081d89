// SPDX-License-Identifier: Apache-2.0
import Foundation
import RLP
import RLPxCapture
import RLPxEvents
import RLPxHandshake
import RLPxScenarioSupport
import RLPxTestSupport
import Testing

/// A replay fed in batches decrypts each direction's frames on other threads, one batch ahead of reading them; it
/// must raise exactly the events, in exactly the order, of a replay fed one segment at a time, however the segments
/// fall into batches (the handshake and the first frames in one batch, a frame split across batches, a MAC failure
/// in the middle of one).
@Suite struct DecryptAheadTests {
    /// Every event as text, with the whole message: its payload, value and the transcript's summary.
    static func fingerprint(_ event: ConnectionEvent) -> String {
        let head = "\(event.connection) \(event.time) "
        switch event.kind {
        case .message(let side, let message):
            return head + "message \(side) \(message.protocolLabel) \(message.code)/\(message.wireCode) \(message.name) "
                + "\(Hex.encode(message.payload)) \(message.summary) \(message.requestID.map(String.init) ?? "-")"
        case .frame(let side, let size, let headerData, let offset):
            return head + "frame \(side) \(size) \(Hex.encode(headerData)) \(offset)"
        default:
            return head + "\(event.kind)"
        }
    }

    static func segments(_ path: String) throws -> [TCPSegment] {
        var segments: [TCPSegment] = []
        try CaptureReader.forEachPacket(path: path) { packet in
            if let segment = PacketDissector.tcpSegment(packet) { segments.append(segment) }
        }
        return segments
    }

    static func events(_ segments: [TCPSegment], keyLog: String, batch: Int?) throws -> (events: [String], summaries: [ConnectionSummary]) {
        var events: [String] = []
        let replay = CaptureReplay(keyLog: try KeyLogEntry.parse(keyLog)) { events.append(fingerprint($0)) }
        if let batch {
            var start = 0
            while start < segments.count {
                let end = min(segments.count, start + batch)
                replay.add(batch: segments[start..<end].map { CaptureReplay.NumberedSegment($0) })
                start = end
            }
        } else {
            for segment in segments { replay.add(segment) }
        }
        let summaries = replay.finish()
        return (events, summaries)
    }

    static func expectSame(_ segments: [TCPSegment], keyLog: String) throws {
        let one = try events(segments, keyLog: keyLog, batch: nil)
        #expect(one.events.contains { $0.contains(" message ") }, "the capture decrypts")
        for batch in [1, 2, 3, 7, 50, segments.count] {
            let batched = try events(segments, keyLog: keyLog, batch: batch)
            let differ = Array(zip(batched.events, one.events)).firstIndex { $0 != $1 } ?? min(batched.events.count, one.events.count)
            let same = batched.events == one.events
            #expect(
                same,
                "batches of \(batch): \(batched.events.count) events against \(one.events.count), first difference at \(differ): \(batched.events.dropFirst(differ).first?.prefix(200) ?? "none") against \(one.events.dropFirst(differ).first?.prefix(200) ?? "none")"
            )
            #expect(batched.summaries.map(\.status) == one.summaries.map(\.status))
            #expect(batched.summaries.map(\.notes) == one.summaries.map(\.notes))
        }
    }

    @Test(arguments: Vectors.rlpxCaptures) func committedCaptures(name: String) throws {
        let directory = Vectors.projectRoot.appendingPathComponent("Vectors/captures/\(name)")
        let keyLog = String(decoding: try Vectors.projectData("captures/\(name)/keylog.txt"), as: UTF8.self)
        try Self.expectSame(try Self.segments(directory.appendingPathComponent("capture.pcap").path), keyLog: keyLog)
    }

    /// Small segments, reordered and duplicated: frames span segments and batches, and bytes arrive before the
    /// handshake that makes them readable.
    @Test func reorderedSmallSegments() throws {
        let scenario = try cleanScenario()
        for (size, reorder) in [(97, false), (97, true), (500, true)] {
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("rlpx-ahead-\(UInt64.random(in: 0...UInt64.max)).pcap")
            try Data(scenario.pcap(segmentSize: size, reorder: reorder)).write(to: url)
            defer { try? FileManager.default.removeItem(at: url) }
            try Self.expectSame(try Self.segments(url.path), keyLog: scenario.keyLog())
        }
    }

    /// A corrupted byte in the middle of the initiator's stream: the MAC failure is raised at the same point.
    @Test func macFailureMidStream() throws {
        let scenario = try cleanScenario()
        let pcap = scenario.pcap(segmentSize: 200) { chunks in
            guard let index = chunks.indices.last(where: { chunks[$0].side == .initiator && chunks[$0].bytes.count > 100 }) else { return }
            chunks[index].bytes[chunks[index].bytes.count / 2] ^= 0x40
        }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rlpx-ahead-\(UInt64.random(in: 0...UInt64.max)).pcap")
        try Data(pcap).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let segments = try Self.segments(url.path)
        let one = try Self.events(segments, keyLog: scenario.keyLog(), batch: nil)
        #expect(one.events.contains { $0.contains("fault(RLPxEvents.Side.initiator, RLPxEvents.Fault.frame(") }, "\(one.events.suffix(3))")
        try Self.expectSame(segments, keyLog: scenario.keyLog())
    }
}
