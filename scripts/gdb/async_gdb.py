#async_gdb.py
# (That first line, one word, is the script's name when a program carries it:
# gdb's .debug_gdb_scripts format.)
#
# gdb's view of the workbook's tasks, like QEMU's, folly's and helio's
# coroutine commands:
#
#   info async-tasks   every live task as a tree, with what each waits on and
#                      the file:line of that await (as async_print_tasks and
#                      Ctrl-\ print it), on a live process or a core dump
#   async-bt N         task N's C backtrace, through its own stack down to
#                      task_entry (the first frame on every task's stack): the
#                      registers its last switch saved become the caller's
#                      registers of frame 0 (a frame unwinder, so nothing in
#                      the process is written: it works on core dumps too)
#
# Every workbook program carries this script in its .debug_gdb_scripts section
# (common/core/tasktree.c), so gdb loads it with the program once its auto-load
# safe-path allows the program's folder. One of:
#
#   gdb -iex 'add-auto-load-safe-path /path/to/the/workbook' -p PID
#   echo 'add-auto-load-safe-path /path/to/the/workbook' >> ~/.config/gdb/gdbinit
#   gdb -iex 'set auto-load safe-path /' ./step3        (trust every file)
#
# or load it by hand: (gdb) source scripts/gdb/async_gdb.py
# scripts/async-ps PID prints the tree of a running program in one command.
#
# The layout read here is the core's: common/core/task.h (the task record),
# core.c (the task list), context.h and switch_*.S (the saved registers).

import os
import re
import time

import gdb
import gdb.unwinder
from gdb.unwinder import Unwinder

STATES = {
    "ASYNC_TASK_READY_NEW": "not started yet",
    "ASYNC_TASK_READY": "ready to run",
    "ASYNC_TASK_RUNNING": "running (the task on the CPU when the program stopped)",
}


def _type(name):
    return gdb.lookup_type(name)


def _offset(struct, field):
    for f in struct.fields():
        if f.name == field:
            return f.bitpos // 8
    raise gdb.GdbError("async: %s has no field %s" % (struct, field))


def _container(node, struct, field):
    """The record of type struct whose `field` is the list node at `node`."""
    addr = int(node) - _offset(struct, field)
    return gdb.Value(addr).cast(struct.pointer())


def _list(head_addr, struct, field):
    """The records on an async_list (a ring through its head)."""
    list_ptr = _type("async_list").pointer()
    head = gdb.Value(head_addr).cast(list_ptr)
    seen = set()
    try:
        node = head["next"]
        while int(node) != int(head):
            if int(node) == 0 or int(node) in seen or len(seen) > 2000000:
                raise gdb.GdbError(
                    "async: the list at %#x is broken at %#x (a core dump without the task "
                    "stacks? gcore skips guarded stacks: run with ASYNC_GUARDED_STACKS=0, "
                    "or use the kernel's own core dump)" % (head_addr, int(node)))
            seen.add(int(node))
            yield _container(node, struct, field)
            node = node["next"]
    except gdb.MemoryError as e:
        raise gdb.GdbError("async: cannot read the list at %#x: %s" % (head_addr, e))


def _string(value):
    """A C string, None for NULL."""
    if int(value) == 0:
        return None
    try:
        return value.string()
    except gdb.error:
        return "(unreadable)"


def _enum_name(value):
    """An enum's name from its value (gdb prints enums by name)."""
    return str(value)


def _live():
    """True on a running process (not a core dump): clocks and /proc apply."""
    try:
        conn = gdb.selected_inferior().connection
        return conn is not None and conn.type == "native"
    except AttributeError:
        return gdb.selected_inferior().pid != 0


def _ordinal(n):
    if 11 <= n % 100 <= 13:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


class Task:
    def __init__(self, ptr):
        self.ptr = ptr
        self.v = ptr.dereference()
        self.id = int(self.v["id"])
        self.parent_id = int(self.v["parent_id"])
        self.name = self.v["name"].string()
        self.state = _enum_name(self.v["state"])
        self.file = _string(self.v["file"])
        self.line = int(self.v["line"])
        self.wait = self.v["wait"]


def all_tasks():
    """Every live task, oldest first."""
    try:
        head = gdb.parse_and_eval("async__gdb_all_tasks")
    except gdb.error:
        raise gdb.GdbError("async: no task list here (not a workbook program, "
                           "or built without -g)")
    task_t = _type("struct async_task")
    tasks = [Task(t) for t in _list(int(head), task_t, "all_link")]
    tasks.reverse()
    return tasks


