"""The Python twin of tests/test_core_cancel_woken.c: a cancel that lands on a
task whose await is already done (its sleep's timer fired, the task it awaits
finished, its semaphore permit was granted) but which has not run yet.

Each case stalls the loop with a blocking time.sleep, so that every deadline
has passed by the next poll and the wake-ups all land in one loop turn: the
order is then fixed, not left to the machine's load. Run: python3 this file.
"""
import asyncio
import time

STALL = 0.03      # blocks the loop: every 10 ms deadline is due at the next poll


async def stall():
    for _ in range(3):       # let the tasks just created (and theirs) start their awaits
        await asyncio.sleep(0)
    time.sleep(STALL)


async def sleep_then_cancel_the_other():
    """Two tasks sleep 10 ms; the first to run cancels the other."""
    tasks, results = {}, {}

    async def sleeper(me, other):
        try:
            await asyncio.sleep(0.01)
            results[me] = "slept"
            tasks[other].cancel()
        except asyncio.CancelledError:
            results[me] = "CancelledError"
            raise

    tasks["a"] = asyncio.create_task(sleeper("a", "b"))
    tasks["b"] = asyncio.create_task(sleeper("b", "a"))
    await stall()
    await asyncio.gather(*tasks.values(), return_exceptions=True)
    return results


async def await_a_finished_task():
    """A awaits T; T finishes and K cancels A in the same turn, before A runs."""
    out = {}

    async def target():
        await asyncio.sleep(0.01)
        return 7

    async def awaiter(t):
        try:
            out["await"] = await t
        except asyncio.CancelledError:
            out["await"] = "CancelledError"
            raise

    async def canceller(a):
        await asyncio.sleep(0.01)
        a.cancel()

    t = asyncio.create_task(target())
    a = asyncio.create_task(awaiter(t))
    k = asyncio.create_task(canceller(a))
    await stall()
    await asyncio.gather(a, k, return_exceptions=True)
    out["target result after"] = t.result()
    return out


async def semaphore_granted_then_cancelled():
    """W1 and W2 wait on Semaphore(0); R releases once, K cancels W1 after
    the grant, before W1 runs: the permit goes on to W2, not lost."""
    sem = asyncio.Semaphore(0)
    out = {}

    async def waiter(name):
        try:
            await sem.acquire()
            out[name] = "acquired"
        except asyncio.CancelledError:
            out[name] = "CancelledError"
            raise

    async def releaser():
        await asyncio.sleep(0.01)
        sem.release()

    async def canceller(w):
        await asyncio.sleep(0.01)
        w.cancel()

    w1 = asyncio.create_task(waiter("w1"))
    w2 = asyncio.create_task(waiter("w2"))
    r = asyncio.create_task(releaser())
    k = asyncio.create_task(canceller(w1))
    await stall()
    await asyncio.gather(w1, r, k, return_exceptions=True)
    await asyncio.sleep(0.01)
    out["value after (w2 holds it)"] = sem._value
    w2.cancel()
    await asyncio.gather(w2, return_exceptions=True)
    return out


async def group_child_failure():
    """In a TaskGroup, F and S sleep 10 ms; F runs first and fails. The group
    hears of it in a done callback scheduled behind S's wake-up: S's sleep
    returns, and S meets the cancel at its next await."""
    out = {}

    async def failer():
        await asyncio.sleep(0.01)
        raise ValueError("F failed")

    async def sibling():
        await asyncio.sleep(0.01)
        out["S first sleep"] = "slept"
        try:
            await asyncio.sleep(0.01)
            out["S second sleep"] = "slept"
        except asyncio.CancelledError:
            out["S second sleep"] = "CancelledError"
            raise

    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(failer())
            tg.create_task(sibling())
            await stall()
    except* ValueError:
        out["group"] = "ValueError"
    return out


async def group_parent_cancelled():
    """K cancels P, which waits for its TaskGroup, as P's child C is woken
    from its sleep: P passes the cancel on in its next step, behind C's
    wake-up, so C's sleep returns and C meets the cancel at its next await."""
    out = {}

    async def child():
        await asyncio.sleep(0.01)
        out["C first sleep"] = "slept"
        try:
            await asyncio.sleep(0.01)
            out["C second sleep"] = "slept"
        except asyncio.CancelledError:
            out["C second sleep"] = "CancelledError"
            raise

    async def parent():
        try:
            async with asyncio.TaskGroup() as tg:
                tg.create_task(child())
        except asyncio.CancelledError:
            out["P"] = "CancelledError"
            raise

    async def canceller(p):
        await asyncio.sleep(0.01)
        p.cancel()

    p = asyncio.create_task(parent())
    k = asyncio.create_task(canceller(p))
    await stall()
    await asyncio.gather(p, k, return_exceptions=True)
    return out


async def timeout_and_result_in_one_turn():
    """A 10 ms sleep inside a 20 ms timeout, both due in the same turn: the
    sleep is done first, the timeout's cancel lands before the task runs."""
    out = {}

    async def body():
        try:
            async with asyncio.timeout(0.02):
                await asyncio.sleep(0.01)
            out["body"] = "slept"
        except TimeoutError:
            out["body"] = "TimeoutError"

    t = asyncio.create_task(body())
    await stall()
    await t
    return out


async def sleep_zero_then_cancelled():
    """A task ready after sleep(0), cancelled before it runs."""
    out = {}

    async def yielder():
        try:
            await asyncio.sleep(0)
            out["sleep(0)"] = "returned"
        except asyncio.CancelledError:
            out["sleep(0)"] = "CancelledError"
            raise

    async def canceller(y):
        y.cancel()           # y has run up to its sleep(0): ready, not running

    y = asyncio.create_task(yielder())
    k = asyncio.create_task(canceller(y))
    await asyncio.gather(y, k, return_exceptions=True)
    return out


async def main():
    for case in (sleep_then_cancel_the_other, await_a_finished_task,
                 semaphore_granted_then_cancelled, group_child_failure, group_parent_cancelled,
                 timeout_and_result_in_one_turn, sleep_zero_then_cancelled):
        print(f"{case.__name__}: {await case()}")


asyncio.run(main())
