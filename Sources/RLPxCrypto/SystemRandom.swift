// SPDX-License-Identifier: Apache-2.0

/// The system's cryptographically secure generator (`SystemRandomNumberGenerator`) with one byte of storage.
///
/// The handshake and session take their generator `inout` through generic code. Under ThreadSanitizer, Swift
/// instruments every `inout` access in generic code with the value's address, and an empty struct has no address:
/// callers pass an unspecified one and the sanitizer's runtime faults on it (swiftlang/swift#35579 skips the call
/// only where the type is known to be empty, which a generic function cannot know). The runner, the tool and the
/// probe use this generator so that the whole test suite runs under ThreadSanitizer.
public struct SystemRandom: RandomNumberGenerator, Sendable {
    private var base = SystemRandomNumberGenerator()
    private var storage: UInt8 = 0

    public init() {}

    public mutating func next() -> UInt64 { base.next() }
}
