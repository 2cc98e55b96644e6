"""Cleaning, splitting and tokenizing, on the real debris of the five seed articles."""

from __future__ import annotations

import datetime

import pytest
from linear import assert_linear

import minsk_moscow as mm
from minsk_moscow.text import clean_article, split_run_in_heading

SEED_FILES = {
    "mt-2020-09-03": "000_2eecfafdc5e0904a.txt",
    "mt-2020-08-05": "001_2fa9e59c5bad71dc.txt",
    "mt-2020-09-11": "002_51a6276876a87040.txt",
    "ft-2020-08-15": "003_740e88bf1534004e.txt",
    "ft-2021-09-09": "004_4d55c02ab95329b8.txt",
}


@pytest.fixture(scope="module")
def cleaned() -> dict[str, mm.CleanedArticle]:
    return {aid: clean_article(mm.read_article(mm.SEEDS_DIR / f)) for aid, f in SEED_FILES.items()}


# ---------------------------------------------------------------- debris removed, with a record
@pytest.mark.parametrize(
    "article, kind, debris",
    [
        ("mt-2020-09-03", "photo_credit", "Mikhail Metzel / TASS"),
        ("mt-2020-09-03", "photo_caption", "While Russia and Belarus have close trade and military cooperation, Moscow seeks a deeper integration."),
        ("mt-2020-09-03", "related_link", "Related article: Putin and the Belarusian Question"),
        ("mt-2020-09-03", "footer", "Original url:"),
        ("mt-2020-09-03", "byline", "By AFP"),
        ("mt-2020-09-03", "date_line", "September 03, 2020"),
        ("mt-2020-08-05", "photo_caption", "Belarus is more tightly linked to Russia than any other country. Natalia Fedosenko / TASS"),
        ("mt-2020-08-05", "related_link", "Related article: Belarus Leader Claims Opposition 'Massacre' Plot Before Vote"),
        ("mt-2020-08-05", "related_link", "Related article: Russian Mercenaries in Belarus: All You Need to Know"),
        ("mt-2020-08-05", "subheading", "Power trip"),
        ("mt-2020-08-05", "subheading", "'Mutual fatigue'"),
        ("mt-2020-09-11", "source_note", "From the MT:"),
        ("mt-2020-09-11", "subheading", "Mass demonstrations"),
        ("mt-2020-09-11", "subheading", "Dependent on Russia"),
        ("mt-2020-09-11", "blog_furniture", "No comments:"),
        ("mt-2020-09-11", "blog_furniture", "Post a Comment"),
        ("mt-2020-09-11", "blog_furniture", "Note: Only a member of this blog may post a comment."),
        ("ft-2020-08-15", "site_name", "Commentary on Political Economy"),
        ("ft-2020-08-15", "date_line", "Saturday, 15 August 2020"),
        ("ft-2020-08-15", "photo_caption", "Belarus opposition supporters gather in central Minsk on Saturday to protest against police violence © AFP via Getty Images"),
        ("ft-2021-09-09", "related_link", "See also EU trade commissioner 'will call Trump's bluff' over Huawei security"),
        ("ft-2021-09-09", "blog_furniture", "Leave a Reply"),
        ("ft-2021-09-09", "cookie_notice", "This website uses cookies. By continuing to use this site, you accept our use of cookies. Learn more"),
    ],
)
def test_debris_is_removed_and_recorded(cleaned, article, kind, debris):
    art = cleaned[article]
    assert mm.Removal(kind, debris) in art.removed
    assert debris not in art.text


def test_blog_owners_comment_between_carets_is_not_article_text(cleaned):
    art = cleaned["mt-2020-09-11"]
    comments = [r.text for r in art.removed if r.kind == "blog_comment"]
    assert len(comments) == 1
    assert comments[0].startswith("^ This will either mean Lukashenko will resign")
    assert "Russian troops will shortly invade" not in art.text
    assert art.text.endswith("any such agreements would only anger Belarusians.")


