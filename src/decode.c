/* decode.c — from a file on disk to UTF-8 text; see decode.h.
 *
 * The pipeline: read the file in large reads, gunzip if it is gzip data,
 * find the encoding and convert to UTF-8, drop stray NULs, turn CRLF into
 * LF, strip HTML to text, remove site-furniture lines.
 *
 * Encoding detection, in order: a byte-order mark; valid UTF-8 (one pass;
 * the buffer read from disk then becomes the text without a copy); a
 * <meta charset> that decodes cleanly; otherwise a strict decode of a
 * sample as UTF-8, GB18030 and BIG5, each scored by how much it looks like
 * Chinese (frequent Han characters count, rare ones, kana, box drawing,
 * controls, private-use characters and conversion failures count against).
 * GBK bytes are often valid BIG5 and the other way round, so validity
 * alone cannot decide; frequency can, even for a ten-character title,
 * because the characters of the wrong decode are rare ones. */
#include "decode.h"

#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "boiler.h"
#include "buf.h"
#include "digest.h"
#include "html.h"
#include "utf8.h"

#define MIB            (1024u * 1024u)
#define SAMPLE_BYTES   (64u * 1024u)    /* detection looks at this much */
#define NUL_PROBE      8192u            /* NULs in this many leading bytes... */
#define NUL_PROBE_MAX  8u               /* ...beyond this many mean binary */
#define META_BYTES     2048u            /* <meta charset> is looked for here */
#define SHORT_TEXT     256u             /* valid UTF-8 up to this size is still scored */
#define HAN_FIRST      0x4E00u          /* the frequency bitmap covers */
#define HAN_LAST       0x9FFFu          /* U+4E00..U+9FFF */
#define HAN_BITMAP     ((HAN_LAST - HAN_FIRST + 1) / 8)

/* Frequent Han characters of mainland text: general frequency lists plus
 * the vocabulary of policy documents (科技, 企业, 政策, 提案, ...). */
static const char common_hans[] =
    "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于"
    "着下自之年过发后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还"
    "进好小部其些主样理心她本前开但因只从想实日军者意无力它与长把机十民第公此已工使情"
    "明性知全三又关点正业外将两高间由问很最重并物手应战向头文体政美相见被利什二等产或"
    "新己制身果加西斯月话合回特代内信表化老给世位次度门任常先海通教儿原东声提立及比员"
    "解水名真论处走义各入几口认条平系气题活尔更别打女变四神总何电数安少报才结反受目太"
    "量再感建务做接必场件计管期市直德资命山金指克许统区保至队形社便空决治展马科司五基"
    "眼书非则听白却界达光放强即像难且权思王象完设式色路记南品住告类求据程北边死张该交"
    "规万取拉格望觉术领共确传师观清今切院让识候带导争运笑飞风步改收根干造言联持组每济"
    "车亲极林服快办议往元英士证近失转夫令准布始怎呢存未远叫台单影具罗字爱击流备兵连调"
    "深商算质团集百需价花党华城石级整府离况亚请技际约示复病息究线似官火断精满支视消越"
    "器容照须九增研写称企八功吗包片史委乎查轻易早曾除农找装广显吧阿李标谈吃图念六引历"
    "首医局突专费号尽另周较注语仅考落青随选列武红响虽推势参希古众构房半节土投某案黑维"
    "革划敌致陈律足态护七兴派孩验责营星够章音跟志底站严巴例防族供效续施留讲型料终答紧"
    "黄绝奇察母京段依批群项故按河米围江织害斗双境客纪采举杀攻父苏密低朝友诉止细愿千值"
    "仍男钱破网热助倒育属坐帐益创策培善升园范申印县镇乡村省厅署函核审评奖励补贴税融贷"
    "款银财预校协优环训智绿碳监督检措障负牵配率模域键牌微龙骨孵载链洽签额亿占超累获试"
    "室享兑担险偿股债券挂宣读咨询帮扶访座征谢敬礼附邮箱址索源浏览闭窗页置届若健筹促鼓"
    "纲暂修订废执贯彻习央街川聚宁予余姚库梯壮赋绕撑波速层素坚积激巨沂您临伍焦略零材础"
    "赛竞继探押普覆盖扩招养匠瓶颈抓汇移挥托拓互职端综缺降承驱宽翅尊倍拥均针柔良短吸惠"
    "悉板盟扫嘉膀渠";

/* Their traditional forms (and a few other frequent traditional-only
 * characters), so that BIG5 text scores like GB text does. */
static const char common_hant[] =
    "這個們來為國說時會對著發過後裡裏種經麼學現當沒動還進樣開從實軍無與長機兩間問戰頭"
    "體見產話給門東聲員論處義幾認條係繫氣題爾別變總電數報結務場計資許統區隊決馬書則聽"
    "達強難權設記類據邊張該規萬覺術領確傳師觀讓識帶導爭運飛風幹乾聯組濟車親極辦議證轉"
    "準遠臺單羅愛擊備連調質團價黨華級離況亞請際約復複線斷滿視須寫稱嗎輕農裝廣顯標談圖"
    "歷曆醫專費號盡較語僅隨選紅響雖勢參眾構節維劃敵陳態護興驗責營夠嚴續講終緊黃絕項圍"
    "織鬥雙紀採舉殺蘇訴細願錢網熱屬帳創園範縣鎮鄉廳審評獎勵補貼稅貸銀財預協優環訓綠監"
    "檢負牽鍵龍載鏈簽額億獲試兌擔險償債掛讀詢幫訪徵謝禮郵瀏覽閉頁屆籌綱暫訂廢執貫徹習"
    "寧餘庫壯賦繞撐層堅積臨礎賽競繼蓋擴養頸匯揮職綜驅寬擁針掃關點業將並應兒於隻製"
    "灣啟歲鐘館衆爲説內錄冊慮狀奮藝階";

/* The result of decoding some bytes to UTF-8. */
typedef struct decoded {
    buf       text;                  /* UTF-8 (may hold NULs until strip_nuls) */
    size_t    bad;                   /* input bytes replaced by U+FFFD */
    size_t    first_bad;             /* offset of the first of them (valid when bad > 0) */
} decoded;

/* Which Han characters are frequent and which are everyday (score_text). */
typedef struct han_tables {
    unsigned char top[HAN_BITMAP];   /* bit per U+4E00..U+9FFF: among the most frequent */
    unsigned char ok[HAN_BITMAP];    /* bit: in GB2312 level 1 or BIG5's frequent set */
} han_tables;

/* How Chinese a decode looks (see score_text). */
typedef struct score {
    long      points;                /* higher is more plausible */
    size_t    ctrl;                  /* C0/C1 controls other than \t \n \r \f */
} score;

/* Which decoder turns the bytes into UTF-8. */
enum codec {
    C_UTF8,                          /* own validator, U+FFFD for bad sequences */
    C_UTF16LE,                       /* own decoder */
    C_UTF16BE,                       /* own decoder */
    C_ICONV                          /* iconv from a named charset */
};

/* Describe a size limit the way --max-file-size takes it ("10 MB"). */
static void fmt_limit(uint64_t max, char *dst, size_t n)
{
    if (max % MIB == 0)
        snprintf(dst, n, "%llu MB", (unsigned long long)(max / MIB));
    else if (max >= MIB)
        snprintf(dst, n, "%.1f MB", (double)max / MIB);
    else
        snprintf(dst, n, "%llu bytes", (unsigned long long)max);
}

