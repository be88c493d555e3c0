#!/usr/bin/env python3
"""Runs every command shown in the given Markdown files and compares its output
with the transcript printed under it.

In ```console blocks, a line starting with "$ " is a command (run with bash
from the repository's top, stderr merged into stdout); the lines after it, up
to the next "$ " or the block's end, are its expected output. A line "..."
stands for any number of lines. Times, ports and sizes are masked. A command
ending in "# output not compared" is run but its output is not compared; one
ending in "# not run by the docs test" is skipped (it would run this test).

Commands shown inline, in the text's `code` spans, are run too: a program of
this workbook (`./stepN ...`, `./mistake-NAME`, with NAME=value settings
before it) and `make doctor`, `make mistakes`, `make exercises`, `make stepN`.
Their output is not compared (the text describes it), but each must exit 0 in
time: a flag the text shows and the program refuses fails the test. A command
shown in two files runs once; they run three at a time, after the transcripts.

A comment line `<!-- docs test: edit FILE: `OLD` -> `NEW` -->` before a
```console block runs that block in a scratch copy of the repository where
FILE's one OLD is replaced by NEW (\n for a new line): the mistakes the text
asks the reader to make on purpose are made, built and run, and their
messages compared, without touching the real files.

A ```c block is a quotation: its lines must be consecutive lines of the file
named (as a `path.c` or `path.h` span) in the prose just before it, so that a
listing is never an edited copy of the program.

Every relative link, [text](path), and every `span` that names a file of the
workbook (`dir/name.ext`) must name a file or folder inside the repository.

TUTORIAL.md opens with under 60 lines and then "## Step 1", and each step
has an "**Adds:** ..." line under its heading.

TEACHING.md has its sections, objectives for each step, ten stuck places
(each a symptom and a fix), and agendas of 150 and 90 minutes.

An agenda table (a header with the columns "start" and "min") must add up:
each row starts when the one before it ends, and its last row, "total",
gives the sum of the minutes.
"""
import os, re, subprocess, sys

ROOT = os.path.realpath(os.path.join(os.path.dirname(__file__), "..", ".."))

MASKS = [
    (re.compile(r"\b0x[0-9a-f]+\b"), "0x<ADDR>"),             # addresses
    (re.compile(r"127\.0\.0\.1:\d+"), "127.0.0.1:<PORT>"),
    (re.compile(r"\d+\.\d+"), "<N>"),
    (re.compile(r"\b\d+ ms\b"), "<N> ms"),
    (re.compile(r"over \d+ beats"), "over <N> beats"),
    (re.compile(r"\(\d+ bytes\)"), "(<N> bytes)"),
    (re.compile(r"rss_kib \d+"), "rss_kib <N>"),
]


def mask(line):
    for pattern, repl in MASKS:
        line = pattern.sub(repl, line)
    return line.rstrip()


EDIT = re.compile(r"^<!-- docs test: edit (\S+): `(.+)` -> `(.*)` -->$")


def commands(path):
    """(line number, command, expected lines, edits) for each $ line; edits
    are the (file, old, new) of the directives just before its block."""
    out, block, current, pending, edits = [], False, None, [], ()
    for no, line in enumerate(open(path, encoding="utf-8"), 1):
        line = line.rstrip("\n")
        if line.startswith("```"):
            if block and current:
                out.append(current)
            block = line.strip() == "```console"
            if block:
                edits, pending = tuple(pending), []
            current = None
            continue
        if not block:
            m = EDIT.match(line)
            if m:
                pending.append(m.groups())
            continue
        if line.startswith("$ "):
            if current:
                out.append(current)
            current = (no, line[2:], [], edits)
        elif current:
            current[2].append(line)
    return out


