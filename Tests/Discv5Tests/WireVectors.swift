// SPDX-License-Identifier: Apache-2.0
import RLP

/// ethereum/devp2p discv5/discv5-wire-test-vectors.md (v5.1), as data: every packet and cryptographic vector.
/// Message encodings come from the same file's earlier revision (v5.0), where their layout is unchanged.
enum WireVectors {
    static let nodeAKey = hex("eef77acb6c6a6eebc5b363a475ac583ec7eccdb42b6481424c60f59aa326547f")
    static let nodeBKey = hex("66fb62bfbd66b9177a138c1e5cddbe4f7c30c343e94e68df8769459cb1cde628")
    static let nodeAID = hex("aaaa8419e9f49d0083561b48287df592939a8d19947d8c0ef88f2a4856a69fbb")
    static let nodeBID = hex("bbbb9d047f0488c0b5a93c1c3f2d8bafc7c8ff337024a55434a0d0555de64db9")
    /// Every packet vector's masking IV is zero.
    static let maskingIV = [UInt8](repeating: 0, count: 16)

    /// "Ping message packet (flag 0)".
    enum PingMessage {
        static let nonce = hex("ffffffffffffffffffffffff")
        static let readKey = hex("00000000000000000000000000000000")
        static let requestID = hex("00000001")
        static let enrSeq: UInt64 = 2
        static let packet = hex(
            """
            00000000000000000000000000000000088b3d4342774649325f313964a39e55\
            ea96c005ad52be8c7560413a7008f16c9e6d2f43bbea8814a546b7409ce783d3\
            4c4f53245d08dab84102ed931f66d1492acb308fa1c6715b9d139b81acbdcc
            """)
    }

    /// "WHOAREYOU packet (flag 1)".
    enum Whoareyou {
        static let challengeData = hex(
            """
            000000000000000000000000000000006469736376350001010102030405060708090a0b0c\
            00180102030405060708090a0b0c0d0e0f100000000000000000
            """)
        static let requestNonce = hex("0102030405060708090a0b0c")
        static let idNonce = hex("0102030405060708090a0b0c0d0e0f10")
        static let enrSeq: UInt64 = 0
        static let packet = hex(
            """
            00000000000000000000000000000000088b3d434277464933a1ccc59f5967ad\
            1d6035f15e528627dde75cd68292f9e6c27d6b66c8100a873fcbaed4e16b8d
            """)
    }

    /// The inputs both handshake vectors share.
    enum Handshake {
        static let nonce = hex("ffffffffffffffffffffffff")
        static let requestID = hex("00000001")
        static let enrSeq: UInt64 = 1
        static let requestNonce = hex("0102030405060708090a0b0c")
        static let idNonce = hex("0102030405060708090a0b0c0d0e0f10")
        static let ephemeralKey = hex("0288ef00023598499cb6c940146d050d2b1fb914198c327f76aad590bead68b6")
        static let ephemeralPublicKey = hex("039a003ba6517b473fa0cd74aefe99dadfdb34627f90fec6362df85803908f53a5")
    }

    /// "Ping handshake packet (flag 2)": the WHOAREYOU knew record sequence 1, so no record is sent.
    enum PingHandshake {
        static let readKey = hex("4f9fac6de7567d1e3b1241dffe90f662")
        static let whoareyouENRSeq: UInt64 = 1
        static let challengeData = hex(
            """
            000000000000000000000000000000006469736376350001010102030405060708090a0b0c\
            00180102030405060708090a0b0c0d0e0f100000000000000001
            """)
        static let packet = hex(
            """
            00000000000000000000000000000000088b3d4342774649305f313964a39e55\
            ea96c005ad521d8c7560413a7008f16c9e6d2f43bbea8814a546b7409ce783d3\
            4c4f53245d08da4bb252012b2cba3f4f374a90a75cff91f142fa9be3e0a5f3ef\
            268ccb9065aeecfd67a999e7fdc137e062b2ec4a0eb92947f0d9a74bfbf44dfb\
            a776b21301f8b65efd5796706adff216ab862a9186875f9494150c4ae06fa4d1\
            f0396c93f215fa4ef524f1eadf5f0f4126b79336671cbcf7a885b1f8bd2a5d83\
            9cf8
            """)
    }

