# ruff: noqa: RUF001, RUF003  (quote headers in many scripts are meant to be here)
"""Split a reply into the new text, the quoted text and the signature.

Line-based rules, tuned on the talon and zapier fixtures (see ``bench/quotes.py`` for the
comparison with mail-parser-reply, email-reply-parser and talon):

* lines starting with ``>`` are quoted; a "wrote:" line right before such a block belongs to it,
  and text after the block is new again (bottom posting, inline answers);
* a quote header not followed by ``>`` lines cuts the message: everything from it on is quoted
  (unless nothing new stands above it, as in a forward: then only the header is quoted).
  Headers: "On … wrote:" and its kin in many languages (German "Am … schrieb …:", French
  "Le … a écrit :", Finnish "kirjoitti:", Latvian "rakstīja:", Hindi "ने लिखा:", Armenian
  "գրել է:", Russian "написал:" …, also wrapped over up to three lines), "-----Original
  Message-----" and forwarded-message separators, and Outlook header blocks ("From:/Sent:/To:/
  Subject:", "Von:/Gesendet:/An:/Betreff:", "Lähettäjä:/Lähetetty:", "No:/Nosūtīts:" …);
* in each stretch of new text a signature starts at "-- ", at a "Sent from my iPhone" line
  (many languages), at a mailing-list footer of underscores, at a "-Name" line or at a
  closing ("Thanks,", "Mit freundlichen Grüßen", "Ystävällisin terveisin", "Ar cieņu" …)
  followed by a few short lines.

Pass plain text (HTML bodies through ``parse.html_to_text`` first). Nothing is thrown away:
``SplitReply.segments`` holds the text in order, cut into pieces of one kind each, and joins
back to the original exactly (``SplitReply.original``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NEW = "new"
QUOTED = "quoted"
SIGNATURE = "signature"

_MAX_HEADER_CHARS = 400  # a "wrote:" header longer than this is prose
_MAX_BARE_ATTRIBUTION = 120  # "Name wrote:" with no date: only a short line counts
_MAX_SIG_LINES = 30  # a "-- " with more non-blank lines after it is a separator, not a signature
_MAX_CLOSING_LINES = 6  # lines after "Thanks," that may still be a signature
_MAX_FOOTER_LINES = 12


@dataclass(frozen=True)
class SplitReply:
    """A reply cut in three. ``segments`` keeps every piece, in order, with its kind."""

    new_text: str
    quoted: str
    signature: str
    segments: tuple[tuple[str, str], ...] = ()

    @property
    def original(self) -> str:
        """The text as it was given (the segments joined)."""
        return "".join(text for _, text in self.segments)

    @property
    def unquoted(self) -> str:
        """New text and signature in their original order, quotes left out."""
        return "".join(text for kind, text in self.segments if kind != QUOTED).strip()


# ---------------------------------------------------------------------------------------------
# Quote headers

# Verbs that end an attribution line ("… wrote:"), in many languages. The line must end with a
# colon (ASCII, Armenian full stop/comma or full-width) and carry a date, a time or an address.
_WROTE_VERBS = (
    r"wrote|writes|schrieb|geschrieben|a\s+écrit|écrivait|kirjoitti|rakstīja|ने\s+लिखा|लिखा"
    r"|գրել\s+է|գրեց|escribió|escreveu|ha\s+scritto|scrisse|schreef|heeft\s+geschreven|skrev"
    r"|napisał\(a\)|napisała|napisał|napsal\(a\)|napsala|napsal|написал\(а\)|написала|написал"
    r"|пишет|написав|yazdı|írta|έγραψε|kirjutas|rašė|je\s+napisal|wrote\s+the\s+following"
    r"|nadesłał|写道|寫道|작성하였습니다|작성했습니다|작성"
)
_WROTE_END = re.compile(
    rf"(?:^|[\s>)\]\"'»,.;-])(?:{_WROTE_VERBS})(?:\s.{{0,160}})?\s*[:։：՝]\s*$",
    re.IGNORECASE,
)
_TERMINALS = (":", "։", "：", "՝")
# Where an attribution begins: a word such clients start with, or a date within a few characters.
_HEADER_START = re.compile(
    r"(?:On|Am|Le|El|Il|Op|Em|Den|Dne|Dnia|W\s+dniu|Kun|Στις)\s|.{0,16}\d",
    re.IGNORECASE,
)
_DATEISH = re.compile(r"\d{1,2}[:.]\d{2}|\d{4}|@|\d{1,2}[./-]\d{1,2}[./-]\d{2}")
_BARE_END = re.compile(r"@[^\s@]+[>)\"»]\s*[:։：]\s*$")
_BARE_DATE = re.compile(r"\d{1,2}:\d{2}")

# Separators of an enclosed original or forwarded message.
_ORIGINAL = re.compile(
    r"^[\s*>]*(?:-{2,}|_{2,}|=+)?\s*(?:original\s+message|ursprüngliche\s+nachricht|"
    r"originalnachricht|message\s+d'origine|mensaje\s+original|messaggio\s+originale|"
    r"oorspronkelijk\s+bericht|ursprungligt\s+meddelande|oprindelig\s+meddelelse|"
    r"opprinnelig\s+melding|alkuperäinen\s+viesti|oriģinālā\s+ziņa|sākotnējā\s+ziņa|"
    r"исходное\s+сообщение|původní\s+zpráva|wiadomość\s+oryginalna|mensagem\s+original|"
    r"मूल\s+संदेश|բնօրինակ\s+հաղորդագրություն|forwarded\s+message|weitergeleitete\s+nachricht|"
    r"message\s+transféré|mensaje\s+reenviado|messaggio\s+inoltrato|doorgestuurd\s+bericht|"
    r"vidarebefordrat\s+meddelande|välitetty\s+viesti|pārsūtīta\s+ziņa|पुनः\s+प्रेषित\s+संदेश|"
    r"अग्रेषित\s+संदेश|pārsūtīts\s+ziņojums|sākotnējais\s+ziņojums|"
    r"(?:վերահասցեավորված|փոխանցված)\s+(?:նամակ|հաղորդագրություն)|пересылаемое\s+сообщение|"
    r"转发的邮件|原始邮件|転送されたメッセージ|전달된\s+메시지|원본\s+메시지)"
    r"\s*(?:-{2,}|_{2,}|=+)?\s*$"
    r"|^[\s*>]*(?:begin\s+forwarded\s+message|anfang\s+der\s+weitergeleiteten\s+nachricht|"
    r"début\s+du\s+message\s+réexpédié|inicio\s+del\s+mensaje\s+reenviado)\s*:\s*$",
    re.IGNORECASE,
)

# Outlook-style header blocks: "From: …" plus "Sent:/To:/Subject:" lines, in many languages.
_FROM_KEYS = (
    r"from|von|de|da|van|från|fra|od|от|lähettäjä|no|sūtītājs|प्रेषक|से|ուղարկող|որտեղից|"
    r"ումից|absender|sender|afzender|remitente|mittente|expéditeur|feladó|kimden|"
    r"差出人|发件人|寄件者|寄件人|보낸\s*사람"
)
_OTHER_KEYS = (
    r"sent|date|to|subject|cc|bcc|reply-to|gesendet|datum|an|betreff|envoyé|à|objet|"
    r"lähetetty|päivämäärä|päiväys|vastaanottaja|aihe|kopio|nosūtīts|datums|kam|tēma|kopija|"
    r"enviado|enviada|para|asunto|fecha|inviato|oggetto|data|a|verzonden|aan|onderwerp|"
    r"skickat|till|ämne|sendt|til|emne|wysłano|do|temat|odesláno|komu|předmět|отправлено|"
    r"кому|тема|дата|копия|भेजा गया|भेजा|प्रति|को|विषय|दिनांक|तारीख|ուղարկված|ում|թեմա|"
    r"ամսաթիվ|assunto|gönderildi|konu|tárgy|címzett|elküldve|送信日時|宛先|件名|"
    r"发送时间|發送時間|傳送時間|收件人|收件者|主题|主旨|抄送|副本|보낸\s*날짜|받는\s*사람|제목|참조"
)
_HEADER_KEY = re.compile(
    rf"^[\s*]*(?:(?P<from>{_FROM_KEYS})|(?P<other>{_OTHER_KEYS}))\s*\**\s*[:：՝]",
    re.IGNORECASE,
)
_SEPARATOR = re.compile(r"^\s*(?:_{5,}|-{5,}|—{3,})\s*$")

# ---------------------------------------------------------------------------------------------
# Signatures

_SIG_DASHES = re.compile(r"^(?:--|—)$")
_SIG_DASH_LINES = ("--", "—")
_MOBILE = re.compile(
    r"^(?:sent\s+from\s+my\s+\w+(?:[ -]\w+){0,3}\.?"
    r"|sent\s+from\s+(?:outlook|mail|yahoo|samsung|aol|proton|gmail|the\s+\w+\s+app)\b.{0,60}"
    r"|sent\s+(?:via|using)\s+(?:the\s+)?\w+(?:\s+\w+){0,3}\s+(?:app|mail|mobile)\b.{0,30}"
    r"|get\s+outlook\s+for\s+\w+.{0,60}"
    r"|von\s+meinem\s+\S+(?:\s+\S+){0,3}\s+gesendet\.?"
    r"|gesendet\s+(?:von|mit|vom)\s+(?:meinem|der|dem|outlook|mobil).{0,60}"
    r"|envoyé\s+(?:de|depuis)\s+(?:mon|ma|outlook|yahoo).{0,60}"
    r"|lähetetty\s+(?:iphonesta|ipadista|android|outlook|puhelimesta|.{0,30}(?:sta|stä))\b.{0,40}"
    r"|(?:nosūtīts|sūtīts)\s+(?:no|ar)\s+.{1,60}"
    r"|मेरे\s+.{1,40}\s+से\s+भेजा\s+गया.{0,10}"
    r"|ուղարկված\s+է\s+.{1,60}"
    r"|(?:enviado|enviada)\s+(?:desde|do|de)\s+(?:mi|meu|o|outlook|yahoo).{0,60}"
    r"|inviato\s+da\s+.{1,40}"
    r"|verzonden\s+(?:met|vanaf|van)\s+.{1,40}"
    r"|skickat\s+från\s+.{1,40}"
    r"|sendt\s+fra\s+.{1,40}"
    r"|отправлено\s+(?:с|из)\s+.{1,40}"
    r"|(?:wysłane|wysłano)\s+z\s+.{1,40}"
    r"|odesláno\s+z\s+.{1,40}"
    r"|hent\s+outlook\s+til\s+.{1,30}"
    r"|从我的.{1,30}发送|내\s+.{1,30}에서\s+보냄|.{1,20}から送信)$",
    re.IGNORECASE,
)
_CLOSING = re.compile(
    r"^(?:thanks|thank\s+you|many\s+thanks|thanks\s+again|thanks\s+in\s+advance|cheers|best|"
    r"regards|best\s+regards|kind\s+regards|warm\s+regards|with\s+regards|sincerely|"
    r"yours\s+sincerely|all\s+the\s+best|best\s+wishes|"
    r"mit\s+freundlichen\s+grüßen|mit\s+freundlichen\s+grüssen|freundliche\s+grüße|"
    r"viele\s+grüße|beste\s+grüße|liebe\s+grüße|herzliche\s+grüße|grüße|gruß|lg|vg|mfg|"
    r"ystävällisin\s+terveisin|parhain\s+terveisin|terveisin|kiitos|kiittäen|"
    r"ar\s+cieņu|ar\s+labākajiem\s+vēlējumiem|paldies|sveicieni|"
    r"धन्यवाद|सादर|शुभकामनाओं\s+सहित|आपका|भवदीय|"
    r"հարգանքով|շնորհակալություն|լավագույն\s+մաղթանքներով|"
    r"cordialement|bien\s+cordialement|merci|salutations|"
    r"saludos|saludos\s+cordiales|un\s+saludo|cordiali\s+saluti|saluti|grazie|"
    r"met\s+vriendelijke\s+groet|groeten|med\s+vänliga\s+hälsningar|hälsningar|"
    r"med\s+venlig\s+hilsen|hilsen|mvh|pozdrawiam|s\s+pozdravem|с\s+уважением|спасибо)"
    r"\s*[,.!]?(?:\s+\S+){0,2}\s*[,.!]?$",
    re.IGNORECASE,
)
_DASH_NAME = re.compile(r"^-[^\W\d_][\w.'’]*(?: [\w.'’]+){0,2}$")
_FOOTER = re.compile(r"^_{10,}$")


def _wrote_header_start(st: list[str], j: int, quoted: list[bool]) -> int | None:
    """The first line of the "… wrote:" attribution ending on line ``j``, or None."""
    last = st[j]
    if len(last) > _MAX_HEADER_CHARS:
        return None
    # Without a verb ("26.06.2014, 14:41, "Alex" <a@example.com>:", mail.ru's "… от Name <…>:")
    # the line must close an address and the attribution carry a time.
    verb = _WROTE_END.search(last) is not None
    if not verb and _BARE_END.search(last) is None:
        return None
    dateish = _DATEISH if verb else _BARE_DATE
    # The closest start (line j, j-1 or j-2, no blank or quoted line between) that looks like
    # the beginning of an attribution and, joined to line j, carries a date, time or address.
    joined = last
    for s in range(j, max(-1, j - 3), -1):
        if s < j:
            if not st[s] or quoted[s] or st[s].endswith((".", "!", "?")):
                break
            joined = st[s] + " " + joined
            if len(joined) > _MAX_HEADER_CHARS:
                break
        if _HEADER_START.match(joined) and dateish.search(joined):
            return s
    # A single line with the verb and a date or address ("雨州 <y@example.com> 在 2026… 写道：").
    if verb and dateish.search(last):
        return j
    return None


def _header_block_end(st: list[str], i: int, quoted: list[bool]) -> int | None:
    """If an Outlook-style header block ("From: …", "Sent: …", "To: …") starts at ``i``: the
    index after its last header line; else None."""
    m = _HEADER_KEY.match(st[i])
    if m is None:
        return None
    has_from = m.group("from") is not None and bool(st[i][m.end() :].strip(" *"))
    keys = 1
    end = i + 1
    loose = 0
    for k in range(i + 1, min(len(st), i + 12)):
        if not st[k] or quoted[k]:
            break
        mk = _HEADER_KEY.match(st[k])
        if mk is None:
            loose += 1  # a wrapped value ("On Behalf Of …", a long To: list)
            if loose > 1:
                break
            continue
        loose = 0
        keys += 1
        end = k + 1
        if mk.group("from") is not None and st[k][mk.end() :].strip(" *"):
            has_from = True
    return end if has_from and keys >= 2 else None


def _separator_above(st: list[str], i: int) -> int:
    """Take a separator line (and blank lines) just above an Outlook header block into it."""
    k = i - 1
    while k >= 0 and not st[k]:
        k -= 1
    if k >= 0 and i - k <= 3 and (_SEPARATOR.match(st[k]) or _ORIGINAL.match(st[k])):
        return k
    return i


def _find_header(st: list[str], i: int, quoted: list[bool]) -> tuple[int, int, bool] | None:
    """A quote header found at line ``i``: (first line, line after it, whether a ">" block
    follows), or None."""
    s = st[i]
    if _ORIGINAL.match(s):
        return i, i + 1, False
    if ":" in s[:40] or "：" in s[:40] or "՝" in s[:40]:
        end = _header_block_end(st, i, quoted)
        if end is not None:
            return _separator_above(st, i), end, False
    if s.endswith(_TERMINALS):
        k = i + 1
        while k < len(st) and not st[k]:
            k += 1
        block_follows = k < len(st) and quoted[k]
        start = _wrote_header_start(st, i, quoted)
        if start is not None:
            return start, i + 1, block_follows
        # A bare "Name wrote:" (no date, no address) right above a ">" block is its
        # attribution too: that is what many phone and web clients write.
        if block_follows and len(s) <= _MAX_BARE_ATTRIBUTION and _WROTE_END.search(s):
            return i, i + 1, True
    return None


def _classify(lines: list[str]) -> list[str]:
    n = len(lines)
    st = [ln.strip() for ln in lines]
    quoted = [s.startswith(">") for s in st]
    kinds = [QUOTED if q else NEW for q in quoted]
    seen_new = False  # non-blank new text before the current line
    i = 0
    while i < n:
        if not st[i] or quoted[i]:
            i += 1
            continue
        found = _find_header(st, i, quoted)
        if found is None:
            seen_new = True
            i += 1
            continue
        start, after, soft = found
        if soft or not seen_new:
            # The attribution of a ">" block, or a header with nothing new above it (a
            # forward, a client that puts the header first): the header alone is quoted.
            for h in range(start, after):
                kinds[h] = QUOTED
            i = after
            continue
        for h in range(start, n):  # everything from the header on is quoted
            kinds[h] = QUOTED
        break
    # Blank lines go with the line before them (the first ones with the line after them).
    prev: str | None = None
    for h in range(n):
        if st[h]:
            prev = kinds[h]
        elif prev is not None:
            kinds[h] = prev
    first = next((h for h in range(n) if st[h]), n)
    for h in range(first):
        kinds[h] = kinds[first] if first < n else NEW
    _mark_signatures(st, kinds)
    return kinds


def _signature_like(line: str) -> bool:
    """A line that may follow a closing in a signature: a name, a title, a phone number."""
    return len(line) <= 80 and not line.endswith(("?", "!")) and line.count(" ") < 6


def _signature_start(st: list[str], start: int, end: int) -> int | None:
    """The first line of a signature within the new text ``start:end``, or None."""
    body = [h for h in range(start, end) if st[h]]
    if not body:
        return None
    first = body[0]
    for pos, h in enumerate(body):
        s = st[h]
        rest = len(body) - pos - 1
        if s in _SIG_DASH_LINES:  # as _SIG_DASHES.match(s), for a stripped line, cheaper
            if rest <= _MAX_SIG_LINES:
                return h
            continue
        if len(s) <= 80 and _MOBILE.match(s):
            return h
        if h == first:
            continue
        if s[:1] == "_" and _FOOTER.match(s) and rest <= _MAX_FOOTER_LINES:
            return h
        if (
            rest <= _MAX_CLOSING_LINES
            and len(s) <= 60
            and (_DASH_NAME.match(s) or _CLOSING.match(s))
            and all(_signature_like(st[t]) for t in body[pos + 1 :])
        ):
            return h
    return None


def _mark_signatures(st: list[str], kinds: list[str]) -> None:
    n = len(kinds)
    h = 0
    while h < n:
        if kinds[h] != NEW:
            h += 1
            continue
        end = h
        while end < n and kinds[end] == NEW:
            end += 1
        sig = _signature_start(st, h, end)
        if sig is not None:
            for k in range(sig, end):
                kinds[k] = SIGNATURE
        h = end


def _split(text: str) -> SplitReply:
    lines = text.splitlines(keepends=True)
    kinds = _classify(lines)
    segments: list[tuple[str, str]] = []
    by_kind: dict[str, list[str]] = {NEW: [], QUOTED: [], SIGNATURE: []}
    h = 0
    while h < len(lines):
        k = h + 1
        while k < len(lines) and kinds[k] == kinds[h]:
            k += 1
        piece = "".join(lines[h:k])
        segments.append((kinds[h], piece))
        by_kind[kinds[h]].append(piece)
        h = k
    return SplitReply(
        new_text="".join(by_kind[NEW]).strip(),
        quoted="".join(by_kind[QUOTED]).strip(),
        signature="".join(by_kind[SIGNATURE]).strip(),
        segments=tuple(segments),
    )


def split_reply(text: str, languages: tuple[str, ...] = ()) -> SplitReply:
    """Split ``text`` (a plain-text body) into new text, quoted text and signature.

    ``languages`` (ISO 639-1 codes) is a hint only: the rules for every supported language
    always apply, since the customer's mail client may speak another language than they do.
    Never raises: on any internal error the whole text comes back as ``new_text``.
    """
    try:
        return _split(text)
    except Exception:
        whole = text if isinstance(text, str) else ""
        return SplitReply(new_text=whole, quoted="", signature="", segments=((NEW, whole),))
