#!/usr/bin/env python3
"""Routing accuracy on labelled messages nobody wrote to the rules (run by hand; never by CTest).

    tests/bench/routing_eval.py [--rules DIR] [--hotlinectl PATH] [--corpus FILE.jsonl] [--misses N]

Routes every message of the corpus (JSON lines with content, channel, matter and topic) with `hotlinectl route`
and prints how often the router's matter is the labelled leaf, its sub-class, its top class, and of the message
board's topic (the seven first-level topics of a city's message board; a matter counts for a topic when its class
belongs there, see TOPICS), how many reach the dispatch desk and how many get no matter at all.
"""
import argparse
import collections
import json
import subprocess
import sys

# Which message-board topics each catalogue class (or sub-class) belongs to; the longest code wins.
TOPICS = {
    "01": {"城乡建设"}, "02": {"城乡建设"}, "03": {"环境保护"}, "04": {"城乡建设"}, "0403": {"城乡建设", "环境保护"},
    "05": {"交通运输"}, "06": {"教育文体"}, "07": {"教育文体"}, "0701": {"商贸旅游"}, "08": {"劳动和社会保障"},
    "09": {"卫生计生"}, "0901": {"劳动和社会保障", "卫生计生"}, "10": {"商贸旅游"}, "1008": {"商贸旅游"},
    "11": set(), "12": {"劳动和社会保障"}, "1207": {"城乡建设"}, "13": {"城乡建设"}, "1303": {"环境保护"},
    "14": {"城乡建设"},
}


def topics_of(code):
    for n in (4, 2):
        if code[:n] in TOPICS:
            return TOPICS[code[:n]]
    return set()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rules", default="rules")
    ap.add_argument("--hotlinectl", default="build/release/daemon/hotlinectl")
    ap.add_argument("--corpus", default="tests/corpus/messages.jsonl")
    ap.add_argument("--misses", type=int, default=0, help="print this many wrong-topic messages")
    args = ap.parse_args()

    messages = [json.loads(line) for line in open(args.corpus, encoding="utf-8") if line.strip()]
    tickets = "".join(json.dumps({"content": m["content"], "channel": m.get("channel", "web")}, ensure_ascii=False)
                      + "\n" for m in messages)
    run = subprocess.run([args.hotlinectl, "route", "--rules", args.rules], input=tickets, capture_output=True,
                         text=True, check=False)
    decisions = [json.loads(line) for line in run.stdout.splitlines() if line.strip()]
    if len(decisions) != len(messages):
        sys.exit(f"routing_eval: {len(decisions)} decisions for {len(messages)} messages: {run.stderr}")

    n = len(messages)
    count = collections.Counter()
    per_topic = collections.defaultdict(lambda: [0, 0])
    misses = []
    for m, d in zip(messages, decisions):
        code = (d.get("category") or {}).get("code", "")
        label = m["matter"]
        count["leaf"] += code == label
        count["subclass"] += code[:4] == label[:4]
        count["class"] += code[:2] == label[:2]
        right = m["topic"] in topics_of(code)
        count["topic"] += right
        count["desk"] += d["rule"] == "fallback"
        count["none"] += code == ""
        per_topic[m["topic"]][0] += right
        per_topic[m["topic"]][1] += 1
        if not right:
            misses.append((m, d))

    def pct(k):
        return f"{100.0 * count[k] / n:5.1f}%"

    print(f"messages: {n} ({args.corpus}), rules: {args.rules}")
    print(f"right topic: {pct('topic')}   matter class: {pct('class')}   sub-class: {pct('subclass')}   "
          f"leaf: {pct('leaf')}")
    print(f"to the desk: {pct('desk')}   no matter: {pct('none')}")
    same_leaf = sum(1 for m, d in misses if (d.get("category") or {}).get("code", "") == m["matter"])
    if same_leaf:
        print(f"of the {len(misses)} on another topic, {same_leaf} {'has' if same_leaf == 1 else 'have'} the labelled "
              f"leaf (the message's topic is not its class's, see TOPICS)")
    for topic, (right, total) in sorted(per_topic.items(), key=lambda x: -x[1][1]):
        print(f"  {topic:8s} {right:4d}/{total:<4d} {100.0 * right / total:5.1f}%")
    for m, d in misses[:args.misses]:
        code = (d.get("category") or {}).get("code", "-")
        print(f"- {m['id']} {m['topic']} {m['matter']} → {code} {d['unit']['id']} [{d['rule']}]: "
              f"{m['content'][:60]!r}")


if __name__ == "__main__":
    main()
