"""The production static files storage.

WhiteNoise's compressed manifest storage rewrites every ``url(...)`` in a stylesheet to the
hashed name of the file it points to. The PDF stylesheet (``static/pdf/print.css``) names its
fonts with the renderer's own ``duaal-static:`` scheme, which only the PDF fetcher resolves
(from the source static folders, see ``documents.fetcher``); the manifest cannot resolve it and
``collectstatic`` failed. This storage leaves such URLs as they are and rewrites the rest.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from whitenoise.storage import CompressedManifestStaticFilesStorage

from documents.fetcher import STATIC_SCHEME


class ManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    def url_converter(
        self, name: str, hashed_files: Any, template: str | None = None, ignored_blocks: Any = None
    ) -> Callable[[re.Match[str]], str]:
        convert = super().url_converter(name, hashed_files, template, ignored_blocks)

        def converter(matchobj: re.Match[str]) -> str:
            if matchobj.group("url").startswith(STATIC_SCHEME):
                return matchobj.group("matched")
            return convert(matchobj)

        return converter
