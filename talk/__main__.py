"""`python -m talk`: the same command line as `talk`."""

import sys

from talk.cli import main

sys.exit(main())
