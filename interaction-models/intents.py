"""The single source of the Small Steps voice interaction: intents, slots, samples, types.

Plain data only. `build.py` renders it into the five locale models under `custom/` and
into `skill.json`; the skill code imports the intent and slot names from here.

Text is written once, in British English. `SPELLING` lists the words each locale says
or spells differently ("favourite"/"favorite", "mum"/"mom"); `EXTRA_SAMPLES` and
`EXTRA_SYNONYMS` add phrasings only one locale uses ("prepone", "arvo").

Sample utterances are what people may say, so they may use any word. Everything the
skill says (prompts, descriptions) is warm and brief and never uses the words listed in
`BANNED_WORDS`.
"""

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

ACTIVITY_TYPE = "ActivityType"
BARRIER_TYPE = "BarrierType"
PART_OF_DAY_TYPE = "PartOfDayType"
KIND_TYPE = "KindType"
LIFE_AREA_TYPE = "LifeAreaType"
ROUTINE_TYPE = "RoutineType"
WHICH_WEEK_TYPE = "WhichWeekType"

# ---------------------------------------------------------------------------------------
# Intents. Order here is the order in the rendered models.
# ---------------------------------------------------------------------------------------

INTENTS = [
    {
        "name": GET_SMALL_STEP,
        "slots": [(LIFE_AREA, LIFE_AREA_TYPE)],
        "samples": [
            "what's my small step today",
            "what's my small step",
            "what's my small step for today",
            "what is my small step today",
            "what's my step for today",
            "what's today's step",
            "what's today's small step",
            "what should i do today",
            "what can i do today",
            "what could i do today",
            "what shall i do today",
            "give me a small step",
            "give me a step",
            "give me something to do today",
            "suggest a small step",
            "suggest something for today",
            "i need a small step",
            "i'd like a small step",
            "pick a small step for me",
            "let's pick one small step",
            "help me get started",
            "help me get going today",
            "what's next",
            "what's my next step",
            "what's on for today",
            "what's on my plan today",
            "what's the plan for today",
            "what have i got today",
            "what do i have planned today",
            "tell me my small step",
            "tell me today's step",
            "i'm ready for a step",
            "a small step for {lifeArea}",
            "give me a small step for {lifeArea}",
            "a step for my {lifeArea}",
            "{lifeArea}",
            "it's about {lifeArea}",
            "mostly {lifeArea}",
            "something for my {lifeArea}",
            "something to do for {lifeArea}",
            "suggest something for my {lifeArea}",
            "what can i do for my {lifeArea}",
            "what's a small step for {lifeArea}",
        ],
    },
    {
        "name": SOMETHING_ELSE,
        "slots": [(KIND, KIND_TYPE)],
        "samples": [
            "something else",
            "give me another one",
            "not that one",
            "another one",
            "a different one",
            "give me something else",
            "something different",
            "can i have something else",
            "can i have a different one",
            "i'd rather have something else",
            "i don't fancy that",
            "i don't feel like that one",
            "not this one",
            "skip that one",
            "next one",
            "next suggestion",
            "another idea",
            "give me another idea",
            "what else",
            "what else have you got",
            "try another one",
            "anything else",
            "other options",
            "something more {kind}",
            "something {kind}",
            "something {kind} instead",
            "give me something {kind}",
            "i'd like something {kind}",
            "can i have something {kind}",
            "how about something {kind}",
            "a {kind} one",
            "a more {kind} one",
        ],
    },
    {
        "name": MAKE_IT_SMALLER,
        "slots": [],
        "samples": [
            "make it smaller",
            "that's too much",
            "something easier",
            "make it easier",
            "smaller",
            "smaller please",
            "a smaller step",
            "a smaller one",
            "give me a smaller step",
            "give me a smaller version",
            "something smaller",
            "that's too big",
            "that's too hard",
            "that's too difficult",
            "it's too much",
            "that feels like too much",
            "that's a lot",
            "too much for today",
            "can you make it smaller",
            "can it be smaller",
            "shrink it",
            "an easier one",
            "an easier version",
            "something simpler",
            "make it simpler",
            "make it shorter",
            "something shorter",
            "cut it down",
            "a tiny step",
            "something tiny",
            "break it down",
            "less than that",
            "is there a smaller version",
        ],
    },
    {
        "name": LOG_DONE,
        "slots": [(ACTIVITY, ACTIVITY_TYPE)],
        "samples": [
            "i did it",
            "i did {activity}",
            "i went for {activity}",
            "done",
            "finished",
            "all done",
            "it's done",
            "i've done it",
            "i have done it",
            "i did it today",
            "i actually did it",
            "yes i did it",
            "i did my step",
            "i did my small step",
            "i've done my step",
            "i finished it",
            "i finished {activity}",
            "i've finished {activity}",
            "i completed it",
            "i completed {activity}",
            "i managed it",
            "i managed {activity}",
            "i managed to do {activity}",
            "i got it done",
            "i got {activity} done",
            "i've done {activity}",
            "i did {activity} today",
            "i went for {activity} today",
            "i had {activity}",
            "i {activity}",
            "i {activity} today",
            "today i {activity}",
            "mark it done",
            "mark it as done",
            "mark {activity} as done",
            "tick it off",
            "tick off {activity}",
            "check it off",
            "log it as done",
            "log {activity} as done",
        ],
    },
    {
        "name": LOG_NOT_DONE,
        "slots": [(ACTIVITY, ACTIVITY_TYPE), (BARRIER_SLOT, BARRIER_TYPE)],
        "samples": [
            "i couldn't do it",
            "i didn't manage {activity}",
            "not today",
            "i couldn't because i was {barrier}",
            "i didn't do it",
            "i didn't do {activity}",
            "i couldn't do {activity}",
            "i didn't manage it",
            "i didn't manage it today",
            "i didn't get to it",
            "i didn't get round to it",
            "i didn't get around to it",
            "i didn't get to {activity}",
            "i didn't get round to {activity}",
            "i didn't get around to {activity}",
            "i didn't do it because i was {barrier}",
            "i didn't do it because {barrier}",
            "i couldn't do {activity} because i was {barrier}",
            "i didn't do {activity} because {barrier}",
            "i didn't go for {activity}",
            "i didn't go for {activity} because it was {barrier}",
            "i couldn't do it because it was {barrier}",
            "no i didn't",
            "no i didn't do it",
            "not yet",
            "it didn't happen",
            "it didn't happen today",
            "i skipped it",
            "i skipped {activity}",
            "i gave it a miss",
            "i missed it",
            "i missed {activity}",
            "i wasn't able to do it",
            "i wasn't able to do {activity}",
            "i haven't done it",
            "i haven't done {activity}",
            "i didn't make it",
            "i didn't do my step",
            "not done",
            "it's not done",
        ],
    },
    {
        "name": BARRIER,
        "slots": [(BARRIER_SLOT, BARRIER_TYPE)],
        "samples": [
            "i was {barrier}",
            "{barrier}",
            "i just {barrier}",
            "i was too {barrier}",
            "i was just {barrier}",
            "i was a bit {barrier}",
            "i was really {barrier}",
            "i felt {barrier}",
            "i felt too {barrier}",
            "i was feeling {barrier}",
            "i've been {barrier}",
            "i'm {barrier}",
            "it was {barrier}",
            "it was just {barrier}",
            "because i was {barrier}",
            "because it was {barrier}",
            "because {barrier}",
            "i got {barrier}",
            "mostly {barrier}",
            "probably {barrier}",
            "i think i was {barrier}",
            "i think it was {barrier}",
            "the problem was {barrier}",
            "what got in the way was {barrier}",
            "{barrier} got in the way",
            "it was mainly {barrier}",
        ],
    },
    {
        "name": RATE_MOOD,
        "slots": [(MOOD, "AMAZON.NUMBER")],
        "samples": [
            "my mood is {mood}",
            "i feel like a {mood}",
            "{mood}",
            "about a {mood}",
            "{mood} out of ten",
            "about {mood}",
            "around {mood}",
            "around a {mood}",
            "a {mood}",
            "maybe a {mood}",
            "probably a {mood}",
            "just a {mood}",
            "a solid {mood}",
            "i'd say {mood}",
            "i'd say a {mood}",
            "i'm a {mood}",
            "i'm at a {mood}",
            "i'm at {mood}",
            "i'm feeling a {mood}",
            "i'm feeling about {mood}",
            "i feel {mood}",
            "i feel {mood} out of ten",
            "my mood's a {mood}",
            "my mood is about {mood}",
            "it's a {mood}",
            "today i'm a {mood}",
            "right now i'm a {mood}",
            "i'd give it a {mood}",
            "i'd rate it {mood}",
            "mood {mood}",
            "rate my mood {mood}",
            "rate my mood",
            "log my mood",
            "record my mood",
            "i want to rate my mood",
            "log how i feel",
        ],
        "dialog": {
            "slots": {
                MOOD: {
                    "elicitation": [
                        "From zero to ten, how do you feel right now?",
                        "How do you feel right now, from zero to ten?",
                    ],
                    "samples": [
                        "i'm about {mood}",
                        "i guess {mood}",
                        "a {mood} i think",
                        "{mood} i think",
                    ],
                    "validations": [
                        {
                            "type": "isInSet",
                            "values": [str(n) for n in range(11)],
                            "prompts": [
                                "Any number from zero to ten is fine. How do you feel right now?",
                            ],
                        },
                    ],
                },
            },
        },
    },
    {
        "name": SCHEDULE_STEP,
        "slots": [
            (ACTIVITY, ACTIVITY_TYPE),
            (DATE, "AMAZON.DATE"),
            (PART_OF_DAY, PART_OF_DAY_TYPE),
            (TIME, "AMAZON.TIME"),
        ],
        "samples": [
            "add {activity}",
            "add {activity} on {date}",
            "add {activity} on {date} {partOfDay}",
            "add {activity} {date} {partOfDay}",
            "add {activity} on {date} in the {partOfDay}",
            "add {activity} for {date}",
            "add {activity} {partOfDay}",
            "add {activity} at {time}",
            "add {activity} on {date} at {time}",
            "add {activity} to my plan",
            "add {activity} to my week",
            "schedule {activity}",
            "schedule {activity} for {date}",
            "schedule {activity} for {date} at {time}",
            "schedule {activity} at {time}",
            "schedule {activity} at {time} on {date}",
            "schedule {activity} on {date} in the {partOfDay}",
            "schedule {activity} for {date} {partOfDay}",
            "put {activity} on {date}",
            "put {activity} in my plan for {date}",
            "plan {activity} for {date}",
            "plan {activity} for {date} {partOfDay}",
            "i want to do {activity} on {date}",
            "i'd like to do {activity} {date}",
            "i'd like to do {activity} {date} {partOfDay}",
            "i'd like to add {activity}",
            "let's do {activity} on {date} at {time}",
            "remind me about {activity} on {date} at {time}",
            "set up {activity} for {date} {partOfDay}",
            "book in {activity} for {date}",
            "pencil in {activity} for {date}",
            "add a step",
            "add a new step",
            "schedule a step",
            "add something to my plan",
            "add a step on {date}",
        ],
        "dialog": {
            "slots": {
                ACTIVITY: {
                    "elicitation": [
                        "What would you like to add?",
                        "Which small step would you like to add?",
                    ],
                    "samples": [
                        "{activity}",
                        "i'd like {activity}",
                        "let's go with {activity}",
                        "how about {activity}",
                        "{activity} on {date}",
                        "{activity} {date} {partOfDay}",
                    ],
                },
                DATE: {
                    "elicitation": [
                        "Which day would you like it?",
                        "What day works for you?",
                    ],
                    "samples": [
                        "{date}",
                        "on {date}",
                        "{date} {partOfDay}",
                        "{date} in the {partOfDay}",
                        "{date} at {time}",
                        "let's say {date}",
                        "maybe {date}",
                    ],
                },
            },
        },
    },
    {
        "name": PLAN_WEEK,
        "slots": [],
        "samples": [
            "plan my week",
            "help me plan the week",
            "help me plan my week",
            "let's plan the week",
            "let's plan my week",
            "plan the week",
            "plan this week",
            "plan next week",
            "let's plan next week",
            "set up my week",
            "make a plan for the week",
            "plan the week ahead",
            "plan out my week",
            "organise my week",
            "build my week",
            "i want to plan my week",
        ],
    },
    {
        "name": MOVE_STEP,
        "slots": [(DATE, "AMAZON.DATE"), (PART_OF_DAY, PART_OF_DAY_TYPE), (TIME, "AMAZON.TIME")],
        "samples": [
            "move it to {date}",
            "move it to {date} {partOfDay}",
            "move it to {date} at {time}",
            "move it to {time}",
            "move it to the {partOfDay}",
            "can we do it {partOfDay} instead",
            "can we do it {date} instead",
            "can we do it at {time} instead",
            "do it {partOfDay} instead",
            "let's do it {date}",
            "let's try {date} instead",
            "try it in the {partOfDay}",
            "another time",
            "a different time",
            "a different day",
            "change the time",
            "change the day",
            "move it",
            "move my step",
            "reschedule it",
            "reschedule it for {date}",
            "reschedule it for {date} {partOfDay}",
            "postpone it to {date}",
            "put it off until {date}",
            "push it to {date}",
            "push it back to {time}",
            "can i move it to {date} {partOfDay}",
            "can we move it to {date}",
            "i'd rather do it {date}",
            "i'd rather do it in the {partOfDay}",
            "make it {date} at {time}",
        ],
    },
    {
        "name": SWAP_STEP,
        "slots": [(ACTIVITY, ACTIVITY_TYPE)],
        "samples": [
            "swap it for {activity}",
            "do {activity} instead",
            "swap it with {activity}",
            "let's do {activity} instead",
            "change it to {activity}",
            "replace it with {activity}",
            "i'd rather do {activity}",
            "i'd prefer {activity}",
            "can i do {activity} instead",
            "switch it to {activity}",
            "switch to {activity}",
            "make it {activity} instead",
            "let me swap it for {activity}",
            "trade it for {activity}",
            "i want to do {activity} instead",
            "i'll do {activity} instead",
            "how about {activity} instead",
            "exchange it for {activity}",
            "swap it",
            "swap my step",
            "can i swap it",
            "change the activity",
            "swap it for something else",
        ],
    },
    {
        "name": PAIR_WITH_ROUTINE,
        "slots": [(ROUTINE, ROUTINE_TYPE)],
        "samples": [
            "pair it with {routine}",
            "do it after {routine}",
            "do it before {routine}",
            "do it with {routine}",
            "do it during {routine}",
            "link it to {routine}",
            "tie it to {routine}",
            "attach it to {routine}",
            "right after {routine}",
            "straight after {routine}",
            "just after {routine}",
            "i'll do it after {routine}",
            "i'll do it during {routine}",
            "can i do it after {routine}",
            "let's pair it with {routine}",
            "make it part of {routine}",
            "hook it onto {routine}",
            "when i have {routine}",
            "pair it with something i already do",
            "pair it with a routine",
            "link it to my routine",
            "add it to my routine",
            "fit it into my routine",
        ],
    },
    {
        "name": WEEKLY_SUMMARY,
        "slots": [(WHICH_WEEK, WHICH_WEEK_TYPE)],
        "samples": [
            "how did my week go",
            "how my week went",
            "how my week is going",
            "how was my week",
            "how's my week going",
            "how was {whichWeek} week",
            "how did {whichWeek} week go",
            "how's {whichWeek} week going",
            "weekly summary",
            "my weekly summary",
            "give me my weekly summary",
            "the summary for {whichWeek} week",
            "review my week",
            "review {whichWeek} week",
            "let's review the week",
            "weekly review",
            "do my weekly review",
            "tell me about my week",
            "tell me about {whichWeek} week",
            "what did i do {whichWeek} week",
            "what did i get done {whichWeek} week",
            "how am i doing",
            "how am i getting on",
            "show me my week",
            "my week in review",
            "sum up my week",
            "sum up {whichWeek} week",
        ],
    },
    {
        "name": NAME_VALUE,
        # Exactly one AMAZON.SearchQuery slot, always beside a carrier phrase.
        "slots": [(VALUE, "AMAZON.SearchQuery")],
        "samples": [
            "what matters to me is {value}",
            "i care about {value}",
            "i want to be {value}",
            "i really care about {value}",
            "something that matters to me is {value}",
            "one of my values is {value}",
            "my value is {value}",
            "i value {value}",
            "what's important to me is {value}",
            "it's important to me to be {value}",
            "i'd like to be {value}",
            "i want to be someone who is {value}",
            "{value} matters to me",
            "{value} is important to me",
            "i want my life to be about {value}",
            "i want more {value} in my life",
            "i'd like more {value} in my life",
            "i want to spend more time on {value}",
            "add the value {value}",
            "a value of mine is {value}",
            "name a value",
            "i want to name a value",
            "add a value",
            "let's talk about what matters to me",
        ],
    },
    {
        "name": RELAPSE_PLAN,
        "slots": [],
        "samples": [
            "set up my plan for hard times",
            "my warning signs",
            "what are my warning signs",
            "set up my warning signs",
            "plan for hard times",
            "my plan for hard times",
            "make a plan for when things get hard",
            "my relapse plan",
            "relapse prevention",
            "a plan for bad days",
            "my bad day plan",
            "what to do on a bad day",
            "help me plan for setbacks",
            "my booster steps",
            "set up my booster steps",
            "what helps me get back on track",
        ],
    },
    {
        "name": SET_PIN,
        "slots": [(PIN, "AMAZON.FOUR_DIGIT_NUMBER")],
        "samples": [
            "set my pin to {pin}",
            "set a pin",
            "set my pin",
            "set up a pin",
            "set a pin of {pin}",
            "my new pin is {pin}",
            "change my pin to {pin}",
            "change my pin",
            "use a pin",
            "use the pin {pin}",
            "protect my summary",
            "protect my summary with {pin}",
            "protect my mood history",
            "lock my summary",
            "lock my summary with {pin}",
            "make my summary private",
            "keep my moods private",
            "add a pin",
            "add the pin {pin}",
            "turn on a pin",
            "i'd like a pin",
            "i want a pin",
        ],
    },
    {
        "name": DELETE_MY_DATA,
        "slots": [],
        "samples": [
            "delete my data",
            "forget everything about me",
            "delete all my data",
            "delete everything",
            "erase my data",
            "remove my data",
            "wipe my data",
            "clear my data",
            "delete my information",
            "delete my history",
            "erase everything you know about me",
            "remove everything about me",
            "i want my data deleted",
            "please delete my data",
            "delete my account",
        ],
        "dialog": {
            "confirmation": [
                "This removes everything Small Steps has stored about you, and can't be undone. "
                "Shall I delete it?",
            ],
        },
    },
    {
        "name": CRISIS,
        "slots": [],
        # Broad on purpose, in many phrasings and tenses. Every locale gets all of them.
        "samples": [
            "i want to die",
            "i wanna die",
            "i just want to die",
            "i want to be dead",
            "i wish i was dead",
            "i wish i were dead",
            "i wish i wasn't alive",
            "i wish i'd never been born",
            "i feel like dying",
            "i'm ready to die",
            "i want to kill myself",
            "i'm going to kill myself",
            "i'm gonna kill myself",
            "i am going to kill myself",
            "i feel like killing myself",
            "i'm thinking of killing myself",
            "i'm thinking about killing myself",
            "i've been thinking about killing myself",
            "i'm planning to kill myself",
            "i have a plan to kill myself",
            "i want to hurt myself",
            "i'm going to hurt myself",
            "i've been hurting myself",
            "i hurt myself on purpose",
            "i want to harm myself",
            "i've been harming myself",
            "i've been cutting myself",
            "i cut myself",
            "i want to cut myself",
            "i self harm",
            "i've been self harming",
            "self harm",
            "there's no reason to live",
            "there is no reason to live",
            "i have no reason to live",
            "i've got nothing to live for",
            "there's nothing to live for",
            "i don't have anything to live for",
            "i don't want to be alive",
            "i don't want to be alive anymore",
            "i don't want to live",
            "i don't want to live anymore",
            "i don't want to be here anymore",
            "i don't want to wake up",
            "i hope i don't wake up",
            "i want to go to sleep and never wake up",
            "i want to stop existing",
            "i'm going to end it",
            "i want to end it",
            "i want to end it all",
            "i'm going to end it all",
            "i'm ending it tonight",
            "i can't go on",
            "i can't go on anymore",
            "i can't go on like this",
            "i can't take it anymore",
            "i can't do this anymore",
            "i can't keep going",
            "i want to end my life",
            "i'm going to end my life",
            "i'm thinking about ending my life",
            "i am thinking of ending my life",
            "i feel like ending my life",
            "i want to take my own life",
            "everyone would be better off without me",
            "everybody would be better off without me",
            "my family would be better off without me",
            "the world would be better without me",
            "i'm a burden to everyone",
            "no one would miss me if i was gone",
            "nobody would care if i died",
            "i'm thinking about suicide",
            "i'm thinking of suicide",
            "i've been thinking about suicide",
            "i've been having suicidal thoughts",
            "i'm having suicidal thoughts",
            "suicidal thoughts",
            "suicide",
            "i feel suicidal",
            "i'm feeling suicidal",
            "i am feeling suicidal",
            "i'm suicidal",
            "i want to commit suicide",
            "i'm going to commit suicide",
            "i've taken an overdose",
            "i took too many pills",
            "i want to take all my pills",
            "i want to overdose",
            "i want to hang myself",
            "i'm going to hang myself",
            "i want to jump off a bridge",
            "i want to top myself",
            "i'm going to top myself",
            "i want to do away with myself",
            "i want to finish myself",
            "i want to end myself",
            "life isn't worth living",
            "life is not worth living",
            "what's the point of living",
            "what is the point of living",
            "there's no point in living",
            "there's no point going on",
            "i'm better off dead",
            "i'd be better off dead",
            "i want everything to end",
            "i'm not safe right now",
            "help me i want to die",
            "i need help i'm suicidal",
            "i need support now",
            "i need support right now",
            "i need urgent help",
            "i need urgent support",
            "i need help now",
            "i need help right now",
        ],
    },
    # Built-ins. Certification needs Help, Stop, Cancel, Fallback and NavigateHome.
    {"name": HELP, "slots": [], "samples": [
        "how does this work", "what can you do", "what can i say", "explain how this works",
        "i'm confused",
    ]},
    {"name": STOP, "slots": [], "samples": [
        "that's all", "that's all for now", "that's it for now", "goodbye", "bye for now",
        "see you later", "talk later", "that's enough for today",
    ]},
    {"name": CANCEL, "slots": [], "samples": ["cancel that"]},
    {"name": FALLBACK, "slots": [], "samples": []},
    {"name": NAVIGATE_HOME, "slots": [], "samples": []},
    {"name": YES, "slots": [], "samples": [
        "yes please", "sure", "okay", "yeah", "yep", "sounds good", "go ahead", "let's do it",
        "go for it", "alright",
    ]},
    {"name": NO, "slots": [], "samples": [
        "no thanks", "no thank you", "nope", "not now", "not really", "i'd rather not",
    ]},
    {"name": REPEAT, "slots": [], "samples": [
        "say that again", "what did you say", "repeat that", "come again", "pardon", "sorry what",
    ]},
    {"name": START_OVER, "slots": [], "samples": [
        "start again", "begin again", "let's start from the beginning", "restart",
    ]},
]

