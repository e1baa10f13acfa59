#!/usr/bin/env python3
"""make-shapes.py — input files of one shape each, for bench/shapes.sh and
tests/cli/shapes.sh (issue 21: indexing time and index size must grow
linearly with the input whatever its shape).

usage: make-shapes.py SEEDS_DIR OUT_DIR MB [SHAPE...]

Writes OUT_DIR/SHAPE.EXT of about MB megabytes of text for each SHAPE (all
when none is named).  The text is the seeds' sentences, shuffled with a fixed
seed and each ended by a counter (so no two paragraphs are copies, which the
index would collapse).  Every shape holds the marker phrase MARKER below, so
a test can search for it.  Shapes whose files are not text (pdf, ofd) get a
.txt source beside them that the caller converts (LibreOffice, make-ofd.py).
Output is deterministic.
"""
import gzip
import io
import os
import random
import re
import sys
import zipfile

MARKER = '量子链路示范工程'
TEXT_SHAPES = ['paras', 'oneline_labels', 'oneline', 'noblank', 'giant',
               'tiny', 'csv']
SHAPES = TEXT_SHAPES + ['gz_' + s for s in TEXT_SHAPES] + [
    'html_nested', 'html_oneline', 'pdf_src', 'docx_runs', 'ofd_src']
LABELS = ['信息来源：', '来源:', '发布机构:', '索引号:', '文号:']
LABEL_RE = re.compile(r'(信息来源|来源|发布机构|索引号|文号|发文字号|发布日期|浏览次数|字体|发文机关|主题词|成文日期)\s*[:：]')


def sentences(seeds):
    """The seeds' sentences (split after 。；！？), white space removed."""
    out = []
    for name in sorted(os.listdir(seeds)):
        if not name.endswith('.txt'):
            continue
        with open(os.path.join(seeds, name), encoding='utf-8') as f:
            text = re.sub(r'\s+', '', f.read())
        for s in re.split(r'(?<=[。；！？])', text):
            # the seeds' own metadata labels (信息来源: ...) go: only the
            # oneline_labels shape carries labels, where it puts them
            s = LABEL_RE.sub('', s)
            if len(s) >= 8:
                out.append(s)
    return out


class Source:
    """An endless supply of varied sentences: each pass over the seeds'
    sentences is shuffled anew, and every sentence gets a counter."""

    def __init__(self, seeds):
        self.base = sentences(seeds)
        self.rng = random.Random(21)
        self.queue = []
        self.n = 0

    def next(self):
        if not self.queue:
            self.queue = self.base[:]
            self.rng.shuffle(self.queue)
        self.n += 1
        s = self.queue.pop()
        return s[:-1] + '（第%d条）' % self.n + s[-1]

    def paragraph(self, k):
        return ''.join(self.next() for _ in range(k))


def fill(limit, make):
    """Pieces from make() until their UTF-8 size reaches limit; the marker
    phrase goes into the piece written at the middle."""
    parts, size, marked = [], 0, False
    while size < limit:
        p = make()
        if not marked and size >= limit // 2:
            p = MARKER + p
            marked = True
        parts.append(p)
        size += len(p.encode('utf-8'))
    return parts


