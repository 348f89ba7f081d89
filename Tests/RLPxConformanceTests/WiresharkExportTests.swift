// SPDX-License-Identifier: Apache-2.0
import DevP2P
import Eth
import Foundation
import RLP
import RLPxConformance
import RLPxScenarioSupport
import RLPxTestSupport
import Snap
import Testing

/// `conformance --export-decrypted` on a captured session, read back by Debian's tshark with the project's Lua
/// dissector (Tools/wireshark/rlpx.lua): every message by name, with its request id.
@Suite struct WiresharkExportTests {
    @Test func tsharkNamesMessagesAndRequestIDs() async throws {
        let tshark = try #require(Tool.onPath("tshark"), "tshark is not installed (bash Tools/install-deps.sh installs it)")
        var scenario = CaptureScenario()
        let genesis = ChainConfig.mainnet.genesisHash
        let eth: [(CaptureScenario.Side, EthMessage)] = [
            (
                .initiator,
                .status(
                    Status(
                        version: 68, networkID: 1, genesis: genesis, forkID: ChainConfig.mainnet.forkID(head: 0, time: 0),
                        head: .totalDifficulty(UInt256(1), bestHash: genesis)))
            ),
            (.initiator, .getBlockHeaders(requestID: 7, HeaderRequest(origin: .number(1000), amount: 2, skip: 0, reverse: false))),
            (.recipient, .blockHeaders(requestID: 7, [])),
            (.initiator, .getBlockBodies(requestID: 0x1_0000_0001, [genesis])),
        ]
        for (side, message) in eth { try scenario.send("eth", code: message.code, payload: message.encoded(version: 68), from: side) }
        let snap = SnapMessage.getByteCodes(requestID: 42, hashes: [genesis], responseBytes: 1000)
        try scenario.send("snap", code: snap.code, payload: snap.encoded(), from: .recipient)
        scenario.take(scenario.initiator.ping(now: scenario.now), from: .initiator)
        scenario.pump()

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rlpx-export-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let pcap = directory.appendingPathComponent("capture.pcap")
        let keys = directory.appendingPathComponent("keylog.txt")
        let export = directory.appendingPathComponent("decrypted.pcapng")
        try Data(scenario.pcap()).write(to: pcap)
        try Data(scenario.keyLog().utf8).write(to: keys)
        let run = try await Tool.runDetached([
            "conformance", pcap.path, "--keylog", keys.path, "--export-decrypted", export.path, "--format", "jsonl",
        ])
        #expect(run.status == 0 || run.status == 1, "\(run.stderr)")

        let script = Vectors.projectRoot.appendingPathComponent("Tools/wireshark/rlpx.lua").path
        let dissected = try await Tool.detached { try Tool.run(executable: tshark, ["-X", "lua_script:\(script)", "-r", export.path, "-T", "json"]) }
        #expect(dissected.status == 0, "\(dissected.stderr)")
        let packets = try #require(try JSONSerialization.jsonObject(with: Data(dissected.stdout.utf8)) as? [[String: Any]])
        let layers = packets.compactMap { (($0["_source"] as? [String: Any])?["layers"] as? [String: Any])?["rlpx"] as? [String: Any] }
        #expect(layers.count == packets.count && layers.count == 2 + 4 + 1 + 2, "Hellos, eth, snap, Ping and Pong")
        let named = layers.map { layer in
            "\(layer["rlpx.protocol"] as? String ?? "?") \(layer["rlpx.message"] as? String ?? "?")"
                + ((layer["rlpx.request_id"] as? String).map { " id=\($0)" } ?? "")
        }
        #expect(
            named == [
                "p2p Hello", "p2p Hello", "eth Status", "eth GetBlockHeaders id=7", "eth BlockHeaders id=7",
                "eth GetBlockBodies id=4294967297", "snap GetByteCodes id=42", "p2p Ping", "p2p Pong",
            ], "\(named)")
        #expect(layers.allSatisfy { $0["rlpx.connection"] as? String == "1" })
    }

    /// Two committed captures merged so their connections overlap in time, exported and read back: packets in
    /// capture order (the replay hands them out a connection at a time: the export went back in time), Source and
    /// Destination filled, a Hello's own fields (no "Protocol version: 0"), eth messages with the transcript's fields.
    @Test func theExportReadsLikeTheTranscript() async throws {
        let tshark = try #require(Tool.onPath("tshark"), "tshark is not installed (bash Tools/install-deps.sh installs it)")
        let (editcap, mergecap) = (try #require(Tool.onPath("editcap")), try #require(Tool.onPath("mergecap")))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rlpx-export-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let captures = ["swift-swift-v5", "swift-dials-trinity-v5"].map { Vectors.projectRoot.appendingPathComponent("Vectors/captures/\($0)") }
        let (first, second) = (try Self.firstPacketTime(captures[0]), try Self.firstPacketTime(captures[1]))
        let shifted = directory.appendingPathComponent("shifted.pcap")
        let merged = directory.appendingPathComponent("merged.pcap")
        let keys = directory.appendingPathComponent("keys.txt")
        let export = directory.appendingPathComponent("decrypted.pcapng")
        try await Tool.detached {
            _ = try Tool.run(
                executable: editcap,
                ["-t", String(format: "%.6f", first - second + 0.05), captures[1].appendingPathComponent("capture.pcap").path, shifted.path])
            _ = try Tool.run(
                executable: mergecap, ["-F", "pcap", "-w", merged.path, captures[0].appendingPathComponent("capture.pcap").path, shifted.path])
        }
        try Data(try captures.map { try String(contentsOf: $0.appendingPathComponent("keylog.txt"), encoding: .utf8) }.joined().utf8).write(to: keys)
        let run = try await Tool.runDetached(["conformance", merged.path, "--keylog", keys.path, "--export-decrypted", export.path])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        let script = Vectors.projectRoot.appendingPathComponent("Tools/wireshark/rlpx.lua").path
        let columns = try await Tool.detached {
            try Tool.run(
                executable: tshark,
                [
                    "-X", "lua_script:\(script)", "-r", export.path, "-T", "fields", "-E", "separator=|", "-e", "frame.time_epoch", "-e",
                    "_ws.col.Source",
                    "-e", "_ws.col.Destination", "-e", "_ws.col.Info",
                ])
        }
        #expect(columns.status == 0, "\(columns.stderr)")
        let rows = columns.stdout.split(separator: "\n").map { $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.count == 90, "two connections of 45 messages")
        let times = rows.compactMap { Double($0[0]) }
        #expect(times.count == rows.count && zip(times, times.dropFirst()).allSatisfy { $0 <= $1 }, "capture order: \(times.prefix(8))")
        #expect(
            rows.allSatisfy { $0.count == 4 && $0[1].hasPrefix("127.0.0.1:") && $0[2].hasPrefix("127.0.0.1:") && $0[1] != $0[2] }, "\(rows.prefix(3))"
        )
        #expect(rows.contains { $0[3].hasPrefix("→ eth/68 Status version=68 network=1 ") }, "\(rows.prefix(4).map { $0.last ?? "" })")

        // Repeated fields (one rlpx.field per key=value) as arrays.
        let dissected = try await Tool.detached {
            try Tool.run(executable: tshark, ["-X", "lua_script:\(script)", "-r", export.path, "-T", "json", "--no-duplicate-keys"])
        }
        let packets = try #require(try JSONSerialization.jsonObject(with: Data(dissected.stdout.utf8)) as? [[String: Any]])
        let layers = packets.compactMap { (($0["_source"] as? [String: Any])?["layers"] as? [String: Any])?["rlpx"] as? [String: Any] }
        let hello = try #require(layers.first { $0["rlpx.message"] as? String == "Hello" })
        #expect(hello["rlpx.version"] == nil, "p2p has no version of its own in the record")
        #expect(hello["rlpx.hello.version"] as? String == "5")
        #expect((hello["rlpx.hello.capabilities"] as? String)?.contains("eth/68") == true, "\(hello)")
        #expect((hello["rlpx.hello.client_id"] as? String)?.isEmpty == false)
        let status = try #require(layers.first { $0["rlpx.message"] as? String == "Status" })
        let statusFields = status["rlpx.field"] as? [String] ?? []
        #expect(statusFields.contains("version=68") && statusFields.contains("network=1"), "\(status)")
        let transactions = try #require(layers.first { $0["rlpx.message"] as? String == "Transactions" })
        #expect(transactions["rlpx.field"] as? [String] == ["transactions=1", "types=0:1"], "\(transactions)")
    }

    /// The time of a pcap's first packet (microsecond pcap, either byte order).
    static func firstPacketTime(_ capture: URL) throws -> Double {
        let bytes = [UInt8](try Data(contentsOf: capture.appendingPathComponent("capture.pcap")).prefix(32))
        let little = bytes[0] == 0xd4
        func word(_ at: Int) -> Double {
            let four = bytes[at..<at + 4]
            return Double(little ? four.reversed().reduce(0) { $0 << 8 | UInt32($1) } : four.reduce(0) { $0 << 8 | UInt32($1) })
        }
        return word(24) + word(28) / 1e6
    }
}