# Phrasings only some locales use, added to that locale's samples.
EXTRA_SAMPLES = {
    "en-IN": {
        GET_SMALL_STEP: ["kindly tell me my small step", "what is my small step for today"],
        LOG_DONE: ["i did the needful", "i have completed it"],
        LOG_NOT_DONE: ["i was not able to do it", "i could not do it"],
        MOVE_STEP: ["prepone it to {date}", "can we prepone it to {date} {partOfDay}"],
        RATE_MOOD: ["today i am feeling {mood}"],
        CRISIS: ["i am going to commit suicide", "i don't feel like living"],
    },
    "en-GB": {
        LOG_NOT_DONE: ["i couldn't face it"],
        CRISIS: ["i'm going to do myself in"],
    },
    "en-AU": {
        GET_SMALL_STEP: ["what's my small step for the arvo"],
        CRISIS: ["i'm going to do myself in"],
    },
}

# ---------------------------------------------------------------------------------------
# Slot types. ActivityType is generated from domain/catalogue.json by build.py; these
# are its spoken names and extra synonyms, keyed by catalogue key.
# ---------------------------------------------------------------------------------------

ACTIVITY_NAMES = {
    "make-bed": "make the bed",
    "step-outside": "step outside",
    "message-friend": "a message to a friend",
    "shower-clean-clothes": "a shower and clean clothes",
    "walk-around-block": "a walk around the block",
    "favourite-song": "my favourite song",
    "cook-simple": "cook something simple",
    "journal-three-thoughts": "write in my journal",
    "water-plants": "water the plants",
    "something-creative": "something creative",
    "check-in-call": "a check in call",
    "share-meal": "share a meal",
    "coffee-friend": "coffee with a friend",
    "tidy-room": "tidy a room",
    "draft-email": "draft an email",
    "home-repair": "a small home repair",
    "look-into-course": "look into a course",
}

