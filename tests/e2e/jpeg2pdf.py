#!/usr/bin/env python3
"""jpeg2pdf.py OUT.pdf DPI PAGE.jpg... — wraps JPEG page images into a PDF with
no text layer (a "scanned" document). Written for the PDF tests because
Debian's ImageMagick policy refuses to write PDF; JPEG bytes go in as
DCTDecode image streams, so nothing is re-encoded."""
import struct
import sys


def jpeg_size(b):
    i = 2
    while i < len(b):
        if b[i] != 0xFF:
            i += 1
            continue
        m = b[i + 1]
        if m in (0xC0, 0xC1, 0xC2):
            h, w = struct.unpack(">HH", b[i + 5:i + 9])
            return w, h, b[i + 9]
        i += 2 + struct.unpack(">H", b[i + 2:i + 4])[0]
    raise SystemExit("not a JPEG")


def main():
    out, dpi, pages = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
    objs = []  # bytes of objects 1..n
    kids = []
    for p in pages:
        data = open(p, "rb").read()
        w, h, comps = jpeg_size(data)
        cs = "/DeviceGray" if comps == 1 else "/DeviceRGB"
        pw, ph = w * 72.0 / dpi, h * 72.0 / dpi
        img = len(objs) + 3
        objs.append(b"<</Type/XObject/Subtype/Image/Width %d/Height %d/ColorSpace %s/BitsPerComponent 8"
                    b"/Filter/DCTDecode/Length %d>>stream\n" % (w, h, cs.encode(), len(data)) + data + b"\nendstream")
        content = b"q %.2f 0 0 %.2f 0 0 cm /Im0 Do Q" % (pw, ph)
        objs.append(b"<</Length %d>>stream\n" % len(content) + content + b"\nendstream")
        objs.append(b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 %.2f %.2f]/Resources<</XObject<</Im0 %d 0 R>>>>"
                    b"/Contents %d 0 R>>" % (pw, ph, img, img + 1))
        kids.append(img + 2)
    head = [b"<</Type/Catalog/Pages 2 0 R>>",
            b"<</Type/Pages/Kids[%s]/Count %d>>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))]
    allobjs = head + objs
    buf = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offs = []
    for i, o in enumerate(allobjs, 1):
        offs.append(len(buf))
        buf += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    x = len(buf)
    buf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(allobjs) + 1)
    for o in offs:
        buf += b"%010d 00000 n \n" % o
    buf += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(allobjs) + 1, x)
    open(out, "wb").write(buf)


main()