/* ASCII tolower, independent of the locale. */
static int ascii_lower(int c)
{
    return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

/* Case-insensitive ASCII comparison of NUL-terminated strings. */
static int ascii_ieq(const char *a, const char *b)
{
    while (*a && ascii_lower((unsigned char)*a) == ascii_lower((unsigned char)*b)) {
        a++;
        b++;
    }
    return *a == '\0' && *b == '\0';
}

/* 1 when name ends with suffix, letter case ignored. */
static int ends_with_ci(const char *name, size_t len, const char *suffix)
{
    size_t m = strlen(suffix);
    if (len < m)
        return 0;
    for (size_t i = 0; i < m; i++)
        if (ascii_lower((unsigned char)name[len - m + i]) != ascii_lower((unsigned char)suffix[i]))
            return 0;
    return 1;
}

/* Read the whole file into a malloc'd buffer with at least one spare byte
 * past the end (for the terminating NUL of a zero-copy text).  Returns PS_OK,
 * or PS_IO, PS_INPUT (larger than max) or PS_NOMEM with the reason in err. */
static int read_file(const char *path, uint64_t max, unsigned char **data, size_t *len,
                     ps_err *err)
{
    char lim[32];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return ps_err_set(err, PS_IO, "%s", strerror(errno));
    struct stat st;
    int rc;
    if (fstat(fd, &st) != 0) {
        rc = ps_err_set(err, PS_IO, "%s", strerror(errno));
        close(fd);
        return rc;
    }
    if (max && S_ISREG(st.st_mode) && (uint64_t)st.st_size > max) {
        fmt_limit(max, lim, sizeof lim);
        rc = ps_err_set(err, PS_INPUT, "file is larger than the limit of %s (--max-file-size)", lim);
        close(fd);
        return rc;
    }
    /* Regular files are read into one allocation of the right size; the
     * spare bytes also catch a file that grows while being read. */
    size_t cap = S_ISREG(st.st_mode) && st.st_size > 0 ? (size_t)st.st_size + 16 : 65536;
    unsigned char *p = malloc(cap);
    if (!p) {
        close(fd);
        return ps_err_nomem(err);
    }
    size_t n = 0;
    for (;;) {
        if (cap - n < 2 && ARRAY_GROW(p, cap, n + 2) != 0) {
            rc = ps_err_nomem(err);
            goto fail;
        }
        size_t want = cap - n - 1;
        if (want > (1u << 30))
            want = 1u << 30;
        ssize_t r = read(fd, p + n, want);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            rc = ps_err_set(err, PS_IO, "%s", strerror(errno));
            goto fail;
        }
        if (r == 0)
            break;
        n += (size_t)r;
        if (max && n > max) {
            fmt_limit(max, lim, sizeof lim);
            rc = ps_err_set(err, PS_INPUT, "file is larger than the limit of %s (--max-file-size)", lim);
            goto fail;
        }
    }
    close(fd);
    *data = p;
    *len = n;
    return PS_OK;
fail:
    free(p);
    close(fd);
    return rc;
}

/* Inflate gzip data in[0..n) (one or more members) into a malloc'd buffer
 * with a spare byte.  Never allocates more than max (+1) bytes of output:
 * a small file that inflates to gigabytes stops at the limit.  Returns
 * PS_OK, or PS_INPUT (corrupt, truncated, too large) or PS_NOMEM with the
 * reason in err. */
static int gunzip(const unsigned char *in, size_t n, uint64_t max,
                  unsigned char **outp, size_t *outlen, ps_err *err)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (inflateInit2(&zs, 15 + 32) != Z_OK) {
        return ps_err_set(err, PS_NOMEM, "cannot initialise zlib");
    }
    size_t limit = max && max < SIZE_MAX - 1 ? (size_t)max : SIZE_MAX - 1;
    size_t cap = n < limit / 4 ? n * 4 + 4096 : limit;
    if (cap > limit)
        cap = limit;
    cap++;                           /* bytes allocated: the output's room and one spare */
    unsigned char *out = malloc(cap);
    size_t len = 0, pos = 0;
    int st = PS_INPUT;
    char lim[32];
    if (!out) {
        st = ps_err_nomem(err);
        goto done;
    }
    for (;;) {
        if (zs.avail_in == 0 && pos < n) {
            size_t chunk = n - pos < (1u << 30) ? n - pos : (1u << 30);
            zs.next_in = (unsigned char *)(uintptr_t)(in + pos);
            zs.avail_in = (uInt)chunk;
            pos += chunk;
        }
        unsigned char scratch[64];
        size_t top = cap - 1 < limit ? cap - 1 : limit; /* output bytes there is room for */
        if (len == top && top < limit) {
            if (ARRAY_GROW(out, cap, cap + 1) != 0) {
                st = ps_err_nomem(err);
                goto done;
            }
            top = cap - 1 < limit ? cap - 1 : limit;
        }
        int probing = len == top;    /* at the limit: any more output means too big */
        if (probing) {
            zs.next_out = scratch;
            zs.avail_out = sizeof scratch;
        } else {
            size_t room = top - len < (1u << 30) ? top - len : (1u << 30);
            zs.next_out = out + len;
            zs.avail_out = (uInt)room;
        }
        uInt before = zs.avail_out;
        int r = inflate(&zs, Z_NO_FLUSH);
        size_t produced = before - zs.avail_out;
        if (probing && produced > 0) {
            fmt_limit(max, lim, sizeof lim);
            st = ps_err_set(err, PS_INPUT, "decompressed size exceeds the limit of %s (--max-file-size)", lim);
            goto done;
        }
        if (!probing)
            len += produced;
        if (r == Z_STREAM_END) {
            /* Another member follows (cat a.gz b.gz): go on from there.
             * Anything else after a member is ignored, as gzip(1) does. */
            size_t off = pos - zs.avail_in;
            if (n - off >= 2 && in[off] == 0x1f && in[off + 1] == 0x8b) {
                if (inflateReset(&zs) != Z_OK) {
                    st = ps_err_set(err, PS_INPUT, "corrupt gzip data: %s", zs.msg ? zs.msg : "reset failed");
                    goto done;
                }
                pos = off;
                zs.avail_in = 0;
                continue;
            }
            break;
        }
        if (r == Z_NEED_DICT || r == Z_DATA_ERROR || r == Z_STREAM_ERROR) {
            st = ps_err_set(err, PS_INPUT, "corrupt gzip data: %s", zs.msg ? zs.msg : "invalid stream");
            goto done;
        }
        if (r == Z_MEM_ERROR) {
            st = ps_err_nomem(err);
            goto done;
        }
        /* Z_OK or Z_BUF_ERROR: out of input with room to spare means the
         * stream just stops. */
        if (zs.avail_in == 0 && pos >= n && zs.avail_out > 0) {
            st = ps_err_set(err, PS_INPUT, "truncated gzip data");
            goto done;
        }
        if (r == Z_BUF_ERROR && zs.avail_in > 0 && zs.avail_out > 0) {
            st = ps_err_set(err, PS_INPUT, "corrupt gzip data: no progress");
            goto done;
        }
    }
    *outp = out;
    *outlen = len;
    out = NULL;
    st = PS_OK;
done:
    free(out);
    inflateEnd(&zs);
    return st;
}

