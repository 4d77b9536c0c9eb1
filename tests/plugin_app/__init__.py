"""A stand-in domain app for the engine tests: one plug-in of each kind.

Installed only inside ``tests.test_plugins.plugged_in()`` (an ``INSTALLED_APPS`` override), so
its modules are found by the same discovery the real apps go through at start-up.
"""
