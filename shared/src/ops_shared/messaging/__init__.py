"""Messaging: the bus and its topology, the outbox relay, the consumer with its inbox applier,
dead letters, and the typed subscription table every service declares."""

from ops_shared.messaging.applier import EventApplier, HandlerTimedOut
from ops_shared.messaging.bus import Bus, PublishFailed, Subscription, retry_queue
from ops_shared.messaging.consumer import (
    ATTEMPT_HEADER,
    BUSY_HEADER,
    Consumer,
    MessageTooLarge,
    original_routing_key,
)
from ops_shared.messaging.deadletters import (
    DEAD_LETTER_INDEXES,
    DEAD_LETTERS,
    DeadLetterKeeper,
    DeadLetterNotFound,
    DeadLetterStateError,
    DeadLetterStore,
    describe_dead_message,
    envelope_preview,
)
from ops_shared.messaging.outbox import OutboxRelay
from ops_shared.messaging.subscriptions import Handler, Subscriptions, bind

__all__ = [
    "ATTEMPT_HEADER",
    "BUSY_HEADER",
    "DEAD_LETTERS",
    "DEAD_LETTER_INDEXES",
    "Bus",
    "Consumer",
    "DeadLetterKeeper",
    "DeadLetterNotFound",
    "DeadLetterStateError",
    "DeadLetterStore",
    "EventApplier",
    "Handler",
    "HandlerTimedOut",
    "MessageTooLarge",
    "OutboxRelay",
    "PublishFailed",
    "Subscription",
    "Subscriptions",
    "bind",
    "describe_dead_message",
    "envelope_preview",
    "original_routing_key",
    "retry_queue",
]
