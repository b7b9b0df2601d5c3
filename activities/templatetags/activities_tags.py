from html import escape

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

register = template.Library()

# These tags draw one item of a list each (a discussion's posts): markup built
# with f-strings, the text people typed escaped with the standard library's
# escape; every other value is a number or our own constant. An include, or
# format_html's per-argument escaping, cost more than the post (issue 15).


def _like(post, error: str = "") -> str:
    liked = bool(getattr(post, "liked", False))
    pk = int(post.pk)
    style = "btn-danger" if liked else "btn-outline-danger"
    ask = "0" if liked else "1"  # what a tap asks for: the other state
    label = "♥ 已赞" if liked else "♡ 点赞"
    said = f' <span class="small text-danger">{escape(error)}</span>' if error else ""
    return (
        f'<span id="like-{pk}"><button type="button" class="btn btn-sm {style} like-button" '
        f'hx-post="{reverse("activities:like", args=[pk])}" hx-vals=\'{{"like": "{ask}"}}\' '
        f'hx-target="#like-{pk}" hx-swap="outerHTML" hx-disabled-elt="this" '
        f'aria-pressed="{"true" if liked else "false"}">{label} '
        f'<span class="like-count">{int(post.like_count)}</span></button>{said}</span>'
    )


@register.simple_tag
def like_button(post, error: str = ""):
    """点赞 for a post: the button htmx swaps in place, with the count."""
    return mark_safe(_like(post, error))  # noqa: S308 - the error text is escaped


@register.simple_tag
def discussion_post(post, *, can_like: bool, user_id: int):
    """One post of a discussion (activities/_discussion.html): its author and
    time, its text, and 点赞 for those who may like it (not their own)."""
    pk = int(post.pk)
    when = timezone.localtime(post.created_at).strftime("%m-%d %H:%M")
    if can_like and post.author_id != user_id:
        like = _like(post)
    else:
        like = f'<span class="small text-muted">♥ {int(post.like_count)}</span>'
    return mark_safe(  # noqa: S308 - the author's name and the text are escaped
        f'<div class="list-group-item" id="post-{pk}">'
        '<div class="d-flex justify-content-between small text-muted mb-1">'
        f'<span class="fw-semibold text-body">{escape(post.author.display_name)}</span>'
        f"<span>{when}</span></div>"
        f'<div class="post-body" style="white-space: pre-wrap">{escape(post.body)}</div>'
        f'<div class="mt-2">{like}</div></div>'
    )
