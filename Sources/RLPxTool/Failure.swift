// SPDX-License-Identifier: Apache-2.0

/// A failed exchange with a peer: reported without usage text, exit status 1.
struct Failure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
