// SPDX-License-Identifier: Apache-2.0
import RLP

extension TransactionView.Layout {
    /// Checks an EIP-2930 access list: `[[address, [key, ...]], ...]`.
    static func checkAccessList(_ buffer: UnsafeBufferPointer<UInt8>, _ list: inout ViewCursor) throws(RLPError) {
        var entries = ViewCursor(try list.list(buffer, "accessList"))
        var index = 0
        while !entries.isAtEnd {
            do throws(RLPError) {
                var entry = ViewCursor(try entries.list(buffer, ""))
                _ = try entry.fixed(buffer, count: 20, "address")
                try checkHashes(buffer, &entry, "storageKeys")
                try entry.finish("an access-list entry")
            } catch {
                throw ViewError.prefixed(error, "accessList", "[\(index)]")
            }
            index &+= 1
        }
    }

    /// Checks a list of 32-byte hashes: each item is `a0` and 32 bytes, so the walk steps 33 bytes at a time and
    /// reads the items only to name what is wrong.
    @inline(always)
    static func checkHashes(_ buffer: UnsafeBufferPointer<UInt8>, _ list: inout ViewCursor, _ field: StaticString) throws(RLPError) {
        let range = try list.list(buffer, field)
        var position = range.lowerBound
        while position < range.upperBound {
            guard buffer[position] == 0xa0, range.upperBound &- position >= 33 else {
                throw hashError(buffer, range, at: position, field)
            }
            position &+= 33
        }
    }

    /// Why the item at `position` in the list of hashes at `range` is not a 32-byte string.
    @inline(never)
    static func hashError(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, at position: Int, _ field: StaticString) -> RLPError {
        var item = ViewCursor(position..<range.upperBound)
        let index = (position &- range.lowerBound) / 33
        do throws(RLPError) {
            _ = try item.fixed(buffer, count: 32, "")
            return ViewError.prefixed(RLPError(.wrongByteCount, "expected 32 bytes", at: position), "\(field)", "[\(index)]")
        } catch {
            return ViewError.prefixed(error, "\(field)", "[\(index)]")
        }
    }

    /// Checks an EIP-7702 authorization list: `[[chainID, address, nonce, yParity, r, s], ...]`.
    static func checkAuthorizations(_ buffer: UnsafeBufferPointer<UInt8>, _ list: inout ViewCursor) throws(RLPError) {
        var entries = ViewCursor(try list.list(buffer, "authorizationList"))
        var index = 0
        while !entries.isAtEnd {
            do throws(RLPError) {
                var entry = ViewCursor(try entries.list(buffer, ""))
                _ = try entry.uint256(buffer, "chainId")
                _ = try entry.fixed(buffer, count: 20, "address")
                _ = try entry.integer(buffer, "nonce", as: UInt64.self)
                _ = try entry.integer(buffer, "yParity", as: UInt8.self)
                _ = try entry.uint256(buffer, "r")
                _ = try entry.uint256(buffer, "s")
                try entry.finish("an authorization")
            } catch {
                throw ViewError.prefixed(error, "authorizationList", "[\(index)]")
            }
            index &+= 1
        }
    }
}
