"""A logging filter that keeps personal data out of logs and error reports."""

import logging
import re

QUERY_STRING = re.compile(r"\?[^\s\"']*")


def _strip(value):
    return QUERY_STRING.sub("?…", value) if isinstance(value, str) else value


class NoPersonalDataFilter(logging.Filter):
    """Drops the request (its body, cookies, headers) from records and cuts query strings out of messages."""

    def filter(self, record: logging.LogRecord) -> bool:
        if hasattr(record, "request"):
            del record.request
        record.msg = _strip(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_strip(arg) for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {key: _strip(arg) for key, arg in record.args.items()}
        return True