@pytest.mark.parametrize(
    "article, sentence",
    [
        # paragraphs the scraper split mid-sentence are joined again
        ("mt-2020-09-03", "Tens of thousands have taken to the streets for weeks in unprecedented protests against Lukashenko's 26-year rule."),
        ("mt-2020-08-05", "which was once headed by a now jailed opposition candidate, and Gazprom criticized the installation of new management."),
        ("mt-2020-08-05", '"The Kremlin understands that supporting such an unpopular leader could have serious consequences in the future," he said.'),
        # line-wrapped text is unwrapped
        ("mt-2020-09-11", "Russian President Vladimir Putin and Belarus strongman Alexander Lukashenko, who is facing the largest protests of his rule, will discuss plans to further integrate their countries on Monday, the Kremlin said."),
        # a run-in subheading is cut off its section's first sentence
        ("mt-2020-09-11", "\n\nLukashenko, in power for 26 years, has vowed that he will not give up power"),
        ("mt-2020-09-11", "\n\nThe two countries have formed a \"union state\""),
        # a sentence that follows a removed "Related article" line is kept
        ("mt-2020-08-05", "The Belarussian leader refused to sign any agreements on closer integration"),
        # thin-spaced dots become an ellipsis; non-breaking spaces become spaces
        ("ft-2020-08-15", "we have an agreement with Russia... that covers these incidents,"),
        ("ft-2020-08-15", "EU foreign ministers agreed on Friday to start work on sanctions against those responsible"),
        ("ft-2021-09-09", "only as a union … nearly a single people,"),
    ],
)
def test_article_sentences_are_kept_whole(cleaned, article, sentence):
    assert sentence in cleaned[article].text


@pytest.mark.parametrize(
    "article, title",
    [
        ("mt-2020-09-03", "Belarus Leader Replaces Security Chiefs as Russian Prime Minister Visits"),
        ("mt-2020-08-05", "Belarus Vote Threatens Rupture in 'Brotherly' Ties With Russia"),
        ("mt-2020-09-11", "Putin, Lukashenko To Talk 'Integration' Amid Belarus Protests"),
        ("ft-2020-08-15", "Lukashenko says Putin has promised security assistance for Belarus"),
        ("ft-2021-09-09", "Putin and Lukashenko discuss integrating Russia and Belarus"),
    ],
)
def test_title_is_found_and_not_in_body(cleaned, article, title):
    assert cleaned[article].title == title
    assert not cleaned[article].text.startswith(title)


@pytest.mark.parametrize(
    "article, url",
    [
        ("mt-2020-09-03", "https://www.themoscowtimes.com/2020/09/03/belarus-leader-replaces-security-chiefs-as-russian-prime-minister-visits-a71340"),
        ("mt-2020-08-05", "https://www.themoscowtimes.com/2020/08/05/belarus-vote-threatens-rupture-in-brotherly-ties-with-russia-a71061"),
    ],
)
def test_broken_original_url_is_repaired(cleaned, article, url):
    assert cleaned[article].url == url


def test_every_paragraph_ends_a_sentence(cleaned):
    for art in cleaned.values():
        for para in mm.split_paragraphs(art.text):
            assert para[-1] in '.!?"”:', para[-60:]


def test_markdown_and_quotes_are_stripped_from_body(cleaned):
    for art in cleaned.values():
        assert "**" not in art.text and "#" not in art.text and "^" not in art.text


@pytest.mark.parametrize(
    "line, previous, expected",
    [
        ("Mass demonstrations Lukashenko, in power for 26 years, has", 'for the two states".', ("Mass demonstrations", "Lukashenko, in power for 26 years, has")),
        ("Dependent on Russia The", "European Union, has for years relied on Moscow for cheap oil and loans.", ("Dependent on Russia", "The")),
        # not headings: a noun phrase continued by a name, a normal sentence start, mid-sentence lines
        ("Kremlin spokesman Dmitry Peskov said there was", "calls for tighter integration.", None),
        ("Russian President Vladimir Putin", "Amid Belarus Protests.", None),
        ("Putin swiftly congratulated Lukashenko on his victory", "in the crackdown.", None),
        ("Mass demonstrations Lukashenko, in power for 26 years, has", "for the two", None),
        ("EU members Estonia, Latvia and", "Russian Empire.", None),
        # a line that ends in an abbreviation or an initial ends no sentence
        ("Lukashenko met on Aug. 9 near the U.S. embassy", "on Monday talks between Mr. Putin and Mr.", None),
        ("Shoigu and Dr. Makei discussed oil supplies", "near the U.S. embassy while Gen.", None),
        ("Smith wrote that Minsk", "a report by J.", None),
    ],
)
def test_split_run_in_heading(line, previous, expected):
    assert split_run_in_heading(line, previous=previous) == expected


