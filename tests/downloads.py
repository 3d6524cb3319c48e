"""Reading the files the portal's views send, as a user's spreadsheet program would."""

import csv
import io

from django.http import StreamingHttpResponse


def csv_rows(response) -> list[list[str]]:
    """The rows of a CSV download; list exports stream (never one string in memory)."""
    assert isinstance(response, StreamingHttpResponse), type(response)
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
