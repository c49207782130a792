"""Sort keys for Chinese text: one home for how names are ordered.

Names sort by their Hanyu Pinyin reading (dictionary order), not by Unicode code point,
which would put 张 before 阿. The key is stored beside the name (`Company.name_sort`,
indexed), so every list, API page and export orders by one column and SQLite and
PostgreSQL give the same order.

The key spells each character as a fixed-width cell of ASCII lowercase letters and digits
only: the syllable padded with "0" to six letters, then its tone (1–5, 5 for the neutral
tone). With nothing but [0-9a-z], byte order (SQLite, PostgreSQL's "C" collation) and the
usual locale collations (en_US.UTF-8, which ignores spaces and punctuation) agree; the
fixed width makes "ba" sort before "bai" character by character. Latin letters and digits
take one cell each (a digit cell sorts before every letter cell), other characters none.
"""

from __future__ import annotations

from pypinyin import Style, lazy_pinyin

CELL = 6  # the longest syllables (zhuang, shuang) have six letters
# Enough for the first 64 characters; longer names that share them fall back to the name.
MAX_CHARS = 64
SORT_KEY_LENGTH = (CELL + 1) * MAX_CHARS


def _latin_cells(text: str) -> list[str]:
    return [ch.lower() for ch in text if ch.isascii() and ch.isalnum()]


def pinyin_sort_key(text: str | None) -> str:
    """The stored sort key of `text` (see the module docstring); '' for an empty name."""
    cells = []
    # Phrases are read as words (长城 chang cheng, 银行 yin hang), not character by character.
    for syllable in lazy_pinyin(
        (text or "").strip(),
        style=Style.TONE3,
        neutral_tone_with_five=True,
        errors=_latin_cells,
    ):
        syllable = syllable.lower()
        if syllable[-1:].isdigit() and len(syllable) > 1:
            sound, tone = syllable[:-1], syllable[-1]
        else:  # a Latin letter or digit
            sound, tone = syllable, "0"
        sound = "".join(ch for ch in sound if ch.isascii() and ch.isalnum())
        if sound:
            cells.append(sound[:CELL].ljust(CELL, "0") + tone)
        if len(cells) == MAX_CHARS:
            break
    return "".join(cells)
