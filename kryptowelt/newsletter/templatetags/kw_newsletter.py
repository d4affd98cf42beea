"""{% newsletter_form %}: the sign-up form (no JavaScript, no cookie) for the home page, the
end of articles and /newsletter/ itself. Renders nothing while there is no newsletter page."""

from django import template

from kryptowelt.core.models import pillar_reverse
from kryptowelt.newsletter.selectors import newsletter_list_choices

register = template.Library()


@register.inclusion_tag("newsletter/components/subscribe_form.html")
def newsletter_form(compact=False, errors=None, email=""):
    action = pillar_reverse("newsletter:subscribe")
    return {
        "action": action,
        "lists": newsletter_list_choices() if action else [],
        "compact": compact,
        "errors": errors or [],
        "email": email,
    }
