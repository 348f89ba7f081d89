// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Runs blocking work (a probe run waits on its connections for seconds) on a thread of its own, so the test leaves
/// the shared pool's few threads to the tests that need them.
func offPool<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws -> Value {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}
