r"""Mark scraped boilerplate as ``BOILERPLATE`` spans, never editing the text.

Scraped news carries text that is not the article: icon lists, share prompts,
"Read more" links, donation bars, comment widgets, timestamps and a headline the
scraper repeated. Annotations point into the text by code-point offsets, so the
text is never cleaned; :func:`find_boilerplate` instead returns one span per
boilerplate line, labelled ``BOILERPLATE`` with the attributes ``kind`` (one of
:data:`BOILERPLATE_KINDS`) and ``origin`` (``"biaskit.clean.<rule>"``, naming the
rule that fired). Spans are trimmed of surrounding whitespace and of ``.,:;`` at
their edges, as the validator expects of every span.

How lines are judged
--------------------
The rules are line-based and conservative: a rule must match a *whole* line
(after trimming surrounding whitespace), so a sentence that merely mentions
"read more about" or "$5,000 in aid" is never marked. The rules are tried in the
order of the table below and the first that matches decides the kind.

======================  ==================  ==========================================
rule                    kind                a whole line that is ...
======================  ==================  ==========================================
``icon_list``           ``navigation``      5+ words ending in "icon", over half of
                                            the line's words ("cameraicon shareicon")
``home_link``           ``navigation``      "<< Home", "Home", "Newer Post Older Post"
``skip_link``           ``navigation``      "Back to top", "Skip to content"
``timestamp``           ``timestamp``       a date with optional time and "Updated"
                                            note ("10 Mar, 2020 16:12")
``read_more``           ``related_link``    "Read more: ...", "Read also: ...",
                                            "See also: ..."
``also_on_site``        ``related_link``    "Also on <domain> ..." in any case
                                            ("ALSO ON RT.COM...")
``share_this``          ``share_prompt``    an optional question, then "Share this
                                            story/article/post!"
``share_buttons``       ``share_prompt``    only share-button names ("Share Tweet")
``amount``              ``donation``        one money amount and nothing else
                                            ("2,500 $", "€10")
``donate_call``         ``donation``        an optional question, then "Consider
                                            helping us!", "Donate now", "Support us"
``comment_count``       ``comments``        "0 Comments:", "No comments"
``comment_widget``      ``comments``        "Post a Comment", "Leave a reply",
                                            "Subscribe to Post Comments [Atom]"
``subscribe``           ``subscribe``       "Subscribe", "Subscribe to <Name>" or
                                            "Sign up for our newsletter"
``follow_us``           ``subscribe``       "Follow us ..." naming a network,
                                            newsletter or subscription
``posted_by``           ``repost_footer``   "Posted by <name> at <time>"
``post_labels``         ``repost_footer``   "Labels: a, b, c" (one to three words each)
``story_code``          ``story_code``      "Story Code: 454560", "News ID: 12"
``staff_credit``        ``byline``          "Editorial team", "Staff writer"
``arrow_callout``       ``promo``           text wrapped in ">> ... <<"
``advertisement``       ``promo``           "Advertisement", "Sponsored content"
======================  ==================  ==========================================

One rule looks beyond its line, ``duplicate_headline``: among the first five
*content* lines (not blank and not already marked), a line of at most 200
characters that repeats an earlier one is marked; the first copy never is.
Copies compare equal up to whitespace and quote style (``'`` against ``’``),
because scrapers take one copy from the page title and one from the heading.

Each span covers one line, trimmed to its first and last non-space character;
it never includes the line break. Adjacent boilerplate lines are not merged, so
each line keeps its own kind and rule and removing one false positive stays a
one-span edit.

Examples
--------
>>> text = "Iran fires missiles\n3 Jan, 2020 02:55\nIran fired missiles.\nRead more: A link"
>>> [(text[s.start : s.end], s.attributes["kind"]) for s in find_boilerplate(text)]
[('3 Jan, 2020 02:55', 'timestamp'), ('Read more: A link', 'related_link')]
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import attrs

from biaskit.model import AnnotationSet, Document, Span

__all__ = ["BOILERPLATE_KINDS", "find_boilerplate", "mark_boilerplate"]

_LABEL = "BOILERPLATE"
_ORIGIN = "biaskit.clean"
_EDGE = ".,:;"

BOILERPLATE_KINDS: frozenset[str] = frozenset(
    {
        "byline",
        "comments",
        "donation",
        "duplicate_headline",
        "navigation",
        "promo",
        "related_link",
        "repost_footer",
        "share_prompt",
        "story_code",
        "subscribe",
        "timestamp",
    }
)
"""The closed set of values of a boilerplate span's ``kind`` attribute."""

_HEADLINE_WINDOW = 5
_HEADLINE_MAX_CHARS = 200


@attrs.frozen
class _Rule:
    """A named test of one trimmed line, and the kind it marks."""

    name: str
    kind: str
    matches: Callable[[str], object]


