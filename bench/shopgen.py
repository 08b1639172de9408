"""Shop support mail with ground truth: Maildir++ (INBOX and .Sent) plus truth.jsonl, seeded."""
# ruff: noqa: RUF001  (Armenian and Devanagari text is meant to be here)

from __future__ import annotations

import argparse
import base64
import binascii
import json
import random
import sys
import time
from collections import Counter, deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.mailgen import encode_word, rfc2822_date  # noqa: E402

SHOP_NAME = "My Shop"
SHOP_DOMAIN = "myshop.example"
SUPPORT = f"support@{SHOP_DOMAIN}"
ORDERS = f"orders@{SHOP_DOMAIN}"
SHOP_ADDRESSES = (SUPPORT, ORDERS)
MERCHANT_FIRST = "Maria"
SHOP_SIGNATURE = f"{MERCHANT_FIRST}\n{SHOP_NAME} · https://{SHOP_DOMAIN} · +49 30 901820"
RETURN_ADDRESS = "Lagerstraße 5, 12057 Berlin, Germany"
START_TS = 1_577_836_800  # 2020-01-01T00:00:00Z
MSGS_PER_DAY = 60  # a small shop's mailbox: the time span grows with n, the density does not
DAY = 86_400

KINDS = ("notice", "customer", "merchant", "presales", "marketplace", "list")
PLATFORMS = (
    "shopify",
    "woocommerce",
    "magento",
    "opencart",
    "prestashop",
    "amazon",
    "etsy",
    "ebay",
)
OWN_STORE = ("shopify", "woocommerce", "magento", "opencart", "prestashop")
OWN_WEIGHTS = (0.40, 0.26, 0.12, 0.11, 0.11)
# Every `hard` label the generator gives; each appears at n >= ~150 (the first stories force them).
HARD = (
    "none",  # customer mail in its own thread, the order number in the subject
    "body-number",  # customer mail, the order number in the body only (with distractors)
    "notice-subject-number",  # platform notice with the order number in the subject
    "notice-body-number",  # platform notice whose subject has no number (Amazon, Etsy, Magento)
    "shipping-notice",  # the platform's shipping / completion notice
    "merchant-reply",  # the merchant's reply, in Sent, In-Reply-To/References to the customer
    "merchant-first",  # the merchant starts a thread about an order (Sent, no In-Reply-To)
    "no-number",  # new thread, no order number; the customer has exactly one (recent) order
    "other-address",  # customer replies from another address, in the thread (References)
    "no-references",  # "Re:"/"AW:" without References/In-Reply-To, order number in the subject
    "no-references-quoted",  # as above, the order number only in the quoted text
    "reply-to-confirmation",  # reply to the platform's confirmation (its id is not in the box)
    "second-order",  # new thread about the customer's second, still open, order
    "new-order-in-old-thread",  # reply in the first order's thread about the second order
    "item-number",  # eBay buyer message naming only the item number
    "marketplace-message",  # Amazon / Etsy buyer message through the platform's relay
    "presales",  # a question without an order: its own case (its thread)
    "presales-before-order",  # the same, from someone who orders a few days later
    "list-thread",  # mailing-list thread
    "newsletter",  # supplier newsletter, each its own case
    "spam",  # spam and phishing, each its own case
)
_CONVERSATION_CASES = ("other-address", "no-references", "no-references-quoted", "body-number")
LANG_CODES = ("en", "de", "fi", "lv", "hi", "hy")
LANG_WEIGHTS = (0.30, 0.20, 0.13, 0.12, 0.13, 0.12)

PRODUCTS = (
    ("Rose Face Serum 30 ml", 2990, "RFS-30"),
    ("Argan Hair Oil 100 ml", 1850, "AHO-100"),
    ("Shea Butter Hand Cream 75 ml", 995, "SHC-75"),
    ("Lavender Soap Bar", 640, "LSB-1"),
    ("Vitamin C Night Cream 50 ml", 3400, "VCN-50"),
    ("Cedar Beard Oil 50 ml", 2100, "CBO-50"),
    ("Refill Pouch Hand Soap 500 ml", 1490, "RPH-500"),
    ("Bamboo Toothbrush, pack of 4", 1120, "BTB-4"),
    ("Electric Milk Frother", 2490, "EMF-2"),
    ("Glass Soap Dispenser 300 ml", 1650, "GSD-300"),
    ("Ceramic Oil Burner", 1990, "COB-1"),
    ("Nitrile Gloves, box of 100", 1290, "NGL-100"),
)


# ---------------------------------------------------------------------------------------------
# Languages


@dataclass(frozen=True, slots=True)
class Topic:
    """One reason to write: subjects with and without the order number, body, merchant answer."""

    subj_num: tuple[str, ...]
    subj_plain: tuple[str, ...]
    body: str
    answer: str


@dataclass(frozen=True, slots=True)
class Tongue:
    """What customers writing in one language say, and how their mail programs quote."""

    code: str
    first_m: list[str]  # "Display" or "Display|ascii"
    first_f: list[str]
    last_m: list[str]
    domains: tuple[str, ...]
    work_domains: tuple[str, ...]
    tz: tuple[int, ...]  # minutes east of UTC
    greet: tuple[str, ...]
    close: tuple[str, ...]
    mgreet: tuple[str, ...]  # the merchant's greeting, {first}
    reply_prefixes: tuple[str, ...]
    topics: tuple[Topic, ...]
    order_sentence: tuple[str, ...]  # {o}
    merchant_ref: str  # {o}
    thanks: tuple[str, ...]
    followup: tuple[str, ...]
    presales_subjects: tuple[str, ...]
    presales_bodies: tuple[str, ...]
    presales_answers: tuple[str, ...]
    new_order_in_old: tuple[str, ...]  # {o} = the new order
    other_address: str
    merchant_first: tuple[str, str]  # subject, body ({o}, {p})
    merchant_first_answer: str
    distractors: tuple[str, ...]
    no_number_tail: str  # "I only ordered once, a few days ago"
    quote_intro: str  # {date} {time} {name} {addr}
    date_style: str  # "en" | "dot" | "slash"
    city: tuple[str, ...]
    street: tuple[str, ...]
    postcode: str  # a pattern: 9 = digit, A = letter
    phone: str
    currency: str  # "{v}" pattern
    last_f: list[str] | None = None  # Latvian women's surnames differ


EN = Tongue(
    code="en",
    first_m=[
        "James",
        "Liam",
        "Noah",
        "Oliver",
        "Henry",
        "Mason",
        "Jack",
        "Harry",
        "George",
        "Thomas",
        "Daniel",
        "Samuel",
    ],
    first_f=[
        "Emma",
        "Olivia",
        "Ava",
        "Chloe",
        "Grace",
        "Sophie",
        "Jane",
        "Emily",
        "Lucy",
        "Hannah",
        "Amelia",
        "Isla",
    ],
    last_m=[
        "Johnson",
        "Smith",
        "Brown",
        "Davis",
        "Wilson",
        "Taylor",
        "O'Brien",
        "Clarke",
        "Walker",
        "Hughes",
        "Doe",
        "Turner",
        "Evans",
        "Wright",
        "Roberts",
        "Patel",
    ],
    domains=(
        "gmail.com",
        "outlook.com",
        "yahoo.com",
        "icloud.com",
        "hotmail.co.uk",
        "fastmail.com",
    ),
    work_domains=("acme-corp.example", "brightlabs.example", "northgate.example"),
    tz=(0, 60, -300, -240),
    greet=("Hi,", "Hello,", "Good morning,", "Dear My Shop team,"),
    close=("Best regards", "Thanks", "Kind regards", "Cheers"),
    mgreet=("Hi {first},", "Dear {first},", "Hello {first},"),
    reply_prefixes=("Re: ", "Re: ", "RE: "),
    topics=(
        Topic(
            ("Where is my order {o}?", "Order {o} not arrived yet"),
            ("Where is my parcel?", "Delivery question"),
            "I ordered the {p} on {date} and it still has not arrived. The tracking page has not "
            "changed for five days. Could you please check where it is?",
            "Thank you for your message. Your parcel left our warehouse on {date2}; the tracking "
            "number is {track}. It should arrive within two working days.",
        ),
        Topic(
            ("Question about order {o}", "How to use the {p} (order {o})"),
            ("How do I use the {p}?", "Question about the {p}"),
            "The {p} came yesterday, thank you. How often should I use it, and can I combine it "
            "with other products? The leaflet only says 'as needed'.",
            "Thank you for your question. Use the {p} once a day, in the evening. You can combine "
            "it with everything else from our range.",
        ),
        Topic(
            ("Order {o} arrived damaged", "Problem with order {o}"),
            ("The {p} is broken", "Damaged parcel"),
            "Unfortunately the {p} arrived broken: the pump does not work and the bottle leaked "
            "all over the box. Could you send a replacement?",
            "I am very sorry about that. I have sent a replacement {p} today at no cost; you do "
            "not need to return the broken one.",
        ),
        Topic(
            ("Refills for order {o}", "Reorder: {o}"),
            ("Refills for the {p}", "Do you sell refills?"),
            "I love the {p}. Do you sell refills? I would like two more, to the same address as "
            "last time.",
            "Thank you! Refills of the {p} are in the shop now, {price} each; I can reserve two "
            "for you.",
        ),
        Topic(
            ("Return for order {o}", "Returning order {o}"),
            ("I would like to return the {p}", "Return request"),
            "I would like to return the {p}, it is not what I expected. How do I send it back, "
            "and will I get a return label?",
            "No problem. Please send the {p} back within 30 days to: My Shop, Returns, {addr}. "
            "I will refund you as soon as it arrives.",
        ),
    ),
    order_sentence=("My order number is {o}.", "This is about order {o}.", "(Order {o})"),
    merchant_ref="I have looked up your order {o}.",
    thanks=(
        "Thanks for the quick answer, the parcel came today!",
        "Thank you, that works for me.",
        "Great, I have sent it back.",
    ),
    followup=(
        "It still has not arrived, could you check again please?",
        "Sorry, one more question: can I also get a bag for the {p}?",
    ),
    presales_subjects=(
        "Question before ordering",
        "Do you ship to the UK?",
        "Bulk order enquiry",
        "Is the {p} vegan?",
    ),
    presales_bodies=(
        "Before I order: do you ship to the UK, and how much is shipping for two bottles of the "
        "{p} to {postcode} {city}? I saw {price} on your site.",
        "Is the {p} suitable for sensitive skin? I am allergic to nuts. You can also call me on "
        "{phone}.",
        "We would like to order 40 pieces of the {p} (SKU {sku}) for our spa. Do you give a "
        "discount on quantities like that?",
    ),
    presales_answers=(
        "Yes, we ship to the UK; shipping is {price}. The {p} is in stock.",
        "The {p} contains no nut oils; the full list of ingredients is on the product page.",
    ),
    new_order_in_old=(
        "One more thing: I placed a new order, {o}, yesterday. Could you send it together with "
        "the replacement?",
        "By the way, about my new order {o}: could you change the delivery address to {street}, "
        "{postcode} {city}?",
    ),
    other_address="(I am writing from my work address.)",
    merchant_first=(
        "Your order {o}: a question about the {p}",
        "the {p} you ordered is out of stock for a week. Shall I send the rest of the order now "
        "and the {p} later, or wait and send everything together?",
    ),
    merchant_first_answer="Please send everything together, no rush.",
    distractors=(
        "My phone number is {phone}.",
        "Delivery address: {street}, {postcode} {city}.",
        "I paid {price} on {date}.",
        "The tracking number I got is {track}.",
        "The box says {sku}.",
        "Your invoice {invoice} says something else.",
        "I have been buying from you since {year}.",
    ),
    no_number_tail="I only ordered from you once, a few days ago.",
    quote_intro="On {date} at {time}, {name} <{addr}> wrote:",
    date_style="en",
    city=("London", "Manchester", "Leeds", "Bristol"),
    street=("12 High Street", "221B Baker Street", "7 Mill Lane", "48 Station Road"),
    postcode="@# #@@",
    phone="+44 7700 900###",
    currency="£{v}",
)

