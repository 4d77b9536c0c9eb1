"""How the benchmark commands judge their figures (docs/decisions/0017-bench-judging.md).

Every timed figure is printed with its absolute target and, measured in the same run, its
ratio to a baseline: the command's own baseline where it has one (the trajects list without
its permission filter), else the **reference**, a fixed pure-Python loop timed between the
figure's runs. A loaded machine slows the loop and the figure alike, so the ratio says what
the absolute figure would be on the quiet development machine: the ratio's bound is the
absolute target divided by the loop's median there (``REFERENCE_NOMINAL_MS``).

A miss (absolute or ratio) is printed loudly and listed again at the end; it fails the
command (exit status 1) only with ``--strict``. What does not depend on the machine's load —
a query count that varies between runs, memory that grows — is an error and always fails.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

# Iterations of the reference loop, and its median in ms on the quiet 2-core development
# machine, estimated from its fastest runs on the loaded machine (4.2–4.7 ms; contention only
# ever adds): no quiet machine was at hand. Re-measure it on one.
REFERENCE_LOOP = 100_000
REFERENCE_NOMINAL_MS = 4.5


def reference_loop(iterations: int = REFERENCE_LOOP) -> int:
    """A fixed amount of pure-Python work (no I/O, no allocation to speak of)."""
    total = 0
    for i in range(iterations):
        total += i * i % 7
    return total


def add_strict_argument(parser: CommandParser) -> None:
    parser.add_argument(
        "--strict",
        action="store_true",
        help="exit with status 1 when a figure misses its target or ratio "
        "(without it a miss is reported loudly and the exit status stays 0)",
    )


@dataclass
class Reference:
    """Timings (ms) of the reference loop, sampled between the runs of the figures."""

    timings: list[float] = field(default_factory=list)

    def sample(self, times: int = 1) -> None:
        for _ in range(times):
            start = time.perf_counter()
            reference_loop()
            self.timings.append((time.perf_counter() - start) * 1000)

    @property
    def median(self) -> float:
        if not self.timings:
            self.sample(5)
        return statistics.median(self.timings)


def _amount(value: float, unit: str) -> str:
    return f"{value:.3f} {unit}" if unit == "s" else f"{value:.1f} {unit}"


class Judge:
    """Collects the verdicts of one command; ``finish`` prints the summary and decides."""

    def __init__(self, command: BaseCommand, *, strict: bool) -> None:
        self.command = command
        self.strict = strict
        self.misses: list[str] = []
        self.errors: list[str] = []

    def _write(self, text: str, style: Any = None) -> None:
        self.command.stdout.write(style(text) if style else text)

    def figure(
        self,
        label: str,
        value: float,
        *,
        unit: str = "ms",
        target: float | None = None,
        reference: Reference | None = None,
        baseline: float | None = None,
        baseline_name: str = "",
        max_ratio: float | None = None,
    ) -> bool:
        """Judge one median: against ``target`` (same unit) and as a ratio, either to
        ``baseline`` (bound ``max_ratio``) or to the reference loop (bound ``target`` over the
        loop's nominal median). Prints one line; returns whether it was met."""
        shown = _amount(value, unit)
        parts = [f"{label}: {shown}"]
        misses = []
        if target is not None:
            met = value <= target
            parts.append(f"target ≤ {target:g} {unit} {'ok' if met else 'MISS'}")
            if not met:
                misses.append(f"{shown} > {target:g} {unit}")
        if baseline is None and reference is not None and target is not None:
            to_ms = 1000 if unit == "s" else 1
            baseline = reference.median / to_ms
            baseline_name = f"reference loop ({reference.median:.2f} ms)"
            max_ratio = target / (REFERENCE_NOMINAL_MS / to_ms)
        ratio_met = True
        if baseline:
            ratio = value / baseline
            met = ratio_met = max_ratio is None or ratio <= max_ratio
            bound = f" (≤ {max_ratio:.2f}×) {'ok' if met else 'MISS'}" if max_ratio else ""
            parts.append(f"{ratio:.2f}× {baseline_name}{bound}")
            if not met:
                misses.append(f"{ratio:.2f}× {baseline_name} > {max_ratio:.2f}×")
        line = "  judged " + "; ".join(parts)
        if misses:
            if baseline and ratio_met:
                # The code kept its pace relative to the baseline: most likely the machine.
                misses.append("the ratio is within its bound: a loaded machine?")
            self._write(line, self.command.style.ERROR)
            self._write(f"  MISS {label}: " + "; ".join(misses), self.command.style.ERROR)
            self.misses.append(f"{label}: " + "; ".join(misses))
        else:
            self._write(line)
        return not misses

    def error(self, message: str) -> None:
        """A failure that no machine load explains (always fails the command)."""
        self._write(f"  ERROR {message}", self.command.style.ERROR)
        self.errors.append(message)

    def finish(self, success: str) -> None:
        """The summary: every miss and error again; raises ``CommandError`` (exit status 1)
        on an error, or on a miss with ``--strict``."""
        if not self.misses and not self.errors:
            self._write(success, self.command.style.SUCCESS)
            return
        self._write("")
        for miss in self.misses:
            self._write(f"MISS  {miss}", self.command.style.ERROR)
        for error in self.errors:
            self._write(f"ERROR {error}", self.command.style.ERROR)
        if self.errors or self.strict:
            raise CommandError(
                f"{len(self.misses)} target(s) missed, {len(self.errors)} error(s)"
                + ("" if self.errors else " (--strict)")
            )
        self._write(
            f"{len(self.misses)} target(s) missed: not failing without --strict "
            "(see the ratios: on a loaded machine the absolute times are not the code's).",
            self.command.style.WARNING,
        )
