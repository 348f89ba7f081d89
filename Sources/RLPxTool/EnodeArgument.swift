// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Discovery
import RLPxPeer

/// A node from the command line: an enode URL, or a node record (`enr:…`, its signature verified) whose IP address
/// and TCP port imply one. One that does not parse is bad usage (exit status 64).
func parseEnode(_ text: String) throws -> EnodeURL {
    var text = text
    if text.hasPrefix(ENR.textPrefix) {
        let record: ENR
        do {
            record = try ENR(text: text)
        } catch {
            throw ValidationError("not a valid node record: \(error)")
        }
        guard let implied = record.enodeURL(), implied.contains("@"), !implied.hasSuffix(":0"), !implied.contains(":0?") else {
            throw ValidationError("the node record has no IP address and TCP port to connect to")
        }
        text = implied
    }
    do {
        return try EnodeURL(text)
    } catch {
        throw ValidationError(error.description)
    }
}