ACTIVITY_SYNONYMS = {
    "make-bed": ["making the bed", "making my bed", "made up the bed"],
    "step-outside": ["going outside", "getting some fresh air", "stepping outside", "got outside",
                     "a few minutes outside", "sat outside"],
    "message-friend": ["messaging a friend", "texting a friend", "a text to a friend",
                       "messaged my friend", "texted my friend", "texted someone",
                       "whatsapped a friend"],
    "shower-clean-clothes": ["a shower", "showering", "having a shower", "had a bath",
                             "put on clean clothes", "got washed and dressed"],
    "walk-around-block": ["the walk", "walking", "a short walk", "a stroll", "went for a stroll",
                          "walked", "a walk round the block", "walked round the block",
                          "a quick walk"],
    "favourite-song": ["listened to my favourite song", "played a song", "listening to music",
                       "played some music", "music"],
    "cook-simple": ["cooking", "cooked a meal", "made a meal", "toast", "making toast",
                    "cooked some food"],
    "journal-three-thoughts": ["writing in my journal", "a journal entry", "wrote in my diary",
                               "my diary", "wrote down three thoughts"],
    "water-plants": ["watering the plants", "watered the houseplants", "the houseplants",
                     "watering"],
    "something-creative": ["being creative", "drew a picture", "painting", "painted", "doodling",
                           "sketching", "crafts"],
    "check-in-call": ["a phone call", "a call", "called my mum", "rang my mum", "a call with my mum",
                      "called my sister", "a call with my sister", "called my brother",
                      "called my dad", "rang someone", "phoned a friend", "phoned someone",
                      "a call with a friend", "a video call"],
    "share-meal": ["a meal with someone", "ate with a friend", "had a meal with family",
                   "dinner with family", "family dinner", "eating together"],
    "coffee-friend": ["met a friend", "met up with a friend", "grabbed a coffee with a friend",
                      "tea with a friend", "chai with a friend", "a cuppa with a friend"],
    "tidy-room": ["tidying a room", "tidied my room", "cleaned my room", "cleaning",
                  "tidied the kitchen", "decluttered", "a bit of tidying", "cleaned up"],
    "draft-email": ["writing an email", "sent an email", "drafting an email",
                    "replied to an email"],
    "home-repair": ["a repair", "a home repair", "fixed something around the house",
                    "fixing something", "fixed the tap", "repairs"],
    "look-into-course": ["looking into a course", "a class", "looked into classes",
                         "signed up for a course", "researched a course", "looked at courses",
                         "an online course"],
}

