// SPDX-License-Identifier: Apache-2.0
import Foundation
import RLPxTestSupport
import Testing

/// `rlpx-tool decode --message/--tx/--header` on the shared eth vectors, run as a user runs it.
@Suite struct DecodeEthCommandTests {
    static func json(_ text: String) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        return try #require(object as? [String: Any], "not a JSON object: \(text.prefix(200))")
    }

    static func entries(_ file: String, _ key: String) throws -> [[String: Any]] {
        let object = try #require(try Vectors.shared("eth/\(file)") as? [String: Any])
        return try #require(object[key] as? [[String: Any]])
    }

    static func number(_ value: Any?) -> UInt64? {
        if let text = value as? String { return UInt64(text) }
        return (value as? NSNumber)?.uint64Value
    }

    /// Every eth/68-72 and snap/1 message vector by name, with its request id, at the wire code its version maps it to.
    @Test func namesEveryMessageVector() async throws {
        var checked = 0
        for vector in try Self.entries("messages.json", "messages") {
            let id = try #require(vector["id"] as? String)
            let code = try #require(Self.number(vector["code"]))
            let versions = try #require(vector["versions"] as? [Int])
            let payload = try #require(vector["payload"] as? String)
            let isSnap = vector["protocol"] as? String == "snap"
            guard let version = isSnap ? 69 : versions.first(where: { $0 >= 68 }) else { continue }  // eth/66-only
            let caps = isSnap ? "eth/69,snap/\(versions[0])" : "eth/\(version)"
            // Codes after the 16 base codes; snap after eth/69's 18.
            let wire = 16 + (isSnap ? 18 : 0) + code
            let run = try await Tool.runDetached(
                ["decode", "--message", "--json", "--caps", caps, "-"], stdin: String(wire, radix: 16, uppercase: false).leftPadded + payload)
            #expect(run.status == 0, "\(id): \(run.stderr)")
            let object = try Self.json(run.stdout)
            #expect(object["name"] as? String == vector["name"] as? String, "\(id)")
            #expect(object["protocol"] as? String == vector["protocol"] as? String, "\(id)")
            #expect(Self.number(object["requestId"]) == Self.number(vector["requestId"]), "\(id)")
            #expect(object["fields"] is [String: Any], "\(id)")
            #expect((object["summary"] as? String)?.hasPrefix(vector["name"] as? String ?? "?") == true, "\(id)")
            checked += 1
        }
        #expect(checked >= 60)
    }

    /// An eth/68 Status read with the default caps (eth/69) does not decode; the error says which versions it does
    /// decode as, in text, on stderr and in JSON.
    @Test func aStatusOfAnotherVersionNamesTheVersionsItDecodesAs() async throws {
        let vector = try #require(try Self.entries("messages.json", "messages").first { $0["id"] as? String == "derived-status68" })
        let payload = try #require(vector["payload"] as? String)
        let run = try await Tool.runDetached(["decode", "--message", "10" + payload])
        #expect(run.status == 1)
        #expect(run.stderr.hasSuffix("; it decodes as eth/68 (--caps eth/68)\n"), "\(run.stderr)")
        #expect(run.stdout.contains("Status error: ") && run.stdout.contains("it decodes as eth/68"), "\(run.stdout)")
        let json = try Self.json(try await Tool.runDetached(["decode", "--message", "--json", "10" + payload]).stdout)
        #expect(json["decodesAs"] as? [String] == ["eth/68"])
        let right = try await Tool.runDetached(["decode", "--message", "--caps", "eth/68", "10" + payload])
        #expect(right.status == 0, "\(right.stderr)")
    }

    /// Text output: one summary line, then the fields indented.
    @Test func textIsASummaryLineThenATree() async throws {
        let run = try await Tool.runDetached(["decode", "--message", "13ca820457c682270f050580"])
        #expect(run.status == 0)
        #expect(
            run.stdout == """
                message code=19 protocol=eth/69 local-code=3 GetBlockHeaders id=1111 origin=#9999 amount=5 skip=5 reverse=false
                  originNumber 9999
                  amount 5
                  skip 5
                  reverse false

                """)
    }

    /// NewBlock is not a message of eth/69: named as an error, exit 1, one line on stderr.
    @Test func newBlockOnEth69IsAnError() async throws {
        let run = try await Tool.runDetached(["decode", "--message", "--caps", "eth/69", "17c0"])
        #expect(run.status == 1)
        #expect(run.stderr.split(separator: "\n").count == 1)
        #expect(run.stderr.contains("unknownMessage"), "\(run.stderr)")
    }

    /// A payload that breaks its layout: the field path and offset on stderr and in the JSON error object.
    @Test func badPayloadNamesFieldAndOffset() async throws {
        let run = try await Tool.runDetached(["decode", "--message", "--json", "13c4822710c0"])
        #expect(run.status == 1)
        #expect(run.stderr == "error: tooFewElements at offset 5: read past the end of the list (field request.origin)\n")
        let error = try #require(try Self.json(run.stdout)["error"] as? [String: Any])
        #expect(error["code"] as? String == "tooFewElements")
        #expect(Self.number(error["offset"]) == 5)
    }

    /// One transaction of each type: type, hash, sender and chain ID as the vectors give them.
    @Test func transactionsOfEveryType() async throws {
        var seen = Set<Int>()
        for vector in try Self.entries("transactions.json", "transactions") {
            let type = try #require(vector["type"] as? Int)
            guard let sender = vector["sender"] as? String, seen.insert(type).inserted else { continue }
            let hex = try #require(vector["hex"] as? String)
            let run = try await Tool.runDetached(["decode", "--tx", "--json", hex])
            #expect(run.status == 0, "\(run.stderr)")
            let object = try Self.json(run.stdout)
            #expect(object["type"] as? Int == type)
            #expect(object["hash"] as? String == "0x" + (vector["hash"] as? String ?? ""))
            #expect((object["sender"] as? String)?.lowercased() == "0x" + sender.lowercased().replacingOccurrences(of: "0x", with: ""))
            if let chainID = vector["chainId"], !(chainID is NSNull) {
                #expect(object["chainId"].map { "\($0)" } == "\(chainID)")
            }
        }
        #expect(seen == [0, 1, 2, 3, 4])
    }

    /// A typed transaction as it sits in a block body or a Transactions message, wrapped in an RLP byte string
    /// (`b866 01f863…`), decodes as its binary form does: same type and hash.
    @Test func typedTransactionWrappedAsInABlockBody() async throws {
        let vector = try #require(try Self.entries("transactions.json", "transactions").first { ($0["type"] as? Int) == 2 })
        let binary = try #require(vector["hex"] as? String)
        let length = binary.count / 2
        let header =
            length < 56 ? String(format: "%02x", 0x80 + length) : length < 256 ? String(format: "b8%02x", length) : String(format: "b9%04x", length)
        let run = try await Tool.runDetached(["decode", "--tx", "--json", header + binary])
        #expect(run.status == 0, "\(run.stderr)")
        let object = try Self.json(run.stdout)
        #expect(object["type"] as? Int == 2)
        #expect(object["hash"] as? String == "0x" + (vector["hash"] as? String ?? ""))
        // A byte string holding something that is not a typed transaction names the byte it found.
        let legacy = try await Tool.runDetached(["decode", "--tx", "83c20102"])
        #expect(legacy.status == 1)
        #expect(legacy.stderr.contains("0xc2 is not a transaction type") && legacy.stderr.contains("at offset 1"), "\(legacy.stderr)")
    }

    /// Every integer field follows one rule: a JSON number up to 2⁵³ − 1 (nonce, gas, v, chainId alike), a decimal
    /// string above (r, s).
    @Test func integersAreNumbersUpTo2To53() async throws {
        let vector = try #require(try Self.entries("transactions.json", "transactions").first { ($0["type"] as? Int) == 0 && $0["sender"] != nil })
        let run = try await Tool.runDetached(["decode", "--tx", "--json", try #require(vector["hex"] as? String)])
        let object = try Self.json(run.stdout)
        for key in ["nonce", "gas", "v", "value", "gasPrice"] {
            #expect(object[key] is NSNumber, "\(key): \(object[key] ?? "missing")")
        }
        for key in ["r", "s"] {
            #expect((object[key] as? String).flatMap { UInt64($0) } == nil && object[key] is String, "\(key)")
        }
    }

    /// A network-form blob transaction (≈ 256 KiB of hex) from stdin.
    @Test func networkFormFromStdin() async throws {
        let vector = try #require(try Self.entries("transactions.json", "network_form").first)
        let hex = try #require(vector["hex"] as? String)
        let run = try await Tool.runDetached(["decode", "--tx", "--json", "-"], stdin: hex)
        #expect(run.status == 0, "\(run.stderr)")
        let object = try Self.json(run.stdout)
        #expect(object["type"] as? Int == 3)
        #expect(object["hash"] as? String == "0x" + (vector["hash"] as? String ?? ""))
    }

    /// Rejected transactions: exit 1, exactly one stderr line that says where.
    @Test func invalidTransactionsSayWhere() async throws {
        for vector in try Self.entries("transactions.json", "invalid") {
            let hex = try #require(vector["hex"] as? String)
            guard !hex.isEmpty else { continue }
            let run = try await Tool.runDetached(["decode", "--tx", "-"], stdin: hex)
            let lines = run.stderr.split(separator: "\n")
            #expect(run.status == 1, "\(vector["id"] ?? "")")
            // Layout errors say where; signature errors (the fields decode, no sender recovers) name the field.
            #expect(
                lines.count == 1 && (lines[0].contains(" at offset ") || lines[0].hasPrefix("error: invalidSignature")),
                "\(vector["id"] ?? ""): \(run.stderr)")
        }
    }

    /// Every shared header: hash, number and field count.
    @Test func everyHeader() async throws {
        for vector in try Self.entries("headers.json", "headers") {
            let hex = try #require(vector["hex"] as? String)
            let run = try await Tool.runDetached(["decode", "--header", "--json", hex])
            #expect(run.status == 0, "\(run.stderr)")
            let object = try Self.json(run.stdout)
            #expect(object["hash"] as? String == "0x" + (vector["hash"] as? String ?? ""))
            #expect(Self.number(object["number"]) == Self.number(vector["number"]))
            #expect(Self.number(object["fieldCount"]) == Self.number(vector["fieldCount"]))
            #expect(object["fork"] is String)
        }
    }

    @Test func truncatedHeaderIsOneLine() async throws {
        let run = try await Tool.runDetached(["decode", "--header", "c3010203"])
        #expect(run.status == 1)
        #expect(run.stderr.hasPrefix("error: ") && run.stderr.contains(" at offset ") && run.stderr.contains("(field "))
    }
}

extension String {
    /// An even number of hex digits.
    fileprivate var leftPadded: String { count.isMultiple(of: 2) ? self : "0" + self }
}

/// One output convention: `--format text|json` everywhere, `--json` as its shorthand.
@Suite struct OutputFormatTests {
    @Test func formatJSONAndTheShorthandAgree() async throws {
        for command in [["decode", "c0"], ["decode", "--header", "c0"], ["forkid", "--chain", "mainnet", "--head", "0", "--time", "0"]] {
            let long = try await Tool.runDetached(command + ["--format", "json"])
            let short = try await Tool.runDetached(command + ["--json"])
            #expect(long.stdout == short.stdout && long.status == short.status, "\(command)")
            #expect(long.stdout.hasPrefix("{"), "\(command): \(long.stdout)")
        }
    }
}
