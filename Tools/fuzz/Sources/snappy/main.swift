// SPDX-License-Identifier: Apache-2.0
// libFuzzer's driver, started from this executable's own main (SwiftPM names every executable's entry point).
import Glibc
import RLPxFuzz

typealias Callback = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
@_silgen_name("LLVMFuzzerRunDriver")
func runDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: Callback
) -> CInt

var argc = CommandLine.argc
var argv = CommandLine.unsafeArgv
exit(runDriver(&argc, &argv) { start, count in
    FuzzEntries.snappy(start.map { Array(UnsafeBufferPointer(start: $0, count: count)) } ?? [])
    return 0
})
