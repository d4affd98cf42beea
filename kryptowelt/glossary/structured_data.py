"""JSON-LD for the lexicon: schema.org DefinedTermSet (the lexicon) and DefinedTerm (a term)."""

LEXICON_NAME = "Krypto-Lexikon"


def _defined_term_set(index, request) -> dict:
    url = index.get_full_url(request)
    return {
        "@type": "DefinedTermSet",
        "@id": url,
        "name": index.title or LEXICON_NAME,
        "url": url,
        "inLanguage": "de-DE",
    }


def defined_term_json_ld(*, term, request) -> dict:
    url = term.get_full_url(request)
    data = {
        "@context": "https://schema.org",
        "@type": "DefinedTerm",
        "@id": url,
        "name": term.title,
        "description": term.short_definition,
        "url": url,
        "termCode": term.slug,
        "inLanguage": "de-DE",
    }
    if term.variant_list:
        data["alternateName"] = term.variant_list
    if term.lexicon_index is not None:
        data["inDefinedTermSet"] = _defined_term_set(term.lexicon_index, request)
    return data


def defined_term_set_json_ld(*, index, register: dict, request) -> dict:
    data = {"@context": "https://schema.org", **_defined_term_set(index, request)}
    if index.intro:
        data["description"] = index.intro
    base = data["url"]
    data["hasDefinedTerm"] = [
        {
            "@type": "DefinedTerm",
            "@id": f"{base}{term['slug']}/",
            "name": term["title"],
            "description": term["short"],
            "url": f"{base}{term['slug']}/",
        }
        for term in register["terms"]
    ]
    return data
