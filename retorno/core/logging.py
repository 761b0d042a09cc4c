"""Keep personal data out of logs.

A search box puts a name in the query string, and Django's request log lines
repeat the path; this filter cuts every query string from log messages and drops
the request object so no handler can print its body or cookies.
"""

from __future__ import annotations

import logging
import re

_QUERY = re.compile(r"\?[^\s\"']*")


class RedactPersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.args:
            record.msg = record.getMessage()
            record.args = None
        record.msg = _QUERY.sub("?[redacted]", str(record.msg))
        if hasattr(record, "request"):
            record.request = None
        return True
