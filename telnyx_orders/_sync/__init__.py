"""The blocking facade: `Telnyx`, generated from `AsyncTelnyx`, and the loop-thread runtime it runs on."""

from ._client import Telnyx
from ._pagination import SyncPage
from ._runtime import BlockingCallInEventLoopWarning, DeadlockError

__all__ = ["BlockingCallInEventLoopWarning", "DeadlockError", "SyncPage", "Telnyx"]