/* Length of the valid UTF-8 sequence at s[0..n) (1..4), or 0 with *sub set
 * to the length of the maximal invalid subpart (what one U+FFFD replaces),
 * at least 1; *sub == n means the sequence was cut by the end of s. */
static size_t u8_seq(const unsigned char *s, size_t n, size_t *sub)
{
    unsigned c = s[0], lo = 0x80, hi = 0xBF;
    size_t need;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) need = 1;
    else if (c == 0xE0) { need = 2; lo = 0xA0; }
    else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) need = 2;
    else if (c == 0xED) { need = 2; hi = 0x9F; }
    else if (c == 0xF0) { need = 3; lo = 0x90; }
    else if (c >= 0xF1 && c <= 0xF3) need = 3;
    else if (c == 0xF4) { need = 3; hi = 0x8F; }
    else { *sub = 1; return 0; }
    for (size_t k = 1; k <= need; k++) {
        if (k >= n || s[k] < lo || s[k] > hi) {
            *sub = k;
            return 0;
        }
        lo = 0x80;
        hi = 0xBF;
    }
    return need + 1;
}

/* Count a bad byte range at offset at of length k. */
static void note_bad(decoded *d, size_t at, size_t k)
{
    if (d->bad == 0)
        d->first_bad = at;
    d->bad += k;
}

/* Decode UTF-8 with replacement into d->text.  When partial (a sample cut
 * short), a sequence cut by the end is not an error. */
static int utf8_repair(const unsigned char *s, size_t n, int partial, decoded *d)
{
    size_t i = 0;
    if (buf_reserve(&d->text, n + 16) != 0)
        return -1;
    while (i < n) {
        size_t v = i + utf8_validate((const char *)s + i, n - i);
        if (buf_append(&d->text, s + i, v - i) != 0)
            return -1;
        if (v >= n)
            break;
        size_t sub;
        (void)u8_seq(s + v, n - v, &sub);
        if (partial && v + sub >= n)
            break;
        note_bad(d, v, sub);
        if (buf_append(&d->text, "\xEF\xBF\xBD", 3) != 0)
            return -1;
        i = v + sub;
    }
    return 0;
}

/* Decode UTF-16 (no BOM in s) with replacement.  U+0000 is dropped and
 * counted as bad, like NUL bytes elsewhere. */
static int utf16_decode(const unsigned char *s, size_t n, int big, size_t base, decoded *d)
{
    if (buf_reserve(&d->text, n + n / 2 + 16) != 0)
        return -1;
    size_t i = 0;
    while (i + 1 < n) {
        uint32_t u = big ? (uint32_t)s[i] << 8 | s[i + 1] : (uint32_t)s[i + 1] << 8 | s[i];
        if (u >= 0xD800 && u <= 0xDBFF && i + 3 < n) {
            uint32_t l = big ? (uint32_t)s[i + 2] << 8 | s[i + 3]
                             : (uint32_t)s[i + 3] << 8 | s[i + 2];
            if (l >= 0xDC00 && l <= 0xDFFF) {
                if (buf_put_utf8(&d->text, 0x10000 + ((u - 0xD800) << 10) + (l - 0xDC00)) != 0)
                    return -1;
                i += 4;
                continue;
            }
        }
        if ((u >= 0xD800 && u <= 0xDFFF) || u == 0) {
            note_bad(d, base + i, 2);
            if (u != 0 && buf_put_utf8(&d->text, 0xFFFD) != 0)
                return -1;
        } else if (u < 0x80) {
            if (buf_putc(&d->text, (int)u) != 0)
                return -1;
        } else if (buf_put_utf8(&d->text, u) != 0) {
            return -1;
        }
        i += 2;
    }
    if (i < n) {
        note_bad(d, base + i, 1);
        if (buf_put_utf8(&d->text, 0xFFFD) != 0)
            return -1;
    }
    return 0;
}

/* Decode s[0..n) from charset cs with iconv, one U+FFFD per byte iconv
 * refuses.  Returns 0, -1 when out of memory, -2 when iconv does not know
 * cs. */
static int iconv_decode(const char *cs, const unsigned char *s, size_t n, int partial,
                        decoded *d)
{
    iconv_t cd = iconv_open("UTF-8", cs);
    if (cd == (iconv_t)-1)
        return -2;
    int rc = 0;
    char *ip = (char *)(uintptr_t)s;
    size_t il = n;
    if (buf_reserve(&d->text, n + n / 2 + 16) != 0) {
        rc = -1;
        goto done;
    }
    for (;;) {
        char *op = d->text.data + d->text.len;
        size_t room = d->text.cap - d->text.len - 1, ol = room;
        size_t r = il ? iconv(cd, &ip, &il, &op, &ol) : iconv(cd, NULL, NULL, &op, &ol);
        int err = errno;
        d->text.len += room - ol;
        d->text.data[d->text.len] = '\0';
        if (r != (size_t)-1) {
            if (il == 0)
                break;               /* the flush call above ran too */
            continue;
        }
        if (err == E2BIG) {
            if (buf_reserve(&d->text, il * 2 + 64) != 0) {
                rc = -1;
                goto done;
            }
            continue;
        }
        if (err == EINVAL && partial)
            break;                   /* a character cut by the end of the sample */
        if (err != EILSEQ && err != EINVAL) {
            rc = -2;
            goto done;
        }
        note_bad(d, (size_t)((const unsigned char *)ip - s), 1);
        if (buf_append(&d->text, "\xEF\xBF\xBD", 3) != 0) {
            rc = -1;
            goto done;
        }
        ip++;
        il--;
        iconv(cd, NULL, NULL, NULL, NULL);
    }
done:
    iconv_close(cd);
    return rc;
}

/* Set bit (cp - HAN_FIRST) for every character of the UTF-8 string t. */
static void bitmap_add(unsigned char *bm, const char *t)
{
    const unsigned char *s = (const unsigned char *)t;
    size_t n = strlen(t), i = 0;
    while (i < n) {
        size_t sub, len = u8_seq(s + i, n - i, &sub);
        if (len == 3) {
            uint32_t cp = (uint32_t)(s[i] & 0x0F) << 12 | (uint32_t)(s[i + 1] & 0x3F) << 6
                        | (s[i + 2] & 0x3F);
            if (cp >= HAN_FIRST && cp <= HAN_LAST)
                bm[(cp - HAN_FIRST) >> 3] |= (unsigned char)(1u << ((cp - HAN_FIRST) & 7));
        }
        i += len ? len : 1;
    }
}

/* Build the character tables of score_text: the frequent characters
 * above, and the everyday ones (GB2312 level 1: the 3,755 characters of
 * byte rows B0-D7; BIG5's 5,401 "frequently used" characters A440-C67E),
 * taken from iconv so that no table of thousands of characters has to
 * live here.  Returns 0, or -1 when out of memory. */
