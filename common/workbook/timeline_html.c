/* timeline_html.c: --timeline=FILE.html, the timeline as a page to project.
 *
 * One file that needs nothing else: the style, the data (JSON) and the
 * script that draws it are inline; fonts are the system's. Nothing in it
 * names another address: strings in the data have '/', ':' and '<' escaped,
 * so that not even a label such as a URL reads as a link. The script adds one
 * element per row (class tl-row), per span (tl-span) and per end mark
 * (tl-end), which tests/test_timeline.c counts in a headless browser.
 *
 * The colours are Okabe and Ito's palette, told apart with any colour
 * vision: blue running, orange waiting on I/O or a timer, grey hatching
 * waiting on other tasks; each end mark also carries its ASCII symbol. */
#include "wb_timeline_html.h"

#include <stdlib.h>
#include <string.h>

static const char *const mark_class[ASYNC_MARK_COUNT] = {
    [ASYNC_MARK_RUNNING] = "tl-running",
    [ASYNC_MARK_WAITING_IO] = "tl-io",
    [ASYNC_MARK_WAITING_TASKS] = "tl-tasks",
    [ASYNC_MARK_FINISHED] = "tl-finished",
    [ASYNC_MARK_CANCELLED] = "tl-cancelled",
    [ASYNC_MARK_FAILED] = "tl-failed",
};

/* A JSON string that is also inert in HTML: no "</script>", no "//", no
 * "http:" can appear in the page through it. */
static void json_string(FILE *f, const char *s)
{
    async__json_string(f, s, "<>&/:");
}

static double us(const async_trace_record *tl, uint64_t ns)
{
    return (double)(ns - tl->t0) / 1e3;
}

static void write_marks(FILE *f)
{
    fprintf(f, "\"marks\":[");
    for (int m = 0; m < ASYNC_MARK_COUNT; m++) {
        char sym[2] = { async__trace_marks[m].symbol, 0 };
        fprintf(f, "%s[", m ? "," : "");
        json_string(f, sym);
        fputc(',', f);
        json_string(f, async__trace_marks[m].words);
        fputc(',', f);
        json_string(f, mark_class[m]);
        fputc(']', f);
    }
    fprintf(f, "]");
}

/* rows: [title, name, id, label, created at, end mark or -1, end words, end time or -1] */
static void write_rows(FILE *f, const async_trace_record *tl, const double *end_us)
{
    fprintf(f, ",\n\"rows\":[");
    int first = 1;
    for (size_t i = 0; i < tl->nrows; i++) {
        const async_trace_row *r = &tl->rows[i];
        if (!r->id)
            continue;
        char title[64], site[160], end[64];
        async__trace_title(r, title, sizeof title);
        if (r->file)
            snprintf(site, sizeof site, "%s:%d", r->file, r->line);
        else
            snprintf(site, sizeof site, "async_run");
        async__trace_end_text(r, end, sizeof end);
        fprintf(f, "%s\n[", first ? "" : ",");
        json_string(f, title);
        fputc(',', f);
        json_string(f, r->name);
        fprintf(f, ",%llu,", (unsigned long long)r->id);
        json_string(f, r->label);
        fputc(',', f);
        json_string(f, site);
        fprintf(f, ",%d,", async__trace_end_mark(r));
        json_string(f, end);
        fprintf(f, ",%.1f]", end_us[i]);
        first = 0;
    }
    fprintf(f, "]");
}

/* What the waits were on, by number: [null, "HTTP GET ... at step3.c:31", ...] */
static void write_waits(FILE *f)
{
    fprintf(f, ",\n\"waits\":[null");
    uint32_t n = async__trace_what_count();
    for (uint32_t k = 1; k <= n; k++) {
        fputs(",\n", f);
        json_string(f, async__trace_what_text(k));
    }
    fprintf(f, "]");
}

/* One pass in time order: a span ends where its row's state changes.
 * spans: flat [row, start, end, mark, what it waited on (0: not said), ...];
 * cancels: flat [row, time, ...].
 * Rows are numbered as written (those without a task skipped). */
