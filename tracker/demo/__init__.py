"""The Jinhua demonstration dataset behind `manage.py load_demo`.

`profile` holds the article's figures and the shape of the city's industry, `names` makes
Chinese names and credit codes, `plan` decides who is what before anything is written,
`companies`, `projects` and `annual` build rows chunk by chunk, `loader` writes them through
the write path's bulk service and runs the whole thing, `reset` empties the domain tables
and `accounts` creates the demo logins.
"""
