"""`{% kw_fragment "name" obj … %}…{% endkw_fragment %}`: a template fragment kept until a
scope it read changes (kryptowelt/caching/scopes.py).

Unlike Django's `{% cache %}` it never serves a cached fragment to a preview, a POST or when
fragment caching is off (tests); its key includes the host name (a multi-site set-up
shows different pages under one path; the port and scheme a client chose never count, since
no fragment holds a URL built from them); and it knows what it shows: the scopes that the selectors called while rendering it
declared (plus content), so a market sync renews a price box and not the article around it.
"""

import hashlib

from django import template
from django.conf import settings

from kryptowelt.caching.pages import request_hostname
from kryptowelt.caching.remember import remembered

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
        values = [request_hostname(request)]
        for part in self.parts:
            value = part.resolve(context)
            values.append(str(getattr(value, "pk", value)))
        digest = hashlib.sha256("\x1f".join(values).encode()).hexdigest()[:32]
        return remembered(
            f"fragment:{digest}", lambda: self.nodelist.render(context), seconds=seconds
        )


@register.tag("kw_fragment")
def kw_fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("kw_fragment braucht einen Namen")
    nodelist = parser.parse(("endkw_fragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, [parser.compile_filter(bit) for bit in bits[1:]])