def test_wrapped_lines_ending_in_abbreviations_stay_one_paragraph():
    raw = (
        "Putin and Lukashenko meet again\n\n"
        "Talks between Mr. Putin and Mr.\n"
        "Lukashenko met on Aug. 9 near the U.S. embassy while Gen.\n"
        "Shoigu and Dr. Makei discussed oil supplies.\n"
    )
    art = clean_article(raw)
    assert art.text == ("Talks between Mr. Putin and Mr. Lukashenko met on Aug. 9 near the U.S. embassy while Gen. "
                        "Shoigu and Dr. Makei discussed oil supplies.")
    assert not [r for r in art.removed if r.kind == "subheading"]


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("\ufeffBelarus\r\nMinsk\r\n", "Belarus\nMinsk\n"),
        ("Russia\u2009.\u2009.\u2009. that", "Russia... that"),
        ("to\u00a0start work", "to start work"),
        ("Let them go\u2009.\u2009.\u2009. But", "Let them go... But"),
        ("old\rmac", "old\nmac"),
    ],
)
def test_normalize_characters(raw, expected):
    assert mm.normalize_characters(raw) == expected


def test_clean_text_handles_bom_and_crlf_like_the_original():
    raw = mm.read_article(mm.SEEDS_DIR / SEED_FILES["mt-2020-09-03"])
    assert mm.clean_text("\ufeff" + raw.replace("\n", "\r\n")) == mm.clean_text(raw)


# ---------------------------------------------------------------- sentences
@pytest.mark.parametrize(
    "text, expected",
    [
        (  # quotes: the closing quote stays with its sentence, a comma inside a quote is no break
            '"We see progress on many issues," he told Lukashenko. "This lesson prompted us," he said.',
            ['"We see progress on many issues," he told Lukashenko.', '"This lesson prompted us," he said.'],
        ),
        (  # FT honorific without full stop, and with one
            "Mr Lukashenko said on Saturday. Mr. Putin agreed.",
            ["Mr Lukashenko said on Saturday.", "Mr. Putin agreed."],
        ),
        (  # abbreviated month before a number
            "The strongman has accused Moscow of meddling in the Aug. 9 elections in which he is expected to win. He denied it.",
            ["The strongman has accused Moscow of meddling in the Aug. 9 elections in which he is expected to win.", "He denied it."],
        ),
        (  # dotted acronym
            "The U.S. and the EU condemned it. Minsk did not.",
            ["The U.S. and the EU condemned it.", "Minsk did not."],
        ),
        (  # ellipsis inside a quote before a lower-case word is no break
            '"Power... is the scariest drug, Lukashenko can\'t get enough," Zhirinovksy said.',
            ['"Power... is the scariest drug, Lukashenko can\'t get enough," Zhirinovksy said.'],
        ),
        (  # curly quotes, question marks and an ellipsis before a capital
            "“We give these factories colossal support. And what do we get? A knife in the back?” Let them go... But not here.",
            ["“We give these factories colossal support.", "And what do we get?", "A knife in the back?”", "Let them go...", "But not here."],
        ),
        (  # a paragraph break always ends a sentence, even without punctuation
            "No full stop here\n\nNext paragraph.",
            ["No full stop here", "Next paragraph."],
        ),
        (  # initials
            "J. R. Smith said so. It was late.",
            ["J. R. Smith said so.", "It was late."],
        ),
    ],
)
def test_split_sentences(text, expected):
    assert mm.split_sentences(text) == expected


