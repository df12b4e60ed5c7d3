"""``python -m nero`` is the ``nero`` command."""

import sys

from nero.cli import main

sys.exit(main())
