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
    @OptionGroup var nodeKey: NodeKeyOptions

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

    @Option(name: .long, help: .hidden) var fault: PeerFault?  // breaks a rule on purpose, for recording captures

    func validate() throws {
        for entry in cap where KnownProtocols.spec(entry) == nil {
            throw ValidationError("--cap takes name/version:length, e.g. les/4:24 (eth and snap need no length: eth/69)")
        }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level \(logLevel)") }
    }

    /// The peer configuration these options describe; logs go to stderr.
    func configuration(label: String) throws -> PeerConfiguration {
        var random = SystemRandom()
        let privateKey = nodeKey.load() ?? .random(using: &random)
        var session = SessionConfiguration(staticKey: privateKey, protocols: cap.compactMap { KnownProtocols.spec($0) }, clientID: clientID)
        session.protocolVersion = p2pVersion
        fault?.configure(&session)
        var logger = Logger(label: label) { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        var configuration = PeerConfiguration(session: session, logger: logger)
        if let path = keylog ?? ProcessInfo.processInfo.environment["RLPX_KEYLOG"], !path.isEmpty {
            configuration.keyLog = try KeyLogWriter(path: path)
        }
        return configuration
    }
}