def scratch_copy(edits):
    """A copy of the repository (build/ included, times kept, so that make
    rebuilds only what the edits touch) with the edits made: the reader's
    "change this line and run it again", done without touching the real files.
    Returns (directory, error)."""
    import shutil, tempfile
    where = tempfile.mkdtemp(prefix="docs-edit-")
    # the sources, and of build/ only what the steps link against (the
    # library and its objects, so that make sees them up to date)
    tar = subprocess.run(f"tar --exclude=./.git --exclude=./build -cf - . | tar -xf - -C {where} && "
                         f"tar -cf - build/common build/libasync.a | tar -xf - -C {where}", shell=True,
                         cwd=ROOT, stderr=subprocess.PIPE, text=True)
    if tar.returncode:
        shutil.rmtree(where, ignore_errors=True)
        return None, "could not copy the repository: " + tar.stderr
    for name, old, new in edits:
        target = os.path.join(where, name)
        try:
            text = open(target, encoding="utf-8").read()
        except OSError:
            return where, f"the edit names {name}, which does not exist"
        old = old.replace("\\n", "\n")
        if text.count(old) != 1:
            return where, f"{name} holds `{old}` {text.count(old)} times, not once"
        open(target, "w", encoding="utf-8").write(text.replace(old, new.replace("\\n", "\n")))
    return where, None


INLINE = re.compile(r"^(?:\w+=\S+ )*(?:\./(?:step\d|mistake-[a-z-]+)(?: |$)"
                    r"|make (?:doctor|mistakes|exercises|step\d)(?: |$))")


def inline_commands(path):
    """(line number, command) for each inline `command` span outside fences."""
    out, block, seen = [], False, set()
    text = open(path, encoding="utf-8").read().split("\n")
    prose = []
    for no, line in enumerate(text, 1):
        if line.startswith("```"):
            block = not block
            continue
        if not block:
            prose.append((no, line))
    joined = " ".join(line for _, line in prose)
    starts, at = [], 0
    for no, line in prose:
        starts.append((at, no))
        at += len(line) + 1
    for m in re.finditer(r"`([^`]+)`", joined):
        cmd = m.group(1)
        if INLINE.match(cmd) and cmd not in seen:
            seen.add(cmd)
            no = max(n for a, n in starts if a <= m.start())
            out.append((no, cmd))
    return out


def matches(expected, actual):
    """expected may hold "..." lines: any number of actual lines."""
    def go(i, j):
        if i == len(expected):
            return j == len(actual)
        if expected[i] == "...":
            return any(go(i + 1, k) for k in range(j, len(actual) + 1))
        return j < len(actual) and expected[i] == actual[j] and go(i + 1, j + 1)
    return go(0, 0)


def prose_and_blocks(path):
    """(kind, line number, lines): kind is "prose" for one line outside
    fences, or the fence's language for a whole fenced block."""
    out, lang, body, start = [], None, [], 0
    for no, line in enumerate(open(path, encoding="utf-8"), 1):
        line = line.rstrip("\n")
        if line.startswith("```"):
            if lang is None:
                lang, body, start = line[3:].strip() or "text", [], no
            else:
                out.append((lang, start, body))
                lang = None
            continue
        if lang is None:
            out.append(("prose", no, [line]))
        else:
            body.append(line)
    return out


SOURCE_SPAN = re.compile(r"`([\w./-]+\.[ch])`")


def quoted_listings(path):
    """Errors for each ```c block that is not a run of its file's lines."""
    errors, named = [], None
    for kind, no, lines in prose_and_blocks(path):
        if kind == "prose":
            found = SOURCE_SPAN.findall(lines[0])
            if found:
                named = found[-1]
            continue
        if kind != "c":
            named = None
            continue
        if not named:
            errors.append(f"{path}:{no}: a C listing with no `file.c` named before it")
            continue
        try:
            source = open(os.path.join(ROOT, named), encoding="utf-8").read().split("\n")
        except OSError:
            errors.append(f"{path}:{no}: the listing quotes {named}, which does not exist")
            continue
        n = len(lines)
        if not any(source[i:i + n] == lines for i in range(len(source) - n + 1)):
            first = next((l for l in lines if l not in source), lines[0] if lines else "")
            errors.append(f"{path}:{no}: the listing is not {named}'s own lines "
                          f"(first line not in the file: {first!r})")
        named = None
    return errors


LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
FILE_SPAN = re.compile(r"`((?:\.\./|[\w-]+/)[\w./-]*\.(?:md|c|h|S|py|log|sh|mk|txt|json))`")


