"""``python -m tests.official --work-dir DIR``: see :mod:`tests.official.run`."""

from __future__ import annotations

import sys

from tests.official.run import main

sys.exit(main())
