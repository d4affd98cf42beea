"""Text of the sections and legal pages the demo creates (original, German)."""

SECTIONS = [
    {
        "title": "Neuigkeiten",
        "slug": "neuigkeiten",
        "intro": (
            "Was im Kryptomarkt passiert: Regulierung, Unternehmen, Technik – "
            "eingeordnet statt aufgeregt."
        ),
        "gives_tips": False,
    },
    {
        "title": "Trends",
        "slug": "trends",
        "intro": "Wie sich der Markt bewegt und worüber gesprochen wird – mit Zahlen und Quellen.",
        "gives_tips": False,
    },
    {
        "title": "Tipps",
        "slug": "tipps",
        "intro": "Praktische Ratgeber zu Sicherheit, Kosten, Steuern und dem ersten Kauf.",
        "gives_tips": True,
    },
    {
        "title": "Wissen",
        "slug": "wissen",
        "intro": "Grundlagen verständlich erklärt: von der Blockchain bis zu Stablecoins.",
        "gives_tips": False,
    },
]

# Two spaces before a line's end make a line break in Markdown: the address keeps its lines.
ADDRESS = "  \n".join(("Kryptowelt Demo-Redaktion", "Musterstraße 1", "10115 Berlin"))

IMPRESSUM = f"""
## Angaben gemäß § 5 Digitale-Dienste-Gesetz (DDG)

Dies ist das Impressum der **Demo-Installation** von Kryptowelt. Die folgenden Angaben sind
Beispieldaten und müssen vor dem Livegang durch die Daten des tatsächlichen Betreibers
ersetzt werden (Seite „Impressum“ im Redaktionssystem bearbeiten).

{ADDRESS}

**Vertreten durch:** Lena Hoffmann (Chefredaktion, Demo-Profil)

## Kontakt

E-Mail: redaktion@kryptowelt.example

## Verantwortlich für den Inhalt nach § 18 Abs. 2 MStV

Lena Hoffmann, Anschrift wie oben.

## Hinweis zu Finanzthemen

Die Inhalte von Kryptowelt dienen der allgemeinen Information. Sie sind keine Anlage-,
Rechts- oder Steuerberatung und keine Aufforderung zum Kauf oder Verkauf von Kryptowerten.
Kryptowerte unterliegen starken Kursschwankungen; ein Totalverlust ist möglich.

## Verbraucherstreitbeilegung

Wir sind nicht bereit oder verpflichtet, an Streitbeilegungsverfahren vor einer
Verbraucherschlichtungsstelle teilzunehmen.
"""