static int han_tables_init(han_tables *t)
{
    memset(t, 0, sizeof *t);
    bitmap_add(t->top, common_hans);
    bitmap_add(t->top, common_hant);
    buf gb = BUF_INIT, b5 = BUF_INIT;
    int rc = -1;
    for (unsigned lead = 0xB0; lead <= 0xD7; lead++)
        for (unsigned trail = 0xA1; trail <= 0xFE; trail++)
            if (buf_putc(&gb, (int)lead) != 0 || buf_putc(&gb, (int)trail) != 0)
                goto done;
    for (unsigned lead = 0xA4; lead <= 0xC6; lead++)
        for (unsigned trail = 0x40; trail <= 0xFE; trail++) {
            if ((trail > 0x7E && trail < 0xA1) || (lead == 0xC6 && trail > 0x7E))
                continue;
            if (buf_putc(&b5, (int)lead) != 0 || buf_putc(&b5, (int)trail) != 0)
                goto done;
        }
    const char *cs[2] = { "GB18030", "BIG5" };
    buf *in[2] = { &gb, &b5 };
    for (int k = 0; k < 2; k++) {
        decoded d = { BUF_INIT, 0, 0 };
        int r = iconv_decode(cs[k], (const unsigned char *)in[k]->data, in[k]->len, 0, &d);
        if (r == -1) {
            buf_free(&d.text);
            goto done;
        }
        if (r == 0 && d.text.data)
            bitmap_add(t->ok, d.text.data);
        buf_free(&d.text);
    }
    rc = 0;
done:
    buf_free(&gb);
    buf_free(&b5);
    return rc;
}

/* How plausible the UTF-8 text t[0..n) is as Chinese text.  Weights: a
 * frequent Han character +4, CJK punctuation +2, an everyday Han
 * character +1, ASCII 0; other Han -1 and rare Han (extension A,
 * compatibility) -4, kana, Greek, Cyrillic, box drawing, Latin-1 letters
 * -2 (the marks of a wrong GBK/BIG5 decode: those land on the rare
 * characters at the ends of the code tables); controls, private use and
 * U+FFFD -8 to -10.  The weights of characters are multiplied by unit,
 * the bytes a Han character takes in the candidate's encoding (3 in UTF-8,
 * 2 in GBK and BIG5), so that scores count per input byte: a wrong decode
 * as GBK of UTF-8 bytes makes 1.5 characters of every real one. */
static score score_text(const char *t, size_t n, const han_tables *ht, long unit)
{
    score sc = { 0, 0 };
    const unsigned char *s = (const unsigned char *)t;
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        if (c < 0x80) {
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') {
                sc.points -= 8;
                sc.ctrl++;
            } else if (c == 0x7F) {
                sc.points -= 8;
                sc.ctrl++;
            }
            i++;
            continue;
        }
        size_t sub, len = u8_seq(s + i, n - i, &sub);
        if (len == 0) {
            sc.points -= 10;
            i += sub;
            continue;
        }
        uint32_t cp;
        if (len == 2)
            cp = (uint32_t)(c & 0x1F) << 6 | (s[i + 1] & 0x3F);
        else if (len == 3)
            cp = (uint32_t)(c & 0x0F) << 12 | (uint32_t)(s[i + 1] & 0x3F) << 6 | (s[i + 2] & 0x3F);
        else
            cp = (uint32_t)(c & 0x07) << 18 | (uint32_t)(s[i + 1] & 0x3F) << 12
               | (uint32_t)(s[i + 2] & 0x3F) << 6 | (s[i + 3] & 0x3F);
        i += len;
        long w;
        if (cp >= HAN_FIRST && cp <= HAN_LAST) {
            size_t byte = (cp - HAN_FIRST) >> 3;
            unsigned bit = 1u << ((cp - HAN_FIRST) & 7);
            w = ht->top[byte] & bit ? 4 : ht->ok[byte] & bit ? 1 : -1;
        }
        else if ((cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFF01 && cp <= 0xFF5E)
                 || (cp >= 0x2010 && cp <= 0x2027) || cp == 0xB7 || cp == 0xD7)
            w = 2;
        else if (cp == 0xFFFD)
            w = -10;
        else if (cp < 0xA0) {
            w = -8;                  /* C1 controls */
            sc.ctrl++;
        } else if ((cp >= 0xE000 && cp <= 0xF8FF) || cp >= 0xF0000)
            w = -8;                  /* private use: user-defined GBK/BIG5 areas */
        else if ((cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0xF900 && cp <= 0xFAFF)
                 || cp >= 0x20000)
            w = -4;                  /* rare Han: what a wrong decode lands on */
        else if (cp >= 0xAC00 && cp <= 0xD7AF)
            w = -3;                  /* Hangul */
        else if ((cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0x0370 && cp <= 0x04FF)
                 || (cp >= 0x2500 && cp <= 0x25FF) || (cp >= 0x3100 && cp <= 0x312F)
                 || (cp >= 0xA0 && cp <= 0x24F) || (cp >= 0xFF61 && cp <= 0xFF9F))
            w = -2;                  /* kana, Greek, Cyrillic, box drawing, bopomofo, Latin-1 */
        else
            w = -1;
        sc.points += w > -8 ? w * unit : w;
    }
    return sc;
}

/* Find a charset declared in the first bytes of an HTML page
 * (<meta charset=...>, <meta http-equiv content="...; charset=...">, or an
 * XML declaration's encoding=).  Copies it to name[0..cap) and returns 1,
 * or returns 0. */
static int declared_charset(const unsigned char *s, size_t n, char *name, size_t cap)
{
    if (n > META_BYTES)
        n = META_BYTES;
    const char *keys[] = { "charset", "encoding" };
    for (size_t i = 0; i + 5 < n; i++) {
        if (s[i] != '<')
            continue;
        int meta = 1, xml = 1;
        const char *m = "<meta", *x = "<?xml";
        for (size_t k = 0; k < 5; k++) {
            if (ascii_lower(s[i + k]) != m[k]) meta = 0;
            if (ascii_lower(s[i + k]) != x[k]) xml = 0;
        }
        if (!meta && !xml)
            continue;
        const char *key = keys[xml ? 1 : 0];
        size_t klen = strlen(key);
        for (size_t j = i + 5; j + klen < n && s[j] != '>'; j++) {
            size_t k = 0;
            while (k < klen && ascii_lower(s[j + k]) == key[k])
                k++;
            if (k < klen)
                continue;
            size_t p = j + klen;
            while (p < n && (s[p] == ' ' || s[p] == '\t'))
                p++;
            if (p >= n || s[p] != '=')
                continue;
            p++;
            while (p < n && (s[p] == ' ' || s[p] == '\t' || s[p] == '"' || s[p] == '\''))
                p++;
            size_t q = 0;
            while (p < n && q + 1 < cap
                   && ((s[p] >= 'a' && s[p] <= 'z') || (s[p] >= 'A' && s[p] <= 'Z')
                       || (s[p] >= '0' && s[p] <= '9') || s[p] == '-' || s[p] == '_'
                       || s[p] == '.' || s[p] == ':'))
                name[q++] = (char)s[p++];
            name[q] = '\0';
            if (q > 0)
                return 1;
        }
    }
    return 0;
}

/* UTF-16/32, UCS-2/4: charsets whose text is full of NUL bytes by nature. */
static int is_wide_charset(const char *name)
{
    static const char *const wide[] = {
        "utf-16", "utf16", "utf-32", "utf32", "ucs-2", "ucs2", "ucs-4", "ucs4", "unicode"
    };
    for (size_t i = 0; i < sizeof wide / sizeof wide[0]; i++)
        if (strncasecmp(name, wide[i], strlen(wide[i])) == 0)
            return 1;
    return 0;
}