def test_seed_sentences_are_plausible(cleaned):
    for art in cleaned.values():
        for sent in mm.split_sentences(art.text):
            assert sent[0].isupper() or sent[0] in "\"“‘'", sent
            assert len(sent.split()) >= 3, sent


# ---------------------------------------------------------------- tokens
@pytest.mark.parametrize(
    "text, expected",
    [
        ("Belarussian leader Alexander Lukashenko", ["belarusian", "leader", "alexander", "lukashenko"]),
        ("Zhirinovksy said", ["zhirinovsky"]),
        ("Kremlin spokesperson Dmitri Peskov", ["kremlin", "spokesperson", "dmitry", "peskov"]),
        ("Mr Lukashenko’s desperate appeals", ["lukashenko", "desperate", "appeals"]),
        ("Mr Lukashenko's desperate appeals", ["lukashenko", "desperate", "appeals"]),
        ("the two countries’ mutually beneficial co-operation", ["countries", "mutually", "beneficial", "cooperation"]),
        ("“union state” and \"union state\"", ["union", "state", "union", "state"]),
        ("the advanced S-400 air defence weapons", ["advanced", "s-400", "air", "defense", "weapons"]),
        ("ex-Soviet Belarus, in 2006, 7,000 people", ["ex-soviet", "belarus", "people"]),
        ("We won’t give up the country. We’ll get", ["country"]),
        ("Zapad-2021 military exercises", ["zapad-2021", "military", "exercises"]),
    ],
)
def test_tokenize(text, expected):
    assert mm.tokenize(text) == expected


def test_tokenize_options():
    assert mm.tokenize("The Kremlin said", stop_words=None) == ["the", "kremlin", "said"]
    assert mm.tokenize("in 2006", keep_numbers=True) == ["2006"]
    assert mm.tokenize("Lukashenka", variants={}) == ["lukashenka"]
    assert mm.tokenize("Lukashenka") == ["lukashenko"]


# ---------------------------------------------------------------- dates
@pytest.mark.parametrize(
    "text, expected",
    [
        ("September 03, 2020", datetime.date(2020, 9, 3)),
        ("August 05, 2020", datetime.date(2020, 8, 5)),
        ("Saturday, 15 August 2020", datetime.date(2020, 8, 15)),
        ("Aug. 9, 2020", datetime.date(2020, 8, 9)),
        ("Sept 10 2021", datetime.date(2021, 9, 10)),
        ("2021-09-09", datetime.date(2021, 9, 9)),
    ],
)
def test_parse_date(text, expected):
    assert mm.parse_date(text) == expected


@pytest.mark.parametrize("text", ["Septober 3, 2020", "2020-13-01", "February 30, 2021", "last Thursday", ""])
def test_parse_date_rejects_bad_dates(text):
    with pytest.raises(ValueError, match="date"):
        mm.parse_date(text)


# ---------------------------------------------------------------- word counts, memoised rules and splits
@pytest.mark.parametrize(
    "snippet, n",
    [
        # ft-2020-08-15: curly possessive and quotes; a hyphenated number is one word
        ("Belarus’s president Alexander Lukashenko said that Russian counterpart Vladimir Putin had promised him "
         "“comprehensive security assistance” against the protests sweeping his country.", 22),
        ("threaten the former collective farm boss’s 26-year grip on power.", 10),
        ("“We won’t give up the country to anyone.", 8),
        # a free-standing dash is no word; hyphenated words are one
        ("Workers from state-owned enterprises — the backbone of its quasi-Soviet command economy", 11),
        # mt-2020-09-03: numbers count
        ("Alexander Milinkevich, an opposition member who ran against Lukashenko in 2006.", 11),
        ("", 0),
    ],
)
def test_count_words(snippet, n):
    assert mm.count_words(snippet) == n
    assert len(mm.tokenize(snippet, stop_words=None, min_length=1, keep_numbers=True)) == n


def test_count_words_counts_what_tokenize_keeps_with_nothing_dropped(cleaned):
    for art in cleaned.values():
        assert mm.count_words(art.text) == len(mm.tokenize(art.text, stop_words=None, min_length=1, keep_numbers=True))