DATENSCHUTZ = """
## Das Wichtigste in Kürze

Kryptowelt verzichtet auf Tracking: Wir setzen **keine Cookies zur Wiedererkennung oder
Auswertung**, binden **keine Werbenetzwerke, Analyse-Dienste, Schriftarten oder Skripte von
Dritten** ein und laden Bilder, Kurse und Grafiken ausschließlich von unserem eigenen Server.
Beim Lesen entsteht kein Cookie; einzig der Steuerrechner setzt ein technisch notwendiges
Sicherheits-Cookie (siehe „Cookies“).

## Verantwortliche Stelle

Verantwortlich im Sinne der Datenschutz-Grundverordnung (DSGVO) ist der im Impressum
genannte Betreiber.

## Server-Protokolle

Beim Aufruf einer Seite verarbeitet unser Webserver technisch notwendige Daten: IP-Adresse,
Datum und Uhrzeit, aufgerufene Adresse, übertragene Datenmenge, Browser-Kennung und die
zuvor besuchte Seite. Das ist nötig, um die Seiten auszuliefern und Angriffe abzuwehren
(Art. 6 Abs. 1 lit. f DSGVO). Die Protokolle werden nach spätestens 14 Tagen gelöscht.

## „Meistgelesen“

Für die Listen „Meistgelesen“ schreibt unser Webserver je Seitenaufruf eine eigene Zeile mit
nur vier Angaben: der Stunde des Aufrufs, dem Ergebnis (z. B. „gefunden“), ob der Aufruf von
einem Programm wie einer Suchmaschine oder ein Vorabruf des Browsers war, und der Adresse
der Seite. **Keine IP-Adresse, keine Browser-Kennung, keine zuvor besuchte Seite, kein
Cookie.** Alle paar Minuten zählen wir diese Zeilen zu Aufrufen je Artikel und Stunde
zusammen und löschen sie; Aufrufe von Programmen und Vorabrufe zählen nicht. Die Zahlen je
Stunde löschen wir nach acht Tagen. Aus ihnen lässt sich keine Person erkennen.

## Cookies

Artikel, Kurse, Vergleiche, Lexikon, Ratgeber, Gewinn- und Sparplanrechner setzen keine
Cookies. Der **Steuerrechner** (/rechner/steuer/) setzt beim Aufruf das Cookie
„csrftoken“: eine Zufallszahl, die nur prüft, dass ein abgeschicktes Formular von unserer
Seite stammt und nicht von einer fremden Seite in Ihrem Namen (Schutz vor
Cross-Site-Request-Forgery). Es enthält keine Angaben über Sie, wird nicht ausgewertet und
mit nichts verknüpft. Es bleibt bis zu einem Jahr in Ihrem Browser gespeichert; Sie können
es jederzeit löschen, der Rechner setzt beim nächsten Aufruf ein neues. Rechtsgrundlage ist
§ 25 Abs. 2 Nr. 2 TDDDG (technisch unbedingt erforderlich) und Art. 6 Abs. 1 lit. f DSGVO.

## Rechner

Der **Steuerrechner** liest Ihre Eingaben und eine hochgeladene CSV-Datei (höchstens 10 MB)
nur im Arbeitsspeicher des Servers, rechnet und verwirft sie mit der Antwort: Nichts davon
wird auf die Festplatte geschrieben oder in einer Datenbank gespeichert. Damit
Sie das Ergebnis drucken oder als CSV herunterladen können, ohne dass wir es aufbewahren,
steht die Liste Ihrer Buchungen in der Ergebnisseite selbst (in einem verborgenen
Formularfeld) und wird beim Klick auf „Druckfassung öffnen“ oder „Ergebnis als CSV
herunterladen“ erneut an uns geschickt und genauso verarbeitet. Das Server-Protokoll enthält nur die Adresse /rechner/steuer/, nicht
Ihre Daten.

Die Eingaben in **Gewinn- und Sparplanrechner** stehen in der Adresse der Ergebnisseite
(damit Sie ein Ergebnis als Link teilen können) und damit, wie jede aufgerufene Adresse, im
Server-Protokoll (siehe oben, höchstens 14 Tage).

## Suche

Suchanfragen werden nur verarbeitet, um Ihnen die Ergebnisse anzuzeigen. Wir speichern sie
nicht in Verbindung mit Ihrer IP-Adresse.

## Eingebettete Inhalte

Manche Artikel enthalten Inhalte anderer Anbieter, etwa Videos. Diese werden erst geladen,
wenn Sie auf „Inhalt laden“ klicken. Erst dann überträgt Ihr Browser Daten (zum Beispiel
Ihre IP-Adresse) an den jeweiligen Anbieter, für dessen Datenverarbeitung dann dessen
Datenschutzerklärung gilt.

## Redaktionssystem

Nur für angemeldete Redakteurinnen und Redakteure setzt das Redaktionssystem unter /admin/
ein Sitzungs-Cookie, das für die Anmeldung technisch notwendig ist.

## Ihre Rechte

Sie haben das Recht auf Auskunft, Berichtigung, Löschung, Einschränkung der Verarbeitung,
Datenübertragbarkeit und Widerspruch (Art. 15–21 DSGVO) sowie das Recht, sich bei einer
Datenschutz-Aufsichtsbehörde zu beschweren (Art. 77 DSGVO). Schreiben Sie uns dazu an die
im Impressum genannte Adresse.
"""