static int write_spans(FILE *f, const async_trace_record *tl, const size_t *shown)
{
    struct since { uint64_t ns; int mark; unsigned what; } *st =
        malloc((tl->nrows ? tl->nrows : 1) * sizeof *st);
    if (!st)
        return -1;
    for (size_t i = 0; i < tl->nrows; i++)
        st[i] = (struct since){ 0, -1, 0 };
    fprintf(f, ",\n\"spans\":[");
    int first = 1;
    for (size_t k = 0; k < tl->nevents; k++) {
        const async_trace_item *e = &tl->events[k];
        struct since *s = &st[e->task];
        int mark = async__trace_state_after(e);
        if (mark == -2)
            continue;
        if (s->mark >= 0 && e->ns > s->ns) {
            fprintf(f, "%s%zu,%.1f,%.1f,%d,%u", first ? "" : ",\n", shown[e->task],
                    us(tl, s->ns), us(tl, e->ns), s->mark, s->what);
            first = 0;
        }
        *s = (struct since){ e->ns, mark, e->what };
    }
    for (size_t i = 0; i < tl->nrows; i++)            /* unfinished: to the record's end */
        if (st[i].mark >= 0 && tl->t1 > st[i].ns) {
            fprintf(f, "%s%zu,%.1f,%.1f,%d,%u", first ? "" : ",\n", shown[i], us(tl, st[i].ns),
                    us(tl, tl->t1), st[i].mark, st[i].what);
            first = 0;
        }
    free(st);
    fprintf(f, "],\n\"cancels\":[");
    first = 1;
    for (size_t k = 0; k < tl->nevents; k++)
        if (tl->events[k].kind == ASYNC_TRACE_CANCEL) {
            fprintf(f, "%s%zu,%.1f", first ? "" : ",", shown[tl->events[k].task],
                    us(tl, tl->events[k].ns));
            first = 0;
        }
    fprintf(f, "]");
    return 0;
}

static const char style[] =
    "<style>\n"
    ":root{--running:#0072B2;--io:#E69F00;--finished:#009E73;--cancelled:#CC79A7;"
    "--failed:#D55E00;--title:24ch}\n"
    "body{font:22px/1.4 system-ui,-apple-system,\"Segoe UI\",Roboto,\"Helvetica Neue\","
    "Arial,sans-serif;color:#000;background:#fff;margin:24px 32px}\n"
    "h1{font-size:32px;margin:0 0 4px}\n"
    ".tl-sub{margin:0 0 12px}\n"
    ".tl-legend{display:flex;flex-wrap:wrap;gap:8px 32px;margin:0 0 20px}\n"
    ".tl-key{display:inline-flex;align-items:center;gap:10px}\n"
    ".tl-swatch{display:inline-block;width:40px;height:26px;border:2px solid #000;"
    "text-align:center;font-weight:bold;line-height:26px;box-sizing:border-box}\n"
    ".tl-row,.tl-axis{display:flex;align-items:stretch;padding-right:32px}\n"
    ".tl-axis{position:sticky;bottom:0;background:#fff}\n"
    ".tl-label{flex:0 0 var(--title);padding-right:16px;white-space:nowrap;overflow:hidden;"
    "text-overflow:ellipsis;font-family:ui-monospace,\"DejaVu Sans Mono\",Menlo,Consolas,"
    "monospace;font-size:20px;line-height:32px}\n"
    ".tl-track,.tl-ticks{position:relative;flex:1 1 auto;height:32px;"
    "border-bottom:1px solid #bbb;background-image:repeating-linear-gradient(to right,"
    "#ccc 0 1px,transparent 1px var(--tick,100%))}\n"
    ".tl-ticks{height:36px;border:0;border-top:2px solid #000;background:none}\n"
    ".tl-tick{position:absolute;top:0;height:8px;border-left:2px solid #000}\n"
    ".tl-tick span{position:absolute;top:8px;transform:translateX(-50%);white-space:nowrap;"
    "font-size:20px}\n"
    ".tl-span{position:absolute;top:5px;bottom:5px;min-width:2px}\n"
    ".tl-running{background:var(--running)}\n"
    ".tl-io{background:var(--io)}\n"
    ".tl-tasks{background:repeating-linear-gradient(45deg,#999 0 3px,#fff 3px 7px)}\n"
    ".tl-end{position:absolute;top:2px;bottom:2px;width:24px;margin-left:-12px;"
    "border:2px solid #000;box-sizing:border-box;text-align:center;font-weight:bold;"
    "font-size:18px;line-height:24px;color:#000}\n"
    ".tl-end.tl-finished,.tl-swatch.tl-finished{background:var(--finished)}\n"
    ".tl-end.tl-cancelled,.tl-swatch.tl-cancelled{background:var(--cancelled)}\n"
    ".tl-end.tl-failed,.tl-swatch.tl-failed{background:var(--failed)}\n"
    ".tl-cancel{position:absolute;top:0;bottom:0;width:0;border-left:3px dashed #000}\n"
    ".tl-span:hover,.tl-end:hover{outline:3px solid #000}\n"
    "</style>\n";