/* The decoder for a charset name as pages and users write it.  GB2312 and
 * GBK pages are decoded as GB18030 (a superset: pages that say gb2312
 * routinely use GBK characters).  Stores the iconv name in *cs. */
static enum codec codec_for(const char *name, const char **cs)
{
    static const char *const gb[] = {
        "gb2312", "gbk", "gb18030", "x-gbk", "cp936", "ms936", "windows-936",
        "euc-cn", "euccn", "csgb2312", "gb_2312-80", "chinese", "iso-ir-58"
    };
    static const char *const big5[] = {
        "big5", "big-5", "cn-big5", "x-x-big5", "csbig5", "x-big5", "cp950", "big5-eten"
    };
    *cs = name;
    if (ascii_ieq(name, "utf-8") || ascii_ieq(name, "utf8")) {
        *cs = "UTF-8";
        return C_UTF8;
    }
    if (ascii_ieq(name, "utf-16le") || ascii_ieq(name, "utf16le"))
        return C_UTF16LE;
    if (ascii_ieq(name, "utf-16be") || ascii_ieq(name, "utf16be"))
        return C_UTF16BE;
    for (size_t i = 0; i < sizeof gb / sizeof gb[0]; i++)
        if (ascii_ieq(name, gb[i])) {
            *cs = "GB18030";
            return C_ICONV;
        }
    for (size_t i = 0; i < sizeof big5 / sizeof big5[0]; i++)
        if (ascii_ieq(name, big5[i])) {
            *cs = "BIG5";
            return C_ICONV;
        }
    if (ascii_ieq(name, "big5-hkscs") || ascii_ieq(name, "big5hkscs")) {
        *cs = "BIG5-HKSCS";
        return C_ICONV;
    }
    return C_ICONV;
}

/* Decode s[0..n) with one codec.  base is the offset of s in the input
 * (for bad-byte offsets).  Returns 0, -1 out of memory, -2 unknown charset. */
static int run_codec(enum codec c, const char *cs, const unsigned char *s, size_t n,
                     size_t base, int partial, decoded *d)
{
    int rc;
    switch (c) {
    case C_UTF8:
        rc = utf8_repair(s, n, partial, d);
        break;
    case C_UTF16LE:
    case C_UTF16BE:
        return utf16_decode(s, n, c == C_UTF16BE, base, d);
    case C_ICONV:
    default:
        rc = iconv_decode(cs, s, n, partial, d);
        break;
    }
    if (d->bad)
        d->first_bad += base;
    return rc;
}

/* UTF-16 without a byte-order mark (ASCII-heavy text saved by old tools):
 * half the bytes are zero, all on one side.  Returns C_UTF16LE, C_UTF16BE
 * or C_UTF8 (meaning: not UTF-16). */
static enum codec sniff_utf16(const unsigned char *s, size_t n)
{
    size_t probe = n < NUL_PROBE ? n : NUL_PROBE, z_even = 0, z_odd = 0;
    probe &= ~(size_t)1;
    if (probe < 4)
        return C_UTF8;
    for (size_t i = 0; i < probe; i += 2) {
        z_even += s[i] == 0;
        z_odd += s[i + 1] == 0;
    }
    size_t pairs = probe / 2;
    if (z_odd * 10 > pairs * 3 && z_even * 50 < pairs)
        return C_UTF16LE;
    if (z_even * 10 > pairs * 3 && z_odd * 50 < pairs)
        return C_UTF16BE;
    return C_UTF8;
}

/* 1 when s[0..n) holds a byte >= 0x80. */
static int has_non_ascii(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] & 0x80)
            return 1;
    return 0;
}

/* Pick an encoding for bytes without a BOM that are not valid UTF-8 (or
 * are, but short: then prefer_utf8 gives UTF-8 the ties): sets *c, *cs
 * and name.  Returns 0, -1 out of memory, or 1 when no
 * candidate is plausible text (binary). */
static int detect(const unsigned char *s, size_t n, const char *declared, int prefer_utf8,
                  enum codec *c, const char **cs, const char **name)
{
    size_t m = n < SAMPLE_BYTES ? n : SAMPLE_BYTES;
    int partial = m < n;
    struct cand {
        enum codec  codec;           /* decoder */
        const char *cs;              /* iconv name */
        const char *name;            /* reported name */
        decoded     d;               /* the sample decoded */
        score       sc;              /* its score */
    } cands[3] = {
        { C_ICONV, "GB18030", "GB18030", { BUF_INIT, 0, 0 }, { 0, 0 } },
        { C_ICONV, "BIG5", "BIG5", { BUF_INIT, 0, 0 }, { 0, 0 } },
        { C_UTF8, "UTF-8", "UTF-8", { BUF_INIT, 0, 0 }, { 0, 0 } },
    };
    int rc = 0;
    han_tables *ht = malloc(sizeof *ht);
    if (!ht || han_tables_init(ht) != 0) {
        free(ht);
        return -1;
    }

    for (size_t i = 0; i < 3; i++) {
        int r = run_codec(cands[i].codec, cands[i].cs, s, m, 0, partial, &cands[i].d);
        if (r == -1) {
            rc = -1;
            goto done;
        }
        if (r == -2) {
            cands[i].sc.points = -(long)m * 100;     /* iconv lacks it: never chosen */
            cands[i].d.bad = m;
            continue;
        }
        cands[i].sc = score_text(cands[i].d.text.data, cands[i].d.text.len, ht,
                                  cands[i].codec == C_UTF8 ? 3 : 2);
        cands[i].sc.points -= 10 * (long)cands[i].d.bad;
    }
    size_t best;
    /* Mostly-valid UTF-8 (a few damaged bytes) stays UTF-8 unless a legacy
     * decode is clean. */
    /* A handful of bad bytes in otherwise valid UTF-8 is damage, not a
     * sign of another encoding (GBK text breaks UTF-8 at nearly every
     * character). */
    int utf8_damaged = cands[2].d.bad > 0 && cands[2].d.bad <= 4 && cands[2].d.bad * 16 < m;
    if ((cands[2].d.bad * 100 < m && cands[0].d.bad > 0 && cands[1].d.bad > 0) || utf8_damaged) {
        best = 2;
    } else {
        /* Ties go to GB18030 (the mainland majority), or to valid UTF-8. */
        best = prefer_utf8 ? 2 : 0;
        for (size_t i = 0; i < 3; i++)
            if (cands[i].sc.points > cands[best].sc.points)
                best = i;
    }
    /* A declared charset wins when the sample decodes without a fault and
     * scores near the best: pages that say gb2312 but hold BIG5 (every BIG5
     * pair is a valid GBK pair) or say iso-8859-1 (which decodes anything)
     * lose to what the bytes say. */
    if (declared && !is_wide_charset(declared)) {
        const char *dcs;
        enum codec dc = codec_for(declared, &dcs);
        decoded d = { BUF_INIT, 0, 0 };
        int r = run_codec(dc, dcs, s, m, 0, partial, &d);
        score dsc = { 0, 0 };
        if (r == 0)
            dsc = score_text(d.text.data, d.text.len, ht, dc == C_UTF8 ? 3 : 2);
        buf_free(&d.text);
        if (r == -1) {
            rc = -1;
            goto done;
        }
        long bp = cands[best].sc.points;
        if (r == 0 && d.bad == 0 && dsc.points >= bp - (bp < 0 ? -bp : bp) / 4) {
            *c = dc;
            *cs = dcs;
            *name = dc == C_UTF8 ? "UTF-8" : dcs;
            goto done;
        }
    }
    /* Text has next to no controls or undecodable bytes; binary has many. */
    if ((cands[best].d.bad + cands[best].sc.ctrl) * 20 > m) {
        rc = 1;
        goto done;
    }
    *c = cands[best].codec;
    *cs = cands[best].cs;
    *name = cands[best].name;
done:
    for (size_t i = 0; i < 3; i++)
        buf_free(&cands[i].d.text);
    free(ht);
    return rc;
}

