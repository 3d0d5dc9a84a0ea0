"""The names the skill and its interaction model share: invocation, locales, intents,
slots and slot types. Handlers import them from here (as `skill.model.I`), so a renamed
intent breaks loudly instead of going unheard."""

from __future__ import annotations

INVOCATION_NAME = "small steps"
SKILL_NAME = "Small Steps"
LOCALES = ("en-US", "en-GB", "en-CA", "en-AU", "en-IN")

# ---------------------------------------------------------------------------------------
# Intent names
# ---------------------------------------------------------------------------------------

GET_SMALL_STEP = "GetSmallStepIntent"
SOMETHING_ELSE = "SomethingElseIntent"
MAKE_IT_SMALLER = "MakeItSmallerIntent"
LOG_DONE = "LogDoneIntent"
LOG_NOT_DONE = "LogNotDoneIntent"
BARRIER = "BarrierIntent"
RATE_MOOD = "RateMoodIntent"
SCHEDULE_STEP = "ScheduleStepIntent"
PLAN_WEEK = "PlanWeekIntent"
MOVE_STEP = "MoveStepIntent"
SWAP_STEP = "SwapStepIntent"
PAIR_WITH_ROUTINE = "PairWithRoutineIntent"
WEEKLY_SUMMARY = "WeeklySummaryIntent"
NAME_VALUE = "NameValueIntent"
RELAPSE_PLAN = "RelapsePlanIntent"
DELETE_MY_DATA = "DeleteMyDataIntent"
SET_PIN = "SetPinIntent"
CRISIS = "CrisisIntent"
DISTRESS = "DistressIntent"
FEELING = "FeelingIntent"

HELP = "AMAZON.HelpIntent"
STOP = "AMAZON.StopIntent"
CANCEL = "AMAZON.CancelIntent"
FALLBACK = "AMAZON.FallbackIntent"
NAVIGATE_HOME = "AMAZON.NavigateHomeIntent"
YES = "AMAZON.YesIntent"
NO = "AMAZON.NoIntent"
REPEAT = "AMAZON.RepeatIntent"
START_OVER = "AMAZON.StartOverIntent"

# ---------------------------------------------------------------------------------------
# Slot names and slot types
# ---------------------------------------------------------------------------------------

ACTIVITY = "activity"
BARRIER_SLOT = "barrier"
MOOD = "mood"
DATE = "date"
PART_OF_DAY = "partOfDay"
TIME = "time"
ROUTINE = "routine"
WHICH_WEEK = "whichWeek"
VALUE = "value"
KIND = "kind"
LIFE_AREA = "lifeArea"
PIN = "pin"
FEELING_SLOT = "feeling"

ACTIVITY_TYPE = "ActivityType"
BARRIER_TYPE = "BarrierType"
PART_OF_DAY_TYPE = "PartOfDayType"
KIND_TYPE = "KindType"
LIFE_AREA_TYPE = "LifeAreaType"
ROUTINE_TYPE = "RoutineType"
WHICH_WEEK_TYPE = "WhichWeekType"
FEELING_TYPE = "FeelingType"
