"""The hostile-input table (tests/hostile/cases.json) run through the Python package.

Each command runs in a child process (this file with ``--child``), so that a crash, a hang or a
runaway allocation costs one case, not the test run: the parent stops the child at the case's
time or memory limit, and measures its peak memory with ``os.wait4``. The child reports the
call's own time and its memory just before the call, which is subtracted (the interpreter and
the input it read are not dockopt's).

Run by pytest through test_hostile.py, or alone (no pytest needed, e.g. in a venv holding only
the release wheel): ``python python/tests/hostile_runner.py [CASE ...|heavy]``.
Environment: DOCKOPT_HOSTILE_BUILD=release (the installed module is a release build: heavy
cases run and time limits are not multiplied), DOCKOPT_HOSTILE_ONLY (comma-separated cases, or
``heavy``).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

TABLE_PATH = Path(__file__).resolve().parents[2] / "tests" / "hostile" / "cases.json"
RUNNER = "python"
WRITES = ("fix", "optimize")


def load_table() -> dict[str, Any]:
    table: dict[str, Any] = json.loads(TABLE_PATH.read_text(encoding="utf-8"))
    return table


# --- generators ---------------------------------------------------------------------------


def generate(pieces: Any) -> bytes:
    """The bytes of a list of pieces (the table's `generators` section)."""
    out = bytearray()
    for piece in pieces if isinstance(pieces, list) else [pieces]:
        if isinstance(piece, str):
            out += piece.encode("utf-8")
        elif "hex" in piece:
            out += bytes.fromhex("".join(piece["hex"].split()))
        elif "repeat" in piece:
            out += generate(piece["repeat"]) * int(piece["times"])
        elif "random" in piece:
            size, x = int(piece["random"]), int(piece["seed"])
            mask = 0x7F if piece.get("ascii") else 0xFF
            words = []
            for _ in range((size + 3) // 4):
                x ^= (x << 13) & 0xFFFFFFFF
                x ^= x >> 17
                x ^= (x << 5) & 0xFFFFFFFF
                words.append(x)
            raw = b"".join(w.to_bytes(4, "little") for w in words)[:size]
            out += bytes(b & mask for b in raw) if mask != 0xFF else raw
        else:
            raise ValueError(f"unknown piece {piece!r}")
    return bytes(out)


def materialize(case: dict[str, Any], folder: Path) -> tuple[int, bool]:
    """Write the case's files into `folder`: bytes written, and whether the files meant to be
    unreadable are (they are not to root)."""
    written = 0

    def write(path: Path, data: bytes) -> None:
        nonlocal written
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written += len(data)

    write(folder / "Dockerfile", generate(case["input"]))
    context = case.get("context", {})
    for rel, pieces in context.get("files", {}).items():
        write(folder / rel, generate(pieces))
    for rel, target in context.get("symlinks", {}).items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, folder / rel)
    unreadable = True
    for rel in context.get("unreadable", []):
        path = folder / rel.rstrip("/")
        os.chmod(path, 0)
        try:
            if path.is_dir():
                os.listdir(path)
            else:
                path.open("rb").close()
            unreadable = False
        except PermissionError:
            pass
    return written, unreadable


def unlock(folder: Path) -> None:
    """Make everything under `folder` readable again, so that it can be removed (top-down: each
    folder is opened before os.walk enters it)."""
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = os.path.join(root, name)
            if not os.path.islink(path):
                os.chmod(path, 0o755 if os.path.isdir(path) else 0o644)


def snapshot(folder: Path) -> dict[str, Optional[bytes]]:
    """Every file under `folder` (links not followed): its content, or the link's target."""
    out: dict[str, Optional[bytes]] = {}
    for root, dirs, files in os.walk(folder):
        for name in files + [d for d in dirs if os.path.islink(os.path.join(root, d))]:
            path = os.path.join(root, name)
            rel = os.path.relpath(path, folder)
            if os.path.islink(path):
                out[rel] = os.readlink(path).encode()
            else:
                try:
                    out[rel] = Path(path).read_bytes()
                except OSError:
                    out[rel] = None
    return out


def damage(before: dict[str, Optional[bytes]], folder: Path, failed: bool) -> Optional[str]:
    """What a writing command did to the files that it must not do."""
    after = snapshot(folder)
    for path, old in before.items():
        if path not in after:
            return f"{path} was removed"
        new = after[path]
        may_change = not failed and path in ("Dockerfile", ".dockerignore")
        if old != new and not may_change:
            return f"{path} changed although " + ("the command failed" if failed else "it must not")
        if path == ".dockerignore" and not failed and old is not None and new is not None:
            if not new.startswith(old):
                return "the user's .dockerignore lines are gone"
    added = [p for p in after if p not in before and (failed or p != ".dockerignore")]
    return f"files left behind: {added}" if added else None


# --- the child ----------------------------------------------------------------------------


def rss_kb(pid: Any = "self", field: str = "VmRSS") -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def plain(result: Any) -> Any:
    if isinstance(result, list):
        return [plain(r) for r in result]
    return result.to_dict()


def child(command: str, folder: str, want_output: bool, baseline_path: str) -> None:
    """Run one command and print what happened as one JSON line."""
    import resource

    import dockopt

    path = os.path.join(folder, "Dockerfile")
    data = Path(path).read_bytes() if command in ("parse", "analyze") else b""
    baseline = rss_kb()
    # Written whole (a rename), so the parent never reads an empty or partial number.
    Path(baseline_path + ".part").write_text(str(baseline))
    os.replace(baseline_path + ".part", baseline_path)
    report: dict[str, Any] = {"baseline_kb": baseline}
    start = time.perf_counter()
    result: Any = None
    try:
        if command == "parse":
            result = dockopt.parse(data)
        elif command == "lint":
            result = dockopt.lint_file(path, config={})
        elif command == "fix":
            result = dockopt.fix_file(path, config={}, write=True)
        elif command == "optimize":
            result = dockopt.optimize_file(path, write=True)
        elif command == "analyze":
            result = dockopt.analyze(data, context=folder)
        else:
            raise SystemExit(f"unknown command {command}")
        report["status"] = "ok"
    except (dockopt.DockoptError, OSError) as e:
        report.update(status="error", message=f"{type(e).__name__}: {e}", offset=getattr(e, "offset", None))
    except BaseException as e:  # a PanicException is a BaseException
        report.update(status="crash", message=f"{type(e).__name__}: {e}")
    report["seconds"] = time.perf_counter() - start
    report["peak_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if want_output:
        report["output"] = report.get("message") or json.dumps(plain(result))
    # The process's own high-water mark: wait4's ru_maxrss also keeps the peak of the parent
    # image it was started from (Linux carries it across exec), e.g. a large pytest process.
    report["peak_kb"] = rss_kb("self", "VmHWM")
    print(json.dumps(report), flush=True)


# --- the parent ---------------------------------------------------------------------------


@dataclass
class Run:
    status: str  # ok, error, crash, timeout, memory
    detail: str = ""
    output: str = ""
    seconds: float = 0.0
    peak_mb: float = 0.0


def run(command: str, folder: Path, max_s: float, max_mb: float, want_output: bool) -> Run:
    with tempfile.TemporaryDirectory(prefix="dockopt-hostile-io-") as io:
        out_path, err_path, base_path = (os.path.join(io, n) for n in ("out", "err", "baseline"))
        with open(out_path, "wb") as out, open(err_path, "wb") as err:
            argv = [sys.executable, __file__, "--child", command, str(folder), "1" if want_output else "0", base_path]
            proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        start = time.monotonic()
        stopped: Optional[tuple[str, str]] = None
        baseline = 0
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if not baseline:
                try:
                    baseline = int(Path(base_path).read_text() or 0)
                except (OSError, ValueError):
                    pass
            net = (rss_kb(proc.pid) - baseline) / 1024
            elapsed = time.monotonic() - start
            # The limit is on the call; the interpreter starts and reads its input first, so
            # memory is judged only once the child has said where the call starts (before, net
            # would be all of the interpreter).
            if stopped is None and baseline and net > max_mb:
                stopped = ("memory", f"stopped at {net:.0f} MB (limit {max_mb:.0f} MB)")
            elif stopped is None and elapsed > max_s + 5:
                stopped = ("timeout", f"stopped after {elapsed:.1f} s (limit {max_s:.1f} s)")
            if stopped:
                os.kill(proc.pid, signal.SIGKILL)
            time.sleep(0.01)
        proc.returncode = os.waitstatus_to_exitcode(status)
        stdout = Path(out_path).read_text(errors="replace")
        stderr = Path(err_path).read_text(errors="replace")
    total_mb = usage.ru_maxrss / 1024
    if stopped:
        return Run(stopped[0], stopped[1], seconds=time.monotonic() - start, peak_mb=total_mb - baseline / 1024)
    lines = stdout.strip().splitlines()
    try:
        report: dict[str, Any] = json.loads(lines[-1])
    except (IndexError, ValueError):
        what = f"signal {-proc.returncode}" if proc.returncode < 0 else f"exit {proc.returncode}"
        tail = stderr.strip().splitlines()[-3:]
        return Run("crash", f"{what}: {' | '.join(tail)}", seconds=time.monotonic() - start, peak_mb=total_mb)
    peak = (int(report.get("peak_kb") or usage.ru_maxrss) - int(report["baseline_kb"])) / 1024
    if "panicked at" in stderr:
        report["status"], report["message"] = "crash", stderr.strip().splitlines()[0]
    return Run(
        report["status"], report.get("message") or "", report.get("output") or "", float(report["seconds"]), peak
    )


def expectation(case: dict[str, Any], command: str) -> tuple[str, list[str]]:
    e = case["expect"]
    if isinstance(e, dict) and "ok" not in e and "error" not in e:
        e = next(e[k] for k in (f"{RUNNER}:{command}", command, f"{RUNNER}:*", "*") if k in e)
    if isinstance(e, str):
        return e, []
    ((kind, subs),) = e.items()
    return kind, list(subs)


def known_failure(case: dict[str, Any], command: str) -> Optional[str]:
    k = case.get("known_failure")
    if k is None or isinstance(k, str):
        return k
    for key in (f"{RUNNER}:{command}", command, f"{RUNNER}:*", "*"):
        if key in k:
            reason: str = k[key]
            return reason
    return None


def limits(table: dict[str, Any], case: dict[str, Any], command: str, input_mb: float, debug: bool) -> tuple[float, float]:
    base = table["limits"][command]
    seconds = base["seconds"] + base["seconds_per_mb"] * input_mb
    mb = base["mb"] + base["mb_per_mb"] * input_mb
    own = case.get("limits", {})
    for over in (own, own.get(command, {})):
        seconds = over.get("seconds", seconds)
        mb = over.get("mb", mb)
    return seconds * (table["debug_time_factor"] if debug else 1), mb


def is_release() -> bool:
    return os.environ.get("DOCKOPT_HOSTILE_BUILD") == "release"


@dataclass
class Outcome:
    case: str
    command: str
    result: str  # ok, FAIL, KNOWN, FIXED?, SKIPPED
    note: str = ""
    seconds: float = 0.0
    max_s: float = 0.0
    peak_mb: float = 0.0
    max_mb: float = 0.0
    problems: list[str] = field(default_factory=list)

    def line(self) -> str:
        if self.result == "SKIPPED":
            return f"{self.case:<30} {self.command:<9} SKIPPED {self.note}"
        s = f"{self.seconds:.2f} ({self.max_s:.1f})"
        m = f"{self.peak_mb:.0f} ({self.max_mb:.0f})"
        return f"{self.case:<30} {self.command:<9} {self.result:<7} {s:>14} {m:>14}  {self.note}"


def skip_reason(case: dict[str, Any]) -> Optional[str]:
    if case.get("heavy") and not is_release():
        return (
            "heavy case, needs a release build of the module (maturin develop --release) "
            "and DOCKOPT_HOSTILE_BUILD=release"
        )
    return None


def run_case(table: dict[str, Any], case: dict[str, Any], command: str) -> Outcome:
    name = case["name"]
    reason = skip_reason(case)
    if reason:
        return Outcome(name, command, "SKIPPED", reason)
    folder = Path(tempfile.mkdtemp(prefix="dockopt-hostile-"))
    try:
        written, unreadable = materialize(case, folder)
        if not unreadable:
            return Outcome(name, command, "SKIPPED", "chmod 000 does not stop this user (root) from reading: not run")
        input_mb = written / 1e6
        max_s, max_mb = limits(table, case, command, input_mb, not is_release())
        before = snapshot(folder) if command in WRITES else None
        want, subs = expectation(case, command)
        r = run(command, folder, max_s, max_mb, bool(subs))
        problems = []
        if r.status in ("ok", "error"):
            if r.status != want:
                problems.append(f"expected {want}, got {r.status}: {r.detail}")
            else:
                missing = [s for s in subs if s not in r.output]
                if missing:
                    problems.append(f"output lacks {missing}")
        else:
            problems.append(f"{r.status}: {r.detail}")
        if r.seconds > max_s and r.status != "timeout":
            problems.append(f"took {r.seconds:.2f} s > {max_s:.1f} s")
        if r.peak_mb > max_mb and r.status != "memory":
            problems.append(f"peak {r.peak_mb:.0f} MB > {max_mb:.0f} MB")
        if before is not None:
            d = damage(before, folder, r.status != "ok")
            if d:
                problems.append(f"files: {d}")
    finally:
        unlock(folder)
        shutil.rmtree(folder, ignore_errors=True)
    k = known_failure(case, command)
    note = "; ".join(problems)
    if k:
        result = "KNOWN" if problems else "FIXED?"
        note = f"{note} [known failure: {k}]" if problems else f"known failure passes now: remove it from the table ({k})"
    else:
        result = "FAIL" if problems else "ok"
    return Outcome(name, command, result, note, r.seconds, max_s, r.peak_mb, max_mb, problems)


def selected(table: dict[str, Any], only: list[str]) -> list[tuple[dict[str, Any], str]]:
    return [
        (case, command)
        for case in table["cases"]
        if not only or case["name"] in only or (case.get("heavy") and "heavy" in only)
        for command in case["commands"]
        if command not in table["cli_only"]
    ]


def header(table: dict[str, Any]) -> str:
    build = "a release build" if is_release() else f"a debug build: time limits x{table['debug_time_factor']}"
    return f"hostile inputs through the Python package ({build})\n" + (
        f"{'case':<30} {'command':<9} {'result':<7} {'s (limit)':>14} {'MB (limit)':>14}  note"
    )


def main(argv: list[str]) -> int:
    if argv[:1] == ["--child"]:
        child(argv[1], argv[2], argv[3] == "1", argv[4])
        return 0
    table = load_table()
    for check in table["generator_check"]:
        if isinstance(check, dict) and generate(check["input"]).hex() != check["hex"]:
            raise SystemExit(f"the generator gives other bytes than the table for {check['input']}")
    only = argv or [s for s in os.environ.get("DOCKOPT_HOSTILE_ONLY", "").split(",") if s]
    print(header(table), flush=True)
    outcomes = []
    for case, command in selected(table, only):
        outcome = run_case(table, case, command)
        print(outcome.line(), flush=True)
        outcomes.append(outcome)
    known = [o for o in outcomes if o.result in ("KNOWN", "FIXED?")]
    if known:
        print(f"\nKNOWN FAILURES ({len(known)}), to fix in dockopt:")
        for o in known:
            print(f"  {o.case} {o.command}: {o.note}")
    failed = [o for o in outcomes if o.result == "FAIL"]
    if failed:
        print(f"\n{len(failed)} hostile cases failed:")
        for o in failed:
            print(f"  {o.case} {o.command}: {o.note}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