/* 1 when decoded text t[0..n) is not text after all: in its first
 * SAMPLE_BYTES, more than one character in twenty is a control (other than
 * white space and NUL, which is counted as damage elsewhere) or U+FFFD.
 * Catches binaries that a byte-order mark or a NUL pattern made look like
 * UTF-16. */
static int implausible(const char *t, size_t n)
{
    const unsigned char *s = (const unsigned char *)t;
    size_t m = n < SAMPLE_BYTES ? n : SAMPLE_BYTES, chars = 0, odd = 0;
    for (size_t i = 0; i < m; i++) {
        unsigned c = s[i];
        if ((c & 0xC0) == 0x80)
            continue;
        chars++;
        if ((c < 0x20 && c != 0 && c != '\t' && c != '\n' && c != '\r' && c != '\f')
            || c == 0x7F)
            odd++;
        else if (c == 0xEF && i + 2 < m && s[i + 1] == 0xBF && s[i + 2] == 0xBD)
            odd++;
        else if (c == 0xC2 && i + 1 < m && s[i + 1] < 0xA0)
            odd++;                   /* C1 control */
    }
    /* A few damaged characters in a short text are damage, not binary. */
    if (odd <= 4 && chars >= 16)
        return 0;
    return odd * 20 > chars;
}

/* Remove NUL bytes from t[0..*len) in place. */
static void strip_nuls(char *t, size_t *len)
{
    char *z = memchr(t, '\0', *len);
    if (!z)
        return;
    size_t w = (size_t)(z - t);
    for (size_t i = w; i < *len; i++)
        if (t[i] != '\0')
            t[w++] = t[i];
    *len = w;
    t[w] = '\0';
}

/* CRLF and lone CR to LF, in place. */
static void fix_newlines(char *t, size_t *len)
{
    char *r = memchr(t, '\r', *len);
    if (!r)
        return;
    size_t w = (size_t)(r - t);
    for (size_t i = w; i < *len; i++) {
        if (t[i] == '\r') {
            t[w++] = '\n';
            if (i + 1 < *len && t[i + 1] == '\n')
                i++;
        } else {
            t[w++] = t[i];
        }
    }
    *len = w;
    t[w] = '\0';
}

/* The file name that decides the type: the base name, without ".gz". */
static int name_is_html(const char *path, int gz)
{
    size_t len = strlen(path);
    if (gz && ends_with_ci(path, len, ".gz"))
        len -= 3;
    static const char *const exts[] = { ".html", ".htm", ".shtml", ".shtm", ".xhtml" };
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++)
        if (ends_with_ci(path, len, exts[i]))
            return 1;
    return 0;
}

