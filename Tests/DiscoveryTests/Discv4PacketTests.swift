// SPDX-License-Identifier: Apache-2.0
import Discovery
import Keccak
import RLP
import RLPxCrypto
import RLPxTestSupport
import Testing

/// The packets of devp2p discv4.md's test vectors (EIP-8 forward compatibility), signed with one key; data only.
enum Discv4SpecVectors {
    static let key = "b71c71a67e1177ad4e901695e1b4b9ee17ae16c6668d313eac2f96dbcda3f291"

    static let pingV4 =
        "71dbda3a79554728d4f94411e42ee1f8b0d561c10e1e5f5893367948c6a7d70bb87b235fa28a77070271b6c164a2dce8c7e13a5739b53b5e96f2e5acb0e458a02902f5965d55ecbeb2ebb6cabb8b2b232896a36b737666c55265ad0a68412f250001ea04cb847f000001820cfa8215a8d790000000000000000000000000000000018208ae820d058443b9a355"
    static let pingExtraElements =
        "e9614ccfd9fc3e74360018522d30e1419a143407ffcce748de3e22116b7e8dc92ff74788c0b6663aaa3d67d641936511c8f8d6ad8698b820a7cf9e1be7155e9a241f556658c55428ec0563514365799a4be2be5a685a80971ddcfa80cb422cdd0101ec04cb847f000001820cfa8215a8d790000000000000000000000000000000018208ae820d058443b9a3550102"
    static let pingVersion555 =
        "577be4349c4dd26768081f58de4c6f375a7a22f3f7adda654d1428637412c3d7fe917cadc56d4e5e7ffae1dbe3efffb9849feb71b262de37977e7c7a44e677295680e9e38ab26bee2fcbae207fba3ff3d74069a50b902a82c9903ed37cc993c50001f83e82022bd79020010db83c4d001500000000abcdef12820cfa8215a8d79020010db885a308d313198a2e037073488208ae82823a8443b9a355c5010203040531b9019afde696e582a78fa8d95ea13ce3297d4afb8ba6433e4154caa5ac6431af1b80ba76023fa4090c408f6b4bc3701562c031041d4702971d102c9ab7fa5eed4cd6bab8f7af956f7d565ee1917084a95398b6a21eac920fe3dd1345ec0a7ef39367ee69ddf092cbfe5b93e5e568ebc491983c09c76d922dc3"
    static let pong =
        "09b2428d83348d27cdf7064ad9024f526cebc19e4958f0fdad87c15eb598dd61d08423e0bf66b2069869e1724125f820d851c136684082774f870e614d95a2855d000f05d1648b2d5945470bc187c2d2216fbe870f43ed0909009882e176a46b0102f846d79020010db885a308d313198a2e037073488208ae82823aa0fbc914b16819237dcd8801d7e53f69e9719adecb3cc0e790c57e91ca4461c9548443b9a355c6010203c2040506a0c969a58f6f9095004c0177a6b47f451530cab38966a25cca5cb58f055542124e"
    static let findNode =
        "c7c44041b9f7c7e41934417ebac9a8e1a4c6298f74553f2fcfdcae6ed6fe53163eb3d2b52e39fe91831b8a927bf4fc222c3902202027e5e9eb812195f95d20061ef5cd31d502e47ecb61183f74a504fe04c51e73df81f25c4d506b26db4517490103f84eb840ca634cae0d49acb401d8a4c6b6fe8c55b70d115bf400769cc1400f3258cd31387574077f301b421bc84df7266c44e9e6d569fc56be00812904767bf5ccd1fc7f8443b9a35582999983999999280dc62cc8255c73471e0a61da0c89acdc0e035e260add7fc0c04ad9ebf3919644c91cb247affc82b69bd2ca235c71eab8e49737c937a2c396"
    static let neighbors =
        "c679fc8fe0b8b12f06577f2e802d34f6fa257e6137a995f6f4cbfc9ee50ed3710faf6e66f932c4c8d81d64343f429651328758b47d3dbc02c4042f0fff6946a50f4a49037a72bb550f3a7872363a83e1b9ee6469856c24eb4ef80b7535bcf99c0004f9015bf90150f84d846321163782115c82115db8403155e1427f85f10a5c9a7755877748041af1bcd8d474ec065eb33df57a97babf54bfd2103575fa829115d224c523596b401065a97f74010610fce76382c0bf32f84984010203040101b840312c55512422cf9b8a4097e9a6ad79402e87a15ae909a4bfefa22398f03d20951933beea1e4dfa6f968212385e829f04c2d314fc2d4e255e0d3bc08792b069dbf8599020010db83c4d001500000000abcdef12820d05820d05b84038643200b172dcfef857492156971f0e6aa2c538d8b74010f8e140811d53b98c765dd2d96126051913f44582e8c199ad7c6d6819e9a56483f637feaac9448aacf8599020010db885a308d313198a2e037073488203e78203e8b8408dcab8618c3253b558d459da53bd8fa68935a719aff8b811197101a4b2b47dd2d47295286fc00cc081bb542d760717d1bdd6bec2c37cd72eca367d6dd3b9df738443b9a355010203b525a138aa34383fec3d2719a0"

