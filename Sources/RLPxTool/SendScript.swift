// SPDX-License-Identifier: Apache-2.0
import Eth
import RLP
import RLPxCrypto
import RLPxMultiplexing

/// What `send` says on the protocol it talks: valid eth on eth (a Status first, then Transactions messages, so a
/// capture of it replays with every rule to no breach), raw RLP byte strings at code 0 on every other protocol.
struct SendScript {
    /// A message sent once before the echoed ones (eth's Status): its code and payload.
    var opening: (code: UInt64, payload: [UInt8])?
    /// The code and payload of every echoed message.
    var code: UInt64
    var payload: [UInt8]
    /// What the messages are, for people.
    var description: String

    /// The script for `matched` with messages of about `size` encoded bytes.
    static func make(for matched: MatchedProtocol, size: Int, using random: inout SystemRandom) throws -> SendScript {
        guard matched.name == "eth" else {
            let payload = randomPayload(size)
            return SendScript(
                opening: nil, code: 0, payload: payload,
                description: "raw byte strings at code 0 of \(matched.name)/\(matched.version) (not that protocol's messages)")
        }
        let payload = try transactionsMessage(size: size, using: &random)
        return SendScript(
            opening: (0, EthMessage.status(status(version: matched.version)).encoded(version: matched.version)),
            code: EthMessage.transactions([]).code, payload: payload,
            description: "eth/\(matched.version) Status, then Transactions messages (one signed legacy transaction each)")
    }

    /// A Status of a node at mainnet's genesis.
    static func status(version: UInt) -> Status {
        let chain = ChainConfig.mainnet
        let head: Status.Head =
            version >= 69
            ? .range(BlockRange(earliest: 0, latest: 0, latestHash: chain.genesisHash))
            : .totalDifficulty(UInt256(17_179_869_184), bestHash: chain.genesisHash)
        return Status(
            version: UInt32(version), networkID: chain.networkID, genesis: chain.genesisHash,
            forkID: chain.forkID(head: 0, time: chain.genesisTime), head: head)
    }

    /// A Transactions message holding one legacy transaction, signed by a fresh key, whose input makes the message
    /// `size` bytes long (or as near as the RLP headers allow; never below the smallest such message).
    static func transactionsMessage(size: Int, using random: inout SystemRandom) throws -> [UInt8] {
        let key = Secp256k1.PrivateKey.random(using: &random)
        var dataLength = max(0, size - 110)
        var message: [UInt8] = []
        for _ in 0..<4 {
            let data = (0..<dataLength).map { _ in UInt8.random(in: 1...255, using: &random) }
            let builder = TransactionBuilder(
                type: .legacy, chainID: 1, gasPrice: UInt256(1_000_000_000), gasLimit: 21_000 + 16 * UInt64(dataLength),
                to: Address(), data: data)
            message = EthMessage.transactions([try builder.signed(by: key)]).encoded(version: 68)
            let missing = size - message.count
            if missing == 0 || (missing < 0 && dataLength == 0) { break }
            dataLength = max(0, dataLength + missing)
        }
        return message
    }
}