/* No "//" anywhere below (the file's own check for addresses looks for it). */
static const char script[] =
    "<script>\n"
    "(function () {\n"
    "  'use strict';\n"
    "  var d = JSON.parse(document.getElementById('tl-data').textContent);\n"
    "  var span = d.span > 0 ? d.span : 1;\n"
    "  function el(tag, cls, text) {\n"
    "    var e = document.createElement(tag);\n"
    "    if (cls) e.className = cls;\n"
    "    if (text !== undefined) e.textContent = text;\n"
    "    return e;\n"
    "  }\n"
    "  function pct(t) { return (100 * t / span) + '%'; }\n"
    "  var unit = span >= 1e6 ? [1e6, ' s'] : span >= 1e3 ? [1e3, ' ms'] : [1, ' \\u00b5s'];\n"
    "  var step = Math.pow(10, Math.floor(Math.log10(span / 8)));\n"
    "  var r = span / 8 / step;\n"
    "  step *= r <= 1 ? 1 : r <= 2 ? 2 : r <= 5 ? 5 : 10;  /* at most 8 ticks */\n"
    "  var digits = Math.max(0, -Math.floor(Math.log10(step / unit[0]) + 1e-9));\n"
    "  function time(t) { return (t / unit[0]).toFixed(digits) + unit[1]; }\n"
    "  function exact(t) { return (t / unit[0]).toFixed(digits + 2) + unit[1]; }\n"
    "  document.documentElement.style.setProperty('--tick', pct(step));\n"
    "  var longest = 8;\n"
    "  d.rows.forEach(function (row) { longest = Math.max(longest, row[0].length); });\n"
    "  document.documentElement.style.setProperty('--title', Math.min(longest + 1, 32) + 'ch');\n"
    "  document.getElementById('tl-sub').textContent = d.rows.length + ' tasks over ' +\n"
    "    exact(span) + (d.full ? ' (the record filled up and stops there)' : '') +\n"
    "    '. Point at a bar for the task, its state, what it waited on and where.';\n"
    "  var legend = document.getElementById('tl-legend');\n"
    "  d.marks.forEach(function (m) {\n"
    "    var key = el('span', 'tl-key');\n"
    "    key.appendChild(el('span', 'tl-swatch ' + m[2], m[0]));\n"
    "    key.appendChild(el('span', '', m[1]));\n"
    "    legend.appendChild(key);\n"
    "  });\n"
    "  var chart = document.getElementById('tl-chart'), tracks = [];\n"
    "  function who(row) {\n"
    "    return row[0] + (row[3] ? ' (' + row[1] + ' #' + row[2] + ')' : '') +\n"
    "      '\\ncreated at ' + row[4];\n"
    "  }\n"
    "  d.rows.forEach(function (row) {\n"
    "    var line = el('div', 'tl-row'), label = el('div', 'tl-label', row[0]);\n"
    "    label.title = who(row) + '\\nended: ' + row[6];\n"
    "    var track = el('div', 'tl-track');\n"
    "    line.appendChild(label);\n"
    "    line.appendChild(track);\n"
    "    chart.appendChild(line);\n"
    "    tracks.push(track);\n"
    "  });\n"
    "  for (var i = 0; i + 4 < d.spans.length; i += 5) {\n"
    "    var row = d.rows[d.spans[i]], a = d.spans[i + 1], b = d.spans[i + 2];\n"
    "    var m = d.marks[d.spans[i + 3]];\n"
    "    var s = el('div', 'tl-span ' + m[2]);\n"
    "    s.style.left = pct(a);\n"
    "    s.style.width = pct(b - a);\n"
    "    var on = d.waits[d.spans[i + 4]];\n"
    "    s.title = who(row) + '\\n' + m[0] + ' ' + m[1] + (on ? ': ' + on : '') + '\\nfrom ' +\n"
    "      exact(a) + ' to ' + exact(b) + ' (' + exact(b - a) + ')';\n"
    "    tracks[d.spans[i]].appendChild(s);\n"
    "  }\n"
    "  for (i = 0; i + 1 < d.cancels.length; i += 2) {\n"
    "    var c = el('div', 'tl-cancel');\n"
    "    c.style.left = pct(d.cancels[i + 1]);\n"
    "    c.title = who(d.rows[d.cancels[i]]) + '\\ncancel requested at ' + exact(d.cancels[i + 1]);\n"
    "    tracks[d.cancels[i]].appendChild(c);\n"
    "  }\n"
    "  d.rows.forEach(function (row, n) {\n"
    "    if (row[5] < 0 || row[7] < 0) return;\n"
    "    var m = d.marks[row[5]], e = el('div', 'tl-end ' + m[2], m[0]);\n"
    "    e.style.left = pct(row[7]);\n"
    "    e.title = who(row) + '\\n' + m[0] + ' ' + row[6] + ' at ' + exact(row[7]);\n"
    "    tracks[n].appendChild(e);\n"
    "  });\n"
    "  var axis = el('div', 'tl-axis'), ticks = el('div', 'tl-ticks');\n"
    "  axis.appendChild(el('div', 'tl-label', ''));\n"
    "  axis.appendChild(ticks);\n"
    "  for (var t = 0; t <= span * 1.0001; t += step) {\n"
    "    var tick = el('div', 'tl-tick');\n"
    "    tick.style.left = pct(t);\n"
    "    tick.appendChild(el('span', '', time(t)));\n"
    "    ticks.appendChild(tick);\n"
    "  }\n"
    "  chart.appendChild(axis);\n"
    "})();\n"
    "</script>\n";

