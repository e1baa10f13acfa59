#!/usr/bin/env python3
"""png_colours.py PNG RRGGBB... — how many pixels of PNG have each colour.

Prints "RRGGBB COUNT" per colour asked for (exact 8-bit match), then
"width WIDTH height HEIGHT" and "distinct N" (the number of distinct
colours).  Reads 8-bit RGB or RGBA PNGs without interlacing (what
Chromium's --screenshot writes) with the standard library only (zlib), so
the browser test needs no imaging package.  Exits 2 on anything else.
"""
import struct, sys, zlib


def pixels(path):
    """(width, height, rows of (r, g, b) tuples) of the PNG at path."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        sys.exit("png_colours: %s: not a PNG" % path)
    pos, idat, w = 8, [], None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or ctype not in (2, 6) or interlace:
                print("png_colours: %s: only 8-bit RGB/RGBA, not interlaced" % path, file=sys.stderr)
                sys.exit(2)
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat.append(body)
        pos += 12 + n
    raw = zlib.decompress(b"".join(idat))
    stride = w * bpp
    prev = bytearray(stride)
    rows = []
    for y in range(h):
        ft = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if ft == 1:
                line[i] = (line[i] + a) & 255
            elif ft == 2:
                line[i] = (line[i] + b) & 255
            elif ft == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif ft == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append([tuple(line[x * bpp:x * bpp + 3]) for x in range(w)])
        prev = line
    return w, h, rows


def main():
    w, h, rows = pixels(sys.argv[1])
    counts = {}
    for row in rows:
        for px in row:
            counts[px] = counts.get(px, 0) + 1
    for hexc in sys.argv[2:]:
        rgb = tuple(int(hexc[i:i + 2], 16) for i in (0, 2, 4))
        print(hexc, counts.get(rgb, 0))
    print("width", w, "height", h)
    print("distinct", len(counts))


if __name__ == "__main__":
    main()
