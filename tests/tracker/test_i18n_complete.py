"""Complete catalogues, and the language a visitor gets.

Every message of both catalogues has a translation; every label the admin shows (ours and the
libraries') reads in the page's language; templates hold no visible text outside
{% translate %}; error pages, import messages and permission groups follow the reader's
language; `/` follows Accept-Language until the visitor chooses; the admin carries the
product's name; /favicon.ico answers.
"""

import re
import warnings
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group
from django.template.base import Lexer, TokenType
from django.urls import reverse
from django.utils import translation

from core.roles import ROLE_GROUPS, Role
from tests.tracker.test_translations import EN_PO, ZH_PO, parse_po

HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(autouse=True)
def _default_language():
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


# --- the catalogues ------------------------------------------------------------------------


def _untranslated(po_path: Path) -> list[str]:
    return [
        entry["msgid"]
        for entry in parse_po(po_path)[1:]
        if "fuzzy" in entry["flags"] or not entry["msgstr"] or not all(entry["msgstr"].values())
    ]


@pytest.mark.parametrize("po_path", [ZH_PO, EN_PO], ids=["zh_Hans", "en"])
def test_every_message_of_the_catalogue_is_translated(po_path):
    missing = _untranslated(po_path)
    hint = (
        "run `manage.py complete_english_catalogue` (fills the English msgids) and translate "
        "what it lists"
        if po_path == EN_PO
        else "write their Chinese"
    )
    assert missing == [], (
        f"{po_path} has {len(missing)} untranslated or fuzzy messages ({hint}):\n"
        + ("\n".join(missing))
    )


def test_english_translations_hold_no_chinese():
    # An English page must not explain a term with its Chinese ("规上: …"): the Chinese
    # page does that. A msgid written in Chinese needs an English msgstr of its own.
    chinese = [
        f"{e['msgid']!r} -> {e['msgstr']}"
        for e in parse_po(EN_PO)[1:]
        if any(HAN.search(text) for text in e["msgstr"].values())
    ]
    assert chinese == [], "English translations with Chinese in them:\n" + "\n".join(chinese)


def test_library_strings_are_in_our_catalogue():
    """The admin labels of django-axes and Django's newer admin texts, translated by us."""
    from tracker import library_strings

    for message in [*library_strings.AXES, *library_strings.DJANGO[:-1]]:
        with translation.override("zh-hans"):
            assert HAN.search(translation.gettext(message)), message


# --- what the admin shows -----------------------------------------------------------------

# Labels that read the same in both languages: certification levels and the primary key.
SAME_IN_BOTH = {"ID", "AA", "AAA", "AAAA", "AAAAA"}


def _admin_labels():
    """(where, label) of everything the admin names: apps, models, fields, help texts,
    choices, fieldsets, actions and list filters of every registered model."""
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        yield f"app {meta.app_label}", meta.app_config.verbose_name
        yield meta.label, meta.verbose_name
        yield meta.label, meta.verbose_name_plural
        for field in meta.get_fields():
            where = f"{meta.label}.{field.name}"
            if hasattr(field, "verbose_name"):
                yield where, field.verbose_name
            if getattr(field, "help_text", ""):
                yield f"{where} help text", field.help_text
            for _value, label in getattr(field, "flatchoices", None) or []:
                yield f"{where} choice", label
        for title, _options in model_admin.get_fieldsets(_request_of_superuser()) or []:
            if title:
                yield f"{meta.label} fieldset", title
        for name, (_function, _name, description) in model_admin.get_actions(
            _request_of_superuser()
        ).items():
            yield f"{meta.label} action {name}", description
        for list_filter in model_admin.list_filter:
            title = isinstance(list_filter, type) and getattr(list_filter, "title", None)
            if title:
                yield f"{meta.label} filter", title


def _request_of_superuser():
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = AnonymousUser()
    request.user.is_superuser = request.user.is_staff = request.user.is_active = True
    request.user.has_perm = lambda *args, **kwargs: True
    return request


