"""Finding a person's name next to what identifies them: an age, a date of birth, a school,
an address or a family role.

A name alone is not the worry: "Mel and Paul ran the session" is fine. The worry is a
child or relative made findable, as in "Mia (4)", "his mum, Sarah Jones, said" or "Tom
who goes to Hillside Primary". So the detector looks for cues and for a name in the place
the cue points at, rather than for every name.

A name is one to three capitalised words (hyphens, `O'`, `D'` and `Mc` allowed, with an
optional title such as `Mrs`) that are not common words of the newsletter's prose
(`NOT_NAMES`: function words, months, days, the words of Signs of Safety's tools and
processes, family roles and the like). Lower-case or all-capitals names and single
initials are not taken for names; an initial is what writers are asked to use instead.

`find_people(text)` is pure: it takes a passage (a paragraph, a title) and returns the
findings with character offsets into it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

_UP = "A-ZÀ-ÖØ-Þ"
_LOW = "a-zß-öø-ÿ"
_PART = rf"(?:Mc|Mac|[{_UP}]['’])?[{_UP}][{_LOW}]+"
#: One word of a name: "Ellie-Mae", "O'Halloran", "McAllister", "Marsh-Loftus".
NAME_WORD = rf"{_PART}(?:-{_PART})*"
_TITLE = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?"
_RUN = re.compile(rf"(?<![\w'’\-])(?:{_TITLE}\s+)?{NAME_WORD}(?:[ \t]+{NAME_WORD})*(?![\w\-])")
_TITLE_ONLY = re.compile(rf"{_TITLE}$")

_NUMBER_WORDS = (
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen"
)
#: An age: 0 to 19, in digits or words.
_AGE = rf"(?:1?\d|{'|'.join(_NUMBER_WORDS.split())})"

_ROLE_WORDS = (
    "mum mummy mam mom mother dad daddy father parent stepmum stepmother stepdad stepfather "
    "nan nana nanna nannan gran granny grandma grandmother grandad granddad grandpa grandfather "
    "grandparent grandson granddaughter grandchild aunt auntie aunty uncle cousin brother "
    "sister sibling stepbrother stepsister son daughter stepson stepdaughter twin baby "
    "nephew niece partner boyfriend girlfriend husband wife carer guardian godmother godfather"
)
_ROLES = "|".join(sorted(_ROLE_WORDS.split(), key=len, reverse=True))
_MODIFIERS = (
    r"(?:(?:older|younger|little|big|baby|twin|half|step|foster|birth|maternal|paternal|kinship"
    r"|adoptive|special|great|ex|new|main|other|eldest|youngest)[\s\-]+)*"
)
#: A family role, with what may qualify it: "mum", "older sister", "half-brother", "foster carers".
ROLE = rf"{_MODIFIERS}(?:{_ROLES})(?:s|es)?\b"


def _words(*texts: str) -> frozenset[str]:
    return frozenset(word for text in texts for word in text.split())


#: Capitalised words that are ordinary prose, not names, in this newsletter.
NOT_NAMES = _words(
    """
    a about above across after again against all also although always among an and another any
    are around as at be because been before being below between both but by can could did do
    does during each either even ever every for from further had has have having he her here
    hers herself him himself his how however i if in into is it its itself just last least less
    let like many may me might more most much must my myself neither never next no nor not now
    of off often on once one only or other others otherwise our ours ourselves out over own
    perhaps please quite rather really same she should since so some still such than thank
    thanks that the their theirs them themselves then there therefore these they this those
    though through throughout thus to today together tomorrow too under unless until up upon us
    very was we well were what whatever when whenever where whereas wherever whether which
    while who whoever whom whose why will with within without would yes yet you your yours
    yourself yourselves yesterday hello hi dear welcome congratulations sadly luckily finally
    first second third fourth fifth last next new old both several few lots
    """,
    _NUMBER_WORDS,
    """
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday spring summer autumn winter
    christmas easter eid diwali ramadan hanukkah halloween bank holiday holidays term
    """,
    _ROLE_WORDS,
    """
    mums mams moms mothers dads fathers parents nans grandparents aunts aunties uncles cousins
    brothers sisters siblings sons daughters twins babies carers guardians stepmums stepdads
    family families child children kids boy boys girl girls young person people adult adults
    signs safety wellbeing success belonging something house houses three words pictures
    network networks meeting meetings harm matrix matrices mapping map maps danger worry worries
    statement statements goal goals scaling scale question questions circle circles bottom
    line lines plan plans planning rapid rule rules fire drill drills group groups supervision
    appreciative inquiry enquiry timeline timelines trajectory direct work works practice
    practices lead leads leader leaders principle principles measure measures meaningful
    team teams service services early help contact assessment assessments safeguarding
    support care protection conference conferences review reviews core social worker workers
    manager managers head heads authority honouring honoring vision questioning compassion
    critical stance relationships relationship fundamental landing grand aspirations everyday
    ongoing processes process mailbox newsletter newsletters issue issues guide tools tool
    training champion champions staff everyone anyone someone nobody everybody ofsted local
    partnership partnerships council county university college office offices school schools
    court courts agency agencies health police nhs hospital nursery unit centre center
    department board panel forum strategy policy procedure procedures manual sharepoint teams
    microsoft outlook zoom video england englands wales scotland northern north south east
    west central good lives model models story stories feedback message messages update
    updates news note notes reminder date dates time times week weeks month months year years
    day days session sessions workshop workshops event events survey surveys report reports
    record records case cases file files visit visits home homes key keyword step steps part
    parts start end change changes difference progress well done great amazing positive
    important useful clear simple what's it's here's there's that's let's we're we've
    they're they've i'm i've you're you've don't doesn't can't won't isn't aren't
    deputy director principal senior assistant chief executive officer coordinator
    consultant advanced practitioner practitioners therapist nurse doctor teacher teachers
    designated independent reviewing chair chairs friend friends neighbour neighbours
    professional professionals colleague colleagues pupil pupils student students volunteer
    volunteers member members mentor mentors visitor visitors everyone's
    born st saint flat apartment estate community church catholic methodist rc ce free
    primary first middle junior juniors infant infants nursery high secondary grammar special
    academy school college sixth form road rd street avenue ave lane drive close crescent
    court way place terrace gardens grove walk hill square mews row rise parade vale wynd
    chare bank
    """,
)

_PLACE_BEFORE = re.compile(r"\b(?:in|at|from|across|around|near|within|to|into|towards?)\s+$", re.IGNORECASE)
_TALLY_CHAIN = re.compile(
    rf"\b(?:in|at|from|across|around|near|within)\s+(?:{NAME_WORD}(?:\s+{NAME_WORD})*\s*\(\s*\d+\s*\)"
    r"\s*(?:,\s*(?:and\s+)?|and\s+))+$",
    re.IGNORECASE,
)
_THE_BEFORE = re.compile(r"\bthe\s+$", re.IGNORECASE)
_ROLE_BEFORE = re.compile(rf"\b{ROLE}\s*,?\s*$", re.IGNORECASE)
_PARENT_OF_BEFORE = re.compile(
    r"\b(?:mum|mam|mother|dad|father|parents?|grandparents?|carers?|nan|grandmother|grandad"
    r"|grandfather|guardians?)\s+(?:of|to)\s+$",
    re.IGNORECASE,
)
_YEARS_OLD_BEFORE = re.compile(
    rf"\b{_AGE}[\s\-]*(?:years?|yrs?|months?)[\s\-]*old(?:\s+(?:boy|girl|child|son|daughter|brother|sister))?"
    r"(?:\s*,|\s+(?:called|named))?\s*$",
    re.IGNORECASE,
)

_NOT_AGE_WORDS = r"(?:people|staff|children|of|per|percent|more|less|out|to|or|x|hour|minute|day|week|month|year|time|day)\b"
#: The last word before a name, to try the slower patterns that end there only when they can.
_LAST_WORD = re.compile(r"([\w'’\-]+)[\s,]*$")
_YEARS_OLD_ENDS = frozenset(
    {"old", "boy", "girl", "child", "son", "daughter", "brother", "sister", "called", "named"}
)
_ROLE_KEYS = frozenset(_ROLE_WORDS.split()) | {
    w.split("-")[-1] for w in ("step-mum", "step-dad", "half-brother")
}
_UNIT = r"(?:years?|yrs?|y/?o|months?|mths?|weeks?)"
#: Words after a name and before the cue: lower-case words and commas, up to five.
_BRIDGE = r"(?:['’]s)?(?:\s*[,;:\-–]?\s+[a-z][a-z'’\-]*){0,5}"
_AGE_AFTER = re.compile(
    "|".join(
        (
            rf"\s*\(\s*(?:aged?\s+)?{_AGE}(?:\s*{_UNIT}(?:\s+old)?)?\s*\)",
            rf"\s*,\s*(?:aged?\s+)?{_AGE}(?:\s*(?:years?|yrs?)(?:\s+old)?)?\s*(?:[,.;:)!?]|$)",
            rf"\s*,?\s+aged?\s+{_AGE}\b",
            rf"\s*,?\s*(?:who\s+)?(?:is|was|turned|turns|is\s+now|now|who's)\s+{_AGE}"
            rf"(?:\s+{_UNIT}\s+old|\s*(?=[,.;:!?)]|$)|\b(?!\s*(?:%|[\w-]+s\b|{_NOT_AGE_WORDS})))",
            rf"{_BRIDGE}\s*,?\s+(?:a|an)\s+{_AGE}[\s\-]*(?:years?|yrs?|months?)[\s\-]*old\b",
            rf"\s*,?\s*{_AGE}\s+(?:years?|yrs?)\s+old\b",
        )
    ),
    re.IGNORECASE,
)
_DOB_AFTER = re.compile(
    rf"{_BRIDGE}\s*[,(\-–]*\s*(?:d\.?\s?o\.?\s?b\b\.?|date\s+of\s+birth|birth\s*date|born\b|b\.\s*\d)",
    re.IGNORECASE,
)
_SCHOOL_KIND = (
    r"(?:Primary|First|Middle|Junior|Juniors|Infants?|Nursery|High|Secondary|Grammar|Special"
    r"|Academy|School|College|Sixth\s+Form)"
)
_SCHOOL_AFTER = re.compile(  # something stands between: "Tom at ...", not "Riverside First School"
    rf"(?:{_BRIDGE.replace('{0,5}', '{1,5}')}\s*[,(]?|(?:['’]s)?\s*[,(])\s*(?:"
    rf"(?:(?:St\.?|Saint)\s+)?(?:{NAME_WORD}(?:['’]s)?\s+){{1,3}}(?:(?:C\.?\s?of\s?E|CE|RC|Catholic|Church\s+of\s+England"
    rf"|Methodist|Community|Free)\s+)*{_SCHOOL_KIND}\b"
    r"|(?:in\s+)?(?:Year|Yr)\s*(?:[1-9]|1[0-3])\b(?!\s+of\b)|reception\s+class)"
)
_STREET = (
    r"(?:Road|Rd|Street|St|Avenue|Ave|Lane|Drive|Close|Crescent|Court|Way|Place|Terrace"
    r"|Gardens|Grove|Walk|Hill|Square|Mews|Row|Rise|Parade|Vale|Wynd|Chare|Estate)"
)
_ADDRESS_AFTER = re.compile(
    rf"{_BRIDGE}\s*[,(]?\s*(?:(?:Flat|Apartment)\s+\d+[A-Za-z]?,?\s+)?"
    rf"(?:\d{{1,4}}[A-Za-z]?,?\s+|(?<=\s)(?:on|in|at)\s+)(?:{NAME_WORD}\s+){{1,3}}{_STREET}\b"
)
#: Nouns after a role that make it a service, not a relative: "Barnardo's carer support".
_SERVICE_NOUN = (
    r"(?:support|groups?|services?|network|assessments?|allowance|meetings?|hubs?|centres?"
    r"|forums?|teams?|workers?|plans?|leave|rights|champions?|training|café|cafe)\b"
)
_POSSESSIVE_ROLE_AFTER = re.compile(rf"['’]s?\s+{ROLE}(?![\s\-]+{_SERVICE_NOUN})", re.IGNORECASE)
_POSSESSIVE_CHILDREN_AFTER = re.compile(r"['’]s?\s+(?:children|kids|boys|girls)\b", re.IGNORECASE)
_APPOSITION_ROLE_AFTER = re.compile(
    rf"\s*(?:,|\(|-|–)\s*(?:(?:his|her|their|our|a|the|{NAME_WORD}['’]s?"
    rf"|the\s+(?:child|children|young\s+person|boy|girl|baby|twins)['’]s?)\s+)?{ROLE}",
    re.IGNORECASE,
)
#: What a person does with a relative: "Ryan said his mum", "Kelsey and her nan".
_WITH_RELATIVE = (
    r"(?:and|&|with|said|says|told|tells|asked|asks|lives\s+with|lived\s+with|stays\s+with|loves"
    r"|misses|missed|visits|visited|sees|saw|helps|helped|wants|wanted|calls|called|drew|wrote|showed"
    r"|thanked|hugged|joined|(?:explained|talked|spoke|went|goes|came|is\s+close|was\s+close)\s+to"
    r"|(?:is|was|were)\s+(?:with|proud\s+of)|that|how|about|for)"
)
_OWN_ROLE_AFTER = re.compile(
    rf"(?:\s*,?\s+{_WITH_RELATIVE}){{1,2}}\s+(?:his|her|their)\s+{ROLE}(?![\s\-]+{_SERVICE_NOUN})",
)
#: Words that make a place or an organisation of the name before them: "the Blyth team at ...".
_INSTITUTION_BRIDGE = re.compile(
    r"\b(?:office|offices|team|teams|hub|hubs|centre|center|base|building|service|services|library"
    r"|council|hall|staff|workers|site|branch|clinic|surgery|practice)\b"
)
_HOUSEHOLD_AFTER = re.compile(
    r"\s+(?:family|families|household|children|kids|twins|siblings|boys|girls)\b(?!\s+(?:of|hubs?|centres?|services?)\b)"
)


@dataclass(frozen=True)
class PersonFinding:
    """A name in a passage next to what identifies the person: `start` and `end` are the
    name's offsets (end exclusive); `cue` is one of `CUES`."""

    start: int
    end: int
    name: str
    cue: str

    @property
    def masked(self) -> str:
        """The name with only the first letter of each word kept: `J***** S****`."""
        return " ".join(w[0] + "*" * (len(w) - 1) for w in self.name.split())


