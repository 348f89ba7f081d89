// SPDX-License-Identifier: Apache-2.0
import RLP
import RLPxCrypto
import RLPxPeer
import RLPxTestSupport
import Testing

/// Text that is not an enode URL, a key log that cannot be opened and a dial that cannot connect: each a
/// ``PeerError`` with its code (and, for a URL, where in the text it goes wrong).
@Suite struct EnodeURLErrorTests {
    static func key() -> String {
        var random = SystemRandom()
        return Hex.encode(Secp256k1.PrivateKey.random(using: &random).publicKey.nodeID)
    }

    @Test(arguments: [
        ("http://x", 0, "must start with enode://"),
        ("enode://abc", 11, "missing @host"),
        ("enode://abc@127.0.0.1", 8, "node ID must be 128 hex digits, found 3"),
        ("enode://\(String(repeating: "z", count: 128))@127.0.0.1", 8, "node ID is not hex"),
        ("enode://\(String(repeating: "0", count: 128))@127.0.0.1", 8, "node ID is not a secp256k1 public key"),
    ])
    func badTextIsInvalidEnodeAtItsOffset(text: String, offset: Int, reason: String) {
        let error = #expect(throws: PeerError.self) { try EnodeURL(text) }
        #expect(error?.code == .invalidEnode)
        #expect(error?.offset == offset, "\(text)")
        #expect(error?.reason == reason)
        #expect(error?.description == "invalid enode URL: \(reason)")
    }

    @Test func aBadPortIsInvalidEnodeAtThePort() {
        let text = "enode://\(Self.key())@127.0.0.1:70000"
        let error = #expect(throws: PeerError.self) { try EnodeURL(text) }
        #expect(error?.code == .invalidEnode)
        #expect(error?.offset == 8 + 128 + 1 + "127.0.0.1:".count)
        #expect(error?.reason == "invalid port '70000'")
    }

    @Test func aRefusedDialIsConnectFailed() async throws {
        let refusing = try RefusingPort()
        defer { withExtendedLifetime(refusing) {} }
        let port = refusing.port
        let url = try EnodeURL("enode://\(Self.key())@127.0.0.1:\(port)")
        do {
            _ = try await RLPxNode.dial(url, configuration: peerConfiguration())
            Issue.record("dialled a closed port")
        } catch let error as PeerError {
            #expect(error.code == .connectFailed)
            #expect(error.description == "cannot connect to 127.0.0.1:\(port): connection refused")
        }
    }

    @Test func anUnopenableKeyLogIsKeyLogUnavailable() {
        let error = #expect(throws: PeerError.self) { try KeyLogWriter(path: "/nonexistent/dir/keylog") }
        #expect(error?.code == .keyLogUnavailable)
        #expect(error?.description.hasPrefix("cannot open key log /nonexistent/dir/keylog") == true)
    }
}
