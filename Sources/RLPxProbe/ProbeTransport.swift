// SPDX-License-Identifier: Apache-2.0

/// What one read of a probe connection gave.
public enum ProbeRead: Sendable {
    case bytes([UInt8])
    /// The node closed (`reset` when it aborted the connection).
    case closed(reset: Bool)
    case timeout
}

/// One connection to the node under test, byte for byte: the network (``ProbeDialer/network``), or a node in
/// memory for the probe's own tests. Blocking, so a test sees exactly what the node did and when.
public protocol ProbeTransport: AnyObject {
    /// Writes all of `bytes`; false when the connection is gone.
    @discardableResult func write(_ bytes: [UInt8]) -> Bool
    /// What arrives within `timeout` seconds (measured by the dialer's clock: a transport in memory whose node has
    /// nothing to send advances its ``DrivenProbeClock`` by `timeout` and returns at once).
    func read(timeout: Double) -> ProbeRead
}

/// How the probe opens connections to a target, and the clock it reads and waits by on them.
public struct ProbeDialer: Sendable {
    public let dial: @Sendable (ProbeTarget, Double) throws(ProbeError) -> any ProbeTransport
    /// The time of these connections: the machine's for the network, a driven one for nodes in memory.
    public let clock: any ProbeClock

    public init(
        clock: any ProbeClock = SystemProbeClock(), dial: @escaping @Sendable (ProbeTarget, Double) throws(ProbeError) -> any ProbeTransport
    ) {
        self.clock = clock
        self.dial = dial
    }

    /// TCP to the target's host and port, connecting within the timeout.
    public static let network = ProbeDialer { target, timeout throws(ProbeError) in
        try ProbeSocket.connect(host: target.host, port: target.port, timeout: timeout)
    }
}
