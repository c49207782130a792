"""The message catalogues: Chinese is the default language and every string of the product has a
Chinese translation; English pages live under /en/.

The catalogue checks read the .po and .mo files with the standard library only, so they run
without gettext installed; the ones that need the gettext tools (msgfmt, xgettext) skip when
those are absent.
"""

import ast
import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from companies.choices import CertificationStatus, MaturityLevel
from companies.models import Company
from projects.choices import ProjectKind, ProjectStatus
from rankings.choices import Grade

LOCALE = Path(settings.BASE_DIR) / "locale"
ZH_PO = LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"
EN_PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"
# Printf-style placeholders (%(name)s, %s, %d, %.1f, %-8s) and str.format ones ({name}).
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifr]|\{\w*\}")


def parse_po(path: Path) -> list[dict]:
    """The catalogue's live entries, header first, each as {"flags", "msgctxt", "msgid",
    "msgid_plural", "msgstr": {plural index: text}}. Entries are separated by blank lines (as
    makemessages and msgmerge write them); obsolete (#~) entries are left out."""
    entries = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        flags, fields, field = set(), {}, None
        for line in block.splitlines():
            line = line.strip()
            if line.startswith("#,"):
                flags |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith('"'):
                fields[field] += ast.literal_eval(line)
            elif line and not line.startswith("#"):
                field, _, quoted = line.partition(" ")
                fields[field] = ast.literal_eval(quoted)
        if "msgid" not in fields:
            continue
        msgstr = {0: fields["msgstr"]} if "msgstr" in fields else {}
        msgstr.update({int(k[7:-1]): v for k, v in fields.items() if k.startswith("msgstr[")})
        entries.append(
            {
                "flags": flags,
                "msgctxt": fields.get("msgctxt"),
                "msgid": fields["msgid"],
                "msgid_plural": fields.get("msgid_plural"),
                "msgstr": msgstr,
            }
        )
    return entries


def _placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


# --- pages --------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _default_language():
    # A request to an /en/ page activates English in the test's thread; start and end in the
    # default language so reverse() of the next test is unprefixed.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


def test_default_language_is_simplified_chinese():
    assert settings.LANGUAGE_CODE == "zh-hans"


