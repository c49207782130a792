"""Signals of the write path, for what bulk writes skip.

`bulk_create` and `bulk_update` send no `pre_save` / `post_save`, so `records_bulk_write`
(core.services) sends these instead: an app that must hear of every write (rankings marks
the years a change makes stale) connects to them, and core needs to know nothing of it.

Both are sent with `sender` (the model), `created` and `updated` (lists of instances) and
`fields` (the fields written to the updated rows). `records_bulk_writing` goes out before
anything is written, while the database still holds the updated rows' old values;
`records_bulk_written` after every row is in, inside the same transaction.
"""

from django.dispatch import Signal

records_bulk_writing = Signal()
records_bulk_written = Signal()
