#!/usr/bin/env python3
"""A faulty link between two network namespaces, for kernels without tc netem.

Each namespace has a TUN device; this process reads every IP packet from one device and writes it to the other,
as its mode says: `normal` (forwarded at once), `faulty` (1% lost; 5% forwarded at once, so they overtake the
packets before them; the rest held 100 ms +- 20 ms, uniformly, which reorders packets sent within 40 ms of each
other as netem's jitter does) or `partition` (every packet lost); `stop` ends the relay. The mode is read from a control file
whenever it changes. Counts per mode (received, lost, overtaking, delayed) go to stdout when it stops (on `stop`
or SIGTERM; a process started by a test runner may inherit SIGTERM blocked, so scripts use `stop`). Only the two named devices are touched.

    link.py NAMESPACE_A TUN_A NAMESPACE_B TUN_B CONTROL_FILE [SEED]
"""
import ctypes
import fcntl
import heapq
import os
import random
import select
import signal
import struct
import sys
import time

TUNSETIFF = 0x400454CA
IFF_TUN, IFF_NO_PI = 0x0001, 0x1000
CLONE_NEWNET = 0x40000000
libc = ctypes.CDLL(None, use_errno=True)


def open_tun(namespace: str, name: str) -> int:
    """Opens the TUN device `name` of `namespace` (device lookups are per namespace, so enter it to open)."""
    home = os.open("/proc/self/ns/net", os.O_RDONLY)
    target = os.open(f"/run/netns/{namespace}", os.O_RDONLY)
    try:
        if libc.setns(target, CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), f"setns into {namespace}")
        fd = os.open("/dev/net/tun", os.O_RDWR)
        fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TUN | IFF_NO_PI))
    finally:
        libc.setns(home, CLONE_NEWNET)
        os.close(home)
        os.close(target)
    os.set_blocking(fd, False)
    return fd


def main() -> None:
    namespace_a, tun_a, namespace_b, tun_b, control = sys.argv[1:6]
    rng = random.Random(int(sys.argv[6]) if len(sys.argv) > 6 else 1)
    a, b = open_tun(namespace_a, tun_a), open_tun(namespace_b, tun_b)
    peer = {a: b, b: a}
    counts: dict[str, dict[str, int]] = {}  # per mode: lost, overtaking, delayed, forwarded
    held: list[tuple[float, int, int, bytes]] = []  # (due, order, destination, packet)
    order = 0
    mode, seen = "normal", None

    def report(*_):
        print("; ".join(f"{m}: " + " ".join(f"{k}={v}" for k, v in c.items()) for m, c in counts.items()), flush=True)
        sys.exit(0)

    signal.signal(signal.SIGTERM, report)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
    next_check = 0.0
    while True:
        now = time.monotonic()
        if now >= next_check:  # the control file, 20 times a second
            next_check = now + 0.05
            try:
                stamp = os.stat(control).st_mtime_ns
                if stamp != seen:
                    seen, mode = stamp, open(control).read().strip() or "normal"
                    if mode == "stop":
                        report()
            except FileNotFoundError:
                pass
        wait = min(0.05, max(0.0, held[0][0] - now)) if held else 0.05
        ready, _, _ = select.select([a, b], [], [], wait)
        now = time.monotonic()
        for fd in ready:
            while True:
                try:
                    packet = os.read(fd, 65536)
                except BlockingIOError:
                    break
                count = counts.setdefault(mode, {"received": 0, "lost": 0})
                count["received"] += 1
                if mode == "partition" or (mode == "faulty" and rng.random() < 0.01):
                    count["lost"] += 1
                    continue
                due = now
                if mode == "faulty":
                    if rng.random() < 0.05:
                        count["overtaking"] = count.get("overtaking", 0) + 1
                    else:
                        due = now + rng.uniform(0.080, 0.120)
                        count["delayed"] = count.get("delayed", 0) + 1
                order += 1
                heapq.heappush(held, (due, order, peer[fd], packet))
        while held and held[0][0] <= now:
            _, _, destination, packet = heapq.heappop(held)
            try:
                os.write(destination, packet)
            except OSError:
                pass  # the device went away: the run is ending


if __name__ == "__main__":
    main()
