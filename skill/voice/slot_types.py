"""The custom slot types other than ActivityType, and synonyms only some locales use.

ActivityType is generated from the catalogue (`domain/catalogue.json`): its spoken names
and synonyms live in each activity's entry there."""

from __future__ import annotations

from skill.voice.names import (
    BARRIER_TYPE, PART_OF_DAY_TYPE, KIND_TYPE, LIFE_AREA_TYPE, ROUTINE_TYPE,
    WHICH_WEEK_TYPE, FEELING_TYPE,
)

# Custom slot types other than ActivityType: name -> [(id, spoken name, synonyms)].
SLOT_TYPES = {
    BARRIER_TYPE: [
        ("tired", "tired", [
            "too tired", "exhausted", "worn out", "knackered", "shattered", "drained",
            "no energy", "had no energy", "low energy", "sleepy", "wiped out", "fatigued",
            "run down", "too exhausted", "didn't have the energy",
            "i didn't have the energy", "i had no energy", "no energy left", "i was worn out",
            "cream crackered", "dead on my feet", "done in", "zonked", "running on empty",
        ]),
        ("no_time", "too busy", [
            "busy", "no time", "didn't have time", "i didn't have time", "ran out of time",
            "out of time", "not enough time", "swamped", "snowed under", "had too much on",
            "work", "work got in the way", "a busy day", "a hectic day", "hectic",
            "i ran out of time", "i was too busy", "i had too much on", "too much on",
            "manic", "mental", "mad busy", "crazy busy", "rushed off my feet", "flat out",
            "full on", "non stop", "chaotic", "a lot on", "loads on",
        ]),
        ("forgot", "forgot", [
            "i forgot", "forgot about it", "it slipped my mind", "slipped my mind", "forgotten",
            "didn't remember", "it went out of my head", "lost track of time",
            "it completely slipped my mind", "i didn't remember",
            "i forgot about it", "i completely forgot", "i totally forgot", "it went out of my mind",
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
            "i wasn't in the mood", "i couldn't be bothered", "i didn't feel like it", "i was ill",
            "i was sick", "i had a headache", "the kids were ill", "my cat was sick",
            "my dog was sick", "a family thing", "back", "my back", "back pain", "bad back",
            "knee", "my knee", "hip", "my hip", "joints", "my joints", "a migraine", "migraine",
            "pain", "a bad back", "my leg", "a cold", "the flu", "a bug",
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
    # A feeling said by itself ("I feel rubbish", "I'm okay"), its valence as the id. Words
    # of BarrierType (tired, knackered, anxious, stressed, worried …) stay out, so a
    # sample is never both; distress and crisis words stay out too (their handlers check
    # every slot first, and "hopeless" is DistressIntent's).
    FEELING_TYPE: [
        ("low", "low", [
            "rubbish", "awful", "terrible", "bad", "down", "sad", "rough", "crap", "grim",
            "not great", "not good", "not so good", "not too good", "not very good",
            "not so great", "not too great", "meh", "flat", "lonely", "miserable",
            "horrible", "lousy", "pants", "fed up", "blue", "gloomy", "grumpy", "stuck",
            "a bit down", "a bit low", "a bit rubbish", "a bit meh", "a bit flat",
            "really low", "really down", "really rubbish", "pretty low", "pretty rubbish",
            "quite low", "quite down", "not feeling great", "not feeling good",
            "not feeling too good", "not feeling so good", "not feeling great today",
            "crummy", "rotten", "dreadful", "shocking", "not brilliant", "not the best",
            "not myself", "out of sorts", "under the weather", "a bit rough", "low ish",
        ]),
        ("okay", "okay", [
            "ok", "alright", "all right", "fine", "not bad", "not too bad", "so so",
            "okay ish", "alright ish", "average", "middling", "fair", "so so i guess",
            "alright i guess", "okay i guess", "fine i guess", "not so bad", "surviving",
            "getting by", "okay actually", "alright actually", "a bit okay", "steady",
        ]),
        ("good", "good", [
            "better", "great", "happy", "brighter", "a bit better", "a little better",
            "much better", "a lot better", "quite good", "pretty good", "really good",
            "good actually", "better actually", "a bit better actually", "positive",
            "cheerful", "calm", "lighter", "brilliant", "fab", "fantastic", "amazing",
            "well", "a bit brighter", "chirpy", "content", "upbeat", "more like myself",
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
    "en-IN": {ROUTINE_TYPE: {"morning_coffee": ["morning tea time"]}},
}
