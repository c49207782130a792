"""The shape of an official document, independent of its format: a title, an addressee
(a letter's), headed sections of paragraphs and tables, attachments and the signature.
The DOCX writer and the print page both walk it."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]
    caption: str = ""


@dataclass
class Section:
    """A headed part ("一、评价方法"); an empty heading runs on from the text before it."""

    heading: str = ""
    paragraphs: list[str | Table] = field(default_factory=list)


@dataclass
class OfficialDocument:
    title: str
    sections: list[Section]
    signature: str
    date_text: str
    file_stem: str  # the download's file name without its extension
    addressee: str = ""
    attachments: list[str] = field(default_factory=list)