DE = Tongue(
    code="de",
    first_m=[
        "Jürgen",
        "Lukas",
        "Maximilian",
        "Jörg",
        "Felix",
        "Paul",
        "Jonas",
        "Stefan",
        "Thomas",
        "Matthias",
    ],
    first_f=[
        "Anna",
        "Sophie",
        "Lena",
        "Käthe",
        "Marie",
        "Julia",
        "Sabine",
        "Ursula",
        "Laura",
        "Jana",
    ],
    last_m=[
        "Müller",
        "Schäfer",
        "Weiß",
        "Köhler",
        "Groß",
        "Bäcker",
        "Schmidt",
        "Fischer",
        "Wagner",
        "Becker",
        "Hoffmann",
        "Schröder",
        "Neumann",
        "Krüger",
        "Böhm",
    ],
    domains=("web.de", "gmx.de", "t-online.de", "gmail.com", "posteo.de"),
    work_domains=("firma-schulz.example", "stadtwerke-nord.example", "mueller-gmbh.example"),
    tz=(60, 120),
    greet=("Hallo,", "Guten Tag,", "Sehr geehrte Damen und Herren,", "Liebes My-Shop-Team,"),
    close=("Viele Grüße", "Mit freundlichen Grüßen", "Beste Grüße", "LG"),
    mgreet=("Hallo {first},", "Guten Tag {first},", "Liebe(r) {first},"),
    reply_prefixes=("AW: ", "AW: ", "Re: ", "Aw: "),
    topics=(
        Topic(
            ("Wo bleibt meine Bestellung {o}?", "Bestellung {o} noch nicht angekommen"),
            ("Wo bleibt mein Paket?", "Frage zur Lieferung"),
            "ich habe am {date} {p} bestellt, aber das Paket ist immer noch nicht da. Die "
            "Sendungsverfolgung zeigt seit fünf Tagen keine Änderung. Können Sie bitte nachsehen?",
            "vielen Dank für Ihre Nachricht. Ihr Paket hat unser Lager am {date2} verlassen, die "
            "Sendungsnummer ist {track}. Es sollte in zwei Werktagen ankommen.",
        ),
        Topic(
            ("Frage zu Bestellung {o}", "Anwendung {p} (Bestellung {o})"),
            ("Wie verwende ich {p}?", "Frage zu {p}"),
            "{p} ist gestern angekommen, danke. Wie oft soll ich es verwenden, und kann ich es "
            "mit anderen Produkten kombinieren? Auf dem Beipackzettel steht nur 'nach Bedarf'.",
            "danke für Ihre Frage. Verwenden Sie {p} einmal täglich am Abend. Sie können es mit "
            "allen anderen Produkten aus unserem Sortiment kombinieren.",
        ),
        Topic(
            ("Bestellung {o} beschädigt angekommen", "Problem mit Bestellung {o}"),
            ("{p} ist kaputt", "Beschädigtes Paket"),
            "leider ist {p} kaputt angekommen: Die Pumpe funktioniert nicht und die Flasche ist im "
            "Karton ausgelaufen. Können Sie mir bitte Ersatz schicken?",
            "das tut mir sehr leid. Ich habe Ihnen heute kostenlos Ersatz für {p} geschickt; das "
            "kaputte Stück müssen Sie nicht zurückschicken.",
        ),
        Topic(
            ("Nachfüllpackung zu Bestellung {o}", "Nachbestellung {o}"),
            ("Nachfüllpackungen für {p}", "Gibt es Nachfüllpackungen?"),
            "ich bin begeistert von {p}. Gibt es dafür Nachfüllpackungen? Ich hätte gern zwei "
            "Stück, an dieselbe Adresse wie beim letzten Mal.",
            "vielen Dank! Nachfüllpackungen für {p} sind jetzt im Shop, {price} pro Stück; ich "
            "kann Ihnen zwei reservieren.",
        ),
        Topic(
            ("Rücksendung Bestellung {o}", "Retoure zu Bestellung {o}"),
            ("Ich möchte {p} zurückschicken", "Rücksendung"),
            "ich möchte {p} zurückschicken, es entspricht nicht meinen Erwartungen. Wie läuft die "
            "Rücksendung ab, und bekomme ich ein Rücksendeetikett?",
            "kein Problem. Bitte schicken Sie {p} innerhalb von 30 Tagen an: My Shop, Retouren, "
            "{addr}. Ich erstatte den Betrag, sobald das Paket da ist.",
        ),
    ),
    order_sentence=(
        "Meine Bestellnummer ist {o}.",
        "Es geht um Bestellung {o}.",
        "(Bestellung {o})",
    ),
    merchant_ref="Ich habe Ihre Bestellung {o} nachgesehen.",
    thanks=(
        "Vielen Dank für die schnelle Antwort, das Paket ist heute gekommen!",
        "Danke, so machen wir es.",
        "Prima, ich habe es zurückgeschickt.",
    ),
    followup=(
        "Es ist immer noch nicht angekommen, könnten Sie bitte noch einmal nachsehen?",
        "Noch eine Frage: Kann ich zu {p} auch einen Beutel bekommen?",
    ),
    presales_subjects=(
        "Frage vor der Bestellung",
        "Liefern Sie nach Österreich?",
        "Anfrage Großbestellung",
        "Ist {p} vegan?",
    ),
    presales_bodies=(
        "bevor ich bestelle: Liefern Sie nach Österreich, und was kostet der Versand für zwei "
        "Flaschen {p} nach {postcode} {city}? Auf Ihrer Seite steht {price}.",
        "ist {p} für empfindliche Haut geeignet? Ich habe eine Nussallergie. Sie erreichen mich "
        "auch unter {phone}.",
        "wir möchten 40 Stück {p} (Art.-Nr. {sku}) für unser Spa bestellen. Gibt es bei solchen "
        "Mengen Rabatt?",
    ),
    presales_answers=(
        "ja, wir liefern nach Österreich; der Versand kostet {price}. {p} ist auf Lager.",
        "{p} enthält keine Nussöle; die vollständige Liste der Inhaltsstoffe steht auf der "
        "Produktseite.",
    ),
    new_order_in_old=(
        "Noch etwas: Ich habe gestern eine neue Bestellung aufgegeben, {o}. Könnten Sie die "
        "zusammen mit dem Ersatz schicken?",
        "Übrigens, zu meiner neuen Bestellung {o}: Könnten Sie die Lieferadresse auf {street}, "
        "{postcode} {city} ändern?",
    ),
    other_address="(Ich schreibe von meiner Arbeitsadresse.)",
    merchant_first=(
        "Ihre Bestellung {o}: Frage zu {p}",
        "{p} aus Ihrer Bestellung ist eine Woche lang nicht lieferbar. Soll ich den Rest jetzt "
        "schicken und {p} später, oder alles zusammen?",
    ),
    merchant_first_answer="Bitte schicken Sie alles zusammen, es eilt nicht.",
    distractors=(
        "Meine Telefonnummer: {phone}.",
        "Lieferadresse: {street}, {postcode} {city}.",
        "Ich habe am {date} {price} bezahlt.",
        "Die Sendungsnummer lautet {track}.",
        "Auf dem Karton steht {sku}.",
        "In Ihrer Rechnung {invoice} steht etwas anderes.",
        "Ich kaufe seit {year} bei Ihnen.",
    ),
    no_number_tail="Ich habe erst einmal bei Ihnen bestellt, vor ein paar Tagen.",
    quote_intro="Am {date} um {time} schrieb {name} <{addr}>:",
    date_style="dot",
    city=("Berlin", "München", "Köln", "Leipzig"),
    street=("Hauptstraße 12", "Gartenweg 3a", "Lindenallee 48", "Schillerstraße 7"),
    postcode="#####",
    phone="+49 1## #######",
    currency="{v} €",
)

FI = Tongue(
    code="fi",
    first_m=["Mikko", "Jussi", "Timo", "Ville", "Jyrki", "Antti", "Pekka", "Janne"],
    first_f=["Aino", "Sanna", "Eeva", "Päivi", "Heli", "Liisa", "Riikka", "Satu"],
    last_m=[
        "Virtanen",
        "Mäkinen",
        "Häkkinen",
        "Järvinen",
        "Nieminen",
        "Lähteenmäki",
        "Korhonen",
        "Koskinen",
        "Heikkinen",
        "Laine",
        "Salonen",
        "Mäkelä",
    ],
    domains=("gmail.com", "hotmail.fi", "luukku.com", "kolumbus.fi", "outlook.com"),
    work_domains=("yritys-oy.example", "kunta.example"),
    tz=(120, 180),
    greet=("Hei,", "Moi,", "Hyvä asiakaspalvelu,", "Terve,"),
    close=("Ystävällisin terveisin", "Terveisin", "Kiittäen", "t."),
    mgreet=("Hei {first},", "Moi {first},"),
    reply_prefixes=("VS: ", "Re: ", "VS: "),
    topics=(
        Topic(
            ("Missä tilaukseni {o} on?", "Tilaus {o} ei ole vielä saapunut"),
            ("Missä pakettini on?", "Kysymys toimituksesta"),
            "tilasin tuotteen {p} {date}, mutta paketti ei ole vieläkään saapunut. Seuranta ei "
            "ole päivittynyt viiteen päivään. Voisitteko tarkistaa, missä se on?",
            "kiitos viestistäsi. Pakettisi lähti varastostamme {date2}, seurantanumero on {track}. "
            "Sen pitäisi saapua kahden arkipäivän kuluessa.",
        ),
        Topic(
            ("Kysymys tilauksesta {o}", "Tuotteen {p} käyttö (tilaus {o})"),
            ("Miten käytän tuotetta {p}?", "Kysymys tuotteesta {p}"),
            "{p} tuli eilen, kiitos. Kuinka usein sitä pitäisi käyttää, ja voiko sitä yhdistää "
            "muihin tuotteisiin? Ohjeessa lukee vain 'tarvittaessa'.",
            "kiitos kysymyksestä. Käytä tuotetta {p} kerran päivässä illalla. Sitä voi yhdistää "
            "kaikkiin muihin tuotteisiimme.",
        ),
        Topic(
            ("Tilaus {o} saapui rikkinäisenä", "Ongelma tilauksessa {o}"),
            ("{p} on rikki", "Vaurioitunut paketti"),
            "valitettavasti {p} saapui rikkinäisenä: pumppu ei toimi ja pullo oli vuotanut koko "
            "laatikkoon. Voisitteko lähettää uuden?",
            "olen todella pahoillani. Lähetin tänään uuden tuotteen {p} maksutta; rikkinäistä ei "
            "tarvitse palauttaa.",
        ),
        Topic(
            ("Täyttöpakkaukset tilaukseen {o}", "Lisätilaus {o}"),
            ("Täyttöpakkaukset tuotteeseen {p}", "Myyttekö täyttöpakkauksia?"),
            "pidän tuotteesta {p} todella paljon. Myyttekö siihen täyttöpakkauksia? Haluaisin "
            "kaksi, samaan osoitteeseen kuin viimeksi.",
            "kiitos! Täyttöpakkaukset tuotteeseen {p} ovat nyt kaupassa, {price} kappale; voin "
            "varata sinulle kaksi.",
        ),
        Topic(
            ("Palautus, tilaus {o}", "Tilauksen {o} palautus"),
            ("Haluaisin palauttaa tuotteen {p}", "Palautuspyyntö"),
            "haluaisin palauttaa tuotteen {p}, se ei ollut sitä mitä odotin. Miten palautus "
            "tehdään, ja saanko palautustarran?",
            "ei hätää. Lähetä {p} takaisin 30 päivän kuluessa osoitteeseen My Shop, Palautukset, "
            "{addr}. Palautan rahat heti kun paketti saapuu.",
        ),
    ),
    order_sentence=("Tilausnumeroni on {o}.", "Kyse on tilauksesta {o}.", "(Tilausnro {o})"),
    merchant_ref="Tarkistin tilauksesi {o}.",
    thanks=(
        "Kiitos nopeasta vastauksesta, paketti tuli tänään!",
        "Kiitos, tämä sopii minulle.",
        "Hienoa, lähetin sen takaisin.",
    ),
    followup=(
        "Se ei ole vieläkään saapunut, voisitteko tarkistaa uudelleen?",
        "Vielä yksi kysymys: saisinko tuotteeseen {p} myös pussin?",
    ),
    presales_subjects=(
        "Kysymys ennen tilausta",
        "Toimitatteko Suomeen?",
        "Tukkutilaus",
        "Onko {p} vegaaninen?",
    ),
    presales_bodies=(
        "ennen kuin tilaan: toimitatteko Suomeen, ja paljonko maksaa kahden pullon ({p}) "
        "toimitus osoitteeseen {postcode} {city}? Sivuillanne hinta oli {price}.",
        "sopiiko {p} herkälle iholle? Olen allerginen pähkinöille. Minut tavoittaa myös "
        "numerosta {phone}.",
        "haluaisimme tilata 40 kappaletta tuotetta {p} (tuotenro {sku}) kylpylällemme. Saako "
        "näin suuresta määrästä alennusta?",
    ),
    presales_answers=(
        "kyllä, toimitamme Suomeen; toimitus maksaa {price}. {p} on varastossa.",
        "{p} ei sisällä pähkinäöljyjä; täydellinen ainesosaluettelo on tuotesivulla.",
    ),
    new_order_in_old=(
        "Vielä yksi asia: tein eilen uuden tilauksen, {o}. Voisitteko lähettää sen korvaavan "
        "tuotteen kanssa?",
        "Muuten, uudesta tilauksestani {o}: voisitteko vaihtaa toimitusosoitteeksi {street}, "
        "{postcode} {city}?",
    ),
    other_address="(Kirjoitan työsähköpostistani.)",
    merchant_first=(
        "Tilauksesi {o}: kysymys tuotteesta {p}",
        "tilaamasi {p} on loppu viikon ajan. Lähetänkö muut tuotteet nyt ja tuotteen {p} "
        "myöhemmin, vai kaikki yhdessä?",
    ),
    merchant_first_answer="Lähettäkää kaikki yhdessä, ei kiirettä.",
    distractors=(
        "Puhelinnumeroni: {phone}.",
        "Toimitusosoite: {street}, {postcode} {city}.",
        "Maksoin {price} {date}.",
        "Seurantanumero on {track}.",
        "Laatikossa lukee {sku}.",
        "Laskussanne {invoice} lukee muuta.",
        "Olen ollut asiakkaanne vuodesta {year}.",
    ),
    no_number_tail="Olen tilannut teiltä vain kerran, muutama päivä sitten.",
    quote_intro="{name} <{addr}> kirjoitti {date} klo {time}:",
    date_style="dot",
    city=("Helsinki", "Tampere", "Turku", "Oulu"),
    street=("Mannerheimintie 12", "Hämeenkatu 3 B 14", "Aurakatu 8"),
    postcode="00###",
    phone="+358 4# ### ####",
    currency="{v} €",
)

