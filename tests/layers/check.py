#!/usr/bin/env python3
"""The layers of common/, checked (README's "Architecture").

1. Dependencies point down: a file includes only headers of its own layer or
   of a lower one (workbook -> io -> core -> stacks is the order of reading;
   stacks sits below core: the core reaches it only through core/stack.h).
2. Every name a header declares carries its layer's prefix (async_ / ASYNC_ in
   core and io, wb_ / WB_ in the workbook's helpers), so that a program's own
   names never collide with the library's.
3. A program using only the core compiles with async.h alone, under strict
   -std=c11 with no feature macros, and async.h includes no other layer.
Prints one line per failure and a summary; exit status 1 on any failure.
"""
import os, re, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LAYERS = ["stacks", "core", "io", "workbook"]      # lowest first
# core and stacks are one unit seen from above: the core may include stacks.h? no:
# the core includes only core/ headers; stacks/ includes core's platform.h and stack.h.
ALLOWED = {
    "core": {"core"},
    "stacks": {"stacks", "core"},
    "io": {"io", "core"},
    "workbook": {"workbook", "io", "core"},
}
PREFIX = {"core": ("async_", "ASYNC_"), "stacks": ("async_", "ASYNC_"),
          "io": ("async_", "ASYNC_"), "workbook": ("wb_", "WB_")}
failures = []

def layer_of(header):
    for layer in LAYERS:
        if os.path.exists(os.path.join(ROOT, "common", layer, header)):
            return layer
    return None

def strip_comments(text):
    return re.sub(r"/\*.*?\*/|//[^\n]*", " ", text, flags=re.S)

def check_includes():
    for layer in LAYERS:
        folder = os.path.join(ROOT, "common", layer)
        for name in sorted(os.listdir(folder)):
            if not name.endswith((".c", ".h", ".S")):
                continue
            text = open(os.path.join(folder, name)).read()
            for inc in re.findall(r'#\s*include\s+"([^"]+)"', text):
                dep = layer_of(inc)
                if dep is None:
                    failures.append(f"common/{layer}/{name}: includes \"{inc}\", not a header of common/")
                elif dep not in ALLOWED[layer]:
                    failures.append(f"common/{layer}/{name}: includes {dep}/{inc}: "
                                    f"{layer} may only use {sorted(ALLOWED[layer])}")

DECL_PATTERNS = [
    r"^\s*#\s*define\s+(\w+)",                                   # macros
    r"\btypedef\b[^;{]*?\b(\w+)\s*;",                             # typedef x name;
    r"}\s*(\w+)\s*;",                                             # } name;  (typedef struct)
    r"\b(?:struct|enum|union)\s+(\w+)\s*\{",                      # struct tag {
    r"^\s*(?:[\w\s\*]+?)\b(\w+)\s*\((?:[^;{()]|\([^()]*\))*\)\s*;",  # function declarations
    r"\btypedef\b[^;]*\(\s*\*\s*(\w+)\s*\)\s*\(",                  # function pointer typedefs
]

def enum_constants(text):
    names = []
    for body in re.findall(r"\benum\b[^{;]*\{([^}]*)\}", text):
        for item in body.split(","):
            m = re.match(r"\s*(\w+)", item)
            if m:
                names.append(m.group(1))
    return names

def check_prefixes():
    for layer in LAYERS:
        folder = os.path.join(ROOT, "common", layer)
        for name in sorted(os.listdir(folder)):
            if not name.endswith(".h"):
                continue
            text = strip_comments(open(os.path.join(folder, name)).read())
            # struct members and parameters are not declarations a program sees:
            # drop the insides of braces (but keep enum bodies for their constants)
            consts = enum_constants(text)
            flat = text
            while True:
                new = re.sub(r"\{[^{}]*\}", "{}", flat)
                if new == flat:
                    break
                flat = new
            found = set(consts)
            for pat in DECL_PATTERNS:
                found.update(re.findall(pat, flat, flags=re.M))
            core_api = open(os.path.join(ROOT, "common", "core", "async.h")).read()
            for ident in sorted(found):
                if ident.startswith(PREFIX[layer]) or ident.startswith("_"):
                    continue
                if layer != "core" and re.search(r"\b%s\b" % re.escape(ident), core_api):
                    continue                                      # a core name declared again
                if re.fullmatch(r"[A-Z0-9_]+_H", ident):          # include guards
                    continue
                failures.append(f"common/{layer}/{name}: declares '{ident}' without the "
                                f"{layer} layer's prefix ({' or '.join(PREFIX[layer])})")

PROGRAM = r'''
#include "async.h"
#include <stdio.h>
static int hello(void *arg) { (void)arg; return async_sleep(0.001); }
int main(void) { return async_run(hello, NULL) == 0 ? 0 : 1; }
'''

def check_core_alone():
    core_h = open(os.path.join(ROOT, "common", "core", "async.h")).read()
    for inc in re.findall(r'#\s*include\s+"([^"]+)"', core_h):
        if layer_of(inc) != "core":
            failures.append(f"common/core/async.h includes \"{inc}\" from another layer")
    cc = os.environ.get("CC", "cc")
    try:
        uv = subprocess.run(["pkg-config", "--cflags", "libuv"], capture_output=True,
                            text=True, check=True).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        print("skipped the compile check: no pkg-config or libuv here")
        return
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "mine.c")
        open(src, "w").write(PROGRAM)
        cmd = [cc, "-std=c11", "-Wall", "-Wextra", "-Wpedantic", "-Werror", "-fsyntax-only",
               "-I" + os.path.join(ROOT, "common", "core")] + uv + [src]
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode != 0:
            failures.append("a program of one's own with async.h alone does not compile "
                            "under -std=c11: " + (r.stderr.strip().splitlines() or ["?"])[0])

def check_reading_list():
    """README's reading list: each file's lines within 10% of the file's own
    (or 15 lines), the total its sum, and the total about 1,500 (1,350-1,650)."""
    readme = open(os.path.join(ROOT, "README.md")).read()
    rows = re.findall(r"^\| `(common/[^`]+)` \| (\d+) \|", readme, flags=re.M)
    total = re.search(r"^\| \*\*total\*\* \| \*\*(\d+)\*\* \|", readme, flags=re.M)
    if not rows or not total:
        failures.append("README.md has no reading list with a total")
        return
    real_sum = 0
    for path, said in rows:
        full = os.path.join(ROOT, path)
        if not os.path.exists(full):
            failures.append(f"README's reading list names {path}, which does not exist")
            continue
        real = sum(1 for _ in open(full))
        real_sum += real
        if abs(real - int(said)) > max(15, real // 10):
            failures.append(f"README says {path} has {said} lines; it has {real}")
    if abs(sum(int(n) for _, n in rows) - int(total.group(1))) > 0:
        failures.append("README's reading-list total is not the sum of its rows")
    if not 1350 <= real_sum <= 1650:           # about 1,500: within a tenth
        failures.append(f"the core's reading list is {real_sum} lines, not about 1,500")

check_includes()
check_prefixes()
check_reading_list()
check_core_alone()
for f in failures:
    print("layers: " + f)
print(f"layers: {len(failures)} problem(s)")
sys.exit(1 if failures else 0)
