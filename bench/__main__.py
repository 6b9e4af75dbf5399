"""`python -m bench [pipeline|argos|terms ...]`: run the benchmarks, print their figures."""

from __future__ import annotations

import importlib
import sys

SUITES = ("pipeline", "argos", "terms")


def main(names: list[str]) -> None:
    for name in names or SUITES:
        if name not in SUITES:
            raise SystemExit(f"unknown benchmark {name!r}; choose from {', '.join(SUITES)}")
        print(f"== {name} ==", flush=True)
        importlib.import_module(f"bench.{name}").main()
        print(flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
