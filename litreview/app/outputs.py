"""The model's charts and exports: the selection's figures and files through the library."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import traitlets

from litreview.app._action import action
from litreview.app.display import count_papers, export_rows, selection_figures
from litreview.writers.formats import get_format

if TYPE_CHECKING:
    import pandas as pd


class OutputActions(traitlets.HasTraits):
    """Charts and exports (a mixin of :class:`~litreview.app.state.AppState`)."""

    last_export = traitlets.Unicode("")

    if TYPE_CHECKING:  # what the model provides
        papers: pd.DataFrame
        selection: pd.DataFrame
        export_dir: Path
        review: Any

        def fail(self, message: str) -> None: ...
        def say(self, message: str) -> None: ...

    @action("charts")
    def figures(self) -> dict[str, Any]:
        """The selection's charts (name -> ``go.Figure``)."""
        return selection_figures(self.selection)

    def export_frame(self, what: str) -> pd.DataFrame:
        """``selection``, ``included`` or ``tag:NAME``."""
        return export_rows(self.papers, self.selection, what)

    @action("export")
    def export(self, fmt: str, what: str, name: str, *, overwrite: bool = False) -> Path:
        """Write ``what`` as ``fmt`` to ``export_dir/name`` through :func:`litreview.export`."""
        suffix = get_format(fmt).suffix
        name = name.strip()
        if not name or Path(name).name != name or name.startswith("."):
            raise ValueError(f"file name must be a plain name like 'review{suffix}', got {name!r}")
        if not Path(name).suffix:
            name += suffix
        df = self.export_frame(what)
        self.export_dir.mkdir(parents=True, exist_ok=True)
        try:
            # through the review: BibTeX gets its pinned citation keys (review/keys.py)
            path = self.review.export(df, self.export_dir / name, overwrite=overwrite, format=fmt)
        except FileExistsError:  # say it in the app's words (the export tab's checkbox)
            raise FileExistsError(
                f"{self.export_dir / name} already exists; tick 'replace an existing file' "
                "(overwrite=True) or choose another name"
            ) from None
        self.last_export = str(path)
        self.say(f"exported {count_papers(len(df))} to {path}")
        return path
