// SPDX-License-Identifier: Apache-2.0
import Dispatch
import Synchronization

/// Async work run to completion from blocking code (the probe's tests block their thread on sockets). The task
/// prefers an executor whose jobs the waiting thread runs itself, so no thread of the shared pool is needed: the
/// pool may be full of threads blocked the same way.
enum BlockingTask {
    /// The value of `operation`, or nil when it has not finished within `seconds`.
    static func run<Value: Sendable>(within seconds: Double, _ operation: @escaping @Sendable () async -> Value) -> Value? {
        let executor = CallerExecutor()
        let result = ResultBox<Value>()
        Task(executorPreference: executor) {
            let value = await operation()
            result.value.withLock { $0 = value }
            executor.wake()
        }
        let nanoseconds = UInt64(max(0, min(seconds, 86_400)) * 1e9)
        executor.runJobs(until: { result.value.withLock { $0 != nil } }, deadline: .now() + .nanoseconds(Int(nanoseconds)))
        return result.value.withLock { $0 }
    }
}

/// Where a ``BlockingTask`` puts its value.
private final class ResultBox<Value: Sendable>: Sendable {
    let value = Mutex<Value?>(nil)
}

/// A task executor whose jobs wait in a queue until the thread that called ``runJobs(until:deadline:)`` runs them.
private final class CallerExecutor: TaskExecutor, Sendable {
    private let jobs = Mutex<[UnownedJob]>([])
    private let signal = DispatchSemaphore(value: 0)

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        jobs.withLock { $0.append(job) }
        signal.signal()
    }

    /// Lets a waiting ``runJobs(until:deadline:)`` look at its condition again.
    func wake() { signal.signal() }

    /// Runs queued jobs on this thread until `done` holds or `deadline` passes.
    func runJobs(until done: () -> Bool, deadline: DispatchTime) {
        while !done() {
            let next = jobs.withLock { $0.isEmpty ? nil : $0.removeFirst() }
            if let next {
                next.runSynchronously(on: asUnownedTaskExecutor())
                continue
            }
            if signal.wait(timeout: deadline) == .timedOut { return }
        }
    }
}
