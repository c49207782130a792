"""A choice cell may hold the label the pages show, in either language: the importer reads the
labels from the choices module, so a relabelled choice is accepted under its new name."""

import pytest
from django.utils import translation

from projects.choices import ProjectKind, ProjectLevel
from projects.models import KeyProject
from tests.imports.conftest import csv_bytes, imported

HEADER = ["统一社会信用代码", "项目名称", "项目类型", "项目级别"]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_kind_and_level_is_read_from_its_label(world, language):
    code = world["own"].credit_code
    levels = list(ProjectLevel)
    expected, rows = {}, [HEADER]
    with translation.override(language):
        for index, kind in enumerate(ProjectKind):
            level = levels[index % len(levels)]
            name = f"项目{index}"
            rows.append([code, name, str(kind.label), str(level.label)])
            expected[name] = (kind.value, level.value)
    if language == "zh-hans":
        # The labels really are Chinese here (the compiled catalogue is in use).
        assert rows[1][2] == "两化融合贯标"

    imported("projects", csv_bytes(rows), world["users"]["city"])

    saved = {
        name: (kind, level)
        for name, kind, level in KeyProject.objects.values_list("name", "kind", "level")
    }
    assert saved == expected
