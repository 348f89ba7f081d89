// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Where a long exchange is, for its timeout message; set by one task, read by the timer.
final class Stage: @unchecked Sendable {
    private let lock = NSLock()
    private var text: String
    init(_ text: String) { self.text = text }
    var value: String {
        get { lock.withLock { text } }
        set { lock.withLock { text = newValue } }
    }
}