@pytest.mark.django_db
def test_every_admin_label_reads_in_chinese_on_chinese_pages():
    with translation.override("zh-hans"):
        english = sorted(
            {
                f"{where}: {text}"
                for where, label in _admin_labels()
                if (text := str(label))
                and re.search(r"[A-Za-z]{2}", text)
                and not HAN.search(text)
                and text not in SAME_IN_BOTH
            }
        )
    assert english == [], "admin labels without a Chinese translation:\n" + "\n".join(english)


@pytest.mark.django_db
def test_no_admin_label_reads_in_chinese_on_english_pages():
    with translation.override("en"):
        chinese = sorted(
            {f"{where}: {label}" for where, label in _admin_labels() if HAN.search(str(label))}
        )
    assert chinese == [], "admin labels with Chinese on English pages:\n" + "\n".join(chinese)


def test_admin_is_branded_with_the_products_name(admin_client):
    chinese = admin_client.get(reverse("admin:index")).content.decode()
    assert "金华智能制造" in chinese
    assert "Django" not in re.search(r"<title>(.*?)</title>", chinese, re.S).group(1)
    assert "Django 管理" not in chinese
    english = admin_client.get("/en" + reverse("admin:index")).content.decode()
    assert "Jinhua smart manufacturing" in english
    assert "Django administration" not in english


def test_axes_and_the_add_user_page_read_in_chinese(admin_client):
    index = admin_client.get(reverse("admin:index")).content.decode()
    for english in ("Axes", "Access attempts", "Access failures", "Access logs"):
        assert english not in index, english
    assert "登录保护" in index and "登录尝试" in index
    add_user = admin_client.get(reverse("admin:auth_user_add")).content.decode()
    assert "After you" not in add_user
    assert "创建用户后" in add_user


def test_permission_groups_show_their_roles_label(admin_client, world):
    for name in ROLE_GROUPS.values():
        Group.objects.get_or_create(name=name)
    listing = admin_client.get(reverse("admin:auth_group_changelist")).content.decode()
    for role in ROLE_GROUPS:
        with translation.override("zh-hans"):
            assert str(role.label) in listing
    for name in ROLE_GROUPS.values():
        assert f">{name}<" not in listing, name
    english = admin_client.get("/en" + reverse("admin:auth_group_changelist")).content.decode()
    with translation.override("en"):
        assert str(Role.COUNTY.label) in english
    user = world["users"]["county"]
    translation.activate("zh-hans")  # the English request left English active: reverse to /
    change = admin_client.get(reverse("admin:auth_user_change", args=[user.pk])).content.decode()
    assert "county staff" not in change
    assert "县级用户" in change


# --- templates ----------------------------------------------------------------------------

TEMPLATE_DIRS = [
    Path(settings.BASE_DIR) / "templates",
    *(
        Path(settings.BASE_DIR) / app / "templates"
        for app in ("core", "companies", "projects", "rankings", "tracker")
    ),
]
# Visible text that is the same in every language. Keep it short and say why.
ALLOWED_TEXT = {
    "智",  # the brand mark, a logo
    "中文",  # the Chinese button of the language switch names Chinese in Chinese
    "XLSX",  # file formats
    "CSV",
    "(XLSX)",
}
# Attributes a reader sees or hears.
VISIBLE_ATTRIBUTES = re.compile(r'\b(?:title|placeholder|aria-label|alt)\s*=\s*"([^"]*)"')
WORDS = re.compile(r"[A-Za-z]{2,}|[\u4e00-\u9fff]")
HOLE = "\x00"
# Blocks whose content is markup, not text (the admin's body class).
NON_TEXT_BLOCKS = {"bodyclass"}


