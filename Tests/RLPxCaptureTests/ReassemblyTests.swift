// SPDX-License-Identifier: Apache-2.0
import RLPxCapture
import Testing

@Suite struct ReassemblyTests {
    @Test func gapsAreReportedAndSkippable() {
        var stream = TCPStreamReassembler(initialSequence: 100)
        #expect(stream.add(sequence: 100, payload: [1, 2, 3]) == [1, 2, 3])
        #expect(stream.add(sequence: 106, payload: [7, 8]).isEmpty)  // 103..<106 missing
        #expect(stream.gap?.at == 3 && stream.gap?.waiting == 2)
        #expect(stream.add(sequence: 101, payload: [2, 3, 4]) == [4])  // overlap: only the new byte
        let (skipped, bytes) = stream.skipGap()
        #expect(skipped == 2 && bytes == [7, 8])
    }

    @Test func sequenceNumbersWrap() {
        var stream = TCPStreamReassembler(initialSequence: 0xffff_fffe)
        #expect(stream.add(sequence: 0xffff_fffe, payload: [1, 2, 3, 4]) == [1, 2, 3, 4])
        #expect(stream.add(sequence: 2, payload: [5]) == [5])
        #expect(stream.add(sequence: 0xffff_ffff, payload: [2, 3]).isEmpty)  // retransmission
    }
}

extension ReassemblyTests {
    /// Found by the capture fuzzer: a segment that starts before stream byte 0 and reaches into the stream trapped
    /// on an underflow. Its bytes before the stream start are dropped; the rest is delivered.
    @Test func segmentStraddlingTheStreamStart() {
        var stream = TCPStreamReassembler(initialSequence: 100)
        #expect(stream.add(sequence: 97, payload: [7, 8, 9, 1, 2]) == [1, 2])
        #expect(stream.add(sequence: 0, payload: [1, 2, 3]).isEmpty, "wholly before the stream")
        #expect(stream.add(sequence: 102, payload: [3]) == [3])
    }
}
