#!/usr/bin/env python3
"""An RLPx peer built on trinity's p2p package, for interoperability tests against our Swift implementation.

trinity's own code does the cryptographic handshake (auth/ack, legacy and EIP-8) and the frame codec (AES-256-CTR,
keccak MAC): that is the independent implementation under test. The base protocol on top (Hello, Ping/Pong,
Disconnect, snappy from p2p version 5) is written here with pyrlp and python-snappy, kept small.

    trinity_peer.py listen --port P --key HEX --caps eth/68:17,snap/1:8 [--p2p-version 5]
    trinity_peer.py dial --enode URL --key HEX --caps ... [--eip8] [--p2p-version 5] [--count N] [--disconnect R]

Each prints JSON lines on stdout: {"event": ...}. A listener serves one connection (every one until --timeout with
--many, for the probe) and echoes every subprotocol
message; a dialer sends --count messages of mixed sizes on every matched protocol, checks the echoes byte for
byte, pings, and disconnects with reason R.
"""
import argparse
import asyncio
import json
import os
import struct
import sys
import time
import types

# trinity 0.1.0a37 imports a module named `eth` it never uses here, and its logger comes from trinity's own
# package: stub the first and point the second at eth_utils before importing p2p.
sys.modules.setdefault("eth", types.ModuleType("eth"))
import eth_utils  # noqa: E402
import p2p._utils  # noqa: E402

p2p._utils.get_logger = eth_utils.get_extended_debug_logger

import rlp  # noqa: E402
import snappy  # noqa: E402
from eth_keys import keys  # noqa: E402
from p2p import auth, ecies  # noqa: E402
from p2p.kademlia import Address, Node  # noqa: E402
from p2p.message import Message  # noqa: E402
from p2p.transport import Transport  # noqa: E402

HEADER_DATA = rlp.encode([0, 0])


def emit(**event):
    print(json.dumps(event), flush=True)


def parse_caps(text):
    caps = []
    for entry in filter(None, text.split(",")):
        name_version, length = entry.split(":")
        name, version = name_version.split("/")
        caps.append((name, int(version), int(length)))
    return caps


class BaseProtocol:
    """Hello, Ping/Pong, Disconnect and subprotocol routing over a trinity Transport."""

    def __init__(self, transport, private_key, caps, version):
        self.transport = transport
        self.private_key = private_key
        self.caps = caps
        self.version = version
        self.snappy = False
        self.matched = []  # (name, version, length, offset)

    def send(self, code, payload, compress=None):
        compress = self.snappy if compress is None else compress
        body = rlp.encode(code) + (snappy.compress(payload) if compress else payload)
        header = struct.pack(">I", len(body))[1:] + HEADER_DATA
        self.transport.send(Message(header, body))

    async def recv(self):
        message = await self.transport.recv()
        body = message.body
        # The code is a canonical RLP integer: one byte below 0x80, or 0x80 + n then n bytes.
        if body[0] < 0x80:
            code, payload = body[0], body[1:]
        else:
            n = body[0] - 0x80
            code, payload = int.from_bytes(body[1:1 + n], "big"), body[1 + n:]
        if self.snappy and code != 0:
            payload = snappy.uncompress(payload)
        return code, payload

    async def hello(self):
        ours = [self.version, b"trinity-interop", [[n.encode(), v] for n, v, _ in self.caps], 0,
                self.private_key.public_key.to_bytes()]
        self.send(0, rlp.encode(ours), compress=False)
        code, payload = await self.recv()
        if code == 1:
            emit(event="disconnect", origin="remote", reason=self.reason(payload))
            return False
        if code != 0:
            raise RuntimeError(f"expected Hello, got code {code}")
        theirs = rlp.decode(payload, strict=False)
        their_version = rlp.sedes.big_endian_int.deserialize(theirs[0])
        remote_caps = sorted((n, rlp.sedes.big_endian_int.deserialize(v)) for n, v in theirs[2])
        offset = 16
        matched = {}
        for name, version in remote_caps:
            for local_name, local_version, length in self.caps:
                if local_name.encode() == name and local_version == version:
                    if local_name in matched:
                        offset -= matched[local_name][2]
                    matched[local_name] = (local_name, version, length, offset)
                    offset += length
        self.matched = sorted(matched.values(), key=lambda m: m[3])
        self.snappy = self.version >= 5 and their_version >= 5
        emit(event="hello", client=theirs[1].decode(errors="replace"), version=their_version,
             snappy=self.snappy, matched=[f"{n}/{v}@{o}" for n, v, _, o in self.matched])
        return True

    @staticmethod
    def reason(payload):
        try:
            item = rlp.decode(payload, strict=False)
            item = item[0] if isinstance(item, list) else item
            return rlp.sedes.big_endian_int.deserialize(item) if item else 0
        except Exception:
            return 255

    def disconnect(self, reason):
        self.send(1, rlp.encode([reason]))


async def serve(args):
    private_key = keys.PrivateKey(bytes.fromhex(args.key))
    done = asyncio.get_running_loop().create_future()

    async def on_connection(reader, writer):
        try:
            transport = await Transport.receive_connection(reader, writer, private_key)
            emit(event="handshake", remote=transport.remote.pubkey.to_bytes().hex())
            base = BaseProtocol(transport, private_key, parse_caps(args.caps), args.p2p_version)
            if await base.hello():
                echoed = 0
                while True:
                    code, payload = await base.recv()
                    if code == 1:
                        emit(event="disconnect", origin="remote", reason=base.reason(payload), echoed=echoed)
                        break
                    if code == 2:
                        base.send(3, rlp.encode([]))
                    elif code >= 16:
                        base.send(code, payload)
                        await writer.drain()
                        echoed += 1
        except Exception as error:  # report, never hang the test
            emit(event="error", error=repr(error))
        finally:
            writer.close()
            if not done.done() and not args.many:
                done.set_result(None)

    server = await asyncio.start_server(on_connection, "127.0.0.1", args.port)
    emit(event="listening", port=server.sockets[0].getsockname()[1],
         enode=f"enode://{private_key.public_key.to_bytes().hex()}@127.0.0.1:{server.sockets[0].getsockname()[1]}")
    try:
        await asyncio.wait_for(done, timeout=args.timeout)
    except asyncio.TimeoutError:
        if not args.many:
            raise
    server.close()