#: What can make a name identifying, in the order a finding names one.
CUES = ("age", "date of birth", "school", "address", "family role")


def _key(word: str) -> str:
    return word.casefold().replace("’", "'")


def _common(word: str, not_names: frozenset[str]) -> bool:
    """True when `word` is one of `not_names`, also as a plural or a possessive."""
    key = _key(word)
    bare = re.sub(r"(?:'s|s')$", "", key)
    return key in not_names or bare in not_names or (bare.endswith("s") and bare[:-1] in not_names)


def _names(text: str, not_names: frozenset[str]) -> Iterator[tuple[int, int]]:
    """The spans of capitalised runs in `text`, split at words that are not names."""
    for run in _RUN.finditer(text):
        start: int | None = None
        position = run.start()
        for word in re.finditer(r"\S+", run.group()):
            begin, end = run.start() + word.start(), run.start() + word.end()
            plain = word.group()
            stop = _common(plain, not_names)
            if stop and not _TITLE_ONLY.match(plain):
                if start is not None:
                    yield start, position
                start = None
            elif start is None:
                start = begin
            position = end
        if start is not None and not _TITLE_ONLY.match(text[start:position]):
            yield start, position


def _cue(text: str, start: int, end: int) -> str | None:
    before, after = text[max(0, start - 120) : start], text[end : end + 160]
    name = text[start:end]
    near = before[-48:]  # enough for "great-grandmother, " or "7-year-old girl called "
    last_word = _LAST_WORD.search(near)
    last = _key(last_word.group(1)) if last_word else ""
    if _AGE_AFTER.match(after) or (
        last.rsplit("-", 1)[-1] in _YEARS_OLD_ENDS and _YEARS_OLD_BEFORE.search(near)
    ):
        if after.lstrip().startswith("(") and (_PLACE_BEFORE.search(before) or _TALLY_CHAIN.search(before)):
            return None
        return "age"
    if _DOB_AFTER.match(after):
        return "date of birth"
    for cue, pattern in (("school", _SCHOOL_AFTER), ("address", _ADDRESS_AFTER)):
        found = pattern.match(after)
        if found and not _INSTITUTION_BRIDGE.search(found.group()):
            return cue
    titled_or_full = bool(_TITLE_ONLY.match(name.split()[0])) or len(name.split()) > 1
    if (
        _POSSESSIVE_ROLE_AFTER.match(after)
        or (titled_or_full and _POSSESSIVE_CHILDREN_AFTER.match(after))
        or _APPOSITION_ROLE_AFTER.match(after)
        or _OWN_ROLE_AFTER.match(after)
        or (_THE_BEFORE.search(near) and _HOUSEHOLD_AFTER.match(after))
        or (_common(last.rsplit("-", 1)[-1], _ROLE_KEYS) and _ROLE_BEFORE.search(near))
        or _PARENT_OF_BEFORE.search(near)
    ):
        return "family role"
    return None


def _staff_words(staff_names: Iterable[str]) -> list[frozenset[str]]:
    return [frozenset(_key(w) for w in name.split()) for name in staff_names if name.strip()]


def find_people(
    text: str, staff_names: Iterable[str] = (), known_terms: Iterable[str] = ()
) -> list[PersonFinding]:
    """The names in `text` that stand next to an age, a date of birth, a school, an address
    or a family role, in the order they appear.

    A name made only of the words of one of `staff_names` is never reported.
    `known_terms` are more phrases whose words are not names (team names, say)."""
    not_names = NOT_NAMES | {_key(w) for term in known_terms for w in re.findall(r"[\w'’\-]+", term)}
    staff = _staff_words(staff_names)
    found: list[PersonFinding] = []
    for start, end in _names(text, not_names):
        name = text[start:end]
        words = frozenset(_key(w) for w in name.split() if not _TITLE_ONLY.match(w))
        if any(words <= entry for entry in staff):
            continue
        cue = _cue(text, start, end)
        if cue is not None:
            found.append(PersonFinding(start, end, name, cue))
    return found
