// SPDX-License-Identifier: Apache-2.0
import DevP2P
import RLP
import RLPxCrypto
import RLPxMultiplexing
import Testing

/// What values print as: readable, and never a private key.
@Suite struct DescriptionTests {
    @Test func valuesPrintReadably() throws {
        let key = try Secp256k1.PrivateKey(rawRepresentation: [UInt8](repeating: 0x11, count: 32))
        let id = key.publicKey.nodeID
        #expect(key.publicKey.description == Hex.encode(id))
        #expect(key.publicKey.description.count == 128)
        #expect(!key.description.contains(Hex.encode(key.rawRepresentation)), "a private key never prints")
        #expect(!String(reflecting: key).contains(Hex.encode(key.rawRepresentation)))
        #expect(RLPItem.list([.bytes(Array("cat".utf8)), .list([.bytes([1])]), .bytes([])]).description == "[0x636174 \"cat\", [0x01], 0x]")
        #expect(String(reflecting: DisconnectReason.tooManyPeers) == "too many peers (0x04)")
        #expect(DisconnectReason.tooManyPeers.description == "too many peers")
        #expect(ProtocolSpec(name: "eth", version: 68, length: 17).description == "eth/68:17")
        let hello = Hello(clientID: "swift-rlpx", capabilities: [Capability(name: "eth", version: 69)], listenPort: 30303, nodeID: id)
        #expect(hello.description == "Hello \"swift-rlpx\" p2p/5 caps eth/69 port 30303 id \(Hex.encode(id))")
        #expect(SessionError.notActive.description == "SessionError.notActive: the session is not active")
    }
}
