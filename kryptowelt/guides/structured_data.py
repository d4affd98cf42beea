"""JSON-LD for guides: schema.org FAQPage for the questions and answers of a guide."""

from kryptowelt.core.text import html_to_text


def faq_page_json_ld(*, guide) -> dict | None:
    questions = []
    for block in guide.faq:
        if block.block_type != "faq":
            continue
        question = block.value["question"].strip()
        answer = html_to_text(block.value["answer"].source)
        if question and answer:
            questions.append(
                {
                    "@type": "Question",
                    "name": question,
                    "acceptedAnswer": {"@type": "Answer", "text": answer},
                }
            )
    if not questions:
        return None
    return {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "inLanguage": "de-DE",
        "mainEntity": questions,
    }
