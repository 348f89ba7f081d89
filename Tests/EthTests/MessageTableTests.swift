// SPDX-License-Identifier: Apache-2.0
import Eth
import RLP
import Snap
import Testing

/// The eth and snap message tables against go-ethereum's definitions, and every view derived from them against the
/// tables.
@Suite struct MessageTableTests {
    static let tables: [(MessageTable, GethProtocols.Table)] = [
        (EthVersion.messages, GethProtocols.eth), (SnapVersion.messages, GethProtocols.snap),
    ]

    @Test func codesAndNamesMatchGoEthereum() {
        for (table, geth) in Self.tables {
            #expect(Dictionary(uniqueKeysWithValues: table.messages.map { ($0.name, $0.code) }) == geth.codes, "\(table.protocolName)")
        }
    }

    @Test func codeSpaceLengthsMatchGoEthereum() {
        for (table, geth) in Self.tables {
            #expect(Set(geth.lengths.keys) == Set(table.supported), "\(table.protocolName)")
            for version in table.supported {
                #expect(table.codeSpaceLength(version) == geth.lengths[version], "\(table.protocolName)/\(version)")
            }
            #expect(table.codeSpaceLength(table.supported.lowerBound - 1) == nil)
            #expect(table.codeSpaceLength(table.supported.upperBound + 1) == nil)
        }
    }

    /// A version defines exactly the messages go-ethereum handles on it.
    @Test func availabilityMatchesGoEthereumsHandlers() {
        for (table, geth) in Self.tables {
            for version in table.supported {
                let defined = Set(table.messages.filter { $0.isDefined(on: version) }.map(\.name))
                #expect(defined == geth.handled[version], "\(table.protocolName)/\(version)")
                for code in 0..<(table.codeSpaceLength(version) ?? 0) + 2 {
                    let name = table.messageName(code: code, version: version)
                    #expect(name.map { geth.handled[version]?.contains($0) ?? false } ?? true, "\(table.protocolName)/\(version) code \(code)")
                }
            }
        }
    }

    @Test func requestResponsePairsMatchGoEthereum() {
        for (table, geth) in Self.tables {
            let pairs = table.messages.compactMap { request in
                request.responseCode.flatMap { table.message(code: $0) }.map { (request.name, $0.name) }
            }
            #expect(Dictionary(uniqueKeysWithValues: pairs) == geth.pairs, "\(table.protocolName)")
            for (request, response) in geth.pairs {
                let requestCode = geth.codes[request]
                let responseCode = geth.codes[response]
                #expect(responseCode.flatMap { table.requestCode(answeredBy: $0) } == requestCode, "\(response)")
            }
            let exchanges = Set(geth.pairs.flatMap { [$0.key, $0.value] }.compactMap { geth.codes[$0] })
            #expect(table.exchangeCodes == exchanges, "\(table.protocolName)")
        }
    }

    /// A removed message keeps its code reserved: later versions name nothing there, and the decoder says why.
    @Test func removedCodesAreTheMessagesALaterVersionDropped() {
        #expect(EthVersion.messages.removedCodes == [0x01, 0x07])
        #expect(SnapVersion.messages.removedCodes == [0x06, 0x07])
        for (table, _) in Self.tables {
            for version in table.supported {
                for message in table.messages {
                    #expect(table.isRemoved(code: message.code, version: version) == (message.removed.map { version >= $0 } ?? false))
                }
            }
        }
    }

    /// The message kinds are the table's codes, and a decoded message names itself as its row does.
    @Test func kindsAreTheTablesCodes() {
        #expect(EthMessage.Kind.allCases.map(\.rawValue) == EthVersion.messages.messages.map(\.code))
        #expect(SnapMessage.Kind.allCases.map(\.rawValue) == SnapVersion.messages.messages.map(\.code))
    }

    /// `EthVersion` and `SnapVersion`'s functions read the table, and the decoders accept a code exactly where the
    /// table defines it.
    @Test func derivedViewsAgreeWithTheTables() {
        for version in EthVersion.supported {
            #expect(EthVersion.codeSpaceLength(version) == EthVersion.messages.codeSpaceLength(version))
            for code in 0..<UInt64(24) {
                let definition = EthVersion.messages.message(code: code, version: version)
                #expect(EthVersion.messageName(code: code, version: version) == definition?.name)
                let unknown = Self.isUnknown { () throws(RLPError) in _ = try EthMessage(version: version, code: code, payload: [0xc0]) }
                #expect(unknown == (definition == nil), "eth/\(version) code \(code)")
            }
        }
        for version in SnapVersion.supported {
            #expect(SnapVersion.codeSpaceLength(version) == SnapVersion.messages.codeSpaceLength(version))
            for code in 0..<UInt64(12) {
                let definition = SnapVersion.messages.message(code: code, version: version)
                #expect(SnapVersion.messageName(code: code, version: version) == definition?.name)
                let unknown = Self.isUnknown { () throws(RLPError) in _ = try SnapMessage(version: version, code: code, payload: [0xc0]) }
                #expect(unknown == (definition == nil), "snap/\(version) code \(code)")
            }
        }
    }

    /// The reasons a decoder gives for a code it refuses: past the space, removed, unused.
    @Test func refusalsSayWhyFromTheTable() throws {
        func reason(_ decode: () throws(RLPError) -> Void) -> String? {
            do throws(RLPError) { try decode() } catch { return error.code == .unknownMessage ? error.reason : nil }
            return nil
        }
        #expect(
            reason { () throws(RLPError) in _ = try EthMessage(version: 69, code: 7, payload: [0xc0]) }
                == "NewBlock (code 7) is not valid on eth/69 and later: go-ethereum has no handler and disconnects")
        #expect(reason { () throws(RLPError) in _ = try EthMessage(version: 68, code: 0x0d, payload: [0xc0]) } == "code 13 is not used on eth/68")
        #expect(
            reason { () throws(RLPError) in _ = try EthMessage(version: 70, code: 18, payload: [0xc0]) }
                == "code 18 is past eth/70's 18 message codes")
        #expect(
            reason { () throws(RLPError) in _ = try SnapMessage(version: 2, code: 6, payload: [0xc0]) }
                == "GetTrieNodes (code 6) was removed in snap/2")
        #expect(
            reason { () throws(RLPError) in _ = try SnapMessage(version: 1, code: 8, payload: [0xc0]) } == "code 8 is past snap/1's 8 message codes")
    }

    static func isUnknown(_ decode: () throws(RLPError) -> Void) -> Bool {
        do throws(RLPError) { try decode() } catch { return error.code == .unknownMessage }
        return false
    }
}