def _semaphore_place(sem, task_addr):
    waiter_t = _type("struct async_sem_waiter")
    place = count = 0
    for w in _list(int(sem["waiters"].address), waiter_t, "link"):
        count += 1
        if int(w["task"]) == task_addr:
            place = count
    return place, count


def _fd_path(fd):
    if _live():
        try:
            return os.readlink("/proc/%d/fd/%d" % (gdb.selected_inferior().pid, fd))
        except OSError:
            pass
    return "fd %d" % fd


def _producer(gen_obj):
    g = gen_obj.cast(_type("struct async_generator").pointer())
    p = g["producer"].dereference()
    return "%s #%d" % (p["name"].string(), int(p["id"]))


def describe_wait(task):
    """What a waiting task waits on: the same words as tasktree.c."""
    w = task.wait
    on = _enum_name(w["on"])
    obj = w["object"]
    detail = w["detail"]
    if on == "ASYNC_ON_SLEEP":
        until = int(detail["until_ns"])
        if _live():
            left = (until - time.clock_gettime_ns(time.CLOCK_MONOTONIC)) / 1e9
            return "sleep, %.2f s left" % left
        return "sleep, until %.3f s on the monotonic clock" % (until / 1e9)
    if on == "ASYNC_ON_SEMAPHORE":
        sem = obj.cast(_type("async_semaphore").pointer()).dereference()
        place, count = _semaphore_place(sem, int(task.ptr))
        expr = _string(detail["text"]) or "%#x" % int(obj)
        return "semaphore %s, %d%s of %d in line" % (expr, place, _ordinal(place), count)
    if on == "ASYNC_ON_TASK":
        other = obj.cast(_type("struct async_task").pointer()).dereference()
        return "task %s #%d" % (other["name"].string(), int(other["id"]))
    if on == "ASYNC_ON_GROUP":
        left = int(obj.cast(_type("async_taskgroup").pointer())["running"])
        return "its task group, %d %s left" % (left, "child" if left == 1 else "children")
    if on == "ASYNC_ON_NEXT":
        return "the next item of generator %s" % _producer(obj)
    if on == "ASYNC_ON_YIELD":
        return "its consumer to ask for the next item (async_next)"
    if on == "ASYNC_ON_GENERATOR_CLOSE":
        return "generator %s to finish closing" % _producer(obj)
    if on == "ASYNC_ON_HTTP_GET":
        return "HTTP GET %s" % (_string(detail["text"]) or "?")
    if on == "ASYNC_ON_HTTP_CLOSE":
        return "the HTTP client's connections to close"
    if on == "ASYNC_ON_FILE_OPEN":
        return "file open %s" % (_string(detail["text"]) or "?")
    if on == "ASYNC_ON_FILE_READ":
        return "file read of %s (%d bytes asked)" % (
            _fd_path(int(detail["file"]["fd"])), int(detail["file"]["size"]))
    if on == "ASYNC_ON_FILE_CLOSE":
        return "file close of %s" % _fd_path(int(detail["file"]["fd"]))
    if on == "ASYNC_ON_THREAD":
        return "to_thread %s" % (_string(detail["text"]) or "(a function)")
    return "an await that says nothing of itself"


def describe(task):
    if task.state == "ASYNC_TASK_WAITING":
        text = "waits on " + describe_wait(task)
        if int(task.wait["file"]):
            text += " at %s:%d" % (_string(task.wait["file"]), int(task.wait["line"]))
        return text
    if task.state == "ASYNC_TASK_DONE":
        text = "finished (%d), not yet awaited" % int(task.v["status"])
    else:
        text = STATES.get(task.state, task.state)
    if task.file:
        text += " (created at %s:%d)" % (task.file, task.line)
    return text


def print_tree(tasks, write):
    by_id = {t.id: t for t in tasks}
    children = {}
    for t in tasks:
        parent = t.parent_id if t.parent_id in by_id and t.parent_id != t.id else 0
        children.setdefault(parent, []).append(t)
    stack = [(children.get(0, []), 0)]
    last = []
    while stack:
        siblings, i = stack.pop()
        if i >= len(siblings):
            continue
        stack.append((siblings, i + 1))
        depth = len(stack) - 1
        t = siblings[i]
        is_last = i == len(siblings) - 1
        del last[depth:]
        prefix = "".join("    " if l else "\u2502   " for l in last)
        last.append(is_last)
        write("%s%s%s #%d %s\n" % (prefix, "\u2514\u2500\u2500 " if is_last else
                                  "\u251c\u2500\u2500 ", t.name, t.id, describe(t)))
        stack.append((children.get(t.id, []), 0))


