"""What bench/generate and bench/run share: paths, the clinic's shape (it
must match bench/config.yaml), the bench's clock and local-time helpers."""

import datetime as dt
import os
from zoneinfo import ZoneInfo

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH_DIR)
CONFIG = os.path.join(BENCH_DIR, "config.yaml")
DATA_DIR = os.path.join(BENCH_DIR, "data")
DB = os.path.join(DATA_DIR, "bench.db")

ZONE = ZoneInfo("America/Denver")
ZONE_NAME = "America/Denver"

PROVIDERS = [f"p{i:02d}" for i in range(1, 21)]
ROOMS = [f"room-{i}" for i in range(1, 5)]
OPEN_HOUR = 8            # mon-sat 08:00-17:00
QUARTERS_PER_DAY = 36    # 15-minute slots in those hours
QUARTER = 15 * 60
FIRST_DAY = dt.date(2023, 1, 1)
LAST_DAY = dt.date(2027, 12, 31)
APPOINTMENTS = 1_000_000
CLIENTS = 100_000

# The bench's "now" (APPT_NOW, business time) and the four weeks after it,
# where every fourth quarter is left free so that booking and slots find room.
NOW_TEXT = "2026-06-01T08:00"
NOW_DAY = dt.date(2026, 6, 1)
OPEN_WINDOW_END = NOW_DAY + dt.timedelta(days=28)


def free_in_open_window(q):
    """Whether the q-th quarter hour of a day in the open window is left free."""
    return q % 4 == 3


def app_path():
    """The front end of the build that `make bench` just made ($O, else build)."""
    return os.path.join(ROOT, os.environ.get("O") or "build", "bin", "appt")


def app_env(db):
    env = dict(os.environ, APPT_CONFIG=CONFIG, APPT_DB=db, APPT_NOW=NOW_TEXT,
               APPT_USER="bench", NO_COLOR="1")
    env.pop("XDG_CONFIG_HOME", None)
    return env


def utc_seconds(day, hour, minute=0):
    """A local wall time in the business zone as UTC seconds."""
    return int(dt.datetime(day.year, day.month, day.day, hour, minute,
                           tzinfo=ZONE).timestamp())


def slot_clock(q):
    """Local hour and minute of a day's q-th 15-minute slot."""
    minutes = OPEN_HOUR * 60 + q * 15
    return minutes // 60, minutes % 60


def now_seconds():
    return utc_seconds(NOW_DAY, 8)