# Custom slot types other than ActivityType: name -> [(id, spoken name, synonyms)].
SLOT_TYPES = {
    BARRIER_TYPE: [
        ("tired", "tired", [
            "too tired", "exhausted", "worn out", "knackered", "shattered", "drained",
            "no energy", "had no energy", "low energy", "sleepy", "wiped out", "fatigued",
            "run down", "too exhausted", "didn't have the energy",
        ]),
        ("no_time", "too busy", [
            "busy", "no time", "didn't have time", "i didn't have time", "ran out of time",
            "out of time", "not enough time", "swamped", "snowed under", "had too much on",
            "work", "work got in the way", "a busy day", "a hectic day", "hectic",
        ]),
        ("forgot", "forgot", [
            "i forgot", "forgot about it", "it slipped my mind", "slipped my mind", "forgotten",
            "didn't remember", "it went out of my head", "lost track of time",
            "it completely slipped my mind", "i didn't remember",
        ]),
        ("anxious", "anxious", [
            "too anxious", "nervous", "worried", "scared", "afraid", "stressed", "panicky",
            "overwhelmed", "tense", "on edge", "had a panic attack", "felt anxious", "anxiety",
        ]),
        ("weather", "the weather", [
            "bad weather", "weather", "raining", "it was raining", "rain", "pouring",
            "chucking it down", "too cold", "too hot", "snow", "snowing", "it was snowing",
            "stormy", "too windy", "too humid", "the monsoon",
        ]),
        ("other", "something else", [
            "other", "something came up", "something else came up", "sick", "ill", "unwell",
            "poorly", "in pain", "a headache", "family stuff", "the kids",
            "didn't feel like it", "wasn't in the mood", "no motivation", "couldn't be bothered",
            "too low", "feeling low", "down", "too depressed",
        ]),
    ],
    PART_OF_DAY_TYPE: [
        ("morning", "morning", [
            "this morning", "in the morning", "first thing", "first thing in the morning",
            "early", "before lunch",
        ]),
        ("afternoon", "afternoon", [
            "this afternoon", "in the afternoon", "after lunch", "lunchtime", "mid afternoon",
        ]),
        ("evening", "evening", [
            "tonight", "this evening", "in the evening", "after dinner", "after work", "night",
            "at night", "later tonight", "after tea",
        ]),
    ],
    KIND_TYPE: [
        ("routine", "routine", ["structured", "practical", "everyday", "basic", "a routine"]),
        ("pleasure", "fun", [
            "enjoyable", "pleasant", "relaxing", "nice", "pleasurable", "for pleasure",
            "for fun", "joyful",
        ]),
        ("mastery", "useful", [
            "productive", "challenging", "satisfying", "a bit of a challenge", "mastery",
            "an achievement", "skilful",
        ]),
        ("social", "social", [
            "with people", "with someone", "with friends", "with other people", "sociable",
            "with family",
        ]),
    ],
    LIFE_AREA_TYPE: [
        ("relationships", "relationships", [
            "my relationships", "friends", "my friends", "family", "my family",
            "friends and family", "people", "my social life", "my partner",
        ]),
        ("education_career", "work", [
            "career", "my career", "my job", "job", "education", "study", "studies",
            "my studies", "school", "college", "university", "learning",
        ]),
        ("recreation_interests", "fun and hobbies", [
            "fun", "hobbies", "my hobbies", "recreation", "interests", "my interests",
            "leisure", "free time", "my free time", "play",
        ]),
        ("mind_body_spirituality", "my health", [
            "health", "body", "my body", "mind", "my mind", "mental health", "spirituality",
            "faith", "wellbeing", "my wellbeing", "fitness", "self care",
        ]),
        ("daily_responsibilities", "chores", [
            "housework", "responsibilities", "my responsibilities", "daily tasks", "errands",
            "the house", "bills", "admin", "paperwork", "jobs around the house",
        ]),
    ],
    ROUTINE_TYPE: [
        ("waking_up", "waking up", ["getting up", "when i wake up", "getting out of bed"]),
        ("breakfast", "breakfast", ["my breakfast", "eating breakfast", "having breakfast",
                                    "brekkie"]),
        ("morning_coffee", "my morning coffee", [
            "morning coffee", "my first coffee", "coffee in the morning", "my morning tea",
            "my morning cuppa", "my morning chai", "morning chai",
        ]),
        ("brushing_teeth", "brushing my teeth", [
            "brushing teeth", "cleaning my teeth", "i brush my teeth", "my teeth",
        ]),
        ("shower", "my shower", ["a shower", "showering", "taking a shower", "having a shower",
                                 "my bath", "a bath"]),
        ("school_run", "the school run", [
            "school run", "school drop off", "dropping the kids at school",
            "taking the kids to school", "school pickup", "picking up the kids",
        ]),
        ("commute", "my commute", ["the commute", "getting home from work", "the drive home",
                                   "the bus home", "the train home"]),
        ("lunch", "lunch", ["my lunch", "lunch break", "my lunch break", "having lunch"]),
        ("walking_the_dog", "walking the dog", [
            "the dog walk", "dog walk", "taking the dog out", "walking my dog",
        ]),
        ("dinner", "dinner", ["my dinner", "supper", "evening meal", "having dinner"]),
        ("bedtime", "bedtime", [
            "going to bed", "getting ready for bed", "my bedtime routine", "my night routine",
        ]),
    ],
    WHICH_WEEK_TYPE: [
        ("this", "this", ["current", "the current"]),
        ("last", "last", ["previous", "the previous", "past", "the past", "the last"]),
    ],
}

