"""``python -m socialwork_procurement`` runs the ``swp`` command line."""

from .cli._main import main

raise SystemExit(main())
