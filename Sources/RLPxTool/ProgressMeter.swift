// SPDX-License-Identifier: Apache-2.0
import Foundation
import RLPxCapture
import RLPxConformance

/// Progress on stderr: bytes read, MB/s, the share of the capture, messages and connections, at most ten times a
/// second, and the totals when the replay ends.
final class ProgressMeter {
    private let total: Int
    private let enabled: Bool
    private let start = Date()
    private var lastReport = Date.distantPast
    private var shown = false
    /// The last progress reported.
    private var latest: ReplayProgress?

    init(total: Int, enabled: Bool) {
        self.total = total
        self.enabled = enabled
    }

    func update(_ progress: ReplayProgress) {
        guard enabled else { return }
        latest = progress
        let now = Date()
        guard now.timeIntervalSince(lastReport) >= 0.1 else { return }
        lastReport = now
        show(progress, at: now, complete: false)
    }

    private func show(_ progress: ReplayProgress, at now: Date, complete: Bool) {
        let seconds = max(now.timeIntervalSince(start), 0.001)
        let megabytes = Double(progress.bytes) / 1_000_000
        let percent = complete ? 100 : total > 0 ? min(100, progress.bytes * 100 / total) : 0
        let rate = Int(megabytes / seconds)
        let connections = "\(progress.connections) connection\(progress.connections == 1 ? "" : "s")"
        FileHandle.standardError.write(
            Data(
                "\rreplaying: \(decimal(megabytes, 1)) MB of \(decimal(Double(total) / 1_000_000, 1)) MB (\(percent)%), \(rate) MB/s, \(progress.messages) messages, \(connections)   "
                    .utf8))
        shown = true
    }

    /// Ends the line on the totals (the replay's last report), once the capture has been read to its end.
    func finish(complete: Bool = true) {
        guard enabled else { return }
        if complete, let latest { show(latest, at: Date(), complete: true) }
        if shown { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
