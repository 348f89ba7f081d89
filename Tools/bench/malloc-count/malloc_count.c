// SPDX-License-Identifier: Apache-2.0
// LD_PRELOAD shim that counts heap allocations (malloc, calloc, realloc, memalign and friends) in a process, for
// Tools/bench/session-costs.sh. Every call goes on to glibc's own allocator. The counts are written to the file
// named by MALLOC_COUNT_FILE (one line: "allocations <n>") on SIGUSR2 and at exit, so a long-running listener can
// be read before and after a workload and the difference divided by the messages it handled.
//   cc -O2 -shared -fPIC -o malloc_count.so malloc_count.c
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);
extern void __libc_free(void *);

static uint64_t allocations;

static void count(void) { __atomic_fetch_add(&allocations, 1, __ATOMIC_RELAXED); }

void *malloc(size_t size) { count(); return __libc_malloc(size); }
void *calloc(size_t count_, size_t size) { count(); return __libc_calloc(count_, size); }
void *realloc(void *pointer, size_t size) { count(); return __libc_realloc(pointer, size); }
void *memalign(size_t alignment, size_t size) { count(); return __libc_memalign(alignment, size); }
void *aligned_alloc(size_t alignment, size_t size) { count(); return __libc_memalign(alignment, size); }
int posix_memalign(void **out, size_t alignment, size_t size) {
    count();
    void *pointer = __libc_memalign(alignment, size);
    if (!pointer) return 12;  // ENOMEM
    *out = pointer;
    return 0;
}
void free(void *pointer) { __libc_free(pointer); }

// Async-signal-safe: formats the number by hand and writes with open/write/close.
static void report(void) {
    const char *path = getenv("MALLOC_COUNT_FILE");
    if (!path) return;
    char line[48] = "allocations ";
    char digits[24];
    uint64_t value = __atomic_load_n(&allocations, __ATOMIC_RELAXED);
    int length = 0;
    do { digits[length++] = (char)('0' + value % 10); value /= 10; } while (value && length < 24);
    size_t at = strlen(line);
    while (length) line[at++] = digits[--length];
    line[at++] = '\n';
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) return;
    ssize_t written = write(fd, line, at);
    (void)written;
    close(fd);
}

static void on_signal(int signal_number) { (void)signal_number; report(); }

__attribute__((constructor)) static void start(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_signal;
    action.sa_flags = SA_RESTART;
    sigaction(SIGUSR2, &action, NULL);
}

__attribute__((destructor)) static void stop(void) { report(); }
