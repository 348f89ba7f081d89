// SPDX-License-Identifier: Apache-2.0
import Eth
import RLPxMultiplexing
import RLPxProtocols
import Snap
import Testing

/// What ``KnownProtocols`` answers is what the eth and snap message tables say.
@Suite struct KnownProtocolsTests {
    @Test func everyKnownVersionWithGoEthereumsLength() {
        #expect(
            KnownProtocols.all.map(\.description) == [
                "eth/68:17", "eth/69:18", "eth/70:18", "eth/71:20", "eth/72:22", "snap/1:8", "snap/2:10",
            ])
        for spec in KnownProtocols.all {
            #expect(KnownProtocols.table(spec.name)?.codeSpaceLength(spec.version) == spec.length, "\(spec)")
            #expect(KnownProtocols.length(name: spec.name, version: spec.version) == spec.length, "\(spec)")
            #expect(KnownProtocols.spec("\(spec.name)/\(spec.version)") == spec)
            #expect(KnownProtocols.known(spec.name, spec.version) == spec)
        }
        #expect(KnownProtocols.length(name: "eth", version: 67) == nil)
        #expect(KnownProtocols.length(name: "les", version: 4) == nil)
        #expect(KnownProtocols.spec("les/4") == nil)
        #expect(KnownProtocols.spec("les/4:24") == ProtocolSpec(name: "les", version: 4, length: 24))
    }

    @Test func defaultsAndLegacyVersions() {
        #expect(KnownProtocols.defaults.map(\.description) == ["eth/69:18", "snap/1:8"])
        #expect(KnownProtocols.legacy.map(\.description) == ["eth/66:17", "eth/67:17"])
    }

    @Test func namesAndPairsComeFromTheTables() {
        for table in KnownProtocols.tables {
            for version in table.supported {
                for code in 0..<UInt64(24) {
                    #expect(
                        KnownProtocols.messageName(protocolName: table.protocolName, version: version, code: code)
                            == table.messageName(code: code, version: version))
                    #expect(
                        KnownProtocols.requestCode(protocolName: table.protocolName, answeredBy: code)
                            == table.requestCode(answeredBy: code))
                }
            }
        }
        #expect(KnownProtocols.messageName(protocolName: "eth", version: 69, code: 0x11) == "BlockRangeUpdate")
        #expect(KnownProtocols.messageName(protocolName: "eth", version: 69, code: 0x01) == nil)
        #expect(KnownProtocols.messageName(protocolName: "les", version: 4, code: 0) == nil)
        #expect(KnownProtocols.requestCode(protocolName: "snap", answeredBy: 0x01) == 0x00)
        #expect(KnownProtocols.requestCode(protocolName: "eth", answeredBy: 0x03) == nil)
    }

    /// A decoded message's name and request id are its table row's.
    @Test func decodedMessagesNameThemselvesByTheTable() throws {
        let headers = EthMessage.getBlockHeaders(requestID: 7, HeaderRequest(origin: .number(1), amount: 2, skip: 0, reverse: false))
        let decoded = try #require(
            try ProtocolMessage.decode(protocolName: "eth", version: 69, code: headers.code, payload: headers.encoded(version: 69)))
        #expect(decoded.name == "GetBlockHeaders")
        #expect(decoded.requestID == 7)
        #expect(decoded.protocolName == "eth")
        #expect(try ProtocolMessage.decode(protocolName: "les", version: 4, code: 0, payload: [0xc0]) == nil)
    }
}
