"""The official documents of a published run (issue 11, item 7): the public notice (公示)
with the run's method, baselines, notice period and how to object; the result list of each
size class; and each company's result letter (评价结果告知书).

`content` says what each document says, once; `word` (DOCX) and the print pages
(templates/documents/print.html) only lay it out, so the DOCX and the page never differ.
`access` decides who may have which document; `package` bundles the notice and the lists."""