LV = Tongue(
    code="lv",
    first_m=["Jānis", "Andris", "Mārtiņš", "Kristaps", "Edgars", "Artūrs", "Roberts", "Gints"],
    first_f=["Līga", "Ilze", "Ieva", "Dace", "Zane", "Anna", "Inese", "Kristīne"],
    last_m=[
        "Bērziņš",
        "Ozoliņš",
        "Krūmiņš",
        "Jansons",
        "Pētersons",
        "Kalniņš",
        "Liepiņš",
        "Zariņš",
        "Vītols",
        "Kļaviņš",
    ],
    last_f=[
        "Bērziņa",
        "Ozoliņa",
        "Krūmiņa",
        "Jansone",
        "Pētersone",
        "Kalniņa",
        "Liepiņa",
        "Zariņa",
        "Vītola",
        "Kļaviņa",
    ],
    domains=("inbox.lv", "gmail.com", "apollo.lv", "tvnet.lv"),
    work_domains=("sia-koks.example", "riga-birojs.example"),
    tz=(120, 180),
    greet=("Labdien,", "Sveiki,", "Labdien, cienījamie!"),
    close=("Ar cieņu", "Paldies", "Ar labiem vēlējumiem"),
    mgreet=("Labdien, {first}!", "Sveiki, {first}!"),
    reply_prefixes=("Atb.: ", "Re: ", "RE: "),
    topics=(
        Topic(
            ("Kur ir mans pasūtījums {o}?", "Pasūtījums {o} vēl nav saņemts"),
            ("Kur ir mana paka?", "Jautājums par piegādi"),
            "es pasūtīju {p} {date}, bet paka joprojām nav pienākusi. Izsekošanas informācija "
            "nav mainījusies piecas dienas. Vai jūs, lūdzu, varētu pārbaudīt, kur tā ir?",
            "paldies par ziņu. Jūsu paka atstāja mūsu noliktavu {date2}, izsekošanas numurs ir "
            "{track}. Tai vajadzētu pienākt divu darba dienu laikā.",
        ),
        Topic(
            ("Jautājums par pasūtījumu {o}", "Kā lietot {p} (pasūtījums {o})"),
            ("Kā lietot {p}?", "Jautājums par {p}"),
            "{p} pienāca vakar, paldies. Cik bieži tas jālieto, un vai to var kombinēt ar citiem "
            "produktiem? Instrukcijā rakstīts tikai 'pēc vajadzības'.",
            "paldies par jautājumu. Lietojiet {p} reizi dienā vakarā. To var kombinēt ar visiem "
            "citiem mūsu produktiem.",
        ),
        Topic(
            ("Pasūtījums {o} pienāca bojāts", "Problēma ar pasūtījumu {o}"),
            ("{p} ir salūzis", "Bojāta paka"),
            "diemžēl {p} pienāca bojāts: sūknītis nedarbojas, un pudele bija iztecējusi kastē. "
            "Vai varat, lūdzu, atsūtīt jaunu?",
            "ļoti atvainojos. Šodien bez maksas nosūtīju jums jaunu {p}; bojāto nav jāatgriež.",
        ),
        Topic(
            ("Papildinājumi pasūtījumam {o}", "Atkārtots pasūtījums {o}"),
            ("Papildinājumi {p}", "Vai pārdodat papildinājumus?"),
            "man ļoti patīk {p}. Vai jūs pārdodat tam papildinājumus? Es gribētu divus, uz to "
            "pašu adresi kā iepriekš.",
            "paldies! {p} papildinājumi tagad ir veikalā, {price} gabalā; varu jums rezervēt "
            "divus.",
        ),
        Topic(
            ("Atgriešana, pasūtījums {o}", "Pasūtījuma {o} atgriešana"),
            ("Vēlos atgriezt {p}", "Atgriešanas pieprasījums"),
            "es vēlos atgriezt {p}, tas nav tas, ko gaidīju. Kā notiek atgriešana, un vai "
            "saņemšu atgriešanas uzlīmi?",
            "nekādu problēmu. Lūdzu, nosūtiet {p} atpakaļ 30 dienu laikā uz: My Shop, Atgriešana, "
            "{addr}. Naudu atmaksāšu, tiklīdz paka pienāks.",
        ),
    ),
    order_sentence=(
        "Mans pasūtījuma numurs ir {o}.",
        "Runa ir par pasūtījumu {o}.",
        "(Pasūtījums Nr. {o})",
    ),
    merchant_ref="Es pārbaudīju jūsu pasūtījumu {o}.",
    thanks=(
        "Paldies par ātro atbildi, paka pienāca šodien!",
        "Paldies, tas man der.",
        "Lieliski, es to nosūtīju atpakaļ.",
    ),
    followup=(
        "Tā joprojām nav pienākusi, vai varētu, lūdzu, pārbaudīt vēlreiz?",
        "Vēl viens jautājums: vai pie {p} var saņemt arī maisiņu?",
    ),
    presales_subjects=(
        "Jautājums pirms pasūtīšanas",
        "Vai piegādājat uz Latviju?",
        "Vairumpasūtījums",
        "Vai {p} ir vegānisks?",
    ),
    presales_bodies=(
        "pirms pasūtu: vai piegādājat uz Latviju, un cik maksā divu pudeļu ({p}) piegāde uz "
        "{postcode} {city}? Jūsu lapā redzēju cenu {price}.",
        "vai {p} ir piemērots jutīgai ādai? Man ir alerģija pret riekstiem. Mani var sazvanīt "
        "arī pa tālruni {phone}.",
        "mēs vēlētos pasūtīt 40 gabalus {p} (preces kods {sku}) mūsu spa. Vai par tādu daudzumu "
        "ir atlaide?",
    ),
    presales_answers=(
        "jā, piegādājam uz Latviju; piegāde maksā {price}. {p} ir noliktavā.",
        "{p} nesatur riekstu eļļas; pilns sastāvdaļu saraksts ir produkta lapā.",
    ),
    new_order_in_old=(
        "Vēl kas: vakar veicu jaunu pasūtījumu, {o}. Vai varat to nosūtīt kopā ar aizvietojumu?",
        "Starp citu, par manu jauno pasūtījumu {o}: vai varat mainīt piegādes adresi uz "
        "{street}, {postcode} {city}?",
    ),
    other_address="(Rakstu no sava darba e-pasta.)",
    merchant_first=(
        "Jūsu pasūtījums {o}: jautājums par {p}",
        "jūsu pasūtītais {p} nedēļu nebūs pieejams. Vai sūtīt pārējo tagad un {p} vēlāk, vai "
        "visu kopā?",
    ),
    merchant_first_answer="Lūdzu, sūtiet visu kopā, nav steigas.",
    distractors=(
        "Mans tālrunis: {phone}.",
        "Piegādes adrese: {street}, {postcode} {city}.",
        "Samaksāju {price} {date}.",
        "Izsekošanas numurs ir {track}.",
        "Uz kastes rakstīts {sku}.",
        "Jūsu rēķinā {invoice} rakstīts citādi.",
        "Esmu jūsu klients kopš {year}. gada.",
    ),
    no_number_tail="Esmu pie jums pasūtījis tikai vienreiz, pirms dažām dienām.",
    quote_intro="{date} {time}, {name} <{addr}> rakstīja:",
    date_style="dot",
    city=("Rīga", "Jelgava", "Liepāja", "Daugavpils"),
    street=("Brīvības iela 12", "Elizabetes iela 3-14", "Tērbatas iela 48"),
    postcode="LV-####",
    phone="+371 2# ### ###",
    currency="{v} EUR",
)

HI = Tongue(
    code="hi",
    first_m=[
        "राहुल|rahul",
        "अमित|amit",
        "संजय|sanjay",
        "विकास|vikas",
        "अर्जुन|arjun",
        "रोहित|rohit",
        "सुरेश|suresh",
        "आदित्य|aditya",
    ],
    first_f=[
        "प्रिया|priya",
        "नेहा|neha",
        "अनीता|anita",
        "पूजा|pooja",
        "कविता|kavita",
        "दीपिका|deepika",
        "सुनीता|sunita",
        "अंजलि|anjali",
    ],
    last_m=[
        "शर्मा|sharma",
        "वर्मा|verma",
        "कुमार|kumar",
        "गुप्ता|gupta",
        "सिंह|singh",
        "पटेल|patel",
        "जोशी|joshi",
        "मेहता|mehta",
        "रेड्डी|reddy",
        "नायर|nair",
        "अग्रवाल|agarwal",
        "चौधरी|chaudhary",
    ],
    domains=("gmail.com", "rediffmail.com", "yahoo.co.in", "outlook.com"),
    work_domains=("infotech-pvt.example", "bharat-traders.example"),
    tz=(330,),
    greet=("नमस्ते,", "नमस्कार,", "प्रिय My Shop टीम,"),
    close=("धन्यवाद", "सादर", "शुभकामनाओं सहित"),
    mgreet=("नमस्ते {first} जी,", "प्रिय {first},"),
    reply_prefixes=("Re: ", "Re: ", "RE: "),
    topics=(
        Topic(
            ("मेरा ऑर्डर {o} कहाँ है?", "ऑर्डर {o} अभी तक नहीं आया"),
            ("मेरा पार्सल कहाँ है?", "डिलीवरी के बारे में सवाल"),
            "मैंने {date} को {p} ऑर्डर किया था, लेकिन पार्सल अभी तक नहीं आया है। ट्रैकिंग पाँच दिनों से "
            "नहीं बदली है। कृपया देखें कि यह कहाँ है?",
            "आपके संदेश के लिए धन्यवाद। आपका पार्सल {date2} को हमारे गोदाम से निकल चुका है, ट्रैकिंग "
            "नंबर {track} है। यह दो कार्य दिवसों में पहुँच जाना चाहिए।",
        ),
        Topic(
            ("ऑर्डर {o} के बारे में सवाल", "{p} का उपयोग कैसे करें (ऑर्डर {o})"),
            ("{p} का उपयोग कैसे करें?", "{p} के बारे में सवाल"),
            "{p} कल मिल गया, धन्यवाद। इसे कितनी बार इस्तेमाल करना चाहिए, और क्या इसे दूसरे उत्पादों के "
            "साथ मिला सकते हैं? पर्ची पर सिर्फ़ 'ज़रूरत के अनुसार' लिखा है।",
            "आपके सवाल के लिए धन्यवाद। {p} को दिन में एक बार, शाम को इस्तेमाल करें। इसे हमारे बाकी "
            "सभी उत्पादों के साथ इस्तेमाल कर सकते हैं।",
        ),
        Topic(
            ("ऑर्डर {o} टूटा हुआ मिला", "ऑर्डर {o} में समस्या"),
            ("{p} टूट गया है", "क्षतिग्रस्त पार्सल"),
            "दुर्भाग्य से {p} टूटा हुआ पहुँचा: पंप काम नहीं करता और बोतल पूरे डिब्बे में लीक हो गई। कृपया नया भेज दें?",
            "मुझे बहुत खेद है। मैंने आज मुफ़्त में नया {p} भेज दिया है; टूटा हुआ वापस भेजने की ज़रूरत नहीं है।",
        ),
        Topic(
            ("ऑर्डर {o} के लिए रीफ़िल", "दोबारा ऑर्डर {o}"),
            ("{p} के लिए रीफ़िल", "क्या आप रीफ़िल बेचते हैं?"),
            "मुझे {p} बहुत पसंद है। क्या आप इसके रीफ़िल बेचते हैं? मुझे दो और चाहिए, पिछली बार वाले पते पर।",
            "धन्यवाद! {p} के रीफ़िल अब दुकान में हैं, {price} प्रति पीस; मैं आपके लिए दो रख सकती हूँ।",
        ),
        Topic(
            ("ऑर्डर {o} की वापसी", "ऑर्डर {o} लौटाना है"),
            ("मैं {p} लौटाना चाहता हूँ", "वापसी का अनुरोध"),
            "मैं {p} लौटाना चाहता हूँ, यह वैसा नहीं है जैसी उम्मीद थी। वापसी कैसे करें, और क्या मुझे "
            "वापसी लेबल मिलेगा?",
            "कोई बात नहीं। कृपया {p} को 30 दिनों के भीतर इस पते पर भेजें: My Shop, Returns, {addr}। "
            "पार्सल मिलते ही मैं पैसे लौटा दूँगी।",
        ),
    ),
    order_sentence=("मेरा ऑर्डर नंबर {o} है।", "यह ऑर्डर {o} के बारे में है।", "(ऑर्डर नं. {o})"),
    merchant_ref="मैंने आपका ऑर्डर {o} देखा।",
    thanks=(
        "जल्दी जवाब के लिए धन्यवाद, पार्सल आज आ गया!",
        "धन्यवाद, यह मेरे लिए ठीक है।",
        "बढ़िया, मैंने इसे वापस भेज दिया है।",
    ),
    followup=(
        "यह अभी भी नहीं आया है, क्या आप फिर से देख सकते हैं?",
        "एक और सवाल: क्या {p} के साथ एक थैली भी मिल सकती है?",
    ),
    presales_subjects=(
        "ऑर्डर करने से पहले सवाल",
        "क्या आप भारत में डिलीवरी करते हैं?",
        "थोक ऑर्डर के बारे में",
        "क्या {p} वीगन है?",
    ),
    presales_bodies=(
        "ऑर्डर करने से पहले: क्या आप भारत में डिलीवरी करते हैं, और {postcode} {city} तक {p} की दो "
        "बोतलों का शिपिंग कितना होगा? आपकी साइट पर {price} लिखा है।",
        "क्या {p} संवेदनशील त्वचा के लिए ठीक है? मुझे मेवों से एलर्जी है। आप मुझे {phone} पर फ़ोन भी कर सकते हैं।",
        "हम अपने स्पा के लिए {p} (SKU {sku}) के 40 पीस ऑर्डर करना चाहते हैं। क्या इतनी मात्रा पर छूट मिलेगी?",
    ),
    presales_answers=(
        "जी हाँ, हम भारत में डिलीवरी करते हैं; शिपिंग {price} है। {p} स्टॉक में है।",
        "{p} में कोई मेवे का तेल नहीं है; पूरी सामग्री सूची उत्पाद पेज पर है।",
    ),
    new_order_in_old=(
        "एक बात और: मैंने कल एक नया ऑर्डर दिया है, {o}। क्या आप उसे बदले वाले सामान के साथ भेज सकते हैं?",
        "वैसे, मेरे नए ऑर्डर {o} के बारे में: क्या आप डिलीवरी का पता {street}, {postcode} {city} कर सकते हैं?",
    ),
    other_address="(मैं अपने ऑफ़िस के ईमेल से लिख रहा हूँ।)",
    merchant_first=(
        "आपका ऑर्डर {o}: {p} के बारे में सवाल",
        "आपने जो {p} ऑर्डर किया है वह एक हफ़्ते के लिए स्टॉक में नहीं है। क्या मैं बाकी सामान अभी भेज "
        "दूँ और {p} बाद में, या सब एक साथ भेजूँ?",
    ),
    merchant_first_answer="कृपया सब एक साथ भेज दें, कोई जल्दी नहीं है।",
    distractors=(
        "मेरा फ़ोन नंबर: {phone}।",
        "डिलीवरी का पता: {street}, {postcode} {city}।",
        "मैंने {date} को {price} का भुगतान किया।",
        "ट्रैकिंग नंबर {track} है।",
        "डिब्बे पर {sku} लिखा है।",
        "आपके इनवॉइस {invoice} में कुछ और लिखा है।",
        "मैं {year} से आपका ग्राहक हूँ।",
    ),
    no_number_tail="मैंने आपसे सिर्फ़ एक बार, कुछ दिन पहले ऑर्डर किया था।",
    quote_intro="{date} को {time} बजे {name} <{addr}> ने लिखा:",
    date_style="slash",
    city=("New Delhi", "Mumbai", "Bengaluru", "Pune"),
    street=("MG Road 12", "Park Street 48", "Linking Road 7"),
    postcode="######",
    phone="+91 9#### #####",
    currency="₹{v}",
)

