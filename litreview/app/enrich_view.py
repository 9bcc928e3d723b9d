"""The "Complete metadata" bar under the results: a button for the selection, a progress
bar while lookups run (the app stays usable), and the uncertain matches to accept or
dismiss one by one or all at once (see :mod:`litreview.app.enrich`)."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from litreview.app._bind import button, guard, hidden
from litreview.app._html import esc
from litreview.app.enrich import match_rows
from litreview.app.state import AppState

#: Matches listed at once (the rest are counted; accepting all takes them all).
SHOWN = 8


class EnrichView:
    """Button, progress and the matches to confirm."""

    def __init__(self, state: AppState) -> None:
        self._state = state
        self._start = button(
            "Complete metadata", "lr-enrich", width="auto",
            tooltip="Look up the selection's missing authors, arXiv ids, DOIs, venues and "
            "links on arXiv, Hugging Face and OpenAlex (one undoable step)",
        )  # fmt: skip
        self._bar = widgets.IntProgress(min=0, max=1, value=0)
        self._bar.layout.width = "140px"
        self._bar.add_class("lr-enrich-progress")
        self._text = widgets.HTML()
        self._text.add_class("lr-enrich-text")
        self._text.layout = widgets.Layout(flex="1 1 0", min_width="0", overflow="hidden")
        self._title = widgets.HTML()
        self._rows = widgets.VBox()
        self._rows.add_class("lr-enrich-matches")
        self._all = button("Accept all", "lr-enrich-accept-all", style="success", width="auto")
        self._none = button("Dismiss all", "lr-enrich-dismiss-all", width="auto")
        self._matches = widgets.VBox(
            [widgets.HBox([self._title, self._all, self._none]), self._rows]
        )
        self._matches.add_class("lr-enrich-confirm")
        self._all.on_click(guard(state, lambda _b: state.confirm_matches()))
        self._none.on_click(guard(state, lambda _b: state.dismiss_matches()))
        self._start.on_click(guard(state, lambda _b: state.enrich()))
        state.observe(
            lambda _c: self._show_progress(),
            names=["enriching", "enrich_done", "enrich_total", "enrich_message", "n_matched"],
        )
        state.observe(lambda _c: self._show_matches(), names="matches")
        self.widget = widgets.VBox(
            [
                widgets.HBox(
                    [self._start, self._bar, self._text],
                    layout=widgets.Layout(align_items="center", flex_flow="row nowrap"),
                ),
                self._matches,
            ]
        )
        self.widget.add_class("lr-enrich-panel")
        self._show_progress()
        self._show_matches()

    def _show_progress(self) -> None:
        s = self._state
        n = s.n_matched
        self._start.description = (
            "Completing…" if s.enriching else f"Complete metadata ({n:,} paper{'s' * (n != 1)})"
        )
        self._start.disabled = s.enriching or not n
        self._bar.max = max(1, s.enrich_total)
        self._bar.value = min(s.enrich_done, self._bar.max)
        hidden(self._bar, not s.enriching)
        self._text.value = (
            f'<span class="lr-help" title="{esc(s.enrich_message)}" style="white-space:nowrap">'
            f"{esc(s.enrich_message)}</span>"
        )

    def _show_matches(self) -> None:
        s = self._state
        frame = s.to_confirm
        hidden(self._matches, not len(frame))
        more = f" (the first {SHOWN} shown)" if len(frame) > SHOWN else ""
        self._title.value = (
            f"<b>{len(frame):,} uncertain title match{'es' * (len(frame) != 1)} to confirm"
            f"{more}</b>"
        )
        for old in self._rows.children:
            old.close()
        self._rows.children = [self._row(r) for r in match_rows(frame, SHOWN)]

    def _row(self, row: dict[str, Any]) -> widgets.HBox:
        s, pid = self._state, str(row["paper_id"])
        text = widgets.HTML(
            f'<div class="lr-match"><b>{esc(row["title"])}</b><br>→ '
            f"{esc(row['candidate_title'])} <code>arXiv {esc(row['candidate_arxiv_id'])}</code>"
            f' <span class="lr-help">({esc(row["reason"])})</span></div>'
        )
        text.layout = widgets.Layout(flex="1 1 0", min_width="0")
        yes = button("Accept", "lr-enrich-accept", style="success", width="72px",
                     tooltip="Complete this paper from the candidate")  # fmt: skip
        no = button("Dismiss", "lr-enrich-dismiss", width="72px", tooltip="Leave it as it is")
        yes.on_click(guard(s, lambda _b: s.confirm_matches(pid)))
        no.on_click(guard(s, lambda _b: s.dismiss_matches(pid)))
        return widgets.HBox([text, yes, no], layout=widgets.Layout(align_items="center"))
