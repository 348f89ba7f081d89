// Debian's libsecp256k1-dev (0.2.0) with the ecdh and recovery modules.
#include <secp256k1.h>
#include <secp256k1_ecdh.h>
#include <secp256k1_recovery.h>
