// SPDX-License-Identifier: Apache-2.0
import RLP
import RLPxTestSupport
import Testing

/// go-ethereum `rlp/decode_test.go` TestStreamKind and TestStreamErrors, replayed on ``RLPReader``.
///
/// Calls map as: `Kind` → ``RLPReader/peekKind()``, `List` → ``RLPReader/listReader()`` (pushed on a stack),
/// `ListEnd` → ``RLPReader/finish()`` then pop, `Bytes` → ``RLPReader/readBytes()``, `Uint` →
/// ``RLPReader/readInteger(_:)`` as `UInt64`, `Bool` → `Bool`, `Raw` → ``RLPReader/readEncoded()``.
///
/// Not applicable: `ErrNotInList` (our readers cannot end a list they are not in, so that misuse cannot be
/// written). With an unknown-length source (`input_limit: none`) geth only notices a short input when it reads
/// past it; our reader always holds the whole input, so it reports `valueTooLarge` at the first header that
/// claims too much, which may be an earlier call.
@Suite struct GethStreamVectorTests {
    @Test func kinds() throws {
        let file = try #require(try Vectors.shared("rlp/geth_stream.json") as? [String: Any])
        let cases = try #require((file["kind"] as? [String: Any])?["cases"] as? [[String: Any]])
        #expect(cases.count == 12)
        for testCase in cases {
            // Kind() reads the header only, and the vectors leave payloads out: RLP.peekHeader is the counterpart.
            let header = try #require(try RLP.peekHeader(try Vectors.bytes(testCase["input"])))
            let kind = header.kind == .list ? "list" : (header.headerLength == 0 ? "byte" : "string")
            #expect(kind == testCase["kind"] as? String, "\(testCase)")
            let size = header.headerLength == 0 ? 0 : header.payloadLength
            #expect(String(size) == testCase["size"] as? String, "\(testCase)")
        }
    }

    @Test func errors() throws {
        let file = try #require(try Vectors.shared("rlp/geth_stream.json") as? [String: Any])
        let cases = try #require((file["errors"] as? [String: Any])?["cases"] as? [[String: Any]])
        #expect(cases.count == 52)
        var replayed = 0
        for testCase in cases {
            let calls = try #require(testCase["calls"] as? [String])
            let errorName = testCase["error"] as? String
            if errorName == "ErrNotInList" { continue }
            var input = try Vectors.bytes(testCase["input"])
            if let limit = testCase["input_limit"] as? Int { input = Array(input.prefix(limit)) }
            let unknownLength = testCase["input_limit"] as? String == "none"
            var stack = [RLPReader(input)]
            var failure: (call: Int, code: RLPError.Code)?
            for (index, call) in calls.enumerated() {
                let code = thrownCode {
                    let last = stack.count - 1
                    switch call {
                    case "Kind": _ = try stack[last].peekKind()
                    case "List": stack.append(try stack[last].listReader())
                    case "ListEnd":
                        try stack[last].finish()
                        stack.removeLast()
                    case "Bytes": _ = try stack[last].readBytes()
                    case "Uint": _ = try stack[last].readInteger(UInt64.self)
                    case "Bool": _ = try stack[last].read(Bool.self)
                    case "Raw": _ = try stack[last].readEncoded()
                    default: Issue.record("unknown call \(call)")
                    }
                }
                if let code {
                    failure = (index, code)
                    break
                }
            }
            replayed += 1
            guard let errorName else {
                #expect(failure == nil, "\(testCase): \(String(describing: failure))")
                continue
            }
            let expected = gethErrorCodes[errorName]
            #expect(failure?.code == expected, "\(testCase)")
            if !(unknownLength && expected == .valueTooLarge) {
                #expect(failure?.call == calls.count - 1, "\(testCase): failed at call \(failure?.call ?? -1)")
            }
        }
        #expect(replayed == 51)
    }
}
