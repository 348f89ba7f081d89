// SPDX-License-Identifier: Apache-2.0
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

extension Process {
    /// Ends the child and reaps it, within `grace` seconds of SIGTERM and then by SIGKILL, so a child that misses its
    /// signal cannot hang the test run (this blocks its thread: both cooperative threads blocked here once stopped
    /// every test). Foundation keeps a `Process` that was terminated but never waited for, with its pipes, alive for
    /// good (LeakSanitizer reports them at exit), and the child stays a zombie until then.
    public func stop(grace: Double = 15) {
        if isRunning { terminate() }
        let deadline = Date().addingTimeInterval(grace)
        while isRunning && Date() < deadline { usleep(10_000) }
        if isRunning { kill(processIdentifier, SIGKILL) }
        waitUntilExit()
    }
}
