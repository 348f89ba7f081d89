// SPDX-License-Identifier: Apache-2.0
import COpenSSL
import Foundation
import Keccak
import RLPxCrypto
import RLPxFraming
import RLPxHandshake

/// Secrets from one real handshake, for the frame benchmarks.
func benchSecrets() -> SessionSecrets {
    var random = BenchRandom(seed: 99)
    let a = Secp256k1.PrivateKey.random(using: &random)
    let b = Secp256k1.PrivateKey.random(using: &random)
    var initiator = HandshakeInitiator(staticKey: a, remotePublicKey: b.publicKey, random: &random)
    var recipient = HandshakeRecipient(staticKey: b, random: &random)
    guard let (ack, _) = try? recipient.receive(initiator.authPacket(random: &random), random: &random),
        let result = try? initiator.receive(ack)
    else { preconditionFailure("benchmark handshake failed") }
    return result.secrets
}

/// Seal and open at each size, beside the floor the specification imposes on a frame of that size, built from
/// each primitive timed alone in turns with the sealer (so a noisy neighbour slows both sides alike):
/// - AES-256-CTR: the header's block and the padded body's blocks (timed per block over 64 KiB, OpenSSL);
/// - AES-256 on the MAC key: one block for the header's MAC and one for the frame's (timed one call per block,
///   as the MAC must: each block depends on the digest before it);
/// - Keccak-f[1600]: the MAC state absorbs the header update (16 bytes), the ciphertext and the frame update
///   (16 bytes), one permutation per 136 bytes (timed per block over 34 KiB); and three digests, one permutation
///   each: the header MAC, the seed the frame update is made of (the digest after the ciphertext), the frame MAC.
///   (The header update's own seed is the previous frame's MAC, already computed.)
/// Opening goes through ``FrameDecoder``, as a peer and the capture replay receive: each frame arrives whole and is
/// read in place; it needs the same primitives, and takes its turns with the sealer and the primitives too.
func frameBenchmarks() {
    let secrets = benchSecrets()
    for size in [32, 64, 1024, 16384, 65536, 1 << 20] {
        var random = BenchRandom(seed: UInt64(size))
        let data = random.bytes(size)
        let padded = Frame.paddedLength(size)

        // Opening consumes frames in order: seal a pool first, then time a fresh opener over it.
        let poolCount = max(8, min(20_000, (64 << 20) / Frame.wireLength(forSize: size)))
        var poolSealer = FrameSealer(secrets: secrets)
        let pool = (0..<poolCount).map { _ in (try? poolSealer.seal(data)) ?? [] }

        var sealer = FrameSealer(secrets: secrets)
        let ctrBlocks = 4096
        var ctrBuffer = [UInt8](repeating: 7, count: 16 * ctrBlocks)
        let context = EVP_CIPHER_CTX_new()
        let key = [UInt8](repeating: 1, count: 32)
        let iv = [UInt8](repeating: 0, count: 16)
        _ = EVP_EncryptInit_ex(context, EVP_aes_256_ctr(), nil, key, iv)
        var macCipher = AESBlockCipher(key: key)
        var block = [UInt8](repeating: 3, count: 16)
        let keccakBlocks = 256
        let keccakInput = [UInt8](repeating: 5, count: 136 * keccakBlocks)
        var hasher = Keccak256()
        let times = measureInterleaved([
            { sink &+= UInt64((try? sealer.seal(data))?.count ?? 0) },
            {
                // One pass over the pool with a fresh decoder: the frames open in the order they were sealed.
                var decoder = FrameDecoder(secrets: secrets.peer)
                for frame in pool {
                    decoder.append(frame)
                    guard let count = try? decoder.nextFrame({ _, data in data.count }) else {
                        preconditionFailure("benchmark frame did not open")
                    }
                    sink &+= UInt64(count)
                }
            },
            {
                var written: Int32 = 0
                let count = Int32(ctrBuffer.count)
                ctrBuffer.withUnsafeMutableBufferPointer { _ = EVP_EncryptUpdate(context, $0.baseAddress, &written, $0.baseAddress, count) }
                sink &+= UInt64(ctrBuffer[0])
            },
            {
                block.withUnsafeMutableBytes { macCipher.encrypt(block: $0) }
                sink &+= UInt64(block[0])
            },
            {
                keccakInput.withUnsafeBytes { hasher.update($0) }
                sink &+= UInt64(keccakInput[0])
            },
        ])
        EVP_CIPHER_CTX_free(context)
        let ctrBlock = times[2] / Double(ctrBlocks)
        let permutation = times[4] / Double(keccakBlocks)
        let floor = ctrBlock * Double(1 + padded / 16) + times[3] * 2 + permutation * (3 + Double(padded + 32) / 136)
        report("frame.seal.\(size)", times[0], bytes: size)
        report("frame.open.\(size)", times[1] / Double(poolCount), bytes: size)
        report("floor.frame.\(size)", floor, bytes: size)
        report("floor.aes.ctr.block", ctrBlock, bytes: 16)
        report("floor.aes.mac.block", times[3], bytes: 16)
        report("floor.keccak.f", permutation, bytes: 136)
    }
}

/// A full in-memory handshake pair, beside the secp256k1 operations it performs, each timed alone.
func handshakeBenchmarks() {
    var random = BenchRandom(seed: 5)
    let a = Secp256k1.PrivateKey.random(using: &random)
    let b = Secp256k1.PrivateKey.random(using: &random)
    report(
        "handshake.pair",
        measure(minimum: 0.3) {
            var initiator = HandshakeInitiator(staticKey: a, remotePublicKey: b.publicKey, random: &random)
            var recipient = HandshakeRecipient(staticKey: b, random: &random)
            guard let (ack, _) = try? recipient.receive(initiator.authPacket(random: &random), random: &random),
                let result = try? initiator.receive(ack)
            else { preconditionFailure("benchmark handshake failed") }
            sink &+= UInt64(result.secrets.aesSecret[0])
        }, bytes: 1)

    let peer = b.publicKey
    let digest = [UInt8](repeating: 3, count: 32)
    let signature = (try? a.signature(forDigest: digest)) ?? []
    let nodeID = peer.nodeID
    report("secp.ecdh", measure { sink &+= UInt64((try? a.sharedSecret(with: peer))?[0] ?? 0) }, bytes: 1)
    report("secp.sign", measure { sink &+= UInt64((try? a.signature(forDigest: digest))?[0] ?? 0) }, bytes: 1)
    report(
        "secp.recover",
        measure {
            sink &+= UInt64((try? Secp256k1.PublicKey(recoveringFrom: signature, digest: digest))?.nodeID[0] ?? 0)
        }, bytes: 1)
    report("secp.pubkey", measure { sink &+= UInt64(a.publicKey.nodeID[0]) }, bytes: 1)
    report("secp.parse", measure { sink &+= UInt64((try? Secp256k1.PublicKey(nodeID))?.nodeID[0] ?? 0) }, bytes: 1)
}
