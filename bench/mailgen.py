"""Deterministic generator of realistic shop-support mail as raw RFC 5322 bytes."""
# ruff: noqa: RUF001  (Armenian and Devanagari text is meant to be here)

from __future__ import annotations

import base64
import binascii
import random
import struct
import time
import zlib
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field

SHOP = "Northwind Naturals"
SHOP_ADDR = "support@northwind-naturals.example"
SHOP_DOMAIN = "northwind-naturals.example"
START_TS = 1_672_531_200  # 2023-01-01T00:00:00Z
SPAN_S = 730 * 86_400  # messages spread over two years

PRODUCTS = (
    ("Rose Face Serum 30 ml", "29.90"),
    ("Argan Hair Oil 100 ml", "18.50"),
    ("Nitrile Gloves, box of 100", "12.90"),
    ("Shea Butter Hand Cream 75 ml", "9.95"),
    ("Lavender Soap Bar", "6.40"),
    ("Vitamin C Night Cream 50 ml", "34.00"),
    ("Cedar Beard Oil 50 ml", "21.00"),
    ("Refill Pouch Hand Soap 500 ml", "14.90"),
    ("Bamboo Toothbrush, pack of 4", "11.20"),
    ("Industrial Degreaser 5 l", "48.00"),
)


@dataclass(frozen=True, slots=True)
class Lang:
    """Phrases, names and mail habits of customers writing in one language."""

    code: str
    names: tuple[tuple[str, str], ...]  # (display name, ASCII local part)
    domains: tuple[str, ...]
    greetings: tuple[str, ...]
    subjects: tuple[str, ...]
    paragraphs: tuple[str, ...]
    thanks: tuple[str, ...]
    answers: tuple[str, ...]
    closings: tuple[str, ...]
    quote_intro: str
    reply_prefix: str = "Re: "
    legacy_charset: str | None = None
    encodings: tuple[str, ...] = ("quoted-printable", "base64", "8bit")
    enc_weights: tuple[float, ...] = (0.45, 0.4, 0.15)


