"""How long a typed text may be. Without a cap a text area took whatever the
request held (outside test 7: a 2 MB group plan, served to every member on
every visit). Forms cap their text areas with these; Django renders the
field's maxlength, so the browser stops the typing before anything is sent,
and the form refuses what gets past it with a message in Chinese."""

# A document typed into the page: a group's plan, a homework's text.
DOCUMENT_CHARS = 20_000
# A description, a note, one section of the school's 两案, a schedule row.
NOTE_CHARS = 5_000

# The form's refusal, in place of Django's ("确保该变量包含不超过…").
TOO_LONG = {"max_length": "最多 %(limit_value)d 个字（现在 %(show_value)d 个），请删减后再提交。"}
