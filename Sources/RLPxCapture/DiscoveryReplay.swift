// SPDX-License-Identifier: Apache-2.0
import Discovery
import Discv5
import Keccak
import RLPxCrypto
import RLPxEvents

/// Reads a capture's UDP datagrams as discovery traffic and raises a ``DiscoveryEvent`` for each one it recognises.
///
/// A datagram is discv4 when its first 32 bytes are the keccak-256 of the rest (or, failing that, when its
/// signature recovers a key and its type and data decode: a discv4 packet with a wrong hash). Otherwise it is tried
/// as discv5: its header is unmasked with the node IDs the key log names and those learnt from the headers read so
/// far (the receiver's ID is cached by endpoint), and an ordinary or handshake packet's message is decrypted with
/// the session keys of its two nodes (the initiator writes with the initiator key). Anything else is ignored.
public struct DiscoveryReplay {
    private let keyLog: [Discv5KeyLogEntry]
    /// Node IDs to unmask headers with: the key log's, then those learnt from headers.
    private var nodeIDs: [[UInt8]]
    private var known: Set<[UInt8]>
    /// The node ID each endpoint was last seen to have.
    private var idByEndpoint: [Endpoint: [UInt8]] = [:]
    /// At most this many IDs are learnt from headers (a capture of many nodes cannot grow the list past it).
    static let maximumLearntIDs = 4096
    /// Datagrams read as discv4 or discv5, and those not recognised.
    public private(set) var discv4Count = 0
    public private(set) var discv5Count = 0
    /// Datagrams large enough for discv5 whose header no known node ID unmasks: their messages were not read.
    public private(set) var unreadCount = 0

    /// - Parameter keyLog: the discv5 sessions of the capture (``Discv5KeyLogEntry/parse(_:)``).
    public init(keyLog: [Discv5KeyLogEntry] = []) {
        self.keyLog = keyLog
        var ids: [[UInt8]] = []
        for entry in keyLog {
            if !ids.contains(entry.initiatorID) { ids.append(entry.initiatorID) }
            if !ids.contains(entry.recipientID) { ids.append(entry.recipientID) }
        }
        nodeIDs = ids
        known = Set(ids)
    }

    /// The event for `datagram`: discv4, discv5, or unread (too large for discv4, nothing unmasks it); nil for a
    /// datagram too small for either.
    public mutating func read(_ datagram: UDPDatagram) -> DiscoveryEvent? {
        let kind: DiscoveryEvent.Kind
        if let discv4 = Self.discv4(datagram.payload) {
            discv4Count += 1
            kind = discv4
        } else if let discv5 = discv5(datagram) {
            discv5Count += 1
            kind = discv5
        } else if datagram.payload.count >= Packet.minimumSize {
            unreadCount += 1
            kind = .unread
        } else {
            return nil
        }
        return DiscoveryEvent(
            time: datagram.time, source: datagram.source.description, destination: datagram.destination.description,
            size: datagram.payload.count, kind: kind)
    }

    /// The datagram read as discv4, or nil when it is not one.
    static func discv4(_ bytes: [UInt8]) -> DiscoveryEvent.Kind? {
        guard bytes.count > Discv4Packet.headerSize else { return nil }
        if bytes[..<32].elementsEqual(Keccak256.hash(bytes[32...])) {
            guard bytes.count <= Discv4.maximumPacketSize else {
                return .discv4Fault(
                    DiscoveryError(.packetTooLarge, "\(bytes.count) bytes, over \(Discv4.maximumPacketSize)", at: Discv4.maximumPacketSize))
            }
            do throws(DiscoveryError) {
                return .discv4(try Discv4Packet(decoding: bytes))
            } catch {
                return .discv4Fault(error)
            }
        }
        // A wrong hash: discv4 still when the message decodes and the signature recovers a key over type and data
        // (checked in that order, cheapest first: most UDP datagrams fail at the type byte).
        let signed = bytes[Discv4Packet.headerSize...]
        guard (1...6).contains(bytes[Discv4Packet.headerSize]), bytes.count <= Discv4.maximumPacketSize,
            (try? Discv4.Message(type: bytes[Discv4Packet.headerSize], data: bytes[(Discv4Packet.headerSize + 1)...])) != nil,
            (try? Secp256k1.PublicKey(recoveringFrom: bytes[32..<Discv4Packet.headerSize], digest: Keccak256.hash(signed))) != nil
        else { return nil }
        return .discv4Fault(DiscoveryError(.hashMismatch, "hash is not the keccak of signature, type and data", at: 0, field: "hash"))
    }

    /// The datagram read as discv5, or nil when no known node ID unmasks its header.
    mutating func discv5(_ datagram: UDPDatagram) -> DiscoveryEvent.Kind? {
        let bytes = datagram.payload
        guard bytes.count >= Packet.minimumSize, !nodeIDs.isEmpty else { return nil }
        var candidates = nodeIDs
        if let cached = idByEndpoint[datagram.destination], let index = candidates.firstIndex(of: cached) {
            candidates.swapAt(0, index)
        }
        // A packet over 1280 bytes is still known by its header: unmask the part that may be one.
        let window = bytes.count > Packet.maximumSize ? Array(bytes.prefix(Packet.maximumSize)) : bytes
        for id in candidates {
            let packet: Packet
            do throws(Discv5Error) {
                packet = try Packet(decoding: window, localNodeID: id)
            } catch  where error.code == .wrongProtocolID {
                continue
            } catch {
                idByEndpoint[datagram.destination] = id
                return .discv5Fault(error)
            }
            idByEndpoint[datagram.destination] = id
            if bytes.count > Packet.maximumSize {
                return .discv5Fault(Discv5Error(.packetTooLarge, "a packet of \(bytes.count) bytes is over 1280", at: 0))
            }
            guard let source = packet.authData.sourceID else { return .discv5(packet, destinationID: id, message: nil, keyed: true) }
            idByEndpoint[datagram.source] = source
            if !known.contains(source) && known.count < Self.maximumLearntIDs {
                known.insert(source)
                nodeIDs.append(source)
            }
            let keyed = keyLog.contains { $0.writeKey(source: source, destination: id) != nil }
            do throws(Discv5Error) {
                let message = try Discv5KeyLogEntry.open(packet, source: source, destination: id, entries: keyLog)
                return .discv5(packet, destinationID: id, message: message, keyed: keyed)
            } catch {
                return .discv5Fault(error)
            }
        }
        return nil
    }
}
