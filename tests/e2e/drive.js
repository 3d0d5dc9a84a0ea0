#!/usr/bin/env node
/*
 * drive.js: send a scripted conversation to a running skill server over HTTP
 * with virtual-alexa, and print what was said and answered. (Over 400 lines: about
 * 200 of them are this comment, the notes on how virtual-alexa behaves that a test
 * author needs, kept beside the code that works around it.)
 *
 * Input (stdin, JSON):
 *   {
 *     "url": "http://127.0.0.1:PORT/alexa",        required
 *     "model": "interaction-models/interactionModels/custom/en-GB.json",
 *                      default: <repo>/interaction-models/interactionModels/custom/<locale>.json
 *     "locale": "en-GB",                            default "en-US"
 *     "applicationId": "amzn1.ask.skill....",       default: virtual-alexa's random one
 *     "userId": "amzn1.ask.account.e2e",            default: virtual-alexa's random one
 *     "deviceId": "...",       optional; see "What the requests carry" below
 *     "fixups": true,          default true; false = pure virtual-alexa (see below)
 *     "unmatched": "fallback" | "error",
 *                              what a "say" that matches no sample does; default
 *                              "fallback" when fixups are on and the model declares
 *                              AMAZON.FallbackIntent, otherwise "error"
 *     "stepTimeoutMs": 30000,  one request's time limit
 *     "raw": false,            true: each record also has rawRequest/rawResponse
 *     "steps": [
 *       {"launch": true}
 *       {"say": "what's my small step today"}
 *       {"say": "add make the bed tomorrow", "slots": {"date": "2030-01-02"}}
 *                              ("slots" on a say step overrides the values of the
 *                               slots it names after the utterance is resolved)
 *       {"intent": "RateMoodIntent", "slots": {"mood": "6"}}
 *       {"intent": "DeleteMyDataIntent", "confirmationStatus": "CONFIRMED",
 *        "dialogState": "IN_PROGRESS"}          (both optional)
 *       {"end": true}  or  {"end": true, "reason": "ERROR" | "EXCEEDED_MAX_REPROMPTS"}
 *     ]
 *   }
 *
 * Output (stdout): a JSON array, one record per step:
 *   {"step": <the step as given>,
 *    "via": "launch" | "utter" | "utterance" | "elicited-slot" | "confirmation"
 *           | "fallback" | "intend" | "endSession",
 *    "request": {"type", "intent", "slots": {name: value}, "slotIds": {name: id},
 *                "confirmationStatus", "dialogState", "sessionId", "sessionNew"},
 *    "response": {"speech", "reprompt", "shouldEndSession",
 *                 "card": {"title", "content"} | null, "directives": [type, ...],
 *                 "dialog": {"type", "intent", "slotToElicit", "slotToConfirm"} | null}}
 * Any error: a message on stderr and exit code 1 (nothing on stdout).
 *
 * How virtual-alexa 0.7.8 (with virtual-core 0.1.1) works, read from its source
 * under node_modules/virtual-alexa/lib/src and node_modules/virtual-core/lib/src.
 * What a test author needs to know:
 *
 * Pointing it at the server:
 *   VirtualAlexa.Builder().interactionModelFile(path).locale(l).applicationID(id)
 *     .skillURL(url).create()  -> RemoteSkillInteractor: plain http/https POST of
 *   the request envelope with Content-Type application/json. Any status other than
 *   200 fails the step; the body must be JSON (also for SessionEndedRequest). No
 *   signature headers (SignatureCertChainUrl/Signature) are sent, so the server
 *   must run with request verification off. No request timeout of its own (we add
 *   stepTimeoutMs).
 *
 * Session:
 *   One session object lives across steps; session.new is true only on the first
 *   request of a session, sessionAttributes from each response are sent back on the
 *   next request (not on a LaunchRequest). A response with shouldEndSession: true
 *   ends the session; the next step opens a new one (new sessionId, new: true).
 *   A launch in the middle of an open session is sent in that session (new: false),
 *   unlike a device. {"end": true} always sends SessionEndedRequest (reason
 *   USER_INITIATED by default), even when the skill had already ended the session:
 *   then it goes out in a brand-new session, which a real device never does.
 *   The timestamp is the real current time.
 *
 * Utterance resolution (virtual-core Utterance):
 *   - Each sample becomes a case-insensitive regex anchored at both ends, with each
 *     {slot} as (.*) and the spaces around it trimmed; the utterance first loses
 *     the characters ! " ? | # $ % / ( ) = + - _ < > * { } [ ] . , ; : (not the
 *     apostrophe). Exact phrase match only: no fuzzy matching, no word-order
 *     freedom, no ASR-like normalisation.
 *   - Among matching samples the one with the most literal (non-slot) characters
 *     wins; on a tie the one with more typed slots.
 *   - Two slots with nothing literal between them ("{activity} {date}",
 *     "{date} {partOfDay}") hardly ever match: the first (.*) is greedy and
 *     virtual-core does not backtrack when a slot's type check then fails. With
 *     the en-* models "add make the bed tomorrow morning", "i'd like to do make
 *     the bed tomorrow" and "can i move it to tomorrow morning" match nothing.
 *     Say it with a literal word between the slots, or use an "intent" step.
 *   - An untyped or number slot also matches the empty string, so the sample
 *     "let's do it {date}" (MoveStepIntent) matches "let's do it" as well; on such
 *     a tie the intent listed first in the model wins, so "let's do it" arrives as
 *     MoveStepIntent without a date, not as AMAZON.YesIntent.
 *   - Only intent-level "samples" are used. Slot-level "samples" (the ones used
 *     while a slot is elicited, e.g. ScheduleStepIntent.date "{date}", "on {date}")
 *     are ignored by virtual-alexa; see fixup 4.
 *   - Built-in intents get virtual-alexa's own few samples, but only if the model
 *     declares the intent: Stop "stop", "off", "shut up"; Cancel "cancel",
 *     "never mind"; Help "help", "help me"; Yes "yes", "yes please", "sure";
 *     No "no", "no thanks"; Repeat "repeat", "say that again", "repeat that";
 *     StartOver "start over", "restart", "start again"; NavigateHome "home",
 *     "go home"; plus the model's own samples for them.
 *   - An utterance that matches nothing throws "Unable to match utterance";
 *     virtual-alexa never produces AMAZON.FallbackIntent (fixup 5).
 *   - utter() treats ANY utterance containing "ask", "open", "launch", "talk to" or
 *     "tell" anywhere (also inside words: "task", "telling", "reopen") as a launch
 *     phrase: it sends a LaunchRequest, unless the text is "<verb> X to Y", when Y
 *     is resolved. So "tell me my small step" or "tell me about my week" would be
 *     sent as a LaunchRequest (fixup 1). "exit" sends SessionEndedRequest.
 *
 * Slot types:
 *   - Custom types are closed: a slot value must equal a value or synonym of the
 *     type exactly (case-insensitive), or that sample does not match at all (a real
 *     device passes unknown words through with ER_SUCCESS_NO_MATCH).
 *   - The slot "value" sent is the words spoken (the synonym as said, e.g. "knackered"),
 *     as on a device, with resolutions.resolutionsPerAuthority[0] = {authority:
 *     "amzn1.er-authority.echo-sdk.<applicationId>.<Type>", status
 *     ER_SUCCESS_MATCH, values: [{value: {id, name: canonical value}}]} -- so
 *     entity-resolution ids ARE sent for custom types (one entry per matching
 *     value if a word is a synonym of several). A value given explicitly via
 *     "intent" that is not in the type gets ER_SUCCESS_NO_MATCH.
 *   - AMAZON.NUMBER: digits, or the words one..twenty only; the value sent is the
 *     word as said ("six", not "6"); "zero", "twenty one", "a hundred" do not
 *     match. No resolutions for built-in types. (fixup 2)
 *   - AMAZON.DATE, AMAZON.TIME, AMAZON.SearchQuery and every other built-in type
 *     are unknown to it, so they are untyped: they match ANY text, including the
 *     empty string, and the value is the raw words ("tomorrow", not an ISO date;
 *     "seven pm", not "19:00"). Give such values explicitly with "slots" on the
 *     step when the server needs the resolved form.
 *   - Slot validations (e.g. mood isInSet 0..10) are not applied.
 *
 * Dialog:
 *   - Intents listed under "dialog" get request.dialogState: STARTED at first;
 *     after any Dialog.* directive in a response it stays IN_PROGRESS for every
 *     later dialog intent of the session (virtual-alexa also sets it to COMPLETED
 *     after Dialog.ConfirmIntent), and slot values collected by its dialog manager
 *     are shared by name across ALL dialog intents until the session ends (fixup 3).
 *   - A Dialog.* directive whose updatedIntent is not in the model's dialog section
 *     makes virtual-alexa throw ("No match for dialog name").
 *   - Dialog.ElicitSlot: the slots of updatedIntent are remembered and carried into
 *     the next request for that intent, but the next utterance is resolved
 *     against the whole model, not against the elicited slot (fixup 4).
 *   - Dialog.ConfirmIntent / Dialog.ConfirmSlot: not honoured. "yes"/"no" arrive
 *     as AMAZON.YesIntent / AMAZON.NoIntent, never as the confirmed intent with
 *     confirmationStatus CONFIRMED/DENIED (fixup 4).
 *   - Dialog.Delegate: only noted; virtual-alexa does not speak the model's prompts
 *     or fill slots itself.
 *
 * What the requests carry:
 *   version "1.0"; context.System.application.applicationId; context.System.user
 *   .userId; context.System.device.supportedInterfaces = {AudioPlayer: {}} and
 *   context.AudioPlayer.playerActivity "IDLE"; request.locale, requestId, timestamp;
 *   session.{application, user, new, sessionId, attributes}.
 *   NOT sent: context.System.person (no person id ever), Viewport, Display (unless
 *   enabled), user.accessToken (unless set). apiEndpoint, apiAccessToken,
 *   device.deviceId and user.permissions.consentToken are sent ONLY when a device
 *   id is set ("deviceId" here); then apiEndpoint is https://api.amazonalexa.com
 *   and the token is a random fake, so the server must not call Alexa APIs.
 *
 * Fixups (on by default; "fixups": false gives pure virtual-alexa behaviour):
 *   1. "say" goes through utter() unless the text contains one of the launch verbs
 *      above without starting with "<verb> <invocation name>"; then the text is
 *      resolved with the same virtual-core Utterance that utter() uses and sent as
 *      that intent (via "utterance"). Texts starting with "open small steps",
 *      "ask small steps to ..." etc. still go through utter().
 *   2. AMAZON.NUMBER values spoken as words are sent as digits ("six" -> "6"), as
 *      a device does, and "zero" is accepted as a number (the mood prompt asks for
 *      "zero to ten").
 *   3. The dialog state is reset before each intent request unless the previous
 *      response carried a Dialog.* directive for that same intent: so a dialog
 *      intent starts with dialogState STARTED and only its own slots, as on a
 *      device. Slot values that are the empty string (an untyped or number slot
 *      matched by nothing) are dropped, so the slot arrives without a value.
 *   4. After Dialog.ElicitSlot (updatedIntent I, slotToElicit S), a "say" is also
 *      matched against S's slot samples in the model (plus "{S}"); if that match
 *      scores at least as well as the best match in the whole model, it is sent as
 *      intent I with the carried slots plus the new ones, dialogState IN_PROGRESS
 *      (via "elicited-slot"). After Dialog.ConfirmIntent / Dialog.ConfirmSlot, a
 *      "say" that resolves to AMAZON.YesIntent / AMAZON.NoIntent is sent as intent
 *      I with confirmationStatus CONFIRMED / DENIED on the intent / on the slot,
 *      dialogState IN_PROGRESS, carried slots (via "confirmation").
 *   5. A "say" that matches nothing is sent as AMAZON.FallbackIntent when the model
 *      declares it (via "fallback"); "unmatched": "error" makes it an error.
 */
