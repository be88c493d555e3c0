/* url_list.c: reading -i FILE, kept apart so that it can be fuzzed. */
#include "crawl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_URLS = 1000000, MAX_URL = 8192 };

static int add_url(char ***urls, long *n, long *cap, const char *s, size_t len)
{
    if (*n == *cap) {
        long cap2 = *cap ? *cap * 2 : 64;
        char **grown = realloc(*urls, (size_t)cap2 * sizeof *grown);
        if (!grown)
            return -1;
        *urls = grown;
        *cap = cap2;
    }
    char *copy = malloc(len + 1);
    if (!copy)
        return -1;
    memcpy(copy, s, len);
    copy[len] = 0;
    (*urls)[(*n)++] = copy;
    return 0;
}

static void free_urls(char **urls, long n)
{
    for (long i = 0; i < n; i++)
        free(urls[i]);
    free(urls);
}

/* -1 for a line that cannot be a URL (NUL byte, control characters, too
 * long), or one URL too many; *bad_line says which line (1-based). */
static long parse_lines(const char *text, size_t len, char ***urls, long *bad_line)
{
    long n = 0, cap = 0, lineno = 0;
    *urls = NULL;
    for (size_t at = 0; at < len;) {
        const char *line = text + at;
        *bad_line = ++lineno;
        const char *nl = memchr(line, '\n', len - at);
        size_t l = nl ? (size_t)(nl - line) : len - at;
        at += l + 1;
        while (l && (line[0] == ' ' || line[0] == '\t')) { line++; l--; }
        while (l && (line[l - 1] == ' ' || line[l - 1] == '\t' || line[l - 1] == '\r')) l--;
        if (l == 0 || line[0] == '#')
            continue;
        int bad = l > MAX_URL || n >= MAX_URLS;
        for (size_t i = 0; i < l && !bad; i++)
            bad = (unsigned char)line[i] < 0x20 || line[i] == 0x7f;
        if (bad || add_url(urls, &n, &cap, line, l) != 0) {
            free_urls(*urls, n);
            *urls = NULL;
            return -1;
        }
    }
    return n;
}

long parse_url_list(const char *text, size_t len, char ***urls)
{
    long bad_line;
    return parse_lines(text, len, urls, &bad_line);
}

enum { MAX_LIST_BYTES = 256 * 1024 * 1024 };

/* The whole file, or NULL with *why set (errno's words, or ours). */
static char *read_all(FILE *f, size_t *len, const char **why)
{
    size_t cap = 65536, got;
    char *text = malloc(cap);
    *len = 0;
    while (text && (got = fread(text + *len, 1, cap - *len, f)) > 0) {
        *len += got;
        if (*len < cap)
            continue;
        if (cap >= MAX_LIST_BYTES) {     /* a list, not a disk image: refuse, never cut */
            *why = "larger than 256 MiB";
            free(text);
            return NULL;
        }
        char *grown = realloc(text, cap *= 2);
        if (!grown)
            free(text);
        text = grown;
    }
    if (!text)
        *why = "out of memory";
    else if (ferror(f)) {
        *why = uv_strerror(uv_translate_sys_error(errno));
        free(text);
        text = NULL;
    }
    return text;
}

long read_url_list(const char *path, char ***urls)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "step3: %s: %s\n", path, uv_strerror(uv_translate_sys_error(errno)));
        return -1;
    }
    size_t len;
    const char *why = "";
    char *text = read_all(f, &len, &why);
    fclose(f);
    if (!text) {
        fprintf(stderr, "step3: %s: %s\n", path, why);
        return -1;
    }
    long bad_line = 0;
    long n = parse_lines(text, len, urls, &bad_line);
    free(text);
    if (n < 0)
        fprintf(stderr, "step3: %s: line %ld: not a URL (one per line: text, at most %d bytes; "
                "at most %d URLs)\n", path, bad_line, MAX_URL, MAX_URLS);
    else if (n == 0)
        fprintf(stderr, "step3: %s: no URLs in it\n", path);
    return n > 0 ? n : -1;
}
