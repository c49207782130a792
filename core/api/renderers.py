"""CSV and XLSX renderers, so `?format=csv|xlsx` is accepted by content negotiation.

List endpoints do not render through these: they hand the whole filtered set to
`core.exports.export_rows` (see `ExportMixin`). These render whatever else is answered
in that format, such as an error, as a small table.
"""

from rest_framework.renderers import BaseRenderer

from core import exports


def _rows(data):
    if isinstance(data, dict) and isinstance(data.get("results"), list):
        data = data["results"]
    if isinstance(data, dict):
        data = [data]
    rows = [row if isinstance(row, dict) else {"value": row} for row in (data or [])]
    columns = list(dict.fromkeys(key for row in rows for key in row))
    return columns, rows


class _TableRenderer(BaseRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        columns, rows = _rows(data)
        if self.format == exports.CSV:
            content, _count = exports.write_csv(
                columns, ([exports.escape_cell(r.get(c)) for c in columns] for r in rows)
            )
        else:
            content, _count = exports.write_xlsx(
                columns, ([exports.escape_cell(r.get(c)) for c in columns] for r in rows), "data"
            )
        return content


class CSVRenderer(_TableRenderer):
    media_type = "text/csv"
    format = exports.CSV
    charset = "utf-8"


class XLSXRenderer(_TableRenderer):
    media_type = exports.CONTENT_TYPES[exports.XLSX]
    format = exports.XLSX
    charset = None
    render_style = "binary"
