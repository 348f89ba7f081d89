// SPDX-License-Identifier: Apache-2.0
import Discovery
import RLP
import RLPxCrypto
import RLPxTestSupport
import Testing

/// EIP-778's example record, data only: its text, signing key and node ID.
enum EIP778Example {
    static let text =
        "enr:-IS4QHCYrYZbAKWCBRlAy5zzaDZXJBGkcnh4MHcBFZntXNFrdvJjX04jRzjzCBOonrkTfj499SZuOh8R33Ls8RRcy5wBgmlkgnY0gmlwhH8AAAGJc2VjcDI1NmsxoQPKY0yuDUmstAHYpMa2_oxVtw0RW_QAdpzBQA8yWM0xOIN1ZHCCdl8"
    static let privateKey = "b71c71a67e1177ad4e901695e1b4b9ee17ae16c6668d313eac2f96dbcda3f291"
    static let nodeID = "a448f24c6d18e575453db13171562b71999873db5b286df957af199ec94617f7"
    static let signature =
        "7098ad865b00a582051940cb9cf36836572411a47278783077011599ed5cd16b76f2635f4e234738f30813a89eb9137e3e3df5266e3a1f11df72ecf1145ccb9c"
    static let publicKey = "03ca634cae0d49acb401d8a4c6b6fe8c55b70d115bf400769cc1400f3258cd3138"
}

@Suite struct ENRExampleTests {
    @Test func theEIPExampleDecodesVerifiesAndReencodes() throws {
        let record = try ENR(text: EIP778Example.text)
        #expect(record.seq == 1)
        #expect(Hex.encode(record.signature) == EIP778Example.signature)
        #expect(record.pairs.map(\.name) == ["id", "ip", "secp256k1", "udp"])
        #expect(record.identityScheme == "v4")
        #expect(try record.ip() == IPAddress("127.0.0.1"))
        #expect(try record.udp() == 30303)
        #expect(try record.tcp() == nil)
        #expect(Hex.encode(try record.publicKey().compressed) == EIP778Example.publicKey)
        #expect(try record.nodeID().description == EIP778Example.nodeID)
        #expect(record.text == EIP778Example.text)
        #expect(try ENR(rlp: record.encoded) == record)
    }

    @Test func signingTheExampleContentGivesTheExampleRecord() throws {
        let key = try Secp256k1.PrivateKey(rawRepresentation: try Hex.decode(EIP778Example.privateKey))
        let example = try ENR(text: EIP778Example.text)
        let pairs = example.pairs.filter { $0.name == "ip" || $0.name == "udp" }
        let signed = try ENR.signed(seq: 1, pairs: pairs, key: key)
        // RFC 6979 nonces: the same key and content give the same signature.
        #expect(signed == example)
        #expect(signed.text == EIP778Example.text)
    }

    @Test func theExampleIsEnodeAddressable() throws {
        let record = try ENR(text: EIP778Example.text)
        #expect(
            record.enodeURL()
                == "enode://ca634cae0d49acb401d8a4c6b6fe8c55b70d115bf400769cc1400f3258cd31387574077f301b421bc84df7266c44e9e6d569fc56be00812904767bf5ccd1fc7f@127.0.0.1:0?discport=30303"
        )
    }

    @Test func aChangedByteBreaksTheSignature() throws {
        var bytes = try ENR(text: EIP778Example.text).encoded
        bytes[bytes.count - 1] ^= 1  // the udp port
        #expect(throws: DiscoveryError(.invalidSignature, "")) { try ENR(rlp: bytes) }
        #expect(try ENR(rlp: bytes, verifying: false).udp() == 30302)
    }
}

/// Records signed by eth-enr (Vectors/discovery/enr.json, Tools/gen-vectors/gen_enr_ethenr.py).
@Suite struct ENRCrossCheckTests {
    static func file() throws -> [String: Any] {
        try #require(try Vectors.project("discovery/enr.json") as? [String: Any])
    }

