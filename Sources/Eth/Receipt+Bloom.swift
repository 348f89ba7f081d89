// SPDX-License-Identifier: Apache-2.0
import RLP

extension Bloom {
    /// Sets the three bits of `item` (an address or topic): the low 11 bits of each of the first three byte pairs of
    /// its Keccak-256, counted from the bloom's last byte (the yellow paper's M3:2048).
    public mutating func add(_ item: some Collection<UInt8>) {
        let hash = Hash32.keccak(Array(item)[...]).bytes
        var bytes = self.bytes
        for pair in stride(from: 0, to: 6, by: 2) {
            let bit = (Int(hash[pair]) << 8 | Int(hash[pair + 1])) & 2047
            bytes[255 - bit / 8] |= UInt8(1) << UInt8(bit % 8)
        }
        self = Bloom(bytes) ?? self
    }
}

extension Receipt {
    /// The bloom of these logs: each log's address and topics.
    public static func bloom(of logs: [Log]) -> Bloom {
        var bloom = Bloom()
        for log in logs {
            bloom.add(log.address.bytes)
            for topic in log.topics { bloom.add(topic.bytes) }
        }
        return bloom
    }

    /// The consensus receipt: this one with the bloom its logs imply (an eth/69 receipt travels without it).
    public var withBloom: Receipt {
        Receipt(type: type, statusOrPostState: statusOrPostState, cumulativeGasUsed: cumulativeGasUsed, bloom: Receipt.bloom(of: logs), logs: logs)
    }

    /// The receipts root of a block's receipts (blooms computed where missing), as its header carries it.
    public static func root(of receipts: [Receipt]) -> Hash32 {
        TrieRoot.orderedRoot(
            of: receipts.map { receipt in
                let consensus = receipt.bloom == nil ? receipt.withBloom : receipt
                let encoded = RLPWriter.encode { consensus.encode(to: &$0, form: .consensus) }
                // A typed receipt is `type ‖ rlp(...)`, written above as a byte string: the trie holds the bytes inside.
                guard consensus.type != 0 else { return encoded }
                var reader = RLPReader(encoded)
                return (try? reader.readBytes()).map(Array.init) ?? encoded
            })
    }
}

extension Receipt {
    /// The length of this receipt in eth/69's network form, as go-ethereum counts it against response limits.
    public var networkSize: Int { RLPWriter.encode { encode(to: &$0, form: .network) }.count }
}
