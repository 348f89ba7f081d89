// SPDX-License-Identifier: Apache-2.0
import Eth
import RLP
import RLPxTestSupport
import Snap
import Testing

/// What each eth decoder rejects, one named case each: the error code, the field it names and an offset.
@Suite struct InvalidInputTests {
    struct Case: CustomTestStringConvertible, Sendable {
        enum Decoder: Sendable {
            case transaction
            case header
            case eth(version: UInt, code: UInt64)
            case snap(version: UInt, code: UInt64)
        }

        var name: String
        var decoder: Decoder
        var bytes: [UInt8]
        var code: RLPError.Code
        /// The field path the error names ("" when it names none).
        var path: String
        var testDescription: String { name }
    }

    static func list(_ body: (inout RLPWriter) -> Void) -> [UInt8] { RLPWriter.encode { $0.writeList(body) } }

    /// A valid legacy transaction (pyevm.json's first) to break in small ways.
    static let legacy: [UInt8] = {
        guard let file = try? Vectors.project("eth/pyevm.json") as? [String: Any],
            let first = (file["transactions"] as? [[String: Any]])?.first, let bytes = try? Vectors.bytes(first["hex"])
        else { return [] }
        return bytes
    }()

    /// An EIP-1559 field list with `count` fields (9 is the unsigned list, 12 the signed one).
    static func dynamicFee(fields count: Int, nonce: [UInt8] = [0x01], to: [UInt8] = [UInt8](repeating: 0x11, count: 20)) -> [UInt8] {
        [0x02]
            + list { writer in
                let fields: [[UInt8]] = [[0x01], nonce, [0x01], [0x02], [0x52, 0x08], to, [0x05], [], [], [0x01], [0x01], [0x01], [0x01]]
                for (index, field) in fields.prefix(count).enumerated() {
                    if index == 8 { writer.writeList { _ in } } else { writer.write(bytes: field) }
                }
            }
    }

    /// A blob transaction's canonical field list (14 fields) with `hashes` versioned hashes.
    static func blobFields(_ writer: inout RLPWriter, to: [UInt8] = [UInt8](repeating: 0x11, count: 20)) {
        writer.writeList { w in
            for field: [UInt8] in [[0x01], [0x01], [0x01], [0x02], [0x52, 0x08], to, [0x05], []] { w.write(bytes: field) }
            w.writeList { _ in }  // access list
            w.write(bytes: [0x01])  // max fee per blob gas
            w.writeList { $0.write(bytes: [0x01] + [UInt8](repeating: 0x22, count: 31)) }
            for field: [UInt8] in [[0x01], [0x01], [0x01]] { w.write(bytes: field) }
        }
    }

    static func header(fields count: Int, bloomSize: Int = 256) -> [UInt8] {
        list { writer in
            let base: [[UInt8]] = [
                .init(repeating: 1, count: 32), .init(repeating: 2, count: 32), .init(repeating: 3, count: 20),
                .init(repeating: 4, count: 32), .init(repeating: 5, count: 32), .init(repeating: 6, count: 32),
                .init(repeating: 0, count: bloomSize), [0x01], [0x10], [0x20], [0x30], [0x40], [], .init(repeating: 7, count: 32),
                .init(repeating: 0, count: 8),
            ]
            let optional: [[UInt8]] = [
                [0x07], .init(repeating: 8, count: 32), [0x01], [0x02], .init(repeating: 9, count: 32),
                .init(repeating: 10, count: 32), .init(repeating: 11, count: 32), [0x05], [0x06],
            ]
            for field in (base + optional).prefix(count) { writer.write(bytes: field) }
        }
    }

