// SPDX-License-Identifier: Apache-2.0
import DevP2P

/// Where a test's body starts: what the runner opens before it (a bare transport, a completed handshake, a
/// session, an eth session, ...), and how what it opened is kept afterwards. A stage that cannot open stops the
/// test with its observation (a problem when the node did not get there, UNSUPPORTED when it does not offer what
/// the test needs). The eth and transaction stages are beside their families (``EthTests``, ``GethTransactionSuite``).
struct ProbeStage<Input>: Sendable {
    /// Opens the input, or says why the body cannot run.
    let open: @Sendable (inout ProbeContext) throws(ProbeError) -> Result<Input, Stopped>
    /// Keeps what the input holds (its connections' transcripts) once the body is done.
    let keep: @Sendable (inout ProbeContext, Input) -> Void
    /// Adds what the stage learned to the body's observation.
    let annotate: @Sendable (Input, inout Observation) -> Void

    init(
        open: @escaping @Sendable (inout ProbeContext) throws(ProbeError) -> Result<Input, Stopped>,
        keep: @escaping @Sendable (inout ProbeContext, Input) -> Void = { _, _ in },
        annotate: @escaping @Sendable (Input, inout Observation) -> Void = { _, _ in }
    ) {
        self.open = open
        self.keep = keep
        self.annotate = annotate
    }
}

extension ProbeStage where Input == Void {
    /// Nothing: the body opens its own connections and keeps them.
    static var context: ProbeStage<Void> { ProbeStage { _ throws(ProbeError) in .success(()) } }
}

extension ProbeStage where Input == any ProbeTransport {
    /// A bare connection to the node, for tests below the session.
    static var transport: ProbeStage<any ProbeTransport> { ProbeStage { context throws(ProbeError) in .success(try context.transport()) } }
}

extension ProbeStage where Input == ProbeConnection {
    /// A connection whose handshake completed (the Hellos not awaited), its configuration changed by `change`.
    static func handshake(_ change: @escaping @Sendable (inout SessionConfiguration) -> Void = { _ in }) -> ProbeStage<ProbeConnection> {
        ProbeStage(
            open: { context throws(ProbeError) in
                var connection = try context.connect(change)
                let completed = connection.waitFor(timeout: context.timeout) {
                    if case .handshakeCompleted = $0 { return true } else { return false }
                }
                guard case .event = completed else {
                    context.keep(connection)
                    return .failure(Stopped(.problem("no handshake: \(completed)")))
                }
                return .success(connection)
            },
            keep: { context, connection in context.keep(connection) })
    }

    /// A connection that completed the handshake and the Hello exchange, its configuration changed by `change`.
    static func session(_ change: @escaping @Sendable (inout SessionConfiguration) -> Void = { _ in }) -> ProbeStage<ProbeConnection> {
        ProbeStage(
            open: { context throws(ProbeError) in try context.established(change) },
            keep: { context, connection in context.keep(connection) })
    }
}