# Synonyms only some locales use: locale -> type -> id -> synonyms.
EXTRA_SYNONYMS = {
    "en-AU": {PART_OF_DAY_TYPE: {"afternoon": ["arvo", "this arvo", "in the arvo"]}},
    "en-IN": {ROUTINE_TYPE: {"morning_coffee": ["morning tea time"]},
              ACTIVITY_TYPE: {"check-in-call": ["called my mummy"]}},
}

# ---------------------------------------------------------------------------------------
# Locale spelling and wording. The source text is British English.
# ---------------------------------------------------------------------------------------

SPELLING = {
    "en-US": {
        "favourite": "favorite", "favourites": "favorites", "behavioural": "behavioral",
        "organise": "organize", "journalling": "journaling", "skilful": "skillful",
        "mum": "mom", "mums": "moms", "colour": "color",
    },
    "en-CA": {"mum": "mom", "mums": "moms", "organise": "organize"},
    "en-GB": {},
    "en-AU": {},
    "en-IN": {},
}

# Words the skill never says (PRODUCT.md, How it speaks). Users may say anything.
BANNED_WORDS = ("failed", "missed", "behind", "should", "streak")

# ---------------------------------------------------------------------------------------
# Skill manifest text. {crisis} and {emergency} come from skill/crisis_lines.json.
# ---------------------------------------------------------------------------------------