def test_tokenize_keeps_option_sets_apart():
    # the rules are memoised per option set: alternating sets must not leak into each other
    text = "Mr Lukashenko’s 26-year grip on power in 2020"
    for _ in range(2):
        assert mm.tokenize(text) == ["lukashenko", "26-year", "grip", "power"]
        assert mm.tokenize(text, keep_numbers=True) == ["lukashenko", "26-year", "grip", "power", "2020"]
        assert mm.tokenize(text, stop_words=None, min_length=1) == ["mr", "lukashenko", "26-year", "grip", "on", "power", "in"]


def test_tokenize_follows_a_variants_table_changed_between_calls():
    # only the fixed default table is memoised: a caller's own table may change
    text = "Belarus’s president Alexander Lukashenko"
    variants: dict[str, str] = {}
    assert mm.tokenize(text, variants=variants) == ["belarus", "president", "alexander", "lukashenko"]
    variants["lukashenko"] = "lukashenka"
    assert mm.tokenize(text, variants=variants) == ["belarus", "president", "alexander", "lukashenka"]


def test_sentences_by_paragraph_groups_the_sentences(cleaned):
    for art in cleaned.values():
        grouped = mm.sentences_by_paragraph(art.text)
        assert [" ".join(sentences) for sentences in grouped] == mm.split_paragraphs(art.text)  # nothing lost
        assert [s for sentences in grouped for s in sentences] == mm.split_sentences(art.text)
    # mt-2020-09-11 lost most paragraph breaks: 29 sentences in 3 paragraphs
    assert [len(s) for s in mm.sentences_by_paragraph(cleaned["mt-2020-09-11"].text)] == [7, 13, 9]


def test_split_memo_holds_at_most_its_characters_and_keeps_the_recently_used(cleaned):
    # bounded by characters, not by texts: a worker of a 100,000-article run held 235 MB of splits
    from minsk_moscow.text import _memo_by_chars

    a, b, c, d = (cleaned[k].text for k in ("mt-2020-08-05", "ft-2020-08-15", "mt-2020-09-03", "mt-2020-09-11"))
    assert len(d) <= len(a) + len(b)  # d evicts a and at most b, never c
    calls: list[str] = []
    split = _memo_by_chars(len(a) + len(b) + len(c))(lambda text: calls.append(text) or mm.split_sentences(text))
    for text in (a, b, c, a, b, c):  # the three fit: each is split once
        split(text)
    assert calls == [a, b, c]
    assert split(d) == mm.split_sentences(d)  # no room: the least recently used (a) goes first
    split(c), split(d)
    assert calls == [a, b, c, d]  # c and d still remembered
    split(a)
    assert calls == [a, b, c, d, a]  # a was not
    longer = "Minsk and Moscow met. " * len(a)
    split(longer), split(longer)
    assert calls[-2:] == [longer, longer]  # a text longer than the memo is never remembered


def test_memoised_splits_come_as_fresh_lists(cleaned):
    text = cleaned["mt-2020-08-05"].text
    expected = mm.split_sentences(text)
    mm.split_sentences(text).append("changed by a caller")
    grouped = mm.sentences_by_paragraph(text)
    grouped[0].append("changed by a caller")
    grouped.append(["changed by a caller"])
    assert mm.split_sentences(text) == expected
    assert [s for sentences in mm.sentences_by_paragraph(text) for s in sentences] == expected


