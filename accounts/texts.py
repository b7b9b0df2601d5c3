"""How long a typed text may be. Without a cap a text area took whatever the
request held (outside test 7: a 2 MB group plan, served to every member on
every visit). Forms cap their text areas with `capped`: the browser stops the
typing at the text area's maxlength, and the form refuses what gets past it
with a message in Chinese."""

from django.core.validators import MaxLengthValidator

# A document typed into the page: a group's plan, a homework's text.
DOCUMENT_CHARS = 20_000
# A description, a note, one section of the school's 两案, a schedule row.
NOTE_CHARS = 5_000

# The form's refusal, in place of Django's ("确保该变量包含不超过…").
TOO_LONG = "最多 %(limit_value)d 个字（现在 %(show_value)d 个），请删减后再提交。"


def capped(field, limit: int):
    """`field` (a form CharField, declared or a model form's) taking at most
    `limit` characters; returns it."""
    field.max_length = limit
    field.validators.append(MaxLengthValidator(limit))
    field.error_messages["max_length"] = TOO_LONG
    field.widget.attrs["maxlength"] = str(limit)
    return field