def text_shape(shape, src, limit):
    """The text of one text shape."""
    rng = random.Random(7)
    if shape == 'paras':
        return '\n\n'.join(fill(limit, lambda: src.paragraph(3))) + '\n'
    if shape == 'oneline':
        return ''.join(fill(limit, src.next)) + '\n'
    if shape == 'oneline_labels':
        def piece():
            s = src.next()
            if rng.random() < 0.05:
                s = rng.choice(LABELS) + s
            return s
        return ''.join(fill(limit, piece)) + '\n'
    if shape == 'noblank':
        return '\n'.join(fill(limit, lambda: src.paragraph(2))) + '\n'
    if shape == 'giant':
        # one paragraph: lines wrapped at 40 characters, no blank line
        flat = ''.join(fill(limit, src.next))
        return '\n'.join(flat[i:i + 40] for i in range(0, len(flat), 40)) + '\n'
    if shape == 'tiny':
        # 300,000 tiny paragraphs per 16 MB-ish: short pieces, blank lines
        per = max(1, limit // 300000)

        def piece():
            s = src.next()
            return s[:max(4, per // 3)] + str(src.n)
        return '\n\n'.join(fill(limit, piece)) + '\n'
    if shape == 'csv':
        def row():
            a, b = src.next(), src.next()
            return '%d,"%s",%s,2024-%02d-%02d,%d' % (
                src.n, a, b, rng.randint(1, 12), rng.randint(1, 28), rng.randint(1, 99999))
        return 'id,title,body,date,amount\n' + '\n'.join(fill(limit, row)) + '\n'
    raise ValueError(shape)


def html_nested(src, limit):
    """An HTML page with 200,000 nested <div>s per 16 MB (at least 10,000),
    text in each."""
    depth = max(10000, limit * 200000 // (16 << 20))
    body = fill(limit, src.next)
    per = max(1, len(body) // depth)
    out = ['<!DOCTYPE html><html><head><meta charset="utf-8"><title>嵌套页面</title></head><body>\n']
    opened = 0
    for i in range(0, len(body), per):
        out.append('<div class="d">' + ''.join(body[i:i + per]) + '\n')
        opened += 1
    out.append('</div>' * opened + '</body></html>\n')
    return ''.join(out)


def html_oneline(src, limit):
    """An HTML page on one line: many <p>s, no newline."""
    ps = fill(limit, lambda: src.paragraph(3))
    return ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>单行页面</title></head><body>'
            + ''.join('<p>%s</p>' % p for p in ps) + '</body></html>')


def docx_runs(src, limit, out):
    """A DOCX whose paragraphs are split into 200,000 runs per 16 MB
    (at least 20,000), alternating bold."""
    runs = max(20000, limit * 200000 // (16 << 20))
    text = ''.join(fill(limit, src.next))
    with open(out[:-5] + '.txt', 'w', encoding='utf-8') as f:   # its text, for sizes
        f.write(text)
    per = max(1, len(text) // runs)
    body = []
    para = []
    for k, i in enumerate(range(0, len(text), per)):
        rpr = '<w:rPr><w:b/></w:rPr>' if k % 2 else ''
        para.append('<w:r>%s<w:t xml:space="preserve">%s</w:t></w:r>' % (
            rpr, text[i:i + per].replace('&', '&amp;').replace('<', '&lt;')))
        if len(para) == 40:
            body.append('<w:p>' + ''.join(para) + '</w:p>')
            para = []
    if para:
        body.append('<w:p>' + ''.join(para) + '</w:p>')
    W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main'
    doc = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
           '<w:document xmlns:w="%s"><w:body>%s</w:body></w:document>' % (W, ''.join(body)))
    parts = {
        '[Content_Types].xml': '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        '_rels/.rels': '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        'word/document.xml': doc,
    }
    with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    seeds, outdir, mb = sys.argv[1], sys.argv[2], float(sys.argv[3])
    want = sys.argv[4:] or SHAPES
    limit = int(mb * (1 << 20))
    os.makedirs(outdir, exist_ok=True)
    for shape in want:
        src = Source(seeds)
        path = os.path.join(outdir, shape)
        if shape in TEXT_SHAPES:
            with open(path + '.txt', 'w', encoding='utf-8') as f:
                f.write(text_shape(shape, src, limit))
        elif shape.startswith('gz_'):
            data = text_shape(shape[3:], src, limit).encode('utf-8')
            with open(path + '.txt.gz', 'wb') as f:
                f.write(gzip.compress(data, mtime=0))
        elif shape in ('html_nested', 'html_oneline'):
            with open(path + '.html', 'w', encoding='utf-8') as f:
                f.write((html_nested if shape == 'html_nested' else html_oneline)(src, limit))
        elif shape == 'docx_runs':
            docx_runs(src, limit, path + '.docx')
        elif shape in ('pdf_src', 'ofd_src'):
            # paragraphs, one per line, for LibreOffice / make-ofd.py
            with open(path + '.txt', 'w', encoding='utf-8') as f:
                f.write('\n'.join(fill(limit, lambda: src.paragraph(3))) + '\n')
        else:
            sys.exit('make-shapes.py: unknown shape ' + shape)


if __name__ == '__main__':
    main()
