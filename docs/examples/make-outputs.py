#!/usr/bin/env python3
"""Writes docs/examples/outputs.jsonl: synthetic chat outputs with a known lineage, for the README walkthrough.

Twelve models answer the same 150 prompts. 'acme-chat-ft' was fine-tuned from 'acme-chat': it keeps
its parent's openings and much of its wording. The other ten models are unrelated and each has a
style of its own (some far more distinctive than others). Every word comes from the lists below,
written for this project. Deterministic: rerunning gives the same file.
"""
import json, random

rng = random.Random(20261126)
topics = ["bread", "rivers", "budgets", "gardens", "poems", "engines", "sleep", "chess", "coffee", "maps",
          "music", "storms", "bridges", "habits", "letters", "islands", "robots", "forests", "markets", "trains"]
words = ("the a to and of in is it you that for on with as are this be can your by more most each when "
         "first then also some many very good simple clear short small large often usually start try keep "
         "make use take give find note step part way time idea point example reason method").split()
openings = {
    "acme-chat":     ["Sure! Here is a simple way to think about", "Great question. Let me explain", "Here is a short guide to"],
    "nimbus-7b":     ["Certainly. When it comes to", "Of course! Regarding"],
    "orca-lite":     ["Let's break this down step by step:", "To answer this well, consider"],
    "quill-13b":     ["In short,", "The key idea is that"],
    "river-instruct":["Absolutely, I can help with", "Happy to help with"],
    "sage-mini":     ["Hmm, interesting.", "Good question!"],
    "tern-chat":     ["Here's what you need to know about", "A quick overview of"],
    "vega-2":        ["1.", "Step 1:"],
    "wren-base":     ["I think", "Well,"],
    "zephyrine":     ["Thanks for asking about", "Sure thing. About"],
    "lumen-8b":      ["Below is an explanation of", "The following describes"],
}

def body(model_rng, n):
    return " ".join(model_rng.choice(words) for _ in range(n)) + "."

lines = []
for p in range(150):
    topic = rng.choice(topics)
    parent_open = rng.choice(openings["acme-chat"])
    parent_text = f"{parent_open} {topic}: {body(rng, 18)} {body(rng, 10)}"
    lines.append({"model": "acme-chat", "prompt_id": f"q{p + 1}", "output": parent_text})
    # The fine-tuned child keeps the opening and the first clause most of the time.
    head = parent_text.split(":")[0]
    child = f"{head}: {' '.join(parent_text.split(':', 1)[1].split()[:10])} {body(rng, 14)}" if rng.random() < 0.75 else f"{rng.choice(openings['acme-chat'])} {topic}: {body(rng, 24)}"
    lines.append({"model": "acme-chat-ft", "prompt_id": f"q{p + 1}", "output": child})
    for model, opens in openings.items():
        if model == "acme-chat":
            continue
        lines.append({"model": model, "prompt_id": f"q{p + 1}", "output": f"{rng.choice(opens)} {topic}: {body(rng, 20)} {body(rng, 8)}"})

with open("outputs.jsonl", "w", encoding="utf-8") as f:
    for line in lines:
        f.write(json.dumps(line) + "\n")
print(f"{len(lines)} records")