def _whole(pattern: str, flags: int = 0) -> Callable[[str], object]:
    return re.compile(pattern, flags).fullmatch


def _is_icon_list(line: str) -> bool:
    # Icon fonts scrape as "bookmarkicon cameraicon chevron downicon ..."; a few
    # words of a multi-word icon name ("chevron", "sign") sit between them.
    words = line.split()
    icons = sum(word.casefold().endswith("icon") for word in words)
    return icons >= 5 and 2 * icons > len(words)


_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+"
_DATE = (
    rf"(?:\d{{1,2}}\s+{_MONTH},?\s+\d{{4}}|{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}"
    r"|\d{4}-\d{2}-\d{2}|\d{1,2}[./]\d{1,2}[./]\d{4})"
)
_TIME = (
    r"\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?(?:\s+(?:gmt|utc)(?:[+-]\d{1,2})?|\s+[a-z]{2,4}t)?"
)
_TIMESTAMP = (
    rf"(?:(?:published|posted|updated|last\s+updated)(?:\s+on)?\s*:?\s*)?(?:{_WEEKDAY})?{_DATE}"
    rf"(?:\s*(?:[-–—|/,]|at)?\s*{_TIME})?(?:\s*[/|]\s*updated\b.{{0,60}})?"
)
_AMOUNT = r"\d{1,3}(?:[,.\u00a0\u202f ]\d{3})*(?:\.\d{2})?"
_CURRENCY = r"[$€£]"
# A blog label: one to three words, so "Labels: they matter more than facts" is prose.
_TAG = r"[\w’'-]+(?:\s[\w’'-]+){0,2}"
# What one subscribes to: a capitalised name ("Google News") or a kind of feed;
# "Sign up for the draft was mandatory." stays prose.
_NAME = r"[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,3}"
_FEED = r"(?:daily\s+|weekly\s+)?(?:newsletter|channel|updates|alerts|notifications|feed|podcast)s?"
_NETWORK = (
    r"(?:twitter|facebook|youtube|telegram|instagram|linkedin|reddit|vk|tiktok|rss"
    r"|newsletter|subscribe)"
)

_RULES: tuple[_Rule, ...] = (
    _Rule("icon_list", "navigation", _is_icon_list),
    _Rule(
        "home_link",
        "navigation",
        _whole(r"(?:<<\s*)?home(?:\s*>>)?|(?:(?:newer|older)\s+posts?\s*)+(?:home)?", re.I),
    ),
    _Rule(
        "skip_link", "navigation", _whole(r"back\s+to\s+top|skip\s+to\s+(?:main\s+)?content", re.I)
    ),
    _Rule("timestamp", "timestamp", _whole(_TIMESTAMP, re.I)),
    _Rule(
        "read_more", "related_link", _whole(r"(?:read\s+(?:more|also)|see\s+also)\s*:\s*\S.*", re.I)
    ),
    # A domain needs a top-level part of two or more letters, so "Also on U.S.
    # soil, ..." is not a link.
    _Rule("also_on_site", "related_link", _whole(r"also\s+on\s+[\w-]+(?:\.[a-z]{2,})+.*", re.I)),
    _Rule(
        "share_this",
        "share_prompt",
        _whole(r"(?:[^.!?]{0,80}\?\s*)?share\s+this\s+(?:story|article|post|page)\s*[!.]?", re.I),
    ),
    _Rule(
        "share_buttons",
        "share_prompt",
        _whole(
            r"(?:share|tweet)(?:[\s|•·/]+(?:share|tweet|e-?mail|print|whatsapp|telegram"
            r"|facebook|twitter|reddit|linkedin|pinterest))*",
            re.I,
        ),
    ),
    _Rule("amount", "donation", _whole(rf"{_AMOUNT}\s?{_CURRENCY}|{_CURRENCY}\s?{_AMOUNT}")),
    _Rule(
        "donate_call",
        "donation",
        _whole(
            r"(?:[^.!?]{0,80}\?\s*)?(?:please\s+)?(?:consider\s+(?:helping|supporting)\s+us"
            r"|donate(?:\s+now)?|support\s+us)\s*[!.]?",
            re.I,
        ),
    ),
    _Rule("comment_count", "comments", _whole(r"(?:\d+|no)\s+comments?\s*:?", re.I)),
    _Rule(
        "comment_widget",
        "comments",
        _whole(
            r"post\s+a\s+comment|leave\s+a\s+(?:comment|reply)"
            r"|subscribe\s+to\s*:?\s*post\s+comments\s*[\[(]atom[\])]",
            re.I,
        ),
    ),
    _Rule(
        "subscribe",
        "subscribe",
        _whole(
            r"(?i:subscribe|sign\s+up)(?:\s+(?i:now|today|here))?"
            rf"(?:\s+(?i:to|for|on|via)\s+(?i:our\s+|the\s+)?(?:{_NAME}|(?i:{_FEED})))?\s*[!.]?"
        ),
    ),
    _Rule("follow_us", "subscribe", _whole(rf"follow\s+us\b(?=.*\b{_NETWORK}\b).*", re.I)),
    _Rule(
        "posted_by",
        "repost_footer",
        _whole(rf"posted\s+by\s+.{{1,60}}\s+(?:at|on)\s+{_TIME}", re.I),
    ),
    _Rule("post_labels", "repost_footer", _whole(rf"Labels\s*:\s*{_TAG}(?:\s*,\s*{_TAG})*")),
    _Rule(
        "story_code",
        "story_code",
        _whole(r"(?:story\s+code|news\s+(?:code|id)|article\s+id)\s*:\s*\d+", re.I),
    ),
    _Rule(
        "staff_credit",
        "byline",
        _whole(
            r"(?:by\s+)?(?:the\s+)?(?:editorial\s+(?:team|staff|board)|staff\s+(?:writer|reporter)s?)",
            re.I,
        ),
    ),
    _Rule("arrow_callout", "promo", _whole(r">>[^<>]{1,150}<<")),
    _Rule("advertisement", "promo", _whole(r"advertisement|sponsored(?:\s+content)?", re.I)),
)