def broken_links(path):
    """Errors for relative links and file spans that leave the repository
    or name nothing."""
    errors, here = [], os.path.dirname(os.path.realpath(path))
    for kind, no, lines in prose_and_blocks(path):
        if kind != "prose":
            continue
        targets = [t for t in LINK.findall(lines[0])
                   if not re.match(r"^(?:[a-z]+:|#|/)", t)]
        targets += FILE_SPAN.findall(lines[0])
        for t in targets:
            target = os.path.realpath(os.path.join(here, t.split("#")[0]))
            if not (target == ROOT or target.startswith(ROOT + os.sep)):
                errors.append(f"{path}:{no}: {t} is outside the repository")
            elif not os.path.exists(target):
                errors.append(f"{path}:{no}: {t} does not exist")
    return errors


def agenda_errors(path):
    """Errors for each agenda table whose times do not add up."""
    errors, rows, header = [], [], None

    def minutes(clock):
        h, m = clock.split(":")
        return int(h) * 60 + int(m)

    def check(rows):
        at = None
        total = 0
        for no, start, mins, label in rows:
            if label.strip("* ").lower() == "total":
                if mins != total:
                    errors.append(f"{path}:{no}: the total says {mins} min, the rows add up to {total}")
                return
            if at is not None and start != at:
                errors.append(f"{path}:{no}: starts at {start // 60}:{start % 60:02d}, "
                              f"but the row before ends at {at // 60}:{at % 60:02d}")
            at, total = start + mins, total + mins
        errors.append(f"{path}: an agenda table with no total row")

    for kind, no, lines in prose_and_blocks(path) + [("end", 0, [""])]:
        line = lines[0] if kind == "prose" else ""
        cells = [c.strip() for c in line.strip().strip("|").split("|")] if line.startswith("|") else None
        if cells and header is None and "start" in cells and "min" in cells:
            header = (cells.index("start"), cells.index("min"))
            rows = []
        elif cells and header is not None:
            if set(line) <= set("|-: "):
                continue
            s_i, m_i = header
            is_total = any(c.strip("* ").lower() == "total" for c in cells)
            try:
                start = 0 if is_total else minutes(cells[s_i])
                rows.append((no, start, int(cells[m_i]), "total" if is_total else ""))
            except ValueError:
                errors.append(f"{path}:{no}: an agenda row needs h:mm and whole minutes")
        elif header is not None:
            check(rows)
            header = None
    return errors


def tutorial_order(path):
    """TUTORIAL.md opens with one screen (under 60 lines) and then Step 1;
    each step says in one line, "**Adds:** ...", what it adds."""
    if os.path.basename(path) != "TUTORIAL.md":
        return []
    lines = open(path, encoding="utf-8").read().split("\n")
    heads = [(i, l) for i, l in enumerate(lines) if l.startswith("## ")]
    errors = []
    if not heads or not heads[0][1].startswith("## Step 1"):
        errors.append(f"{path}: the first section after the introduction is not Step 1")
    elif heads[0][0] >= 60:
        errors.append(f"{path}: the introduction runs {heads[0][0]} lines (at most 59)")
    for i, l in heads:
        if l.startswith("## Step ") and not any(x.startswith("**Adds:** ") for x in lines[i + 1:i + 4]):
            errors.append(f"{path}:{i + 1}: {l[3:]} does not say in one line what it adds")
    return errors


TEACHING_SECTIONS = ["## Audience and prerequisites", "## Learning objectives",
                     "## Agenda: 150 minutes", "## Agenda: the 90-minute cut",
                     "## What to project", "## Checkpoints", "## Where learners get stuck",
                     "## The night before", "## Pre-flight check"]


