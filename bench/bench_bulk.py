"""Bulk edit benchmark: ``frontmatter-qt set TREE seo.title=...`` against hand-written scripts.

    .venv/bin/python bench/bench_bulk.py [--files 1000] [--memory-files 10000] [--rounds 3]
                                         [--dir DIR] [--settle SECONDS] [--also-in DIR]
                                         [--durable-scripts]

1. **The command against the scripts** (issue 14's target: at least 1.5x faster than the
   python-frontmatter script, 20x faster than the ruamel.yaml script). Each contestant is a
   fresh process on its own fresh copy of a generated tree (copying is not timed, the copy is
   flushed to disk before the clock starts, and no copy is removed before the end: see
   ``fresh_copy``); rounds are interleaved, medians shown:
   - ``frontmatter-qt set TREE seo.title=...`` (default jobs: the CPU count): load, edit,
     verify, atomic durable write; then every file is checked to differ in exactly one line;
   - a python-frontmatter script: ``frontmatter.load``, set, ``frontmatter.dump``;
   - a ruamel.yaml round-trip script: split the front matter, ``YAML()`` load, set, dump, write.
   The two scripts write with a plain ``write_text`` (no temp file, no fsync) and are lossy
   (they re-indent, unfold and re-quote): what people write by hand, not equivalents in safety.
   ``--durable-scripts`` runs each script a second way too, replacing every file as carefully
   as the command does (a temporary file beside it, fsync, rename, fsync of the directory, one
   file at a time as a script is written): the ratios at equal safety, lossiness aside.
2. **What the bulk layer itself costs**, in this process, jobs=1: discovery alone; the engine
   alone (read, ``loads``, edit, ``to_bytes`` per file); ``edit_files`` as a dry run (adds the
   safe reader, chunks, results, the report); ``edit_files`` writing (adds staging, one
   ``syncfs`` per chunk, the checked renames, the directory syncs, closing the replaced
   files). Interleaved rounds, median wall and CPU time. Then what the filesystem itself
   charges per file for a replace by rename (a new inode; the old one freed) against a write
   in place (what the scripts do): on ext4 without a journal, creating a file scans past every
   inode freed in its block group in the last 60 seconds (360 while the freed inode's table
   block is not yet written back), so a temp directory other programs churn (``/tmp``) can
   make this the largest part of the write path (``--dir`` moves the trees). Rounds of part 1
   are about 25 seconds apart here, inside that window: from the second round on, the
   command's temporary files scan past the inodes the previous rounds' replaces freed, unless
   ``--settle 61`` leaves a minute between two runs of the command (the state of one run on a
   quiet disk; without it, that of runs repeated within a minute).
3. **Memory**: the command's peak RSS (the largest of its processes) on ``--files`` and on
   ``--memory-files`` files (target: within 1.5x).
4. With ``--also-in DIR``: part 1 again with the trees in ``DIR``. On a memory filesystem
   (``/dev/shm``) creating, syncing and freeing a file cost next to nothing, so the two runs
   of part 1 side by side say how much of the command's time the disk's charge for an atomic,
   durable replace is (the scripts write in place and never sync).

Timings on a shared machine: the load average is printed with every figure.
"""

from __future__ import annotations

import argparse
import io
import itertools
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from processes import BIN, ENV, QUICKTAKES, compile_package

# Article fixtures; 016 has a trailing tab the pure-Python round-trip scanner refuses.
FIXTURES = [p for p in sorted(QUICKTAKES.glob("0[01]*.md")) if p.name[:3] <= "017"]
FIXTURES = [p for p in FIXTURES if not p.name.startswith("016")]
PER_DIRECTORY = 100
TITLE = "QuickTakes | Oncology"


def generate(root: Path, count: int) -> None:
    """``count`` articles, 100 per directory: the fixtures in turn, each with its own id."""
    texts = [p.read_bytes() for p in FIXTURES]
    for n in range(count):
        directory = root / f"d{n // PER_DIRECTORY:03}"
        if n % PER_DIRECTORY == 0:
            directory.mkdir(parents=True)
        text = texts[n % len(texts)].replace(b"97068", str(1_000_000 + n).encode(), 1)
        (directory / f"article-{n:05}.md").write_bytes(text)


def fresh_copy(template: Path, name: str) -> Path:
    """A new copy of the tree, flushed to disk, so no contestant pays for writing out the copy.

    Copies are never removed while the benchmark runs (the temporary directory goes at the
    end): on ext4 without a journal, creating a file scans past every inode freed in its block
    group in the last minutes, so removing the previous copy (1,000 files) just before a run
    made each temporary file the command creates dearer, a cost the scripts, which write in
    place, never pay.
    """
    target = template.parent / f"{name}-{next(_COPIES)}"
    shutil.copytree(template, target)
    os.sync()
    return target


