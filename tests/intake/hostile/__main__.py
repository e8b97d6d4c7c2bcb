"""``python -m tests.intake.hostile NAME PATH``: read one corpus file, print what was found as JSON."""

from __future__ import annotations

import json
import sys

from tests.intake.hostile import child

if __name__ == "__main__":
    print(json.dumps(child(sys.argv[1], sys.argv[2])))