    static let expiration: UInt64 = 1_136_239_445
}

@Suite struct Discv4SpecVectorTests {
    static func decode(_ hex: String) throws -> Discv4Packet { try Discv4Packet(decoding: try Hex.decode(hex)) }
    static func endpoint(_ ip: String, _ udp: UInt16, _ tcp: UInt16) throws -> Discv4.Endpoint {
        Discv4.Endpoint(address: try #require(IPAddress(ip)), udp: udp, tcp: tcp)
    }

    @Test func everyPacketIsSignedByTheSpecKey() throws {
        let key = try Secp256k1.PrivateKey(rawRepresentation: try Hex.decode(Discv4SpecVectors.key))
        for hex in [
            Discv4SpecVectors.pingV4, Discv4SpecVectors.pingExtraElements, Discv4SpecVectors.pingVersion555, Discv4SpecVectors.pong,
            Discv4SpecVectors.findNode, Discv4SpecVectors.neighbors,
        ] {
            let packet = try Self.decode(hex)
            #expect(packet.sender == key.publicKey)
            #expect(Hex.encode(packet.hash) == String(hex.prefix(64)))
            #expect(packet.message.expiration == Discv4SpecVectors.expiration)
        }
    }

    @Test func pings() throws {
        let from = try Self.endpoint("127.0.0.1", 3322, 5544)
        let to = try Self.endpoint("::1", 2222, 3333)
        #expect(
            try Self.decode(Discv4SpecVectors.pingV4).message
                == .ping(.init(version: 4, from: from, to: to, expiration: Discv4SpecVectors.expiration)))
        // Extra elements 0x01 0x02: the first is read as the ENR sequence number (EIP-868), the rest kept.
        #expect(
            try Self.decode(Discv4SpecVectors.pingExtraElements).message
                == .ping(.init(version: 4, from: from, to: to, expiration: Discv4SpecVectors.expiration, enrSeq: 1, rest: [[0x02]])))
        // Version 555 and a list where the sequence number would be: no sequence number, the list kept.
        #expect(
            try Self.decode(Discv4SpecVectors.pingVersion555).message
                == .ping(
                    .init(
                        version: 555, from: try Self.endpoint("2001:db8:3c4d:15::abcd:ef12", 3322, 5544),
                        to: try Self.endpoint("2001:db8:85a3:8d3:1319:8a2e:370:7348", 2222, 33338), expiration: Discv4SpecVectors.expiration,
                        rest: [[0xc5, 1, 2, 3, 4, 5]])))
    }

    @Test func pong() throws {
        #expect(
            try Self.decode(Discv4SpecVectors.pong).message
                == .pong(
                    .init(
                        to: try Self.endpoint("2001:db8:85a3:8d3:1319:8a2e:370:7348", 2222, 33338),
                        pingHash: try Hex.decode("fbc914b16819237dcd8801d7e53f69e9719adecb3cc0e790c57e91ca4461c954"),
                        expiration: Discv4SpecVectors.expiration, rest: [[0xc6, 1, 2, 3, 0xc2, 4, 5], [6]])))
    }

    @Test func findNode() throws {
        #expect(
            try Self.decode(Discv4SpecVectors.findNode).message
                == .findNode(
                    .init(
                        target: try Hex.decode(
                            "ca634cae0d49acb401d8a4c6b6fe8c55b70d115bf400769cc1400f3258cd31387574077f301b421bc84df7266c44e9e6d569fc56be00812904767bf5ccd1fc7f"
                        ), expiration: Discv4SpecVectors.expiration, rest: [[0x82, 0x99, 0x99], [0x83, 0x99, 0x99, 0x99]])))
    }

    @Test func neighbors() throws {
        let nodes: [Discv4.Node] = [
            .init(
                endpoint: try Self.endpoint("99.33.22.55", 4444, 4445),
                key: try Hex.decode(
                    "3155e1427f85f10a5c9a7755877748041af1bcd8d474ec065eb33df57a97babf54bfd2103575fa829115d224c523596b401065a97f74010610fce76382c0bf32"
                )),
            .init(
                endpoint: try Self.endpoint("1.2.3.4", 1, 1),
                key: try Hex.decode(
                    "312c55512422cf9b8a4097e9a6ad79402e87a15ae909a4bfefa22398f03d20951933beea1e4dfa6f968212385e829f04c2d314fc2d4e255e0d3bc08792b069db"
                )),
            .init(
                endpoint: try Self.endpoint("2001:db8:3c4d:15::abcd:ef12", 3333, 3333),
                key: try Hex.decode(
                    "38643200b172dcfef857492156971f0e6aa2c538d8b74010f8e140811d53b98c765dd2d96126051913f44582e8c199ad7c6d6819e9a56483f637feaac9448aac"
                )),
            .init(
                endpoint: try Self.endpoint("2001:db8:85a3:8d3:1319:8a2e:370:7348", 999, 1000),
                key: try Hex.decode(
                    "8dcab8618c3253b558d459da53bd8fa68935a719aff8b811197101a4b2b47dd2d47295286fc00cc081bb542d760717d1bdd6bec2c37cd72eca367d6dd3b9df73"
                )),
        ]
        #expect(
            try Self.decode(Discv4SpecVectors.neighbors).message
                == .neighbors(.init(nodes: nodes, expiration: Discv4SpecVectors.expiration, rest: [[1], [2], [3]])))
    }

    @Test func decodedMessagesReencodeToTheirPacketData() throws {
        // Trailing bytes after the list (pingVersion555, pong, findNode, neighbors carry some) are not part of it.
        for hex in [Discv4SpecVectors.pingV4, Discv4SpecVectors.pingExtraElements, Discv4SpecVectors.findNode, Discv4SpecVectors.neighbors] {
            let packet = try Self.decode(hex)
            let data = Array(packet.bytes[(Discv4Packet.headerSize + 1)...])
            #expect(Array(data.prefix(packet.message.packetData.count)) == packet.message.packetData)
        }
        let key = try Secp256k1.PrivateKey(rawRepresentation: try Hex.decode(Discv4SpecVectors.key))
        let pingV4 = try Self.decode(Discv4SpecVectors.pingV4)
        // Signed again (the spec's signatures used other nonces): the same type and data after the signature.
        let again = Discv4Packet(message: pingV4.message, key: key)
        #expect(again.bytes[Discv4Packet.headerSize...] == pingV4.bytes[Discv4Packet.headerSize...])
        #expect(try Discv4Packet(decoding: again.bytes).message == pingV4.message)
    }
}

