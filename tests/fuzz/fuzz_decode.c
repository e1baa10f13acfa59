/* fuzz_decode.c — libFuzzer harness for doc_load: decode.c with gzip
 * (zlib), encoding detection (iconv), html.c and boiler.c behind it.
 *
 * The input is written, as it is, to a file in a private directory made once
 * per process under $TMPDIR (or /tmp) and rewritten on every run.  Its name
 * decides how doc_load treats it: "in.gz" when byte 0 is odd (gzip path;
 * gzip data starts 1f 8b, both odd, so it is "in.html.gz"), "...html" when
 * byte 1 is odd (HTML path), "in.txt" otherwise.  When byte 2 is 7 mod 8 an
 * encoding is forced (opts.encoding, chosen by byte 3), otherwise detected.
 * max_size is 8 MB, so a gzip bomb must be refused, not inflated.
 *
 * Checked on PS_OK: the text is NUL-terminated at len, valid UTF-8, has no
 * NUL and no CR (LF line ends), raw_size is the file size, crc the zlib
 * crc32 of the file, encoding a non-empty string, html_title (if any) valid
 * UTF-8, bad_bytes/first_bad_offset and the flags consistent.  Otherwise:
 * the code is the one in the ps_err, one doc_load documents, with a
 * non-empty one-line reason, and nothing to free. */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "decode.h"
#include "fuzz_common.h"
#include "utf8.h"

#define MAX_SIZE (8u << 20)

static char dir[256];

static void cleanup(void)
{
    static const char *const names[] = { "in.txt", "in.gz", "in.html", "in.html.gz" };
    char p[300];
    if (!dir[0])
        return;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, names[i]);
        unlink(p);
    }
    rmdir(dir);
}

static const char *setup_dir(void)
{
    if (!dir[0]) {
        const char *tmp = getenv("TMPDIR");
        snprintf(dir, sizeof dir, "%s/polsearch-fuzz-decode.XXXXXX", tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(dir)) {
            perror("fuzz_decode: mkdtemp");
            abort();
        }
        atexit(cleanup);
    }
    return dir;
}

static void write_file(const char *path, const uint8_t *data, size_t size)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) {
        perror("fuzz_decode: open");
        abort();
    }
    for (size_t off = 0; off < size;) {
        ssize_t w = write(fd, data + off, size - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            perror("fuzz_decode: write");
            abort();
        }
        off += (size_t)w;
    }
    close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const encodings[] = {
        "GB18030", "GBK", "BIG5", "UTF-8", "UTF-16LE", "UTF-16", "ISO-8859-1", "no-such-encoding"
    };
    char path[300];
    int gz = size > 0 && (data[0] & 1), html = size > 1 && (data[1] & 1);
    snprintf(path, sizeof path, "%s/in%s", setup_dir(),
             gz ? (html ? ".html.gz" : ".gz") : (html ? ".html" : ".txt"));
    write_file(path, data, size);

    load_opts opts = { .max_size = MAX_SIZE };
    if (size > 3 && data[2] % 8 == 7)
        opts.encoding = encodings[data[3] % (sizeof encodings / sizeof *encodings)];

    doc_text d;
    ps_err err = PS_ERR_INIT;
    int st = doc_load(path, &opts, &d, &err);

    FUZZ_CHECK(st == err.code, "doc_load returned %d, its ps_err holds %d", st, err.code);
    if (st != PS_OK) {
        FUZZ_CHECK(st == PS_SKIP || st == PS_IO || st == PS_INPUT || st == PS_USAGE || st == PS_NOMEM,
                   "doc_load returned %d", st);
        FUZZ_CHECK(memchr(err.msg, '\0', sizeof err.msg) != NULL, "reason not NUL-terminated");
        FUZZ_CHECK(err.msg[0] != '\0' && !strchr(err.msg, '\n'), "no one-line reason for code %d", st);
        FUZZ_CHECK(d.text == NULL && d.html_title == NULL, "code %d but *out holds memory (%s)", st, err.msg);
        return 0;
    }

    FUZZ_CHECK(d.text != NULL, "PS_OK without text");
    FUZZ_CHECK(d.text[d.len] == '\0', "text not NUL-terminated at len %zu", d.len);
    FUZZ_CHECK(memchr(d.text, '\0', d.len) == NULL, "NUL at byte %zu of the text",
               (size_t)((const char *)memchr(d.text, '\0', d.len) - d.text));
    size_t bad = utf8_validate(d.text, d.len);
    FUZZ_CHECK(bad == d.len, "text is not valid UTF-8 at byte %zu of %zu", bad, d.len);
    FUZZ_CHECK(memchr(d.text, '\r', d.len) == NULL, "CR at byte %zu of the text",
               (size_t)((const char *)memchr(d.text, '\r', d.len) - d.text));
    FUZZ_CHECK(d.raw_size == size, "raw_size %llu, file has %zu bytes", (unsigned long long)d.raw_size, size);
    FUZZ_CHECK(d.crc == (uint32_t)crc32_z(0L, data, size), "crc is not the crc32 of the file");
    FUZZ_CHECK(memchr(d.encoding, '\0', sizeof d.encoding) != NULL && d.encoding[0] != '\0',
               "encoding name missing or not terminated");
    if (d.html_title) {
        size_t tl = strlen(d.html_title);
        FUZZ_CHECK(tl > 0, "empty html_title instead of NULL");
        FUZZ_CHECK(utf8_validate(d.html_title, tl) == tl, "html_title is not valid UTF-8");
        FUZZ_CHECK(d.is_html, "html_title on a document not taken as HTML");
    }
    FUZZ_CHECK(d.is_html <= 1 && d.gzipped <= 1, "flags is_html=%u gzipped=%u", d.is_html, d.gzipped);
    FUZZ_CHECK(!d.gzipped || (size >= 2 && (gz || (data[0] == 0x1f && data[1] == 0x8b))),
               "gzipped set for data neither named .gz nor starting 1f 8b");
    if (!d.gzipped)
        FUZZ_CHECK(d.bad_bytes == 0 || d.first_bad_offset < size,
                   "first_bad_offset %zu outside the %zu input bytes", d.first_bad_offset, size);
    doc_text_free(&d);
    FUZZ_CHECK(d.text == NULL && d.html_title == NULL, "doc_text_free did not reset");
    return 0;
}
