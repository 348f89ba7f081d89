// SPDX-License-Identifier: Apache-2.0
import Foundation
import RLPxInspect
import Synchronization

/// JSON Lines on standard output, one object per line, each written whole (events come from many sessions). Lines
/// written before ``open(with:)`` wait, so the opening object is always the first line.
final class JSONLines: Sendable {
    private let state = Mutex<(open: Bool, held: [String])>((false, []))

    func write(_ value: JSONValue) {
        let line = value.rendered() + "\n"
        state.withLock { state in
            if state.open { Self.emit(line) } else { state.held.append(line) }
        }
    }

    /// Writes `first`, then every line held until now, and lets later lines through.
    func open(with first: JSONValue) {
        state.withLock { state in
            Self.emit(first.rendered() + "\n")
            state.held.forEach(Self.emit)
            state = (true, [])
        }
    }

    private static func emit(_ line: String) {
        FileHandle.standardOutput.write(Data(line.utf8))
    }
}
