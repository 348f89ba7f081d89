import Discovery
import Keccak
// SPDX-License-Identifier: Apache-2.0
import RLP
import RLPxCrypto

extension FuzzEntries {
    static let discoveryKey = Secp256k1.PrivateKey.fixed(0x61)

    /// Node records: the input as RLP and as the text form (both verified and not), every typed accessor; an
    /// accepted record re-encodes to exactly its input and reads back equal from its text.
    public static func enr(_ data: [UInt8]) {
        for verifying in [false, true] {
            if let record = try? ENR(rlp: data, verifying: verifying) {
                precondition(record.encoded == data, "an accepted record does not re-encode to its input")
                precondition((try? ENR(text: record.text, verifying: false)) == record, "text form does not round-trip")
                _ = try? record.ip()
                _ = try? record.ip6()
                _ = try? record.tcp()
                _ = try? record.udp()
                _ = try? record.tcp6()
                _ = try? record.udp6()
                _ = try? record.eth()
                _ = try? record.snap()
                _ = try? record.nodeID()
                _ = record.enodeURL()
                _ = record.fieldDescriptions
            }
        }
        _ = try? ENR(text: String(decoding: data, as: UTF8.self))
        _ = try? ENR(text: "enr:" + Base64URL.encode(data))
        _ = IPAddress(String(decoding: data.prefix(64), as: UTF8.self))
    }

    /// discv4 datagrams: the input as a whole packet, and (first byte odd) as the type and data of a packet hashed
    /// and signed properly, so the message decoders are reached. A decoded message re-encodes to a message that
    /// decodes equal to it.
    public static func discv4(_ data: [UInt8]) {
        var datagram = data
        if let first = data.first, first & 1 == 1, data.count >= 2 {
            let signed = [data[1] % 8] + data.dropFirst(2)
            let signature = (try? discoveryKey.signature(forDigest: Keccak256.hash(signed))) ?? []
            let tail = signature + signed
            datagram = Keccak256.hash(tail) + tail
        }
        guard let packet = try? Discv4Packet(decoding: datagram) else { return }
        let again = Discv4Packet(message: packet.message, key: discoveryKey)
        if again.bytes.count <= Discv4.maximumPacketSize {
            guard let reread = try? Discv4Packet(decoding: again.bytes) else { preconditionFailure("a re-encoded packet is refused") }
            precondition(reread.message == packet.message, "a re-encoded message decodes differently")
        }
        _ = packet.message.isExpired(now: 1_700_000_000)
    }
}
