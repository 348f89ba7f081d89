// SPDX-License-Identifier: Apache-2.0
// libFuzzer's driver, started from an executable's own main: SwiftPM names every executable's entry point, so the
// targets call LLVMFuzzerRunDriver (libFuzzer's interface for custom mains) instead of defining
// LLVMFuzzerTestOneInput beside libFuzzer's main.
import Glibc

typealias Callback = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

@_silgen_name("LLVMFuzzerRunDriver")
func runDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: Callback
) -> CInt

/// The body the driver calls for each input (set once, before the driver starts).
nonisolated(unsafe) private var target: (([UInt8]) -> Void)?

/// Runs libFuzzer with `body` as the target and exits with its status.
public func fuzz(_ body: @escaping ([UInt8]) -> Void) -> Never {
    target = body
    var argc = CommandLine.argc
    var argv = CommandLine.unsafeArgv
    exit(
        runDriver(&argc, &argv) { start, count in
            target?(start.map { Array(UnsafeBufferPointer(start: $0, count: count)) } ?? [])
            return 0
        })
}
