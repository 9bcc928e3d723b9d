"""The app's widgets driven headless: set values, click buttons, check the review file."""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import numpy as np
import pytest

import litreview
from litreview.app import ReviewApp, review_app


@pytest.fixture
def app(review: litreview.Review, tmp_path: Path) -> ReviewApp:
    return review_app(review, export_dir=tmp_path / "exports", page_size=10)


def walk(widget: Any) -> Iterator[Any]:
    yield widget
    for child in getattr(widget, "children", ()):
        yield from walk(child)


def find(root: Any, cls: str) -> Any:
    """The one widget carrying CSS class ``cls`` (what the browser tests click too)."""
    found = [w for w in walk(root) if cls in getattr(w, "_dom_classes", ())]
    assert len(found) >= 1, f"no widget with class {cls}"
    return found[0]


def decode(values: Any) -> np.ndarray:
    """A plotly JSON array: a list or a typed array ``{"dtype", "bdata"}``."""
    if isinstance(values, dict):
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"])
    return np.asarray(values)


def row(review: litreview.Review, pid: str) -> Any:
    return review.papers.set_index("paper_id").loc[pid]


def test_app_is_one_widget_and_displays_nothing(app: ReviewApp) -> None:
    assert isinstance(app, widgets.VBox)
    assert "litreview-app" in app._dom_classes
    assert app.tabs.titles == ("Browse", "Screening", "Conflicts", "Charts", "Export")


def test_query_box_filters_and_bad_query_keeps_text(app: ReviewApp) -> None:
    box = find(app, "lr-query")
    box.value = "vision transformer"
    state = app.state
    assert state.query == "vision transformer"
    assert "of 36 papers" in find(app, "lr-count").value
    first_page = find(app, "lr-results").rows
    assert [r["paper_id"] for r in first_page] == state.page_ids()
    box.value = 'vision transformer ("'
    error = find(app, "lr-query-error")
    assert "position" in error.value and error.layout.display != "none"
    assert box.value == 'vision transformer ("'  # what was typed is never replaced
    assert find(app, "lr-results").rows == first_page
    box.value = "vision"
    assert error.layout.display == "none"


def test_filter_widgets_reach_the_state(app: ReviewApp) -> None:
    s = app.state
    find(app, "lr-range-authors").value = (5, find(app, "lr-range-authors").max)
    assert s.min_authors == 5 and s.max_authors is None
    assert (s.selection["n_authors"] >= 5).all()
    app.filters._since.value = dt.date(2022, 1, 1)
    assert s.since == "2022-01-01"
    app.filters._has_code.value = True
    assert s.n_matched == len(
        litreview.search(s.papers, "", since="2022-01-01", min_authors=5, has_code=True)
    )
    app.filters._sort.value = "date"
    dates = s.selection["published"].tolist()
    assert dates == sorted(dates, reverse=True)
    find(app, "lr-reset").click()
    assert s.n_matched == 36 and app.filters._has_code.value is None


def test_click_row_include_tag_note_rating_undo(app: ReviewApp, review: litreview.Review) -> None:
    table = find(app, "lr-results")
    pid = table.rows[2]["paper_id"]
    table.click(pid)
    assert app.state.current_id == pid and table.selected == pid
    assert "<h3" in app.paper._card.value
    ann = app.annotate
    find(ann.widget, "lr-include").click()
    assert row(review, pid).decision == "include"
    assert find(ann.widget, "lr-include").button_style == "success"
    find(ann.widget, "lr-new-tag").value = "must read"
    find(ann.widget, "lr-add-tag").click()
    assert row(review, pid).tags == ["must read"]
    find(ann.widget, "lr-note").value = "check the ablation "
    assert row(review, pid).note == "check the ablation"
    assert find(ann.widget, "lr-note").value == "check the ablation "  # typing not rewritten
    find(ann.widget, "lr-rating").value = 4
    assert row(review, pid).rating == 4
    chip = find(ann.widget, "lr-tag")
    chip.click()
    assert row(review, pid).tags == []
    find(app, "lr-undo").click()  # in the app's toolbar, always visible
    assert row(review, pid).tags == ["must read"]
    find(app, "lr-redo").click()
    assert row(review, pid).tags == []
    find(app, "lr-undo").click()
    assert "History" in app.paper._details.titles
    assert app.paper._history.value == ""  # read only once its section is opened
    app.paper._details.selected_index = 0
    assert "must read" in app.paper._history.value


