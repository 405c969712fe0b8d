from kikan.cli import main

raise SystemExit(main())
