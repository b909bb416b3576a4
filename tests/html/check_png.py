#!/usr/bin/env python3
"""Checks a screenshot of the stage report's HTML page, taken by headless Chromium.

Usage: check_png.py PNG WIDTH HEIGHT

Decodes the PNG with the standard library only (zlib and the PNG filters), then checks that:
- its size is the window's, WIDTH x HEIGHT;
- it is not blank: a fair share of pixels are not white (text and charts were drawn);
- the charts are there: the accent red of the bars (#b3261e), the deep green of met 123
  periods (#1a7f4b) and the greys of the coverage bars are each drawn over many pixels.
Exits 1 with a message naming what failed.
"""
import struct
import sys
import zlib


def decode(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        sys.exit(f"{path}: not a PNG file")
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in (2, 6) or interlace != 0:
        sys.exit(f"{path}: expected 8-bit RGB or RGBA, not interlaced; got {header}")
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(height):
        f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[x] = (line[x] + pred) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, bpp, rows


def main():
    path, want_w, want_h = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    width, height, bpp, rows = decode(path)
    if (width, height) != (want_w, want_h):
        sys.exit(f"{path}: size {width}x{height}, expected {want_w}x{want_h}")
    counts = {}
    for row in rows:
        for x in range(0, len(row), bpp):
            px = row[x:x + 3]
            counts[px] = counts.get(px, 0) + 1
    total = width * height
    white = counts.get(b"\xff\xff\xff", 0)
    inked = total - white
    print(f"{path}: {width}x{height}, {inked / total:.1%} inked, {len(counts)} colours")
    if inked < total * 0.04:
        sys.exit(f"{path}: looks blank: only {inked} of {total} pixels are not white")
    for name, rgb, least in [
        ("completion bars (#b3261e)", b"\xb3\x26\x1e", 2000),
        ("met 123 periods (#1a7f4b)", b"\x1a\x7f\x4b", 2000),
        ("coverage bars (#8d97a5)", b"\x8d\x97\xa5", 500),
    ]:
        if counts.get(rgb, 0) < least:
            sys.exit(f"{path}: the {name} are missing: {counts.get(rgb, 0)} pixels")
    print("the page rendered with its text and its three charts")


if __name__ == "__main__":
    main()
