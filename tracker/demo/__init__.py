"""The Jinhua demonstration dataset behind `manage.py load_demo`.

`profile` holds the article's figures and the shape of the city's industry, `names` makes
Chinese names and credit codes, `plan` decides who is what before anything is written,
`companies`, `projects` and `annual` build rows chunk by chunk, `rows` writes them in bulk,
`reset` empties the domain tables, `accounts` creates the demo logins and `loader` runs the
whole thing.
"""
