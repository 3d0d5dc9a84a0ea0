"""Request handlers, one module per conversation area, and the skill they make up.

Order matters: the first handler that can take a request does. Safety comes first, then
answers that belong to an open dialog state, then plain intents, then the catch-alls."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.skill_builder import CustomSkillBuilder

from skill.context import ContextInterceptor, Services
from skill.handlers import builtins, errors, launch, log, mood, plan, privacy, safety, summary
from skill.handlers import today, values
from skill.handlers.base import PendingAnswerHandler
from skill.once import OnceSkill
from skill.timezones import AlexaApiClient


def intent_handlers() -> list[AbstractRequestHandler]:
    return [
        today.GetSmallStepHandler(), today.SomethingElseHandler(), today.MakeItSmallerHandler(),
        log.LogDoneHandler(), log.LogNotDoneHandler(), mood.RateMoodHandler(),
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
        PendingAnswerHandler(),
        launch.LaunchHandler(),
        *intent_handlers(),
        privacy.SkillDisabledHandler(), builtins.SessionEndedHandler(),
        builtins.UnhandledHandler(),
    ]


def build_skill(services: Services, api_timeout: float = 2.0) -> OnceSkill:
    sb = CustomSkillBuilder(api_client=AlexaApiClient(timeout=api_timeout))
    for handler in request_handlers():
        sb.add_request_handler(handler)
    sb.add_global_request_interceptor(ContextInterceptor(services))
    sb.add_exception_handler(errors.DomainErrorHandler())
    sb.add_exception_handler(errors.CatchAllHandler())
    return OnceSkill(sb.skill_configuration, services)
