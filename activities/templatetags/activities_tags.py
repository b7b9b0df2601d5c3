from django import template
from django.urls import reverse
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def like_button(post, error: str = ""):
    """点赞 for a post: the button htmx swaps in place, with the count. A tag,
    not an include: a discussion draws one per post, and an include per post
    cost more than the post (issue 15)."""
    liked = bool(getattr(post, "liked", False))
    return format_html(
        '<span id="like-{}"><button type="button" class="btn btn-sm {} like-button" '
        'hx-post="{}" hx-vals=\'{{"like": "{}"}}\' hx-target="#like-{}" hx-swap="outerHTML" '
        'hx-disabled-elt="this" '
        'aria-pressed="{}">{} <span class="like-count">{}</span></button>{}</span>',
        post.pk,
        "btn-danger" if liked else "btn-outline-danger",
        reverse("activities:like", args=[post.pk]),
        "0" if liked else "1",  # what a tap asks for: the other state
        post.pk,
        "true" if liked else "false",
        "♥ 已赞" if liked else "♡ 点赞",
        post.like_count,
        format_html(' <span class="small text-danger">{}</span>', error) if error else "",
    )
