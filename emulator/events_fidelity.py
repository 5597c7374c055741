"""EMULATOR CODE (not product code): EventBridge delivers the whole event to a target, account included.

AWS behaviour reproduced, with its source: every event EventBridge delivers has the top-level fields version, id,
detail-type, source, account, time, region, resources and detail (EventBridge User Guide, "Amazon EventBridge
events": "Event structure"); a target without an input transformer receives the matched event as it is.

moto 5.2.5 builds what a target receives from a default input template (moto/events/utils.py,
EventTemplateParser.DEFAULT_EVENT_INPUT_TEMPLATE) that leaves out `account`, although its own input-paths map
reads it and rules match on it. A consumer that checks the sending account (our operator orders do) then sees an
event that AWS never delivers. The template below is moto's with `account` added, in AWS's field order.
"""

from __future__ import annotations

from moto.events.utils import EventTemplateParser

_WHOLE_EVENT = (
    '{"version": "0", "id": "<id>", "detail-type": "<detail-type>", "source": "<source>", "account": "<account>", '
    '"time": <time>, "region": "<region>", "resources": <resources>, "detail": <detail>}'
)


def apply() -> None:
    """Idempotent: the default input template delivers the account too."""
    EventTemplateParser.DEFAULT_EVENT_INPUT_TEMPLATE = _WHOLE_EVENT
