"""Check every row of an import and prepare the records it would write.

Each problem names the row as the user numbers it, the column as the user's file heads it,
and what is wrong, so the whole file can be fixed in one pass. Cell values are read by
column kind (see columns.py), then each record is validated by the model's own
`full_clean`, so the import accepts exactly what the forms and the API accept.

Two things full_clean would do row by row are done here in bulk, for speed on 10,000-row
files: foreign keys are resolved from lookups loaded once (so `full_clean` excludes them),
and uniqueness is checked against maps of the existing keys and the keys seen earlier in
the file. Check constraints are enforced by the column readers (year ranges), the field
validators (non-negative figures) and the explicit date-order check below; the database
constraints stay as the last line of defence inside the import's transaction.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import CharField, TextField
from django.utils.translation import get_language

from companies.models import AnnualData, Company, DemonstrationBatch, Industry, KeyIndustry, Region
from companies.models.annual import FIGURE_FIELDS
from companies.plausibility import (
    COMPARED_FIELDS,
    confirmation_note,
    jumps_against,
)
from companies.validators import validate_credit_code
from core.scoping import scope_of
from core.services import record_clean_in_bulk
from projects.models import KeyProject
from reporting.signals import locked_changes, locked_message
from tracker.imports.columns import COLUMNS, KEYS, Column, match_headers
from tracker.imports.messages import Message, from_validation_error, in_every_language
from tracker.imports.messages import Text as _
from tracker.imports.readers import FormulaCell, Table
from tracker.models import ImportKind

PROGRESS_EVERY = 250
_LOOKUP_CHUNK = 500

TRUE_WORDS = {"1", "true", "yes", "y", "t", "是", "有", "√", "✓", "对"}
FALSE_WORDS = {"0", "false", "no", "n", "f", "否", "无", "×", "✗", "不是"}
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")
# What a cell holds to empty a field: an empty cell leaves the stored value as it is, so a
# row that fills one figure never wipes the others (issue 10).
CLEAR_MARKER = "-"


class _Keep:
    """An empty cell: the field keeps its stored value (a new record takes the default)."""

    def __repr__(self):
        return "KEEP"


class _Clear:
    """The clear marker: the field is emptied."""

    def __repr__(self):
        return "CLEAR"


KEEP = _Keep()
# Columns whose cell names another record; the row's checks cannot run without it.
REFERENCE_KINDS = frozenset({"region", "industry", "key_industry", "batch"})
CLEAR = _Clear()


@dataclass(frozen=True)
class Problem:
    row: int | None
    column: Message | str
    message: Message | str  # a Message is stored in every language

    def as_dict(self) -> dict:
        return {
            "row": self.row,
            "column": str(self.column),
            # A header the file itself has is shown as written; one it lacks, in each language.
            "columns": in_every_language(self.column) if isinstance(self.column, Message) else {},
            "message": str(self.message),
            "messages": in_every_language(self.message),
        }


@dataclass
class Prepared:
    """A record of the file: new (to create) or an existing one, with what the row changes
    ({field name: (stored value, new value)}, values as `Field.value_from_object` gives
    them; for a new record, from the model's default; empty for an unchanged record)."""

    instance: object
    is_new: bool
    row: int
    changes: dict = field(default_factory=dict)
    # The confirmation note of the row's year-on-year warnings (companies.plausibility),
    # its history's change reason once the user confirmed them; "" without warnings.
    warning_note: str = ""

    @property
    def action(self) -> str:
        if self.is_new:
            return "create"
        return "update" if self.changes else "unchanged"


@dataclass
class Result:
    problems: list[Problem] = field(default_factory=list)
    # Year-on-year jumps: written only once the user confirms them, unlike problems.
    warnings: list[Problem] = field(default_factory=list)
    prepared: list[Prepared] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)  # model fields the file sets
    total_rows: int = 0

    @property
    def bad_rows(self) -> int:
        return len({p.row for p in self.problems if p.row and p.row > 1})

    @property
    def good_rows(self) -> int:
        return self.total_rows - self.bad_rows


class CellError(Exception):
    pass


def header_in_reader_language(column: Column) -> Message:
    """A template column's header, in the language it is shown in."""
    return Message(lambda: column.header(get_language() or settings.LANGUAGE_CODE))


