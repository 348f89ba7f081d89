// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import RLPxPeer

/// An enode URL from the command line; one that does not parse is bad usage (exit status 64).
func parseEnode(_ text: String) throws -> EnodeURL {
    do {
        return try EnodeURL(text)
    } catch {
        throw ValidationError(error.description)
    }
}
