/* seal.c — circular seals among a page's glyphs (seal.h). */
#include "seal.h"

#include <math.h>
#include <stdlib.h>

/* Rounds of fit and re-gathering from one seed. */
#define SEAL_ROUNDS 4

/* A circle. */
typedef struct circle {
    double cx, cy;                   /* centre */
    double r;                        /* radius; 0 when there is none */
} circle;

/* The circle through a, b, c, or one of radius 0 when they are (nearly) on
 * a line. */
static circle circumcircle(const seal_glyph *a, const seal_glyph *b, const seal_glyph *c)
{
    circle o = { 0, 0, 0 };
    double bx = b->x - a->x, by = b->y - a->y, cx = c->x - a->x, cy = c->y - a->y;
    double d = 2 * (bx * cy - by * cx);
    double scale = (bx * bx + by * by) + (cx * cx + cy * cy);
    if (scale <= 0 || fabs(d) < 1e-9 * scale)
        return o;
    double b2 = bx * bx + by * by, c2 = cx * cx + cy * cy;
    double ux = (cy * b2 - by * c2) / d, uy = (bx * c2 - cx * b2) / d;
    o.cx = a->x + ux;
    o.cy = a->y + uy;
    o.r = sqrt(ux * ux + uy * uy);
    return o;
}

/* The least-squares circle (Kasa's algebraic fit) through the m glyphs
 * g[idx[..]], or one of radius 0 when it is degenerate. */
static circle fit(const seal_glyph *g, const size_t *idx, size_t m)
{
    circle o = { 0, 0, 0 };
    double mx = 0, my = 0;
    for (size_t k = 0; k < m; k++)
        mx += g[idx[k]].x, my += g[idx[k]].y;
    mx /= (double)m, my /= (double)m;
    /* centred: solve [suu suv; suv svv] [uc vc] = [(suuu+suvv)/2; (svvv+svuu)/2] */
    double suu = 0, suv = 0, svv = 0, suuu = 0, svvv = 0, suvv = 0, svuu = 0;
    for (size_t k = 0; k < m; k++) {
        double u = g[idx[k]].x - mx, v = g[idx[k]].y - my;
        suu += u * u, suv += u * v, svv += v * v;
        suuu += u * u * u, svvv += v * v * v, suvv += u * v * v, svuu += v * u * u;
    }
    double det = suu * svv - suv * suv;
    if (!(fabs(det) > 1e-12 * (suu + svv) * (suu + svv)))
        return o;
    double r1 = (suuu + suvv) / 2, r2 = (svvv + svuu) / 2;
    double uc = (r1 * svv - r2 * suv) / det, vc = (r2 * suu - r1 * suv) / det;
    o.cx = mx + uc;
    o.cy = my + vc;
    o.r = sqrt(uc * uc + vc * vc + (suu + svv) / (double)m);
    return o;
}

/* Into idx the glyphs on circle o within tol glyph sizes whose size is
 * like size, but those set in a line (level[i]); returns how many. */
static size_t gather(const seal_glyph *g, size_t n, const unsigned char *level, circle o, double size,
                     double tol, size_t *idx)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        double d = hypot(g[i].x - o.cx, g[i].y - o.cy);
        if (!level[i] && g[i].size >= 0.6 * size && g[i].size <= 1.6 * size && fabs(d - o.r) <= tol * g[i].size)
            idx[m++] = i;
    }
    return m;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Whether the m glyphs g[idx[..]] on circle o make a seal's arc (seal.h):
 * size is the seed's glyph size; ang is scratch for m angles. */
static int is_arc(const seal_glyph *g, const size_t *idx, size_t m, circle o, double size, double *ang)
{
    if (m < SEAL_MIN_GLYPHS || o.r < 1.8 * size || o.r > 15 * size)
        return 0;
    double ss = 0;
    for (size_t k = 0; k < m; k++) {
        double d = hypot(g[idx[k]].x - o.cx, g[idx[k]].y - o.cy) - o.r;
        ss += d * d;
        ang[k] = atan2(g[idx[k]].y - o.cy, g[idx[k]].x - o.cx) * (180 / M_PI);
    }
    if (sqrt(ss / (double)m) > 0.2 * size)
        return 0;
    qsort(ang, m, sizeof *ang, cmp_double);
    double widest = ang[0] + 360 - ang[m - 1], second = 0;
    for (size_t k = 1; k < m; k++) {
        double gap = ang[k] - ang[k - 1];
        if (gap > widest)
            second = widest, widest = gap;
        else if (gap > second)
            second = gap;
    }
    /* the open part of the ring is the widest gap; the arc is the rest */
    return 360 - widest >= 120 && second <= 75;
}

long seal_mark(const seal_glyph *g, size_t n, unsigned char *seal, ps_err *err)
{
    if (err->code)
        return -1;
    if (n < SEAL_MIN_GLYPHS || n > SEAL_MAX_GLYPHS)
        return 0;
    size_t *idx = malloc(n * sizeof *idx);
    double *ang = malloc(n * sizeof *ang);
    unsigned char *done = calloc(n, 1), *level = calloc(n, 1);
    if (!idx || !ang || !done || !level) {
        free(idx), free(ang), free(done), free(level);
        return ps_err_nomem(err), -1;
    }
    /* a glyph with a neighbour on its baseline at most 1.2 sizes away is
     * set in a line (a seal's glyphs stand further apart, each turned) */
    for (size_t i = 0; i < n; i++)
        for (size_t t = i + 1; t < n; t++)
            if (fabs(g[t].y - g[i].y) < 0.05 * g[i].size && fabs(g[t].x - g[i].x) <= 1.2 * g[i].size)
                level[i] = level[t] = 1;
    long marked = 0;
    for (size_t i = 0; i < n; i++) {
        if (done[i] || level[i])
            continue;
        /* the seed: i and its two nearest glyphs of like size, within 3 sizes */
        size_t j = n, k = n;
        double dj = 0, dk = 0, s = g[i].size;
        for (size_t t = 0; t < n; t++) {
            double d = hypot(g[t].x - g[i].x, g[t].y - g[i].y);
            if (t == i || level[t] || d > 3 * s || g[t].size < 0.6 * s || g[t].size > 1.6 * s)
                continue;
            if (j == n || d < dj)
                k = j, dk = dj, j = t, dj = d;
            else if (k == n || d < dk)
                k = t, dk = d;
        }
        if (k == n)
            continue;
        circle o = circumcircle(&g[i], &g[j], &g[k]);
        size_t m = 0;
        for (int round = 0; round < SEAL_ROUNDS && o.r > 0 && o.r <= 15 * s; round++) {
            m = gather(g, n, level, o, s, round == 0 ? 0.6 : 0.3, idx);
            if (m < 3)
                break;
            o = fit(g, idx, m);
        }
        if (o.r <= 0 || (m = gather(g, n, level, o, s, 0.3, idx)) == 0 || !is_arc(g, idx, m, o, s, ang))
            continue;
        for (size_t t = 0; t < m; t++) {
            marked += !seal[idx[t]];
            seal[idx[t]] = 1;
            done[idx[t]] = 1;
        }
    }
    free(idx);
    free(ang);
    free(done);
    free(level);
    return marked;
}