    /// "Ping handshake message packet (flag 2, with ENR)": the WHOAREYOU knew sequence 0, so A's record is sent.
    enum PingHandshakeWithRecord {
        static let readKey = hex("53b1c075f41876423154e157470c2f48")
        static let whoareyouENRSeq: UInt64 = 0
        static let challengeData = Whoareyou.challengeData
        static let packet = hex(
            """
            00000000000000000000000000000000088b3d4342774649305f313964a39e55\
            ea96c005ad539c8c7560413a7008f16c9e6d2f43bbea8814a546b7409ce783d3\
            4c4f53245d08da4bb23698868350aaad22e3ab8dd034f548a1c43cd246be9856\
            2fafa0a1fa86d8e7a3b95ae78cc2b988ded6a5b59eb83ad58097252188b902b2\
            1481e30e5e285f19735796706adff216ab862a9186875f9494150c4ae06fa4d1\
            f0396c93f215fa4ef524e0ed04c3c21e39b1868e1ca8105e585ec17315e755e6\
            cfc4dd6cb7fd8e1a1f55e49b4b5eb024221482105346f3c82b15fdaae36a3bb1\
            2a494683b4a3c7f2ae41306252fed84785e2bbff3b022812d0882f06978df84a\
            80d443972213342d04b9048fc3b1d5fcb1df0f822152eced6da4d3f6df27e70e\
            4539717307a0208cd208d65093ccab5aa596a34d7511401987662d8cf62b1394\
            71
            """)
    }

    /// "ECDH".
    enum ECDH {
        static let publicKey = hex("039961e4c2356d61bedb83052c115d311acb3a96f5777296dcf297351130266231")
        static let secretKey = hex("fb757dc581730490a1d7a00deea65e9b1936924caaea8f44d476014856b68736")
        static let sharedSecret = hex("033b11a2a1f214567e1537ce5e509ffd9b21373247f2a3ff6841f4976f53165e7e")
    }

    /// "Key Derivation".
    enum KeyDerivation {
        static let ephemeralKey = hex("fb757dc581730490a1d7a00deea65e9b1936924caaea8f44d476014856b68736")
        static let destinationPublicKey = hex("0317931e6e0840220642f230037d285d122bc59063221ef3226b1f403ddc69ca91")
        static let challengeData = Whoareyou.challengeData
        static let initiatorKey = hex("dccc82d81bd610f4f76d3ebe97a40571")
        static let recipientKey = hex("ac74bb8773749920b0d3a8881c173ec5")
    }

    /// "ID Nonce Signing".
    enum IDNonceSigning {
        static let staticKey = hex("fb757dc581730490a1d7a00deea65e9b1936924caaea8f44d476014856b68736")
        static let challengeData = Whoareyou.challengeData
        static let ephemeralPublicKey = hex("039961e4c2356d61bedb83052c115d311acb3a96f5777296dcf297351130266231")
        static let signature = hex(
            "94852a1e2318c4e5e9d422c98eaf19d1d90d876b29cd06ca7cb7546d0fff7b484fe86c09a064fe72bdbef73ba8e9c34df0cd2b53e9d65528c2c7f336d5dfc6e6"
        )
    }

    /// "Encryption/Decryption".
    enum Encryption {
        static let key = hex("9f2d77db7004bf8a1a85107ac686990b")
        static let nonce = hex("27b5af763c446acd2749fe8e")
        static let plaintext = hex("01c20101")
        static let associatedData = hex("93a7400fa0d6a694ebc24d5cf570f65d04215b6ac00757875e3f3a5f42107903")
        static let ciphertext = hex("a5d12a2d94b8ccb3ba55558229867dc13bfa3648")
    }

    /// "Protocol Message Encodings" (v5.0 revision; FINDNODE's single distance there predates v5.1's list).
    enum Messages {
        static let ping = hex("01c20101")
        static let pong = hex("02ca0101847f000001821388")
        static let nodesEmpty = hex("04c30101c0")
        static let nodesTwo = hex(
            """
            04f8f20101f8eef875b8401ce2991c64993d7c84c29a00bdc871917551c7d330fca2dd0d69c706596dc655448f030b98a77d4001fd46ae\
            0112ce26d613c5a6a02a81a6223cd0c4edaa53280182696482763489736563703235366b31a103ca634cae0d49acb401d8a4c6b6fe8c55b7\
            0d115bf400769cc1400f3258cd3138f875b840d7f1c39e376297f81d7297758c64cb37dcc5c3beea9f57f7ce9695d7d5a67553417d719539\
            d6ae4b445946de4d99e680eb8063f29485b555d45b7df16a1850130182696482763489736563703235366b31a1030e2cb74241c0c4fc8e81\
            66f1a79a05d5b0dd95813a74b094529f317d5c39d235
            """)
    }
}

/// Bytes from hex written in these vectors (valid by construction; a typo shows as an empty array and fails).
func hex(_ text: String) -> [UInt8] {
    (try? Hex.decode(text)) ?? []
}
