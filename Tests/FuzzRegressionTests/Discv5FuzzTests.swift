// SPDX-License-Identifier: Apache-2.0
import RLPxFuzz
import RLPxTestSupport
import Testing

/// The discv5 target on inputs shaped like unmasked packets ("discv5", version 1, a flag, an authdata size), so
/// that its masked path gets past the static header into authdata, handshakes and the session state.
@Suite struct Discv5FuzzTests {
    @Test func headerShapedInputsKeepTheInvariants() {
        var random = SeededRandom(seed: 2031)
        for round in 0..<3_000 {
            var data = random.bytes(40 + Int(random.next() % 300))
            data.replaceSubrange(16..<24, with: Array("discv5".utf8) + [0, 1])
            data[24] = UInt8(round % 4)  // ordinary, WHOAREYOU, handshake, unknown
            let authSize = [32, 24, 34 + 64 + 33, Int(random.next() % 200)][round % 4]
            data[37] = UInt8(authSize >> 8)
            data[38] = UInt8(authSize & 0xff)
            if round % 4 == 2, data.count > 39 + 34 {
                data[39 + 32] = 64  // signature size
                data[39 + 33] = 33  // key size
            }
            FuzzEntries.discv5(data)
        }
    }
}