LANGS: tuple[Lang, ...] = (
    Lang(
        "en",
        (
            ("Emma Johnson", "emma.johnson"),
            ("Liam Smith", "liam.smith"),
            ("Olivia Brown", "olivia.b"),
            ("Noah Davis", "noahdavis"),
            ("Ava Wilson", "ava.wilson"),
            ("James Taylor", "jtaylor"),
            ("Chloe O'Brien", "chloe.obrien"),
            ("Mason Clarke", "mason.clarke"),
        ),
        ("gmail.com", "outlook.com", "yahoo.com", "icloud.com", "hotmail.co.uk"),
        ("Hi,", "Hello,", "Good morning,", "Dear Northwind team,"),
        (
            "Where is my order {order}?",
            "Order {order} arrived damaged",
            "Return request for order {order}",
            "Question about the {product}",
            "Refill for my last order",
            "Wrong item in order {order}",
            "How do I use the {product}?",
            "Re-order {order}",
        ),
        (
            "I ordered from you on {date} (order number {order}) and the parcel still has not "
            "arrived. The tracking page has not changed for five days. Could you please check "
            "where it is?",
            "Unfortunately the bottle of {product} had leaked in transit and the box was soaking "
            "wet. I have attached a photo. Could you send a replacement or refund me?",
            "I would like to return the {product}, it does not suit me. How do returns work and "
            "will I get a return label?",
            "Is the {product} available in a bigger size? I would like to order more before mine "
            "runs out, ideally with the same delivery address as order {order}.",
            "I received order {order} today but the {product} is missing from the parcel. The "
            "packing slip lists it though.",
            "Could you tell me how often I should use the {product}? The leaflet in the box only "
            "says 'as needed' and I do not want to overdo it.",
        ),
        (
            "Thanks for the quick answer! The parcel came today, all good.",
            "Thank you, that works for me. I will wait for the replacement.",
            "Great, I have sent the parcel back with the label you gave me.",
        ),
        (
            "Thank you for your message. I have checked order {order}: the parcel is with the "
            "carrier and should arrive within two working days. Tracking: "
            "https://track.example/{track}",
            "I am sorry the {product} arrived damaged. I have sent a replacement today at no "
            "cost; you do not need to return the broken one.",
        ),
        ("Best regards", "Thanks", "Kind regards", "Cheers"),
        "On {date}, {name} <{addr}> wrote:",
        encodings=("7bit",),
        enc_weights=(1.0,),
    ),
    Lang(
        "de",
        (
            ("Jürgen Müller", "juergen.mueller"),
            ("Anna Schäfer", "anna.schaefer"),
            ("Lukas Weiß", "l.weiss"),
            ("Sophie Köhler", "sophie.koehler"),
            ("Maximilian Groß", "max.gross"),
            ("Lena Bäcker", "lena.baecker"),
        ),
        ("web.de", "gmx.de", "t-online.de", "gmail.com", "posteo.de"),
        ("Hallo,", "Guten Tag,", "Sehr geehrte Damen und Herren,", "Liebes Northwind-Team,"),
        (
            "Wo bleibt meine Bestellung {order}?",
            "Bestellung {order} beschädigt angekommen",
            "Rücksendung zu Bestellung {order}",
            "Frage zu {product}",
            "Nachbestellung",
            "Falscher Artikel in Bestellung {order}",
            "Anwendung von {product}?",
        ),
        (
            "ich habe am {date} bei Ihnen bestellt (Bestellnummer {order}) und die Sendung ist "
            "immer noch nicht angekommen. Die Sendungsverfolgung zeigt seit fünf Tagen keine "
            "Änderung. Können Sie bitte nachsehen, wo das Paket gerade ist?",
            "leider war die Flasche {product} bei der Lieferung ausgelaufen und der Karton völlig "
            "durchnässt. Ich habe ein Foto angehängt. Könnten Sie mir bitte Ersatz schicken oder "
            "den Betrag erstatten?",
            "ich möchte gern {product} zurückschicken, es passt leider nicht zu meiner Haut. Wie "
            "läuft die Rücksendung ab und bekomme ich ein Rücksendeetikett?",
            "gibt es {product} auch in einer größeren Packung? Ich würde gern nachbestellen, "
            "bevor meine Flasche aufgebraucht ist – gern an dieselbe Adresse wie {order}.",
            "in meiner Bestellung {order} fehlt {product}, obwohl er auf dem Lieferschein steht. "
            "Können Sie ihn bitte nachsenden?",
        ),
        (
            "Vielen Dank für die schnelle Antwort! Das Paket ist heute gekommen, alles in Ordnung.",
            "Danke, so machen wir es. Ich warte auf den Ersatz.",
            "Prima, das Paket ist mit Ihrem Etikett unterwegs zurück zu Ihnen.",
        ),
        (
            "vielen Dank für Ihre Nachricht. Ich habe Bestellung {order} geprüft: Das Paket ist "
            "beim Versanddienstleister und sollte in zwei Werktagen ankommen. "
            "Sendungsverfolgung: https://track.example/{track}",
            "es tut mir leid, dass {product} beschädigt ankam. Ich habe heute kostenlos Ersatz "
            "verschickt; Sie müssen das kaputte Stück nicht zurückschicken.",
        ),
        ("Viele Grüße", "Mit freundlichen Grüßen", "Beste Grüße", "Liebe Grüße"),
        "Am {date} schrieb {name} <{addr}>:",
        reply_prefix="AW: ",
        legacy_charset="iso-8859-15",
    ),
    Lang(
        "fi",
        (
            ("Mikko Virtanen", "mikko.virtanen"),
            ("Aino Mäkinen", "aino.makinen"),
            ("Jussi Häkkinen", "jussi.hakkinen"),
            ("Sanna Järvinen", "sanna.j"),
            ("Eeva Nieminen", "eeva.nieminen"),
            ("Timo Lähteenmäki", "timo.lahteenmaki"),
        ),
        ("gmail.com", "hotmail.fi", "luukku.com", "kolumbus.fi", "outlook.com"),
        ("Hei,", "Moi,", "Hyvä asiakaspalvelu,", "Terve,"),
        (
            "Missä tilaukseni {order} on?",
            "Tilaus {order} saapui rikkinäisenä",
            "Palautus: tilaus {order}",
            "Kysymys tuotteesta {product}",
            "Lisätilaus",
            "Väärä tuote tilauksessa {order}",
        ),
        (
            "tilasin teiltä {date} (tilausnumero {order}), mutta paketti ei ole vieläkään "
            "saapunut. Seurantakoodi ei ole päivittynyt viiteen päivään. Voisitteko tarkistaa, "
            "missä lähetys on?",
            "valitettavasti tuotteen {product} pullo oli vuotanut kuljetuksen aikana ja "
            "pakkaus oli märkä. Liitin kuvan. Voisitteko lähettää uuden tai palauttaa rahat?",
            "haluaisin palauttaa tuotteen {product}, koska se ei sopinut minulle. Miten palautus "
            "tehdään ja saanko palautustarran?",
            "onko tuotetta {product} saatavilla isommassa koossa? Haluaisin tilata lisää ennen "
            "kuin vanha loppuu. Toimitusosoite on sama kuin tilauksessa {order}.",
        ),
        (
            "Kiitos nopeasta vastauksesta! Paketti tuli tänään ja kaikki on kunnossa.",
            "Kiitos, tämä sopii minulle hyvin. Odotan uutta tuotetta.",
            "Hienoa, lähetin paketin takaisin saamallani palautustarralla.",
        ),
        (
            "kiitos viestistäsi. Tarkistin tilauksen {order}: paketti on kuljetusliikkeellä ja "
            "sen pitäisi saapua kahden arkipäivän kuluessa. Seuranta: https://track.example/{track}",
            "pahoittelen, että {product} saapui rikkinäisenä. Lähetin tänään korvaavan tuotteen "
            "maksutta; rikkinäistä ei tarvitse palauttaa.",
        ),
        ("Ystävällisin terveisin", "Terveisin", "Kiittäen", "t."),
        "{date} {name} <{addr}> kirjoitti:",
        reply_prefix="VS: ",
        legacy_charset="iso-8859-1",
    ),
    Lang(
        "lv",
        (
            ("Jānis Bērziņš", "janis.berzins"),
            ("Līga Kalniņa", "liga.kalnina"),
            ("Andris Ozoliņš", "andris.ozolins"),
            ("Ilze Liepiņa", "ilze.liepina"),
            ("Mārtiņš Krūmiņš", "martins.krumins"),
            ("Ieva Zariņa", "ieva.zarina"),
        ),
        ("inbox.lv", "gmail.com", "apollo.lv", "tvnet.lv"),
        ("Labdien,", "Sveiki,", "Labdien, cienījamie!"),
        (
            "Kur ir mans pasūtījums {order}?",
            "Pasūtījums {order} pienāca bojāts",
            "Atgriešana: pasūtījums {order}",
            "Jautājums par {product}",
            "Atkārtots pasūtījums",
            "Nepareiza prece pasūtījumā {order}",
        ),
        (
            "es pasūtīju pie jums {date} (pasūtījuma numurs {order}), bet sūtījums vēl nav "
            "pienācis. Izsekošanas informācija nav mainījusies piecas dienas. Vai jūs, lūdzu, "
            "varētu pārbaudīt, kur ir paka?",
            "diemžēl {product} pudele piegādes laikā bija iztecējusi un kaste bija slapja. "
            "Pievienoju fotoattēlu. Vai varat, lūdzu, nosūtīt jaunu vai atmaksāt naudu?",
            "es vēlētos atgriezt {product}, jo tas man neder. Kā notiek atgriešana un vai es "
            "saņemšu atgriešanas uzlīmi?",
            "vai {product} ir pieejams lielākā iepakojumā? Es gribētu pasūtīt vēl, pirms vecais "
            "beidzas, uz to pašu adresi kā pasūtījumā {order}.",
        ),
        (
            "Paldies par ātro atbildi! Paka pienāca šodien, viss ir kārtībā.",
            "Paldies, tas man der. Gaidīšu aizvietojumu.",
            "Lieliski, paku nosūtīju atpakaļ ar jūsu uzlīmi.",
        ),
        (
            "paldies par jūsu ziņu. Es pārbaudīju pasūtījumu {order}: paka ir pie pārvadātāja un "
            "tai vajadzētu pienākt divu darba dienu laikā. Izsekošana: https://track.example/{track}",
            "atvainojos, ka {product} pienāca bojāts. Šodien bez maksas nosūtīju aizvietojumu; "
            "bojāto nav jāatgriež.",
        ),
        ("Ar cieņu", "Paldies", "Ar labiem vēlējumiem"),
        "{date}, {name} <{addr}> rakstīja:",
        reply_prefix="Atb: ",
    ),
    Lang(
        "hi",
        (
            ("राहुल शर्मा", "rahul.sharma"),
            ("प्रिया वर्मा", "priya.verma"),
            ("अमित कुमार", "amit.kumar"),
            ("नेहा गुप्ता", "neha.gupta"),
            ("संजय सिंह", "sanjay.singh"),
            ("अनीता पटेल", "anita.patel"),
        ),
        ("gmail.com", "rediffmail.com", "yahoo.co.in", "outlook.com"),
        ("नमस्ते,", "नमस्कार,", "प्रिय नॉर्थविंड टीम,"),
        (
            "मेरा ऑर्डर {order} कहाँ है?",
            "ऑर्डर {order} टूटा हुआ मिला",
            "ऑर्डर {order} की वापसी",
            "{product} के बारे में सवाल",
            "फिर से ऑर्डर करना है",
            "ऑर्डर {order} में गलत सामान",
        ),
        (
            "मैंने {date} को आपसे ऑर्डर किया था (ऑर्डर नंबर {order}), लेकिन पार्सल अभी तक नहीं आया "
            "है। ट्रैकिंग पाँच दिनों से नहीं बदली है। कृपया देखें कि पार्सल कहाँ है?",
            "दुर्भाग्य से डिलीवरी के समय {product} की बोतल लीक हो गई थी और डिब्बा गीला था। मैंने फोटो "
            "संलग्न की है। कृपया नया भेजें या पैसे वापस करें।",
            "मैं {product} वापस करना चाहता हूँ क्योंकि यह मेरे लिए सही नहीं है। वापसी कैसे होगी और "
            "क्या मुझे वापसी लेबल मिलेगा?",
            "क्या {product} बड़े पैक में मिलता है? मैं पुराना खत्म होने से पहले फिर से ऑर्डर करना "
            "चाहती हूँ, पता वही है जो ऑर्डर {order} में था।",
        ),
        (
            "जल्दी जवाब देने के लिए धन्यवाद! पार्सल आज आ गया, सब ठीक है।",
            "धन्यवाद, यह मेरे लिए ठीक है। मैं नए सामान का इंतज़ार करूँगा।",
            "बढ़िया, मैंने आपके लेबल के साथ पार्सल वापस भेज दिया है।",
        ),
        (
            "आपके संदेश के लिए धन्यवाद। मैंने ऑर्डर {order} देखा: पार्सल कूरियर के पास है और दो कार्य "
            "दिवसों में पहुँच जाना चाहिए। ट्रैकिंग: https://track.example/{track}",
            "मुझे खेद है कि {product} टूटा हुआ पहुँचा। मैंने आज मुफ्त में नया भेज दिया है; टूटा हुआ "
            "वापस भेजने की ज़रूरत नहीं है।",
        ),
        ("धन्यवाद", "सादर", "शुभकामनाओं सहित"),
        "{date} को {name} <{addr}> ने लिखा:",
        encodings=("base64", "quoted-printable", "8bit"),
        enc_weights=(0.7, 0.2, 0.1),
    ),
    Lang(
        "hy",
        (
            ("Արամ Պետրոսյան", "aram.petrosyan"),
            ("Անի Հովհաննիսյան", "ani.hovhannisyan"),
            ("Գոռ Սարգսյան", "gor.sargsyan"),
            ("Լուսինե Գրիգորյան", "lusine.grigoryan"),
            ("Տիգրան Հարությունյան", "tigran.h"),
            ("Մարիամ Ավետիսյան", "mariam.avetisyan"),
        ),
        ("mail.ru", "gmail.com", "yandex.ru", "mail.am"),
        ("Բարև Ձեզ,", "Ողջույն,", "Հարգելի Northwind թիմ,"),
        (
            "Որտե՞ղ է իմ պատվերը {order}",
            "Պատվեր {order}-ը ստացա վնասված",
            "Վերադարձ. պատվեր {order}",
            "Հարց {product}-ի մասին",
            "Կրկին պատվեր",
            "Սխալ ապրանք պատվեր {order}-ում",
        ),
        (
            "Ես պատվիրել եմ {date}-ին (պատվերի համար {order}), բայց ծանրոցը դեռ չի հասել։ "
            "Հետևման տվյալները հինգ օր է չեն փոխվել։ Խնդրում եմ ստուգեք, թե որտեղ է ծանրոցը։",
            "Ցավոք, առաքման ժամանակ {product}-ի շիշը հոսել էր, և տուփը թաց էր։ Կցում եմ "
            "լուսանկարը։ Խնդրում եմ ուղարկեք նորը կամ վերադարձրեք գումարը։",
            "Ուզում եմ վերադարձնել {product}-ը, քանի որ ինձ չի համապատասխանում։ Ինչպե՞ս "
            "կատարել վերադարձը։",
            "Արդյո՞ք {product}-ը կա ավելի մեծ փաթեթով։ Ուզում եմ նորից պատվիրել նույն հասցեով, "
            "ինչ պատվեր {order}-ում։",
        ),
        (
            "Շնորհակալություն արագ պատասխանի համար։ Ծանրոցը այսօր հասավ, ամեն ինչ կարգին է։",
            "Շնորհակալություն, դա ինձ հարմար է։ Կսպասեմ նորին։",
            "Հիանալի է, ծանրոցը հետ ուղարկեցի Ձեր պիտակով։",
        ),
        (
            "Շնորհակալություն Ձեր նամակի համար։ Ստուգեցի պատվեր {order}-ը. ծանրոցը առաքիչի մոտ "
            "է և պետք է հասնի երկու աշխատանքային օրվա ընթացքում։ Հետևում՝ "
            "https://track.example/{track}",
            "Ցավում եմ, որ {product}-ը հասել է վնասված։ Այսօր անվճար ուղարկեցի նորը. վնասվածը "
            "վերադարձնել պետք չէ։",
        ),
        ("Շնորհակալություն", "Հարգանքով", "Լավագույն մաղթանքներով"),
        "{date}-ին {name} <{addr}>-ը գրել է:",
        reply_prefix="Re: ",
        encodings=("base64", "quoted-printable", "8bit"),
        enc_weights=(0.65, 0.25, 0.1),
    ),
)
LANG_WEIGHTS = (0.4, 0.2, 0.12, 0.1, 0.1, 0.08)

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_TZ = (0, 60, 120, 120, 180, 240, 330, -300, -240, 0, 60)  # minutes east of UTC
_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def rfc2822_date(ts: int, tz_minutes: int) -> str:
    """A Date header value for a Unix time shown in a zone `tz_minutes` east of UTC."""
    t = time.gmtime(ts + tz_minutes * 60)
    sign = "+" if tz_minutes >= 0 else "-"
    off = abs(tz_minutes)
    return (
        f"{_DAYS[t.tm_wday]}, {t.tm_mday} {_MONTHS[t.tm_mon - 1]} {t.tm_year} "
        f"{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d} {sign}{off // 60:02d}{off % 60:02d}"
    )