def visible_text(source: str) -> list[str]:
    """The pieces of text a template shows (text nodes and visible attributes) that are not
    inside {% translate %} / {% blocktranslate %}, comments, scripts or styles."""
    parts, closing = [], []
    for token in Lexer(source).tokenize():
        words = token.contents.split()
        if token.token_type == TokenType.BLOCK:
            name = words[0] if words else ""
            if name in ("blocktranslate", "blocktrans", "comment") or (
                name == "block" and len(words) > 1 and words[1] in NON_TEXT_BLOCKS
            ):
                closing.append("endblock" if name == "block" else f"end{name}")
            elif closing and name == closing[-1]:
                closing.pop()
            parts.append(HOLE)
        elif token.token_type == TokenType.TEXT and not closing:
            parts.append(token.contents)
        elif token.token_type != TokenType.COMMENT:
            parts.append(HOLE)
    html = "".join(parts)
    html = re.sub(r"<(script|style)\b.*?</\1>", HOLE, html, flags=re.S | re.I)
    html = re.sub(r"<!--.*?-->", HOLE, html, flags=re.S)
    html = re.sub(r"&[a-z]+;|&#\d+;", " ", html)
    pieces = []

    def tag(match):
        pieces.extend(VISIBLE_ATTRIBUTES.findall(match.group(0)))
        return HOLE

    pieces.extend(re.sub(r"<[^>]*>", tag, html).split(HOLE))
    found = []
    for piece in pieces:
        for chunk in piece.split(HOLE):
            chunk = " ".join(chunk.split())
            if WORDS.search(chunk) and chunk not in ALLOWED_TEXT:
                found.append(chunk)
    return found


def test_the_scanner_finds_text_outside_translate():
    source = (
        '{% load i18n %}<p title="Hint">{% translate "Fine" %} Plain words</p>'
        "{% blocktranslate %}Also fine {{ x }}{% endblocktranslate %}<span>中文字</span>"
        "{# a comment #}<script>var s = 'code';</script> 12 · 3% — {{ value }}"
    )
    assert visible_text(source) == ["Hint", "Plain words", "中文字"]


def test_templates_show_no_text_outside_translate():
    untranslated = [
        f"{path.relative_to(settings.BASE_DIR)}: {text!r}"
        for directory in TEMPLATE_DIRS
        if directory.is_dir()
        for path in sorted(directory.rglob("*.html"))
        for text in visible_text(path.read_text(encoding="utf-8"))
    ]
    assert untranslated == [], "wrap these in {% translate %}:\n" + "\n".join(untranslated)


@pytest.mark.parametrize(
    ("language", "prefix", "expected", "other"),
    [
        ("zh-hans", "", "页面不存在", "Page not found"),
        ("en", "/en", "Page not found", "页面不存在"),
    ],
)
def test_error_pages_speak_one_language(client, rf, db, language, prefix, expected, other):
    html = client.get(f"{prefix}/no-such-page/").content.decode()
    assert expected in html and other not in html
    from django.views import defaults

    with translation.override(language):
        error = defaults.server_error(rf.get("/")).content.decode()
    assert ("服务器错误" in error) == (language == "zh-hans")
    assert ("Server error" in error) == (language == "en")


# --- the visitor's language ---------------------------------------------------------------


def test_an_english_browser_gets_english_on_the_start_page(client, db):
    response = client.get("/login/?next=/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 302
    assert response["Location"] == "/en/login/?next=/"
    assert "Accept-Language" in response["Vary"] and "Cookie" in response["Vary"]
    english = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="en">' in english.content.decode()


def test_a_chinese_browser_and_no_preference_stay_on_chinese(client, db):
    for accept in ("zh-CN,zh;q=0.9,en;q=0.5", None):
        headers = {"HTTP_ACCEPT_LANGUAGE": accept} if accept else {}
        response = client.get(reverse("login"), **headers)
        assert response.status_code == 200
        assert '<html lang="zh-hans">' in response.content.decode()


def test_a_visitor_who_chose_chinese_keeps_chinese_with_an_english_browser(client, db):
    english_browser = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}
    chosen = client.post(
        "/i18n/setlang/", {"language": "zh-hans", "next": "/login/"}, **english_browser
    )
    assert chosen["Location"] == "/login/"
    response = client.get("/login/", **english_browser)
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in response.content.decode()
    # And choosing English again leads back to /en/.
    client.post("/i18n/setlang/", {"language": "en", "next": "/login/"}, **english_browser)
    assert client.get("/login/")["Location"] == "/en/login/"