ENDPOINT = "https://small-steps.example.org/alexa"
PRIVACY_POLICY_URL = "https://small-steps.example.org/privacy"
TERMS_OF_USE_URL = "https://small-steps.example.org/terms"
CATEGORY = "HEALTH_AND_FITNESS"
DISTRIBUTION_COUNTRIES = ["US", "GB", "CA", "AU", "IN"]
PERMISSIONS = ["alexa::alerts:reminders:skill:readwrite"]

SUMMARY = (
    "One small step at a time: a gentle voice companion for Behavioural Activation. "
    "A self-help tool, not a substitute for professional care."
)

DESCRIPTION = (
    "Small Steps is a gentle voice companion for Behavioural Activation, an evidence-based "
    "approach for low mood in which action comes before motivation. Each day it offers one "
    "small, manageable step, like making your bed, stepping outside or sending a message to a "
    "friend. You can make any step smaller, swap it, move it to another time, or pair it with "
    "something you already do.\n\n"
    "Tell Small Steps when you have done a step and how you feel from zero to ten. Over the "
    "weeks it helps you notice which activities lift your mood. You can also plan your week, "
    "name what matters to you, hear a short weekly summary, and set up a plan for hard times. "
    "A step not done is simply \"not today\".\n\n"
    "Small Steps is a self-help tool. It is not a substitute for professional care, and it "
    "does not diagnose or give medical advice. If you see a therapist, you can review your "
    "week together.\n\n"
    "If you are in crisis or thinking about ending your life, {crisis} If you are in "
    "immediate danger, call your local emergency number, {emergency}. You can also tell Small "
    "Steps at any time, and it will give you these numbers.\n\n"
    "Small Steps stores no recordings or transcripts. Say \"delete my data\" at any time to "
    "remove everything it has stored about you."
)

# How each locale's crisis sentence reads, filled from skill/crisis_lines.json.
CRISIS_SENTENCE = {
    "call or text": "call or text {number}, any time.",
    "call": "call {name} on {number}, any time.",
}

KEYWORDS = [
    "behavioural activation", "low mood", "mood tracker", "mood diary", "small steps",
    "self help", "wellbeing", "daily habits", "planner", "motivation",
]

# The first phrase launches the skill; the others are sample utterances of the model.
EXAMPLE_PHRASES = [
    "Alexa, open small steps",
    "Alexa, ask small steps what's my small step today",
    "Alexa, ask small steps how my week went",
]

TESTING_INSTRUCTIONS = (
    "No account linking. Say \"Alexa, open small steps\", then \"what's my small step today\", "
    "\"make it smaller\", \"I did it\" and a number from zero to ten for mood. Try \"add a walk "
    "around the block on Thursday evening\", \"how did my week go\" and \"delete my data\" (it "
    "asks for confirmation). Crisis language such as \"I want to die\" is answered at once with "
    "the crisis line for the locale. Reminders permission is optional."
)
