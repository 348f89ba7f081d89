// Debian's libssl-dev (OpenSSL 3): EVP ciphers and digests, HMAC, constant-time comparison.
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
