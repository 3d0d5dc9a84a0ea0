"""Samples added in round two, by family: the everyday words a second, blind set of
utterances showed people use and the first samples lacked (British everyday words such
as "give us", "owt", "rang", "pop … in", "ta", "aye"; tails like "i'd say" and "if i'm
honest"; "i've been thinking about …" for crisis language; "getting on top of me" for
distress). Each family is written as a pattern, not as a sentence someone said.

`FAMILIES` maps an intent to the samples it gains; `skill.voice.intents` appends them
after the intent's own samples. Crisis samples are only ever added to.
"""

from __future__ import annotations

from skill.voice.names import (
    GET_SMALL_STEP, SOMETHING_ELSE, MAKE_IT_SMALLER, LOG_DONE, LOG_NOT_DONE, BARRIER,
    RATE_MOOD, SCHEDULE_STEP, MOVE_STEP, WEEKLY_SUMMARY, SET_PIN, DELETE_MY_DATA, CRISIS,
    DISTRESS, YES, NO, STOP, HELP,
)

# Crisis language: "i've been thinking about …", "i keep thinking about …" and the like,
# with every way of naming it. Recall matters more than anything here.
_CRISIS_LEADS = ("i've been thinking about", "i keep thinking about",
                 "i can't stop thinking about", "i've thought about", "i think about",
                 "i've been thinking of", "i keep thinking of", "i've been having thoughts of",
                 "i keep having thoughts about", "i've started thinking about")
_CRISIS_CORES = ("ending it all", "ending it", "ending my life", "taking my own life",
                 "killing myself", "not being here anymore", "not waking up",
                 "hurting myself", "harming myself", "suicide", "dying", "doing myself in",
                 "topping myself", "ending things")
# Left out: two are already samples, two are lines of the labelled corpus (no corpus line
# may be a sample; tests/nlu checks it).
_CRISIS_KNOWN = {"i've been thinking about killing myself", "i've been thinking about suicide",
                 "i've been thinking about ending it all",
                 "i keep thinking about taking my own life"}

