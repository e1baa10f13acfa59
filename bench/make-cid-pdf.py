#!/usr/bin/python3
"""make-cid-pdf.py SRC.txt OUT.pdf — the PDF shape as Word, WPS and
xdvipdfmx write a long Chinese document (issue 21, the PDF's time).

LibreOffice (the `pdf` shape) splits a CJK font into 8-bit Type 1 subsets
of 256 glyphs, each with a "Builtin" encoding that poppler can only learn
by parsing the embedded font program, again on every page.  Word, WPS and
xdvipdfmx embed one CID-keyed subset per font (Identity-H, a ToUnicode
CMap, widths in a W array), shared by every page through one resource
dictionary.  This writes SRC's paragraphs (one a line, as make-shapes.py
writes pdf_src.txt) that way, with Noto Sans CJK SC's CFF (CID-keyed, the
Debian package fonts-noto-cjk) subset by fontTools (python3-fonttools): A4,
11 pt, 2-character first-line indent, a half line between paragraphs.
Deterministic: the same SRC gives the same bytes.  Needs Debian's
/usr/bin/python3 (where python3-fonttools installs).
"""
import os
import sys
import zlib

from fontTools import subset
from fontTools.ttLib import TTFont

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tests', 'fixtures'))
from pdfwrite import pdf_bytes  # noqa: E402

FONT = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc'
FONT_NUMBER = 2                      # the SC face of the collection
SIZE = 11.0                          # font size, points
LEAD = 16.0                          # line advance, points
PAGE_W, PAGE_H, MARGIN = 595.0, 842.0, 72.0


def load_font(chars):
    """The CFF subset for chars (bytes), its cmap (code point -> CID) and
    the advance of each CID in 1/1000 em."""
    font = TTFont(FONT, fontNumber=FONT_NUMBER)
    opts = subset.Options()
    opts.layout_features = []
    opts.notdef_outline = True
    opts.name_IDs = []
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=sorted(chars))
    sub.subset(font)
    upm = font['head'].unitsPerEm
    cmap = font.getBestCmap()
    hmtx = font['hmtx']
    to_cid, widths = {}, {}
    for cp, name in cmap.items():
        cid = int(name[3:]) if name.startswith('cid') else 0
        to_cid[cp] = cid
        widths[cid] = round(hmtx[name][0] * 1000 / upm)
    cff = font['CFF ']
    return cff.compile(font), to_cid, widths


def lay_out(paras, to_cid, widths):
    """Pages of lines; a line is (x, y, [cid, ...])."""
    width = PAGE_W - 2 * MARGIN
    pages, lines, y = [], [], PAGE_H - MARGIN
    for para in paras:
        line, x, indent = [], 0.0, 2 * SIZE
        for ch in para:
            cid = to_cid.get(ord(ch), 0)
            adv = widths.get(cid, 1000) * SIZE / 1000
            if indent + x + adv > width and line:
                lines.append((MARGIN + indent, y, line))
                line, x, indent, y = [], 0.0, 0.0, y - LEAD
                if y < MARGIN:
                    pages.append(lines)
                    lines, y = [], PAGE_H - MARGIN
            line.append(cid)
            x += adv
        if line:
            lines.append((MARGIN + indent, y, line))
        y -= LEAD * 1.5
        if y < MARGIN:
            pages.append(lines)
            lines, y = [], PAGE_H - MARGIN
    if lines:
        pages.append(lines)
    return pages


def content(lines):
    """A page's content stream: one Tj per line."""
    out = ['BT', '/F1 %.1f Tf' % SIZE]
    for x, y, cids in lines:
        out.append('1 0 0 1 %.2f %.2f Tm <%s> Tj' % (x, y, ''.join('%04X' % c for c in cids)))
    out.append('ET')
    return '\n'.join(out).encode('ascii')


def to_unicode(to_cid):
    """The ToUnicode CMap: each CID back to its code point."""
    pairs = sorted((cid, cp) for cp, cid in to_cid.items() if cid)
    seen, body = set(), []
    uniq = [(c, u) for c, u in pairs if not (c in seen or seen.add(c))]
    for i in range(0, len(uniq), 100):
        chunk = uniq[i:i + 100]
        body.append('%d beginbfchar' % len(chunk))
        for cid, cp in chunk:
            body.append('<%04X> <%s>' % (cid, chr(cp).encode('utf-16-be').hex().upper()))
        body.append('endbfchar')
    return ('/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n'
            '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n'
            '/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n'
            '1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n' + '\n'.join(body) +
            '\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n').encode('ascii')


def write_pdf(path, pages, cff, to_cid, widths):
    """Write the document: catalog, pages, one shared resource dictionary
    and font, then each page and its (deflated) content."""
    objs = []

    def add(body):
        objs.append(body)
        return len(objs)

    def stream(data, extra=''):
        z = zlib.compress(data, 6)
        return b'<< /Length %d /Filter /FlateDecode %s>>\nstream\n' % (len(z), extra.encode()) + z + b'\nendstream'

    catalog = add(None)
    pages_id = add(None)
    fontfile = add(stream(cff, '/Subtype /CIDFontType0C '))
    desc = add(('<< /Type /FontDescriptor /FontName /AAAAAA+NotoSansCJKsc-Regular /Flags 4 '
                '/FontBBox [-1000 -1000 3000 1500] /ItalicAngle 0 /Ascent 880 /Descent -120 '
                '/CapHeight 733 /StemV 80 /FontFile3 %d 0 R >>' % fontfile).encode())
    w = ' '.join('%d [%d]' % (cid, widths[cid]) for cid in sorted(widths) if widths[cid] != 1000)
    cidfont = add(('<< /Type /Font /Subtype /CIDFontType0 /BaseFont /AAAAAA+NotoSansCJKsc-Regular '
                   '/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> '
                   '/FontDescriptor %d 0 R /DW 1000 /W [%s] >>' % (desc, w)).encode())
    tounicode = add(stream(to_unicode(to_cid)))
    font = add(('<< /Type /Font /Subtype /Type0 /BaseFont /AAAAAA+NotoSansCJKsc-Regular '
                '/Encoding /Identity-H /DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>' % (cidfont, tounicode)).encode())
    res = add(('<< /Font << /F1 %d 0 R >> /ProcSet [/PDF /Text] >>' % font).encode())
    kids = []
    for lines in pages:
        c = add(stream(content(lines)))
        kids.append(add(('<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %d %d] /Resources %d 0 R '
                         '/Contents %d 0 R >>' % (pages_id, PAGE_W, PAGE_H, res, c)).encode()))
    objs[catalog - 1] = ('<< /Type /Catalog /Pages %d 0 R >>' % pages_id).encode()
    objs[pages_id - 1] = ('<< /Type /Pages /Count %d /Kids [%s] >>' %
                          (len(kids), ' '.join('%d 0 R' % k for k in kids))).encode()
    with open(path, 'wb') as f:
        f.write(pdf_bytes(objs, b'<< /Producer (make-cid-pdf.py) >>'))
    return len(pages)


def main():
    if len(sys.argv) != 3:
        sys.exit('usage: make-cid-pdf.py SRC.txt OUT.pdf')
    with open(sys.argv[1], encoding='utf-8') as f:
        paras = [line.strip() for line in f if line.strip()]
    chars = {ord(c) for p in paras for c in p}
    cff, to_cid, widths = load_font(chars)
    n = write_pdf(sys.argv[2], lay_out(paras, to_cid, widths), cff, to_cid, widths)
    print('make-cid-pdf.py: %s: %d pages' % (sys.argv[2], n))


if __name__ == '__main__':
    main()
