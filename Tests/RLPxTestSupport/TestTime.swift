// SPDX-License-Identifier: Apache-2.0
#if canImport(Glibc)
    import Glibc
#endif

/// How long tests let the code under test take to react, scaled by `RLPX_TEST_TIME_SCALE` (default 3: CI runs every
/// suite at once on two cores, where a 50 ms handshake has taken over 5 s). `Tools/sanitizers/run.sh` sets it higher:
/// sanitized code runs several times slower still. Scale only the time the code is given (timeouts, waits), never a bound a test asserts
/// about speed or an interval whose firing it checks.
public enum TestTime {
    public static let scale: Double = {
        #if canImport(Glibc)
            if let text = getenv("RLPX_TEST_TIME_SCALE"), let value = Double(String(cString: text)), value >= 1 { return value }
        #endif
        return 3
    }()

    /// `duration` times ``scale``.
    public static func scaled(_ duration: Duration) -> Duration { duration * scale }
}
