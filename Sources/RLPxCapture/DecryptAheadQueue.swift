// SPDX-License-Identifier: Apache-2.0
import Dispatch

/// The replay's decrypt-ahead pipeline across connections: the connections whose frames of the batch being routed
/// wait to be decrypted, and the decryption running on other threads. Each ``advance()`` waits for the running
/// one, starts the staged one, and hands back the connections whose frames are decrypted and ready to read, so
/// this thread reads one batch's messages while the next batch is decrypted.
struct DecryptAheadQueue {
    /// Connections whose frames of the batch being routed wait to be decrypted.
    private var staged: [ConnectionReplay] = []
    /// The decryption running on other threads, and the connections whose frames it decrypts.
    private var decrypting: (group: DispatchGroup, connections: [ConnectionReplay])?

    /// Whether anything is staged or being decrypted.
    var isIdle: Bool { staged.isEmpty && decrypting == nil }

    mutating func stage(_ connection: ConnectionReplay) { staged.append(connection) }

    /// Waits for the decryption running, starts the staged one, and returns the connections the finished one
    /// decrypted (their frames are to be read next, in this order).
    mutating func advance() -> [ConnectionReplay] {
        var decrypted: [ConnectionReplay] = []
        if let (group, connections) = decrypting {
            group.wait()
            for connection in connections { connection.takeDecrypted() }
            decrypted = connections
            decrypting = nil
        }
        if !staged.isEmpty {
            let group = DispatchGroup()
            for connection in staged { connection.startDecrypting(group: group) }
            decrypting = (group, staged)
            staged = []
        }
        return decrypted
    }
}
