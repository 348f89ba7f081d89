// SPDX-License-Identifier: Apache-2.0
import DevP2P
import Eth
import RLPxCrypto
import RLPxMultiplexing
import RLPxProbe

/// A node in memory for the probe's tests: a recipient session that answers as a script says, its output delivered
/// in one read however many messages it holds (as a real node's Hello and Status often arrive in one segment).
/// Reads never wait: with nothing to deliver they time out at once, advancing the dialer's driven clock by their
/// timeout, so a test that waits out a silent node takes the time it reports only on that clock.
final class MemoryNode: ProbeTransport, @unchecked Sendable {
    /// What the script may do on each session event: bytes to send right after the session's own.
    typealias Script = (SessionEvent, inout Session) -> [UInt8]

    private var session: Session
    private var random = SystemRandom()
    private var pending: [UInt8] = []
    private var closed = false
    private let script: Script
    private let clock: DrivenProbeClock

    init(key: Secp256k1.PrivateKey, protocols: [ProtocolSpec], clock: DrivenProbeClock, script: @escaping Script) {
        var random = SystemRandom()
        session = Session.recipient(
            SessionConfiguration(staticKey: key, protocols: protocols, clientID: "memory-node"), now: clock.now, random: &random)
        self.clock = clock
        self.script = script
    }

    func write(_ bytes: [UInt8]) -> Bool {
        guard !closed else { return false }
        let output = session.receive(bytes, now: clock.now, random: &random)
        pending += output.bytes
        for event in output.events { pending += script(event, &session) }
        if output.close { closed = true }
        return true
    }

    func read(timeout: Double) -> ProbeRead {
        if !pending.isEmpty {
            defer { pending = [] }
            return .bytes(pending)
        }
        if closed { return .closed(reset: false) }
        clock.advance(by: timeout)
        return .timeout
    }

    /// A dialer whose every connection reaches a fresh node of `key` running `script`, on a driven clock of its own.
    static func dialer(key: Secp256k1.PrivateKey, protocols: [ProtocolSpec], script: @escaping @Sendable () -> Script) -> ProbeDialer {
        let clock = DrivenProbeClock()
        return ProbeDialer(clock: clock) { _, _ in MemoryNode(key: key, protocols: protocols, clock: clock, script: script()) }
    }
}

/// A small chain and an eth node serving it, for scripts.
enum MemoryChain {
    static func blocks(_ count: Int) throws -> [Block] {
        var blocks: [Block] = []
        var parent = Hash32()
        for number in 0..<count {
            let base = BlockHeader.Base(
                parentHash: parent, ommersHash: Hash32(), coinbase: Address(), stateRoot: Hash32(), transactionsRoot: TrieRoot.empty,
                receiptsRoot: TrieRoot.empty, logsBloom: Bloom(), difficulty: UInt256(1), number: UInt64(number), gasLimit: 1,
                gasUsed: 0, timestamp: UInt64(number), extraData: [], mixHash: Hash32(), nonce: FixedBytes<8>())
            let header = try BlockHeader(base: base)
            parent = header.hash
            blocks.append(Block(header: header, body: BlockBody(transactions: [], ommers: [], withdrawals: nil)))
        }
        return blocks
    }

    static func responder(_ blocks: [Block], version: UInt) -> EthResponder {
        let config = ChainConfig(
            name: "memory", networkID: 7, chainID: 7, genesisHash: blocks[0].header.hash, genesisTime: 0, forkBlocks: [], forkTimes: [])
        return EthResponder(version: version, chain: config, blocks: blocks)
    }

    /// An eth/69 node: its Status goes out with its Hello, right after the handshake (one read for the probe;
    /// compressed, as the probe announces p2p v5), and
    /// it answers requests from `blocks`.
    static func script(_ blocks: [Block]) -> MemoryNode.Script {
        var responder = responder(blocks, version: 69)
        return { event, session in
            switch event {
            case .handshakeCompleted:
                let status = EthMessage.status(responder.status(time: 0))
                return session.sendUnchecked(wireCode: 0x10 + status.code, payload: status.encoded(version: 69), compressed: true).bytes
            case .message(let matched, let code, let payload) where matched.name == "eth":
                guard let message = try? EthMessage(version: 69, code: code, payload: payload) else { return [] }
                let reply = responder.receive(message, time: 0)
                var bytes: [UInt8] = []
                for answer in reply.send {
                    bytes += (try? session.send(protocol: "eth", code: answer.code, payload: answer.encoded(version: 69)))?.bytes ?? []
                }
                if let drop = reply.disconnect { bytes += session.disconnect(DisconnectReason(rawValue: drop.reason)).bytes }
                return bytes
            default: return []
            }
        }
    }
}
