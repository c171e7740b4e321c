"""Run a command and measure its whole process tree: wall time, CPU time and peak memory.

`/usr/bin/time` and `os.wait4` only see the processes their child waited for; the multiprocessing
forkserver and its workers, orphaned when the build exits, escape them. Here the measuring
process makes itself a *child subreaper* (Linux `prctl(PR_SET_CHILD_SUBREAPER)`), so every
descendant that outlives its parent is re-parented to it instead of to init, and:

- CPU time is the growth of `getrusage(RUSAGE_CHILDREN)` (user + system) across the run, read
  after every descendant has been reaped (the command itself by `wait4`, orphans by
  `waitpid(-1)`): a process's CPU time reaches its reaper's RUSAGE_CHILDREN when it is waited for,
  and every process of the tree is waited for by its parent or by us;
- memory is sampled every `interval` seconds (default 50 ms): the tree is walked through
  `/proc/<pid>/task/*/children` from this process down, and the `Pss:` (proportional set size:
  shared pages divided among the processes sharing them, so a sum over processes does not
  count shared libraries twice) and `Rss:` lines of each `/proc/<pid>/smaps_rollup` are summed;
  the peak of those sums is reported. Sampling can miss a spike shorter than the interval.

Only one measured command may run at a time in the measuring process (the walk starts at its own
children). A cgroup would be exact, but the cgroup hierarchy is not writable here (checked
2026-12-01: /sys/fs/cgroup is root-owned, the memory controller is v1 and delegated to no user).
"""
from __future__ import annotations

import ctypes
import os
import resource
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field

PR_SET_CHILD_SUBREAPER = 36


def become_subreaper() -> bool:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


SUBREAPER = become_subreaper()


@dataclass
class TreeRun:
    seconds: float  # wall time until the command and every descendant ended
    cpu: float  # user + system seconds of the whole tree
    pss_mib: float  # peak of the summed PSS
    rss_mib: float  # peak of the summed RSS (counts shared pages once per process)
    procs: int  # most processes seen at once
    code: int
    stdout: str
    stderr: str
    at_peak: list[tuple[str, float]] = field(default_factory=list)  # (process, PSS MiB) when the sum peaked


def _name(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            argv = fh.read().split(b"\0")
    except OSError:
        return "?"
    words = [a.decode("utf-8", "replace") for a in argv if a]
    prog = os.path.basename(words[0]) if words else "?"
    detail = " ".join(w for w in words[1:4] if not w.startswith("/")) if prog.startswith("python") else ""
    return f"{prog} {detail}".strip()[:60]


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/children") as fh:
                out += [int(x) for x in fh.read().split()]
        except OSError:
            pass
    return out


def tree(root: int) -> list[int]:
    """Every descendant of `root` (not root itself)."""
    seen: list[int] = []
    todo = _children(root)
    while todo:
        pid = todo.pop()
        seen.append(pid)
        todo += _children(pid)
    return seen


def _memory(pid: int) -> tuple[int, int]:
    pss = rss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    pss = int(line.split()[1])
                elif line.startswith("Rss:"):
                    rss = int(line.split()[1])
    except (OSError, ValueError):
        pass
    return pss, rss


def _cpu_children() -> float:
    u = resource.getrusage(resource.RUSAGE_CHILDREN)
    return u.ru_utime + u.ru_stime


def run(cmd: list[str], cwd=None, env=None, interval: float = 0.05, timeout: float | None = None,
        stdin_text: str | None = None) -> TreeRun:
    """Run `cmd` to the end of its whole tree; see the module's docstring for what is measured."""
    me = os.getpid()
    peak: dict = {"pss": 0, "rss": 0, "procs": 0, "at": []}
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            pids = tree(me)
            pss = rss = 0
            each = []
            for pid in pids:
                p, r = _memory(pid)
                pss, rss = pss + p, rss + r
                each.append((pid, p))
            if pss > peak["pss"]:
                peak["at"] = [(_name(pid), p / 1024) for pid, p in each]
            peak["pss"] = max(peak["pss"], pss)
            peak["rss"] = max(peak["rss"], rss)
            peak["procs"] = max(peak["procs"], len(pids))
            stop.wait(interval)

    cpu0 = _cpu_children()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        sampler = threading.Thread(target=sample, daemon=True)
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=err,
                                stdin=subprocess.PIPE if stdin_text is not None else subprocess.DEVNULL)
        sampler.start()
        if stdin_text is not None:
            assert proc.stdin is not None
            proc.stdin.write(stdin_text.encode("utf-8"))
            proc.stdin.close()
        deadline = None if timeout is None else t0 + timeout
        status = None
        while status is None:
            pid, st, _ = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                status = st
                break
            if deadline is not None and time.perf_counter() > deadline:
                proc.kill()
            time.sleep(0.01)
        proc.returncode = os.waitstatus_to_exitcode(status)
        # orphans re-parented to us (forkserver, its workers): wait for them too
        while True:
            try:
                pid, _ = os.waitpid(-1, 0)
            except ChildProcessError:
                break
        seconds = time.perf_counter() - t0
        stop.set()
        sampler.join()
        cpu = _cpu_children() - cpu0
        out.seek(0)
        err.seek(0)
        return TreeRun(seconds, cpu, peak["pss"] / 1024, peak["rss"] / 1024, peak["procs"], proc.returncode,
                       out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"), peak["at"])


if __name__ == "__main__":
    import sys

    r = run(sys.argv[1:])
    print(f"wall {r.seconds:.2f} s, cpu {r.cpu:.2f} s, peak PSS {r.pss_mib:.0f} MiB, peak RSS {r.rss_mib:.0f} MiB, "
          f"{r.procs} processes at most, exit {r.code}, subreaper {SUBREAPER}", file=sys.stderr)
    print("at the peak: " + "; ".join(f"{name} {mib:.0f}" for name, mib in r.at_peak), file=sys.stderr)
    if r.code:
        print(r.stderr[-3000:], file=sys.stderr)
