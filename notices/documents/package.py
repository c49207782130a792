"""The notice package of a published run: the public notice (DOCX) and the result list of
each size class (XLSX, the ranking pages' own columns: `rankings.columns`), in one ZIP."""

from __future__ import annotations

import io
import zipfile

from core import exports
from notices.documents.content import notice_document, result_list_title
from notices.documents.word import render_docx
from rankings.choices import SizeClass
from rankings.columns import SCORE_EXPORT_COLUMNS
from rankings.labels import size_class_short
from rankings.models import RankingRun


def result_list_xlsx(run: RankingRun, size_class: str, scores) -> tuple[bytes, int]:
    """One class's result list: the rated companies of the class among `scores`."""
    rows = scores.filter(size_class=size_class).values(*exports.value_keys(SCORE_EXPORT_COLUMNS))
    return exports.export_content(
        fmt=exports.XLSX,
        columns=SCORE_EXPORT_COLUMNS,
        rows=rows.iterator(chunk_size=2000),
        title=f"{run.year} {size_class_short(size_class)}",
    )


def notice_package(run: RankingRun, scores, *, region_name: str = "") -> tuple[bytes, int]:
    """The ZIP and the number of companies its lists hold. `region_name` (county staff's
    region) is added to the lists' file names, so a county's lists never pass for the city's."""
    document = notice_document(run)
    buffer = io.BytesIO()
    listed = 0
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{document.file_stem}.docx", render_docx(document))
        for number, size_class in enumerate(SizeClass.values, start=1):
            content, count = result_list_xlsx(run, size_class, scores)
            listed += count
            name = " ".join(
                part for part in (result_list_title(run, size_class), region_name) if part
            )
            archive.writestr(f"{number}. {name}.xlsx", content)
    return buffer.getvalue(), listed
