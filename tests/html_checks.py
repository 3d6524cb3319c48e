"""Two checks of the Nu Html Checker that pages failed, without Java: duplicate ids and a
raw "<" in text (it must be written &lt;)."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)  # entities stay entities; a raw "<" stays text
        self.ids: list[str] = []
        self.raw_lt: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self._in_script = tag in {"script", "style"}
        self.ids += [value for name, value in attrs if name == "id" and value is not None]

    def handle_startendtag(self, tag, attrs):
        self.ids += [value for name, value in attrs if name == "id" and value is not None]

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if "<" in data and not self._in_script:
            self.raw_lt.append(data.strip()[:80])


def html_problems(html: str) -> list[str]:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    problems = [f"duplicate id {name!r} ({count}x)" for name, count in Counter(collector.ids).items() if count > 1]
    problems += [f"raw '<' in text: {text!r}" for text in collector.raw_lt]
    return problems