def print_semaphores(tasks, write):
    seen = []
    by_id = {t.id: t for t in tasks}
    for t in tasks:
        if t.state != "ASYNC_TASK_WAITING" or _enum_name(t.wait["on"]) != "ASYNC_ON_SEMAPHORE":
            continue
        if any(int(obj) == int(t.wait["object"]) for obj, _ in seen):
            continue
        seen.append((t.wait["object"], _string(t.wait["detail"]["text"]) or ""))
    for obj, expr in seen[:8]:
        s = obj.cast(_type("async_semaphore").pointer()).dereference()
        _, queued = _semaphore_place(s, 0)
        twins = [o for o, e in seen[:8] if e == expr and int(o) != int(obj)]
        where = " (at %#x)" % int(obj) if (twins or not expr) else ""
        line = "semaphore %s%s: %d of %d permits free, %d %s in line" % (
            expr, where, int(s["value"]), int(s["initial"]), queued,
            "task" if queued == 1 else "tasks")
        if int(s["taken_file"]):
            taker = int(s["taken_by"])
            if taker in by_id:
                who = "%s #%d (%s)" % (by_id[taker].name, taker,
                                        "finished" if by_id[taker].state == "ASYNC_TASK_DONE"
                                        else "not finished")
            else:
                who = "task #%d, which has finished" % taker
            line += "; the last permit was taken at %s:%d by %s" % (
                _string(s["taken_file"]), int(s["taken_line"]), who)
            if int(s["value"]) == 0 and taker not in by_id:
                line += ": if it never released that permit, nothing ever will"
        write(line + "\n")


class InfoAsyncTasks(gdb.Command):
    """Every live task of the workbook's core as a tree: name, #id, what it waits on
and the file:line of that await. Usage: info async-tasks"""

    def __init__(self):
        super().__init__("info async-tasks", gdb.COMMAND_STATUS)

    def invoke(self, arg, from_tty):
        tasks = all_tasks()
        if not tasks:
            gdb.write("(no tasks: async_run is not running)\n")
            return
        print_tree(tasks, gdb.write)
        print_semaphores(tasks, gdb.write)


# ------------------------------------------------------------ async-bt

X86_64_SAVED = ["r15", "r14", "r13", "r12", "rbx", "rbp"]     # switch_x86_64.S
AARCH64_SAVED = ["x19", "x20", "x21", "x22", "x23", "x24", "x25", "x26", "x27", "x28",
                 "x29", "x30"]                                   # switch_aarch64.S
X86_64_GREGS = {"r8": 0, "r9": 1, "r10": 2, "r11": 3, "r12": 4, "r13": 5, "r14": 6,
                "r15": 7, "rdi": 8, "rsi": 9, "rbp": 10, "rbx": 11, "rdx": 12,
                "rax": 13, "rcx": 14, "rsp": 15, "rip": 16}     # <sys/ucontext.h>


def _arch():
    return gdb.selected_frame().architecture().name()


def _read_words(addr, count):
    ptr = gdb.Value(addr).cast(_type("unsigned long").pointer())
    return [int(ptr[i]) for i in range(count)]


def saved_registers(task):
    """The registers the task's last switch saved: {name: value}."""
    ctx = task.v["ctx"]
    arch = _arch()
    fields = [f.name for f in ctx.type.fields()]
    if "uc" in fields:                          # CONTEXT=ucontext
        mc = ctx["uc"]["uc_mcontext"]
        if "x86-64" in arch:
            regs = {r: int(mc["gregs"][i]) & 0xFFFFFFFFFFFFFFFF
                    for r, i in X86_64_GREGS.items()}
            regs["pc"] = regs.pop("rip")
            regs["sp"] = regs.pop("rsp")
            return regs
        if "aarch64" in arch:
            regs = {"x%d" % i: int(mc["regs"][i]) for i in range(31)}
            regs["sp"] = int(mc["sp"])
            regs["pc"] = int(mc["pc"])
            return regs
        raise gdb.GdbError("async-bt: no ucontext layout for %s" % arch)
    sp = int(ctx["sp"])
    if "x86-64" in arch:                        # six pushes, then the return address
        words = _read_words(sp, 7)
        regs = dict(zip(X86_64_SAVED, words[:6]))
        regs["pc"] = words[6]
        regs["sp"] = sp + 7 * 8
        return regs
    if "aarch64" in arch:                       # a 160-byte frame, x19.. at its start
        words = _read_words(sp, 12)
        regs = dict(zip(AARCH64_SAVED, words))
        regs["pc"] = regs["x30"]
        regs["sp"] = sp + 160
        return regs
    raise gdb.GdbError("async-bt: no switch layout for %s" % arch)


