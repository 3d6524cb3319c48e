"""Reading the files the portal's views send, as a user's spreadsheet program would."""

import csv
import io

from django.http import FileResponse, StreamingHttpResponse
from openpyxl import load_workbook


def csv_rows(response) -> list[list[str]]:
    """The rows of a CSV download; list exports stream (never one string in memory)."""
    assert isinstance(response, StreamingHttpResponse), type(response)
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def xlsx_workbook(response):
    """The workbook of an xlsx list download, sent from a file (never built in memory whole)."""
    assert isinstance(response, FileResponse), type(response)
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["Content-Disposition"].endswith('.xlsx"')
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))