def test_exclude_asks_for_a_reason_and_new_reasons_are_kept(
    app: ReviewApp, review: litreview.Review
) -> None:
    pid = app.state.page_ids()[0]
    app.state.open(pid)
    ann = app.annotate.widget
    find(ann, "lr-exclude").click()
    assert row(review, pid).decision == "unscreened"  # nothing until a reason is given
    reason_row = find(ann, "lr-reason")
    assert "off topic" in reason_row.options
    reason_row.value = "benchmark only"
    find(ann, "lr-exclude-confirm").click()
    assert (row(review, pid).decision, row(review, pid).reason) == ("exclude", "benchmark only")
    assert "benchmark only" in find(ann, "lr-reason").options


def test_bulk_action_needs_confirmation(app: ReviewApp, review: litreview.Review) -> None:
    find(app, "lr-query").value = "vision"
    n = app.state.n_matched
    app.results._bulk_what.value = "add tag"
    app.results._bulk_value.value = "vision-batch"
    find(app, "lr-bulk-apply").click()
    assert f"{n:,} papers" in app.results._confirm_text.value
    assert review.tags() == []
    find(app, "lr-bulk-yes").click()
    assert review.papers["tags"].map(lambda t: "vision-batch" in t).sum() == n
    assert app.results._confirm.layout.display == "none"


def test_similar_paper_buttons_open_papers(app: ReviewApp) -> None:
    app.state.open(app.state.page_ids()[0])
    first = find(app.paper.widget, "lr-similar-0")
    target = app.paper._similar_ids[0]
    expected = litreview.similar(app.state.papers, app.state.current_id, n=1)
    assert target == expected["paper_id"].item()
    assert first.description and first.description[:40] == expected["title"].item()[:40]
    first.click()
    assert app.state.current_id == target


def test_html_is_escaped(tmp_path: Path) -> None:
    listing = tmp_path / "evil.txt"
    text = litreview.SAMPLE_LISTING.read_text(encoding="utf-8")
    first_title = litreview.read_listing(litreview.SAMPLE_LISTING)["title"].iloc[0]
    listing.write_text(text.replace(first_title, "<img src=x onerror=alert(1)> Vision"), "utf-8")
    review = litreview.Review.open(tmp_path / "e.litreview", reviewer="ada")
    review.add(listing)
    app = review_app(review, export_dir=tmp_path)
    evil = review.papers.loc[review.papers.title.str.startswith("<img"), "paper_id"].item()
    app.state.query = "vision"
    app.state.open(evil)
    assert "<img" not in app.paper._card.value and "&lt;img" in app.paper._card.value
    assert "<mark>Vision</mark>" in app.paper._card.value


def test_screening_tab_keys_progress(app: ReviewApp, review: litreview.Review) -> None:
    app.select_tab("Screening")
    assert app.state.mode == "screen"
    keys = app.keyboard
    progress = find(app, "lr-screen-progress")
    assert (progress.value, progress.max) == (0, 36)
    first = app.state.screen.current_id
    keys.press("i")
    keys.press("m")
    keys.press("j")
    keys.press("k")
    assert progress.value == 2 and "2</b> of 36" in find(app, "lr-screen-label").value
    decisions = review.papers.set_index("paper_id")["decision"]
    assert decisions[first] == "include"
    keys.press("u")
    assert progress.value == 1 and review.papers["decision"].eq("maybe").sum() == 0
    # the note typed in screening goes to the paper shown there
    note = find(app.screening.widget, "lr-note")
    note.value = "screening note"
    assert row(review, app.state.screen.current_id).note == "screening note"