def teaching_plan(path):
    """TEACHING.md has its sections; objectives for steps 1 to 5 (a step and
    a text each); ten stuck places (number, symptom, fix); agendas of 150 and
    90 minutes (agenda_errors checks that they add up)."""
    if os.path.basename(path) != "TEACHING.md":
        return []
    text = open(path, encoding="utf-8").read()
    errors = [f"{path}: no section {h!r}" for h in TEACHING_SECTIONS
              if not re.search("^" + re.escape(h), text, re.M)]

    def rows(section):
        body = text.split(section, 1)[-1].split("\n## ", 1)[0]
        return [[c.strip() for c in l.strip().strip("|").split("|")]
                for l in body.split("\n") if re.match(r"^\| \d+ \|", l)]

    objectives = rows("## Learning objectives")
    if [r[0] for r in objectives] != ["1", "2", "3", "4", "5"] or any(len(r) != 2 for r in objectives):
        errors.append(f"{path}: the objectives are not one row (step, text) for each of steps 1 to 5")
    stuck = rows("## Where learners get stuck")
    if [r[0] for r in stuck] != [str(i) for i in range(1, 11)] or any(len(r) != 3 or not all(r) for r in stuck):
        errors.append(f"{path}: the stuck list is not ten rows of number, symptom and fix")
    for section, total in (("## Agenda: 150 minutes", 150), ("## Agenda: the 90-minute cut", 90)):
        body = text.split(section, 1)[-1].split("\n## ", 1)[0]
        if not re.search(r"^\| \*\*total\*\* \| %d \|" % total, body, re.M):
            errors.append(f"{path}: {section[3:]} does not total {total} minutes")
    return errors


def command_env():
    """The reader's environment: not the outer make's jobserver (`make -j2 test`
    would make each `make -s` shown in the docs warn about it)."""
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    env["DOCS_NESTED"] = "1"
    return env


def run_inline(cmd):
    """(exit status 0?, output) of one inline command."""
    try:
        p = subprocess.run(["bash", "-c", cmd], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True, timeout=120, stdin=subprocess.DEVNULL,
                           env=command_env())
        return p.returncode == 0, p.stdout
    except subprocess.TimeoutExpired:
        return False, "(timed out)"


def main(paths):
    passed = failed = skipped = 0
    ran_inline, inline = set(), []
    for path in paths:
        for error in (quoted_listings(path) + broken_links(path) + agenda_errors(path) +
                      tutorial_order(path) + teaching_plan(path)):
            failed += 1
            print(error + "\n")
        passed += 1      # the file's listings, links and agenda
        copies = {}
        for no, cmd, expected, edits in commands(path):
            if cmd.endswith("# not run by the docs test"):
                skipped += 1
                continue
            cwd = ROOT
            if edits:
                if edits not in copies:
                    copies[edits] = scratch_copy(edits)
                cwd, error = copies[edits]
                if error:
                    failed += 1
                    print(f"{path}:{no}: $ {cmd}\n--- {error}\n")
                    continue
            try:
                # DOCS_NESTED: a `make test` shown in the docs must not run this check again
                p = subprocess.run(["bash", "-c", cmd], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   text=True, timeout=900, stdin=subprocess.DEVNULL, cwd=cwd,
                                   env=command_env())
                text = p.stdout
            except subprocess.TimeoutExpired:
                text, p = "(timed out)", None
            if cmd.endswith("# output not compared"):
                if p is None or p.returncode != 0:
                    failed += 1
                    print(f"{path}:{no}: $ {cmd}\n--- failed:\n{text[-2000:]}\n")
                else:
                    passed += 1
                continue
            actual = [mask(l) for l in text.rstrip("\n").split("\n")] if text.strip() else []
            want = [mask(l) for l in expected]
            while want and want[-1] == "":
                want.pop()
            if matches(want, actual):
                passed += 1
            else:
                failed += 1
                print(f"{path}:{no}: $ {cmd}\n--- expected (masked)\n" + "\n".join(want) +
                      "\n--- got (masked)\n" + "\n".join(actual) + "\n")
        import shutil
        for where, _ in copies.values():
            if where:
                shutil.rmtree(where, ignore_errors=True)
        for no, cmd in inline_commands(path):
            if cmd not in ran_inline:
                ran_inline.add(cmd)
                inline.append((path, no, cmd))
    # The inline commands are judged by their exit status alone, so they run
    # three at a time (the transcripts above ran one at a time, in order).
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(max_workers=3) as pool:
        for (path, no, cmd), (ok, text) in zip(inline, pool.map(run_inline, [c for _, _, c in inline])):
            if ok:
                passed += 1
            else:
                failed += 1
                print(f"{path}:{no}: `{cmd}` (shown inline)\n--- failed:\n{text[-2000:]}\n")
    print(f"docs: {passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