def test_login_page_is_chinese_by_default(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert '<button type="submit" class="btn btn-primary btn-block">登录</button>' in html
    assert "使用分配的账号登录" in html
    assert "Log in" not in html


def test_login_page_is_english_under_en(client, db):
    response = client.get("/en" + reverse("login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert '<button type="submit" class="btn btn-primary btn-block">Log in</button>' in html
    assert "登录</button>" not in html


def _switch(client, page_url: str, language: str):
    """Press a language button of the page's language switch, as a browser would."""
    html = client.get(page_url).content.decode()
    form = re.search(r'<form class="lang-switch" action="([^"]+)".*?</form>', html, re.S)
    next_url = re.search(r'name="next" value="([^"]*)"', form.group(0)).group(1)
    return client.post(form.group(1), {"language": language, "next": next_url})


def test_switching_language_leads_to_the_english_page_and_back(client, db):
    login = reverse("login")
    to_english = _switch(client, login, "en")
    assert to_english.status_code == 302
    assert to_english["Location"] == "/en" + login
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "Log in</button>" in client.get(to_english["Location"]).content.decode()

    to_chinese = _switch(client, "/en" + login, "zh-hans")
    assert to_chinese["Location"] == login
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
    assert "登录</button>" in client.get(login).content.decode()


def test_signed_in_page_speaks_chinese_including_the_domain_terms(client, world):
    client.force_login(world["users"]["city"])
    html = client.get(reverse("dashboard")).content.decode()
    for term in ("总览", "试点企业", "规上企业", "示范批次", "退出登录"):
        assert term in html, term
    english = client.get("/en" + reverse("dashboard")).content.decode()
    assert "Log out" in english
    assert "退出登录" not in english


# --- model metadata and choices -----------------------------------------------------------


def test_model_names_and_choices_are_chinese_and_english():
    with translation.override("zh-hans"):
        assert Company._meta.verbose_name == "企业"
        assert Company._meta.get_field("credit_code").verbose_name == "统一社会信用代码"
        assert Company._meta.get_field("land_area_mu").verbose_name == "用地面积（亩）"
        assert [str(label) for label in ProjectStatus.labels] == [
            "申报",
            "县级初审",
            "入库",
            "建设中",
            "申请验收",
            "验收通过",
            "整改",
            "撤销",
        ]
        assert str(ProjectKind.DIGITAL_WORKSHOP.label) == "数字化车间"
        assert str(CertificationStatus.CERTIFIED.label) == "有效"
        assert str(MaturityLevel(5).label) == "五级（引领级）"
        assert [str(label) for label in Grade.labels] == [
            "A 类（优先发展）",
            "B 类（提升发展）",
            "C 类（调控帮扶）",
            "D 类（倒逼整治）",
        ]
    with translation.override("en"):
        assert Company._meta.verbose_name == "company"
        assert str(ProjectStatus.ACCEPTED.label) == "Accepted"


# --- the catalogue files ------------------------------------------------------------------


def test_zh_hans_catalogue_is_complete_and_not_fuzzy():
    entries = parse_po(ZH_PO)
    header, messages = entries[0], entries[1:]
    assert header["msgid"] == ""
    assert "fuzzy" not in header["flags"]
    assert "Language: zh_Hans\n" in header["msgstr"][0]
    assert "charset=UTF-8" in header["msgstr"][0]
    assert "Plural-Forms: nplurals=1; plural=0;" in header["msgstr"][0]
    assert len(messages) > 500
    fuzzy = [e["msgid"] for e in messages if "fuzzy" in e["flags"]]
    untranslated = [e["msgid"] for e in messages if not all(e["msgstr"].values())]
    assert fuzzy == []
    assert untranslated == []
    # nplurals=1: one form, and every plural entry has it.
    assert all(list(e["msgstr"]) == [0] for e in messages if e["msgid_plural"])


def test_zh_hans_translations_keep_every_placeholder():
    wrong = []
    for entry in parse_po(ZH_PO)[1:]:
        expected = _placeholders(entry["msgid"])
        if entry["msgid_plural"]:
            expected = sorted(set(expected) | set(_placeholders(entry["msgid_plural"])))
            got = sorted(set(_placeholders(entry["msgstr"][0])))
        else:
            got = _placeholders(entry["msgstr"][0])
        if got != expected:
            wrong.append((entry["msgid"], entry["msgstr"][0]))
    assert wrong == []


def test_zh_hans_translations_are_chinese():
    # A msgstr copied from the msgid by mistake would show English on a Chinese page.
    han = re.compile(r"[\u4e00-\u9fff]")
    not_chinese = [e["msgid"] for e in parse_po(ZH_PO)[1:] if not han.search(e["msgstr"][0])]
    assert not_chinese == []


def test_compiled_catalogues_match_their_po_files():
    """The committed .mo files are what Django loads: they must hold the .po's translations."""
    for po_path in (ZH_PO, EN_PO):
        mo_path = po_path.with_suffix(".mo")
        assert mo_path.is_file(), f"{mo_path} is missing: run compilemessages"
        with mo_path.open("rb") as handle:
            compiled = gettext.GNUTranslations(handle)
        stale = []
        for entry in parse_po(po_path)[1:]:
            if not entry["msgstr"].get(0) or "fuzzy" in entry["flags"]:
                continue
            key = entry["msgid"]
            if entry["msgctxt"] is not None:
                key = f"{entry['msgctxt']}\x04{key}"
            if entry["msgid_plural"]:
                got = compiled.ngettext(key, entry["msgid_plural"], 1)
            else:
                got = compiled.gettext(key)
            if got != entry["msgstr"][0]:
                stale.append(entry["msgid"])
        assert stale == [], f"{mo_path} is older than its .po: run compilemessages"


def test_english_catalogue_has_the_same_messages():
    # The English catalogue lists every message, so English pages never fall back to another
    # language; test_i18n_complete.py checks that each one is translated.
    english = parse_po(EN_PO)
    assert "Language: en\n" in english[0]["msgstr"][0]
    assert {e["msgid"] for e in english[1:]} == {e["msgid"] for e in parse_po(ZH_PO)[1:]}


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext (msgfmt) not installed")
@pytest.mark.parametrize("po_path", [ZH_PO, EN_PO], ids=["zh_Hans", "en"])
def test_msgfmt_accepts_the_catalogue(po_path):
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    if po_path == ZH_PO:
        assert "untranslated" not in result.stderr, result.stderr
        assert "fuzzy" not in result.stderr, result.stderr


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext (xgettext) not installed")
def test_every_string_in_the_code_has_a_chinese_translation(tmp_path):
    """makemessages, run on a copy of the code, finds no msgid the catalogue lacks: a string
    added without a translation fails here rather than showing English on a Chinese page."""
    base = Path(settings.BASE_DIR)
    copy = tmp_path / "src"
    copy.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "migrations")
    for name in (
        "core",
        "companies",
        "projects",
        "reporting",
        "rankings",
        "notices",
        "tracker",
        "templates",
    ):
        shutil.copytree(base / name, copy / name, ignore=ignore)
    shutil.copy(base / "manage.py", copy / "manage.py")
    (copy / "locale").mkdir()
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-obsolete"],
        cwd=copy,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "DEBUG": "1"},
    )
    assert result.returncode == 0, result.stderr
    found = parse_po(copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po")[1:]
    translated = {
        (e["msgctxt"], e["msgid"]) for e in parse_po(ZH_PO)[1:] if all(e["msgstr"].values())
    }
    missing = sorted(e["msgid"] for e in found if (e["msgctxt"], e["msgid"]) not in translated)
    assert missing == [], "translate these in locale/zh_Hans/LC_MESSAGES/django.po"