def choices_in_reader_language(labels: dict[str, tuple[str, str]]) -> Message:
    """The labels a choice cell accepts, listed in the language they are shown in."""

    def render() -> str:
        if (get_language() or settings.LANGUAGE_CODE).startswith("en"):
            return ", ".join(en for _zh, en in labels.values())
        return "、".join(zh for zh, _en in labels.values())

    return Message(render)


def validate_table(
    *,
    kind: str,
    table: Table,
    user,
    progress: Callable[[int], None] | None = None,
    model_checks: bool = True,
) -> Result:
    """Check every row of `table` for an import of `kind` on behalf of `user`.

    `model_checks=False` skips the per-row `full_clean`: the import passes it when it re-reads
    a file whose dry run already ran it on the same bytes. What can change in between (which
    companies and records exist, their regions, the reference tables) is checked again
    either way."""
    result = Result(total_rows=len(table.rows))
    positions, unknown, duplicated = match_headers(kind, table.headers)
    for header in unknown:
        result.problems.append(
            Problem(
                1,
                header,
                _("Unknown column. Use the headers of the template, or delete this column."),
            )
        )
    for header in duplicated:
        result.problems.append(Problem(1, header, _("This column appears more than once.")))
    present = {column.field for column in positions.values()}
    for column in COLUMNS[kind]:
        if column.required and column.field not in present:
            result.problems.append(
                Problem(
                    1,
                    header_in_reader_language(column),
                    _("Required column “%(zh)s” (%(en)s) is missing.")
                    % {"zh": column.zh, "en": column.en},
                )
            )
    if result.problems:
        return result  # without the right columns the rows cannot be read meaningfully
    result.fields = [c.field for c in positions.values() if c.field != "credit_code"]
    checker = _CHECKERS[kind](table=table, positions=positions, user=user, result=result)
    checker.model_checks = model_checks
    checker.run(progress)
    return result


