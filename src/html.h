/* html.h — the text of an HTML page.
 *
 * Saved web pages are the commonest form in which policy texts arrive.  This
 * turns one into plain UTF-8 text as a reader sees it: tags, comments,
 * <script>, <style>, <noscript>, <select> and the <head> (except <title>)
 * disappear, character references are decoded, block elements become line
 * breaks ("\n\n" between paragraphs, "\n" for <br>), runs of white space
 * collapse to one space.  The <title> is returned separately.
 *
 * The scanner is a single forward pass (linear in the input, whatever the
 * input) and never fails on malformed markup: unclosed tags, a bare '<' in
 * text, unterminated quotes and huge attributes all come out as something
 * sensible. */
#ifndef POLSEARCH_HTML_H
#define POLSEARCH_HTML_H

#include <stddef.h>

#include "buf.h"

/* Append the text of the HTML page s[0..n) (UTF-8) to *out.  When title is
 * not NULL, *title receives the text of the first <title> element (malloc'd,
 * white space collapsed, entities decoded), or NULL when the page has none
 * or it is blank.  Returns 0, or -1 when out of memory (then *title is NULL
 * and *out may hold part of the text). */
int html_to_text(const char *s, size_t n, buf *out, char **title);


/* 1 when s[0..n) plainly is an HTML document: after white space and a
 * UTF-8 byte-order mark it starts with "<!DOCTYPE html" or "<html"
 * (letter case ignored); else 0. */
int html_sniff(const char *s, size_t n);

#endif
