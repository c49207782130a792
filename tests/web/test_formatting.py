"""Money and figure formatting of the pages (amounts are stored in 万元)."""

from decimal import Decimal

from django.utils import translation

from tracker.templatetags.tracker_ui import money, number, pct, rmb


def test_money_switches_to_yi_from_ten_thousand_wan():
    with translation.override("en"):
        assert money(Decimal("9999.50")) == "9,999.50 10k RMB"
        assert money(180000) == "18.00 100m RMB"  # the article's 1.8 billion RMB
        assert money(-25000) == "-2.50 100m RMB"
        assert money(None) == "–"  # not reported is not zero
    with translation.override("zh-hans"):
        assert money(180000) == "18.00 亿元"
        assert money(350) == "350.00 万元"


def test_rmb_pct_and_number():
    with translation.override("en"):
        assert rmb(2_100_000_000) == "21.00 100m RMB"
    assert pct(18.456) == "+18.5%"
    assert pct(-23.6) == "-23.6%"
    assert pct(None) == "–"
    assert number(1234567.891) == "1,234,567.89"
    assert number(42, 0) == "42"
    assert number("") == "–"