HY = Tongue(
    code="hy",
    first_m=[
        "Արամ|aram",
        "Գոռ|gor",
        "Տիգրան|tigran",
        "Դավիթ|davit",
        "Հայկ|hayk",
        "Արմեն|armen",
        "Սարգիս|sargis",
        "Նարեկ|narek",
    ],
    first_f=[
        "Անի|ani",
        "Լուսինե|lusine",
        "Մարիամ|mariam",
        "Նարե|nare",
        "Աննա|anna",
        "Գայանե|gayane",
        "Սոնա|sona",
        "Լիլիթ|lilit",
    ],
    last_m=[
        "Պետրոսյան|petrosyan",
        "Հովհաննիսյան|hovhannisyan",
        "Սարգսյան|sargsyan",
        "Գրիգորյան|grigoryan",
        "Հարությունյան|harutyunyan",
        "Ավետիսյան|avetisyan",
        "Մկրտչյան|mkrtchyan",
        "Ղազարյան|ghazaryan",
        "Խաչատրյան|khachatryan",
        "Վարդանյան|vardanyan",
    ],
    domains=("mail.ru", "gmail.com", "yandex.ru", "mail.am"),
    work_domains=("arm-soft.example", "yerevan-trade.example"),
    tz=(240,),
    greet=("Բարև Ձեզ,", "Ողջույն,", "Հարգելի My Shop թիմ,"),
    close=("Շնորհակալություն", "Հարգանքով", "Լավագույն մաղթանքներով"),
    mgreet=("Հարգելի {first},", "Բարև Ձեզ, {first},"),
    reply_prefixes=("Re: ", "Re: ", "RE: "),
    topics=(
        Topic(
            ("Որտե՞ղ է իմ պատվերը {o}", "Պատվեր {o}-ը դեռ չի հասել"),
            ("Որտե՞ղ է իմ ծանրոցը", "Հարց առաքման մասին"),
            "Ես {date}-ին պատվիրել եմ {p}, բայց ծանրոցը դեռ չի հասել։ Հետևման տվյալները հինգ օր է "
            "չեն փոխվել։ Խնդրում եմ ստուգեք, թե որտեղ է այն։",
            "Շնորհակալություն Ձեր նամակի համար։ Ձեր ծանրոցը մեր պահեստից դուրս է եկել {date2}-ին, "
            "հետևման համարն է {track}։ Այն պետք է հասնի երկու աշխատանքային օրվա ընթացքում։",
        ),
        Topic(
            ("Հարց պատվեր {o}-ի մասին", "Ինչպե՞ս օգտագործել {p} (պատվեր {o})"),
            ("Ինչպե՞ս օգտագործել {p}", "Հարց {p}-ի մասին"),
            "{p}-ը երեկ հասավ, շնորհակալություն։ Որքա՞ն հաճախ պետք է այն օգտագործել, և կարելի՞ է "
            "համատեղել այլ միջոցների հետ։ Ներդիրում գրված է միայն «ըստ անհրաժեշտության»։",
            "Շնորհակալություն հարցի համար։ Օգտագործեք {p}-ը օրը մեկ անգամ, երեկոյան։ Այն կարելի է "
            "համատեղել մեր մնացած բոլոր միջոցների հետ։",
        ),
        Topic(
            ("Պատվեր {o}-ը հասավ վնասված", "Խնդիր պատվեր {o}-ի հետ"),
            ("{p}-ը կոտրված է", "Վնասված ծանրոց"),
            "Ցավոք, {p}-ը հասավ կոտրված. պոմպը չի աշխատում, և շիշը հոսել էր ամբողջ տուփի մեջ։ "
            "Կարո՞ղ եք նորը ուղարկել։",
            "Շատ եմ ցավում։ Այսօր անվճար ուղարկեցի նոր {p}; կոտրվածը վերադարձնել պետք չէ։",
        ),
        Topic(
            ("Լրացման փաթեթներ պատվեր {o}-ի համար", "Կրկնակի պատվեր {o}"),
            ("Լրացման փաթեթներ {p}-ի համար", "Վաճառո՞ւմ եք լրացման փաթեթներ"),
            "Ինձ շատ է դուր գալիս {p}-ը։ Վաճառո՞ւմ եք դրա լրացման փաթեթներ։ Կցանկանայի ևս "
            "երկուսը, նույն հասցեով, ինչ նախորդ անգամ։",
            "Շնորհակալություն։ {p}-ի լրացման փաթեթներն արդեն խանութում են, {price} հատը; կարող եմ "
            "երկուսը պահել Ձեզ համար։",
        ),
        Topic(
            ("Վերադարձ, պատվեր {o}", "Պատվեր {o}-ի վերադարձ"),
            ("Ուզում եմ վերադարձնել {p}-ը", "Վերադարձի հայտ"),
            "Ուզում եմ վերադարձնել {p}-ը, այն այն չէ, ինչ սպասում էի։ Ինչպե՞ս կատարել "
            "վերադարձը, և կստանա՞մ վերադարձի պիտակ։",
            "Խնդիր չկա։ Խնդրում եմ {p}-ը 30 օրվա ընթացքում ուղարկեք հետևյալ հասցեով՝ My Shop, "
            "Returns, {addr}։ Գումարը կվերադարձնեմ, հենց ծանրոցը հասնի։",
        ),
    ),
    order_sentence=("Իմ պատվերի համարն է {o}։", "Խոսքը պատվեր {o}-ի մասին է։", "(Պատվեր № {o})"),
    merchant_ref="Ստուգեցի Ձեր պատվեր {o}-ը։",
    thanks=(
        "Շնորհակալություն արագ պատասխանի համար, ծանրոցն այսօր հասավ։",
        "Շնորհակալություն, դա ինձ հարմար է։",
        "Հիանալի է, հետ ուղարկեցի։",
    ),
    followup=(
        "Այն դեռ չի հասել, կարո՞ղ եք նորից ստուգել։",
        "Եվս մեկ հարց. կարո՞ղ եմ {p}-ի հետ նաև պայուսակ ստանալ։",
    ),
    presales_subjects=(
        "Հարց պատվիրելուց առաջ",
        "Առաքո՞ւմ եք Հայաստան",
        "Մեծածախ պատվեր",
        "{p}-ը վեգա՞ն է",
    ),
    presales_bodies=(
        "Պատվիրելուց առաջ. առաքո՞ւմ եք Հայաստան, և որքա՞ն կարժենա {p}-ի երկու շշի առաքումը "
        "{postcode} {city}։ Ձեր կայքում տեսա {price}։",
        "{p}-ը հարմա՞ր է զգայուն մաշկի համար։ Ես ընկույզի նկատմամբ ալերգիա ունեմ։ Կարող եք նաև "
        "զանգել {phone} համարով։",
        "Ցանկանում ենք պատվիրել 40 հատ {p} (SKU {sku}) մեր սպա սրահի համար։ Նման քանակի համար "
        "զեղչ կա՞։",
    ),
    presales_answers=(
        "Այո, առաքում ենք Հայաստան. առաքումն արժե {price}։ {p}-ը առկա է։",
        "{p}-ը ընկույզի յուղեր չի պարունակում. բաղադրիչների ամբողջական ցանկը ապրանքի էջում է։",
    ),
    new_order_in_old=(
        "Եվս մի բան. երեկ նոր պատվեր եմ կատարել՝ {o}։ Կարո՞ղ եք այն ուղարկել փոխարինողի հետ "
        "միասին։",
        "Ի դեպ, իմ նոր պատվեր {o}-ի մասին. կարո՞ղ եք առաքման հասցեն փոխել {street}, {postcode} "
        "{city}։",
    ),
    other_address="(Գրում եմ աշխատանքային հասցեից։)",
    merchant_first=(
        "Ձեր պատվեր {o}-ը. հարց {p}-ի մասին",
        "Ձեր պատվիրած {p}-ը մեկ շաբաթ առկա չի լինի։ Ուղարկե՞մ մնացածը հիմա, իսկ {p}-ը՝ ավելի "
        "ուշ, թե՞ ամեն ինչ միասին։",
    ),
    merchant_first_answer="Խնդրում եմ ամեն ինչ միասին ուղարկեք, շտապ չէ։",
    distractors=(
        "Իմ հեռախոսահամարը՝ {phone}։",
        "Առաքման հասցե՝ {street}, {postcode} {city}։",
        "{date}-ին վճարել եմ {price}։",
        "Հետևման համարն է {track}։",
        "Տուփի վրա գրված է {sku}։",
        "Ձեր {invoice} հաշիվ-ապրանքագրում այլ բան է գրված։",
        "Ձեր հաճախորդն եմ {year} թվականից։",
    ),
    no_number_tail="Ձեզանից պատվիրել եմ միայն մեկ անգամ, մի քանի օր առաջ։",
    quote_intro="{date}, {time}-ին {name} <{addr}>-ը գրել է.",
    date_style="dot",
    city=("Երևան", "Գյումրի", "Վանաձոր"),
    street=("Աբովյան փ. 12", "Մաշտոցի պող. 48", "Tumanyan St 7"),
    postcode="00##",
    phone="+374 9# ######",
    currency="{v} ֏",
)

TONGUES: tuple[Tongue, ...] = (EN, DE, FI, LV, HI, HY)
_TOPIC_INTENTS = ("shipping", "howto", "repair", "refill", "return")  # Tongue.topics in order


def _intent_of(t: Tongue, said: str) -> str:
    """The intent of a customer's text as written in `t` (before formatting)."""
    for topic, intent in zip(t.topics, _TOPIC_INTENTS, strict=True):
        if said == topic.body:
            return intent
    if said in t.thanks:
        return "thanks"
    if said in t.followup:
        return ("shipping", "refill")[t.followup.index(said)]
    if said in t.presales_bodies:
        return "presales"
    if said in t.new_order_in_old:
        return ("other", "address")[t.new_order_in_old.index(said)]
    return "other"


_ASCII = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "'": "", "ā": "a", "ē": "e", "ī": "i", "ū": "u",
     "š": "s", "ž": "z", "č": "c", "ņ": "n", "ļ": "l", "ķ": "k", "ģ": "g"}
)  # fmt: skip
_ASCII_FI = str.maketrans({"ä": "a", "ö": "o"})


def _name_parts(entry: str, code: str) -> tuple[str, str]:
    """("Display", "ascii") of a name-table entry ("Mäkinen" or "शर्मा|sharma")."""
    if "|" in entry:
        display, ascii_ = entry.split("|", 1)
        return display, ascii_
    return entry, entry.lower().translate(_ASCII_FI if code == "fi" else _ASCII)


_YOU_ARE_WELCOME = {
    "en": "You are welcome, glad it worked out!",
    "de": "Gern geschehen, freut mich, dass es geklappt hat!",
    "fi": "Ole hyvä, kiva että asia järjestyi!",
    "lv": "Lūdzu, priecājos, ka viss izdevās!",
    "hi": "आपका स्वागत है, खुशी है कि सब ठीक हो गया!",
    "hy": "Խնդրեմ, ուրախ եմ, որ ամեն ինչ ստացվեց։",
}
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def text_date(ts: int, style: str) -> str:
    """A date as people write it in running text."""
    t = time.gmtime(ts)
    if style == "en":
        return f"{t.tm_mday} {_MONTHS[t.tm_mon - 1]} {t.tm_year}"
    if style == "slash":
        return f"{t.tm_mday}/{t.tm_mon}/{t.tm_year}"
    return f"{t.tm_mday:02d}.{t.tm_mon:02d}.{t.tm_year}"


# ---------------------------------------------------------------------------------------------
# The world: customers, orders, threads


@dataclass(slots=True)
class Order:
    """An order on one platform; `case` is its ground-truth label."""

    platform: str
    number: str  # normalised: digits, "000100123", a PrestaShop reference, "303-...", eBay "12-..."
    display: str  # as the platform prints it, e.g. "#1042"
    ts: int
    product: tuple[str, int, str]
    qty: int
    customer: Customer
    ref_id: str = ""  # PrestaShop numeric id next to the reference
    item_no: str = ""  # eBay item number
    buyer_id: str = ""  # eBay / Etsy user name

    @property
    def case(self) -> str:
        return f"order:{self.platform}:{self.number}"


@dataclass(slots=True)
class Post:
    """A message already in the mailbox that later mail can reply to and quote."""

    mid: str
    subject: str
    text: str
    name: str
    addr: str
    ts: int
    tz: int


@dataclass(slots=True)
class Customer:
    """A person who writes in one language, from a main address and sometimes another one."""

    cid: int
    tongue: Tongue
    name: str
    addr: str
    alt_addr: str
    orders: list[Order] = field(default_factory=list)
    thread: list[Post] = field(default_factory=list)  # their last order thread, for repeats
    thread_order: Order | None = None
    no_repeat: bool = False  # wrote without an order number: keep them at one order

    @property
    def first(self) -> str:
        return self.name.split()[0]


@dataclass(slots=True)
class Mail:
    """One generated message and its truth."""

    ts: int
    folder: str  # INBOX | Sent
    mid: str
    raw: bytes
    case: str
    kind: str
    hard: str
    lang: str
    subject: str
    also_inbox: bool = False  # the merchant copied themself: the same bytes in INBOX too
    intent: str = ""  # a customer's message: why they wrote (core/replies/intents.py INTENTS)
    order_refs: tuple[str, ...] = ()  # every number that names the true order, if any


@dataclass(frozen=True, slots=True)
class GenStats:
    """What `generate` wrote and where."""

    n: int
    seed: int
    out_dir: Path
    maildir: Path
    truth: Path
    inbox: int
    sent: int
    duplicates: int
    cases: int
    total_bytes: int
    seconds: float
    by_kind: dict[str, int]
    by_hard: dict[str, int]
    by_lang: dict[str, int]
    shop: dict[str, object]


# ---------------------------------------------------------------------------------------------
# Rendering


def _qp(data: bytes) -> str:
    return binascii.b2a_qp(data, istext=True).decode("ascii")


def _b64(data: bytes) -> str:
    enc = base64.b64encode(data).decode("ascii")
    return "\n".join(enc[i : i + 76] for i in range(0, len(enc), 76))


def _addr_header(name: str, addr: str, rng: random.Random) -> str:
    if not name:
        return addr
    if name.isascii():
        if any(c in name for c in "',.()|:"):
            return f'"{name}" <{addr}>'
        return f"{name} <{addr}>"
    return f"{encode_word(name, rng)} <{addr}>"


def _text_part(text: str, subtype: str, code: str, rng: random.Random) -> str:
    """A text part's headers and body, in a charset and transfer encoding mailers use."""
    if text.isascii():
        cte = "7bit" if rng.random() < 0.8 else "quoted-printable"
        body = text if cte == "7bit" else _qp(text.encode("ascii"))
        return (
            f'Content-Type: text/{subtype}; charset="us-ascii"\n'
            f"Content-Transfer-Encoding: {cte}\n\n{body}\n"
        )
    charset = "utf-8"
    data: bytes | None = None
    if code in ("de", "fi") and rng.random() < 0.3:
        legacy = "iso-8859-15" if code == "de" else "iso-8859-1"
        try:
            data = text.encode(legacy)
            charset = legacy
        except UnicodeEncodeError:
            data = None
    if data is None:
        data = text.encode("utf-8")
    r = rng.random()
    if charset == "utf-8" and r < 0.2:
        cte, body = "8bit", text
    elif r < (0.75 if code in ("hi", "hy") else 0.35):
        cte, body = "base64", _b64(data)
    else:
        cte, body = "quoted-printable", _qp(data)
    return (
        f'Content-Type: text/{subtype}; charset="{charset}"\n'
        f"Content-Transfer-Encoding: {cte}\n\n{body}\n"
    )