def loop_thread():
    """The thread that runs the tasks: the process's main thread."""
    inf = gdb.selected_inferior()
    for th in inf.threads():
        if th.ptid[1] == inf.pid:
            return th
    return gdb.selected_thread()


class _FrameId:
    def __init__(self, sp, pc):
        self.sp = sp
        self.pc = pc


class TaskUnwinder(Unwinder):
    """While `regs` is set, frame 0's caller is the parked task: its registers
    are the ones its last switch saved. The loop's frame 0 stays as it is."""

    def __init__(self):
        super().__init__("async-task")
        self.regs = None

    def __call__(self, pending_frame):
        if self.regs is None or pending_frame.level() != 0:
            return None
        sp = pending_frame.read_register(self.sp_name)
        pc = pending_frame.read_register(self.pc_name)
        info = pending_frame.create_unwind_info(_FrameId(sp, pc))
        for name, value in self.regs.items():
            reg = {"pc": self.pc_name, "sp": self.sp_name}.get(name, name)
            kind = pending_frame.read_register(reg).type
            info.add_saved_register(reg, gdb.Value(value).cast(kind))
        return info


_unwinder = TaskUnwinder()
gdb.unwinder.register_unwinder(None, _unwinder, replace=True)


def _renumbered(text):
    """bt's lines without the loop's frame #0, the task's frames from #0, and
    none past task_entry: the task's stack starts there (context_init.c), and
    gdb, unwinding further, would show the zero return address the context
    holds above it as a last frame `0x0000000000000000 in ?? ()`."""
    out, keep, ended = [], False, False
    for line in text.splitlines():
        m = re.match(r"#(\d+)(\s+)(.*)", line)
        if m:
            keep = m.group(1) != "0" and not ended
            ended = ended or re.search(r"\btask_entry \(", m.group(3)) is not None
            if keep:
                n = int(m.group(1)) - 1
                line = "#%d%s%s" % (n, " " * max(1, len(m.group(2)) + len(m.group(1))
                                               - len(str(n))), m.group(3))
        if keep:
            out.append(line)
    return "\n".join(out) + "\n"


def backtrace_of(task, bt_args):
    """`bt` through the task's own stack, from where it parked."""
    regs = saved_registers(task)
    arch = _arch()
    _unwinder.pc_name, _unwinder.sp_name = ("rip", "rsp") if "x86-64" in arch else ("pc", "sp")
    _unwinder.regs = regs
    gdb.invalidate_cached_frames()
    try:
        text = gdb.execute("bt " + bt_args, to_string=True)
    finally:
        _unwinder.regs = None
        gdb.invalidate_cached_frames()
    gdb.write(_renumbered(text))


class AsyncBacktrace(gdb.Command):
    """The C backtrace of task N (its #id in `info async-tasks`), through its own
stack, from its await down to task_entry, where every task's stack starts.
Usage: async-bt N [bt options, e.g. full or a frame count]"""

    def __init__(self):
        super().__init__("async-bt", gdb.COMMAND_STACK)

    def invoke(self, arg, from_tty):
        words = arg.split()
        if not words or not words[0].lstrip("#").isdigit():
            raise gdb.GdbError("usage: async-bt N (a task's #id from `info async-tasks`)")
        wanted = int(words[0].lstrip("#"))
        task = next((t for t in all_tasks() if t.id == wanted), None)
        if task is None:
            raise gdb.GdbError("async-bt: no live task #%d (see `info async-tasks`)" % wanted)
        gdb.write("task %s #%d: %s\n" % (task.name, task.id, describe(task)))
        if task.state == "ASYNC_TASK_RUNNING":
            gdb.write("(it is running: its stack is the thread's own, `bt` shows it)\n")
            return
        if task.state in ("ASYNC_TASK_READY_NEW", "ASYNC_TASK_DONE"):
            gdb.write("(it has no stack to show: %s)\n" % (
                "not started yet" if task.state == "ASYNC_TASK_READY_NEW" else "finished"))
            return
        previous = gdb.selected_thread()
        loop_thread().switch()
        try:
            backtrace_of(task, " ".join(words[1:]))
        finally:
            previous.switch()


InfoAsyncTasks()
AsyncBacktrace()
