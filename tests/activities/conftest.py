from tests.activities.personas import *  # noqa: F403 - the shared personas and series fixtures
