// SPDX-License-Identifier: Apache-2.0
import DevP2P
import Eth
import Foundation
import RLP
import RLPxConformance
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
            (.initiator, .status(Status(
                version: 68, networkID: 1, genesis: genesis, forkID: ChainConfig.mainnet.forkID(head: 0, time: 0),
                head: .totalDifficulty(UInt256(1), bestHash: genesis)))),
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
        let pcap = directory.appendingPathComponent("capture.pcap"), keys = directory.appendingPathComponent("keylog.txt")
        let export = directory.appendingPathComponent("decrypted.pcapng")
        try Data(scenario.pcap()).write(to: pcap)
        try Data(scenario.keyLog().utf8).write(to: keys)
        let run = try await Tool.runDetached(["conformance", pcap.path, "--keylog", keys.path, "--export-decrypted", export.path, "--format", "jsonl"])
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
        #expect(named == [
            "p2p Hello", "p2p Hello", "eth Status", "eth GetBlockHeaders id=7", "eth BlockHeaders id=7",
            "eth GetBlockBodies id=4294967297", "snap GetByteCodes id=42", "p2p Ping", "p2p Pong",
        ], "\(named)")
        #expect(layers.allSatisfy { $0["rlpx.connection"] as? String == "1" })
    }
}
