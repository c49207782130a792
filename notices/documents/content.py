"""What the official documents of a published run say, written once: the DOCX writer and the
print pages lay out the `OfficialDocument` built here, so both say the same thing.

Every number of the method comes from the run itself: the scheme version it recorded (a used
version is never edited, `rankings.services.scheme_revise`), its `RunBaseline` rows (the N,
grade cut-offs and baselines each class was graded against) and its score rows. Nothing of
the method is written here as a number."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.uploads import MAX_UPLOAD_BYTES
from notices.documents.model import OfficialDocument, Section, Table
from rankings.choices import EvaluationScope, SizeClass
from rankings.indicators import BELOW_INDICATORS, INDICATORS
from rankings.labels import size_class_short
from rankings.models import CompanyScore, RankingRun, RunBaseline
from rankings.selectors import rank_labels

GRADES = ("A", "B", "C", "D")
# Indicators whose value is a share, shown as a percentage (as the score breakdown shows it).
PERCENT_KEYS = {"rd_intensity"}


def official_date(day: datetime.date) -> str:
    """A date as official documents write it: 2026年12月7日 (Dec. 7, 2026 in English)."""
    return formats.date_format(day, "DATE_FORMAT")


def notice_starts_on(run: RankingRun) -> datetime.date:
    """The notice opens on the day the run was published."""
    return timezone.localdate(run.started_at)


def _param(value) -> str:
    """A scheme parameter without trailing zeros: 24, 1.5, 0.2."""
    return f"{Decimal(value).normalize():f}"


def _share(value) -> str:
    return f"{Decimal(value) * 100:.0f}%"


def _baseline(key: str, value: float | None) -> str:
    if value is None:
        return _("none (0 points for everyone)")
    if key in PERCENT_KEYS:
        return f"{value * 100:.2f}%"
    return f"{value:,.4f}" if abs(value) < 1 else f"{value:,.2f}"


def _class_label(size_class: str) -> str:
    return str(dict(SizeClass.choices)[size_class])


def city_name() -> str:
    """The city's name in the active language: an English document or file name does not
    mix in 金华市."""
    return settings.CITY_NAME if _chinese() else settings.CITY_NAME_EN


def issuing_office() -> str:
    """The office that signs, in the active language."""
    return settings.ISSUING_OFFICE if _chinese() else settings.ISSUING_OFFICE_EN


def _chinese() -> bool:
    return (get_language() or settings.LANGUAGE_CODE).startswith("zh")


def _common(run: RankingRun) -> dict:
    return {
        "city": city_name(),
        "office": issuing_office(),
        "year": run.year,
        "system": _("Smart manufacturing tracker"),
        "start": official_date(notice_starts_on(run)),
        "end": official_date(run.notice_ends_on) if run.notice_ends_on else "—",
        "published": official_date(notice_starts_on(run)),
    }


def _correction(run: RankingRun) -> list[str]:
    if run.supersedes_id is None:
        return []
    return [
        _(
            "This notice corrects the results put on notice on %(date)s. Reason for the "
            "correction: %(reason)s"
        )
        % {"date": official_date(notice_starts_on(run.supersedes)), "reason": run.reason}
    ]


def _notice_period(run: RankingRun) -> str:
    common = _common(run)
    days = (run.notice_ends_on - notice_starts_on(run)).days if run.notice_ends_on else 0
    return _("The notice runs from %(start)s to %(end)s (%(days)s days), both days included.") % {
        **common,
        "days": days,
    }


def _how_to_object(run: RankingRun) -> str:
    return _(
        "A company that disagrees with its result may file an objection in the %(system)s "
        "(the “Objections” page) during the notice period: it names the record or figure "
        "concerned and the value it claims, explains why, and attaches evidence (PDF, JPG or "
        "PNG, each at most %(mb)s MB). The bureau of its county, city or district adds a review "
        "remark and the %(office)s decides. An upheld objection leads to the record's "
        "correction and a corrected result, published again; a rejected one is answered with "
        "the reason. No objection is taken after the notice period."
    ) % {**_common(run), "mb": MAX_UPLOAD_BYTES // (1024 * 1024)}


# --- the public notice --------------------------------------------------------------------


def _populations(run: RankingRun) -> dict[str, list[RunBaseline]]:
    """The run's graded populations per class: the city's, or each region's in region scope."""
    rows = RunBaseline.objects.filter(run=run).select_related("region")
    if run.evaluation_scope == EvaluationScope.REGION:
        rows = rows.filter(region__isnull=False).order_by("size_class", "region__sort_order")
    else:
        rows = rows.filter(region__isnull=True)
    populations: dict[str, list[RunBaseline]] = {value: [] for value in SizeClass.values}
    for row in rows:
        populations[row.size_class].append(row)
    return populations


