"""The RSS Dashboard's read side, behind one entry point: `listing.dashboard_listing`.

A page goes through these modules in this order; each knows only the ones before it:

- `selectors_search`  what the user asked for (`DashboardFilters`) and which Child IDs it finds:
                      the one statement that varies with the search, with the total beside it;
- `selectors_facts`   what the rows print of those children, as plain facts mapped by name
                      (`ChildFacts`, `FacultyFacts`), in fixed-shape reads compiled once
                      (`compiled.ReadByIds`);
- `look`, `approval`, `rows`
                      facts -> `ChildRow`s of display values (icons, dates, links, the approval
                      column), computed in Python so the template only prints;
- `html`              rows -> HTML with the second template engine ("rows", Jinja2), each
                      distinct row rendered once (a cache keyed by the row's content);
- `cache`, `triggers` the dashboard generation: PostgreSQL triggers on every table the page reads
                      move it, and whole results are cached under it;
- `listing`           the entry point the view calls: the user's series, the search form, the
                      page of rows, cached under the generation.

Nothing is imported here, so that `activities.models` may import the search's filters without
importing the rest (import loops, docs/architecture.md).
"""