class _Checker:
    model = None

    def __init__(self, *, table: Table, positions: dict[int, Column], user, result: Result):
        self.table = table
        self.positions = positions
        self.header_of = {c.field: table.headers[p] for p, c in positions.items()}
        self.columns = {c.field: c for c in positions.values()}
        self.user = user
        self.scope = scope_of(user)
        self.result = result
        self.refs = _References()
        self.failed_rows: set[int] = set()  # rows with a problem of their own cells
        self.unreadable: dict[int, set[str]] = {}  # row -> fields whose cell could not be read

    # -- reading cells ------------------------------------------------------------------
    def problem(self, row: int, field_name: str, message: Message | str) -> None:
        self.result.problems.append(self.finding(row, field_name, message))

    def finding(self, row: int, field_name: str, message: Message | str) -> Problem:
        column = self.header_of.get(field_name)
        if column is None:
            column = next(
                (header_in_reader_language(c) for c in COLUMNS[self.kind] if c.field == field_name),
                field_name,
            )
        return Problem(row, column, message)

    def read_row(self, number: int, cells: list) -> dict | None:
        """The row's values by field. A cell that cannot be read is named as a problem and
        left out (as if empty), so the row's other cells are still checked against the
        model: the dry run lists every problem of a row at once. The row itself will not be
        imported (`failed_rows`). None when a key cell cannot be read: nothing to look up."""
        values: dict = {}
        width = len(self.table.headers)
        if any(v not in (None, "") for v in cells[width:]):
            self.result.problems.append(
                Problem(number, "", _("This row has values in columns without a header."))
            )
            self.failed_rows.add(number)
        for position, column in self.positions.items():
            raw = cells[position] if position < len(cells) else None
            try:
                values[column.field] = self.read_cell(column, raw)
            except CellError as exc:
                self.problem(number, column.field, exc.args[0])
                self.failed_rows.add(number)
                self.unreadable.setdefault(number, set()).add(column.field)
                values[column.field] = KEEP
        unreadable = self.unreadable.get(number, set())
        if any(
            name in KEYS[self.kind] or self.columns[name].kind in REFERENCE_KINDS
            for name in unreadable
        ):
            return None  # nothing to look the record up by, or a link the checks need
        return values

    def read_cell(self, column: Column, raw):
        if isinstance(raw, FormulaCell):
            raise CellError(
                _("Formulas are not accepted (%(formula)s). Paste the values instead.")
                % {"formula": raw.text[:40]}
            )
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if column.required:
                raise CellError(_("This column is required."))
            return KEEP
        if isinstance(raw, str) and raw.strip() == CLEAR_MARKER:
            if column.required:
                raise CellError(_("This column is required."))
            return CLEAR
        return getattr(self, f"_read_{column.kind}")(column, raw)

    def _read_text(self, column, raw):
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        if isinstance(raw, datetime.date):
            raw = raw.isoformat()
        return str(raw).strip()

    def _read_credit_code(self, column, raw):
        code = self._read_text(column, raw).upper()
        try:
            validate_credit_code(code)
        except ValidationError as exc:
            raise CellError(from_validation_error(exc)) from exc
        return code

    def _read_int(self, column, raw):
        if isinstance(raw, bool):
            raise CellError(_("Enter a whole number."))
        if isinstance(raw, float):
            if not math.isfinite(raw) or not raw.is_integer():
                raise CellError(_("Enter a whole number, not “%(value)s”.") % {"value": raw})
            raw = int(raw)
        if isinstance(raw, str):
            text = raw.replace(",", "").replace("，", "").strip()
            if not re.fullmatch(r"[-+]?\d+(\.0+)?", text):
                raise CellError(_("Enter a whole number, not “%(value)s”.") % {"value": raw[:40]})
            raw = int(Decimal(text))
        if not isinstance(raw, int):
            raise CellError(_("Enter a whole number."))
        low, high = column.limits or (None, None)
        if low == 0 and raw < 0:
            raise CellError(_("This figure cannot be negative."))
        if (low is not None and raw < low) or (high is not None and raw > high):
            raise CellError(
                _("Enter a whole number between %(low)s and %(high)s.") % {"low": low, "high": high}
            )
        return raw

    _read_year = _read_int

    def _read_decimal(self, column, raw):
        if isinstance(raw, bool) or isinstance(raw, datetime.date):
            raise CellError(_("Enter a number."))
        max_digits, places = column.limits
        if isinstance(raw, float):
            if not math.isfinite(raw):
                raise CellError(_("Enter a finite number."))
            value = Decimal(repr(raw))
            # Spreadsheet floats carry binary noise (0.1 + 0.2); round it off, but only noise.
            rounded = value.quantize(Decimal(1).scaleb(-places)) if abs(value) < 10**20 else value
            if abs(rounded - value) < Decimal("1e-6"):
                value = rounded
        elif isinstance(raw, int):
            value = Decimal(raw)
        else:
            text = str(raw).replace(",", "").replace("，", "").strip()
            try:
                value = Decimal(text)
            except InvalidOperation as exc:
                raise CellError(
                    _("Enter a number, not “%(value)s”.") % {"value": str(raw)[:40]}
                ) from exc
            if not value.is_finite():
                raise CellError(_("Enter a finite number."))
        digits_before = max(value.adjusted() + 1, 0)
        if digits_before > max_digits - places:
            raise CellError(
                _("The number is too large: at most %(n)d digits before the decimal point.")
                % {"n": max_digits - places}
            )
        quantized = value.quantize(Decimal(1).scaleb(-places))
        if quantized != value:  # only more places than the field keeps round
            raise CellError(
                _("At most %(n)d decimal places, not “%(value)s”.")
                % {"n": places, "value": str(raw)[:40]}
            )
        return quantized

    def _read_date(self, column, raw):
        if isinstance(raw, datetime.datetime):
            return raw.date()
        if isinstance(raw, datetime.date):
            return raw
        text = str(raw).strip()
        for fmt in _DATE_FORMATS:
            try:
                return datetime.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        raise CellError(_("Enter a date like 2019-06-30, not “%(value)s”.") % {"value": text[:40]})

    def _read_bool(self, column, raw):
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, int | float) and raw in (0, 1):
            return bool(raw)
        text = str(raw).strip().casefold()
        if text in TRUE_WORDS:
            return True
        if text in FALSE_WORDS:
            return False
        raise CellError(
            _("Enter yes or no (是/否, 1/0), not “%(value)s”.") % {"value": str(raw)[:40]}
        )

    def _read_choice(self, column, raw):
        text = str(raw).strip().casefold()
        labels = column.choice_labels
        for value, (zh, en) in labels.items():
            if text in (str(value).casefold(), zh.casefold(), en.casefold()):
                return str(value)
        allowed = choices_in_reader_language(labels)
        raise CellError(
            _("Unknown value “%(value)s”. Allowed: %(allowed)s.")
            % {"value": str(raw)[:40], "allowed": allowed}
        )

    def _read_region(self, column, raw):
        return self._lookup(self.refs.regions, raw, _("Unknown region “%(value)s”."))

    def _read_industry(self, column, raw):
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        text = str(raw).strip()
        if re.fullmatch(r"[Cc]\d{2}", text):
            text = text[1:]
        return self._lookup(self.refs.industries, text, _("Unknown industry “%(value)s”."))

    def _read_key_industry(self, column, raw):
        return self._lookup(
            self.refs.key_industries, raw, _("Unknown key subdivision industry “%(value)s”.")
        )

    def _read_batch(self, column, raw):
        number = self._read_int(column, raw)
        batch = self.refs.batches.get(number)
        if batch is None:
            raise CellError(_("There is no demonstration batch number %(n)s.") % {"n": number})
        return batch

    @staticmethod
    def _lookup(table: dict, raw, message: str):
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        found = table.get(str(raw).strip().casefold())
        if found is None:
            raise CellError(message % {"value": str(raw)[:40]})
        return found

    # -- the pass over the rows -----------------------------------------------------------
    def run(self, progress) -> None:
        parsed: list[tuple[int, dict]] = []
        for index, (number, cells) in enumerate(self.table.rows, start=1):
            values = self.read_row(number, cells)
            if values is not None:
                parsed.append((number, values))
            if progress and index % PROGRESS_EVERY == 0:
                progress(index // 2)
        self.load_existing(values for _n, values in parsed)
        seen: dict[tuple, int] = {}
        for index, (number, values) in enumerate(parsed, start=1):
            key = tuple(values[k] for k in KEYS[self.kind])
            first = seen.setdefault(key, number)
            if first != number:
                self.problem(
                    number,
                    "credit_code",
                    _("Same key as row %(row)d (%(key)s): a record may appear only once in a file.")
                    % {"row": first, "key": " / ".join(str(k) for k in key)},
                )
                continue
            self.check_row(number, values)
            if progress and index % PROGRESS_EVERY == 0:
                progress(len(self.table.rows) // 2 + index // 2)
        if progress:
            progress(len(self.table.rows))

    model_checks = True

    def full_clean(self, number: int, instance) -> bool:
        if not self.model_checks:
            return number not in self.failed_rows
        try:
            # The bulk write's own validation, here with every problem named by row.
            record_clean_in_bulk(instance)
        except ValidationError as exc:
            unreadable = self.unreadable.get(number, set())
            for field_name, errors in exc.error_dict.items():
                if field_name in unreadable:
                    continue  # its cell's own problem is named already
                for error in errors:
                    self.problem(
                        number,
                        "" if field_name == "__all__" else field_name,
                        from_validation_error(error),
                    )
            return False
        return number not in self.failed_rows

    def company_for(self, number: int, code: str) -> Company | None:
        company = self.companies.get(code)
        if company is None:
            self.problem(
                number,
                "credit_code",
                _("No company has this credit code. Import the company first."),
            )
            return None
        if not self.may_write_region(company.region_id):
            self.problem(
                number,
                "credit_code",
                _("This company belongs to %(region)s; you may import only rows of your region.")
                % {"region": self.refs.region_name(company.region_id)},
            )
            return None
        return company

    def may_write_region(self, region_id) -> bool:
        return self.scope.may_write_in_region(region_id)

    def load_companies(self, codes: Iterable[str]) -> dict[str, Company]:
        codes = sorted(set(codes))
        found: dict[str, Company] = {}
        for start in range(0, len(codes), _LOOKUP_CHUNK):
            chunk = codes[start : start + _LOOKUP_CHUNK]
            found.update({c.credit_code: c for c in Company.objects.filter(credit_code__in=chunk)})
        return found

    def set_fields(self, number: int, instance, values: dict) -> dict | None:
        """Copy the file's values onto the record and return what changes ({field: (old,
        new)}), or None after naming a problem. An empty cell leaves the field as it is
        (for a new record: the model's default); the clear marker empties it, where the
        field may be empty."""
        meta = instance._meta
        changes = {}
        ok = True
        for name in self.result.fields:
            value = values[name]
            if value is KEEP:
                continue
            model_field = meta.get_field(name)
            if value is CLEAR:
                if model_field.null:
                    value = None
                elif model_field.blank and isinstance(model_field, CharField | TextField):
                    value = ""
                else:
                    self.problem(
                        number,
                        name,
                        _("This field cannot be emptied; leave the cell empty to keep its value."),
                    )
                    ok = False
                    continue
            old = model_field.value_from_object(instance)
            setattr(instance, name, value)
            new = model_field.value_from_object(instance)
            if old != new:
                changes[name] = (old, new)
        return changes if ok else None


class _CompanyChecker(_Checker):
    kind = ImportKind.COMPANIES

    def load_existing(self, rows):
        self.companies = self.load_companies(v["credit_code"] for v in rows)

    def check_row(self, number, values):
        company = self.companies.get(values["credit_code"])
        is_new = company is None
        if is_new:
            company = Company(credit_code=values["credit_code"])
        elif not self.may_write_region(company.region_id):
            self.problem(
                number,
                "credit_code",
                _("This company belongs to %(region)s; you may import only rows of your region.")
                % {"region": self.refs.region_name(company.region_id)},
            )
            return
        region = values.get("region")
        if region is not None and not self.may_write_region(region.pk):
            self.problem(number, "region", _("You may import only companies of your own region."))
            return
        changes = self.set_fields(number, company, values)  # None: a problem is named
        if self.full_clean(number, company) and changes is not None:
            self.result.prepared.append(Prepared(company, is_new, number, changes))


class _AnnualChecker(_Checker):
    kind = ImportKind.ANNUAL_DATA

    def load_existing(self, rows):
        rows = list(rows)
        self.companies = self.load_companies(v["credit_code"] for v in rows)
        ids = sorted(c.pk for c in self.companies.values())
        years = sorted({v["year"] for v in rows})
        self.existing: dict[tuple[int, int], AnnualData] = {}
        for start in range(0, len(ids), _LOOKUP_CHUNK):
            chunk = ids[start : start + _LOOKUP_CHUNK]
            for data in AnnualData.objects.live().filter(company_id__in=chunk, year__in=years):
                self.existing[(data.company_id, data.year)] = data
        # Every earlier live row of these companies, oldest first, for the year-on-year
        # warnings (companies.plausibility) without a query per row.
        self.earlier: dict[int, list[dict]] = {}
        last_year = max(years, default=0)
        for start in range(0, len(ids), _LOOKUP_CHUNK):
            chunk = ids[start : start + _LOOKUP_CHUNK]
            stored = (
                AnnualData.objects.live()
                .filter(company_id__in=chunk, year__lt=last_year)
                .order_by("year")
                .values("company_id", "year", *COMPARED_FIELDS)
            )
            for values in stored:
                self.earlier.setdefault(values["company_id"], []).append(values)

    def check_row(self, number, values):
        company = self.company_for(number, values["credit_code"])
        if company is None:
            return
        data = self.existing.get((company.pk, values["year"]))
        is_new = data is None
        if is_new:
            data = AnnualData(company=company)
        changes = self.set_fields(number, data, values)  # None: a problem is named
        if self.full_clean(number, data) and changes is not None:
            self.result.prepared.append(Prepared(data, is_new, number, changes))

    def run(self, progress) -> None:
        super().run(progress)
        self.refuse_locked()
        self.warn()

    def refuse_locked(self) -> None:
        """Name each row that would change a year the city confirmed (reporting's lock, two
        queries for the whole file); the write path would refuse it anyway, but without
        the row."""
        updates = {id(p.instance): p for p in self.result.prepared if p.action == "update"}
        locked = locked_changes([p.instance for p in updates.values()])
        for data, (company_id, year) in locked:
            item = updates[id(data)]
            field_name = next((name for name in item.changes if name in FIGURE_FIELDS), "")
            message = Message(lambda c=company_id, y=year: locked_message(c, y))
            self.problem(item.row, field_name, message)
        if locked:
            refused = {id(data) for data, _pair in locked}
            self.result.prepared = [
                p for p in self.result.prepared if id(p.instance) not in refused
            ]

    def warn(self) -> None:
        """Name each row's year-on-year jumps as warnings, and keep their confirmation note
        on the row. A row is compared with its company's latest earlier year as it will be
        after the import: the file's own row for that year if it has one, else the stored."""
        years: dict[int, dict[int, dict]] = {}
        for values in (v for rows in self.earlier.values() for v in rows):
            years.setdefault(values["company_id"], {})[values["year"]] = values
        for item in self.result.prepared:
            data = item.instance
            values = {name: getattr(data, name) for name in COMPARED_FIELDS}
            years.setdefault(data.company_id, {})[data.year] = {"year": data.year, **values}
        for item in sorted(self.result.prepared, key=lambda p: p.row):
            data = item.instance
            company_years = years[data.company_id]
            earlier = max((y for y in company_years if y < data.year), default=None)
            previous = company_years[earlier] if earlier is not None else None
            fields = FIGURE_FIELDS if item.is_new else list(item.changes)
            jumps = jumps_against(data, previous, fields)
            for field_name, jump in jumps.items():
                # Rendered in each language when stored: Jump.message translates when read.
                message = Message(lambda jump=jump: jump.message)
                self.result.warnings.append(self.finding(item.row, field_name, message))
            item.warning_note = confirmation_note(jumps) if jumps else ""


class _ProjectChecker(_Checker):
    kind = ImportKind.PROJECTS

    def load_existing(self, rows):
        rows = list(rows)
        self.companies = self.load_companies(v["credit_code"] for v in rows)
        ids = sorted(c.pk for c in self.companies.values())
        self.existing: dict[tuple[int, str], list[KeyProject]] = {}
        for start in range(0, len(ids), _LOOKUP_CHUNK):
            chunk = ids[start : start + _LOOKUP_CHUNK]
            for project in KeyProject.objects.live().filter(company_id__in=chunk):
                self.existing.setdefault((project.company_id, project.name), []).append(project)

    def check_row(self, number, values):
        company = self.company_for(number, values["credit_code"])
        if company is None:
            return
        matches = self.existing.get((company.pk, values["name"]), [])
        if len(matches) > 1:
            self.problem(
                number,
                "name",
                _("This company has %(n)d projects with this name; rename them first.")
                % {"n": len(matches)},
            )
            return
        is_new = not matches
        project = KeyProject(company=company) if is_new else matches[0]
        changes = self.set_fields(number, project, values)  # None: a problem is named
        start, end = project.planned_start, project.planned_completion
        if start and end and end < start:
            self.problem(
                number,
                "planned_completion",
                _("The planned completion cannot come before the planned start."),
            )
            return
        if self.full_clean(number, project) and changes is not None:
            self.result.prepared.append(Prepared(project, is_new, number, changes))


_CHECKERS = {
    ImportKind.COMPANIES: _CompanyChecker,
    ImportKind.ANNUAL_DATA: _AnnualChecker,
    ImportKind.PROJECTS: _ProjectChecker,
}


class _References:
    """Reference tables loaded once per import, keyed by every spelling a cell may use."""

    def __init__(self):
        self.regions: dict[str, Region] = {}
        self._region_names: dict[int, str] = {}
        for region in Region.objects.all():
            for key in (region.code, region.name_zh, region.name_en):
                if key:
                    self.regions[key.casefold()] = region
            self._region_names[region.pk] = region.name
        self.industries: dict[str, Industry] = {}
        for industry in Industry.objects.all():
            for key in (industry.code, industry.name_zh, industry.name_en):
                if key:
                    self.industries[key.casefold()] = industry
        self.key_industries: dict[str, KeyIndustry] = {}
        for key_industry in KeyIndustry.objects.filter(active=True):
            for key in (key_industry.code, key_industry.name_zh, key_industry.name_en):
                if key:
                    self.key_industries[key.casefold()] = key_industry
        self.batches = {b.number: b for b in DemonstrationBatch.objects.all()}

    def region_name(self, region_id) -> str:
        return self._region_names.get(region_id, "?")
