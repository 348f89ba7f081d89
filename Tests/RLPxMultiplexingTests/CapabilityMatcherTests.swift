// SPDX-License-Identifier: Apache-2.0
import RLPxMultiplexing
import RLPxTestSupport
import Testing

@Suite struct CapabilityMatcherTests {
    static func file() throws -> [String: Any] { try #require(try Vectors.shared("caps/match_protocols.json") as? [String: Any]) }

    static func run(_ testCase: [String: Any]) throws {
        let local = try #require(testCase["local"] as? [[String: Any]]).map {
            ProtocolSpec(
                name: try #require($0["name"] as? String), version: UInt(try #require($0["version"] as? Int)),
                length: UInt64(try #require($0["length"] as? Int)))
        }
        let remote = try #require(testCase["remote"] as? [[String: Any]]).map {
            Capability(name: try #require($0["name"] as? String), version: UInt(try #require($0["version"] as? Int)))
        }
        let expected = try #require(testCase["expected"] as? [String: [String: Int]])
        let matched = CapabilityMatcher.match(local: local, remote: remote)
        #expect(matched.count == expected.count, "\(testCase["name"] ?? "")")
        for protocolMatch in matched {
            let want = try #require(expected[protocolMatch.name], "\(testCase["name"] ?? ""): unexpected \(protocolMatch)")
            #expect(Int(protocolMatch.version) == want["version"], "\(testCase["name"] ?? "")")
            #expect(Int(protocolMatch.offset) == want["offset"], "\(testCase["name"] ?? "")")
            #expect(Int(protocolMatch.offset) - 16 == want["offset_relative"], "\(testCase["name"] ?? "")")
            #expect(Int(protocolMatch.length) == want["length"], "\(testCase["name"] ?? "")")
        }
    }

    @Test func gethTableAndDerivedCases() throws {
        let file = try Self.file()
        let cases = try #require(file["cases"] as? [[String: Any]])
        #expect(cases.count == 10)
        for testCase in cases { try Self.run(testCase) }
        let derived = try #require((file["derived_cases"] as? [String: Any])?["cases"] as? [[String: Any]])
        #expect(derived.count == 4)
        for testCase in derived { try Self.run(testCase) }
    }

    @Test func codeMappingBothWays() throws {
        let mapping = try #require((try Self.file()["message_code_mapping"] as? [String: Any])?["cases"] as? [[String: Any]])
        for testCase in mapping {
            let specs = try #require(testCase["protocols"] as? [[String: Any]]).map {
                ProtocolSpec(
                    name: try #require($0["name"] as? String), version: UInt(try #require($0["version"] as? Int)),
                    length: UInt64(try #require($0["length"] as? Int)))
            }
            let space = MessageIDSpace(CapabilityMatcher.match(local: specs, remote: specs.map(\.capability)))
            for message in try #require(testCase["messages"] as? [[String: Any]]) {
                let local = UInt64(try #require(message["local_code"] as? Int))
                if testCase["direction"] as? String == "inbound" {
                    let wire = UInt64(try #require(message["wire_code"] as? Int))
                    #expect(try space.inbound(wire) == .subprotocol(space.protocols[0], localCode: local))
                } else if message["error"] != nil {
                    #expect(throws: MultiplexingError.self) { try space.outbound(protocol: specs[0].name, localCode: local) }
                } else {
                    #expect(try space.outbound(protocol: specs[0].name, localCode: local) == UInt64(try #require(message["wire_code"] as? Int)))
                }
            }
        }
    }

    /// Properties over random local and remote sets: contiguous, disjoint, ordered ranges from 16; only shared
    /// capabilities; the highest shared version of each name.
    @Test(arguments: 0..<20) func properties(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        let names = ["eth", "snap", "les", "wit", "bzz", "a", "Eth"]
        func pick() -> (String, UInt) { (names[Int.random(in: 0..<names.count, using: &random)], UInt.random(in: 60...70, using: &random)) }
        let local = (0..<Int.random(in: 0...8, using: &random)).map { _ in
            let (name, version) = pick()
            return ProtocolSpec(name: name, version: version, length: UInt64.random(in: 1...30, using: &random))
        }
        let remote = (0..<Int.random(in: 0...8, using: &random)).map { _ in
            let (n, v) = pick()
            return Capability(name: n, version: v)
        }
        let matched = CapabilityMatcher.match(local: local, remote: remote)
        var next: UInt64 = 16
        for protocolMatch in matched {
            #expect(protocolMatch.offset == next, "contiguous from 16 in order")
            next += protocolMatch.length
            let shared = Set(local.map(\.capability)).intersection(remote).filter { $0.name == protocolMatch.name }
            #expect(protocolMatch.version == shared.map(\.version).max(), "highest shared version")
        }
        #expect(matched.map(\.name) == matched.map(\.name).sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
        #expect(Set(matched.map(\.name)) == Set(Set(local.map(\.capability)).intersection(remote).map(\.name)), "only shared names")
        let space = MessageIDSpace(matched)
        for code in 16..<next {
            guard case .subprotocol(let owner, let localCode) = try space.inbound(code) else {
                Issue.record("\(code)")
                continue
            }
            #expect(try space.outbound(protocol: owner.name, localCode: localCode) == code)
        }
        #expect(throws: MultiplexingError.self) { try space.inbound(next) }
    }
}
