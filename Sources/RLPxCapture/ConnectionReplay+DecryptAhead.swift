// SPDX-License-Identifier: Apache-2.0
import Dispatch
import RLPxEvents

/// Decrypting ahead: once both frame decoders exist, a batch's bytes go to one ``FrameDecryption`` run per
/// direction, decrypted on another thread (both directions in one job, their MACs in lockstep) while the replay
/// reads the previous batch; the frames are then read in capture order, as adding the segments one at a time would.
extension ConnectionReplay {
    /// One batch's frames decrypted apart: each direction's run, and the batch's segments in capture order (side,
    /// time, and the segment's index among its direction's).
    struct DecryptionBatch {
        var runs = BothSides<FrameDecryption?>(repeating: nil)
        var segments: [(side: Side, time: Double, index: Int)] = []
    }

    func stage(_ side: Side, _ bytes: [UInt8], time: Double, replay: CaptureReplay) {
        guard !sides[side].decryptionFailed else { return }
        var batch = staged ?? DecryptionBatch()
        if staged == nil { replay.stage(self) }
        staged = nil  // held alone while it changes, so its arrays are not copied
        let run = batch.runs[side] ?? FrameDecryption(offset: 0)
        batch.runs[side] = run
        // Bytes that arrived before the handshake ended and were not read yet go first.
        let index = sides[side].pending.isEmpty ? run.add(bytes) : run.add(sides[side].pending + bytes)
        sides[side].pending = []
        batch.segments.append((side, time, index))
        staged = batch
    }

    /// Hands each staged run its direction's decoder and starts the runs on another thread.
    func startDecrypting(group: DispatchGroup) {
        guard var batch = staged else { return }
        staged = nil
        for side in Side.allCases {
            guard let run = batch.runs[side] else { continue }
            // Taken, not copied: a copy would retain each of the decoder's references.
            guard !sides[side].decryptionFailed, let decoder = sides[side].decoder.take() else {
                batch.runs[side] = nil
                continue
            }
            run.decoder = decoder
            run.offset = sides[side].offset
        }
        // Both directions in one job, their MACs in lockstep; one alone in a job of its own.
        switch (batch.runs[.initiator], batch.runs[.recipient]) {
        case (let initiator?, let recipient?): DispatchQueue.global().async(group: group) { FrameDecryption.run(initiator, recipient) }
        case (let run?, nil), (nil, let run?): DispatchQueue.global().async(group: group) { run.run() }
        case (nil, nil): break
        }
        decrypting = batch
    }

    /// After the runs finished: takes each direction's decoder and stream offset back.
    func takeDecrypted() {
        guard let batch = decrypting else { return }
        decrypting = nil
        for side in Side.allCases {
            guard let run = batch.runs[side] else { continue }
            sides[side].decoder = run.decoder.take()
            sides[side].offset = run.offset
            if run.failure != nil { sides[side].decryptionFailed = true }
        }
        decrypted = batch
    }

    /// Reads the decrypted frames in capture order: each segment's frames at that segment's time.
    func readDecrypted(replay: CaptureReplay) {
        guard let batch = decrypted else { return }
        decrypted = nil
        var next = BothSides(repeating: 0)
        for (side, time, index) in batch.segments {
            guard let run = batch.runs[side] else { continue }
            while next[side] < run.frames.count && run.frames[next[side]].segment == index {
                let frame = run.frames[next[side]]
                next[side] += 1
                run.withData(of: frame) { frameArrived(frame.header, $0, side: side, time: time, offset: frame.offset, replay: replay) }
            }
            if let failure = run.failure, failure.segment == index {
                emit(replay, time, .fault(side, .frame(failure.error, offset: failure.offset)))
                sides[side].failed = true
            }
        }
    }
}
