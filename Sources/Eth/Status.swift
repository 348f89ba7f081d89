// SPDX-License-Identifier: Apache-2.0
import RLP

/// The first eth message each side sends.
///
/// eth/68: `[version, networkID, totalDifficulty, bestHash, genesis, forkID]`. eth/69 and later (EIP-7642) drop
/// the total difficulty and best hash and announce the range of blocks served instead:
/// `[version, networkID, genesis, forkID, earliest, latest, latestHash]`. Which layout applies is decided by the
/// version the connection negotiated, not by the `version` field.
public struct Status: Sendable, Hashable {
    /// What a Status says of the sender's chain head.
    public enum Head: Sendable, Hashable {
        /// eth/68: total difficulty and the hash of the best block.
        case totalDifficulty(UInt256, bestHash: Hash32)
        /// eth/69 and later: the blocks the sender serves.
        case range(BlockRange)
    }

    public var version: UInt32
    public var networkID: UInt64
    public var genesis: Hash32
    public var forkID: ForkID
    public var head: Head

    public init(version: UInt32, networkID: UInt64, genesis: Hash32, forkID: ForkID, head: Head) {
        self.version = version
        self.networkID = networkID
        self.genesis = genesis
        self.forkID = forkID
        self.head = head
    }

    /// Reads a Status in the layout of `protocolVersion`.
    public init(rlp reader: inout RLPReader, protocolVersion: UInt) throws(RLPError) {
        self = try reader.readList { list throws(RLPError) in
            let version: UInt32 = try list.read(field: "version")
            let networkID: UInt64 = try list.read(field: "networkID")
            if protocolVersion < 69 {
                let difficulty: UInt256 = try list.read(field: "totalDifficulty")
                let best: Hash32 = try list.read(field: "bestHash")
                return Status(
                    version: version, networkID: networkID, genesis: try list.read(field: "genesis"),
                    forkID: try list.read(field: "forkID"), head: .totalDifficulty(difficulty, bestHash: best))
            }
            let genesis: Hash32 = try list.read(field: "genesis")
            let forkID: ForkID = try list.read(field: "forkID")
            let range = try BlockRange(fields: &list)
            return Status(version: version, networkID: networkID, genesis: genesis, forkID: forkID, head: .range(range))
        }
    }

    /// Writes this Status in the layout its ``head`` implies.
    public func encode(to writer: inout RLPWriter) {
        writer.writeList { list in
            list.write(integer: version)
            list.write(integer: networkID)
            switch head {
            case .totalDifficulty(let difficulty, let best):
                list.write(difficulty)
                list.write(best)
                list.write(genesis)
                list.write(forkID)
            case .range(let range):
                list.write(genesis)
                list.write(forkID)
                range.writeFields(to: &list)
            }
        }
    }
}

/// The blocks a peer serves (EIP-7642): in eth/69+ Status and in BlockRangeUpdate.
public struct BlockRange: Sendable, Hashable, RLPCodable {
    public var earliest: UInt64
    public var latest: UInt64
    public var latestHash: Hash32

    public init(earliest: UInt64, latest: UInt64, latestHash: Hash32) {
        self.earliest = earliest
        self.latest = latest
        self.latestHash = latestHash
    }

    init(fields list: inout RLPReader) throws(RLPError) {
        earliest = try list.read(field: "earliest")
        latest = try list.read(field: "latest")
        latestHash = try list.read(field: "latestHash")
    }

    func writeFields(to list: inout RLPWriter) {
        list.write(integer: earliest)
        list.write(integer: latest)
        list.write(latestHash)
    }

    public func encode(to writer: inout RLPWriter) { writer.writeList { writeFields(to: &$0) } }

    public init(rlp reader: inout RLPReader) throws(RLPError) {
        self = try reader.readList { list throws(RLPError) in try BlockRange(fields: &list) }
    }
}
