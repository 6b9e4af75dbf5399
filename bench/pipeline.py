"""Apertium throughput, cache reruns and memory of the whole pipeline.

Every figure is a ratio against a baseline measured in the same run, since
these machines are noisy: our words/s against one `apertium` process per
segment (the naive way) and against one process over all the text (the
engine's ceiling); a cached rerun against the first run; peak memory at 1,000
articles against 100.

The machine's speed drifts by a third from one minute to the next, so the
figures are taken in ROUNDS: each round times a first run and the ceiling back
to back (in turns, first one then the other) and then a cached rerun, and gives
one ratio of each; the bench prints the median ratio of the rounds and their
range. Each timing starts with the disk synced, so that no timing pays for
writing back what an earlier one wrote.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "tests" / "data" / "newstest2013" / "en.txt"
NAIVE_SAMPLE = 60  # segments (sentences) timed one process each; the rate is extrapolated
ROUNDS = 9


def make_articles(folder: Path, count: int, lines_per_article: int = 3) -> int:
    """Cut `count` articles of consecutive corpus lines into `folder`; return their words."""
    lines = CORPUS.read_text(encoding="utf-8").splitlines()
    words = 0
    folder.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        start = (index * lines_per_article) % (len(lines) - lines_per_article)
        chunk = lines[start : start + lines_per_article]
        words += sum(len(line.split()) for line in chunk)
        (folder / f"article-{index:05d}.txt").write_text("\n\n".join(chunk) + "\n", "utf-8")
    return words


@dataclass(frozen=True)
class Timing:
    seconds: float  # wall
    cpu: float  # seconds of CPU, the process and all it waited for (the engine's stages)
    rss_kib: int = 0  # peak, of the Python process
    python_cpu: float = 0.0  # seconds of CPU of the Python process alone


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_cli(source: Path, out: Path, *extra: str) -> Timing:
    """Run a batch in a fresh process."""
    code = (
        "import resource, sys\n"
        "from translator.cli import main\n"
        "try:\n"
        "    main(sys.argv[1:])\n"
        "except SystemExit as exit:\n"
        "    code = exit.code\n"
        "else:\n"
        "    code = 0\n"
        "usage = resource.getrusage(resource.RUSAGE_SELF)\n"
        "print(usage.ru_utime + usage.ru_stime, usage.ru_maxrss, file=sys.stderr)\n"
        "sys.exit(code)\n"
    )
    args = [sys.executable, "-c", code, str(source), str(out), "--to", "es", "--from", "en"]
    os.sync()
    cpu, started = _children_cpu(), time.perf_counter()
    done = subprocess.run([*args, "--quiet", *extra], capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"batch failed: {done.stderr[-2000:]}")
    python_cpu, rss = done.stderr.strip().splitlines()[-1].split()
    return Timing(seconds, _children_cpu() - cpu, int(rss), float(python_cpu))


def naive_words_per_second(texts: list[str]) -> float:
    started = time.perf_counter()
    for text in texts:
        subprocess.run(["apertium", "eng-spa"], input=text, capture_output=True, text=True)
    return sum(len(t.split()) for t in texts) / (time.perf_counter() - started)


def ceiling(texts: list[str]) -> Timing:
    os.sync()
    cpu, started = _children_cpu(), time.perf_counter()
    subprocess.run(
        ["apertium", "eng-spa"], input="\n\n".join(texts), capture_output=True, text=True
    )
    return Timing(time.perf_counter() - started, _children_cpu() - cpu)


@dataclass(frozen=True)
class Round:
    first: Timing
    ceiling: Timing
    rerun: Timing


def run(articles: int = 1000) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        words = make_articles(root / "in", articles)
        texts = [p.read_text("utf-8") for p in sorted((root / "in").iterdir())]
        rounds = []
        for number in range(ROUNDS):  # each first run writes a new OUT, with its own cache
            out = root / f"out{number}"
            if number % 2:
                top = ceiling(texts)
                first = run_cli(root / "in", out)
            else:
                first = run_cli(root / "in", out)
                top = ceiling(texts)
            rounds.append(Round(first, top, run_cli(root / "in", out)))
        make_articles(root / "in100", 100)
        rss_small = run_cli(root / "in100", root / "out100", "--no-cache").rss_kib
        segments = [line for text in texts for line in text.splitlines() if line.strip()]
        naive = naive_words_per_second(segments[:NAIVE_SAMPLE])
    ceiling_words = len("\n\n".join(texts).split())
    vs_ceiling = sorted(
        (words / r.first.seconds) / (ceiling_words / r.ceiling.seconds) for r in rounds
    )
    reruns = sorted(r.rerun.seconds / r.first.seconds for r in rounds)
    ours = words / statistics.median(r.first.seconds for r in rounds)
    rss_large = max(r.first.rss_kib for r in rounds)
    return {
        "articles": articles,
        "words": words,
        "ours_words_per_s": round(ours, 1),
        "naive_words_per_s": round(naive, 1),
        "ours_vs_naive": round(ours / naive, 2),
        "ours_vs_ceiling": round(statistics.median(vs_ceiling), 2),
        "ours_vs_ceiling_min": round(vs_ceiling[0], 2),
        "ours_vs_ceiling_max": round(vs_ceiling[-1], 2),
        "ours_cpu_s": round(statistics.median(r.first.cpu for r in rounds), 2),
        "ours_python_cpu_s": round(statistics.median(r.first.python_cpu for r in rounds), 2),
        "ceiling_cpu_s": round(statistics.median(r.ceiling.cpu for r in rounds), 2),
        # Both keep every core busy, so this ratio and the one of words/s go together.
        "ceiling_cpu_vs_ours": round(
            statistics.median(r.ceiling.cpu / r.first.cpu for r in rounds), 2
        ),
        "first_run_s": round(statistics.median(r.first.seconds for r in rounds), 2),
        "cached_rerun_s": round(statistics.median(r.rerun.seconds for r in rounds), 2),
        "rerun_vs_first": round(statistics.median(reruns), 3),
        "rerun_vs_first_max": round(reruns[-1], 3),
        "peak_rss_100_mib": round(rss_small / 1024, 1),
        "peak_rss_1000_mib": round(rss_large / 1024, 1),
        "rss_1000_vs_100": round(rss_large / rss_small, 2),
    }


def main() -> None:
    figures = run()
    print(f"Apertium pipeline (en->es), median of {ROUNDS} rounds (range in brackets)")
    print(f"  {figures['articles']} articles, {figures['words']} words")
    print(
        f"  ours {figures['ours_words_per_s']} words/s; vs one process per segment: "
        f"{figures['ours_vs_naive']}x (target >= 20x)"
    )
    print(
        f"  vs one process over all text: {figures['ours_vs_ceiling']}x "
        f"[{figures['ours_vs_ceiling_min']}-{figures['ours_vs_ceiling_max']}] (target >= 0.8x)"
    )
    print(
        f"  CPU time (all processes): ours {figures['ours_cpu_s']} s, of which our Python "
        f"process {figures['ours_python_cpu_s']} s; one process over all text "
        f"{figures['ceiling_cpu_s']} s (ratio {figures['ceiling_cpu_vs_ours']}); "
        f"our wall time {figures['first_run_s']} s"
    )
    print(
        f"  cached rerun {figures['cached_rerun_s']} s = {figures['rerun_vs_first']:.1%} "
        f"of the first run [worst {figures['rerun_vs_first_max']:.1%}] (target <= 5%)"
    )
    print(
        f"  peak RSS {figures['peak_rss_100_mib']} MiB at 100 articles, "
        f"{figures['peak_rss_1000_mib']} MiB at 1000: ratio {figures['rss_1000_vs_100']}"
    )
    print(json.dumps(figures, sort_keys=True))


if __name__ == "__main__":
    main()