@Suite struct Discv4PacketTests {
    static let key = Secp256k1.PrivateKey.fixed(0x21)

    static let record: ENR = {
        guard let record = try? ENR.signed(seq: 3, pairs: [], key: Secp256k1.PrivateKey.fixed(0x21)) else {
            preconditionFailure("a record without pairs is under 300 bytes")
        }
        return record
    }()

    static let messages: [Discv4.Message] = [
        .ping(.init(from: .init(ip: [127, 0, 0, 1], udp: 30303, tcp: 30303), to: .init(ip: [], udp: 1, tcp: 0), expiration: 99, enrSeq: 7)),
        .pong(.init(to: .init(ip: [10, 0, 0, 2], udp: 2, tcp: 3), pingHash: [UInt8](repeating: 9, count: 32), expiration: 1)),
        .findNode(.init(target: [UInt8](repeating: 4, count: 64), expiration: .max)),
        .neighbors(.init(nodes: [], expiration: 5)),
        .enrRequest(.init(expiration: 6, rest: [[0xc0]])),
        .enrResponse(.init(requestHash: [UInt8](repeating: 1, count: 32), record: record)),
    ]

    @Test func everyMessageRoundTrips() throws {
        for message in Self.messages {
            let packet = Discv4Packet(message: message, key: Self.key)
            let decoded = try Discv4Packet(decoding: packet.bytes)
            #expect(decoded.message == message)
            #expect(decoded.hash == packet.hash)
            #expect(decoded.sender == Self.key.publicKey)
            #expect(decoded.senderID == NodeID(publicKey: Self.key.publicKey))
        }
    }

