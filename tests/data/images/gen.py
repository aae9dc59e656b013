#!/usr/bin/env python3
"""Writes small, valid, metadata-free test images for policy/imagemeta without any imaging library.

plain.jpg        16x16 baseline JPEG (YCbCr, 4:4:4): four flat 8x8 blocks, so every block is a DC
                 coefficient plus an end-of-block code (T.81 annex F; own Huffman tables in DHT).
plain.png        4x3 RGB PNG (zlib from the standard library) with gAMA and pHYs chunks (kept by the stripper).
plain.webp       1x1 lossless WebP (simple format, VP8L) - the Modernizr feature-test image.
plain_alpha.webp 1x1 lossy WebP with alpha (extended format: VP8X + ALPH + VP8) - the Modernizr alpha test image.
Usage: gen.py OUTDIR
       gen.py webp-meta IN.webp OUT.webp EXIF.bin XMP.bin   (exiftool 12.57 cannot write WebP: this adds EXIF
       and "XMP " chunks extracted by exiftool from meta.jpg, converting a simple-format file to VP8X; RFC 9649)
"""
import base64
import os
import struct
import sys
import zlib


def jpeg(path):
    blocks = [  # (Y, Cb, Cr) per 8x8 block, raster order over a 2x2 block grid
        (200, 128, 128), (80, 90, 200), (150, 60, 110), (30, 170, 140)]
    out = bytearray(b"\xff\xd8")
    out += b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    q = bytes([1] * 64)  # quantisation table of ones: DC value = 8 * (level - 128)
    out += b"\xff\xdb" + struct.pack(">H", 67) + b"\x00" + q
    out += b"\xff\xc0" + struct.pack(">HBHHB", 17, 8, 16, 16, 3)
    for cid in (1, 2, 3):
        out += bytes([cid, 0x11, 0])
    # DC table 0: categories 0..11, all 4-bit codes 0000..1011; AC table 0: EOB only, 1-bit code 0
    dc_counts = [0, 0, 0, 12] + [0] * 12
    out += b"\xff\xc4" + struct.pack(">H", 2 + 1 + 16 + 12) + b"\x00" + bytes(dc_counts) + bytes(range(12))
    ac_counts = [1] + [0] * 15
    out += b"\xff\xc4" + struct.pack(">H", 2 + 1 + 16 + 1) + b"\x10" + bytes(ac_counts) + b"\x00"
    out += b"\xff\xda" + struct.pack(">HB", 12, 3) + bytes([1, 0x00, 2, 0x00, 3, 0x00]) + b"\x00\x3f\x00"
    bits = []

    def put(value, n):
        for i in range(n - 1, -1, -1):
            bits.append((value >> i) & 1)

    prev = [0, 0, 0]
    for blk in blocks:
        for c in range(3):
            dc = 8 * (blk[c] - 128)
            diff = dc - prev[c]
            prev[c] = dc
            s = abs(diff).bit_length()
            put(s, 4)  # DC category code = its 4-bit index
            if s:
                put(diff if diff >= 0 else diff + (1 << s) - 1, s)
            put(0, 1)  # EOB
    while len(bits) % 8:
        bits.append(1)
    for i in range(0, len(bits), 8):
        byte = int("".join(map(str, bits[i:i + 8])), 2)
        out.append(byte)
        if byte == 0xFF:
            out.append(0)  # byte stuffing
    out += b"\xff\xd9"
    open(path, "wb").write(out)


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png(path):
    w, h = 4, 3
    raw = b"".join(b"\x00" + b"".join(bytes((x * 60, y * 100, 128)) for x in range(w)) for y in range(h))
    out = b"\x89PNG\r\n\x1a\n"
    out += png_chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
    out += png_chunk(b"gAMA", struct.pack(">I", 45455))
    out += png_chunk(b"pHYs", struct.pack(">IIB", 2835, 2835, 1))
    out += png_chunk(b"IDAT", zlib.compress(raw, 9))
    out += png_chunk(b"IEND", b"")
    open(path, "wb").write(out)


def riff_chunk(fourcc, data):
    return fourcc + struct.pack("<I", len(data)) + data + (b"\x00" if len(data) % 2 else b"")


def webp_meta(src, dst, exif_path, xmp_path):
    data = open(src, "rb").read()
    assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    chunks, pos = [], 12
    while pos < len(data):
        size = struct.unpack("<I", data[pos + 4:pos + 8])[0]
        chunks.append((data[pos:pos + 4], data[pos + 8:pos + 8 + size]))
        pos += 8 + size + (size & 1)
    if chunks[0][0] != b"VP8X":  # simple lossless: canvas size from the VP8L header (14-bit width-1, height-1)
        bits = struct.unpack("<I", chunks[0][1][1:5])[0]
        w, h = (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
        vp8x = bytes([0, 0, 0, 0]) + struct.pack("<I", w - 1)[:3] + struct.pack("<I", h - 1)[:3]
        chunks.insert(0, (b"VP8X", vp8x))
    flags = chunks[0][1][0] | 0x08 | 0x04  # EXIF and XMP present
    chunks[0] = (b"VP8X", bytes([flags]) + chunks[0][1][1:])
    chunks.append((b"EXIF", open(exif_path, "rb").read()))
    chunks.append((b"XMP ", open(xmp_path, "rb").read()))
    body = b"WEBP" + b"".join(riff_chunk(k, v) for k, v in chunks)
    open(dst, "wb").write(b"RIFF" + struct.pack("<I", len(body)) + body)


def main():
    if len(sys.argv) == 6 and sys.argv[1] == "webp-meta":
        webp_meta(*sys.argv[2:])
        return
    d = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    jpeg(os.path.join(d, "plain.jpg"))
    png(os.path.join(d, "plain.png"))
    open(os.path.join(d, "plain.webp"), "wb").write(
        base64.b64decode("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA=="))
    open(os.path.join(d, "plain_alpha.webp"), "wb").write(base64.b64decode(
        "UklGRkoAAABXRUJQVlA4WAoAAAAQAAAAAAAAAAAAQUxQSAwAAAARBxAR/Q9ERP8DAABWUDggGAAAABQBAJ0BKgEAAQAAAP4AAA3AAP7mtQAAAA=="))


main()