def _population_name(population: RunBaseline) -> str:
    return population.region.name if population.region_id else _("the whole city")


def _indicators(size_class: str):
    """(key, label, weight field) of a class's efficiency indicators, then robot density."""
    below = size_class == SizeClass.BELOW
    prefix = "weight_below_" if below else "weight_"
    lines = [
        (indicator.key, str(indicator.label), f"{prefix}{indicator.key}")
        for indicator in (BELOW_INDICATORS if below else INDICATORS)
    ]
    # Robot density belongs to the smart-manufacturing score; its baseline is the run's too.
    lines.append(
        ("robot_density", _("robot density (smart-manufacturing score)"), "robot_density_weight")
    )
    return lines


def _weights_table(run: RankingRun, size_class: str, populations: list[RunBaseline]) -> Table:
    scheme = run.scheme
    cap = scheme.below_points_cap if size_class == SizeClass.BELOW else scheme.points_cap
    city_scope = run.evaluation_scope != EvaluationScope.REGION
    headers = [_("indicator"), _("weight (points)")]
    if city_scope:
        headers.append(_("baseline of the run"))
    rows = []
    for key, label, weight_field in _indicators(size_class):
        row = [label, _param(getattr(scheme, weight_field))]
        if city_scope:
            population = populations[0] if populations else None
            row.append(_baseline(key, getattr(population, f"baseline_{key}", None)))
        rows.append(row)
    caption = _(
        "%(class)s: indicators and weights; an indicator scores at most %(cap)s times its weight"
    ) % {"class": _class_label(size_class), "cap": _param(cap)}
    if size_class == SizeClass.ABOVE:
        caption = _(
            "%(class)s: indicators and weights; an indicator scores at most %(cap)s times its "
            "weight, robot density at most %(robot_cap)s times"
        ) % {
            "class": _class_label(size_class),
            "cap": _param(cap),
            "robot_cap": _param(scheme.robot_density_cap),
        }
    return Table(headers=headers, rows=rows, caption=caption)


def _region_baselines_table(size_class: str, populations: list[RunBaseline]) -> Table:
    """Region scope: each region's baselines of the class, one row per region."""
    indicators = _indicators(size_class)
    return Table(
        headers=[_("region"), *[label for _key, label, _field in indicators]],
        rows=[
            [
                _population_name(population),
                *[
                    _baseline(key, getattr(population, f"baseline_{key}", None))
                    for key, _label, _field in indicators
                ],
            ]
            for population in populations
        ],
        caption=_("%(class)s: baselines of the run, region by region")
        % {"class": _class_label(size_class)},
    )


def _grading_table(run: RankingRun, size_class: str, populations: list[RunBaseline]) -> Table:
    scheme = run.scheme
    suffix = "_below" if size_class == SizeClass.BELOW else ""
    shares = [_share(getattr(scheme, f"grade_{grade}_share{suffix}")) for grade in "abc"]
    return Table(
        headers=[
            _("population"),
            _("number of rated companies"),
            *[str(RunBaseline._meta.get_field(f"cutoff_{grade}").verbose_name) for grade in "abc"],
        ],
        rows=[
            [
                _population_name(population),
                str(population.rated_count),
                str(population.cutoff_a),
                str(population.cutoff_b),
                str(population.cutoff_c),
            ]
            for population in populations
        ],
        caption=_(
            "%(class)s: grade cut-offs (A to the first %(a)s of the rated companies, B to the "
            "first %(b)s, C to the first %(c)s, rounded up; D to the rest)"
        )
        % {"class": _class_label(size_class), "a": shares[0], "b": shares[1], "c": shares[2]},
    )


