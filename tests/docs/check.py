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
time: a flag the text shows and the program refuses fails the test.
"""
import os, re, subprocess, sys

MASKS = [
    (re.compile(r"127\.0\.0\.1:\d+"), "127.0.0.1:<PORT>"),
    (re.compile(r"\d+\.\d+"), "<N>"),
    (re.compile(r"\b\d+ ms\b"), "<N> ms"),
    (re.compile(r"over \d+ beats"), "over <N> beats"),
    (re.compile(r"\(\d+ bytes\)"), "(<N> bytes)"),
]


def mask(line):
    for pattern, repl in MASKS:
        line = pattern.sub(repl, line)
    return line.rstrip()


def commands(path):
    """(line number, command, expected lines) for each $ line."""
    out, block, current = [], False, None
    for no, line in enumerate(open(path, encoding="utf-8"), 1):
        line = line.rstrip("\n")
        if line.startswith("```"):
            if block and current:
                out.append(current)
            block = line.strip() == "```console"
            current = None
            continue
        if not block:
            continue
        if line.startswith("$ "):
            if current:
                out.append(current)
            current = (no, line[2:], [])
        elif current:
            current[2].append(line)
    return out


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


def main(paths):
    passed = failed = skipped = 0
    for path in paths:
        for no, cmd, expected in commands(path):
            if cmd.endswith("# not run by the docs test"):
                skipped += 1
                continue
            try:
                # DOCS_NESTED: a `make test` shown in the docs must not run this check again
                p = subprocess.run(["bash", "-c", cmd], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   text=True, timeout=900, stdin=subprocess.DEVNULL,
                                   env=dict(os.environ, DOCS_NESTED="1"))
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
        for no, cmd in inline_commands(path):
            try:
                p = subprocess.run(["bash", "-c", cmd], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   text=True, timeout=120, stdin=subprocess.DEVNULL,
                                   env=dict(os.environ, DOCS_NESTED="1"))
                ok, text = p.returncode == 0, p.stdout
            except subprocess.TimeoutExpired:
                ok, text = False, "(timed out)"
            if ok:
                passed += 1
            else:
                failed += 1
                print(f"{path}:{no}: `{cmd}` (shown inline)\n--- failed:\n{text[-2000:]}\n")
    print(f"docs: {passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