def _html_of(text: str) -> str:
    """A mail program's HTML twin of a plain text: paragraphs, quoted lines in a blockquote."""
    own: list[str] = []
    quoted: list[str] = []
    for line in text.split("\n"):
        (quoted if line.startswith(">") or quoted else own).append(line)

    def esc(s: str) -> str:
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    html = '<div dir="ltr">' + "".join(
        f"<div>{esc(p) or '<br>'}</div>" for p in "\n".join(own).split("\n")
    )
    if quoted:
        html += (
            '</div><div class="gmail_quote"><blockquote class="gmail_quote" style="margin:0 0 0 '
            '.8ex;border-left:1px solid #ccc;padding-left:1ex">'
            + "<br>\n".join(esc(q.lstrip("> ")) for q in quoted)
            + "</blockquote>"
        )
    return html + "</div>\n"


def _quoted(post: Post, tongue: Tongue) -> str:
    """The quote a reply carries: an intro line in the replier's language, then "> " lines."""
    t = time.gmtime(post.ts + post.tz * 60)
    intro = tongue.quote_intro.format(
        date=text_date(post.ts + post.tz * 60, tongue.date_style),
        time=f"{t.tm_hour:02d}:{t.tm_min:02d}",
        name=post.name or post.addr,
        addr=post.addr,
    )
    body = post.text
    if len(body) > 2400:  # keep messages small: quote the newest part only
        body = body[:2400].rsplit("\n", 1)[0]
    lines = "\n".join(
        ">" + (" " + ln if not ln.startswith(">") and ln else ln) for ln in body.split("\n")
    )
    return f"\n\n{intro}\n{lines}\n"


# ---------------------------------------------------------------------------------------------
# The generator


