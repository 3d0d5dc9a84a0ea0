#!/usr/bin/env node
/*
 * virtual_alexa.js: resolve utterances with virtual-alexa's own matcher (virtual-core
 * Utterance over the interaction model, as tests/e2e/drive.js does), without a server.
 *
 * Input (stdin, JSON): {"model": "<path to a locale's model>", "locale": "en-GB",
 *                       "utterances": ["what's my step", ...]}
 * Output (stdout, JSON): one record per utterance, in order:
 *   {"intent": "GetSmallStepIntent" | "AMAZON.FallbackIntent", "slots": {name: words},
 *    "launch": true | false}
 * "intent" is what drive.js sends: a sample matched literally (slots of custom types only
 * with a value or synonym of the type; number slots with digits or one..twenty), else
 * AMAZON.FallbackIntent (its fixup 5). Slot values are the words as heard (number words
 * are not turned into digits here). "launch" tells that virtual-alexa's utter() would have
 * sent a LaunchRequest instead, because the words contain ask/open/launch/tell/"talk to"
 * (drive.js resolves these itself, its fixup 1).
 * Needs tests/e2e/node_modules (make node).
 */
"use strict";

process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE = "1";

const fs = require("fs");
const path = require("path");
const E2E = path.resolve(__dirname, "..", "e2e");
const { VirtualAlexa } = require(require.resolve("virtual-alexa", { paths: [E2E] }));
const { Utterance } = require(require.resolve("virtual-core", {
    paths: [path.dirname(require.resolve("virtual-alexa/package.json", { paths: [E2E] }))],
}));

const LAUNCH_WORDS = /(ask|open|launch|talk to|tell).*/i; // utter()'s own test

function main(input) {
    const alexa = VirtualAlexa.Builder()
        .interactionModelFile(path.resolve(input.model))
        .locale(input.locale || "en-US")
        .skillURL("http://127.0.0.1:9/unused")
        .create();
    const model = alexa.context().interactionModel();
    const numberType = model.slotTypes.slotType("AMAZON.NUMBER");
    if (numberType && !numberType.values.some((v) => v.id === "0")) {
        // As drive.js (fixup 2): "zero" is a number, as "one" is.
        numberType.values.push({ id: "0", builtin: true, name: { value: "0", synonyms: ["zero"] } });
    }
    return input.utterances.map((text) => {
        const u = new Utterance(model, text);
        const slots = {};
        if (u.matched()) {
            for (const [name, value] of Object.entries(u.toJSON())) {
                if (value !== undefined && value !== "") slots[name] = value;
            }
        }
        return {
            intent: u.matched() ? u.intent() : "AMAZON.FallbackIntent",
            slots,
            launch: LAUNCH_WORDS.test(text),
        };
    });
}

let data = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { data += chunk; });
process.stdin.on("end", () => {
    try {
        process.stdout.write(JSON.stringify(main(JSON.parse(data))) + "\n");
    } catch (e) {
        process.stderr.write(`virtual_alexa.js: ${e instanceof Error ? e.stack : e}\n`);
        process.exit(1);
    }
});