    @Test func theENRResponseCarriesAVerifiableRecord() throws {
        let packet = Discv4Packet(message: Self.messages[5], key: Self.key)
        guard case .enrResponse(let response) = try Discv4Packet(decoding: packet.bytes).message else {
            Issue.record("not an ENRResponse")
            return
        }
        try response.record.verify()
        #expect(try response.record.publicKey() == Self.key.publicKey)
    }

    @Test func damagedPacketsAreRefusedWithTheirCode() throws {
        let packet = Discv4Packet(message: Self.messages[0], key: Self.key).bytes
        #expect(throws: DiscoveryError(.packetTooSmall, "")) { try Discv4Packet(decoding: packet.prefix(97)) }
        #expect(throws: DiscoveryError(.packetTooLarge, "")) { try Discv4Packet(decoding: packet + [UInt8](repeating: 0, count: 1280)) }
        var flipped = packet
        flipped[40] ^= 1
        #expect(throws: DiscoveryError(.hashMismatch, "")) { try Discv4Packet(decoding: flipped) }
        // A signature that recovers no key, with the hash made right.
        var unsigned = Array(packet[32...])
        for index in 0..<64 { unsigned[index] = 0 }
        #expect(throws: DiscoveryError(.invalidSignature, "")) { try Discv4Packet(decoding: Keccak256.hash(unsigned) + unsigned) }
        // An unknown type, signed properly.
        #expect(throws: DiscoveryError(.unknownPacketType, "")) { try Discv4Packet(decoding: Self.signedRaw(type: 9, data: [0xc0])) }
        // A ping whose list ends early: malformed RLP, with the field and offset inside the datagram.
        do {
            _ = try Discv4Packet(decoding: Self.signedRaw(type: 1, data: [0xc1, 0x04]))
            Issue.record("accepted")
        } catch {
            #expect(error.code == .malformedRLP)
            #expect(error.field == "ping.from")
            #expect(error.offset == 100)  // where "from" should start: the list's end
        }
        // A FindNode target of 63 bytes.
        let shortTarget = RLPWriter.encode {
            $0.writeList { list in
                list.write(bytes: [UInt8](repeating: 1, count: 63))
                list.write(integer: UInt64(1))
            }
        }
        #expect(throws: DiscoveryError(.malformedRLP, "")) { try Discv4Packet(decoding: Self.signedRaw(type: 3, data: shortTarget)) }
    }

    @Test func expirationIsJudgedAgainstTheGivenTime() {
        let message = Discv4.Message.enrRequest(.init(expiration: 1000))
        #expect(!message.isExpired(now: 999))
        #expect(!message.isExpired(now: 1000))
        #expect(message.isExpired(now: 1001))
        #expect(!Self.messages[5].isExpired(now: .max))
    }

    @Test func neighborsSplitUnder1280Bytes() throws {
        let node = Discv4.Node(
            endpoint: .init(ip: [UInt8](repeating: 0xff, count: 16), udp: .max, tcp: .max), key: [UInt8](repeating: 0xff, count: 64))
        let split = Discv4.Neighbors.split(Array(repeating: node, count: 16), expiration: .max)
        #expect(split.map(\.nodes.count) == [12, 4])
        for message in split {
            #expect(Discv4Packet(message: .neighbors(message), key: Self.key).bytes.count <= Discv4.maximumPacketSize)
        }
        let thirteen = Discv4.Neighbors(nodes: Array(repeating: node, count: 13), expiration: .max)
        #expect(Discv4Packet(message: .neighbors(thirteen), key: Self.key).bytes.count > Discv4.maximumPacketSize)
        #expect(Discv4.Neighbors.split([], expiration: 1).map(\.nodes.count) == [0])
    }

    /// A datagram of any type byte and data, hashed and signed properly.
    static func signedRaw(type: UInt8, data: [UInt8]) -> [UInt8] {
        let signed = [type] + data
        let signature = (try? key.signature(forDigest: Keccak256.hash(signed))) ?? []
        let tail = signature + signed
        return Keccak256.hash(tail) + tail
    }
}

extension Secp256k1.PrivateKey {
    /// A fixed test key: 31 zero bytes then `byte` (1...255, always a valid scalar).
    static func fixed(_ byte: UInt8) -> Secp256k1.PrivateKey {
        guard let key = try? Secp256k1.PrivateKey(rawRepresentation: [UInt8](repeating: 0, count: 31) + [byte]) else {
            preconditionFailure("test key \(byte) is not a scalar")
        }
        return key
    }
}