def _char_chunks(text: str, max_bytes: int) -> list[bytes]:
    """UTF-8 pieces of `text` of at most `max_bytes`, never splitting a character."""
    chunks: list[bytes] = []
    current = bytearray()
    for ch in text:
        b = ch.encode("utf-8")
        if current and len(current) + len(b) > max_bytes:
            chunks.append(bytes(current))
            current.clear()
        current += b
    if current:
        chunks.append(bytes(current))
    return chunks


def encode_word(text: str, rng: random.Random) -> str:
    """An RFC 2047 encoded header value when `text` is not ASCII (B or Q, UTF-8, folded)."""
    if text.isascii():
        return text
    if rng.random() < 0.6:
        words = [
            f"=?UTF-8?B?{base64.b64encode(c).decode('ascii')}?=" for c in _char_chunks(text, 45)
        ]
    else:
        words = [
            "=?UTF-8?Q?"
            + binascii.b2a_qp(c, header=True).decode("ascii").replace("?", "=3F")
            + "?="
            for c in _char_chunks(text, 20)
        ]
    return "\n ".join(words)


def _address(name: str, addr: str, rng: random.Random) -> str:
    if name.isascii():
        return f'"{name}" <{addr}>' if "'" in name or "," in name else f"{name} <{addr}>"
    return f"{encode_word(name, rng)} <{addr}>"


def _wrap_b64(data: bytes) -> str:
    enc = base64.b64encode(data).decode("ascii")
    return "\n".join([enc[i : i + 76] for i in range(0, len(enc), 76)])


