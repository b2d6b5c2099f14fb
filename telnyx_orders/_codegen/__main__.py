from telnyx_orders._codegen._cli import main

raise SystemExit(main())