# ---------------------------------------------------------------- any alphabet
@pytest.mark.parametrize(
    "text, expected",
    [
        # German: ß and umlauts are letters (ASCII-only tokens gave "gr", "te")
        ("Lukaschenko ist Putins größter Verbündeter", ["lukaschenko", "ist", "putins", "größter", "verbündeter"]),
        # French: "café" is one word (not "caf"), also when the accent is a combining mark
        ("le café Pouchkine à Moscou", ["le", "café", "pouchkine", "moscou"]),
        ("le cafe\u0301 Pouchkine", ["le", "café", "pouchkine"]),
        # Cyrillic: Russian and Belarusian (one-letter words fall under min_length as in English)
        ("Лукашенко встретился с Путиным.", ["лукашенко", "встретился", "путиным"]),
        ("Аляксандр Лукашэнка і Уладзімір Пуцін", ["аляксандр", "лукашэнка", "уладзімір", "пуцін"]),
        # Ukrainian apostrophe (curly, folded like an English one)
        ("обов’язки Мінська", ["обов'язки", "мінська"]),
        # Polish and Greek
        ("Łukaszenka spotkał się z Putinem", ["łukaszenka", "spotkał", "się", "putinem"]),
        ("Ο Λουκασένκο συναντήθηκε με τον Πούτιν", ["λουκασένκο", "συναντήθηκε", "με", "τον", "πούτιν"]),
        # Devanagari: vowel signs and the virama are combining marks inside the word
        ("बेलारूस और रूस", ["बेलारूस", "और", "रूस"]),
        # mixed: the English rules still apply to the English words
        ("Lukashenko’s «союзное государство» with Russia", ["lukashenko", "союзное", "государство", "russia"]),
    ],
)
def test_tokenize_any_alphabet(text, expected):
    assert mm.tokenize(text) == expected


@pytest.mark.parametrize(
    "text, n",
    [("Лукашенко встретился с Путиным.", 4), ("Lukaschenko ist Putins größter Verbündeter", 5), ("le cafe\u0301", 2)],
)
def test_count_words_any_alphabet(text, n):
    assert mm.count_words(text) == n


@pytest.mark.parametrize(
    "text, expected",
    [
        (  # Russian: a capital after the full stop is a Cyrillic letter
            "Лукашенко встретился с Путиным. Они обсудили интеграцию.",
            ["Лукашенко встретился с Путиным.", "Они обсудили интеграцию."],
        ),
        (  # German: a sentence may open with an umlaut
            "Lukaschenko traf Putin in Sotschi. Über die Integration wurde lange gesprochen.",
            ["Lukaschenko traf Putin in Sotschi.", "Über die Integration wurde lange gesprochen."],
        ),
        (  # guillemets: a closing » stays with its sentence, an opening « starts one
            "Он сказал: «Мы договорились.» Путин согласился. «Это важно», — сказал он.",
            ["Он сказал: «Мы договорились.»", "Путин согласился.", "«Это важно», — сказал он."],
        ),
        (  # Cyrillic initials are no sentence end
            "А. Г. Лукашенко встретился с В. В. Путиным. Они говорили долго!",
            ["А. Г. Лукашенко встретился с В. В. Путиным.", "Они говорили долго!"],
        ),
        (  # Greek
            "Ο Λουκασένκο συναντήθηκε με τον Πούτιν. Συζήτησαν την ένωση.",
            ["Ο Λουκασένκο συναντήθηκε με τον Πούτιν.", "Συζήτησαν την ένωση."],
        ),
        (  # a one-letter abbreviation is an initial, in any alphabet; a lower-case word is no sentence start
            "Встреча прошла в г. Сочи. затем... Потом они уехали.",
            ["Встреча прошла в г. Сочи. затем...", "Потом они уехали."],
        ),
    ],
)
def test_split_sentences_any_alphabet(text, expected):
    assert mm.split_sentences(text) == expected


def test_cyrillic_article_keeps_its_text():
    raw = (
        "Лукашенко и Путин обсудили интеграцию\n\n"
        "Лукашенко встретился с Путиным в Сочи. Они обсудили интеграцию.\n\n"
        "Кремль пообещал Минску новый кредит.\n"
    )
    art = clean_article(raw)
    assert art.title == "Лукашенко и Путин обсудили интеграцию"
    assert art.text == "Лукашенко встретился с Путиным в Сочи. Они обсудили интеграцию.\n\nКремль пообещал Минску новый кредит."


_GERMAN_BODY = (
    "Der belarussische Machthaber Alexander Lukaschenko ist am Montag in Sotschi mit Kremlchef Wladimir Putin "
    "zusammengetroffen. Beide sprachen über die Integration ihrer Länder.\n"
)