    static let cases: [Case] = [
        Case(name: "transaction: empty input", decoder: .transaction, bytes: [], code: .unexpectedEnd, path: ""),
        Case(
            name: "transaction: type byte 0x05 is not defined", decoder: .transaction, bytes: [0x05, 0xc0], code: .unknownTransactionType, path: ""),
        Case(
            name: "transaction: a byte string where a typed one or a list belongs", decoder: .transaction, bytes: [0x81, 0x85],
            code: .unknownTransactionType, path: ""),
        Case(name: "transaction: legacy cut one byte short", decoder: .transaction, bytes: Array(legacy.dropLast()), code: .valueTooLarge, path: ""),
        Case(name: "transaction: a byte after the legacy list", decoder: .transaction, bytes: legacy + [0x00], code: .trailingBytes, path: ""),
        Case(
            name: "transaction: EIP-1559 nonce with a leading zero", decoder: .transaction, bytes: dynamicFee(fields: 12, nonce: [0x00, 0x01]),
            code: .nonCanonicalInteger, path: "nonce"),
        Case(
            name: "transaction: EIP-1559 without its signature", decoder: .transaction, bytes: dynamicFee(fields: 9), code: .tooFewElements,
            path: "yParity"),
        Case(name: "transaction: EIP-1559 with a 13th field", decoder: .transaction, bytes: dynamicFee(fields: 13), code: .tooManyElements, path: ""),
        Case(
            name: "transaction: recipient of 19 bytes", decoder: .transaction, bytes: dynamicFee(fields: 12, to: .init(repeating: 0x11, count: 19)),
            code: .wrongByteCount, path: "to"),
        Case(
            name: "transaction: nonce above 2^64 - 1", decoder: .transaction,
            bytes: dynamicFee(fields: 12, nonce: [0x01] + .init(repeating: 0, count: 8)), code: .integerOverflow, path: "nonce"),
        Case(
            name: "transaction: blob transaction without a recipient", decoder: .transaction,
            bytes: [0x03] + RLPWriter.encode { blobFields(&$0, to: []) }, code: .invalidValue, path: "to"),
        Case(
            name: "transaction: network form with 1 blob and no commitment", decoder: .transaction,
            bytes: [0x03]
                + list { writer in
                    blobFields(&writer)
                    writer.writeList { $0.write(bytes: [UInt8](repeating: 0, count: 131_072)) }
                    writer.writeList { _ in }
                    writer.writeList { $0.write(bytes: [UInt8](repeating: 0, count: 48)) }
                },
            code: .inconsistent, path: "sidecar"),
        Case(name: "header: 14 fields", decoder: .header, bytes: header(fields: 14), code: .tooFewElements, path: "nonce"),
        Case(
            name: "header: bloom of 255 bytes", decoder: .header, bytes: header(fields: 15, bloomSize: 255), code: .wrongByteCount, path: "logsBloom"),
        Case(name: "header: 24 fields", decoder: .header, bytes: header(fields: 24), code: .tooManyElements, path: ""),
        Case(name: "eth/69: NewBlock is not a message", decoder: .eth(version: 69, code: 7), bytes: [0xc0], code: .unknownMessage, path: ""),
        Case(name: "eth/68: BlockRangeUpdate is not a message", decoder: .eth(version: 68, code: 17), bytes: [0xc0], code: .unknownMessage, path: ""),
        Case(name: "eth/70: code 18 is past the space", decoder: .eth(version: 70, code: 18), bytes: [0xc0], code: .unknownMessage, path: ""),
        Case(
            name: "eth/70: Receipts lastBlockIncomplete = 2", decoder: .eth(version: 70, code: 16), bytes: [0xc3, 0x80, 0x02, 0xc0],
            code: .invalidBool, path: "lastBlockIncomplete"),
        Case(
            name: "eth/69: payload over 10 MiB", decoder: .eth(version: 69, code: 2),
            bytes: [UInt8](repeating: 0, count: EthMessage.maximumPayloadSize + 1), code: .limitExceeded, path: ""),
        Case(
            name: "eth/69: GetBlockHeaders with a 31-byte origin hash", decoder: .eth(version: 69, code: 3),
            bytes: list { w in
                w.write(integer: 1 as UInt64)
                w.writeList {
                    $0.write(bytes: [UInt8](repeating: 1, count: 31))
                    $0.write(integer: 1 as UInt64)
                    $0.write(integer: 0 as UInt64)
                    $0.write(integer: 0 as UInt64)
                }
            },
            code: .wrongByteCount, path: "request.origin"),
        Case(name: "snap/1: code 8 is past the space", decoder: .snap(version: 1, code: 8), bytes: [0xc0], code: .unknownMessage, path: ""),
        Case(
            name: "snap/1: GetByteCodes without its byte limit", decoder: .snap(version: 1, code: 4),
            bytes: list { w in
                w.write(integer: 1 as UInt64)
                w.writeList { _ in }
            }, code: .tooFewElements, path: "responseBytes"),
    ]

    @Test(arguments: cases) func rejects(_ testCase: Case) throws {
        do {
            switch testCase.decoder {
            case .transaction: _ = try Transaction(binary: testCase.bytes)
            case .header: _ = try BlockHeader(rlpEncoded: testCase.bytes)
            case .eth(let version, let code): _ = try EthMessage(version: version, code: code, payload: testCase.bytes)
            case .snap(let version, let code): _ = try SnapMessage(version: version, code: code, payload: testCase.bytes)
            }
            Issue.record("\(testCase.name): accepted")
        } catch {
            #expect(error.code == testCase.code, "\(testCase.name): \(error)")
            #expect(error.pathDescription == testCase.path, "\(testCase.name): \(error)")
            #expect(
                error.offset != nil || testCase.code == .unexpectedEnd || testCase.code == .unknownMessage || testCase.code == .limitExceeded,
                "\(testCase.name): \(error)")
        }
    }
}

/// Types whose conformance `@RLPList` generates: errors name the property, extra elements are refused.
@Suite struct GeneratedConformanceTests {
    @Test func namesThePropertyAndRefusesExtraElements() throws {
        let withdrawal = Withdrawal(index: 1, validatorIndex: 2, address: Address(), amountGwei: 3)
        #expect(try Withdrawal(rlpEncoded: withdrawal.rlpEncoded()) == withdrawal)
        let shortAddress = InvalidInputTests.list { w in
            w.write(integer: 1 as UInt64)
            w.write(integer: 2 as UInt64)
            w.write(bytes: [UInt8](repeating: 0, count: 19))
            w.write(integer: 3 as UInt64)
        }
        #expect(throws: RLPError.self) { _ = try Withdrawal(rlpEncoded: shortAddress) }
        do {
            _ = try Withdrawal(rlpEncoded: shortAddress)
        } catch {
            #expect(error.code == .wrongByteCount && error.pathDescription == "address" && error.offset == 3, "\(error)")
        }
        let extra = InvalidInputTests.list { w in
            w.write(Address())
            w.writeList { _ in }
            w.write(bytes: [0x01])
        }
        do {
            _ = try AccessListEntry(rlpEncoded: extra)
            Issue.record("accepted a third element")
        } catch {
            #expect(error.code == .tooManyElements, "\(error)")
        }
    }
}
