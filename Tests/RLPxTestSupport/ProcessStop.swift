// SPDX-License-Identifier: Apache-2.0
import Foundation

extension Process {
    /// Ends the child and reaps it. Foundation keeps a `Process` that was terminated but never waited for, with its
    /// pipes, alive for good (LeakSanitizer reports them at exit), and the child stays a zombie until then.
    public func stop() {
        if isRunning { terminate() }
        waitUntilExit()
    }
}
