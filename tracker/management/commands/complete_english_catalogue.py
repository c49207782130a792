"""Give every English message whose msgid is already English its msgid as translation.

Our msgids are mostly English, and an English msgstr left empty does fall back to them, but an
empty msgstr cannot be told from a forgotten one: tests/tracker/test_translations.py wants
every message of both catalogues translated. This fills in the English ones and lists the
msgids written in Chinese, which need an English text by hand. Only the empty msgstr lines
change, so the file keeps its order and layout (what makemessages would rewrap and reorder).
"""

import ast
import re
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

HAN = re.compile(r"[\u4e00-\u9fff]")


def _quoted(lines: list[str], start: int) -> tuple[list[str], int]:
    """The quoted strings of the field at `start` (its own line's and continuation lines')."""
    parts = [lines[start].split(" ", 1)[1]]
    end = start + 1
    while end < len(lines) and lines[end].startswith('"'):
        parts.append(lines[end])
        end += 1
    return parts, end


def complete(text: str) -> tuple[str, list[str]]:
    """The catalogue `text` with empty English msgstrs filled, and the msgids left to do."""
    blocks = text.split("\n\n")
    left = []
    for index, block in enumerate(blocks):
        lines = block.split("\n")
        fields = {}
        position = 0
        while position < len(lines):
            line = lines[position]
            if line.startswith(("msgid", "msgstr", "msgctxt")):
                name = line.split(" ", 1)[0]
                parts, end = _quoted(lines, position)
                fields[name] = (position, end, parts)
                position = end
            else:
                position += 1
        if "msgid" not in fields or fields["msgid"][2] == ['""']:
            continue  # the header
        msgid = "".join(ast.literal_eval(part) for part in fields["msgid"][2])
        singular = [name for name in ("msgstr", "msgstr[0]") if name in fields]
        empty = [name for name in fields if name.startswith("msgstr") and fields[name][2] == ['""']]
        if not empty:
            continue
        if HAN.search(msgid):
            left.append(msgid)
            continue
        sources = {name: fields["msgid"][2] for name in singular}
        if "msgid_plural" in fields:
            for name in fields:
                if name.startswith("msgstr[") and name != "msgstr[0]":
                    sources[name] = fields["msgid_plural"][2]
        # Replace from the bottom up so earlier positions stay valid.
        for name in sorted(empty, key=lambda n: fields[n][0], reverse=True):
            start, end, _parts = fields[name]
            source = sources[name]
            lines[start:end] = [f"{name} {source[0]}", *source[1:]]
        blocks[index] = "\n".join(lines)
    return "\n\n".join(blocks), left


class Command(BaseCommand):
    help = "Fill the English catalogue's empty msgstrs whose msgid is English with the msgid."

    def handle(self, *args, **options):
        path = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
        text, left = complete(path.read_text(encoding="utf-8"))
        path.write_text(text, encoding="utf-8")
        for msgid in left:
            self.stdout.write(f"needs an English translation: {msgid}")
        self.stdout.write(f"{path}: done; compile it with msgfmt.")
