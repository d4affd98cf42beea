"""The one entry point for "Weitere interessante Artikel".

First version: score candidates by shared tags, same section and shared title words. A
measured relatedness engine replaces the scoring behind this same function."""

from kryptowelt.search.analysis import STOP_WORDS, stem, tokenize

CANDIDATE_POOL = 300
TAG_WEIGHT = 3.0
SECTION_WEIGHT = 1.0
TITLE_WORD_WEIGHT = 1.5


def _title_stems(title: str) -> set[str]:
    return {stem(word) for word in tokenize(title) if word not in STOP_WORDS and len(word) > 2}


def article_related_list(*, article, limit: int = 6) -> list:
    """Up to `limit` other published articles a reader of `article` may want next."""
    from kryptowelt.news.selectors import article_list

    candidates = list(
        article_list().exclude(pk=article.pk).prefetch_related("tags")[:CANDIDATE_POOL]
    )
    tag_ids = {tag.pk for tag in article.tags.all()}
    section_path = article.path[: -article.steplen]
    title_stems = _title_stems(article.title)

    scored = []
    for recency_rank, candidate in enumerate(candidates):
        score = TAG_WEIGHT * len(tag_ids & {tag.pk for tag in candidate.tags.all()})
        if candidate.path.startswith(section_path):
            score += SECTION_WEIGHT
        score += TITLE_WORD_WEIGHT * len(title_stems & _title_stems(candidate.title))
        scored.append((score, -recency_rank, candidate))
    scored.sort(key=lambda item: (item[0], item[1]), reverse=True)
    return [candidate for _, _, candidate in scored[:limit]]