def _body_part(text: str, subtype: str, lang: Lang, rng: random.Random) -> str:
    """A text part with headers, in a charset and transfer encoding this language's mailers use."""
    if lang.encodings == ("7bit",) and text.isascii():
        return (
            f'Content-Type: text/{subtype}; charset="us-ascii"\n'
            f"Content-Transfer-Encoding: 7bit\n\n{text}\n"
        )
    charset = "utf-8"
    data: bytes | None = None
    if lang.legacy_charset and rng.random() < 0.3:
        try:
            data = text.encode(lang.legacy_charset)
            charset = lang.legacy_charset
        except UnicodeEncodeError:
            data = None
    if data is None:
        data = text.encode("utf-8")
    cte = rng.choices(lang.encodings, lang.enc_weights)[0]
    if cte == "8bit" and charset == "utf-8":
        body = text
    elif cte == "base64":
        body = _wrap_b64(data)
    else:
        cte = "quoted-printable"
        body = binascii.b2a_qp(data, istext=True).decode("ascii")
    return (
        f'Content-Type: text/{subtype}; charset="{charset}"\n'
        f"Content-Transfer-Encoding: {cte}\n\n{body}\n"
    )


def _png(rng: random.Random, size: int) -> bytes:
    """A valid PNG of noise of roughly `size` bytes (noise does not compress)."""
    width = 256
    height = max(1, size // (width * 3))
    raw = b"".join(b"\x00" + rng.randbytes(width * 3) for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(raw, 0))
        + chunk(b"IEND", b"")
    )


def _jpeg(rng: random.Random, size: int) -> bytes:
    """Bytes shaped like a camera JPEG (SOI, EXIF APP1, entropy-coded noise, EOI)."""
    exif = b"Exif\x00\x00MM\x00*\x00\x00\x00\x08" + b"Pixel 7a\x00" * 8
    app1 = b"\xff\xe1" + struct.pack(">H", len(exif) + 2) + exif
    noise = rng.randbytes(size).replace(b"\xff", b"\xfe")
    return (
        b"\xff\xd8"
        + app1
        + b"\xff\xda\x00\x0c\x03\x01\x00\x02\x11\x03\x11\x00?\x00"
        + noise
        + (b"\xff\xd9")
    )


def _pdf(rng: random.Random, size: int) -> bytes:
    """A small well-formed-looking PDF invoice with one compressed-looking stream."""
    stream = rng.randbytes(size)
    head = (
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
        b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>\n"
        b"endobj\n4 0 obj\n<< /Length " + str(len(stream)).encode() + b" /Filter /FlateDecode >>\n"
        b"stream\n"
    )
    return head + stream + b"\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


@dataclass(frozen=True, slots=True)
class Attachment:
    """A precomputed attachment: MIME headers and base64 body, CRLF line ends, as bytes."""

    filename: str
    content_type: str
    encoded: bytes


def _attachments(rng: random.Random) -> tuple[list[Attachment], list[Attachment], list[Attachment]]:
    """Pools of photos, invoices (PDF) and screenshots (PNG), made once and reused."""

    def att(filename: str, ctype: str, data: bytes) -> Attachment:
        enc = _wrap_b64(data).replace("\n", "\r\n")
        return Attachment(filename, ctype, enc.encode("ascii"))

    photos = [
        att(f"IMG_{2040 + i}.jpg", "image/jpeg", _jpeg(rng, size))
        for i, size in enumerate((38_000, 85_000, 140_000, 210_000, 330_000, 480_000, 740_000))
    ]
    invoices = [
        att(f"invoice-{i + 1}.pdf", "application/pdf", _pdf(rng, size))
        for i, size in enumerate((6_000, 14_000, 27_000, 52_000, 110_000))
    ]
    shots = [
        att(f"Screenshot_{i + 1}.png", "image/png", _png(rng, size))
        for i, size in enumerate((4_000, 12_000, 30_000, 70_000))
    ]
    return photos, invoices, shots


@dataclass(slots=True)
class Order:
    """An order placed on one of the shop's platforms, that mail then refers to."""

    platform: str
    number: str  # as customers write it: "#1042" or "303-1234567-1234567"
    lang: Lang
    name: str
    addr: str
    product: str
    price: str
    ts: int


@dataclass(slots=True)
class Conversation:
    """A customer's thread: its subject, Message-IDs and the last texts (for quoting)."""

    order: Order
    subject: str
    ids: list[str] = field(default_factory=list)
    texts: deque[tuple[str, str, str, int]] = field(default_factory=lambda: deque(maxlen=3))


