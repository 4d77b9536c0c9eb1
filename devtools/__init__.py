"""Developer tools: the dataset generator and the benchmarks of ``make bench``.

Installed only when ``DJANGO_ENV`` is not ``production`` (``duaal.settings``); nothing in the
application imports this package.
"""