"use strict";

// aws-sdk v2 (pulled in by virtual-alexa) prints an end-of-support notice on load.
process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE = "1";

const fs = require("fs");
const path = require("path");
const { VirtualAlexa } = require("virtual-alexa");
const { InteractionModel } = require("virtual-alexa/lib/src/model/InteractionModel");
const { SlotValue } = require("virtual-alexa/lib/src/impl/SlotValue");
const { SessionEndedReason } = require("virtual-alexa/lib/src/core/SkillRequest");
// The same copy of virtual-core that virtual-alexa itself loads.
const { Utterance } = require(require.resolve("virtual-core", {
    paths: [path.dirname(require.resolve("virtual-alexa/package.json"))],
}));

const REPO_ROOT = path.resolve(__dirname, "..", "..");
const LAUNCH_WORDS = /(ask|open|launch|talk to|tell).*/i; // utter()'s own test
const LAUNCH_VERBS = "(?:ask|open|launch|talk to|tell)";
// virtual-core strips these from an utterance before matching.
const STRIPPED = /[\!\"\¿\?|\#\$\%\/\(\)\=\+\-\_\<\>\*\{\}\·\¡\[\]\.\,\;\:]/g;
const NUMBER_WORDS = {
    zero: "0", one: "1", two: "2", three: "3", four: "4", five: "5", six: "6",
    seven: "7", eight: "8", nine: "9", ten: "10", eleven: "11", twelve: "12",
    thirteen: "13", fourteen: "14", fifteen: "15", sixteen: "16", seventeen: "17",
    eighteen: "18", nineteen: "19", twenty: "20",
};

function fail(message) {
    process.stderr.write(`drive.js: ${message}\n`);
    process.exit(1);
}

function readStdin() {
    return new Promise((resolve, reject) => {
        let data = "";
        process.stdin.setEncoding("utf8");
        process.stdin.on("data", (chunk) => { data += chunk; });
        process.stdin.on("end", () => resolve(data));
        process.stdin.on("error", reject);
    });
}

function escapeRegex(s) {
    return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

// Fixup 2: let AMAZON.NUMBER also match "zero", the way it matches "one".."twenty".
function addZero(model) {
    const numberType = model.slotTypes.slotType("AMAZON.NUMBER");
    if (numberType && !numberType.values.some((v) => v.id === "0")) {
        numberType.values.push({ id: "0", builtin: true, name: { value: "0", synonyms: ["zero"] } });
    }
}

function slotType(model, intentName, slotName) {
    const intent = model.intentSchema.intent(intentName);
    const slot = intent && intent.slots ? intent.slotForName(slotName) : undefined;
    return slot ? slot.type : undefined;
}

// Literal characters matched: the score virtual-core ranks samples by.
function score(utterance, text) {
    const cleaned = text.replace(STRIPPED, "");
    const slotChars = (utterance.slots || []).reduce((n, v) => n + v.length, 0);
    return cleaned.length - slotChars;
}

function summariseRequest(json) {
    if (!json) return null;
    const req = json.request || {};
    const out = { type: req.type };
    if (req.intent) {
        out.intent = req.intent.name;
        out.slots = {};
        out.slotIds = {};
        const slotStatus = {};
        for (const [name, slot] of Object.entries(req.intent.slots || {})) {
            if (slot.value !== undefined && slot.value !== null) out.slots[name] = slot.value;
            const rpa = (slot.resolutions && slot.resolutions.resolutionsPerAuthority) || [];
            for (const r of rpa) {
                if (r.status && r.status.code === "ER_SUCCESS_MATCH" && r.values && r.values.length) {
                    out.slotIds[name] = r.values[0].value.id;
                    break;
                }
            }
            if (slot.confirmationStatus && slot.confirmationStatus !== "NONE") {
                slotStatus[name] = slot.confirmationStatus;
            }
        }
        out.confirmationStatus = req.intent.confirmationStatus;
        if (Object.keys(slotStatus).length) out.slotConfirmationStatus = slotStatus;
        if (req.dialogState) out.dialogState = req.dialogState;
    }
    if (req.reason) out.reason = req.reason;
    if (json.session) {
        out.sessionId = json.session.sessionId;
        out.sessionNew = json.session.new;
    }
    return out;
}

function dialogDirective(body) {
    const directives = (body && body.response && body.response.directives) || [];
    const d = directives.find((x) => typeof x.type === "string" && x.type.startsWith("Dialog."));
    if (!d) return null;
    return {
        type: d.type,
        intent: d.updatedIntent ? d.updatedIntent.name : null,
        slotToElicit: d.slotToElicit || null,
        slotToConfirm: d.slotToConfirm || null,
    };
}

function summariseResponse(res) {
    const r = (res && res.response) || {};
    const card = r.card
        ? {
            title: r.card.title === undefined ? null : r.card.title,
            content: r.card.content !== undefined ? r.card.content
                : (r.card.text !== undefined ? r.card.text : null),
        }
        : null;
    // null, not undefined, so that every key shows in the JSON.
    const speech = res && typeof res.prompt === "function" ? res.prompt() : undefined;
    const reprompt = res && typeof res.reprompt === "function" ? res.reprompt() : undefined;
    return {
        speech: speech === undefined ? null : speech,
        reprompt: reprompt === undefined ? null : reprompt,
        shouldEndSession: r.shouldEndSession === undefined ? null : r.shouldEndSession,
        card,
        directives: (r.directives || []).map((d) => d.type),
        dialog: dialogDirective(res),
    };
}

function withTimeout(promise, ms, what) {
    let timer;
    const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function main() {
    const raw = await readStdin();
    let input;
    try {
        input = JSON.parse(raw);
    } catch (e) {
        fail(`stdin is not JSON: ${e.message}`);
    }
    if (!input || typeof input.url !== "string") fail('input needs "url"');
    if (!Array.isArray(input.steps)) fail('input needs "steps" (an array)');
    const locale = input.locale || "en-US";
    const modelPath = path.resolve(REPO_ROOT, input.model
        || path.join("interaction-models", "interactionModels", "custom", `${locale}.json`));
    const modelJSON = JSON.parse(fs.readFileSync(modelPath, "utf8"));
    const fixups = input.fixups !== false;
    const stepTimeoutMs = input.stepTimeoutMs || 30000;
    const languageModel = modelJSON.interactionModel.languageModel;
    const modelIntents = new Map(languageModel.intents.map((i) => [i.name, i]));
    const hasFallback = modelIntents.has("AMAZON.FallbackIntent");
    const unmatched = input.unmatched || (fixups && hasFallback ? "fallback" : "error");
    if (unmatched === "fallback" && !hasFallback) {
        fail('"unmatched": "fallback" but the model declares no AMAZON.FallbackIntent');
    }

    let builder = VirtualAlexa.Builder()
        .interactionModelFile(modelPath)
        .locale(locale)
        .skillURL(input.url);
    if (input.applicationId) builder = builder.applicationID(input.applicationId);
    const alexa = builder.create();
    if (input.userId) alexa.context().user().setID(input.userId);
    if (input.deviceId) alexa.context().device().setID(input.deviceId);
    const model = alexa.context().interactionModel();
    if (fixups) addZero(model);

    const invocation = new RegExp(
        `^${LAUNCH_VERBS}\\s+${escapeRegex(languageModel.invocationName)}\\b`, "i");

    // Every request passes through this filter just before it is POSTed.
    let sentRequest = null;
    let slotOverrides = null;
    let dialogStateOverride = null;
    alexa.filter((json) => {
        const intent = json.request && json.request.intent;
        if (intent) {
            if (dialogStateOverride) json.request.dialogState = dialogStateOverride;
            for (const [name, value] of Object.entries(slotOverrides || {})) {
                if (!slotType(model, intent.name, name)) {
                    throw new Error(`"slots" names ${name}, which ${intent.name} does not declare`);
                }
                const sv = new SlotValue(name, String(value));
                sv.setEntityResolution(alexa.context(), intent.name);
                const slot = { name, value: sv.value, confirmationStatus: "NONE" };
                if (sv.resolutions) slot.resolutions = sv.resolutions;
                intent.slots[name] = slot;
            }
            if (fixups) {
                for (const [name, slot] of Object.entries(intent.slots || {})) {
                    if (slot.value === "") {
                        delete slot.value;
                        delete slot.resolutions;
                    } else if (typeof slot.value === "string"
                        && slotType(model, intent.name, name) === "AMAZON.NUMBER"
                        && NUMBER_WORDS[slot.value.toLowerCase()] !== undefined) {
                        slot.value = NUMBER_WORDS[slot.value.toLowerCase()];
                    }
                }
            }
        }
        sentRequest = JSON.parse(JSON.stringify(json));
    });

    let pending = null; // the Dialog.* directive of the previous response
    const dialogManager = alexa.dialogManager();

    // Fixup 3: a dialog continues only for the intent the skill's directive named,
    // and then it is IN_PROGRESS; anything else starts afresh.
    function prepareIntent(intentName) {
        if (!fixups) return;
        if (pending && intentName && pending.intent === intentName) {
            dialogStateOverride = "IN_PROGRESS";
        } else {
            dialogManager.reset();
        }
    }

    function sendResolved(utterance) {
        const name = utterance.intent();
        prepareIntent(name);
        return alexa.request().intent(name).slots(utterance.toJSON()).send();
    }

    function elicitedMatch(text) {
        const intentJSON = modelIntents.get(pending.intent);
        const slotJSON = intentJSON && (intentJSON.slots || []).find((s) => s.name === pending.slotToElicit);
        if (!slotJSON) return null;
        const samples = [...new Set([...(slotJSON.samples || []), `{${slotJSON.name}}`])];
        const mini = InteractionModel.fromJSON({
            interactionModel: {
                languageModel: {
                    invocationName: languageModel.invocationName,
                    intents: [{ name: intentJSON.name, slots: intentJSON.slots, samples }],
                    types: JSON.parse(JSON.stringify(languageModel.types || [])),
                },
            },
        });
        addZero(mini);
        const u = new Utterance(mini, text);
        return u.matched() ? u : null;
    }

    async function say(step) {
        const text = step.say;
        if (!fixups) return { via: "utter", response: await alexa.utter(text) };
        if (text.trim().toLowerCase() === "exit" || invocation.test(text.trim())) {
            return { via: "utter", response: await alexa.utter(text.trim()) };
        }
        const whole = new Utterance(model, text);
        if (pending && pending.type === "Dialog.ElicitSlot" && pending.slotToElicit) {
            const slotMatch = elicitedMatch(text);
            if (slotMatch && (!whole.matched() || score(slotMatch, text) >= score(whole, text))) {
                prepareIntent(pending.intent);
                const req = alexa.request().intent(pending.intent).slots(slotMatch.toJSON());
                return { via: "elicited-slot", response: await req.send() };
            }
        }
        if (pending && (pending.type === "Dialog.ConfirmIntent" || pending.type === "Dialog.ConfirmSlot")
            && whole.matched()
            && (whole.intent() === "AMAZON.YesIntent" || whole.intent() === "AMAZON.NoIntent")) {
            const status = whole.intent() === "AMAZON.YesIntent" ? "CONFIRMED" : "DENIED";
            prepareIntent(pending.intent);
            let req;
            if (pending.type === "Dialog.ConfirmIntent") {
                req = alexa.request().intent(pending.intent, status);
            } else {
                req = alexa.request().intent(pending.intent);
                const slots = dialogManager.slots();
                if (!slots[pending.slotToConfirm]) {
                    throw new Error(`Dialog.ConfirmSlot for ${pending.slotToConfirm}, which updatedIntent did not carry`);
                }
                req.slotStatus(pending.slotToConfirm, status);
            }
            return { via: "confirmation", response: await req.send() };
        }
        if (!whole.matched()) {
            if (unmatched === "fallback") {
                prepareIntent("AMAZON.FallbackIntent");
                return { via: "fallback", response: await alexa.intend("AMAZON.FallbackIntent") };
            }
            throw new Error(`Unable to match utterance: ${JSON.stringify(text)} to an intent`);
        }
        if (LAUNCH_WORDS.test(text)) {
            // utter() would take this for a launch phrase (fixup 1).
            return { via: "utterance", response: await sendResolved(whole) };
        }
        prepareIntent(whole.intent());
        return { via: "utter", response: await alexa.utter(text) };
    }

    async function intend(step) {
        prepareIntent(step.intent);
        if (!step.confirmationStatus && !step.dialogState) {
            return { via: "intend", response: await alexa.intend(step.intent, step.slots || {}) };
        }
        const req = alexa.request().intent(step.intent, step.confirmationStatus || "NONE").slots(step.slots || {});
        if (step.dialogState) dialogStateOverride = step.dialogState;
        return { via: "intend", response: await req.send() };
    }

    const transcript = [];
    for (const [index, step] of input.steps.entries()) {
        sentRequest = null;
        dialogStateOverride = null;
        slotOverrides = step.say !== undefined && step.slots ? step.slots : null;
        let what;
        let outcome;
        try {
            if (step.launch) {
                what = "launch";
                prepareIntent(null);
                outcome = { via: "launch", response: await withTimeout(alexa.launch(), stepTimeoutMs, what) };
            } else if (step.end) {
                what = "end";
                const reason = step.reason ? SessionEndedReason[step.reason] : SessionEndedReason.USER_INITIATED;
                if (reason === undefined) throw new Error(`unknown session-ended reason ${step.reason}`);
                outcome = { via: "endSession", response: await withTimeout(alexa.endSession(reason), stepTimeoutMs, what) };
            } else if (typeof step.say === "string") {
                what = `say ${JSON.stringify(step.say)}`;
                outcome = await withTimeout(say(step), stepTimeoutMs, what);
            } else if (typeof step.intent === "string") {
                what = `intent ${step.intent}`;
                outcome = await withTimeout(intend(step), stepTimeoutMs, what);
            } else {
                throw new Error(`unknown step ${JSON.stringify(step)}`);
            }
        } catch (e) {
            const message = e instanceof Error ? e.message : String(e);
            throw new Error(`step ${index} (${what || JSON.stringify(step)}): ${message}`);
        }
        const record = {
            step,
            via: outcome.via,
            request: summariseRequest(sentRequest),
            response: summariseResponse(outcome.response),
        };
        if (input.raw) {
            record.rawRequest = sentRequest;
            record.rawResponse = JSON.parse(JSON.stringify(outcome.response));
        }
        transcript.push(record);
        pending = dialogDirective(outcome.response);
    }
    return transcript;
}

main().then(
    (transcript) => {
        process.stdout.write(JSON.stringify(transcript, null, 2) + "\n", () => process.exit(0));
    },
    (e) => fail(e instanceof Error ? e.message : String(e)),
);
