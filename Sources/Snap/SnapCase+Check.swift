// SPDX-License-Identifier: Apache-2.0
import Eth
import RLP
import Trie

extension SnapCase {
    /// The verdict on what came back for ``request``: the answer's kind and request id first, then the
    /// expectation's own rules; the observed text says what was received and, on failure, the first rule broken.
    public func check(_ observation: SnapObservation) -> SnapVerdict {
        let message: SnapMessage
        switch observation {
        case .noAnswer(let what):
            if expectation == .trieNodesRejected { return .pass("no answer (\(what)), as for a malformed request") }
            return .fail("no answer to \(request.name): \(what)")
        case .message(let received):
            message = received
        }
        guard message.code == request.code &+ 1 else {
            return .fail("\(message.name) (id \(message.requestID)) in answer to \(request.name)")
        }
        guard message.requestID == request.requestID else {
            return .fail("\(message.name) with request id \(message.requestID), asked with \(request.requestID)")
        }
        switch (expectation, message, request) {
        case (
            .accountRange(let count, let first, let last), .accountRange(_, let accounts, let proof),
            .getAccountRange(_, let asked)
        ):
            if accounts.count != count {
                let expected = "expected \(count)\(Self.span(first, last))"
                return .fail("\(Self.counted(accounts.count, "account"))\(Self.span(accounts)), \(expected)")
            }
            return Self.checkRange(accounts, proof, asked, first: first, last: last)
        case (.provenAccountRange(let first), .accountRange(_, let accounts, let proof), .getAccountRange(_, let asked)):
            if accounts.isEmpty { return .fail("no account (\(proof.count) proof nodes), expected some from \(first)") }
            return Self.checkRange(accounts, proof, asked, first: first, last: nil)
        case (.storageRanges(let expected), .storageRanges(_, let slots, let proof), _):
            return Self.checkStorage(slots, proofCount: proof.count, expected: expected)
        case (.byteCodes(let count), .byteCodes(_, let codes), .getByteCodes(_, let hashes, _)):
            return Self.checkCodes(codes, asked: hashes, count: count)
        case (.trieNodes(let expected), .trieNodes(_, let nodes), _):
            return Self.checkNodes(nodes, expected: expected)
        case (.trieNodesRejected, .trieNodes(_, let nodes), _):
            if nodes.isEmpty { return .pass("an empty TrieNodes for a malformed request") }
            return .fail("\(Self.counted(nodes.count, "trie node")) for a request with an empty path set; expected a disconnect")
        default:
            return .fail("\(message.name) does not fit the case's expectation")
        }
    }

    /// An AccountRange of the right size: keys increasing, the edges as expected, the range proven.
    private static func checkRange(
        _ accounts: [AccountEntry], _ proof: [ArraySlice<UInt8>], _ asked: AccountRangeRequest, first: Hash32?, last: Hash32?
    ) -> SnapVerdict {
        for index in accounts.indices.dropFirst() where !accounts[index &- 1].hash.precedes(accounts[index].hash) {
            let previous = accounts[index &- 1].hash
            return .fail("account \(index) (\(accounts[index].hash)) does not follow account \(index &- 1) (\(previous))")
        }
        if accounts.isEmpty, proof.isEmpty { return .pass("no account and no proof") }
        if let got = accounts.first?.hash, let first, got != first { return .fail("first account \(got), expected \(first)") }
        if let got = accounts.last?.hash, let last, got != last { return .fail("last account \(got), expected \(last)") }
        let keys = accounts.map { $0.hash.bytes }
        let values = accounts.map(\.account.stateEncoding)
        do {
            if proof.isEmpty, asked.origin == Hash32() {
                _ = try RangeProof.verify(root: asked.root, keys: keys, values: values)
            } else {
                _ = try RangeProof.verify(
                    root: asked.root, firstKey: asked.origin.bytes, keys: keys, values: values, proof: proof)
            }
        } catch {
            // Name the proof node at fault where the error points at one and does not name it already.
            let node =
                error.proofIndex.flatMap { index in
                    "\(error)".contains("proof node \(index) ")
                        ? nil : " [proof node \(index) of \(proof.count): \(Hash32.keccak(proof[index]))]"
                } ?? ""
            let range = "\(counted(accounts.count, "account"))\(span(accounts))"
            return .fail("\(range): the range proof fails against \(asked.root) from \(asked.origin): \(error)\(node)")
        }
        let range = "\(counted(accounts.count, "account"))\(span(accounts))"
        return .pass("\(range), \(proof.count) proof nodes verify against \(asked.root)")
    }