    @Test func ethENRRecordsDecodeWithTheirFields() throws {
        let cases = try #require(try Self.file()["valid"] as? [[String: Any]])
        #expect(cases.count == 8)
        var keysSeen: Set<String> = []
        for testCase in cases {
            let name = try #require(testCase["name"] as? String)
            let record = try ENR(text: try #require(testCase["text"] as? String))
            #expect(record.encoded == (try Vectors.bytes(testCase["rlp"])), "\(name)")
            #expect(try ENR(rlp: try Vectors.bytes(testCase["rlp"])) == record, "\(name)")
            #expect(String(record.seq) == (testCase["seq"] as? String), "\(name)")
            #expect(Hex.encode(record.signature) == (testCase["signature"] as? String), "\(name)")
            #expect(Hex.encode(try record.publicKey().compressed) == (testCase["publicKey"] as? String), "\(name)")
            #expect(try record.nodeID().description == (testCase["nodeId"] as? String), "\(name)")
            #expect(record.pairs.map(\.name) == (testCase["keys"] as? [String]), "\(name)")
            let raw = try #require(testCase["rawValues"] as? [String: String])
            for pair in record.pairs { #expect(raw[pair.name] == Hex.encode(pair.value), "\(name) \(pair.name)") }
            let fields = try #require(testCase["fields"] as? [String: Any])
            for (key, expected) in fields {
                keysSeen.insert(key)
                switch key {
                case "ip": #expect(try record.ip()?.description == expected as? String, "\(name)")
                case "ip6": #expect(try record.ip6()?.description == expected as? String, "\(name)")
                case "tcp": #expect(try record.tcp().map(Int.init) == expected as? Int, "\(name)")
                case "udp": #expect(try record.udp().map(Int.init) == expected as? Int, "\(name)")
                case "tcp6": #expect(try record.tcp6().map(Int.init) == expected as? Int, "\(name)")
                case "udp6": #expect(try record.udp6().map(Int.init) == expected as? Int, "\(name)")
                case "eth":
                    let entry = try #require(expected as? [String: Any])
                    let decoded = try #require(try record.eth())
                    #expect(Hex.encode(decoded.hash) == entry["hash"] as? String, "\(name)")
                    #expect("\(decoded.next)" == "\(entry["next"] ?? "")", "\(name)")
                    #expect(ENR.ethValue(decoded) == record.value(forKey: "eth"), "\(name)")
                default: Issue.record("unexpected field \(key)")
                }
            }
            #expect(try record.snap() == record.pairs.contains { $0.name == "snap" }, "\(name)")
        }
        #expect(keysSeen == ["ip", "ip6", "tcp", "udp", "tcp6", "udp6", "eth"])
    }

    @Test func ourSignerMatchesEthENRByteForByte() throws {
        let cases = try #require(try Self.file()["valid"] as? [[String: Any]])
        for testCase in cases {
            let theirs = try ENR(text: try #require(testCase["text"] as? String))
            let key = try Secp256k1.PrivateKey(rawRepresentation: try Vectors.bytes(testCase["privateKey"]))
            // The pairs in reverse order: signing sorts them.
            let ours = try ENR.signed(seq: theirs.seq, pairs: theirs.pairs.reversed(), key: key)
            #expect(ours == theirs, "\(testCase["name"] ?? "")")
        }
    }

    @Test func malformedRecordsAreRefusedWithTheirCode() throws {
        let cases = try #require(try Self.file()["malformed"] as? [[String: Any]])
        #expect(cases.count == 15)
        for testCase in cases {
            let name = try #require(testCase["name"] as? String)
            let code = DiscoveryError.Code(try #require(testCase["error"] as? String))
            let text = try #require(testCase["text"] as? String)
            do {
                _ = try ENR(text: text)
                Issue.record("\(name) was accepted")
            } catch {
                #expect(error.code == code, "\(name): \(error)")
            }
            if testCase["rlp"] != nil {
                #expect(throws: DiscoveryError(code, "")) { try ENR(rlp: try Vectors.bytes(testCase["rlp"])) }
            }
        }
    }
}

@Suite struct ENRCodecTests {
    static func bytesValue(_ bytes: [UInt8]) -> [UInt8] { RLPWriter.encode { $0.write(bytes: bytes) } }

    @Test func keysAreErrorsWhenTheirValuesHaveTheWrongShape() throws {
        let key = try Secp256k1.PrivateKey(rawRepresentation: [UInt8](repeating: 1, count: 32))
        let record = try ENR.signed(
            seq: 5,
            pairs: [
                .init(key: Array("ip".utf8), value: Self.bytesValue([1, 2, 3])),
                .init(key: Array("udp".utf8), value: RLPWriter.encode { $0.write(integer: UInt32(70000)) }),
                .init(key: Array("tcp".utf8), value: Self.bytesValue([0, 1])),
                .init(key: Array("eth".utf8), value: Self.bytesValue([1])),
                .init(key: Array("snap".utf8), value: Self.bytesValue([])),
            ], key: key)
        let reread = try ENR(text: record.text)
        #expect(throws: DiscoveryError(.invalidValue, "")) { try reread.ip() }
        #expect(throws: DiscoveryError(.invalidValue, "")) { try reread.udp() }
        #expect(throws: DiscoveryError(.invalidValue, "")) { try reread.tcp() }
        #expect(throws: DiscoveryError(.malformedRLP, "")) { try reread.eth() }
        #expect(throws: DiscoveryError(.invalidValue, "")) { try reread.snap() }
        #expect(reread.fieldDescriptions.count == 7)
        #expect(reread.fieldDescriptions.first { $0.key == "ip" }?.value.hasPrefix("invalid") == true)
    }

    @Test func errorsCarryOffsetAndField() throws {
        let example = try ENR(text: EIP778Example.text).encoded
        // Swap the keys "id" and "ip" (both 3 bytes long with their values differing): unsorted at the second key.
        var record = try ENR(rlp: example)
        let swapped = ENR(signature: record.signature, seq: record.seq, pairs: [record.pairs[1], record.pairs[0]] + record.pairs[2...])
        do {
            _ = try ENR(rlp: swapped.encoded)
            Issue.record("accepted")
        } catch {
            #expect(error.code == .unsortedKeys)
            #expect(error.field == "id")
            #expect(error.offset == 3 + 65 + 1 + 3 + 5)
        }
        record = ENR(signature: [], seq: 1, pairs: [])
        #expect(throws: DiscoveryError(.missingIdentityScheme, "")) { try record.verify() }
        do {
            _ = try ENR(rlp: [0xc2, 0x80, 0x00])
            Issue.record("accepted")
        } catch {
            #expect(error.code == .malformedRLP)
            #expect(error.field == "seq")
            #expect(error.offset == 2)
        }
    }

    @Test func updatesRaiseTheSequenceNumberAndKeepOtherKeys() throws {
        let key = try Secp256k1.PrivateKey(rawRepresentation: try Hex.decode(EIP778Example.privateKey))
        let example = try ENR(text: EIP778Example.text)
        let next = try example.updated(["tcp": RLPWriter.encode { $0.write(integer: UInt16(30303)) }, "ip": nil], key: key)
        #expect(next.seq == 2)
        #expect(next.pairs.map(\.name) == ["id", "secp256k1", "tcp", "udp"])
        #expect(try ENR(text: next.text) == next)
        #expect(try next.tcp() == 30303 && next.ip() == nil)
    }

    @Test func oversizedRecordsAreNotSigned() throws {
        let key = try Secp256k1.PrivateKey(rawRepresentation: [UInt8](repeating: 2, count: 32))
        let big = ENR.Pair(key: Array("pad".utf8), value: Self.bytesValue([UInt8](repeating: 0, count: 200)))
        #expect(throws: DiscoveryError(.recordTooLarge, "")) { try ENR.signed(seq: 1, pairs: [big], key: key) }
        #expect(throws: DiscoveryError(.recordTooLarge, "")) { try ENR(rlp: [UInt8](repeating: 0, count: 301)) }
    }

    @Test func randomRecordsRoundTripThroughTextAndRLP() throws {
        var random = SeededRandom(seed: 7781)
        for round in 0..<50 {
            let key = Secp256k1.PrivateKey.random(using: &random)
            var pairs: [ENR.Pair] = []
            for index in 0..<Int(random.next() % 6) {
                let name = Array("k\(index)\(round)".utf8)
                pairs.append(.init(key: name, value: Self.bytesValue(random.bytes(Int(random.next() % 20)))))
            }
            let record = try ENR.signed(seq: random.next(), pairs: pairs, key: key)
            #expect(try ENR(text: record.text) == record)
            #expect(try ENR(rlp: record.encoded) == record)
            #expect(try record.nodeID() == NodeID(publicKey: key.publicKey))
        }
    }

    @Test func base64URLRefusesWhatIsNotCanonical() {
        #expect(Base64URL.decode("") == [])
        #expect(Base64URL.decode("AQ") == [1])
        #expect(Base64URL.decode("AR") == nil)  // unused bits set
        #expect(Base64URL.decode("A") == nil)
        #expect(Base64URL.decode("AQ==") == nil)
        #expect(Base64URL.decode("-_8") == [0xfb, 0xff])
        for count in 0..<10 {
            let bytes = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 250) }
            #expect(Base64URL.decode(Base64URL.encode(bytes)) == bytes)
        }
    }

    @Test func ipAddressesParseAndPrint() {
        #expect(IPAddress("2001:db8:85a3:8d3:1319:8a2e:370:7348")?.description == "2001:db8:85a3:8d3:1319:8a2e:370:7348")
        #expect(IPAddress("2001:db8:3c4d:15::abcd:ef12")?.description == "2001:db8:3c4d:15::abcd:ef12")
        #expect(IPAddress("::1")?.isLoopback == true)
        #expect(IPAddress("::")?.description == "::")
        #expect(IPAddress("::ffff:1.2.3.4")?.bytes.suffix(4) == [1, 2, 3, 4])
        #expect(IPAddress("127.0.0.2")?.isLoopback == true)
        #expect(IPAddress("256.0.0.1") == nil)
        #expect(IPAddress("1::2::3") == nil)
        #expect(IPAddress("1.2.3") == nil)
    }
}

@Suite struct ENRNodeRecordTests {
    @Test func aNodesOwnRecordCarriesItsAddressForkIDAndSnap() throws {
        let key = Secp256k1.PrivateKey.fixed(0x44)
        let fork = ForkIDEntry(hash: [0x9f, 0x3d, 0x22, 0x54], next: 1_700_000_000)
        let v4 = try ENR.node(key: key, ip: IPAddress("10.1.2.3"), udp: 30301, tcp: 30303, eth: fork, snap: true)
        #expect(v4.pairs.map(\.name) == ["eth", "id", "ip", "secp256k1", "snap", "tcp", "udp"])
        #expect(try v4.eth() == fork && v4.snap() && v4.tcp() == 30303 && v4.udp() == 30301)
        #expect(v4.value(forKey: "snap") == [0xc0])
        #expect(v4.enodeURL()?.hasSuffix("@10.1.2.3:30303?discport=30301") == true)
        try ENR(text: v4.text).verify()
        let v6 = try ENR.node(key: key, ip: IPAddress("::1"), udp: 9000)
        #expect(v6.pairs.map(\.name) == ["id", "ip6", "secp256k1", "udp6"])
        #expect(try v6.udp6() == 9000 && v6.tcp6() == nil)
        #expect(v6.enodeURL()?.hasSuffix("@[::1]:0?discport=9000") == true)
    }
}
