"""The reminder rules of recognition (plug-in of the reminder engine, ``notifications``).

The engine discovers this module; each side of recognition keeps its rules in a module of
its own and is imported here.
"""

from recognition import programmatie_reminders  # noqa: F401 - registers the programmatie rules
