"""The review file: one SQLite database holding papers, annotations and their history.

One module a job: :mod:`.file` (recognising a review, the schema and its migrations,
write transactions), :mod:`.papers` (adding listings), :mod:`.table` (the paper table
<-> SQLite values), :mod:`.annotations` (edits), :mod:`.history` (history, undo/redo,
per-reviewer columns) and :mod:`.exchange` (annotation CSV/JSONL files).
"""