@pytest.mark.parametrize(
    "byline",
    [
        "Von Hans Müller",
        "Von Hans Müller und Anna Schmidt, Moskau",
        "Hans Müller und Anna Schmidt",  # a line of author names after the title
        "Tatiana Kalinovskaya and Maria Antonova",
        "Par Benoît Vitkine",
    ],
)
def test_foreign_or_bare_byline_is_not_the_title(byline):
    art = clean_article(f"Lukaschenko und Putin beraten über Integration\n\n{byline}\n\n{_GERMAN_BODY}")
    assert art.title == "Lukaschenko und Putin beraten über Integration"
    assert art.byline == byline
    assert art.site == ""
    assert art.text.startswith("Der belarussische Machthaber")


@pytest.mark.parametrize(
    "header",
    [
        "Putin Lukashenko Talks",  # a title alone is a title, even when it looks like names
        "Commentary on Political Economy\n\nPutin Lukashenko Talks",
    ],
)
def test_title_that_looks_like_names_stays_the_title(header):
    art = clean_article(f"{header}\n\nThe two men met in Sochi on Monday.\n")
    assert art.title == "Putin Lukashenko Talks" and art.byline == ""


# ---------------------------------------------------------------- invisible characters
_INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u200e"]


@pytest.mark.parametrize("char", _INVISIBLE, ids=[f"U+{ord(c):04X}" for c in _INVISIBLE])
def test_invisible_characters_do_not_split_words(char):
    text = f"Rus{char}sia and Be{char}larus: Mos{char}cow and Minsk"
    assert mm.normalize_characters(text) == "Russia and Belarus: Moscow and Minsk"
    assert mm.tokenize(text) == ["russia", "belarus", "moscow", "minsk"]
    assert mm.count_words(text) == 6
    assert mm.clean_text(f"Title\n\nLukash{char}enko met Pu{char}tin in Sochi.\n") == "Lukashenko met Putin in Sochi."


# ---------------------------------------------------------------- no punctuation
def test_a_text_without_punctuation_is_kept_not_taken_for_a_title():
    words = "Minsk and Moscow talk about oil and gas and the union state".split()
    line = " ".join(words[i % len(words)] for i in range(100_000))  # about 500 KB, one line
    art = clean_article(line)
    assert art.text == line and art.title == ""
    # wrapped into lines: one block, one paragraph
    wrapped = "\n".join(line[i : i + 60] for i in range(0, 3000, 60))
    assert clean_article(wrapped).text == " ".join(part.strip() for part in wrapped.split("\n"))


def test_a_title_is_short():
    long_line = "Lukashenko and Putin " * 20  # 420 characters without a full stop
    art = clean_article(f"Belarus news\n\n{long_line}\n\nThe two men met in Sochi.\n")
    assert art.title == "Belarus news"
    assert art.text == f"{long_line.strip()} The two men met in Sochi."


def test_many_short_paragraphs_without_punctuation_are_kept():
    # a masthead holds a few blocks at most: the rest is text, not a giant site name
    raw = "\n\n".join(["Protests against Lukashenko grew"] * 50) + "\n\nThe end came.\n"
    art = clean_article(raw)
    assert art.text.count("Protests against Lukashenko grew") >= 45
    assert len(art.site) < 200 and art.text.endswith("The end came.")


# ---------------------------------------------------------------- clear errors
_TEXT_FUNCTIONS = {
    "clean_text": mm.clean_text,
    "clean_article": clean_article,
    "normalize_characters": mm.normalize_characters,
    "split_paragraphs": mm.split_paragraphs,
    "split_sentences": mm.split_sentences,
    "sentences_by_paragraph": mm.sentences_by_paragraph,
    "tokenize": mm.tokenize,
    "count_words": mm.count_words,
    "parse_date": mm.parse_date,
}


@pytest.mark.parametrize("name", sorted(_TEXT_FUNCTIONS))
@pytest.mark.parametrize(
    "value, given",
    [(None, "None"), (["Minsk and Moscow agreed."], "list"), (b"Minsk and Moscow agreed.", "bytes"), (3.5, "float")],
    ids=["None", "list", "bytes", "float"],
)
def test_text_helpers_refuse_what_is_not_a_string(name, value, given):
    with pytest.raises(TypeError, match=rf"^{name}\(\) expects .*\bstr\b.*\b{given}\b"):
        _TEXT_FUNCTIONS[name](value)


