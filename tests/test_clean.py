"""Specification of biaskit.clean: scraped boilerplate is marked, never edited."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from biaskit.clean import BOILERPLATE_KINDS, find_boilerplate, mark_boilerplate
from biaskit.model import Document, Span

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"

# One line each, written for these tests: (line, expected kind or None for prose).
LINES: list[tuple[str, str | None]] = [
    # navigation
    ("bellicon homeicon usericon menuicon closeicon", "navigation"),
    ("icon arrow lefticon arrow righticon playicon pauseicon stopicon", "navigation"),
    ("<<Home", "navigation"),
    ("Newer Post Older Post Home", "navigation"),
    ("Back to top", "navigation"),
    # timestamp
    ("21 April 2019 08:30", "timestamp"),
    ("March 10, 2020", "timestamp"),
    ("Published: 2020-03-10 16:12 GMT", "timestamp"),
    ("Tue, 5 May 2020 | 09:00", "timestamp"),
    ("7 Feb, 2021 11:40 / Updated 2 hours ago", "timestamp"),
    ("22 Sep 2019 - 23:05", "timestamp"),
    # related_link
    ("READ MORE: Iraq votes to expel foreign troops", "related_link"),
    ("Read also: Protesters storm the embassy compound", "related_link"),
    ("See also: What the strike means for the region", "related_link"),
    ("Also on example.org Protesters storm embassy", "related_link"),
    ("ALSO ON NEWS.EXAMPLE.COMStrikes hit the base again", "related_link"),
    # share_prompt
    ("Liked it? Share this article!", "share_prompt"),
    ("Share this post", "share_prompt"),
    ("Share | Tweet | Email", "share_prompt"),
    ("Share", "share_prompt"),
    # donation
    ("12 $", "donation"),
    ("$ 1,000", "donation"),
    ("€250", "donation"),
    ("100,000 £", "donation"),
    ("Enjoy our reporting? Please consider supporting us.", "donation"),
    ("Donate now!", "donation"),
    # comments
    ("3 comments:", "comments"),
    ("No Comments", "comments"),
    ("Leave a Reply", "comments"),
    ("Subscribe to: Post Comments (Atom)", "comments"),
    # subscribe
    ("Subscribe to our newsletter!", "subscribe"),
    ("Sign up for Daily Briefing", "subscribe"),
    ("Subscribe", "subscribe"),
    ("Follow us on Telegram and Twitter for updates.", "subscribe"),
    # repost_footer
    ("Posted by Admin at 9:15 PM", "repost_footer"),
    ("Labels: Iran, Iraq, US military", "repost_footer"),
    # story_code
    ("News ID: 1234", "story_code"),
    ("Story code: 77", "story_code"),
    # byline
    ("Editorial Staff", "byline"),
    ("By Staff Writer", "byline"),
    # promo
    (">>Send us your photos<<", "promo"),
    ("ADVERTISEMENT", "promo"),
    # prose that comes close but is article text
    ("You can read more about the strikes in our earlier report.", None),
    ("Donors pledged $5,000 in aid to the families.", None),
    ("He said 5,000 $ would be paid to each family.", None),
    ("“Share” was the word the minister chose.", None),
    ("Users rushed to share this article with their friends.", None),
    ("Also on Tuesday, the ministry said it would respond.", None),
    ("Also on U.S. soil, troops were put on alert.", None),
    ("Also on display were the drones used in the raid.", None),
    ("Subscribers to the theory say the strike was planned.", None),
    ("Sign up for the draft was mandatory.", None),
    ("Follow us, the commander told his troops, and you will be safe.", None),
    ("Home to 5,000 US troops, the base was hit twice.", None),
    ("The icon of the revolution was killed on January 3.", None),
    ("Silicon lexicon icon Rubicon: the words were projected on screens.", None),
    ("10 March 2020 was the day the hearing took place.", None),
    ("Comments by the minister drew criticism in Baghdad.", None),
    ("Posted by the embassy at 10:16, the statement denied any role.", None),
    ("Labels: they matter more than facts in this war.", None),
    ("Donate blood, the ministry urged residents.", None),
    ("Story code names were used for the operation.", None),
    ("The editorial team of the newspaper resigned in protest.", None),
    (">> and << are shift operators.", None),
    ("Read more", None),
]


def kinds(text: str) -> list[tuple[str, str]]:
    return [(str(s.attributes["kind"]), text[s.start : s.end]) for s in find_boilerplate(text)]


@pytest.mark.parametrize(("line", "kind"), LINES)
def test_a_line_is_marked_with_its_kind_or_left_as_prose(line: str, kind: str | None) -> None:
    # The span covers the whole line but for edge punctuation, which is trimmed.
    expected = [] if kind is None else [(kind, line.strip().strip(".,:;").strip())]
    assert kinds(line) == expected


@pytest.mark.parametrize(("line", "kind"), [(line, kind) for line, kind in LINES if kind])
def test_a_span_is_trimmed_to_the_line_without_whitespace_or_break(line: str, kind: str) -> None:
    text = f"Prose comes first.\r\n \u00a0\t{line} \u00a0\r\nProse comes last."
    (span,) = find_boilerplate(text)
    assert text[span.start : span.end] == line.rstrip(".,:;")
    assert span.attributes["kind"] == kind


def test_the_table_exercises_every_kind_but_the_headline_one() -> None:
    used = {kind for _line, kind in LINES if kind}
    assert used == BOILERPLATE_KINDS - {"duplicate_headline"}


def test_spans_carry_label_kind_and_the_rule_as_origin() -> None:
    (span,) = find_boilerplate("Prose.\nRead more: a link")
    assert span.label == "BOILERPLATE"
    assert span.attributes["origin"] == "biaskit.clean.read_more"
    assert span.attributes["kind"] == "related_link"
    assert set(span.attributes) == {"kind", "origin"}


def test_edge_punctuation_is_trimmed_like_whitespace() -> None:
    text = "Prose.\n  0 Comments: \n"
    (span,) = find_boilerplate(text)
    assert text[span.start : span.end] == "0 Comments"


def test_adjacent_boilerplate_lines_get_one_span_each() -> None:
    text = "Prose.\n1 $\n2 $\n\n3 $"
    assert kinds(text) == [("donation", "1 $"), ("donation", "2 $"), ("donation", "3 $")]


# -- duplicate headlines -------------------------------------------------------


def test_the_second_copy_of_a_headline_is_marked_never_the_first() -> None:
    text = "Iran strikes back\n\nIran strikes back\nIran fired missiles at two bases."
    assert [(s.start, s.end) for s in find_boilerplate(text)] == [(19, 36)]
    assert kinds(text) == [("duplicate_headline", "Iran strikes back")]


def test_headline_copies_may_differ_in_quote_style_and_spacing() -> None:
    text = 'Iran’s “reply” to the US\nIran\'s "reply"  to the US\nProse follows here.'
    assert kinds(text) == [("duplicate_headline", 'Iran\'s "reply"  to the US')]


def test_boilerplate_lines_do_not_count_towards_the_headline_window() -> None:
    head = "A headline\n" + "1 $\n" * 10 + "10 Mar, 2020 16:12\n"
    text = head + "Lead.\nSecond.\nThird.\nA headline\nMore prose."
    assert ("duplicate_headline", "A headline") in kinds(text)


def test_a_repeat_after_the_first_five_content_lines_is_prose() -> None:
    text = "A headline\nOne.\nTwo.\nThree.\nFour.\nA headline\n"
    assert kinds(text) == []


def test_a_repeated_line_longer_than_200_characters_is_prose() -> None:
    lede = "The lede " + "x" * 192
    assert len(lede) == 201
    assert kinds(f"{lede}\nHeadline\n{lede}") == []
    assert kinds(f"{lede[:200]}\nHeadline\n{lede[:200]}") == [("duplicate_headline", lede[:200])]


def test_a_repeated_boilerplate_line_keeps_its_own_kind() -> None:
    assert (
        kinds("Share this story!\nShare this story!") == [("share_prompt", "Share this story!")] * 2
    )


# -- mark_boilerplate ----------------------------------------------------------


def test_mark_boilerplate_returns_a_set_by_the_annotator_over_the_same_document() -> None:
    doc = Document("d1", "Headline\nHeadline\nProse here.\nStory Code: 1", outlet="X")
    aset = mark_boilerplate(doc, annotator="cleaner")
    assert aset.document is doc
    assert aset.annotator == "cleaner"
    assert aset.covered_texts() == ["Headline", "Story Code: 1"]
    assert all(s.annotator == "cleaner" for s in aset)
    assert doc.text == "Headline\nHeadline\nProse here.\nStory Code: 1"


def test_mark_boilerplate_default_annotator() -> None:
    assert mark_boilerplate(Document("d", "Prose.")).annotator == "biaskit-clean"


# -- the five seed articles ----------------------------------------------------

ICONS_000 = (
    "icon bookmark-bicon bookmarkicon cameraicon checkicon chevron downicon chevron lefticon "
    "chevron righticon chevron upicon closeicon v-compressicon downloadicon editicon "
    "v-expandicon fbicon fileicon filtericon flag ruicon full chevron downicon full chevron "
    "lefticon full chevron righticon full chevron upicon gpicon insicon mailicon "
    "moveicon-musicicon mutedicon nomutedicon okicon v-pauseicon v-playicon searchicon "
    "shareicon sign inicon sign upicon stepbackicon stepforicon swipe downicon tagicon "
    "tagsicon tgicon trashicon twicon vkicon yticon wticon fm"
)
HEADLINE_000 = (
    "US bringing missile defense systems to Iraq in bid to protect troops against "
    "'potential Iranian attack' – CENTCOM"
)
FOLLOW_002 = (
    "Follow us everywhere and at any time. has responsive design and you can open the page "
    "from any computer, mobile devices or web browsers. For more up-to-date news from us, "
    "follow our YouTube, Reddit, LinkedIn, Twitter and Facebook\u00a0pages. Do not miss the "
    "chance to subscribe to our\u00a0newsletter. Subscribe and read our stories in News360App "
    "in AppStore or GooglePlay or in FeedlyApp in AppStore or GooglePlay"
)

# (file, marked (kind, text) in order, prose that must stay unmarked)
SEED_CASES: list[tuple[str, list[tuple[str, str]], list[str]]] = [
    (
        "000_cfe5febfa8fc3818.txt",
        [
            ("navigation", ICONS_000),
            ("timestamp", "10 Mar, 2020 16:12"),
            ("duplicate_headline", HEADLINE_000),
            (
                "related_link",
                "Also on rt.com Sanctions, assassinations, threats by US... "
                "Who’s surprised by hardliners winning Iran’s elections?",
            ),
            ("share_prompt", "Think your friends would be interested? Share this story!"),
        ],
        [
            "Pulling out the ‘Iran threat’ card, the head of the US Central Command",
            "Also in response to the assassination, Tehran further rolled back",
        ],
    ),
    (
        "001_d7888534bf1e186c.txt",
        [("timestamp", "11 Mar 2020 - 10:16"), ("story_code", "Story Code: 454560")],
        [
            "US boosting Iraq base fearing Iran’s further retaliatory attacks",
            "Following the atrocity, Leader of the Islamic Revolution",
        ],
    ),
    (
        "002_3e32069099ff1846.txt",
        [
            (
                "related_link",
                "Read more: US launched airstrikes and hit five Shia’s warehouses in Iraq",
            ),
            (
                "related_link",
                "Read more: US and UK citizens were killed in Iraq, "
                "US air strike near Syrian border",
            ),
            (
                "related_link",
                "Read more: Two American soldiers were killed during a mission in Iraq",
            ),
            (
                "related_link",
                "Read more: A missile strike on Baghdad. Two rockets exploded in ‘Green Zone’",
            ),
            ("subscribe", FOLLOW_002),
            ("subscribe", "Subscribe to Google News"),
            ("promo", ">>Be a reporter: Write and send your article.<<"),
            ("byline", "Editorial team"),
        ],
        [
            "After missile strikes, US and Iran enter a new phase of escalation",
            "MOSCOW, (BM) – High-level Iraqi politicians condemned yesterday",
            "Currently, about 5,200 US troops and officers are deployed in the Arab country.",
        ],
    ),
    (
        "003_bf8448b7b28d95a6.txt",
        [
            ("donation", "0 $"),
            ("donation", "2,500 $"),
            ("donation", "5,000 $"),
            ("donation", "3,492 $"),
            ("duplicate_headline", "U.S. Threatens Iran's Allies In Iraq With Preemptive Strike"),
            ("donation", "Do you like this content? Consider helping us!"),
        ],
        [
            "U.S. Threatens Iran’s Allies In Iraq With Preemptive Strike",
            "In this Aug. 20, 2017 file photo, U.S. Army soldiers",
            "The U.S. has threatened to carry out preemptive strikes on Iran’s allies in Iraq",
        ],
    ),
    (
        "004_7ad6a651d57beef3.txt",
        [
            ("timestamp", "3 Jan, 2020 02:55 / Updated 32 minutes ago"),
            (
                "related_link",
                "ALSO ON RT.COMPompeo blames ‘terrorists & Iranian proxies’ for attack on US "
                "Embassy in Baghdad as Tehran rebuffs accusations",
            ),
            ("comments", "0 Comments"),
            ("comments", "Post a Comment"),
            ("comments", "Subscribe to Post Comments [Atom]"),
            ("navigation", "<< Home"),
        ],
        [
            "Pentagon says Trump ‘directed’ assassination of Iran's Quds Force chief",
            "US President Donald Trump authorized a US military strike near Baghdad's airport",
            "At least seven people were killed in the raid",
        ],
    ),
]


def read_seed(name: str) -> str:
    path = SEEDS / name
    if not path.is_file():
        pytest.skip(f"seed article {path} is not present (the shared folder is not checked out)")
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "expected", "prose"), SEED_CASES, ids=[case[0][:3] for case in SEED_CASES]
)
def test_seed_article_boilerplate_is_marked_and_prose_is_not(
    name: str, expected: list[tuple[str, str]], prose: list[str]
) -> None:
    text = read_seed(name)
    original = str(text)
    spans = find_boilerplate(text)

    assert text == original
    assert kinds(text) == expected
    check_well_formed(text, spans)
    # Every span is a whole line of the file, but for edge punctuation.
    lines = {line.strip().strip(".,:;") for line in text.splitlines()}
    assert all(text[s.start : s.end] in lines for s in spans)
    for sentence in prose:
        start = text.index(sentence)
        probe = Span(start, start + len(sentence), "PROSE")
        assert not any(s.overlaps(probe) for s in spans), sentence


# -- properties ----------------------------------------------------------------


def check_well_formed(text: str, spans: list[Span]) -> None:
    assert spans == sorted(spans)
    for span in spans:
        covered = text[span.start : span.end]
        assert 0 <= span.start < span.end <= len(text)
        assert covered == covered.strip()
        assert len(covered.splitlines()) == 1
        assert span.label == "BOILERPLATE"
        assert span.attributes["kind"] in BOILERPLATE_KINDS
        assert span.attributes["origin"].startswith("biaskit.clean.")
        assert covered[0] not in ".,:;"
        assert covered[-1] not in ".,:;"
    for left, right in itertools.pairwise(spans):
        assert left.end <= right.start


SAMPLE_LINES = [line for line, _kind in LINES] + ["A headline", "A headline", ""]
BREAKS = ["\n", "\r\n", "\r", "\n\n", "\u2028", "\x0c", "\x85"]
PADDING = st.text(alphabet=" \t\u00a0\u3000", max_size=2)
LINE = st.one_of(st.sampled_from(SAMPLE_LINES), st.text(max_size=40))
TEXTS = st.lists(st.tuples(PADDING, LINE, PADDING, st.sampled_from(BREAKS)), max_size=12).map(
    lambda parts: "".join(a + b + c + d for a, b, c, d in parts)
)


@given(TEXTS)
def test_spans_are_in_bounds_trimmed_sorted_and_disjoint(text: str) -> None:
    check_well_formed(text, find_boilerplate(text))


@given(st.text())
def test_spans_are_well_formed_for_any_text(text: str) -> None:
    check_well_formed(text, find_boilerplate(text))


@given(TEXTS)
def test_marking_is_deterministic_and_leaves_the_text_alone(text: str) -> None:
    copy = str(text)
    assert find_boilerplate(text) == find_boilerplate(text)
    assert text == copy


@given(TEXTS, st.text(alphabet=" \t\n\r\u00a0", max_size=5))
def test_trailing_whitespace_changes_nothing(text: str, tail: str) -> None:
    assert find_boilerplate(text + tail) == find_boilerplate(text)


@given(TEXTS)
def test_marking_the_marked_lines_again_gives_the_same_kinds(text: str) -> None:
    # Idempotence over the selection: the lines marked, taken on their own, are
    # marked again with the same kinds (headline copies need their first copy).
    spans = find_boilerplate(text)
    alone = [s for s in spans if s.attributes["kind"] != "duplicate_headline"]
    again = find_boilerplate("\n".join(text[s.start : s.end] for s in alone))
    assert [s.attributes["kind"] for s in again] == [s.attributes["kind"] for s in alone]