def _smart_manufacturing(run: RankingRun) -> str:
    s = run.scheme
    return _(
        "Smart-manufacturing score, at most %(cap)s points, as at 31 December %(year)s: a valid "
        "IMS certificate scores %(aaa)s (AAA), %(aa)s (AA), %(a)s (A) or %(none)s (no level); "
        "the highest maturity level of a third-party assessment scores %(maturity)s per level; "
        "each accepted key project scores, at city / province / national level, %(w1)s / %(w2)s "
        "/ %(w3)s (digital workshop) or %(f1)s / %(f2)s / %(f3)s (IoT or smart factory), and "
        "%(future)s (future factory); robot density scores %(robot)s × density ÷ baseline."
    ) % {
        "cap": _param(s.s_cap),
        "year": run.year,
        "aaa": _param(s.ims_points_aaa),
        "aa": _param(s.ims_points_aa),
        "a": _param(s.ims_points_a),
        "none": _param(s.ims_points_no_level),
        "maturity": _param(s.maturity_points_per_level),
        "w1": _param(s.digital_workshop_city),
        "w2": _param(s.digital_workshop_province),
        "w3": _param(s.digital_workshop_national),
        "f1": _param(s.factory_city),
        "f2": _param(s.factory_province),
        "f3": _param(s.factory_national),
        "future": _param(s.future_factory),
        "robot": _param(s.robot_density_weight),
    }


def _grade_rules(run: RankingRun) -> list[str]:
    rules = []
    if run.scheme.veto_enabled:
        rules.append(_("A major safety or environmental incident in the year caps the grade at C."))
    if run.scheme.protection_years:
        rules.append(
            _(
                "A company founded within %(years)s years before 31 December of the year is "
                "never graded D (it gets C)."
            )
            % {"years": run.scheme.protection_years}
        )
    return rules


def _result_counts(run: RankingRun) -> Table:
    counts = {
        row["size_class"]: row
        for row in CompanyScore.objects.filter(run=run, rated=True)
        .values("size_class")
        .annotate(rated=Count("id"), **{g: Count("id", filter=Q(grade=g)) for g in GRADES})
    }
    rows = []
    for size_class in SizeClass.values:
        row = counts.get(size_class, {})
        rows.append(
            [
                _class_label(size_class),
                str(row.get("rated", 0)),
                *[str(row.get(g, 0)) for g in GRADES],
            ]
        )
    return Table(
        headers=[
            _("size class"),
            _("number of rated companies"),
            *[_("grade %(grade)s") % {"grade": g} for g in GRADES],
        ],
        rows=rows,
        caption=_("Rated companies and grades"),
    )


def result_list_title(run: RankingRun, size_class: str) -> str:
    """The name of a class's result list: the notice's attachment, the package's file."""
    return _("%(city)s %(year)s evaluation results, %(class)s") % {
        "city": city_name(),
        "year": run.year,
        "class": _class_label(size_class),
    }


def notice_document(run: RankingRun) -> OfficialDocument:
    """The public notice (公示) of a published run."""
    common = _common(run)
    populations = _populations(run)
    method = Section(
        heading=_("2. Method"),
        paragraphs=[
            _(
                "The total score is the per-mu efficiency score plus the smart-manufacturing "
                "score, rounded half up to two decimals; this run used version %(version)s of "
                "the scoring scheme."
            )
            % {"version": run.scheme_version},
            _(
                "Per-mu efficiency score: each indicator scores its weight × the company's "
                "value ÷ the baseline, never below 0 and at most the cap below. A baseline is "
                "the sum of the numerators over the sum of the denominators of the rated "
                "companies whose value is defined, unless the scheme fixes it. An indicator "
                "without a value scores 0; a company above designated size without an "
                "emissions figure gets the mean points of the companies with one."
            ),
        ],
    )
    for size_class in SizeClass.values:
        method.paragraphs.append(_weights_table(run, size_class, populations[size_class]))
        if run.evaluation_scope == EvaluationScope.REGION:
            method.paragraphs.append(_region_baselines_table(size_class, populations[size_class]))
    method.paragraphs.append(_smart_manufacturing(run))
    method.paragraphs.append(
        _(
            "Each class is ranked on its own; companies with equal totals share a rank. The "
            "grade goes by the rank the class was graded in:"
        )
    )
    for size_class in SizeClass.values:
        method.paragraphs.append(_grading_table(run, size_class, populations[size_class]))
    method.paragraphs.extend(_grade_rules(run))

    if run.evaluation_scope == EvaluationScope.REGION:
        scope = _(
            "Each county, city or district is evaluated on its own: baselines, ranks and grades "
            "are taken over the rated companies of the class in the region, and no city rank "
            "is given."
        )
    else:
        scope = _(
            "The evaluation is city-wide: baselines, ranks and grades are taken over all rated "
            "companies of the class in the city."
        )
    not_rated = CompanyScore.objects.filter(run=run, rated=False).count()
    return OfficialDocument(
        title=_(
            "%(city)s %(year)s comprehensive evaluation of industrial companies' per-mu "
            "efficiency: public notice of the results"
        )
        % common,
        sections=[
            Section(
                paragraphs=[
                    _(
                        "Following the %(city)s evaluation of industrial companies' per-mu "
                        "efficiency, the companies' %(year)s results have been computed from "
                        "their annual figures and are hereby put on public notice."
                    )
                    % common,
                    *_correction(run),
                ]
            ),
            Section(
                heading=_("1. Who was evaluated"),
                paragraphs=[
                    _(
                        "Companies taking part in the evaluation (参评) are rated in two classes, "
                        "each on its own: above designated size (规上), and below designated "
                        "size (规下) with at least %(land)s mu of land in the year."
                    )
                    % {"land": _param(run.scheme.below_min_land_mu)},
                    scope,
                ],
            ),
            method,
            Section(
                heading=_("3. Results"),
                paragraphs=[
                    _result_counts(run),
                    _(
                        "The result list of each class is attached. %(count)s companies were "
                        "not rated this year; each is told why in its result letter."
                    )
                    % {"count": not_rated},
                ],
            ),
            Section(heading=_("4. Notice period"), paragraphs=[_notice_period(run)]),
            Section(heading=_("5. Objections"), paragraphs=[_how_to_object(run)]),
        ],
        attachments=[result_list_title(run, size_class) for size_class in SizeClass.values],
        signature=issuing_office(),
        date_text=common["published"],
        file_stem=_("%(city)s %(year)s per-mu evaluation public notice") % common,
    )