def test_type_errors_say_what_to_do():
    with pytest.raises(TypeError, match=r"decode"):
        mm.tokenize(b"Minsk")
    with pytest.raises(TypeError, match=r"one text at a time"):
        mm.split_sentences(["Minsk.", "Moscow."])
    with pytest.raises(TypeError, match=r"previous"):
        split_run_in_heading("Dependent on Russia The", previous=None)


# ---------------------------------------------------------------- linear time
def _fill(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


@pytest.mark.slow
@pytest.mark.parametrize(
    "func, build",
    [
        # lines that open a blog comment (mt-2020-09-11's "^ This will either mean ...") that none closes
        pytest.param(mm.clean_text, lambda n: _fill("^ This will either mean Lukashenko\n", n), id="caret lines"),
        # many short paragraphs that never end a sentence: joined into one
        pytest.param(mm.clean_text, lambda n: "Title\n\n" + _fill("Protests against\n\nLukashenko's rule grew\n\n", n), id="unfinished paragraphs"),
        # one paragraph whose full stops all follow abbreviations
        pytest.param(mm.split_sentences, lambda n: _fill("Mr. Putin and Mr. Lukashenko met on Aug. 9 near the U.S. embassy and ", n), id="abbreviations"),
        # one long hyphenated "word" before a full stop
        pytest.param(mm.split_sentences, lambda n: "x" * n + "-y. Next one.", id="long word"),
        pytest.param(mm.clean_text, lambda n: _fill("Minsk and Moscow talk about oil and gas\n", n), id="no punctuation"),
        pytest.param(mm.clean_text, lambda n: "Заголовок\n\n" + _fill("Лукашенко встретился с Путиным. Они обсудили интеграцию.\n\n", n), id="cyrillic"),
        pytest.param(mm.tokenize, lambda n: _fill("Lukashenko’s «союзное государство» with Rus\u200bsia and größte ", n), id="tokens"),
    ],
)
def test_text_helpers_take_linear_time(func, build):
    assert_linear(func, build, before=mm.text._sentences_by_paragraph.cache_clear)  # no memoised split


@pytest.mark.slow
def test_the_linear_time_check_catches_a_quadratic_function():
    def quadratic(text: str) -> int:  # copies the rest of the text at every 64th character
        return sum(len(text[i:]) for i in range(0, len(text), 64))

    with pytest.raises(AssertionError, match="linear: about 4"):
        assert_linear(quadratic, lambda n: "a" * n, min_seconds=0.005)
    assert_linear(lambda text: text.count("a"), lambda n: "a" * n, min_seconds=0.005)


class _CountedSet(frozenset):
    """A stop-word set that counts how often it is compared word by word with another."""

    comparisons = 0
    __hash__ = frozenset.__hash__

    def __eq__(self, other: object) -> bool:
        if self is not other:
            type(self).comparisons += 1
        return frozenset.__eq__(self, other)


def test_equal_stop_sets_share_one_memo_without_comparing_their_words():
    # The same stop words as another object (e.g. unpickled in a worker for each task) find the
    # tokenizer's memo by identity: no word-by-word comparison on every call.
    from minsk_moscow.text import SPELLING_VARIANTS, _rule_memo

    first, again = _CountedSet({"the", "of", "zzqx"}), _CountedSet(["zzqx", "of", "the"])
    options = {"variants": SPELLING_VARIANTS, "min_length": 2, "keep_numbers": False}
    memo = _rule_memo("token", stops=first, **options)
    _CountedSet.comparisons = 0
    assert all(_rule_memo("token", stops=again, **options) is memo for _ in range(50))
    assert _CountedSet.comparisons <= 2
    sentence = "The leaders of Russia and Belarus met in Sochi."
    assert mm.tokenize(sentence, stop_words=again) == mm.tokenize(sentence, stop_words=set(first))
