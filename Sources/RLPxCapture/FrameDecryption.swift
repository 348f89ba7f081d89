// SPDX-License-Identifier: Apache-2.0
import RLPxFraming

/// One direction's frames of one batch, decrypted apart from the rest of the replay: the bytes of the batch's
/// segments go in, the frames they complete come out, each tagged with the segment that completed it. A direction's
/// MAC and cipher state depend only on its own bytes, so the two directions of a connection (and the next batch
/// of one direction, while the previous batch's messages are read) can be decrypted on other threads.
///
/// Confined: the replay fills it, one thread runs it, and the replay reads it after waiting for that run; so its
/// properties skip run-time exclusivity checks.
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
    @exclusivity(unchecked) var decoder: FrameDecoder?
    /// The stream offset of the next frame.
    @exclusivity(unchecked) var offset: Int
    /// Every segment's new bytes, one after the other.
    @exclusivity(unchecked) private(set) var input: [UInt8] = []
    /// Where each segment's bytes end in `input`.
    @exclusivity(unchecked) private(set) var segmentEnds: [Int] = []
    @exclusivity(unchecked) private(set) var data: [UInt8] = []
    @exclusivity(unchecked) private(set) var frames: [Opened] = []
    /// The frame error that ended the direction, and the segment whose bytes revealed it.
    @exclusivity(unchecked) private(set) var failure: (error: FramingError, offset: Int, segment: Int)?

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
        var reader = Reader(self)
        while reader.nextFrameIsWhole(&decoder) {
            reader.open(&decoder)
        }
        reader.store(in: self, decoder: decoder)
    }

    /// ``run()`` for both directions of a connection at once: while both have a whole frame next, the two are
    /// opened together, their MACs in lockstep (`FrameDecoder.nextFrames`), which halves the Keccak passes; the
    /// frames, their segments and any failure are those each direction's own run would give.
    static func run(_ a: FrameDecryption, _ b: FrameDecryption) {
        guard var decoderA = a.decoder, var decoderB = b.decoder else {
            a.run()
            b.run()
            return
        }
        a.decoder = nil
        b.decoder = nil
        var readerA = Reader(a)
        var readerB = Reader(b)
        var wholeA = readerA.nextFrameIsWhole(&decoderA)
        var wholeB = readerB.nextFrameIsWhole(&decoderB)
        while wholeA || wholeB {
            if wholeA && wholeB {
                let (failureA, failureB) = FrameDecoder.nextFrames(&decoderA, &decoderB) { first, header, bytes in
                    if first { readerA.add(header, bytes) } else { readerB.add(header, bytes) }
                }
                if let failureA { readerA.fail(failureA) }
                if let failureB { readerB.fail(failureB) }
            } else if wholeA {
                readerA.open(&decoderA)
            } else {
                readerB.open(&decoderB)
            }
            wholeA = readerA.nextFrameIsWhole(&decoderA)
            wholeB = readerB.nextFrameIsWhole(&decoderB)
        }
        readerA.store(in: a, decoder: decoderA)
        readerB.store(in: b, decoder: decoderB)
    }

    /// One run's progress through a direction's segments, on locals.
    private struct Reader {
        let input: [UInt8]
        let segmentEnds: [Int]
        var offset: Int
        var frames: [Opened]
        var data: [UInt8]
        var failure: (error: FramingError, offset: Int, segment: Int)?
        /// The last segment given to the decoder; its bytes completed every frame found since.
        var segment = -1
        var start = 0

        init(_ run: FrameDecryption) {
            input = run.input
            segmentEnds = run.segmentEnds
            offset = run.offset
            frames = run.frames
            data = run.data
            // At most the input's bytes, in frames of at least 32 bytes: no growth, copy and free while running.
            data.reserveCapacity(data.count + input.count)
            frames.reserveCapacity(frames.count + input.count / 32 + 1)
        }

        /// Reads frames that cannot be opened in lockstep (their header MAC checked before their body came),
        /// feeding the decoder segment by segment, until the next frame is whole (true), or the input is used up or
        /// failed (false).
        mutating func nextFrameIsWhole(_ decoder: inout FrameDecoder) -> Bool {
            while failure == nil {
                do throws(FramingError) {
                    if try decoder.nextFrameIsWhole() { return true }
                    if try decoder.nextFrame({ header, bytes in add(header, bytes) }) != nil { continue }
                } catch {
                    fail(error)
                    return false
                }
                guard segment + 1 < segmentEnds.count else { return false }
                segment += 1
                decoder.append(input[start..<segmentEnds[segment]])
                start = segmentEnds[segment]
            }
            return false
        }

        /// Opens the whole frame next in `decoder` alone.
        mutating func open(_ decoder: inout FrameDecoder) {
            do throws(FramingError) {
                _ = try decoder.nextFrame { header, bytes in add(header, bytes) }
            } catch {
                fail(error)
            }
        }

        mutating func add(_ header: FrameHeader, _ bytes: UnsafeRawBufferPointer) {
            frames.append(Opened(header: header, start: data.count, count: bytes.count, offset: offset, segment: segment))
            data.append(contentsOf: bytes)
            offset += Frame.wireLength(forSize: header.size)
        }

        mutating func fail(_ error: FramingError) {
            failure = (error, offset, segment)
        }

        func store(in run: FrameDecryption, decoder: FrameDecoder) {
            run.decoder = decoder
            run.offset = offset
            run.frames = frames
            run.data = data
            run.failure = failure
            run.input = []
        }
    }

    /// Lends frame `index`'s data.
    func withData<Result>(of frame: Opened, _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        data.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[frame.start..<(frame.start + frame.count)])) }
    }
}