# The newsletter's paragraph (kryptowelt/newsletter), kept as its own block so other
# features can add theirs beside it; it goes before "Ihre Rechte".
DATENSCHUTZ_NEWSLETTER = """
## Newsletter

Wenn Sie unseren Newsletter bestellen, speichern wir **nur** Ihre E-Mail-Adresse, die
gewählten Listen (zum Beispiel „Täglicher Überblick“) sowie Datum und Uhrzeit Ihrer Anmeldung
und Ihrer Bestätigung – als Nachweis Ihrer Einwilligung (Art. 6 Abs. 1 lit. a und Art. 7
Abs. 1 DSGVO). Keine IP-Adresse, keine Browser-Kennung; wir messen weder Öffnungen noch
Klicks, und die Links in unseren E-Mails enthalten keine Kennungen zur Auswertung. Erst wenn
Sie den Link in unserer Bestätigungs-E-Mail anklicken (Double-Opt-in), erhalten Sie den
Newsletter; eine Anmeldung, die nicht innerhalb von 48 Stunden bestätigt wird, löschen wir.
Jede E-Mail enthält einen Link zum Abmelden mit einem Klick: Dabei löschen wir Ihre Adresse
und Ihre Listen sofort. Über „Meine Daten“ in jeder E-Mail schicken wir Ihnen alles, was wir
zu Ihrer Adresse gespeichert haben. Damit beim Versand niemand eine Ausgabe doppelt erhält,
vermerken wir je Ausgabe, ob die Zustellung gelang – nicht mit Ihrer Adresse, sondern mit
einem kryptografischen Prüfwert (HMAC), aus dem sich die Adresse nicht ablesen lässt.
"""
DATENSCHUTZ = DATENSCHUTZ.replace(
    "## Ihre Rechte", DATENSCHUTZ_NEWSLETTER.lstrip() + "\n## Ihre Rechte"
)
# Issue 17: one block per reader feature (price alerts, watchlist), each a constant of its
# own, inserted before "Ihre Rechte" below – so other features add theirs the same way.
DATENSCHUTZ_KURSALARM = """
## Kursalarm per E-Mail

Wenn Sie auf der Seite einer Kryptowährung einen Kursalarm anlegen, speichern wir genau
diese Angaben: **Ihre E-Mail-Adresse**, die Kryptowährung, die Art des Alarms (über oder
unter einem Euro-Kurs oder eine Veränderung in 24 Stunden) mit ihrer Schwelle, den Zustand
des Alarms (wartet auf Bestätigung, aktiv, ausgelöst) sowie die Zeitpunkte der Anmeldung,
der Bestätigung und der letzten Auslösung. Den Zeitpunkt der Bestätigung bewahren wir als
Nachweis Ihrer Einwilligung auf. Wir speichern **keine IP-Adresse, keine Browser-Kennung,
kein Konto und kein Cookie**, und wir erfassen nicht, ob Sie unsere E-Mails öffnen oder
Links darin anklicken.

Der Alarm wird erst aktiv, wenn Sie den Link in unserer Bestätigungs-E-Mail öffnen
(Double-Opt-in); der Link gilt 48 Stunden. Einen unbestätigten Alarm löschen wir nach
48 Stunden. Ihre Adresse nutzen wir nur für die E-Mails dieses Dienstes: die Bestätigung,
je Auslösung eine Nachricht mit Kurs, Zeitpunkt und Quelle sowie, wenn Sie einen Alarm
doppelt anlegen oder die Höchstzahl von zehn Alarmen je Adresse erreicht ist, einen
Hinweis darauf. Nach einer Auslösung pausiert der Alarm, bis Sie ihn wieder aktivieren;
einen pausierten Alarm, den Sie 90 Tage lang nicht wieder aktivieren, löschen wir.

Jede E-Mail enthält Links, mit denen Sie den Alarm verwalten, ihn sofort löschen oder alle
Ihre Alarme löschen; gelöscht ist gelöscht, eine Kopie behalten wir nicht. Die Links
enthalten einen signierten Code mit der Nummer des Alarms, nicht Ihre Adresse; wie jede
aufgerufene Adresse steht er im Server-Protokoll (höchstens 14 Tage). Damit niemand das Formular nutzt, um fremde Postfächer
zu füllen, zählen wir eine Stunde lang, wie viele E-Mails das Formular an eine Adresse
ausgelöst hat – unter einem Prüfwert (Hash) der Adresse, nicht unter der Adresse selbst.

Rechtsgrundlage ist Ihre Einwilligung (Art. 6 Abs. 1 lit. a DSGVO), die Sie jederzeit durch
Löschen des Alarms widerrufen können.
"""

