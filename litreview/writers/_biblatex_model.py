"""biblatex's data model (its ``blx-dm.def``, biblatex 3.18b): the entry types and the
fields each may have, so the biblatex dialect writes only what ``biber --validate-datamodel``
accepts. Generated from ``blx-dm.def`` (the ``DeclareDatamodelEntrytypes`` and
``DeclareDatamodelEntryfields`` lists); regenerate when biblatex adds types or fields.

>>> allowed("online", "eprint"), allowed("misc", "publisher"), allowed("misc", "urldate")
(True, False, True)
"""

from __future__ import annotations


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Every entry type biblatex knows.
TYPES = _names(
    "article artwork audio bibnote book bookinbook booklet collection commentary customa "
    "customb customc customd custome customf dataset image inbook incollection inproceedings "
    "inreference jurisdiction legal legislation letter manual misc movie music mvbook "
    "mvcollection mvproceedings mvreference online patent performance periodical proceedings "
    "reference report review set software standard suppbook suppcollection suppperiodical "
    "thesis unpublished video"
)
#: Fields every entry type may have.
GLOBAL = _names(
    "abstract annotation authortype bookpagination crossref day doi endday endhour endminute "
    "endmonth endsecond endtimezone endyear endyeardivision entryset entrysubtype eprint "
    "eprintclass eprinttype execute file gender hour ids indexsorttitle indextitle isan ismn "
    "iswc keywords label langid langidopts library lista listb listc listd liste listf minute "
    "month namea nameaddon nameatype nameb namebtype namec namectype options origday "
    "origendday origendhour origendminute origendmonth origendsecond origendtimezone "
    "origendyear origendyeardivision orighour origlocation origminute origmonth origpublisher "
    "origsecond origtimezone origtitle origyear origyeardivision pagination presort related "
    "relatedoptions relatedstring relatedtype second shortauthor shorteditor shorthand "
    "shorthandintro shortjournal shortseries shorttitle sortkey sortname sortshorthand "
    "sorttitle sortyear timezone url urlday urlendday urlendhour urlendminute urlendmonth "
    "urlendsecond urlendtimezone urlendyear urlhour urlminute urlmonth urlsecond urltimezone "
    "urlyear usera userb userc userd usere userf verba verbb verbc xdata xref year "
    "yeardivision"
)
#: The fields each type may have beyond :data:`GLOBAL` (types not listed: global ones only).
FIELDS: dict[str, frozenset[str]] = {
    "article": _names(
        "addendum annotator author commentator editor editora editoratype editorb editorbtype "
        "editorc editorctype editortype eid issn issue issuesubtitle issuetitle "
        "issuetitleaddon journalsubtitle journaltitle journaltitleaddon language note number "
        "origlanguage pages pubstate series subtitle title titleaddon translator version "
        "volume"
    ),
    "bibnote": _names("note"),
    "book": _names(
        "addendum afterword annotator author chapter commentator edition editor editora "
        "editoratype editorb editorbtype editorc editorctype editortype eid foreword "
        "introduction isbn language location mainsubtitle maintitle maintitleaddon note number "
        "origlanguage pages pagetotal part publisher pubstate series subtitle title titleaddon "
        "translator volume volumes"
    ),
    "bookinbook": _names(
        "addendum afterword annotator author bookauthor booksubtitle booktitle booktitleaddon "
        "chapter commentator edition editor editora editoratype editorb editorbtype editorc "
        "editorctype editortype eid foreword introduction isbn language location mainsubtitle "
        "maintitle maintitleaddon note number origlanguage pages part publisher pubstate "
        "series subtitle title titleaddon translator volume volumes"
    ),
    "booklet": _names(
        "addendum author chapter editor editortype eid howpublished language location note "
        "pages pagetotal pubstate subtitle title titleaddon type"
    ),
    "collection": _names(
        "addendum afterword annotator chapter commentator edition editor editora editoratype "
        "editorb editorbtype editorc editorctype editortype eid foreword introduction isbn "
        "language location mainsubtitle maintitle maintitleaddon note number origlanguage "
        "pages pagetotal part publisher pubstate series subtitle title titleaddon translator "
        "volume volumes"
    ),
    "dataset": _names(
        "addendum author edition editor editortype language location note number organization "
        "publisher pubstate series subtitle title titleaddon type version"
    ),
    "inbook": _names(
        "addendum afterword annotator author bookauthor booksubtitle booktitle booktitleaddon "
        "chapter commentator edition editor editora editoratype editorb editorbtype editorc "
        "editorctype editortype eid foreword introduction isbn language location mainsubtitle "
        "maintitle maintitleaddon note number origlanguage pages part publisher pubstate "
        "series subtitle title titleaddon translator volume volumes"
    ),
    "incollection": _names(
        "addendum afterword annotator author booksubtitle booktitle booktitleaddon chapter "
        "commentator edition editor editora editoratype editorb editorbtype editorc "
        "editorctype editortype eid foreword introduction isbn language location mainsubtitle "
        "maintitle maintitleaddon note number origlanguage pages part publisher pubstate "
        "series subtitle title titleaddon translator volume volumes"
    ),
    "inproceedings": _names(
        "addendum author booksubtitle booktitle booktitleaddon chapter editor editortype eid "
        "eventday eventendday eventendhour eventendminute eventendmonth eventendsecond "
        "eventendtimezone eventendyear eventendyeardivision eventhour eventminute eventmonth "
        "eventsecond eventtimezone eventtitle eventtitleaddon eventyear eventyeardivision isbn "
        "language location mainsubtitle maintitle maintitleaddon note number organization "
        "pages part publisher pubstate series subtitle title titleaddon venue volume volumes"
    ),
    "inreference": _names(
        "addendum afterword annotator author booksubtitle booktitle booktitleaddon chapter "
        "commentator edition editor editora editoratype editorb editorbtype editorc "
        "editorctype editortype eid foreword introduction isbn language location mainsubtitle "
        "maintitle maintitleaddon note number origlanguage pages part publisher pubstate "
        "series subtitle title titleaddon translator volume volumes"
    ),
    "manual": _names(
        "addendum author chapter edition editor editortype eid isbn language location note "
        "number organization pages pagetotal publisher pubstate series subtitle title "
        "titleaddon type version"
    ),
    "misc": _names(
        "addendum author editor editortype howpublished language location note organization "
        "pubstate subtitle title titleaddon type version"
    ),
    "mvbook": _names(
        "addendum afterword annotator author commentator edition editor editora editoratype "
        "editorb editorbtype editorc editorctype editortype foreword introduction isbn "
        "language location note number origlanguage pagetotal publisher pubstate series "
        "subtitle title titleaddon translator volume volumes"
    ),
    "mvcollection": _names(
        "addendum afterword annotator author commentator edition editor editora editoratype "
        "editorb editorbtype editorc editorctype editortype foreword introduction isbn "
        "language location note number origlanguage publisher pubstate subtitle title "
        "titleaddon translator volume volumes"
    ),
    "mvproceedings": _names(
        "addendum editor editortype eventday eventendday eventendhour eventendminute "
        "eventendmonth eventendsecond eventendtimezone eventendyear eventendyeardivision "
        "eventhour eventminute eventmonth eventsecond eventtimezone eventtitle eventtitleaddon "
        "eventyear eventyeardivision isbn language location note number organization pagetotal "
        "publisher pubstate series subtitle title titleaddon venue volumes"
    ),
    "mvreference": _names(
        "addendum afterword annotator author commentator edition editor editora editoratype "
        "editorb editorbtype editorc editorctype editortype foreword introduction isbn "
        "language location note number origlanguage publisher pubstate subtitle title "
        "titleaddon translator volume volumes"
    ),
    "online": _names(
        "addendum author editor editortype language note organization pubstate subtitle title "
        "titleaddon version"
    ),
    "patent": _names(
        "addendum author holder location note number pubstate subtitle title titleaddon type "
        "version"
    ),
    "periodical": _names(
        "addendum editor editora editoratype editorb editorbtype editorc editorctype "
        "editortype issn issue issuesubtitle issuetitle issuetitleaddon language note number "
        "pubstate series subtitle title titleaddon volume yeardivision"
    ),
    "proceedings": _names(
        "addendum chapter editor editortype eid eventday eventendday eventendhour "
        "eventendminute eventendmonth eventendsecond eventendtimezone eventendyear "
        "eventendyeardivision eventhour eventminute eventmonth eventsecond eventtimezone "
        "eventtitle eventtitleaddon eventyear eventyeardivision isbn language location "
        "mainsubtitle maintitle maintitleaddon note number organization pages pagetotal part "
        "publisher pubstate series subtitle title titleaddon venue volume volumes"
    ),
    "reference": _names(
        "addendum afterword annotator chapter commentator edition editor editora editoratype "
        "editorb editorbtype editorc editorctype editortype eid foreword introduction isbn "
        "language location mainsubtitle maintitle maintitleaddon note number origlanguage "
        "pages pagetotal part publisher pubstate series subtitle title titleaddon translator "
        "volume volumes"
    ),
    "report": _names(
        "addendum author chapter eid institution isrn language location note number pages "
        "pagetotal pubstate subtitle title titleaddon type version"
    ),
    "set": _names("entryset"),
    "software": _names(
        "addendum author editor editortype howpublished language location note organization "
        "pubstate subtitle title titleaddon type version"
    ),
    "suppbook": _names(
        "addendum afterword annotator author bookauthor booksubtitle booktitle booktitleaddon "
        "chapter commentator edition editor editora editoratype editorb editorbtype editorc "
        "editorctype editortype eid foreword introduction isbn language location mainsubtitle "
        "maintitle maintitleaddon note number origlanguage pages part publisher pubstate "
        "series subtitle title titleaddon translator volume volumes"
    ),
    "suppcollection": _names(
        "addendum afterword annotator author booksubtitle booktitle booktitleaddon chapter "
        "commentator edition editor editora editoratype editorb editorbtype editorc "
        "editorctype editortype eid foreword introduction isbn language location mainsubtitle "
        "maintitle maintitleaddon note number origlanguage pages part publisher pubstate "
        "series subtitle title titleaddon translator volume volumes"
    ),
    "thesis": _names(
        "addendum author chapter eid institution language location note pages pagetotal "
        "pubstate subtitle title titleaddon type"
    ),
    "unpublished": _names(
        "addendum author eventday eventendday eventendhour eventendminute eventendmonth "
        "eventendsecond eventendtimezone eventendyear eventendyeardivision eventhour "
        "eventminute eventmonth eventsecond eventtimezone eventtitle eventtitleaddon eventyear "
        "eventyeardivision howpublished language location note pubstate subtitle title "
        "titleaddon type venue"
    ),
}


def allowed(entry_type: str, field: str) -> bool:
    """Whether biblatex's data model lets ``entry_type`` have ``field`` (any case); a
    date field (``date``, ``urldate``…) is stored as its parts (``year``, ``urlyear``…)."""
    name = field.lower()
    if name.endswith("date") and name not in GLOBAL:
        name = name[:-4] + "year"
    return name in GLOBAL or name in FIELDS.get(entry_type, frozenset())
