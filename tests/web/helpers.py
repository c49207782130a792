"""Helpers of the web tests."""


def english(url: str) -> str:
    """The English version of a page URL reversed in the default language. Text assertions
    read English pages, so they hold whether or not the Chinese catalogue is compiled
    (Chinese is the default language)."""
    # reverse() answers in the thread's active language, which an earlier English request
    # of the same test may have left on.
    return url if url.startswith("/en/") else "/en" + url
