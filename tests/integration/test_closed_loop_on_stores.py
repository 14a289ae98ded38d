"""The behavioural suite of the closed loop, again, on SQLite and on PostgreSQL: every
transition and every refusal must behave the same on every store."""

from tests.unit.cases.test_closing import *  # noqa: F403
from tests.unit.cases.test_handling import *  # noqa: F403
from tests.unit.cases.test_intake import *  # noqa: F403
from tests.unit.test_commands import *  # noqa: F403
from tests.unit.test_grids import *  # noqa: F403
from tests.unit.test_visits import *  # noqa: F403
