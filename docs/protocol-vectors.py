#!/usr/bin/env python3
"""Independent implementation of the TT wire protocol v1 (docs/PROTOCOL.md), used to produce the spec's test
vectors. It shares no code with the Java implementation: Python's `cryptography` package for Argon2id, HKDF,
AES-GCM, ChaCha20-Poly1305 and AES-ECB; hmac/hashlib for HOTP. Prints the vector blocks of PROTOCOL.md.

    python3 docs/protocol-vectors.py
"""
import hashlib
import hmac
import struct

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM, ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

PASSWORD = "correct horse battery staple"
SALT_C = bytes(range(0x00, 0x20))
SALT_S = bytes(range(0x20, 0x40))
PORT = 8443


def master(password):
    return Argon2id(salt=b"TT-THE-TUNNEL-v1", length=32, iterations=3, lanes=1,
                    memory_cost=65536).derive(password.encode())


def hkdf(ikm, salt, info):
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt or None, info=info.encode()).derive(ikm)


def hotp31(key, counter):
    h = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    o = h[19] & 0x0F
    return struct.unpack(">I", h[o:o + 4])[0] & 0x7FFFFFFF


def schedule(kport, slot, start, end):
    v = hotp31(kport, slot)
    n = end - start + 1
    return start + v % n, 1 + (v // n) % 15


def aead(method, key):
    return AESGCM(key) if method == "aes-256-gcm" else ChaCha20Poly1305(key)


def nonce(counter):
    return struct.pack("<Q", counter) + b"\0\0\0\0"


def frame(method, key, counter, payload, pad, port):
    a = aead(method, key)
    aad = struct.pack(">H", port)
    head = a.encrypt(nonce(counter), struct.pack(">HB", len(payload), pad), aad)
    body = a.encrypt(nonce(counter + 1), payload + b"\0" * pad, aad)
    return head + body


def mux_frame(method, key, counter, ftype, stream, payload, pad, port):
    a = aead(method, key)
    aad = struct.pack(">H", port)
    head = a.encrypt(nonce(counter), struct.pack(">HBBI", len(payload), pad, ftype, stream), aad)
    body = a.encrypt(nonce(counter + 1), payload + b"\0" * pad, aad)
    return head + body


def socks_addr(host, port):
    return b"\x03" + bytes([len(host)]) + host.encode() + struct.pack(">H", port)


def out(name, **kv):
    print("```vector " + name)
    for k, v in kv.items():
        print(f"{k} = {v.hex() if isinstance(v, bytes) else v}")
    print("```\n")


def main():
    mk = master(PASSWORD)
    out("master-key", password=PASSWORD, master=mk)
    kport = hkdf(mk, b"", "tt/1 port-schedule")
    kudp = hkdf(mk, b"", "tt/1 udp-header")
    out("subkeys", master=mk, port_schedule=kport, udp_header=kudp)
    for m in ("aes-256-gcm", "chacha20-poly1305"):
        out("session-keys " + m, master=mk, client_salt=SALT_C, server_salt=SALT_S,
            c2s=hkdf(mk, SALT_C, "tt/1 c2s " + m), s2c=hkdf(mk, SALT_S, "tt/1 s2c " + m))

    for slot in (0, 1, 29400000, 29400001):
        p, l = schedule(kport, slot, 1024, 65535)
        out(f"schedule slot {slot}", port_key=kport, range="1024-65535", slot=slot, truncated=hotp31(kport, slot),
            port=p, lifetime=l)
    p, l = schedule(kport, 29400000, 20000, 20099)
    out("schedule small-range", port_key=kport, range="20000-20099", slot=29400000, port=p, lifetime=l)

    for m in ("aes-256-gcm", "chacha20-poly1305"):
        kc = hkdf(mk, SALT_C, "tt/1 c2s " + m)
        ks = hkdf(mk, SALT_S, "tt/1 s2c " + m)
        f0 = frame(m, kc, 0, b"hello", 3, PORT)
        f1 = frame(m, kc, 2, b"", 0, PORT)
        out("frames " + m, key=kc, port=PORT, payload0=b"hello", pad0=3, frame0=f0, payload1=b"", pad1=0, frame1=f1)
        req = b"\x01" + struct.pack(">Q", 1764000000) + socks_addr("example.com", 443) + b"GET"
        hello = SALT_C + frame(m, kc, 0, req, 7, PORT)
        out("client-hello " + m, master=mk, client_salt=SALT_C, port=PORT, command=1, timestamp=1764000000,
            target="example.com:443", data=b"GET", pad=7, bytes=hello)
        resp = SALT_C + b"\x00" + b"OK"
        reply = SALT_S + frame(m, ks, 0, resp, 5, PORT)
        out("server-hello " + m, master=mk, server_salt=SALT_S, request_salt=SALT_C, port=PORT, status=0,
            data=b"OK", pad=5, bytes=reply)

    # A mux connection (section 5.3): the client's opening with its first stream, and the server's answer.
    for m in ("aes-256-gcm", "chacha20-poly1305"):
        kc = hkdf(mk, SALT_C, "tt/1 c2s " + m)
        ks = hkdf(mk, SALT_S, "tt/1 s2c " + m)
        req = b"\x03" + struct.pack(">Q", 1764000000)
        client = (SALT_C + frame(m, kc, 0, req, 2, PORT)
                  + mux_frame(m, kc, 2, 0x01, 1, b"\x01" + socks_addr("example.com", 443) + b"GET", 7, PORT)
                  + mux_frame(m, kc, 4, 0x03, 1, b" / HTTP/1.1", 0, PORT)
                  + mux_frame(m, kc, 6, 0x05, 1, struct.pack(">I", 65536), 3, PORT)
                  + mux_frame(m, kc, 8, 0x04, 1, b"", 0, PORT))
        out("mux-client " + m, master=mk, client_salt=SALT_C, port=PORT, timestamp=1764000000,
            frames="MUX pad 2; OPEN 1 flags 1 example.com:443 GET pad 7; DATA 1 ' / HTTP/1.1' pad 0; "
                   "WINDOW 1 65536 pad 3; CLOSE 1 pad 0", bytes=client)
        server = (SALT_S + frame(m, ks, 0, SALT_C + b"\x00", 5, PORT)
                  + mux_frame(m, ks, 2, 0x02, 1, b"\x00", 1, PORT)
                  + mux_frame(m, ks, 4, 0x03, 1, b"OK", 0, PORT)
                  + mux_frame(m, ks, 6, 0x04, 1, b"", 4, PORT))
        out("mux-server " + m, master=mk, server_salt=SALT_S, request_salt=SALT_C, port=PORT,
            frames="reply 0 pad 5; REPLY 1 0 pad 1; DATA 1 'OK' pad 0; CLOSE 1 pad 4", bytes=server)

    # UDP datagram (TUN over UDP)
    sid = bytes.fromhex("0102030405060708")
    pn = 1
    packet = bytes.fromhex("450000540000400040010000" + "0a010002" + "0a010001")  # an IPv4 header
    for m in ("aes-256-gcm", "chacha20-poly1305"):
        ku = hkdf(mk, sid, "tt/1 udp c2s " + m)
        enc = Cipher(algorithms.AES(kudp), modes.ECB()).encryptor()
        hdr = enc.update(sid + struct.pack(">Q", pn)) + enc.finalize()
        plain = b"\x01" + struct.pack(">Q", 1764000000) + struct.pack(">H", 4) + b"\0" * 4 + packet
        body = aead(m, ku).encrypt(nonce(pn), plain, struct.pack(">H", PORT))
        out("udp " + m, udp_header_key=kudp, session_key=ku, session_id=sid, packet_number=pn, port=PORT,
            type=1, timestamp=1764000000, pad=4, payload=packet, datagram=hdr + body)


if __name__ == "__main__":
    main()
