// SPDX-License-Identifier: Apache-2.0
import Eth
import EthState

extension SnapResponder {
    /// GetByteCodes: the codes asked for, in order, the empty code for its hash, unknown hashes skipped (no
    /// placeholder), until the budget is passed (the code passing it still sent, so at least one when any is
    /// known). At most ``maxCodeLookups`` hashes are looked up.
    func byteCodes(id: UInt64, hashes: [Hash32], responseBytes: UInt64) -> SnapMessage {
        let budget = Self.budget(responseBytes)
        var codes: [ArraySlice<UInt8>] = []
        var size: UInt64 = 0
        for hash in hashes.prefix(Self.maxCodeLookups) {
            if hash == WorldState.emptyCodeHash {
                codes.append([])
            } else if let code = self.codes[hash] {
                codes.append(code[...])
                size &+= UInt64(code.count)
            }
            if size > budget { break }
        }
        return .byteCodes(requestID: id, codes: codes)
    }
}
