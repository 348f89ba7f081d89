// SPDX-License-Identifier: Apache-2.0
import COpenSSL

/// AES-128-GCM with a 12-byte nonce and a 16-byte tag appended to the ciphertext: discv5's message encryption.
public enum AESGCM {
    /// The tag's size; a sealed message is this much longer than its plaintext.
    public static let tagSize = 16
    /// The nonce's size.
    public static let nonceSize = 12
    /// The key's size (AES-128).
    public static let keySize = 16

    /// `plaintext` encrypted and authenticated together with `associatedData`: ciphertext ‖ tag.
    /// - Throws: ``Discv5Error/Code/invalidArgument`` for a key or nonce of the wrong size.
    public static func seal(
        _ plaintext: some Collection<UInt8>, key: [UInt8], nonce: [UInt8], associatedData: [UInt8]
    ) throws(Discv5Error) -> [UInt8] {
        try checkSizes(key: key, nonce: nonce)
        let input = Array(plaintext)
        guard input.count <= maximumLength, associatedData.count <= maximumLength else {
            throw Discv5Error(.invalidArgument, "AES-GCM input over 2 GiB")
        }
        let context = try Context(key: key, nonce: nonce, encrypting: true)
        var output = [UInt8](repeating: 0, count: input.count + tagSize)
        var written: Int32 = 0
        var ok = EVP_EncryptUpdate(context.pointer, nil, &written, associatedData, Int32(associatedData.count)) == 1
        output.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            ok = ok && EVP_EncryptUpdate(context.pointer, base, &written, input, Int32(input.count)) == 1
            var final: Int32 = 0
            ok = ok && EVP_EncryptFinal_ex(context.pointer, base + input.count, &final) == 1
            ok = ok && EVP_CIPHER_CTX_ctrl(context.pointer, EVP_CTRL_AEAD_GET_TAG, Int32(tagSize), base + input.count) == 1
        }
        precondition(ok, "AES-GCM encryption failed")
        return output
    }

    /// The plaintext of `sealed` (ciphertext ‖ tag), if it authenticates with `associatedData`.
    /// - Throws: ``Discv5Error/Code/decryptionFailed`` when it does not (or is shorter than a tag);
    ///   ``Discv5Error/Code/invalidArgument`` for a key or nonce of the wrong size.
    public static func open(
        _ sealed: some Collection<UInt8>, key: [UInt8], nonce: [UInt8], associatedData: [UInt8]
    ) throws(Discv5Error) -> [UInt8] {
        try checkSizes(key: key, nonce: nonce)
        let input = Array(sealed)
        guard input.count >= tagSize else { throw .decryptionFailed }
        guard input.count <= maximumLength, associatedData.count <= maximumLength else {
            throw Discv5Error(.invalidArgument, "AES-GCM input over 2 GiB")
        }
        let count = input.count - tagSize
        var tag = Array(input[count...])
        let context = try Context(key: key, nonce: nonce, encrypting: false)
        var output = [UInt8](repeating: 0, count: count + 1)  // never empty, so the buffer has an address
        var written: Int32 = 0
        var ok = EVP_DecryptUpdate(context.pointer, nil, &written, associatedData, Int32(associatedData.count)) == 1
        output.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else {
                ok = false
                return
            }
            ok = ok && EVP_DecryptUpdate(context.pointer, base, &written, input, Int32(count)) == 1
            ok = ok && EVP_CIPHER_CTX_ctrl(context.pointer, EVP_CTRL_AEAD_SET_TAG, Int32(tagSize), &tag) == 1
            var final: Int32 = 0
            ok = ok && EVP_DecryptFinal_ex(context.pointer, base + count, &final) > 0
        }
        guard ok else { throw Discv5Error(.decryptionFailed, "AES-GCM tag does not match") }
        output.removeLast()
        return output
    }

    /// The longest plaintext or associated data OpenSSL's 32-bit lengths take here (far beyond any packet).
    static let maximumLength = Int(Int32.max) - tagSize

    private static func checkSizes(key: [UInt8], nonce: [UInt8]) throws(Discv5Error) {
        guard key.count == keySize else { throw Discv5Error(.invalidArgument, "AES-128-GCM needs a 16-byte key") }
        guard nonce.count == nonceSize else { throw Discv5Error(.invalidArgument, "AES-GCM needs a 12-byte nonce") }
    }

    /// One AES-128-GCM operation's OpenSSL context, freed with the value.
    private final class Context {
        let pointer: OpaquePointer

        init(key: [UInt8], nonce: [UInt8], encrypting: Bool) throws(Discv5Error) {
            guard let context = EVP_CIPHER_CTX_new() else { preconditionFailure("EVP_CIPHER_CTX_new failed") }
            pointer = context
            let ok =
                encrypting
                ? EVP_EncryptInit_ex(context, EVP_aes_128_gcm(), nil, key, nonce)
                : EVP_DecryptInit_ex(context, EVP_aes_128_gcm(), nil, key, nonce)
            precondition(ok == 1, "AES-GCM initialisation failed")
        }

        deinit { EVP_CIPHER_CTX_free(pointer) }
    }
}
