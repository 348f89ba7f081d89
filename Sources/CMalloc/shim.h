// glibc's allocator tuning (mallopt), which the Glibc module does not export; rlpx-tool sets it once at start.
#include <malloc.h>
