"""``python -m socialwork_procurement`` runs the ``swp`` command line."""

from ._cli import main

raise SystemExit(main())
