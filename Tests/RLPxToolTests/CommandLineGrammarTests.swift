// SPDX-License-Identifier: Apache-2.0
import RLPxCrypto
import RLPxPeer
import RLPxTestSupport
import Testing

/// What every subcommand shares: help, exit statuses in --help, enode URLs.
@Suite struct CommandLineGrammarTests {
    static let commands = [
        "decode", "encode", "forkid", "ping", "serve", "send", "load", "conformance", "probe", "key", "key generate", "key to-id", "key to-enode",
        "key to-enr",
        "enr", "discv4", "discv4 listen", "discv4 ping", "discv4 resolve", "discv4 crawl", "discv4 test",
    ]

    @Test func helpForNoCommandIsAUsageError() async throws {
        let run = try await Tool.runDetached(["help", "nosuch"])
        #expect(run.status == 64)
        #expect(run.stderr.contains("no command nosuch"), "\(run.stderr)")
        #expect(try await Tool.runDetached(["help", "decode"]).status == 0)
        #expect(try await Tool.runDetached(["help"]).status == 0)
    }

    @Test func everyHelpListsItsExitStatuses() async throws {
        for command in Self.commands {
            let run = try await Tool.runDetached(command.split(separator: " ").map(String.init) + ["--help"])
            #expect(run.status == 0)
            let text = Self.words(run.stdout)
            #expect(text.contains("Exit status: 0 "), "\(command)")
            #expect(text.contains("64 for bad usage"), "\(command)")
        }
    }

    /// `text` with every run of whitespace as one space, as help reads once its wrapping is undone.
    static func words(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// An enode URL without a port means 30303, as go-ethereum reads it.
    @Test func anEnodeWithoutAPortMeans30303() async throws {
        let key = try Secp256k1.PrivateKey(rawRepresentation: [UInt8](repeating: 0x11, count: 32)).publicKey.description
        #expect(try EnodeURL("enode://\(key)@127.0.0.1").port == 30303)
        #expect(try EnodeURL("enode://\(key)@[::1]").port == 30303)
        #expect(try EnodeURL("enode://\(key)@[::1]?discport=30301").description == "enode://\(key)@[::1]:30303?discport=30301")
        #expect(throws: PeerError.self) { try EnodeURL("enode://\(key)@127.0.0.1:") }
    }
}
