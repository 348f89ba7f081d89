// SPDX-License-Identifier: Apache-2.0
import COpenSSL
import Foundation
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

/// Seal and open at each size, beside OpenSSL's AES-256-CTR and SHA3-256 (the same Keccak-f[1600]
/// permutation) over the same padded bytes: the floor a frame codec cannot beat. Opening goes through
/// ``FrameDecoder``, as a peer and the capture replay receive: each frame arrives whole and is read in place.
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
        var best = Double.infinity
        for _ in 0..<5 {
            var decoder = FrameDecoder(secrets: secrets.peer)
            let clock = ContinuousClock()
            let elapsed = clock.measure {
                for frame in pool {
                    decoder.append(frame)
                    guard let count = try? decoder.nextFrame({ _, data in data.count }) else {
                        preconditionFailure("benchmark frame did not open")
                    }
                    sink &+= UInt64(count)
                }
            }
            best = min(best, seconds(elapsed) / Double(poolCount))
        }
        report("frame.open.\(size)", best, bytes: size)

        // The floor: AES-256-CTR over header and padded body, SHA3-256 over the same bytes; timed in turns with the
        // sealer, so a noisy neighbour slows both sides alike.
        var sealer = FrameSealer(secrets: secrets)
        var buffer = [UInt8](repeating: 7, count: 16 + padded)
        let context = EVP_CIPHER_CTX_new()
        let key = [UInt8](repeating: 1, count: 32)
        let iv = [UInt8](repeating: 0, count: 16)
        _ = EVP_EncryptInit_ex(context, EVP_aes_256_ctr(), nil, key, iv)
        var digest = [UInt8](repeating: 0, count: 32)
        let times = measureInterleaved([
            { sink &+= UInt64((try? sealer.seal(data))?.count ?? 0) },
            {
                var written: Int32 = 0
                let count = Int32(buffer.count)
                buffer.withUnsafeMutableBufferPointer { _ = EVP_EncryptUpdate(context, $0.baseAddress, &written, $0.baseAddress, count) }
                sink &+= UInt64(buffer[0])
            },
            {
                var length: UInt32 = 0
                sha3.digest(buffer, into: &digest, length: &length)
                sink &+= UInt64(digest[0])
            },
        ])
        EVP_CIPHER_CTX_free(context)
        report("frame.seal.\(size)", times[0], bytes: size)
        report("floor.aes256ctr.\(size)", times[1], bytes: size)
        report("floor.sha3.\(size)", times[2], bytes: size)
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
