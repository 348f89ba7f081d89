// SPDX-License-Identifier: Apache-2.0
import Foundation
import Keccak
import RLP
import RLPxCrypto
import RLPxTestSupport
import Testing

/// Node keys in files (go-ethereum's format) instead of on the command line, where `ps` shows them to every user.
@Suite struct KeyCommandTests {
    static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("rlpx-nodekey-\(UInt64.random(in: 0...UInt64.max))").path
    }

    /// A key file with `hex` in it, removed by the caller.
    static func keyFile(_ hex: String) throws -> String {
        let path = temporaryPath()
        try Data((hex + "\n").utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func generateWritesAPrivateFileAndNeverOverwrites() async throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let run = try await Tool.runDetached(["key", "generate", path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int == 0o600)
        let text = String(decoding: try #require(FileManager.default.contents(atPath: path)), as: UTF8.self)
        #expect(text.count == 65 && text.hasSuffix("\n") && (try? Hex.decode(text.dropLast())) != nil, "\(text)")
        let again = try await Tool.runDetached(["key", "generate", path])
        #expect(again.status == 1 && again.stderr.contains("it exists"), "\(again.stderr)")
        #expect(String(decoding: try #require(FileManager.default.contents(atPath: path)), as: UTF8.self) == text)
        let printed = try await Tool.runDetached(["key", "generate"])
        #expect(printed.status == 0 && printed.stdout.count == 65)
    }

    /// to-id is keccak256 of the public key (go-ethereum's node ID); to-enode the URL at --ip and --tcp, with a
    /// different --udp as discport.
    @Test func toIDAndToEnodeNameTheKeysNode() async throws {
        let hex = String(repeating: "11", count: 32)
        let path = try Self.keyFile(hex)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let publicKey = try Secp256k1.PrivateKey(rawRepresentation: Hex.decode(hex)).publicKey.nodeID
        let id = try await Tool.runDetached(["key", "to-id", path])
        #expect(id.status == 0 && id.stdout == Hex.encode(Keccak256.hash(publicKey)) + "\n", "\(id.stdout) \(id.stderr)")
        let enode = try await Tool.runDetached(["key", "to-enode", path])
        #expect(enode.stdout == "enode://\(Hex.encode(publicKey))@127.0.0.1:30303\n")
        let placed = try await Tool.runDetached(["key", "to-enode", path, "--ip", "10.0.0.1", "--tcp", "30304", "--udp", "30301"])
        #expect(placed.stdout == "enode://\(Hex.encode(publicKey))@10.0.0.1:30304?discport=30301\n")
        let json = try await Tool.runDetached(["key", "to-id", path, "--format", "json"])
        #expect(json.stdout.contains("\"publicKey\":\"\(Hex.encode(publicKey))\""), "\(json.stdout)")
        #expect(try await Tool.runDetached(["key", "to-enode", path, "--ip", "example.org"]).status == 64)
        let missing = try await Tool.runDetached(["key", "to-id", "/nonexistent/nodekey"])
        #expect(missing.status == 1 && missing.stderr.contains("cannot read node key file /nonexistent/nodekey: no such file"), "\(missing.stderr)")
    }

    /// to-enr signs a record that `rlpx-tool enr` reads back: the key's node ID, a valid signature, the address given.
    @Test func toENRSignsARecordWithTheAddress() async throws {
        let hex = String(repeating: "11", count: 32)
        let path = try Self.keyFile(hex)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let publicKey = try Secp256k1.PrivateKey(rawRepresentation: Hex.decode(hex)).publicKey.nodeID
        let made = try await Tool.runDetached(["key", "to-enr", path, "--ip", "10.0.0.1", "--tcp", "30304", "--udp", "30301", "--seq", "7"])
        #expect(made.status == 0 && made.stdout.hasPrefix("enr:-"), "\(made.stdout) \(made.stderr)")
        let decoded = try await Tool.runDetached(["enr", "--format", "json", made.stdout.trimmingCharacters(in: .whitespacesAndNewlines)])
        #expect(decoded.status == 0, "\(decoded.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(decoded.stdout.utf8)) as? [String: Any])
        #expect(json["signatureValid"] as? Bool == true)
        #expect(json["nodeId"] as? String == "0x" + Hex.encode(Keccak256.hash(publicKey)))
        #expect(json["seq"] as? String == "7")
        let fields = try #require(json["fields"] as? [String: String])
        #expect(fields["ip"] == "10.0.0.1" && fields["tcp"] == "30304" && fields["udp"] == "30301" && fields["id"] == "v4", "\(fields)")
        #expect(json["enode"] as? String == "enode://\(Hex.encode(publicKey))@10.0.0.1:30304?discport=30301")
        let defaults = try await Tool.runDetached(["key", "to-enr", path, "--format", "json"])
        let record = try #require(try JSONSerialization.jsonObject(with: Data(defaults.stdout.utf8)) as? [String: String])
        let plain = try await Tool.runDetached(["enr", "--format", "json", try #require(record["enr"])])
        let plainJSON = try #require(try JSONSerialization.jsonObject(with: Data(plain.stdout.utf8)) as? [String: Any])
        #expect(plainJSON["seq"] as? String == "0")
        #expect(plainJSON["enode"] as? String == "enode://\(Hex.encode(publicKey))@127.0.0.1:30303")
        #expect(try await Tool.runDetached(["key", "to-enr", path, "--ip", "example.org"]).status == 64)
        #expect(try await Tool.runDetached(["key", "to-enr", path, "--udp", "70000"]).status == 64)
    }

    /// --nodekey FILE is taken wherever a key is: serve listens as that node, decode decrypts with it.
    @Test func nodekeyIsTakenWhereverAKeyIs() async throws {
        let hex = String(repeating: "22", count: 32)
        let path = try Self.keyFile(hex)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let publicKey = Hex.encode(try Secp256k1.PrivateKey(rawRepresentation: Hex.decode(hex)).publicKey.nodeID)
        let (server, enode) = try PingCommandTests.serve(["--cap", "eth/68:17", "--nodekey", path])
        defer { server.stop() }
        #expect(enode.hasPrefix("enode://\(publicKey)@"), "\(enode)")
        // A node does not take a session from itself: the client has a key of its own.
        let client = try Self.keyFile(String(repeating: "33", count: 32))
        defer { try? FileManager.default.removeItem(atPath: client) }
        let ping = try await Tool.runDetached(["ping", enode, "--cap", "eth/68:17", "--nodekey", client])
        #expect(ping.status == 0, "\(ping.stderr)")
        #expect(try await Tool.runDetached(["ping", enode, "--key", hex, "--nodekey", path]).status == 64)
        let unreadable = try await Tool.runDetached(["ping", enode, "--nodekey", "/nonexistent/nodekey"])
        #expect(unreadable.status == 1 && unreadable.stderr.contains("no such file"), "\(unreadable.stderr)")
        // decode --auth with the recipient's key from a file decrypts as with --key.
        let handshake = try #require(try Vectors.shared("handshake/eip8_handshake.json") as? [String: Any])
        let keys = try #require(handshake["keys"] as? [String: String])
        let auth = try #require((handshake["auth"] as? [[String: Any]])?.first { $0["id"] as? String == "auth1" }?["packet"] as? String)
        let recipient = try Self.keyFile(try #require(keys["static_key_b"]))
        defer { try? FileManager.default.removeItem(atPath: recipient) }
        let fromFile = try await Tool.runDetached(["decode", "--auth", "--nodekey", recipient, auth])
        #expect(fromFile.status == 0, "\(fromFile.stderr)")
        #expect(fromFile.stdout == (try await Tool.runDetached(["decode", "--auth", "--key", try #require(keys["static_key_b"]), auth])).stdout)
    }
}
