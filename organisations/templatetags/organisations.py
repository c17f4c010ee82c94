from django import template

from ..access import readable_organisations

register = template.Library()


@register.simple_tag(takes_context=True)
def my_organisations(context) -> list:
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return []
    return list(readable_organisations(request.user)[:20])
