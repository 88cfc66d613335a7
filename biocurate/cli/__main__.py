import sys

from biocurate.cli import main

sys.exit(main())
