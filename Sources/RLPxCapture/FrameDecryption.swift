// SPDX-License-Identifier: Apache-2.0
import RLPxFraming

/// One direction's frames of one batch, decrypted apart from the rest of the replay: the bytes of the batch's
/// segments go in, the frames they complete come out, each tagged with the segment that completed it. A direction's
/// MAC and cipher state depend only on its own bytes, so the two directions of a connection (and the next batch
/// of one direction, while the previous batch's messages are read) can be decrypted on other threads.
///
/// Confined: the replay fills it, one thread runs it, and the replay reads it after waiting for that run.
final class FrameDecryption: @unchecked Sendable {
    /// A frame this batch completed; its data is `data[start ..< start + count]`.
    struct Opened {
        var header: FrameHeader
        var start: Int
        var count: Int
        /// Where the frame starts in the direction's decrypted stream.
        var offset: Int
        /// The index, among this direction's segments of the batch, of the segment that completed the frame.
        var segment: Int
    }

    /// The direction's decoder while the run holds it (taken back by the replay afterwards).
    var decoder: FrameDecoder?
    /// The stream offset of the next frame.
    var offset: Int
    /// Every segment's new bytes, one after the other.
    private(set) var input: [UInt8] = []
    /// Where each segment's bytes end in `input`.
    private(set) var segmentEnds: [Int] = []
    private(set) var data: [UInt8] = []
    private(set) var frames: [Opened] = []
    /// The frame error that ended the direction, and the segment whose bytes revealed it.
    private(set) var failure: (reason: String, offset: Int, segment: Int)?

    init(offset: Int) {
        self.offset = offset
    }

    /// Adds the bytes one segment made contiguous; returns the segment's index in this batch.
    func add(_ bytes: [UInt8]) -> Int {
        input += bytes
        segmentEnds.append(input.count)
        return segmentEnds.count - 1
    }

    /// Decrypts every frame the input completes, segment by segment, as a replay reading them one at a time would.
    /// Works on locals (no run-time exclusivity check per frame) and stores them at the end.
    func run() {
        guard var decoder else { return }
        self.decoder = nil
        var offset = self.offset, frames = self.frames, data = self.data
        var failure: (reason: String, offset: Int, segment: Int)?
        var start = 0
        segments: for (segment, end) in segmentEnds.enumerated() {
            decoder.append(input[start..<end])
            start = end
            while true {
                let frameOffset = offset
                let found: Void?
                do throws(FramingError) {
                    found = try decoder.nextFrame { header, bytes in
                        offset += Frame.wireLength(forSize: header.size)
                        frames.append(Opened(header: header, start: data.count, count: bytes.count, offset: frameOffset, segment: segment))
                        data.append(contentsOf: bytes)
                    }
                } catch {
                    failure = (error.reason, offset, segment)
                    break segments
                }
                if found == nil { break }
            }
        }
        self.decoder = decoder
        self.offset = offset
        self.frames = frames
        self.data = data
        self.failure = failure
        input = []
    }

    /// Lends frame `index`'s data.
    func withData<Result>(of frame: Opened, _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        data.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[frame.start..<(frame.start + frame.count)])) }
    }
}