DATENSCHUTZ_BEOBACHTUNGSLISTE = """
## Beobachtungsliste

Kryptowährungen, die Sie mit dem Stern (☆) markieren, speichert **Ihr Browser** im lokalen
Speicher (localStorage) unter dem Namen „kryptowelt:beobachtungsliste“: nur die Kennungen
der markierten Kryptowährungen, zum Beispiel „bitcoin“. Das ist kein Cookie, und die Liste
wird nie an uns oder an andere übertragen; sie gilt nur für diesen Browser auf diesem
Gerät. Sie bleibt gespeichert, bis Sie die Sterne wieder entfernen oder die Websitedaten
von Kryptowelt in Ihrem Browser löschen.

Damit die Liste aktuelle Kurse zeigt, lädt Ihr Browser – nur wenn die Liste nicht leer ist –
die öffentliche Kursliste von unserer eigenen Schnittstelle (/api/v1/coins/). Das ist für
alle Leserinnen und Leser dieselbe Anfrage und verrät nicht, welche Kryptowährungen Sie
markiert haben; wie jeder Seitenaufruf steht sie im Server-Protokoll (siehe oben,
höchstens 14 Tage). Ohne JavaScript gibt es keine Sterne und keine Liste.

Rechtsgrundlage für das Speichern in Ihrem Browser ist § 25 Abs. 2 Nr. 2 TDDDG: Es ist für
den Dienst, den Sie mit dem Stern ausdrücklich anfordern, unbedingt erforderlich.
"""

DATENSCHUTZ = DATENSCHUTZ.replace(
    "## Ihre Rechte", DATENSCHUTZ_KURSALARM + DATENSCHUTZ_BEOBACHTUNGSLISTE + "\n## Ihre Rechte"
)

UEBER_UNS = """
## Die Welt der Kryptowährungen – verständlich und unabhängig

Kryptowelt ist ein deutschsprachiges Portal für alle, die Kryptowährungen verstehen wollen:
von der ersten Frage „Was ist eigentlich Bitcoin?“ bis zur Steuererklärung.

## Unsere Grundsätze

- **Belege statt Behauptungen:** Zahlen, Gebühren und Rechtsregeln nennen ihre Quelle und
  ihr Datum.
- **Keine Anlageberatung:** Wir erklären Chancen und Risiken, empfehlen aber keine Käufe.
- **Kein Tracking:** Keine Cookies zur Wiedererkennung, keine Skripte von Drittanbietern.
- **Transparente Vergleiche:** Provisionslinks sind als „Anzeige“ gekennzeichnet und
  beeinflussen keine Bewertung.

## Die Redaktion

Die Autorinnen und Autoren dieser Demo-Installation sind fiktive Beispielprofile. Auf den
Autorenseiten finden Sie ihre Artikel.
"""

LEGAL_PAGES = [
    ("Impressum", "impressum", IMPRESSUM, "impressum_page"),
    ("Datenschutz", "datenschutz", DATENSCHUTZ, "privacy_page"),
    ("Über uns", "ueber-uns", UEBER_UNS, "about_page"),
]
