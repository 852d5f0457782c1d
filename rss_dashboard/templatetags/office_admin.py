"""The office's queue pages in the admin: the filter bar (admin/office/change_list.html)."""

from django import template

register = template.Library()


@register.simple_tag
def filter_bar(cl) -> list[dict]:
    """Each filter of a changelist as a drop-down: its title, the choice in force, the choices.

    The admin's own filter column takes a quarter of a laptop screen; a bar of drop-downs above
    the rows takes one line."""
    bar = []
    for spec in cl.filter_specs:
        choices = list(spec.choices(cl))
        if not choices:
            continue
        chosen = next((c for c in choices if c.get("selected")), None)
        bar.append(
            {
                "title": spec.title,
                "choices": choices,
                "chosen": chosen["display"] if chosen else choices[0]["display"],
                "active": spec.has_output() and chosen is not None and chosen is not choices[0],
            }
        )
    return bar