_COPIES = itertools.count()


# -- the scripts (run in their own process: `bench_bulk.py --script NAME TREE`) ---------------


def split(text: str) -> tuple[str, str]:
    """(front matter, body) of a ``---`` delimited file, as a hand-written script does it."""
    lines = text.split("\n")
    close = next(i for i in range(1, len(lines)) if lines[i].rstrip() == "---")
    return "\n".join(lines[1:close]) + "\n", "\n".join(lines[close + 1 :])


def write_in_place(path: Path, text: str) -> None:
    path.write_text(text, "utf-8")


def write_durably(path: Path, text: str) -> None:
    """How a careful script replaces a file: a temporary file beside it, fsync, rename over
    it, fsync the directory (one file at a time, as such a script is written)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    with os.fdopen(fd, "wb") as out:
        out.write(text.encode("utf-8"))
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, path)
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def run_ruamel(tree: Path, write: Callable[[Path, str], None] = write_in_place) -> int:
    from ruamel.yaml import YAML

    yaml = YAML()  # round-trip mode: comments and key order kept, layout normalised
    yaml.width = 4096
    count = 0
    for path in sorted(tree.rglob("*.md")):
        front_matter, body = split(path.read_text("utf-8-sig"))
        data = yaml.load(front_matter)
        data["seo"]["title"] = TITLE
        out = io.StringIO()
        yaml.dump(data, out)
        write(path, f"---\n{out.getvalue()}---\n{body}")
        count += 1
    return count


def run_python_frontmatter(tree: Path, write: Callable[[Path, str], None] | None = None) -> int:
    import frontmatter

    count = 0
    for path in sorted(tree.rglob("*.md")):
        post = frontmatter.load(path, encoding="utf-8-sig")
        post["seo"]["title"] = TITLE
        if write is None:
            frontmatter.dump(post, path)
        else:
            write(path, frontmatter.dumps(post))  # what frontmatter.dump writes
        count += 1
    return count


SCRIPTS: dict[str, Callable[[Path], int]] = {
    "ruamel": run_ruamel,
    "python-frontmatter": run_python_frontmatter,
    "ruamel-durable": lambda tree: run_ruamel(tree, write_durably),
    "python-frontmatter-durable": lambda tree: run_python_frontmatter(tree, write_durably),
}


# -- measuring processes ------------------------------------------------------------------------


def run_process(argv: list[str]) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak RSS MiB) of a process and the children it waited for."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    assert child.stderr is not None
    errors = child.stderr.read().decode()
    child.stderr.close()
    child.returncode = os.waitstatus_to_exitcode(status)
    assert child.returncode == 0, f"{argv[:3]} exited {child.returncode}: {errors[-2000:]}"
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def command(tree: Path) -> list[str]:
    return [str(BIN / "frontmatter-qt"), "set", str(tree), f"seo.title={TITLE}"]


def script(name: str, tree: Path) -> list[str]:
    return [sys.executable, __file__, "--script", name, str(tree)]


def changed_in_one_line(template: Path, tree: Path) -> int:
    """How many files differ from the template in exactly one line (and nothing else)."""
    count = 0
    for old in sorted(template.rglob("*.md")):
        before = old.read_bytes().split(b"\n")
        after = (tree / old.relative_to(template)).read_bytes().split(b"\n")
        if len(before) == len(after) and sum(map(bytes.__ne__, before, after)) == 1:
            count += 1
    return count


def mount_of(path: Path) -> str:
    """The filesystem ``path`` is on, as /proc/mounts names it (type and mount options: on
    Linux they decide what an atomic replace costs, part 2); the path alone elsewhere."""
    try:
        mounts = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return str(path)
    resolved, best = str(path.resolve()), ("", "", "")
    for line in mounts:
        _, point, kind, options, *_ = line.split()
        inside = resolved == point or resolved.startswith(point.rstrip("/") + "/")
        if inside and len(point) > len(best[0]):
            best = (point, kind, options)
    point, kind, options = best
    return f"{path.parent} ({kind} at {point}, {options})" if point else str(path)


def load() -> str:
    return "load {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def _burn(_: int) -> int:
    total = 0
    for i in range(3_000_000):
        total += i
    return total


def parallel_capacity() -> float:
    """How much faster 2 processes finish 8 pure-Python CPU tasks than 1 (2.0 on 2 free cores)."""
    from concurrent.futures import ProcessPoolExecutor

    start = time.perf_counter()
    for n in range(8):
        _burn(n)
    serial = time.perf_counter() - start
    with ProcessPoolExecutor(2) as pool:
        start = time.perf_counter()
        list(pool.map(_burn, range(8)))
        parallel = time.perf_counter() - start
    return serial / parallel


# -- the parts ------------------------------------------------------------------------------------


def against_scripts(
    template: Path, files: int, rounds: int, settle: float = 0.0, durable: bool = False
) -> None:
    """Part 1. ``settle``: seconds to leave between one run of the command and the next (the
    scripts run in between), so that no run creates its files past the inodes the previous
    one freed (see the module's docstring); 0: as they come. ``durable``: the two scripts
    also run writing each file as the command does, atomically and durably."""
    runs: dict[str, Callable[[Path], list[str]]] = {
        "frontmatter-qt set (jobs=CPUs)": command,
        "python-frontmatter script": lambda tree: script("python-frontmatter", tree),
        "ruamel.yaml round-trip script": lambda tree: script("ruamel", tree),
    }
    if durable:
        runs["python-frontmatter script, durable"] = lambda tree: script(
            "python-frontmatter-durable", tree
        )
        runs["ruamel.yaml script, durable"] = lambda tree: script("ruamel-durable", tree)
    walls: dict[str, list[float]] = {name: [] for name in runs}
    cpus: dict[str, list[float]] = {name: [] for name in runs}
    last_run = -math.inf  # when the command last ended (it frees an inode per file)
    for number in range(rounds):
        for name, argv in runs.items():
            tree = fresh_copy(template, "contestant")
            command_run = name.startswith("frontmatter-qt")
            if command_run:
                time.sleep(max(0.0, last_run + settle - time.monotonic()))
            wall, cpu, _ = run_process(argv(tree))
            if command_run:
                last_run = time.monotonic()
            walls[name].append(wall)
            cpus[name].append(cpu)
            if command_run:
                exact = changed_in_one_line(template, tree)
                assert exact == files, f"round {number}: {exact} of {files} changed in one line"
        print(f"  round {number + 1} done ({load()})", flush=True)
    ours = statistics.median(walls["frontmatter-qt set (jobs=CPUs)"])
    print(
        f"  {'median of ' + str(rounds) + ' rounds':38} {'wall s':>7} {'us/file':>8} {'cpu s':>7}"
    )
    for name in runs:
        wall, cpu = statistics.median(walls[name]), statistics.median(cpus[name])
        ratio = "" if name.startswith("frontmatter-qt") else f"  {wall / ours:5.2f}x slower"
        print(f"  {name:38} {wall:7.2f} {wall / files * 1e6:8.0f} {cpu:7.2f}{ratio}")
    print(f"  every frontmatter-qt run changed each of the {files} files in exactly one line")


def layer_costs(template: Path, rounds: int) -> None:
    import frontmatter_qt as fq
    from frontmatter_qt.bulk import find_files
    from frontmatter_qt.engine import atomic

    def set_seo_title(doc: fq.Document) -> None:
        doc["seo"]["title"] = TITLE

    def engine_only(tree: Path) -> None:
        for path in find_files(tree):
            doc = fq.loads(path.read_bytes(), path=path)
            set_seo_title(doc)
            doc.to_bytes()

    def run(tree: Path, mode: str) -> None:
        report = fq.edit_files([tree], set_seo_title, jobs=1, mode=mode, keep_diffs=False)
        assert not report.failed and report.changed
        atomic._CLOSER.wait()  # the replaced files closed (freed) too: part of writing

    parts: list[tuple[str, Callable[[Path], object]]] = [
        ("discovery (find_files)", find_files),
        ("engine alone (read, loads, edit, to_bytes)", engine_only),
        ("edit_files jobs=1 dry run", lambda tree: run(tree, "dry-run")),
        ("edit_files jobs=1 writing", lambda tree: run(tree, "write")),
    ]
    files = len(find_files(template))
    walls: dict[str, list[float]] = {name: [] for name, _ in parts}
    cpus: dict[str, list[float]] = {name: [] for name, _ in parts}
    for _ in range(rounds):  # interleaved: a burst of load from elsewhere hits every part
        for name, part in parts:
            tree = fresh_copy(template, "layer")
            start, cpu = time.perf_counter(), time.process_time()
            part(tree)
            walls[name].append(time.perf_counter() - start)
            cpus[name].append(time.process_time() - cpu)
    print(f"  {'median of ' + str(rounds) + ', us per file':44} {'wall':>7} {'cpu':>7}")
    wall = {name: statistics.median(times) / files * 1e6 for name, times in walls.items()}
    cpu = {name: statistics.median(times) / files * 1e6 for name, times in cpus.items()}
    for name, _ in parts:
        print(f"  {name:44} {wall[name]:7.0f} {cpu[name]:7.0f}")
    engine, dry, write = (parts[i][0] for i in (1, 2, 3))
    print(
        f"  {'bulk layer without writes (dry run - engine)':44} "
        f"{wall[dry] - wall[engine]:+7.0f} {cpu[dry] - cpu[engine]:+7.0f}"
    )
    print(
        f"  {'writes (staging, sync, renames)':44} "
        f"{wall[write] - wall[dry]:+7.0f} {cpu[write] - cpu[dry]:+7.0f}"
    )
    print(f"  ({load()})")


def filesystem_costs(template: Path, count: int = 500) -> None:
    """What this filesystem charges per file for an atomic replace (a new file, renamed over
    the old one, which is then freed) against a write in place (what the scripts do): the
    floor under the write path's cost, whatever the library does. No syncs in either."""
    tree = fresh_copy(template, "filesystem")
    paths = sorted(tree.rglob("*.md"))[:count]
    count = len(paths)
    data = [path.read_bytes() + b"\n" for path in paths]

    def in_place() -> None:
        for path, new in zip(paths, data, strict=True):
            with open(path, "wb") as out:  # O_TRUNC: the old blocks are freed
                out.write(new)

    def by_rename() -> None:
        for path, new in zip(paths, data, strict=True):
            tmp = path.with_name(f".{path.name}.tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            os.write(fd, new)
            os.close(fd)
            os.replace(tmp, path)

    for name, write in (
        ("write in place (open O_TRUNC, write)", in_place),
        ("replace (create, write, close, rename)", by_rename),
    ):
        start, cpu = time.perf_counter(), time.process_time()
        write()
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
        print(f"  {name:44} {wall / count * 1e6:7.0f} {cpu / count * 1e6:7.0f}")
    print(f"  ({load()}; us per file, wall and cpu, {count} files, no sync)")


def memory(template: Path, files: int, big: int) -> None:
    _, _, small_rss = run_process(command(fresh_copy(template, "memory")))
    large = template.parent / "large"
    generate(large, big)
    os.sync()
    _, _, big_rss = run_process(command(large))
    print(f"  peak RSS of frontmatter-qt set: {small_rss:.0f} MiB on {files} files, ", end="")
    print(f"{big_rss:.0f} MiB on {big} files ({big_rss / small_rss:.2f}x; target <= 1.5x)")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000, help="articles in the timed tree")
    parser.add_argument("--memory-files", type=int, default=10_000, help="the memory check's")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds")
    parser.add_argument(
        "--dir",
        default=None,
        help="where the trees are made (default: the system temp directory; its filesystem "
        "decides what creating a file costs, see part 2)",
    )
    parser.add_argument(
        "--settle",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="leave at least this long between two runs of the command in part 1 (61: none "
        "creates its files past inodes the previous one freed, on ext4 without a journal)",
    )
    parser.add_argument(
        "--also-in",
        default=None,
        metavar="DIR",
        help="run part 1 again with the trees in DIR (say /dev/shm, a memory filesystem): the "
        "ratios when creating, syncing and freeing a file cost next to nothing",
    )
    parser.add_argument(
        "--durable-scripts",
        action="store_true",
        help="part 1 also runs each script writing every file as the command does: a temporary "
        "file beside it, fsync, rename, fsync of the directory (the safety the command gives)",
    )
    parser.add_argument("--script", nargs=2, metavar=("NAME", "TREE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.script:
        name, tree = args.script
        SCRIPTS[name](Path(tree))
        return 0
    compile_package()
    with tempfile.TemporaryDirectory(prefix="fq-bench-", dir=args.dir) as tmp:
        template = Path(tmp) / "template"
        generate(template, args.files)
        print(f"{args.files} articles ({len(FIXTURES)} fixtures), {PER_DIRECTORY} per directory; ")
        print(f"{os.cpu_count()} CPUs; 2 processes run a pure CPU loop ", end="")
        print(f"{parallel_capacity():.2f}x faster than 1 ({load()})")
        print(f"trees on {mount_of(template)}")
        settled = (
            f", {args.settle:g} s or more between two runs of the command" if args.settle else ""
        )
        print(f"1. the command against the scripts (each a process on a fresh copy{settled})")
        against_scripts(template, args.files, args.rounds, args.settle, args.durable_scripts)
        print("2. what the bulk layer costs (this process)")
        layer_costs(template, args.rounds)
        print("   what this filesystem charges per file")
        filesystem_costs(template)
        print("3. memory")
        memory(template, args.files, args.memory_files)
    if args.also_in:
        with tempfile.TemporaryDirectory(prefix="fq-bench-", dir=args.also_in) as tmp:
            template = Path(tmp) / "template"
            generate(template, args.files)
            print(f"4. part 1 again, the trees on {mount_of(template)}")
            against_scripts(template, args.files, args.rounds, args.settle, args.durable_scripts)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
