"""The official ``telnyx`` package's own API tests, run against the sandbox (``nox -s official``).

``python -m tests.official --work-dir DIR`` fetches the sdist of the installed ``telnyx`` with pip, extracts
the API tests of the resources the sandbox serves (:data:`tests.official.sdist.TEST_FILES`) with the helpers
they import, removes their "mock server tests are disabled" marks (:func:`tests.official.sdist.unskip`),
serves the sandbox in a process of its own, and runs them with pytest: the sandbox is reset and seeded with
the documents the tests name (:mod:`tests.official.seeding`) before each test, and every test collected must
pass. The modules: :mod:`~tests.official.sdist` (fetch, extract, transform), :mod:`~tests.official.seeding`
(what each test finds; also the pytest plugin of that run), :mod:`~tests.official.run` (the run).
"""