    /// StorageRanges: each list increasing, the slots exactly as expected.
    private static func checkStorage(_ slots: [[StorageSlot]], proofCount: Int, expected: [[StorageSlot]]) -> SnapVerdict {
        for (list, range) in slots.enumerated() {
            for index in range.indices.dropFirst() where !range[index &- 1].hash.precedes(range[index].hash) {
                return .fail("list \(list): slot \(index) (\(range[index].hash)) does not follow slot \(index &- 1)")
            }
        }
        let counts = slots.map(\.count)
        guard slots.count == expected.count else {
            return .fail("\(slots.count) slot lists \(counts), expected \(expected.count) \(expected.map(\.count))")
        }
        for (list, (got, want)) in zip(slots, expected).enumerated() where got != want {
            guard got.count == want.count else {
                return .fail("list \(list): \(got.count) slots \(hashes(got)), expected \(want.count) \(hashes(want))")
            }
            for (index, (slot, wanted)) in zip(got, want).enumerated() where slot != wanted {
                let expected = "\(wanted.hash) = 0x\(Hex.encode(wanted.data))"
                return .fail("list \(list) slot \(index): \(slot.hash) = 0x\(Hex.encode(slot.data)), expected \(expected)")
            }
        }
        return .pass("slot lists \(counts) as expected (\(proofCount) proof nodes, not checked)")
    }

    /// ByteCodes: the count expected, each code one asked for, in the order asked.
    private static func checkCodes(_ codes: [ArraySlice<UInt8>], asked: [Hash32], count: Int) -> SnapVerdict {
        guard codes.count == count else {
            return .fail("\(Self.counted(codes.count, "code")) (\(codes.map(\.count)) bytes), expected \(count)")
        }
        var position = 0
        for (index, code) in codes.enumerated() {
            let hash = Hash32.keccak(code)
            guard let found = asked[position...].firstIndex(of: hash) else {
                return .fail("code \(index) (\(code.count) bytes, hash \(hash)) was not asked for at or after hash \(position)")
            }
            position = found &+ 1
        }
        return .pass("\(Self.counted(codes.count, "code")) (\(codes.reduce(0) { $0 &+ $1.count }) bytes), each as asked")
    }

    /// TrieNodes: the nodes expected, by hash, in order.
    private static func checkNodes(_ nodes: [ArraySlice<UInt8>], expected: [Hash32]) -> SnapVerdict {
        guard nodes.count == expected.count else {
            return .fail("\(Self.counted(nodes.count, "trie node")), expected \(expected.count)")
        }
        for (index, (node, want)) in zip(nodes, expected).enumerated() {
            let hash = Hash32.keccak(node)
            if hash != want {
                let empty = want == emptyHash ? " (an empty entry)" : ""
                return .fail("node \(index) (\(node.count) bytes) hashes to \(hash), expected \(want)\(empty)")
            }
        }
        let empties = expected.filter { $0 == emptyHash }.count
        return .pass("\(Self.counted(nodes.count, "trie node")) (\(empties) empty) hash as expected")
    }

    /// Keccak-256 of no bytes: what an empty entry hashes to.
    static let emptyHash = Hash32.keccak([][...])

    /// "1 account", "2 accounts".
    private static func counted(_ number: Int, _ noun: String) -> String { number == 1 ? "1 \(noun)" : "\(number) \(noun)s" }

    private static func span(_ accounts: [AccountEntry]) -> String {
        span(accounts.first?.hash, accounts.last?.hash)
    }

    private static func span(_ first: Hash32?, _ last: Hash32?) -> String {
        guard let first, let last else { return "" }
        return first == last ? " (\(first))" : " (\(first) to \(last))"
    }

    private static func hashes(_ slots: [StorageSlot]) -> String {
        "[" + slots.map { $0.hash.description }.joined(separator: ", ") + "]"
    }
}
