// SPDX-License-Identifier: Apache-2.0
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The time the probe reads and waits by, which its dialer supplies: the machine's clock on the network
/// (``SystemProbeClock``), or a driven one in memory (``DrivenProbeClock``), whose time moves only when a read
/// times out or a test pauses, so that a test that waits out a silent node's timeout finishes at once.
public protocol ProbeClock: Sendable {
    /// The current instant (sessions, transcripts and durations are measured by it).
    var now: ContinuousClock.Instant { get }
    /// Lets `seconds` pass (at most a day): sleeps, or advances a driven clock at once.
    func sleep(_ seconds: Double)
}

extension ProbeClock {
    /// Seconds from `start` to now.
    func seconds(since start: ContinuousClock.Instant) -> Double { (now - start).inSeconds }
}

/// The machine's monotonic clock, for connections over the network.
public struct SystemProbeClock: ProbeClock {
    public init() {}

    public var now: ContinuousClock.Instant { ContinuousClock.now }

    public func sleep(_ seconds: Double) {
        guard seconds > 0 else { return }
        let bounded = min(seconds, 86_400)
        var request = timespec(tv_sec: Int(bounded), tv_nsec: Int((bounded - bounded.rounded(.down)) * 1e9))
        var remaining = timespec()
        // Resumes after a signal until the whole pause has passed.
        while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
    }
}

/// A clock that moves only when told: a transport in memory advances it by a read's whole timeout when nothing
/// arrives, and a pause advances it at once. Time in a test against a node in memory is then virtual: the verdicts
/// and the reported durations are those of the real wait, without the wait.
public final class DrivenProbeClock: ProbeClock {
    private let current: Mutex<ContinuousClock.Instant>

    public init(start: ContinuousClock.Instant = .now) { current = Mutex(start) }

    public var now: ContinuousClock.Instant { current.withLock { $0 } }

    /// Moves the clock `seconds` on (at most a day at a time; nothing for a negative value).
    public func advance(by seconds: Double) {
        guard seconds > 0 else { return }
        let step = Duration.nanoseconds(Int64(min(seconds, 86_400) * 1e9))
        current.withLock { $0 += step }
    }

    public func sleep(_ seconds: Double) { advance(by: seconds) }
}

extension Duration {
    /// The duration in seconds.
    var inSeconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
