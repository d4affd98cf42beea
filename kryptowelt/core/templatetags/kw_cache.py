"""`{% kw_fragment "name" obj … %}…{% endkw_fragment %}`: a template fragment kept in the shared
cache until the content generation changes (any publish, see core/http_cache.py).

Unlike Django's `{% cache %}` it never serves a cached fragment to a preview, a POST or when
fragment caching is off (tests), and its key includes the host (fragments may hold absolute
URLs) and the content generation, so nothing has to be deleted when content changes."""

import hashlib

from django import template
from django.conf import settings
from django.core.cache import cache

from kryptowelt.core.http_cache import content_generation, memory

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, nodelist, parts):
        self.nodelist = nodelist
        self.parts = parts

    def render(self, context):
        seconds = settings.KRYPTOWELT_FRAGMENT_CACHE_SECONDS
        request = context.get("request")
        if (
            not seconds
            or request is None
            or request.method not in ("GET", "HEAD")
            or getattr(request, "is_preview", False)
        ):
            return self.nodelist.render(context)
        values = [request.scheme, request.get_host()]
        for part in self.parts:
            value = part.resolve(context)
            values.append(str(getattr(value, "pk", value)))
        digest = hashlib.sha256("\x1f".join(values).encode()).hexdigest()[:32]
        generation = content_generation()
        html = memory.get(digest, generation)  # this process first, then the shared cache
        if html is not None:
            return html
        key = f"kw:fragment:{generation}:{digest}"
        html = cache.get(key)
        if html is None:
            html = self.nodelist.render(context)
            cache.set(key, html, seconds)
        memory.set(digest, generation, html, seconds=seconds)
        return html


@register.tag("kw_fragment")
def kw_fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("kw_fragment braucht einen Namen")
    nodelist = parser.parse(("endkw_fragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, [parser.compile_filter(bit) for bit in bits[1:]])