def test_screening_bar_shows_reasons_and_enter_confirms(
    app: ReviewApp, review: litreview.Review
) -> None:
    app.select_tab("Screening")
    chips = [w.description for w in walk(app.screening.widget)
             if "lr-reason-key" in getattr(w, "_dom_classes", ())]  # fmt: skip
    assert chips[:2] == ["1 off topic", "2 wrong study type"]
    shown = app.state.screen.current_id
    app.keyboard.press("e")
    assert "Enter confirms" in find(app, "lr-screen-prompt").value
    app.keyboard.press("2")
    app.keyboard.press("Enter")
    assert (row(review, shown).decision, row(review, shown).reason) == (
        "exclude",
        "wrong study type",
    )
    # a new reason typed in the bar's box, confirmed with Enter in that box
    nxt = app.state.screen.current_id
    app.keyboard.press("e")
    find(app, "lr-screen-reason").value = "no code released"
    app.keyboard.press("Enter", "lr-screen-reason")
    assert row(review, nxt).reason == "no code released"
    assert "no code released" in app.state.reason_keys
    # t / n focus boxes in the page (the front end does it); Enter in the tag box adds it
    assert app.keyboard.focus["t"].endswith("input") and "n" in app.keyboard.focus
    third = app.state.screen.current_id
    find(app.screening.widget, "lr-new-tag").value = "later"
    app.keyboard.press("Enter", "lr-screen-tag")
    assert row(review, third).tags == ["later"]


def test_keys_in_browse_are_not_screening_keys(app: ReviewApp, review: litreview.Review) -> None:
    app.state.open(app.state.page_ids()[0])
    app.keyboard.press("i")  # the front end swallows it; the model does nothing with it
    assert review.papers["decision"].eq("unscreened").all()
    find(app, "lr-exclude").click()
    find(app, "lr-reason").value = "off topic"
    app.keyboard.press("Enter", "lr-reason")  # Enter in the reason box excludes
    assert row(review, app.state.current_id).reason == "off topic"
    find(app.annotate.widget, "lr-new-tag").value = "keep"
    app.keyboard.press("Enter", "lr-new-tag")
    assert row(review, app.state.current_id).tags == ["keep"]


def test_browse_panel_says_when_its_paper_left_the_selection(app: ReviewApp) -> None:
    assert app.reader.layout.display == "none"  # no paper: the table has the room
    app.state.query = "vision"
    app.state.open(app.state.page_ids()[0])
    assert app.reader.layout.display is None
    banner = app.paper._unlisted
    assert banner.layout.display == "none"
    app.state.query = "diffusion"
    assert banner.layout.display is None and "Not in the selection" in banner.value
    app.state.open(app.state.page_ids()[0])
    assert banner.layout.display == "none"


def test_table_columns_chip_code_and_score(app: ReviewApp) -> None:
    table = find(app, "lr-results")
    assert [c[0] for c in table.columns] == ["title", "date", "decision", "tags", "code"]
    app.state.query = "vision"
    assert [c[0] for c in table.columns][-1] == "score"
    assert all(float(r["score"]) > 0 for r in table.rows)
    assert {r["code"] for r in table.rows} == {"code", ""}
    app.state.sort = "date"
    assert "score" not in [c[0] for c in table.columns]


def test_keywords_typed_in_the_panel_highlight_both_tabs(app: ReviewApp) -> None:
    find(app, "lr-keywords-include").value = "transformers"
    find(app, "lr-keywords-exclude").value = "survey"
    app.state.query = "survey"
    app.state.open(app.state.page_ids()[0])
    assert "lr-kw-include" in app.paper._card.value
    app.select_tab("Screening")
    assert "lr-kw-include" in app.screening._paper._card.value


def test_charts_redraw_once_per_selection_change_and_only_when_shown(app: ReviewApp) -> None:
    charts = app.charts
    app.state.query = "vision"
    assert charts.draws == 0  # hidden tab: nothing drawn
    app.select_tab("Charts")
    assert charts.draws == 1 and len(charts._grid.children) >= 4
    shown = charts._grid.children[0].outputs[0]["data"]["application/vnd.plotly.v1+json"]
    assert sum(decode(t["y"]).sum() for t in shown["data"]) == app.state.n_matched
    app.select_tab("Browse")
    app.select_tab("Charts")
    assert charts.draws == 1  # same selection: not redrawn
    app.state.set_filters(has_code=True, since="2021")
    assert charts.draws == 2  # two filters, one redraw


