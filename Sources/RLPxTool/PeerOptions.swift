// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import DevP2P
import Foundation
import Logging
import RLP
import RLPxCrypto
import RLPxHandshake
import RLPxMultiplexing
import RLPxPeer
import RLPxProtocols

/// Options every networked command shares.
struct PeerOptions: ParsableArguments {
    @Option(name: .long, help: "This node's private key in hex (a fresh one when omitted).")
    var key: String?

    @Option(
        name: .long, parsing: .singleValue,
        help: "A protocol to run, as name/version:length, or name/version for eth and snap (repeatable).")
    var cap: [String] = []

    @Option(name: .long, help: "Append each session's secrets to this key log (or set RLPX_KEYLOG). It decrypts traffic.")
    var keylog: String?

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    @Option(name: .long, help: "The p2p version announced in Hello (5 turns snappy on when the peer agrees).")
    var p2pVersion: UInt64 = 5

    @Option(name: .long, help: "The client ID announced in Hello.")
    var clientID: String = "rlpx-tool/0.1"

    @Option(name: .long, help: .hidden) var fault: String?

    func validate() throws {
        for entry in cap where KnownProtocols.spec(entry) == nil {
            throw ValidationError("--cap takes name/version:length, e.g. les/4:24 (eth and snap need no length: eth/69)")
        }
        if let key, parsePrivateKey(key) == nil {
            throw ValidationError("--key is not a valid secp256k1 private key")
        }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level \(logLevel)") }
    }

    /// The peer configuration these options describe; logs go to stderr.
    func configuration(label: String) throws -> PeerConfiguration {
        var random = SystemRandom()
        let privateKey = key.flatMap(parsePrivateKey) ?? .random(using: &random)
        var session = SessionConfiguration(staticKey: privateKey, protocols: cap.compactMap { KnownProtocols.spec($0) }, clientID: clientID)
        session.protocolVersion = p2pVersion
        session.answersPings = fault != "no-pong"
        var logger = Logger(label: label) { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        var configuration = PeerConfiguration(session: session, logger: logger)
        if let path = keylog ?? ProcessInfo.processInfo.environment["RLPX_KEYLOG"], !path.isEmpty {
            configuration.keyLog = try KeyLogWriter(path: path)
        }
        return configuration
    }
}

/// A failed exchange with a peer: reported without usage text, exit status 1.
struct Failure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Where a long exchange is, for its timeout message; set by one task, read by the timer.
final class Stage: @unchecked Sendable {
    private let lock = NSLock()
    private var text: String
    init(_ text: String) { self.text = text }
    var value: String {
        get { lock.withLock { text } }
        set { lock.withLock { text = newValue } }
    }
}

/// A secp256k1 private key from hex, nil when the text is not one: every `--key` reads this way (a bad one is a
/// usage error, exit status 64).
func parsePrivateKey(_ text: String) -> Secp256k1.PrivateKey? {
    try? Secp256k1.PrivateKey(rawRepresentation: Hex.decode(text))
}

func parseEnode(_ text: String) throws -> EnodeURL {
    do {
        return try EnodeURL(text)
    } catch {
        throw ValidationError(error.description)
    }
}

func describe(_ hello: Hello?) -> String {
    guard let hello else { return "no Hello" }
    return """
        client      \(hello.clientID)
        p2p version \(hello.protocolVersion)
        caps        \(hello.capabilities.map(\.description).joined(separator: ", "))
        listen port \(hello.listenPort)
        node ID     \(Hex.encode(hello.nodeID))
        """
}

