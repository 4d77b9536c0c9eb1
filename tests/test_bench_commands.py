"""The benchmark commands report a missed target loudly and exit 0; with ``--strict`` they
exit 1 (docs/decisions/0017-bench-judging.md). Small sizes: these test the judging, not the
speed. The exit status is the one ``manage.py`` gives (``run_from_argv``)."""

from __future__ import annotations

import pytest
from django.core.management import base, load_command_class

from devtools import judging
from devtools.management.commands import bench, bench_pdf

pytestmark = pytest.mark.django_db


def run(monkeypatch, capsys, command: str, *args: str) -> tuple[int, str]:
    """Exit status and output of ``manage.py <command> <args>``, in this process."""
    # run_from_argv closes the connections at the end: not the one holding this test's data.
    monkeypatch.setattr(base.connections, "close_all", lambda: None)
    try:
        load_command_class("devtools", command).run_from_argv(["manage.py", command, *args])
        status = 0
    except SystemExit as exit:
        status = int(exit.code or 0)
    captured = capsys.readouterr()
    return status, captured.out + captured.err


def test_bench_reminders_misses_loudly_and_fails_only_when_strict(monkeypatch, capsys):
    small = ("--subjects", "200", "--runs", "1")
    status, out = run(monkeypatch, capsys, "bench_reminders", *small, "--budget", "0.000001")
    assert status == 0
    assert "target ≤ 1e-06 s MISS" in out
    assert "× reference loop" in out
    assert "MISS  insert + claim median" in out  # the summary at the end
    assert "not failing without --strict" in out

    strict = ("--reuse", "--strict")
    status, out = run(monkeypatch, capsys, "bench_reminders", *small, *strict, "--budget", "1e-6")
    assert status == 1
    assert "target(s) missed" in out and "(--strict)" in out

    # Met: strict or not, exit 0.
    status, out = run(monkeypatch, capsys, "bench_reminders", *small, *strict, "--budget", "600")
    assert status == 0
    assert "MISS" not in out and "within 600.0 s" in out


def test_bench_pdf_misses_loudly_and_fails_only_when_strict(monkeypatch, capsys):
    monkeypatch.setattr(bench_pdf, "RACI_TARGET_MS", 0.001)
    monkeypatch.setattr(bench_pdf, "REPORT_PAGES", 3)  # fewer renders to pad the sheet
    small = ("--iterations", "1", "--memory-renders", "2")
    status, out = run(monkeypatch, capsys, "bench_pdf", *small)
    assert status == 0
    assert "RACI matrix A1 median" in out and "target ≤ 0.001 ms MISS" in out
    assert "traject sheet median" in out and "target ≤ 1500 ms" in out  # its own target
    status, out = run(monkeypatch, capsys, "bench_pdf", *small, "--strict")
    assert status == 1


def test_bench_misses_loudly_and_fails_only_when_strict(monkeypatch, capsys):
    monkeypatch.setattr(bench, "COVERAGE_TARGET_MS", 0.001)
    small = ("--students", "20", "--iterations", "1", "--skip-pages")
    status, out = run(monkeypatch, capsys, "bench", *small)
    assert status == 0
    assert "coverage page (GET) median" in out and "target ≤ 0.001 ms MISS" in out
    assert "× the unfiltered list (≤ 1.30×)" in out  # the trajects list's own baseline
    status, out = run(monkeypatch, capsys, "bench", *small, "--strict")
    assert status == 1


def test_an_error_no_load_explains_fails_without_strict(capsys):
    command = load_command_class("devtools", "bench_reminders")
    judge = judging.Judge(command, strict=False)
    judge.figure("fast", 1.0, target=2.0)
    judge.error("the number of queries varies [3, 4]")
    with pytest.raises(base.CommandError, match="1 error"):
        judge.finish("fine")


def test_the_ratio_to_the_reference_loop_is_bounded_by_the_target():
    command = load_command_class("devtools", "bench_reminders")
    reference = judging.Reference(timings=[2 * judging.REFERENCE_NOMINAL_MS] * 3)
    judge = judging.Judge(command, strict=True)
    # Twice the target on a machine where the loop runs twice as slow: the ratio is met, the
    # absolute target is not (reported as a likely load).
    assert not judge.figure("slow machine", 280.0, target=150.0, reference=reference)
    assert judge.misses == [
        "slow machine: 280.0 ms > 150 ms; the ratio is within its bound: a loaded machine?"
    ]
    assert judge.figure("fine", 100.0, target=150.0, reference=reference)
    assert not judge.figure("slow code", 400.0, target=150.0, reference=reference)
    assert f"> {150 / judging.REFERENCE_NOMINAL_MS:.2f}×" in judge.misses[-1]