# --- a company's result letter ------------------------------------------------------------


def _score_number(value) -> str:
    return f"{value:.2f}" if value is not None else "—"


def letter_document(score: CompanyScore) -> OfficialDocument:
    """A company's result letter (评价结果告知书) for a published run: its result as the
    run froze it (name, credit code, region and industry as they were then)."""
    run = score.run
    common = _common(run)
    facts = [
        [_("unified social credit code"), score.credit_code],
        [_("region"), score.region.name],
        [_("industry"), str(score.industry)],
        [_("size class"), _class_label(score.size_class)],
    ]
    body: list[str | Table] = [
        _(
            "Following the %(city)s evaluation of industrial companies' per-mu efficiency, "
            "your company's %(year)s result, put on public notice on %(published)s, is as "
            "follows."
        )
        % common,
        *_correction(run),
    ]
    if score.rated:
        ranks = rank_labels(score)
        facts += [
            [_("evaluation grade"), score.get_grade_display()],
            [_("total score"), _score_number(score.total)],
            [_("per-mu efficiency score"), _score_number(score.e_points)],
            [_("smart-manufacturing score"), _score_number(score.s_points)],
            [_("city rank"), ranks["city"]],
            [_("rank in your region"), ranks["region"]],
            [_("rank in your industry"), ranks["industry"]],
        ]
        body.append(Table(headers=[_("item"), _("result")], rows=facts))
        if score.veto_applied:
            body.append(
                _("A major safety or environmental incident in the year caps your grade at C.")
            )
        if score.protection_applied:
            body.append(_("As a newly founded company, your company is not graded D."))
        body.append(
            _(
                "Ranks are counted among the rated companies of your size class (%(class)s); "
                "the method, weights and baselines of this evaluation are set out in its public "
                "notice."
            )
            % {"class": size_class_short(score.size_class)}
        )
    else:
        body.append(Table(headers=[_("item"), _("result")], rows=facts))
        body.append(
            _("Your company was not rated in %(year)s. Reason: %(reason)s.")
            % {"year": run.year, "reason": score.get_not_rated_reason_display()}
        )
    body += [_notice_period(run), _how_to_object(run)]
    return OfficialDocument(
        title=_("%(year)s per-mu efficiency evaluation: notice of your result") % common,
        # Company names are Chinese: the full-width colon follows them in either language.
        addressee=f"{score.company_name}：",
        sections=[Section(paragraphs=body)],
        signature=issuing_office(),
        date_text=common["published"],
        file_stem=_("%(year)s result letter %(company)s")
        % {"year": run.year, "company": score.company_name},
    )
