// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import RLPxCapture

extension Duration {
    /// The duration in seconds, fractions included.
    var inSeconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

/// A span of time as every command prints one: seconds with three decimals (`1.062 s`).
func seconds(_ value: Double) -> String {
    decimal(value, 3) + " s"
}

/// A duration as every command prints one (`1.062 s`).
func seconds(_ duration: Duration) -> String {
    seconds(duration.inSeconds)
}

/// A round trip, far below a second on any usable link: milliseconds with three decimals (`0.412 ms`).
func milliseconds(_ duration: Duration) -> String {
    decimal(duration.inSeconds * 1000, 3) + " ms"
}

/// A number of seconds from the command line: finite, at most a year, above zero (or zero where `zero` allows it);
/// anything else is bad usage (a Duration from infinity or 1e300 seconds would trap).
func validateSeconds(_ value: Double, _ option: String, zero: Bool = false) throws {
    guard value.isFinite, value <= 31_536_000, zero ? value >= 0 : value > 0 else {
        throw ValidationError("\(option) takes \(zero ? "0 or more" : "a positive number of") seconds, at most a year.")
    }
}
