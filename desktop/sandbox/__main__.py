from desktop.sandbox.server import main

raise SystemExit(main())