/* 1 when the raw bytes start like markup (possibly after a BOM and blanks). */
static int looks_like_markup(const unsigned char *s, size_t n)
{
    size_t i = 0;
    if (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
        i = 3;
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
        i++;
    return i < n && s[i] == '<';
}

/* The reason given for bytes that decode to nothing like text. */
#define NOT_TEXT "binary file (no plausible text encoding)"

/* What decode_bytes has found out about the bytes so far. */
typedef struct codec_choice {
    enum codec  c;                   /* the decoder */
    const char *cs;                  /* charset name for iconv (C_ICONV) */
    const char *name;                /* the encoding as reported in doc_text.encoding */
    size_t      skip;                /* bytes of byte-order mark before the text */
    int         wide;                /* 1: UTF-16 or another encoding in which NUL bytes are normal */
    int         forced;              /* 1: the user named the encoding (load_opts.encoding) */
    size_t      nuls;                /* NUL bytes in a narrow encoding: damage, counted as bad */
    size_t      first_nul;           /* offset of the first of them */
    char        decl[40];            /* a <meta charset>; name may point here */
} codec_choice;

/* Fill *ch from what needs no scoring: the encoding the user forced, else a
 * byte-order mark, else UTF-8 for now.  Returns PS_OK, or PS_USAGE when the
 * forced encoding is unknown to iconv. */
static int choose_codec(const unsigned char *data, size_t len, const load_opts *opts,
                        codec_choice *ch, ps_err *err)
{
    memset(ch, 0, sizeof *ch);
    ch->c = C_UTF8;
    ch->cs = ch->name = "UTF-8";
    ch->forced = opts && opts->encoding && *opts->encoding;
    if (ch->forced) {
        ch->c = codec_for(opts->encoding, &ch->cs);
        ch->name = opts->encoding;
        if (ch->c == C_ICONV) {
            iconv_t cd = iconv_open("UTF-8", ch->cs);
            if (cd == (iconv_t)-1)
                return ps_err_set(err, PS_USAGE, "unknown encoding %s", opts->encoding);
            iconv_close(cd);
            ch->wide = is_wide_charset(opts->encoding);
        }
        if (ch->c == C_UTF8 && len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
            ch->skip = 3;
        if (ch->c == C_UTF16LE || ch->c == C_UTF16BE) {
            ch->wide = 1;
            if (len >= 2 && ((ch->c == C_UTF16LE && data[0] == 0xFF && data[1] == 0xFE)
                             || (ch->c == C_UTF16BE && data[0] == 0xFE && data[1] == 0xFF)))
                ch->skip = 2;
        }
    } else if (len >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF) {
        ch->skip = 3;
    } else if (len >= 2 && data[0] == 0xFF && data[1] == 0xFE) {
        ch->c = C_UTF16LE;
        ch->name = "UTF-16LE";
        ch->skip = 2;
        ch->wide = 1;
    } else if (len >= 2 && data[0] == 0xFE && data[1] == 0xFF) {
        ch->c = C_UTF16BE;
        ch->name = "UTF-16BE";
        ch->skip = 2;
        ch->wide = 1;
    }
    return PS_OK;
}

/* Look at the NUL bytes of a narrow encoding: UTF-16 without a byte-order
 * mark (then *ch becomes UTF-16), a few stray ones (counted in ch->nuls, to
 * be dropped as damage), or too many for text.  Returns PS_OK, or PS_SKIP
 * for a binary file. */
static int reject_binary(const unsigned char *data, size_t len, codec_choice *ch, ps_err *err)
{
    if (ch->wide)
        return PS_OK;
    const unsigned char *z = memchr(data + ch->skip, 0, len - ch->skip);
    if (!z)
        return PS_OK;
    ch->first_nul = (size_t)(z - data);
    size_t in_probe = 0;
    for (size_t i = ch->first_nul; i < len; i++)
        if (data[i] == 0) {
            ch->nuls++;
            if (i < NUL_PROBE)
                in_probe++;
        }
    enum codec u16 = ch->forced ? C_UTF8 : sniff_utf16(data, len);
    if (u16 != C_UTF8) {
        ch->c = u16;
        ch->name = u16 == C_UTF16LE ? "UTF-16LE" : "UTF-16BE";
        ch->wide = 1;
        ch->nuls = 0;
    } else if (in_probe > NUL_PROBE_MAX
               || (ch->nuls > NUL_PROBE_MAX && ch->nuls > (len - ch->skip) / 100)) {
        return ps_err_set(err, PS_SKIP, "binary file (NUL bytes)");
    }
    return PS_OK;
}

/* 1 when the bytes after the mark are to be taken as they are: valid UTF-8
 * where UTF-8 was chosen, unless a short text without a mark scores better
 * in a legacy encoding (then *ch names that one); 0 when they need a
 * decoder; -1 when out of memory. */
static int is_plain_utf8(const unsigned char *data, size_t len, codec_choice *ch)
{
    size_t n = len - ch->skip;
    if (ch->c != C_UTF8 || utf8_validate((const char *)data + ch->skip, n) != n)
        return 0;
    if (ch->forced || ch->skip != 0 || len > SHORT_TEXT || !has_non_ascii(data, len))
        return 1;
    /* Two or three GBK characters are valid UTF-8 often enough (D2 B3 is
     * both 页 and Cyrillic ҳ): for a short text let the scores decide
     * between a clean UTF-8 decode and the legacy ones. */
    int r = detect(data, len, NULL, 1, &ch->c, &ch->cs, &ch->name);
    if (r < 0)
        return -1;
    if (r > 0 || ch->c == C_UTF8) {
        ch->c = C_UTF8;
        ch->cs = ch->name = "UTF-8";
        return 1;
    }
    return 0;
}

/* The fast path: valid UTF-8 data[skip..len) becomes the text without a
 * copy.  Takes ownership of data (which has a spare byte past len).  Returns
 * PS_OK with *text set, or PS_SKIP when control characters say the file is
 * binary after all (then data is freed). */
static int take_utf8(unsigned char *data, size_t len, size_t skip, doc_text *out,
                     char **text, size_t *tlen, ps_err *err)
{
    if (skip)
        memmove(data, data + skip, len - skip);
    len -= skip;
    data[len] = '\0';
    /* Valid UTF-8 can still be binary without NULs: look at the start. */
    size_t probe = len < NUL_PROBE ? len : NUL_PROBE, ctrl = 0;
    for (size_t i = 0; i < probe; i++) {
        unsigned char ch = data[i];
        ctrl += (ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r' && ch != '\f'
                 && ch != 0 && ch != 0x1B) || ch == 0x7F;
    }
    if (ctrl * 10 > probe) {
        free(data);
        return ps_err_set(err, PS_SKIP, NOT_TEXT);
    }
    snprintf(out->encoding, sizeof out->encoding, "%s", "UTF-8");
    *text = (char *)data;
    *tlen = len;
    return PS_OK;
}

/* Decode data[ch->skip..len) with a decoder, first choosing a legacy
 * encoding by score when nothing was forced and there is no mark (a
 * <meta charset> of an HTML page is heard first).  Returns PS_OK with *text
 * malloc'd and bad bytes counted in *out; PS_SKIP for no plausible text;
 * PS_NOMEM; or PS_INPUT when a declared encoding is unknown to iconv. */
static int decode_legacy(const unsigned char *data, size_t len, int html_name,
                         codec_choice *ch, doc_text *out, char **text, size_t *tlen,
                         ps_err *err)
{
    if (!ch->forced && ch->c == C_UTF8 && ch->skip == 0) {
        int has_decl = (html_name || looks_like_markup(data, len))
                    && declared_charset(data, len, ch->decl, sizeof ch->decl);
        int r = detect(data, len, has_decl ? ch->decl : NULL, 0, &ch->c, &ch->cs, &ch->name);
        if (r < 0)
            return ps_err_nomem(err);
        if (r > 0)
            return ps_err_set(err, PS_SKIP, NOT_TEXT);
    }
    decoded d = { BUF_INIT, 0, 0 };
    int rc = PS_OK;
    int r = run_codec(ch->c, ch->cs, data + ch->skip, len - ch->skip, ch->skip, 0, &d);
    if (r == -1)
        rc = ps_err_nomem(err);
    else if (r == -2)
        rc = ps_err_set(err, ch->forced ? PS_USAGE : PS_INPUT, "unknown encoding %s", ch->name);
    else if (d.text.len == 0 && d.bad == 0)
        rc = ps_err_set(err, PS_SKIP, "empty file");
    else if (!ch->forced && implausible(d.text.data, d.text.len))
        rc = ps_err_set(err, PS_SKIP, NOT_TEXT);
    if (rc != PS_OK) {
        buf_free(&d.text);
        return rc;
    }
    snprintf(out->encoding, sizeof out->encoding, "%s", ch->name);
    *tlen = d.text.len;
    *text = buf_detach(&d.text);
    if (!*text)
        return ps_err_nomem(err);
    if (d.bad) {
        out->bad_bytes = d.bad > UINT32_MAX ? UINT32_MAX : (unsigned)d.bad;
        out->first_bad_offset = d.first_bad;
    }
    return PS_OK;
}

/* Remove web-site furniture lines (boiler.h) from a reader's text, page by
 * page so that the page starts move with the text: documents printed from
 * a web page carry the same 无障碍 | 长者版 lines as the page did. */
static void strip_furniture_paged(doc_text *d)
{
    unsigned n = d->npages ? d->npages : 1;
    size_t w = 0;
    for (unsigned i = 0; i < n; i++) {
        size_t from = d->npages ? d->page_start[i] : 0;
        size_t to = i + 1 < n ? d->page_start[i + 1] : d->len;
        memmove(d->text + w, d->text + from, to - from);
        size_t kept = boiler_strip_inplace(d->text + w, to - from, &d->boiler_lines);
        if (d->npages)
            d->page_start[i] = w;
        w += kept;
    }
    d->len = w;
    d->text[w] = '\0';
    /* The file's own title property can be such a line too (a page saved
     * with its first line as the title): then it is no title. */
    if (d->html_title) {
        unsigned gone = 0;
        size_t tl = strlen(d->html_title);
        char *t = strdup(d->html_title);
        if (t && boiler_strip_inplace(t, tl, &gone) == 0 && gone) {
            free(d->html_title);
            d->html_title = NULL;
        }
        free(t);
    }
}

/* Read a document of format fmt (not text) with its reader into *out.
 * Returns PS_OK, or the reader's error code with err set (PS_SKIP for a
 * file that is not indexable as such). */
static int read_document(enum doc_format fmt, const unsigned char *data, size_t len,
                         const load_opts *opts, doc_text *out, ps_err *err)
{
    reader_opts ro = { 0, 0, NULL, NULL, NULL };
    if (opts)
        ro = (reader_opts){ opts->max_size, opts->ocr, opts->engine, opts->ocr_page, opts->ctx };
    reader_out ro_out = READER_OUT_INIT;
    const reader_table *t = reader_table_get(err);
    int rc = -1;
    if (t && t->read[fmt]) {
        rc = t->read[fmt](data, len, &ro, &ro_out, err);
        if (ro_out.format)           /* a zip says which format it held */
            fmt = (enum doc_format)ro_out.format;
    }
    if (rc != 0) {
        reader_out_free(&ro_out);
        memset(out, 0, sizeof *out);
        return err->code ? err->code : ps_err_set(err, PS_INPUT, "unreadable document");
    }
    uint32_t crc = out->crc;
    uint64_t raw = out->raw_size;
    char sha[sizeof out->sha256];
    memcpy(sha, out->sha256, sizeof sha);
    memset(out, 0, sizeof *out);
    out->crc = crc;
    memcpy(out->sha256, sha, sizeof sha);
    out->raw_size = raw;
    out->format = (uint8_t)fmt;
    snprintf(out->encoding, sizeof out->encoding, "%s", reader_format_name(fmt));
    out->len = ro_out.text.len;
    out->text = buf_detach(&ro_out.text);
    out->page_start = ro_out.page_start;
    out->npages = ro_out.npages;
    out->html_title = ro_out.title;
    out->page_ocr = ro_out.page_ocr;
    out->scan_pages = ro_out.scan_pages;
    ro_out.page_ocr = NULL;
    ro_out.page_start = NULL;
    ro_out.title = NULL;
    reader_out_free(&ro_out);
    if (!out->text) {
        free(out->page_start);
        free(out->page_ocr);
        free(out->html_title);
        memset(out, 0, sizeof *out);
        return ps_err_nomem(err);
    }
    strip_furniture_paged(out);
    if (out->len == 0) {
        doc_text_free(out);
        return ps_err_set(err, PS_SKIP, "no text in the document");
    }
    return PS_OK;
}

/* NUL bytes inside text are damage, not content: drop them from
 * text[0..*tlen) and count them in *out (the first at ch->first_nul). */
static void drop_nuls(char *text, size_t *tlen, const codec_choice *ch, doc_text *out)
{
    size_t before = *tlen;
    strip_nuls(text, tlen);
    size_t gone = before - *tlen;
    if (gone) {
        size_t at = ch->nuls ? ch->first_nul : 0;
        uint64_t total = (uint64_t)out->bad_bytes + gone;
        if (out->bad_bytes == 0 || at < out->first_bad_offset)
            out->first_bad_offset = at;
        out->bad_bytes = total > UINT32_MAX ? UINT32_MAX : (unsigned)total;
    }
}

/* Turn data[0..len) into UTF-8 text: choose a codec, reject binary files,
 * decode.  Takes ownership of data (which has a spare byte past len).
 * Returns PS_OK with *text malloc'd and NUL-terminated, or the code of
 * err: PS_SKIP, PS_USAGE, PS_INPUT, PS_NOMEM. */
static int decode_bytes(unsigned char *data, size_t len, const load_opts *opts,
                        int html_name, doc_text *out, char **text, size_t *tlen,
                        ps_err *err)
{
    codec_choice ch;
    int rc = choose_codec(data, len, opts, &ch, err);
    if (rc == PS_OK && len - ch.skip == 0)
        rc = ps_err_set(err, PS_SKIP, "empty file");
    if (rc == PS_OK)
        rc = reject_binary(data, len, &ch, err);
    if (rc == PS_OK) {
        int plain = is_plain_utf8(data, len, &ch);
        if (plain < 0) {
            rc = ps_err_nomem(err);
        } else if (plain) {
            rc = take_utf8(data, len, ch.skip, out, text, tlen, err);
            data = NULL;
        } else {
            rc = decode_legacy(data, len, html_name, &ch, out, text, tlen, err);
        }
    }
    if (rc == PS_OK)
        drop_nuls(*text, tlen, &ch, out);
    free(data);
    return rc;
}

/* Make text[0..*tlen) the text of the HTML page it holds (the <title> goes
 * to out->html_title).  Takes ownership of *text and replaces it.  Returns
 * PS_OK, or PS_NOMEM with *text freed and NULL. */
static int strip_html(char **text, size_t *tlen, doc_text *out, ps_err *err)
{
    buf b = BUF_INIT;
    int ok = buf_reserve(&b, *tlen / 2 + 16) == 0
          && html_to_text(*text, *tlen, &b, &out->html_title) == 0;
    free(*text);
    *tlen = b.len;
    *text = ok ? buf_detach(&b) : NULL;
    if (!*text) {
        buf_free(&b);
        return ps_err_nomem(err);
    }
    out->is_html = 1;
    return PS_OK;
}

int doc_load(const char *path, const load_opts *opts, doc_text *out, ps_err *err)
{
    uint64_t max = opts ? opts->max_size : 0;
    unsigned char *data = NULL;
    size_t len = 0;
    char *text = NULL;
    size_t tlen = 0;

    memset(out, 0, sizeof *out);
    if (err && err->code != PS_OK)
        return err->code;
    int rc = read_file(path, max, &data, &len, err);
    if (rc != PS_OK)
        return rc;
    out->raw_size = len;
    if (len == 0) {
        free(data);
        return ps_err_set(err, PS_SKIP, "empty file");
    }
    out->crc = (uint32_t)crc32_z(0L, data, len);
    ps_err derr = PS_ERR_INIT;
    if (digest_sha256_hex(data, len, out->sha256, &derr) != 0) {
        free(data);
        memset(out, 0, sizeof *out);
        return ps_err_set(err, derr.code, "%s", derr.msg);
    }

    int gz = ends_with_ci(path, strlen(path), ".gz") || (len >= 2 && data[0] == 0x1f && data[1] == 0x8b);
    if (gz) {
        unsigned char *plain = NULL;
        size_t plen = 0;
        rc = gunzip(data, len, max, &plain, &plen, err);
        free(data);
        if (rc != PS_OK) {
            memset(out, 0, sizeof *out);
            return rc;
        }
        data = plain;
        len = plen;
        out->gzipped = 1;
        if (len == 0) {
            free(data);
            memset(out, 0, sizeof *out);
            return ps_err_set(err, PS_SKIP, "empty file");
        }
    }

    enum doc_format fmt = reader_detect(data, len);
    if (fmt != FMT_TEXT) {
        rc = read_document(fmt, data, len, opts, out, err);
        free(data);
        return rc;
    }

    int html_name = name_is_html(path, gz);
    rc = decode_bytes(data, len, opts, html_name, out, &text, &tlen, err);
    if (rc != PS_OK) {
        memset(out, 0, sizeof *out);
        return rc;
    }
    fix_newlines(text, &tlen);
    if (tlen >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        /* A BOM that came through a legacy or UTF-16 decode. */
        memmove(text, text + 3, tlen - 2);
        tlen -= 3;
    }
    if ((html_name || html_sniff(text, tlen)) && strip_html(&text, &tlen, out, err) != PS_OK) {
        free(out->html_title);
        memset(out, 0, sizeof *out);
        return PS_NOMEM;
    }
    tlen = boiler_strip_inplace(text, tlen, &out->boiler_lines);
    text[tlen] = '\0';
    out->text = text;
    out->len = tlen;
    out->format = out->is_html ? FMT_HTML : FMT_TEXT;
    return PS_OK;
}

int doc_crc(const char *path, uint64_t max_size, uint32_t *crc, ps_err *err)
{
    unsigned char *data = NULL;
    size_t len = 0;
    int rc = read_file(path, max_size, &data, &len, err);
    if (rc == PS_OK)
        *crc = (uint32_t)crc32_z(0L, data, len);
    free(data);
    return rc;
}

void doc_text_free(doc_text *d)
{
    if (!d)
        return;
    free(d->text);
    free(d->html_title);
    free(d->page_start);
    free(d->page_ocr);
    memset(d, 0, sizeof *d);
}