def test_export_tab_writes_and_previews(app: ReviewApp, tmp_path: Path) -> None:
    app.state.query = "vision"
    app.select_tab("Export")
    view = app.exports
    view._format.value = "ris"
    assert view._name.value == "litreview-selection.ris"
    view._format.value = "bibtex"
    find(app, "lr-export-go").click()
    out = tmp_path / "exports" / "litreview-selection.bib"
    assert out.read_text(encoding="utf-8").count("@") == app.state.n_matched
    result = find(app, "lr-export-result").value
    assert "download" in result and "<pre" in result and "@" in result
    find(app, "lr-export-go").click()
    assert "already exists" in app.state.error
    assert "already exists" in app._status.value
    assert "replace an existing file" in app._status.value  # the checkbox, not a keyword
    view._overwrite.value = True
    find(app, "lr-export-go").click()
    assert app.state.error == ""


def test_callback_errors_reach_the_status_area(app: ReviewApp) -> None:
    find(app.annotate.widget, "lr-include").click()  # no paper open
    assert "open a paper" in app._status.value


def test_note_typed_before_switching_papers_is_saved_to_its_paper(
    app: ReviewApp, review: litreview.Review
) -> None:
    import asyncio

    a, b = app.state.page_ids()[:2]

    async def session() -> None:  # a running loop, as in a kernel: saving waits for a pause
        app.state.open(a)
        note = find(app.annotate.widget, "lr-note")
        note.value = "half a thought"
        assert pd_isna(row(review, a).note)  # not yet: still typing
        app.state.open(b)  # switching papers saves the pending note first
        assert row(review, a).note == "half a thought"
        assert note.value == ""
        note.value = "about b"
        await asyncio.sleep(1.0)  # the pause
        assert row(review, b).note == "about b"

    asyncio.run(session())


def test_reload_shows_changes_made_elsewhere_and_keeps_a_note_being_typed(
    app: ReviewApp, review: litreview.Review, tmp_path: Path
) -> None:
    import asyncio

    a, b = app.state.page_ids()[:2]
    more = tmp_path / "more.txt"
    more.write_text(EXTRA, encoding="utf-8")
    with litreview.Review.open(review.path, reviewer="ada") as elsewhere:  # another notebook
        elsewhere.annotate(b, decision="exclude", reason="off topic")
        elsewhere.add(more)
    assert app.state.n_total == 36  # the app's copy: not re-read behind the user's back
    assert app.state.paper(b).decision == "unscreened"

    async def session() -> None:  # a running loop, as in a kernel: saving waits for a pause
        app.state.open(a)
        find(app.annotate.widget, "lr-note").value = "half a thought"
        find(app, "lr-reload").click()
        assert row(review, a).note == "half a thought"  # saved before re-reading

    asyncio.run(session())
    assert app.state.n_total == 37 and "37 papers loaded" in app.state.status
    assert app.state.paper(a).note == "half a thought"
    assert app.state.paper(b).decision == "exclude"
    assert app.state.error == ""


EXTRA = "Another Paper\n\nIts abstract.\n\n  • 2 authors\n·\nJan 5, 2025\n"


def pd_isna(value: Any) -> bool:
    import pandas as pd

    return bool(pd.isna(value))


def test_paper_without_comment_count_opens(tmp_path: Path) -> None:
    """BibTeX/RIS/CSV papers have no comment count: the paper view must still show them."""
    import pandas as pd

    papers = litreview.read_listing(litreview.SAMPLE_LISTING)
    papers["comments"] = pd.array([pd.NA] * len(papers), dtype="Int64")
    review = litreview.Review.open(tmp_path / "bib.litreview", reviewer="ada")
    review.add(papers)
    app = review_app(review, export_dir=tmp_path)
    pid = app.state.page_ids()[0]
    app.state.open(pid)
    assert app.state.error == ""
    assert app.state.current_id == pid
    assert "comments" not in app.paper._card.value
    review.close()