class MailGenerator:
    """Makes messages one by one; every choice comes from one seeded random generator."""

    def __init__(self, n: int, seed: int = 0) -> None:
        self.n = max(1, n)
        self.seed = seed
        self.rng = random.Random(seed)
        self.noise = "".join(self.rng.choices(_B64, k=8192))
        self.photos, self.invoices, self.shots = _attachments(random.Random(seed + 1))
        self.orders: deque[Order] = deque(maxlen=400)
        self.convs: deque[Conversation] = deque(maxlen=300)
        self.shopify_no = 1001
        self.woo_no = 4200

    # -- shared pieces -------------------------------------------------------------------
    def _blob(self, length: int) -> str:
        start = self.rng.randrange(0, len(self.noise) - length)
        return self.noise[start : start + length]

    def _mid(self, i: int, domain: str) -> str:
        if domain.endswith("gmail.com") or domain.endswith("google.com"):
            return f"<CA+{self._blob(40)}{i:x}@mail.gmail.com>".replace("/", "_")
        return f"<{i:06d}.{self.seed:x}.{self._blob(16).replace('/', '-')}@{domain}>"

    def _trace(self, ts: int, helo: str, ip: str) -> str:
        d = rfc2822_date(ts, 60)
        d2 = rfc2822_date(ts - 2, 0)
        q = self._blob(10).replace("/", "A").replace("+", "B")
        return (
            f"Return-Path: <{{sender}}>\n"
            f"Delivered-To: {SHOP_ADDR}\n"
            f"Received: from mx.{SHOP_DOMAIN}\n\tby imap.{SHOP_DOMAIN} with LMTP\n"
            f"\tid {q}; {d}\n"
            f"Received: from {helo} ({helo} [{ip}])\n\t(using TLSv1.3 with cipher "
            f"TLS_AES_256_GCM_SHA384 (256/256 bits))\n\t(No client certificate requested)\n"
            f"\tby mx.{SHOP_DOMAIN} (Postfix) with ESMTPS id {q[:8]}\n"
            f"\tfor <{SHOP_ADDR}>; {d}\n"
            f"Received: by {helo} with SMTP id {self._blob(12)}\n\tfor <{SHOP_ADDR}>; {d2}\n"
            f"Authentication-Results: mx.{SHOP_DOMAIN};\n\tdkim=pass (2048-bit key) "
            f"header.d={{sdomain}} header.i=@{{sdomain}} header.b={self._blob(8)};\n"
            f"\tspf=pass smtp.mailfrom={{sdomain}};\n\tdmarc=pass (p=none dis=none) "
            f"header.from={{sdomain}}\n"
            f"DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;\n\td={{sdomain}}; "
            f"s=s{ts % 9}; t={ts};\n\th=to:subject:message-id:date:from:mime-version:"
            f"from:to:cc:subject:date:message-id:reply-to;\n\tbh={self._blob(43)}=;\n"
            f"\tb={self._blob(70)}\n\t {self._blob(70)}\n\t {self._blob(70)}\n"
            f"\t {self._blob(70)}\n\t {self._blob(58)}==\n"
        )

    def _sig(self, lines: int, width: int = 70) -> str:
        return "\n\t ".join(self._blob(width) for _ in range(lines))

    def _provider(self, sdomain: str, ts: int, mid: str) -> str:
        """Headers the sender's provider and our filter add (Gmail ARC, Exchange, GMX, SES)."""
        d = rfc2822_date(ts - 1, 0)
        uuid = self._blob(32).lower().replace("/", "a").replace("+", "b")
        uuid = f"{uuid[:8]}-{uuid[8:12]}-{uuid[12:16]}-{uuid[16:20]}-{uuid[20:]}"
        spam = (
            f"X-Spamd-Result: default: False [-2.{ts % 90:02d} / 15.00];\n"
            "\tDMARC_POLICY_ALLOW(-0.50)[{d},none];\n\tR_DKIM_ALLOW(-0.20)[{d}:s=s1];\n"
            "\tR_SPF_ALLOW(-0.20)[+ip4:0.0.0.0/0];\n\tMIME_GOOD(-0.10)[multipart/alternative];\n"
            "\tFROM_HAS_DN(0.00)[];\n\tRCPT_COUNT_ONE(0.00)[1];\n\tTO_DN_ALL(0.00)[];\n"
            "\tRCVD_TLS_LAST(0.00)[];\n\tARC_NA(0.00)[];\n\tMID_RHS_MATCH_FROM(0.00)[];\n"
            "\tASN(0.00)[asn:15169, ipnet:209.85.128.0/17, country:US];\n"
            "\tDKIM_TRACE(0.00)[{d}:+]\n"
            f"X-Rspamd-Queue-Id: {self._blob(11).replace('/', 'A')}\n"
            f"X-Rspamd-Server: mx\nX-Spam-Status: No, score=-2.{ts % 90:02d}\n"
        ).replace("{d}", sdomain)
        if sdomain in ("gmail.com", "mail.ru", "yandex.ru"):
            return spam + (
                f"ARC-Seal: i=1; a=rsa-sha256; t={ts}; cv=none;\n\td=google.com; "
                f"s=arc-20160816;\n\tb={self._sig(6)}\n"
                "ARC-Message-Signature: i=1; a=rsa-sha256; c=relaxed/relaxed; d=google.com;"
                " s=arc-20160816;\n\th=to:subject:message-id:date:from:mime-version:"
                f"dkim-signature;\n\tbh={self._blob(43)}=;\n\tfh={self._blob(43)}=;\n"
                f"\tb={self._sig(6)}\n"
                "ARC-Authentication-Results: i=1; mx.google.com;\n"
                f"\tdkim=pass header.i=@{sdomain} header.s=20230601 header.b={self._blob(8)};\n"
                f"\tspf=pass (google.com: domain of sender@{sdomain} designates 209.85.220.41 "
                f"as permitted sender) smtp.mailfrom=sender@{sdomain};\n"
                f"\tdmarc=pass (p=NONE sp=QUARANTINE dis=NONE) header.from={sdomain}\n"
                "X-Google-DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;\n"
                f"\td=1e100.net; s=20230601; t={ts};\n\th=to:subject:message-id:date:from:"
                f"mime-version:x-gm-message-state:from:to:cc:subject:date:message-id:reply-to;"
                f"\n\tbh={self._blob(43)}=;\n\tb={self._sig(5)}\n"
                f"X-Gm-Message-State: AOJu0Y{self._blob(60)}\n\t{self._blob(40)}\n"
                f"X-Google-Smtp-Source: AGHT+I{self._blob(80)}\n"
                f"X-Received: by 2002:a17:906:{ts % 9999:x}:b0:a3e:{ts % 4093:x} with SMTP id "
                f"{self._blob(20)};\n\t{d}\n"
            )
        if sdomain.startswith(("outlook.", "hotmail.")):
            return spam + (
                f"ARC-Seal: i=1; a=rsa-sha256; s=arcselector9901; d=microsoft.com; cv=none;\n"
                f"\tb={self._sig(5)}\n"
                "ARC-Message-Signature: i=1; a=rsa-sha256; c=relaxed/relaxed; d=microsoft.com;"
                " s=arcselector9901;\n\th=From:Date:Subject:Message-ID:Content-Type:"
                "MIME-Version:X-MS-Exchange-AntiSpam-MessageData-ChunkCount:"
                "X-MS-Exchange-AntiSpam-MessageData-0:X-MS-Exchange-AntiSpam-MessageData-1;\n"
                f"\tb={self._sig(5)}\n"
                "ARC-Authentication-Results: i=1; mx.microsoft.com 1; spf=none; dmarc=none;"
                " dkim=none; arc=none\n"
                f"Thread-Topic: order question\nThread-Index: AQHa{self._blob(24)}==\n"
                "X-MS-Has-Attach:\nX-MS-TNEF-Correlator:\n"
                f"x-ms-exchange-messagesentrepresentingtype: 1\nx-tmn: [{self._blob(32)}]\n"
                "x-ms-publictraffictype: Email\n"
                "x-ms-traffictypediagnostic: AM0PR10MB3441:EE_|DB9PR10MB7276:EE_\n"
                f"x-ms-office365-filtering-correlation-id: {uuid}\n"
                "x-microsoft-antispam: BCL:0;ARA:14566002|461199019|440099019|3412199016|"
                "102099032;\n"
                f"x-microsoft-antispam-message-info:\n {self._sig(12, 76)}\n"
                "x-ms-exchange-antispam-messagedata-chunkcount: 1\n"
                f"x-ms-exchange-antispam-messagedata-0:\n {self._sig(16, 76)}\n"
                "X-OriginatorOrg: sct-15-20-4755-11-msonline-outlook-1b5c3.templateTenant\n"
                f"X-MS-Exchange-CrossTenant-Network-Message-Id: {uuid}\n"
                f"X-MS-Exchange-CrossTenant-originalarrivaltime: {d}\n"
                "X-MS-Exchange-CrossTenant-fromentityheader: Hosted\n"
                "X-MS-Exchange-CrossTenant-id: 84df9e7f-e9f6-40af-b435-aaaaaaaaaaaa\n"
                "X-MS-Exchange-CrossTenant-rms-persistedconsumerorg: "
                "00000000-0000-0000-0000-000000000000\n"
                "X-MS-Exchange-Transport-CrossTenantHeadersStamped: DB9PR10MB7276\n"
            )
        if sdomain.endswith(("amazon.com", "shopify.com", SHOP_DOMAIN, "dhl.de")):
            return spam + (
                f"X-SES-Outgoing: 2023.{ts % 12 + 1:02d}.{ts % 28 + 1:02d}-54.240.3.{ts % 250}\n"
                f"Feedback-ID: 1.eu-west-1.{self._blob(44)}=:AmazonSES\n"
                "X-Auto-Response-Suppress: All\nAuto-Submitted: auto-generated\n"
                "Precedence: bulk\n"
                f"X-Entity-Ref-ID: {uuid}\n"
            )
        return spam + (
            f"X-Provags-ID: V03:K1:{self._sig(2, 72)}\n"
            f"X-UI-Out-Filterresults: notjunk:1;V03:K0:{self._sig(4, 72)}\n"
            "User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:115.0) "
            "Gecko/20100101 Thunderbird/115.6.0\n"
            f"X-Mailer-Id: {mid.strip('<>').split('@')[0][:12]}\n"
        )

    def _ts(self, i: int) -> int:
        base = START_TS + (SPAN_S * i) // self.n
        return base + self.rng.randrange(0, max(1, SPAN_S // self.n))

    def _new_order(self, ts: int) -> Order:
        rng = self.rng
        lang = rng.choices(LANGS, LANG_WEIGHTS)[0]
        name, local = rng.choice(lang.names)
        product, price = rng.choice(PRODUCTS)
        platform = rng.choices(("shopify", "woo", "amazon"), (0.5, 0.3, 0.2))[0]
        if platform == "shopify":
            self.shopify_no += rng.randrange(1, 4)
            number = f"#{self.shopify_no}"
        elif platform == "woo":
            self.woo_no += rng.randrange(1, 6)
            number = f"#{self.woo_no}"
        else:
            number = (
                f"{rng.randrange(111, 408)}-{rng.randrange(10**6, 10**7)}-"
                f"{rng.randrange(10**6, 10**7)}"
            )
        if platform == "amazon":  # buyers write through Amazon's relay
            addr = f"{self._blob(16).lower().replace('/', 'q').replace('+', 'z')}"
            addr += "@marketplace.amazon.de"
        else:
            suffix = str(rng.randrange(1, 999)) if rng.random() < 0.5 else ""
            addr = f"{local}{suffix}@{rng.choice(lang.domains)}"
        order = Order(platform, number, lang, name, addr, product, price, ts)
        self.orders.append(order)
        return order

    # -- messages ------------------------------------------------------------------------
    def message(self, i: int) -> tuple[int, bytes]:
        """Message number `i`: its arrival time and its raw bytes (CRLF line ends)."""
        ts = self._ts(i)
        r = self.rng.random()
        if r < 0.28 or len(self.orders) < 3:
            head, parts = self._notice(i, ts, self._new_order(ts))
        elif r < 0.62 or not self.convs:
            head, parts = self._customer_new(i, ts)
        elif r < 0.95:
            head, parts = self._customer_reply(i, ts)
        else:
            head, parts = self._carrier(i, ts)
        out = [head.replace("\n", "\r\n").encode("utf-8")]
        for p in parts:
            out.append(p if isinstance(p, bytes) else p.replace("\n", "\r\n").encode("utf-8"))
        return ts, b"".join(out)

    def _pick_attachments(self, photo_bias: bool) -> list[Attachment]:
        rng = self.rng
        if rng.random() >= 0.13:
            return []
        if photo_bias and rng.random() < 0.85:
            pool = self.photos if rng.random() < 0.7 else self.shots
            count = 1 if rng.random() < 0.8 else 2
            if count == 2:  # two photos stay under about 1 MB together
                pool = pool[:4]
        else:
            pool = self.invoices
            count = 1
        weights = [1.0 / (k + 1) for k in range(len(pool))]  # small files more often
        return rng.choices(pool, weights, k=count)

    def _envelope(
        self,
        i: int,
        ts: int,
        from_hdr: str,
        sender: str,
        subject: str,
        mid: str,
        extra: str = "",
    ) -> str:
        sdomain = sender.rsplit("@", 1)[1]
        helo = f"mail-{self._blob(6).lower().replace('/', 'x').replace('+', 'y')}.{sdomain}"
        r = self.rng.randrange
        ip = f"{r(20, 127)}.{r(256)}.{r(256)}.{r(1, 255)}"
        trace = self._trace(ts, helo, ip).replace("{sender}", sender).replace("{sdomain}", sdomain)
        return (
            f"{trace}{self._provider(sdomain, ts, mid)}MIME-Version: 1.0\n"
            f"Date: {rfc2822_date(ts, self.rng.choice(_TZ))}\n"
            f"From: {from_hdr}\nTo: {SHOP} <{SHOP_ADDR}>\n"
            f"Subject: {subject}\nMessage-ID: {mid}\n{extra}"
        )

    def _multipart(
        self, head: str, text: str, html: str | None, lang: Lang, atts: list[Attachment]
    ) -> tuple[str, list[str | bytes]]:
        rng = self.rng
        alt_b = f"000000000000{self._blob(12).replace('/', '0').replace('+', '1')}"
        if html is None:
            body = _body_part(text, "plain", lang, rng)
        else:
            body = (
                f'Content-Type: multipart/alternative; boundary="{alt_b}"\n\n'
                f"--{alt_b}\n{_body_part(text, 'plain', lang, rng)}\n"
                f"--{alt_b}\n{_body_part(html, 'html', lang, rng)}\n--{alt_b}--\n"
            )
        if not atts:
            return head + body, []
        mix_b = f"000000000000{self._blob(12).replace('/', '2').replace('+', '3')}"
        parts: list[str | bytes] = [
            f'{head}Content-Type: multipart/mixed; boundary="{mix_b}"\n\n--{mix_b}\n{body}'
        ]
        for a in atts:
            parts.append(
                f'\n--{mix_b}\nContent-Type: {a.content_type}; name="{a.filename}"\n'
                f'Content-Disposition: attachment; filename="{a.filename}"\n'
                f"Content-Transfer-Encoding: base64\n"
                f"X-Attachment-Id: f_{self._blob(9).lower().replace('/', 'a')}\n\n"
            )
            parts.append(a.encoded)
        parts.append(f"\n--{mix_b}--\n")
        return "", parts

    def _customer_text(self, order: Order, kind: str) -> tuple[str, str]:
        rng = self.rng
        lang = order.lang
        fill = {
            "order": order.number,
            "product": order.product,
            "date": time.strftime("%d.%m.%Y", time.gmtime(order.ts)),
            "track": f"JJD{rng.randrange(10**14, 10**15)}",
        }
        if kind == "thanks":
            paras = [rng.choice(lang.thanks)]
        else:
            paras = [p.format(**fill) for p in rng.sample(lang.paragraphs, rng.randint(1, 3))]
        first = order.name.split()[0]
        text = (
            f"{rng.choice(lang.greetings)}\n\n" + "\n\n".join(paras) + f"\n\n"
            f"{rng.choice(lang.closings)}\n{order.name if rng.random() < 0.6 else first}\n"
        )
        if rng.random() < 0.25:
            text += (
                "\n--\nSent from my iPhone\n"
                if rng.random() < 0.5
                else "\n\nGet Outlook for Android\n"
            )
        html = (
            '<div dir="ltr">'
            + "".join(f"<div>{p}</div><div><br></div>" for p in text.split("\n\n"))
            + "</div>\n"
        )
        return text, html

    def _customer_new(self, i: int, ts: int) -> tuple[str, list[str | bytes]]:
        rng = self.rng
        order = rng.choice(self.orders)
        lang = order.lang
        fill = {"order": order.number, "product": order.product}
        subject = rng.choice(lang.subjects).format(**fill)
        mid = self._mid(i, order.addr.rsplit("@", 1)[1])
        text, html = self._customer_text(order, "ask")
        conv = Conversation(order, subject, [mid])
        conv.texts.append((text, order.name, order.addr, ts))
        self.convs.append(conv)
        head = self._envelope(
            i,
            ts,
            _address(order.name, order.addr, rng),
            order.addr,
            encode_word(subject, rng),
            mid,
        )
        use_html = rng.random() < 0.6
        atts = self._pick_attachments(photo_bias=True)
        return self._multipart(head, text, html if use_html else None, lang, atts)

    def _customer_reply(self, i: int, ts: int) -> tuple[str, list[str | bytes]]:
        rng = self.rng
        conv = rng.choice(self.convs)
        order = conv.order
        lang = order.lang
        # The shop answered from its Sent folder (not in this mailbox): quote it.
        fill = {
            "order": order.number,
            "product": order.product,
            "track": f"JJD{rng.randrange(10**14, 10**15)}",
        }
        answer_ts = max(conv.texts[-1][3] + 3600, ts - rng.randrange(3600, 86400 * 3))
        answer = (
            f"{rng.choice(lang.greetings)}\n\n{rng.choice(lang.answers).format(**fill)}\n\n"
            f"{rng.choice(lang.closings)}\nMaria\n{SHOP}\nhttps://{SHOP_DOMAIN}\n"
        )
        shop_mid = f"<{i:06d}.answer.{self.seed:x}@{SHOP_DOMAIN}>"
        conv.ids.append(shop_mid)
        conv.texts.append((answer, "Maria | " + SHOP, SHOP_ADDR, answer_ts))
        kind = "thanks" if rng.random() < 0.5 else "ask"
        text, _html = self._customer_text(order, kind)
        quoted = []
        prefix = "> "
        for body, name, addr, when in reversed(conv.texts):
            intro = lang.quote_intro.format(date=rfc2822_date(when, 60), name=name, addr=addr)
            lead = prefix[:-2] + " " if len(prefix) > 2 else ""
            quoted.append(
                f"\n{lead}{intro}\n"
                + "\n".join(prefix + line if line else prefix.rstrip() for line in body.split("\n"))
            )
            prefix = ">" + prefix
        full = text + "\n" + "".join(quoted) + "\n"
        html = (
            '<div dir="ltr">'
            + "".join(f"<div>{p}</div>" for p in text.split("\n\n"))
            + '</div><br><div class="gmail_quote"><blockquote class="gmail_quote" '
            'style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);'
            'padding-left:1ex">'
            + "<br>".join(full[len(text) :].split("\n"))
            + "</blockquote></div>\n"
        )
        mid = self._mid(i, order.addr.rsplit("@", 1)[1])
        refs = conv.ids[-10:]
        conv.ids.append(mid)
        conv.texts.append((text, order.name, order.addr, ts))
        subject = conv.subject
        prefix_word = lang.reply_prefix if rng.random() < 0.7 else "Re: "
        extra = f"In-Reply-To: {shop_mid}\nReferences: " + "\n ".join(refs) + "\n"
        head = self._envelope(
            i,
            ts,
            _address(order.name, order.addr, rng),
            order.addr,
            encode_word(prefix_word + subject, rng),
            mid,
            extra,
        )
        use_html = rng.random() < 0.6
        atts = self._pick_attachments(photo_bias=True)
        return self._multipart(head, full, html if use_html else None, lang, atts)

    def _items_html(self, order: Order, qty: int) -> str:
        row = (
            '<tr class="order-list__item"><td class="order-list__item__cell" '
            'style="padding-bottom:15px;border-bottom:1px solid #e5e5e5"><table><tr>'
            '<td><img src="https://cdn.shop.example/s/files/1/0{n}/products/{n}_compact_cropped'
            '.jpg?v=1675" align="left" width="60" height="60" class="order-list__product-image"'
            ' style="margin-right:15px;border-radius:8px;border:1px solid #e5e5e5"></td>'
            '<td class="order-list__product-description-cell" style="width:100%">'
            '<span class="order-list__item-title" style="font-size:16px;font-weight:600;'
            'line-height:1.4;color:#555">{title}&nbsp;&times;&nbsp;{qty}</span><br>'
            '<span class="order-list__item-variant" style="font-size:14px;color:#999">'
            'Default</span></td><td class="order-list__price-cell" style="white-space:nowrap">'
            '<p class="order-list__item-price" style="color:#555;line-height:150%;'
            'font-size:16px;font-weight:600;margin:0 0 0 15px" align="right">&euro;{price}</p>'
            "</td></tr></table></td></tr>\n"
        )
        rows = [
            row.format(n=self.rng.randrange(10**5), title=order.product, qty=qty, price=order.price)
        ]
        for _ in range(self.rng.randrange(0, 4)):
            title, price = self.rng.choice(PRODUCTS)
            rows.append(row.format(n=self.rng.randrange(10**5), title=title, qty=1, price=price))
        return "".join(rows)

    def _notice(self, i: int, ts: int, order: Order) -> tuple[str, list[str | bytes]]:
        rng = self.rng
        qty = rng.randint(1, 3)
        total = f"{float(order.price) * qty + 4.90:.2f}"
        if order.platform == "shopify":
            subject = f"[{SHOP}] Order {order.number} placed by {order.name}"
            from_hdr, sender = f"{SHOP} <mailer@shopify.com>", "mailer@shopify.com"
        elif order.platform == "woo":
            subject = f"[{SHOP}]: New order {order.number}"
            from_hdr = f'"{SHOP}" <wordpress@{SHOP_DOMAIN}>'
            sender = f"wordpress@{SHOP_DOMAIN}"
        else:
            subject = (
                f"Sold, ship now: {order.number} - {order.product}"
                if rng.random() < 0.5
                else f"Sold, ship now: {order.product}"
            )
            from_hdr = '"Amazon Seller Central" <seller-notification@amazon.com>'
            sender = "seller-notification@amazon.com"
        text = (
            f"Order {order.number}\n\nCustomer: {order.name} <{order.addr}>\n"
            f"Placed: {rfc2822_date(order.ts, 0)}\n\nOrder summary\n"
            f"  {order.product} x {qty}    EUR {order.price}\n"
            f"  Shipping                EUR 4.90\n  Total                   EUR {total}\n\n"
            f"Shipping address\n  {order.name}\n  Example Street {rng.randint(1, 120)}\n"
            f"  {rng.randint(10000, 99999)} Town\n\n"
            f"View order: https://admin.shop.example/orders/{rng.randrange(10**9, 10**10)}\n\n"
            "You received this email because you are the owner of the store. "
            "Manage notifications in Settings > Notifications.\n"
        )
        css = (
            "body,#bodyTable,#bodyCell{height:100%!important;margin:0;padding:0;width:100%!important}"
            "table{border-collapse:collapse}img,a img{border:0;outline:none;text-decoration:none}"
            "h1,h2,h3,h4,h5,h6{margin:0;padding:0}p{margin:1em 0;padding:0}a{word-wrap:break-word}"
            ".ReadMsgBody{width:100%}.ExternalClass{width:100%}"
            ".ExternalClass,.ExternalClass p,.ExternalClass span,.ExternalClass font,"
            ".ExternalClass td,.ExternalClass div{line-height:100%}"
            "@media (max-width:600px){.container{width:94%!important}"
            ".main-action-cell{float:none!important;margin-right:0!important}"
            ".secondary-action-cell{text-align:center;width:100%}"
            ".header{margin-top:20px!important;margin-bottom:2px!important}"
            ".shop-name__cell{display:block}.order-number__cell{display:block;text-align:left"
            "!important;margin-top:20px}.button{width:100%}.or{margin-right:0!important}"
            ".apple-wallet-button{text-align:center}.customer-info__item{display:block;"
            "width:100%!important}.spacer{display:none}.subtotal-spacer{display:none}}\n"
        ) * rng.randint(2, 5)
        html = (
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<title>' + subject + "</title>\n"
            '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\n'
            '<meta name="viewport" content="width=device-width">\n<style>\n'
            + css
            + "</style>\n</head>\n<body>\n"
            '<table class="body" style="height:100%!important;width:100%!important;'
            'border-spacing:0;border-collapse:collapse"><tr><td>\n'
            '<table class="header row" style="width:100%;border-spacing:0;'
            'border-collapse:collapse;margin:40px 0 20px"><tr><td class="header__cell">'
            f'<h1 class="shop-name__text" style="font-weight:normal;font-size:28px;'
            f'color:#333;margin:0"><a href="https://{SHOP_DOMAIN}">{SHOP}</a></h1>'
            f'</td><td class="order-number__cell" style="text-transform:uppercase;'
            f'font-size:14px;color:#999" align="right"><span class="order-number__text">'
            f"Order {order.number}</span></td></tr></table>\n"
            f'<h2 style="font-weight:normal;font-size:24px;margin:0 0 10px">'
            f"{order.name} placed a new order</h2>\n"
            '<table class="row items" style="width:100%;border-spacing:0">\n'
            + self._items_html(order, qty)
            + "</table>\n"
            f'<table class="row subtotal-lines"><tr><td>Subtotal</td><td align="right">'
            f'&euro;{order.price}</td></tr><tr><td>Shipping</td><td align="right">&euro;4.90'
            f'</td></tr><tr><td><strong>Total</strong></td><td align="right"><strong>'
            f"&euro;{total}</strong></td></tr></table>\n"
            f'<p class="disclaimer__subtext" style="color:#999;line-height:150%;font-size:14px">'
            f"If you have any questions, reply to this email or contact us at "
            f'<a href="mailto:{SHOP_ADDR}">{SHOP_ADDR}</a></p>\n'
            "</td></tr></table>\n</body>\n</html>\n"
        )
        mid = (
            f"<{order.platform}.{i:06d}.{self._blob(10).replace('/', '_')}@{sender.split('@')[1]}>"
        )
        extra = ""
        if order.platform == "shopify":
            extra = (
                f"List-Unsubscribe: <mailto:unsubscribe+{self._blob(20).replace('/', '_')}"
                "@shopify.com>\nX-Shopify-Email-Type: order_notification\n"
            )
        head = self._envelope(i, ts, from_hdr, sender, encode_word(subject, rng), mid, extra)
        en = LANGS[0]
        plain = _body_part(text, "plain", en, rng)
        qp_html = binascii.b2a_qp(html.encode("utf-8"), istext=True).decode("ascii")
        b = f"--==_mimepart_{self._blob(13).replace('/', '_')}"
        body = (
            f'Content-Type: multipart/alternative; boundary="{b[2:]}"\n\n'
            f"{b}\n{plain}\n{b}\nContent-Type: text/html; charset=UTF-8\n"
            f"Content-Transfer-Encoding: quoted-printable\n\n{qp_html}\n{b}--\n"
        )
        if order.platform == "woo" and rng.random() < 0.15:
            inv = rng.choice(self.invoices)
            mix = f"mixed_{self._blob(14).replace('/', '_')}"
            return "", [
                f'{head}Content-Type: multipart/mixed; boundary="{mix}"\n\n--{mix}\n{body}\n'
                f'--{mix}\nContent-Type: application/pdf; name="{inv.filename}"\n'
                f'Content-Disposition: attachment; filename="{inv.filename}"\n'
                "Content-Transfer-Encoding: base64\n\n",
                inv.encoded,
                f"\n--{mix}--\n",
            ]
        return head + body, []

    def _carrier(self, i: int, ts: int) -> tuple[str, list[str | bytes]]:
        rng = self.rng
        order = rng.choice(self.orders)
        track = f"00340434{rng.randrange(10**11, 10**12)}"
        subject = f"Ihre DHL Sendung {track} wurde zugestellt"
        text = (
            f"Guten Tag,\n\nIhre Sendung {track} (Referenz {order.number}) wurde heute "
            f"erfolgreich zugestellt.\nEmpfänger: {order.name}\n\nSendungsverfolgung: "
            f"https://www.dhl.de/de/privatkunden/pakete-empfangen/verfolgen.html?piececode={track}"
            "\n\nIhr DHL Team\n\nDies ist eine automatisch versendete Nachricht.\n"
        )
        html = (
            "<html><body>" + "".join(f"<p>{p}</p>" for p in text.split("\n\n")) + "</body></html>\n"
        )
        mid = f"<{self._blob(24).replace('/', '_')}.{i}@dhl.de>"
        head = self._envelope(i, ts, "DHL Paket <noreply@dhl.de>", "noreply@dhl.de", subject, mid)
        return self._multipart(head, text, html, LANGS[1], [])


def generate_dated(n: int, seed: int = 0) -> Iterator[tuple[int, bytes]]:
    """`n` messages in arrival order, each with its arrival time (Unix seconds)."""
    gen = MailGenerator(n, seed)
    for i in range(n):
        yield gen.message(i)


def generate(n: int, seed: int = 0) -> Iterator[bytes]:
    """`n` realistic shop-support messages as raw RFC 5322 bytes, the same for the same seed."""
    for _ts, raw in generate_dated(n, seed):
        yield raw


def _main() -> None:
    import argparse
    import statistics
    import sys

    p = argparse.ArgumentParser(description="Generate support mail; print size statistics.")
    p.add_argument("--n", type=int, default=2000)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--dump", type=int, default=None, help="print message number N and stop")
    args = p.parse_args()
    t0 = time.perf_counter()
    sizes = []
    for k, raw in enumerate(generate(args.n, args.seed)):
        if args.dump == k:
            sys.stdout.buffer.write(raw)
            return
        sizes.append(len(raw))
    dt = time.perf_counter() - t0
    sizes.sort()
    print(
        f"{len(sizes)} messages in {dt:.2f} s ({len(sizes) / dt:.0f} msg/s), "
        f"{sum(sizes) / 1e6:.1f} MB; median {statistics.median(sizes) / 1024:.1f} KB, "
        f"p10 {sizes[len(sizes) // 10] / 1024:.1f} KB, p90 {sizes[len(sizes) * 9 // 10] / 1024:.1f}"
        f" KB, max {sizes[-1] / 1024:.0f} KB; "
        f"3-30 KB: {sum(3072 <= s <= 30720 for s in sizes) / len(sizes):.0%}, "
        f">100 KB: {sum(s > 102400 for s in sizes) / len(sizes):.0%}"
    )


if __name__ == "__main__":
    _main()
