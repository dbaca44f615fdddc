"""``python -m hisho_tone`` is the same as the ``hisho-tone`` command."""

import sys

from .cli import main

sys.exit(main())