def test_tab_switch_errors_reach_the_status_area(
    app: ReviewApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken() -> None:
        raise RuntimeError("queue cannot be built")

    monkeypatch.setattr(app.screening, "shown", broken)
    app.select_tab("Screening")  # must not raise into the widget's message handler
    assert "queue cannot be built" in app._status.value


def test_a_note_that_cannot_be_saved_says_so_and_stays_in_the_box(
    app: ReviewApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    app.state.open(app.state.page_ids()[0])

    def full(*_: Any, **__: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(app.state.review, "annotate", full)
    note = find(app.annotate.widget, "lr-note")
    note.value = "an important thought"
    assert "disk full" in app._status.value
    assert note.value == "an important thought"
    assert "saving" not in app.annotate._note_state.value
    assert "not saved" in app.annotate._note_state.value


def test_exclusion_reason_is_shown_once_and_escaped(app: ReviewApp) -> None:
    state = app.state
    state.open(state.page_ids()[0])
    state.decide("exclude", reason="<b>off</b> topic")
    state.rate(state.current_id, 3)
    state.rate(state.current_id, 4)  # every change redraws the view
    shown = app.annotate._reason_state.value
    assert shown.count("excluded:") == 1
    assert "&lt;b&gt;off&lt;/b&gt; topic" in shown and "<b>off" not in shown
    state.decide("include")
    assert "excluded" not in app.annotate._reason_state.value


def test_export_name_follows_what_until_the_user_types_one(app: ReviewApp) -> None:
    app.state.add_tag("must read", ids=app.state.page_ids()[:2])
    app.select_tab("Export")
    name, what, fmt = (
        find(app, c) for c in ("lr-export-name", "lr-export-what", "lr-export-format")
    )
    assert name.value == "litreview-selection.bib"
    what.value = "included"
    assert name.value == "litreview-included.bib"
    fmt.value = "csv"
    assert name.value == "litreview-included.csv"
    what.value = "tag:must read"
    assert name.value == "litreview-tag-must-read.csv"
    name.value = "mine.csv"
    what.value = "selection"
    assert name.value == "mine.csv"


def test_export_options_refresh_keeps_the_choice_in_one_update(app: ReviewApp) -> None:
    """The counts in "what" are refreshed when the tab opens and while it is open; the
    entry chosen and its file name stay as they are throughout (replacing the options
    alone selected the first entry and renamed the file before the choice came back)."""
    state = app.state
    app.select_tab("Export")
    name, what = find(app, "lr-export-name"), find(app, "lr-export-what")
    what.value = "included"
    sent: list[dict[str, Any]] = []  # what the page is sent: the state of each update
    send = what.send_state
    what.send_state = lambda key=None: sent.append(what.get_state(key)) or send(key)
    renamed: list[str] = []
    name.observe(lambda c: renamed.append(c["new"]), names="value")
    app.select_tab("Browse")
    state.decide("include", ids=state.page_ids()[:3])  # the count changes behind the tab
    app.select_tab("Export")
    assert what.options[1] == ("included papers (3)", "included")
    state.decide("include", ids=state.page_ids()[3:4])  # and while it is open
    assert what.options[1] == ("included papers (4)", "included")
    assert [state.get("index") for state in sent] == [1, 1]  # one update each, still "included"
    assert renamed == [] and name.value == "litreview-included.bib"
    state.add_tag("must read", ids=state.page_ids()[:1])  # a new entry: the choice stays
    assert what.options[-1] == ("tag: must read (1)", "tag:must read")
    what.value = "tag:must read"
    state.remove_tag("must read", ids=state.page_ids()[:1])  # gone: back to the selection
    assert what.value == "selection" and name.value == "litreview-selection.bib"


def test_table_hidden_behind_screening_is_drawn_when_browse_is_shown(app: ReviewApp) -> None:
    table = find(app, "lr-results")
    app.select_tab("Screening")
    first = app.state.screen.current_id
    app.keyboard.press("i")
    app.select_tab("Browse")
    shown = {r["paper_id"]: r["decision"] for r in table.rows}
    assert shown[first] == "include"
