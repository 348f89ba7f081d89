// Debian's libsnappy-dev: the C API of the raw block format.
#include <snappy-c.h>
