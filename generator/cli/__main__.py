"""Run the command line: `python -m generator.cli`."""

import sys

from .main import main

sys.exit(main())
