// SPDX-License-Identifier: Apache-2.0
import RLPxFraming
import RLPxHandshake
import RLPxTestSupport
import Testing

/// Two decoders opened in lockstep (`FrameDecoder.nextFrames`) read what each reads alone, and a failure stays on
/// its own side.
@Suite struct FrameLockstepTests {
    /// The two directions of one connection: frames each way, and a decoder for each.
    private struct Connection {
        var sealers: [FrameSealer]
        var decoders: [FrameDecoder]

        init() throws {
            let (a, b) = try FrameBehaviourTests.secrets()
            sealers = [FrameSealer(secrets: a), FrameSealer(secrets: b)]
            decoders = [FrameDecoder(secrets: b), FrameDecoder(secrets: a)]
        }
    }

    /// Reads both decoders: whole frames side by side while both have one, anything else alone, as the capture
    /// replay does.
    private func readBoth(_ decoders: inout [FrameDecoder]) -> (frames: [[[UInt8]]], errors: [FramingError?]) {
        var frames: [[[UInt8]]] = [[], []]
        var errors: [FramingError?] = [nil, nil]
        func whole(_ side: Int) -> Bool {
            guard errors[side] == nil else { return false }
            do throws(FramingError) {
                while true {
                    if try decoders[side].nextFrameIsWhole() { return true }
                    guard let frame = try decoders[side].nextFrame() else { return false }
                    frames[side].append(frame.data)
                }
            } catch {
                errors[side] = error
                return false
            }
        }
        while true {
            let (first, second) = (whole(0), whole(1))
            if first && second {
                var a = decoders[0]
                var b = decoders[1]
                let failures = FrameDecoder.nextFrames(&a, &b) { isFirst, _, data in frames[isFirst ? 0 : 1].append(Array(data)) }
                decoders = [a, b]
                if let failure = failures.0 { errors[0] = failure }
                if let failure = failures.1 { errors[1] = failure }
            } else if first || second {
                let side = first ? 0 : 1
                do throws(FramingError) {
                    if let frame = try decoders[side].nextFrame() { frames[side].append(frame.data) }
                } catch {
                    errors[side] = error
                }
            } else {
                return (frames, errors)
            }
        }
    }

    @Test func lockstepReadsWhatEachReadsAlone() throws {
        var random = SeededRandom(seed: 91)
        var connection = try Connection()
        var sent: [[[UInt8]]] = [[], []]
        var wires: [[UInt8]] = [[], []]
        let sizes = [0, 1, 15, 16, 17, 63, 64, 65, 100, 119, 120, 200, 1000, 4096, 70000]
        for round in 0..<60 {
            for side in 0..<2 {
                let data = random.bytes(sizes[(round * (side + 3)) % sizes.count])
                sent[side].append(data)
                wires[side] += try connection.sealers[side].seal(data)
            }
        }
        // Split each direction at random points and feed the pieces in turns, reading after each.
        var read: [[[UInt8]]] = [[], []]
        var positions = [0, 0]
        while positions != [wires[0].count, wires[1].count] {
            for side in 0..<2 where positions[side] < wires[side].count {
                let end = min(wires[side].count, positions[side] + Int.random(in: 1...3000, using: &random))
                connection.decoders[side].append(wires[side][positions[side]..<end])
                positions[side] = end
            }
            let (frames, errors) = readBoth(&connection.decoders)
            #expect(errors == [nil, nil])
            for side in 0..<2 { read[side] += frames[side] }
        }
        #expect(read == sent)
    }

    /// A frame whose MAC is wrong fails its own side (header or frame MAC, whichever was touched); the other side
    /// goes on reading.
    @Test(arguments: [3, 40])
    func aFailureStaysOnItsSide(tamperAt offset: Int) throws {
        var connection = try Connection()
        var wires: [[UInt8]] = [[], []]
        for round in 0..<4 {
            for side in 0..<2 { wires[side] += try connection.sealers[side].seal([UInt8](repeating: UInt8(round), count: 64)) }
        }
        let frameLength = Frame.wireLength(forSize: 64)
        wires[0][frameLength + offset] ^= 1  // the second frame, in its header or its body
        for side in 0..<2 { connection.decoders[side].append(wires[side]) }
        let (frames, errors) = readBoth(&connection.decoders)
        #expect(frames[0].count == 1)
        #expect(errors[0] == (offset < 32 ? FramingError.headerMACMismatch : FramingError.frameMACMismatch))
        #expect(frames[1] == (0..<4).map { [UInt8](repeating: UInt8($0), count: 64) })
        #expect(errors[1] == nil)
        #expect(throws: FramingError.streamFailed) { try connection.decoders[0].nextFrame() }
    }
}

extension FrameLockstepTests {
    /// Called without a whole frame on one side, the lockstep opens the other side's frame alone and leaves the
    /// first untouched.
    @Test func oneSideWithoutAWholeFrame() throws {
        var connection = try Connection()
        let first = try connection.sealers[0].seal([1, 2, 3])
        let second = try connection.sealers[1].seal([4, 5])
        connection.decoders[0].append(first.prefix(20))
        connection.decoders[1].append(second)
        #expect(try connection.decoders[1].nextFrameIsWhole())
        var a = connection.decoders[0]
        var b = connection.decoders[1]
        var opened: [(Bool, [UInt8])] = []
        let failures = FrameDecoder.nextFrames(&a, &b) { isFirst, _, data in opened.append((isFirst, Array(data))) }
        #expect(failures.0 == nil && failures.1 == nil)
        #expect(opened.count == 1 && opened.first?.0 == false && opened.first?.1 == [4, 5])
        a.append(first.dropFirst(20))
        #expect(try a.nextFrame()?.data == [1, 2, 3])
    }
}