void wb_timeline_html_write(FILE *f, const async_trace_record *tl, const char *prog)
{
    size_t n = tl->nrows ? tl->nrows : 1;
    size_t *shown = malloc(n * sizeof *shown);
    double *end_us = malloc(n * sizeof *end_us);
    if (!shown || !end_us) {
        free(shown);
        free(end_us);
        fprintf(f, "<!DOCTYPE html><p>out of memory for the timeline</p>\n");
        return;
    }
    size_t rows = 0;
    for (size_t i = 0; i < tl->nrows; i++)
        shown[i] = tl->rows[i].id ? rows++ : 0;
    char title[96];
    snprintf(title, sizeof title, "%s --timeline", prog ? prog : "async");
    fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
               "<meta name=\"viewport\" content=\"width=device-width\">\n<title>%s</title>\n%s"
               "</head>\n<body>\n<h1>%s</h1>\n<p class=\"tl-sub\" id=\"tl-sub\"></p>\n"
               "<div class=\"tl-legend\" id=\"tl-legend\"></div>\n"
               "<div class=\"tl-chart\" id=\"tl-chart\"></div>\n"
               "<noscript>This page draws its chart with its own inline script: allow "
               "JavaScript for this file.</noscript>\n"
               "<script id=\"tl-data\" type=\"application/json\">\n{",
            title, style, title);
    write_marks(f);
    fprintf(f, ",\n\"span\":%.1f,\n\"full\":%d", us(tl, tl->t1), tl->full);
    for (size_t i = 0; i < tl->nrows; i++)
        end_us[i] = -1;
    for (size_t k = 0; k < tl->nevents; k++)
        if (tl->events[k].kind == ASYNC_TRACE_DONE)
            end_us[tl->events[k].task] = us(tl, tl->events[k].ns);
    write_rows(f, tl, end_us);
    write_waits(f);
    if (write_spans(f, tl, shown) != 0)
        fprintf(f, ",\n\"spans\":[],\"cancels\":[]");
    fprintf(f, "\n}\n</script>\n%s</body>\n</html>\n", script);
    free(shown);
    free(end_us);
}
