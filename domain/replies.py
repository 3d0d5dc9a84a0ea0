"""The old path of `domain.store.replies`, kept so callers written against it
(the skill's exactly-once handling) still import."""

from domain.store.replies import Claim, Replies, StillHandling

__all__ = ["Claim", "Replies", "StillHandling"]
