"""What the Lexikon's pages show (registered with kryptowelt.core.page_views)."""

from kryptowelt.core.page_views import page_context
from kryptowelt.glossary.models import LexiconIndexPage, LexiconTermPage
from kryptowelt.glossary.selectors import lexicon_register, term_related_articles
from kryptowelt.glossary.structured_data import defined_term_set_json_ld


@page_context(LexiconIndexPage)
def lexicon_context(page, request) -> dict:
    register = lexicon_register(index=page)
    return {
        "register": register,
        # The whole register as a DefinedTermSet, instead of the page's own JSON-LD.
        "page_json_ld": [
            defined_term_set_json_ld(index=page, register=register, request=request),
            *page.get_json_ld(request),
        ],
    }


@page_context(LexiconTermPage)
def term_context(page, request) -> dict:
    return {"related_articles": term_related_articles(term=page)}
