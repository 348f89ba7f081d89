// SPDX-License-Identifier: Apache-2.0

/// Waits until `condition` holds, checking every 20 ms for at most `limit` (scaled by ``TestTime``), and returns
/// whether it held. For states that another thread reaches "a moment later" (a socket closed, a counter updated): a
/// fixed sleep is either too short on a loaded or sanitized run or needlessly long everywhere else. The caller still
/// asserts the result.
public func eventually(within limit: Duration = .seconds(5), _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + TestTime.scaled(limit)
    while !condition() {
        guard ContinuousClock.now < deadline else { return false }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return true
}
