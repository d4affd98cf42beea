"""Texts of the legal pages as earlier versions of the demo wrote them (original, German).

`load_site` writes a legal page only where it is missing, so an installed site kept these
texts after they were corrected. A page whose published text is still exactly one of them (and
has no draft) was never touched by an editor: the loader replaces it with the current text of
pages_text.py. Add the text here whenever a legal text there changes.

- DATENSCHUTZ_2026_11 / UEBER_UNS_2026_11: the first demo (25 Nov 2026), "keine Cookies" for
  readers, untrue since the tax calculator sets a csrftoken cookie.
- DATENSCHUTZ_MEISTGELESEN: with the "Meistgelesen" section, still "keine Cookies".
- DATENSCHUTZ_COOKIES: the corrected cookie text, before "Meistgelesen" was added to it.
- IMPRESSUM_ONE_LINE: the address without line breaks (it ran into one line).
"""

DATENSCHUTZ_2026_11 = """
## Das Wichtigste in Kürze

Kryptowelt verzichtet auf Tracking: Wir setzen für Leserinnen und Leser **keine Cookies**,
binden **keine Werbenetzwerke, Analyse-Dienste, Schriftarten oder Skripte von Dritten** ein
und laden Bilder, Kurse und Grafiken ausschließlich von unserem eigenen Server.

## Verantwortliche Stelle

Verantwortlich im Sinne der Datenschutz-Grundverordnung (DSGVO) ist der im Impressum
genannte Betreiber.

## Server-Protokolle

Beim Aufruf einer Seite verarbeitet unser Webserver technisch notwendige Daten: IP-Adresse,
Datum und Uhrzeit, aufgerufene Adresse, übertragene Datenmenge, Browser-Kennung und die
zuvor besuchte Seite. Das ist nötig, um die Seiten auszuliefern und Angriffe abzuwehren
(Art. 6 Abs. 1 lit. f DSGVO). Die Protokolle werden nach spätestens 14 Tagen gelöscht.

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

DATENSCHUTZ_MEISTGELESEN = """
## Das Wichtigste in Kürze

Kryptowelt verzichtet auf Tracking: Wir setzen für Leserinnen und Leser **keine Cookies**,
binden **keine Werbenetzwerke, Analyse-Dienste, Schriftarten oder Skripte von Dritten** ein
und laden Bilder, Kurse und Grafiken ausschließlich von unserem eigenen Server.

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

DATENSCHUTZ_COOKIES = """
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

UEBER_UNS_2026_11 = """
## Die Welt der Kryptowährungen – verständlich und unabhängig

Kryptowelt ist ein deutschsprachiges Portal für alle, die Kryptowährungen verstehen wollen:
von der ersten Frage „Was ist eigentlich Bitcoin?“ bis zur Steuererklärung.

## Unsere Grundsätze

- **Belege statt Behauptungen:** Zahlen, Gebühren und Rechtsregeln nennen ihre Quelle und
  ihr Datum.
- **Keine Anlageberatung:** Wir erklären Chancen und Risiken, empfehlen aber keine Käufe.
- **Kein Tracking:** Keine Cookies für Leser, keine Skripte von Drittanbietern.
- **Transparente Vergleiche:** Provisionslinks sind als „Anzeige“ gekennzeichnet und
  beeinflussen keine Bewertung.

## Die Redaktion

Die Autorinnen und Autoren dieser Demo-Installation sind fiktive Beispielprofile. Auf den
Autorenseiten finden Sie ihre Artikel.
"""

IMPRESSUM_ONE_LINE = """
## Angaben gemäß § 5 Digitale-Dienste-Gesetz (DDG)

Dies ist das Impressum der **Demo-Installation** von Kryptowelt. Die folgenden Angaben sind
Beispieldaten und müssen vor dem Livegang durch die Daten des tatsächlichen Betreibers
ersetzt werden (Seite „Impressum“ im Redaktionssystem bearbeiten).

Kryptowelt Demo-Redaktion
Musterstraße 1
10115 Berlin

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

# Until 3 Dec 2026 (before the newsletter, price alert and watchlist paragraphs).
DATENSCHUTZ_2026_12_03 = """
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

PREVIOUS_TEXTS = {
    "impressum": (IMPRESSUM_ONE_LINE,),
    "datenschutz": (
        DATENSCHUTZ_2026_11,
        DATENSCHUTZ_MEISTGELESEN,
        DATENSCHUTZ_COOKIES,
        DATENSCHUTZ_2026_12_03,
    ),
    "ueber-uns": (UEBER_UNS_2026_11,),
}
