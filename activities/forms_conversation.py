"""Forms of a session's conversation: comments with the office and emails to its people."""

from django import forms

from rss_dashboard import limits


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Your comment",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The other side gets it by email.",
    )


class EmailForm(forms.Form):
    subject = forms.CharField(label="Subject", max_length=200)
    body = forms.CharField(
        label="Message", max_length=limits.MESSAGE, widget=forms.Textarea(attrs={"rows": 8})
    )
    nonce = forms.CharField(widget=forms.HiddenInput, min_length=16, max_length=64)