def test_the_language_prefix_wins_and_other_urls_are_not_redirected(client, db):
    english_browser = {"HTTP_ACCEPT_LANGUAGE": "en"}
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert client.get("/en/login/", **english_browser).status_code == 200
    # A form posted to an unprefixed URL is answered, never redirected (it would lose the body).
    assert client.post("/login/", {"username": "x", "password": "y"}).status_code == 200
    # The API is not under i18n_patterns: it answers where it is.
    assert client.get("/api/v1/companies/", **english_browser).status_code in (401, 403)


def test_favicon_answers(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    assert b"".join(icon.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file


# --- import messages ----------------------------------------------------------------------


def test_import_messages_show_in_the_readers_language(client, world, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tracker.imports.services import import_check, import_job_create
    from tracker.models import ImportKind

    settings.MEDIA_ROOT = tmp_path
    user = world["users"]["city"]
    data = "统一社会信用代码,企业名称,行政区,行业\nNOT-A-CODE,某企业,330784,34\n".encode()
    with translation.override("en"):
        job = import_job_create(
            kind=ImportKind.COMPANIES, upload=SimpleUploadedFile("x.csv", data), user=user
        )
        import_check(job=job)
    job.refresh_from_db()
    assert "rows are ready to import" in job.message  # checked in English
    assert job.errors and set(job.errors[0]["messages"]) == {"zh-hans", "en"}
    client.force_login(user)
    chinese = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert job.message_texts["zh-hans"] in chinese
    assert "rows are ready to import" not in chinese
    for problem in job.errors:
        assert problem["messages"]["zh-hans"] in chinese
        assert HAN.search(problem["messages"]["zh-hans"]), problem
    english = client.get("/en" + reverse("imports:job", args=[job.pk])).content.decode()
    assert job.errors[0]["messages"]["en"] in english


# --- a clean test run ---------------------------------------------------------------------


def test_static_files_need_no_collected_copy_while_developing():
    """pytest-django runs with DEBUG off; whitenoise must not look for a STATIC_ROOT that a
    checkout does not have (it warned once per test client)."""
    from whitenoise.middleware import WhiteNoiseMiddleware

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        WhiteNoiseMiddleware(lambda request: None)


def test_the_admins_choice_selector_speaks_chinese(rf):
    """The admin's JavaScript texts (the two-list selector of groups and permissions) that
    Django's Chinese catalogue lacks come from locale/zh_Hans/LC_MESSAGES/djangojs.po."""
    import json

    from django.views.i18n import JSONCatalog

    with translation.override("zh-hans"):
        # The catalogue the admin's jsi18n script carries (same packages, same lookup).
        response = JSONCatalog.as_view(packages=["django.contrib.admin"])(rf.get("/"))
    catalog = json.loads(response.content)["catalog"]
    for msgid in ("Choose all %s", "Remove all %s", "(click to clear)", "Choose selected %s"):
        assert HAN.search(catalog.get(msgid, "")), msgid


def test_complete_english_catalogue_fills_english_msgids_only():
    from tracker.management.commands.complete_english_catalogue import complete

    source = "\n\n".join(
        [
            'msgid ""\nmsgstr ""\n"Language: en\\n"',
            '#: a.py:1\nmsgid "Plain"\nmsgstr ""',
            'msgid ""\n"Long "\n"text"\nmsgstr ""',
            'msgid "One %d"\nmsgid_plural "Many %d"\nmsgstr[0] ""\nmsgstr[1] ""',
            'msgid "规上: above size"\nmsgstr ""',
            'msgid "Kept"\nmsgstr "Kept as written"\n',
        ]
    )
    text, left = complete(source)
    assert text == "\n\n".join(
        [
            'msgid ""\nmsgstr ""\n"Language: en\\n"',
            '#: a.py:1\nmsgid "Plain"\nmsgstr "Plain"',
            'msgid ""\n"Long "\n"text"\nmsgstr ""\n"Long "\n"text"',
            'msgid "One %d"\nmsgid_plural "Many %d"\nmsgstr[0] "One %d"\nmsgstr[1] "Many %d"',
            'msgid "规上: above size"\nmsgstr ""',
            'msgid "Kept"\nmsgstr "Kept as written"\n',
        ]
    )
    assert left == ["规上: above size"]
