// SPDX-License-Identifier: Apache-2.0
import Keccak

extension RLPxMAC {
    /// A frame for ``bodies(_:_:_:_:)``: its padded body ciphertext, and where its two expected MACs go.
    package struct FrameTags {
        package var body: UnsafeRawBufferPointer
        /// 16 bytes: the MAC of the header absorbed last (``absorbHeader(_:)``).
        package var headerTag: UnsafeMutableRawBufferPointer
        /// 16 bytes: the frame MAC.
        package var tag: UnsafeMutableRawBufferPointer

        package init(body: UnsafeRawBufferPointer, headerTag: UnsafeMutableRawBufferPointer, tag: UnsafeMutableRawBufferPointer) {
            self.body = body
            self.headerTag = headerTag
            self.tag = tag
        }
    }

    /// ``body(_:tag:headerTag:)`` on two independent MACs at once (the two directions of one connection), with the
    /// same results. Each MAC is a chain of Keccak permutations, each waiting for the one before; the two chains
    /// run in lockstep, so every pass permutes the next states of both (up to four), and two frames cost about
    /// what one does.
    package static func bodies(_ a: inout RLPxMAC, _ frameA: FrameTags, _ b: inout RLPxMAC, _ frameB: FrameTags) {
        precondition(frameA.headerTag.count == tagLength && frameA.tag.count == tagLength, "a MAC tag is 16 bytes")
        precondition(frameB.headerTag.count == tagLength && frameB.tag.count == tagLength, "a MAC tag is 16 bytes")
        withUnsafeMutablePointer(to: &a.hash) { hashA in
            withUnsafeMutablePointer(to: &b.hash) { hashB in
                // Left uninitialised: a digest is plain bytes, each written before it is read. Two allocations of
                // two digests each stay under the 1 KiB that is always taken on the stack.
                withUnsafeTemporaryAllocation(of: PendingDigest.self, capacity: 2) { scratchA in
                    withUnsafeTemporaryAllocation(of: PendingDigest.self, capacity: 2) { scratchB in
                        withUnsafeTemporaryAllocation(of: Keccak256.Step.self, capacity: 4) { steps in
                            guard let digestsA = scratchA.baseAddress, let digestsB = scratchB.baseAddress,
                                let stepBase = steps.baseAddress
                            else { return }
                            var chainA = Chain(hash: hashA, digests: digestsA, frame: frameA)
                            var chainB = Chain(hash: hashB, digests: digestsB, frame: frameB)
                            while true {
                                var count = 0
                                chainA.next(steps: stepBase, count: &count, cipher: &a.cipher)
                                chainB.next(steps: stepBase, count: &count, cipher: &b.cipher)
                                guard count > 0 else { break }
                                Keccak256.permute(stepBase, count: count)
                            }
                            a.currentPrefix = chainA.prefix
                            b.currentPrefix = chainB.prefix
                        }
                    }
                }
            }
        }
    }

    /// One MAC's steps through a frame, each ending where it needs permutations: the header MAC's digest beside
    /// the body's first block (or beside the body digest when the body completes no block), the rest of the body
    /// block by block, the body digest, the mixed-in AES block (when it completes a block), the frame MAC's digest.
    private struct Chain {
        enum Step {
            case start, headerAndBlock, block, headerAndSeed, seed, mixBlock, tag, done
        }

        let hash: UnsafeMutablePointer<Keccak256>
        /// The header MAC's digest, and the body's and frame MAC's.
        let header: UnsafeMutablePointer<PendingDigest>
        let digest: UnsafeMutablePointer<PendingDigest>
        var body: UnsafeRawBufferPointer
        let frame: FrameTags
        var step = Step.start
        /// The body digest[:16], then the frame MAC.
        var prefix = InlineArray<16, UInt8>(repeating: 0)
        var mixed = InlineArray<16, UInt8>(repeating: 0)
        var mixedTaken = 0

