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

/* -1 for a line that cannot be a URL (NUL byte, control characters, too long). */
long parse_url_list(const char *text, size_t len, char ***urls)
{
    long n = 0, cap = 0;
    *urls = NULL;
    for (size_t at = 0; at < len;) {
        const char *line = text + at;
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

long read_url_list(const char *path, char ***urls)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "step3: %s: %s\n", path, strerror(errno));
        return -1;
    }
    size_t cap = 65536, len = 0;
    char *text = malloc(cap);
    size_t got;
    while (text && (got = fread(text + len, 1, cap - len, f)) > 0) {
        len += got;
        if (len == cap && cap < 256u * 1024 * 1024) {
            char *grown = realloc(text, cap *= 2);
            if (!grown) { free(text); text = NULL; }
            else text = grown;
        } else if (len == cap) {
            break;
        }
    }
    int failed = ferror(f) || !text;
    int err = errno;
    fclose(f);
    if (failed) {
        fprintf(stderr, "step3: %s: %s\n", path, text ? strerror(err) : "out of memory");
        free(text);
        return -1;
    }
    long n = parse_url_list(text, len, urls);
    free(text);
    if (n < 0)
        fprintf(stderr, "step3: %s: not a list of URLs (one per line, text only)\n", path);
    else if (n == 0)
        fprintf(stderr, "step3: %s: no URLs in it\n", path);
    return n > 0 ? n : -1;
}