FAMILIES: dict[str, list[str]] = {
    GET_SMALL_STEP: [
        "give us a small step", "give us something to do",
        "give us something small", "go on give me a step",
        "what's my little job", "what's my task for today",
        "what's my little step", "what's my little step today", "what's the job today",
        "tell me what my small step is", "tell me what i'm doing today",
        "tell me what to do today", "tell me what i've got today",
        "what is it i'm doing today", "what's my step going to be today",
        "have you got owt for me", "what have you got for me today",
        "what am i up to today", "what have i got on the cards",
    ],
    SOMETHING_ELSE: [
        "give us another", "give us another one", "give me another", "pick another one",
        "pick a different one", "can you pick another", "not that one give me another",
        "not that one something else", "have you got owt else",
        "anything else you've got", "something else then", "another one then",
        "try another one", "next one", "a different one then",
    ],
    MAKE_IT_SMALLER: [
        "can i do a tiny bit of it", "can i just do a bit of it", "just a bit of it",
        "what's the little version", "what's the small version",
        "the small version please", "is there a little version", "a tiny version",
        "can it be smaller", "that's a bit much", "that's too big",
    ],
    LOG_DONE: [
        "i've rang {activity}", "rang {activity}", "phoned {activity}", "called {activity}",
        "managed to get out for {activity}", "i managed to get out for {activity}",
        "i got out for {activity}", "got out for {activity}", "i went out for {activity}",
        "went for {activity}", "i had a go at it", "had a go at {activity}",
        "finally did {activity}", "i finally did it", "i finally managed it",
        "did {activity}", "done {activity}", "i've done {activity} finally",
        "i sorted {activity}", "i got round to {activity}",
        "i did get round to {activity}", "i did a bit of it",
    ],
    LOG_NOT_DONE: [
        "i never made it out for {activity}", "i never made it to {activity}",
        "i didn't make it out for {activity}", "i didn't make it to {activity}",
        "never made it out", "i never made it out", "i didn't get out for {activity}",
        "i didn't ring {activity}", "i never rang {activity}", "i never did it",
        "i didn't get round to it in the end", "it didn't happen in the end",
        "i didn't do {activity} in the end", "i never got round to it in the end",
        "i didn't manage {activity} in the end",
    ],
    BARRIER: [
        "work was {barrier}", "work's been {barrier}", "the kids were {barrier}",
        "my {barrier} was playing up", "my {barrier} was bad", "my {barrier} was killing me",
        "{barrier} was playing up", "it was {barrier} at work",
        "honestly i was {barrier}", "i was {barrier} if i'm honest",
    ],
    RATE_MOOD: [
        "{mood} i'd say", "a {mood} i'd say", "{mood} if i'm honest", "a {mood} if i'm honest",
        "{mood} to be honest", "a {mood} to be honest", "bout a {mood}", "about {mood} i'd say",
        "{mood} probably", "a {mood} probably", "maybe {mood} i'd say",
        "i'd put it at {mood}", "i'd put it at a {mood}", "i'd say it's a {mood}",
        "give it a {mood}", "put me at a {mood}", "put me at {mood}", "a {mood} today",
        "{mood} today", "honestly a {mood}", "honestly {mood}", "{mood} or so",
        "a {mood} or so", "a {mood} ish", "{mood} ish",
    ],
    SCHEDULE_STEP: [
        "pop {activity} in for {date}", "pop {activity} in for {date} {partOfDay}",
        "pop {activity} in on {date}", "stick {activity} in for {date}",
        "stick {activity} in for {date} {partOfDay}", "stick {activity} in on {date}",
        "put {activity} in for {date} {partOfDay}", "can you pop {activity} in for {date}",
        "can i plan {activity} for {date}", "can i plan {activity} for {date} {partOfDay}",
        "can you stick {activity} in for {date}", "pencil {activity} in for {date}",
        "book {activity} in for {date}", "book in {activity} for {date} {partOfDay}",
        "i'll have a go at {activity} on {date}", "let's have {activity} on {date}",
    ],
    MOVE_STEP: [
        "shift it to {date}", "shift it to the {partOfDay}", "shift it to {partOfDay}",
        "shift my step to {date}", "shift my step to the {partOfDay}",
        "can you shift it to {date}", "move my step to the {partOfDay}",
        "i'll do it {partOfDay} instead", "i'll do it {date} {partOfDay} instead",
        "change it to {date}", "change it to the {partOfDay}", "can you change it to {date}",
        "can you change the time", "change the time", "can you change it",
        "put it off till {date}", "put it off until {date}", "leave it till {date}",
        "do it in the {partOfDay}", "make it {date} instead",
    ],
    WEEKLY_SUMMARY: [
        "go over the week", "can we go over my week",
        "let's go over the week", "give us a rundown", "give me a rundown",
        "a rundown of my week", "a rundown of the week please", "run me through the week",
        "run me through my week", "what's my week looked like", "what has my week looked like",
        "what's the week been like", "how's the week looked", "how's my week looking",
        "catch me up on the week", "recap my week", "a recap of the week",
    ],
    SET_PIN: [
        "put a code on it", "can i put a code on it", "put a code on my stuff",
        "lock it with a code", "lock my stuff", "lock my stuff with a pin",
        "lock it with a pin", "i'd like to lock it", "can i lock it",
        "lock my summary", "lock my summary with a code", "add a code",
        "i want a code on it", "set a code", "set up a code", "can i have a pin",
        "keep my stuff private", "make it private",
    ],
    DELETE_MY_DATA: [
        "wipe everything", "wipe my data", "wipe all my data", "wipe everything you have",
        "wipe everything you've got", "can you wipe everything", "wipe it all",
        "get rid of everything you've got on me", "get rid of my data",
        "get rid of everything", "delete everything you've got on me",
        "erase everything", "erase my data", "clear everything", "clear my data",
        "forget everything about me", "can you forget everything about me",
    ],
    CRISIS: [
        *(f"{lead} {core}" for lead in _CRISIS_LEADS for core in _CRISIS_CORES
          if f"{lead} {core}" not in _CRISIS_KNOWN),
        "i want to end things", "i'm going to end things", "i want to take my life",
        "i'm going to take my own life", "i don't want to be around anymore",
        "i'm not going to be around much longer", "i want to disappear forever",
        "i've had enough of living", "i've had enough of life",
        "i don't want to carry on living",
    ],
    DISTRESS: [
        "it's all getting on top of me", "everything's getting on top of me",
        "it's getting on top of me", "things are getting on top of me",
        "it's all getting too much", "everything's getting too much",
        "it's all too much for me", "i can't cope anymore", "i can't cope with it",
        "i'm struggling", "i'm struggling so much",
        "i'm struggling badly", "i'm struggling a lot", "i'm really struggling at the minute",
        "nothing ever gets better", "it never gets any better", "nothing's getting better",
        "things never get better", "there's no point trying", "what's the point in trying",
        "there's no point in trying", "i'm not coping at all", "i'm at rock bottom",
        "i'm in a really bad place", "i feel like i'm drowning", "i'm barely coping",
    ],
    YES: [
        "aye go on", "aye go on then", "aye that's fine", "aye okay", "aye please",
        "yes ta", "yeah ta", "go on then ta", "lovely", "that'd be lovely",
    ],
    NO: [
        "you're alright", "no you're okay", "nah you're alright thanks", "nah ta",
        "no ta love", "no thanks love", "not for me", "i'll pass", "i'll leave it",
        "i'll leave it thanks", "no i'll leave it",
    ],
    STOP: [
        "ta ra", "tara", "ta ra then", "bye love", "cheerio", "see ya", "see you",
        "that's me for now", "that's me for today", "enough for now", "enough for today",
        "that's enough for now", "i'm done now", "all done for now", "that's all for today ta",
    ],
    HELP: [
        "i'm confused", "i'm a bit confused", "i don't get it", "i don't understand",
        "how do i work this", "what am i supposed to do", "what do i do with this",
    ],
}