async def dial_transport(remote, private_key, use_eip8):
    """trinity's stock dialer sends legacy auth only; for EIP-8 drive its HandshakeInitiator and read the
    variable-length ack ourselves (2-byte size prefix, then the rest)."""
    if not use_eip8:
        return await Transport.connect(remote, private_key)
    initiator = auth.HandshakeInitiator(remote, private_key, True)
    reader, writer = await initiator.connect()
    nonce = os.urandom(32)
    auth_init = initiator.encrypt_auth_message(initiator.create_auth_message(nonce))
    writer.write(auth_init)
    prefix = await reader.readexactly(2)
    ack = prefix + await reader.readexactly(struct.unpack(">H", prefix)[0])
    eph_pubkey, responder_nonce = initiator.decode_auth_ack_message(ack)
    secrets = initiator.derive_secrets(nonce, responder_nonce, eph_pubkey, auth_init, ack)
    return Transport(remote, private_key, reader, writer, *secrets)


async def dial(args):
    private_key = keys.PrivateKey(bytes.fromhex(args.key))
    url = args.enode[len("enode://"):]
    node_hex, address = url.split("@")
    host, port = address.rsplit(":", 1)
    remote = Node.from_pubkey_and_addr(keys.PublicKey(bytes.fromhex(node_hex)), Address(host, int(port), int(port)))
    transport = await dial_transport(remote, private_key, args.eip8)
    emit(event="handshake", eip8=args.eip8)
    base = BaseProtocol(transport, private_key, parse_caps(args.caps), args.p2p_version)
    if not await base.hello():
        return
    if args.bench_size is not None:
        await bench(base, args)
        await transport.close()
        return
    sizes = [0, 1, 55, 56, 1000, 4096, 65536]
    sent = 0
    started = time.monotonic()
    for index in range(args.count):
        for name, _, length, offset in base.matched:
            size = (1 << 20) if args.count >= 100 and index % 100 == 99 else sizes[index % len(sizes)]
            data = rlp.encode(os.urandom(size))
            code = offset + index % length
            base.send(code, data)
            while True:
                got_code, got = await base.recv()
                if got_code == 2:
                    base.send(3, rlp.encode([]))
                    continue
                break
            if got_code != code or got != data:
                emit(event="mismatch", index=index, protocol=name)
                return
            sent += 1
    emit(event="echoed", messages=sent, seconds=round(time.monotonic() - started, 3))
    base.send(2, rlp.encode([]))
    ping_sent = time.monotonic()
    while True:
        code, payload = await base.recv()
        if code == 3:
            emit(event="pong", ms=round((time.monotonic() - ping_sent) * 1000, 3))
            break
        if code == 1:
            emit(event="disconnect", origin="remote", reason=base.reason(payload))
            return
    base.disconnect(args.disconnect)
    emit(event="disconnect", origin="local", reason=args.disconnect)
    await transport.close()


async def bench(base, args):
    """Throughput like `rlpx-tool send`: --count messages of --bench-size bytes on the first matched protocol,
    at most --window in flight, every echo checked byte for byte."""
    name, _, _, offset = base.matched[0]
    header = 1 if args.bench_size <= 56 else 2 if args.bench_size <= 257 else 3 if args.bench_size <= 65538 else 4
    data = rlp.encode(os.urandom(max(0, args.bench_size - header)))
    credits = asyncio.Semaphore(args.window)
    started = time.monotonic()

    async def receive():
        for index in range(args.count):
            code, payload = await base.recv()
            if code != offset or payload != data:
                raise RuntimeError(f"echo {index} differs")
            credits.release()

    receiver = asyncio.create_task(receive())
    for _ in range(args.count):
        await credits.acquire()
        base.send(offset, data)
        await base.transport._writer.drain()
    await receiver
    seconds = time.monotonic() - started
    emit(event="bench", messages=args.count, size=len(data), seconds=round(seconds, 4),
         rate=round(args.count / seconds, 1), mbps=round(args.count * len(data) / seconds / 1e6, 3))
    base.disconnect(0)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", nargs="?", choices=["listen", "dial"])
    parser.add_argument("--check", action="store_true", help="only check that trinity imports")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--enode")
    parser.add_argument("--key", default=os.urandom(32).hex())
    parser.add_argument("--caps", default="eth/68:17,snap/1:8")
    parser.add_argument("--p2p-version", type=int, default=5)
    parser.add_argument("--eip8", action="store_true")
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--disconnect", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument("--many", action="store_true", help="listen only: serve every connection until --timeout")
    parser.add_argument("--bench-size", type=int, help="dial only: measure throughput with messages of this size")
    parser.add_argument("--window", type=int, default=1024)
    args = parser.parse_args()
    if args.check:
        print("trinity p2p imports")
        return
    limit = args.timeout + 5 if args.many else args.timeout
    asyncio.run(asyncio.wait_for(serve(args) if args.mode == "listen" else dial(args), timeout=limit))


if __name__ == "__main__":
    main()