class ShopMail:
    """Makes stories (an order with its notices and conversations, a pre-sales question, list
    mail) one after another from one seeded random generator; each story is a list of `Mail`."""

    def __init__(self, seed: int = 0, order_prefix: str = "", order_suffix: str = "") -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.prefix = order_prefix
        self.suffix = order_suffix
        self.clock = START_TS
        self.count = 0
        self.story_no = 0
        self.cases = 0
        self.used_addrs: set[str] = set()
        self.used_items: set[str] = set()
        self.order_refs: dict[str, tuple[str, ...]] = {}
        self.customers: deque[Customer] = deque(maxlen=4000)
        self.next_no = {
            "shopify": 1901,  # a shop some years old: its numbers pass 2015..2026 early
            "woocommerce": 24001,
            "magento": 100001,
            "opencart": 61001,
            "prestashop": 90001,
            "etsy": 3_100_000_000,
        }
        # The first stories force every hard case, so that even a small mailbox has them all.
        self.forced: deque[str] = deque(
            [
                "other-address",
                "no-number",
                "no-references",
                "no-references-quoted",
                "reply-to-confirmation",
                "merchant-first",
                "body-number",
                "item-number",
                "marketplace-message",
                "presales",
                "presales-before-order",
                "list-thread",
                "newsletter",
                "spam",
                "new-order-in-old-thread",
                "notice-body-number",
            ]
        )

    # -- small helpers ---------------------------------------------------------------------
    def _tag(self) -> str:
        self.count += 1
        return f"{self.count:x}{self.rng.getrandbits(44):011x}"

    def _mid(self, domain: str) -> str:
        tag = self._tag()
        if domain == "gmail.com":
            return f"<CA+{tag}{self.rng.getrandbits(64):016X}@mail.gmail.com>"
        if domain.startswith(("outlook.", "hotmail.")):
            return f"<AM0PR10MB{tag.upper()}@AM0PR10MB3441.eurprd10.prod.outlook.com>"
        u = f"{self.rng.getrandbits(64):016x}{tag}"
        return f"<{u[:8]}-{u[8:12]}-{u[12:16]}-{u[16:]}@{domain}>"

    def _sig(self, k: int) -> str:
        """`k` base64 characters that look like a signature."""
        return base64.b64encode(self.rng.randbytes(k * 3 // 4 + 1)).decode("ascii")[:k]

    def _digits(self, k: int) -> str:
        return str(self.rng.randrange(10 ** (k - 1), 10**k))

    def _pattern(self, pattern: str) -> str:
        rng = self.rng
        return "".join(
            str(rng.randrange(10)) if c == "#" else chr(65 + rng.randrange(26)) if c == "@" else c
            for c in pattern
        )

    def _money(self, cents: int, tongue: Tongue | None = None) -> str:
        if tongue is None:
            return f"€{cents / 100:.2f}"
        if tongue.code == "hi":
            return tongue.currency.format(v=f"{cents * 9 // 100:,}")
        if tongue.code == "hy":
            return tongue.currency.format(v=f"{cents * 4:,}".replace(",", " "))
        v = f"{cents / 100:.2f}"
        return tongue.currency.format(v=v if tongue.code == "en" else v.replace(".", ","))

    def _track(self) -> str:
        r = self.rng.random()
        if r < 0.35:
            return "00340434" + self._digits(12)
        if r < 0.55:
            return "1Z" + self._pattern("###@@#############")
        if r < 0.75:
            return "JJD" + self._digits(15)
        return self._pattern("@@#########") + self.rng.choice(("LV", "FI", "DE", "GB", "IN", "AM"))

    def _fill(
        self, tongue: Tongue, order: Order | None, product: tuple[str, int, str]
    ) -> dict[str, str]:
        """Every placeholder a template may use: the order as cited, and distractor numbers."""
        rng = self.rng
        now = self.clock
        sku_r = rng.random()
        sku = (
            f"MS-{product[2]}"
            if sku_r < 0.5
            else f"EAN {self._digits(13)}"
            if sku_r < 0.8
            else f"Art. {self._digits(6)}"
        )
        inv_r = rng.random()
        invoice = (
            f"RE-{time.gmtime(now).tm_year}-{self._digits(5)}"
            if inv_r < 0.4
            else f"INV-{self._digits(6)}"
            if inv_r < 0.7
            else f"{time.gmtime(now).tm_year}/{self._digits(4)}"
        )
        return {
            "o": self._cite(order) if order else "",
            "p": product[0],
            "date": text_date((order.ts if order else now) + tongue.tz[0] * 60, tongue.date_style),
            "date2": text_date(now - DAY * rng.randint(1, 3), tongue.date_style),
            "track": self._track(),
            "price": self._money(
                product[1] * rng.randint(1, 3) + rng.choice((0, 490, 590)), tongue
            ),
            "phone": self._pattern(tongue.phone),
            "street": rng.choice(tongue.street),
            "postcode": self._pattern(tongue.postcode),
            "city": rng.choice(tongue.city),
            "sku": sku,
            "invoice": invoice,
            "year": str(rng.randint(2015, time.gmtime(now).tm_year)),
            "addr": RETURN_ADDRESS,
        }

    def _cite(self, order: Order) -> str:
        """The order number as a customer writes it."""
        rng = self.rng
        p = order.platform
        if p == "shopify":
            core = f"{self.prefix}{order.number}{self.suffix}"
            return rng.choice((f"#{core}", f"#{core}", core))
        if p == "woocommerce":
            return rng.choice((f"#{order.number}", order.number))
        if p == "magento":
            return rng.choices(
                (f"#{order.number}", order.number, order.number.lstrip("0")), (4, 4, 1)
            )[0]
        if p == "opencart":
            return rng.choice((order.number, f"#{order.number}"))
        if p == "prestashop":
            return order.number  # the reference, as the customer's confirmation shows it
        if p == "etsy":
            return rng.choice((f"#{order.number}", order.number))
        return order.number

    def _want(self, force: str | None, what: str, p: float) -> bool:
        if force is not None:
            return force == what
        return self.rng.random() < p

    # -- people and orders -----------------------------------------------------------------
    def _customer(self) -> Customer:
        rng = self.rng
        tongue = rng.choices(TONGUES, LANG_WEIGHTS)[0]
        female = rng.random() < 0.55
        first = rng.choice(tongue.first_f if female else tongue.first_m)
        last = rng.choice((tongue.last_f or tongue.last_m) if female else tongue.last_m)
        (fd, fa), (ld, la) = _name_parts(first, tongue.code), _name_parts(last, tongue.code)
        name = f"{fd} {ld}"
        if tongue.code in ("hi", "hy") and rng.random() < 0.3:  # a Latin-letter display name
            name = f"{fa.capitalize()} {la.capitalize()}"
        style = rng.randrange(5)
        local = (f"{fa}.{la}", f"{fa}{la}", f"{fa[0]}.{la}", f"{fa}_{la}", f"{la}.{fa}")[style]
        addr = ""
        while not addr or addr in self.used_addrs:
            suffix = str(rng.randrange(1, 9999)) if rng.random() < 0.4 or addr else ""
            addr = f"{local}{suffix}@{rng.choice(tongue.domains)}"
        self.used_addrs.add(addr)
        alt = ""
        while not alt or alt in self.used_addrs:
            alt = f"{fa[0]}{la}{rng.randrange(1, 99)}@{rng.choice(tongue.work_domains)}"
        self.used_addrs.add(alt)
        return Customer(len(self.used_addrs), tongue, name, addr, alt)

    def _order(self, platform: str, customer: Customer, ts: int) -> Order:
        rng = self.rng
        product = rng.choice(PRODUCTS)
        qty = rng.choices((1, 2, 3), (6, 3, 1))[0]
        ref_id = item = buyer = ""
        if platform in self.next_no:
            self.next_no[platform] += rng.randint(1, 2)
            k = self.next_no[platform]
        else:
            k = 0
        if platform in ("shopify", "woocommerce", "opencart"):
            number = str(k)
            display = f"#{self.prefix}{k}{self.suffix}" if platform == "shopify" else f"#{k}"
        elif platform == "magento":
            number = f"{k:09d}"
            display = f"#{number}"
        elif platform == "prestashop":
            number = "".join(chr(65 + rng.randrange(26)) for _ in range(9))
            ref_id = str(k)
            display = number
        elif platform == "amazon":
            number = f"{rng.randrange(302, 408)}-{self._digits(7)}-{self._digits(7)}"
            display = number
        elif platform == "etsy":
            number = str(k)
            display = f"#{k}"
            buyer = customer.addr.split("@")[0].replace(".", "") + str(rng.randrange(10, 99))
        else:  # ebay
            number = f"{rng.randrange(10, 28)}-{self._digits(5)}-{self._digits(5)}"
            display = number
            while not item or item in self.used_items:
                item = str(rng.randrange(1143_0000_0000, 3967_9999_9999))
            self.used_items.add(item)
            buyer = customer.addr.split("@")[0].replace(".", "_") + str(rng.randrange(10, 999))
        order = Order(platform, number, display, ts, product, qty, customer, ref_id, item, buyer)
        customer.orders.append(order)
        self.order_refs[order.case] = tuple(x for x in (number, ref_id, item) if x)
        self.cases += 1
        return order

    # -- message assembly ------------------------------------------------------------------
    def _mail(
        self,
        ts: int,
        *,
        from_name: str,
        from_addr: str,
        to: str,
        subject: str,
        text: str,
        code: str,
        tz: int,
        mid: str,
        case: str,
        kind: str,
        hard: str,
        folder: str = "INBOX",
        reply_to: Sequence[str] = (),
        html: str | None = None,
        extra: str = "",
        want_html: float = 0.3,
    ) -> Mail:
        rng = self.rng
        refs = list(reply_to)[-8:]
        head = []
        if folder == "INBOX":
            sdomain = from_addr.rsplit("@", 1)[1]
            r = rng.randrange
            ip = f"{r(20, 220)}.{r(256)}.{r(256)}.{r(1, 255)}"
            qid = f"{rng.getrandbits(40):010X}"
            head.append(
                f"Return-Path: <{from_addr}>\nDelivered-To: {to.split('<')[-1].rstrip('>')}\n"
                f"Received: from mail.{sdomain} (mail.{sdomain} [{ip}])\n"
                f"\tby mx.{SHOP_DOMAIN} (Postfix) with ESMTPS id {qid}\n"
                f"\tfor <{to.split('<')[-1].rstrip('>')}>; {rfc2822_date(ts, 60)}\n"
                f"DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d={sdomain}; s=s1;\n"
                f"\th=from:to:subject:date:message-id; bh={self._sig(43)}=;\n"
                f"\tb={self._sig(76)}\n\t {self._sig(76)}\n\t {self._sig(76)}\n\t {self._sig(40)}\n"
            )
        head.append(
            f"Date: {rfc2822_date(ts, tz)}\nFrom: {_addr_header(from_name, from_addr, rng)}\n"
            f"To: {to}\nSubject: {encode_word(subject, rng)}\nMessage-ID: {mid}\n"
        )
        if refs:
            head.append(f"In-Reply-To: {refs[-1]}\nReferences: " + "\n ".join(refs) + "\n")
        if folder == "Sent":
            head.append(
                "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 "
                "Thunderbird/115.8.0\nContent-Language: " + code + "\n"
            )
        head.append(extra)
        head.append("MIME-Version: 1.0\n")
        if html is None and rng.random() < want_html:
            html = _html_of(text)
        if html is None:
            body = _text_part(text, "plain", code, rng)
        else:
            b = f"----=_Part_{self.count}_{rng.getrandbits(32)}"
            body = (
                f'Content-Type: multipart/alternative; boundary="{b}"\n\n--{b}\n'
                f"{_text_part(text, 'plain', code, rng)}\n--{b}\n"
                f"{_text_part(html, 'html', code, rng)}\n--{b}--\n"
            )
        raw = ("".join(head) + body).encode("utf-8")
        return Mail(ts, folder, mid, raw, case, kind, hard, code, subject)

    def _customer_mail(
        self,
        c: Customer,
        ts: int,
        subject: str,
        own: str,
        case: str,
        hard: str,
        *,
        kind: str = "customer",
        parent: Post | None = None,
        refs: Sequence[str] = (),
        addr: str | None = None,
    ) -> tuple[Mail, Post]:
        rng = self.rng
        t = c.tongue
        sender = addr or c.addr
        text = f"{rng.choice(t.greet)}\n\n{own}\n\n{rng.choice(t.close)}\n{c.first}\n"
        if rng.random() < 0.15:
            text += rng.choice(("\n--\nSent from my iPhone\n", "\nGet Outlook for Android\n"))
        if parent is not None:
            text += _quoted(parent, t)
        tz = rng.choice(t.tz)
        mid = self._mid(sender.rsplit("@", 1)[1])
        mail = self._mail(
            ts,
            from_name=c.name,
            from_addr=sender,
            to=f"{SHOP_NAME} <{SUPPORT}>",
            subject=subject,
            text=text,
            code=t.code,
            tz=tz,
            mid=mid,
            case=case,
            kind=kind,
            hard=hard,
            reply_to=refs,
        )
        return mail, Post(mid, subject, text, c.name, sender, ts, tz)

    def _merchant_mail(
        self,
        c: Customer,
        ts: int,
        subject: str,
        own: str,
        case: str,
        hard: str,
        *,
        parent: Post | None = None,
        refs: Sequence[str] = (),
        to_addr: str | None = None,
        to_name: str | None = None,
    ) -> tuple[Mail, Post]:
        rng = self.rng
        t = c.tongue
        text = (
            f"{rng.choice(t.mgreet).format(first=c.first)}\n\n{own}\n\n{rng.choice(t.close)}\n"
            f"{SHOP_SIGNATURE}\n"
        )
        if parent is not None:
            text += _quoted(parent, t)
        mid = self._mid(SHOP_DOMAIN)
        addr = to_addr or c.addr
        mail = self._mail(
            ts,
            from_name=f"{MERCHANT_FIRST} | {SHOP_NAME}",
            from_addr=SUPPORT,
            to=_addr_header(to_name if to_name is not None else c.name, addr, rng),
            subject=subject,
            text=text,
            code=t.code,
            tz=60,
            mid=mid,
            case=case,
            kind="merchant",
            hard=hard,
            folder="Sent",
            reply_to=refs,
            want_html=0.5,
        )
        mail.also_inbox = rng.random() < 0.03
        return mail, Post(mid, subject, text, f"{MERCHANT_FIRST} | {SHOP_NAME}", SUPPORT, ts, 60)

    def _reply_subject(self, t: Tongue, subject: str) -> str:
        if subject.lower().startswith(("re:", "aw:", "vs:", "atb.:")):
            return subject
        return self.rng.choice(t.reply_prefixes) + subject

    def _distract(self, t: Tongue, fill: dict[str, str], k: int) -> str:
        if k <= 0:
            return ""
        return " " + " ".join(d.format(**fill) for d in self.rng.sample(t.distractors, k))

    # -- notices ---------------------------------------------------------------------------
    def _items_text(self, o: Order, with_sku: bool = True) -> tuple[str, str, str]:
        title, cents, sku = o.product
        sub = cents * o.qty
        ship = self.rng.choice((490, 590, 0))
        line = (
            f"{title} × {o.qty}"
            + (f"    SKU: MS-{sku}" if with_sku else "")
            + f"    {self._money(sub)}"
        )
        return line, self._money(ship), self._money(sub + ship)

    def _ship_to(self, o: Order) -> str:
        t = o.customer.tongue
        f = self._fill(t, None, o.product)
        return f"{o.customer.name}\n{f['street']}\n{f['postcode']} {f['city']}\n{f['phone']}"

    def _notice(self, o: Order) -> Mail:
        """The platform's order notice to the merchant."""
        rng = self.rng
        c = o.customer
        ts = o.ts + rng.randrange(30, 900)
        line, ship, total = self._items_text(o)
        placed = text_date(o.ts, "en")
        admin = self._digits(13)
        hard = "notice-subject-number"
        from_name, from_addr, to = SHOP_NAME, ORDERS, f"{SHOP_NAME} <{ORDERS}>"
        extra = ""
        html_rows = f"<tr><td>{line}</td></tr>"
        p = o.platform
        if p == "shopify":
            subject = f"[{SHOP_NAME}] Order {o.display} placed by {c.name}"
            from_addr = "mailer@shopify.com"
            extra = "X-Shopify-Email-Type: order_notification\n"
            text = (
                f"Order {o.display} placed by {c.name}\n{placed}\n\nOrder summary\n{line}\n"
                f"Shipping    {ship}\nTotal    {total}\n\nCustomer\n{c.name}\n{c.addr}\n\n"
                f"Shipping address\n{self._ship_to(o)}\n\n"
                f"View order: https://admin.shopify.com/store/my-shop/orders/{admin}\n"
            )
        elif p == "woocommerce":
            subject = rng.choice(
                (
                    f"[{SHOP_NAME}]: New order #{o.number}",
                    f"[{SHOP_NAME}]: You've got a new order: #{o.number}",
                )
            )
            text = (
                f"New Order: #{o.number}\n\nYou've received the following order from {c.name}:\n\n"
                f"[Order #{o.number}] ({placed})\n\nProduct    Quantity    Price\n{line}\n"
                f"Shipping: {ship} via Flat rate\nPayment method: PayPal\nTotal: {total}\n\n"
                f"Billing address\n{self._ship_to(o)}\n{c.addr}\n\nCongratulations on the sale.\n"
            )
        elif p == "magento":
            if rng.random() < 0.6:
                subject = f"Your {SHOP_NAME} order confirmation"
                hard = "notice-body-number"
            else:
                subject = f"{SHOP_NAME}: New Order # {o.number}"
            text = (
                f"Thank you for your order from {SHOP_NAME}.\nOnce your package ships we will send "
                f"you a tracking number.\n\nYour Order #{o.number}\nPlaced on {placed}\n\n"
                f"Billing Info\n{self._ship_to(o)}\n{c.addr}\n\nItems\n{line}\n"
                f"Shipping & Handling {ship}\nGrand Total {total}\n"
            )
        elif p == "opencart":
            subject = f"{SHOP_NAME} - Order {o.number}"
            text = (
                f"You have received an order.\n\nOrder ID: {o.number}\nDate Added: "
                f"{text_date(o.ts, 'slash')}\nOrder Status: Pending\n\nProducts\n{line}\n\n"
                f"Order Totals\nFlat Shipping Rate: {ship}\nTotal: {total}\n\n"
                f"Customer: {c.name}\nE-Mail: {c.addr}\nTelephone: "
                f"{self._pattern(c.tongue.phone)}\n"
            )
        elif p == "prestashop":
            subject = f"[{SHOP_NAME}] New order : #{o.ref_id} - {o.number}"
            text = (
                f"Hi,\n\nA new order has been placed on your shop {SHOP_NAME} by this customer: "
                f"{c.name} ({c.addr})\n\nOrder details\nOrder: {o.number} Placed on {placed}\n"
                f"Payment: Bank wire\n\n{line}\nShipping: {ship}\nTotal paid: {total}\n\n"
                f"Delivery address\n{self._ship_to(o)}\n"
            )
        elif p == "amazon":
            hard = "notice-body-number"
            subject = (
                f"Sold, ship now: {o.product[0]}"
                if o.qty == 1 or rng.random() < 0.5
                else f"Sold, ship now: {o.qty} Items Sold"
            )
            from_name, from_addr = "Amazon Seller Central", "seller-notification@amazon.de"
            text = (
                f"Dear {SHOP_NAME},\n\nCongratulations, you've sold an item. Please ship it "
                "now.\n\n"
                f"Order ID: {o.number}\nPlease ship this order using: Standard\n"
                f"Ship by: {text_date(o.ts + 2 * DAY, 'en')}\nItem: {o.product[0]}\n"
                f"Condition: New\nSKU: MS-{o.product[2]}\nQuantity: {o.qty}\nOrder date: {placed}\n"
                f"Price: EUR {o.product[1] * o.qty / 100:.2f}\n\nShip to:\n{self._ship_to(o)}\n\n"
                "Sincerely,\nAmazon Services Europe\n"
            )
        elif p == "etsy":
            ship_by = text_date(o.ts + 3 * DAY, "en")
            from_name, from_addr = "Etsy", "transaction@etsy.com"
            if rng.random() < 0.5:
                subject = (
                    f"You made a sale on Etsy - Ship by {ship_by} - [{total}, Order #{o.number}]"
                )
            else:
                subject = f"You made a sale on Etsy - Ship by {ship_by}"
                hard = "notice-body-number"
            text = (
                f"Congratulations on your sale!\n\nOrder #{o.number}\n{c.name} ({o.buyer_id}) "
                f"bought:\n{line}\nTransaction ID: {self._digits(10)}\nListing ID: "
                f"{self._digits(10)}\nOrder total: {total}\n\nShip to\n{self._ship_to(o)}\n\n"
                f"View the order: https://www.etsy.com/your/orders/sold?order_id={o.number}\n"
            )
        else:  # ebay
            from_name, from_addr = "eBay", "ebay@ebay.com"
            subject = rng.choice(
                (f"You sold: {o.product[0]} ({o.item_no})", f"You sold {o.product[0]} #{o.item_no}")
            )
            text = (
                f"Hi {SHOP_NAME.lower().replace(' ', '_')},\n\nYou sold your item. Ship it by "
                f"{text_date(o.ts + 3 * DAY, 'en')}.\n\n{o.product[0]}\nItem number: {o.item_no}\n"
                f"Order number: {o.number}\nSales record number: {self._digits(4)}\n"
                f"Quantity sold: {o.qty}\nSold to: {o.buyer_id}\nTotal: {total}\n\n"
                f"Ship to\n{self._ship_to(o)}\n"
            )
        html = None
        if rng.random() < 0.5:
            html = (
                f"<html><head><title>{subject}</title><style>body{{font-family:Arial;"
                f"color:#333}}table{{border-collapse:collapse;width:100%}}td{{padding:8px;"
                f"border-bottom:1px solid #e5e5e5}}</style></head><body><h1>{SHOP_NAME}</h1>"
                + "".join(f"<p>{ln}</p>" for ln in text.split("\n") if ln)
                + f"<table>{html_rows}</table></body></html>\n"
            )
        return self._mail(
            ts,
            from_name=from_name,
            from_addr=from_addr,
            to=to,
            subject=subject,
            text=text,
            code="en",
            tz=0,
            mid=self._mid(from_addr.rsplit("@", 1)[1]),
            case=o.case,
            kind="notice",
            hard=hard,
            html=html,
            extra=extra,
        )

    def _shipping_notice(self, o: Order, ts: int) -> Mail | None:
        """The shipping / completion notice (a copy of the customer's)."""
        rng = self.rng
        c = o.customer
        track = self._track()
        p = o.platform
        from_name, from_addr = SHOP_NAME, ORDERS
        if p == "shopify":
            subject = f"A shipment from order {o.display} is on the way"
            from_addr = "mailer@shopify.com"
            text = (
                f"Your order is on the way\n\nHi {c.first}, your order is on the way. Track your "
                f"shipment to see the delivery status.\n\nDHL tracking number: {track}\n\n"
                f"Items in this shipment\n{o.product[0]} × {o.qty}\n\nOrder {o.display}\n"
            )
        elif p == "woocommerce":
            subject = rng.choice(
                (
                    f"Your {SHOP_NAME} order is now complete",
                    f"Your order from {SHOP_NAME} is on its way!",
                )
            )
            text = (
                f"Hi {c.first},\n\nWe have finished processing your order.\n\n[Order #{o.number}] "
                f"({text_date(o.ts, 'en')})\n\n{o.product[0]} × {o.qty}\n\nTracking: {track}\n"
            )
        elif p == "magento":
            subject = f"Your {SHOP_NAME} order has shipped"
            text = (
                f"{c.name},\n\nThank you for your order from {SHOP_NAME}.\n\nYour Shipment "
                f"#{rng.randrange(1, 99999):09d} for Order #{o.number}\n\n"
                f"Tracking number: {track}\n"
                f"Shipping method: DHL\n"
            )
        elif p == "opencart":
            subject = f"{SHOP_NAME} - Order Update {o.number}"
            text = (
                f"Order ID: {o.number}\nDate Added: {text_date(o.ts, 'slash')}\n\n"
                "Your order has been updated to the following status: Shipped\n\n"
                f"Tracking: {track}\n"
            )
        elif p == "prestashop":
            subject = f"[{SHOP_NAME}] Package in transit"
            text = (
                f"Hi {c.first},\n\nYour order with the reference {o.number} is currently being "
                f"transported.\n\nYou can track your package using the following link: "
                f"https://nolp.dhl.de/nextt-online-public/set_identcodes.do?idc={track}\n"
            )
        else:
            return None
        return self._mail(
            ts,
            from_name=from_name,
            from_addr=from_addr,
            to=f"{SHOP_NAME} <{ORDERS}>",
            subject=subject,
            text=text,
            code="en",
            tz=0,
            mid=self._mid(from_addr.rsplit("@", 1)[1]),
            case=o.case,
            kind="notice",
            hard="shipping-notice",
            want_html=0.5,
        )

    def _confirmation(self, o: Order) -> tuple[str, str]:
        """The customer's copy of the order confirmation (subject, text), as a reply quotes it."""
        p = o.platform
        placed = text_date(o.ts, "en")
        if p == "shopify":
            return (
                f"Order {o.display} confirmed",
                f"Order {o.display}\nThank you for your purchase!\nWe're getting your order ready "
                f"to be shipped.\n\n{o.product[0]} × {o.qty}",
            )
        if p == "woocommerce":
            return (
                f"Your {SHOP_NAME} order has been received!",
                f"Thank you for your order\nHi {o.customer.first},\nJust to let you know — we've "
                f"received your order #{o.number}, and it is now being processed:\n\n"
                f"[Order #{o.number}] ({placed})\n{o.product[0]} × {o.qty}",
            )
        if p == "magento":
            return (
                f"Your {SHOP_NAME} order confirmation",
                f"Thank you for your order from {SHOP_NAME}.\nYour Order #{o.number}\n"
                f"Placed on {placed}",
            )
        if p == "opencart":
            return (
                f"{SHOP_NAME} - Order {o.number}",
                f"Thank you for your interest in {SHOP_NAME} products. Your order has been "
                f"received.\nOrder ID: {o.number}\nDate Added: {text_date(o.ts, 'slash')}",
            )
        return (
            f"[{SHOP_NAME}] Order confirmation",
            f"Hi {o.customer.first},\nThank you for shopping with {SHOP_NAME}!\nOrder: {o.number} "
            f"Placed on {placed}\nPayment: Bank wire",
        )

    # -- stories ---------------------------------------------------------------------------
    def story(self) -> list[Mail]:
        """The next story's messages, in time order; advances the clock."""
        rng = self.rng
        force = self.forced.popleft() if self.forced else None
        self.story_no += 1
        if force in ("list-thread", "newsletter", "spam"):
            mails = self._list_story(force)
        elif force in ("presales", "presales-before-order"):
            mails = self._presales_story(force)
        elif force in ("item-number", "marketplace-message"):
            mails = self._marketplace_story(force)
        elif force == "new-order-in-old-thread":
            mails = self._repeat_story(force) or self._order_story(None)
        elif force is not None:
            mails = self._order_story(force)
        else:
            r = rng.random()
            if r < 0.55:
                mails = self._order_story(None)
            elif r < 0.63:
                mails = self._repeat_story(None) or self._order_story(None)
            elif r < 0.81:
                mails = self._marketplace_story(None)
            elif r < 0.89:
                mails = self._presales_story(None)
            else:
                mails = self._list_story(None)
        mails.sort(key=lambda m: m.ts)
        for m in mails:
            m.order_refs = self.order_refs.get(m.case, ())
        step = max(1, len(mails)) * DAY / MSGS_PER_DAY
        self.clock += int(step * rng.uniform(0.5, 1.5))
        return mails

    def _conversation(
        self,
        o: Order,
        start: int,
        force: str | None,
        mails: list[Mail],
        hard_first: str | None = None,
    ) -> None:
        """The customer writes about `o` in a new thread; replies, follow-ups, hard cases."""
        rng = self.rng
        c = o.customer
        t = c.tongue
        topic = rng.choice(t.topics)
        fill = self._fill(t, o, o.product)
        quoted_only = self._want(force, "no-references-quoted", 0.05)
        body_number = quoted_only or self._want(force, "body-number", 0.25)
        if body_number:
            subject = rng.choice(topic.subj_plain).format(**fill)
            own = (
                topic.body.format(**fill)
                + " "
                + rng.choice(t.order_sentence).format(**fill)
                + self._distract(t, fill, rng.randint(1, 3))
            )
            hard = "body-number"
        else:
            subject = rng.choice(topic.subj_num).format(**fill)
            own = topic.body.format(**fill) + self._distract(t, fill, rng.randint(0, 2))
            hard = "none"
        ts = start
        first, post = self._customer_mail(c, ts, subject, own, o.case, hard_first or hard)
        first.intent = _intent_of(t, topic.body)
        mails.append(first)
        thread = [post]
        # The merchant answers (nearly always when a hard follow-up needs the answer).
        follow_hard = None
        if self._want(force, "other-address", 0.06):
            follow_hard = "other-address"
        elif quoted_only:
            follow_hard = "no-references-quoted"
        elif self._want(force, "no-references", 0.07):
            follow_hard = "no-references"
        if follow_hard is None and rng.random() < 0.12:
            c.thread, c.thread_order = thread, o
            return
        ts += rng.randrange(3600, 30 * 3600)
        answer = topic.answer.format(**fill)
        if quoted_only or rng.random() < 0.4:
            answer = t.merchant_ref.format(**fill) + " " + answer
        reply, mpost = self._merchant_mail(
            c,
            ts,
            self._reply_subject(EN, subject),
            answer,
            o.case,
            "merchant-reply",
            parent=post,
            refs=[post.mid],
        )
        mails.append(reply)
        thread.append(mpost)
        if follow_hard is None and rng.random() < 0.45:
            c.thread, c.thread_order = thread, o
            return
        ts += rng.randrange(1800, 48 * 3600)
        fill = self._fill(t, o, o.product)
        said = rng.choice(t.thanks + t.followup)
        own = said.format(**fill)
        refs = [p.mid for p in thread]
        addr = None
        if follow_hard == "other-address":
            own = own + "\n" + t.other_address
            addr = c.alt_addr
        elif follow_hard in ("no-references", "no-references-quoted"):
            refs = []
        follow, fpost = self._customer_mail(
            c,
            ts,
            self._reply_subject(t, subject),
            own,
            o.case,
            follow_hard or "none",
            parent=mpost,
            refs=refs,
            addr=addr,
        )
        follow.intent = _intent_of(t, said)
        mails.append(follow)
        thread.append(fpost)
        if rng.random() < 0.35:
            ts += rng.randrange(3600, 30 * 3600)
            last, lpost = self._merchant_mail(
                c,
                ts,
                self._reply_subject(EN, subject),
                _YOU_ARE_WELCOME[t.code],
                o.case,
                "merchant-reply",
                parent=fpost,
                refs=[p.mid for p in thread],
                to_addr=addr,
            )
            mails.append(last)
            thread.append(lpost)
        c.thread, c.thread_order = thread, o

    def _order_story(self, force: str | None) -> list[Mail]:
        """An order on the merchant's own store: notice, shipping, conversations, hard cases."""
        rng = self.rng
        platform = rng.choices(OWN_STORE, OWN_WEIGHTS)[0]
        if force == "notice-body-number":
            platform = "magento"
        c = self._customer()
        t0 = self.clock
        o = self._order(platform, c, t0)
        mails: list[Mail] = []
        notice = self._notice(o)
        if force == "notice-body-number" and notice.hard != "notice-body-number":
            notice = self._notice(o)
        mails.append(notice)
        if rng.random() < 0.55:
            s = self._shipping_notice(o, t0 + rng.randrange(DAY // 2, 3 * DAY))
            if s is not None:
                mails.append(s)
        if rng.random() < 0.03:  # cancelled or refunded
            subject = (
                f"[{SHOP_NAME}]: Order #{o.number} has been cancelled"
                if platform == "woocommerce"
                else f"[{SHOP_NAME}] Order {o.display} has been refunded"
                if platform == "shopify"
                else f"{SHOP_NAME} - Order Update {o.number}"
                if platform == "opencart"
                else ""
            )
            if subject:
                mails.append(
                    self._mail(
                        t0 + rng.randrange(DAY, 5 * DAY),
                        from_name=SHOP_NAME,
                        from_addr=ORDERS if platform != "shopify" else "mailer@shopify.com",
                        to=f"{SHOP_NAME} <{ORDERS}>",
                        subject=subject,
                        text=f"Order {o.display} has been cancelled or refunded.\n\n"
                        f"{o.product[0]} × {o.qty}\nCustomer: {c.name} <{c.addr}>\n",
                        code="en",
                        tz=0,
                        mid=self._mid(SHOP_DOMAIN),
                        case=o.case,
                        kind="notice",
                        hard="notice-subject-number",
                    )
                )
        if force == "merchant-first" or (force is None and rng.random() < 0.05):
            self._merchant_first(o, t0 + rng.randrange(3600, DAY), mails)
        elif force == "reply-to-confirmation" or (force is None and rng.random() < 0.06):
            self._reply_to_confirmation(o, t0 + rng.randrange(1800, 2 * DAY), mails)
        elif force in _CONVERSATION_CASES or (force is None and rng.random() < 0.72):
            self._conversation(o, t0 + rng.randrange(DAY, 9 * DAY), force, mails)
        if force == "no-number" or (force is None and rng.random() < 0.07):
            self._no_number(o, t0 + rng.randrange(2 * DAY, 12 * DAY), mails)
        self.customers.append(c)
        return mails

    def _merchant_first(self, o: Order, ts: int, mails: list[Mail]) -> None:
        rng = self.rng
        c = o.customer
        t = c.tongue
        fill = self._fill(t, o, o.product)
        subj, body = t.merchant_first
        m, mpost = self._merchant_mail(
            c, ts, subj.format(**fill), body.format(**fill), o.case, "merchant-first"
        )
        mails.append(m)
        ts += rng.randrange(3600, 40 * 3600)
        r, rpost = self._customer_mail(
            c,
            ts,
            self._reply_subject(t, mpost.subject),
            t.merchant_first_answer,
            o.case,
            "none",
            parent=mpost,
            refs=[mpost.mid],
        )
        r.intent = "other"
        mails.append(r)
        c.thread, c.thread_order = [mpost, rpost], o

    def _reply_to_confirmation(self, o: Order, ts: int, mails: list[Mail]) -> None:
        rng = self.rng
        c = o.customer
        t = c.tongue
        subj, text = self._confirmation(o)
        fill = self._fill(t, o, o.product)
        topic = rng.choice(t.topics)
        platform_mid = self._mid("shopify.com" if o.platform == "shopify" else SHOP_DOMAIN)
        conf = Post(platform_mid, subj, text, SHOP_NAME, ORDERS, o.ts + 60, 0)
        own = topic.body.format(**fill) + self._distract(t, fill, rng.randint(0, 1))
        m, post = self._customer_mail(
            c,
            ts,
            self._reply_subject(t, subj),
            own,
            o.case,
            "reply-to-confirmation",
            parent=conf,
            refs=[platform_mid],
        )
        m.intent = _intent_of(t, topic.body)
        mails.append(m)
        if rng.random() < 0.7:
            ts += rng.randrange(3600, 30 * 3600)
            r, rpost = self._merchant_mail(
                c,
                ts,
                self._reply_subject(EN, post.subject),
                topic.answer.format(**fill),
                o.case,
                "merchant-reply",
                parent=post,
                refs=[platform_mid, post.mid],
            )
            mails.append(r)
            c.thread, c.thread_order = [conf, post, rpost], o
        else:
            c.thread, c.thread_order = [conf, post], o

    def _no_number(self, o: Order, ts: int, mails: list[Mail]) -> None:
        """A new thread with no order number at all, from the customer's one order's address."""
        rng = self.rng
        c = o.customer
        t = c.tongue
        c.no_repeat = True
        topic = rng.choice(t.topics)
        fill = self._fill(t, None, o.product)
        own = topic.body.format(**fill)
        if rng.random() < 0.4:
            own += " " + t.no_number_tail
        subject = rng.choice(topic.subj_plain).format(**fill)
        m, post = self._customer_mail(c, ts, subject, own, o.case, "no-number")
        m.intent = _intent_of(t, topic.body)
        mails.append(m)
        if rng.random() < 0.6:
            ts += rng.randrange(3600, 30 * 3600)
            fill = self._fill(t, o, o.product)
            answer = topic.answer.format(**fill)
            if rng.random() < 0.5:
                answer = t.merchant_ref.format(**fill) + " " + answer
            r, _ = self._merchant_mail(
                c,
                ts,
                self._reply_subject(EN, subject),
                answer,
                o.case,
                "merchant-reply",
                parent=post,
                refs=[post.mid],
            )
            mails.append(r)

    def _repeat_story(self, force: str | None) -> list[Mail] | None:
        """A customer who wrote about an earlier order orders again: never the same case."""
        rng = self.rng
        pool = [
            c
            for c in (rng.choice(self.customers) for _ in range(12 if self.customers else 0))
            if not c.no_repeat and c.thread and c.thread_order is not None
        ]
        if not pool:
            return None
        c = pool[0]
        old = c.thread_order
        assert old is not None
        t0 = max(self.clock, old.ts + DAY)
        o = self._order(rng.choices(OWN_STORE, OWN_WEIGHTS)[0], c, t0)
        mails = [self._notice(o)]
        old_thread = c.thread
        self._conversation(o, t0 + rng.randrange(DAY, 6 * DAY), None, mails, "second-order")
        if force == "new-order-in-old-thread" or rng.random() < 0.4:
            t = c.tongue
            ts = t0 + rng.randrange(DAY // 4, 3 * DAY)
            fill = self._fill(t, o, o.product)
            said = rng.choice(t.new_order_in_old)
            own = said.format(**fill)
            parent = old_thread[-1]
            m, post = self._customer_mail(
                c,
                ts,
                self._reply_subject(t, old_thread[0].subject),
                own,
                o.case,
                "new-order-in-old-thread",
                parent=parent,
                refs=[p.mid for p in old_thread],
            )
            m.intent = _intent_of(t, said)
            mails.append(m)
            if rng.random() < 0.7:
                ts += rng.randrange(3600, 30 * 3600)
                r, _ = self._merchant_mail(
                    c,
                    ts,
                    post.subject,
                    t.merchant_ref.format(**fill)
                    + " "
                    + rng.choice(t.topics).answer.format(**fill),
                    o.case,
                    "new-order-in-old-thread",
                    parent=post,
                    refs=[p.mid for p in old_thread] + [post.mid],
                )
                mails.append(r)
        return mails

    def _marketplace_story(self, force: str | None) -> list[Mail]:
        """Amazon, Etsy or eBay: the sale notice and buyer messages through the platform."""
        rng = self.rng
        if force == "item-number":
            platform = "ebay"
        elif force == "marketplace-message":
            platform = "amazon"
        else:
            platform = rng.choices(("amazon", "etsy", "ebay"), (0.4, 0.25, 0.35))[0]
        c = self._customer()
        if platform == "amazon":
            relay = f"{self.rng.getrandbits(60):015x}@marketplace.amazon.de"
            self.used_addrs.add(relay)
            c.addr = relay
        t0 = self.clock
        o = self._order(platform, c, t0)
        mails = [self._notice(o)]
        t = c.tongue
        if force is None and rng.random() < 0.45:
            return mails
        ts = t0 + rng.randrange(DAY, 8 * DAY)
        topic = rng.choice(t.topics)
        fill = self._fill(t, None, o.product)
        own = topic.body.format(**fill)
        if platform == "ebay":
            for k in range(1 if rng.random() < 0.7 else 2):
                what = rng.choice(("Other", "Shipping", "Item details"))
                said = topic.body if k == 0 else rng.choice(t.followup)
                subject = f"{what}: {o.buyer_id} sent a message about {o.product[0]} #{o.item_no}"
                text = (
                    f"New message from: {o.buyer_id}\n\n"
                    f"{own if k == 0 else said.format(**fill)}"
                    f"\n\nItem: {o.product[0]}\nItem number: {o.item_no}\n\nRespond to this "
                    "message in My eBay > Messages.\nOnly purchases on eBay are covered by the "
                    "eBay Money Back Guarantee.\n"
                )
                mails.append(
                    self._mail(
                        ts,
                        from_name="eBay",
                        from_addr="ebay@ebay.com",
                        to=f"{SHOP_NAME} <{SUPPORT}>",
                        subject=subject,
                        text=text,
                        code=t.code,
                        tz=0,
                        mid=self._mid("ebay.com"),
                        case=o.case,
                        kind="marketplace",
                        hard="item-number",
                        extra=f"Reply-To: {o.buyer_id}@members.ebay.com\n",
                    )
                )
                mails[-1].intent = _intent_of(t, said)
                ts += rng.randrange(DAY // 2, 3 * DAY)
            return mails
        if platform == "amazon":
            subject = f"Inquiry from Amazon customer {c.name} (Order: {o.number})"
            text_own = (
                f"------------- Message: -------------\n\n{own}\n\n"
                f"------------- End message -------------\n\nOrder ID: {o.number}\n"
                f"Item: {o.product[0]}\nASIN: B0{self._pattern('#@@@##@@#')}\n"
            )
            from_name = f"{c.name} - Amazon Marketplace"
        else:
            subject = f"{c.name} sent you a message on Etsy"
            text_own = (
                f"{c.name} ({o.buyer_id}) sent you a message about Order #{o.number}:\n\n{own}\n\n"
                "Reply on Etsy: https://www.etsy.com/messages\n"
            )
            from_name = "Etsy Conversations"
        sender = c.addr if platform == "amazon" else "conversations@mail.etsy.com"
        mid = self._mid("marketplace.amazon.de" if platform == "amazon" else "mail.etsy.com")
        tz = rng.choice(t.tz)
        first = self._mail(
            ts,
            from_name=from_name,
            from_addr=sender,
            to=f"{SHOP_NAME} <{SUPPORT}>",
            subject=subject,
            text=text_own,
            code=t.code,
            tz=tz,
            mid=mid,
            case=o.case,
            kind="marketplace",
            hard="marketplace-message",
        )
        first.intent = _intent_of(t, topic.body)
        mails.append(first)
        post = Post(mid, subject, text_own, from_name, sender, ts, tz)
        if platform == "amazon" and rng.random() < 0.8:
            ts += rng.randrange(3600, 30 * 3600)
            fill = self._fill(t, o, o.product)
            r, rpost = self._merchant_mail(
                c,
                ts,
                "Re: " + subject,
                topic.answer.format(**fill),
                o.case,
                "merchant-reply",
                parent=post,
                refs=[mid],
                to_name=from_name,
            )
            mails.append(r)
            if rng.random() < 0.5:
                ts += rng.randrange(3600, 48 * 3600)
                own2 = rng.choice(t.thanks)
                text2 = (
                    f"------------- Message: -------------\n\n{own2}\n\n"
                    f"------------- End message -------------\n\nOrder ID: {o.number}\n"
                    + _quoted(rpost, t)
                )
                mails.append(
                    self._mail(
                        ts,
                        from_name=from_name,
                        from_addr=sender,
                        to=f"{SHOP_NAME} <{SUPPORT}>",
                        subject="Re: " + subject,
                        text=text2,
                        code=t.code,
                        tz=tz,
                        mid=self._mid("marketplace.amazon.de"),
                        case=o.case,
                        kind="marketplace",
                        hard="marketplace-message",
                        reply_to=[mid, rpost.mid],
                    )
                )
                mails[-1].intent = "thanks"
        return mails

    def _presales_story(self, force: str | None) -> list[Mail]:
        """A question before buying: its own case. Sometimes the person orders a few days later."""
        rng = self.rng
        c = self._customer()
        t = c.tongue
        self.cases += 1
        case = f"presales:{self.cases}"
        later = force == "presales-before-order" or (force is None and rng.random() < 0.3)
        hard = "presales-before-order" if later else "presales"
        product = rng.choice(PRODUCTS)
        fill = self._fill(t, None, product)
        k = rng.randrange(len(t.presales_bodies))
        subject = rng.choice(t.presales_subjects).format(**fill)
        own = t.presales_bodies[k].format(**fill) + self._distract(t, fill, rng.randint(0, 2))
        ts = self.clock
        mails: list[Mail] = []
        m, post = self._customer_mail(c, ts, subject, own, case, hard, kind="presales")
        m.intent = "presales"
        mails.append(m)
        thread = [post]
        if rng.random() < 0.85:
            ts += rng.randrange(1800, 30 * 3600)
            r, rpost = self._merchant_mail(
                c,
                ts,
                self._reply_subject(EN, subject),
                rng.choice(t.presales_answers).format(**fill),
                case,
                hard,
                parent=post,
                refs=[post.mid],
            )
            mails.append(r)
            thread.append(rpost)
            if rng.random() < 0.4:
                ts += rng.randrange(1800, 30 * 3600)
                f, _ = self._customer_mail(
                    c,
                    ts,
                    self._reply_subject(t, subject),
                    rng.choice(t.thanks),
                    case,
                    hard,
                    kind="presales",
                    parent=rpost,
                    refs=[p.mid for p in thread],
                )
                f.intent = "thanks"
                mails.append(f)
        if later:
            platform = rng.choices(OWN_STORE, OWN_WEIGHTS)[0]
            t0 = ts + rng.randrange(DAY, 4 * DAY)
            o = self._order(platform, c, t0)
            mails.append(self._notice(o))
            if rng.random() < 0.5:
                self._conversation(o, t0 + rng.randrange(DAY, 6 * DAY), None, mails)
            c.no_repeat = True
        return mails

    def _list_story(self, force: str | None) -> list[Mail]:
        """A mailing-list thread, a supplier newsletter or spam: each its own case."""
        rng = self.rng
        what = force or rng.choices(("list-thread", "newsletter", "spam"), (0.35, 0.35, 0.3))[0]
        self.cases += 1
        ts = self.clock
        if what == "list-thread":
            case = f"list:{self.cases}"
            year = time.gmtime(ts).tm_year
            topics = (
                f"How do you handle returns from {rng.choice(('the EU', 'Norway', 'the UK'))}?",
                "Shopify order #1001 webhook fires twice",
                f"Best label printer for {year}?",
                f"Packaging supplier for {rng.choice(('glass', 'paper', 'bubble wrap'))}?",
                f"WooCommerce {rng.randint(6, 9)}.{rng.randint(0, 9)}: order emails not sent",
                f"Etsy fees went up again ({_MONTHS[time.gmtime(ts).tm_mon - 1]})",
                f"{rng.choice(('DHL', 'UPS', 'DPD', 'Omniva'))} pickup times in "
                f"{rng.choice(('Berlin', 'Riga', 'Helsinki', 'Leeds'))}",
                f"PayPal holds funds after {rng.choice((10, 20, 50))} orders",
                f"VAT OSS return for Q{rng.randint(1, 4)} {year}",
                f"Trade fair {year}: who is going?",
            )
            subject = f"[shop-owners] {rng.choice(topics)}"
            mails: list[Mail] = []
            refs: list[str] = []
            people = [
                ("Tom Becker", "tom@beckerwaren.example"),
                ("Lisa Park", "lisa.park@handmade.example"),
                ("Ahmed Khan", "ahmed@khan-spices.example"),
                ("Sarah Lee", "sarah@leecandles.example"),
            ]
            for k in range(rng.randint(1, 4)):
                name, addr = rng.choice(people)
                text = (
                    f"{'Hi all' if k == 0 else 'Hi'},\n\n"
                    + rng.choice(
                        (
                            "We see this too since the last update; our order numbers jumped by "
                            "two. Anyone else?",
                            "I use the DHL business portal and print 100x150 labels, works fine.",
                            "Our returns rate is about 4%, we refund within 3 days.",
                            "Try asking them for the 2024 price list, they give 10% off over 500 "
                            "units.",
                        )
                    )
                    + f"\n\n{name.split()[0]}\n\n--\nshop-owners mailing list\n"
                    "https://lists.example/mailman/listinfo/shop-owners\n"
                )
                mid = self._mid(addr.split("@")[1])
                mails.append(
                    self._mail(
                        ts,
                        from_name=name,
                        from_addr=addr,
                        to="shop-owners@lists.example",
                        subject=subject if k == 0 else "Re: " + subject,
                        text=text,
                        code="en",
                        tz=0,
                        mid=mid,
                        case=case,
                        kind="list",
                        hard="list-thread",
                        reply_to=refs,
                        extra="List-Id: Shop owners <shop-owners.lists.example>\n"
                        "List-Post: <mailto:shop-owners@lists.example>\nPrecedence: list\n",
                    )
                )
                refs = [*refs, mid]
                ts += rng.randrange(1800, DAY)
            return mails
        if what == "newsletter":
            sender = rng.choice(
                (
                    ("Acme Packaging", "news@acme-packaging.example"),
                    ("Shopify", "no-reply@shopify.com"),
                    ("Bottle Supply Co", "hello@bottlesupply.example"),
                )
            )
            subject = rng.choice(
                (
                    "Spring news: 15% off shipping boxes",
                    "Your monthly store report",
                    "New: amber glass bottles in 30 ml and 50 ml",
                    "Order by 15 March for delivery before Easter",
                )
            )
            text = (
                f"{subject}\n\nHello {SHOP_NAME},\n\nThis month: reorder your favourites with code "
                f"SPRING{rng.randint(10, 30)} — order now, free shipping over "
                f"€{rng.choice((49, 99))}.\n"
                f"Customer service: +49 40 {self._digits(7)}\n\nUnsubscribe: "
                f"https://{sender[1].split('@')[1]}/unsubscribe?u={self._digits(9)}\n"
            )
            extra = (
                f"List-Unsubscribe: <https://{sender[1].split('@')[1]}/unsubscribe>\n"
                "Precedence: bulk\n"
            )
            return [
                self._mail(
                    ts,
                    from_name=sender[0],
                    from_addr=sender[1],
                    to=f"{SHOP_NAME} <{SUPPORT}>",
                    subject=subject,
                    text=text,
                    code="en",
                    tz=0,
                    mid=self._mid(sender[1].split("@")[1]),
                    case=f"newsletter:{self.cases}",
                    kind="list",
                    hard="newsletter",
                    extra=extra,
                    want_html=0.8,
                )
            ]
        spam_no = self._digits(7)
        subject = rng.choice(
            (
                f"Your order #{spam_no} has been shipped",
                "Your account has been suspended",
                f"Invoice {spam_no} overdue - action required",
                "You have (1) pending payment of €1,042.00",
                "Boost your sales 300% with our SEO service",
            )
        )
        domain = rng.choice(("secure-verify.example", "promo-mail.example", "dhl-track.example"))
        text = (
            f"Dear customer,\n\n{subject}. Please confirm your details within 24 hours at "
            f"http://{domain}/login?id={spam_no}\n\nRef: {self._digits(6)}\n"
        )
        return [
            self._mail(
                ts,
                from_name="Customer Service",
                from_addr=f"noreply{self._digits(3)}@{domain}",
                to=SUPPORT,
                subject=subject,
                text=text,
                code="en",
                tz=0,
                mid=self._mid(domain),
                case=f"spam:{self.cases}",
                kind="list",
                hard="spam",
            )
        ]


# ---------------------------------------------------------------------------------------------
# Writing


def iter_mail(
    n: int, seed: int = 0, order_prefix: str = "", order_suffix: str = ""
) -> Iterator[Mail]:
    """Exactly `n` messages (the last story cut short), the same for the same arguments."""
    gen = ShopMail(seed, order_prefix, order_suffix)
    left = n
    while left > 0:
        for m in gen.story()[:left]:
            yield m
            left -= 1


def _maildir(path: Path) -> None:
    for sub in ("cur", "new", "tmp"):
        (path / sub).mkdir(parents=True, exist_ok=True)


def generate(
    n: int, seed: int, out_dir: Path, order_prefix: str = "", order_suffix: str = ""
) -> GenStats:
    """Write `n` messages to out_dir/Maildir (INBOX in cur/, the merchant's mail in .Sent/cur/),
    one truth line per message to out_dir/truth.jsonl and the shop's settings to shop.json."""
    t0 = time.perf_counter()
    out_dir = Path(out_dir)
    maildir = out_dir / "Maildir"
    _maildir(maildir)
    _maildir(maildir / ".Sent")
    (maildir / ".Sent" / "maildirfolder").touch()
    inbox_dir, sent_dir = maildir / "cur", maildir / ".Sent" / "cur"
    kinds: Counter[str] = Counter()
    hards: Counter[str] = Counter()
    langs: Counter[str] = Counter()
    cases: set[str] = set()
    inbox = sent = dups = total = 0
    with (out_dir / "truth.jsonl").open("w", encoding="utf-8") as truth:
        for i, m in enumerate(iter_mail(n, seed, order_prefix, order_suffix)):
            name = f"{m.ts}.M{i:07d}S{seed}.shopgen,S={len(m.raw)}:2,S"
            if m.folder == "Sent":
                (sent_dir / name).write_bytes(m.raw)
                sent += 1
                if m.also_inbox:
                    (inbox_dir / name).write_bytes(m.raw)
                    dups += 1
            else:
                (inbox_dir / name).write_bytes(m.raw)
                inbox += 1
            total += len(m.raw)
            kinds[m.kind] += 1
            hards[m.hard] += 1
            langs[m.lang] += 1
            cases.add(m.case)
            truth.write(
                json.dumps(
                    {
                        "message_id": m.mid,
                        "case": m.case,
                        "kind": m.kind,
                        "hard": m.hard,
                        "lang": m.lang,
                        "folder": m.folder,
                        "subject": m.subject,
                        "ts": m.ts,
                        "order_refs": list(m.order_refs),
                        **({"intent": m.intent} if m.intent else {}),
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )
    shop: dict[str, object] = {
        "name": SHOP_NAME,
        "addresses": list(SHOP_ADDRESSES),
        "order_prefix": order_prefix,
        "order_suffix": order_suffix,
    }
    (out_dir / "shop.json").write_text(json.dumps(shop, indent=2) + "\n", encoding="utf-8")
    return GenStats(
        n=n,
        seed=seed,
        out_dir=out_dir,
        maildir=maildir,
        truth=out_dir / "truth.jsonl",
        inbox=inbox,
        sent=sent,
        duplicates=dups,
        cases=len(cases),
        total_bytes=total,
        seconds=time.perf_counter() - t0,
        by_kind=dict(kinds),
        by_hard=dict(hards),
        by_lang=dict(langs),
        shop=shop,
    )


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--n", type=int, default=1000, help="messages to write")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", type=Path, required=True, help="output folder (created)")
    p.add_argument("--order-prefix", default="", help="Shopify order-number prefix, e.g. MS-")
    p.add_argument("--order-suffix", default="", help="Shopify order-number suffix")
    args = p.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    st = generate(args.n, args.seed, args.out, args.order_prefix, args.order_suffix)
    print(
        f"{st.n} messages ({st.inbox} INBOX, {st.sent} Sent, {st.duplicates} also in INBOX), "
        f"{st.cases} true cases, {st.total_bytes / 1e6:.1f} MB in {st.seconds:.2f} s "
        f"({st.n / max(st.seconds, 1e-9):.0f} msg/s) -> {st.maildir}"
    )
    print("kinds:", json.dumps(dict(sorted(st.by_kind.items()))))
    print("hard:", json.dumps(dict(sorted(st.by_hard.items()))))
    print("languages:", json.dumps(dict(sorted(st.by_lang.items()))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
