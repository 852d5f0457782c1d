import pytest

from tests import factories as f


@pytest.fixture
def staffed_child(series, child):
    """The child with a speaker who has disclosed (not `page`: that is Playwright's fixture)."""
    speaker = f.person(last_name="Speaker", first_name="Sam")
    f.disclosure(speaker)
    f.assign(child, speaker)
    return child