        init(hash: UnsafeMutablePointer<Keccak256>, digests: UnsafeMutablePointer<PendingDigest>, frame: FrameTags) {
            self.hash = hash
            header = digests
            digest = digests + 1
            body = frame.body
            self.frame = frame
        }

        /// Finishes the step whose permutations just ran and adds the next step's to `steps`.
        mutating func next(steps: UnsafeMutablePointer<Keccak256.Step>, count: inout Int, cipher: inout AESBlockCipher) {
            switch step {
            case .start:
                hash.pointee.prepareDigest(header)
                takeBody()
                if hash.pointee.isBlockFull {
                    add(.digest(of: hash, into: header), .absorb(hash), to: steps, count: &count)
                    step = .headerAndBlock
                } else {
                    hash.pointee.prepareDigest(digest)
                    add(.digest(of: hash, into: header), .digest(of: hash, into: digest), to: steps, count: &count)
                    step = .headerAndSeed
                }
            case .headerAndBlock:
                header.pointee.squeeze(into: frame.headerTag)
                continueBody(steps: steps, count: &count)
            case .block:
                continueBody(steps: steps, count: &count)
            case .headerAndSeed:
                header.pointee.squeeze(into: frame.headerTag)
                mix(steps: steps, count: &count, cipher: &cipher)
            case .seed:
                mix(steps: steps, count: &count, cipher: &cipher)
            case .mixBlock:
                let taken = mixedTaken
                withUnsafeMutableBytes(of: &mixed) { mixed in  // in place: a copy would cost a memcpy call
                    _ = hash.pointee.buffer(UnsafeRawBufferPointer(rebasing: mixed[taken...]))
                }
                takeTag(steps: steps, count: &count)
            case .tag:
                withUnsafeMutableBytes(of: &prefix) { digest.pointee.squeeze(into: $0) }
                digest.pointee.squeeze(into: frame.tag)
                step = .done
            case .done:
                break
            }
        }

        private mutating func takeBody() {
            let taken = hash.pointee.buffer(body)
            body = UnsafeRawBufferPointer(rebasing: body[taken...])
        }

        private mutating func continueBody(steps: UnsafeMutablePointer<Keccak256.Step>, count: inout Int) {
            takeBody()
            if hash.pointee.isBlockFull {
                add(.absorb(hash), nil, to: steps, count: &count)
                step = .block
            } else {
                hash.pointee.prepareDigest(digest)
                add(.digest(of: hash, into: digest), nil, to: steps, count: &count)
                step = .seed
            }
        }

        /// Absorbs AES(digest[:16]) ⊕ digest[:16], as `RLPxMAC.mixDigest(xoring: nil)` does.
        private mutating func mix(steps: UnsafeMutablePointer<Keccak256.Step>, count: inout Int, cipher: inout AESBlockCipher) {
            withUnsafeMutableBytes(of: &prefix) { digest.pointee.squeeze(into: $0) }
            mixed = RLPxMAC.mixedBlock(prefix, xoring: nil, cipher: &cipher)
            mixedTaken = withUnsafeMutableBytes(of: &mixed) { hash.pointee.buffer(UnsafeRawBufferPointer($0)) }
            if hash.pointee.isBlockFull {
                add(.absorb(hash), nil, to: steps, count: &count)
                step = .mixBlock
            } else {
                takeTag(steps: steps, count: &count)
            }
        }

        private mutating func takeTag(steps: UnsafeMutablePointer<Keccak256.Step>, count: inout Int) {
            hash.pointee.prepareDigest(digest)
            add(.digest(of: hash, into: digest), nil, to: steps, count: &count)
            step = .tag
        }

        private func add(
            _ first: Keccak256.Step, _ second: Keccak256.Step?, to steps: UnsafeMutablePointer<Keccak256.Step>, count: inout Int
        ) {
            (steps + count).initialize(to: first)
            count += 1
            if let second {
                (steps + count).initialize(to: second)
                count += 1
            }
        }
    }
}
