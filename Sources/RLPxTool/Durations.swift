// SPDX-License-Identifier: Apache-2.0
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
