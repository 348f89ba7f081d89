// SPDX-License-Identifier: Apache-2.0
import DevP2P
import RLPxCrypto
import RLPxHandshake
import RLPxMultiplexing
import RLPxProtocols

/// What the probe learns of a node before its tests, on one connection of its own: the node's Hello, and from it
/// the capabilities the tests announce, so that no test is refused (or refuses the node) for a protocol one side
/// does not speak.
public struct ProbeIntroduction: Sendable {
    /// The node's Hello; nil when the node sent none (its tests then announce the default protocols).
    public let hello: Hello?
    /// What every test connection announces.
    public let announced: [ProtocolSpec]
    /// Things worth saying at the top of a report (assumed lengths, no Hello).
    public let notes: [String]
    /// The key log line of the introduction's connection (nil when its handshake did not complete), so that a
    /// capture of the whole run replays.
    public var keyLogLine: String? = nil

    /// What the probe announces to a node whose Hello it has not seen: eth and snap, every version it knows.
    public static let defaultProtocols = KnownProtocols.all

    /// The code-space length assumed for a protocol nobody gave one for (enough for every protocol defined today).
    public static let assumedLength: UInt64 = 32

    /// Chooses what to announce to a node that offers `offered`: every version of eth and snap it offers, every
    /// `given` protocol (`--cap name/version:length`), and, when that shares nothing, the node's other
    /// capabilities with an assumed length (a test never sends on them; the length only places later protocols).
    public static func announcement(offered: [Capability], given: [ProtocolSpec]) -> (announced: [ProtocolSpec], notes: [String]) {
        var announced = given
        var notes: [String] = []
        for capability in offered where !announced.contains(where: { $0.capability == capability }) {
            if let length = KnownProtocols.length(name: capability.name, version: capability.version) {
                announced.append(ProtocolSpec(name: capability.name, version: capability.version, length: length))
            }
        }
        if CapabilityMatcher.match(local: announced, remote: offered).isEmpty {
            let unknown = offered.filter { capability in !announced.contains { $0.capability == capability } }
            for capability in unknown {
                announced.append(ProtocolSpec(name: capability.name, version: capability.version, length: assumedLength))
            }
            if !unknown.isEmpty {
                notes.append(
                    "announcing \(unknown.map(\.description).joined(separator: ", ")) with an assumed length of \(assumedLength) "
                        + "(give --cap name/version:length for the real one)")
            }
        }
        if announced.isEmpty { announced = defaultProtocols }
        return (announced, notes)
    }

    /// Connects once, reads the node's Hello without sending one, and leaves with Disconnect (client quitting).
    /// Throws when the node cannot be reached at all.
    public static func introduce(
        to target: ProbeTarget, timeout: Double, given: [ProtocolSpec], dialer: ProbeDialer = .network
    ) throws(ProbeError) -> ProbeIntroduction {
        var random = SystemRandom()
        var configuration = SessionConfiguration(staticKey: .random(using: &random), protocols: [], clientID: ProbeSuite.clientID)
        configuration.sendsHello = false
        var connection = try ProbeConnection(target, configuration: configuration, number: 0, timeout: timeout, dialer: dialer)
        let reaction = connection.awaitHello(timeout: timeout)
        // Uncompressed: the node never saw a Hello of ours, so it compresses nothing it reads from us.
        connection.send(
            connection.session.sendUnchecked(wireCode: BaseProtocol.disconnectCode, payload: DisconnectReason.quitting.payload, compressed: false))
        let keyLogLine = connection.session.secrets.map { secrets in
            KeyLogEntry(secrets: secrets, initiatorID: configuration.staticKey.publicKey.nodeID, recipientID: target.publicKey.nodeID).line
        }
        guard let hello = connection.session.remoteHello else {
            let announced = given.isEmpty ? defaultProtocols : given
            return ProbeIntroduction(
                hello: nil, announced: announced,
                notes: ["no Hello on the first connection (\(reaction)); announcing \(announced.map(\.description).joined(separator: ", "))"],
                keyLogLine: keyLogLine)
        }
        let (announced, notes) = announcement(offered: hello.capabilities, given: given)
        return ProbeIntroduction(hello: hello, announced: announced, notes: notes, keyLogLine: keyLogLine)
    }
}
