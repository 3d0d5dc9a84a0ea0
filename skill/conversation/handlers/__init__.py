"""Request handlers, one module per conversation area, in the order they are asked.

Order matters: the first handler that can take a request does. Safety comes first, then
answers that belong to an open dialog state, then plain intents, then the catch-alls.
The edge (skill/edge/web.py) builds the ASK skill from these lists."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractExceptionHandler, AbstractRequestHandler

from skill.conversation.base import PendingAnswerHandler
from skill.conversation.handlers import builtins, errors, feeling, launch, log, mood, plan, privacy
from skill.conversation.handlers import safety, summary, today, values


def intent_handlers() -> list[AbstractRequestHandler]:
    return [
        today.GetSmallStepHandler(), today.SomethingElseHandler(), today.MakeItSmallerHandler(),
        log.LogDoneHandler(), log.LogNotDoneHandler(), mood.RateMoodHandler(), feeling.FeelingHandler(),
        plan.ScheduleStepHandler(), plan.PlanWeekHandler(), plan.MoveStepHandler(),
        plan.SwapStepHandler(), plan.PairWithRoutineHandler(),
        summary.WeeklySummaryHandler(), values.NameValueHandler(), values.RelapsePlanHandler(),
        privacy.DeleteMyDataHandler(), privacy.SetPinHandler(),
        builtins.HelpHandler(), builtins.StopHandler(), builtins.NavigateHomeHandler(),
        builtins.FallbackHandler(), builtins.YesHandler(), builtins.NoHandler(),
        builtins.RepeatHandler(),
    ]


def request_handlers() -> list[AbstractRequestHandler]:
    return [
        safety.CrisisIntentHandler(), safety.CrisisInSlotHandler(),
        safety.CrisisHoldsHandler(), safety.RiskWordInSlotHandler(),
        safety.DistressIntentHandler(), safety.DistressInSlotHandler(),
        safety.DistressFeltHandler(),
        privacy.SpeakerChangedHandler(),
        PendingAnswerHandler(),
        launch.LaunchHandler(),
        *intent_handlers(),
        privacy.SkillDisabledHandler(), builtins.SessionEndedHandler(),
        builtins.UnhandledHandler(),
    ]


def exception_handlers() -> list[AbstractExceptionHandler]:
    return [errors.DomainErrorHandler(), errors.CatchAllHandler()]
