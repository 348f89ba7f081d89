// SPDX-License-Identifier: Apache-2.0
import Discv5
import RLP
import Testing

/// The discv5 key-log line: written and read back, other labels skipped, malformed lines refused with their line.
@Suite struct KeyLogTests {
    typealias V = WireVectors

    @Test func aLineRoundTrips() throws {
        let keys = SessionKeys(initiatorKey: Array(0..<16), recipientKey: Array(16..<32))
        let entry = Discv5KeyLogEntry(initiatorID: V.nodeAID, recipientID: V.nodeBID, keys: keys)
        #expect(entry.line.hasPrefix("DISCV5_SESSION \(Hex.encode(V.nodeAID)) \(Hex.encode(V.nodeBID)) 000102"))
        let text = "# comment\nRLPX_SESSION aa bb\n\n\(entry.line)\r\n"
        #expect(try Discv5KeyLogEntry.parse(text) == [entry])
    }

    @Test func malformedLinesNameTheirLine() {
        let short = "DISCV5_SESSION \(Hex.encode(V.nodeAID)) \(Hex.encode(V.nodeBID)) 00 11"
        #expect(throws: Discv5Error.self) { try Discv5KeyLogEntry.parse("\n\(short)") }
        do {
            _ = try Discv5KeyLogEntry.parse("\n\(short)")
        } catch {
            #expect(error.code == .invalidKeyLog && error.reason.hasPrefix("line 2:"))
        }
        #expect(throws: Discv5Error.self) { try Discv5KeyLogEntry.parse("DISCV5_SESSION 00") }
    }
}
