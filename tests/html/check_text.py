#!/usr/bin/env python3
"""Checks the visible text of the stage report's page, as headless Chromium built it.

Usage: check_text.py DOM REPORT_JSON

DOM is the page's DOM as `chromium --headless --dump-dom` prints it; REPORT_JSON the JSON report
of the same data. The visible text is every text node outside <head>, <style> and <script>
(the SVG charts' <text> included). It is what an official signs, so it must hold:
- no ASCII comma, semicolon or colon: a 公文 writes ，；：;
- no figure key of the JSON report (`pledge.practical.total`): figures go by Chinese labels;
- no Latin letter but the program's name (chuangzheng): no identifier, no English;
- every direct subordinate of the scope, by name, in the table 附表一 (the city departments too).
Exits 1 naming each offence with the text around it.
"""
import html.parser
import json
import re
import sys

ALLOWED_LATIN = {"chuangzheng"}


class Visible(html.parser.HTMLParser):
    """Collects the text nodes a reader sees."""

    HIDDEN = {"head", "style", "script", "title"}

    def __init__(self):
        super().__init__()
        self.stack, self.texts = [], []

    def handle_starttag(self, tag, attrs):
        self.stack.append(tag)

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop() != tag:
            pass

    def handle_data(self, data):
        if data.strip() and not self.HIDDEN.intersection(self.stack):
            self.texts.append(data.strip())


def offences(texts, keys):
    found = []
    for t in texts:
        for ch in ",;:":
            if ch in t:
                found.append(f"ASCII {ch!r} in: {t[:80]}")
        for k in keys:
            if k in t:
                found.append(f"figure key {k} in: {t[:80]}")
        for word in re.findall(r"[A-Za-z]+", t):
            if word not in ALLOWED_LATIN:
                found.append(f"Latin {word!r} in: {t[:80]}")
    return found


def main():
    dom, report = sys.argv[1], sys.argv[2]
    parser = Visible()
    parser.feed(open(dom, encoding="utf-8").read())
    doc = json.load(open(report, encoding="utf-8"))
    texts = parser.texts
    if sum(len(t) for t in texts) < 2000:
        sys.exit(f"{dom}: only {len(texts)} text nodes: the page did not render")
    found = offences(texts, list(doc["figures"]))
    cells = set(texts)
    for part in doc["parts"]:
        if part["name"] not in cells:
            found.append(f"the direct subordinate {part['name']} is not in 附表一")
    if found:
        print("\n".join(found[:40]), file=sys.stderr)
        sys.exit(f"{dom}: {len(found)} offences in the visible text")
    print(f"{dom}: {len(texts)} text nodes, full-width punctuation, no figure key or English, "
          f"{len(doc['parts'])} direct subordinates listed")


if __name__ == "__main__":
    main()