_QUOTES = str.maketrans(
    {"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "‟": '"'}
)


def _lines(text: str) -> Iterator[tuple[int, int]]:
    """Yield the ``(start, end)`` of each line's trimmed content; skip blank lines."""
    offset = 0
    for line in text.splitlines(keepends=True):
        stripped = line.lstrip()
        if stripped:
            start = offset + len(line) - len(stripped)
            yield start, start + len(stripped.rstrip())
        offset += len(line)


def _span(text: str, start: int, end: int, kind: str, rule: str) -> Span:
    # Edge punctuation ("0 Comments:") is trimmed like whitespace.
    while end - start > 1 and (text[end - 1] in _EDGE or text[end - 1].isspace()):
        end -= 1
    while end - start > 1 and (text[start] in _EDGE or text[start].isspace()):
        start += 1
    return Span(start, end, _LABEL, attributes={"kind": kind, "origin": f"{_ORIGIN}.{rule}"})


def _headline_key(line: str) -> str:
    return " ".join(line.translate(_QUOTES).split())


def find_boilerplate(text: str) -> list[Span]:
    r"""Return ``BOILERPLATE`` spans over the boilerplate lines of ``text``.

    The text is only read. See the module docstring for the rules.

    Parameters
    ----------
    text : str
        A document's exact text.

    Returns
    -------
    list of Span
        One span per boilerplate line, sorted by offset, trimmed to non-space
        characters and ``.,:;``, with attributes ``kind`` (in
        :data:`BOILERPLATE_KINDS`) and ``origin`` (``"biaskit.clean.<rule>"``).

    Examples
    --------
    >>> text = "Big news\n\nBig news\nThe story, in prose.\n  0 Comments:\n"
    >>> [(s.start, s.end, s.attributes["kind"]) for s in find_boilerplate(text)]
    [(10, 18, 'duplicate_headline'), (42, 52, 'comments')]
    >>> find_boilerplate("You can read more: the $5,000 in aid arrived.")
    []
    """
    spans: list[Span] = []
    seen: set[str] = set()
    content_lines = 0
    for start, end in _lines(text):
        line = text[start:end]
        rule = next((r for r in _RULES if r.matches(line)), None)
        if rule is not None:
            spans.append(_span(text, start, end, rule.kind, rule.name))
            continue
        content_lines += 1
        if content_lines > _HEADLINE_WINDOW or len(line) > _HEADLINE_MAX_CHARS:
            continue
        key = _headline_key(line)
        if key in seen:
            spans.append(_span(text, start, end, "duplicate_headline", "duplicate_headline"))
        seen.add(key)
    return spans


def mark_boilerplate(document: Document, *, annotator: str = "biaskit-clean") -> AnnotationSet:
    r"""Return an annotation set holding the boilerplate spans of ``document``.

    Parameters
    ----------
    document : Document
        The document to mark; its text is not changed.
    annotator : str
        The name the set (and each span) is recorded under.

    Returns
    -------
    AnnotationSet
        The spans of :func:`find_boilerplate`, each with ``annotator`` set.

    Examples
    --------
    >>> doc = Document("d1", "Iran fired missiles.\nShare this story!")
    >>> aset = mark_boilerplate(doc)
    >>> aset.annotator, aset.covered_texts()
    ('biaskit-clean', ['Share this story!'])
    """
    spans = [attrs.evolve(s, annotator=annotator) for s in find_boilerplate(document.text)]
    return AnnotationSet(document, annotator, spans)
